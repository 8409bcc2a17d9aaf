"""Who said each quotation: an ordered list of small named rules.

:func:`find_quotes` runs three passes, each linear in the length of the text:

1. *Marks* (:mod:`quotex.quotes.marks`): every quotation by its quote marks.
2. *Reporting clauses* (:meth:`SpeakerReader.events`): ``X mengatakan``, ``disampaikan X``,
   ``menurut X`` outside quotations; each makes its speaker the current one as the text is read.
3. *Attribution*: quotations and clauses are walked in text order. A quotation introduced by a
   title or slogan word (``berjudul``, ``slogan``) is not speech. Otherwise the rules of
   :data:`RULES` are tried in order and the first that answers gives the speaker:

   ==================== ===========================================================================
   ``nya_after``         “...,” katanya -> the discourse's person
   ``cue_after``         “...,” kata Blinken / demikian pernyataan itu: the expression after the cue
   ``verb_after_comma``  “...,” Blinken menekankan: the subject of a verb right after the quotation
   ``nya_before_colon``  Katanya: “...”
   ``cue_before_colon``  Kata Blinken: “...”
   ``reporting_clause``  Blinken mengatakan Rusia “sedang putus asa”: a clause of the same sentence
   ``continued_paragraph`` a paragraph that reopens a quotation left open: the same speaker
   ``discourse_speaker`` a sentence that is only a quotation: the current speaker
   ``discourse_partial`` a fragment inside the reporter's sentence: the current speaker
   ==================== ===========================================================================

   The quotation records the rule that answered (``rule``; ``cue_after:person_mention`` names the
   rule and, after the colon, how the speaker expression was read) and takes its confidence from
   :data:`~quotex.quotes.confidence.CONFIDENCE`. A last pass gives a paragraph left open the
   speaker named where the multi-paragraph quotation ends (``multi_paragraph_end``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from typing import Any

from quotex.models import Mention
from quotex.quotes.confidence import CONFIDENCE, FACTOR
from quotex.quotes.cues import CueLexicon, default_lexicon
from quotex.quotes.marks import RawQuote, inside, merge_ranges, scan_marks
from quotex.quotes.speakers import MAX_AFTER, Discourse, Event, Reading, Speaker, SpeakerReader, before_words

__all__ = ["RULES", "Attribution", "QuoteSpan", "find_quotes"]


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quotation found in a text: the words inside the marks, its kind and its speaker.

    ``speaker_name`` is the resolved speaker as text: the speaker mention's text, or the name
    read from the text when no mention covers it. ``open_mark`` / ``close_mark`` are the
    offsets of the marks (``close_mark`` is None for a quotation left open at a paragraph
    break). ``rule`` names the attribution rule that gave the speaker (see :data:`RULES`).
    """

    start: int
    end: int
    kind: str
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker_type: str | None
    speaker_ref: int | None
    speaker_text: str | None
    confidence: float
    speaker_name: str | None = None
    open_mark: int | None = None
    close_mark: int | None = None
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON export."""
        return asdict(self)


@dataclass(slots=True)
class Attribution:
    """What a rule answers: the speaker reading, the cue that names it, and a kind when the
    rule decides it (a fallback rule); ``rule`` is filled in by the runner."""

    reading: Reading
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    kind: str | None = None
    rule: str = ""


class QuoteContext:
    """One quotation as the rules see it: its marks, its sentence, the cues around it."""

    def __init__(self, reader: SpeakerReader, raws: list[RawQuote], qi: int, events: list[Event], ei: int,
                 prev_speaker: Speaker | None) -> None:
        self.reader = reader
        self.text = text = reader.text
        self.lex = reader.lex
        self.raw = r = raws[qi]
        self.events = events
        self.ei = ei  # events[:ei] lie before the opening mark
        self.prev_speaker = prev_speaker  # the previous quotation's speaker
        self.next_open = raws[qi + 1].open_mark if qi + 1 < len(raws) else len(text)
        content = text[r.start : r.end]
        self.nwords = len(content.split())
        self.sent_a = reader.sentence_start(r.para_start, r.open_mark)
        self.intro_s = text[self.sent_a : r.open_mark].rstrip()
        first_char = content[:1]
        self.lower_start = first_char.isalpha() and first_char.islower()
        self.sentence_initial = not self.intro_s or self.intro_s.endswith(("”", '"', "’"))

    @property
    def after_start(self) -> int:
        """The first offset after the closing mark."""
        return self.raw.after

    @cached_property
    def after_limit(self) -> int:
        """How far after the closing mark a cue and its speaker are looked for."""
        return min(self.next_open, self.after_start + MAX_AFTER, self.raw.para_end)

    @cached_property
    def after_match(self) -> re.Match[str] | None:
        """The cue word right after the closing mark (``kata``, ``katanya``, ``demikian``), if any."""
        if self.raw.close_mark is None:
            return None
        m = self.lex._after_re.match(self.text[self.after_start : self.after_limit])
        if m is not None and not (m.group("marker") or m.group("nya") or m.group("cue")):
            return None
        return m

    @cached_property
    def colon_cue(self) -> re.Match[str] | None:
        """A cue before a colon that introduces the quotation (``Kata Blinken: “...”``)."""
        if not self.intro_s.endswith(":"):
            return None
        text, r = self.text, self.raw
        # the cue and its expression hold no ":", quote mark or line break
        ba = max(self.sent_a, r.open_mark - 120)
        colon = self.sent_a + len(self.intro_s) - 1
        ba = max(ba, *(text.rfind(c, ba, colon) + 1 for c in ':“”"\n'))
        return self.lex._before_cue_re.search(text, ba, r.open_mark)

    @property
    def colon_cue_is_nya(self) -> bool:
        """The cue before the colon is a ``-nya`` form (``Katanya:``)."""
        bc = self.colon_cue
        if bc is None:
            return False
        enc = self.lex.enclitic
        return bc.group(0).lower().startswith(bc.group("cue").lower()) and (
            self.text[bc.end("cue") : bc.end("cue") + len(enc)].lower() == enc
        )


# --------------------------------------------------------------------------- rules


def nya_after(q: QuoteContext, state: Discourse) -> Attribution | None:
    """“...,” katanya: a ``-nya`` cue after the closing mark is the discourse's person."""
    m = q.after_match
    if m is None or not m.group("nya"):
        return None
    cs, ce = q.after_start + m.start("nya"), q.after_start + m.end("nya")
    cue = q.text[cs:ce]
    return Attribution(Reading(state.anaphor(), cue, "nya_after", True), cue, (cs, ce))


