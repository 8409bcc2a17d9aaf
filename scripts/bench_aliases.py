"""How much a large alias table costs a run (issue 15 item 21).

    python scripts/bench_aliases.py [--entries 50000] [--corpus seeds]

Writes a synthetic alias table (``--entries`` people, each with a canonical name, two
aliases and a role title; names built from syllables, so none occurs in the corpus), then
times, each in a fresh process: loading the table alone, a cold run
(``quotex quotes CORPUS --aliases BIG --no-ner`` on an empty cache) and two warm runs.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SYL = ["ba", "ko", "ri", "san", "tu", "mel", "da", "pin", "ga", "ler", "so", "wi", "nur", "ha", "je", "lo"]


def names(n: int):
    it = itertools.product(SYL, SYL, SYL, SYL)
    for i, parts in zip(range(n), it):
        first = "".join(parts[:2]).capitalize()
        last = "".join(parts[2:]).capitalize()
        yield i, first, last


def write_table(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("entities:\n")
        for i, first, last in names(n):
            fh.write(f"  - id: zz-{i}\n    canonical: {first} {last}\n    type: PERSON\n"
                     f"    aliases: [{first} {last}, {last} {first}x]\n    roles: [Ketua Zz{i}]\n")


def timed(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if r.returncode not in (0, 4):
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-2000:]}")
    return dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=50_000)
    ap.add_argument("--corpus", default="seeds")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.yaml"
        write_table(big, args.entries)
        env = dict(os.environ, QUOTEX_CACHE_DIR=str(Path(tmp) / "cache"))
        load = timed([sys.executable, "-c", f"from quotex.aliases import load_aliases; load_aliases([{str(big)!r}])"], env)
        base = timed([sys.executable, "-m", "quotex", "quotes", args.corpus, "--no-ner", "-q", "-f", "csv"], env)
        cold = timed([sys.executable, "-m", "quotex", "quotes", args.corpus, "--aliases", str(big), "--no-ner", "-q", "-f", "csv"], env)
        warm = [timed([sys.executable, "-m", "quotex", "quotes", args.corpus, "--aliases", str(big), "--no-ner", "-q", "-f", "csv"], env)
                for _ in range(2)]
        print(f"entries: {args.entries} ({big.stat().st_size / 1e6:.1f} MB)")
        print(f"load_aliases in a fresh process: {load:.2f} s")
        print(f"run without the table (cold): {base:.2f} s")
        print(f"cold run with the table: {cold:.2f} s")
        print(f"warm runs with the table: {', '.join(f'{w:.2f} s' for w in warm)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
