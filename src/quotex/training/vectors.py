"""Building the word-vector "pretrain" file for Stanza, offline and reproducibly.

Corpus: the POS-tagged Indonesian news text shipped inside the MIT-licensed ``nlp-id`` wheel
(``nlp_id/data/dataset_postag.txt``, about 1.1M tokens), plus the tokens of the NER training
splits (train only). Vectors: gensim word2vec skip-gram on lower-cased tokens (Stanza looks
words up lower-cased), single worker and a deterministic hash so that a seed gives the same vectors.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import zipfile
import zlib
from collections import Counter
from pathlib import Path

logger = logging.getLogger("quotex.training")

NLPID_REQ = "nlp-id==0.1.23.0"
NLPID_MEMBER = "nlp_id/data/dataset_postag.txt"


def _crc_hash(s: str) -> int:
    # gensim seeds each word's initial vector with hashfxn(word + str(seed)); Python's hash() is
    # randomised per process, so use a stable one.
    return zlib.crc32(s.encode("utf-8"))


def locate_nlpid_corpus(path: Path | None, workdir: Path) -> Path:
    """Return the nlp-id POS corpus text, extracting it from a wheel or pip-downloading the wheel."""
    if path is not None:
        path = Path(path)
        if path.is_dir():
            wheels = sorted(path.glob("nlp_id-*.whl"))
            if not wheels:
                raise FileNotFoundError(f"no nlp_id-*.whl in {path}")
            path = wheels[-1]
        if path.suffix != ".whl":
            return path
        wheel = path
    else:
        dl = workdir / "wheels"
        dl.mkdir(parents=True, exist_ok=True)
        wheels = sorted(dl.glob("nlp_id-*.whl"))
        if not wheels:
            logger.info("pip download --no-deps %s", NLPID_REQ)
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(dl), NLPID_REQ], check=True
            )
            wheels = sorted(dl.glob("nlp_id-*.whl"))
        wheel = wheels[-1]
    out = workdir / "nlpid_dataset_postag.txt"
    with zipfile.ZipFile(wheel) as z:
        out.write_bytes(z.read(NLPID_MEMBER))
    return out


def read_tagged_corpus(path: Path) -> list[list[str]]:
    """token<TAB>POS lines, blank line between sentences -> token lists."""
    sents: list[list[str]] = []
    cur: list[str] = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append(line.split("\t")[0])
    if cur:
        sents.append(cur)
    return sents


def train_vectors(
    sentences: list[list[str]],
    out_txt: Path,
    *,
    dim: int = 100,
    epochs: int = 20,
    window: int = 5,
    min_count: int = 2,
    max_vocab: int = 60000,
    seed: int = 1234,
    always_keep: set[str] | None = None,
) -> dict:
    """Train skip-gram word2vec and write a word2vec text file (lower-cased words)."""
    from gensim.models import Word2Vec

    lowered = [[w.lower() for w in s] for s in sentences]
    counts = Counter(w for s in lowered for w in s)
    model = Word2Vec(
        lowered,
        vector_size=dim,
        window=window,
        min_count=min_count,
        sg=1,
        negative=10,
        epochs=epochs,
        workers=1,
        seed=seed,
        hashfxn=_crc_hash,
        sample=1e-4,
    )
    words = sorted(model.wv.index_to_key, key=lambda w: (-counts[w], w))
    keep = set(words[:max_vocab]) | ({w.lower() for w in (always_keep or ())} & set(words))
    words = [w for w in words if w in keep]
    with open(out_txt, "w", encoding="utf-8") as f:
        f.write(f"{len(words)} {dim}\n")
        for w in words:
            if " " in w or not w:
                continue
            f.write(w + " " + " ".join(f"{x:.5f}" for x in model.wv[w]) + "\n")
    return {
        "corpus_sentences": len(lowered),
        "corpus_tokens": sum(counts.values()),
        "vocab": len(words),
        "dim": dim,
        "epochs": epochs,
        "window": window,
        "min_count": min_count,
        "algorithm": "gensim word2vec skip-gram",
    }


def write_pretrain(vec_txt: Path, out_pt: Path, *, fp16: bool = True) -> None:
    """Convert a word2vec text file to a Stanza pretrain .pt (vectors stored as fp16)."""
    import torch
    from stanza.models.common.pretrain import Pretrain

    pt = Pretrain(None, str(vec_txt), max_vocab=-1, save_to_file=False)
    emb = pt.emb
    if not isinstance(emb, torch.Tensor):
        emb = torch.from_numpy(emb)
    emb = emb.to(torch.float16 if fp16 else torch.float32).contiguous()
    data = {"vocab": pt.vocab.state_dict(), "emb": emb}
    out_pt.parent.mkdir(parents=True, exist_ok=True)
    torch.save(data, str(out_pt), _use_new_zipfile_serialization=False)
