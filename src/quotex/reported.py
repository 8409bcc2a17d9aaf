"""Reported (indirect) speech: statements written without quote marks.

    Blinken mengatakan bahwa kerja sama militer kedua negara mengancam keamanan global.
    Menurut Kapolri, pelaku sudah ditangkap.
    Saat ini, lanjut Endang, Hariyanto masih menjalani pemeriksaan.
    Dijelaskan Netanyahu, Hamas ingin Israel hancur.
    Sukses Timnas U-22 tak lepas dari perubahan skuat. Hal ini diungkapkan Bima Sakti.

Each *pattern* is one small function that reads a sentence around a cue and returns the
reported content's span and how to find the speaker; the result records which pattern fired
(``rule``). The span is the content only: after ``bahwa`` (or the cue and its comma) to the end
of the clause or sentence, without the final full stop. A reporting clause that introduces a
quotation (``Ia menambahkan: “...”``, ``“...,” Blinken mengatakan.``) is not a second statement;
questions, cues inside quote marks and cues without a speaker give nothing.

Speakers are read with the direct quotes' speaker code, :class:`quotex.quotes.speakers.SpeakerReader`
(names, ``-nya``, ``dia``, role titles, epithets, organisations), plus a few readings reported speech
needs (:func:`_verb_subject`, :func:`_expr_speaker`); one :class:`~quotex.quotes.speakers.Discourse`
runs through direct and indirect statements in text order. ``rule`` is ``<pattern>:<reading>``.
The words live in the ``indirect:`` section of ``data/cues.yaml``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotex.datafiles import load_yaml
from quotex.errors import ConfigError
from quotex.models import Mention, Sentence
from quotex.quotes.attribution import QuoteSpan
from quotex.quotes.confidence import INDIRECT
from quotex.quotes.cues import CueLexicon, _words, default_lexicon
from quotex.quotes.marks import inside, merge_ranges
from quotex.quotes.speakers import WORD_RE, Discourse, Event, Reading, Speaker, SpeakerReader
from quotex.resources import data_file

__all__ = ["IndirectLexicon", "find_indirect", "load_indirect_lexicon", "PATTERNS"]

_ALPHA_RE = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+)*")
_END_TRIM = ".!?…;,:\"”’' \t"


@dataclass(frozen=True)
class IndirectLexicon:
    """The ``indirect:`` word lists of ``cues.yaml`` and the patterns compiled from them."""

    verbs: frozenset[str]
    complementizers: frozenset[str]
    untuk_verbs: frozenset[str]
    adjunct_words: frozenset[str]
    not_content: frozenset[str]
    empty_objects: frozenset[str]
    mid_openers: frozenset[str]
    participles: frozenset[str]
    expression_goes_on: frozenset[str]
    mid_cues: frozenset[str]
    front_passives: frozenset[str]
    back_references: tuple[str, ...]
    back_passives: frozenset[str]
    hearsay: frozenset[str]
    negations: frozenset[str]
    modals: frozenset[str]
    cue_words: frozenset[str]  # every word a cue pattern can start with, lower-cased
    verb_re: re.Pattern[str]
    menurut_re: re.Pattern[str]
    mid_re: re.Pattern[str]
    front_re: re.Pattern[str]
    back_re: re.Pattern[str]


_LEX_CACHE: dict[str, IndirectLexicon] = {}
_LEX_FAST: dict[tuple[str, tuple[str, ...]], IndirectLexicon] = {}


def _alt(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _first(words: Any) -> str:
    """A lookahead on the words' first letters: the alternation is tried only where one fits."""
    cs = sorted({c for w in words for c in (w[0].lower(), w[0].upper())})
    return "(?=[" + re.escape("".join(cs)) + "])" if cs else ""


