"""The --data overlay: every language-data file can be overridden, and the overlay feeds the cache keys."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotex import analyze
from quotex.cli import app
from quotex.resources import DATA_FILES, data_dir, data_file, overlay

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

_OPENED: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("QUOTEX_CACHE_DIR", str(d))
    return d


def test_every_data_file_is_read_from_the_overlay(tmp_path):
    global _OPENED
    over = tmp_path / "mydata"
    shutil.copytree(data_dir(), over)
    _OPENED = []
    try:
        # the dump has a date written with a month name, so months.yaml (dates, stage "input") is read too
        analyze([SEEDS, Path(__file__).parent / "data" / "inputs" / "dump.jsonl"], tagger=None, cache=False, data_dir=over)
        opened = {Path(p).resolve() for p in _OPENED}
    finally:
        _OPENED = None
    for name in DATA_FILES:
        assert (over / name).resolve() in opened, f"{name} was not read from the --data folder"


def test_data_file_follows_the_overlay(tmp_path):
    (tmp_path / "titles.txt").write_text("Dr\n", encoding="utf-8")
    assert data_file("titles.txt") == data_dir() / "titles.txt"
    with overlay(tmp_path):
        assert data_file("titles.txt") == (tmp_path / "titles.txt").resolve()
        assert data_file("cues.yaml") == data_dir() / "cues.yaml"  # not in the overlay: the shipped one
        assert data_file("aliases.yaml") == data_dir() / "aliases.yaml"  # aliases extend instead
    assert data_file("titles.txt", overlay=tmp_path) == tmp_path / "titles.txt"
    assert data_file("titles.txt") == data_dir() / "titles.txt"


def test_overlay_aliases_extend_the_table(tmp_path):
    (tmp_path / "aliases.yaml").write_text(
        "- id: doyeon-kim\n  canonical: Doyeon Kim\n  type: PERSON\n  aliases: [Doyeon Kim]\n", encoding="utf-8")
    c = analyze([SEEDS], tagger=None, cache=False, data_dir=tmp_path)
    ids = {e.id for e in c.entities()}
    assert "doyeon-kim" in ids
    assert "antony-blinken" in ids or any("Blinken" in e.canonical for e in c.entities())  # the shipped entries stay


def test_overlay_replaces_and_reports_errors_with_its_path(tmp_path):
    (tmp_path / "cues.yaml").write_text("after_cues: [kata\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["quotes", str(SEEDS), "--no-ner", "--no-cache", "--data", str(tmp_path)])
    assert r.exit_code == 1
    assert str(tmp_path / "cues.yaml") in r.output and "Traceback" not in r.output


def test_missing_data_folder_is_one_line(tmp_path):
    r = CliRunner().invoke(app, ["entities", str(SEEDS), "--no-ner", "--data", str(tmp_path / "nope")])
    assert r.exit_code == 1
    assert "--data" in r.output and "not a folder" in r.output


def test_overlay_feeds_the_cache_key(cache, tmp_path):
    """A cached run without the overlay must not answer a run with it, and the other way round."""
    over = tmp_path / "mydata"
    over.mkdir()
    shutil.copy(data_dir() / "cues.yaml", over / "cues.yaml")
    text = (over / "cues.yaml").read_text(encoding="utf-8")
    # a cue lexicon without 'kata': quotes cued only by kata lose that cue
    (over / "cues.yaml").write_text(text.replace("  - kata\n", "", 1), encoding="utf-8")
    plain = analyze([SEEDS], tagger=None)
    with_overlay = analyze([SEEDS], tagger=None, data_dir=over)
    fresh = analyze([SEEDS], tagger=None, data_dir=over, cache=False)
    dump = lambda c: [q.to_dict() for q in c.quotes()]  # noqa: E731
    assert dump(with_overlay) == dump(fresh)
    assert dump(with_overlay) != dump(plain)
    assert dump(analyze([SEEDS], tagger=None)) == dump(plain)
    # worker processes get the overlay too
    assert dump(analyze([SEEDS], tagger=None, data_dir=over, cache=False, jobs=2, batch_docs=2)) == dump(fresh)
