"""The runner: read the inputs, analyse each document (or take it from the cache), fold.

:func:`analyze` is ``quotex.analyze``. With the cache (:mod:`quotex.store`), a document
whose derived result is stored is not analysed; one whose NER spans are stored is analysed
without the model; a corpus whose folded result is stored is not even folded again (its
per-document results are loaded only if something asks for them).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

from . import corpus as corpus_mod
from .aliases import AliasTable, load_aliases
from .corpus import DEFAULT_GLOBS, RunReport, SkipFile, Skipped
from .entities import FoldedCorpus
from .errors import InputError
from .inputs import ReadOptions, iter_documents
from .models import Document
from .pipeline import DocResult, Tagger
from .resources import overlay
from .results import Corpus
from .store import Store, Versions, content_key, model_fingerprint, open_store, path_key

DEFAULT_BATCH_DOCS = 32

_CACHED_ENC = "\x00cached:"  # Document.encoding of a file whose text was not read (stat hit)


def analyze(
    paths: Sequence[str | Path] = ("seeds",),
    *,
    globs: Sequence[str] = DEFAULT_GLOBS,
    aliases: Sequence[str | Path] = (),
    default_aliases: bool = True,
    keep_boilerplate: bool = False,
    tagger: Tagger | None | str = "default",
    stdin: BinaryIO | None = None,
    progress: Callable[[int], None] | None = None,
    batch_docs: int = DEFAULT_BATCH_DOCS,
    cache: bool = True,
    jobs: int = 1,
    data_dir: str | Path | None = None,
    include_indirect: bool = False,
    options: ReadOptions | None = None,
    device: str | None = None,
) -> Corpus:
    """Read, analyse and fold a corpus. ``tagger="default"`` loads the shipped Stanza model
    (once, and only if some document needs it); ``None`` uses the alias table alone.

    ``cache=True`` uses the analysis cache (:mod:`quotex.store`; ``$QUOTEX_CACHE_DIR``
    or the user cache folder): unchanged documents are not analysed again. A tagger
    object is cached only if it has a ``cache_key`` attribute. ``jobs`` > 1 analyses
    documents in that many worker processes (same results as ``jobs=1``).
    ``data_dir`` overlays the language-data files (see :mod:`quotex.resources`).
    ``include_indirect`` makes :meth:`Corpus.quotes` give reported speech (kind ``indirect``)
    with the quotations (it is always analysed and cached; this only chooses what is listed).
    ``options`` (:class:`quotex.inputs.ReadOptions`) names the fields of record files
    (JSONL/JSON/CSV) and the ``since``/``until`` date window; see docs/input.md.
    ``device`` is where the shipped model runs (``auto``, ``cpu``, ``cuda[:N]``; None:
    ``$QUOTEX_DEVICE`` or auto), in this process and in the worker processes."""
    corpus = _analyze(paths, globs=globs, aliases=aliases, default_aliases=default_aliases, keep_boilerplate=keep_boilerplate,
                      tagger=tagger, stdin=stdin, progress=progress, batch_docs=batch_docs, cache=cache, jobs=jobs,
                      data_dir=data_dir, options=options, device=device)
    corpus.include_indirect = include_indirect
    return corpus


def _analyze(paths: Sequence[str | Path], *, globs: Sequence[str], aliases: Sequence[str | Path], default_aliases: bool,
             keep_boilerplate: bool, tagger: Tagger | None | str, stdin: BinaryIO | None,
             progress: Callable[[int], None] | None, batch_docs: int, cache: bool, jobs: int,
             data_dir: str | Path | None, options: ReadOptions | None = None, device: str | None = None) -> Corpus:
    if data_dir is not None and not Path(data_dir).is_dir():
        raise InputError(f"--data {data_dir}: not a folder; give a folder holding data files such as cues.yaml")
    run = _Run(tuple(str(p) for p in paths), tuple(globs), tuple(aliases), default_aliases, keep_boilerplate, tagger, jobs,
               batch_docs, str(Path(data_dir).resolve()) if data_dir is not None else None,
               replace(options or ReadOptions(), cache=False) if not cache else options or ReadOptions(), device)
    with overlay(run.data_dir):
        table = load_aliases(run.alias_files, defaults=default_aliases, cache=cache)
        report = RunReport()
        if cache and model_fingerprint(tagger) is not None:
            store = open_store()
            if store is not None:
                with store:
                    return _analyze_cached(run, table, report, stdin, progress, store)
        docs = list(report.track(iter_documents(list(run.paths), globs=run.globs, stdin=stdin, options=run.options)))
        results: list[DocResult] = []
        for out in run.analyze_docs(docs, table, progress):
            results.extend(r for _, r in out if not _failed(r, report))
        return Corpus(results, table, report)


@dataclass(frozen=True)
class _Run:
    """The options of one analysis (what a later lazy load needs to redo it)."""

    paths: tuple[str, ...]
    globs: tuple[str, ...]
    alias_files: tuple[str | Path, ...]
    default_aliases: bool
    keep_boilerplate: bool
    tagger: Any
    jobs: int
    batch_docs: int
    data_dir: str | None
    options: ReadOptions = ReadOptions()  # record fields, --since/--until (quotex.inputs)
    device: str | None = None  # where the shipped model runs (None: $QUOTEX_DEVICE or auto)

    def analyze_docs(self, docs: Sequence[Document], table: AliasTable, progress: Callable[[int], None] | None):
        """Batches of (NER spans, DocResult) for ``docs``, in order, with the model if needed."""
        from .parallel import analyze_docs

        return analyze_docs(docs, tagger_spec=self.tagger, table=table, alias_files=self.alias_files,
                            default_aliases=self.default_aliases, keep_boilerplate=self.keep_boilerplate, jobs=self.jobs,
                            batch_docs=self.batch_docs, progress=progress, device=self.device)


class _StatReader:
    """The ``read`` function given to ``iter_inputs`` during a cached run: a file whose path, size
    and mtime are recorded is not read (its Document has empty text and a marker encoding), but
    it is still opened, so that a file that became unreadable is skipped as without the cache."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.known: dict[bytes, tuple[int, int, str, str]] = {}
        self.new_rows: list[tuple[bytes, int, int, str, str]] = []
        self.ckeys: dict[str, str] = {}  # doc id -> content key (for every file seen)
        self._loaded_dirs: set[str] = set()

    def _lookup(self, path: str) -> tuple[int, int, str, str] | None:
        d = os.path.dirname(os.path.abspath(path))
        if d not in self._loaded_dirs:  # one query per folder
            self._loaded_dirs.add(d)
            self.known.update(self.store.file_keys_under(d))
        return self.known.get(path_key(path))

    def __call__(self, path: str) -> Document | Skipped:
        try:
            st = os.stat(path)
        except OSError:
            return corpus_mod._read_one(path)
        rec = self._lookup(path)
        if rec is not None and rec[0] == st.st_size and rec[1] == st.st_mtime_ns:
            try:
                os.close(os.open(path, os.O_RDONLY))
            except OSError:
                return corpus_mod._read_one(path)  # the same reason as an uncached run gives
            self.ckeys[path] = rec[2]
            return Document(path, "", _CACHED_ENC + rec[3])
        doc = corpus_mod._read_one(path)
        if not isinstance(doc, Skipped):
            ck = content_key(doc.text)
            self.ckeys[path] = ck
            # a file changed in the last 2 s may change again within the timestamp granularity
            if time.time() - st.st_mtime_ns / 1e9 > 2:
                self.new_rows.append((path_key(path), st.st_size, st.st_mtime_ns, ck, doc.encoding))
        return doc


