"""Surface variants of names that Indonesian news writes beside the name itself, folded inside
one document (stages of :data:`quotex.pipeline.STAGES`):

* ``fold_state_prefixes``: a country written with its form of state (``Negara Israel``,
  ``Kerajaan Arab Saudi``, ``Negara Kesatuan Republik Indonesia``) is the country;
* ``fold_outlet_domains``: a news site written as its web address (``CNNIndonesia.com``,
  ``KOMPAS.com``) is the outlet the article names (``CNN Indonesia``, ``Kompas``);
* ``fold_country_stems``: ``Korea`` alone, in an article that names one of the two Koreas;
* ``type_admin_places``: ``Kecamatan Paloh`` typed PERSON by the model is a place;
* ``fold_admin_places``: ``Kota Tegal`` / ``Kabupaten Sambas`` / ``Provinsi X`` is the place
  ``X`` of the article, unless the article also names another administrative unit ``X``
  (``Kota Bogor`` and ``Kabupaten Bogor`` are two places);
* ``fold_source_typos``: a name the writer mistyped once (``Gerinda`` beside ``Gerindra``,
  ``Kores Selatan`` beside ``Korea Selatan``) is the name it is one edit away from.

The word lists are in ``data/folding.yaml`` (``state_forms``, ``country_stems``,
``web_domains``, ``admin_places``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import DamerauLevenshtein

from .aliases import fold_key
from .datafiles import load_yaml
from .errors import ConfigError
from .names import family_conflict, load_folding, spelling_key
from .pipeline import Candidate, Candidates, Defined, DocContext, _covering, _with_occurrences, load_calendar
from .resources import data_file

TYPO_MIN_LETTERS = 6  # shorter names are too often two real names one letter apart (Rahma / Rahmi)


@dataclass(frozen=True)
class VariantWords:
    """The lists of ``data/folding.yaml`` that this module reads (lower-case)."""

    state_forms: tuple[tuple[str, ...], ...]  # longest first
    country_stems: frozenset[str]
    stem_blockers: frozenset[str]  # words before the stem that make it a region or a longer name
    web_domains: tuple[tuple[str, ...], ...]  # as tokens ("co", "id"), longest first
    admin_places: dict[str, tuple[tuple[str, ...], ...]]  # unit -> words written before the place's name
    keyboard_rows: tuple[str, ...]  # for typing slips: keys next to each other


def load_variant_words() -> VariantWords:
    """The lists in effect (``data/folding.yaml`` or the ``--data`` overlay's)."""
    return read_variant_words(data_file("folding.yaml"))


@lru_cache(maxsize=8)
def read_variant_words(p: Path) -> VariantWords:
    """Read and check the variant lists of one ``folding.yaml``."""
    raw = load_yaml(p)
    keys = ("state_forms", "country_stems", "country_stem_blockers", "web_domains", "keyboard_rows")
    if not isinstance(raw, dict) or any(not isinstance(raw.get(k), list) for k in keys) or not isinstance(raw.get("admin_places"), dict):
        raise ConfigError("needs the lists " + ", ".join(keys) + " and the mapping admin_places", path=str(p))

    def phrases(xs: list) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted({tuple(str(x).casefold().split()) for x in xs if str(x).strip()}, key=lambda t: -len(t)))

    admin = raw["admin_places"]
    if any(not isinstance(v, list) for v in admin.values()):
        raise ConfigError("admin_places: each unit needs a list of words", path=str(p))
    domains = tuple(sorted({tuple(str(d).casefold().strip(".").split(".")) for d in raw["web_domains"] if str(d).strip(".")}, key=lambda t: -len(t)))
    return VariantWords(phrases(raw["state_forms"]), frozenset(str(w).casefold() for w in raw["country_stems"]),
                        frozenset(str(w).casefold() for w in raw["country_stem_blockers"]), domains,
                        {str(k).casefold(): phrases(v) for k, v in admin.items()}, tuple(str(r).casefold() for r in raw["keyboard_rows"]))


def _letters(s: str) -> str:
    return "".join(c for c in fold_key(s) if c.isalnum())


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


# --- rule: forms of state before a country ----------------------------------------------------


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
                if a >= 0 and tuple(words[a : m.first]) == f and all(_is_cap(t.text) for t in toks[a : m.first]) \
                        and not taken[m.sent] & set(range(a, m.first)):
                    m = replace(m, start=toks[a].start, first=a)
                    break
        out.append(m)
    return Candidates(tuple(out))


def type_admin_places(ctx: DocContext, c: Candidates) -> Candidates:
    """A model name the model typed PERSON that starts with a word for an administrative unit or
    a place (``place_forms`` in ``data/folding.yaml``: ``Kecamatan Paloh``, ``Desa Tanah
    Hitam``, ``Pulau Seribu``) is a place: no personal name starts with one."""
    forms = load_folding().place_forms
    out = []
    for m in c.items:
        if m.source == "ner" and m.table is None and m.type == "PERSON" and m.last - m.first >= 2:
            w = fold_key(ctx.surface(m)).split()
            if len(w) >= 2 and w[0] in forms:
                m = replace(m, type="LOC")
        out.append(m)
    return Candidates(tuple(out))


