"""The analysis cache file: SQLite tables, the keys into them, and the blobs in them.

This module only stores; :mod:`quotex.engine` decides what to look up and what to compute.

Layout (one file, ``analysis.sqlite3`` in ``platformdirs.user_cache_dir("quotex")``,
or in ``$QUOTEX_CACHE_DIR``):

``files``   (path, size, mtime_ns) -> content key and encoding, so that an unchanged
            file is not read or decoded again (the racy-git caveat applies: a file
            rewritten with the same size within the file system's timestamp
            granularity is not noticed; ``--no-cache`` or ``quotex cache clear`` fixes it).
            Paths are stored as the bytes the OS uses, so any file name works.
``ner``     NER key -> the model-dependent part of a document: the NER spans per sentence.
``docs``    document key -> the derived part, a :class:`~quotex.pipeline.DocResult`.
``corpus``  corpus key (the ordered document keys) -> the folded entities and the
            resolved quotes. Only the most recent few are kept.

**Keys.** :class:`Versions` builds them from the quotex version, :data:`FORMAT`, the code,
the model and the data files. Every data file is in one list,
:data:`quotex.resources.DATA_FILES`, with the stage it feeds (``ner`` or ``derived``); the
key of that stage hashes the file *in effect* (the ``--data`` overlay's copy when there is
one), so editing any data file, or overlaying it, recomputes what it changes and nothing
else. The NER key covers the code listed in :data:`NER_CODE`; the derived key covers all of
quotex's code, so no module can be forgotten.

**Blobs are data.** Results are stored as JSON (:mod:`quotex.codec`); loading cannot run
code. A blob that does not decode is a miss. A cache written with pickles by an older
quotex has another :data:`FORMAT` and is emptied on open.

**Failures.** A file that is not a SQLite database, or whose pages are damaged (found on
open or later), is *corrupt*: it is moved aside to a uniquely named
``analysis.sqlite3.corrupt-<time>-<pid>`` (the newest :data:`CORRUPT_KEEP` are kept) and
rebuilt, with a warning. Anything else (disk full, permission denied, a read-only folder,
a file where the folder should be) is *transient*: the file is left as it is and
:class:`CacheUnavailable` says why; a run then goes on without the cache.

Concurrency: WAL journal, a busy timeout, and one transaction per batch of writes, so
two quotex processes can share the file and Ctrl-C leaves it consistent.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import codec
from .errors import QuotexError
from .resources import DATA_FILES, cache_dir, data_file, overlay_file

FORMAT = "4"  # 4: JSON blobs (3 and older: pickles), file paths as bytes
DB_NAME = "analysis.sqlite3"
CORPUS_KEEP = 16  # corpus-level entries kept (most recently used)
CORRUPT_KEEP = 3  # moved-aside corrupt files kept
_PKG = Path(__file__).resolve().parent
_TABLES = ("files", "ner", "docs", "corpus")

# code that changes what the NER stage gets or gives; every other module feeds the derived key
NER_CODE = ("normalize.py", "boilerplate.py", "segment.py", "ner.py", "models.py", "datafiles.py", "resources.py")
_CORRUPT_WORDS = ("not a database", "malformed", "corrupt")


class CacheUnavailable(QuotexError):
    """The cache cannot be used now; the message says why. The cache file is left as it is."""


def _h(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()[:32]


def _file_sum(path: Path | None) -> str:
    if path is None:
        return "none"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "missing"


@lru_cache(maxsize=2)
def _code_sum(which: str) -> str:
    """Checksum of the NER stage's code (``ner``) or of all of quotex's code (``all``)."""
    if which == "ner":
        files = [_PKG / n for n in NER_CODE]
    else:
        files = sorted(p for p in _PKG.rglob("*.py") if "training" not in p.relative_to(_PKG).parts)
    return _h(*(f"{f.relative_to(_PKG)}:{_file_sum(f)}" for f in files))


def data_sum(stage: str) -> str:
    """Checksum of the data files in effect that feed ``stage`` (see :data:`DATA_FILES`)."""
    parts = []
    for name, st in sorted(DATA_FILES.items()):
        if st == stage:
            parts.append(f"{name}:{_file_sum(data_file(name))}:{_file_sum(overlay_file(name))}")
    return _h(*parts)


def content_key(text: str) -> str:
    """Hash of a document's decoded text."""
    return _h("text", text)


