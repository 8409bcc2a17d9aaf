"""Folding entities across documents (layer 4) and building the result tables.

Inside a document, :mod:`quotex.pipeline` already folded mentions into local
entities (alias table, in-text definitions, short names). Here local entities
of all documents are joined: same table id; same normalised name (case,
hyphens, spacing, diacritics); guarded fuzzy matching of multi-word names
with rapidfuzz (never across types, never for short strings or acronyms, and
names whose first or last word differ stay apart); and a lone surname that
fits exactly one full name in the corpus.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .aliases import AliasTable, fold_key, is_acronym
from .models import Entity, Mention
from .names import drop_initials, family_conflict, load_folding, spelling_key
from .pipeline import DocResult, LocalEntity
from .unionfind import UnionFind

FUZZY_MIN_SCORE = 92.0
FUZZY_MIN_LEN = 8
WORD_MIN_SCORE = 80.0


@dataclass(frozen=True)
class FoldedCorpus:
    """The corpus after folding: entities and, for every (doc, local entity), its global entity index."""

    entities: tuple[Entity, ...]
    assignment: dict[tuple[int, int], int]
    results: tuple[DocResult, ...]

    def entity_of(self, doc_index: int, mention_index: int) -> Entity:
        """The global entity of one mention."""
        r = self.results[doc_index]
        return self.entities[self.assignment[(doc_index, r.clusters[mention_index])]]


def slug(name: str) -> str:
    """An id made of a name: folded, ASCII letters and digits joined by hyphens (``Kim Jong-un`` -> ``kim-jong-un``)."""
    s = fold_key(name).replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "entity"


def _fold_keys(e: LocalEntity, org_forms: frozenset[str]) -> list[tuple[str, str]]:
    """The keys under which a local entity meets others: its table id; else each multi-word
    name (a person's in today's spelling and without initials too; an organisation's without
    its legal form, Partai Golkar = Golkar). Organisations and places share keys, so that one
    name the model typed ORG here and LOC there is one entity. A one-word personal name has
    a ``single`` key (it joins a full name only through the surname rule)."""
    if e.table_id is not None:
        return [("id", e.table_id)]
    kind = "ORG/LOC" if e.type in ("ORG", "LOC") else e.type
    full = e.full_name
    if e.type == "PERSON" and len(fold_key(full).split()) == 1:
        return [("single", fold_key(full))]
    keys = []
    for n in (full, *(n for n in e.names if n != full and len(fold_key(n).split()) >= 2)):
        if e.type == "PERSON":
            keys.append((kind, spelling_key(n)))
            d = spelling_key(drop_initials(n))
            if len(d.split()) >= 2:
                keys.append((kind, d))
        else:
            k = fold_key(n)
            keys.append((kind, k))
            w = k.split()
            if kind == "ORG/LOC" and len(w) >= 2 and w[0] in org_forms:
                keys.append((kind, " ".join(w[1:])))
    return list(dict.fromkeys(keys))


def fold(results: Sequence[DocResult], table: AliasTable) -> FoldedCorpus:
    """Fold the local entities of all documents into corpus entities."""
    nodes: list[tuple[int, int]] = []
    for di, r in enumerate(results):
        for li in range(len(r.entities)):
            nodes.append((di, li))
    ent = [results[d].entities[l] for d, l in nodes]
    table_of = [e.table_id for e in ent]
    fw = load_folding()
    # full personal names per set: two sets that hold relatives' names never join (family guard)
    fulls: dict[int, set[str]] = {}
    for i, e in enumerate(ent):
        if e.type == "PERSON":
            ks = {n for n in e.names if len(fold_key(n).split()) >= 2}
            if ks:
                fulls[i] = ks

    def blocks(ra: int, rb: int) -> bool:
        ta, tb = table_of[ra], table_of[rb]
        if ta is not None and tb is not None and ta != tb:
            return True
        fa, fb = fulls.get(ra), fulls.get(rb)
        return bool(fa and fb) and any(family_conflict(x, y) for x in fa for y in fb)

    def joined(root: int, other: int) -> None:
        if table_of[root] is None:
            table_of[root] = table_of[other]
        if other in fulls:
            fulls.setdefault(root, set()).update(fulls.pop(other))

    uf = UnionFind(len(nodes), prefer=min, blocks=blocks, joined=joined)  # the earliest node is the root
    first_by_key: dict[tuple, int] = {}
    single: list[int] = []
    for i, e in enumerate(ent):
        for key in _fold_keys(e, fw.org_forms):
            if key[0] == "single":
                single.append(i)
            j = first_by_key.setdefault(key, i)
            if j != i:
                uf.union(j, i)
    # guarded fuzzy matching of multi-word names, per type
    by_type: dict[str, list[tuple[str, int]]] = defaultdict(list)
    seen_keys: set[tuple[str, str]] = set()
    for i, e in enumerate(ent):
        full = e.full_name
        k = fold_key(full)
        if len(k) < FUZZY_MIN_LEN or is_acronym(full) or len(k.split()) < 2 or (e.type, k) in seen_keys:
            continue
        seen_keys.add((e.type, k))
        by_type[e.type].append((k, i))
    for typ, items in by_type.items():
        if len(items) < 2:
            continue
        keys = [k for k, _ in items]
        matches = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, workers=1)
        import numpy as np

        rows, cols = np.nonzero(matches)
        for a, b in zip(rows.tolist(), cols.tolist()):
            if a >= b:
                continue
            ka, kb = keys[a].split(), keys[b].split()
            if len(ka) != len(kb):
                continue
            if fuzz.ratio(ka[0], kb[0]) < WORD_MIN_SCORE or fuzz.ratio(ka[-1], kb[-1]) < WORD_MIN_SCORE:
                continue
            uf.union(items[a][1], items[b][1])  # refused across table entries and relatives
    # a lone surname / family name that fits exactly one full name in the corpus
    full_roots: dict[str, set[int]] = defaultdict(set)
    for i, e in enumerate(ent):
        if e.type != "PERSON":
            continue
        for n in e.names:
            w = fold_key(n).split()
            if len(w) >= 2:
                full_roots[w[0]].add(uf.find(i))
                full_roots[w[-1]].add(uf.find(i))
    for i in single:
        w = fold_key(ent[i].full_name)
        roots = {uf.find(r) for r in full_roots.get(w, ())}
        if len(roots) == 1:
            uf.union(next(iter(roots)), i)
    # build entities
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        groups[uf.find(i)].append(i)
    # mention counts per node
    counts: Counter[tuple[int, int]] = Counter()
    variants: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    roles: set[str] = set()  # role titles standing for a person (Menpora): variants, never the canonical name
    for di, r in enumerate(results):
        for mi, c in enumerate(r.clusters):
            counts[(di, c)] += 1
            variants[(di, c)][r.mentions[mi].text] += 1
            if r.mentions[mi].source == "role":
                roles.add(r.mentions[mi].text)
    entities: list[Entity] = []
    assignment: dict[tuple[int, int], int] = {}
    used_ids: set[str] = set()
    order = sorted(groups.values(), key=lambda g: min(g))
    for g in order:
        tid = next((table_of[i] for i in g if table_of[i] is not None), None)
        var: Counter[str] = Counter()
        docs = set()
        n = 0
        for i in g:
            var.update(variants[nodes[i]])
            n += counts[nodes[i]]
            if counts[nodes[i]]:
                docs.add(nodes[i][0])
        types: Counter[str] = Counter()
        for i in g:  # the type most of the mentions have (the first seen on a tie)
            types[ent[i].type] += counts[nodes[i]] or 1
        if tid is not None and tid in table.entries:
            entry = table.entries[tid]
            eid, canonical, etype = entry.id, entry.canonical, entry.type
        else:
            etype = types.most_common(1)[0][0]
            names = [v for v in var if v not in roles] or list(var)
            multi = [v for v in names if len(v.split()) >= 2] or names or [ent[g[0]].full_name]
            canonical = max(multi, key=lambda v: (var[v], len(v), v))
            eid = slug(canonical)
            if eid in used_ids or eid in table.entries:
                eid = f"{etype.lower()}-{eid}"
            base, k = eid, 2
            while eid in used_ids:
                eid = f"{base}-{k}"
                k += 1
        used_ids.add(eid)
        idx = len(entities)
        entities.append(Entity(eid, canonical, etype, n, len(docs), tuple(v for v, _ in sorted(var.items(), key=lambda kv: (-kv[1], kv[0])))))
        for i in g:
            assignment[nodes[i]] = idx
    return FoldedCorpus(tuple(entities), assignment, tuple(results))


def resolved_mentions(folded: FoldedCorpus) -> list[Mention]:
    """Every mention with its corpus entity id and canonical name."""
    out = []
    for di, r in enumerate(folded.results):
        for mi, m in enumerate(r.mentions):
            e = folded.entities[folded.assignment[(di, r.clusters[mi])]]
            out.append(Mention(m.doc, m.start, m.end, m.text, e.type, m.source, e.id, e.canonical))
    return out
