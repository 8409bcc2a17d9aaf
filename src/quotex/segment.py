"""Indonesian sentence splitting and tokenisation with character offsets.

Works on the analysis text (see :mod:`quotex.normalize`), paragraph by
paragraph (a paragraph is one line), skipping excluded (boilerplate) ranges.
Abbreviations that do not end a sentence live in ``data/abbreviations.txt``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .datafiles import load_words
from .models import Sentence, Token
from .resources import data_file

MAX_SENTENCE_TOKENS = 150

# A token: a URL/e-mail, a number (1.000,50 / 19/6/2024 / 20:27), a word with inner
# hyphens, apostrophes or periods (abbreviations such as a.n., U.S.), or one symbol.
_TOKEN_RE = re.compile(
    r"""
    (?:https?://|www\.)\S+[^\s.,;:!?)"”’'\]]
  | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
  | \d+(?:[.,:/]\d+)*(?:[.,]\d+)?%?
  | (?:[^\W\d_]\.){2,}                    # U.S. / a.n.
  | [^\W_](?:[\w]|['’](?=\w)|-(?=\w))*     # words, Jong-un, Qur'an
  | \S
    """,
    re.VERBOSE,
)
_HYPHEN_SPLIT = re.compile(r"(?<=[^\W\d_])-(?=[A-Z])")
_END_PUNCT = frozenset(".!?…")
_CLOSERS = frozenset("\"”’')]»")
_OPENERS = frozenset("\"“‘'([«”")


def load_abbreviations(path: Path | None = None) -> frozenset[str]:
    """Abbreviations (lower-case, without the final period)."""
    return _load_abbreviations(Path(path) if path is not None else data_file("abbreviations.txt"))


@lru_cache(maxsize=4)
def _load_abbreviations(path: Path) -> frozenset[str]:
    return frozenset(w.lower().rstrip(".") for w in load_words(path))


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with absolute offsets.

    Hyphenated compounds of two capitalised names (``Korut-Rusia``,
    ``Korea Selatan-AS``) are split so that each name can be tagged.
    """
    end = len(text) if end is None else end
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        s, e = m.span()
        word = m.group()
        if "-" in word and word[0].isupper() and _HYPHEN_SPLIT.search(word):
            pos = s
            for part in re.split(r"(-)", word):
                if part:
                    out.append(Token(pos, pos + len(part), part))
                    pos += len(part)
            continue
        out.append(Token(s, e, word))
    return out


def _is_sentence_end(tokens: Sequence[Token], i: int, text: str, abbrevs: frozenset[str]) -> int:
    """If a sentence ends at token ``i``, the index of its last token (closers included); else -1."""
    tok = tokens[i]
    if tok.text not in _END_PUNCT and tok.text != "...":
        return -1
    if tok.text == ".":
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.end == tok.start:
            w = prev.text.lower()
            if w in abbrevs or (len(prev.text) == 1 and prev.text.isalpha() and prev.text.isupper()):
                return -1
    j = i
    while j + 1 < len(tokens) and tokens[j + 1].text in _CLOSERS and tokens[j + 1].start == tokens[j].end:
        j += 1
    if j + 1 >= len(tokens):
        return j
    nxt = tokens[j + 1]
    gap = text[tokens[j].end : nxt.start]
    if not gap:
        return -1
    c = nxt.text[0]
    if c.isupper() or c.isdigit() or c in _OPENERS or c == "-":
        return j
    return -1


def split_sentences(text: str, start: int, end: int, paragraph: int = 0, *, abbrevs: frozenset[str] | None = None) -> list[Sentence]:
    """Sentences of one paragraph ``text[start:end]``."""
    abbrevs = load_abbreviations() if abbrevs is None else abbrevs
    tokens = tokenize(text, start, end)
    out: list[Sentence] = []
    first = 0
    i = 0
    n = len(tokens)
    while i < n:
        last = _is_sentence_end(tokens, i, text, abbrevs)
        if last < 0 and i - first + 1 >= MAX_SENTENCE_TOKENS:
            last = i
        if last >= 0:
            toks = tuple(tokens[first : last + 1])
            out.append(Sentence(toks[0].start, toks[-1].end, toks, paragraph))
            first = last + 1
            i = last + 1
            continue
        i += 1
    if first < n:
        toks = tuple(tokens[first:])
        out.append(Sentence(toks[0].start, toks[-1].end, toks, paragraph))
    return out


def segment(text: str, excluded: Sequence[tuple[int, int]] = ()) -> list[Sentence]:
    """All sentences of ``text`` outside the ``excluded`` ranges; one paragraph a non-empty line."""
    abbrevs = load_abbreviations()
    ex_starts = [s for s, _ in excluded]
    out: list[Sentence] = []
    para = 0
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        k = bisect_right(ex_starts, pos) - 1
        inside = k >= 0 and excluded[k][0] <= pos < excluded[k][1]
        if not inside and text[pos:nl].strip():
            out.extend(split_sentences(text, pos, nl, para, abbrevs=abbrevs))
            para += 1
        pos = nl + 1
    return out
