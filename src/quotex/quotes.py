"""Direct quotations and who said them.

Three passes, each linear in the length of the text:

1. *Marks.* Every paragraph (non-empty line) is scanned once for quote marks. Double
   marks (“ ” " « » „) are paired by position, not by shape, so the Kompas style that
   opens with ” works; a mark that can only open (space before, a word after) while a
   quotation is open starts a new one. A quotation left open ends at the paragraph break.
   Single marks (‘ ’ ') count only where they are not apostrophes, outside double quotes.
2. *Events.* Reporting clauses (``X mengatakan``, ``disampaikan X``, ``menurut X``) outside
   quotations are found once; each one makes its subject the current speaker.
3. *Attribution.* Quotations and events are walked in text order. A quotation takes its
   speaker from the cue after it (``kata Blinken``, ``tambahnya``), else from the
   reporting clause of its own sentence, else it continues the current speaker (a
   paragraph that is only a quotation). ``-nya`` and pronoun cues resolve to the current
   speaker; role titles (``kata Gubernur``) to the person the article introduced with
   that title.

The cue words live in ``data/cues.yaml`` (see :func:`load_lexicon`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from quotex.errors import ConfigError
from quotex.models import Mention, Quote
from quotex.datafiles import load_words
from quotex.resources import data_file

__all__ = ["CueLexicon", "QuoteSpan", "find_quotes", "link_syndicated", "load_lexicon"]

DOUBLE_MARKS = "“”\"«»„‟″"
SINGLE_MARKS = "‘’'‹›‚‛"
_MARK_RE = re.compile("[" + re.escape(DOUBLE_MARKS + SINGLE_MARKS) + "]")
_WORD_RE = re.compile(r"[^\W\d_][\w’'\-]*")
_SENT_END_RE = re.compile(r"[.!?…][\"”’)\]]*\s+(?=\S)")
_MAX_BACK = 500  # how far back a sentence start / reporting clause is looked for
_MAX_AFTER = 160  # how far after a closing mark a cue and its speaker are looked for
_MAX_SINGLE = 300  # a single-mark quotation longer than this is not one


# --------------------------------------------------------------------------- lexicon


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


@dataclass(frozen=True)
class CueLexicon:
    """The cue words (loaded from ``cues.yaml``) and the patterns compiled from them."""

    after_cues: frozenset[str]
    nya_forms: frozenset[str]
    after_markers: frozenset[str]
    verbs: frozenset[str]
    passive_verbs: frozenset[str]
    according_to: frozenset[str]
    pronouns_singular: frozenset[str]
    pronouns_plural: frozenset[str]
    slogan_words: frozenset[str]
    title_words: frozenset[str]
    group_nouns: tuple[str, ...]
    unnamed_patterns: tuple[str, ...]
    roles: tuple[str, ...]
    source: str = "<memory>"
    _after_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _event_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _mid_cue_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _before_cue_re: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        alt = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731
        cues = alt(self.after_cues)
        nya = alt(self.nya_forms)
        markers = alt(self.after_markers) or "(?!)"
        after = (
            r"^[\s,.;:!?\-–—]*(?:(?P<marker>" + markers + r")\b\s*)?"
            r"(?:(?P<nya>(?:" + nya + r"))\b|(?P<cue>" + cues + r")\b)?"
        )
        object.__setattr__(self, "_after_re", re.compile(after, re.IGNORECASE))
        events = alt(self.verbs | self.passive_verbs | self.according_to)
        object.__setattr__(self, "_event_re", re.compile(r"\b(?:" + events + r")\b", re.IGNORECASE))
        # an after-cue inside a sentence: "Kemudian, lanjut Teguh, di pekan pertama ..."
        object.__setattr__(self, "_mid_cue_re", re.compile(r"(?<=, )(?:" + cues + r")(?= [A-Z])"))
        before_cue = r"\b(?P<cue>" + cues + r")(?:nya)?\b(?P<expr>[^:“”\"\n]{0,100}):\s*$"
        object.__setattr__(self, "_before_cue_re", re.compile(before_cue, re.IGNORECASE))

    @property
    def pronouns(self) -> frozenset[str]:
        """Singular and plural pronouns together."""
        return self.pronouns_singular | self.pronouns_plural


_LEXICON_CACHE: dict[str, CueLexicon] = {}


def _words(doc: dict[str, Any], key: str, path: str) -> list[str]:
    value = doc.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"'{key}' must be a list of non-empty strings", path=path)
    return [_norm(v) for v in value]


def load_lexicon(path: Path | None = None) -> CueLexicon:
    """Load (and cache) the cue lexicon; the default is the shipped ``cues.yaml``."""
    p = Path(path) if path is not None else data_file("cues.yaml")
    key = str(p.resolve())
    if key in _LEXICON_CACHE:
        return _LEXICON_CACHE[key]
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot read the cue lexicon ({e.strerror}); pass an existing YAML file", path=str(p)) from e
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(e, "problem", None) or "invalid YAML"
        raise ConfigError(f"invalid YAML in the cue lexicon: {problem}", path=str(p), line=line) from e
    if not isinstance(doc, dict):
        raise ConfigError("the cue lexicon must be a YAML mapping (after_cues:, verbs:, ...)", path=str(p))
    sp = str(p)
    after = _words(doc, "after_cues", sp)
    if not after:
        raise ConfigError("'after_cues' is missing or empty", path=sp)
    pron = doc.get("pronouns") or {}
    if not isinstance(pron, dict):
        raise ConfigError("'pronouns' must be a mapping with 'singular' and 'plural' lists", path=sp)
    nya = {w + "nya" for w in after} | set(_words(doc, "nya_forms", sp))
    lex = CueLexicon(
        after_cues=frozenset(after),
        nya_forms=frozenset(nya),
        after_markers=frozenset(_words(doc, "after_markers", sp)),
        verbs=frozenset(_words(doc, "verbs", sp)),
        passive_verbs=frozenset(_words(doc, "passive_verbs", sp)),
        according_to=frozenset(_words(doc, "according_to", sp) or ["menurut"]),
        pronouns_singular=frozenset(_words(pron, "singular", sp)),
        pronouns_plural=frozenset(_words(pron, "plural", sp)),
        slogan_words=frozenset(_words(doc, "slogan_words", sp)),
        title_words=frozenset(_words(doc, "title_words", sp)),
        group_nouns=tuple(sorted(set(_words(doc, "group_nouns", sp)), key=len, reverse=True)),
        unnamed_patterns=tuple(sorted(set(_words(doc, "unnamed_patterns", sp)), key=len, reverse=True)),
        roles=tuple(sorted(set(_words(doc, "roles", sp)), key=len, reverse=True)),
        source=sp,
    )
    _LEXICON_CACHE[key] = lex
    return lex


def _default_lexicon() -> CueLexicon:
    return load_lexicon()  # cached by path; the path follows the data overlay


@dataclass(frozen=True)
class _TextWords:
    """The word lists for reading speaker expressions (``cues.yaml``, day and month names from
    ``calendar.txt``) and the patterns compiled from them; built once (:func:`_text_words`)."""

    prepositions: frozenset[str]
    admin: frozenset[str]
    adverbs: frozenset[str]
    not_names: frozenset[str]
    org_heads: frozenset[str]
    demonstratives: frozenset[str]
    sentence_openers: frozenset[str]
    no_subject_before: frozenset[str]
    source_prefixes: tuple[str, ...]  # "laporan ", "data ", ... (with the space)
    written_statements: frozenset[str]
    statement_prefixes: tuple[str, ...]
    stop_after_re: re.Pattern[str]
    stop_ext_re: re.Pattern[str]
    cap_run_re: re.Pattern[str]
    clause_cut_re: re.Pattern[str]


_TEXT_WORDS: dict[tuple[Path, Path], _TextWords] = {}


def _text_words() -> _TextWords:
    """Load (once) the speaker-expression word lists from the shipped ``cues.yaml`` and
    ``calendar.txt``."""
    p = data_file("cues.yaml")
    cal_path = data_file("calendar.txt")
    if (p, cal_path) in _TEXT_WORDS:
        return _TEXT_WORDS[(p, cal_path)]
    sp = str(p)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"cannot read the cue lexicon ({e})", path=sp) from e
    if not isinstance(doc, dict):
        raise ConfigError("the cue lexicon must be a YAML mapping", path=sp)

    def need(key: str) -> list[str]:
        ws = _words(doc, key, sp)
        if not ws:
            raise ConfigError(f"'{key}' is missing or empty", path=sp)
        return ws

    calendar = [w.lower() for w in load_words(cal_path)]
    fm = doc.get("calendar_first_month")
    if not isinstance(fm, str) or not fm.strip():
        raise ConfigError("'calendar_first_month' must be the first month name in calendar.txt", path=sp)
    first_month = _norm(fm)
    if first_month not in calendar or calendar.index(first_month) == 0:
        raise ConfigError(f"'calendar_first_month' ({first_month!r}) must name an entry of calendar.txt after the day names", path=sp)
    days = calendar[: calendar.index(first_month)]
    alt = lambda words: "|".join(re.escape(w) for w in words)  # noqa: E731  (order kept)
    day_alt = alt(days)
    tw = _TextWords(
        prepositions=frozenset(need("prepositions")),
        admin=frozenset(need("admin_words")),
        adverbs=frozenset(need("adverbs")),
        not_names=frozenset(calendar) | frozenset(need("not_names")),
        org_heads=frozenset(need("org_heads")),
        demonstratives=frozenset(need("demonstratives")),
        sentence_openers=frozenset(need("sentence_openers")),
        no_subject_before=frozenset(need("no_subject_before")),
        source_prefixes=tuple(w + " " for w in need("source_documents")),
        written_statements=frozenset(need("written_statements")),
        statement_prefixes=tuple(need("statement_prefixes")),
        # function words stop only in lower case ("Kementerian Dalam Negeri" is one name); days in any case
        stop_after_re=re.compile(
            r"[,.;:()\[\]“”\"!?]|\s[-–—]\s|\b(?:" + alt(need("expr_stop_words")) + r")\b"
            r"|\b(?i:" + day_alt + r")\b",
        ),
        stop_ext_re=re.compile(
            r"[.;:“”\"!?]|\s[-–—]\s|\b(?:" + alt(need("ext_stop_words")) + r")\b|\b(?i:" + day_alt + r")\b"
        ),
        cap_run_re=re.compile(
            r"[A-Z][\w’'\-.]*(?:\s+(?:[A-Z][\w’'\-.]*|" + alt(need("name_particles")) + r")(?=\s+[A-Z]|\b))*"
        ),
        clause_cut_re=re.compile(r"\s[-–—]\s|;|\b(?:" + alt(need("clause_cut_words")) + r")\b|[“”\"]"),
    )
    _TEXT_WORDS[(p, cal_path)] = tw
    return tw


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quotation found in a text: the words inside the marks, its kind and its speaker.

    ``speaker_name`` (an addition to the agreed interface) is the resolved speaker as text:
    the speaker mention's text, or the name read from the text when no mention covers it.
    ``open_mark`` / ``close_mark`` are the offsets of the marks (``close_mark`` is None for a
    quotation left open at a paragraph break).
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

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON export."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Spk:
    type: str | None
    ref: int | None
    name: str | None


@dataclass(slots=True)
class _Raw:
    open_mark: int
    close_mark: int | None
    start: int
    end: int
    single: bool
    para_start: int
    para_end: int
    continues: bool = False  # the previous paragraph left a quotation open and this one reopens


# --------------------------------------------------------------------------- pass 1: marks


def _merge_ranges(ranges: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    rs = sorted((int(a), int(b)) for a, b in ranges if b > a)
    starts: list[int] = []
    ends: list[int] = []
    for a, b in rs:
        if starts and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _inside(pos: int, starts: list[int], ends: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _scan_marks(text: str, ex_s: list[int], ex_e: list[int]) -> list[_Raw]:
    out: list[_Raw] = []
    n = len(text)
    prev_left_open = False
    for pm in re.finditer(r"[^\n]+", text):
        ps, pe = pm.span()
        if not text[ps:pe].strip():
            continue
        marks = [m.start() for m in _MARK_RE.finditer(text, ps, pe) if not _inside(m.start(), ex_s, ex_e)]
        first_nonspace = ps
        while first_nonspace < pe and text[first_nonspace].isspace():
            first_nonspace += 1
        para_quotes: list[_Raw] = []
        open_at: int | None = None
        single_open: int | None = None
        left_open = False
        for i in marks:
            ch = text[i]
            before = text[i - 1] if i > ps else " "
            after = text[i + 1] if i + 1 < pe else " "
            if ch in DOUBLE_MARKS:
                single_open = None
                if open_at is None:
                    if after.isspace() and not before.isspace() and i + 1 >= pe:
                        continue  # a stray closing mark at the end of a paragraph
                    open_at = i
                else:
                    strong_open = (before.isspace() or i == ps or before in "([") and after.isalnum()
                    if strong_open and ch not in "»" and text[open_at + 1 : i].strip():
                        a, b = _trim(text, open_at + 1, i)
                        if b > a:
                            para_quotes.append(_Raw(open_at, None, a, b, False, ps, pe))
                        open_at = i
                    else:
                        a, b = _trim(text, open_at + 1, i)
                        if b > a:
                            para_quotes.append(_Raw(open_at, i, a, b, False, ps, pe))
                        open_at = None
                continue
            if open_at is not None:
                continue  # nested single quotes stay inside the double quotation
            word_before = before.isalnum()
            word_after = after.isalnum()
            if word_before and word_after:
                continue  # apostrophe: Ma’ruf, Jum'at
            can_open = (before.isspace() or i == ps or before in "([{“\"—–-/") and word_after and ch not in "’›"
            can_close = (not before.isspace()) and i > ps and not word_after and ch not in "‘‹‚‛"
            if single_open is not None and can_close:
                if i - single_open <= _MAX_SINGLE:
                    a, b = _trim(text, single_open + 1, i)
                    if b > a:
                        para_quotes.append(_Raw(single_open, i, a, b, True, ps, pe))
                single_open = None
            elif can_open:
                single_open = i
        if open_at is not None:
            a, b = _trim(text, open_at + 1, pe)
            if b > a:
                para_quotes.append(_Raw(open_at, None, a, b, False, ps, pe))
                left_open = True
        if para_quotes and prev_left_open and para_quotes[0].open_mark == first_nonspace:
            para_quotes[0].continues = True
        prev_left_open = left_open
        out.extend(para_quotes)
        if pe >= n:
            break
    out.sort(key=lambda r: r.open_mark)
    return out


# --------------------------------------------------------------------------- helpers


class _Ctx:
    """Per-call state: text, mentions, lexicon, quotation intervals, role table."""

    def __init__(self, text: str, mentions: Sequence[Mention], lex: CueLexicon, raws: list[_Raw]) -> None:
        self.text = text
        self.mentions = list(mentions)
        self.lex = lex
        order = sorted(range(len(self.mentions)), key=lambda k: (self.mentions[k].start, self.mentions[k].end))
        self.m_order = order
        self.m_starts = [self.mentions[k].start for k in order]
        self.q_starts = [r.open_mark for r in raws]
        self.q_ends = [(r.close_mark if r.close_mark is not None else r.end) + 1 for r in raws]
        # sentence ends (match start, match end) of the whole text, for sentence_start()
        ends = [(m.start(), m.end()) for m in _SENT_END_RE.finditer(text)]
        self.sent_starts = [a for a, _ in ends]
        self.sent_ends = [b for _, b in ends]
        self.cur_person: _Spk | None = None  # the latest PERSON speaker (for -nya, dia/ia)
        self._midcaps: frozenset[str] | None = None
        self.roles: dict[str, _Spk] = {}
        self.role_events: list[tuple[int, str, _Spk]] = []
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
        """Same as ``_sentence_start(text, ps, pos)``, from the sentence ends found once.

        A sentence end starts with [.!?…] and continues with closers and spaces only, so no end
        starts inside another and the ends found from the text start are those found from any
        later point; the last one ending at or before ``pos`` counts if it starts in the window.
        """
        a = max(ps, pos - _MAX_BACK)
        i = bisect.bisect_right(self.sent_ends, pos) - 1
        if i >= 0 and self.sent_starts[i] >= a:
            return self.sent_ends[i]
        return a

    def anaphor(self, current: _Spk | None) -> _Spk:
        """What ``-nya``/``dia``/``ia``/``beliau`` refer to: the current speaker, but the latest
        person speaker when the current one is an organisation or group (``Basarnas ...``,
        ``Ombudsman ... menilai`` between a person's quotations)."""
        if current is not None and current.type in ("ORG", "GROUP") and self.cur_person is not None:
            return self.cur_person
        return current if current is not None else _Spk("PERSON", None, None)

    def is_known_name(self, w: str) -> bool:
        """``w`` also occurs capitalised after a lower-case word somewhere in the text (a name,
        not a capitalised sentence opener)."""
        if self._midcaps is None:
            self._midcaps = frozenset(_MIDCAP_RE.findall(self.text))
        return w in self._midcaps

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.q_starts, pos) - 1
        return i >= 0 and pos < self.q_ends[i]

    def spk_of(self, k: int, type_: str | None = None) -> _Spk:
        m = self.mentions[k]
        t = type_ or ("PERSON" if m.type == "PERSON" else "ORG")
        return _Spk(t, k, m.canonical or m.text)

    def prev_word(self, pos: int) -> str:
        j = pos
        while j > 0 and self.text[j - 1] in " \t":
            j -= 1
        k = j
        while k > 0 and (self.text[k - 1].isalnum() or self.text[k - 1] in "-’'"):
            k -= 1
        return self.text[k:j].lower()

    # role titles ------------------------------------------------------------
    def role_at(self, s: str) -> str | None:
        low = s.lower()
        for r in self.lex.roles:
            if low.startswith(r) and (len(low) == len(r) or not low[len(r)].isalnum()):
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
            cut = max(window.rfind(". "), window.rfind("\n"), window.rfind("“"), window.rfind("”"))
            if cut >= 0:
                window = window[cut + 1 :]
                a = m.start - len(window)
            best: str | None = None
            for wm in _WORD_RE.finditer(window):
                r = self.role_at(window[wm.start() :])
                if r is not None:
                    best = r
            if best is not None:
                spk = self.spk_of(k, "PERSON")
                self.role_events.append((m.start, best, spk))
        self.role_events.sort(key=lambda t: t[0])
        self._role_pos = [t[0] for t in self.role_events]

    def resolve_role(self, role: str, pos: int) -> _Spk | None:
        i = bisect.bisect_left(self._role_pos, pos) - 1
        while i >= 0:
            p, r, spk = self.role_events[i]
            if r == role or r.split()[0] == role.split()[0]:
                return spk
            i -= 1
        return None


