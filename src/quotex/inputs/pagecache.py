"""A cache of extracted HTML pages, so that a warm run does not run trafilatura again.

One SQLite file, ``pages.sqlite3``, next to the analysis cache (``$QUOTEX_CACHE_DIR`` or the
user cache folder): absolute path, size and mtime of a page -> the extracted Document as JSON
(text and metadata). Entries are keyed also by :data:`VERSION` (trafilatura's version and the
checksum of quotex's HTML reader), so a new extractor never serves old text. A page changed
within the last 2 seconds is not stored (its mtime may not show the next change). Any error
here only costs a re-extraction: the cache is never required.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from ..models import Document

DB_NAME = "pages.sqlite3"
_conns: dict[str, sqlite3.Connection | None] = {}


@lru_cache(maxsize=1)
def version() -> str:
    """trafilatura's version plus the checksum of the HTML reader's code."""
    try:
        from importlib.metadata import version as dist_version

        traf = dist_version("trafilatura")
    except Exception:  # pragma: no cover - not installed as a distribution
        traf = "?"
    code = hashlib.sha256(Path(__file__).with_name("html.py").read_bytes()).hexdigest()[:16]
    return f"{traf}:{code}"


def _conn() -> sqlite3.Connection | None:
    from ..store import cache_dir

    d = str(cache_dir())
    if d not in _conns:
        try:
            os.makedirs(d, exist_ok=True)
            c = sqlite3.connect(os.path.join(d, DB_NAME), timeout=10, isolation_level=None)
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA synchronous=NORMAL")
            c.execute("CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, version TEXT, doc TEXT)")
            _conns[d] = c
        except (sqlite3.Error, OSError):
            _conns[d] = None
    return _conns[d]


def get(path: str) -> Document | None:
    """The cached Document of an unchanged page, or None."""
    c = _conn()
    if c is None:
        return None
    try:
        st = os.stat(path)
        row = c.execute("SELECT size, mtime_ns, version, doc FROM pages WHERE path=?", (os.path.abspath(path),)).fetchone()
        if row is None or (row[0], row[1], row[2]) != (st.st_size, st.st_mtime_ns, version()):
            return None
        fields = json.loads(row[3])
        return Document(**{**fields, "id": path})
    except (sqlite3.Error, OSError, ValueError, TypeError):
        return None


def put(path: str, doc: Document) -> None:
    """Remember a page's Document (unless the file changed in the last 2 seconds)."""
    c = _conn()
    if c is None:
        return
    try:
        st = os.stat(path)
        if time.time() - st.st_mtime_ns / 1e9 <= 2:
            return
        c.execute("INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?)",
                  (os.path.abspath(path), st.st_size, st.st_mtime_ns, version(), json.dumps(asdict(doc), ensure_ascii=False)))
    except (sqlite3.Error, OSError):
        pass


def clear() -> None:
    """Forget every page (``quotex cache clear``)."""
    c = _conn()
    if c is not None:
        try:
            c.execute("DELETE FROM pages")
        except sqlite3.Error:
            pass
