#!/usr/bin/env python
"""How fast `quotex report` is from a warm cache, and how big the page gets (not a test).

    python scripts/bench_report.py [--seeds seeds] [--corpus ../shared/data/news/indosum] [--runs 3]

For the seeds and for the corpus: one run to fill the cache (its time is printed as
"first"), then RUNS fresh ``python -m quotex report PATHS -o FILE`` processes, timed as
wall clock (the median is the figure) and as CPU time (user + system: on a busy machine the
wall time is mostly waiting for a core, the CPU time is what the run itself costs). The page is written to a temporary folder, only
its size is printed, and it is deleted: nothing of its content is shown.

With ``--browser`` (needs selenium, chromium and chromedriver) the page is also opened in
headless Chromium and the load time (navigation start to the end of the load event) is
printed; for the corpus this is done on the articles that ``splits.tsv`` does not mark
``heldout`` (the held-out articles' report is timed and measured, never opened).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_report(paths: list[str], out: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one fresh ``quotex report`` process."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "quotex", "report", *paths, "-o", str(out), "-q"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode not in (0, 4):
        sys.exit(f"quotex report failed ({r.returncode}): {r.stderr.strip().splitlines()[-1:]}")
    return dt, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def browser_load_seconds(page: Path) -> float | None:
    """Navigation start to load event end in headless Chromium, or None without a browser."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        return None
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"):
        opts.add_argument(a)
    b = webdriver.Chrome(options=opts, service=Service(executable_path=driver))
    try:
        b.get(page.as_uri())
        ms = b.execute_script("const t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd - t.startTime;")
        return float(ms) / 1000
    finally:
        b.quit()


def measure(label: str, paths: list[str], runs: int, browser: bool, tmp: Path) -> None:
    out = tmp / "report.html"
    first, _ = run_report(paths, out)
    runs_ = [run_report(paths, out) for _ in range(runs)]
    times, cpu = [w for w, _ in runs_], [c for _, c in runs_]
    size = out.stat().st_size
    line = (f"{label:<32} first {first:6.2f} s | warm wall median {statistics.median(times):5.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}), CPU median {statistics.median(cpu):.2f} s, {runs} runs | {size / 1e6:5.2f} MB")
    if browser:
        load = browser_load_seconds(out)
        line += "   browser load " + (f"{load:.2f} s" if load is not None else "n/a (no selenium/chromium)")
    print(line, flush=True)
    out.unlink()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="seeds")
    ap.add_argument("--corpus", default="../shared/data/news/indosum")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--browser", action="store_true", help="also time opening the page in headless Chromium")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    articles = sorted(str(p) for p in corpus.glob("*.txt"))
    heldout: set[str] = set()
    splits = corpus / "splits.tsv"
    if splits.exists():
        with splits.open(encoding="utf-8") as fh:
            heldout = {row["file"] for row in csv.DictReader(fh, delimiter="\t") if row.get("split") == "heldout"}
    open_ = [a for a in articles if os.path.basename(a) not in heldout]
    print(f"quotex report, warm cache, QUOTEX_CACHE_DIR={os.environ.get('QUOTEX_CACHE_DIR', '(default)')}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="quotex-bench-report-") as tmp:
        measure(f"seeds ({args.seeds})", [args.seeds], args.runs, args.browser, Path(tmp))
        measure(f"{corpus.name}: all {len(articles)} articles", articles, args.runs, False, Path(tmp))
        if heldout:
            measure(f"{corpus.name}: {len(open_)} without held-out", open_, args.runs, args.browser, Path(tmp))


if __name__ == "__main__":
    main()