def cue_after(q: QuoteContext, state: Discourse) -> Attribution | None:
    """“...,” kata Blinken / “...,” demikian pernyataan bersama itu: the speaker expression after
    a cue word (or ``demikian``) right after the closing mark."""
    m = q.after_match
    if m is None or m.group("nya"):
        return None
    g = "cue" if m.group("cue") else "marker"
    cs, ce = q.after_start + m.start(g), q.after_start + m.end(g)
    found = q.reader.after_cue(ce, q.after_limit, state)
    if found is None:
        return None
    return Attribution(found, q.text[cs:ce], (cs, ce))


def verb_after_comma(q: QuoteContext, state: Discourse) -> Attribution | None:
    """“...,” Blinken menekankan: the subject of a reporting verb right after a quotation that
    ends with a comma (no cue word there, the verb within a few words)."""
    r, text = q.raw, q.text
    if r.close_mark is None or q.after_match is not None:
        return None
    a = q.after_start
    if not (text[r.end - 1 : r.end] == "," or text[a : a + 1] == ","):
        return None
    window_end = min(q.after_limit, a + 80)
    for ev in q.events[q.ei :]:
        if ev.pos >= window_end:
            break
        if ev.kind != "verb":
            continue
        gap = text[a : ev.pos]
        if "." in gap or len(gap.split()) > 7:
            break
        f = q.reader.subject(a, ev.pos, state)
        if f is not None:
            return Attribution(f, ev.word, (ev.pos, ev.end))
        break
    return None