def load_indirect_lexicon(path: Path | None = None, according_to: Sequence[str] = ("menurut",)) -> IndirectLexicon:
    """Load (once per file) the ``indirect:`` section of ``cues.yaml``."""
    p = Path(path) if path is not None else data_file("cues.yaml")  # follows the data overlay
    fast = (str(p), tuple(according_to))
    if fast in _LEX_FAST:
        return _LEX_FAST[fast]
    key = str(p.resolve()) + "|" + ",".join(according_to)
    if key in _LEX_CACHE:
        return _LEX_CACHE[key]
    sp = str(p)
    doc = load_yaml(p)  # a ConfigError with file and line for bad YAML
    sec = doc.get("indirect") if isinstance(doc, dict) else None
    if not isinstance(sec, dict):
        raise ConfigError("the cue lexicon has no 'indirect:' mapping (verbs:, mid_cues:, ...)", path=sp)

    def need(k: str) -> list[str]:
        ws = _words(sec, k, sp)
        if not ws:
            raise ConfigError(f"'indirect.{k}' is missing or empty", path=sp)
        return ws

    verbs = frozenset(need("verbs"))
    mid = frozenset(need("mid_cues"))
    front = frozenset(need("front_passives"))
    backs = tuple(sorted(need("back_references"), key=len, reverse=True))
    back_p = frozenset(need("back_passives"))
    acc = _alt(according_to)
    lex = IndirectLexicon(
        verbs=verbs,
        complementizers=frozenset(need("complementizers")),
        untuk_verbs=frozenset(_words(sec, "untuk_verbs", sp)),
        adjunct_words=frozenset(need("adjunct_words")),
        not_content=frozenset(_words(sec, "not_content", sp)),
        empty_objects=frozenset(_words(sec, "empty_objects", sp)),
        mid_openers=frozenset(_words(sec, "mid_cue_openers", sp)),
        participles=frozenset(_words(sec, "participles", sp)),
        expression_goes_on=frozenset(need("expression_goes_on")),
        mid_cues=mid,
        front_passives=front,
        back_references=backs,
        back_passives=back_p,
        hearsay=frozenset(_words(sec, "hearsay", sp)),
        negations=frozenset(_words(sec, "negations", sp)),
        modals=frozenset(_words(sec, "modals", sp)),
        cue_words=verbs | mid | {w + "nya" for w in mid} | frozenset(according_to) | {w + "nya" for w in according_to},
        verb_re=re.compile(r"\b" + _first(verbs) + r"(?:" + _alt(verbs) + r")\b", re.IGNORECASE),
        menurut_re=re.compile(r"\b" + _first(according_to) + r"(?P<cue>(?:" + acc + r")(?P<nya>nya)?)\b", re.IGNORECASE),
        # ", kata Edho," / "Kata dia," / ", katanya," -- preceded by a comma or opening the sentence
        mid_re=re.compile(r"\b" + _first(mid) + r"(?P<cue>(?:" + _alt(mid) + r")(?P<nya>nya)?)\b", re.IGNORECASE | re.MULTILINE),
        front_re=re.compile(r"(?P<cue>" + _alt(front) + r")\b(?:\s+oleh\b)?", re.IGNORECASE),
        back_re=re.compile(
            r"(?P<ref>" + _alt(backs) + r")\b(?:\s+\w+){0,2}?\s+(?P<cue>" + _alt(back_p) + r")\b(?:\s+oleh\b)?",
            re.IGNORECASE,
        ),
    )
    _LEX_CACHE[key] = lex
    _LEX_FAST[fast] = lex
    return lex


# --------------------------------------------------------------------------- candidates


@dataclass(slots=True)
class _Cand:
    """A reporting structure found in one sentence, before its speaker is known."""

    rule: str
    cue_start: int
    cue_end: int
    start: int  # content
    end: int
    resolve: Callable[[SpeakerReader, Discourse], Reading | None]


@dataclass(slots=True)
class _Sent:
    start: int
    end: int
    index: int


