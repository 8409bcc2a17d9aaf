"""Frozen, typed result objects. Every offset is a character offset into the
document text *as decoded* (``doc.text[start:end] == text``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ENTITY_TYPES = ("PERSON", "ORG", "COUNTRY", "LOC")  # every type a Mention or an Entity can have
NER_TYPES = ("PERSON", "ORG", "LOC")  # the types the NER model tags (COUNTRY comes from the alias table)
QUOTE_KINDS = ("full", "partial", "scare", "title", "slogan", "indirect")
META_FIELDS = ("date", "source", "url", "title")  # carried into every quote/mention row


@dataclass(frozen=True, slots=True)
class Document:
    """One input document: its id and decoded text, plus what is known of where it appeared.

    ``id`` is the path as given, ``-`` for stdin, or ``FILE#KEY`` for one record
    of a JSONL/JSON/CSV dump. For an HTML page ``text`` is the main text that
    trafilatura extracted (every offset refers to it). The metadata fields are
    plain strings or None (JSON-able): ``date`` is ISO 8601 ``YYYY-MM-DD``,
    ``source`` the outlet or site name, ``url``, ``title`` and ``author`` as found.
    """

    id: str
    text: str
    encoding: str = "utf-8"
    date: str | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None

    def metadata(self) -> dict[str, str | None]:
        """The metadata fields that every result row carries (``date``, ``source``, ``url``, ``title``)."""
        return {"date": self.date, "source": self.source, "url": self.url, "title": self.title}

    def has_metadata(self) -> bool:
        """Whether any metadata field is set."""
        return any(v is not None for v in (self.date, self.source, self.url, self.title, self.author))


@dataclass(frozen=True, slots=True)
class Token:
    """A token with character offsets into the analysis text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: offsets into the analysis text, its tokens and its paragraph number."""

    start: int
    end: int
    tokens: tuple[Token, ...]
    paragraph: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of a named entity.

    ``source`` says where it came from: ``ner`` (the Stanza model), ``alias``
    (the alias table used as a gazetteer), ``definition`` (an in-text
    definition such as ``Korea Utara (Korut)``, a nickname, or a short form of
    a longer name in the document) or ``role`` (a role title standing alone
    for the person the article named with it, ``kata Menpora``).
    """

    doc: str
    start: int
    end: int
    text: str
    type: str
    source: str = "ner"
    entity_id: str | None = None
    canonical: str | None = None
    # the document's metadata (see Document); ``doc_source`` is its outlet, because
    # ``source`` already names the layer that found the mention
    date: str | None = None
    doc_source: str | None = None
    url: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON/CSV export."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity with everything that folded into it."""

    id: str
    canonical: str
    type: str
    mentions: int
    documents: int
    variants: tuple[str, ...] = field(default_factory=tuple)
    first_date: str | None = None  # earliest / latest date of a document that mentions it
    last_date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON/CSV export (variants as a list)."""
        d = asdict(self)
        d["variants"] = list(self.variants)
        return d


@dataclass(frozen=True, slots=True)
class Quote:
    """A statement and who made it: a direct quotation (the words inside the marks; kinds
    ``full``, ``partial``, ...) or reported speech (kind ``indirect``: the reported content).
    ``rule`` names the pattern that found a reported statement."""

    doc: str
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    speaker_id: str | None
    speaker_type: str | None
    speaker_mention: str | None
    cue: str | None
    confidence: float
    also_in: tuple[str, ...] = field(default_factory=tuple)
    rule: str | None = None  # the attribution rule (quotex.quotes.RULES) or, for kind indirect, the reporting pattern
    # the document's metadata (see Document)
    date: str | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON/CSV export."""
        d = asdict(self)
        d["also_in"] = list(self.also_in)
        return d
