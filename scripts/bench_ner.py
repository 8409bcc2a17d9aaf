#!/usr/bin/env python
"""Benchmark quotex's NER tagging: tokens/s, sentences/s, model load time and peak RSS.

    python scripts/bench_ner.py [--data ../shared/data/ner | --indosum ../shared/data/news/indosum] [--batch-size 256]
                                [--device all|cpu|cuda] [--threads N] [--model-dir DIR]

With --data it tags the sentences of the test splits (tokens as given); with --indosum it tags the
raw articles, split into sentences and tokens by a simple regex. One line of figures per device:
``--device all`` (default) measures the CPU and, where torch sees one, the GPU. torch threads on the
CPU: --threads, else what quotex itself would use (quotex.ner.torch_threads: cores, at most 4, or
OMP_NUM_THREADS). Model load and peak RSS are those of the first device measured.
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
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--device", default="all", help="all (cpu, and cuda if torch sees it), cpu, cuda or cuda:N")
    ap.add_argument("--model-dir", type=Path, default=None, help="default: the shipped model")
    ap.add_argument("--repeat", type=int, default=2, help="passes over the sentences (first one warms up)")
    args = ap.parse_args()

    sents = load_sentences(args)
    n_tok = sum(len(s) for s in sents)
    rss0 = rss_mb()

    t0 = time.perf_counter()
    import torch

    t_import = time.perf_counter() - t0
    from quotex.ner import NerModel, set_torch_threads, torch_threads

    set_torch_threads(args.threads or torch_threads(1))
    if args.device == "all":
        devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    else:
        devices = [args.device]
    src = args.indosum or f"{args.data} test splits ({args.corpora})"
    print(f"input:          {len(sents)} sentences, {n_tok} tokens from {src}")
    print(f"import torch:   {t_import:.2f} s")
    tags_by_device = {}
    for k, device in enumerate(devices):
        t1 = time.perf_counter()
        model = NerModel.load(args.model_dir, device=device)
        t_load = time.perf_counter() - t1
        times = []
        for _ in range(max(1, args.repeat)):
            t2 = time.perf_counter()
            out = model.tag(sents, batch_size=args.batch_size)
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            times.append(time.perf_counter() - t2)
        tags_by_device[device] = out
        best = min(times)
        name = torch.cuda.get_device_name(device) if device.startswith("cuda") else f"CPU, {torch.get_num_threads()} torch threads"
        print(f"[{device}] {name}, batch size {args.batch_size}")
        print(f"  model load:   {t_load:.2f} s (manifest sha256 check included)")
        print(f"  tagging:      {', '.join(f'{t:.2f}' for t in times)} s per pass; best pass:")
        print(f"  tokens/s:     {n_tok / best:,.0f}")
        print(f"  sentences/s:  {len(sents) / best:,.0f}")
        print(f"  entities:     {sum(len(x) for x in out)}")
        if k == 0:
            print(f"  peak RSS:     {rss_mb():.0f} MB (before loading: {rss0:.0f} MB)")
        del model
    if len(tags_by_device) > 1:
        ref = tags_by_device[devices[0]]
        for d in devices[1:]:
            diff = sum(a != b for a, b in zip(ref, tags_by_device[d]))
            print(f"sentences tagged differently on {d} than on {devices[0]}: {diff} of {len(sents)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