def model_fingerprint(tagger: Any) -> str | None:
    """What identifies the tagger's output: the model manifest's checksum for the shipped
    model, ``none`` without NER, a stand-in's ``cache_key`` attribute; None: not cacheable."""
    if tagger is None:
        return "none"
    if isinstance(tagger, str) and tagger == "default":
        from .resources import model_dir

        return "model:" + _file_sum(model_dir() / "manifest.json")
    manifest = getattr(tagger, "manifest", None)
    if isinstance(manifest, dict):
        import json

        return "model:" + hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:16]
    key = getattr(tagger, "cache_key", None)
    return f"custom:{key}" if key else None


@dataclass(frozen=True)
class Versions:
    """The version strings that key the cache for one run."""

    ner: str
    derived: str
    corpus: str

    @classmethod
    def make(cls, *, model: str, alias_checksum: str, keep_boilerplate: bool) -> "Versions":
        """Versions for this code, the data files in effect, ``model``, the alias table and options."""
        from . import __version__

        ner = _h("ner", FORMAT, __version__, _code_sum("ner"), data_sum("ner"), model, keep_boilerplate)
        derived = _h("derived", ner, _code_sum("all"), data_sum("derived"), alias_checksum)
        return cls(ner, derived, _h("corpus", derived))

    def doc_key(self, doc_id: str, ckey: str) -> str:
        """Key of one document's derived result."""
        return _h(self.derived, doc_id, ckey)

    def ner_key(self, ckey: str) -> str:
        """Key of one text's NER spans."""
        return _h(self.ner, ckey)

    def corpus_key(self, doc_keys: Sequence[str]) -> str:
        """Key of the folded corpus of these documents, in this order."""
        return _h(self.corpus, *doc_keys)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS files (path BLOB PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ckey TEXT, encoding TEXT);
CREATE TABLE IF NOT EXISTS ner (k TEXT PRIMARY KEY, blob BLOB);
CREATE TABLE IF NOT EXISTS docs (k TEXT PRIMARY KEY, blob BLOB);
CREATE TABLE IF NOT EXISTS corpus (k TEXT PRIMARY KEY, blob BLOB, used REAL);
"""


def _warn(msg: str) -> None:
    print(f"quotex: warning: {msg}", file=sys.stderr)


def _chunks(seq: Sequence[Any], n: int = 500) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def is_corruption(exc: BaseException) -> bool:
    """True for SQLite errors that mean the file itself is damaged (not disk full, locks, permissions)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    msg = str(exc).lower()
    return any(w in msg for w in _CORRUPT_WORDS)


def path_key(path: str) -> bytes:
    """A file path as the bytes the OS uses (works for names that are not valid UTF-8)."""
    return os.fsencode(os.path.abspath(path))


