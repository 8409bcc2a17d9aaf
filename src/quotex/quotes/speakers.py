"""Reading a speaker out of the text: speaker expressions, subjects of reporting verbs, the
discourse state, and reporting clauses.

Callable on its own (quotations and reported speech use the same rules)::

    reader = SpeakerReader(text, mentions)          # lexicon: the shipped cues.yaml by default
    state = Discourse()                             # who speaks now (updated by the caller)
    reader.after_cue(cue_end, limit, state)        # “...,” kata <expr>  -> Reading | None
    reader.subject(region_start, verb_start, state) # <subject> mengatakan -> Reading | None
    reader.events()                                 # reporting clauses, in text order
    reader.resolve_event(event, state)              # the speaker of one clause

A :class:`Reading` names how the speaker was read (``how``: a key of
:data:`~quotex.quotes.confidence.CONFIDENCE`), which gives its confidence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from quotex.models import Mention
from quotex.quotes.confidence import CONFIDENCE
from quotex.quotes.cues import CueLexicon, default_lexicon
from quotex.quotes.marks import inside, trim

__all__ = ["Discourse", "Event", "Reading", "Speaker", "SpeakerReader", "WORD_RE"]

WORD_RE = re.compile(r"[^\W\d_][\w’'\-]*")
_SENT_END_RE = re.compile(r"[.!?…][\"”’)\]]*\s+(?=\S)")
_MIDCAP_RE = re.compile(r"(?<=[a-z,] )[A-Z][a-z’'\-]+")
MAX_BACK = 500  # how far back a sentence start / reporting clause is looked for
MAX_AFTER = 160  # how far after a cue its speaker is looked for
# readings of a title or an organisation: a person named further on in the expression is the speaker
_TITLE_READINGS = frozenset({"org_mention", "org_mention_later", "place_mention", "role_bound", "role_bound_with_org",
                             "role_unbound", "name_read", "group_noun", "group_noun_org"})


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who speaks: ``type`` PERSON / ORG / GROUP / UNNAMED, ``ref`` an index into the
    mentions (None when no mention covers the speaker), ``name`` as written."""

    type: str | None
    ref: int | None
    name: str | None


@dataclass(slots=True)
class Reading:
    """A speaker read from the text: the speaker, the words that name it, and how it was read."""

    speaker: Speaker
    text: str | None
    how: str
    pronoun: bool = False

    @property
    def confidence(self) -> float:
        """The confidence of this way of reading a speaker (:data:`CONFIDENCE`)."""
        return CONFIDENCE[self.how]


@dataclass(slots=True)
class Discourse:
    """Who speaks now: ``current`` (the latest speaker) and ``person`` (the latest person)."""

    current: Speaker | None = None
    person: Speaker | None = None

    def observe(self, spk: Speaker | None) -> None:
        """``spk`` spoke: it becomes the current speaker (and the current person if it is one)."""
        if spk is not None and spk.type is not None:
            self.current = spk
            if spk.type == "PERSON" and spk.name:
                self.person = spk

    def anaphor(self) -> Speaker:
        """What ``-nya``/``dia``/``ia``/``beliau`` refer to: the current speaker, but the latest
        person when the current one is an organisation or group (``Basarnas ...``,
        ``Ombudsman ... menilai`` between a person's quotations)."""
        cur = self.current
        if cur is not None and cur.type in ("ORG", "GROUP") and self.person is not None:
            return self.person
        return cur if cur is not None else Speaker("PERSON", None, None)


@dataclass(slots=True)
class Event:
    """A reporting clause: a verb (``mengatakan``), a passive (``disampaikan``), ``menurut`` or
    an after-cue inside a sentence (``, lanjut Teguh,``); ``reading`` once resolved."""

    pos: int
    end: int
    word: str
    reading: Reading | None = None
    kind: str = "verb"  # verb | passive | menurut | cue
    relative: bool = False  # yang disebut oleh X: speaks for its own sentence only


def _starts_with_word(low: str, w: str) -> bool:
    return low.startswith(w) and (len(low) == len(w) or not low[len(w)].isalnum())


