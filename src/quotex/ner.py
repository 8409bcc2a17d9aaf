"""Offline Indonesian named-entity tagging with quotex's shipped Stanza model.

Usage::

    from quotex.ner import NerModel
    model = NerModel.load()
    model.tag([["Presiden", "Joko", "Widodo", "tiba", "di", "Jakarta", "."]])
    # -> [[(1, 3, "PERSON"), (5, 6, "LOC")]]

Importing this module is cheap: stanza and torch are imported inside :meth:`NerModel.load`.
Nothing is downloaded and nothing is written outside the model folder (no ``~/stanza_resources``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quotex.errors import ModelError, QuotexError, UsageError
from quotex.models import NER_TYPES
from quotex.segment import MAX_SENTENCE_TOKENS  # longer sentences are tagged in pieces of this many tokens

__all__ = ["NerModel", "verify_manifest", "resolve_device", "torch_threads", "auto_jobs", "NER_TYPES",
           "MAX_SENTENCE_TOKENS", "DEVICES"]

DEVICES = ("auto", "cpu", "cuda")

_FIX = "reinstall quotex, or rebuild it with: python -m quotex.training.ner --data <ner data folder> --out {dir}"

Span = tuple[int, int, str]


def _model_dir(model_dir: Path | None) -> Path:
    if model_dir is None:
        from quotex.resources import model_dir as default_dir

        return default_dir()
    return Path(model_dir)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fail(what: str, model_dir: Path) -> ModelError:
    return ModelError(f"NER model {what}; {_FIX.format(dir=model_dir)}")


def read_manifest(model_dir: Path | None = None) -> dict[str, Any]:
    """The parsed ``manifest.json`` of the model folder (raises ModelError)."""
    d = _model_dir(model_dir)
    path = d / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(f"manifest {path} is missing", d) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _fail(f"manifest {path} is unreadable ({type(e).__name__})", d) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict) or not manifest.get("stanza_model"):
        raise _fail(f"manifest {path} is invalid (no 'files' or 'stanza_model')", d)
    return manifest


def verify_manifest(model_dir: Path | None = None) -> None:
    """Check that every file listed in the manifest exists with the recorded size and sha256.

    Raises :class:`quotex.errors.ModelError` naming the first bad file.
    """
    d = _model_dir(model_dir)
    manifest = read_manifest(d)
    files = manifest["files"]
    needed = [manifest["stanza_model"]] + ([manifest["pretrain"]] if manifest.get("pretrain") else [])
    for name in needed:
        if name not in files:
            raise _fail(f"manifest {d / 'manifest.json'} does not list {name}", d)
    for name, meta in files.items():
        path = d / name
        if not path.is_file():
            raise _fail(f"file {path} is missing", d)
        try:
            size = path.stat().st_size
            if size != meta.get("bytes"):
                raise _fail(f"file {path} has {size} bytes, manifest says {meta.get('bytes')} (corrupt?)", d)
            if _sha256(path) != meta.get("sha256"):
                raise _fail(f"file {path} does not match its sha256 in the manifest (corrupt or replaced)", d)
        except OSError as e:
            raise _fail(f"file {path} is unreadable ({e.strerror})", d) from None


def resolve_device(device: str | None = None) -> str:
    """The torch device to tag on: ``cpu``, ``cuda`` or ``cuda:N``.

    ``None`` reads ``QUOTEX_DEVICE`` (default ``auto``). ``auto`` is CUDA when torch sees a CUDA
    device, else the CPU. Asking for ``cuda`` where torch sees none raises :class:`QuotexError`
    (exit code 1: nothing is processed) instead of silently running on the CPU; an unknown name
    raises :class:`UsageError` (exit code 2).
    """
    spec = (device if device is not None else os.environ.get("QUOTEX_DEVICE", "auto")).strip().lower() or "auto"
    base, _, index = spec.partition(":")
    if base not in DEVICES or (index and (base != "cuda" or not index.isdigit())):
        raise UsageError(f"unknown device {spec!r}: use auto, cpu, cuda or cuda:N")
    if base == "cpu":
        return "cpu"
    import torch

    available = torch.cuda.is_available()
    if base == "auto":
        return "cuda" if available else "cpu"
    if not available:
        why = "this torch is built without CUDA" if torch.version.cuda is None else "no CUDA device is visible"
        raise QuotexError(f"--device {spec}: {why} (torch {torch.__version__}); use --device auto or cpu")
    if index and int(index) >= torch.cuda.device_count():
        raise QuotexError(f"--device {spec}: only {torch.cuda.device_count()} CUDA device(s) visible")
    return spec


def cpu_cores() -> int:
    """Cores this process may run on (the CPU affinity mask, e.g. a container's share)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def torch_threads(processes: int = 1, cores: int | None = None, *, load: float | None = None) -> int:
    """torch threads for each of ``processes`` tagging processes: threads x processes <= free cores.

    ``OMP_NUM_THREADS``, when the user set it, wins (torch would read it too). Otherwise
    ``cores // processes``, at most 4 (the BiLSTM-CRF gains little past 4 threads), and no more than
    the cores that other work leaves free (``load``: the 1-minute load average, read from the system
    when None). On a busy machine that means one thread: torch's spinning threads, competing for
    cores, made tagging 6-7x slower there (measured: 25.8 s with 1 thread, 165-219 s with 2, on 2
    cores at load 17-20).
    """
    env = os.environ.get("OMP_NUM_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    cores = cores if cores is not None else cpu_cores()
    processes = max(1, processes)
    if load is None:
        try:
            load = os.getloadavg()[0]
        except (AttributeError, OSError):  # pragma: no cover - not Unix
            load = 0.0
    free = max(1, cores - int(load + 0.5))
    return max(1, min(4, cores // processes, free // processes))


def auto_jobs(cores: int | None = None, *, memory_bytes: int | None = None, per_process_bytes: int = 1 << 30,
              device: str = "cpu") -> int:
    """``--jobs auto``: how many worker processes to tag with on this machine.

    On the CPU, one process per core, each with one torch thread: tagging is mostly per-batch Python
    work, which processes spread over cores and threads do not; capped so that each worker has about
    1 GB of memory. On a GPU, one process (the GPU is shared by all, and one process keeps it busy)."""
    if device.startswith("cuda"):
        return 1
    cores = cores if cores is not None else cpu_cores()
    if memory_bytes is None:
        try:
            memory_bytes = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError, AttributeError):  # pragma: no cover
            memory_bytes = 0
    jobs = max(1, cores)
    if memory_bytes:
        jobs = min(jobs, max(1, memory_bytes // per_process_bytes - 1))
    return jobs


_THREADS: dict[str, int] = {}


def set_torch_threads(threads: int) -> None:
    """Set torch's intra-op threads for this process (and remember that it was set deliberately)."""
    import torch

    torch.set_num_threads(max(1, int(threads)))
    _THREADS["set"] = max(1, int(threads))


class _Doc:
    """The tiny part of stanza's Document that its NER DataLoader reads."""

    def __init__(self, sentences: list[list[str]]) -> None:
        self._sentences = sentences

    def get(self, fields, as_sentences=False, from_token=False):  # noqa: ARG002 - stanza's signature
        return [[[w, "O", None] for w in s] for s in self._sentences]


def _bioes_spans(tags: Sequence[str]) -> list[Span]:
    spans: list[Span] = []
    start: int | None = None
    typ: str | None = None
    for i, tag in enumerate(list(tags) + ["O"]):
        p, t = tag[:1], tag[2:]
        inside = p in ("I", "E") and start is not None and t == typ
        if not inside and start is not None:
            spans.append((start, i, typ))  # type: ignore[arg-type]
            start = typ = None
        if p in ("B", "S") or (p in ("I", "E") and not inside):
            start, typ = i, t
        if p in ("E", "S") and start is not None:
            spans.append((start, i + 1, typ))  # type: ignore[arg-type]
            start = typ = None
    return [s for s in spans if s[2] in NER_TYPES]


class NerModel:
    """quotex's Indonesian Stanza NER model (PERSON / ORG / LOC), loaded from the shipped files."""

    def __init__(self, trainer: Any, model_dir: Path, manifest: dict[str, Any], device: str = "cpu") -> None:
        self._trainer = trainer
        self.model_dir = model_dir
        self.manifest = manifest
        self.version: str = manifest.get("model_version", "unknown")
        self.device = device
        self._loader_cls: Any = None
        self._char_cache: dict[str, list[int]] = {}
        self._char_lower = False
        self._o_id = 0

    @classmethod
    def load(cls, model_dir: Path | None = None, *, verify: bool = True, verbose: bool = False,
             device: str | None = None) -> "NerModel":
        """Load the shipped model (or the one in ``model_dir``) onto ``device``: ``auto`` (CUDA if
        torch sees one, else CPU), ``cpu``, ``cuda`` or ``cuda:N``; None reads ``QUOTEX_DEVICE``
        (default auto). See :func:`resolve_device` for the errors."""
        d = _model_dir(model_dir)
        dev = resolve_device(device)
        if dev == "cpu" and "set" not in _THREADS:
            # one process: torch's own default is every core of the machine (OMP_NUM_THREADS aside),
            # which on a big or shared machine costs more in spinning threads than it gains
            set_torch_threads(torch_threads(1))
        if verify:
            verify_manifest(d)
            manifest = read_manifest(d)
        else:
            manifest = read_manifest(d)
        model_path = d / manifest["stanza_model"]
        pretrain_path = d / manifest["pretrain"] if manifest.get("pretrain") else None
        for p in (model_path, pretrain_path):
            if p is not None and not p.is_file():
                raise _fail(f"file {p} is missing", d)

        stanza_logger = logging.getLogger("stanza")
        old_level = stanza_logger.level
        if not verbose:
            stanza_logger.setLevel(logging.ERROR)
        try:
            import torch  # noqa: F401 - imported here so that `import quotex.ner` stays cheap
            from stanza.models.common.pretrain import Pretrain
            from stanza.models.ner.trainer import Trainer

            pretrain = None
            if pretrain_path is not None:
                pretrain = Pretrain(str(pretrain_path), save_to_file=False)
                pretrain.load()
            # Trainer(model_file=...) would also build an SGD optimizer, which imports torch._dynamo
            # (about 3 s). For inference only the model is needed: load it the same way, minus that.
            trainer = Trainer.__new__(Trainer)
            trainer.load(str(model_path), pretrain, None, None)
            if trainer.args.get("predict_tagset") is None:
                trainer.args["predict_tagset"] = 0
            trainer.optimizer = None
            trainer.model = trainer.model.to(dev)
            trainer.model.eval()
            for param in trainer.model.parameters():
                param.requires_grad_(False)
        except ModelError:
            raise
        except Exception as e:  # a damaged file surfaces as many different exceptions
            raise _fail(f"file {model_path.name} or {pretrain_path.name if pretrain_path else '-'} in {d} cannot be loaded "
                        f"({type(e).__name__})", d) from None
        finally:
            if not verbose:
                stanza_logger.setLevel(old_level if old_level else logging.NOTSET)
        return cls(trainer, d, manifest, dev)

    def tag(self, sentences: Sequence[Sequence[str]], batch_size: int = 256) -> list[list[Span]]:
        """Per sentence, the entity spans as (first_token_index, end_token_index_exclusive, type).

        ``type`` is one of PERSON, ORG, LOC. Sentences are quotex's own tokens (never re-tokenised);
        sentences longer than MAX_SENTENCE_TOKENS are tagged in pieces.
        """
        import torch

        results: list[list[Span]] = [[] for _ in sentences]
        # pieces: (sentence index, token offset, tokens)
        pieces: list[tuple[int, int, list[str]]] = []
        for si, sent in enumerate(sentences):
            toks = [str(t) if str(t).strip() else "_" for t in sent]
            for off in range(0, len(toks), MAX_SENTENCE_TOKENS):
                pieces.append((si, off, toks[off : off + MAX_SENTENCE_TOKENS]))
        if not pieces:
            return results
        # sort by length so that each batch has little padding
        order = sorted(range(len(pieces)), key=lambda i: len(pieces[i][2]))
        own_batches = not self._trainer.args.get("charlm")
        loader_cls = None if own_batches else self._loader()
        args = self._trainer.args
        with torch.inference_mode():
            for b in range(0, len(order), max(1, batch_size)):
                idx = order[b : b + batch_size]
                preds: list[list[str]] = []
                if own_batches:
                    preds = self._predict(self._batch([pieces[i][2] for i in idx]))
                else:
                    loader = loader_cls(_Doc([pieces[i][2] for i in idx]), len(idx), args, vocab=self._trainer.vocab,
                                        evaluation=True)
                    for batch in loader:
                        preds += self._predict(batch)
                for i, tags in zip(idx, preds):
                    si, off, _ = pieces[i]
                    results[si].extend((s + off, e + off, t) for s, e, t in _bioes_spans(tags))
        for r in results:
            r.sort()
        return results

    def _loader(self) -> Any:
        """Stanza's NER DataLoader, with the per-sentence tag work done once and character ids cached."""
        if self._loader_cls is None:
            from stanza.models.ner.data import DataLoader

            # the processed "O" tag exactly as stanza's own reading makes it
            probe = object.__new__(DataLoader)
            probe.preprocess_tags, probe.args = True, self._trainer.args
            o_tag = DataLoader._load_doc(probe, _Doc([["x"]]), None)[0][0][1]
            o_id = self._trainer.vocab["tag"].map([o_tag])[0]
            self._char_lower = bool(self._trainer.args.get("char_lowercase", False))
            self._o_id = o_id
            char_ids = self._char_ids

            class _Loader(DataLoader):
                def _load_doc(self, doc, scheme):  # noqa: ARG002 - stanza's signature
                    return [[[w, o_tag] for w in s] for s in doc._sentences]

                def preprocess(self, data, vocab, args):  # noqa: ARG002
                    out = []
                    for sent in data:
                        words = [w[0] for w in sent]
                        out.append([words, char_ids(words), [o_id] * len(words)])
                    return out

            self._loader_cls = _Loader
        return self._loader_cls

    def _char_ids(self, words: Sequence[str]) -> list[list[int]]:
        """Each word's character ids, cached across batches (the cache is emptied past 500,000 words)."""
        cache, char_vocab, lower = self._char_cache, self._trainer.vocab["char"], self._char_lower
        if len(cache) > 500_000:
            cache.clear()
        out = []
        for w in words:
            ids = cache.get(w)
            if ids is None:
                ids = cache[w] = char_vocab.map([c.lower() if lower else c for c in w])
            out.append(ids)
        return out

    def _batch(self, sents: list[list[str]]) -> tuple:
        """The tuple Stanza's NER DataLoader yields for one batch, built directly (models without a
        character language model only: the sentence-level character sequences it also builds are
        used by a charlm alone)."""
        import numpy as np
        import torch

        self._loader()  # sets up the character-id cache and the "O" tag id
        o_id = self._o_id
        n = len(sents)
        # sentences longest first (what pack_padded_sequence needs); orig_idx[k] = input position of sorted k
        orig_idx = sorted(range(n), key=lambda i: -len(sents[i]))
        words = [sents[i] for i in orig_idx]
        sentlens = [len(s) for s in words]
        ids = self._char_ids([w for s in words for w in s])
        word_orig_idx = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        wordlens = [len(ids[i]) for i in word_orig_idx]
        wc = np.zeros((len(ids), max(wordlens) if wordlens else 1), dtype=np.int64)  # PAD_ID is 0
        for row, i in enumerate(word_orig_idx):
            wc[row, : len(ids[i])] = ids[i]
        wordchars = torch.from_numpy(wc)
        o = torch.as_tensor(o_id if isinstance(o_id, (list, tuple)) else [o_id], dtype=torch.long)
        tags = torch.zeros((n, max(sentlens), len(o)), dtype=torch.long)
        for k, ln in enumerate(sentlens):
            tags[k, :ln] = o
        return (words, wordchars, torch.eq(wordchars, 0), None, tags, orig_idx, word_orig_idx, None, sentlens, wordlens,
                None, None)

    def _predict(self, batch: Any) -> list[list[str]]:
        """Stanza's ``Trainer.predict``, with the CRF decoded for the whole batch at once on the model's
        device instead of sentence by sentence in numpy (same tags)."""
        from stanza.models.common import utils
        from stanza.models.common.vocab import VOCAB_PREFIX_SIZE
        from stanza.models.ner.trainer import fix_singleton_tags, unpack_batch

        trainer = self._trainer
        inputs, orig_idx, word_orig_idx, char_orig_idx, sentlens, wordlens, charlens, charoffsets = unpack_batch(batch, self.device)
        word, wordchars, wordchars_mask, chars, tags = inputs
        _, logits, trans = trainer.model(word, wordchars, wordchars_mask, tags, word_orig_idx, sentlens, wordlens,
                                         chars, charoffsets, charlens, char_orig_idx)
        if len(logits) != 1:  # several tag columns: stanza's own decoding
            return trainer.predict(batch)
        paths = viterbi_batch(logits[0], trans[0], sentlens)
        tagvocab = trainer.vocab["tag"]
        pt = trainer.args["predict_tagset"]
        seqs = []
        for path in paths:
            t = list(zip(*[[x if x >= VOCAB_PREFIX_SIZE else VOCAB_PREFIX_SIZE for x in path]]))
            t = [x[pt] if isinstance(x, list) else x for x in tagvocab.unmap(t)]
            seqs.append(fix_singleton_tags(t))
        return utils.unsort(seqs, orig_idx)


def viterbi_batch(scores: Any, trans: Any, lengths: Sequence[int]) -> list[list[int]]:
    """Best tag path of each sentence of a batch: ``scores`` (batch x time x tags), ``trans``
    (tags x tags, from -> to), ``lengths`` per sentence. The same recursion and tie-breaking as
    stanza's ``crf.viterbi_decode``, for all sentences at once."""
    import torch

    bsz, steps, k = scores.shape
    if steps == 0:
        return [[] for _ in range(bsz)]
    lens = torch.as_tensor(list(lengths), device=scores.device)
    keep = torch.arange(k, device=scores.device).expand(bsz, k)
    trellis = scores[:, 0]
    back = []
    for t in range(1, steps):
        best, arg = (trellis.unsqueeze(2) + trans).max(1)
        active = (lens > t).unsqueeze(1)
        trellis = torch.where(active, scores[:, t] + best, trellis)
        back.append(torch.where(active, arg, keep))
    last = trellis.argmax(1)
    path = [last]
    for arg in reversed(back):
        last = arg.gather(1, last.unsqueeze(1)).squeeze(1)
        path.append(last)
    path.reverse()
    rows = torch.stack(path, 1).cpu().tolist()
    return [r[:n] for r, n in zip(rows, lengths)]
