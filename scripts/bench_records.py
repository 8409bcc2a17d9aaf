#!/usr/bin/env python
"""Records benchmark (not a test): are JSONL records analysed as fast as .txt files, in flat memory?

    python scripts/bench_records.py /work/shared/data/news/indosum [--n 1000] [--read-n 20000]

Builds N articles from the IndoSum articles that splits.tsv marks ``free`` (never dev or
heldout), repeated with small changes when N is larger (body paragraphs shuffled and a
numbered closing line, so every article has its own text and cache key), and writes them
twice into a temp dir: as N ``.txt`` files and as one JSONL dump with id/date/url/source/title
per record. Each is analysed cold (fresh cache, shipped model loaded before the clock starts)
in its own child process, the two children running AT THE SAME TIME so that both see the same
load on a shared machine; the script prints wall and CPU seconds per article for both, their
ratios (JSONL / txt; the target is <= 1.10) and each process's peak RSS. Then, for memory in the
number of records, it reads (no analysis) a READ_N-record dump and a READ_N/10-record dump
and prints the peak RSS of each reader process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_articles(corpus: Path) -> list[str]:
    """The texts of the articles splits.tsv marks ``free``, in file-name order."""
    with (corpus / "splits.tsv").open(encoding="utf-8") as fh:
        free = sorted(row["file"] for row in csv.DictReader(fh, delimiter="\t") if row["split"] == "free")
    return [(corpus / name).read_text(encoding="utf-8") for name in free]


def make_articles(texts: list[str], n: int, seed: int = 13) -> list[str]:
    """N article texts: the free ones, then variants of them (body shuffled, a numbered closing line)."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        t = texts[k % len(texts)]
        if k >= len(texts):
            paras = t.split("\n\n")
            head, body = paras[:1], paras[1:]
            rng.shuffle(body)
            t = "\n\n".join(head + body) + f"\n\n(Artikel ulang nomor {k}.)"
        out.append(t)
    return out


def write_corpus(texts: list[str], folder: Path) -> tuple[Path, Path]:
    """The texts as one .txt file each and as one JSONL dump (with metadata)."""
    txt = folder / "txt"
    txt.mkdir(parents=True)
    dump = folder / "dump.jsonl"
    with dump.open("w", encoding="utf-8") as fh:
        for k, t in enumerate(texts):
            (txt / f"a{k:06d}.txt").write_text(t, encoding="utf-8")
            title = t.split("\n", 1)[0][:120]
            rec = {"id": f"a{k:06d}", "date": f"2017-{1 + k % 12:02d}-{1 + k % 28:02d}", "source": "IndoSum",
                   "url": f"https://example.org/berita/a{k:06d}", "title": title, "text": t}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return txt, dump


def _child_cold(path: str) -> dict:
    from quotex import analyze
    from quotex.pipeline import default_tagger

    default_tagger()  # model and torch loaded before the clock starts
    t, cpu = time.perf_counter(), time.process_time()
    c = analyze([path], tagger="default")
    c.entities()
    c.quotes()
    dt, dcpu = time.perf_counter() - t, time.process_time() - cpu
    return {"docs": c.report.read, "skipped": len(c.report.skipped), "s": dt, "cpu_s": dcpu,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child_read(path: str) -> dict:
    from quotex import read_documents

    t = time.perf_counter()
    n = chars = 0
    for d in read_documents([path]):
        n += 1
        chars += len(d.text)
    return {"docs": n, "chars": chars, "s": time.perf_counter() - t, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _start_child(fn: str, path: str, cache: Path) -> subprocess.Popen:
    env = dict(os.environ, QUOTEX_CACHE_DIR=str(cache))
    return subprocess.Popen([sys.executable, __file__, "--_child", fn, path], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _result(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"child failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1])


def _run_child(fn: str, path: str, cache: Path) -> dict:
    return _result(_start_child(fn, path, cache))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default="../shared/data/news/indosum", type=Path)
    ap.add_argument("--n", type=int, default=1000, help="articles analysed (default 1000; 0: only the read-only check)")
    ap.add_argument("--read-n", type=int, default=20000, help="records in the read-only memory check (default 20000; 0: skip)")
    ap.add_argument("--_child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a._child:
        fn, path = a._child
        print(json.dumps({"cold": _child_cold, "read": _child_read}[fn](path)))
        return
    texts = free_articles(a.corpus)
    with tempfile.TemporaryDirectory(prefix="quotex-bench-records-") as tmp:
        root = Path(tmp)
        if a.n <= 0:  # only the read-only memory check
            txt = dump = None
        else:
            txt, dump = write_corpus(make_articles(texts, a.n), root / "corpus")
        if txt is not None and dump is not None:
            print(f"{a.n} articles from {len(texts)} free IndoSum articles; {sum(f.stat().st_size for f in txt.iterdir()) / 1e6:.1f} MB of text")
            p_txt = _start_child("cold", str(txt), root / "cache-txt")
            p_rec = _start_child("cold", str(dump), root / "cache-jsonl")
            r_txt, r_rec = _result(p_txt), _result(p_rec)
            for name, r in (("txt files", r_txt), ("jsonl dump", r_rec)):
                print(f"{name:11} {r['docs']} docs  wall {r['s']:.1f} s ({1000 * r['s'] / r['docs']:.1f} ms/article)  "
                      f"CPU {r['cpu_s']:.1f} s ({1000 * r['cpu_s'] / r['docs']:.1f} ms/article)  peak RSS {r['rss_mb']:.0f} MB")
            for what, key in (("wall", "s"), ("CPU", "cpu_s")):
                ratio = (r_rec[key] / r_rec["docs"]) / (r_txt[key] / r_txt["docs"])
                print(f"per-article {what} time jsonl / txt: {ratio:.3f} ({'within' if ratio <= 1.10 else 'NOT within'} 10%)")
        if a.read_n:
            small, big = root / "small", root / "big"
            for folder, n in ((small, a.read_n // 10), (big, a.read_n)):
                folder.mkdir()
                with (folder / "dump.jsonl").open("w", encoding="utf-8") as fh:
                    for k, t in enumerate(make_articles(texts, n)):
                        fh.write(json.dumps({"id": f"a{k:07d}", "date": "2017-06-01", "text": t}, ensure_ascii=False) + "\n")
            for folder in (small, big):
                f = folder / "dump.jsonl"
                r = _run_child("read", str(f), root / "cache-read")
                print(f"read only  {r['docs']:>6} records ({f.stat().st_size / 1e6:.0f} MB)  {r['s']:.1f} s  peak RSS {r['rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
