"""HTML pages: the main text and metadata, extracted with trafilatura.

trafilatura (https://trafilatura.readthedocs.io) is the maintained standard for
taking the article out of a news page: it drops navigation, sidebars, ads, "Baca
juga" boxes, footers and (as configured here) comment sections, and reads the
title, date, author, site name and canonical URL from the page's metadata.

The document text is the page title on the first line (unless one of the first
lines of the extracted body already is the title), a blank line, then the main text,
one paragraph a line. Every offset in the results refers to that text; ``quotex documents --text``
prints it. quotex's own boilerplate markers (``data/boilerplate.yaml``) still apply
on top, in the analysis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..models import Document
from . import ReadOptions, Skipped, SkipFile, parse_date, read_bytes

__all__ = ["SUFFIXES", "extract_html", "read_html"]

SUFFIXES = (".html", ".htm", ".xhtml")
MIN_WORDS = 10  # extracted text shorter than this is not an article
_TITLE_LOOKAHEAD = 10  # the title is not repeated when one of the body's first lines already is the title
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html(data: bytes) -> tuple[str, str]:
    """The page as text and the encoding used: the charset its ``<meta>`` declares, else quotex's own detection."""
    from ..corpus import decode_bytes

    m = _CHARSET_RE.search(data[:4096])
    if m is not None:
        name = m.group(1).decode("ascii", "replace").lower()
        if name not in ("utf-8", "utf8"):
            # browsers read a declared Latin-1 or ASCII page as windows-1252 (WHATWG Encoding)
            name = "cp1252" if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii") else name
            try:
                text = data.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration: detect instead
            else:
                if text.strip():
                    return text, name
    return decode_bytes(data)


def _clean(value: object) -> str | None:
    """A metadata value as a stripped one-line string, or None."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def extract_html(html: str, *, doc_id: str, encoding: str = "utf-8") -> Document:
    """The Document for one page; raise :class:`SkipFile` when it has no main text."""
    import logging

    import trafilatura

    # trafilatura logs every page it cannot use at ERROR level; quotex reports those as skipped instead
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        res = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,  # reader comments are not the article
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
        )
    except Exception as exc:  # lxml/trafilatura errors on broken markup
        raise SkipFile(f"HTML could not be parsed ({exc.__class__.__name__})") from None
    body = (getattr(res, "text", None) or "").strip() if res is not None else ""
    if not body:
        raise SkipFile("no main text found in the HTML page")
    words = len(body.split())
    if words < MIN_WORDS:  # what trafilatura falls back to on a page without an article: a menu, a link
        raise SkipFile(f"no main text found in the HTML page (only {words} words)")
    title = _clean(getattr(res, "title", None))
    text = body
    if title and title not in (ln.strip() for ln in body.split("\n", _TITLE_LOOKAHEAD)[:_TITLE_LOOKAHEAD]):
        text = f"{title}\n\n{body}"
    return Document(
        id=doc_id,
        text=text,
        encoding=encoding,
        date=parse_date(getattr(res, "date", None)),
        source=_clean(getattr(res, "sitename", None)) or _clean(getattr(res, "hostname", None)),
        url=_clean(getattr(res, "url", None)),
        title=title,
        author=_clean(getattr(res, "author", None)),
    )


def read_html(path: str, options: ReadOptions) -> Iterator[Document | Skipped]:
    """One page as one Document (or Skipped with the reason); unchanged pages come from :mod:`.pagecache`."""
    from . import pagecache

    if options.cache:
        doc = pagecache.get(path)
        if doc is not None:
            yield doc
            return
    try:
        data = read_bytes(Path(path))
        html, encoding = _decode_html(data)
        doc = extract_html(html, doc_id=path, encoding=encoding)
    except SkipFile as exc:
        yield Skipped(path, exc.reason)
        return
    if options.cache:
        pagecache.put(path, doc)
    yield doc
