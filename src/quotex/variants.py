"""Word lists and string tests for the surface-variant stages of :mod:`quotex.pipeline` (the
variants Indonesian news writes beside a name, folded inside one document):

* ``fold_state_prefixes``: a country written with its form of state (``Negara Israel``,
  ``Kerajaan Arab Saudi``, ``Negara Kesatuan Republik Indonesia``) is the country;
* ``fold_outlet_domains``: a news site written as its web address (``CNNIndonesia.com``,
  ``KOMPAS.com``) is the outlet the article names (``CNN Indonesia``, ``Kompas``);
* ``fold_country_stems``: ``Korea`` alone, in an article that names one of the two Koreas;
* ``fold_admin_places``: ``Kota Tegal`` / ``Kabupaten Sambas`` / ``Provinsi X`` is the place
  ``X`` of the article, unless the article also names another administrative unit ``X``
  (``Kota Bogor`` and ``Kabupaten Bogor`` are two places);
* ``fold_source_typos``: a name the writer mistyped (``Gerinda`` beside ``Gerindra``,
  ``Kores Selatan`` beside ``Korea Selatan``) is the name it is one typing slip from
  (:func:`typing_slip`).

The word lists are in ``data/folding.yaml`` (``state_forms``, ``country_stems``,
``country_stem_blockers``, ``web_domains``, ``admin_places``, ``keyboard_rows``). Pure
functions; the stages themselves are in :mod:`quotex.pipeline`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import DamerauLevenshtein

from .datafiles import load_yaml
from .errors import ConfigError
from .resources import data_file

TYPO_MIN_LETTERS = 6  # shorter names are too often two real names one letter apart (Rahma / Rahmi)


@dataclass(frozen=True)
class VariantWords:
    """The lists of ``data/folding.yaml`` that this module reads (lower-case)."""

    state_forms: tuple[tuple[str, ...], ...]  # longest first
    country_stems: frozenset[str]
    stem_blockers: frozenset[str]  # words before the stem that make it a region or a longer name
    web_domains: tuple[tuple[str, ...], ...]  # as tokens ("co", "id"), longest first
    admin_places: dict[str, tuple[tuple[str, ...], ...]]  # unit -> words written before the place's name
    keyboard_rows: tuple[str, ...]  # for typing slips: keys next to each other


def load_variant_words() -> VariantWords:
    """The lists in effect (``data/folding.yaml`` or the ``--data`` overlay's)."""
    return read_variant_words(data_file("folding.yaml"))


@lru_cache(maxsize=8)
def read_variant_words(p: Path) -> VariantWords:
    """Read and check the variant lists of one ``folding.yaml``."""
    raw = load_yaml(p)
    keys = ("state_forms", "country_stems", "country_stem_blockers", "web_domains", "keyboard_rows")
    if not isinstance(raw, dict) or any(not isinstance(raw.get(k), list) for k in keys) or not isinstance(raw.get("admin_places"), dict):
        raise ConfigError("needs the lists " + ", ".join(keys) + " and the mapping admin_places", path=str(p))

    def phrases(xs: list) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted({tuple(str(x).casefold().split()) for x in xs if str(x).strip()}, key=lambda t: -len(t)))

    admin = raw["admin_places"]
    if any(not isinstance(v, list) for v in admin.values()):
        raise ConfigError("admin_places: each unit needs a list of words", path=str(p))
    domains = tuple(sorted({tuple(str(d).casefold().strip(".").split(".")) for d in raw["web_domains"] if str(d).strip(".")}, key=lambda t: -len(t)))
    return VariantWords(phrases(raw["state_forms"]), frozenset(str(w).casefold() for w in raw["country_stems"]),
                        frozenset(str(w).casefold() for w in raw["country_stem_blockers"]), domains,
                        {str(k).casefold(): phrases(v) for k, v in admin.items()}, tuple(str(r).casefold() for r in raw["keyboard_rows"]))


def starts_upper(word: str) -> bool:
    """Does the word start with a capital letter?"""
    return word[:1].isupper()


# --- typing slips ---------------------------------------------------------------------------


@lru_cache(maxsize=8)  # the same rows for every document
def adjacent_keys(rows: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    """Pairs of keys next to each other on the keyboard (same row, or the row below, staggered)."""
    pairs = set()
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            near = [row[c + 1]] if c + 1 < len(row) else []
            if r + 1 < len(rows):
                near += [rows[r + 1][x] for x in (c - 1, c) if 0 <= x < len(rows[r + 1])]
            for n in near:
                pairs.update({(ch, n), (n, ch)})
    return frozenset(pairs)


def _inside(s: str, i: int) -> bool:
    """Is position ``i`` of ``s`` neither the first nor the last letter of a word?"""
    return 0 < i < len(s) - 1 and s[i - 1] != " " and s[i + 1] != " "


def typing_slip(a: str, b: str, keys: frozenset[tuple[str, str]], *, substitution: bool = True) -> bool:
    """Is ``a`` the name ``b`` with one typing slip (and not another word or name)? Two adjacent
    letters swapped; a letter left out or added inside a word (a letter added or dropped at a
    word's start or end is an affix or another name: Persib / Persiba, India / Indian); with
    ``substitution``, a letter changed into its neighbour on the keyboard (Korea / Kores,
    Danau / Danai; Santoso / Santosa and Persija / Persiba are other names)."""
    if a == b or DamerauLevenshtein.distance(a, b, score_cutoff=1) > 1:
        return False
    if len(a) != len(b):
        long, short = (a, b) if len(a) > len(b) else (b, a)
        return any(long[:i] + long[i + 1 :] == short and _inside(long, i) for i in range(len(long)))
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 2:
        return True  # two adjacent letters swapped (Damerau-Levenshtein 1)
    return substitution and (a[diff[0]], b[diff[0]]) in keys


_WORD_CHAR_RE = re.compile(r"\w")


def count_word(text: str, form: str) -> int:
    """How often ``form`` is written in ``text`` as a whole word (or words): ``str.find`` for the
    form, then a look at the characters on either side (a regex with look-arounds is several
    times slower, and this is asked for every name of every article)."""
    if not form:
        return 0
    n, i, k = 0, text.find(form), len(form)
    while i >= 0:
        before = text[i - 1] if i > 0 else ""
        after = text[i + k] if i + k < len(text) else ""
        if not (before and _WORD_CHAR_RE.match(before)) and not (after and _WORD_CHAR_RE.match(after)):
            n += 1
            i = text.find(form, i + k)  # matches do not overlap (as re.findall)
        else:
            i = text.find(form, i + 1)
    return n
