"""Checkpoint averaging for a finished ``quotex.training.ner`` run (``--save-checkpoints``).

    python -m quotex.training.average --work /tmp/ner_work/run --last 3,5,8 [--out DIR]

Averages the weights of the last N checkpoints saved at dev evaluations (for each N given), scores
each average and the best single checkpoint on the run's de-duplicated dev sentences
(``WORK/dev.json``, entity-level micro F1, the figure Stanza selects checkpoints by), and prints the
table. With ``--out``, writes the best of them (by dev F1 only) into ``WORK/model`` as the model the
packaging step ships. Test splits are never read.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

MODEL_FILE = "id_quotex_nertagger.pt"
PRETRAIN_FILE = "id_quotex_pretrain.pt"


def average_state(paths: list[Path]) -> dict:
    """The element-wise mean of the checkpoints' floating-point tensors (others from the first)."""
    import torch

    total: dict = {}
    for p in paths:
        sd = torch.load(str(p), map_location="cpu", weights_only=True)
        for k, v in sd.items():
            if k not in total:
                total[k] = v.double() if v.is_floating_point() else v.clone()
            elif v.is_floating_point():
                total[k] += v.double()
    return {k: (v / len(paths)).float() if v.is_floating_point() else v for k, v in total.items()}


def write_with_weights(template: Path, weights: dict, dst: Path) -> None:
    """The best checkpoint's file (vocab, config) with other weights."""
    import torch

    ckpt = torch.load(str(template), map_location="cpu", weights_only=True)
    missing = set(ckpt["model"]) ^ set(weights)
    if missing:
        raise SystemExit(f"checkpoint keys differ from the model's: {sorted(missing)[:5]}")
    ckpt["model"] = {k: weights[k].to(ckpt["model"][k].dtype) for k in ckpt["model"]}
    torch.save(ckpt, str(dst), _use_new_zipfile_serialization=False)


def dev_f1(model_file: Path, pretrain: Path, dev_json: Path) -> float:
    """Entity-level micro F1 on the run's dev sentences, through quotex.ner.NerModel."""
    from quotex.ner import NerModel
    from quotex.training.data import spans
    from quotex.training.scoring import score_spans
    from quotex.training.manifest import write_manifest

    dev = json.loads(dev_json.read_text(encoding="utf-8"))
    sents = [[w["text"] for w in s] for s in dev]
    gold = [spans([w["ner"] for w in s]) for s in dev]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        shutil.copy(model_file, d / MODEL_FILE)
        shutil.copy(pretrain, d / PRETRAIN_FILE)
        write_manifest(d, {"stanza_model": MODEL_FILE, "pretrain": PRETRAIN_FILE, "model_version": "candidate"})
        model = NerModel.load(d, device="cpu")
        return score_spans(gold, model.tag(sents))["micro"]["f1"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotex.training.average", description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, required=True, help="the training run's --work folder")
    ap.add_argument("--last", default="3,5", help="comma-separated N: average the last N checkpoints")
    ap.add_argument("--around-best", action="store_true",
                    help="also average the best checkpoint with its neighbours (one before, one after)")
    ap.add_argument("--out", action="store_true", help="replace WORK/model's model with the best candidate by dev F1")
    ap.add_argument("--package", type=Path, default=None,
                    help="with --out: the folder the training run wrote (--out of quotex.training.ner); its model file "
                         "is replaced by the chosen one (fp16) and its manifest updated")
    args = ap.parse_args(argv)

    work = args.work
    ckpts = sorted((work / "checkpoints").glob("step_*.pt"))
    best_file = work / "model" / MODEL_FILE
    pretrain = work / PRETRAIN_FILE
    if not ckpts or not best_file.is_file():
        print(f"no checkpoints or no best model under {work}", file=sys.stderr)
        return 1
    results = [("best single checkpoint", dev_f1(best_file, pretrain, work / "dev.json"), best_file)]
    print(f"{results[0][0]:40} dev F1 {results[0][1]:.4f}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="quotex-avg-"))
    groups = []
    for n in sorted({int(x) for x in args.last.split(",") if x.strip()}):
        if 2 <= n <= len(ckpts):
            groups.append((f"average of last {n} ({ckpts[-n].stem}..{ckpts[-1].stem})", ckpts[-n:]))
    for name, paths in groups:
        cand = tmp / (name.split(" (")[0].replace(" ", "_") + ".pt")
        write_with_weights(best_file, average_state(paths), cand)
        f1 = dev_f1(cand, pretrain, work / "dev.json")
        results.append((name, f1, cand))
        print(f"{name:40} dev F1 {f1:.4f}", flush=True)
    name, f1, path = max(results, key=lambda r: r[1])
    print(f"best on dev: {name} ({f1:.4f})")
    if args.out and path != best_file:
        shutil.copy(best_file, work / "model" / ("single_" + MODEL_FILE))
        shutil.copy(path, best_file)
        (work / "model" / "averaging.json").write_text(json.dumps(
            {"chosen": name, "dev_f1": f1, "candidates": {n: f for n, f, _ in results}}, indent=2), encoding="utf-8")
        print(f"wrote {best_file} (the single best checkpoint kept as single_{MODEL_FILE})")
        if args.package is not None:
            package(args.package, best_file, {"chosen": name, "dev_f1": f1,
                                              "candidates": {n: f for n, f, _ in results}}, argv)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def package(out: Path, model_file: Path, info: dict, argv: list[str] | None) -> None:
    """Put ``model_file`` (fp16) into the packaged model folder ``out`` and update its manifest."""
    import shlex

    from quotex.training.manifest import write_manifest
    from quotex.training.ner import to_fp16_model

    to_fp16_model(model_file, out / MODEL_FILE)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    cmd = "python -m quotex.training.average " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    manifest["checkpoint_averaging"] = dict(info, command=cmd)
    manifest.pop("dev_scores", None)
    write_manifest(out, manifest)
    print(f"packaged into {out}; run python -m quotex.training.evaluate --model-dir {out} for its scores")


if __name__ == "__main__":
    sys.exit(main())