def _sentence_start(text: str, ps: int, pos: int) -> int:
    a = max(ps, pos - _MAX_BACK)
    last = a
    for m in _SENT_END_RE.finditer(text, a, min(len(text), pos + 1)):
        if m.end() <= pos:
            last = m.end()
    return last


def _expr_end(text: str, a: int, limit: int) -> int:
    m = _text_words().stop_after_re.search(text, a, limit)
    return m.start() if m else limit


def _extended_person(ctx: _Ctx, a: int, lim: int) -> _Found | None:
    """A role-led speaker expression with the name further on: ``kata Kepala Dusun X, Kelurahan Y,
    Wahyu Wibowo`` / ``kata Direktur Utama PT KCI (KAI Commuter) Wiwik Widayanti``."""
    text = ctx.text
    tw = _text_words()
    m = tw.stop_ext_re.search(text, a, lim)
    b = m.start() if m else lim
    persons = [k for k in ctx.mentions_in(a, b) if ctx.mentions[k].type == "PERSON"]
    if persons:
        k = persons[0]
        return _Found(ctx.spk_of(k, "PERSON"), text[a : ctx.mentions[k].end].strip(), 0.85)
    segs = re.split(r"[,()]", text[a:b])
    off = a
    best: tuple[int, int] | None = None
    for seg in segs:
        st = off + len(seg) - len(seg.lstrip())
        run = tw.cap_run_re.match(text, st, off + len(seg))
        if run is not None and run.end() >= off + len(seg.rstrip()) - 0:
            w = run.group(0).split()[0].lower()
            if ctx.role_at(run.group(0)) is None and w not in tw.admin and not ctx.mentions_in(run.start(), run.end()):
                best = run.span()
        off += len(seg) + 1
    if best is None:
        return None
    nm = text[best[0] : best[1]].rstrip(".-’'")
    return _Found(_cap_spk(nm), nm, 0.7)


