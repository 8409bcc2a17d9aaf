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

from .datafiles import compose_yaml
from .errors import ConfigError
from .models import ENTITY_TYPES, Token
from .resources import cache_dir, data_file, overlay_file

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


@lru_cache(maxsize=1 << 17)  # pure, and called for every name pair that folding compares
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
        return self._index(self._compiled_forms())

    def _compiled_forms(self) -> list[tuple[str, tuple[str, ...], str, bool, str | None]]:
        """(form, its tokens, entry id, role?, fold key or None) for every alias and role, in table order;
        an entry's canonical name comes as (canonical, (), id, False, key)."""
        out: list[tuple[str, tuple[str, ...], str, bool, str | None]] = []
        for e in self.entries.values():
            for form, role in [(a, False) for a in e.aliases] + [(r, True) for r in e.roles]:
                toks = _form_tokens(form)
                if toks:
                    out.append((form, toks, e.id, role, None if role else fold_key(form)))
            out.append((e.canonical, (), e.id, False, fold_key(e.canonical)))
        return out

    def _index(self, forms: Iterable[tuple[str, Sequence[str], str, bool, str | None]], checksum: str | None = None) -> "AliasTable":
        import hashlib

        self._trie = {}
        self._by_key = {}
        if checksum is None:
            h = hashlib.sha256()
            for e in self.entries.values():
                h.update(repr((e.id, e.canonical, e.type, e.aliases, e.roles)).encode())
            checksum = h.hexdigest()[:16]
        entries = self.entries
        for form, toks, eid, role, key in forms:
            e = entries[eid]
            if toks:
                node = self._trie
                for t in toks:
                    node = node.setdefault(t.casefold(), {})
                node.setdefault("$", []).append((form, toks, e, role))
            if key is not None:
                self._by_key.setdefault(key, e)
        self.checksum = checksum
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
    root = compose_yaml(Path(path))  # syntax errors and duplicate keys with file and line
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


def load_aliases(paths: Iterable[Path | str] = (), *, defaults: bool = True, cache: bool = True) -> AliasTable:
    """Load the default table (unless ``defaults=False``) extended by the data overlay's
    ``aliases.yaml`` (``--data DIR``) and then by ``paths``.

    A later file's entry with the same id replaces the earlier one; an alias
    that a later file gives to another entity is taken away from the earlier one.

    Large tables (:data:`COMPILED_MIN_BYTES` and more) are compiled once per version of
    their files: the parsed, validated and tokenised table is kept as JSON in the cache
    folder (``cache=False``: neither read nor written) and loaded from there next time.
    """
    extra = overlay_file("aliases.yaml")
    files = ([data_file("aliases.yaml")] if defaults else []) + ([extra] if extra else []) + [Path(p) for p in paths]
    return _load_cached(tuple(str(p) for p in files), cache)


COMPILED_MIN_BYTES = 256 * 1024
COMPILED_KEEP = 4
_COMPILED_FORMAT = "2"


@lru_cache(maxsize=8)
def _load_cached(files: tuple[str, ...], cache: bool = True) -> AliasTable:
    sig = _signature(files) if cache else None
    if sig is not None:
        table = _read_compiled(sig)
        if table is not None:
            return table
    table = _parse_files(files)
    if sig is not None:
        _write_compiled(sig, table)
    return table


def _parse_files(files: tuple[str, ...]) -> AliasTable:
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


def _signature(files: tuple[str, ...]) -> str | None:
    """Checksum of the table's files (content, in order) and of the code that compiles them;
    None for a small table (not worth a file) or an unreadable one (the parser reports it)."""
    import hashlib

    h = hashlib.sha256(_COMPILED_FORMAT.encode())
    total = 0
    try:
        for f in files:
            data = Path(f).read_bytes()
            total += len(data)
            h.update(f.encode("utf-8", "surrogatepass") + b"\x00" + hashlib.sha256(data).digest())
        for code in ("aliases.py", "segment.py", "datafiles.py", "models.py"):
            h.update((Path(__file__).parent / code).read_bytes())
        h.update(_file_or_empty(data_file("abbreviations.txt")))
    except OSError:
        return None
    return h.hexdigest()[:32] if total >= COMPILED_MIN_BYTES else None


def _file_or_empty(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError:
        return b""


def _compiled_dir() -> Path:
    return cache_dir() / "aliases"


def _read_compiled(sig: str) -> AliasTable | None:
    """The compiled table for ``sig`` (JSON data only), or None if absent or not usable."""
    import json

    try:
        doc = json.loads((_compiled_dir() / f"{sig}.json").read_text(encoding="utf-8"))
        if doc.get("format") != _COMPILED_FORMAT or doc.get("sig") != sig:
            return None
        table = AliasTable()
        ids = []
        for eid, canonical, etype, aliases, roles, source, line in doc["entries"]:
            table.entries[eid] = AliasEntry(eid, canonical, etype, tuple(aliases), tuple(roles), source, line)
            ids.append(eid)
        # tokens stored only where they differ from the form split at spaces; entries by index
        forms = ((f, tuple(f.split(" ")) if t is None else tuple(t), ids[i], r, k) for f, t, i, r, k in doc["forms"])
        table._index(forms, checksum=str(doc["checksum"]))
        if not all(isinstance(e.id, str) and isinstance(e.canonical, str) for e in table.entries.values()):
            return None
        return table
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write_compiled(sig: str, table: AliasTable) -> None:
    """Keep the compiled table (atomically; failures only cost the next run the compile time)."""
    import json
    import os
    import tempfile

    d = _compiled_dir()
    index = {eid: i for i, eid in enumerate(table.entries)}
    doc = {
        "format": _COMPILED_FORMAT,
        "sig": sig,
        "entries": [[e.id, e.canonical, e.type, list(e.aliases), list(e.roles), e.source, e.line] for e in table.entries.values()],
        "checksum": table.checksum,
        "forms": [[f, None if tuple(f.split(" ")) == t else list(t), index[eid], r, k] for f, t, eid, r, k in table._compiled_forms()],
    }
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False)
            os.replace(tmp, d / f"{sig}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        olds = sorted(d.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in olds[COMPILED_KEEP:]:
            p.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass
