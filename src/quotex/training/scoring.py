"""Entity-level scores (exact span + type, like seqeval), shared by the evaluation scripts."""

from __future__ import annotations

from quotex.training.data import TYPES


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def score_spans(gold: list[list[tuple[int, int, str]]], pred: list[list[tuple[int, int, str]]]) -> dict:
    counts = {t: [0, 0, 0] for t in TYPES}
    for g, p in zip(gold, pred):
        gs, ps = set(g), set(p)
        for s in gs & ps:
            counts[s[2]][0] += 1
        for s in ps - gs:
            counts.setdefault(s[2], [0, 0, 0])[1] += 1
        for s in gs - ps:
            counts.setdefault(s[2], [0, 0, 0])[2] += 1
    out = {t: prf(*c) for t, c in counts.items()}
    out["micro"] = prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return out