class _Doc:
    """Per-call state: text, sentences, quote intervals and the speaker context of quotes.py."""

    def __init__(self, text: str, ctx: SpeakerReader, lex: IndirectLexicon, sents: list[_Sent],
                 quote_iv: list[tuple[int, int]]) -> None:
        self.text = text
        self.ctx = ctx
        self.lex = lex
        self.sents = sents
        self.q_starts = [a for a, _ in quote_iv]
        self.q_ends = [b for _, b in quote_iv]
        self._found: dict[int, tuple[list[int], list[re.Match[str]]]] = {}
        self._cue_words: list[int] | None = None

    def matches(self, rx: re.Pattern[str], a: int, b: int) -> list[re.Match[str]]:
        """The matches of ``rx`` (a cue pattern of the lexicon) starting in [a, b). The text is read
        word by word once; a pattern is tried only where a word of the lexicon starts."""
        got = self._found.get(id(rx))
        if got is None:
            if self._cue_words is None:
                cw = self.lex.cue_words
                self._cue_words = [m.start() for m in _ALPHA_RE.finditer(self.text) if m.group(0).lower() in cw]
            ms = [m for m in (rx.match(self.text, p) for p in self._cue_words) if m is not None]
            got = self._found[id(rx)] = ([m.start() for m in ms], ms)
        starts, ms = got
        return ms[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]

    def in_quote(self, pos: int) -> bool:
        return inside(pos, self.q_starts, self.q_ends)

    def quote_in(self, a: int, b: int) -> bool:
        """Some quote mark interval starts inside [a, b)."""
        i = bisect.bisect_left(self.q_starts, a)
        return i < len(self.q_starts) and self.q_starts[i] < b


def _skip_space(text: str, p: int, lim: int) -> int:
    while p < lim and text[p] in " \t":
        p += 1
    return p


def _word_at(text: str, p: int, lim: int) -> tuple[str, int]:
    m = WORD_RE.match(text, p, lim)
    return (m.group(0).lower(), m.end()) if m else ("", p)


def _content_end(d: _Doc, a: int, s: _Sent) -> int:
    """End of the content that starts at ``a``: the end of the sentence, or the comma before a
    second reporting cue in it (``..., sebab menurutnya, ...``), final punctuation trimmed."""
    text = d.text
    b = s.end
    for rx in (d.lex.menurut_re, d.lex.mid_re):
        for m in d.matches(rx, a, b):
            if m.start() <= a or d.in_quote(m.start()):
                continue
            if rx is d.lex.mid_re and text[m.start() - 2 : m.start()] != ", ":
                continue
            c = text.rfind(",", a, m.start())
            if c > a:
                b = min(b, c)
            break
    while b > a and text[b - 1] in _END_TRIM:
        b -= 1
    return b


_COMPL_NEAR: dict[frozenset[str], re.Pattern[str]] = {}


def _content_start(d: _Doc, p: int, s: _Sent, verb: str | None = None) -> int | None:
    """Where the content begins after a cue ending at ``p``: past a comma and ``bahwa``/``agar``;
    None when what follows is a quotation, a colon or not a clause."""
    text, lex = d.text, d.lex
    p = _skip_space(text, p, s.end)
    comma = p < s.end and text[p] == ","
    if comma:
        p = _skip_space(text, p + 1, s.end)
    if p >= s.end or text[p] in ":“”\"‘'«" or d.in_quote(p):
        return None  # introduces a quotation (or nothing follows)
    w, we = _word_at(text, p, s.end)
    if w in lex.complementizers or (verb in lex.untuk_verbs and w == "untuk"):
        q = _skip_space(text, we, s.end)
        return None if q >= s.end or text[q] in "“”\"‘'«" or d.in_quote(q) else q
    if comma:
        return p
    # "mengatakan pekan lalu bahwa ...": a short adjunct, then the content after "bahwa"
    cm = _COMPL_NEAR.get(lex.complementizers)
    if cm is None:
        cm = _COMPL_NEAR[lex.complementizers] = re.compile(r"^(?:[^\W\d_][\w\-]*\s+|\d[\w/]*\s+){1,5}(?:" + _alt(lex.complementizers) + r")\b\s*", re.IGNORECASE)
    nm = cm.match(text[p : min(s.end, p + 80)])
    if nm is not None and "," not in nm.group(0):
        q = p + nm.end()
        return None if q >= s.end or text[q] in "“”\"‘'«" or d.in_quote(q) else q
    if w in lex.adjunct_words and _word_at(text, _skip_space(text, we, s.end), s.end)[0] not in d.ctx.words.demonstratives:
        # "mengatakan kepada wartawan di Jakarta, Senin, bahwa ..." -> after bahwa, else the last comma
        m = re.search(r"\b(?:" + _alt(lex.complementizers) + r")\b", text[p : s.end], re.IGNORECASE)
        if m is not None:
            return _skip_space(text, p + m.end(), s.end)
        return None
    if w in lex.not_content or (w.endswith("nya") and w[:-3] in lex.not_content):
        return None  # "menyampaikan terima kasih", "mengungkapkan alasannya": a speech act named, no content
    if w in lex.empty_objects and len(WORD_RE.findall(text, p, s.end)) <= 4:
        return None  # "mengatakan hal itu." (but "menjelaskan hal ini perlu dilakukan ..." is content)
    return p


