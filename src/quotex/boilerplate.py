"""Site boilerplate detection: which lines of a document are page chrome.

Boilerplate is not deleted (offsets must keep pointing into the original
text); it is returned as a list of excluded character ranges. The markers
live in ``data/boilerplate.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .datafiles import load_yaml
from .errors import ConfigError
from .resources import data_file

_SENTENCE_END = ".!?…:;\"”’"
_MIN_TEASER = 40


@dataclass(frozen=True)
class BoilerplateRules:
    """Compiled boilerplate markers."""

    line: tuple[re.Pattern[str], ...]
    end: tuple[re.Pattern[str], ...]
    bullets: tuple[str, ...]


def load_rules(path: Path | None = None) -> BoilerplateRules:
    """Load and compile the boilerplate markers (default: ``boilerplate.yaml`` of the data files)."""
    return _load_rules(Path(path) if path is not None else data_file("boilerplate.yaml"))


@lru_cache(maxsize=8)
def _load_rules(p: Path) -> BoilerplateRules:
    raw = load_yaml(p)
    if not isinstance(raw, dict):
        raise ConfigError("expected a mapping with keys line, end, bullets", path=str(p))

    def comp(key: str) -> tuple[re.Pattern[str], ...]:
        out = []
        for pat in raw.get(key) or []:
            try:
                out.append(re.compile(str(pat), re.IGNORECASE))
            except re.error as e:
                raise ConfigError(f"bad regular expression in '{key}': {pat!r} ({e})", path=str(p)) from None
        return tuple(out)

    return BoilerplateRules(comp("line"), comp("end"), tuple(str(b) for b in raw.get("bullets") or []))


def iter_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text``, without the newline."""
    out = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        out.append((pos, nl))
        pos = nl + 1
    return out


def find_boilerplate(text: str, rules: BoilerplateRules | None = None) -> list[tuple[int, int]]:
    """Character ranges of ``text`` (analysis text) that are site boilerplate."""
    rules = rules or load_rules()
    lines = iter_lines(text)
    flags = [False] * len(lines)
    stripped = [text[s:e].strip() for s, e in lines]
    for i, line in enumerate(stripped):
        if not line or len(line) > 400:
            continue
        if any(p.search(line) for p in rules.end):
            for j in range(i, len(lines)):
                flags[j] = True
            break
        if any(p.search(line) for p in rules.line):
            flags[i] = True
            continue
        if any(line.startswith(b) for b in rules.bullets) and line[-1] not in _SENTENCE_END:
            flags[i] = True
    # Teasers: an early line repeated inside a later content line (site description,
    # a lead shown twice). The later copy is kept.
    content_after = [k for k in range(len(lines)) if not flags[k] and stripped[k]]
    for i in content_after[:30]:
        line = stripped[i]
        for b in rules.bullets:
            if line.startswith(b):
                line = line[len(b):]
                break
        if len(line) < _MIN_TEASER:
            # a short line (title) counts only when repeated exactly later
            if len(line) >= 15 and any(stripped[k] == stripped[i] for k in content_after if k > i):
                flags[i] = True
            continue
        if any(line in stripped[k] for k in content_after if k > i):
            flags[i] = True
    ranges: list[tuple[int, int]] = []
    for (s, e), f in zip(lines, flags):
        if not f:
            continue
        if ranges and ranges[-1][1] + 1 >= s:
            ranges[-1] = (ranges[-1][0], e)
        else:
            ranges.append((s, e))
    return ranges
