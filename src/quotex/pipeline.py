"""The per-document analysis: normalise, drop boilerplate, segment, tag, fold.

``prepare`` -> ``tag`` (batched NER across documents) -> ``build_result``. The
result of one document depends only on its id and text plus the data files
and the model, which makes :func:`analyze_text` a pure function that a
distributed engine can map over a corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from .aliases import AliasEntry, AliasTable, fold_key, load_aliases
from .boilerplate import find_boilerplate
from .datafiles import load_words
from .models import Document, Mention, Sentence
from .normalize import Normalized, normalize
from .resources import data_file
from .segment import segment

_ACRONYM_RE = re.compile(r"^[A-Z][A-Za-z0-9-]{1,11}$")


class Tagger(Protocol):
    """Anything that tags pretokenised sentences (the Stanza model, or a stand-in in tests)."""

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[int, int, str]]]: ...


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document ready for tagging."""

    doc: Document
    norm: Normalized
    excluded: tuple[tuple[int, int], ...]
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class LocalEntity:
    """An entity as seen inside one document (before folding across documents)."""

    type: str
    table_id: str | None
    names: tuple[str, ...]  # surface forms, in order of first appearance

    @property
    def full_name(self) -> str:
        """The longest form written in the document."""
        return max(self.names, key=lambda n: (len(n.split()), len(n)))


@dataclass(frozen=True, slots=True)
class DocResult:
    """Everything quotex keeps about one document (analysis offsets mapped to the original text)."""

    doc_id: str
    text: str
    mentions: tuple[Mention, ...]  # sorted; entity_id = table id or None
    clusters: tuple[int, ...]  # for each mention, an index into `entities`
    entities: tuple[LocalEntity, ...]
    quotes: tuple[Any, ...] = ()  # quotex.quotes.QuoteSpan with original offsets
    n_tokens: int = 0
    n_sentences: int = 0
    extra: dict = field(default_factory=dict)
    excluded: tuple[tuple[int, int], ...] = ()  # boilerplate left out of the analysis (original offsets)


def load_titles() -> frozenset[str]:
    """Title words stripped from the start of PERSON mentions."""
    return _casefolded_words(data_file("titles.txt"))


def load_calendar() -> frozenset[str]:
    """Day and month names (``data/calendar.txt``), lower-case."""
    return _casefolded_words(data_file("calendar.txt"))


@lru_cache(maxsize=8)
def _casefolded_words(path: Path) -> frozenset[str]:
    return frozenset(w.casefold() for w in load_words(path))


def prepare(doc: Document, *, keep_boilerplate: bool = False) -> Prepared:
    """Normalise, find boilerplate, split into sentences."""
    norm = normalize(doc.text)
    excluded = () if keep_boilerplate else tuple(find_boilerplate(norm.text))
    return Prepared(doc, norm, excluded, tuple(segment(norm.text, excluded)))


def tag(prepared: Sequence[Prepared], tagger: Tagger | None) -> list[list[list[tuple[int, int, str]]]]:
    """NER spans (token ranges) for every sentence of every document, in one batched call."""
    if tagger is None:
        return [[[] for _ in p.sentences] for p in prepared]
    flat = [[t.text for t in s.tokens] for p in prepared for s in p.sentences]
    tags = tagger.tag(flat) if flat else []
    out = []
    k = 0
    for p in prepared:
        out.append(tags[k : k + len(p.sentences)])
        k += len(p.sentences)
    return out


@dataclass
class _M:
    start: int  # analysis offsets
    end: int
    type: str
    source: str
    table: AliasEntry | None = None
    sent: int = 0
    first: int = 0  # token range in sentence
    last: int = 0


_LOWER_OK = frozenset("dan di ke dari untuk yang atau dengan pada oleh bagi dalam vs the of and for a".split())


def _abbreviates(short: str, long: str) -> bool:
    """Could ``short`` abbreviate ``long``? Its first letter starts the long form and its letters
    appear there in order: AS < Amerika Serikat, Korut < Korea Utara, KPK not < Agus Wibowo."""
    if short.isupper() and len(short) > len(re.split(r"[\s-]+", long.strip())) + 1:
        return False  # IDI is not an abbreviation of "Indonesia" (Ikatan Dokter Indonesia was missed)
    s = [c for c in short.casefold() if c.isalnum()]
    lf = [c for c in long.casefold() if c.isalnum()]
    if not s or not lf or s[0] != lf[0]:
        return False
    it = iter(lf)
    return all(c in it for c in s)


