#!/usr/bin/env python
"""Scale benchmark for quotex (not a test): cold throughput, NER overhead, warm queries, RSS.

    python scripts/bench_scale.py [CORPUS] [--model-dir DIR] [--factor 10] [--warm-n 10000]

CORPUS defaults to ../shared/data/news/indosum; articles its splits.tsv marks ``heldout`` are
left out (they are scored elsewhere and never analysed while developing). Measures, on CORPUS and on a FACTOR-times
larger set made from it (paragraphs shuffled, names substituted, written to a temp dir):
cold articles/s and tokens/s (fresh cache, one process), the same tokens through a bare
``NerModel.tag`` pass (the ratio is the overhead quotex adds), warm ``quotex quotes --speaker``
wall time (a subprocess of the real CLI), and peak RSS of the cold process. Then the warm
query on WARM_N cached articles (populated with --no-ner to keep the run short; the warm
path does not touch the model). Each cold run is a child process, so RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAMES = ["Budi Santoso", "Siti Rahma", "Agus Wibowo", "Dewi Lestari", "Joko Susilo", "Rina Marlina", "Hendra Gunawan", "Yusuf Hakim"]
_CAP2 = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")


def without_heldout(src: Path, dst: Path) -> Path:
    """A copy of src's articles without those that src's splits.tsv marks ``heldout`` (never analysed here)."""
    splits = src / "splits.tsv"
    if not splits.is_file():
        return src
    import csv

    with splits.open(encoding="utf-8") as fh:
        held = {row["file"] for row in csv.DictReader(fh, delimiter="\t") if row.get("split") == "heldout"}
    dst.mkdir(parents=True, exist_ok=True)
    for p in sorted(src.glob("*.txt")):
        if p.name not in held:
            shutil.copyfile(p, dst / p.name)
    return dst


def make_variants(src: Path, dst: Path, n_total: int, seed: int = 7) -> int:
    """Write n_total articles made from src's: paragraphs shuffled (title kept), some names substituted."""
    rng = random.Random(seed)
    files = sorted(p for p in src.rglob("*.txt"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    dst.mkdir(parents=True, exist_ok=True)
    for k in range(n_total):
        t = texts[k % len(texts)]
        if k >= len(texts):
            paras = t.split("\n\n")
            head, body = paras[:1], paras[1:]
            rng.shuffle(body)
            t = "\n\n".join(head + body)
            found = sorted(set(_CAP2.findall(t)))
            for name in rng.sample(found, min(2, len(found))):
                t = t.replace(name, rng.choice(NAMES))
        (dst / f"a{k:06d}.txt").write_text(t, encoding="utf-8")
    return n_total


def _child_cold(corpus: str, model_dir: str | None, jobs: int) -> dict:
    from quotex import analyze
    from quotex.ner import NerModel

    t0 = time.perf_counter()
    if model_dir:
        tagger = NerModel.load(Path(model_dir))
    else:
        from quotex.pipeline import default_tagger

        default_tagger()  # load the shipped model now (torch import included), so cold excludes it
        tagger = "default"
    t_load = time.perf_counter() - t0
    t1 = time.perf_counter()
    c = analyze([corpus], tagger=tagger, jobs=jobs)
    c.entities()
    c.quotes()
    t_cold = time.perf_counter() - t1
    toks = sum(r.n_tokens for r in c.results)
    speakers = {}
    for q in c.quotes():
        if q.speaker and q.speaker_type == "PERSON":
            speakers[q.speaker_id] = speakers.get(q.speaker_id, 0) + 1
    top = max(speakers, key=speakers.get) if speakers else None  # an id: names can be shared
    return {"docs": len(c.results), "tokens": toks, "load_s": t_load, "cold_s": t_cold, "speaker": top,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child_bare(corpus: str, model_dir: str | None) -> dict:
    from quotex.corpus import iter_inputs
    from quotex.models import Document
    from quotex.ner import NerModel
    from quotex.pipeline import prepare

    model = NerModel.load(Path(model_dir) if model_dir else None)
    docs = [d for d in iter_inputs([corpus]) if isinstance(d, Document)]
    sents = [[t.text for t in s.tokens] for d in docs for s in prepare(d).sentences]
    t = time.perf_counter()
    for i in range(0, len(sents), 2000):  # the same sentences, in batches like a run
        model.tag(sents[i : i + 2000])
    return {"bare_s": time.perf_counter() - t, "tokens": sum(map(len, sents)), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child_populate(corpus: str) -> dict:
    from quotex import analyze

    t = time.perf_counter()
    c = analyze([corpus], tagger=None)
    qs = c.quotes()
    speakers: dict[str, int] = {}
    for q in qs:
        if q.speaker and q.speaker_type == "PERSON":
            speakers[q.speaker_id] = speakers.get(q.speaker_id, 0) + 1
    return {"s": time.perf_counter() - t, "docs": c.report.read, "speaker": max(speakers, key=speakers.get) if speakers else None}


def _run_child(fn: str, *args: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "--_child", fn, *args], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"child {fn} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def warm_query(corpus: str, speaker: str, env: dict, no_ner: bool, repeat: int = 5) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "quotex", "quotes", corpus, "--speaker", speaker, "-q", "-f", "json"] + (["--no-ner"] if no_ner else [])
    subprocess.run(cmd, env=env, capture_output=True)  # make sure the corpus-level entry exists
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = subprocess.run(cmd, env=env, capture_output=True)
        times.append(time.perf_counter() - t)
        if r.returncode not in (0, 2):
            raise SystemExit(f"quotex failed: {r.stderr.decode()[-2000:]}")
    times.sort()
    return times[len(times) // 2], times[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default="../shared/data/news/indosum")
    ap.add_argument("--model-dir", default=None, help="NER model folder (default: the shipped one)")
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--warm-n", type=int, default=10000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--skip-big", action="store_true", help="skip the FACTOR-times cold run")
    ap.add_argument("--_child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a._child:
        fn, *args = a._child
        if fn == "cold":
            print(json.dumps(_child_cold(args[0], args[1] or None, int(args[2]))))
        elif fn == "bare":
            print(json.dumps(_child_bare(args[0], args[1] or None)))
        elif fn == "populate":
            print(json.dumps(_child_populate(args[0])))
        return
    from quotex.resources import model_dir

    default_model = (model_dir() / "manifest.json").is_file()
    md = a.model_dir or ""
    tmp = Path(tempfile.mkdtemp(prefix="quotex-bench-"))
    rows = []
    hdr = ["corpus", "docs", "cold art/s", "cold tok/s", "cold s", "bare NER s", "cold/bare", "model load s", "warm med s", "warm max s", "peak RSS MB"]
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr), flush=True)
    try:
        src = without_heldout(Path(a.corpus), tmp / "articles")
        corpora = [("IndoSum", str(src))]
        if not a.skip_big:
            n = len(list(src.rglob("*.txt"))) * a.factor
            make_variants(src, tmp / "big", n)
            corpora.append((f"IndoSum x{a.factor}", str(tmp / "big")))
        for label, path in corpora:
            env = dict(os.environ, QUOTEX_CACHE_DIR=str(tmp / f"cache-{len(rows)}"))
            cold = _run_child("cold", path, md, str(a.jobs), env=env)
            bare = _run_child("bare", path, md, env=env)
            # the CLI uses the shipped model's cache key; without it installed, warm queries use --no-ner
            speaker = cold["speaker"]
            if not (default_model and not a.model_dir):
                speaker = _run_child("populate", path, env=env)["speaker"]
            med, worst = warm_query(path, speaker, env, no_ner=not (default_model and not a.model_dir))
            rows.append((label, cold["docs"], cold["docs"] / cold["cold_s"], cold["tokens"] / cold["cold_s"], cold["cold_s"], bare["bare_s"],
                         cold["cold_s"] / bare["bare_s"], cold["load_s"], med, worst, cold["rss_mb"]))
            r = rows[-1]
            print(f"| {r[0]} | {r[1]} | {r[2]:.1f} | {r[3]:.0f} | {r[4]:.1f} | {r[5]:.1f} | {r[6]:.2f} | {r[7]:.1f} | {r[8]:.3f} | {r[9]:.3f} | {r[10]:.0f} |", flush=True)
        wdir = tmp / "warm"
        make_variants(src, wdir, a.warm_n)
        env = dict(os.environ, QUOTEX_CACHE_DIR=str(tmp / "cache-warm"))
        pop = _run_child("populate", str(wdir), env=env)
        med, worst = warm_query(str(wdir), pop["speaker"], env, no_ner=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nwarm `quotes --speaker` on {pop['docs']} cached articles (populated with --no-ner in {pop['s']:.0f} s): median {med:.3f} s, max {worst:.3f} s")


if __name__ == "__main__":
    main()
