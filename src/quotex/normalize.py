"""Unicode normalisation for analysis, with a map back to the decoded text.

The analysis text is NFC-normalised, has zero-width characters and soft
hyphens removed, CR/CRLF turned into LF, other control characters and exotic
spaces turned into plain spaces, and exotic quote marks folded to the common
ones. Every offset the analysis produces is mapped back with
:meth:`Normalized.to_original`, so results always point into the text as decoded.
"""

from __future__ import annotations

import unicodedata
from array import array
from dataclasses import dataclass

_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
_QUOTES = {
    "\u201e": "\u201c",  # „ low-9 opening -> “
    "\u201f": "\u201c",  # ‟
    "\u2033": "\u201d",  # ″ double prime used as a quote
    "\uff02": '"',  # fullwidth "
    "\u201a": "\u2018",  # ‚
    "\u201b": "\u2018",  # ‛
    "\u2032": "\u2019",  # ′ prime used as apostrophe
    "\uff07": "'",
    "\u00b4": "'",  # acute accent used as apostrophe
    "`": "'",
}
_SPACES = frozenset("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u2028\u2029\x85")


def _map_char(ch: str) -> str | None:
    """The analysis form of one (NFC) character; None to drop it."""
    if ch in _DROP:
        return None
    q = _QUOTES.get(ch)
    if q is not None:
        return q
    if ch in _SPACES:
        return "\n" if ch in "\u2028\u2029\x85" else " "
    o = ord(ch)
    if o < 32 and ch not in "\n\t":
        return None if ch == "\r" else " "
    if 0x7F <= o < 0xA0:
        return " "
    return ch


_TABLE = {ord(k): _map_char(k) for k in (*_DROP, *_QUOTES, *_SPACES)}
for _o in list(range(32)) + list(range(0x7F, 0xA0)):
    if chr(_o) not in "\n\t\r":
        _TABLE[_o] = " "


@dataclass(frozen=True, slots=True)
class Normalized:
    """Analysis text plus the map from its offsets to offsets in the original."""

    text: str
    original: str
    _map: array | None = None  # len(text)+1 original offsets; None = identity

    def to_original(self, i: int) -> int:
        """Original offset of analysis offset ``i`` (0 <= i <= len(text))."""
        if self._map is None:
            return i
        return self._map[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of an analysis span (dropped characters at its edges excluded)."""
        if self._map is None:
            return start, end
        s = self._map[start]
        if end <= start:
            return s, s
        e = self._map[end]
        orig = self.original
        while e > s + 1 and (orig[e - 1] in _DROP or orig[e - 1] == "\r"):
            e -= 1
        return s, e


def normalize(original: str) -> Normalized:
    """Build the analysis text of ``original``."""
    has_cr = "\r" in original
    if unicodedata.is_normalized("NFC", original):
        if not has_cr:
            translated = original.translate(_TABLE)
            if len(translated) == len(original):
                return Normalized(translated, original, None)
    # General path: walk the text, NFC-normalise runs, keep the offset map.
    out: list[str] = []
    offs = array("q")
    n = len(original)
    i = 0
    while i < n:
        ch = original[i]
        if ch == "\r":
            out.append("\n")
            offs.append(i)
            i += 2 if i + 1 < n and original[i + 1] == "\n" else 1
            continue
        # a cluster: this char plus following combining marks
        j = i + 1
        while j < n and unicodedata.combining(original[j]):
            j += 1
        cluster = original[i:j]
        if j - i > 1 or not unicodedata.is_normalized("NFC", cluster):
            cluster = unicodedata.normalize("NFC", cluster)
        for k, c in enumerate(cluster):
            m = _map_char(c)
            if m is None:
                continue
            out.append(m)
            offs.append(i if k == 0 else min(i + k, j - 1))
        i = j
    offs.append(n)
    text = "".join(out)
    return Normalized(text, original, offs)