def _cap_name(text: str, a: int, b: int) -> tuple[int, int] | None:
    tw = _text_words()
    m = tw.cap_run_re.search(text, a, b)
    if m is None or m.group(0).split()[0].lower() in tw.not_names:
        return None
    s, e = m.span()
    while e > s and text[e - 1] in ".-’'":
        e -= 1
    return (s, e) if e > s else None


# --------------------------------------------------------------------------- speaker expressions


@dataclass(slots=True)
class _Found:
    spk: _Spk | None
    text: str | None
    conf: float
    pronoun: bool = False


def _parse_expr(ctx: _Ctx, a: int, b: int, current: _Spk | None) -> _Found | None:
    """Read a speaker expression written at [a, b) (after a cue, after ``menurut``, an agent)."""
    text = ctx.text
    a, b = _trim(text, a, b)
    if b <= a:
        return None
    expr = text[a:b]
    low = expr.lower()
    first = low.split()[0] if low.split() else ""
    lex = ctx.lex
    if first in lex.pronouns_singular:
        return _Found(ctx.anaphor(current), text[a : a + len(first)], 0.85, True)
    if first in lex.pronouns_plural:
        if current is not None and current.type in ("GROUP", "ORG"):
            return _Found(current, text[a : a + len(first)], 0.8, True)
        return _Found(_Spk("GROUP", None, None), text[a : a + len(first)], 0.75, True)
    ms = ctx.mentions_in(a, b)
    persons = [k for k in ms if ctx.mentions[k].type == "PERSON"]
    for pat in lex.unnamed_patterns:
        if low.startswith(pat) and (len(low) == len(pat) or not low[len(pat)].isalnum()):
            if persons and "bernama" in low:
                break
            return _Found(_Spk("UNNAMED", None, None), expr, 0.8)
    if persons:
        k = persons[0]
        return _Found(ctx.spk_of(k, "PERSON"), text[a : ctx.mentions[k].end], 0.95)
    for g in lex.group_nouns:
        if low.startswith(g) and (len(low) == len(g) or not low[len(g)].isalnum()):
            orgs = [k for k in ms if ctx.mentions[k].type == "ORG"]
            tw = _text_words()
            if g.startswith(tw.statement_prefixes) or g in tw.written_statements:
                return _Found(_Spk("GROUP", None, None), expr, 0.85)
            if orgs:
                return _Found(ctx.spk_of(orgs[0], "ORG"), text[a : ctx.mentions[orgs[0]].end], 0.85)
            if g in lex.roles:
                break  # "juru bicara X": a role, handled below
            return _Found(_Spk("GROUP", None, None), expr, 0.75)
    role = ctx.role_at(expr)
    if role is not None:
        rest = expr[len(role) :]
        name = _cap_name(text, a + len(role), b)
        orgs = [k for k in ms if ctx.mentions[k].type in ("ORG",)]
        resolved = ctx.resolve_role(role, a)
        if resolved is not None and (not rest.strip() or not orgs):
            return _Found(resolved, expr, 0.85)
        if resolved is not None:
            return _Found(resolved, expr, 0.75)
        # an unresolved title: keep the written expression as the name
        nm = text[a : name[1]] if name else expr
        return _Found(_Spk("PERSON", None, nm), nm, 0.6)
    orgs = [k for k in ms if ctx.mentions[k].type == "ORG"]
    if orgs and ctx.mentions[orgs[0]].start - a <= 2:
        return _Found(ctx.spk_of(orgs[0], "ORG"), text[a : ctx.mentions[orgs[0]].end], 0.9)
    places = [k for k in ms if ctx.mentions[k].type in ("COUNTRY", "LOC")]
    if places and ctx.mentions[places[0]].start - a <= 2:
        return _Found(ctx.spk_of(places[0], "ORG"), text[a : ctx.mentions[places[0]].end], 0.8)
    if orgs:
        return _Found(ctx.spk_of(orgs[0], "ORG"), text[a : ctx.mentions[orgs[0]].end], 0.8)
    name = _cap_name(text, a, b)
    if name is not None and name[0] - a <= 1:
        nm = text[name[0] : name[1]]
        return _Found(_cap_spk(nm), nm, 0.7)
    return None