class CachedCorpus(Corpus):
    """A Corpus answered from the corpus-level cache: folded entities and resolved quotes
    are stored; the per-document results are loaded only if something asks for them."""

    def __init__(self, table: AliasTable, report: RunReport, blob: dict, loader: Callable[[], list]) -> None:
        self.include_indirect = False
        self.table = table
        self.report = report
        self._blob = blob
        self._loader = loader

    @property
    def results(self) -> list:  # type: ignore[override]
        """The per-document results (loaded on first use)."""
        if "_results" not in self.__dict__:
            self.__dict__["_results"] = self._loader()
        return self.__dict__["_results"]

    @cached_property
    def folded(self) -> FoldedCorpus:
        """The stored folding; its per-document results load lazily."""
        docs, idx, ents = self._blob["assignment"]
        return FoldedCorpus(self._blob["entities"], dict(zip(zip(docs, idx), ents)), _LazyTuple(lambda: self.results))

    def all_statements(self) -> list:
        """The stored resolved quotes and reported statements."""
        return list(self._blob["quotes"])

    def _doc_ids(self) -> list[str]:
        """Document ids by index, without loading the per-document results."""
        return self.report.doc_ids


class _LazyTuple(Sequence):
    def __init__(self, load: Callable[[], Sequence]) -> None:
        self._load = load

    def __getitem__(self, i):  # type: ignore[override]
        return self._load()[i]

    def __len__(self) -> int:
        return len(self._load())

    def __iter__(self):
        return iter(self._load())


def _valid_corpus_entry(blob: Any) -> bool:
    if not (isinstance(blob, dict) and {"entities", "assignment", "quotes"} <= blob.keys()):
        return False
    a = blob["assignment"]  # (document indexes, mention indexes, entity indexes)
    return isinstance(a, tuple) and len(a) == 3 and all(isinstance(x, tuple) for x in a) and len({len(x) for x in a}) == 1


