"""Train quotex's Indonesian Stanza NER model (PERSON / ORG / LOC), fully offline.

    python -m quotex.training.ner --data ../shared/data/ner --out src/quotex/ner_model [--seed 1234]

Steps: read the BIO corpora and map their labels to PERSON/ORG/LOC; drop every train/dev sentence
that matches a sentence of any test split (exact after normalising, rapidfuzz ratio >= 90, or
containment); write Stanza's NER json; train word2vec vectors on the nlp-id news corpus plus the
training tokens and turn them into a Stanza pretrain; train ``stanza.models.ner_tagger`` in-process
(seeded, 2 torch threads); write the shipped files (fp16) with ``resources.json`` and ``manifest.json``.
Test splits are never used here.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import shlex
import sys
import time
from pathlib import Path

from quotex.training.manifest import file_entries, sha256_file, write_manifest  # noqa: F401  (re-exported)
from quotex.training.data import (
    LABEL_MAPS,
    TRAIN_CORPORA,
    TYPES,
    ALL_CORPORA,
    dedup_against,
    load_split,
    to_stanza_json,
)

logger = logging.getLogger("quotex.training")

MODEL_VERSION = "id-ner-2026.11.26"
MODEL_FILE = "id_quotex_nertagger.pt"
PRETRAIN_FILE = "id_quotex_pretrain.pt"

# Hyperparameters chosen on the dev sets (see docs/ner.md).
DEFAULT_HPARAMS = {
    "hidden_dim": 256,
    "char_hidden_dim": 100,
    "dropout": 0.5,
    "word_dropout": 0.05,
    "locked_dropout": 0.0,
    "optim": "adam",
    "lr": 0.002,
    "batch_size": 32,
    "max_steps": 6000,
    "eval_interval": 300,
    "max_steps_no_improve": 2400,
    # Stanza's ReduceLROnPlateau on dev F1 (counted in evaluations) and its stop at min_lr.
    "lr_decay": 0.5,
    "patience": 3,
    "min_lr": 0.0001,
}

_TOKEN_RE = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]", re.UNICODE)


def simple_tokenize(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def read_indosum(folder: Path) -> list[list[str]]:
    sents: list[list[str]] = []
    for p in sorted(Path(folder).glob("*.txt")):
        for para in p.read_text(encoding="utf-8").split("\n"):
            toks = simple_tokenize(para)
            if toks:
                sents.append(toks)
    return sents


def prepare_data(data_dir: Path, work: Path, corpora: tuple[str, ...]) -> dict:
    """Write train.json / dev.json (deduplicated) under ``work``; return the dedup counts."""
    tests = []
    for c in ALL_CORPORA:
        p = data_dir / c / "test.bio"
        if p.exists():
            tests += load_split(data_dir, c, "test")
    report: dict = {"against_test_sentences": len(tests), "corpora": {}}
    train, dev = [], []
    print(f"De-duplicating against {len(tests)} test sentences of {', '.join(ALL_CORPORA)}")
    print(f"{'corpus':18} {'split':5} {'before':>7} {'exact':>6} {'fuzzy':>6} {'contain':>7} {'kept':>6}")
    for c in corpora:
        report["corpora"][c] = {}
        for split, bucket in (("train", train), ("dev", dev)):
            sents = load_split(data_dir, c, split)
            kept, r = dedup_against(sents, tests)
            bucket += kept
            report["corpora"][c][split] = {
                "before": len(sents),
                "dropped_exact": r.exact,
                "dropped_fuzzy": r.fuzzy,
                "dropped_contained": r.contained,
                "dropped": r.dropped,
                "kept": r.kept,
            }
            print(f"{c:18} {split:5} {len(sents):7} {r.exact:6} {r.fuzzy:6} {r.contained:7} {r.kept:6}")
    work.mkdir(parents=True, exist_ok=True)
    (work / "train.json").write_text(json.dumps(to_stanza_json(train), ensure_ascii=False), encoding="utf-8")
    (work / "dev.json").write_text(json.dumps(to_stanza_json(dev), ensure_ascii=False), encoding="utf-8")
    report["train_sentences"] = len(train)
    report["dev_sentences"] = len(dev)
    report["train_tokens"] = sum(len(t) for t, _ in train)
    report["_train_tokens"] = [t for t, _ in train]
    return report


def build_pretrain(args, work: Path, train_token_lists: list[list[str]]) -> tuple[Path, dict]:
    from quotex.training.vectors import locate_nlpid_corpus, read_tagged_corpus, train_vectors, write_pretrain

    corpus = locate_nlpid_corpus(args.vectors_corpus, work)
    sents = read_tagged_corpus(corpus)
    info_src = {"nlp_id": {"file": f"nlp-id==0.1.23.0:{'nlp_id/data/dataset_postag.txt'}", "sentences": len(sents)}}
    extra = []
    if args.indosum:
        extra = read_indosum(args.indosum)
        info_src["indosum"] = {"sentences": len(extra)}
    info_src["ner_train_tokens"] = {"sentences": len(train_token_lists)}
    vec_txt = work / "vectors.txt"
    info = train_vectors(
        sents + extra + train_token_lists,
        vec_txt,
        dim=args.vec_dim,
        epochs=args.vec_epochs,
        min_count=args.vec_min_count,
        max_vocab=args.vec_max_vocab,
        seed=args.seed,
    )
    info["sources"] = info_src
    pt = work / PRETRAIN_FILE
    write_pretrain(vec_txt, pt, fp16=False)
    return pt, info


def run_stanza_training(args, work: Path, pretrain: Path | None, hp: dict) -> Path:
    import torch
    from stanza.models import ner_tagger

    torch.set_num_threads(args.threads)
    save_dir = work / "model"
    save_dir.mkdir(parents=True, exist_ok=True)
    stanza_args = [
        "--train_file", str(work / "train.json"),
        "--eval_file", str(work / "dev.json"),
        "--shorthand", "id_quotex",
        "--mode", "train",
        "--save_dir", str(save_dir),
        "--save_name", MODEL_FILE,
        "--seed", str(args.seed),
        "--cpu",
        "--scheme", "bioes",
        "--hidden_dim", str(hp["hidden_dim"]),
        "--char_hidden_dim", str(hp["char_hidden_dim"]),
        "--dropout", str(hp["dropout"]),
        "--word_dropout", str(hp["word_dropout"]),
        "--locked_dropout", str(hp["locked_dropout"]),
        "--optim", hp["optim"],
        "--lr", str(hp["lr"]),
        "--batch_size", str(hp["batch_size"]),
        "--max_steps", str(hp["max_steps"]),
        "--eval_interval", str(hp["eval_interval"]),
        "--max_steps_no_improve", str(hp["max_steps_no_improve"]),
        "--log_step", "100",
        "--lr_decay", str(hp["lr_decay"]),
        "--patience", str(hp["patience"]),
        "--min_lr", str(hp["min_lr"]),
    ]
    if args.init_from is not None:
        # continue training a saved model (same data, same vectors) instead of starting from random weights
        init = work / "init_nertagger.pt"
        _upcast_for_init(args.init_from / MODEL_FILE, init, hp)
        stanza_args += ["--finetune", "--finetune_load_name", str(init)]
    if pretrain is not None:
        stanza_args += ["--wordvec_pretrain_file", str(pretrain)]
    else:
        stanza_args += ["--no_pretrain", "--word_emb_dim", "100"]
    if not hp.get("char", True):
        stanza_args.append("--no_char")
    logger.info("stanza ner_tagger %s", " ".join(stanza_args))
    random.seed(args.seed)

    # Optional wall-clock budget: stop stanza's training loop after the step that crosses it and
    # keep the best checkpoint (by dev F1) that stanza has saved so far.
    from stanza.models.ner.trainer import Trainer

    original_update = Trainer.update
    deadline = time.time() + args.time_budget_min * 60 if args.time_budget_min else None
    state = {"steps": 0, "stopped_by_budget": False}

    ckpt_dir = work / "checkpoints"
    if args.save_checkpoints:
        ckpt_dir.mkdir(parents=True, exist_ok=True)

    def update(self, batch, eval=False):
        loss = original_update(self, batch, eval=eval)
        if not eval:
            state["steps"] += 1
            if args.save_checkpoints and state["steps"] % hp["eval_interval"] == 0:
                # the weights stanza is about to evaluate on dev at this step, for checkpoint averaging
                _save_weights(self, ckpt_dir / f"step_{state['steps']:06d}.pt")
            if deadline is not None and time.time() > deadline:
                raise _TimeBudgetReached()
        return loss

    Trainer.update = update
    try:
        ner_tagger.main(stanza_args)
    except _TimeBudgetReached:
        state["stopped_by_budget"] = True
        logger.warning("time budget of %s min reached after %d steps; keeping the best saved model",
                       args.time_budget_min, state["steps"])
    finally:
        Trainer.update = original_update
    hp["steps_run"] = state["steps"]
    hp["stopped_by_time_budget"] = state["stopped_by_budget"]
    if not (save_dir / MODEL_FILE).exists():
        raise SystemExit("training produced no model (no dev evaluation happened before the time budget)")
    return save_dir / MODEL_FILE


class _TimeBudgetReached(Exception):
    pass


def _upcast_for_init(src: Path, dst: Path, hp: dict) -> None:
    """A shipped (fp16) model as a float32 starting point, with this run's optimiser settings."""
    import torch

    ckpt = torch.load(str(src), map_location="cpu", weights_only=True)
    for k, v in list(ckpt["model"].items()):
        if isinstance(v, torch.Tensor) and v.is_floating_point():
            ckpt["model"][k] = v.float()
    cfg = ckpt["config"]
    for k in ("optim", "lr", "dropout", "word_dropout", "locked_dropout", "batch_size"):
        cfg[k] = hp[k]
    torch.save(ckpt, str(dst), _use_new_zipfile_serialization=False)