def nya_before_colon(q: QuoteContext, state: Discourse) -> Attribution | None:
    """Katanya: “...”: a ``-nya`` cue before the colon is the discourse's person."""
    bc = q.colon_cue
    if bc is None or not q.colon_cue_is_nya:
        return None
    cue_span = (bc.start("cue"), bc.end("cue") + len(q.lex.enclitic))
    reading = Reading(state.anaphor(), bc.group("cue") + q.lex.enclitic, "nya_before_colon", True)
    return Attribution(reading, q.text[cue_span[0] : cue_span[1]], cue_span)


def cue_before_colon(q: QuoteContext, state: Discourse) -> Attribution | None:
    """Kata Blinken: “...”: the speaker expression between a cue word and the colon."""
    bc = q.colon_cue
    if bc is None or q.colon_cue_is_nya:
        return None
    found = q.reader.expression(bc.start("expr"), bc.end("expr"), state)
    if found is None:
        return None
    return Attribution(found, bc.group("cue"), bc.span("cue"))


def reporting_clause(q: QuoteContext, state: Discourse) -> Attribution | None:
    """Blinken mengatakan Rusia “sedang putus asa”: the latest reporting clause of the
    quotation's own sentence that has a speaker."""
    for j in range(q.ei - 1, -1, -1):
        ev = q.events[j]
        if ev.pos < q.sent_a:
            break
        if ev.reading is not None:
            return Attribution(ev.reading, ev.word, (ev.pos, ev.end))
    return None


def continued_paragraph(q: QuoteContext, state: Discourse) -> Attribution | None:
    """A paragraph that reopens a quotation the previous paragraph left open: the same speaker."""
    if q.raw.continues and q.prev_speaker is not None:
        return Attribution(Reading(q.prev_speaker, None, "continued_paragraph"), kind="full")
    return None


def _whole_sentence(q: QuoteContext) -> bool:
    return q.sentence_initial and q.nwords >= 3 and not q.raw.single


def discourse_speaker(q: QuoteContext, state: Discourse) -> Attribution | None:
    """A sentence that is only a quotation (three words or more) and names no one: the
    current speaker of the discourse."""
    if _whole_sentence(q) and state.current is not None:
        return Attribution(Reading(state.current, None, "discourse_speaker"), kind="full")
    return None


def discourse_partial(q: QuoteContext, state: Discourse) -> Attribution | None:
    """A quoted fragment of five words or more inside the reporter's sentence: the current
    speaker (shorter ones are scare quotes)."""
    if _whole_sentence(q) or q.nwords <= 4 or q.raw.single or state.current is None:
        return None
    return Attribution(Reading(state.current, None, "discourse_partial"), kind="partial")


Rule = Callable[[QuoteContext, Discourse], "Attribution | None"]

#: The attribution rules in the order they are tried; the first that answers wins.
RULES: tuple[Rule, ...] = (
    nya_after,
    cue_after,
    verb_after_comma,
    nya_before_colon,
    cue_before_colon,
    reporting_clause,
    continued_paragraph,
    discourse_speaker,
    discourse_partial,
)


def attribute(q: QuoteContext, state: Discourse, rules: Sequence[Rule] = RULES) -> Attribution | None:
    """The first rule's answer for quotation ``q`` (``rule`` set to its name), else None."""
    for rule in rules:
        att = rule(q, state)
        if att is not None:
            how = att.reading.how
            att.rule = rule.__name__ if how == rule.__name__ else f"{rule.__name__}:{how}"
            return att
    return None


# --------------------------------------------------------------------------- the runner


def _kind(q: QuoteContext, att: Attribution | None) -> str:
    """full / partial / scare for a quotation that is speech (not a title or slogan)."""
    if att is None:
        return "full" if _whole_sentence(q) else "scare"
    if att.kind is not None:
        return att.kind
    introduced = q.intro_s.endswith(":") or (
        q.intro_s.endswith(",") and not q.lower_start and att.cue_span is not None and att.cue_span[0] < q.raw.open_mark
    )
    if (not q.sentence_initial and not introduced) or (q.lower_start and not q.sentence_initial):
        return "partial"
    return "full"


