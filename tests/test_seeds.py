"""End to end on the five seed articles with the shipped Stanza model (golden outputs)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotex.cli import app

pytestmark = pytest.mark.stanza

DATA = Path(__file__).resolve().parent / "data"
GOLD_QUOTES = json.loads((DATA / "seed_quotes_gold.json").read_text(encoding="utf-8"))["quotes"]
GOLDEN_ENTITIES = DATA / "seed_entities_golden.json"


def _by_canonical(corpus):
    return {e.canonical: e for e in corpus.entities()}


@pytest.mark.parametrize(
    "canonical, variants",
    [
        ("North Korea", {"Korea Utara", "Korut", "DPRK", "Republik Rakyat Demokratik Korea"}),
        ("South Korea", {"Korea Selatan", "Korsel"}),
        ("United States", {"Amerika Serikat", "AS"}),
        ("Russia", {"Rusia"}),
        ("UN Security Council", {"Dewan Keamanan PBB", "DKPBB"}),
        ("Antony Blinken", {"Antony Blinken", "Blinken"}),
        ("Kim Jong Un", {"Kim Jong-un", "Kim Jong Un"}),
        ("Vladimir Putin", {"Vladimir Putin", "Putin"}),
        ("Park Jin", {"Park Jin", "Park"}),
    ],
)
def test_seed_folding(seed_corpus, canonical, variants):
    ents = _by_canonical(seed_corpus)
    assert canonical in ents, sorted(ents)
    assert variants <= set(ents[canonical].variants)


@pytest.mark.parametrize(
    "apart",
    [("North Korea", "South Korea"), ("Kim Jong Un", "Doyeon Kim"), ("Park Jin", "Jung Pak")],
)
def test_seed_look_alikes_apart(seed_corpus, apart):
    ents = seed_corpus.entities()
    owners = [{e.id for e in ents if name == e.canonical or name in e.variants} for name in apart]
    assert all(owners), apart  # both are found...
    assert not owners[0] & owners[1]  # ...as different entities


def test_seed_security_council_is_not_the_un(seed_corpus):
    unsc = _by_canonical(seed_corpus)["UN Security Council"]
    assert "PBB" not in unsc.variants and "United Nations" not in unsc.variants


def test_seed_boilerplate_names_absent(seed_corpus):
    names = " | ".join(v for e in seed_corpus.entities() for v in e.variants)
    for banned in ["Harvick", "Prabowo", "Mamdani", "DBS", "Manahil", "Kamala", "Trump", "Cak Imin", "Jack Kim", "Jo Min Park"]:
        assert banned not in names


def test_seed_entities_golden(seed_corpus):
    got = [{k: e.to_dict()[k] for k in ("id", "canonical", "type", "mentions", "documents")} | {"variants": sorted(e.variants)} for e in seed_corpus.entities()]
    assert got == json.loads(GOLDEN_ENTITIES.read_text(encoding="utf-8"))


def _gold_outside_boilerplate(seeds_dir):
    """The gold quotations minus the copies that sit in site boilerplate (which quotex skips)."""
    from quotex.boilerplate import find_boilerplate
    from quotex.normalize import normalize

    out = []
    seen = {}
    for g in GOLD_QUOTES:
        text = normalize((seeds_dir / f"{g['doc']}.txt").read_text(encoding="utf-8")).text
        ranges = find_boilerplate(text)
        starts = [k for k in range(len(text)) if text.startswith(g["text"], k)]
        n = seen.get((g["doc"], g["text"]), 0)
        seen[(g["doc"], g["text"])] = n + 1
        pos = starts[n] if n < len(starts) else -1
        if not any(a <= pos < b for a, b in ranges):
            out.append(g)
    return out


def test_seed_quotes_against_gold(seed_corpus, seeds_dir):
    gold = _gold_outside_boilerplate(seeds_dir)
    assert len(GOLD_QUOTES) - len(gold) == 2  # the 001 teaser line and 002's "More Stories" footer
    got = {(Path(q.doc).stem, q.text): q for q in seed_corpus.quotes()}
    wrong = []
    for g in gold:
        q = got.get((g["doc"], g["text"]))
        if q is None:
            wrong.append(("missing", g["doc"], g["text"][:40]))
            continue
        want = g.get("speaker_name") if g.get("speaker") else None
        ok_speaker = (want is None and q.speaker is None) or (want is not None and want in (q.speaker, q.speaker_mention))
        if q.kind != g["kind"] or not ok_speaker or q.speaker_type != g["speaker_type"]:
            wrong.append((g["doc"], g["text"][:40], q.kind, q.speaker, q.speaker_type, "want", g["kind"], want, g["speaker_type"]))
    assert not wrong
    assert len(got) == len(gold)


def test_quotes_speaker_blinken_lists_exactly_his_14(seeds_dir, monkeypatch):
    monkeypatch.chdir(seeds_dir.parent)
    r = CliRunner().invoke(app, ["quotes", "--speaker", "Blinken", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {x["speaker"] for x in rows} == {"Antony Blinken"}
    assert sorted(x["kind"] for x in rows).count("full") == 10
    assert sorted(x["kind"] for x in rows).count("partial") == 4
    texts = {p.name: p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    assert all(texts[Path(x["doc"]).name][x["start"] : x["end"]] == x["text"] for x in rows)


def test_syndicated_reuters_quote_linked(seed_corpus):
    qs = [q for q in seed_corpus.quotes() if q.text.startswith("Kami memiliki") and "Reuters" not in q.text]
    assert len(qs) == 2
    docs = {Path(q.doc).stem for q in qs}
    assert docs == {"002_d9c482248d65fc47", "004_cdbdf95fd593b164"}
    for q in qs:
        assert [Path(d).stem for d in q.also_in] == sorted(docs - {Path(q.doc).stem})
