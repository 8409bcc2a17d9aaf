"""Name matching for folding: abbreviations and syllabic short forms, short forms made of a
full name's parts, and the family guard. Pure string functions; the word lists come from
``data/folding.yaml``.

Abbreviation matching follows Schwartz & Hearst (2003): a short form matches a long form
when its characters can be found in the long form in order, the first one starting the
long form. Indonesian short forms are mostly *syllabic* (Kemenperin = KEMENterian
PERINdustrian, Jabar = JAwa BARat, Bakamla = BAdan KeAMANan LAut, Setnov = SETya NOVanto),
so the short form is split into pieces, one per word of the long form, in order: a piece
starts its word and its other letters follow in that word (Bakamla = BAdan KeAMan LAut), or,
for a later word, it is 3+ letters written inside it (Kemhan = KEMenterian pertaHANan). Small words (``dan``) may be skipped, and at most one content
word when the long form has four or more (PSSI = Persatuan Sepak bola Seluruh Indonesia).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from .aliases import fold_key
from .datafiles import load_yaml
from .errors import ConfigError
from .resources import data_file


SPELLING_MIN_SCORE = 80.0  # two name parts this similar are one name spelt two ways


@dataclass(frozen=True)
class FoldingWords:
    """The word lists of ``data/folding.yaml`` (lower-case)."""

    nickname_cues: tuple[tuple[str, ...], ...]
    function_words: frozenset[str]
    leading_non_name: frozenset[str]
    person_place_nouns: frozenset[str]
    trailing_verbs: frozenset[str]
    job_titles: tuple[tuple[str, ...], ...]
    org_heads: frozenset[str]
    org_forms: frozenset[str]
    place_forms: frozenset[str]
    org_tails: frozenset[str]
    company_forms: frozenset[str] = frozenset()  # optional list: legal forms of companies (PT, CV)
    named_after_heads: frozenset[str] = frozenset()  # optional list: places and bodies named after people (Bandara, Jalan)


_KEYS = ("nickname_cues", "function_words", "leading_non_name", "person_place_nouns", "trailing_verbs", "job_titles", "org_heads", "org_forms",
         "place_forms", "org_tails")


def load_folding() -> FoldingWords:
    """The folding word lists in effect (``data/folding.yaml``, or the ``--data`` overlay's)."""
    return read_folding(data_file("folding.yaml"))


@lru_cache(maxsize=8)
def read_folding(p: Path) -> FoldingWords:
    """Read and check one folding word-list file."""
    raw = load_yaml(p)
    if not isinstance(raw, dict) or any(not isinstance(raw.get(k), list) for k in _KEYS):
        raise ConfigError("needs the lists " + ", ".join(_KEYS), path=str(p))

    def words(k: str) -> list[str]:  # a missing optional list (company_forms, named_after_heads) is empty
        return [str(w).casefold().strip() for w in raw.get(k) or () if str(w).strip()]

    def phrases(k: str) -> tuple[tuple[str, ...], ...]:
        # longest first, so that "akrab disapa" wins over "disapa"
        return tuple(sorted({tuple(w.split()) for w in words(k)}, key=lambda t: -len(t)))

    for k in ("company_forms", "named_after_heads"):
        if not isinstance(raw.get(k, []), list):
            raise ConfigError(f"{k} must be a list", path=str(p))
    return FoldingWords(phrases("nickname_cues"), frozenset(words("function_words")), frozenset(words("leading_non_name")),
                        frozenset(words("person_place_nouns")), frozenset(words("trailing_verbs")), phrases("job_titles"), frozenset(words("org_heads")),
                        frozenset(words("org_forms")), frozenset(words("place_forms")), frozenset(words("org_tails")),
                        frozenset(words("company_forms")), frozenset(words("named_after_heads")))


@lru_cache(maxsize=1 << 17)
def name_letters(s: str) -> str:
    """The letters and digits of a name, folded (``CNN Indonesia`` -> ``cnnindonesia``)."""
    return "".join(c for c in fold_key(s) if c.isalnum())


@lru_cache(maxsize=1 << 16)
def _words(long: str) -> tuple[str, ...]:
    return tuple(w for w in (name_letters(x) for x in re.split(r"[\s\-/]+", long)) if w)


def _starts_subseq(piece: str, word: str) -> bool:
    """``piece`` starts ``word`` and its other letters follow in order (kam < keamanan)."""
    if not word.startswith(piece[0]):
        return False
    it = iter(word[1:])
    return all(c in it for c in piece[1:])


@lru_cache(maxsize=1 << 17)  # pure: folding asks the same pairs again for every candidate form
def abbreviates(short: str, long: str, function_words: frozenset[str] = frozenset(), forms: frozenset[str] = frozenset(),
                *, person: bool = False) -> bool:
    """Can the one-word ``short`` abbreviate the multi-word ``long`` (see the module doc)?

    ``Kemenperin`` < ``Kementerian Perindustrian``, ``ISL`` < ``Indonesia Super League``,
    ``Setnov`` < ``Setya Novanto``; ``Kemenag`` is not < ``Kementerian Pertahanan``. A first
    word in ``forms`` (PT) may be left out. For a ``person``'s name, stricter: each piece is
    the very start of its word, later pieces 2+ letters (Demiz = DEddy MIZwar, Aher = Ahmad
    HERyawan), so that a common first name is not read as a nickname (Andi is not Agus Nadi)."""
    words = _words(long)
    if len(words) > 2 and words[0] in forms and _abbreviates(short, words[1:], function_words, person):
        return True  # PT Melati Technofo Indonesia = MTI
    return _abbreviates(short, words, function_words, person)


def _abbreviates(short: str, words: Sequence[str], function_words: frozenset[str], person: bool) -> bool:
    s = name_letters(short)
    if s in words:
        return False  # a word of the name is not its abbreviation (Keuangan, Kementerian Keuangan)
    if len(s) < 2 or len(words) < 2 or len(s) >= len("".join(words)) or not words[0].startswith(s[0]):
        return False  # (the first letter test first: most pairs fail it, before any memo is built)
    content = [w not in function_words for w in words]
    max_skip = 1 if sum(content) >= 4 else 0
    mixed = any(c.islower() for c in short)
    n, m = len(s), len(words)

    @lru_cache(maxsize=None)
    def go(i: int, j: int, skipped: int) -> bool:
        if i == n:
            return not any(content[j:])  # only small words left
        if j == m:
            return False
        w = words[j]
        if (not content[j] or (skipped < max_skip and 0 < j < m - 1)) and go(i, j + 1, skipped + content[j]):
            return True
        # a piece of this word: its start or, for a later word, 3+ letters from inside it
        for k in range(n, i, -1):
            piece = s[i:k]
            if person and len(piece) == 1 and j > 0:
                continue  # Setnov-style nicknames take syllables, not single letters, from later names
            if person:
                fits = w.startswith(piece)
            elif mixed and j == 0 and len(piece) < 2:
                continue  # a written-out short form starts with a syllable (Kemenpora; Asia is not A-merika S-er-I-k-A-t)
            elif j == 0 and len(w) - len(piece) < 2 and m > 1:
                continue  # nor with (almost) the whole first word: Persiba is not PERSIB BAndung
            else:
                fits = _starts_subseq(piece, w) or (j > 0 and len(piece) >= 3 and piece in w[1:])
            if fits and go(k, j + 1, skipped):
                return True
        return False

    return go(0, 0, 0)


@lru_cache(maxsize=1 << 16)
def abbreviates_name(short: str, long: str, function_words: frozenset[str] = frozenset(), forms: frozenset[str] = frozenset()) -> bool:
    """Token-wise: each word of ``short`` is a word of ``long`` or abbreviates a run of its
    words, in order (``Polda Jabar`` < ``Polda Jawa Barat``, ``PT WAE`` < ``PT Wahana Auto
    Ekamarga``, ``PB IPSI`` < ``Pengurus Besar Ikatan Pencak Silat Indonesia``)."""
    st = [t for t in re.split(r"\s+", short.strip()) if t]
    lw = [t for t in re.split(r"\s+", long.strip()) if t]
    if len(st) == 1:
        return abbreviates(st[0], long, function_words, forms)
    if not st or len(st) >= len(lw):
        return False
    lk = [fold_key(t) for t in lw]

    @lru_cache(maxsize=None)
    def go(i: int, j: int) -> bool:
        if i == len(st):
            return j == len(lw)
        if j == len(lw):
            return False
        if fold_key(st[i]) == lk[j] and go(i + 1, j + 1):
            return True
        if lk[j] in function_words and go(i, j + 1):
            return True
        for k in range(j + 2, len(lw) + 1):
            if abbreviates(st[i], " ".join(lw[j:k]), function_words) and go(i + 1, k):
                return True
        return False

    return any(fold_key(a) != fold_key(b) for a, b in zip(st, lw)) and go(0, 0)


def is_part_name(short: str, full: str) -> bool:
    """A short form made of a full name's parts, in order, starting with its first name:
    ``Sri Mulyani`` < ``Sri Mulyani Indrawati``, ``Hanif Sjahbandi`` < ``Hanif Abdurrauf
    Sjahbandi``; never ``Ali Fahmi`` < ``Fahmi Darmawansyah``."""
    s, f = fold_key(short).split(), fold_key(full).split()
    if len(s) < 2 or len(s) >= len(f) or s[0] != f[0]:
        return False
    it = iter(f[1:])
    return all(w in it for w in s[1:])


def family_conflict(a: str, b: str) -> bool:
    """Two full names (2+ parts) that share the first or the last part but differ in the other,
    and neither is a short form of the other (``Eko Susilo`` < ``Eko Susilo Hadi``): relatives
    or namesakes, never one person (``Aji Santoso`` / ``Dendi Santoso``, husband and wife,
    father and son). Written with and without initials, the names must conflict both ways
    (``M. Tito Karnavian`` = ``Tito Karnavian``); a differing part spelt almost the same
    (``Fadli`` / ``Fadl``) is a spelling variant, not another person."""
    return _conflict(spelling_key(a), spelling_key(b)) and _conflict(spelling_key(drop_initials(a)), spelling_key(drop_initials(b)))


def _conflict(x: str, y: str) -> bool:
    xs, ys = x.split(), y.split()
    if len(xs) < 2 or len(ys) < 2 or x == y:
        return False
    if (xs[0] == ys[0]) == (xs[-1] == ys[-1]):
        return False
    a, b = (xs[-1], ys[-1]) if xs[0] == ys[0] else (xs[0], ys[0])
    if fuzz.ratio(a, b) >= SPELLING_MIN_SCORE:
        return False  # one name spelt two ways (Haryanto / Hariyanto), not two people
    return not (is_part_name(x, y) or is_part_name(y, x))


def drop_initials(name: str) -> str:
    """The name without one-letter parts (``Richard C. Adkerson`` -> ``richard adkerson``)
    when two or more parts remain; else the folded name."""
    w = fold_key(name).split()
    kept = [x for x in w if len(x) > 1]
    return " ".join(kept) if len(kept) >= 2 else " ".join(w)


_OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"))


def spelling_key(name: str) -> str:
    """The folded name in today's spelling (EYD, 1972): ``oe`` -> ``u``, ``dj`` -> ``j``,
    ``tj`` -> ``c``, so that Soedewo = Sudewo and Djarot = Jarot."""
    k = fold_key(name)
    for old, new in _OLD_SPELLING:
        k = k.replace(old, new)
    return k
