"""Entity-level evaluation of the shipped NER model (exact span + type, like seqeval).

    python -m quotex.training.evaluate --data ../shared/data/ner [--model-dir DIR] [--write-manifest]

Scores the test splits of NER-UI, NER-UGM and idner-news-2k (labels mapped to PERSON/ORG/LOC as in
training) and the dev splits of the training corpora, through :class:`quotex.ner.NerModel`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from quotex.training.data import EVAL_CORPORA, TRAIN_CORPORA, TYPES, load_split, spans
from quotex.training.scoring import prf, score_spans  # noqa: F401  (re-exported)


def score_corpora(data_dir: Path, split: str, corpora, model_dir: Path | None = None, model=None) -> dict:
    from quotex.ner import NerModel

    if model is None:
        model = NerModel.load(model_dir)
    results = {}
    for c in corpora:
        sents = load_split(Path(data_dir), c, split)
        gold = [spans(tags) for _, tags in sents]
        pred = model.tag([toks for toks, _ in sents])
        results[c] = score_spans(gold, pred)
    return results


def format_table(results: dict, split: str) -> str:
    lines = [f"{'corpus':18} {'split':5} {'type':7} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}"]
    for c, res in results.items():
        for t in (*TYPES, "micro"):
            if t in res:
                m = res[t]
                lines.append(f"{c:18} {split:5} {t:7} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f} {m['support']:5}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotex.training.evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--model-dir", type=Path, default=None, help="default: the shipped model")
    ap.add_argument("--write-manifest", action="store_true", help="store the test scores in manifest.json")
    ap.add_argument("--fp32-check", action="store_true",
                    help="also compare fp16 tags with a float32 copy of the model on the dev sets")
    ap.add_argument("--through-pipeline", action="store_true",
                    help="also score what `quotex mentions` reports (alias layer, post-rules) on each sentence "
                         "as a document, beside the model alone")
    ap.add_argument("--split", choices=["test", "dev", "both"], default="both",
                    help="which splits to score (default both)")
    ap.add_argument("--corpora", default=None, help="comma-separated corpora (default: test: "
                    + ",".join(EVAL_CORPORA) + "; dev: the model's training corpora)")
    args = ap.parse_args(argv)

    from quotex.ner import NerModel, read_manifest
    from quotex.resources import model_dir as default_dir

    mdir = args.model_dir or default_dir()
    t0 = time.time()
    model = NerModel.load(mdir)
    manifest = read_manifest(mdir)
    dedup = manifest.get("data", {}).get("dedup", {}).get("corpora", {})
    if dedup:
        print("Training/dev sentences dropped as duplicates of test sentences (exact/fuzzy/contained):")
        for c, splits in dedup.items():
            print("  " + c + ": " + ", ".join(f"{s} {v['dropped']} of {v['before']}" for s, v in splits.items()))
    print(f"model {manifest.get('model_version')} from {mdir}")
    chosen = [c.strip() for c in args.corpora.split(",") if c.strip()] if args.corpora else None
    test_corpora = chosen or list(EVAL_CORPORA)
    dev_corpora = chosen or manifest.get("data", {}).get("train_corpora", list(TRAIN_CORPORA))
    test = dev = None
    if args.split in ("test", "both"):
        test = score_corpora(args.data, "test", test_corpora, model=model)
        print(format_table(test, "test"))
    if args.split in ("dev", "both"):
        dev = score_corpora(args.data, "dev", dev_corpora, model=model)
        print(format_table(dev, "dev"))
    print(f"({time.time() - t0:.1f}s)")
    if args.through_pipeline:
        from quotex.training.pipeline_eval import format_pipeline_table, score_through_pipeline

        for split, corpora in (("test", test_corpora), ("dev", dev_corpora)):
            if args.split in (split, "both"):
                res = score_through_pipeline(args.data, split, corpora, model)
                print(f"\nThrough the pipeline ({split}; one document per sentence, COUNTRY counted as LOC):")
                print(format_pipeline_table(res, split))
    if args.fp32_check:
        _fp32_check(args.data, dev_corpora, mdir, model)
    if args.write_manifest:
        if test is None or dev is None:
            ap.error("--write-manifest needs --split both")
        from quotex.training.manifest import write_manifest

        manifest["test_scores"] = test
        manifest["dev_scores"] = dev
        write_manifest(Path(mdir), manifest)
        print(f"wrote test scores to {Path(mdir) / 'manifest.json'}")
    return 0


def _fp32_check(data_dir: Path, corpora, mdir: Path, model) -> None:
    """Tag the dev sets with a float32 copy of the model and count differing spans."""
    import shutil
    import tempfile

    import torch

    from quotex.ner import NerModel
    from quotex.training.manifest import write_manifest

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for p in Path(mdir).iterdir():
            shutil.copy(p, tmp / p.name)
        manifest = json.loads((tmp / "manifest.json").read_text())
        for name in (manifest["stanza_model"], manifest.get("pretrain")):
            if not name:
                continue
            ck = torch.load(str(tmp / name), map_location="cpu", weights_only=True)
            tensors = ck["model"] if "model" in ck else ck
            for k, v in list(tensors.items()):
                if isinstance(v, torch.Tensor) and v.is_floating_point():
                    tensors[k] = v.float()
            torch.save(ck, str(tmp / name), _use_new_zipfile_serialization=False)
        write_manifest(tmp, manifest)
        m32 = NerModel.load(tmp)
        n = diff = 0
        for c in corpora:
            sents = [t for t, _ in load_split(Path(data_dir), c, "dev")]
            a, b = model.tag(sents), m32.tag(sents)
            n += len(sents)
            diff += sum(x != y for x, y in zip(a, b))
        print(f"fp16 vs fp32 on dev: {diff} of {n} sentences tagged differently")


if __name__ == "__main__":
    sys.exit(main())
