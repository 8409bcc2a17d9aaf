"""Reading the BIO NER corpora, mapping labels to PERSON/ORG/LOC and de-duplicating against test splits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from quotex.models import NER_TYPES as TYPES

# dataset -> {source type: target type or None (-> O)}
LABEL_MAPS: dict[str, dict[str, str | None]] = {
    "indolem_nerui": {"PERSON": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "LOC"},
    "indolem_nerugm": {
        "PERSON": "PERSON",
        "ORGANIZATION": "ORG",
        "LOCATION": "LOC",
        "TIME": None,
        "QUANTITY": None,
    },
    "idner_news_2k": {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"},
    "indonlu_nergrit": {"PERSON": "PERSON", "ORGANISATION": "ORG", "PLACE": "LOC"},
    "indonlu_nerp": {"PPL": "PERSON", "IND": "ORG", "PLC": "LOC", "EVT": None, "FNB": None},
}
TRAIN_CORPORA = ("indolem_nerui", "indolem_nerugm", "idner_news_2k", "indonlu_nergrit")
EVAL_CORPORA = ("indolem_nerui", "indolem_nerugm", "idner_news_2k")
ALL_CORPORA = tuple(LABEL_MAPS)

Sentence = tuple[list[str], list[str]]


def read_bio(path: Path) -> list[Sentence]:
    """Read token<TAB>TAG lines; blank line between sentences."""
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                if toks:
                    sents.append((toks, tags))
                    toks, tags = [], []
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                raise ValueError(f"{path}:{lineno}: expected token<TAB>tag")
            toks.append(parts[0])
            tags.append(parts[1])
    if toks:
        sents.append((toks, tags))
    return sents


def map_tags(tags: list[str], mapping: dict[str, str | None]) -> list[str]:
    """Map BIO tags through ``mapping``; dropped types become O. Keeps BIO valid."""
    out: list[str] = []
    for tag in tags:
        if tag == "O":
            out.append("O")
            continue
        prefix, _, typ = tag.partition("-")
        if typ not in mapping:
            raise ValueError(f"unknown entity type {typ!r}")
        new = mapping[typ]
        if new is None:
            out.append("O")
        else:
            if prefix == "I" and not (out and out[-1] != "O" and out[-1][2:] == new):
                prefix = "B"
            out.append(f"{prefix}-{new}")
    return out


def load_split(data_dir: Path, corpus: str, split: str) -> list[Sentence]:
    sents = read_bio(Path(data_dir) / corpus / f"{split}.bio")
    mapping = LABEL_MAPS[corpus]
    return [(toks, map_tags(tags, mapping)) for toks, tags in sents]


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """BIO (or BIOES) tags -> (start, end_exclusive, type) spans."""
    result: list[tuple[int, int, str]] = []
    start = None
    typ = None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix = tag[:1]
        t = tag[2:] if len(tag) > 2 else None
        cont = prefix in ("I", "E") and start is not None and t == typ
        if not cont and start is not None:
            result.append((start, i, typ))
            start = typ = None
        if prefix in ("B", "S") or (prefix in ("I", "E") and not cont):
            start, typ = i, t
        if prefix in ("E", "S") and start is not None:
            result.append((start, i + 1, typ))
            start = typ = None
    return result


_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def norm_text(tokens: list[str]) -> str:
    """Lower-case, strip everything that is not a letter or digit."""
    return _NON_ALNUM.sub("", " ".join(tokens).lower())


def norm_words(tokens: list[str]) -> str:
    """Lower-case alphanumeric words joined by single spaces (for fuzzy matching)."""
    return " ".join(w for w in _NON_ALNUM.sub(" ", " ".join(tokens).lower()).split())


@dataclass
class DedupReport:
    kept: int = 0
    exact: int = 0
    fuzzy: int = 0
    contained: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def dropped(self) -> int:
        return self.exact + self.fuzzy + self.contained


def dedup_against(
    sents: list[Sentence], test_sents: list[Sentence], *, fuzzy_cutoff: int = 90, min_contain_chars: int = 40
) -> tuple[list[Sentence], DedupReport]:
    """Drop sentences that match any test sentence.

    * exact: same normalised text (lower-case, only letters/digits);
    * fuzzy: rapidfuzz ``ratio`` >= ``fuzzy_cutoff`` on the normalised word strings;
    * contained: one normalised text (>= ``min_contain_chars`` chars) is contained in the other
      (sentences that were run together or split differently in another corpus).
    """
    from rapidfuzz import fuzz, process

    report = DedupReport()
    test_exact = {norm_text(t) for t, _ in test_sents}
    test_words = [norm_words(t) for t, _ in test_sents]
    test_long = [n for n in (norm_text(t) for t, _ in test_sents) if len(n) >= min_contain_chars]
    test_joined = "\x00".join(test_long)

    cand = [s for s in sents]
    words = [norm_words(t) for t, _ in cand]
    scores = process.cdist(
        words, test_words, scorer=fuzz.ratio, score_cutoff=fuzzy_cutoff, workers=-1, dtype="uint8"
    )
    fuzzy_hit = (scores >= fuzzy_cutoff).any(axis=1) if len(test_words) else [False] * len(cand)
    kept: list[Sentence] = []
    for i, s in enumerate(cand):
        n = norm_text(s[0])
        if n in test_exact:
            report.exact += 1
        elif fuzzy_hit[i]:
            report.fuzzy += 1
        elif len(n) >= min_contain_chars and (n in test_joined or any(t in n for t in test_long)):
            report.contained += 1
        else:
            kept.append(s)
            continue
        if len(report.examples) < 3:
            report.examples.append(" ".join(s[0])[:80])
    report.kept = len(kept)
    return kept, report


def to_stanza_json(sents: list[Sentence]) -> list[list[dict[str, str]]]:
    return [[{"text": w, "ner": t} for w, t in zip(toks, tags)] for toks, tags in sents]