class Store:
    """The analysis cache (see the module docstring). Use as a context manager or call close().

    Raises :class:`CacheUnavailable` when the cache cannot be used at all."""

    def __init__(self, directory: Path | str | None = None, *, timeout: float = 30.0) -> None:
        self.dir = Path(directory) if directory is not None else cache_dir()
        self.path = self.dir / DB_NAME
        self.timeout = timeout
        self._warned: set[str] = set()
        self.conn = self._open()

    # ------------------------------------------------------------------ opening
    def _connect(self) -> sqlite3.Connection:
        self.dir.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            row = None
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone():
                row = conn.execute("SELECT v FROM meta WHERE k='format'").fetchone()
            if row is None or row[0] != FORMAT:  # new file, or one from another format: start empty
                with conn:
                    conn.execute("BEGIN IMMEDIATE")
                    for t in _TABLES:
                        conn.execute(f"DROP TABLE IF EXISTS {t}")
                    conn.execute(_SCHEMA.strip().split(";")[0])
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
            for stmt in _SCHEMA.strip().split(";")[1:]:
                if stmt.strip():
                    conn.execute(stmt)
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection:
        if self.dir.exists() and not self.dir.is_dir():
            raise CacheUnavailable(f"the cache folder {self.dir} is not a folder; remove it or set QUOTEX_CACHE_DIR to a folder")
        try:
            return self._connect()
        except sqlite3.DatabaseError as e:
            if not is_corruption(e):
                raise CacheUnavailable(f"cannot use the analysis cache {self.path} ({e}); the file is left as it is") from None
            self._quarantine(e)
        except OSError as e:
            raise CacheUnavailable(f"cannot use the analysis cache folder {self.dir} ({e.strerror or e})") from None
        try:
            return self._connect()
        except (sqlite3.Error, OSError) as e:
            raise CacheUnavailable(f"cannot create a new analysis cache {self.path} ({e})") from None

    def _quarantine(self, exc: BaseException) -> None:
        """Move a corrupt cache file aside (uniquely named) and delete older moved-aside files."""
        bad = self.path.with_name(f"{DB_NAME}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}")
        try:
            os.replace(self.path, bad)
        except FileNotFoundError:
            pass
        except OSError as e:
            raise CacheUnavailable(f"the analysis cache {self.path} is damaged ({exc}) and cannot be moved aside "
                                   f"({e.strerror or e}); left as it is") from None
        for suffix in ("-wal", "-shm"):
            try:
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            except OSError:
                pass
        _warn(f"the analysis cache {self.path} is damaged ({exc}); moved it to {bad.name} and starting a new one")
        self.clean_corrupt(keep=CORRUPT_KEEP)

    def clean_corrupt(self, keep: int = 0) -> int:
        """Delete moved-aside corrupt files but the newest ``keep``; returns how many were deleted."""
        try:
            olds = sorted(self.dir.glob(f"{DB_NAME}.corrupt-*"), key=lambda p: p.name, reverse=True)
        except OSError:
            return 0
        n = 0
        for p in olds[keep:]:
            try:
                p.unlink()
                n += 1
            except OSError:
                pass
        return n

    def _repair(self, exc: BaseException) -> None:
        """Damage found after opening: move the file aside and go on with a new one."""
        self.close()
        try:
            self._quarantine(exc)
            self.conn = self._connect()
        except (CacheUnavailable, sqlite3.Error, OSError) as e:
            self._warn_once("gone", f"analysis cache unavailable ({e}); continuing without it")
            self.conn = None  # type: ignore[assignment]

    def _failed(self, what: str, exc: sqlite3.Error) -> None:
        if is_corruption(exc):
            self._repair(exc)
        else:
            self._warn_once(what, f"cannot {what} the analysis cache {self.path} ({exc}); "
                            + ("results are not cached" if what == "write" else "recomputing") + "; the file is left as it is")

    def _warn_once(self, key: str, msg: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            _warn(msg)

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        if getattr(self, "conn", None) is not None:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------------ safe reads and writes
    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        if self.conn is None:
            return []
        try:
            return self.conn.execute(sql, list(args)).fetchall()
        except sqlite3.DatabaseError as e:
            self._failed("read", e)
            return []

    def _select_many(self, table: str, keys: Sequence[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for part in _chunks(list(keys)):
            rows = self._query(f"SELECT k, blob FROM {table} WHERE k IN ({','.join('?' * len(part))})", part)
            out.update(rows)
        return out

    def _write(self, sql: str, rows: Sequence[tuple], *more: tuple[str, tuple]) -> None:
        if not rows or self.conn is None:
            return
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.executemany(sql, rows)
                for s, a in more:
                    self.conn.execute(s, a)
        except sqlite3.DatabaseError as e:
            self._failed("write", e)

    @staticmethod
    def _loads_all(raw: dict[str, bytes]) -> dict[str, Any]:
        out = {}
        for k, b in raw.items():
            try:
                out[k] = codec.loads(b)
            except codec.DecodeError:  # a damaged or foreign blob is a miss
                pass
        return out

    # ------------------------------------------------------------------ files
    def file_keys_under(self, folder: str) -> dict[bytes, tuple[int, int, str, str]]:
        """path bytes -> (size, mtime_ns, content key, encoding) for every file recorded under ``folder``."""
        d = path_key(folder)
        sep = os.fsencode(os.sep)
        rows = self._query("SELECT path, size, mtime_ns, ckey, encoding FROM files WHERE path >= ? AND path < ?",
                           (d + sep, d + bytes([sep[0] + 1])))
        return {bytes(p): (s, m, c, e) for p, s, m, c, e in rows}

    def put_files(self, rows: Sequence[tuple[bytes, int, int, str, str]]) -> None:
        """Record (path bytes, size, mtime_ns, content key, encoding) rows."""
        self._write("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?)", rows)

    # ------------------------------------------------------------------ ner / docs
    def get_ner(self, keys: Sequence[str]) -> dict[str, Any]:
        """NER spans by key (misses left out)."""
        return self._loads_all(self._select_many("ner", keys))

    def put_ner(self, items: Sequence[tuple[str, Any]]) -> None:
        """Store NER spans (one transaction)."""
        self._write("INSERT OR REPLACE INTO ner VALUES (?,?)", [(k, codec.dumps(v)) for k, v in items])

    def get_docs(self, keys: Sequence[str]) -> dict[str, Any]:
        """Document results by key (misses left out)."""
        return self._loads_all(self._select_many("docs", keys))

    def put_docs(self, items: Sequence[tuple[str, Any]]) -> None:
        """Store document results (one transaction)."""
        self._write("INSERT OR REPLACE INTO docs VALUES (?,?)", [(k, codec.dumps(v)) for k, v in items])

    # ------------------------------------------------------------------ corpus
    def get_corpus(self, key: str) -> Any:
        """The corpus entry for ``key``, or None."""
        got = self._loads_all(self._select_many("corpus", [key]))
        if key not in got:
            return None
        if self.conn is not None:
            try:
                with self.conn:
                    self.conn.execute("UPDATE corpus SET used=? WHERE k=?", (time.time(), key))
            except sqlite3.DatabaseError:
                pass
        return got[key]

    def put_corpus(self, key: str, value: Any) -> None:
        """Store a corpus entry; keep only the :data:`CORPUS_KEEP` most recently used."""
        self._write("INSERT OR REPLACE INTO corpus VALUES (?,?,?)", [(key, codec.dumps(value), time.time())],
                    ("DELETE FROM corpus WHERE k NOT IN (SELECT k FROM corpus ORDER BY used DESC LIMIT ?)", (CORPUS_KEEP,)))

    # ------------------------------------------------------------------ admin
    def info(self) -> dict[str, Any]:
        """Path, size on disk, counts and the format/version for ``quotex cache info``."""
        from . import __version__

        size = 0
        for suffix in ("", "-wal", "-shm"):
            try:
                size += os.path.getsize(str(self.path) + suffix)
            except OSError:
                pass
        counts = {}
        for t in _TABLES:
            rows = self._query(f"SELECT COUNT(*) FROM {t}")
            counts[t] = rows[0][0] if rows else None
        return {
            "path": str(self.path),
            "bytes": size,
            "documents": counts["docs"],
            "ner_entries": counts["ner"],
            "files": counts["files"],
            "corpora": counts["corpus"],
            "format": FORMAT,
            "quotex_version": __version__,
            "model": model_fingerprint("default"),
            "ner_code": _code_sum("ner")[:12],
            "code": _code_sum("all")[:12],
        }

    def clear(self) -> None:
        """Delete every entry, the moved-aside corrupt files and the compiled alias tables
        (and give the space back)."""
        self.clean_corrupt(keep=0)
        for p in (self.dir / "aliases").glob("*.json"):
            try:
                p.unlink()
            except OSError:
                pass
        if self.conn is None:
            return
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                for t in _TABLES:
                    self.conn.execute(f"DELETE FROM {t}")
            self.conn.execute("VACUUM")
        except sqlite3.DatabaseError as e:
            if not is_corruption(e):
                raise CacheUnavailable(f"cannot clear the analysis cache {self.path} ({e})") from None
            self.close()  # damaged: start over with an empty file
            self.conn = None  # type: ignore[assignment]
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            self.conn = self._connect()


def open_store(directory: Path | str | None = None) -> Store | None:
    """The cache, or None (with a warning) when it cannot be used now."""
    try:
        return Store(directory)
    except CacheUnavailable as e:
        _warn(f"{e}; running without the cache")
        return None
