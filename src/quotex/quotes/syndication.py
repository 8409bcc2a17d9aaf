"""Syndicated copies: the same statement carried by several documents (``also_in``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from quotex.models import Quote

__all__ = ["link_syndicated"]

_PUNCT_RE = re.compile(r"[^\w\s]")


def _normalise_quote(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).lower()
    return " ".join(_PUNCT_RE.sub(" ", s).split())


_NUMBER_RE = re.compile(r"\d+")


def link_syndicated(
    quotes: Sequence[Quote], *, threshold: float = 80.0, min_words: int = 6, min_chars: int = 50
) -> list[Quote]:
    """Fill ``also_in`` with the other documents that carry the same statement.

    Two quotations are the same statement when they come from different documents, have the
    same speaker (``speaker_id``, else the speaker name), the same numbers, and their normalised
    texts are similar as word sets and as whole strings (rapidfuzz ``token_set_ratio`` >=
    ``threshold`` and ``ratio`` >= ``threshold`` - 15; the shorter at least half as long as the
    longer). Quotations shorter than ``min_words`` words or ``min_chars``
    characters (slogans, fragments, tiny test files) are never linked: short strings that
    differ by a character or two are different statements as often as the same one.
    """
    from rapidfuzz import fuzz

    norm = [_normalise_quote(q.text) for q in quotes]
    keys = [q.speaker_id or (q.speaker or "").lower() or None for q in quotes]
    groups: dict[str, list[int]] = {}
    for i, q in enumerate(quotes):
        if keys[i] is None or q.kind in ("scare", "title", "slogan"):
            continue
        if len(norm[i]) < min_chars or len(norm[i].split()) < min_words:
            continue
        groups.setdefault(keys[i], []).append(i)
    numbers = [sorted(_NUMBER_RE.findall(s)) for s in norm]
    also: list[set[str]] = [set() for _ in quotes]
    for idx in groups.values():
        for x in range(len(idx)):
            i = idx[x]
            for y in range(x + 1, len(idx)):
                j = idx[y]
                if quotes[i].doc == quotes[j].doc or numbers[i] != numbers[j]:
                    continue
                a, b = norm[i], norm[j]
                short, long_ = sorted((len(a), len(b)))
                if short < 0.5 * long_:
                    continue
                if fuzz.token_set_ratio(a, b) >= threshold and fuzz.ratio(a, b) >= threshold - 15:
                    also[i].add(quotes[j].doc)
                    also[j].add(quotes[i].doc)
    return [
        replace(q, also_in=tuple(sorted(set(q.also_in) | also[i]))) if also[i] else q
        for i, q in enumerate(quotes)
    ]