def _sentence_head(d: _Doc, s: _Sent) -> int:
    """The start of the sentence's own words: after a dateline (``Jakarta (ANTARA News) - ``)."""
    text = d.text
    if s.start > 0 and text[s.start - 1] != "\n":
        return s.start  # a dateline opens a paragraph ("Go - Pay" mid-paragraph is no dateline)
    head = s.start
    for m in re.finditer(r"\s(?:--?|–|—)\s", text[s.start : min(s.end, s.start + 100)]):
        before = re.sub(r"\([^)]*\)", "", text[s.start : s.start + m.start()])
        if any(w[:1].islower() for w in before.split()):
            break  # a dateline is names only: "Jakarta (ANTARA News) -", "Suara.com -"
        head = s.start + m.end()
    return head


def _words_before(text: str, a: int, pos: int, skip: frozenset[str]) -> tuple[str, int]:
    """The last word of ``text[a:pos]`` that is not in ``skip`` (adverbs), lower-cased, and its start."""
    for m in reversed(list(WORD_RE.finditer(text, max(a, pos - 80), pos))):
        w = m.group(0).lower()
        if w not in skip:
            return w, m.start()
    return "", a


def _verb_subject(ctx: SpeakerReader, lex: IndirectLexicon, head: int, pos: int, st: Discourse) -> Reading | None:
    """The subject of a reporting verb at ``pos`` (sentence words from ``head``):
    :meth:`SpeakerReader.subject` (names, roles, described subjects ``politisi Golkar ini``, the
    person after a leading clause), after three readings reported speech needs: a pronoun with
    adverbs between it and the verb (``Dia juga memastikan``), ``sembari menambahkan`` (the one
    already speaking) and ``X yang mengharapkan``; the clause after the last comma is read first."""
    text = ctx.text
    w, ws = _words_before(text, head, pos, ctx.words.adverbs)
    if w in ctx.lex.pronouns_singular:
        return Reading(st.anaphor(), text[ws : ws + len(w)], "pronoun", True)
    if w in lex.participles and st.current is not None:
        # "..., sebutnya, sembari menambahkan ...": the subject is the one already speaking
        return Reading(st.anaphor(), text[ws:pos].strip(), "participle", True)
    if w == "yang":
        ms = [k for k in ctx.mentions_in(max(head, ws - 60), ws) if ctx.mentions[k].type == "PERSON"]
        if ms and not text[ctx.mentions[ms[-1]].end : ws].strip():
            k = ms[-1]
            return Reading(ctx.spk_of(k, "PERSON"), ctx.mentions[k].text, "subject_relative")
    # the clause after the last comma first: a name no mention covers (Oesman after "sebagai wakil
    # ketua MPR,"), or a description there, is the subject, not what the leading clause names
    c = text.rfind(",", head, pos)
    if c > head and any(ch.isupper() for ch in text[c + 1 : pos]):
        f = ctx.subject(c + 1, pos, st)
        if f is not None:
            return f
    return ctx.subject(head, pos, st)


