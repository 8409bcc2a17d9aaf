"""Score quotex on the IndoSum development gold (statements and entity folding).

    python -m quotex.evaluate statements --gold ../shared/data/news/indosum/gold [--texts DIR] [-v]
    python -m quotex.evaluate entities   --gold ../shared/data/news/indosum/gold [--texts DIR] [-v]

The gold folder holds ``statements.jsonl`` and ``entities.json`` (see its README.md); the
article texts default to the gold folder's parent, and ``splits.tsv`` is read from there
too. Only the articles the gold covers are analysed, and an article whose split is
``heldout`` is never read: it is named on stderr and left out.

Conventions (the gold README's):

* a predicted statement matches a gold one when it covers at least half of the gold span;
  each gold span counts once (the prediction that covers most of it); a gold ``full`` or
  ``partial`` quote is found only by a predicted ``full`` or ``partial`` quote, a ``scare``
  or ``title`` one by any quoted span (right when it has no speaker);
* speakers match when the predicted canonical name or the name as written shares a name
  word of 3+ letters with the gold speaker (title words from ``data/titles.txt`` and
  lower-case words do not count; a speaker without such a word, ``AS``, must be written
  the same);
* attributed precision counts every predicted direct quote with a speaker in these
  documents; recall counts the gold ``full`` and ``partial`` quotes with a speaker;
  indirect statements are scored the same way among themselves;
* an entity group is folded when one reported entity holds every variant (a mention
  with that exact text in one of the group's documents) with the gold type; an apart
  pair is merged when one reported entity holds forms of both names.

Exit codes: 0 scored; 1 bad gold folder, missing text or bad option; 3 NER model missing or corrupt.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DIRECT_KINDS = ("full", "partial")
NO_SPEAKER_KINDS = ("scare", "title")
KIND_ORDER = ("full", "partial", "scare", "title", "indirect")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


class GoldError(Exception):
    """The gold folder, a text or an option is unusable (one line for the user)."""


# --- data -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement span, gold or predicted. ``speaker_forms``: the names that can match
    (gold: the speaker; predicted: canonical name and the name as written)."""

    doc: str
    start: int
    end: int
    kind: str
    speaker_forms: tuple[str, ...] = ()
    text: str = ""

    @property
    def speaker(self) -> str | None:
        """The first speaker form, or None."""
        return self.speaker_forms[0] if self.speaker_forms else None


@dataclass(frozen=True, slots=True)
class GoldGroup:
    """One real-world entity of the gold: canonical name, type, surface variants, documents."""

    canonical: str
    type: str
    variants: tuple[str, ...]
    docs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PredEntity:
    """A reported entity: id, canonical name, type and, per document, the texts of its mentions."""

    id: str
    canonical: str
    type: str
    forms: dict[str, frozenset[str]]  # doc -> mention texts

    def holds(self, form: str, docs: Iterable[str] | None = None) -> bool:
        """Does a mention of this entity read ``form`` (in one of ``docs``, or anywhere)?"""
        if docs is None:
            return any(form in f for f in self.forms.values())
        return any(form in self.forms.get(d, ()) for d in docs)


@dataclass(frozen=True, slots=True)
class KindRow:
    """Scores for one kind of statement."""

    kind: str
    gold: int
    found: int
    exact: int
    speaker: int  # found with the right speaker (scare/title: found with no speaker)
    predicted: int | None = None  # predictions with a speaker (attributed rows only)
    correct: int | None = None  # of those, right statement and speaker

    @property
    def precision(self) -> float | None:
        """Attributed precision (None for rows without one)."""
        if self.predicted is None or self.correct is None:
            return None
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float | None:
        """Attributed recall: gold statements found with the right speaker."""
        if self.predicted is None:
            return None
        return self.speaker / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float | None:
        """Harmonic mean of attributed precision and recall."""
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain dict with the derived scores."""
        d = asdict(self)
        d.update(precision=self.precision, recall=self.recall, f1=self.f1)
        return d


@dataclass
class StatementScores:
    """Per-kind rows, the attributed direct/indirect rows and every error."""

    rows: list[KindRow]
    errors: list[str] = field(default_factory=list)

    def row(self, kind: str) -> KindRow:
        """The row of one kind; ``direct`` = full + partial, with attributed P/R/F1 (as ``indirect``)."""
        return next(r for r in self.rows if r.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for ``--json``."""
        return {"rows": [r.to_dict() for r in self.rows], "errors": self.errors}