def _analyze_cached(run: _Run, table: AliasTable, report: RunReport, stdin: BinaryIO | None,
                    progress: Callable[[int], None] | None, store: Store) -> Corpus:
    versions = Versions.make(model=model_fingerprint(run.tagger) or "", alias_checksum=table.checksum,
                             keep_boilerplate=run.keep_boilerplate)
    reader = _StatReader(store)
    docs = list(report.track(iter_documents(list(run.paths), globs=run.globs, stdin=stdin, read=reader, options=run.options)))
    store.put_files(reader.new_rows)
    ckeys = [reader.ckeys[d.id] if d.encoding.startswith(_CACHED_ENC) else content_key(d.text) for d in docs]
    dkeys = [versions.doc_key(d.id, c) for d, c in zip(docs, ckeys)]
    corpus_key = versions.corpus_key(dkeys)

    blob = store.get_corpus(corpus_key)
    if _valid_corpus_entry(blob):
        if progress is not None:
            progress(len(docs))
        directory = store.dir

        def load() -> list[DocResult]:
            # never through the corpus entry again: results missing from the cache are recomputed
            with overlay(run.data_dir):
                st = open_store(directory)
                if st is None:
                    return _doc_results(run, table, docs, ckeys, dkeys, versions, None, None, RunReport())
                with st:
                    return _doc_results(run, table, docs, ckeys, dkeys, versions, st, None, RunReport())

        return CachedCorpus(table, report, blob, load)

    results = _doc_results(run, table, docs, ckeys, dkeys, versions, store, progress, report)
    corpus = Corpus(results, table, report)
    if len(results) < len(docs):  # a document failed or went away: no corpus entry, so a warm run reports it again
        return corpus
    folded = corpus.folded
    a = folded.assignment
    store.put_corpus(corpus_key, {"entities": folded.entities, "quotes": tuple(corpus.all_statements()),
                                  "assignment": (tuple(d for d, _ in a), tuple(i for _, i in a), tuple(a.values()))})
    return corpus


def _failed(r: Any, report: RunReport) -> bool:
    """True for an AnalysisFailure, which is reported as a skipped input (exit code 4): the run goes on."""
    if isinstance(r, DocResult):
        return False
    report.read -= 1
    report.skipped.append(Skipped(r.doc_id, f"internal error while analysing it ({r.error}); please report this"))
    return True


def _doc_results(run: _Run, table: AliasTable, docs: list[Document], ckeys: list[str], dkeys: list[str], versions: Versions,
                 store: Store | None, progress: Callable[[int], None] | None, report: RunReport) -> list[DocResult]:
    """Each document's result: stored, or from stored NER spans, or from the model. A document
    that could not be read again (it changed or went away since it was listed) is dropped and
    reported as skipped."""
    results: list[DocResult | None] = [None] * len(docs)
    got = store.get_docs(dkeys) if store is not None else {}
    for i, k in enumerate(dkeys):
        results[i] = got.get(k)
    miss = [i for i, r in enumerate(results) if r is None]
    if progress is not None and len(miss) < len(docs):
        progress(len(docs) - len(miss))
    gone: set[int] = set()
    texts: dict[int, Document] = {}
    for i in miss:
        d = docs[i]
        if not d.encoding.startswith(_CACHED_ENC):
            texts[i] = d
            continue
        try:
            texts[i] = corpus_mod.read_document(Path(d.id), doc_id=d.id)
        except SkipFile as e:
            gone.add(i)
            report.read -= 1
            report.skipped.append(Skipped(d.id, e.reason))
    miss = [i for i in miss if i not in gone]
    if miss:
        nkeys = {i: versions.ner_key(content_key(texts[i].text)) for i in miss}
        spans = store.get_ner(list(nkeys.values())) if store is not None else {}
        # documents whose NER spans are cached: only the derived part is recomputed (no model)
        have = [i for i in miss if nkeys[i] in spans]
        need = [i for i in miss if nkeys[i] not in spans]
        from .parallel import analyze_batch

        for start in range(0, len(have), 256):
            part = have[start : start + 256]
            out = analyze_batch([texts[i] for i in part], None, table, run.keep_boilerplate, [spans[nkeys[i]] for i in part])
            ok = [(i, r) for i, (_, r) in zip(part, out) if not _failed(r, report)]
            for i, r in ok:
                results[i] = r
            if store is not None:
                store.put_docs([(dkeys[i], r) for i, r in ok])
            if progress is not None:
                progress(len(part))
        pos = 0
        for out in run.analyze_docs([texts[i] for i in need], table, progress):
            part = need[pos : pos + len(out)]
            pos += len(out)
            ok = [(i, r) for i, (_, r) in zip(part, out) if not _failed(r, report)]
            for i, r in ok:
                results[i] = r
            if store is not None:  # one transaction per batch: an interrupted run keeps every finished batch
                store.put_ner([(nkeys[i], s) for i, (s, _) in zip(part, out) if s is not None])
                store.put_docs([(dkeys[i], r) for i, r in ok])
    return [r for r in results if r is not None]