def _save_weights(trainer, path: Path) -> None:
    """Only the trained weights (no pretrained embedding, no optimizer): what Trainer.save keeps under 'model'."""
    import torch

    state = {k: v.detach().clone() for k, v in trainer.model.state_dict().items()
             if k.split(".")[0] not in trainer.model.unsaved_modules}
    torch.save(state, str(path))


def to_fp16_model(src: Path, dst: Path) -> None:
    import torch

    ckpt = torch.load(str(src), map_location="cpu", weights_only=True)
    model = ckpt["model"]
    for k, v in list(model.items()):
        if isinstance(v, torch.Tensor) and v.is_floating_point():
            model[k] = v.to(torch.float16)
    cfg = ckpt["config"]
    # paths of the training machine are meaningless to users
    for k in list(cfg):
        if k.endswith("_file") or k.endswith("_dir"):
            cfg[k] = None if k != "save_dir" else "."
    cfg["save_name"] = MODEL_FILE
    dst.parent.mkdir(parents=True, exist_ok=True)
    torch.save(ckpt, str(dst), _use_new_zipfile_serialization=False)


def to_fp16_pretrain(src: Path, dst: Path) -> None:
    import torch

    data = torch.load(str(src), map_location="cpu", weights_only=True)
    data["emb"] = data["emb"].to(torch.float16).contiguous()
    torch.save(data, str(dst), _use_new_zipfile_serialization=False)