def _expr_speaker(ctx: SpeakerReader, a: int, b: int, st: Discourse, ext_lim: int | None = None) -> Reading | None:
    """A speaker expression after a cue (:meth:`SpeakerReader.expression`); with ``ext_lim`` a
    role-led expression takes the person named further on (``Hal ini diungkapkan Asisten Pelatih
    Timnas U-22, Bima Sakti``: :meth:`SpeakerReader.extended_person`) before an organisation it names."""
    f = ctx.expression(a, b, st)
    if ext_lim is not None and (f is None or f.speaker.type != "PERSON" or f.speaker.ref is None):
        ext = ctx.extended_person(a, ext_lim)
        if ext is not None and ext.speaker.type == "PERSON":
            return ext
    return f


def _pat_verb(d: _Doc, s: _Sent) -> list[_Cand]:
    """X mengatakan [,] [bahwa] <content>."""
    text, lex = d.text, d.lex
    out = []
    for m in d.matches(lex.verb_re, s.start, s.end):
        if d.in_quote(m.start()):
            continue
        verb = m.group(0).lower()
        w, _ = _words_before(text, s.start, m.start(), lex.modals | d.ctx.words.adverbs)
        if w in lex.negations:
            continue  # "belum dapat memastikan": a statement not made
        a = _content_start(d, m.end(), s, verb)
        if a is None:
            continue
        b = _content_end(d, a, s)
        if b <= a or text[s.end - 1 : s.end] == "?":
            continue
        pos, vend = m.start(), m.end()

        def resolve(ctx: SpeakerReader, st: Discourse, pos: int = pos, head: int = _sentence_head(d, s)) -> Reading | None:
            return _verb_subject(ctx, lex, head, pos, st)

        out.append(_Cand("verb", pos, vend, a, b, resolve))
    return out


def _pat_menurut(d: _Doc, s: _Sent) -> list[_Cand]:
    """Menurut X, <content>.  /  ..., menurutnya, <content>.  /  <content>, menurut X."""
    text, lex = d.text, d.lex
    out = []
    for m in d.matches(lex.menurut_re, s.start, s.end):
        if d.in_quote(m.start()):
            continue
        ce = m.end()
        if m.group("nya"):
            expr_end = ce
        else:
            ee = d.ctx.expr_end(ce, s.end)
            expr_end = ee
        cs = m.start()
        nya = bool(m.group("nya"))

        def resolve(ctx: SpeakerReader, st: Discourse, cs: int = cs, ce: int = ce, ee: int = expr_end, nya: bool = nya) -> Reading | None:
            if nya:
                return Reading(st.anaphor(), text[cs:ce], "nya_cue", True)
            return ctx.resolve_event(Event(cs, ce, text[cs:ce], kind="menurut"), st)

        if not nya:
            # a name written in full may hold a stop word (Obat-Obatan dan Kosmetika ...)
            q0 = _skip_space(text, ce, s.end)
            for k in d.ctx.mentions_in(q0, s.end):
                if d.ctx.mentions[k].start == q0:
                    expr_end = max(expr_end, d.ctx.mentions[k].end)
                break
        p = _skip_space(text, expr_end, s.end)
        # "Menurut Badan Pusat Statistik (BPS), ..." / "Menurut politisi Golkar itu juga, ...":
        # a parenthesis and adverbs still belong to the speaker expression
        while p < s.end:
            if text[p] == "(" and text.find(")", p, s.end) > 0:
                p = _skip_space(text, text.find(")", p, s.end) + 1, s.end)
                continue
            w, we = _word_at(text, p, s.end)
            if w and w in d.ctx.words.adverbs and we < s.end and text[_skip_space(text, we, s.end)] in ",(":
                p = _skip_space(text, we, s.end)
                continue
            break
        if p < s.end and text[p] == ",":
            expr_end = p
        # "Menurut Andreas pelaporan itu ...": the name, then the content with no comma between
        name_end = None
        if not nya and not (p < s.end and text[p] == ","):
            ms = [k for k in d.ctx.mentions_in(ce, expr_end) if d.ctx.mentions[k].type in ("PERSON", "ORG")]
            ne = d.ctx.mentions[ms[0]].end if ms else None
            if ne is None:
                # a name the tagger missed: the capitalised run right after "menurut"
                run = d.ctx.words.cap_run_re.match(text, _skip_space(text, ce, s.end))
                if run is not None and run.group(0).split()[0].lower() not in d.ctx.words.not_names:
                    ne = run.end()
            if ne is not None:
                rest = text[ne:expr_end].split()
                if rest and rest[0][:1].islower() and rest[0].lower() not in lex.expression_goes_on:
                    name_end = ne
        a: int | None
        if name_end is not None:
            a = _skip_space(text, name_end, s.end)
            expr_end = name_end
        elif p < s.end and text[p] == ",":
            a = _content_start(d, p, s)
        elif p >= s.end or text[p] in ".!?":
            # "<content>, menurut X."
            a0 = _sentence_head(d, s)
            c = text.rfind(",", a0, cs)
            if c < 0 or text[c - 1 : c] in "”\"’'" or d.quote_in(a0, c):
                continue
            out.append(_Cand("menurut_after", cs, expr_end, a0, c, resolve))
            continue
        else:
            a = p if nya else None
        if a is None:
            continue
        b = _content_end(d, a, s)
        if b <= a or text[s.end - 1 : s.end] == "?":
            continue
        out.append(_Cand("menurut", cs, expr_end, a, b, resolve))
    return out