def _subject(ctx: _Ctx, region_a: int, verb_a: int, current: _Spk | None) -> _Found | None:
    """The subject of a reporting verb at ``verb_a``, looked for in [region_a, verb_a)."""
    text = ctx.text
    tw = _text_words()
    # clause boundaries inside the region: dateline dashes, semicolons, "bahwa", quotations
    a = region_a
    m = None
    for m in tw.clause_cut_re.finditer(text[region_a:verb_a]):
        pass
    if m is not None:
        a = region_a + m.end()
    pw = ctx.prev_word(verb_a)
    lex = ctx.lex
    if pw in tw.no_subject_before and pw != "":
        return None
    if pw in lex.pronouns_singular:
        return _Found(ctx.anaphor(current), pw, 0.85, True)
    if pw in lex.pronouns_plural:
        if current is not None and current.type in ("GROUP", "ORG"):
            return _Found(current, pw, 0.8, True)
        return _Found(_Spk("GROUP", None, None), pw, 0.7, True)
    ms = [k for k in ctx.mentions_in(a, verb_a) if ctx.prev_word(ctx.mentions[k].start) not in tw.prepositions]
    for want in ("PERSON", "ORG"):
        cand = [k for k in ms if ctx.mentions[k].type == want]
        if cand:
            k = cand[0]
            return _Found(ctx.spk_of(k, want), ctx.mentions[k].text, 0.9)
    seg = text[a:verb_a].strip()
    if seg:
        role = None
        # a bare title right before the verb: "Gubernur mengatakan"
        words = seg.split()
        for n in (3, 2, 1):
            if len(words) >= n:
                r = ctx.role_at(" ".join(words[-n:]))
                if r is not None and len(" ".join(words[-n:])) <= len(r) + 1:
                    role = r
                    break
        if role is not None:
            spk = ctx.resolve_role(role, verb_a)
            if spk is not None:
                return _Found(spk, role, 0.8)
    if pw in tw.demonstratives and not ms:
        # "Pria kelahiran Jakarta ini mengatakan": a description of the person already speaking
        if ctx.cur_person is not None or current is not None:
            return _Found(ctx.anaphor(current), pw, 0.7, True)
    cand = [k for k in ms if ctx.mentions[k].type in ("COUNTRY", "LOC")]
    if cand:
        k = cand[0]
        return _Found(ctx.spk_of(k, "ORG"), ctx.mentions[k].text, 0.75)
    # no usable mention: read a capitalised name (NER-free fallback)
    runs = [m for m in tw.cap_run_re.finditer(text, a, verb_a)]
    runs = [m for m in runs if ctx.prev_word(m.start()) not in tw.prepositions]
    good = []
    for m in runs:
        w = m.group(0).split()[0].lower()
        if w in tw.prepositions or w in lex.pronouns or w in tw.sentence_openers or w in tw.not_names:
            continue
        if ctx.mentions_in(m.start(), m.end()):
            continue  # a COUNTRY/LOC/ORG that was already ruled out
        good.append(m)
    if good:
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
                or (text[m.end() : m.end() + 1] == "," and ctx.is_known_name(m.group(0).rstrip(".-’'")))
            ]
            if not cands:
                return None
            pick = cands[0]
            if ctx.role_at(pick.group(0)) is not None and len(cands) > 1:
                pick = cands[1]
        s, e = pick.span()
        while e > s and text[e - 1] in ".-’'":
            e -= 1
        nm = text[s:e]
        return _Found(_cap_spk(nm), nm, 0.6)
    return None