def write_resources(out: Path) -> None:
    """A minimal resources.json so that stanza.Pipeline(lang='id', ...) needs nothing from the net."""
    resources = {
        "id": {
            "lang_name": "Indonesian",
            "packages": {"default": {"tokenize": "quotex", "ner": "quotex"}},
            "default_processors": {"tokenize": "quotex", "ner": "quotex"},
            "default_dependencies": {},
            "tokenize": {"quotex": {}},
            "ner": {"quotex": {}},
        },
    }
    (out / "resources.json").write_text(json.dumps(resources, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotex.training.ner", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder with <corpus>/{train,dev,test}.bio")
    ap.add_argument("--out", type=Path, default=Path("src/quotex/ner_model"), help="where the shipped files go")
    ap.add_argument("--work", type=Path, default=Path("/tmp/ner_work/run"), help="scratch folder")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=2, help="torch threads (use 1 on a busy machine)")
    ap.add_argument("--corpora", default=",".join(TRAIN_CORPORA), help="comma-separated training corpora")
    ap.add_argument(
        "--vectors-corpus",
        type=Path,
        default=None,
        help="nlp-id wheel, folder holding it, or its dataset_postag.txt; default: pip download --no-deps nlp-id==0.1.23.0",
    )
    ap.add_argument("--indosum", type=Path, default=None, help="also train vectors on these raw articles (*.txt)")
    ap.add_argument("--no-pretrain", action="store_true", help="train without word vectors")
    ap.add_argument("--vec-dim", type=int, default=100)
    ap.add_argument("--vec-epochs", type=int, default=20)
    ap.add_argument("--vec-min-count", type=int, default=2)
    ap.add_argument("--vec-max-vocab", type=int, default=60000)
    for k, v in DEFAULT_HPARAMS.items():
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    ap.add_argument("--no-char", action="store_true")
    ap.add_argument("--reuse-vectors", action="store_true",
                    help="reuse the word vectors that an earlier run left in --work (they are deterministic: same seed, "
                         "same text), instead of training them again")
    ap.add_argument("--init-from", type=Path, default=None,
                    help="start from the model in this folder (e.g. the shipped one) instead of random weights; "
                         "it must have been trained on the same data and vectors")
    ap.add_argument("--save-checkpoints", action="store_true",
                    help="also keep the weights of every dev evaluation under WORK/checkpoints (for averaging)")
    ap.add_argument("--time-budget-min", type=float, default=0,
                    help="stop stanza's training loop after this many minutes (0: no limit) and keep the best dev checkpoint")
    ap.add_argument("--stage", choices=["all", "prep", "train", "package"], default="all",
                    help="prep: data + vectors only; train: also train, but do not write --out; package: write --out "
                         "from the model an earlier run left in WORK/model (with --reuse-vectors)")
    args = ap.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    t0 = time.time()
    random.seed(args.seed)
    os.environ.setdefault("PYTHONHASHSEED", str(args.seed))
    corpora = tuple(c.strip() for c in args.corpora.split(",") if c.strip())
    for c in corpora:
        if c not in LABEL_MAPS:
            ap.error(f"unknown corpus {c}")
    work = args.work
    work.mkdir(parents=True, exist_ok=True)

    report = prepare_data(args.data, work, corpora)
    train_tokens = report.pop("_train_tokens")
    pretrain = None
    vec_info: dict = {"used": False}
    if not args.no_pretrain and args.reuse_vectors and (work / PRETRAIN_FILE).is_file() and (work / "vectors_info.json").is_file():
        pretrain = work / PRETRAIN_FILE
        vec_info = json.loads((work / "vectors_info.json").read_text(encoding="utf-8"))
        print(f"vectors: reusing {pretrain} (built by an earlier run with the same settings)")
    elif not args.no_pretrain:
        pretrain, vec_info = build_pretrain(args, work, train_tokens)
        (work / "vectors_info.json").write_text(json.dumps(vec_info), encoding="utf-8")
        vec_info["used"] = True
        print(f"vectors: {vec_info['vocab']} words x {vec_info['dim']} from {vec_info['corpus_tokens']} tokens")
    print(f"data + vectors: {time.time() - t0:.0f}s")
    if args.stage == "prep":
        return 0

    hp = {k: getattr(args, k) for k in DEFAULT_HPARAMS}
    hp["char"] = not args.no_char
    t1 = time.time()
    if args.stage == "package":
        model_pt = work / "model" / MODEL_FILE
        if not model_pt.is_file():
            ap.error(f"--stage package: no trained model at {model_pt}")
        hp["steps_run"] = None
        hp["stopped_by_time_budget"] = None
    else:
        model_pt = run_stanza_training(args, work, pretrain, hp)
    train_s = time.time() - t1
    print(f"training: {train_s:.0f}s")
    if args.stage == "train":
        return 0

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    for p in out.glob("*.pt"):
        p.unlink()
    to_fp16_model(model_pt, out / MODEL_FILE)
    if pretrain is not None:
        to_fp16_pretrain(pretrain, out / PRETRAIN_FILE)
    write_resources(out)

    cmd = "python -m quotex.training.ner " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    manifest = {
        "name": "quotex Indonesian NER",
        "model_version": MODEL_VERSION,
        "stanza_model": MODEL_FILE,
        "pretrain": PRETRAIN_FILE if pretrain is not None else None,
        "labels": list(TYPES),
        "training_command": cmd,
        "seed": args.seed,
        "trained": time.strftime("%Y-%m-%d"),
        "training_seconds": round(time.time() - t0),
        "machine": "2-core CPU, torch threads=%d" % args.threads,
        "data": {
            "train_corpora": list(corpora),
            "label_maps": {c: LABEL_MAPS[c] for c in corpora},
            "dedup": report,
            "test_splits_used_for_training": False,
        },
        "vectors": vec_info,
        "hyperparameters": hp,
        "checkpoint_averaging": json.loads((work / "model" / "averaging.json").read_text(encoding="utf-8"))
        if (work / "model" / "averaging.json").is_file() else None,
        "initialised_from": None if args.init_from is None else {
            "model_version": json.loads((args.init_from / "manifest.json").read_text(encoding="utf-8")).get("model_version")
            if (args.init_from / "manifest.json").is_file() else None,
            "sha256": sha256_file(args.init_from / MODEL_FILE),
        },
        "stanza_version": __import__("stanza").__version__,
        "torch_version": __import__("torch").__version__,
        "stored_as": "float16 (Stanza upcasts to float32 on load)",
    }
    write_manifest(out, manifest)

    # dev scores with the shipped (fp16) files, through quotex.ner.NerModel
    from quotex.training.evaluate import score_corpora, format_table

    dev = score_corpora(args.data, "dev", corpora, model_dir=out)
    print(format_table(dev, "dev"))
    manifest["dev_scores"] = dev
    write_manifest(out, manifest)
    print(f"total: {time.time() - t0:.0f}s; wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
