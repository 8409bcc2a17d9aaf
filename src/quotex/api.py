"""The library API that the command line wraps.

    from quotex import analyze
    corpus = analyze(["seeds/"])
    corpus.entities()            # folded entities
    corpus.quotes(speaker="Blinken")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

from rapidfuzz import fuzz

from .aliases import AliasTable, fold_key, load_aliases
from .corpus import DEFAULT_GLOBS, RunReport, iter_inputs
from .entities import FoldedCorpus, _slug, fold, resolved_mentions
from .errors import QuotexError
from .inputs import ReadOptions
from .models import Document, Entity, Mention, Quote
from .pipeline import DocResult, Tagger

DEFAULT_BATCH_DOCS = 32


class AmbiguousSpeakerError(QuotexError):
    """``--speaker`` matched several people; the message lists them."""


class UnknownSpeakerError(QuotexError):
    """``--speaker`` matched nobody who is quoted."""


@dataclass
class Corpus:
    """The analysed documents, folded into entities; quotes resolved on demand."""

    results: list[DocResult]
    table: AliasTable
    report: RunReport = field(default_factory=RunReport)

    @cached_property
    def folded(self) -> FoldedCorpus:
        """Cross-document entity folding (computed once)."""
        return fold(self.results, self.table)

    def entities(self, *, types: Iterable[str] | None = None, min_count: int = 1) -> list[Entity]:
        """Folded entities, most mentioned first."""
        wanted = {t.upper() for t in types} if types else None
        out = [e for e in self.folded.entities if e.mentions >= min_count and (wanted is None or e.type in wanted)]
        dates = self._entity_dates
        if dates:
            out = [replace(e, first_date=dates[e.id][0], last_date=dates[e.id][1]) if e.id in dates else e for e in out]
        return sorted(out, key=lambda e: (-e.mentions, -e.documents, e.canonical))

    def mentions(self, *, types: Iterable[str] | None = None) -> list[Mention]:
        """Every entity mention, in document order, with its document's metadata."""
        wanted = {t.upper() for t in types} if types else None
        out = [m for m in resolved_mentions(self.folded) if wanted is None or m.type in wanted]
        meta = self.report.metadata
        if not meta:
            return out
        return [replace(m, date=d["date"], doc_source=d["source"], url=d["url"], title=d["title"]) if (d := meta.get(m.doc)) else m
                for m in out]

    def metadata(self, doc_id: str) -> dict[str, str | None]:
        """The date, source (outlet), url, title and author of one document (None where unknown)."""
        d = self.report.metadata.get(doc_id)
        return dict(d) if d else {"date": None, "source": None, "url": None, "title": None, "author": None}

    def _with_metadata(self, quotes: list[Quote]) -> list[Quote]:
        """Quotes with their document's date/source/url/title (joined at query time, never cached)."""
        meta = self.report.metadata
        if not meta:
            return quotes
        return [replace(q, date=d["date"], source=d["source"], url=d["url"], title=d["title"]) if (d := meta.get(q.doc)) else q
                for q in quotes]

    @cached_property
    def _entity_dates(self) -> dict[str, tuple[str, str]]:
        """Entity id -> (first, last) date of the dated documents that mention it."""
        meta, ids = self.report.metadata, self.report.doc_ids
        if not meta:
            return {}
        out: dict[str, tuple[str, str]] = {}
        for (di, _), gi in self.folded.assignment.items():
            d = meta.get(ids[di]) if di < len(ids) else None
            if not d or not d["date"]:
                continue
            eid, date = self.folded.entities[gi].id, d["date"]
            lo, hi = out.get(eid, (date, date))
            out[eid] = (min(lo, date), max(hi, date))
        return out

    def all_quotes(self) -> list[Quote]:
        """Every quotation with its resolved speaker, syndicated copies linked."""
        out: list[Quote] = []
        for di, r in enumerate(self.results):
            for q in r.quotes:
                out.append(self._resolve(di, r, q))
        try:
            from .quotes import link_syndicated
        except ImportError:  # pragma: no cover
            return out
        return list(link_syndicated(out))

    def quotes(self, *, speaker: str | None = None) -> list[Quote]:
        """Quotations, optionally only those of one speaker (see :meth:`match_speaker`)."""
        qs = self.all_quotes()
        if speaker is None:
            return self._with_metadata(qs)
        sid = self.match_speaker(speaker, qs)
        return self._with_metadata([q for q in qs if q.speaker_id == sid])

    def _resolve(self, di: int, r: DocResult, q: Any) -> Quote:
        text = r.text
        speaker = speaker_id = speaker_mention = None
        stype = q.speaker_type
        if q.speaker_ref is not None and 0 <= q.speaker_ref < len(r.mentions):
            e = self.folded.entity_of(di, q.speaker_ref)
            speaker, speaker_id = e.canonical, e.id
            speaker_mention = r.mentions[q.speaker_ref].text
            stype = "PERSON" if e.type == "PERSON" else "ORG"
        elif getattr(q, "speaker_name", None) and stype in ("PERSON", "ORG"):
            # a speaker named in the text that no mention covers (the model missed it)
            e = self._entity_by_name(q.speaker_name, stype, di)
            speaker = e.canonical if e is not None else q.speaker_name
            speaker_id = e.id if e is not None else _slug(q.speaker_name)
            speaker_mention = q.speaker_text or q.speaker_name
        elif q.speaker_text:
            speaker_mention = q.speaker_text
        cue = q.cue
        return Quote(r.doc_id, q.start, q.end, text[q.start : q.end], q.kind, speaker, speaker_id,
                     stype, speaker_mention, cue, round(float(q.confidence), 3))

    @cached_property
    def _name_index(self) -> dict[tuple[str, str], Entity]:
        """(speaker type, folded name) and ("id", entity id) -> entity."""
        idx: dict[tuple[str, str], Entity] = {}
        for e in self.folded.entities:
            t = "PERSON" if e.type == "PERSON" else "ORG"
            idx[("id", e.id)] = e
            for n in (e.canonical, *e.variants):
                idx.setdefault((t, fold_key(n)), e)
        return idx

    def _entity_by_name(self, name: str, stype: str, doc_index: int) -> Entity | None:
        """The entity a speaker name read from the text refers to: same name anywhere, the alias
        table, or a unique person of the same document whose first or last name it is."""
        key = fold_key(name)
        e = self._name_index.get((stype, key))
        if e is None:
            entry = self.table.lookup(name)
            if entry is not None:
                e = self._name_index.get(("id", entry.id))
        if e is None and stype == "PERSON" and len(key.split()) == 1:
            r = self.results[doc_index]
            local = {self.folded.assignment[(doc_index, li)] for li in range(len(r.entities))}
            cands = {i for i in local if self.folded.entities[i].type == "PERSON"
                     and any(key in (w[0], w[-1]) for w in (fold_key(v).split() for v in self.folded.entities[i].variants) if w)}
            if len(cands) == 1:
                e = self.folded.entities[cands.pop()]
        return e

    def match_speaker(self, query: str, quotes: Sequence[Quote] | None = None) -> str:
        """The entity id that ``query`` names among quoted speakers.

        Matches the canonical name, any variant and the alias table, forgiving
        case, hyphens, accents and small typos. Raises
        :class:`AmbiguousSpeakerError` listing the candidates when several
        speakers fit equally, :class:`UnknownSpeakerError` when none does.
        """
        qs = self.all_quotes() if quotes is None else quotes
        speakers = {q.speaker_id for q in qs if q.speaker_id}
        ents = {e.id: e for e in self.folded.entities if e.id in speakers}
        key = fold_key(query)
        if not key:
            raise UnknownSpeakerError("--speaker needs a name")
        names: dict[str, set[str]] = {}
        for e in ents.values():
            forms = {e.canonical, *e.variants}
            entry = self.table.entries.get(e.id)
            if entry is not None:
                forms.update(entry.aliases)
                forms.update(entry.roles)
            names[e.id] = {fold_key(f) for f in forms if f}
        exact = sorted(eid for eid, ks in names.items() if key in ks)
        if len(exact) == 1:
            return exact[0]
        if not exact:
            exact = sorted(eid for eid, ks in names.items() if any(key in k.split() or key == k.replace(" ", "") for k in ks))
            if len(exact) == 1:
                return exact[0]
        if len(exact) > 1:
            raise AmbiguousSpeakerError(_ambiguous(query, [ents[e] for e in exact]))
        scored = []
        for eid, ks in names.items():
            best = max((max(fuzz.ratio(key, k), max((fuzz.ratio(key, w) for w in k.split()), default=0)) for k in ks), default=0)
            scored.append((best, eid))
        scored.sort(reverse=True)
        if not scored or scored[0][0] < 80:
            raise UnknownSpeakerError(f"no quoted speaker matches {query!r}; run 'quotex quotes' to see who is quoted")
        top = [eid for s, eid in scored if s >= scored[0][0] - 3]
        if len(top) > 1:
            raise AmbiguousSpeakerError(_ambiguous(query, [ents[e] for e in top]))
        return top[0]


