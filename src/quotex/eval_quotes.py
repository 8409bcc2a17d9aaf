"""Evaluate the quote finder on PFSA-ID (evaluation only: the corpus is CC BY-NC-SA and never shipped).

    python -m quotex.eval_quotes --data ../shared/data/statements/pfsa_id --split dev

The .bio files hold token<TAB>BIO-tag lines, units separated by blank lines; each article
starts at its ISSUE lead. Articles are rebuilt as plain text (one unit per paragraph,
punctuation and quote marks attached), then quotex's quote finder runs on them.

Scores:
  recall      a gold STATEMENT is found when one predicted quotation covers >= 50% of its
              characters (quote marks and spaces stripped)
  boundary    found statements whose predicted span is exactly the gold span
  speaker     found statements whose predicted speaker matches the gold speaker name
              (normalised; any shared name token of 3+ letters, i.e. surname match).
              Gold speaker: the PERSON in the statement's unit (the nearest one), else a
              name or title PERSONCOREF of the unit ("kata Teguh", "ujar Presiden"; with the
              full name the article gave it earlier), else the latest PERSON or name/title
              PERSONCOREF before it in the article (katanya / quote-only paragraphs).
              Articles start at a dateline ("JAKARTA, KOMPAS —") or at an ISSUE unit.
  precision   information only: PFSA-ID labels public figures' statements only, so quotations
              of ordinary people count as false positives.

Mentions given to the finder (``--mentions``):
  pipeline  quotex.pipeline (NER model + alias table); if the model is not installed, the
            alias table alone (said so in the output)
  none      no mentions: speakers are read from the text (capitalised names after cues)
  gold      oracle: the gold PERSON spans and name PERSONCOREF spans ("Teguh") as PERSON
            mentions (speaker attribution in isolation)
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from quotex.models import Mention
from quotex.quotes import find_quotes, load_lexicon

_QUOTE_TOKENS = set("“”\"«»„‘’'")
_NO_SPACE_BEFORE = set(",.;:!?)]}%…")
_NO_SPACE_AFTER = set("([{")
_PRONOUNS = {"dia", "ia", "beliau", "mereka", "dirinya", "nya"}


@dataclass
class GoldStatement:
    start: int  # inside the marks, stripped
    end: int
    speaker: str | None


@dataclass
class Article:
    id: str
    text: str
    statements: list[GoldStatement] = field(default_factory=list)
    persons: list[tuple[int, int]] = field(default_factory=list)
    corefs: list[tuple[int, int]] = field(default_factory=list)  # name PERSONCOREFs (not pronouns/titles)


def read_units(path: Path) -> list[list[tuple[str, str]]]:
    """Units (lists of (token, tag)) from a .bio file."""
    units: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    units.append(cur)
                    cur = []
                continue
            tok, _, tag = line.partition("\t")
            cur.append((tok, tag or "O"))
    if cur:
        units.append(cur)
    return units


def _spans(tags: list[str], label: str) -> list[tuple[int, int]]:
    out = []
    i = 0
    while i < len(tags):
        if tags[i] == "B-" + label:
            j = i + 1
            while j < len(tags) and tags[j] == "I-" + label:
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def _strip_marks(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in _QUOTE_TOKENS):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in _QUOTE_TOKENS):
        b -= 1
    return a, b


def build_articles(units: list[list[tuple[str, str]]]) -> list[Article]:
    """Group units into articles (a new one at each dateline or ISSUE) and detokenise them."""
    groups: list[list[list[tuple[str, str]]]] = []
    has_issue: list[bool] = []
    for u in units:
        issue = any(t == "B-ISSUE" for _, t in u)
        # a dateline ("JAKARTA, KOMPAS —") always starts an article; an ISSUE starts one unless
        # the article begun by a dateline has not had its ISSUE yet (ISSUE in its 2nd paragraph)
        if not groups or _is_dateline(u) or (issue and has_issue[-1]):
            groups.append([])
            has_issue.append(False)
        groups[-1].append(u)
        has_issue[-1] = has_issue[-1] or issue
    arts = []
    for ai, g in enumerate(groups):
        parts: list[str] = []
        pos = 0
        art = Article(f"pfsa{ai:04d}", "")
        refs: list[tuple[int, int, str, bool]] = []  # (start, end, text, is PERSON) in text order
        for u in g:
            toks = [t for t, _ in u]
            tags = [t for _, t in u]
            stmts = _spans(tags, "STATEMENT")
            opening = {a for a, b in stmts if toks[a] in _QUOTE_TOKENS}
            closing = {b - 1 for a, b in stmts if toks[b - 1] in _QUOTE_TOKENS}
            starts: list[int] = []
            ends: list[int] = []
            line = ""
            in_q = False
            glue_next = True
            for i, tok in enumerate(toks):
                is_q = tok in _QUOTE_TOKENS
                if is_q:
                    if i in opening:
                        role = "open"
                    elif i in closing:
                        role = "close"
                    else:
                        role = "close" if in_q else "open"
                    in_q = role == "open"
                    glue = glue_next or role == "close"
                    glue_next = role == "open"
                else:
                    glue = glue_next or tok[:1] in _NO_SPACE_BEFORE and len(tok) <= 2
                    if tok in ("-", "/") and i > 0 and toks[i - 1][-1:].isalnum() and i + 1 < len(toks) and toks[i + 1][:1].isalnum():
                        glue = True
                        glue_next = True
                    else:
                        glue_next = tok in _NO_SPACE_AFTER
                if line and not glue:
                    line += " "
                starts.append(pos + len(line))
                line += tok
                ends.append(pos + len(line))
            spans = []
            for a, b in stmts:
                s, e = _strip_marks(line, starts[a] - pos, ends[b - 1] - pos)
                spans.append((pos + s, pos + e))
            persons = [(starts[a], ends[b - 1]) for a, b in _spans(tags, "PERSON") if toks[a] not in _QUOTE_TOKENS and b - a <= 8]
            corefs = [
                (starts[a], ends[b - 1], " ".join(toks[a:b]))
                for a, b in _spans(tags, "PERSONCOREF")
                if " ".join(toks[a:b]).lower() not in _PRONOUNS
            ]
            parts.append(line)
            pos += len(line) + 1
            text = "\n".join(parts)
            unit_refs = sorted(
                [(a, b, text[a:b], True) for a, b in persons] + [(a, b, t, False) for a, b, t in corefs]
            )
            art.persons.extend(persons)
            art.corefs.extend((a, b) for a, b, t in corefs if not _is_title(t))
            for s, e in spans:
                art.statements.append(GoldStatement(s, e, _gold_speaker(text, s, e, unit_refs, refs)))
            refs.extend(unit_refs)
        art.text = "\n".join(parts) + "\n"
        arts.append(art)
    return arts


def _is_dateline(u: list[tuple[str, str]]) -> bool:
    head = " ".join(t for t, _ in u[:10])
    return re.match(r"[A-Z][A-Z .()]*\s*,\s*KOMPAS\b", head) is not None


def _is_title(t: str) -> bool:
    """A role title or description used as a reference ("Presiden", "Panglima TNI", "politisi dari PDI-P")."""
    return not _name_tokens(t)


def _resolve_ref(text: str, ref: tuple[int, int, str, bool], refs_before: list[tuple[int, int, str, bool]]) -> str:
    """A PERSONCOREF (surname, first name, bare title) with the full name the article gave it earlier."""
    a, b, t, is_person = ref
    if is_person:
        return text[a:b]
    if _is_title(t):
        m = None
        for m in re.finditer(re.escape(t) + r"\s+((?:[A-Z][\w’'-]*\s?){1,4})", text[:a]):
            pass
        return t + (" | " + m.group(1).strip() if m else "")
    toks = _name_tokens(t)
    for ra, rb, rt, rp in reversed(refs_before):
        if rp and toks & _name_tokens(rt):
            return t + " | " + rt
    return t


def _gold_speaker(text: str, s: int, e: int, unit_refs, refs_before) -> str | None:
    """The PERSON of the statement's unit (nearest), else a name/title PERSONCOREF of the unit
    (nearest; with the full name given earlier), else the latest PERSON or PERSONCOREF before it."""
    def dist(r: tuple[int, int, str, bool]) -> int:
        return min(abs(r[0] - e), abs(s - r[1]))

    own = [r for r in unit_refs if r[3]] or [r for r in unit_refs if not r[3]]
    if own:
        return _resolve_ref(text, min(own, key=dist), refs_before)
    before = [r for r in refs_before + unit_refs if r[1] <= s]
    if before:
        return _resolve_ref(text, before[-1], [r for r in refs_before if r[1] <= before[-1][0]])
    return None


_ROLES: tuple[str, ...] | None = None
_NAME_TOKEN_RE = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)*")


def _roles() -> tuple[str, ...]:
    global _ROLES
    if _ROLES is None:
        _ROLES = tuple(sorted(load_lexicon().roles, key=len, reverse=True))
    return _ROLES


def _strip_roles(low: str) -> str:
    """Remove whole role phrases ("jaksa agung", "presiden"), keeping names that share a word
    with a longer role (Agung)."""
    for r in _roles():
        if r in low:
            low = re.sub(r"(?<!\w)" + re.escape(r) + r"(?!\w)", " ", low)
    return low


def _name_tokens(name: str | None) -> set[str]:
    if not name:
        return set()
    toks = _NAME_TOKEN_RE.findall(_strip_roles(name.lower()))
    return {t.replace("’", "'") for t in toks if len(t) >= 3}


def _tok_match(g: set[str], p: set[str]) -> bool:
    return any(a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))) for a in g for b in p)


def speaker_match(gold: str | None, predicted: list[str]) -> bool:
    """Normalised name match: a shared name token (surname match; Risma ~ Rismaharini).

    A gold speaker "Presiden | Joko Widodo" (a bare title and the name the article gave it)
    accepts either; a bare title is compared with title words included.
    """
    if not gold:
        return False
    for alt in gold.split(" | "):
        g = _name_tokens(alt)
        if g and any(_tok_match(g, _name_tokens(p)) for p in predicted):
            return True
        if not g:
            raw = set(re.findall(r"[^\W\d_]+", alt.lower()))
            if raw and any(raw <= set(re.findall(r"[^\W\d_]+", (p or "").lower())) for p in predicted):
                return True
    return False


def _pipeline_runner() -> tuple[object, str]:
    from quotex import pipeline
    from quotex.errors import QuotexError

    try:
        tagger = pipeline.default_tagger()
        return tagger, "pipeline (NER model + alias table)"
    except (QuotexError, ImportError, OSError) as e:  # model not installed here
        return None, f"pipeline WITHOUT the NER model (alias table only): {str(e)[:120]}"


def predict(art: Article, mode: str, runner: object) -> list[tuple[int, int, str, list[str]]]:
    """(start, end, kind, speaker names) for each predicted quotation."""
    if mode == "pipeline":
        from quotex import pipeline
        from quotex.models import Document

        res = pipeline.analyze_documents([Document(art.id, art.text)], tagger=runner)[0]
        out = []
        for q in res.quotes:
            names: list[str] = []
            if q.speaker_ref is not None:
                names += list(res.entities[res.clusters[q.speaker_ref]].names)
            if q.speaker_name:
                names.append(q.speaker_name)
            out.append((q.start, q.end, q.kind, names))
        return out
    mentions: list[Mention] = []
    if mode == "gold":
        mentions = [Mention(art.id, a, b, art.text[a:b], "PERSON", "gold") for a, b in sorted(art.persons + art.corefs)]
    out = []
    for q in find_quotes(art.text, mentions):
        names = [q.speaker_name] if q.speaker_name else []
        out.append((q.start, q.end, q.kind, names))
    return out


def evaluate(arts: list[Article], mode: str, *, show_errors: int = 0) -> dict[str, float]:
    """Score the quote finder on rebuilt articles."""
    runner: object = None
    note = {"none": "no mentions (names read from text)", "gold": "oracle gold PERSON mentions"}.get(mode, "")
    if mode == "pipeline":
        runner, note = _pipeline_runner()
    n_gold = found = exact = spk_total = spk_ok = 0
    n_pred = pred_hit = 0
    errors: list[str] = []
    t0 = time.perf_counter()
    for art in arts:
        preds = predict(art, mode, runner)
        speech = [p for p in preds if p[2] in ("full", "partial")]
        n_pred += len(speech)
        hit_pred: set[int] = set()
        for g in art.statements:
            n_gold += 1
            glen = max(1, g.end - g.start)
            best, best_ov = None, 0
            for k, p in enumerate(preds):
                ov = min(g.end, p[1]) - max(g.start, p[0])
                if ov > best_ov:
                    best, best_ov = k, ov
            if best is None or best_ov < 0.5 * glen:
                if len(errors) < show_errors:
                    errors.append(f"MISSED {art.id}: {art.text[g.start:g.end][:90]!r}")
                continue
            found += 1
            hit_pred.add(best)
            p = preds[best]
            if (p[0], p[1]) == (g.start, g.end):
                exact += 1
            if g.speaker is not None:
                spk_total += 1
                if speaker_match(g.speaker, p[3]):
                    spk_ok += 1
                elif len(errors) < show_errors:
                    errors.append(f"SPEAKER {art.id}: gold={g.speaker!r} pred={p[3][:2]} kind={p[2]} {art.text[g.start:g.end][:60]!r}")
        pred_hit += sum(1 for k, p in enumerate(preds) if k in hit_pred and p[2] in ("full", "partial"))
    dt = time.perf_counter() - t0
    return {
        "mentions": note,
        "articles": len(arts),
        "statements": n_gold,
        "recall": found / n_gold if n_gold else 0.0,
        "boundary": exact / found if found else 0.0,
        "speaker": spk_ok / spk_total if spk_total else 0.0,
        "speaker_n": spk_total,
        "precision": pred_hit / n_pred if n_pred else 0.0,
        "predicted_speech": n_pred,
        "seconds": dt,
        "errors": errors,  # type: ignore[dict-item]
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python -m quotex.eval_quotes", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/statements/pfsa_id"))
    ap.add_argument("--split", default="dev", choices=["dev", "test"])
    ap.add_argument("--mentions", default="pipeline", choices=["pipeline", "none", "gold", "all"])
    ap.add_argument("--errors", type=int, default=0, help="print up to N missed / wrong-speaker statements")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = ap.parse_args(argv)
    path = args.data / f"{args.split}.bio"
    if not path.is_file():
        print(f"Error: {path} not found; pass --data pointing at the pfsa_id folder", file=sys.stderr)
        return 1
    arts = build_articles(read_units(path))
    if args.limit:
        arts = arts[: args.limit]
    modes = ["none", "gold", "pipeline"] if args.mentions == "all" else [args.mentions]
    for mode in modes:
        r = evaluate(arts, mode, show_errors=args.errors)
        print(f"PFSA-ID {args.split} | mentions: {r['mentions']}")
        print(
            f"  articles {r['articles']}  statements {r['statements']}\n"
            f"  recall    {r['recall']:.1%}\n"
            f"  boundary  {r['boundary']:.1%} (exact span, of found)\n"
            f"  speaker   {r['speaker']:.1%} (of {r['speaker_n']} found statements with a gold speaker)\n"
            f"  precision {r['precision']:.1%} (information only; {r['predicted_speech']} predicted full/partial quotes)\n"
            f"  time      {r['seconds']:.1f} s"
        )
        for e in r["errors"]:  # type: ignore[union-attr]
            print("   ", e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