def _pat_mid(d: _Doc, s: _Sent) -> list[_Cand]:
    """Saat ini, lanjut Endang, <content>.  /  <content>, kata Menlu.  (no quote marks)"""
    text, lex = d.text, d.lex
    out = []
    for m in d.matches(lex.mid_re, s.start, s.end):
        cs, ce = m.start(), m.end()
        if d.in_quote(cs):
            continue
        if cs > s.start and text[cs - 2 : cs] != ", ":
            # "Justru sebaliknya, karena kata Tjahjo, ...": a conjunction opening the clause
            w, ws = _words_before(text, s.start, cs, frozenset())
            if w not in lex.mid_openers or not (ws == s.start or text[ws - 2 : ws] == ", "):
                continue
        if cs > s.start and text[cs - 3 : cs - 2] in "”\"’'":
            continue  # “...,” kata X: a direct quotation
        nya = bool(m.group("nya"))
        if nya:
            ee = ce
        else:
            w, _ = _word_at(text, _skip_space(text, ce, s.end), s.end)
            # the cue must be followed by its speaker (a capitalised word or a pronoun)
            nxt = _skip_space(text, ce, s.end)
            if nxt >= s.end or not (text[nxt].isupper() or w in d.ctx.lex.pronouns):
                continue
            ee = d.ctx.expr_end(ce, s.end)

        p = _skip_space(text, ee, s.end)
        if p < s.end and text[p] == ",":
            a = _content_start(d, p, s)
            if a is None:
                continue
            b = _content_end(d, a, s)
            rule = "mid_cue"
        else:
            # the speaker's name, then either the sentence end ("..., kata Menlu.") or the content
            # with no comma between ("Untuk sisanya, kata Ade akan dibahas ...")
            name_end = ee
            if not nya:
                run = d.ctx.words.cap_run_re.match(text, _skip_space(text, ce, s.end))
                name_end = run.end() if run is not None else ce
            rest = text[name_end:ee].strip()
            first = rest.split()[0].lower() if rest else ""
            if rest and (first in d.ctx.words.prepositions or first in lex.expression_goes_on):
                rest = ""  # "kata Duta Besar Inggris untuk PBB Matthew Rycroft.": still the speaker
            if p >= s.end or text[p] in ".!?" and (not rest or not rest[0].islower()):
                a = _sentence_head(d, s)
                b = cs - 2
                if d.quote_in(a, b + 1) or b <= a:
                    continue
                rule = "cue_after"
            elif name_end > ce and rest and rest[0].islower():
                a = _skip_space(text, name_end, s.end)
                b = _content_end(d, a, s)
                ee = name_end
                rule = "mid_cue"
            else:
                continue
        if b <= a or text[s.end - 1 : s.end] == "?":
            continue

        def resolve(ctx: SpeakerReader, st: Discourse, cs: int = cs, ce: int = ce, ee: int = ee, nya: bool = nya) -> Reading | None:
            if nya:
                return Reading(st.anaphor(), text[cs:ce], "nya_cue", True)
            return _expr_speaker(ctx, ce, ee, st)

        out.append(_Cand(rule, cs, ee, a, b, resolve))
    return out