def _not_speech(q: QuoteContext) -> str | None:
    """``slogan`` / ``title`` when a word before the quotation says so (``slogan``, ``berjudul``)."""
    lex = q.lex
    bw = before_words(q.text, q.sent_a, q.raw.open_mark, 8)
    if any(w in lex.slogan_words for w in bw):
        return "slogan"
    if any(w in lex.title_words for w in bw[-2:]) and not q.intro_s.endswith(":"):
        return "title"
    return None


def _attribute_all(reader: SpeakerReader, raws: list[RawQuote], events: list[Event]) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    state = Discourse()
    ei = 0
    prev_speaker: Speaker | None = None
    for qi, r in enumerate(raws):
        # reporting clauses before this quotation update the current speaker
        while ei < len(events) and events[ei].pos < r.open_mark:
            ev = events[ei]
            ev.reading = reader.resolve_event(ev, state)
            if ev.reading is not None and not ev.relative:
                state.observe(ev.reading.speaker)
            ei += 1
        q = QuoteContext(reader, raws, qi, events, ei, prev_speaker)
        kind = _not_speech(q)
        att = None
        if kind is None:
            att = attribute(q, state)
            kind = _kind(q, att)
            if r.single and q.nwords <= 4 and (att is None or att.cue_span is None or att.cue_span[0] < r.open_mark):
                kind = "scare"
            if kind == "scare":
                att = None
        spk = att.reading.speaker if att is not None else None
        if att is not None:
            conf = att.reading.confidence
        else:
            conf = CONFIDENCE["no_speaker_full" if kind == "full" else "no_speaker_other"]
        if r.close_mark is None:
            conf *= FACTOR["open_quote"]
        stype = spk.type if spk is not None else None
        out.append(
            QuoteSpan(
                start=r.start,
                end=r.end,
                kind=kind,
                cue=att.cue if att is not None else None,
                cue_start=att.cue_span[0] if att is not None and att.cue_span else None,
                cue_end=att.cue_span[1] if att is not None and att.cue_span else None,
                speaker_type=stype,
                speaker_ref=spk.ref if spk is not None and stype in ("PERSON", "ORG", "GROUP") else None,
                speaker_text=att.reading.text if att is not None else None,
                confidence=round(min(1.0, max(0.0, conf)), 3),
                speaker_name=spk.name if spk is not None and stype != "UNNAMED" else None,
                open_mark=r.open_mark,
                close_mark=r.close_mark,
                rule=att.rule if att is not None else None,
            )
        )
        state.observe(spk)
        prev_speaker = spk
    # a paragraph left open takes the speaker named where the multi-paragraph quotation ends
    for i in range(len(out) - 2, -1, -1):
        q, nx = out[i], out[i + 1]
        if (
            q.close_mark is None and q.speaker_type is None and q.kind == "full"
            and raws[i + 1].continues and nx.speaker_type is not None
        ):
            out[i] = replace(
                q, speaker_type=nx.speaker_type, speaker_ref=nx.speaker_ref, speaker_name=nx.speaker_name,
                speaker_text=nx.speaker_text, confidence=round(nx.confidence * FACTOR["multi_paragraph_end"], 3),
                rule="multi_paragraph_end",
            )
    return out


def find_quotes(
    text: str,
    mentions: Sequence[Mention],
    *,
    excluded: Sequence[tuple[int, int]] = (),
    lexicon: CueLexicon | None = None,
) -> list[QuoteSpan]:
    """Find every quotation in ``text`` and attribute it to a speaker among ``mentions``."""
    lex = lexicon if lexicon is not None else default_lexicon()
    ex_s, ex_e = merge_ranges(excluded)
    raws = [r for r in scan_marks(text, ex_s, ex_e) if not inside(r.open_mark, ex_s, ex_e)]
    spans = [(r.open_mark, r.after if r.close_mark is not None else r.end + 1) for r in raws]
    reader = SpeakerReader(text, mentions, lex, spans)
    events = reader.events((ex_s, ex_e))
    return _attribute_all(reader, raws, events)
