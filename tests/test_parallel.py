"""--jobs N gives the same results as --jobs 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_tagger import DictTagger
from quotex import analyze

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NAMES = {"Antony Blinken": "PERSON", "Blinken": "PERSON", "Doyeon Kim": "PERSON", "Kim Jong Un": "PERSON", "Korea Utara": "LOC"}


def _dump(c):
    return ([e.to_dict() for e in c.entities()], [q.to_dict() for q in c.quotes()], [m.to_dict() for m in c.mentions()],
            [r.quotes for r in c.results])


@pytest.mark.parametrize("tagger", [None, DictTagger(NAMES)], ids=["no-ner", "dict"])
def test_jobs_2_equals_jobs_1(tagger):
    one = analyze([SEEDS], tagger=tagger, cache=False, jobs=1, batch_docs=1)
    two = analyze([SEEDS], tagger=tagger, cache=False, jobs=2, batch_docs=1)
    assert _dump(one) == _dump(two)
    assert two.report.read == one.report.read


@pytest.mark.stanza
def test_jobs_2_equals_jobs_1_with_the_model():
    one = analyze([SEEDS], cache=False, jobs=1, batch_docs=2)
    two = analyze([SEEDS], cache=False, jobs=2, batch_docs=2)
    assert _dump(one) == _dump(two)