# --- rule: outlets written as their web address ----------------------------------------------


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
            orgs.setdefault(_letters(ctx.surface(m)), m)
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
            key = _letters(toks[k].text)
            target = orgs.get(key)
            if target is None and k >= 2 and toks[k - 1].text == "(" and _letters(toks[k - 2].text) == key \
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


# --- rule: a country's stem alone -----------------------------------------------------------


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
        uses = [(sent.tokens, k) for sent in ctx.p.sentences for k, t in enumerate(sent.tokens) if fold_key(t.text) == stem and _is_cap(t.text)
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


# --- rule: Kota X / Kabupaten X / Provinsi X ------------------------------------------------


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
                    if tuple(words[k : k + len(ph)]) == ph and k + len(ph) < len(words) and _is_cap(sent.tokens[k + len(ph)].text):
                        j = k + len(ph)
                        e = j
                        while e < len(words) and _is_cap(sent.tokens[e].text) and e < j + 3:
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


# --- rule: source typos ---------------------------------------------------------------------


def _adjacent_keys(rows: Sequence[str]) -> frozenset[tuple[str, str]]:
    """Pairs of keys next to each other on the keyboard (same row, or the row below, staggered)."""
    pairs = set()
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            near = [row[c + 1]] if c + 1 < len(row) else []
            if r + 1 < len(rows):
                near += [rows[r + 1][x] for x in (c - 1, c) if 0 <= x < len(rows[r + 1])]
            for n in near:
                pairs.update({(ch, n), (n, ch)})
    return frozenset(pairs)


def _inside(s: str, i: int) -> bool:
    """Is position ``i`` of ``s`` neither the first nor the last letter of a word?"""
    return 0 < i < len(s) - 1 and s[i - 1] != " " and s[i + 1] != " "


def _typing_slip(a: str, b: str, keys: frozenset[tuple[str, str]], *, substitution: bool = True) -> bool:
    """Is ``a`` the name ``b`` with one typing slip (and not another word or name)? Two adjacent
    letters swapped; a letter left out or added inside a word (a letter added or dropped at a
    word's start or end is an affix or another name: Persib / Persiba, India / Indian); with
    ``substitution``, a letter changed into its neighbour on the keyboard (Korea / Kores,
    Danau / Danai; Santoso / Santosa and Persija / Persiba are other names)."""
    if a == b or DamerauLevenshtein.distance(a, b, score_cutoff=1) > 1:
        return False
    if len(a) != len(b):
        long, short = (a, b) if len(a) > len(b) else (b, a)
        return any(long[:i] + long[i + 1 :] == short and _inside(long, i) for i in range(len(long)))
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 2:
        return True  # two adjacent letters swapped (Damerau-Levenshtein 1)
    return substitution and (a[diff[0]], b[diff[0]]) in keys


def _count(text: str, form: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text))


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
    calendar = load_calendar()
    keys = _adjacent_keys(load_variant_words().keyboard_rows)
    # names to fold into: (folded name, entity key, a mention of it, how often it is written)
    targets: list[tuple[str, str, Candidate, int]] = []
    per_table: Counter[str] = Counter(m.table.id for m in ms if m.table is not None)
    seen: set[tuple[str, str]] = set()
    for m in ms:
        if m.source == "role":
            continue
        form = ctx.surface(m)
        ekey = f"id:{m.table.id}" if m.table is not None else f"{m.type}:{spelling_key(form) if m.type == 'PERSON' else fold_key(form)}"
        names: list[tuple[str, int]] = [(form, per_table[m.table.id] if m.table is not None else _count(text, form))]
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
        if len(_letters(form)) < TYPO_MIN_LETTERS or form in defs or ctx.table.lookup(form) is not None:
            return None
        nw = len(k.split())
        n_form = _count(text, form)
        hits: dict[str, Candidate] = {}
        for name, ekey, m, n in targets:
            if ekey.startswith("PERSON:") or len(name.split()) != nw or n <= n_form:
                continue
            if _typing_slip(k, name, keys):
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
                    if len(w) >= TYPO_MIN_LETTERS - 1 and _typing_slip(sk, w, keys, substitution=False) and word_uses[w] > n_form:
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
        if len(k.split()) != 1 or len(_letters(form)) < TYPO_MIN_LETTERS or ctx.table.lookup(form) is not None or _count(text, form) != 1:
            continue
        fits = {e.id: e for e in ctx.table.entries.values() if e.type == "COUNTRY"
                for a in (e.canonical, *e.aliases) if len(fold_key(a).split()) == 1 and _typing_slip(k, fold_key(a), keys)}
        if len(fits) == 1:
            ms[i] = replace(m, table=next(iter(fits.values())), type="COUNTRY")
            retyped = True
    if not new and not retyped:
        return d
    for form, target in new.items():
        defs.setdefault(form, target)
    return Defined(_with_occurrences(ctx, ms, defs), defs)