@dataclass
class EntityScores:
    """Groups folded and typed right, apart pairs merged, and every error."""

    groups: int
    folded: int
    pairs: int
    merged: int
    errors: list[str] = field(default_factory=list)

    @property
    def folded_rate(self) -> float:
        """Share of gold groups folded whole with the gold type."""
        return self.folded / self.groups if self.groups else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for ``--json``."""
        return {"groups": self.groups, "folded": self.folded, "folded_rate": self.folded_rate,
                "apart_pairs": self.pairs, "merged": self.merged, "errors": self.errors}


# --- speaker names ----------------------------------------------------------------------


def _titles() -> frozenset[str]:
    from .pipeline import load_titles

    return load_titles()


def name_words(name: str | None, titles: frozenset[str] | None = None) -> set[str]:
    """The name words of a speaker: 3+ letters, not all lower-case (aCommerce counts), not a title word."""
    if not name:
        return set()
    titles = _titles() if titles is None else titles
    out = set()
    for w in _WORD_RE.findall(name):
        if len(w) >= 3 and not w.islower() and w.casefold() not in titles:
            out.add(w.casefold())
    return out


def speakers_match(gold: str | None, predicted: Sequence[str], titles: frozenset[str] | None = None) -> bool:
    """The gold convention: some predicted form shares a name word with the gold speaker (a
    name with no such word, such as ``AS``, must be written the same, ignoring case)."""
    if not gold:
        return False
    g = name_words(gold, titles)
    if g:
        return any(g & name_words(p, titles) for p in predicted)
    from .aliases import fold_key

    return any(fold_key(p) == fold_key(gold) for p in predicted)


# --- statements -------------------------------------------------------------------------


def _best_match(g: Statement, preds: Sequence[Statement]) -> Statement | None:
    """The prediction that covers most of ``g``, if it covers at least half of it."""
    best, best_ov = None, 0
    need = (g.end - g.start) / 2
    for p in preds:
        ov = min(g.end, p.end) - max(g.start, p.start)
        if ov > best_ov and ov >= need:
            best, best_ov = p, ov
    return best


def _show(s: Statement, width: int = 70) -> str:
    t = " ".join(s.text.split())
    t = t if len(t) <= width else t[: width - 1] + "…"
    return f"{s.doc[:40]}:{s.start}-{s.end} «{t}»"


def score_statements(gold: Sequence[Statement], predicted: Sequence[Statement], *,
                     titles: frozenset[str] | None = None) -> StatementScores:
    """Score predicted statements against the gold, per kind (see the module doc)."""
    titles = _titles() if titles is None else titles
    by_doc: dict[tuple[str, bool], list[Statement]] = defaultdict(list)
    for p in predicted:
        by_doc[(p.doc, p.kind == "indirect")].append(p)
    errors: list[str] = []
    rows: list[KindRow] = []
    right_preds: dict[bool, set[int]] = {False: set(), True: set()}  # ids of predictions that scored
    totals = {False: [0, 0, 0, 0], True: [0, 0, 0, 0]}  # gold, found, exact, speaker (attributed kinds)
    for kind in KIND_ORDER:
        gs = [g for g in gold if g.kind == kind]
        indirect = kind == "indirect"
        n_found = n_exact = n_speaker = 0
        for g in gs:
            cands = by_doc.get((g.doc, indirect), ())
            if kind in DIRECT_KINDS:  # a quotation that quotex calls a scare quote or title is not found as one
                cands = [p for p in cands if p.kind in DIRECT_KINDS]
            m = _best_match(g, cands)
            if m is None:
                errors.append(f"{kind}: missed {_show(g)} (gold speaker {g.speaker})")
                ok = False
            else:
                n_found += 1
                if (m.start, m.end) == (g.start, g.end):
                    n_exact += 1
                else:
                    errors.append(f"{kind}: boundary {m.start}-{m.end} for gold {_show(g)}")
                if kind in NO_SPEAKER_KINDS:
                    ok = m.speaker is None
                    if not ok:
                        errors.append(f"{kind}: speaker {m.speaker!r} given to a {kind} quote {_show(g)}")
                else:
                    ok = speakers_match(g.speaker, m.speaker_forms, titles)
                    if ok:
                        right_preds[indirect].add(id(m))
                    else:
                        errors.append(f"{kind}: speaker {' / '.join(m.speaker_forms) or None!r}, gold {g.speaker!r}: {_show(g)}")
            n_speaker += ok
        if kind in DIRECT_KINDS or indirect:
            t = totals[indirect]
            for k, v in enumerate((len(gs), n_found, n_exact, n_speaker)):
                t[k] += v
        rows.append(KindRow(kind, len(gs), n_found, n_exact, n_speaker))
    gold_spans = {(g.doc, g.start, g.end) for g in gold}
    for indirect, label in ((False, "direct"), (True, "indirect")):
        preds = [p for p in predicted if (p.kind == "indirect") == indirect and p.speaker is not None]
        correct = sum(1 for p in preds if id(p) in right_preds[indirect])
        for p in preds:
            if id(p) not in right_preds[indirect] and (p.doc, p.start, p.end) not in gold_spans:
                if not any(g.doc == p.doc and _best_match(g, [p]) is p for g in gold if (g.kind == "indirect") == indirect):
                    errors.append(f"{label}: spurious {_show(p)} (speaker {p.speaker!r})")
        g_, f_, e_, s_ = totals[indirect]
        row = KindRow(label, g_, f_, e_, s_, len(preds), correct)
        if indirect:  # the indirect row itself carries its attributed scores
            rows = [row if r.kind == "indirect" else r for r in rows]
        else:
            rows.append(row)
    return StatementScores(rows, errors)


# --- entities ---------------------------------------------------------------------------


def score_entities(groups: Sequence[GoldGroup], apart: Sequence[tuple[str, str]], entities: Sequence[PredEntity]) -> EntityScores:
    """Groups folded whole with the gold type; apart pairs held by one entity (see the module doc)."""
    errors: list[str] = []
    holders: dict[tuple[str, str], list[PredEntity]] = defaultdict(list)  # (doc, form) -> entities
    for e in entities:
        for d, forms in e.forms.items():
            for f in forms:
                holders[(d, f)].append(e)
    folded = 0
    for g in groups:
        per_variant: dict[str, set[str]] = {}
        by_id: dict[str, PredEntity] = {}
        for v in g.variants:
            ids = set()
            for d in g.docs:
                for e in holders.get((d, v), ()):
                    ids.add(e.id)
                    by_id[e.id] = e
            per_variant[v] = ids
        common = set.intersection(*per_variant.values()) if per_variant else set()
        typed = [i for i in sorted(common) if by_id[i].type == g.type]
        if typed:
            folded += 1
            continue
        missing = [v for v, ids in per_variant.items() if not ids]
        if common:
            why = "type " + "/".join(sorted({by_id[i].type for i in common})) + f", gold {g.type}"
        elif missing and len(missing) == len(per_variant):
            why = "no mention found"
        else:
            parts = []
            for v, ids in per_variant.items():
                parts.append(f"{v!r}->" + ("-" if not ids else ",".join(f"{i}({by_id[i].type})" for i in sorted(ids))))
            why = "split: " + "; ".join(parts)
        errors.append(f"group {g.canonical!r} ({g.type}, {len(g.docs)} doc(s)): {why}")
    canon = {g.canonical: g for g in groups}
    merged = 0
    for a, b in apart:
        fa = set(canon[a].variants) if a in canon else {a}
        fb = set(canon[b].variants) if b in canon else {b}
        fa, fb = fa - fb, fb - fa
        hit = [e for e in entities if any(e.holds(f) for f in fa) and any(e.holds(f) for f in fb)]
        if hit:
            merged += 1
            errors.append(f"apart pair merged: {a!r} / {b!r} in " + ", ".join(f"{e.id} ({e.canonical})" for e in hit))
    return EntityScores(len(groups), folded, len(apart), merged, errors)


# --- gold and predictions ---------------------------------------------------------------


@dataclass
class Gold:
    """The gold folder: statements, entity groups, apart pairs, and which documents to read."""

    statements: list[Statement]
    groups: list[GoldGroup]
    apart: list[tuple[str, str]]
    docs: list[str]
    skipped: list[str]


def read_splits(path: Path) -> dict[str, str]:
    """file -> split from ``splits.tsv``."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 2:
            out[parts[0].strip()] = parts[1].strip()
    return out