_MIDCAP_RE = re.compile(r"(?<=[a-z,] )[A-Z][a-z’'\-]+")
def _cap_spk(nm: str) -> _Spk:
    """A speaker read from the text: an organisation when it starts like one (Kementerian ...)."""
    first = nm.split()[0].lower() if nm.split() else ""
    return _Spk("ORG" if first in _text_words().org_heads else "PERSON", None, nm)


# --------------------------------------------------------------------------- pass 2: events


@dataclass(slots=True)
class _Event:
    pos: int
    end: int
    word: str
    found: _Found | None = None
    kind: str = "verb"  # verb | passive | menurut


def _find_events(ctx: _Ctx, ex_s: list[int], ex_e: list[int]) -> list[_Event]:
    out: list[_Event] = []
    lex = ctx.lex
    for m in lex._event_re.finditer(ctx.text):
        p = m.start()
        if ctx.in_quote(p) or _inside(p, ex_s, ex_e):
            continue
        w = m.group(0).lower()
        kind = "menurut" if w in lex.according_to else "passive" if w in lex.passive_verbs else "verb"
        out.append(_Event(p, m.end(), m.group(0), kind=kind))
    for m in lex._mid_cue_re.finditer(ctx.text):
        p = m.start()
        if ctx.in_quote(p) or _inside(p, ex_s, ex_e):
            continue
        out.append(_Event(p, m.end(), m.group(0), kind="cue"))
    out.sort(key=lambda e: e.pos)
    return out


