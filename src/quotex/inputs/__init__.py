"""Inputs beyond plain text: HTML pages and scraper dumps (JSONL, JSON arrays, CSV).

:func:`structured_reader` says which reader handles a file (by its extension);
each reader yields one :class:`~quotex.models.Document` per article, or a
:class:`~quotex.corpus.Skipped` record naming the file (and record) and the
reason. :class:`ReadOptions` carries the record field names and the
``--since/--until`` date window; :func:`date_filter` applies the window.

Dates are normalised to ISO ``YYYY-MM-DD`` (:func:`parse_date`), the calendar day
as written in the source (no time-zone conversion).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from typing import BinaryIO

from ..corpus import DEFAULT_GLOBS, LeftOut, Skipped, SkipFile, _read_one, iter_inputs, read_bytes
from ..errors import UsageError
from ..models import Document

__all__ = [
    "Filtered",
    "ReadOptions",
    "STRUCTURED_SUFFIXES",
    "date_filter",
    "iter_documents",
    "parse_date",
    "structured_reader",
]

# Record fields tried in order when no --*-field option names one.
TEXT_FIELDS = ("text", "content", "body")
ID_FIELDS = ("id", "_id", "guid")
DATE_FIELDS = ("date", "published", "published_at", "publish_date", "pubdate", "datetime", "created_at")
URL_FIELDS = ("url", "link", "canonical_url")
SOURCE_FIELDS = ("source", "outlet", "site", "site_name", "sitename", "publisher", "media")
TITLE_FIELDS = ("title", "headline")
AUTHOR_FIELDS = ("author", "authors", "byline")


@dataclass(frozen=True, slots=True)
class Filtered:
    """A document left out by ``--since/--until``: its id and why (``before --since``, ``no date``...)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How record files are read and which documents are kept.

    A ``*_field`` of None means: try the usual names (``text``, else ``content``,
    else ``body``; see the ``*_FIELDS`` constants). A name with dots (``meta.date``)
    looks inside nested JSON objects. ``since``/``until`` are inclusive ISO dates.
    """

    text_field: str | None = None
    id_field: str | None = None
    date_field: str | None = None
    url_field: str | None = None
    source_field: str | None = None
    title_field: str | None = None
    since: str | None = None
    until: str | None = None
    cache: bool = True  # keep extracted HTML pages in the cache folder (inputs.pagecache); analyze(cache=False) turns it off

    @classmethod
    def make(cls, *, since: str | None = None, until: str | None = None, **fields: str | None) -> "ReadOptions":
        """Options from user input: empty strings are None, dates are checked (``UsageError`` if not a date)."""
        clean = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in fields.items()}
        s, u = (_option_date(n, v) for n, v in (("--since", since), ("--until", until)))
        if s and u and s > u:
            raise UsageError(f"--since {s} is after --until {u}: no document can match")
        return cls(since=s, until=u, **clean)

    @property
    def filters_dates(self) -> bool:
        """Whether a date window is set."""
        return self.since is not None or self.until is not None


def _option_date(name: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    got = parse_date(value)
    if got is None:
        raise UsageError(f"{name} {value!r} is not a date; write it as YYYY-MM-DD (e.g. {name} 2024-06-01)")
    return got


# ---------------------------------------------------------------- dates

_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s_])")
_YMD_RE = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")
_COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|T)")
_DMY_RE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_D_MON_Y_RE = re.compile(r"\b(\d{1,2})\s+([^\W\d_]{3,})\.?,?\s+(\d{4})\b")
_MON_D_Y_RE = re.compile(r"\b([^\W\d_]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_NUMBER_RE = re.compile(r"^\s*\d{9,13}(\.\d+)?\s*$")


def _months() -> dict[str, int]:
    """Month names and abbreviations (``data/months.yaml``, or a ``--data`` overlay's) -> month number."""
    from ..resources import data_file

    return _months_from(data_file("months.yaml"))


@lru_cache(maxsize=4)
def _months_from(path: Path) -> dict[str, int]:
    from ..datafiles import load_yaml
    from ..errors import ConfigError

    doc = load_yaml(path)
    out: dict[str, int] = {}
    if not isinstance(doc, dict):
        raise ConfigError("expected a mapping of month number to names", path=str(path))
    for num, names in doc.items():
        if not (isinstance(num, int) and 1 <= num <= 12 and isinstance(names, list)):
            raise ConfigError(f"entry {num!r}: expected a month number 1-12 with a list of names", path=str(path))
        for n in names:
            out[str(n).casefold().rstrip(".")] = num
    return out


def _ymd(y: str | int, m: str | int, d: str | int) -> str | None:
    try:
        return _dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def parse_date(value: object) -> str | None:
    """A date as ISO ``YYYY-MM-DD``, or None when ``value`` is not one.

    Understands ISO 8601 dates and datetimes (``2024-06-25``, ``2024-06-25T10:01:00+07:00``;
    the day as written, no time-zone conversion), ``2024/06/25``, ``20240625``,
    day-first numeric dates as Indonesian sites write them (``25/06/2024 10:01 WIB``;
    month-first only when the day-first reading is impossible), month names in
    Indonesian or English (``Selasa, 25 Juni 2024``, ``June 25, 2024``; names in
    ``data/months.yaml``) and Unix timestamps in seconds or milliseconds.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (int, float)) or (isinstance(value, str) and _NUMBER_RE.match(value)):
        try:
            ts = float(value)
            if ts > 1e11:  # milliseconds
                ts /= 1000
            return _dt.datetime.fromtimestamp(ts, tz=_dt.timezone.utc).date().isoformat()
        except (ValueError, OverflowError, OSError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 200:
        return None
    for rx in (_ISO_RE, _YMD_RE, _COMPACT_RE):
        m = rx.match(s)
        if m:
            return _ymd(*m.groups())
    m = _DMY_RE.search(s)
    if m:
        d, mo, y = m.groups()
        return _ymd(y, mo, d) or _ymd(y, d, mo)
    months = _months()
    m = _D_MON_Y_RE.search(s)
    if m and m.group(2).casefold() in months:
        return _ymd(m.group(3), months[m.group(2).casefold()], m.group(1))
    m = _MON_D_Y_RE.search(s)
    if m and m.group(1).casefold() in months:
        return _ymd(m.group(3), months[m.group(1).casefold()], m.group(2))
    return None


def date_filter(items: Iterable[Document | Skipped | LeftOut], options: ReadOptions) -> Iterator[Document | Skipped | LeftOut | Filtered]:
    """Pass documents inside the ``since``/``until`` window; the others become :class:`Filtered`.

    With a window set, a document without a date is left out (``no date``): an
    undated article cannot be said to fall inside it. Without one, nothing is filtered.
    """
    if not options.filters_dates:
        yield from items
        return
    since, until = options.since, options.until
    for item in items:
        if isinstance(item, Document):
            if item.date is None:
                item = Filtered(item.id, "no date")
            elif since is not None and item.date < since:
                item = Filtered(item.id, "before --since")
            elif until is not None and item.date > until:
                item = Filtered(item.id, "after --until")
        yield item


# ---------------------------------------------------------------- dispatch


def iter_documents(
    paths: Sequence[str],
    *,
    globs: Sequence[str] = DEFAULT_GLOBS,
    stdin: BinaryIO | None = None,
    read: Callable[[str], Document | Skipped] | None = None,
    options: ReadOptions | None = None,
) -> Iterator[Document | Skipped | LeftOut | Filtered]:
    """:func:`quotex.corpus.iter_inputs` that also reads HTML pages and record files.

    ``read`` reads one plain-text file (the analysis cache passes one that skips files it
    knows unchanged); HTML pages and record files always go to their own readers, a record
    file giving one Document per record. Documents outside ``options.since/until`` come
    back as :class:`Filtered`.
    """
    opts = options or ReadOptions()
    plain = read or _read_one

    def read_many(path: str) -> Iterator[Document | Skipped]:
        structured = structured_reader(path)
        if structured is None:
            yield plain(path)
        else:
            yield from structured(path, opts)

    return date_filter(iter_inputs(list(paths), globs=globs, stdin=stdin, read_many=read_many), opts)



def structured_reader(path: str) -> Callable[[str, ReadOptions], Iterator[Document | Skipped]] | None:
    """The reader for an HTML page or a record file, by extension; None for plain text."""
    suffix = path[path.rfind(".") :].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if suffix in (".html", ".htm", ".xhtml"):
        from .html import read_html

        return read_html
    if suffix in (".jsonl", ".ndjson", ".json", ".csv"):
        from .records import read_records

        return read_records
    return None


STRUCTURED_SUFFIXES = (".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".json", ".csv")

__all__ += ["SkipFile", "read_bytes"]