def _is_title_case(sent: Sentence) -> bool:
    """A headline-style sentence: almost every word capitalised, no final full stop."""
    words = [t.text for t in sent.tokens if t.text[:1].isalpha()]
    if len(words) < 4 or sent.tokens[-1].text in (".", "?", "!", "”", '"'):
        return False
    caps = sum(1 for w in words if w[:1].isupper() or w.casefold() in _LOWER_OK)
    return caps >= len(words) - 1 and sum(1 for w in words if w[:1].isupper()) >= 3


def _is_name_token(tok: str) -> bool:
    return tok[:1].isupper() or tok[:1].isdigit()


def _merge_sentence(sent: Sentence, sidx: int, ner: Sequence[tuple[int, int, str]], table: AliasTable, titles: frozenset[str]) -> list[_M]:
    toks = sent.tokens
    hits = table.find(toks)
    name_hits = [h for h in hits if not h.role]
    out: list[_M] = []
    covered = [None] * len(toks)
    for h in name_hits:
        m = _M(toks[h.first].start, toks[h.end - 1].end, h.entry.type, "alias", h.entry, sidx, h.first, h.end)
        out.append(m)
        for k in range(h.first, h.end):
            covered[k] = m
    for first, end, typ in ner:
        first, end = max(0, first), min(len(toks), end)
        if first >= end:
            continue
        inside = {id(covered[k]): covered[k] for k in range(first, end) if covered[k] is not None}
        if inside:
            hs = list(inside.values())
            if typ == "ORG" and all(first <= h.first and h.last <= end for h in hs) and any(h.first > first or h.last < end for h in hs) and not any(h.type == "PERSON" for h in hs):
                # an organisation whose name contains a country (Kementerian Luar Negeri Jepang)
                for h in hs:
                    out.remove(h)
                    for k in range(h.first, h.last):
                        covered[k] = None
                segments = [(first, end)]
            else:
                # keep the table's reading; name-like leftovers of a PERSON/LOC span survive
                segments = []
                k = first
                while k < end:
                    if covered[k] is None:
                        j = k
                        while j < end and covered[j] is None:
                            j += 1
                        segments.append((k, j))
                        k = j
                    else:
                        k += 1
                segments = [(a, b) for a, b in segments if all(_is_name_token(toks[x].text) for x in range(a, b))]
        else:
            segments = [(first, end)]
        for a, b in segments:
            if typ == "PERSON":
                while a < b - 1 and toks[a].text.casefold().rstrip(".") in titles:
                    a += 1
            while a < b and not (toks[a].text[:1].isalnum()):
                a += 1
            while b > a and not (toks[b - 1].text[-1:].isalnum() or toks[b - 1].text[-1:] == "."):
                b -= 1
            if a >= b:
                continue
            m = _M(toks[a].start, toks[b - 1].end, typ, "ner", None, sidx, a, b)
            out.append(m)
            for k in range(a, b):
                covered[k] = m
    # role titles ("kata Menlu AS") stand for their person only when no name follows
    for h in hits:
        if not h.role:
            continue
        nxt = h.end
        while nxt < len(toks) and toks[nxt].text in {",", "(", ")"}:
            nxt += 1
        if nxt < len(toks) and covered[nxt] is not None and covered[nxt].type == "PERSON":
            continue
        if nxt < len(toks) and _is_name_token(toks[nxt].text) and toks[nxt].text.casefold() not in load_calendar():
            continue
        ov = [m for m in out if m.start < toks[h.end - 1].end and toks[h.first].start < m.end]
        for m in ov:
            out.remove(m)
        out.append(_M(toks[h.first].start, toks[h.end - 1].end, "PERSON", "alias", h.entry, sidx, h.first, h.end))
    return out