def _para_start(text: str, pos: int) -> int:
    return text.rfind("\n", max(0, pos - _MAX_BACK), pos) + 1 or max(0, pos - _MAX_BACK)


def _resolve_event(ctx: _Ctx, ev: _Event, current: _Spk | None) -> _Found | None:
    text = ctx.text
    if ev.kind == "verb":
        ps = _para_start(text, ev.pos)
        return _subject(ctx, ctx.sentence_start(ps, ev.pos), ev.pos, current)
    # passive / menurut: the agent follows
    a = ev.end
    lim = min(len(text), a + _MAX_AFTER)
    nl = text.find("\n", a, lim)
    if nl >= 0:
        lim = nl
    b = a
    while b < lim and text[b] == " ":
        b += 1
    if ev.kind == "passive" and text[b : b + 5].lower() == "oleh ":
        b += 5
    elif ev.kind in ("passive", "cue"):
        # "Hal itu disampaikan Blinken": only a capitalised agent right after the verb
        if b >= lim or not text[b].isupper():
            return None
    end = _expr_end(text, b, lim)
    if ev.kind == "menurut":
        low = text[b:end].lower()
        if low.startswith(_text_words().source_prefixes):
            sp = text.find(" ", b) + 1
            ms = ctx.mentions_in(sp, end)
            orgs = [k for k in ms if ctx.mentions[k].type in ("ORG", "PERSON")]
            if orgs:
                k = orgs[0]
                return _Found(ctx.spk_of(k), ctx.mentions[k].text, 0.7)
            return _Found(_Spk("GROUP", None, None), text[b:end].strip(), 0.5)
    return _parse_expr(ctx, b, end, current)


