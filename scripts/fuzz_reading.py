#!/usr/bin/env python
"""Fuzz the reading path (decode_bytes, read_document, and find_quotes when it exists) on random bytes.

Usage::

    python scripts/fuzz_reading.py --seconds 60                 # atheris if installed, else Hypothesis
    python scripts/fuzz_reading.py --seconds 60 --engine hypothesis

A failure is any exception other than ``SkipFile`` (the documented way to
refuse an input), or a result that breaks an invariant (empty text, quote
offsets outside the text). Failing inputs are saved to ``--crash-dir``.
The last line is the result, e.g.::

    fuzz_reading: engine=atheris seconds=60 iterations=123456 failures=0 targets=decode_bytes,read_document
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEEDS = [
    "\u201cKami tidak akan menyerah,\u201d kata Blinken.".encode("cp1252"),
    "\u201cKami tidak akan menyerah,\u201d kata Blinken.\r\n".encode(),
    b"\xef\xbb\xbf" + "Dia menambahkan: \u201cya\u201d".encode(),
    b"\xff\xfe" + "Korut \u2018hanya\u2019 \u2013 kata dia".encode("utf-16-le"),
    b"\xfe\xff" + "\u201cKita pergi bersama,\u201d".encode("utf-16-be"),
    b"\xff\xfe\x00\x00" + "ya".encode("utf-32-le"),
    "Menteri \u201cok\u201d ".encode() + b"\x93stray\x94",
    b"\x89PNG\r\n\x1a\n\x00\x00",
    b'"unbalanced \xe2\x80\x9c quote',
]


class Fuzzer:
    """Runs the targets on one input and keeps count of iterations and failures."""

    def __init__(self, crash_dir: Path, max_reports: int = 5) -> None:
        from quotex import corpus  # noqa: PLC0415 - imported after atheris instrumentation starts

        self.corpus = corpus
        self.crash_dir = crash_dir
        self.max_reports = max_reports
        self.iterations = 0
        self.failures = 0
        self.kinds: dict[str, int] = {}
        self.targets = ["decode_bytes", "read_document"]
        self.find_quotes: Callable[..., Any] | None = None
        try:
            from quotex.quotes import find_quotes  # noqa: PLC0415 - written by someone else; optional
        except Exception:  # noqa: BLE001 - missing or broken: fuzz the rest
            find_quotes = None
        if find_quotes is not None:
            self.find_quotes = find_quotes
            self.targets.append("find_quotes")
        self.tmp = Path(tempfile.mkdtemp(prefix="quotex-fuzz-"))

    def check(self, data: bytes) -> None:
        """Run every target on ``data``; record (never raise) unexpected behaviour."""
        self.iterations += 1
        stage = "decode_bytes"
        try:
            try:
                text, encoding = self.corpus.decode_bytes(data)
            except self.corpus.SkipFile:
                text = None
            else:
                assert isinstance(text, str) and text and not text.isspace(), "empty text accepted"
                assert isinstance(encoding, str) and encoding, "no encoding name"
            stage = "read_document"
            path = self.tmp / "input.txt"
            path.write_bytes(data)
            try:
                doc = self.corpus.read_document(path)
            except self.corpus.SkipFile:
                assert text is None, "read_document skipped what decode_bytes accepted"
            else:
                assert doc.text == text, "read_document and decode_bytes disagree"
            if self.find_quotes is not None:
                stage = "find_quotes"
                sample = text if text is not None else data.decode("utf-8", errors="replace")
                for q in self.find_quotes(sample, []) or ():
                    start, end = getattr(q, "start", 0), getattr(q, "end", 0)
                    assert 0 <= start <= end <= len(sample), f"quote offsets {start}:{end} outside the text"
        except Exception as exc:  # noqa: BLE001 - the point is to catch everything
            self._record(stage, exc, data)

    def _record(self, stage: str, exc: Exception, data: bytes) -> None:
        """Count a failure, save its input, print the first few."""
        self.failures += 1
        kind = f"{stage}: {type(exc).__name__}: {str(exc)[:120]}"
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.crash_dir.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha1(data).hexdigest()[:16]  # noqa: S324 - a file name, not security
        (self.crash_dir / f"{stage}-{name}.bin").write_bytes(data)
        if self.kinds[kind] == 1 and len(self.kinds) <= self.max_reports:
            print(f"FAILURE {kind}\n  input: {data[:80]!r}", file=sys.stderr)
            traceback.print_exception(exc, file=sys.stderr, limit=-3)

    def summary(self, engine: str, seconds: float) -> str:
        """The result line."""
        line = (
            f"fuzz_reading: engine={engine} seconds={seconds:.0f} iterations={self.iterations} "
            f"failures={self.failures} targets={','.join(self.targets)}"
        )
        for kind, n in sorted(self.kinds.items(), key=lambda kv: -kv[1]):
            line += f"\n  {n} x {kind}"
        return line


def run_hypothesis(fuzzer: Fuzzer, seconds: float) -> None:
    """Random bytes and encoded random text from Hypothesis, in batches until time is up."""
    from hypothesis import HealthCheck, Phase, given, settings  # noqa: PLC0415
    from hypothesis import strategies as st  # noqa: PLC0415

    encoded_text = st.tuples(
        st.text(max_size=500), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1"])
    ).map(lambda t: t[0].encode(t[1], errors="ignore"))
    inputs = st.binary(max_size=4096) | encoded_text | st.sampled_from(SEEDS)

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs)
    def batch(data: bytes) -> None:
        fuzzer.check(data)

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch()


def run_atheris(fuzzer_factory: Callable[[], Fuzzer], seconds: float) -> None:
    """Coverage-guided fuzzing with atheris (libFuzzer); exits the process when time is up."""
    import atheris  # noqa: PLC0415

    with atheris.instrument_imports():
        import charset_normalizer  # noqa: F401, PLC0415 - instrumented for coverage

        import quotex.corpus  # noqa: F401, PLC0415

        try:
            import quotex.quotes  # noqa: F401, PLC0415
        except Exception:  # noqa: BLE001, S110 - optional target
            pass
    fuzzer = fuzzer_factory()
    start = time.monotonic()
    deadline = start + seconds

    def one_input(data: bytes) -> None:
        fuzzer.check(data)
        if time.monotonic() >= deadline:
            print(fuzzer.summary("atheris", time.monotonic() - start), flush=True)
            os._exit(1 if fuzzer.failures else 0)  # libFuzzer would not return to Python

    seed_dir = Path(tempfile.mkdtemp(prefix="quotex-fuzz-seeds-"))
    for i, seed in enumerate(SEEDS):
        (seed_dir / f"seed{i}").write_bytes(seed)
    args = [sys.argv[0], "-max_len=4096", "-rss_limit_mb=4096", f"-max_total_time={int(seconds) + 60}", str(seed_dir)]
    atheris.Setup(args, one_input)
    atheris.Fuzz()


def main() -> int:
    """Parse options, fuzz, print the result line; exit 1 if anything failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--engine", choices=["auto", "atheris", "hypothesis"], default="auto")
    parser.add_argument("--crash-dir", type=Path, default=Path(tempfile.gettempdir()) / "quotex-fuzz-crashes")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))  # run from a checkout
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401, PLC0415
        except ImportError:
            engine = "hypothesis"
        else:
            engine = "atheris"
    if engine == "atheris":
        run_atheris(lambda: Fuzzer(args.crash_dir), args.seconds)
        return 1  # not reached: run_atheris exits
    fuzzer = Fuzzer(args.crash_dir)
    start = time.monotonic()
    run_hypothesis(fuzzer, args.seconds)
    print(fuzzer.summary("hypothesis", time.monotonic() - start))
    return 1 if fuzzer.failures else 0


if __name__ == "__main__":
    sys.exit(main())
