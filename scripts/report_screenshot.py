#!/usr/bin/env python
"""Screenshot of the seeds' report for docs/ (not a test).

    python scripts/report_screenshot.py [--filter "park jin"] [--out docs/report.png]
    python scripts/report_screenshot.py --filter "" --at d1 --height 1100 --out docs/report-article.png

Writes the report of ./seeds/ (``quotex report``, so the cache is used), opens it in headless
Chromium (selenium + Debian's chromium/chromedriver), types FILTER into the filter box,
focuses the first mention of the first article shown (its entity is shown), and saves a PNG of
the window (the top of the page, or from the element ``--at ID``). Reduce it afterwards if you like: ``convert OUT -colors 64 OUT``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filter", default="park jin")
    ap.add_argument("--out", default="docs/report.png")
    ap.add_argument("--width", type=int, default=1100)
    ap.add_argument("--height", type=int, default=1750)
    ap.add_argument("--at", default=None, help="id of the element to scroll to (e.g. d1, the second article); default: the top")
    args = ap.parse_args()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "seeds.html"
        subprocess.run([sys.executable, "-m", "quotex", "report", "seeds", "-o", str(page), "-q"], check=True)
        opts = webdriver.ChromeOptions()
        opts.binary_location = shutil.which("chromium") or "chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={args.width},{args.height}"):
            opts.add_argument(a)
        b = webdriver.Chrome(options=opts, service=Service(executable_path=shutil.which("chromedriver") or "chromedriver"))
        try:
            b.get(page.as_uri())
            if args.filter:
                b.find_element("id", "filter-q").send_keys(args.filter)
                time.sleep(0.5)
            b.execute_script("document.querySelector('#articles .doc:not([hidden]) a.m').focus({preventScroll: true})")
            if args.at:
                b.execute_script("document.getElementById(arguments[0]).scrollIntoView(); window.scrollBy(0, -70)", args.at)
            else:
                b.execute_script("window.scrollTo(0, 0)")
            b.save_screenshot(args.out)
        finally:
            b.quit()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