def load_gold(gold_dir: Path, splits: Path | None = None) -> Gold:
    """Read the gold folder; documents marked ``heldout`` are left out (and listed in ``skipped``)."""
    st_path, ent_path = gold_dir / "statements.jsonl", gold_dir / "entities.json"
    if not st_path.is_file() or not ent_path.is_file():
        raise GoldError(f"{gold_dir} has no statements.jsonl and entities.json: pass the gold folder with --gold")
    splits = splits or gold_dir.parent / "splits.tsv"
    if not splits.is_file():
        raise GoldError(f"no {splits}: it is needed to make sure no held-out article is read (pass --splits FILE)")
    split_of = read_splits(splits)
    try:
        raw_st = [json.loads(line) for line in st_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        ent = json.loads(ent_path.read_text(encoding="utf-8"))
        statements = [Statement(s["doc"], int(s["start"]), int(s["end"]), s["kind"],
                                (s["speaker"],) if s.get("speaker") else (), s.get("text", "")) for s in raw_st]
        groups = [GoldGroup(g["canonical"], g["type"], tuple(g["variants"]), tuple(g["docs"])) for g in ent["groups"]]
        apart = [(a, b) for a, b in ent.get("apart", [])]
    except (ValueError, KeyError, TypeError) as e:
        raise GoldError(f"{gold_dir}: unreadable gold ({type(e).__name__}: {e})") from None
    docs = sorted({s.doc for s in statements} | {d for g in groups for d in g.docs})
    skipped = [d for d in docs if split_of.get(d) == "heldout"]
    if skipped:
        bad = set(skipped)
        docs = [d for d in docs if d not in bad]
        statements = [s for s in statements if s.doc not in bad]
        groups = [GoldGroup(g.canonical, g.type, g.variants, tuple(d for d in g.docs if d not in bad)) for g in groups]
        groups = [g for g in groups if g.docs]
    return Gold(statements, groups, apart, docs, skipped)


def _doc_name(doc_id: str) -> str:
    return Path(doc_id).name


def run_quotex(texts: Path, docs: Sequence[str], *, no_ner: bool = False, cache: bool = True,
               aliases: Sequence[str] = (), indirect: bool = True) -> Any:
    """Analyse exactly ``docs`` (file names under ``texts``) with the public API; the corpus."""
    from . import analyze

    paths = []
    for d in docs:
        p = texts / d
        if not p.is_file():
            raise GoldError(f"{p}: text not found (pass the articles' folder with --texts)")
        paths.append(str(p))
    kwargs: dict[str, Any] = {"aliases": list(aliases), "cache": cache}
    if no_ner:
        kwargs["tagger"] = None
    if indirect and "include_indirect" in inspect.signature(analyze).parameters:
        kwargs["include_indirect"] = True
    return analyze(paths, **kwargs)


def predicted_statements(corpus: Any) -> list[Statement]:
    """Every quote (and reported statement, where the API gives them) of the corpus."""
    out = []
    for q in corpus.all_quotes():
        forms = tuple(dict.fromkeys(f for f in (q.speaker, q.speaker_mention) if f)) if q.speaker or q.speaker_id else ()
        out.append(Statement(_doc_name(q.doc), q.start, q.end, q.kind, forms, q.text))
    return out


def predicted_entities(corpus: Any) -> list[PredEntity]:
    """Every reported entity with its mention texts per document."""
    ents = {e.id: e for e in corpus.entities()}
    forms: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for m in corpus.mentions():
        forms[m.entity_id][_doc_name(m.doc)].add(m.text)
    return [PredEntity(eid, e.canonical, e.type, {d: frozenset(s) for d, s in forms[eid].items()}) for eid, e in ents.items()]


# --- output -----------------------------------------------------------------------------


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else f"{a}/0"


def format_statements(s: StatementScores, indirect_available: bool) -> str:
    """The statements table as plain text."""
    lines = [f"{'kind':<9} {'gold':>5} {'found':>16} {'exact boundary':>16} {'right speaker':>16}   attributed P / R / F1"]
    for r in s.rows:
        spk = _pct(r.speaker, r.gold) if r.kind not in NO_SPEAKER_KINDS else _pct(r.speaker, r.gold) + "*"
        prf = ""
        if r.f1 is not None:
            prf = f"{r.precision:.3f} / {r.recall:.3f} / {r.f1:.3f}  ({r.correct}/{r.predicted} predicted)"
        lines.append(f"{r.kind:<9} {r.gold:>5} {_pct(r.found, r.gold):>16} {_pct(r.exact, r.gold):>16} {spk:>16}   {prf}")
    lines.append("* scare/title: found with no speaker. direct = full + partial; precision over every predicted direct quote with a speaker.")
    if not indirect_available:
        lines.append("indirect: this quotex has no include_indirect switch, so reported speech scores 0.")
    return "\n".join(lines)


def format_entities(s: EntityScores) -> str:
    """The entity summary as plain text."""
    return (f"entity groups folded and typed right: {_pct(s.folded, s.groups)}\n"
            f"apart pairs merged: {s.merged}/{s.pairs}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point (``python -m quotex.evaluate``)."""
    ap = argparse.ArgumentParser(prog="python -m quotex.evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=("statements", "entities"))
    ap.add_argument("--gold", required=True, type=Path, help="gold folder (statements.jsonl, entities.json)")
    ap.add_argument("--texts", type=Path, help="folder of the articles (default: the gold folder's parent)")
    ap.add_argument("--splits", type=Path, help="splits.tsv (default: in the gold folder's parent)")
    ap.add_argument("--aliases", action="append", default=[], help="extra alias table (repeatable)")
    ap.add_argument("--no-ner", action="store_true", help="alias table and in-text definitions only")
    ap.add_argument("--no-cache", action="store_true", help="do not read or write the analysis cache")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = ap.parse_args(argv)
    try:
        gold = load_gold(args.gold, args.splits)
        for d in gold.skipped:
            print(f"skipped {d}: split is heldout (never read)", file=sys.stderr)
        texts = args.texts or args.gold.parent
        from . import analyze

        indirect_available = "include_indirect" in inspect.signature(analyze).parameters
        corpus = run_quotex(texts, gold.docs, no_ner=args.no_ner, cache=not args.no_cache, aliases=args.aliases)
    except GoldError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # a QuotexError (bad alias table, missing model) is one line too
        from .errors import QuotexError

        if isinstance(e, QuotexError):
            print(f"Error: {e}", file=sys.stderr)
            return e.exit_code
        raise
    if args.what == "statements":
        ss = score_statements(gold.statements, predicted_statements(corpus))
        out = json.dumps(ss.to_dict(), ensure_ascii=False, indent=1) if args.json else format_statements(ss, indirect_available)
        errors = ss.errors
    else:
        es = score_entities(gold.groups, gold.apart, predicted_entities(corpus))
        out = json.dumps(es.to_dict(), ensure_ascii=False, indent=1) if args.json else format_entities(es)
        errors = es.errors
    print(f"{len(gold.docs)} documents scored", file=sys.stderr, flush=True)
    print(out)
    if args.verbose and not args.json:
        for e in errors:
            print(e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
