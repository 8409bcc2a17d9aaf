"""The per-document analysis: normalise, drop boilerplate, segment, tag, fold.

``prepare`` -> ``tag`` (batched NER across documents) -> ``build_result``, which runs the
named stages of :data:`STAGES` (candidates from the model and the alias table, span
repairs, table types, in-text definitions, folding inside the document, local entities,
quotes, offsets back to the original text), each a function with a typed input and output.
The result of one document depends only on its id and text plus the data files and the
model, which makes :func:`analyze_text` a pure function that a distributed engine can map
over a corpus.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, get_type_hints

from .aliases import AliasEntry, AliasTable, fold_key, load_aliases
from .boilerplate import find_boilerplate
from .datafiles import load_words, load_yaml
from .errors import ConfigError, QuotexError
from .models import Document, Mention, Sentence
from .names import abbreviates, abbreviates_name, family_conflict, is_part_name, load_folding, name_letters, spelling_key
from .normalize import Normalized, normalize
from .resources import data_file
from .segment import segment
from .unionfind import UnionFind
from .variants import TYPO_MIN_LETTERS, adjacent_keys, count_word, load_variant_words, starts_upper, typing_slip

log = logging.getLogger(__name__)

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


@dataclass(frozen=True, slots=True, eq=False)
class Candidate:
    """A mention being built: analysis offsets, type, where it came from, its sentence and token range."""

    start: int
    end: int
    type: str
    source: str
    table: AliasEntry | None = None
    sent: int = 0
    first: int = 0  # token range in the sentence
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


def _split_at_brackets(toks: Sequence, a: int, b: int) -> list[tuple[int, int]]:
    """A model span never leaves a bracket dangling: ``Kementerian Luar Negeri (Kemlu`` is the
    name and, apart, its in-text short form; so is ``Korea Utara (Korut)``, where the bracket
    holds a short form of the name before it. Brackets that are part of the name stay:
    ``PT Pertamina (Persero)``, ``Rumah Sakit Umum Daerah (RSUD) Kardinah``."""
    opens = [k for k in range(a, b) if toks[k].text in ("(", "[")]
    closes = [k for k in range(a, b) if toks[k].text in (")", "]")]
    if not opens and not closes:
        return [(a, b)]
    if len(opens) == 1 and len(closes) == 1 and opens[0] < closes[0]:
        o, c = opens[0], closes[0]
        if o > a and (c < b - 1 or not _abbreviates("".join(t.text for t in toks[o + 1 : c]), " ".join(t.text for t in toks[a:o]))):
            return [(a, b)]  # part of the name
    out, start = [], a
    for k in range(a, b):
        if toks[k].text in ("(", ")", "[", "]"):
            if start < k:
                out.append((start, k))
            start = k + 1
    if start < b:
        out.append((start, b))
    return out


def _title_place_hit(h: Any, toks: Sequence, table: AliasTable, titles: frozenset[str]) -> Any:
    """A table place written with its administrative word right after a title word (``Wali Kota
    Surabaya``: the title is Wali Kota, the place Surabaya) is the place without that word."""
    if h.role or h.first == 0 or h.end - h.first < 2:
        return h
    w = toks[h.first].text.casefold()
    if w not in load_folding().place_forms or toks[h.first - 1].text.casefold() not in titles:
        return h
    e = table.lookup(" ".join(t.text for t in toks[h.first + 1 : h.end]))
    return replace(h, first=h.first + 1) if e is not None and e.id == h.entry.id else h


def _merge_sentence(sent: Sentence, sidx: int, ner: Sequence[tuple[int, int, str]], table: AliasTable, titles: frozenset[str]) -> list[Candidate]:
    toks = sent.tokens
    verbs = load_folding().trailing_verbs
    hits = [_title_place_hit(h, toks, table, titles) for h in table.find(toks)]
    name_hits = [h for h in hits if not h.role]
    out: list[Candidate] = []
    covered = [None] * len(toks)
    for h in name_hits:
        m = Candidate(toks[h.first].start, toks[h.end - 1].end, h.entry.type, "alias", h.entry, sidx, h.first, h.end)
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
            h0 = hs[0]
            if typ == "PERSON" and len(hs) == 1 and h0.last == end and first < h0.first == end - 1 \
                    and any(c.islower() for c in toks[h0.first].text) \
                    and all(_is_name_token(toks[x].text) and toks[x].text.casefold().rstrip(".") not in titles for x in range(first, h0.first)):
                # a personal name whose last word is also a one-word table name: a place (Abdul Jabar) or
                # a relative's name (Tommy Soeharto): the person the model found, not a given name plus the table's entry
                out.remove(h0)
                covered[h0.first] = None
                segments = [(first, end)]
            elif typ in ("ORG", "LOC") and all(first <= h.first and h.last <= end for h in hs) and any(h.first > first or h.last < end for h in hs) and (
                    not any(h.type == "PERSON" for h in hs)
                    or (toks[first].text.casefold() in load_folding().named_after_heads and all(h.first > first for h in hs))):
                # an organisation or place whose name contains a known name (Kementerian Luar Negeri
                # Jepang, Gedung DPR, Libya Barat): the longer name, not the table's piece plus a leftover
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
        for a, b in (piece for seg in segments for piece in _split_at_brackets(toks, *seg)):
            while a < b - 1 and toks[b - 1].text.casefold() in verbs:
                b -= 1  # "Kapolda menegaskan": the verb is not part of the speaker
            if typ == "PERSON" and any(toks[x].text == "/" for x in range(a + 1, b - 1)):
                # two people written as a pair (Tontowi Ahmad/Liliyana Natsir)
                cut = next(x for x in range(a + 1, b - 1) if toks[x].text == "/")
                m = Candidate(toks[a].start, toks[cut - 1].end, typ, "ner", None, sidx, a, cut)
                out.append(m)
                for k in range(a, cut):
                    covered[k] = m
                a = cut + 1
            if typ == "PERSON":
                while a < b - 1 and toks[a].text.casefold().rstrip(".") in titles:
                    a += 1
            while a < b and not (toks[a].text[:1].isalnum()):
                a += 1
            while b > a and not (toks[b - 1].text[-1:].isalnum() or toks[b - 1].text[-1:] == "."
                                 or (toks[b - 1].text == ")" and any(toks[x].text == "(" for x in range(a, b - 1)))):
                b -= 1  # a closing bracket stays when the name opened it: "PT Pertamina (Persero)"
            if a >= b:
                continue
            m = Candidate(toks[a].start, toks[b - 1].end, typ, "ner", None, sidx, a, b)
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
        out.append(Candidate(toks[h.first].start, toks[h.end - 1].end, "PERSON", "alias", h.entry, sidx, h.first, h.end))
    return out


# --- the per-document stages ----------------------------------------------------------------
#
# Each stage is a function ``stage(ctx, input) -> output`` with typed input and output; the
# runner (:func:`run_stages`) passes each stage's output to the next, and
# :func:`check_stages` verifies at import that the chain fits together (the way a Stanza
# pipeline checks what its processors require and provide).


@dataclass(frozen=True, slots=True)
class DocContext:
    """What every stage may read: the prepared document, the alias table, the title words, the
    quote finder (None: no quotes) and the reported-speech finder (None: none)."""

    p: Prepared
    table: AliasTable
    titles: frozenset[str]
    find_quotes: Callable | None = None
    find_indirect: Callable | None = None

    @property
    def text(self) -> str:
        """The analysis text (normalised)."""
        return self.p.norm.text

    def surface(self, c: Candidate) -> str:
        """A candidate's text."""
        return self.p.norm.text[c.start : c.end]


@dataclass(frozen=True, slots=True)
class NerSpans:
    """Input of the stages: the model's spans, per sentence (token ranges and types)."""

    spans: tuple[tuple[tuple[int, int, str], ...], ...]


@dataclass(frozen=True, slots=True)
class Candidates:
    """Mentions before folding."""

    items: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class Defined:
    """Mentions with the in-text definitions found (short form -> the long form's mention)."""

    items: tuple[Candidate, ...]
    defs: dict[str, Candidate]


@dataclass(frozen=True, slots=True)
class Clustering:
    """Mentions, definitions and the disjoint sets that fold them inside the document. The
    stages that fold add unions to ``sets`` and may retype mentions (a new ``items``)."""

    items: tuple[Candidate, ...]
    defs: dict[str, Candidate]
    sets: UnionFind


@dataclass(frozen=True, slots=True)
class Folded:
    """Mentions with, for each, the index of its local entity."""

    items: tuple[Candidate, ...]
    clusters: tuple[int, ...]
    entities: tuple[LocalEntity, ...]


@dataclass(frozen=True, slots=True)
class Quoted:
    """Folded mentions and the quotes found (analysis offsets)."""

    folded: Folded
    quotes: tuple[Any, ...]


def candidates(ctx: DocContext, ner: NerSpans) -> Candidates:
    """NER spans and alias-table matches merged per sentence (titles stripped from people,
    role titles standing for their person where no name follows)."""
    out: list[Candidate] = []
    for si, (sent, spans) in enumerate(zip(ctx.p.sentences, ner.spans)):
        out.extend(_merge_sentence(sent, si, spans, ctx.table, ctx.titles))
    return Candidates(tuple(out))


@lru_cache(maxsize=16)
def _cue_list(path: Path, key: str) -> frozenset[str]:
    """One word list of ``cues.yaml`` (``name_particles``, ``expr_stop_words``), lower-case."""
    from .datafiles import load_yaml

    raw = load_yaml(path)
    return frozenset(str(w).casefold() for w in (raw.get(key) or [])) if isinstance(raw, dict) else frozenset()


_QUOTE_CLOSERS = frozenset(',”"’\'')


def find_cue_speakers(ctx: DocContext, c: Candidates) -> Candidates:
    """A speaker named where a quotation or a report is attributed is a person even where the
    model missed the name: ``“...,” kata Kurtubi``, ``ujar Bupati Sambas Atbah Romin Suhaili``
    (a name word before the model's ``Romin Suhaili`` joins it), ``menurut Budi Santoso``,
    ``Anggota Komisi VII DPR Kurtubi juga menyatakan``. The cue words, role titles and stop
    words are those of ``data/cues.yaml`` (the quote attribution's own): after a cue written
    after a comma or a closing mark, or after ``menurut``, role titles and mentions of places
    and organisations are passed over to the capitalised name; before a reporting verb (and
    its adverbs), the capitalised words right before it that follow a title, an organisation
    or a place. A run that starts like an organisation or a place, a day, a pronoun or a
    sentence opener is no name. The same name written elsewhere in the article is a mention
    too when it has two or more words."""
    from .quotes.cues import default_lexicon

    lex = default_lexicon()
    tw = lex.words
    fw = load_folding()
    particles = _cue_list(data_file("cues.yaml"), "name_particles")
    particles -= tw.prepositions  # "di" is a particle of some names, but "kata Budi di Bandung" is a place
    stops = _cue_list(data_file("cues.yaml"), "expr_stop_words")
    calendar = load_calendar()
    roles = {w for r in lex.roles for w in r.split()} | set(ctx.titles) | {w for ph in fw.job_titles for w in ph} | tw.role_connectors
    not_name = (tw.org_heads | tw.admin | tw.not_names | tw.sentence_openers | tw.prepositions | lex.pronouns | calendar
                | fw.org_heads | fw.place_forms | fw.leading_non_name | fw.org_forms | lex.after_cues | lex.verbs | roles)
    # full titles written out (Menteri Keuangan, Kepala Kepolisian Daerah): their words are no name
    full_titles = sorted({tuple(t.split()) for t in (*lex.roles, *lex.role_abbreviations.values()) if " " in t}, key=len, reverse=True)
    items = list(c.items)
    units = set()  # one-word names of places and organisations in the article (Sambas, of Kabupaten Sambas too)
    for m in items:
        if m.type in ("LOC", "ORG", "COUNTRY"):
            w = fold_key(ctx.surface(m)).split()
            if len(w) == 1 or (len(w) == 2 and w[0] in fw.place_forms):
                units.add(w[-1])
    added: list[Candidate] = []
    grown: dict[int, Candidate] = {}
    names: set[tuple[str, ...]] = set()
    for si, sent in enumerate(ctx.p.sentences):
        toks = sent.tokens
        owner: dict[int, Candidate] = {}
        for m in items:
            if m.sent == si:
                for x in range(m.first, m.last):
                    owner[x] = m

        def name_tok(x: int) -> bool:
            w = toks[x].text
            return x not in owner and w[:1].isupper() and w[:1].isalpha() and w.casefold() not in not_name and not w.isupper()

        def run_from(x: int) -> int:
            """The end of the capitalised name starting at ``x`` (name particles inside)."""
            y = x
            while y < len(toks) and (name_tok(y) or (y > x and toks[y].text.casefold() in particles and y + 1 < len(toks) and name_tok(y + 1))):
                y += 1
            return y

        def take(a: int, b: int, led: bool) -> None:
            nxt = owner.get(b)
            if nxt is not None and nxt.type == "PERSON" and nxt.first == b:
                if not led or nxt.table is not None:
                    return  # "kata Budayawan JJ Rizal": a descriptive word, not a name, may come first
                # a name word the model left out between a title and its person span: one name
                new = replace(nxt, start=toks[a].start, first=a)
                grown[id(nxt)] = new
                names.add(tuple(t.text for t in toks[a : nxt.last]))
                for x in range(a, nxt.last):
                    owner[x] = new
                return
            if nxt is not None and nxt.first < b:
                return
            m = Candidate(toks[a].start, toks[b - 1].end, "PERSON", "speaker", None, si, a, b)
            added.append(m)
            names.add(tuple(t.text for t in toks[a:b]))
            for x in range(a, b):
                owner[x] = m

        words = [t.text.casefold() for t in toks]

        def title_end(x: int) -> int:
            """The end of a full title written from ``x`` (``Menteri Keuangan``), else ``x``."""
            return x + _phrase_at(words, x, full_titles, len(words))

        def expression_ends(b: int) -> bool:
            """Nothing of the speaker expression follows the name: an end of clause, or a
            stop word of the expression (``kata Kurtubi kepada``), never a word that goes on
            with the title (``kata Kepala Bagian Pemberitaan dan Publikasi KPK Priharsa Nugraha``,
            ``kata Ketua Panitia penyelenggara``, ``kata Land Rover Chief Design Officer, Gerry McGovern``)."""
            if b >= len(toks) or toks[b].text in (".", "!", "?", ";", ":", "”", '"'):
                return True
            w = toks[b].text
            if w == ",":
                return b + 1 >= len(toks) or not toks[b + 1].text[:1].isupper()
            return w in stops and not (w in tw.role_connectors and b + 1 < len(toks) and toks[b + 1].text[:1].isupper())

        for k, t in enumerate(toks):
            low = t.text.casefold()
            if k in owner:
                continue
            if (low in lex.after_cues and k > 0 and toks[k - 1].text in _QUOTE_CLOSERS and t.text.islower()) or low in lex.according_to:
                x = k + 1
                titled = False  # a role title was passed over (kata Ketua KPK Agus), not only a name (menurut LBH Pers)
                while x < len(toks) and (toks[x].text.casefold() in roles or (x in owner and owner[x].type != "PERSON")) \
                        and toks[x].text[:1].isupper():
                    titled = titled or x not in owner
                    x = owner[x].last if x in owner else max(x + 1, title_end(x))
                if x < len(toks) and name_tok(x):
                    b = run_from(x)
                    if b - x == 1 and not titled and owner.get(x - 1) is not None and owner[x - 1].type == "ORG":
                        continue  # one capitalised word right after an organisation's name goes on with it (LBH Pers)
                    if b < len(toks) and owner.get(b) is not None and owner[b].type == "PERSON":
                        # Bupati Sambas Atbah + the model's Romin Suhaili: after a unit's name only
                        # (Menteri Keuangan Sri Mulyani, Brigjen Pol Nana Sudjana: title words)
                        unit = owner.get(x - 1)
                        j = x
                        while j < b and fold_key(toks[j].text) in units:
                            j += 1  # a place the article names elsewhere (Kabupaten Sambas ... Bupati Sambas)
                        if b - j <= 2 and ((unit is not None and unit.type in ("LOC", "ORG", "COUNTRY")) or x < j < b):
                            take(j, b, True)
                    elif expression_ends(b):
                        take(x, b, x > k + 1)
            elif low in lex.verbs and t.text.islower():
                y = k
                while y > 0 and toks[y - 1].text.casefold() in tw.adverbs:
                    y -= 1
                x = y
                while x > 0 and name_tok(x - 1):
                    x -= 1
                for z in range(max(0, x - 3), x + 1):  # "Menteri Keuangan menilai": the title's own words
                    if z < y and title_end(z) > x:
                        x = title_end(z)
                if x >= y or any(toks[z].text.casefold() in particles for z in range(x, y)):
                    continue
                before = x - 1
                led = before >= 0 and ((before in owner and owner[before].type != "PERSON") or toks[before].text.casefold() in roles)
                clause = tw.prepositions | tw.sentence_openers | stops  # "sehari setelah Angkatan Udara mengumumkan"
                if led or (y - x >= 2 and (x == 0 or (toks[x - 1].text.casefold() not in clause and not toks[x - 1].text[:1].isupper()))):
                    take(x, y, led)
    if not added and not grown:
        return c
    # the same names of two or more words elsewhere in the article
    multi = {n for n in names if len(n) >= 2}
    if multi:
        covered = {(m.sent, x) for m in items + added for x in range(m.first, m.last)}
        covered |= {(m.sent, x) for m in grown.values() for x in range(m.first, m.last)}
        for si, sent in enumerate(ctx.p.sentences):
            words = [t.text for t in sent.tokens]
            for n in multi:
                for k in range(len(words) - len(n) + 1):
                    if tuple(words[k : k + len(n)]) == n and not any((si, x) in covered for x in range(k, k + len(n))):
                        if k + len(n) < len(words) and words[k + len(n)][:1].isupper():
                            continue  # a longer name goes on
                        added.append(Candidate(sent.tokens[k].start, sent.tokens[k + len(n) - 1].end, "PERSON", "speaker", None, si, k, k + len(n)))
                        covered |= {(si, x) for x in range(k, k + len(n))}
    out = [grown.get(id(m), m) for m in items] + added
    out.sort(key=lambda m: (m.start, -m.end))
    return Candidates(tuple(out))


def trim_enclitic(ctx: DocContext, c: Candidates) -> Candidates:
    """``Asia Timurnya``: the -nya enclitic is not part of a multi-word model name."""
    out = []
    for m in c.items:
        if m.source == "ner" and m.last - m.first >= 2:
            word = ctx.p.sentences[m.sent].tokens[m.last - 1].text
            if word.endswith("nya") and len(word) > 6 and word[:1].isupper():
                m = replace(m, end=m.end - 3)
        out.append(m)
    return Candidates(tuple(out))


def drop_headline_noise(ctx: DocContext, c: Candidates) -> Candidates:
    """Headlines in Title Case fool the model (``Teken Pakta Perjanjian Pertahanan``): there, a
    model-only mention survives only if the same name is also found in the body."""
    headline = {si for si, sent in enumerate(ctx.p.sentences) if _is_title_case(sent)}
    if not headline:
        return c
    body = {fold_key(ctx.surface(m)) for m in c.items if m.sent not in headline}
    return Candidates(tuple(m for m in c.items if m.sent not in headline or m.source != "ner" or fold_key(ctx.surface(m)) in body))


def _phrase_at(words: Sequence[str], k: int, phrases: Sequence[tuple[str, ...]], end: int) -> int:
    """Length of the longest phrase of ``phrases`` that starts at ``words[k]`` and ends by ``end``; 0 if none."""
    for ph in phrases:  # longest first
        if k + len(ph) <= end and tuple(words[k : k + len(ph)]) == ph:
            return len(ph)
    return 0


def _phrase_before(words: Sequence[str], end: int, phrases: Sequence[tuple[str, ...]], start: int) -> int:
    """Length of the longest phrase of ``phrases`` that ends at ``words[end - 1]`` and starts at or after ``start``."""
    for ph in phrases:
        if end - len(ph) >= start and tuple(words[end - len(ph) : end]) == ph:
            return len(ph)
    return 0


def repair_spans(ctx: DocContext, c: Candidates) -> Candidates:
    """Model spans cut to the name (word lists in ``data/folding.yaml``): a leading verb,
    preposition or conjunction is not part of a name (``Dikatakan Budi``); a trailing verb is
    not part of a speaker (``Kapolda menegaskan``); a job title is not part of an
    organisation's or place's name (``Ekonom Bank Permata``, ``Polda Metro Jaya Komisaris
    Besar``); a person's name gets back an initial the model left out (``I`` + ``Wayan
    Kusmiantha Dusak``) or a given name that the article also uses alone for a person
    (``Andreas`` + ``Hugo Parreira`` where the article later says ``Andreas``)."""
    fw = load_folding()
    items = list(c.items)
    taken: dict[int, set[int]] = {}
    for m in items:
        taken.setdefault(m.sent, set()).update(range(m.first, m.last))
    # given names that the article also uses alone for a person (evidence for extending a span)
    lone_persons = {fold_key(ctx.surface(m)) for m in items if m.type == "PERSON" and m.last - m.first == 1}
    out = []
    for m in items:
        if m.source != "ner":
            out.append(m)
            continue
        toks = ctx.p.sentences[m.sent].tokens
        words = [t.text.casefold() for t in toks]
        a, b = m.first, m.last
        while a < b - 1 and (words[a] in fw.leading_non_name or (m.type == "PERSON" and words[a] in fw.person_place_nouns)):
            a += 1
        while a < b - 1 and words[b - 1] in fw.trailing_verbs:
            b -= 1
        if m.type in ("ORG", "LOC"):
            n = _phrase_at(words, a, fw.job_titles, b - 1)
            a += n
            while b - a > 1 and (n := _phrase_before(words, b, fw.job_titles, a + 1)):
                b -= n
        if m.type == "PERSON":
            others = taken.get(m.sent, set()) - set(range(m.first, m.last))
            added = 0
            while a > 0 and added < 2 and (a - 1) not in others:
                if toks[a - 1].text == "." and a > 1 and len(toks[a - 2].text) == 1 and toks[a - 2].text.isupper() and (a - 2) not in others:
                    a -= 2  # an initial written "M." (two tokens)
                    added += 1
                    continue
                w = toks[a - 1].text
                initial = len(w.rstrip(".")) == 1 and w[:1].isupper()
                if not (initial or (w[:1].isupper() and fold_key(w) in lone_persons)):
                    break
                if words[a - 1].rstrip(".") in ctx.titles or words[a - 1] in fw.leading_non_name or words[a - 1] in fw.person_place_nouns:
                    break
                a -= 1
                added += 1
        if (a, b) != (m.first, m.last):
            m = replace(m, start=toks[a].start, end=toks[b - 1].end, first=a, last=b)
        out.append(m)
    return Candidates(tuple(out))


def split_glued_names(ctx: DocContext, c: Candidates) -> Candidates:
    """One model span that runs an organisation and a person together (``pelatih Arema Aji
    Santoso``, ``Kepala Bakamla Arie Soedewo``, ``CEO Kioson Jasin Halim``) is cut in two when
    the article shows both sides: the first part is written elsewhere as a name of its own (an
    organisation or place, an acronym, or a short form of a longer organisation name in the
    article) and the rest is a name of 2+ words; a first part that the article writes alone but
    only as a person, or a span the model typed ORG, needs the rest to be a person the article
    also names by one word (or that starts with an initial)."""
    fw = load_folding()
    items = list(c.items)
    others: dict[str, set[str]] = {}
    for m in items:
        others.setdefault(fold_key(ctx.surface(m)), set()).add(m.type)
    lone_persons = {fold_key(ctx.surface(m)) for m in items if m.type == "PERSON" and m.last - m.first == 1}
    long_orgs = [ctx.surface(m) for m in items if m.type == "ORG" and m.last - m.first >= 2]
    org_words: dict[str, set[str]] = {}  # the name word of each multi-word organisation (Eiger Indonesia -> eiger)
    for x in long_orgs:
        w = fold_key(x).split()  # two tokens can fold to one word ("PT." -> "pt")
        if w:
            org_words.setdefault(w[1] if w[0] in fw.org_forms and len(w) > 1 else w[0], set()).add(fold_key(x))
    out: list[Candidate] = []
    rests: set[int] = set()  # ids of the person parts cut from glued spans
    for m in items:
        n = m.last - m.first
        if m.source != "ner" or m.type not in ("PERSON", "ORG") or n < 3:
            out.append(m)
            continue
        toks = ctx.p.sentences[m.sent].tokens
        cut = _table_head_cut(ctx, m, toks, lone_persons)
        for k in range(m.first + 1, m.last - 1) if cut is None else ():
            head = ctx.text[toks[m.first].start : toks[k - 1].end]
            rest = [t.text for t in toks[k : m.last]]
            if not all(_is_name_token(w) for w in rest):
                continue
            hk = fold_key(head)
            seen = others.get(hk, set())
            strong = bool(seen - {"PERSON"}) or (k - m.first == 1 and (_is_acronym_tok(head) or bool(org_words.get(hk, set()) - {fold_key(ctx.surface(m))}))) or any(
                abbreviates_name(head, lo, fw.function_words, fw.org_forms) for lo in long_orgs if fold_key(lo) != hk)
            person_rest = any(fold_key(w) in lone_persons for w in rest) or (len(rest[0].rstrip(".")) == 1)
            if m.type == "ORG" and not person_rest:
                continue  # an organisation's name goes on (Polda Metro Jaya, TNI Angkatan Laut)
            if hk in fw.org_forms or hk in fw.org_heads or (len(hk) < 3 and not _is_acronym_tok(head)):
                continue  # a legal form, or a name particle (La Nyalla, La Ode)
            if strong or (seen and person_rest) or (toks[m.first].text.casefold() in fw.org_heads and person_rest):
                cut = k
                break
        if cut is None:
            out.append(m)
            continue
        head = ctx.text[toks[m.first].start : toks[cut - 1].end]
        head_entry = ctx.table.lookup(head)
        htype = head_entry.type if head_entry is not None and head_entry.type != "PERSON" else next(
            iter(sorted(others.get(fold_key(head), set()) - {"PERSON"})), "ORG")
        out.append(replace(m, end=toks[cut - 1].end, type=htype, last=cut))
        rest = replace(m, start=toks[cut].start, type="PERSON", first=cut)
        out.append(rest)
        rests.add(id(rest))
    return Candidates(tuple(_join_split_persons(out, rests)))


def _table_head_cut(ctx: DocContext, m: Candidate, toks: Sequence, lone_persons: set[str]) -> int | None:
    """Where a glued span starts with a name the alias table knows as an organisation or place
    (``PDI Perjuangan Andreas`` + ``Hugo Parreira``): the cut right after the longest such name,
    when the rest is name words and one of them is written alone as a person in the article."""
    for k in range(m.last - 1, m.first + 1, -1):  # a table name of two words or more
        e = ctx.table.lookup(ctx.text[toks[m.first].start : toks[k - 1].end])
        if e is None or e.type == "PERSON":
            continue
        rest = [t.text for t in toks[k : m.last]]
        if all(_is_name_token(w) for w in rest) and any(fold_key(w) in lone_persons for w in rest):
            return k
        return None
    return None


def _join_split_persons(items: list[Candidate], rests: set[int]) -> list[Candidate]:
    """A person part cut from a glued span (``id`` in ``rests``) that the model's next person
    span continues word for word (``Andreas`` | ``Hugo Parreira`` -> ``Andreas Hugo Parreira``)
    is one name."""
    out: list[Candidate] = []
    for m in items:
        prev = out[-1] if out else None
        if (prev is not None and id(prev) in rests and prev.type == "PERSON" == m.type and prev.sent == m.sent
                and prev.last == m.first and m.source == "ner"):
            out[-1] = replace(prev, end=m.end, last=m.last)
            continue
        out.append(m)
    return out


def type_from_table(ctx: DocContext, c: Candidates) -> Candidates:
    """A model mention that the table knows under a compatible type takes the table's entry
    and type (LOC Rusia -> COUNTRY Russia); then mentions in text order."""
    out = []
    for m in c.items:
        if m.table is None:
            e = ctx.table.lookup(ctx.surface(m))
            if e is not None and (e.type == m.type or (m.type == "LOC" and e.type in ("COUNTRY", "LOC")) or (m.type == "ORG" and e.type == "COUNTRY") or e.type == "PERSON" == m.type):
                m = replace(m, table=e, type=e.type)
        out.append(m)
    out.sort(key=lambda m: (m.start, -m.end))
    return Candidates(tuple(out))


def type_from_context(ctx: DocContext, c: Candidates) -> Candidates:
    """Clear evidence in the name or the article fixes the model's type: a name that starts or
    ends with an organisation word is an organisation (``Universitas Brawijaya``, ``Sekolah Dian
    Harapan``, ``OSO Sekuritas``); a name that starts with an initial (``S Iswaran``) or that holds a word the
    article uses alone for a person (``La Nyalla Mattalitti`` ... ``kata Nyalla``) is a person."""
    fw = load_folding()
    # a name the article uses alone for a person (an acronym such as OSO may also name a company)
    lone_persons = {fold_key(ctx.surface(m)) for m in c.items if m.type == "PERSON" and m.last - m.first == 1 and not ctx.surface(m).isupper()}
    # the name word of a company written with its legal form (PT Freeport Indonesia -> freeport), unless a
    # person of the article carries that word in a name of two or more words
    person_words = {w for m in c.items if m.type == "PERSON" and m.last - m.first >= 2 for w in fold_key(ctx.surface(m)).split()}
    company_words = set()
    for m in c.items:
        ws = fold_key(ctx.surface(m)).split()
        if m.type == "ORG" and len(ws) >= 2 and ws[0] in fw.company_forms and ws[1] not in person_words:
            company_words.add(ws[1])
    out = []
    for m in c.items:
        if (m.source == "ner" and m.table is None and m.type == "PERSON" and m.last - m.first == 1
                and fold_key(ctx.surface(m)) in company_words):
            m = replace(m, type="ORG")  # "saham Freeport" after "PT Freeport Indonesia": the company
        elif m.source == "ner" and m.table is None and m.last - m.first >= 2:
            words = fold_key(ctx.surface(m)).split()
            first = ctx.p.sentences[m.sent].tokens[m.first].text
            generic = any(w in fw.org_heads or w in fw.org_forms or w in fw.place_forms or w in fw.org_tails for w in words) or words[0] in fw.named_after_heads
            if m.type in ("LOC", "PERSON") and (words[0] in fw.org_heads or words[-1] in fw.org_tails):
                m = replace(m, type="ORG")
            elif m.type in ("ORG", "LOC") and not generic and (
                    (len(first.rstrip(".")) == 1 and first[:1].isupper()) or any(w in lone_persons for w in words)):
                m = replace(m, type="PERSON")
        out.append(m)
    return Candidates(tuple(out))


_LONG_FORM_MAX_WORDS = 12  # content words of a long form before a bracketed acronym, at most


def _looks_acronym(words: Sequence[str]) -> bool:
    """One or two tokens written like an acronym, with two or more capitals in all
    (``MAKI``, ``KontraS``, ``PB IPSI``; not ``Korut``, which the model finds with its name)."""
    return bool(words) and all(_ACRONYM_RE.match(w) for w in words) and sum(ch.isupper() for w in words for ch in w) >= 2


def find_bracket_long_forms(ctx: DocContext, c: Candidates) -> Candidates:
    """``Masyarakat Anti Korupsi Indonesia (MAKI)``, ``Komisi untuk Orang Hilang dan Korban
    Tindak Kekerasan (KontraS)``: a run of capitalised words (small words such as ``untuk``,
    ``dan`` inside it) right before a bracketed acronym that abbreviates it (the same matcher
    as :func:`find_definitions`) is a name even where the model missed it, cut it short, or
    ran it on with a title before it (``Koordinator``) or past the bracket (``Sekolah Dian
    Harapan (SDH) Bogor``). The run starts at the farthest capitalised word with the acronym's
    first letter that is not a title, a job or a clause word; the long form is a place when it
    starts with an administrative place word (``Kabupaten``), else an organisation. Only
    where the model (or the alias table) takes the acronym for a name: ``Konferensi Tingkat
    Tinggi (KTT)`` and ``Pegawai Negeri Sipil (PNS)`` are no entities. :func:`find_definitions`
    then folds the long form and the acronym."""
    fw = load_folding()
    text = ctx.text
    items = list(c.items)
    skip = fw.function_words
    not_start = ctx.titles | fw.leading_non_name | {w for ph in fw.job_titles for w in ph}
    named = {w for m in items for w in ctx.surface(m).split()}  # words the model or the table takes for (part of) a name
    changed = False
    for si, sent in enumerate(ctx.p.sentences):
        toks = sent.tokens
        for k in range(1, len(toks) - 2):
            if toks[k].text != "(":
                continue
            close = next((j for j in (k + 2, k + 3) if j < len(toks) and toks[j].text == ")"), None)
            if close is None or not _looks_acronym([t.text for t in toks[k + 1 : close]]):
                continue
            short = text[toks[k + 1].start : toks[close - 1].end]
            here = [m for m in items if m.sent == si and m.first < k and m.last > k - 1]
            if any(m.last == k and (_abbreviates(short.replace(" ", ""), ctx.surface(m)) or abbreviates(short, ctx.surface(m), skip, fw.org_forms))
                   for m in here):
                continue  # the model has the long form: find_definitions folds it
            # the run of capitalised words (and small words inside it) before the bracket
            a, content = k, 0
            while a > 0 and content < _LONG_FORM_MAX_WORDS:
                w = toks[a - 1].text
                if _is_name_token(w) and w[:1].isalpha():
                    content += 1
                elif not ((w.casefold() in skip or w == "-") and a - 1 > 0 and _is_name_token(toks[a - 2].text)):
                    break
                a -= 1
            first = short[0].casefold()
            start = next((j for j in range(a, k) if toks[j].text[:1].casefold() == first and _is_name_token(toks[j].text)
                          and toks[j].text not in short.split()
                          and toks[j].text.casefold() not in not_start and toks[j].text.casefold() not in skip
                          and _abbreviates(short.replace(" ", ""), text[toks[j].start : toks[k - 1].end])), None)
            if start is not None and start > a and toks[start - 1].text.casefold() in fw.org_heads and toks[start - 1].text[:1].isupper() \
                    and f"{toks[start - 1].text} {short}" in text:
                start -= 1  # Kementerian Energi dan Sumber Daya Mineral (ESDM), written Kementerian ESDM: the head is part of the name
            if start is None or k - start < 2:
                continue  # one word before the bracket is no long form to find here
            inner = [m for m in items if m.sent == si and m.first < close and m.last > start]
            if any(m.table is not None and (m.first < start or m.type == "PERSON") for m in inner):
                continue  # a table name is never cut, nor a known person taken into a name
            if any(m.first < start and m.last > start and m.last <= k and not all(
                    toks[x].text.casefold() in not_start for x in range(m.first, start)) for m in inner):
                continue  # a name of its own runs into the long form
            long_text = text[toks[start].start : toks[k - 1].end]
            if any(m.last > close for m in inner) and text.count(long_text) < 2:
                continue  # a name that goes on after its bracket (Rumah Sakit Umum Daerah (RSUD) Kardinah), unless written alone too
            acro = [m for m in inner if m.first == k + 1 and m.last == close]
            tagged = [m for m in inner if m.first < close and m.last > k + 1]
            if not tagged and (short not in named or k - start < 3):
                continue  # the model does not take the acronym for a name (KTT, PNS: a summit, civil servants)
            # the acronym's type as the model gives it (ORG unless it says a place), a place word first: a place
            kinds = {m.type for m in tagged} or {m.type for m in items if ctx.surface(m) == short}
            typ = "LOC" if toks[start].text.casefold() in fw.place_forms else next(
                (t for t in ("COUNTRY", "LOC") if kinds == {t}), "ORG")
            for m in inner:
                if m.first == k + 1 and m.last == close:
                    continue  # the acronym's own mention stays
                items.remove(m)
            entry = ctx.table.lookup(long_text)  # a long form the table knows keeps its entry (Kementerian Energi dan ...)
            if entry is not None and (entry.type == typ or (typ in ("ORG", "LOC") and entry.type in ("ORG", "LOC", "COUNTRY"))):
                typ = entry.type
            else:
                entry = None
            items.append(Candidate(toks[start].start, toks[k - 1].end, typ, "long_form", entry, si, start, k))
            if not acro:
                items.append(Candidate(toks[k + 1].start, toks[close - 1].end, typ, "long_form", entry, si, k + 1, close))
            changed = True
    if changed:
        items.sort(key=lambda m: (m.start, -m.end))
    return Candidates(tuple(items))


def find_definitions(ctx: DocContext, c: Candidates) -> Defined:
    """In-text definitions, ``Korea Utara (Korut)`` and ``X adalah singkatan dari Y``; every
    other occurrence of the short form becomes a ``definition`` mention."""
    text = ctx.text
    ms = list(c.items)
    defs: dict[str, Candidate] = {}
    by_end = {m.end: m for m in ms}
    by_start = {m.start: m for m in ms}
    for sent in ctx.p.sentences:
        toks = sent.tokens
        for k in range(1, len(toks) - 2):
            if toks[k].text == "(" and toks[k + 2].text == ")" and _ACRONYM_RE.match(toks[k + 1].text):
                long = by_end.get(toks[k - 1].end)
                if long is not None and toks[k + 1].text != text[long.start : long.end] and _abbreviates(toks[k + 1].text, text[long.start : long.end]):
                    defs.setdefault(toks[k + 1].text, long)
            elif toks[k].text == "(" and k + 3 < len(toks) and toks[k + 3].text == ")" and _looks_acronym([toks[k + 1].text, toks[k + 2].text]):
                # two-word acronyms: Pengurus Besar Ikatan Pencak Silat Indonesia (PB IPSI)
                long = by_end.get(toks[k - 1].end)
                short = text[toks[k + 1].start : toks[k + 2].end]
                if long is not None and _abbreviates(short.replace(" ", ""), text[long.start : long.end]):
                    defs.setdefault(short, long)
        words = [t.text.casefold() for t in toks]
        for k in range(len(toks) - 4):
            if words[k + 1 : k + 4] == ["adalah", "singkatan", "dari"] and _ACRONYM_RE.match(toks[k].text):
                j = k + 4
                while j < len(toks) and not _is_name_token(toks[j].text) and j < k + 8:
                    j += 1
                long = by_start.get(toks[j].start) if j < len(toks) else None
                if long is not None:
                    defs.setdefault(toks[k].text, long)
    return Defined(_with_occurrences(ctx, ms, defs), defs)


def _with_occurrences(ctx: DocContext, ms: list[Candidate], defs: dict[str, Candidate]) -> tuple[Candidate, ...]:
    """The mentions plus a ``definition`` mention for every one-word occurrence of a defined
    short form that no mention covers; in text order."""
    if defs:
        have = {(m.start, m.end) for m in ms}
        for si, sent in enumerate(ctx.p.sentences):
            for k, t in enumerate(sent.tokens):
                d = defs.get(t.text)
                if d is not None and (t.start, t.end) not in have and not any(m.start <= t.start < m.end for m in ms):
                    ms.append(Candidate(t.start, t.end, d.type, "definition", None, si, k, k + 1))
        ms.sort(key=lambda m: (m.start, -m.end))
    return tuple(ms)


def _covering(ms: Sequence[Candidate], start: int, end: int) -> list[Candidate]:
    return [m for m in ms if m.start < end and start < m.end]


def find_nicknames(ctx: DocContext, d: Defined) -> Defined:
    """Nicknames defined in the text fold into their person: ``Basuki Tjahaja Purnama (Ahok)``,
    ``Setnov (Setya Novanto)``, ``Artalyta Suryani alias Ayin``, ``Tontowi Ahmad, yang akrab
    disapa Owi`` (the cue phrases are in ``data/folding.yaml``). The nickname is one to three
    capitalised words that no mention of another kind (a party, a place) covers."""
    fw = load_folding()
    ms = list(d.items)
    defs = dict(d.defs)
    by_end = {m.end: m for m in ms if m.type == "PERSON"}
    by_start = {m.start: m for m in ms if m.type == "PERSON"}

    def nick_end(toks: Sequence, k: int, caps: bool = False) -> int:
        # after a cue an acronym is a nickname too (alias OSO, akrab disapa SBY); in brackets it is
        # more often a party or an office (PDIP), left to the acronym rule
        j = k
        while j < len(toks) and j < k + 3 and toks[j].text[:1].isupper() and toks[j].text[:1].isalpha() and (caps or not _is_acronym_tok(toks[j].text)):
            j += 1
        return j

    def take(si: int, toks: Sequence, a: int, b: int, person: Candidate) -> None:
        s, e = toks[a].start, toks[b - 1].end
        form = ctx.text[s:e]
        if fold_key(form) == fold_key(ctx.surface(person)) or form.casefold() in ctx.titles:
            return
        other = [m for m in _covering(ms, s, e) if m.type != "PERSON" or m.table is not None]
        if other:
            return
        if not _covering(ms, s, e):
            ms.append(Candidate(s, e, "PERSON", "definition", None, si, a, b))
        defs.setdefault(form, person)

    for si, sent in enumerate(ctx.p.sentences):
        toks = sent.tokens
        words = [t.text.casefold() for t in toks]
        for k in range(1, len(toks) - 2):
            if toks[k].text != "(":
                continue
            # Person (Nickname)
            person = by_end.get(toks[k - 1].end)
            j = nick_end(toks, k + 1)
            if person is not None and j > k + 1 and j < len(toks) and toks[j].text == ")":
                take(si, toks, k + 1, j, person)
                continue
            # Nickname (Person Full Name)
            inner = by_start.get(toks[k + 1].start)
            if inner is not None and len(fold_key(ctx.surface(inner)).split()) >= 2:
                close = next((x for x in range(k + 2, min(len(toks), k + 8)) if toks[x].text == ")"), None)
                if close is not None and toks[close - 1].end == inner.end and _is_name_token(toks[k - 1].text) and toks[k - 1].text[:1].isalpha():
                    take(si, toks, k - 1, k, inner)
        # Person [,] [yang|atau] cue Nickname
        for k in range(1, len(toks)):
            for cue in fw.nickname_cues:
                if tuple(words[k : k + len(cue)]) != cue:
                    continue
                j0 = k + len(cue)
                b = k
                while b > 0 and words[b - 1] in (",", "yang", "atau", "juga", "lebih"):
                    b -= 1
                person = by_end.get(toks[b - 1].end) if b > 0 else None
                if person is None:
                    break
                # a pair written with slashes: "Tontowi Ahmad/Liliyana Natsir, akrab disapa Owi/Butet"
                people = [person]
                while people[0].first >= 2 and ctx.p.sentences[si].tokens[people[0].first - 1].text == "/":
                    prev = by_end.get(toks[people[0].first - 2].end)
                    if prev is None or prev.sent != si:
                        break
                    people.insert(0, prev)
                nicks = []
                j = j0
                while True:
                    e = nick_end(toks, j, caps=True)
                    if e == j:
                        break
                    nicks.append((j, e))
                    if e + 1 < len(toks) and toks[e].text == "/":
                        j = e + 1
                    else:
                        break
                if len(nicks) == len(people):
                    for (a, e), who in zip(nicks, people):
                        take(si, toks, a, e, who)
                elif nicks:
                    take(si, toks, nicks[0][0], nicks[0][1], person)
                break
    return Defined(_with_occurrences(ctx, ms, defs), defs)


def _is_acronym_tok(t: str) -> bool:
    return len(t) >= 2 and t.isupper()


def find_short_forms(ctx: DocContext, d: Defined) -> Defined:
    """Short forms of a longer name written in the same document fold into it when exactly one
    name fits: abbreviations and syllabic acronyms (Kemenperin, Polda Jabar, Setnov, see
    :func:`quotex.names.abbreviates`), a person's first name parts (Sri Mulyani = Sri Mulyani
    Indrawati) and an organisation's name without its legal form (Golkar = Partai Golkar,
    Freeport = PT Freeport Indonesia). Capitalised words that no mention covers are tried too
    (the model often misses such short forms)."""
    fw = load_folding()
    ms = list(d.items)
    defs = dict(d.defs)
    skip = fw.function_words
    longs: dict[str, Candidate] = {}
    for m in ms:  # a table name is a long form too: no table lists every short form (Kejaksaan = Kejaksaan Agung)
        if m.type in ("PERSON", "ORG", "LOC", "COUNTRY") and len(fold_key(ctx.surface(m)).split()) >= 2 \
                and not (m.table is not None and ctx.surface(m) in m.table.roles):
            longs.setdefault(fold_key(ctx.surface(m)), m)
    if not longs:
        return d
    person_words = {w for k, m in longs.items() if m.type == "PERSON" for w in (k.split()[0], k.split()[-1])}

    def name_word(key: str, forms: frozenset[str], typ: str) -> str | None:
        w = key.split()
        return w[1] if w[0] in forms else (w[0] if typ == "ORG" else None)

    def fits(form: str, m: Candidate, key: str) -> bool:
        fk = fold_key(form)
        if fk == key:
            return False
        words, lw = fk.split(), key.split()
        if m.type == "PERSON":
            if len(words) >= 2:
                return is_part_name(form, ctx.surface(m))
            if fk in person_words:
                return False  # a first or last name: the short-name stage decides
            if len(fk) >= 4 and lw[0].startswith(fk):
                return True  # a first name cut short (Mega = Megawati Soekarnoputri, Zbig = Zbigniew Brzezinski)
            return fk in lw[1:-1] or (m.table is None and abbreviates(form, ctx.surface(m), skip, person=True))
        forms = fw.org_forms if m.type == "ORG" else fw.place_forms
        if len(words) == 1 and fk == name_word(key, forms, m.type):
            return True  # Golkar = Partai Golkar, Persela = Persela Lamongan, Sambas = Kabupaten Sambas
        if m.type == "ORG" and len(words) >= 2 and words[0] in forms and lw[: len(words)] == words:
            return True  # PT Freeport = PT Freeport Indonesia
        # a table name's abbreviations are in the table; guessing more only finds look-alikes (Korea ~ Kongres AS)
        return m.table is None and abbreviates_name(form, ctx.surface(m), skip, fw.org_forms)

    def resolve(form: str) -> Candidate | None:
        if form in defs or ctx.table.lookup(form) is not None:
            return None
        hits = {key: m for key, m in longs.items() if fits(form, m, key)}
        if len(hits) != 1:
            return None
        return next(iter(hits.values()))

    new: dict[str, Candidate] = {}
    for m in ms:
        if m.table is not None or m.source == "alias":
            continue
        form = ctx.surface(m)
        if len(form) < 2 or form in new:
            continue
        hit = resolve(form)
        if hit is not None:
            new[form] = hit
    calendar = load_calendar()
    for si, sent in enumerate(ctx.p.sentences):
        toks = sent.tokens
        for k, t in enumerate(toks):
            w = t.text
            if len(w) < 2 or not w[:1].isupper() or not w.isalpha() or w in new:
                continue
            if w.casefold() in calendar or w.casefold() in ctx.titles or w.casefold() in fw.leading_non_name \
                    or w.casefold() in fw.person_place_nouns:
                continue
            if _covering(ms, t.start, t.end):
                continue
            hit = resolve(w)
            if hit is not None and hit.type != "PERSON" and k + 1 < len(toks) and _is_name_token(toks[k + 1].text):
                hit = None  # a head word that starts another name ("Komisi A DPRD", "Badan Anggaran") is not alone
            if hit is None and fold_key(w) in person_words and w not in defs:
                # a first or last name the model missed ("Senada dengan Satya, ..."), if only one person has it
                owners = {key: lm for key, lm in longs.items() if lm.type == "PERSON" and fold_key(w) in (key.split()[0], key.split()[-1])}
                hit = next(iter(owners.values())) if len(owners) == 1 else None
            if hit is not None:
                new[w] = hit
    for form, long in new.items():
        defs.setdefault(form, long)
    return Defined(_with_occurrences(ctx, ms, defs), defs)


def find_leading_forms(ctx: DocContext, d: Defined) -> Defined:
    """An organisation (or a mention the model typed as a place) written by part of a longer
    organisation name in the same article folds into it when exactly one longer name fits: its
    leading words (``Plug and Play`` = Plug and Play Indonesia, ``Majelis Umum`` = Majelis Umum Perserikatan Bangsa-Bangsa, ``Narindo
    Solusi`` = PT Narindo Solusi Komunikasi once the legal form is set aside; one word only
    where the rest are organisation words, ``Arema`` = Arema FC), or the words after a known
    organisation's name (``Angkatan Laut`` = TNI Angkatan Laut). A one-word short form that
    the text continues with the next words of the name becomes the longer form (``Plug`` +
    ``and Play``). A name that, followed by the name of a table entity the article mentions,
    is a table name takes that entry (``Dewan Keamanan`` + PBB = Dewan Keamanan PBB). The
    longer name's type wins (a LOC ``Arema`` is the club); the table's own forms are left
    to the table. Never into a place's name (Kabupaten Solok is not Kabupaten Solok Selatan),
    nor into a longer span that may be glued to a person's name: it goes on with a word of a
    person's name in the article, or it follows a title word (``Ketua Pengadilan Negeri Bengkulu
    Kaswanto``)."""
    fw = load_folding()
    ms = list(d.items)
    defs = dict(d.defs)
    if not ms:
        return d
    longs: dict[str, tuple[tuple[str, ...], tuple[str, ...], Candidate]] = {}  # key -> (words, core words, mention)
    for m in ms:
        if m.table is None and m.type in ("ORG", "LOC") and m.source == "ner":
            w = tuple(fold_key(ctx.surface(m)).split())
            if len(w) >= 2:
                core = w[1:] if w[0] in fw.org_forms and len(w) > 2 else w
                longs.setdefault(" ".join(w), (w, core, m))
    # table organisations are longer names too, for the words after their known head (TNI Angkatan Laut)
    tlongs = {"table:" + " ".join(w): (w, w, m) for m in ms if m.table is not None and m.type == "ORG" and m.source == "alias"
              and len(w := tuple(fold_key(ctx.surface(m)).split())) >= 2}
    cover: dict[int, set[int]] = {}
    for m in ms:
        cover.setdefault(m.sent, set()).update(range(m.first, m.last))
    # words of people's names: a longer "name" that ends with one is a glued span (Pengadilan Negeri Bengkulu Kaswanto)
    person_words = {x for m in ms if m.type == "PERSON" and m.source != "role" for x in fold_key(ctx.surface(m)).split()}

    def after_title(m: Candidate) -> bool:
        return m.first > 0 and ctx.p.sentences[m.sent].tokens[m.first - 1].text.casefold() in ctx.titles

    def leading_hits(words: tuple[str, ...]) -> set[str]:
        out = set()
        for key, (w, core, lm) in longs.items():
            n = len(words)
            if lm.type != "ORG" or n >= len(core) or core[:n] != words or any(x in person_words for x in core[n:]):
                continue  # places are never cut short by this rule (Kabupaten Solok is not Kabupaten Solok Selatan)
            if after_title(lm) and not all(x in fw.org_tails for x in core[n:]):
                continue  # Ketua Pengadilan Negeri Bengkulu Kaswanto: the words after may be the person
            if n == 1 and not (lm.type == "ORG" and all(x in fw.org_tails for x in core[1:])):
                continue  # one word: only before organisation words (Arema FC); else find_short_forms decides
            out.add(key)
        return out

    def trailing_hits(words: tuple[str, ...]) -> set[str]:
        out = set()
        n = len(words)
        if n < 2:
            return out
        for key, (w, core, lm) in (longs | tlongs).items():
            if lm.type != "ORG" or n >= len(w) or w[-n:] != words:
                continue
            written = ctx.surface(lm).split()
            head = " ".join(written[: len(w) - n]) if len(written) == len(w) else " ".join(w[: len(w) - n])
            if ctx.table.lookup(head) is not None or (len(w) - n == 1 and _is_acronym_tok(head)):
                out.add(key)  # TNI Angkatan Laut: the part before is a known organisation
        return out

    # 1. one-word short forms that the text continues with the next words of a longer name
    out: list[Candidate] = []
    for m in ms:
        if m.table is None and m.type in ("ORG", "LOC") and m.last - m.first == 1 and m.source in ("definition", "ner"):
            toks = ctx.p.sentences[m.sent].tokens
            best = m.last
            for j in range(m.last + 1, min(len(toks), m.first + 8) + 1):
                if (j - 1) in cover.get(m.sent, set()) or not (_is_name_token(toks[j - 1].text) or toks[j - 1].text.casefold() in fw.function_words):
                    break
                run = tuple(fold_key(ctx.text[toks[m.first].start : toks[j - 1].end]).split())
                if any(core[: len(run)] == run or w[: len(run)] == run for w, core, _ in longs.values()):
                    if _is_name_token(toks[j - 1].text):
                        best = j
                else:
                    break
            if best > m.last:
                cover.setdefault(m.sent, set()).update(range(m.last, best))
                m = replace(m, end=toks[best - 1].end, last=best)
        out.append(m)
    ms = out
    # 2. leading or trailing words of exactly one longer name
    for m in ms:
        form = ctx.surface(m)
        if m.table is not None or m.type not in ("ORG", "LOC") or form in defs or ctx.table.lookup(form) is not None:
            continue
        words = tuple(fold_key(form).split())
        if not words:
            continue
        hits = leading_hits(words) | trailing_hits(words)
        if len(hits) == 1:
            defs[form] = (longs | tlongs)[next(iter(hits))][2]
    # 3. the same for capitalised runs of 2+ words the model missed (Angkatan Darat, Angkatan Laut, ...)
    added = False
    for si, sent in enumerate(ctx.p.sentences):
        toks = sent.tokens
        k = 0
        while k < len(toks):
            if k in cover.get(si, set()) or not toks[k].text[:1].isupper() or not toks[k].text[:1].isalpha():
                k += 1
                continue
            j = k + 1
            while j < len(toks) and j not in cover.get(si, set()) and (toks[j].text[:1].isupper() or (
                    toks[j].text.casefold() in fw.function_words and j + 1 < len(toks) and toks[j + 1].text[:1].isupper())):
                j += 1
            form = ctx.text[toks[k].start : toks[j - 1].end]
            words = tuple(fold_key(form).split())
            if j - k >= 2 and form not in defs and ctx.table.lookup(form) is None:
                hits = leading_hits(words) | trailing_hits(words)
                if len(hits) == 1:
                    long = (longs | tlongs)[next(iter(hits))][2]
                    ms.append(Candidate(toks[k].start, toks[j - 1].end, long.type, "definition", None, si, k, j))
                    defs[form] = long
                    added = True
            k = j
    if added:
        ms.sort(key=lambda m: (m.start, -m.end))
    # 4. a name + a table entity's name mentioned here = a table name (Dewan Keamanan + PBB)
    named = {ctx.surface(m): m.table for m in ms if m.table is not None and m.type in ("ORG", "COUNTRY", "LOC")}
    joined: dict[str, AliasEntry] = {}
    for m in ms:
        form = ctx.surface(m)
        if m.table is not None or m.type not in ("ORG", "LOC") or m.last - m.first < 2 or form in defs or form in joined:
            continue
        entries = {e.id: e for e in (ctx.table.lookup(f"{form} {n}") for n in named) if e is not None and e.type in ("ORG", "LOC")}
        if len(entries) == 1:
            joined[form] = next(iter(entries.values()))
    if joined:
        ms = [replace(m, table=joined[ctx.surface(m)], type=joined[ctx.surface(m)].type) if m.table is None and ctx.surface(m) in joined else m for m in ms]
    return Defined(tuple(ms), defs)


def _titles_before_names(ctx: DocContext, ms: Sequence[Candidate]) -> dict[tuple[str, ...], Candidate]:
    """The role titles that the article writes right before one person's name (see
    :func:`bind_role_titles`), each with that person; a title before two people is left out."""
    fw = load_folding()
    persons = {(m.sent, m.first): m for m in ms if m.type == "PERSON" and not (m.table is not None and ctx.surface(m) in m.table.roles)}
    covered: dict[int, set[int]] = {}
    placed: dict[int, set[int]] = {}  # tokens of places and organisations (Wali Kota Tegal, Raja Arab Saudi)
    for m in ms:
        covered.setdefault(m.sent, set()).update(range(m.first, m.last))
        if m.type != "PERSON":
            placed.setdefault(m.sent, set()).update(range(m.first, m.last))
    bound: dict[tuple[str, ...], set[str]] = {}
    owner: dict[tuple[str, ...], Candidate] = {}
    for (si, first), p in persons.items():
        toks = ctx.p.sentences[si].tokens
        a = first
        while a > 0 and first - a < 6 and toks[a - 1].text[:1].isalpha() and (a - 1 not in covered.get(si, set()) or a - 1 in placed.get(si, set())) and (
                toks[a - 1].text[:1].isupper() or (a - 1) in placed.get(si, set())
                or (toks[a - 1].text in fw.function_words and a - 1 > 0 and toks[a - 2].text[:1].isupper())):
            a -= 1
        start = next((k for k in range(a, first) if toks[k].text.casefold() in ctx.titles), None)
        if start is None:
            continue
        title = tuple(t.text for t in toks[start:first])
        bound.setdefault(title, set()).add(p.table.id if p.table is not None else spelling_key(ctx.surface(p)))
        owner.setdefault(title, p)
    return {t: owner[t] for t, who in bound.items() if len(who) == 1}


def bind_role_titles(ctx: DocContext, d: Defined) -> Defined:
    """A role title that the article puts before one person's name (``Menteri Pemuda dan
    Olahraga Imam Nahrawi``, ``Jaksa Agung M Prasetyo``) stands for that person where it is
    written alone later, in full or abbreviated (``kata Menpora``). The title is the run of capitalised words
    right before the name that starts with a title word (``data/titles.txt``); a title put
    before two different people binds to neither. The article's own binding comes before the
    alias table's undated roles: only words no other mention covers are bound."""
    fw = load_folding()
    ms = list(d.items)
    defs = dict(d.defs)
    covered: dict[int, set[int]] = {}
    for m in ms:
        covered.setdefault(m.sent, set()).update(range(m.first, m.last))
    titles = _titles_before_names(ctx, ms)
    if not titles:
        return d
    added = False
    for si, sent in enumerate(ctx.p.sentences):
        toks = sent.tokens
        words = [t.text for t in toks]
        for title, p in titles.items():
            n = len(title)
            written = " ".join(title)
            for k in range(len(toks) - n + 1):
                if any(x in covered.get(si, set()) for x in range(k, k + n)):
                    continue
                if tuple(words[k : k + n]) != title:
                    # the title abbreviated (Menteri Pemuda dan Olahraga -> Menpora)
                    w = words[k]
                    if n < 2 or k in covered.get(si, set()) or len(w) < 4 or not w[:1].isupper() or w.isupper() \
                            or not abbreviates(w, written, fw.function_words):
                        continue
                    n = 1
                nxt = toks[k + n].text if k + n < len(toks) else ""
                if (k + n) in covered.get(si, set()) or (nxt[:1].isupper() and nxt.casefold() not in load_calendar()):
                    continue  # a name (or another capitalised word) follows: not the title alone
                ms.append(Candidate(toks[k].start, toks[k + n - 1].end, "PERSON", "role", None, si, k, k + n))
                covered.setdefault(si, set()).update(range(k, k + n))
                defs.setdefault(ctx.text[toks[k].start : toks[k + n - 1].end], p)
                added = True
                n = len(title)
    if added:
        ms.sort(key=lambda m: (m.start, -m.end))
    return Defined(tuple(ms), defs)


@lru_cache(maxsize=8)
def _read_equivalent_heads(path: Path) -> tuple[frozenset[tuple[str, ...]], ...]:
    raw = load_yaml(path)
    groups = raw.get("equivalent_heads") if isinstance(raw, dict) else None
    if not isinstance(groups, list) or any(not isinstance(g, list) for g in groups):
        raise ConfigError("needs 'equivalent_heads': a list of lists of role words", path=str(path))
    return tuple(frozenset(tuple(str(w).casefold().split()) for w in g if str(w).strip()) for g in groups)


def load_equivalent_heads() -> tuple[frozenset[tuple[str, ...]], ...]:
    """Groups of role words that stand for one another (``data/roles.yaml``)."""
    return _read_equivalent_heads(data_file("roles.yaml"))


def _ends_with_piece_of(short: str, word: str) -> bool:
    """Does the abbreviation ``short`` end with a syllabic piece (3+ letters) of ``word``: its
    start and further letters in order (Lapas = Lembaga PemASyarakatan)?"""
    a, b = fold_key(short).replace(" ", ""), fold_key(word).replace(" ", "")

    def in_order(piece: str) -> bool:
        it = iter(b[1:])
        return b.startswith(piece[0]) and all(c in it for c in piece[1:])

    return any(in_order(a[i:]) for i in range(1, len(a) - 2))


def bind_bare_titles(ctx: DocContext, d: Defined) -> Defined:
    """A role title written alone stands for the one person the article titled with the same
    role, also where :func:`bind_role_titles` finds no exact match: the title holds a place or
    organisation the model tagged (``Wali Kota Tegal itu``, ``Raja Arab Saudi tersebut``); its
    role is abbreviated and its object written another way (``Dirjen Lapas`` for the
    ``Direktur Jenderal Pemasyarakatan`` of the article: the object must share a syllable);
    its role is another word for the same role (``data/roles.yaml``: ``Utusan Inggris`` for
    ``Duta Besar Inggris untuk PBB``, ``Kepala Negara`` for the ``Presiden``) with the same
    object or the first words of it. A title that fits two people binds to neither; a title
    followed by a name is not alone; the place or organisation inside the title stays a
    mention of its own."""
    fw = load_folding()
    equiv = load_equivalent_heads()
    ms = list(d.items)
    defs = dict(d.defs)
    from .quotes.cues import default_lexicon

    demonstratives = default_lexicon().words.demonstratives  # cues.yaml: "ketua umum partai itu"
    titles = _titles_before_names(ctx, ms)
    heads = {w[0] for g in equiv for h in g for w in [h]}
    calendar = load_calendar()

    # people as the article names them (a short form counted as its full name), for epithets
    fulls = {spelling_key(ctx.surface(m)) for m in ms if m.type == "PERSON" and m.source != "role" and m.table is None
             and len(spelling_key(ctx.surface(m)).split()) >= 2}

    def person_key(m: Candidate) -> str | None:
        if m.type != "PERSON" or m.source == "role" or (m.table is not None and ctx.surface(m) in m.table.roles):
            return None
        if m.table is not None:
            return m.table.id
        form = ctx.surface(m)
        long = defs.get(form)
        if long is not None and long.type == "PERSON" and len(ctx.surface(long).split()) > len(form.split()):
            form = ctx.surface(long)  # a nickname or short form defined in the text: its full name
        key = spelling_key(form)
        if len(key.split()) == 1:
            owners = [f for f in fulls if key in (f.split()[0], f.split()[-1])]
            return owners[0] if len(owners) == 1 else key
        return key

    titled = {(p.table.id if p.table is not None else spelling_key(ctx.surface(p))) for p in titles.values()}

    def epithet_shape(si: int, k: int, j: int) -> bool:
        """Title words, then one organisation or place the model tagged, ending the run
        (``Ketua Umum`` + ``Partai Golkar``): nothing in it can be the name of a person."""
        obj = [m for m in ms if m.sent == si and m.type != "PERSON" and m.last == j and k < m.first]
        toks = ctx.p.sentences[si].tokens
        return bool(obj) and all(toks[x].text.casefold() in ctx.titles for x in range(k, min(o.first for o in obj)))

    def epithet_owner(start: int) -> dict[str, Candidate]:
        """A title + demonstrative that no one in the article holds (``kasus Ketua Umum Partai
        Golkar itu``): the one person named before it, twice or more, who has no title of their
        own here."""
        seen: dict[str, Candidate] = {}
        count: dict[str, int] = {}
        for m in ms:
            key = person_key(m) if m.start < start else None
            if key is not None and key not in titled:
                count[key] = count.get(key, 0) + 1
                if key not in seen or m.end - m.start > seen[key].end - seen[key].start:
                    seen[key] = m
        return seen if len(seen) == 1 and min(count.values()) >= 2 else {}

    def same_head(hr: tuple[str, ...], ht: tuple[str, ...]) -> str | None:
        """'same', 'abbr' (hr abbreviates the 2+ words of ht) or 'equiv'; None: another role."""
        if hr == ht:
            return "same"
        if len(hr) == 1 and len(ht) >= 2 and abbreviates(hr[0], " ".join(ht), fw.function_words):
            return "abbr"
        if any(hr in g and ht in g for g in equiv):
            return "equiv"
        return None

    def fits(run: tuple[str, ...], title: tuple[str, ...]) -> bool:
        r, t = tuple(w.casefold() for w in run), tuple(w.casefold() for w in title)
        if r == t:
            return True
        for i in range(1, len(r) + 1):
            for j in range(1, len(t) + 1):
                how = same_head(r[:i], t[:j])
                if how is None:
                    continue
                ro, to = r[i:], t[j:]
                if ro == to and how != "same":
                    return True
                if ro and len(ro) < len(to) and to[: len(ro)] == ro and how != "same":
                    return True  # Utusan Inggris ~ Duta Besar Inggris untuk PBB
                if how == "abbr" and len(ro) == 1 and len(to) == 1 and _ends_with_piece_of(ro[0], to[0]):
                    return True  # Dirjen Lapas ~ Direktur Jenderal Pemasyarakatan
        return False

    persons: dict[int, set[int]] = {}
    covered: dict[int, set[int]] = {}
    for m in ms:
        covered.setdefault(m.sent, set()).update(range(m.first, m.last))
        if m.type == "PERSON":
            persons.setdefault(m.sent, set()).update(range(m.first, m.last))
    added = False
    for si, sent in enumerate(ctx.p.sentences):
        toks = sent.tokens
        k = 0
        while k < len(toks):
            w = toks[k].text
            if k in covered.get(si, set()) or not w[:1].isupper() or (w.casefold() not in ctx.titles and w.casefold() not in heads):
                k += 1
                continue
            j = k + 1  # the capitalised run (places and organisations inside it allowed)
            while j < len(toks) and j - k < 8 and j not in persons.get(si, set()) and toks[j].text[:1].isalpha() and (
                    toks[j].text[:1].isupper() or (toks[j].text.casefold() in fw.function_words and j + 1 < len(toks) and toks[j + 1].text[:1].isupper())):
                j += 1
            nxt = toks[j].text if j < len(toks) else ""
            run = tuple(t.text for t in toks[k:j])
            if any(x in persons.get(si, set()) for x in range(j, j + 3)) or (nxt[:1].isupper() and nxt.casefold() not in calendar):
                k = j
                continue  # a name follows, maybe after a word or two (Ketua KPK nonaktif Abraham Samad): not the title alone
            who = {(p.table.id if p.table is not None else spelling_key(ctx.surface(p))): p for t, p in titles.items() if fits(run, t)}
            if not who and nxt.casefold() in demonstratives and epithet_shape(si, k, j):
                who = epithet_owner(toks[k].start)
            if len(who) == 1:
                p = next(iter(who.values()))
                ms.append(Candidate(toks[k].start, toks[j - 1].end, "PERSON", "role", None, si, k, j))
                covered.setdefault(si, set()).update(range(k, j))
                defs.setdefault(ctx.text[toks[k].start : toks[j - 1].end], p)
                added = True
            k = j
    if added:
        ms.sort(key=lambda m: (m.start, -m.end))
    return Defined(tuple(ms), defs)


def fold_same_names(ctx: DocContext, d: Defined) -> Clustering:
    """Mentions of one table entry, or of the same type and normalised name (a person's name
    also in the spelling before 1972, Soedewo = Sudewo), are one entity. Two sets that the
    table gives different entries never join, nor two that hold full names of relatives
    (same surname or first name, other part different: the family guard, for every later
    stage too); a set with a table entry keeps it."""
    ms = d.items
    tables = [m.table for m in ms]

    # full personal names per set: a set never takes a relative's name (family guard)
    fulls: dict[int, set[str]] = {i: {k} for i, m in enumerate(ms) if m.type == "PERSON"
                                  and len(k := spelling_key(ctx.surface(m))) and len(k.split()) >= 2}

    def blocks(ra: int, rb: int) -> bool:
        ta, tb = tables[ra], tables[rb]
        if ta is not None and tb is not None and ta.id != tb.id:
            return True
        fa, fb = fulls.get(ra), fulls.get(rb)
        return bool(fa and fb) and any(family_conflict(x, y) for x in fa for y in fb)

    def prefer(ra: int, rb: int) -> int:
        return rb if tables[ra] is None and tables[rb] is not None else ra

    def joined(root: int, other: int) -> None:
        if other in fulls:
            fulls.setdefault(root, set()).update(fulls.pop(other))

    sets = UnionFind(len(ms), prefer=prefer, blocks=blocks, joined=joined)
    key_first: dict[tuple[str, str], int] = {}
    for i, m in enumerate(ms):
        if m.table is not None:
            k = ("id", m.table.id)
        else:
            k = (m.type, spelling_key(ctx.surface(m)) if m.type == "PERSON" else fold_key(ctx.surface(m)))
        if k in key_first:
            sets.union(key_first[k], i)
        else:
            key_first[k] = i
    return Clustering(ms, d.defs, sets)


def fold_definitions(ctx: DocContext, c: Clustering) -> Clustering:
    """Every occurrence of a defined short form is the long form's entity, with its type."""
    ms = list(c.items)
    index = {(m.start, m.end): i for i, m in enumerate(ms)}
    for form, long in c.defs.items():
        li = index.get((long.start, long.end))
        for i, m in enumerate(ms):
            if ctx.surface(m) == form and li is not None:
                if m.table is None or long.table is None or m.table.id == long.table.id:
                    ms[i] = replace(m, type=ms[li].type)
                    c.sets.union(li, i)
    return Clustering(tuple(ms), c.defs, c.sets)


def fold_short_names(ctx: DocContext, c: Clustering) -> Clustering:
    """A one-word personal name folds into the full name introduced in the document (the
    nearest one before it when several fit). A lone name the model typed ORG/LOC that is the
    first or last name of a person written in full is that person (``kunjungan Putin``)."""
    ms = list(c.items)
    sets = c.sets
    persons = [i for i, m in enumerate(ms) if m.type == "PERSON" and m.source != "role"]  # a role title is no name
    fulls = [(i, fold_key(ctx.surface(ms[i])).split()) for i in persons]
    fulls = [(i, toks) for i, toks in fulls if len(toks) >= 2]
    name_words = {w for _, toks in fulls for w in (toks[0], toks[-1])}
    for i, m in enumerate(ms):
        if m.source == "ner" and m.table is None and m.type in ("ORG", "LOC") and m.last - m.first == 1:
            if fold_key(ctx.surface(m)) in name_words and not _short_form_of_a_name(ctx, ms, sets, i):
                ms[i] = replace(m, type="PERSON")
                persons.append(i)
    for i in persons:
        words = fold_key(ctx.surface(ms[i])).split()
        if len(words) != 1 or ms[i].table is not None:
            continue
        w = words[0]
        cands = [(j, toks) for j, toks in fulls if w in (toks[0], toks[-1])]
        roots = {sets.find(j) for j, _ in cands}
        if not roots:
            continue
        if len(roots) > 1:
            before = [j for j, _ in cands if ms[j].start < ms[i].start]
            if not before:
                continue
            roots = {sets.find(_surname_owner(ctx, ms, cands, before, w))}
        sets.union(next(iter(roots)), i)
    return Clustering(tuple(ms), c.defs, sets)


def _surname_owner(ctx: DocContext, ms: Sequence[Candidate], cands: Sequence[tuple[int, list[str]]], before: Sequence[int], w: str) -> int:
    """Which full name a lone name that fits several takes: the nearest one before it; but a
    surname that two relatives share (``Zbigniew Brzezinski``, his daughter ``Mika
    Brzezinski``) stays with the one the article introduced first, its subject (news calls
    the relative by the given name)."""
    if all(toks[-1] == w and toks[0] != w for _, toks in cands):
        return min(before, key=lambda j: ms[j].start)
    return max(before, key=lambda j: ms[j].start)


def _short_form_of_a_name(ctx: DocContext, ms: Sequence[Candidate], sets: UnionFind, i: int) -> bool:
    """Mention ``i`` is already one entity with a longer organisation or place name of the
    article (``Bakamla`` = ``Badan Keamanan Laut``): a short form, not a person's name."""
    r = sets.find(i)
    return any(j != i and m.type in ("ORG", "LOC", "COUNTRY") and m.last - m.first >= 2 and sets.find(j) == r
               for j, m in enumerate(ms))


def type_by_head(ctx: DocContext, c: Clustering) -> Clustering:
    """An entity with a name that starts with an organisation's head word (``Badan Keamanan
    Laut``, ``Kementerian ...``; ``org_heads`` of ``data/folding.yaml``) is an organisation, one
    with a name that starts with an administrative place word (``Kecamatan Paloh``;
    ``place_forms``) a place, whatever type the model gave its other mentions, unless the
    entity also holds a personal name of two or more words (``Kantor``, ``Rumah`` ... before a
    name are place nouns, not a person's name)."""
    fw = load_folding()
    ms = list(c.items)
    heads: dict[int, str] = {}
    personal: set[int] = set()
    for i, m in enumerate(ms):
        if m.table is not None or m.source == "role":
            continue
        words = fold_key(ctx.surface(m)).split()
        if len(words) < 2:
            continue
        r = c.sets.find(i)
        first = words[0]
        if first in fw.org_heads:
            heads.setdefault(r, "ORG")
        elif first in fw.place_forms:
            heads.setdefault(r, "LOC")
        elif m.type == "PERSON" and first not in fw.person_place_nouns and first not in fw.org_forms \
                and first not in ctx.titles and words[-1] not in fw.org_tails:
            personal.add(r)
    for i, m in enumerate(ms):
        t = heads.get(c.sets.find(i))
        if t is not None and c.sets.find(i) not in personal and m.type != t and m.table is None:
            ms[i] = replace(m, type=t)
    return Clustering(tuple(ms), c.defs, c.sets)


def local_entities(ctx: DocContext, c: Clustering) -> Folded:
    """One local entity per set, in order of first mention: the root mention's type and table
    entry, the surface forms in order of appearance (role titles left out: never a name)."""
    ms = c.items
    root_ids: dict[int, int] = {}
    ents: list[dict] = []
    clusters: list[int] = []
    for i, m in enumerate(ms):
        r = c.sets.find(i)
        if r not in root_ids:
            root_ids[r] = len(ents)
            rm = ms[r]
            ents.append({"type": rm.type, "table": rm.table.id if rm.table else None, "names": []})
        e = ents[root_ids[r]]
        name = ctx.surface(m)
        if name not in e["names"] and m.source != "role" and not (m.source == "alias" and m.table is not None and name in m.table.roles):
            e["names"].append(name)
        clusters.append(root_ids[r])
    local = tuple(LocalEntity(e["type"], e["table"], tuple(e["names"]) or ("?",)) for e in ents)
    return Folded(ms, tuple(clusters), local)


def find_doc_quotes(ctx: DocContext, f: Folded) -> Quoted:
    """Quotes and their speakers, then reported speech (kind ``indirect``), on the analysis text
    with analysis-offset mentions."""
    if ctx.find_quotes is None:
        return Quoted(f, ())
    text = ctx.text
    mentions = tuple(
        Mention(ctx.p.doc.id, m.start, m.end, text[m.start : m.end], f.entities[f.clusters[i]].type, m.source,
                f.entities[f.clusters[i]].table_id or f"_local{f.clusters[i]}", None)
        for i, m in enumerate(f.items)
    )
    quotes = tuple(ctx.find_quotes(text, mentions, excluded=ctx.p.excluded))
    if ctx.find_indirect is not None:
        quotes += tuple(ctx.find_indirect(text, mentions, quotes, sentences=ctx.p.sentences, excluded=ctx.p.excluded))
    return Quoted(f, quotes)


def to_original(ctx: DocContext, q: Quoted) -> DocResult:
    """Mentions and quotes mapped back to the offsets of the text as decoded."""
    p, f = ctx.p, q.folded
    orig = p.doc.text
    mentions = []
    for i, m in enumerate(f.items):
        s, e = p.norm.span(m.start, m.end)
        ent = f.entities[f.clusters[i]]
        mentions.append(Mention(p.doc.id, s, e, orig[s:e], ent.type, m.source, ent.table_id, None))
    n_tokens = sum(len(s.tokens) for s in p.sentences)
    return DocResult(p.doc.id, orig, tuple(mentions), f.clusters, f.entities,
                     tuple(_quote_to_original(x, p.norm) for x in q.quotes), n_tokens, len(p.sentences),
                     excluded=tuple(p.norm.span(a, b) for a, b in p.excluded))


# --- surface variants of a name inside one document (word lists and string tests: quotex.variants) ---------


# --- surface variants: forms of state before a country ----------------------------------------------------


def fold_state_prefixes(ctx: DocContext, c: Candidates) -> Candidates:
    """A country written with its form of state is the country (``data/folding.yaml``
    ``state_forms``): a mention ``Negara Israel`` / ``Kerajaan Arab Saudi`` takes the table's
    country; a table country right after capitalised state words that no other mention covers
    takes them into its span (``Negara Palestina``, as the news writes it). ``Pemerintah X``
    is the government, an organisation: not a form of state."""
    forms = load_variant_words().state_forms
    if not forms:
        return c
    items = list(c.items)
    taken: dict[int, set[int]] = {}
    for m in items:
        taken.setdefault(m.sent, set()).update(range(m.first, m.last))
    out = []
    for m in items:
        toks = ctx.p.sentences[m.sent].tokens
        words = [t.text.casefold() for t in toks]
        if m.table is None and m.type in ("LOC", "ORG", "COUNTRY"):
            n = next((len(f) for f in forms if m.last - m.first > len(f) and tuple(words[m.first : m.first + len(f)]) == f), 0)
            if n:
                e = ctx.table.lookup(ctx.text[toks[m.first + n].start : m.end])
                if e is not None and e.type == "COUNTRY":
                    m = replace(m, table=e, type="COUNTRY")
        elif m.table is not None and m.type == "COUNTRY":
            for f in forms:
                a = m.first - len(f)
                if a >= 0 and tuple(words[a : m.first]) == f and all(starts_upper(t.text) for t in toks[a : m.first]) \
                        and not taken[m.sent] & set(range(a, m.first)):
                    m = replace(m, start=toks[a].start, first=a)
                    break
        out.append(m)
    return Candidates(tuple(out))


# --- surface variants: outlets written as their web address ----------------------------------------------


def fold_outlet_domains(ctx: DocContext, d: Defined) -> Defined:
    """A news site written as its web address (``CNNIndonesia.com``, ``KOMPAS.com``,
    ``Tempo.co``; the suffixes are ``web_domains`` in ``data/folding.yaml``) is the organisation
    whose name has the same letters (case and spaces aside), written in the article or in the
    alias table, or written right before it with the address in brackets (``kepada kumparan
    (kumparan.com)``: both are the outlet). The address becomes a mention of it (datelines and
    ``kata X kepada Kompas.com`` name the outlet) even where the model did not tag it."""
    domains = load_variant_words().web_domains
    ms = list(d.items)
    defs = dict(d.defs)
    orgs: dict[str, Candidate] = {}
    for m in ms:
        if m.type == "ORG" and m.source != "role":
            orgs.setdefault(name_letters(ctx.surface(m)), m)
    added = False
    for si, sent in enumerate(ctx.p.sentences):
        toks = sent.tokens
        for k in range(len(toks) - 2):
            if toks[k + 1].text != "." or toks[k + 1].start != toks[k].end:
                continue
            n = 0
            for dom in domains:  # "." "co" "." "id"
                want = [x for part in dom for x in (".", part)][1:]
                got = [t.text.casefold() for t in toks[k + 2 : k + 2 + len(want)]]
                if got == want and all(toks[j].start == toks[j - 1].end for j in range(k + 1, k + 2 + len(want))):
                    n = 1 + len(want)
                    break
            if not n:
                continue
            key = name_letters(toks[k].text)
            target = orgs.get(key)
            if target is None and k >= 2 and toks[k - 1].text == "(" and name_letters(toks[k - 2].text) == key \
                    and k + n + 1 < len(toks) and toks[k + n + 1].text == ")":
                # "kepada kumparan (kumparan.com)": the outlet defines its name by its address
                x = toks[k - 2]
                cover = _covering(ms, x.start, x.end)
                if all((m.start, m.end) == (x.start, x.end) for m in cover):
                    for m in cover:
                        ms.remove(m)
                    target = Candidate(x.start, x.end, "ORG", "definition", None, si, k - 2, k - 1)
                    ms.append(target)
                    orgs[key] = target
            if target is None:
                e = ctx.table.lookup(toks[k].text)
                if e is None or e.type != "ORG":
                    continue
                target = next((m for m in ms if m.table is not None and m.table.id == e.id), None)
                if target is None:
                    # the outlet is only written as its address: a mention of the table's entry
                    target = Candidate(toks[k].start, toks[k + n].end, "ORG", "definition", e, si, k, k + n + 1)
            s, e_ = toks[k].start, toks[k + n].end
            cover = _covering(ms, s, e_)
            if any(m.start < s or m.end > e_ for m in cover):
                continue  # inside a longer name
            for m in cover:
                ms.remove(m)
            mention = target if (target.start, target.end) == (s, e_) else Candidate(s, e_, "ORG", "definition", None, si, k, k + n + 1)
            ms.append(mention)
            if mention is not target:
                defs.setdefault(ctx.text[s:e_], target)
            added = True
    if not added:
        return d
    ms.sort(key=lambda m: (m.start, -m.end))
    return Defined(tuple(ms), defs)


# --- surface variants: a country's stem alone -----------------------------------------------------------


def fold_country_stems(ctx: DocContext, d: Defined) -> Defined:
    """A word that names several countries (``country_stems`` in ``data/folding.yaml``:
    ``Korea`` is Korea Utara or Korea Selatan) written alone is the one of them that the article
    names; in an article that names none or more than one, or that writes the stem after a
    capitalised word or a word of ``country_stem_blockers`` (``semenanjung Korea``, the
    peninsula; ``Republic of Korea``), it stays as it is. Not every first
    word of a country is such a stem: ``Papua`` (Papua Nugini), ``Afrika`` (Afrika Selatan) and
    ``Timor`` (Timor Leste) name other places."""
    vw = load_variant_words()
    stems = vw.country_stems
    if not stems:
        return d
    defs = dict(d.defs)
    present: dict[str, dict[str, Candidate]] = {}
    for m in d.items:
        if m.table is not None and m.type == "COUNTRY":
            names = [fold_key(a).split() for a in (m.table.canonical, *m.table.aliases)]
            for stem in stems:
                if any(len(w) >= 2 and w[0] == stem for w in names):
                    present.setdefault(stem, {}).setdefault(m.table.id, m)
    for stem, ents in present.items():
        if len(ents) != 1:
            continue
        target = next(iter(ents.values()))
        # after another capitalised word the stem belongs to a longer name (Semenanjung Korea, the
        # peninsula): an article that writes it so once is left as it is
        uses = [(sent.tokens, k) for sent in ctx.p.sentences for k, t in enumerate(sent.tokens) if fold_key(t.text) == stem and starts_upper(t.text)
                and all(m.start == t.start and m.end == t.end for m in _covering(d.items, t.start, t.end))]  # not inside Korea Selatan
        if any(k > 0 and (toks[k - 1].text[:1].isupper() or toks[k - 1].text.casefold() in vw.stem_blockers) for toks, k in uses):
            continue
        for toks, k in uses:
            t = toks[k]
            if t.text not in defs and all(m.table is None for m in _covering(d.items, t.start, t.end)):
                defs[t.text] = target
    if defs == d.defs:
        return d
    return Defined(_with_occurrences(ctx, list(d.items), defs), defs)


# --- surface variants: Kota X / Kabupaten X / Provinsi X ------------------------------------------------


def fold_admin_places(ctx: DocContext, d: Defined) -> Defined:
    """``Kota X``, ``Kabupaten X``, ``Provinsi X`` (``admin_places`` in ``data/folding.yaml``,
    with the offices that imply them: ``Wali Kota X``, ``Bupati X``, ``Gubernur X``) fold into
    the place ``X`` written alone in the article, unless the article names two units called
    ``X`` (``Kota Bogor`` and ``Kabupaten Bogor``, ``Wali Kota Tegal`` and ``Bupati Tegal``):
    then they are different places, and ``X`` alone is neither (an earlier stage's reading of it as
    short for one of them is taken back). A ``Kabupaten X`` never folds into a place of the alias
    table (the table's ``X`` is the town, the regency around it is another place)."""
    units = load_variant_words().admin_places
    if not units:
        return d
    defs = dict(d.defs)
    ms = d.items
    # the units the article names for each place name (also through their offices)
    written: dict[str, set[str]] = {}
    for sent in ctx.p.sentences:
        words = [t.text.casefold() for t in sent.tokens]
        for k in range(len(words)):
            for unit, phrases in units.items():
                for ph in phrases:
                    if tuple(words[k : k + len(ph)]) == ph and k + len(ph) < len(words) and starts_upper(sent.tokens[k + len(ph)].text):
                        j = k + len(ph)
                        e = j
                        while e < len(words) and starts_upper(sent.tokens[e].text) and e < j + 3:
                            e += 1
                        for x in range(j + 1, e + 1):
                            written.setdefault(fold_key(" ".join(t.text for t in sent.tokens[j:x])), set()).add(unit)
    places: dict[str, Candidate] = {}
    for m in ms:
        if m.type in ("LOC", "COUNTRY") and m.source != "role":
            places.setdefault(fold_key(ctx.surface(m)), m)
    first_words = {unit: unit for unit in units}  # the unit's own word (not its office: Bupati X is a person)
    for m in ms:
        if m.table is not None or m.type not in ("LOC", "ORG"):
            continue
        w = fold_key(ctx.surface(m)).split()
        unit = first_words.get(w[0]) if len(w) >= 2 else None
        if unit is None:
            continue
        x = " ".join(w[1:])
        target = places.get(x)
        if target is None or target is m or len(written.get(x, {unit}) | {unit}) > 1:
            continue
        if unit == "kabupaten" and target.table is not None:
            continue
        form = ctx.surface(m)
        if form not in defs:
            defs[form] = target
    # a name alone that an earlier stage read as short for one unit, where the article names two
    for form, long in list(defs.items()):
        w = fold_key(ctx.surface(long)).split()
        if len(w) >= 2 and w[0] in units and " ".join(w[1:]) == fold_key(form) and len(written.get(fold_key(form), set())) > 1:
            del defs[form]
    if defs == d.defs:
        return d
    return Defined(d.items, defs)


def fold_source_typos(ctx: DocContext, d: Defined) -> Defined:
    """A name the writer mistyped folds into the name it is one edit from (Damerau-Levenshtein:
    ``Gerinda`` / ``Gerindra``, ``Kores Selatan`` / ``Korea Selatan``, ``Malysia`` /
    ``Malaysia``): a form unknown to the alias table and to the article's definitions, of 6+
    letters, with as many words as a name written in the article (or a table name of an entity
    the article names) that is written more often than it, folds into that name and takes its
    type when exactly one entity fits. Two names of the table never fold (Gambia / Zambia). For
    a person only a one-word form folds, into one word of exactly one person of the article,
    and only by a letter left out, added or swapped (``Saikhu`` / ``Ahmad Syaikhu``): a changed
    letter makes another name (Wahyudi / Wahyuni, Santoso / Santosa)."""
    ms = list(d.items)
    defs = dict(d.defs)
    text = ctx.text
    counted: dict[str, int] = {}

    def written(form: str) -> int:  # how often the article writes it (asked for every mention of a name)
        if form not in counted:
            counted[form] = count_word(text, form)
        return counted[form]

    calendar = load_calendar()
    keys = adjacent_keys(load_variant_words().keyboard_rows)
    # names to fold into: (folded name, entity key, a mention of it, how often it is written)
    targets: list[tuple[str, str, Candidate, int]] = []
    per_table: Counter[str] = Counter(m.table.id for m in ms if m.table is not None)
    seen: set[tuple[str, str]] = set()
    for m in ms:
        if m.source == "role":
            continue
        form = ctx.surface(m)
        ekey = f"id:{m.table.id}" if m.table is not None else f"{m.type}:{spelling_key(form) if m.type == 'PERSON' else fold_key(form)}"
        names: list[tuple[str, int]] = [(form, per_table[m.table.id] if m.table is not None else written(form))]
        if m.table is not None:
            names += [(a, per_table[m.table.id]) for a in (m.table.canonical, *m.table.aliases)]
        for name, n in names:
            k = fold_key(name)
            if (k, ekey) not in seen:
                seen.add((k, ekey))
                targets.append((k, ekey, m, n))
    persons = {spelling_key(ctx.surface(m)): m for m in ms if m.type == "PERSON" and m.source != "role"}
    word_uses: Counter[str] = Counter(w for m in ms if m.type == "PERSON" and m.source != "role" for w in spelling_key(ctx.surface(m)).split())

    def resolve(form: str) -> Candidate | None:
        k = fold_key(form)
        if len(name_letters(form)) < TYPO_MIN_LETTERS or form in defs or ctx.table.lookup(form) is not None:
            return None
        nw = len(k.split())
        n_form = written(form)
        hits: dict[str, Candidate] = {}
        for name, ekey, m, n in targets:
            if ekey.startswith("PERSON:") or len(name.split()) != nw or n <= n_form:
                continue
            if typing_slip(k, name, keys):
                hits[ekey] = m
        if nw == 1:  # one word of a person's name (Saikhu / Ahmad Syaikhu)
            sk = spelling_key(form)
            for pk, m in persons.items():
                words = pk.split()
                if pk == sk:
                    continue  # the form's own person
                if sk in words:
                    return None  # a name part written right
                for w in words:
                    if len(w) >= TYPO_MIN_LETTERS - 1 and typing_slip(sk, w, keys, substitution=False) and word_uses[w] > n_form:
                        hits[f"PERSON:{pk}"] = m
            # one person written two ways is one key; relatives are two (family guard)
            ps = [ekey for ekey in hits if ekey.startswith("PERSON:")]
            if len(ps) > 1 and all(not family_conflict(a[7:], b[7:]) for a in ps for b in ps if a < b):
                longest = max(ps, key=len)
                if all(set(p[7:].split()) <= set(longest[7:].split()) for p in ps):
                    for p in ps:
                        if p != longest:
                            hits.pop(p)
        if len(hits) != 1:
            return None
        return next(iter(hits.values()))

    new: dict[str, Candidate] = {}
    for m in ms:
        if m.table is not None or m.source in ("alias", "role"):
            continue
        form = ctx.surface(m)
        if form in new or form in defs:
            continue
        if m.type == "PERSON" and len(form.split()) > 1:
            continue  # a person's full name is never a typo of another (family guard)
        hit = resolve(form)
        if hit is not None and ctx.surface(hit) != form:
            new[form] = hit
    for si, sent in enumerate(ctx.p.sentences):  # capitalised words the model did not tag
        toks = sent.tokens
        for k, t in enumerate(toks):
            w = t.text
            if k == 0 or toks[k - 1].text in ('"', "“", "'", "‘", "(", ".", ":") or not w[:1].isupper() or not w.isalpha():
                continue  # a capital at the start of a sentence or quote says nothing
            if w in new or w in defs or w.casefold() in calendar or w.casefold() in ctx.titles or _covering(ms, t.start, t.end):
                continue
            hit = resolve(w)
            if hit is not None:
                new[w] = hit
    # a one-word place the model found, written once, one letter away from exactly one country
    # of the table that the article does not name (a list of countries: "Laos, Malysia, Nepal")
    retyped = False
    for i, m in enumerate(ms):
        form = ctx.surface(m)
        if m.table is not None or m.source != "ner" or m.type not in ("LOC", "COUNTRY") or form in new or form in defs:
            continue
        k = fold_key(form)
        if len(k.split()) != 1 or len(name_letters(form)) < TYPO_MIN_LETTERS or ctx.table.lookup(form) is not None or written(form) != 1:
            continue
        fits = {e.id: e for e in ctx.table.entries.values() if e.type == "COUNTRY"
                for a in (e.canonical, *e.aliases) if len(fold_key(a).split()) == 1 and typing_slip(k, fold_key(a), keys)}
        if len(fits) == 1:
            ms[i] = replace(m, table=next(iter(fits.values())), type="COUNTRY")
            retyped = True
    if not new and not retyped:
        return d
    for form, target in new.items():
        defs.setdefault(form, target)
    return Defined(_with_occurrences(ctx, ms, defs), defs)


Stage = Callable[[DocContext, Any], Any]

#: The per-document analysis, in order. A new rule is one function here and its tests.
STAGES: tuple[Stage, ...] = (
    candidates,
    find_cue_speakers,
    repair_spans,
    split_glued_names,
    trim_enclitic,
    drop_headline_noise,
    type_from_table,
    fold_state_prefixes,
    type_from_context,
    find_bracket_long_forms,
    find_definitions,
    find_nicknames,
    find_short_forms,
    find_leading_forms,
    bind_role_titles,
    bind_bare_titles,
    fold_outlet_domains,
    fold_country_stems,
    fold_admin_places,
    fold_source_typos,
    fold_same_names,
    fold_definitions,
    fold_short_names,
    type_by_head,
    local_entities,
    find_doc_quotes,
    to_original,
)


def check_stages(stages: Sequence[Stage], first: type = NerSpans, last: type = DocResult) -> None:
    """Raise TypeError unless each stage takes what the one before it gives (from ``first``
    to ``last``)."""
    have = first
    for st in stages:
        hints = get_type_hints(st)
        params = [h for k, h in hints.items() if k != "return"]
        if len(params) != 2 or params[0] is not DocContext or params[1] is not have:
            took = params[1].__name__ if len(params) == 2 else "?"
            raise TypeError(f"stage {st.__name__} takes {took}, but the stage before it gives {have.__name__}")
        have = hints["return"]
    if have is not last:
        raise TypeError(f"the stages end with {have.__name__}, not {last.__name__}")


def run_stages(ctx: DocContext, ner: NerSpans, stages: Sequence[Stage] = STAGES) -> Any:
    """Run ``stages`` in order, each on the previous one's output."""
    x: Any = ner
    for st in stages:
        x = st(ctx, x)
    return x


def build_result(p: Prepared, ner: Sequence[Sequence[tuple[int, int, str]]], table: AliasTable, *, find_quotes: Callable | None = None,
                 find_indirect: Callable | None = None) -> DocResult:
    """The analysis of one prepared document: every stage of :data:`STAGES`."""
    ctx = DocContext(p, table, load_titles(), find_quotes, find_indirect)
    return run_stages(ctx, NerSpans(tuple(tuple(s) for s in ner)), STAGES)


check_stages(STAGES)


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


@dataclass(frozen=True, slots=True)
class AnalysisFailure:
    """What :func:`analyze_with_spans` gives, with ``guard=True``, for a document whose analysis
    raised an unexpected error (a bug in a rule): the run reports the document as skipped and goes on
    with the others, instead of losing every result to one article."""

    doc_id: str
    error: str  # "ExceptionType: message"


def _guarded(doc: Document, guard: bool, fn: Callable[[], Any]) -> Any:
    if not guard:
        return fn()
    try:
        return fn()
    except QuotexError:
        raise  # a broken data file (--data overlay) or a model error fails every document: the run stops (exit 1 or 3)
    except Exception as e:  # noqa: BLE001 - any bug in one document's rules; the run reports it
        if os.environ.get("QUOTEX_DEBUG"):
            raise
        log.debug("%s: analysis failed: %s: %s", doc.id, e.__class__.__name__, e)
        return AnalysisFailure(doc.id, f"{e.__class__.__name__}: {e}")


def analyze_with_spans(docs: Sequence[Document], tagger: Tagger | None, table: AliasTable, *, keep_boilerplate: bool = False,
                       known_spans: Sequence[list | None] | None = None, quotes: bool = True,
                       guard: bool = False) -> list[tuple[list | None, DocResult | AnalysisFailure]]:
    """(NER spans per sentence, DocResult) for each document. NER runs in one batched call
    for the documents whose spans are not ``known``; documents over ``CHUNK_CHARS`` are
    analysed piece by piece. With ``guard``, a document whose rules raise an unexpected error
    gives an :class:`AnalysisFailure` in place of its DocResult (spans kept when the model ran);
    without it the error propagates."""
    fq = _quote_finder() if quotes else None
    fi = _indirect_finder() if quotes else None
    known = list(known_spans) if known_spans is not None else [None] * len(docs)
    out: list[Any] = [None] * len(docs)
    small = [i for i, d in enumerate(docs) if len(d.text) <= CHUNK_CHARS]
    for i, d in enumerate(docs):
        if len(d.text) > CHUNK_CHARS:
            r = _guarded(d, guard, lambda d=d, i=i: _analyze_large(d, tagger, table, keep_boilerplate, fq, known[i]))
            out[i] = (None, r) if isinstance(r, AnalysisFailure) else r
    prepared = {i: prepare(docs[i], keep_boilerplate=keep_boilerplate) for i in small}
    todo = [i for i in small if known[i] is None or len(known[i]) != len(prepared[i].sentences)]
    if todo:
        for i, sp in zip(todo, tag([prepared[i] for i in todo], tagger)):
            known[i] = sp
    for i in small:
        out[i] = (known[i], _guarded(docs[i], guard, lambda i=i: build_result(prepared[i], known[i], table, find_quotes=fq,
                                                                              find_indirect=fi)))
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


_DEFAULT_TAGGERS: dict[str | None, Any] = {}


def default_tagger(device: str | None = None) -> Tagger:
    """The shipped Stanza model, loaded once per process and device (``auto``, ``cpu``,
    ``cuda[:N]``; None: ``$QUOTEX_DEVICE`` or auto, see :meth:`quotex.ner.NerModel.load`)."""
    if device not in _DEFAULT_TAGGERS:
        from .ner import NerModel

        # Stanza's own messages are shown when quotex logs at INFO (`quotex -v`)
        _DEFAULT_TAGGERS[device] = NerModel.load(device=device, verbose=logging.getLogger("quotex").isEnabledFor(logging.INFO))
    return _DEFAULT_TAGGERS[device]


def analyze_text(doc_id: str, text: str) -> DocResult:
    """Pure per-document analysis with the shipped model and default data files."""
    return analyze_documents([Document(doc_id, text)], tagger=default_tagger())[0]