def _pat_front_passive(d: _Doc, s: _Sent) -> list[_Cand]:
    """Dijelaskan Netanyahu, <content>.  /  Ditambahkan oleh Paul, <content>.  /  Disebutkan bahwa <content>."""
    text = d.text
    m = d.lex.front_re.match(text, s.start, s.end)
    if m is None:
        return []
    cs, ce = m.start(), m.end()
    p = _skip_space(text, ce, s.end)
    w, we = _word_at(text, p, s.end)
    if w in d.lex.complementizers:
        a = _skip_space(text, we, s.end)

        def resolve(ctx: SpeakerReader, st: Discourse, cs: int = cs) -> Reading | None:
            return Reading(st.anaphor(), text[cs:ce], "current_speaker", True) if st.current is not None else None

        b = _content_end(d, a, s)
        return [_Cand("front_passive", cs, ce, a, b, resolve)] if b > a else []
    c = text.find(",", ce, s.end)
    if c < 0 or c - ce > 100:
        return []
    a = _content_start(d, c, s)
    if a is None:
        return []
    b = _content_end(d, a, s)

    def resolve2(ctx: SpeakerReader, st: Discourse, ce: int = ce, c: int = c) -> Reading | None:
        return ctx.expression(ce, c, st)

    return [_Cand("front_passive", cs, c, a, b, resolve2)] if b > a else []


def _pat_back_reference(d: _Doc, s: _Sent) -> list[_Cand]:
    """<content>. Hal itu disampaikan (oleh) X ...: the previous sentence is X's statement."""
    text = d.text
    m = d.lex.back_re.match(text, s.start, s.end)
    if m is None or s.index == 0:
        return []
    prev = d.sents[s.index - 1]
    a = _sentence_head(d, prev)
    b = prev.end
    while b > a and text[b - 1] in _END_TRIM:
        b -= 1
    if b <= a or d.quote_in(prev.start, prev.end + 1) or d.in_quote(a):
        return []
    if any(w.lower() in d.lex.hearsay for w in WORD_RE.findall(text, a, b)):
        return []
    ce = m.end()
    ee = d.ctx.expr_end(ce, s.end)

    def resolve(ctx: SpeakerReader, st: Discourse, ce: int = ce, ee: int = ee) -> Reading | None:
        p = _skip_space(text, ce, ee)
        if p >= ee or not text[p].isupper():
            return None
        return _expr_speaker(ctx, ce, ee, st, ext_lim=s.end)

    return [_Cand("back_reference", m.start(), ce, a, b, resolve)]


# The patterns in the order they are tried; at most one statement per content span.
PATTERNS: tuple[tuple[str, Callable[[_Doc, _Sent], list[_Cand]]], ...] = (
    ("front_passive", _pat_front_passive),
    ("back_reference", _pat_back_reference),
    ("menurut", _pat_menurut),
    ("mid_cue", _pat_mid),
    ("verb", _pat_verb),
)


# --------------------------------------------------------------------------- driver


