"""The cue lexicon: every Indonesian word list the quote finder reads, from one YAML file.

``data/cues.yaml`` holds the reporting words (``kata``, ``mengatakan``, ``menurut`` ...), the
speaker words (pronouns, group nouns, role titles) and the word lists for reading a speaker
expression out of the text (prepositions, stop words, ...); day names come from
``data/calendar.txt``. :func:`load_lexicon` reads all of it from the file it is given, so a
custom lexicon replaces the shipped one entirely (it must carry every required list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quotex.datafiles import load_words, load_yaml
from quotex.errors import ConfigError
from quotex.resources import data_file

__all__ = ["CueLexicon", "SpeakerWords", "default_lexicon", "load_lexicon"]


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _alt(words: Any) -> str:
    """A regex alternation of ``words``, longest first (so ``tambah`` does not cut ``tambahkan``)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _alt_ordered(words: Any) -> str:
    """A regex alternation of ``words`` in the order given."""
    return "|".join(re.escape(w) for w in words)


@dataclass(frozen=True)
class SpeakerWords:
    """Word lists for reading a speaker expression out of the text, and their patterns."""

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
    naming_words: frozenset[str]
    role_connectors: frozenset[str]
    nickname_def_re: re.Pattern[str]
    agent_markers: tuple[str, ...]  # "oleh " (with the space)
    stop_after_re: re.Pattern[str]
    stop_ext_re: re.Pattern[str]
    cap_run_re: re.Pattern[str]
    clause_cut_re: re.Pattern[str]


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
    words: SpeakerWords
    role_abbreviations: dict[str, str] = field(default_factory=dict)  # menpora -> menteri pemuda dan olahraga
    enclitic: str = "nya"
    source: str = "<memory>"
    _after_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _event_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _mid_cue_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _before_cue_re: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        cues = _alt(self.after_cues)
        nya = _alt(self.nya_forms)
        markers = _alt(self.after_markers) or "(?!)"
        after = (
            r"^[\s,.;:!?\-–—]*(?:(?P<marker>" + markers + r")\b\s*)?"
            r"(?:(?P<nya>(?:" + nya + r"))\b|(?P<cue>" + cues + r")\b)?"
        )
        object.__setattr__(self, "_after_re", re.compile(after, re.IGNORECASE))
        events = _alt(self.verbs | self.passive_verbs | self.according_to)
        object.__setattr__(self, "_event_re", re.compile(r"\b(?:" + events + r")\b", re.IGNORECASE))
        # an after-cue inside a sentence: "Kemudian, lanjut Teguh, di pekan pertama ..."
        object.__setattr__(self, "_mid_cue_re", re.compile(r"(?<=, )(?:" + cues + r")(?= [A-Z])"))
        before_cue = (
            r"\b(?P<cue>" + cues + r")(?:" + re.escape(self.enclitic) + r")?\b(?P<expr>[^:“”\"\n]{0,100}):\s*$"
        )
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


# a full stop ends a speaker expression, except after an initial: kata Kapolri Jenderal Polisi M. Tito Karnavian
_STOP_DOT = r"(?<![\s(][A-Z])\."


def _role_abbreviations(doc: dict[str, Any], sp: str) -> dict[str, str]:
    raw = doc.get("role_abbreviations") or {}
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in raw.items()):
        raise ConfigError("'role_abbreviations' must map each abbreviation to its full title", path=sp)
    return {_norm(k): _norm(v) for k, v in raw.items()}