def _ambiguous(query: str, ents: Sequence[Entity]) -> str:
    names = "; ".join(f"{e.canonical} ({e.id})" for e in ents)
    return f"--speaker {query!r} is ambiguous: {names}. Give the full name or the id."


def read_documents(
    paths: Sequence[str | Path] = ("seeds",),
    *,
    globs: Sequence[str] = DEFAULT_GLOBS,
    options: ReadOptions | None = None,
    stdin: BinaryIO | None = None,
    report: RunReport | None = None,
) -> Iterator[Document]:
    """The documents quotex would analyse, with their metadata, read lazily (no model, no analysis cache;
    extracted HTML pages are cached unless ``options.cache`` is False).

    For an HTML page ``Document.text`` is the extracted text that result offsets refer
    to; a record file gives one Document per record. Pass a :class:`RunReport` to
    collect what was skipped or left out by ``options.since/until``."""
    rep = report if report is not None else RunReport()
    return rep.track(iter_inputs([str(p) for p in paths], globs=globs, stdin=stdin, options=options))


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
    options: ReadOptions | None = None,
) -> Corpus:
    """Read, analyse and fold a corpus. ``tagger="default"`` loads the shipped Stanza model
    (once, and only if some document needs it); ``None`` uses the alias table alone.

    ``cache=True`` uses the analysis cache (:mod:`quotex.store`; ``$QUOTEX_CACHE_DIR``
    or the user cache folder): unchanged documents are not analysed again. A tagger
    object is cached only if it has a ``cache_key`` attribute. ``jobs`` > 1 analyses
    documents in that many worker processes (same results as ``jobs=1``).

    ``options`` (:class:`quotex.inputs.ReadOptions`) names the fields of record files
    (JSONL/JSON/CSV) and the ``since``/``until`` date window; see docs/input.md."""
    from .parallel import analyse_docs

    table = load_aliases(aliases, defaults=default_aliases)
    report = RunReport()
    if not cache:
        options = replace(options or ReadOptions(), cache=False)
    str_paths = [str(p) for p in paths]
    if cache:
        from .store import analyze_cached, model_fingerprint, open_store

        store = open_store() if model_fingerprint(tagger) is not None else None
        if store is not None:
            try:
                return analyze_cached(str_paths, globs=globs, table=table, report=report, alias_files=tuple(aliases),
                                      default_aliases=default_aliases, keep_boilerplate=keep_boilerplate, tagger=tagger,
                                      stdin=stdin, progress=progress, batch_docs=batch_docs, jobs=jobs, store=store,
                                      options=options)
            finally:
                store.close()
    results: list[DocResult] = []
    if jobs > 1:
        docs = list(report.track(iter_inputs(str_paths, globs=globs, stdin=stdin, options=options)))
        for out in analyse_docs(docs, tagger_spec=tagger, table=table, alias_files=tuple(aliases), default_aliases=default_aliases,
                                keep_boilerplate=keep_boilerplate, jobs=jobs, batch_docs=batch_docs, progress=progress):
            results.extend(r for _, r in out)
        return Corpus(results, table, report)
    from .pipeline import analyze_documents, default_tagger

    batch: list[Document] = []

    def flush() -> None:
        if not batch:
            return
        t = default_tagger() if tagger == "default" else tagger
        results.extend(analyze_documents(batch, tagger=t, table=table, keep_boilerplate=keep_boilerplate))
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for doc in report.track(iter_inputs(str_paths, globs=globs, stdin=stdin, options=options)):
        batch.append(doc)
        if len(batch) >= batch_docs:
            flush()
    flush()
    return Corpus(results, table, report)
