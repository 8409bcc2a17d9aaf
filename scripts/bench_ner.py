#!/usr/bin/env python
"""Benchmark quotex's NER tagging: tokens/s, sentences/s, model load time and peak RSS.

    python scripts/bench_ner.py [--data ../shared/data/ner | --indosum ../shared/data/news/indosum] [--batch-size 256]

With --data it tags the sentences of the test splits (tokens as given); with --indosum it tags the
raw articles, split into sentences and tokens by a simple regex. torch uses 2 threads.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
from pathlib import Path

_TOK = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]", re.UNICODE)
_SENT = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")


def rss_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 1024 if sys.platform != "darwin" else r / (1024 * 1024)


def load_sentences(args) -> list[list[str]]:
    sents: list[list[str]] = []
    if args.indosum:
        for p in sorted(Path(args.indosum).glob("*.txt")):
            for para in p.read_text(encoding="utf-8").split("\n"):
                for s in _SENT.split(para.strip()):
                    toks = _TOK.findall(s)
                    if toks:
                        sents.append(toks)
    else:
        for corpus in args.corpora.split(","):
            cur: list[str] = []
            for line in (Path(args.data) / corpus / "test.bio").read_text(encoding="utf-8").split("\n"):
                if line.strip():
                    cur.append(line.split("\t")[0])
                elif cur:
                    sents.append(cur)
                    cur = []
            if cur:
                sents.append(cur)
    return sents


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ner"))
    ap.add_argument("--corpora", default="indolem_nerui,indolem_nerugm,idner_news_2k")
    ap.add_argument("--indosum", type=Path, default=None)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2, help="passes over the sentences (first one warms up)")
    args = ap.parse_args()

    sents = load_sentences(args)
    n_tok = sum(len(s) for s in sents)
    rss0 = rss_mb()

    t0 = time.perf_counter()
    import torch

    torch.set_num_threads(args.threads)
    t_import = time.perf_counter() - t0
    from quotex.ner import NerModel

    t1 = time.perf_counter()
    model = NerModel.load()
    t_load = time.perf_counter() - t1

    times = []
    n_ent = 0
    for _ in range(max(1, args.repeat)):
        t2 = time.perf_counter()
        out = model.tag(sents, batch_size=args.batch_size)
        times.append(time.perf_counter() - t2)
        n_ent = sum(len(x) for x in out)
    best = min(times)
    src = args.indosum or f"{args.data} test splits ({args.corpora})"
    print(f"input:          {len(sents)} sentences, {n_tok} tokens from {src}")
    print(f"torch threads:  {torch.get_num_threads()}, batch size {args.batch_size}")
    print(f"import torch:   {t_import:.2f} s")
    print(f"model load:     {t_load:.2f} s (manifest sha256 check included)")
    print(f"tagging:        {', '.join(f'{t:.2f}' for t in times)} s per pass; best pass:")
    print(f"tokens/s:       {n_tok / best:,.0f}")
    print(f"sentences/s:    {len(sents) / best:,.0f}")
    print(f"entities:       {n_ent}")
    print(f"peak RSS:       {rss_mb():.0f} MB (before loading: {rss0:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