_LEAD_RE = re.compile(r"\w+")


@lru_cache(maxsize=8)
def _roles_by_lead(roles: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The role titles grouped by their first word, each group in the lexicon's order (longest
    first): ``role_at`` then compares a word only with the titles that can start there."""
    out: dict[str, list[str]] = {}
    for r in roles:
        m = _LEAD_RE.match(r)
        out.setdefault(m.group() if m else "", []).append(r)
    return {k: tuple(v) for k, v in out.items()}


class SpeakerReader:
    """Per-text state for reading speakers: text, mentions, lexicon, quotation intervals, the
    role titles the text binds to people."""

    def __init__(
        self,
        text: str,
        mentions: Sequence[Mention],
        lexicon: CueLexicon | None = None,
        quotes: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.text = text
        self.mentions = list(mentions)
        self.lex = lexicon if lexicon is not None else default_lexicon()
        self.words = self.lex.words
        order = sorted(range(len(self.mentions)), key=lambda k: (self.mentions[k].start, self.mentions[k].end))
        self.m_order = order
        self.m_starts = [self.mentions[k].start for k in order]
        # quotation intervals [open mark, close mark + 1), sorted
        self.q_starts = [a for a, _ in quotes]
        self.q_ends = [b for _, b in quotes]
        # sentence ends (match start, match end) of the whole text, for sentence_start()
        ends = [(m.start(), m.end()) for m in _SENT_END_RE.finditer(text)]
        self.sent_starts = [a for a, _ in ends]
        self.sent_ends = [b for _, b in ends]
        self._midcaps: frozenset[str] | None = None
        # (name offset, role, person, the title as written, lower-cased) for each "<title> <Name>"
        self.role_events: list[tuple[int, str, Speaker, str]] = []
        self.nicknames: dict[str, int] = self._build_nicknames()
        self._build_roles()

    # mentions -------------------------------------------------------------
    def mentions_in(self, a: int, b: int) -> list[int]:
        """Indices (into the caller's list) of mentions lying inside [a, b), by start."""
        i = bisect.bisect_left(self.m_starts, a)
        out = []
        while i < len(self.m_starts) and self.m_starts[i] < b:
            k = self.m_order[i]
            if self.mentions[k].end <= b:
                out.append(k)
            i += 1
        return out

    def sentence_start(self, ps: int, pos: int) -> int:
        """The start of the sentence holding ``pos`` (not before ``ps``, at most
        :data:`MAX_BACK` back).

        A sentence end starts with [.!?…] and continues with closers and spaces only, so no end
        starts inside another and the ends found from the text start are those found from any
        later point; the last one ending at or before ``pos`` counts if it starts in the window.
        """
        a = max(ps, pos - MAX_BACK)
        i = bisect.bisect_right(self.sent_ends, pos) - 1
        if i >= 0 and self.sent_starts[i] >= a:
            return self.sent_ends[i]
        return a

    def is_known_name(self, w: str) -> bool:
        """``w`` also occurs capitalised after a lower-case word somewhere in the text (a name,
        not a capitalised sentence opener)."""
        if self._midcaps is None:
            self._midcaps = frozenset(_MIDCAP_RE.findall(self.text))
        return w in self._midcaps

    def in_quote(self, pos: int) -> bool:
        """``pos`` lies inside a quotation (marks included)."""
        i = bisect.bisect_right(self.q_starts, pos) - 1
        return i >= 0 and pos < self.q_ends[i]

    def spk_of(self, k: int, type_: str | None = None) -> Speaker:
        """The speaker that mention ``k`` names (a nickname: the person's full-name mention)."""
        m = self.mentions[k]
        t = type_ or ("PERSON" if m.type == "PERSON" else "ORG")
        if t == "PERSON":
            full = self.nicknames.get(m.text.lower())
            if full is not None and full != k:
                k, m = full, self.mentions[full]
        return Speaker(t, k, m.canonical or m.text)

    def _build_nicknames(self) -> dict[str, int]:
        """Nicknames and short forms the text gives a person written in full: ``Basuki Tjahaja
        Purnama (Ahok)``, ``..., yang akrab disapa Ahok``, ``Joko Widodo atau Jokowi`` (markers:
        ``nickname_markers``), and syllabic forms of a full name (``Bamsoet`` = Bambang
        Soesatyo) when exactly one person of the text fits. Lower-cased nickname -> mention."""
        text = self.text
        out: dict[str, int] = {}
        full = [k for k in self.m_order if self.mentions[k].type == "PERSON" and len(self.mentions[k].text.split()) >= 2]
        for k in full:
            m = self.mentions[k]
            d = self.words.nickname_def_re.match(text, m.end, min(len(text), m.end + 80))
            g = None if d is None else "nick" if d.group("nick") else "nick2"
            if d is not None and g is not None and not d.group(g).isupper():
                inner = self.mentions_in(d.start(g), d.end(g))
                if not any(self.mentions[j].type != "PERSON" for j in inner):
                    out.setdefault(d.group(g).lower(), k)
        parts_of = {k: [w.lower() for w in WORD_RE.findall(self.mentions[k].text)] for k in full}
        words_of_full = {w for ws in parts_of.values() for w in ws}
        for k in self.m_order:
            m = self.mentions[k]
            n = m.text.lower()
            if m.type != "PERSON" or " " in n or len(n) < 4 or m.text.isupper() or n in words_of_full or n in out:
                continue
            fits = {tuple(ws) for j, ws in parts_of.items() if _syllabic(n, ws)}
            if len(fits) == 1:
                want = fits.pop()
                out[n] = next(j for j in full if tuple(parts_of[j]) == want)
        return out

    def prev_word(self, pos: int) -> str:
        """The word before ``pos``, lower-cased."""
        j = pos
        while j > 0 and self.text[j - 1] in " \t":
            j -= 1
        k = j
        while k > 0 and (self.text[k - 1].isalnum() or self.text[k - 1] in "-’'"):
            k -= 1
        return self.text[k:j].lower()

    def prev_word_skipping(self, pos: int, skip: frozenset[str]) -> str:
        """The word before ``pos``, lower-cased, passing over words in ``skip`` (adverbs)."""
        for _ in range(4):
            w = self.prev_word(pos)
            if w not in skip or not w:
                return w
            pos = self._word_start_before(pos)
        return self.prev_word(pos)

    def _word_start_before(self, pos: int) -> int:
        j = pos
        while j > 0 and self.text[j - 1] in " \t":
            j -= 1
        while j > 0 and (self.text[j - 1].isalnum() or self.text[j - 1] in "-’'"):
            j -= 1
        return j

    def cap_speaker(self, nm: str) -> Speaker:
        """A speaker read from the text: an organisation when it starts like one (Kementerian ...)."""
        first = nm.split()[0].lower() if nm.split() else ""
        return Speaker("ORG" if first in self.words.org_heads else "PERSON", None, nm)

    # role titles ------------------------------------------------------------
    def role_at(self, s: str) -> str | None:
        """The role title ``s`` starts with (``gubernur``), if any."""
        low = s.lower()
        m = _LEAD_RE.match(low)
        groups = _roles_by_lead(self.lex.roles)
        for r in groups.get(m.group() if m else "", ()) + groups.get("", ()):
            if _starts_with_word(low, r):
                return r
        return None

    def _build_roles(self) -> None:
        text = self.text
        for k in self.m_order:
            m = self.mentions[k]
            if m.type != "PERSON":
                continue
            a = max(0, m.start - 90)
            window = text[a : m.start]
            cut = max(_last_full_stop(window), window.rfind("\n"), window.rfind("“"), window.rfind("”"))
            if cut >= 0:
                window = window[cut + 1 :]
            best: tuple[str, str] | None = None
            for wm in WORD_RE.finditer(window):
                r = self.role_at(window[wm.start() :])
                if r is not None and self._attached(window[wm.start() + len(r) :]):
                    best = (r, " ".join(WORD_RE.findall(window[wm.start() :].lower())))
            if best is not None:
                self.role_events.append((m.start, best[0], self.spk_of(k, "PERSON"), best[1]))
        self.role_events.sort(key=lambda t: t[0])
        self._role_pos = [t[0] for t in self.role_events]

    def _attached(self, gap: str) -> bool:
        """A role title binds the name that follows only when what lies between is part of the
        title (capitalised words, numbers, ``bidang``, ``,``): ``Menteri Luar Negeri AS Antony
        Blinken``, not ``Presiden menyebut Made ...``."""
        return all(w[0].isupper() or w[0].isdigit() or w.lower() in self.words.role_connectors for w in WORD_RE.findall(gap))

    def resolve_role(self, role: str, pos: int) -> Speaker | None:
        """The person the text last introduced with ``role`` before ``pos``.

        An abbreviated title (``Menpora``, data: ``role_abbreviations``) is the person
        introduced with it or with its full form (``Menteri Pemuda dan Olahraga Imam Nahrawi``);
        other titles match a title with the same first word."""
        full = self.lex.role_abbreviations.get(role)
        i = bisect.bisect_left(self._role_pos, pos) - 1
        if full is not None:
            while i >= 0:
                _, r, spk, written = self.role_events[i]
                if r == role or written.startswith(full) or self.lex.role_abbreviations.get(r) == full:
                    return spk
                i -= 1
            return None
        while i >= 0:
            _, r, spk, _ = self.role_events[i]
            if r == role or r.split()[0] == role.split()[0]:
                return spk
            i -= 1
        return None

    # speaker expressions ------------------------------------------------------
    def expr_end(self, a: int, limit: int) -> int:
        """Where a speaker expression starting at ``a`` ends (punctuation, a stop word)."""
        m = self.words.stop_after_re.search(self.text, a, limit)
        return m.start() if m else limit

    def cap_name(self, a: int, b: int) -> tuple[int, int] | None:
        """The first capitalised name in [a, b)."""
        tw = self.words
        m = tw.cap_run_re.search(self.text, a, b)
        if m is None or m.group(0).split()[0].lower() in tw.not_names:
            return None
        s, e = m.span()
        while e > s and self.text[e - 1] in ".-’'":
            e -= 1
        return (s, e) if e > s else None

    def after_cue(self, ce: int, lim: int, state: Discourse) -> Reading | None:
        """The speaker named after a cue word ending at ``ce`` (``kata <expr>``), looked for up
        to ``lim``; a role-led expression is read on to the name (``kata Kepala Dusun X,
        Kelurahan Y, Wahyu Wibowo``)."""
        ee = self.expr_end(ce, lim)
        found = self.expression(ce, ee, state)
        if found is None or (
            found.speaker.ref is None and found.speaker.type == "PERSON"
            and not found.pronoun and self.role_at(self.text[ce:ee].strip()) is not None
        ) or (found.speaker.type in ("GROUP", "ORG") and found.speaker.ref is None):
            ext = self.extended_person(ce, lim)
            if ext is not None:
                found = ext
        elif found.how in _TITLE_READINGS:
            # kata koordinator KontraS, Yati Andriyati / kata Presiden dan CEO PTFI Richard C. Adkerson:
            # a title or an organisation followed by the person's name is that person
            ext = self.extended_person(ce, lim)
            if ext is not None and ext.how == "role_then_person":
                found = ext
        return found

    def extended_person(self, a: int, lim: int) -> Reading | None:
        """A role-led speaker expression with the name further on: ``kata Kepala Dusun X,
        Kelurahan Y, Wahyu Wibowo`` / ``kata Direktur Utama PT KCI (KAI Commuter) Wiwik Widayanti``."""
        text = self.text
        tw = self.words
        m = tw.stop_ext_re.search(text, a, lim)
        b = m.start() if m else lim
        persons = [k for k in self.mentions_in(a, b) if self.mentions[k].type == "PERSON"]
        if persons:
            k = persons[0]
            return Reading(self.spk_of(k, "PERSON"), text[a : self.mentions[k].end].strip(), "role_then_person")
        segs = re.split(r"[,()]", text[a:b])
        off = a
        best: tuple[int, int] | None = None
        for seg in segs:
            st = off + len(seg) - len(seg.lstrip())
            run = tw.cap_run_re.match(text, st, off + len(seg))
            if run is not None and run.end() >= off + len(seg.rstrip()):
                w = run.group(0).split()[0].lower()
                inner = self.mentions_in(run.start(), run.end())
                if self.role_at(run.group(0)) is None and w not in tw.admin and not inner:
                    best = run.span()
                elif inner and self.mentions[inner[-1]].type != "PERSON":
                    # the name after an organisation or place: ... Kementerian Perindustrian I Gusti Putu
                    tail = tw.cap_run_re.match(text, self.mentions[inner[-1]].end + 1, run.end())
                    if tail is not None and tail.end() >= run.end() and self.role_at(tail.group(0)) is None:
                        best = tail.span()
            off += len(seg) + 1
        if best is None:
            return None
        nm = text[best[0] : best[1]].rstrip(".-’'")
        known = self.person_named(nm)
        if known is not None:
            return Reading(self.spk_of(known, "PERSON"), nm, "role_then_person")
        return Reading(self.cap_speaker(nm), nm, "role_then_name")

    def person_named(self, nm: str) -> int | None:
        """The PERSON mention elsewhere in the text written ``nm`` (or whose name ends with it),
        when exactly one person fits: a name the model missed in one place and found in another."""
        low = nm.lower()
        fits = {self.mentions[k].text.lower(): k for k in self.m_order if self.mentions[k].type == "PERSON"
                and (self.mentions[k].text.lower() == low or self.mentions[k].text.lower().endswith(" " + low))}
        return next(iter(fits.values())) if len(fits) == 1 else None

    def expression(self, a: int, b: int, state: Discourse) -> Reading | None:
        """Read a speaker expression written at [a, b) (after a cue, after ``menurut``, an agent)."""
        text = self.text
        a, b = trim(text, a, b)
        if b <= a:
            return None
        expr = text[a:b]
        low = expr.lower()
        first = low.split()[0] if low.split() else ""
        lex = self.lex
        tw = self.words
        if first in lex.pronouns_singular:
            return Reading(state.anaphor(), text[a : a + len(first)], "pronoun", True)
        if first in lex.pronouns_plural:
            cur = state.current
            if cur is not None and cur.type in ("GROUP", "ORG"):
                return Reading(cur, text[a : a + len(first)], "plural_pronoun_current", True)
            return Reading(Speaker("GROUP", None, None), text[a : a + len(first)], "plural_pronoun_group", True)
        ms = self.mentions_in(a, b)
        persons = [k for k in ms if self.mentions[k].type == "PERSON"]
        for pat in lex.unnamed_patterns:
            if _starts_with_word(low, pat):
                if persons and any(w in low for w in tw.naming_words):
                    break  # seorang warga bernama Budi: a named person
                return Reading(Speaker("UNNAMED", None, None), expr, "unnamed")
        if persons:
            k = persons[0]
            return Reading(self.spk_of(k, "PERSON"), text[a : self.mentions[k].end], "person_mention")
        words = low.split()
        written = low.startswith(tw.statement_prefixes) or any(_starts_with_word(low, w) for w in tw.written_statements)
        if len(words) >= 2 and words[-1] in tw.demonstratives and expr[:1].islower() and not written:
            # an epithet: kata pria 40 tahun itu / ujar pelatih asal Brasil ini / tulis kementerian itu
            # -> who the discourse is about, never a country, club or party named inside the phrase
            cur = state.current
            if any(_starts_with_word(low, g) for g in lex.group_nouns) or words[0] in tw.org_heads:
                if cur is not None and cur.type in ("ORG", "GROUP"):
                    return Reading(cur, expr, "epithet")
            elif state.person is not None or cur is not None:
                return Reading(state.anaphor(), expr, "epithet")
        for g in lex.group_nouns:
            if _starts_with_word(low, g):
                orgs = [k for k in ms if self.mentions[k].type == "ORG"]
                if g.startswith(tw.statement_prefixes) or g in tw.written_statements:
                    return Reading(Speaker("GROUP", None, None), expr, "written_statement")
                if orgs:
                    return Reading(self.spk_of(orgs[0], "ORG"), text[a : self.mentions[orgs[0]].end], "group_noun_org")
                if g in lex.roles:
                    break  # "juru bicara X": a role, handled below
                return Reading(Speaker("GROUP", None, None), expr, "group_noun")
        role = self.role_at(expr)
        if role is not None:
            rest = expr[len(role) :]
            orgs = [k for k in ms if self.mentions[k].type == "ORG"]
            # a title written in full that an abbreviation stands for: Kepala Kepolisian Daerah = Kapolda
            abbr = next((ab for ab, full in self.lex.role_abbreviations.items() if _starts_with_word(low, full)), None)
            resolved = self.resolve_role(abbr, a) if abbr is not None else None
            if resolved is not None:
                rest = expr[len(self.lex.role_abbreviations[abbr]) :]
            else:
                resolved = self.resolve_role(role, a)
            if resolved is not None:
                return Reading(resolved, expr, "role_bound" if not rest.strip() or not orgs else "role_bound_with_org")
            # an unresolved title: keep the written expression as the name
            name = self.cap_name(a + len(role), b)
            nm = text[a : name[1]] if name else expr
            return Reading(Speaker("PERSON", None, nm), nm, "role_unbound")
        orgs = [k for k in ms if self.mentions[k].type == "ORG"]
        if orgs and self.mentions[orgs[0]].start - a <= 2:
            return Reading(self.spk_of(orgs[0], "ORG"), text[a : self.mentions[orgs[0]].end], "org_mention")
        places = [k for k in ms if self.mentions[k].type in ("COUNTRY", "LOC")]
        if places and self.mentions[places[0]].start - a <= 2:
            return Reading(self.spk_of(places[0], "ORG"), text[a : self.mentions[places[0]].end], "place_mention")
        if orgs:
            return Reading(self.spk_of(orgs[0], "ORG"), text[a : self.mentions[orgs[0]].end], "org_mention_later")
        name = self.cap_name(a, b)
        if name is not None and name[0] - a <= 1:
            nm = text[name[0] : name[1]]
            return Reading(self.cap_speaker(nm), nm, "name_read")
        return None

    def subject(self, region_a: int, verb_a: int, state: Discourse) -> Reading | None:
        """The subject of a reporting verb at ``verb_a``, looked for in [region_a, verb_a)."""
        text = self.text
        tw = self.words
        lex = self.lex
        # clause boundaries inside the region: dateline dashes, semicolons, "bahwa", quotations
        a = region_a
        m = None
        for m in tw.clause_cut_re.finditer(text[region_a:verb_a]):
            pass
        if m is not None:
            a = region_a + m.end()
        pw = self.prev_word(verb_a)
        if pw in tw.no_subject_before and pw != "":
            return None
        if pw in lex.pronouns_singular:
            return Reading(state.anaphor(), pw, "pronoun", True)
        if pw in lex.pronouns_plural:
            cur = state.current
            if cur is not None and cur.type in ("GROUP", "ORG"):
                return Reading(cur, pw, "plural_pronoun_current", True)
            return Reading(Speaker("GROUP", None, None), pw, "subject_plural_pronoun_group", True)
        ms = [k for k in self.mentions_in(a, verb_a) if self.prev_word(self.mentions[k].start) not in tw.prepositions]
        # a leading adverbial clause is not the subject: "Saat ditanya soal Eden Hazard, Conte menambahkan"
        comma = text.rfind(", ", a, verb_a)
        last = [k for k in ms if comma >= 0 and self.mentions[k].start > comma and self.mentions[k].type == "PERSON"]
        if last:
            return Reading(self.spk_of(last[0], "PERSON"), self.mentions[last[0]].text, "subject_person")
        # "Ketua Umum Partai Hanura itu (pun) mengaku": a description of the person already speaking,
        # never the party, club or country named inside it
        if (
            self.prev_word_skipping(verb_a, tw.adverbs) in tw.demonstratives
            and not any(self.mentions[k].type == "PERSON" for k in ms)
            and (state.person is not None or state.current is not None)
        ):
            return Reading(state.anaphor(), pw, "subject_description", True)
        for want, how in (("PERSON", "subject_person"), ("ORG", "subject_org")):
            cand = [k for k in ms if self.mentions[k].type == want]
            if cand:
                k = cand[0]
                return Reading(self.spk_of(k, want), self.mentions[k].text, how)
        seg = text[a:verb_a].strip()
        if seg:
            role = None
            # a bare title right before the verb: "Gubernur mengatakan", "Jaksa Agung juga menegaskan"
            words = seg.split()
            while words and words[-1].lower() in tw.adverbs:
                words.pop()
            for n in (3, 2, 1):
                if len(words) >= n:
                    r = self.role_at(" ".join(words[-n:]))
                    if r is not None and len(" ".join(words[-n:])) <= len(r) + 1:
                        role = r
                        break
            if role is not None:
                spk = self.resolve_role(role, verb_a)
                if spk is not None:
                    return Reading(spk, role, "subject_role")
        if pw in tw.demonstratives and not ms:
            # "Pria kelahiran Jakarta ini mengatakan": a description of the person already speaking
            if state.person is not None or state.current is not None:
                return Reading(state.anaphor(), pw, "subject_description", True)
        cand = [k for k in ms if self.mentions[k].type in ("COUNTRY", "LOC")]
        if cand:
            k = cand[0]
            return Reading(self.spk_of(k, "ORG"), self.mentions[k].text, "subject_place")
        # no usable mention: read a capitalised name (NER-free fallback)
        runs = [m for m in tw.cap_run_re.finditer(text, a, verb_a) if self.prev_word(m.start()) not in tw.prepositions]
        good = []
        for m in runs:
            w = m.group(0).split()[0].lower()
            if w in tw.prepositions or w in lex.pronouns or w in tw.sentence_openers or w in tw.not_names:
                continue
            if self.mentions_in(m.start(), m.end()):
                continue  # a COUNTRY/LOC/ORG that was already ruled out
            good.append(m)
        if not good:
            return None
        pick = None
        last = good[-1]
        between = text[last.end() : verb_a].split()
        if all(w.lower() in tw.adverbs for w in between):
            pick = last
        if pick is None:
            # a single capitalised word opening the sentence is a subject only when it is a name
            # used elsewhere in the text and an appositive follows: "Ahmad, yang juga ..., menyatakan"
            cands = [
                m for m in good
                if not (m.start() == region_a and len(m.group(0).split()) == 1)
                or (text[m.end() : m.end() + 1] == "," and self.is_known_name(m.group(0).rstrip(".-’'")))
            ]
            if not cands:
                return None
            pick = cands[0]
            if self.role_at(pick.group(0)) is not None and len(cands) > 1:
                pick = cands[1]
        s, e = pick.span()
        while e > s and text[e - 1] in ".-’'":
            e -= 1
        nm = text[s:e]
        return Reading(self.cap_speaker(nm), nm, "subject_name_read")

    # reporting clauses ----------------------------------------------------------
    def events(self, excluded: tuple[list[int], list[int]] = ([], [])) -> list[Event]:
        """Every reporting clause outside quotations and excluded ranges, in text order."""
        out: list[Event] = []
        lex = self.lex
        ex_s, ex_e = excluded
        for m in lex._event_re.finditer(self.text):
            p = m.start()
            if self.in_quote(p) or inside(p, ex_s, ex_e):
                continue
            w = m.group(0).lower()
            kind = "menurut" if w in lex.according_to else "passive" if w in lex.passive_verbs else "verb"
            out.append(Event(p, m.end(), m.group(0), kind=kind))
        for m in lex._mid_cue_re.finditer(self.text):
            p = m.start()
            if self.in_quote(p) or inside(p, ex_s, ex_e):
                continue
            out.append(Event(p, m.end(), m.group(0), kind="cue"))
        out.sort(key=lambda e: e.pos)
        return out

    def para_start(self, pos: int) -> int:
        """The start of the paragraph holding ``pos`` (at most :data:`MAX_BACK` back)."""
        return self.text.rfind("\n", max(0, pos - MAX_BACK), pos) + 1 or max(0, pos - MAX_BACK)

    def resolve_event(self, ev: Event, state: Discourse) -> Reading | None:
        """The speaker of a reporting clause: the subject before a verb, the agent after a
        passive, ``menurut`` or a mid-sentence cue."""
        text = self.text
        if ev.kind == "verb":
            return self.subject(self.sentence_start(self.para_start(ev.pos), ev.pos), ev.pos, state)
        # passive / menurut / cue: the agent follows
        a = ev.end
        lim = min(len(text), a + MAX_AFTER)
        nl = text.find("\n", a, lim)
        if nl >= 0:
            lim = nl
        b = a
        while b < lim and text[b] == " ":
            b += 1
        tw = self.words
        marker = next((w for w in tw.agent_markers if text[b : b + len(w)].lower() == w), None)
        # a relative clause (masalah yang disebut oleh Dhani): its agent does not become the current speaker
        ev.relative = ev.kind == "passive" and self.prev_word(ev.pos) in tw.no_subject_before
        if ev.kind == "passive" and marker is not None:
            b += len(marker)
        elif ev.kind in ("passive", "cue"):
            # "Hal itu disampaikan Blinken": only a capitalised agent right after the verb
            if b >= lim or not text[b].isupper():
                return None
        end = self.expr_end(b, lim)
        if ev.kind == "menurut" and text[b:end].lower().startswith(tw.source_prefixes):
            sp = text.find(" ", b) + 1
            orgs = [k for k in self.mentions_in(sp, end) if self.mentions[k].type in ("ORG", "PERSON")]
            if orgs:
                k = orgs[0]
                return Reading(self.spk_of(k), self.mentions[k].text, "source_document_org")
            return Reading(Speaker("GROUP", None, None), text[b:end].strip(), "source_document")
        return self.expression(b, end, state)


def _syllabic(nick: str, parts: list[str]) -> bool:
    """``nick`` is built from the starts of two or more of ``parts`` in order, the first part
    first: each piece begins with its part's first letter and is a subsequence of that part
    (bamsoet: BAMbang SOEsaTyo; jokowi: JOKO WIdodo)."""

    def fit(i: int, p: int, used: int) -> bool:
        if i == len(nick):
            return used >= 2
        for q in range(p, len(parts)):
            part = parts[q]
            if not part or part[0] != nick[i]:
                continue
            # take a piece of nick that is a subsequence of this part, longest first
            j, pos, ends = i, 0, []
            while j < len(nick):
                pos = part.find(nick[j], pos)
                if pos < 0:
                    break
                j, pos = j + 1, pos + 1
                ends.append(j)
            if any(fit(e, q + 1, used + 1) for e in reversed(ends)):
                return True
            if p == 0 and q == 0:
                return False  # the first piece must come from the first part
        return False

    return bool(parts) and fit(0, 0, 0)


def _last_full_stop(window: str) -> int:
    """The offset of the last sentence-ending ". " in ``window`` (not after an initial: ``M. Tito``), else -1."""
    i = window.rfind(". ")
    while i >= 1 and window[i - 1].isupper() and (i == 1 or not window[i - 2].isalnum()):
        i = window.rfind(". ", 0, i)
    return i


def before_words(text: str, a: int, b: int, n: int) -> list[str]:
    """The last ``n`` words of ``text[a:b]``, lower-cased.

    Read from a short tail first: a cut can only shorten the first word found, and the
    matches after it are the same as from ``a``, so more than ``n`` words in the tail give
    the same answer as the whole range (a long range is read once, not word by word).
    """
    if b <= a:
        return []
    step = 8 * (n + 1)
    while True:
        c = max(a, b - step)
        ws = WORD_RE.findall(text, c, b)
        if c == a or len(ws) > n:
            return [w.lower() for w in ws[-n:]]
        step *= 4

