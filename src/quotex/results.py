"""The analysed corpus: folded entities, mentions, quotes with resolved speakers, and
finding a speaker by name (:meth:`Corpus.match_speaker`). :func:`quotex.analyze`
(:mod:`quotex.engine`) builds it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from rapidfuzz import fuzz

from .aliases import AliasTable, fold_key
from .corpus import RunReport
from .entities import FoldedCorpus, fold, resolved_mentions, slug
from .errors import QuotexError
from .models import QUOTE_KINDS, Entity, Mention, Quote
from .pipeline import DocResult


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
    include_indirect: bool = False  # all_quotes()/quotes() also give reported speech (kind "indirect")

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

    def _doc_ids(self) -> list[str]:
        """Document ids by index (the order of ``results``)."""
        return [r.doc_id for r in self.results]

    @cached_property
    def _entity_dates(self) -> dict[str, tuple[str, str]]:
        """Entity id -> (first, last) date of the dated documents that mention it."""
        meta = self.report.metadata
        if not meta:
            return {}
        ids = self._doc_ids()
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
        """Every quotation with its resolved speaker, syndicated copies linked; reported
        statements (kind ``indirect``) too when the corpus was analysed with ``include_indirect``."""
        qs = self.all_statements()
        return qs if self.include_indirect else [q for q in qs if q.kind != "indirect"]

    def all_statements(self) -> list[Quote]:
        """Direct quotations and reported statements, with resolved speakers."""
        out: list[Quote] = []
        for di, r in enumerate(self.results):
            for q in r.quotes:
                out.append(self._resolve(di, r, q))
        from .quotes import link_syndicated

        return list(link_syndicated(out))

    def quotes(self, *, speaker: str | None = None, kinds: Iterable[str] | None = None) -> list[Quote]:
        """Quotations, optionally only those of one speaker (see :meth:`match_speaker`) and of
        some ``kinds`` (``full``, ``partial``, ``indirect``, ...). Without ``kinds``: direct
        quotations, plus reported speech if the corpus was analysed with ``include_indirect``;
        naming ``indirect`` in ``kinds`` gives reported speech either way."""
        if kinds is None:
            qs = self.all_quotes()
        else:
            wanted = {k.lower() for k in kinds}
            unknown = wanted - set(QUOTE_KINDS)
            if unknown:
                raise QuotexError(f"unknown quote kind {sorted(unknown)[0]!r}; use one of {', '.join(QUOTE_KINDS)}")
            qs = [q for q in self.all_statements() if q.kind in wanted]
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
        elif q.speaker_name and stype in ("PERSON", "ORG"):
            # a speaker named in the text that no mention covers (the model missed it)
            e = self._entity_by_name(q.speaker_name, stype, di)
            speaker = e.canonical if e is not None else q.speaker_name
            speaker_id = e.id if e is not None else slug(q.speaker_name)
            speaker_mention = q.speaker_text or q.speaker_name
        elif q.speaker_text:
            speaker_mention = q.speaker_text
        return Quote(r.doc_id, q.start, q.end, text[q.start : q.end], q.kind, speaker, speaker_id,
                     stype, speaker_mention, q.cue, round(float(q.confidence), 3), rule=q.rule)

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
        """The speaker id that ``query`` names among quoted speakers.

        Every speaker that :meth:`quotes` shows can be found by its shown name, its id and
        any variant: for an entity, its canonical name, variants, aliases and role titles; for
        a speaker no entity covers, the name and the words as written. Forgives case,
        hyphens, accents and small typos. Raises :class:`AmbiguousSpeakerError` listing the
        candidates when several speakers fit equally, :class:`UnknownSpeakerError` when none does.
        """
        qs = self.all_quotes() if quotes is None else quotes
        key = fold_key(query)
        if not key:
            raise UnknownSpeakerError("--speaker needs a name")
        names: dict[str, set[str]] = {}
        shown: dict[str, str] = {}
        ents = {e.id: e for e in self.folded.entities}
        for q in qs:
            sid = q.speaker_id
            if not sid:
                continue
            if sid not in names:
                forms = {sid, sid.replace("-", " ")}
                e = ents.get(sid)
                if e is not None:
                    forms.update((e.canonical, *e.variants))
                    entry = self.table.entries.get(sid)
                    if entry is not None:
                        forms.update(entry.aliases)
                        forms.update(entry.roles)
                names[sid] = forms
                shown[sid] = q.speaker or sid
            names[sid].update(f for f in (q.speaker, q.speaker_mention) if f)
        if query.strip() in names:  # an id, exactly
            return query.strip()
        keys = {sid: {k for k in (fold_key(f) for f in forms) if k} for sid, forms in names.items()}
        exact = sorted(sid for sid, ks in keys.items() if key in ks)
        if not exact:  # one word of a name, the name without spaces, or a run of its words
            exact = sorted(sid for sid, ks in keys.items()
                           if any(key == k.replace(" ", "") or f" {key} " in f" {k} " for k in ks))
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise AmbiguousSpeakerError(_ambiguous(query, [(shown[s], s) for s in exact]))
        scored = []
        for sid, ks in keys.items():
            best = max((max(fuzz.ratio(key, k), max((fuzz.ratio(key, w) for w in k.split()), default=0)) for k in ks), default=0)
            scored.append((best, sid))
        scored.sort(key=lambda t: (-t[0], t[1]))
        if not scored or scored[0][0] < 80:
            near = ", ".join(shown[s] for _, s in scored[:5])
            hint = f"; the closest quoted speakers: {near}" if near else "; no quote in these documents has a named speaker"
            raise UnknownSpeakerError(f"no quoted speaker matches {query!r}{hint}")
        top = [sid for sc, sid in scored if sc >= scored[0][0] - 3]
        if len(top) > 1:
            raise AmbiguousSpeakerError(_ambiguous(query, [(shown[s], s) for s in top]))
        return top[0]


def _ambiguous(query: str, speakers: Sequence[tuple[str, str]]) -> str:
    names = "; ".join(f"{name} ({sid})" for name, sid in speakers)
    return f"--speaker {query!r} is ambiguous: {names}. Give the full name or the id."