def _sentences(text: str, sentences: Sequence[Sentence] | None, excluded: Sequence[tuple[int, int]]) -> list[_Sent]:
    if sentences is None:
        from quotex.segment import segment

        ex_s, ex_e = merge_ranges(excluded)
        sentences = segment(text, list(zip(ex_s, ex_e)))
    return [_Sent(s.start, s.end, i) for i, s in enumerate(sentences)]


def find_indirect(
    text: str,
    mentions: Sequence[Mention],
    direct: Sequence[QuoteSpan] = (),
    *,
    sentences: Sequence[Sentence] | None = None,
    excluded: Sequence[tuple[int, int]] = (),
    lexicon: CueLexicon | None = None,
    indirect_lexicon: IndirectLexicon | None = None,
) -> list[QuoteSpan]:
    """Reported statements in ``text``: :class:`~quotex.quotes.QuoteSpan` of kind ``indirect``, ``rule`` =
    ``<pattern>:<speaker reading>`` (``verb:subject_person``, ``menurut:person_mention``).

    ``direct`` are the quotations :func:`quotex.quotes.find_quotes` found in the same text: their
    marks hide cues, their reporting clauses are not second statements, and their speakers carry
    the discourse (``Ia menambahkan, ...`` after a quotation)."""
    lex = lexicon if lexicon is not None else default_lexicon()
    ilex = indirect_lexicon if indirect_lexicon is not None else load_indirect_lexicon(
        Path(lex.source) if lex.source != "<memory>" else None, according_to=sorted(lex.according_to))
    ex_s, ex_e = merge_ranges(excluded)
    quote_iv = sorted(
        (q.open_mark if q.open_mark is not None else q.start - 1, (q.close_mark if q.close_mark is not None else q.end) + 1)
        for q in direct
    )
    ctx = SpeakerReader(text, mentions, lex, quote_iv)
    sents = _sentences(text, sentences, excluded)
    d = _Doc(text, ctx, ilex, sents, quote_iv)
    # a reporting clause that introduces a full quotation is not a second statement (a partial
    # quotation inside reported speech is: Blinken mengatakan Rusia “sedang putus asa” ...)
    direct_cues = {q.cue_start for q in direct if q.cue_start is not None and q.kind == "full"}
    cands: list[tuple[int, int, _Cand]] = []
    for s in sents:
        if inside(s.start, ex_s, ex_e):
            continue
        for pi, (_, pat) in enumerate(PATTERNS):
            for c in pat(d, s):
                if c.cue_start not in direct_cues:
                    cands.append((s.index, pi, c))
    # one walk in text order: direct quotations and indirect statements carry the discourse;
    # a statement whose cue lies in another's content, or whose content overlaps it, is dropped
    items: list[tuple[int, int, Any]] = [(q.start, -1, q) for q in direct]
    items += [(min(c.cue_start, c.start), pi, c) for _, pi, c in cands]
    items.sort(key=lambda t: (t[0], t[1]))
    taken: list[tuple[int, int]] = []
    state = Discourse()
    out: list[QuoteSpan] = []
    for _, pi, it in items:
        if pi < 0:
            if it.speaker_type in ("PERSON", "ORG", "GROUP"):
                state.observe(Speaker(it.speaker_type, it.speaker_ref, it.speaker_name))
            continue
        c = it
        if any(c.start < b and a < c.end for a, b in taken) or any(a <= c.cue_start < b for a, b in taken):
            continue
        f = c.resolve(ctx, state)
        spk = f.speaker if f is not None else None
        if spk is None or spk.type not in ("PERSON", "ORG") or (spk.ref is None and not spk.name):
            continue
        taken.append((c.start, c.end))
        state.observe(spk)
        out.append(QuoteSpan(
            start=c.start, end=c.end, kind="indirect", cue=text[c.cue_start : c.cue_end].strip(), cue_start=c.cue_start,
            cue_end=c.cue_end, speaker_type=spk.type, speaker_ref=spk.ref, speaker_text=f.text,
            confidence=round(min(1.0, f.confidence * INDIRECT[c.rule]), 3), speaker_name=spk.name,
            rule=f"{c.rule}:{f.how}",
        ))
    return out