# --------------------------------------------------------------------------- pass 3: attribution


def _before_words(text: str, a: int, b: int, n: int) -> list[str]:
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
        ws = _WORD_RE.findall(text, c, b)
        if c == a or len(ws) > n:
            return [w.lower() for w in ws[-n:]]
        step *= 4


def _classify_and_attribute(
    ctx: _Ctx, raws: list[_Raw], events: list[_Event]
) -> list[QuoteSpan]:
    text = ctx.text
    lex = ctx.lex
    out: list[QuoteSpan] = []
    current: _Spk | None = None
    ei = 0
    prev_q: tuple[_Raw, _Spk | None, str] | None = None
    for qi, r in enumerate(raws):
        # events before this quotation update the current speaker
        while ei < len(events) and events[ei].pos < r.open_mark:
            ev = events[ei]
            ev.found = _resolve_event(ctx, ev, current)
            if ev.found is not None and ev.found.spk is not None and ev.found.spk.type is not None:
                current = ev.found.spk
                if current.type == "PERSON" and current.name:
                    ctx.cur_person = current
            ei += 1
        nxt = raws[qi + 1].open_mark if qi + 1 < len(raws) else len(text)
        content = text[r.start : r.end]
        nwords = len(content.split())
        sent_a = ctx.sentence_start(r.para_start, r.open_mark)
        intro = text[sent_a : r.open_mark]
        intro_s = intro.rstrip()
        first_char = content[:1]
        lower_start = first_char.isalpha() and first_char.islower()
        sentence_initial = not intro_s or intro_s.endswith(("”", '"', "’"))
        kind = "full"
        cue = None
        cue_span: tuple[int, int] | None = None
        found: _Found | None = None
        # kind: slogans and titles first ---------------------------------------
        bw = _before_words(text, sent_a, r.open_mark, 8)
        if any(w in lex.slogan_words for w in bw):
            kind = "slogan"
        elif any(w in lex.title_words for w in bw[-2:]) and not intro_s.endswith(":"):
            kind = "title"
        if kind == "full":
            # cue after the closing mark -----------------------------------------
            if r.close_mark is not None:
                a = r.close_mark + 1
                lim = min(nxt, a + _MAX_AFTER, r.para_end)
                m = lex._after_re.match(text[a:lim])
                if m is not None and not (m.group("marker") or m.group("nya") or m.group("cue")):
                    m = None
                if m is not None:
                    g = "nya" if m.group("nya") else "cue" if m.group("cue") else "marker"
                    cs, ce = a + m.start(g), a + m.end(g)
                    cue = text[cs:ce]
                    cue_span = (cs, ce)
                    if g == "nya":
                        found = _Found(ctx.anaphor(current), cue, 0.85, True)
                    else:
                        ee = _expr_end(text, ce, lim)
                        found = _parse_expr(ctx, ce, ee, current)
                        if found is None or (
                            found.spk is not None and found.spk.ref is None and found.spk.type == "PERSON"
                            and not found.pronoun and ctx.role_at(text[ce:ee].strip()) is not None
                        ) or (found.spk is not None and found.spk.type in ("GROUP", "ORG") and found.spk.ref is None):
                            ext = _extended_person(ctx, ce, lim)
                            if ext is not None:
                                found = ext
                    if m.group("marker") and found is None:
                        cue = None
                        cue_span = None
                elif text[r.end - 1 : r.end] == "," or text[a : a + 1] == ",":
                    # “...,” Blinken mengatakan / menekankan
                    window_end = min(lim, a + 80)
                    for ej in range(ei, len(events)):
                        ev = events[ej]
                        if ev.pos >= window_end:
                            break
                        if ev.kind != "verb":
                            continue
                        gap = text[a : ev.pos]
                        if "." in gap or len(gap.split()) > 7:
                            break
                        f = _subject(ctx, a, ev.pos, current)
                        if f is not None:
                            found = f
                            cue = ev.word
                            cue_span = (ev.pos, ev.end)
                        break
            # reporting clause of the sentence before the quotation --------------
            if found is None:
                bc = None
                if intro_s.endswith(":"):  # the pattern ends with ":\s*$"
                    # the cue and its expression hold no ":", quote mark or line break
                    ba = max(sent_a, r.open_mark - 120)
                    colon = sent_a + len(intro_s) - 1
                    ba = max(ba, *(text.rfind(c, ba, colon) + 1 for c in ':“”"\n'))
                    bc = lex._before_cue_re.search(text, ba, r.open_mark)
                if bc is not None:
                    cue = bc.group("cue")
                    cue_span = bc.span("cue")
                    if bc.group(0).lower().startswith(cue.lower()) and text[bc.end("cue") : bc.end("cue") + 3].lower() == "nya":
                        found = _Found(ctx.anaphor(current), cue + "nya", 0.8, True)
                        cue_span = (bc.start("cue"), bc.end("cue") + 3)
                        cue = text[cue_span[0] : cue_span[1]]
                    else:
                        found = _parse_expr(ctx, bc.start("expr"), bc.end("expr"), current)
            if found is None:
                gov = None
                for j in range(ei - 1, -1, -1):
                    ev = events[j]
                    if ev.pos < sent_a:
                        break
                    if ev.found is not None:
                        gov = ev
                        break
                if gov is not None:
                    found = gov.found
                    cue = gov.word
                    cue_span = (gov.pos, gov.end)
            # kind: full or partial -----------------------------------------------------
            introduced = intro_s.endswith(":") or (intro_s.endswith(",") and not lower_start and cue_span is not None and cue_span[0] < r.open_mark)
            if found is not None and found.spk is not None:
                if not sentence_initial and not introduced:
                    kind = "partial"
                elif lower_start and not sentence_initial:
                    kind = "partial"
            else:
                found = None
                cue = None
                cue_span = None
                if r.continues and prev_q is not None and prev_q[1] is not None:
                    found = _Found(prev_q[1], None, 0.8)
                elif sentence_initial and nwords >= 3 and not r.single:
                    if current is not None:
                        found = _Found(current, None, 0.65)
                    kind = "full"
                elif nwords <= 4 or r.single:
                    kind = "scare"
                else:
                    kind = "partial" if current is not None else "scare"
                    if current is not None:
                        found = _Found(current, None, 0.4)
            if r.single and nwords <= 4 and (cue_span is None or cue_span[0] < r.open_mark):
                kind = "scare"
                found = None
        spk = found.spk if found is not None else None
        if kind in ("scare", "title", "slogan"):
            spk = None
            found = None
            cue = None
            cue_span = None
        conf = found.conf if found is not None else (0.6 if kind != "full" else 0.5)
        if r.close_mark is None:
            conf *= 0.8
        stype = spk.type if spk is not None else None
        out.append(
            QuoteSpan(
                start=r.start,
                end=r.end,
                kind=kind,
                cue=cue,
                cue_start=cue_span[0] if cue_span else None,
                cue_end=cue_span[1] if cue_span else None,
                speaker_type=stype,
                speaker_ref=spk.ref if spk is not None and stype in ("PERSON", "ORG", "GROUP") else None,
                speaker_text=(found.text if found is not None else None) if spk is not None else None,
                confidence=round(min(1.0, max(0.0, conf)), 3),
                speaker_name=spk.name if spk is not None and stype != "UNNAMED" else None,
                open_mark=r.open_mark,
                close_mark=r.close_mark,
            )
        )
        if spk is not None and spk.type is not None:
            current = spk
            if spk.type == "PERSON" and spk.name:
                ctx.cur_person = spk
        prev_q = (r, spk, kind)
    # a paragraph left open takes the speaker named where the multi-paragraph quotation ends
    for i in range(len(out) - 2, -1, -1):
        q, nx = out[i], out[i + 1]
        if (
            q.close_mark is None and q.speaker_type is None and q.kind == "full"
            and raws[i + 1].continues and nx.speaker_type is not None
        ):
            out[i] = replace(
                q, speaker_type=nx.speaker_type, speaker_ref=nx.speaker_ref, speaker_name=nx.speaker_name,
                speaker_text=nx.speaker_text, confidence=round(nx.confidence * 0.8, 3),
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
    lex = lexicon if lexicon is not None else _default_lexicon()
    ex_s, ex_e = _merge_ranges(excluded)
    raws = [r for r in _scan_marks(text, ex_s, ex_e) if not _inside(r.open_mark, ex_s, ex_e)]
    ctx = _Ctx(text, mentions, lex, raws)
    events = _find_events(ctx, ex_s, ex_e)
    return _classify_and_attribute(ctx, raws, events)


# --------------------------------------------------------------------------- syndication


_PUNCT_RE = re.compile(r"[^\w\s]")


def _normalise_quote(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).lower()
    return " ".join(_PUNCT_RE.sub(" ", s).split())


def link_syndicated(quotes: Sequence[Quote], *, threshold: float = 80.0, min_words: int = 6) -> list[Quote]:
    """Fill ``also_in`` with the other documents that carry the same statement.

    Two quotations are the same statement when they come from different documents, have
    the same speaker (``speaker_id``, else the speaker name), and their normalised texts
    are similar (rapidfuzz ``token_set_ratio`` >= ``threshold`` and ``ratio`` >= threshold - 15).
    Quotations shorter than ``min_words`` words (slogans, fragments) are never linked: short
    strings match by chance.
    """
    from rapidfuzz import fuzz

    norm = [_normalise_quote(q.text) for q in quotes]
    keys = [q.speaker_id or (q.speaker or "").lower() or None for q in quotes]
    groups: dict[str, list[int]] = {}
    for i, q in enumerate(quotes):
        if keys[i] is None or q.kind in ("scare", "title", "slogan") or len(norm[i].split()) < min_words:
            continue
        groups.setdefault(keys[i], []).append(i)
    also: list[set[str]] = [set() for _ in quotes]
    for idx in groups.values():
        for x in range(len(idx)):
            i = idx[x]
            for y in range(x + 1, len(idx)):
                j = idx[y]
                if quotes[i].doc == quotes[j].doc:
                    continue
                a, b = norm[i], norm[j]
                short, long_ = sorted((len(a), len(b)))
                if short < 0.5 * long_:
                    continue
                if fuzz.token_set_ratio(a, b) >= threshold and fuzz.ratio(a, b) >= threshold - 15:
                    also[i].add(quotes[j].doc)
                    also[j].add(quotes[i].doc)
    return [
        replace(q, also_in=tuple(sorted(set(q.also_in) | also[i]))) if also[i] else q
        for i, q in enumerate(quotes)
    ]