def _speaker_words(doc: dict[str, Any], sp: str, calendar_path: Path) -> SpeakerWords:
    def need(key: str) -> list[str]:
        ws = _words(doc, key, sp)
        if not ws:
            raise ConfigError(f"'{key}' is missing or empty", path=sp)
        return ws

    calendar = [w.lower() for w in load_words(calendar_path)]
    fm = doc.get("calendar_first_month")
    if not isinstance(fm, str) or not fm.strip():
        raise ConfigError("'calendar_first_month' must be the first month name in calendar.txt", path=sp)
    first_month = _norm(fm)
    if first_month not in calendar or calendar.index(first_month) == 0:
        raise ConfigError(
            f"'calendar_first_month' ({first_month!r}) must name an entry of calendar.txt after the day names", path=sp
        )
    day_alt = _alt_ordered(calendar[: calendar.index(first_month)])
    return SpeakerWords(
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
        naming_words=frozenset(need("naming_words")),
        role_connectors=frozenset(need("role_connectors")),
        # after a full name: " (Ahok)", ", yang akrab disapa Ahok", " atau Jokowi"
        nickname_def_re=re.compile(
            r"\s*(?:\(\s*(?P<nick>[A-Z][\w’'\-]+)\s*\)|,?\s*(?i:yang\s+)?(?i:" + _alt(need("nickname_markers"))
            + r")\s+(?P<nick2>[A-Z][\w’'\-]+)\b(?!\s+[A-Z]))"
        ),
        agent_markers=tuple(w + " " for w in need("agent_markers")),
        # function words stop only in lower case ("Kementerian Dalam Negeri" is one name); days in any case
        stop_after_re=re.compile(
            r"[,;:()\[\]“”\"!?]|" + _STOP_DOT + r"|\s[-–—]\s|\b(?:" + _alt_ordered(need("expr_stop_words")) + r")\b"
            r"|\b(?i:" + day_alt + r")\b",
        ),
        stop_ext_re=re.compile(
            r"[;:“”\"!?]|" + _STOP_DOT + r"|\s[-–—]\s|\b(?:" + _alt_ordered(need("ext_stop_words")) + r")\b|\b(?i:" + day_alt + r")\b"
        ),
        cap_run_re=re.compile(
            r"[A-Z][\w’'\-.]*(?:\s+(?:[A-Z][\w’'\-.]*|" + _alt_ordered(need("name_particles")) + r")(?=\s+[A-Z]|\b))*"
        ),
        clause_cut_re=re.compile(r"\s[-–—]\s|;|\b(?:" + _alt_ordered(need("clause_cut_words")) + r")\b|[“”\"]"),
    )


def load_lexicon(path: Path | None = None, *, calendar: Path | None = None) -> CueLexicon:
    """Load (and cache) the cue lexicon; the default is the shipped ``cues.yaml``.

    Every list is read from ``path``; day and month names from ``calendar`` (default: the
    shipped ``calendar.txt``). A bad file is a :class:`~quotex.errors.ConfigError` naming it.
    """
    p = Path(path) if path is not None else data_file("cues.yaml")
    cal = Path(calendar) if calendar is not None else data_file("calendar.txt")
    key = f"{p.resolve()}\x00{cal.resolve()}"
    if key in _LEXICON_CACHE:
        return _LEXICON_CACHE[key]
    doc = load_yaml(p)
    sp = str(p)
    if not isinstance(doc, dict):
        raise ConfigError("the cue lexicon must be a YAML mapping (after_cues:, verbs:, ...)", path=sp)
    after = _words(doc, "after_cues", sp)
    if not after:
        raise ConfigError("'after_cues' is missing or empty", path=sp)
    pron = doc.get("pronouns") or {}
    if not isinstance(pron, dict):
        raise ConfigError("'pronouns' must be a mapping with 'singular' and 'plural' lists", path=sp)
    enclitic = doc.get("enclitic", "nya")
    if not isinstance(enclitic, str) or not enclitic.strip():
        raise ConfigError("'enclitic' must be a non-empty string (nya)", path=sp)
    enclitic = _norm(enclitic)
    abbrevs = _role_abbreviations(doc, sp)
    nya = {w + enclitic for w in after} | set(_words(doc, "nya_forms", sp))
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
        roles=tuple(sorted(set(_words(doc, "roles", sp)) | set(abbrevs), key=len, reverse=True)),
        role_abbreviations=abbrevs,
        words=_speaker_words(doc, sp, cal),
        enclitic=enclitic,
        source=sp,
    )
    _LEXICON_CACHE[key] = lex
    return lex


def default_lexicon() -> CueLexicon:
    """The shipped lexicon (loaded once)."""
    return load_lexicon()
