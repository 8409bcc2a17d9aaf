"""Finding quotations: quote marks paired into spans, one paragraph at a time.

Every paragraph (non-empty line) is scanned once. Double marks (“ ” " « » „, and a doubled
apostrophe '' written for one) are paired by position, not by shape, so the Kompas style
that opens with ” works; a mark that can only open (space before, a word after) while a
quotation is open starts a new one. A quotation left open ends at the paragraph break.
Single marks (‘ ’ ') count only where they are not apostrophes, outside double quotes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DOUBLE_MARKS", "SINGLE_MARKS", "RawQuote", "inside", "merge_ranges", "scan_marks", "trim"]

DOUBLE_MARKS = "“”\"«»„‟″"
SINGLE_MARKS = "‘’'‹›‚‛"
_MARK_RE = re.compile("[" + re.escape(DOUBLE_MARKS + SINGLE_MARKS) + "]")
_STRAIGHT = '"'  # a mark whose shape does not say whether it opens or closes
_DOUBLED = "'’‘"  # written twice for a double mark: ''Kami siap,'' kata Budi.
MAX_SINGLE = 300  # a single-mark quotation longer than this is not one


@dataclass(slots=True)
class RawQuote:
    """A quotation as found by its marks, before classification and attribution."""

    open_mark: int
    close_mark: int | None
    start: int
    end: int
    single: bool
    para_start: int
    para_end: int
    continues: bool = False  # the previous paragraph left a quotation open and this one reopens
    close_width: int = 1  # 2 for a doubled mark ('')

    @property
    def after(self) -> int:
        """The offset right after the closing mark (the end of the span when left open)."""
        return self.close_mark + self.close_width if self.close_mark is not None else self.end


def merge_ranges(ranges: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted, merged ``ranges`` as two lists (starts, ends)."""
    rs = sorted((int(a), int(b)) for a, b in ranges if b > a)
    starts: list[int] = []
    ends: list[int] = []
    for a, b in rs:
        if starts and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def inside(pos: int, starts: list[int], ends: list[int]) -> bool:
    """``pos`` lies inside one of the merged ranges."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def trim(text: str, a: int, b: int) -> tuple[int, int]:
    """[a, b) without surrounding white space."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _paragraph_marks(text: str, ps: int, pe: int, ex_s: list[int], ex_e: list[int]) -> list[tuple[int, int]]:
    """(offset, width) of the quote marks in [ps, pe) outside the excluded ranges; a doubled
    single mark (\'\' or ’’, also ``...\'\' after the backtick is folded) is one double mark of width 2."""
    out: list[tuple[int, int]] = []
    skip = -1
    for m in _MARK_RE.finditer(text, ps, pe):
        i = m.start()
        if i == skip or inside(i, ex_s, ex_e):
            continue
        ch = text[i]
        if ch in _DOUBLED and i + 1 < pe and text[i + 1] == ch:
            out.append((i, 2))
            skip = i + 1
        else:
            out.append((i, 1))
    return out


def scan_marks(text: str, ex_s: list[int], ex_e: list[int]) -> list[RawQuote]:
    """Every quotation in ``text`` by its marks, in text order; marks in excluded ranges are ignored."""
    out: list[RawQuote] = []
    n = len(text)
    prev_left_open = False
    for pm in re.finditer(r"[^\n]+", text):
        ps, pe = pm.span()
        if not text[ps:pe].strip():
            continue
        marks = _paragraph_marks(text, ps, pe, ex_s, ex_e)
        # straight double marks from each mark on: a straight mark cannot say whether it opens
        straight_left = [0] * (len(marks) + 1)
        for j in range(len(marks) - 1, -1, -1):
            straight_left[j] = straight_left[j + 1] + (text[marks[j][0]] in _STRAIGHT)
        first_nonspace = ps
        while first_nonspace < pe and text[first_nonspace].isspace():
            first_nonspace += 1
        para_quotes: list[RawQuote] = []
        open_at: int | None = None
        open_w = 1
        single_open: int | None = None
        left_open = False
        skip_straight = 0
        for j, (i, w) in enumerate(marks):
            ch = text[i]
            before = text[i - 1] if i > ps else " "
            after = text[i + w] if i + w < pe else " "
            if skip_straight and ch in _STRAIGHT:
                skip_straight -= 1  # the closing mark of a nested straight quotation
                continue
            if ch in DOUBLE_MARKS or w == 2:
                single_open = None
                if open_at is None:
                    if after.isspace() and not before.isspace() and i + w >= pe:
                        continue  # a stray closing mark at the end of a paragraph
                    open_at, open_w = i, w
                else:
                    strong_open = (before.isspace() or i == ps or before in "([") and after.isalnum()
                    if strong_open and ch not in "»" and text[open_at + open_w : i].strip():
                        if ch in _STRAIGHT and text[open_at] in _STRAIGHT and straight_left[j] >= 3 and straight_left[j] % 2:
                            # "Ia berkata "kami siap" lalu pergi," kata Budi: this mark and the next
                            # straight one are a quotation inside the open one (the marks left pair up)
                            skip_straight = 1
                            continue
                        a, b = trim(text, open_at + open_w, i)
                        if b > a:
                            para_quotes.append(RawQuote(open_at, None, a, b, False, ps, pe))
                        open_at, open_w = i, w
                    else:
                        a, b = trim(text, open_at + open_w, i)
                        if b > a:
                            para_quotes.append(RawQuote(open_at, i, a, b, False, ps, pe, close_width=w))
                        open_at = None
                continue
            if open_at is not None:
                continue  # nested single quotes stay inside the double quotation
            word_before = before.isalnum()
            word_after = after.isalnum()
            if word_before and word_after:
                continue  # apostrophe: Ma’ruf, Jum'at
            can_open = (before.isspace() or i == ps or before in "([{“\"—–-/") and word_after and ch not in "’›"
            can_close = (not before.isspace()) and i > ps and not word_after and ch not in "‘‹‚‛"
            if single_open is not None and can_close:
                if i - single_open <= MAX_SINGLE:
                    a, b = trim(text, single_open + 1, i)
                    if b > a:
                        para_quotes.append(RawQuote(single_open, i, a, b, True, ps, pe))
                single_open = None
            elif can_open:
                single_open = i
        if open_at is not None:
            a, b = trim(text, open_at + open_w, pe)
            if b > a:
                para_quotes.append(RawQuote(open_at, None, a, b, False, ps, pe))
                left_open = True
        if para_quotes and prev_left_open and para_quotes[0].open_mark == first_nonspace:
            para_quotes[0].continues = True
        prev_left_open = left_open
        out.extend(para_quotes)
        if pe >= n:
            break
    out.sort(key=lambda r: r.open_mark)
    return out

