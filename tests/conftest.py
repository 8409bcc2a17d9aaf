"""Shared fixtures: the seed folder, and a corpus analysed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_corpus_no_ner():
    """The seeds analysed with the alias table alone (no model)."""
    from quotex import analyze

    return analyze([SEEDS], tagger=None)


@pytest.fixture(scope="session")
def seed_corpus():
    """The seeds analysed with the shipped Stanza model (model tests only)."""
    from quotex import analyze

    return analyze([SEEDS])


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    """Never touch the user's real analysis cache from the tests."""
    import os

    old = os.environ.get("QUOTEX_CACHE_DIR")
    os.environ["QUOTEX_CACHE_DIR"] = str(tmp_path_factory.mktemp("quotex-cache"))
    yield
    if old is None:
        os.environ.pop("QUOTEX_CACHE_DIR", None)
    else:
        os.environ["QUOTEX_CACHE_DIR"] = old
