"""The analysis cache: a SQLite file that makes every query after the first one cheap.

Layout (one file, ``analysis.sqlite3`` in ``platformdirs.user_cache_dir("quotex")``,
or in ``$QUOTEX_CACHE_DIR``):

``files``   (path, size, mtime_ns) -> content key and encoding, so that an unchanged
            file is not read or decoded again (the racy-git caveat applies: a file
            rewritten with the same size within the file system's timestamp
            granularity is not noticed; ``--no-cache`` or ``quotex cache clear`` fixes it).
``ner``     content key + NER version -> the model-dependent part of a document: the
            NER spans per sentence. The NER version covers the quotex code that
            normalises/segments text, the data files it reads (abbreviations,
            boilerplate markers), ``keep_boilerplate`` and the model (checksum of its
            manifest, which lists the sha256 of every model file).
``docs``    document key -> the derived part, a :class:`~quotex.pipeline.DocResult`
            (alias matching, folding inside the document, quotes). The key adds the
            document id, the alias table checksum, the cue lexicon / title list
            checksums and the code of the derived stages. Editing ``aliases.yaml``
            therefore recomputes this part from the cached NER spans and never reruns
            the model.
``corpus``  corpus key (the ordered document keys) -> the folded entities and the
            resolved quotes, so that a repeated query over a large corpus neither
            unpickles every document nor folds again. Only the most recent few are kept.

Blobs are pickles. That is acceptable because the cache is the user's own file,
written only by quotex, under the user's cache directory; do not point
``QUOTEX_CACHE_DIR`` at a folder that others can write. Every key includes
:data:`FORMAT` and the quotex version, so a blob written by another version is never
loaded, and anything that fails to unpickle is treated as a miss.

Concurrency: WAL journal, a busy timeout, and one transaction per batch of writes, so
two quotex processes can share the file and Ctrl-C leaves it consistent (SQLite rolls
back an unfinished transaction). A file that is not a readable SQLite database is
moved aside and rebuilt, with a warning on stderr.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

FORMAT = "3"
DB_NAME = "analysis.sqlite3"
CORPUS_KEEP = 16  # corpus-level entries kept (most recently used)
_PKG = Path(__file__).resolve().parent

# code whose change invalidates each part
_NER_CODE = ("normalize.py", "boilerplate.py", "segment.py", "ner.py", "models.py")
_NER_DATA = ("abbreviations.txt", "boilerplate.yaml")
_DERIVED_CODE = ("pipeline.py", "aliases.py", "quotes.py", "reported.py")
_DERIVED_DATA = ("cues.yaml", "titles.txt")
_CORPUS_CODE = ("entities.py", "api.py")


def cache_dir() -> Path:
    """``$QUOTEX_CACHE_DIR`` if set, else the platform's user cache folder for quotex."""
    env = os.environ.get("QUOTEX_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("quotex"))


def _h(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()[:32]


def _file_sum(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "missing"


@lru_cache(maxsize=4)
def _code_sum(names: tuple[str, ...]) -> str:
    return _h(*(_file_sum(_PKG / n) for n in names))


@lru_cache(maxsize=4)
def _data_sum(names: tuple[str, ...]) -> str:
    from .resources import data_file

    return _h(*(_file_sum(data_file(n)) for n in names))


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
        from . import __version__

        ner = _h("ner", FORMAT, __version__, _code_sum(_NER_CODE), _data_sum(_NER_DATA), model, keep_boilerplate)
        derived = _h("derived", ner, _code_sum(_DERIVED_CODE), _data_sum(_DERIVED_DATA), alias_checksum)
        corpus = _h("corpus", derived, _code_sum(_CORPUS_CODE))
        return cls(ner, derived, corpus)

    def doc_key(self, doc_id: str, ckey: str) -> str:
        return _h(self.derived, doc_id, ckey)

    def ner_key(self, ckey: str) -> str:
        return _h(self.ner, ckey)

    def corpus_key(self, doc_keys: Sequence[str]) -> str:
        return _h(self.corpus, *doc_keys)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ckey TEXT, encoding TEXT);
CREATE TABLE IF NOT EXISTS ner (k TEXT PRIMARY KEY, blob BLOB);
CREATE TABLE IF NOT EXISTS docs (k TEXT PRIMARY KEY, blob BLOB);
CREATE TABLE IF NOT EXISTS corpus (k TEXT PRIMARY KEY, blob BLOB, used REAL);
"""


def _warn(msg: str) -> None:
    print(f"quotex: warning: {msg}", file=sys.stderr)


def _chunks(seq: Sequence[Any], n: int = 500) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


class Store:
    """The analysis cache (see the module docstring). Use as a context manager or call close()."""

    def __init__(self, directory: Path | str | None = None, *, timeout: float = 30.0) -> None:
        self.dir = Path(directory) if directory is not None else cache_dir()
        self.path = self.dir / DB_NAME
        self.timeout = timeout
        self.conn = self._open()

    # ------------------------------------------------------------------ opening
    def _connect(self) -> sqlite3.Connection:
        self.dir.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_SCHEMA)
        row = conn.execute("SELECT v FROM meta WHERE k='format'").fetchone()
        if row is None:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
        elif row[0] != FORMAT:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                for t in ("files", "ner", "docs", "corpus"):
                    conn.execute(f"DELETE FROM {t}")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as e:
            if isinstance(e, sqlite3.OperationalError) and "locked" in str(e):
                raise
            bad = self.path.with_name(f"{DB_NAME}.corrupt-{int(time.time())}")
            _warn(f"the analysis cache {self.path} is unreadable ({e}); moved it to {bad.name} and starting a new one")
            for suffix in ("", "-wal", "-shm"):
                p = Path(str(self.path) + suffix)
                try:
                    if suffix:
                        p.unlink(missing_ok=True)
                    elif p.exists():
                        p.replace(bad)
                except OSError:
                    pass
            return self._connect()

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------------ safe reads
    def _select_many(self, table: str, keys: Sequence[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        try:
            for part in _chunks(list(keys)):
                q = f"SELECT k, blob FROM {table} WHERE k IN ({','.join('?' * len(part))})"
                out.update(self.conn.execute(q, list(part)).fetchall())
        except sqlite3.DatabaseError as e:
            _warn(f"cannot read the analysis cache ({e}); recomputing")
            return {}
        return out

    @staticmethod
    def _loads(blob: bytes) -> Any:
        try:
            return pickle.loads(blob)
        except Exception:  # a damaged or foreign blob is a miss
            return None

    def _write(self, sql: str, rows: Sequence[tuple]) -> None:
        if not rows:
            return
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.executemany(sql, rows)
        except sqlite3.DatabaseError as e:
            _warn(f"cannot write the analysis cache ({e}); results are not cached")

    # ------------------------------------------------------------------ files
    def file_keys(self, paths: Sequence[str]) -> dict[str, tuple[int, int, str, str]]:
        """path -> (size, mtime_ns, content key, encoding) as recorded."""
        out = {}
        try:
            for part in _chunks(list(paths)):
                q = f"SELECT path, size, mtime_ns, ckey, encoding FROM files WHERE path IN ({','.join('?' * len(part))})"
                for p, s, m, c, e in self.conn.execute(q, list(part)):
                    out[p] = (s, m, c, e)
        except sqlite3.DatabaseError:
            return {}
        return out

    def put_files(self, rows: Sequence[tuple[str, int, int, str, str]]) -> None:
        self._write("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?)", rows)

    # ------------------------------------------------------------------ ner / docs
    def get_ner(self, keys: Sequence[str]) -> dict[str, Any]:
        raw = self._select_many("ner", keys)
        out = {k: self._loads(b) for k, b in raw.items()}
        return {k: v for k, v in out.items() if v is not None}

    def put_ner(self, items: Sequence[tuple[str, Any]]) -> None:
        self._write("INSERT OR REPLACE INTO ner VALUES (?,?)", [(k, pickle.dumps(v, protocol=5)) for k, v in items])

    def get_docs(self, keys: Sequence[str]) -> dict[str, Any]:
        raw = self._select_many("docs", keys)
        out = {k: self._loads(b) for k, b in raw.items()}
        return {k: v for k, v in out.items() if v is not None}

    def put_docs(self, items: Sequence[tuple[str, Any]]) -> None:
        self._write("INSERT OR REPLACE INTO docs VALUES (?,?)", [(k, pickle.dumps(v, protocol=5)) for k, v in items])

    # ------------------------------------------------------------------ corpus
    def get_corpus(self, key: str) -> Any:
        raw = self._select_many("corpus", [key])
        if key not in raw:
            return None
        try:
            with self.conn:
                self.conn.execute("UPDATE corpus SET used=? WHERE k=?", (time.time(), key))
        except sqlite3.DatabaseError:
            pass
        return self._loads(raw[key])

    def put_corpus(self, key: str, value: Any) -> None:
        blob = pickle.dumps(value, protocol=5)
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.execute("INSERT OR REPLACE INTO corpus VALUES (?,?,?)", (key, blob, time.time()))
                self.conn.execute("DELETE FROM corpus WHERE k NOT IN (SELECT k FROM corpus ORDER BY used DESC LIMIT ?)", (CORPUS_KEEP,))
        except sqlite3.DatabaseError as e:
            _warn(f"cannot write the analysis cache ({e}); results are not cached")

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
        for t in ("files", "ner", "docs", "corpus"):
            try:
                counts[t] = self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            except sqlite3.DatabaseError:
                counts[t] = None
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
            "ner_code": _code_sum(_NER_CODE)[:12],
            "derived_code": _code_sum(_DERIVED_CODE)[:12],
        }

    def clear(self) -> None:
        """Delete every entry (and give the space back)."""
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            for t in ("files", "ner", "docs", "corpus"):
                self.conn.execute(f"DELETE FROM {t}")
        try:
            self.conn.execute("VACUUM")
        except sqlite3.DatabaseError:
            pass


def open_store(directory: Path | str | None = None) -> Store | None:
    """The cache, or None (with a warning) when it cannot be opened at all."""
    try:
        return Store(directory)
    except (sqlite3.Error, OSError) as e:
        _warn(f"analysis cache unavailable ({e}); continuing without it")
        return None


# ====================================================================== the cached analysis

_CACHED_ENC = "\x00cached:"  # Document.encoding of a file whose text was not read (stat hit)


class _StatReader:
    """The ``read`` function given to ``iter_inputs`` during a cached run: a file whose path, size
    and mtime are recorded is not read (its Document has empty text and a marker encoding)."""

    def __init__(self, store: Store, original: Callable[[str], Any]) -> None:
        self.store = store
        self.original = original
        self.known: dict[str, tuple[int, int, str, str]] = {}
        self.new_rows: list[tuple[str, int, int, str, str]] = []
        self.ckeys: dict[str, str] = {}  # doc id -> content key (for every file seen)
        self._loaded_dirs: set[str] = set()

    def _lookup(self, apath: str) -> tuple[int, int, str, str] | None:
        d = os.path.dirname(apath)
        if d not in self._loaded_dirs:  # one query per folder
            self._loaded_dirs.add(d)
            try:
                rows = self.store.conn.execute("SELECT path, size, mtime_ns, ckey, encoding FROM files WHERE path >= ? AND path < ?",
                                               (d + os.sep, d + chr(ord(os.sep) + 1))).fetchall()
            except sqlite3.DatabaseError:
                rows = []
            for p, s, m, c, e in rows:
                self.known[p] = (s, m, c, e)
        return self.known.get(apath)

    def __call__(self, path: str) -> Any:
        from .corpus import Skipped
        from .models import Document

        apath = os.path.abspath(path)
        try:
            st = os.stat(path)
        except OSError:
            return self.original(path)
        rec = self._lookup(apath)
        if rec is not None and rec[0] == st.st_size and rec[1] == st.st_mtime_ns:
            self.ckeys[path] = rec[2]
            return Document(path, "", _CACHED_ENC + rec[3])
        doc = self.original(path)
        if not isinstance(doc, Skipped):
            ck = content_key(doc.text)
            self.ckeys[path] = ck
            # a file changed in the last 2 s may change again within the timestamp granularity
            if time.time() - st.st_mtime_ns / 1e9 > 2:
                self.new_rows.append((apath, st.st_size, st.st_mtime_ns, ck, doc.encoding))
        return doc


def _text_of(doc: Any) -> Any:
    """The Document with its text (re-read when the stat cache skipped reading it)."""
    if not doc.encoding.startswith(_CACHED_ENC):
        return doc
    from .corpus import read_document

    return read_document(Path(doc.id), doc_id=doc.id)


def _corpus_class() -> type:
    from .api import Corpus

    class CachedCorpus(Corpus):
        """A Corpus answered from the corpus-level cache: folded entities and resolved quotes
        are stored; the per-document results are unpickled only if something asks for them."""

        def __init__(self, table: Any, report: Any, blob: dict, loader: Callable[[], list]) -> None:
            self.include_indirect = False
            self.table = table
            self.report = report
            self._blob = blob
            self._loader = loader

        @property
        def results(self) -> list:  # type: ignore[override]
            if "_results" not in self.__dict__:
                self.__dict__["_results"] = self._loader()
            return self.__dict__["_results"]

        @cached_property
        def folded(self) -> Any:
            from .entities import FoldedCorpus

            return FoldedCorpus(self._blob["entities"], self._blob["assignment"], _LazyTuple(lambda: self.results))

        def all_statements(self) -> list:
            return list(self._blob["quotes"])

    return CachedCorpus


class _LazyTuple(Sequence):
    def __init__(self, load: Callable[[], Sequence]) -> None:
        self._load = load

    def __getitem__(self, i):  # type: ignore[override]
        return self._load()[i]

    def __len__(self) -> int:
        return len(self._load())

    def __iter__(self):
        return iter(self._load())


def analyze_cached(paths: Sequence[str], *, globs: Sequence[str], table: Any, report: Any, alias_files: Sequence[str | Path],
                   default_aliases: bool, keep_boilerplate: bool, tagger: Any, stdin: Any, progress: Any,
                   batch_docs: int, jobs: int, store: Store) -> Any:
    """``quotex.analyze`` with the cache (see the module docstring). Returns a Corpus."""
    from . import corpus as corpus_mod
    from .api import Corpus
    from .parallel import analyse_docs

    versions = Versions.make(model=model_fingerprint(tagger) or "", alias_checksum=table.checksum, keep_boilerplate=keep_boilerplate)
    reader = _StatReader(store, corpus_mod._read_one)
    docs = list(report.track(corpus_mod.iter_inputs([str(p) for p in paths], globs=globs, stdin=stdin, read=reader)))
    store.put_files(reader.new_rows)
    ckeys = [reader.ckeys.get(d.id) if d.encoding.startswith(_CACHED_ENC) else content_key(d.text) for d in docs]
    dkeys = [versions.doc_key(d.id, c) for d, c in zip(docs, ckeys)]
    ckey_corpus = versions.corpus_key(dkeys)

    def load_all() -> list:
        with Store(store.dir) as s:
            got = s.get_docs(dkeys)
        if len(got) == len(set(dkeys)):
            return [_attach(got[k], d) for k, d in zip(dkeys, docs)]
        # evicted meanwhile: analyse again
        return analyze_cached(paths, globs=globs, table=table, report=type(report)(), alias_files=alias_files,
                              default_aliases=default_aliases, keep_boilerplate=keep_boilerplate, tagger=tagger,
                              stdin=None, progress=None, batch_docs=batch_docs, jobs=jobs, store=Store(store.dir)).results

    blob = store.get_corpus(ckey_corpus)
    if isinstance(blob, dict) and {"entities", "assignment", "quotes"} <= blob.keys():
        if progress is not None:
            progress(len(docs))
        return _corpus_class()(table, report, blob, load_all)

    results: list[Any] = [None] * len(docs)
    got = store.get_docs(dkeys)
    for i, k in enumerate(dkeys):
        r = got.get(k)
        if r is not None:
            results[i] = _attach(r, docs[i])
    miss = [i for i, r in enumerate(results) if r is None]
    if progress is not None and len(miss) < len(docs):
        progress(len(docs) - len(miss))
    if miss:
        texts = {i: _text_of(docs[i]) for i in miss}
        nkeys = {i: versions.ner_key(ckeys[i] or content_key(texts[i].text)) for i in miss}
        spans = store.get_ner(list(nkeys.values()))
        # documents whose NER spans are cached: only the derived part is recomputed (no model)
        have = [i for i in miss if nkeys[i] in spans]
        need = [i for i in miss if nkeys[i] not in spans]
        from .parallel import analyse_batch

        for part in _chunks(have, 256):
            out = analyse_batch([texts[i] for i in part], None, table, keep_boilerplate, [spans[nkeys[i]] for i in part])
            for i, (_, r) in zip(part, out):
                results[i] = r
            store.put_docs([(dkeys[i], _detach(r)) for i, (_, r) in zip(part, out)])
            if progress is not None:
                progress(len(part))
        pos = 0
        for out in analyse_docs([texts[i] for i in need], tagger_spec=tagger, table=table, alias_files=alias_files,
                                default_aliases=default_aliases, keep_boilerplate=keep_boilerplate, jobs=jobs,
                                batch_docs=batch_docs, progress=progress):
            part = need[pos : pos + len(out)]
            pos += len(out)
            for i, (_, r) in zip(part, out):
                results[i] = r
            # one transaction per batch: an interrupted run keeps every finished batch
            store.put_ner([(nkeys[i], s) for i, (s, _) in zip(part, out)])
            store.put_docs([(dkeys[i], _detach(r)) for i, (_, r) in zip(part, out)])
    corpus = Corpus(results, table, report)
    folded = corpus.folded
    store.put_corpus(ckey_corpus, {"entities": folded.entities, "assignment": folded.assignment, "quotes": tuple(corpus.all_statements())})
    return corpus


def _detach(r: Any) -> Any:
    return r  # the text is kept: a corpus-level hit needs it for lazily loaded results


def _attach(r: Any, doc: Any) -> Any:
    return r
