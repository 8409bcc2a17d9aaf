#!/usr/bin/env python
"""What reported speech (``quotex quotes --indirect``) adds to cold analysis time (not a test).

    python scripts/bench_indirect.py [CORPUS] [--limit N] [--repeat 3]

CORPUS defaults to ../shared/data/news/indosum; only the articles that ``splits.tsv`` marks
``dev`` or ``free`` are read (never ``heldout``). Cold time = normalise/segment + NER (the
shipped model, loaded before the timer) + the per-document analysis. The NER pass runs once;
the per-document analysis runs ``--repeat`` times with and without the reported-speech finder
(alternating, fastest kept), so the ratio is not swamped by a busy machine; its CPU time is shown
too (a contended machine inflates wall time, hardly CPU time).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[1] / ".." / "shared/data/news/indosum"))
    ap.add_argument("--limit", type=int, default=0, help="at most N articles (0: all dev and free ones)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    root = Path(args.corpus)
    splits = root / "splits.tsv"
    with splits.open(encoding="utf-8") as f:
        names = [r["file"] for r in csv.DictReader(f, delimiter="\t") if r["split"] in ("dev", "free")]
    if args.limit:
        names = names[: args.limit]

    from quotex import pipeline
    from quotex.aliases import load_aliases
    from quotex.corpus import read_document

    docs = [read_document(root / n, doc_id=n) for n in names]
    table = load_aliases()
    tagger = pipeline.default_tagger()
    tagger.tag([["Jakarta"]])  # warm the model up outside the timer

    t0 = time.perf_counter()
    prepared = [pipeline.prepare(d) for d in docs]
    spans = pipeline.tag(prepared, tagger)
    t_ner = time.perf_counter() - t0

    fq = pipeline._quote_finder()
    from quotex.reported import find_indirect

    best = {False: float("inf"), True: float("inf")}
    cpu = {False: float("inf"), True: float("inf")}
    counts = {}
    for _ in range(args.repeat):
        for with_ind in (False, True):
            t, c = time.perf_counter(), time.process_time()
            rs = [pipeline.build_result(p, s, table, find_quotes=fq, find_indirect=find_indirect if with_ind else None)
                  for p, s in zip(prepared, spans)]
            best[with_ind] = min(best[with_ind], time.perf_counter() - t)
            cpu[with_ind] = min(cpu[with_ind], time.process_time() - c)
            counts[with_ind] = sum(len(r.quotes) for r in rs)
    cold_without = t_ner + best[False]
    cold_with = t_ner + best[True]
    n_ind = counts[True] - counts[False]
    added_cpu = max(0.0, cpu[True] - cpu[False])
    print(f"articles: {len(docs)} (dev + free), reported statements found: {n_ind}")
    print(f"prepare + NER (wall): {t_ner:.2f} s; per-document analysis without / with reported speech: "
          f"wall {best[False]:.2f} s / {best[True]:.2f} s, CPU {cpu[False]:.2f} s / {cpu[True]:.2f} s")
    print(f"cold (wall) without --indirect: {cold_without:.2f} s; with: {cold_with:.2f} s; added: "
          f"{cold_with - cold_without:.2f} s = {100 * (cold_with - cold_without) / cold_without:.1f}% of cold time")
    print(f"reported speech costs {1000 * added_cpu / len(docs):.2f} ms CPU per article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
