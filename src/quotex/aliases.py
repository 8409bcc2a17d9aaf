"""The alias table: loading, validation and fast matching in text.

``data/aliases.yaml`` (user-editable) gives one entry per canonical entity:
id, canonical name, type, aliases and, for people, role titles. Loading
checks the table and reports problems as one-line :class:`ConfigError`s with
file and line. :class:`AliasTable` then works as a high-precision gazetteer
over quotex's tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import ConfigError
from .models import ENTITY_TYPES, Token
from .resources import data_file, overlay_file

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One canonical entity of the table."""

    id: str
    canonical: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...] = ()
    source: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class AliasHit:
    """A table alias found in text: token range, the entry, and whether it was a role title."""

    first: int
    end: int
    entry: AliasEntry
    role: bool = False


def fold_key(name: str) -> str:
    """Normalised comparison key: case, diacritics, hyphens, spacing (Kim Jong-un = Kim Jong Un)."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("’", "'")
    s = re.sub(r"[-‐–—_.]", " ", s)
    s = re.sub(r"[^\w' ]", "", s)
    return " ".join(s.split())


def is_acronym(form: str) -> bool:
    """A form with no lower-case letter (AS, DPRK, G7) matches case-sensitively."""
    return not any(c.islower() for c in form)


def _form_tokens(form: str) -> tuple[str, ...]:
    from .segment import tokenize

    return tuple(t.text for t in tokenize(form))


@dataclass
class AliasTable:
    """A validated alias table with a token trie for matching."""

    entries: dict[str, AliasEntry] = field(default_factory=dict)
    _trie: dict = field(default_factory=dict, repr=False)
    _by_key: dict[str, AliasEntry] = field(default_factory=dict, repr=False)
    checksum: str = ""

    def build(self) -> "AliasTable":
        """(Re)build the lookup structures after entries changed."""
        import hashlib

        self._trie = {}
        self._by_key = {}
        h = hashlib.sha256()
        for e in self.entries.values():
            h.update(repr((e.id, e.canonical, e.type, e.aliases, e.roles)).encode())
            for form, role in [(a, False) for a in e.aliases] + [(r, True) for r in e.roles]:
                toks = _form_tokens(form)
                if not toks:
                    continue
                node = self._trie
                for t in toks:
                    node = node.setdefault(t.casefold(), {})
                node.setdefault("$", []).append((form, toks, e, role))
                if not role:
                    self._by_key.setdefault(fold_key(form), e)
            self._by_key.setdefault(fold_key(e.canonical), e)
        self.checksum = h.hexdigest()[:16]
        return self

    def lookup(self, name: str) -> AliasEntry | None:
        """The entry whose alias or canonical name folds to the same key as ``name``."""
        return self._by_key.get(fold_key(name))

    def find(self, tokens: Sequence[Token]) -> list[AliasHit]:
        """Longest, non-overlapping alias matches in a token sequence (left to right)."""
        hits: list[AliasHit] = []
        i = 0
        n = len(tokens)
        while i < n:
            node = self._trie
            best: AliasHit | None = None
            j = i
            while j < n:
                node = node.get(tokens[j].text.casefold())
                if node is None:
                    break
                # multi-token forms must be written contiguously with single spaces at most
                if j > i and tokens[j].start - tokens[j - 1].end > 1:
                    break
                cands = node.get("$")
                if cands:
                    for form, ftoks, entry, role in cands:
                        if _case_ok(ftoks, tokens[i : j + 1]):
                            best = AliasHit(i, j + 1, entry, role)
                            break
                j += 1
            if best is not None:
                hits.append(best)
                i = best.end
            else:
                i += 1
        return hits


def _case_ok(form_tokens: Sequence[str], toks: Sequence[Token]) -> bool:
    """Acronym forms match exactly; others need a capital first letter in the text."""
    for f, t in zip(form_tokens, toks):
        if is_acronym(f):
            if t.text != f:
                return False
    first = toks[0].text
    return first[:1].isupper() or first[:1].isdigit()


def _node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.Node, path: str, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise ConfigError(f"{what} must be a non-empty string", path=path, line=_node_line(node))
    return str(node.value).strip()


def _parse_entries(path: str) -> list[AliasEntry]:
    from .datafiles import load_yaml

    load_yaml(Path(path))  # syntax errors with file and line
    text = Path(path).read_text(encoding="utf-8-sig")
    root = yaml.compose(text)
    if root is None:
        return []
    if isinstance(root, yaml.MappingNode):
        seq = None
        for k, v in root.value:
            if k.value == "entities":
                seq = v
        if seq is None:
            raise ConfigError("expected a top-level key 'entities:' holding a list", path=path, line=_node_line(root))
    else:
        seq = root
    if not isinstance(seq, yaml.SequenceNode):
        raise ConfigError("'entities' must be a list of entries", path=path, line=_node_line(seq))
    out = []
    for item in seq.value:
        line = _node_line(item)
        if not isinstance(item, yaml.MappingNode):
            raise ConfigError("each entry must be a mapping with id, canonical, type, aliases", path=path, line=line)
        fields = {k.value: v for k, v in item.value}
        for req in ("id", "canonical", "type"):
            if req not in fields:
                raise ConfigError(f"entry is missing '{req}'", path=path, line=line)
        unknown = set(fields) - {"id", "canonical", "type", "aliases", "roles"}
        if unknown:
            raise ConfigError(f"unknown key(s) {', '.join(sorted(unknown))}; allowed: id, canonical, type, aliases, roles", path=path, line=line)
        eid = _scalar(fields["id"], path, "id")
        if not _ID_RE.match(eid):
            raise ConfigError(f"id {eid!r} must be lower-case letters, digits, '.', '_' or '-'", path=path, line=line)
        etype = _scalar(fields["type"], path, "type").upper()
        if etype not in ENTITY_TYPES:
            raise ConfigError(f"type {etype!r} is not one of {', '.join(ENTITY_TYPES)}", path=path, line=_node_line(fields["type"]))

        def strings(key: str) -> tuple[tuple[str, int], ...]:
            node = fields.get(key)
            if node is None:
                return ()
            if not isinstance(node, yaml.SequenceNode):
                raise ConfigError(f"'{key}' must be a list", path=path, line=_node_line(node))
            return tuple((_scalar(n, path, f"each of '{key}'"), _node_line(n)) for n in node.value)

        aliases = strings("aliases")
        roles = strings("roles")
        if roles and etype != "PERSON":
            raise ConfigError("'roles' are only allowed on PERSON entries", path=path, line=line)
        entry = AliasEntry(eid, _scalar(fields["canonical"], path, "canonical"), etype,
                           tuple(a for a, _ in aliases), tuple(r for r, _ in roles), path, line)
        out.append((entry, aliases + roles))
    # contradictions inside one file
    seen_ids: dict[str, int] = {}
    claimed: dict[str, tuple[str, int]] = {}
    for entry, forms in out:
        if entry.id in seen_ids:
            raise ConfigError(f"duplicate id {entry.id!r} (first defined at line {seen_ids[entry.id]})", path=path, line=entry.line)
        seen_ids[entry.id] = entry.line
        for form, fline in forms:
            key = form if is_acronym(form) else fold_key(form)
            prev = claimed.get(key)
            if prev is not None and prev[0] != entry.id:
                raise ConfigError(f"alias {form!r} is claimed by both {prev[0]!r} (line {prev[1]}) and {entry.id!r}; keep it in one entry", path=path, line=fline)
            claimed[key] = (entry.id, fline)
    return [e for e, _ in out]


def load_aliases(paths: Iterable[Path | str] = (), *, defaults: bool = True) -> AliasTable:
    """Load the default table (unless ``defaults=False``) extended by the data overlay's
    ``aliases.yaml`` (``--data DIR``) and then by ``paths``.

    A later file's entry with the same id replaces the earlier one; an alias
    that a later file gives to another entity is taken away from the earlier one.
    """
    extra = overlay_file("aliases.yaml")
    files = ([data_file("aliases.yaml")] if defaults else []) + ([extra] if extra else []) + [Path(p) for p in paths]
    return _load_cached(tuple(str(p) for p in files))


@lru_cache(maxsize=8)
def _load_cached(files: tuple[str, ...]) -> AliasTable:
    table = AliasTable()
    for f in files:
        entries = _parse_entries(f)
        new_keys = {}
        for e in entries:
            for a in e.aliases + e.roles:
                new_keys[a if is_acronym(a) else fold_key(a)] = e.id
        # drop forms that the later file gives to another entity
        for eid, old in list(table.entries.items()):
            keep_a = tuple(a for a in old.aliases if new_keys.get(a if is_acronym(a) else fold_key(a), eid) == eid)
            keep_r = tuple(r for r in old.roles if new_keys.get(r if is_acronym(r) else fold_key(r), eid) == eid)
            if keep_a != old.aliases or keep_r != old.roles:
                table.entries[eid] = AliasEntry(old.id, old.canonical, old.type, keep_a, keep_r, old.source, old.line)
        for e in entries:
            table.entries[e.id] = e
    return table.build()
