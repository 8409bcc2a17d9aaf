"""Every speaker that `quotex quotes` shows can be found with --speaker (issue 15 item 3, issue 10 defect 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotex import AmbiguousSpeakerError, UnknownSpeakerError, analyze
from quotex.cli import app

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

SYNTHETIC = (
    "Jakarta - Bank Indonesia menahan suku bunga acuan.\n\n"
    "\u201cKami melihat inflasi tetap terkendali,\u201d kata Gubernur BI Perry Warjiyo di Jakarta, Kamis.\n\n"
    "\u201cRupiah stabil,\u201d ujar Perry.\n\n"
    "Sementara itu, Menteri Keuangan menilai kebijakan itu tepat. \u201cKami mendukung langkah bank sentral,\u201d kata Menkeu.\n"
)


def _check_findable(corpus) -> int:
    qs = corpus.quotes()
    checked = 0
    for q in qs:
        if not q.speaker_id:
            continue
        for form in {q.speaker, q.speaker_id, q.speaker_mention} - {None}:
            try:
                sid = corpus.match_speaker(form, qs)
            except AmbiguousSpeakerError as e:  # an honest ambiguity names this speaker's id
                assert f"({q.speaker_id})" in str(e), (form, str(e))
                continue
            if form in (q.speaker, q.speaker_id):
                assert sid == q.speaker_id, (form, sid, q.speaker_id)
            assert corpus.quotes(speaker=sid)
        # the id always finds exactly this speaker
        assert {x.speaker_id for x in corpus.quotes(speaker=q.speaker_id)} == {q.speaker_id}
        checked += 1
    return checked


@pytest.fixture
def synthetic(tmp_path) -> Path:
    d = tmp_path / "syn"
    d.mkdir()
    (d / "bi.txt").write_text(SYNTHETIC, encoding="utf-8")
    return d


def test_speakers_without_entity_are_findable(synthetic):
    c = analyze([synthetic], tagger=None, cache=False)
    shown = {q.speaker for q in c.quotes() if q.speaker}
    assert "Menkeu" in shown  # no entity covers it (no NER, not in the alias table)
    ents = {e.id: e.type for e in c.entities()}
    # a bare role title never becomes an entity; a name read at a cue does (ujar Perry: a person, issue 9)
    assert "menkeu" not in ents and ents.get("perry") == "PERSON"
    assert {q.speaker_id for q in c.quotes() if q.speaker_id} - set(ents)  # speakers without an entity remain
    assert _check_findable(c) >= 3
    assert {q.speaker for q in c.quotes(speaker="Menkeu")} == {"Menkeu"}
    assert {q.speaker for q in c.quotes(speaker="menkeu")} == {"Menkeu"}


def test_speakers_of_the_seeds_are_findable_without_ner():
    assert _check_findable(analyze([SEEDS], tagger=None, cache=False)) > 0


@pytest.mark.stanza
def test_speakers_of_the_seeds_are_findable():
    c = analyze([SEEDS], cache=False)
    assert _check_findable(c) >= 20
    for e in c.entities():
        if e.id in {q.speaker_id for q in c.quotes()}:
            for v in e.variants:
                try:
                    c.match_speaker(v)
                except AmbiguousSpeakerError as err:
                    assert f"({e.id})" in str(err)


def test_unknown_speaker_error_does_not_send_the_user_to_a_list_that_has_the_name(synthetic, monkeypatch, tmp_path):
    monkeypatch.setenv("QUOTEX_CACHE_DIR", str(tmp_path / "cache"))
    c = analyze([synthetic], tagger=None, cache=False)
    with pytest.raises(UnknownSpeakerError) as e:
        c.match_speaker("Zorro Zamora")
    assert "quotex quotes" not in str(e.value)
    r = CliRunner().invoke(app, ["quotes", str(synthetic), "--no-ner", "--speaker", "Menkeu", "-f", "csv"])
    assert r.exit_code == 0, r.output
    assert "Menkeu" in r.stdout and "Kami mendukung" in r.stdout
    r = CliRunner().invoke(app, ["quotes", str(synthetic), "--no-ner", "--speaker", "gubernur-bi-perry-warjiyo", "-f", "csv"])
    assert r.exit_code == 0 and "inflasi" in r.stdout