def build_result(p: Prepared, ner: Sequence[Sequence[tuple[int, int, str]]], table: AliasTable, *, find_quotes: Callable | None = None,
                 find_indirect: Callable | None = None) -> DocResult:
    """Combine NER and the alias table, fold within the document, find quotes (and reported speech)."""
    text = p.norm.text
    titles = load_titles()
    ms: list[_M] = []
    for si, (sent, spans) in enumerate(zip(p.sentences, ner)):
        ms.extend(_merge_sentence(sent, si, spans, table, titles))
    # "Asia Timurnya": the -nya enclitic is not part of a multi-word name
    for m in ms:
        if m.source == "ner" and m.last - m.first >= 2:
            word = p.sentences[m.sent].tokens[m.last - 1].text
            if word.endswith("nya") and len(word) > 6 and word[:1].isupper():
                m.end -= 3
    # Headlines in Title Case fool the model ("Teken Pakta Perjanjian Pertahanan"): there, a
    # model-only mention survives only if the same name is also found in the body.
    headline = {si for si, sent in enumerate(p.sentences) if _is_title_case(sent)}
    if headline:
        body = {fold_key(text[m.start : m.end]) for m in ms if m.sent not in headline}
        ms = [m for m in ms if m.sent not in headline or m.source != "ner" or fold_key(text[m.start : m.end]) in body]
    # NER LOC/ORG that the table knows under another type (LOC Rusia -> COUNTRY Russia)
    for m in ms:
        if m.table is None:
            e = table.lookup(text[m.start : m.end])
            if e is not None and (e.type == m.type or (m.type == "LOC" and e.type in ("COUNTRY", "LOC")) or (m.type == "ORG" and e.type == "COUNTRY") or e.type == "PERSON" == m.type):
                m.table = e
                m.type = e.type
    ms.sort(key=lambda m: (m.start, -m.end))
    # --- layer 2: definitions in the text: "Korea Utara (Korut)", "X adalah singkatan dari Y"
    defs: dict[str, _M] = {}
    by_end = {m.end: m for m in ms}
    by_start = {m.start: m for m in ms}
    for si, sent in enumerate(p.sentences):
        toks = sent.tokens
        for k in range(1, len(toks) - 2):
            if toks[k].text == "(" and toks[k + 2].text == ")" and _ACRONYM_RE.match(toks[k + 1].text):
                long = by_end.get(toks[k - 1].end)
                if long is not None and toks[k + 1].text != text[long.start : long.end] and _abbreviates(toks[k + 1].text, text[long.start : long.end]):
                    defs.setdefault(toks[k + 1].text, long)
        words = [t.text.casefold() for t in toks]
        for k in range(len(toks) - 4):
            if words[k + 1 : k + 4] == ["adalah", "singkatan", "dari"] and _ACRONYM_RE.match(toks[k].text):
                j = k + 4
                while j < len(toks) and not _is_name_token(toks[j].text) and j < k + 8:
                    j += 1
                long = by_start.get(toks[j].start) if j < len(toks) else None
                if long is not None:
                    defs.setdefault(toks[k].text, long)
    if defs:
        have = {(m.start, m.end) for m in ms}
        for si, sent in enumerate(p.sentences):
            for k, t in enumerate(sent.tokens):
                d = defs.get(t.text)
                if d is not None and (t.start, t.end) not in have and not any(m.start <= t.start < m.end for m in ms):
                    ms.append(_M(t.start, t.end, d.type, "definition", None, si, k, k + 1))
        ms.sort(key=lambda m: (m.start, -m.end))
    # --- clusters inside the document
    parent: list[int] = list(range(len(ms)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            ta, tb = ms[ra].table, ms[rb].table
            if ta is not None and tb is not None and ta.id != tb.id:
                return
            if ta is None and tb is not None:
                ra, rb = rb, ra
            parent[rb] = ra

    key_first: dict[tuple[str, str], int] = {}
    for i, m in enumerate(ms):
        k = ("id", m.table.id) if m.table is not None else (m.type, fold_key(text[m.start : m.end]))
        if k in key_first:
            union(key_first[k], i)
        else:
            key_first[k] = i
    index = {(m.start, m.end): i for i, m in enumerate(ms)}
    for form, long in defs.items():
        li = index.get((long.start, long.end))
        for i, m in enumerate(ms):
            if text[m.start : m.end] == form and li is not None:
                if m.table is None or long.table is None or m.table.id == long.table.id:
                    ms[i].type = long.type
                    union(li, i)
    # --- layer 3: a short personal name folds into the full name introduced in the document
    persons = [i for i, m in enumerate(ms) if m.type == "PERSON"]
    fulls = [(i, fold_key(text[ms[i].start : ms[i].end]).split()) for i in persons]
    fulls = [(i, toks) for i, toks in fulls if len(toks) >= 2]
    # a lone name the model typed ORG/LOC that is the first or last name of a person
    # written in full in this document is that person ("kunjungan Putin", "Blinken")
    name_words = {w for _, toks in fulls for w in (toks[0], toks[-1])}
    for i, m in enumerate(ms):
        if m.source == "ner" and m.table is None and m.type in ("ORG", "LOC") and m.last - m.first == 1:
            w = fold_key(text[m.start : m.end])
            if w in name_words:
                m.type = "PERSON"
                persons.append(i)
    for i in persons:
        words = fold_key(text[ms[i].start : ms[i].end]).split()
        if len(words) != 1 or ms[i].table is not None:
            continue
        w = words[0]
        cands = [(j, toks) for j, toks in fulls if w in (toks[0], toks[-1])]
        roots = {find(j) for j, _ in cands}
        if not roots:
            continue
        if len(roots) > 1:
            before = [j for j, _ in cands if ms[j].start < ms[i].start]
            if not before:
                continue
            roots = {find(max(before, key=lambda j: ms[j].start))}
        union(next(iter(roots)), i)
    # --- local entities
    root_ids: dict[int, int] = {}
    ents: list[dict] = []
    clusters: list[int] = []
    for i, m in enumerate(ms):
        r = find(i)
        if r not in root_ids:
            root_ids[r] = len(ents)
            rm = ms[r]
            ents.append({"type": rm.type, "table": rm.table.id if rm.table else None, "names": []})
        e = ents[root_ids[r]]
        name = text[m.start : m.end]
        if name not in e["names"] and not (m.source == "alias" and m.table is not None and name in m.table.roles):
            e["names"].append(name)
        clusters.append(root_ids[r])
    local = tuple(LocalEntity(e["type"], e["table"], tuple(e["names"]) or ("?",)) for e in ents)
    # --- quotes (on the analysis text, with analysis-offset mentions)
    ana_mentions = tuple(
        Mention(p.doc.id, m.start, m.end, text[m.start : m.end], local[clusters[i]].type, m.source,
                local[clusters[i]].table_id or f"_local{clusters[i]}", None)
        for i, m in enumerate(ms)
    )
    quotes: tuple = ()
    if find_quotes is not None:
        quotes = tuple(find_quotes(text, ana_mentions, excluded=p.excluded))
        if find_indirect is not None:
            quotes += tuple(find_indirect(text, ana_mentions, quotes, sentences=p.sentences, excluded=p.excluded))
    # --- map to original offsets
    orig = p.doc.text
    mentions = []
    for i, m in enumerate(ms):
        s, e = p.norm.span(m.start, m.end)
        mentions.append(Mention(p.doc.id, s, e, orig[s:e], local[clusters[i]].type, m.source, local[clusters[i]].table_id, None))
    n_tokens = sum(len(s.tokens) for s in p.sentences)
    return DocResult(p.doc.id, orig, tuple(mentions), tuple(clusters), local,
                     tuple(_quote_to_original(q, p.norm) for q in quotes), n_tokens, len(p.sentences),
                     excluded=tuple(p.norm.span(a, b) for a, b in p.excluded))


def _quote_to_original(q: Any, norm: Normalized) -> Any:
    """Map a QuoteSpan's analysis offsets to the original text."""
    if norm._map is None:
        return q
    import dataclasses

    s, e = norm.span(q.start, q.end)
    changes: dict[str, Any] = {"start": s, "end": e}
    if getattr(q, "cue_start", None) is not None and q.cue_end is not None:
        changes["cue_start"], changes["cue_end"] = norm.span(q.cue_start, q.cue_end)
    for name in ("open_mark", "close_mark"):
        v = getattr(q, name, None)
        if v is not None:
            changes[name] = norm.span(v, v + 1)[0]
    return dataclasses.replace(q, **changes)


CHUNK_CHARS = 1_000_000  # larger documents are analysed piece by piece, so memory stays bounded


def chunk_bounds(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at a line break where there is
    one in the second half of the piece, else at a space, else anywhere."""
    out = []
    a, n = 0, len(text)
    while n - a > limit:
        b = text.rfind("\n", a + limit // 2, a + limit)
        if b < 0:
            b = text.rfind(" ", a + limit // 2, a + limit)
        b = a + limit if b < 0 else b + 1
        out.append((a, b))
        a = b
    out.append((a, n))
    return out


def _shift(r: DocResult, doc: Document, offset: int, n_mentions: int, n_entities: int) -> tuple:
    import dataclasses

    ms = tuple(dataclasses.replace(m, start=m.start + offset, end=m.end + offset) for m in r.mentions)
    cl = tuple(c + n_entities for c in r.clusters)
    qs = []
    for q in r.quotes:
        ch: dict[str, Any] = {"start": q.start + offset, "end": q.end + offset}
        for f in ("cue_start", "cue_end", "open_mark", "close_mark"):
            v = getattr(q, f, None)
            if v is not None:
                ch[f] = v + offset
        if q.speaker_ref is not None:
            ch["speaker_ref"] = q.speaker_ref + n_mentions
        qs.append(dataclasses.replace(q, **ch))
    return ms, cl, tuple(qs)


def _analyze_large(doc: Document, tagger: Tagger | None, table: AliasTable, keep_boilerplate: bool,
                   fq: Callable | None, known: list | None) -> tuple[list, DocResult]:
    """One big document, piece by piece; the pieces' results are joined into one DocResult."""
    all_spans: list = []
    mentions: list = []
    clusters: list = []
    entities: list = []
    quotes: list = []
    excluded: list = []
    n_tok = n_sent = 0
    for a, b in chunk_bounds(doc.text):
        p = prepare(Document(doc.id, doc.text[a:b], doc.encoding), keep_boilerplate=keep_boilerplate)
        if known is not None and len(known) >= len(all_spans) + len(p.sentences):
            spans = known[len(all_spans) : len(all_spans) + len(p.sentences)]
        else:
            spans = tag([p], tagger)[0]
        all_spans.extend(spans)
        r = build_result(p, spans, table, find_quotes=fq, find_indirect=_indirect_finder() if fq is not None else None)
        ms, cl, qs = _shift(r, doc, a, len(mentions), len(entities))
        mentions.extend(ms)
        clusters.extend(cl)
        entities.extend(r.entities)
        quotes.extend(qs)
        excluded.extend((s + a, e + a) for s, e in r.excluded)
        n_tok += r.n_tokens
        n_sent += r.n_sentences
    return all_spans, DocResult(doc.id, doc.text, tuple(mentions), tuple(clusters), tuple(entities), tuple(quotes), n_tok, n_sent,
                               excluded=tuple(excluded))


def analyze_with_spans(docs: Sequence[Document], tagger: Tagger | None, table: AliasTable, *, keep_boilerplate: bool = False,
                       known_spans: Sequence[list | None] | None = None, quotes: bool = True) -> list[tuple[list, DocResult]]:
    """(NER spans per sentence, DocResult) for each document. NER runs in one batched call
    for the documents whose spans are not ``known``; documents over ``CHUNK_CHARS`` are
    analysed piece by piece."""
    fq = _quote_finder() if quotes else None
    fi = _indirect_finder() if quotes else None
    known = list(known_spans) if known_spans is not None else [None] * len(docs)
    out: list[Any] = [None] * len(docs)
    small = [i for i, d in enumerate(docs) if len(d.text) <= CHUNK_CHARS]
    for i, d in enumerate(docs):
        if len(d.text) > CHUNK_CHARS:
            out[i] = _analyze_large(d, tagger, table, keep_boilerplate, fq, known[i])
    prepared = {i: prepare(docs[i], keep_boilerplate=keep_boilerplate) for i in small}
    todo = [i for i in small if known[i] is None or len(known[i]) != len(prepared[i].sentences)]
    if todo:
        for i, sp in zip(todo, tag([prepared[i] for i in todo], tagger)):
            known[i] = sp
    for i in small:
        out[i] = (known[i], build_result(prepared[i], known[i], table, find_quotes=fq, find_indirect=fi))
    return out


def analyze_documents(docs: Sequence[Document], *, tagger: Tagger | None, table: AliasTable | None = None,
                      keep_boilerplate: bool = False, quotes: bool = True) -> list[DocResult]:
    """Analyse a batch of documents (NER batched across them)."""
    table = table or load_aliases()
    return [r for _, r in analyze_with_spans(docs, tagger, table, keep_boilerplate=keep_boilerplate, quotes=quotes)]


def _quote_finder() -> Callable | None:
    try:
        from .quotes import find_quotes
    except ImportError:  # pragma: no cover - during development
        return None
    return find_quotes


def _indirect_finder() -> Callable | None:
    """Reported speech (kind ``indirect``), found with the quotations of every document."""
    from .reported import find_indirect

    return find_indirect


_DEFAULT_TAGGER: Any = None


def default_tagger() -> Tagger:
    """The shipped Stanza model, loaded once per process."""
    global _DEFAULT_TAGGER
    if _DEFAULT_TAGGER is None:
        import logging

        from .ner import NerModel

        # Stanza's own messages are shown when quotex logs at INFO (`quotex -v`)
        _DEFAULT_TAGGER = NerModel.load(verbose=logging.getLogger("quotex").isEnabledFor(logging.INFO))
    return _DEFAULT_TAGGER


def analyze_text(doc_id: str, text: str) -> DocResult:
    """Pure per-document analysis with the shipped model and default data files."""
    return analyze_documents([Document(doc_id, text)], tagger=default_tagger())[0]
