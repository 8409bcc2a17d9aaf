"""The dev-set scorer itself (quotex.evaluate): no model needed."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

from quotex import evaluate as ev
from quotex.evaluate import GoldGroup, PredEntity, Statement, score_entities, score_statements, speakers_match

TITLES = frozenset({"presiden", "menteri", "bapak", "ibu", "pak"})
DEV_GOLD = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "news" / "indosum" / "gold"
SHARED_GOLD = Path("/work/shared/data/news/indosum/gold")

GOLD = [
    Statement("a.txt", 10, 50, "full", ("Joko Widodo",), "x" * 40),
    Statement("a.txt", 60, 80, "partial", ("Retno Marsudi",), "y" * 20),
    Statement("a.txt", 90, 100, "scare", (), "z" * 10),
    Statement("b.txt", 5, 45, "full", ("Komisi Pemberantasan Korupsi",), "w" * 40),
    Statement("b.txt", 50, 90, "indirect", ("Agus Rahardjo",), "v" * 40),
]


def _row(scores, kind):
    return scores.row(kind)


# --- statements ---------------------------------------------------------------------------

def test_gold_against_itself_scores_one():
    s = score_statements(GOLD, GOLD, titles=TITLES)
    for kind in ("direct", "indirect"):
        r = _row(s, kind)
        assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)
    for r in s.rows:
        assert r.found == r.exact == r.speaker == r.gold
    assert s.errors == []


def test_a_wrong_speaker_scores_lower():
    wrong = [Statement(g.doc, g.start, g.end, g.kind, ("Prabowo Subianto",) if g.kind == "full" and g.doc == "a.txt" else g.speaker_forms)
             for g in GOLD]
    s = score_statements(GOLD, wrong, titles=TITLES)
    d = _row(s, "direct")
    assert d.f1 < 1.0 and d.correct == 2 and d.predicted == 3
    assert any("speaker 'Prabowo Subianto'" in e for e in s.errors)


def test_a_spurious_quote_lowers_precision_only():
    extra = [*GOLD, Statement("b.txt", 200, 240, "full", ("Someone Else",), "s" * 40)]
    d = _row(score_statements(GOLD, extra, titles=TITLES), "direct")
    assert d.recall == 1.0 and d.precision == pytest.approx(3 / 4)


def test_half_coverage_rule():
    gold = [Statement("a.txt", 0, 40, "full", ("Joko Widodo",))]
    half = [Statement("a.txt", 20, 60, "full", ("Jokowi Widodo",))]  # covers exactly 20 of 40
    less = [Statement("a.txt", 21, 60, "full", ("Jokowi Widodo",))]  # 19 of 40
    assert _row(score_statements(gold, half, titles=TITLES), "full").found == 1
    assert _row(score_statements(gold, half, titles=TITLES), "full").exact == 0
    assert _row(score_statements(gold, less, titles=TITLES), "full").found == 0


def test_each_gold_span_counts_once_and_takes_the_best_cover():
    gold = [Statement("a.txt", 0, 40, "full", ("Joko Widodo",))]
    preds = [Statement("a.txt", 0, 25, "full", ("Prabowo",)), Statement("a.txt", 0, 40, "full", ("Widodo",))]
    s = score_statements(gold, preds, titles=TITLES)
    d = _row(s, "direct")
    assert d.found == 1 and d.speaker == 1 and d.correct == 1 and d.predicted == 2


def test_a_direct_quote_called_scare_is_not_found():
    gold = [Statement("a.txt", 0, 40, "partial", ("Joko Widodo",))]
    preds = [Statement("a.txt", 0, 40, "scare", ())]
    assert _row(score_statements(gold, preds, titles=TITLES), "partial").found == 0


def test_scare_quote_is_right_only_without_a_speaker():
    gold = [Statement("a.txt", 0, 10, "scare", ())]
    assert _row(score_statements(gold, [Statement("a.txt", 0, 10, "scare", ())], titles=TITLES), "scare").speaker == 1
    assert _row(score_statements(gold, [Statement("a.txt", 0, 10, "full", ("Joko",))], titles=TITLES), "scare").speaker == 0


def test_indirect_is_scored_among_themselves():
    gold = [Statement("a.txt", 0, 40, "indirect", ("Joko Widodo",))]
    direct_pred = [Statement("a.txt", 0, 40, "full", ("Joko Widodo",))]
    s = score_statements(gold, direct_pred, titles=TITLES)
    assert _row(s, "indirect").found == 0 and _row(s, "direct").predicted == 1 and _row(s, "direct").correct == 0


@pytest.mark.parametrize("gold, predicted, ok", [
    ("Joko Widodo", ["Widodo"], True),
    ("Retno Marsudi", ["Menteri Retno"], True),
    ("Joko Widodo", ["Jokowi"], False),
    ("Presiden Joko Widodo", ["Presiden Prabowo"], False),  # title words are not name words
    ("Ibu Sri Mulyani", ["Ibu Susi"], False),
    ("Ki Hajar", ["Ki Agus"], False),  # 2-letter words do not count
    ("M. Tito Karnavian", ["Kapolri Jenderal Polisi M"], False),
    ("Komisi Pemberantasan Korupsi", ["KPK", "Komisi Pemberantasan Korupsi"], True),  # any predicted form
    ("Kementerian Pemuda dan Olahraga", ["Partai Buruh dan Tani"], False),  # lower-case words are not name words
    ("aCommerce", ["aCommerce Indonesia"], True),
    ("AS", ["as"], True),  # no name word of 3+ letters: the same name
    ("AS", ["Amerika Serikat"], False),
    (None, ["Joko"], False),
])
def test_speaker_name_word_rule(gold, predicted, ok):
    assert speakers_match(gold, predicted, TITLES) is ok


def test_name_words_use_the_title_list_from_data():
    assert "presiden" not in ev.name_words("Presiden Joko Widodo")
    assert ev.name_words("Presiden Joko Widodo") == {"joko", "widodo"}


# --- entities -----------------------------------------------------------------------------

GROUPS = [
    GoldGroup("Komisi Pemberantasan Korupsi", "ORG", ("Komisi Pemberantasan Korupsi", "KPK"), ("a.txt", "b.txt")),
    GoldGroup("Aji Santoso", "PERSON", ("Aji Santoso", "Aji"), ("a.txt",)),
    GoldGroup("Dendi Santoso", "PERSON", ("Dendi Santoso", "Dendi"), ("a.txt",)),
]
APART = [("Aji Santoso", "Dendi Santoso"), ("Komisi Pemberantasan Korupsi", "Komisi Yudisial")]


def _perfect():
    out = []
    for i, g in enumerate(GROUPS):
        out.append(PredEntity(f"e{i}", g.canonical, g.type, {d: frozenset(g.variants) for d in g.docs}))
    return out


def test_entity_gold_against_itself_scores_one():
    s = score_entities(GROUPS, APART, _perfect())
    assert (s.folded, s.groups, s.merged, s.folded_rate) == (3, 3, 0, 1.0)
    assert s.errors == []


def test_a_split_group_a_wrong_type_and_a_merge_score_lower():
    kpk_split = [PredEntity("kpk", "KPK", "ORG", {"a.txt": frozenset({"KPK"}), "b.txt": frozenset({"KPK"})}),
                 PredEntity("komisi", "Komisi Pemberantasan Korupsi", "ORG", {"a.txt": frozenset({"Komisi Pemberantasan Korupsi"})})]
    aji_loc = PredEntity("aji", "Aji Santoso", "LOC", {"a.txt": frozenset({"Aji Santoso", "Aji"})})
    dendi = PredEntity("dendi", "Dendi Santoso", "PERSON", {"a.txt": frozenset({"Dendi Santoso", "Dendi"})})
    s = score_entities(GROUPS, APART, [*kpk_split, aji_loc, dendi])
    assert s.folded == 1 and s.merged == 0
    assert any("split" in e and "Komisi Pemberantasan Korupsi" in e for e in s.errors)
    assert any("type LOC, gold PERSON" in e for e in s.errors)
    merged = PredEntity("santoso", "Santoso", "PERSON", {"a.txt": frozenset({"Aji Santoso", "Aji", "Dendi Santoso", "Dendi"})})
    s2 = score_entities(GROUPS, APART, [_perfect()[0], merged])
    assert s2.merged == 1 and s2.folded == 3  # both groups are whole: only the apart pair shows the merge
    assert any("apart pair merged" in e for e in s2.errors)


def test_a_variant_counts_only_in_the_groups_documents():
    # "Aji" is held in another document only: the group is not folded
    e = PredEntity("aji", "Aji Santoso", "PERSON", {"a.txt": frozenset({"Aji Santoso"}), "z.txt": frozenset({"Aji"})})
    assert score_entities(GROUPS[1:2], [], [e]).folded == 0


# --- the gold folder, splits and the command ----------------------------------------------

def _write_gold(tmp_path: Path, split_b: str = "dev") -> Path:
    texts = tmp_path / "texts"
    gold = texts / "gold"
    gold.mkdir(parents=True)
    a = "Presiden Joko Widodo datang. “Kami siap bekerja keras,” kata Joko Widodo di Jakarta.\n"
    b = "Teks rahasia tentang KPK.\n"
    (texts / "a.txt").write_text(a, encoding="utf-8")
    (texts / "b.txt").write_text(b, encoding="utf-8")
    (texts / "splits.tsv").write_text(f"file\tsplit\na.txt\tdev\nb.txt\t{split_b}\n", encoding="utf-8")
    qs, qe = a.index("Kami"), a.index("”")  # marks excluded, the comma inside them kept
    rows = [{"doc": "a.txt", "start": qs, "end": qe, "text": a[qs:qe], "kind": "full", "speaker": "Joko Widodo",
             "speaker_type": "PERSON", "cue": "kata Joko Widodo"},
            {"doc": "b.txt", "start": 0, "end": 4, "text": "Teks", "kind": "full", "speaker": "X Y", "speaker_type": "PERSON", "cue": ""}]
    (gold / "statements.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ents = {"groups": [{"canonical": "Joko Widodo", "type": "PERSON", "variants": ["Joko Widodo"], "docs": ["a.txt"]},
                       {"canonical": "KPK", "type": "ORG", "variants": ["KPK"], "docs": ["b.txt"]}],
            "apart": []}
    (gold / "entities.json").write_text(json.dumps(ents), encoding="utf-8")
    return gold


def test_heldout_documents_are_never_read(tmp_path, monkeypatch, capsys):
    gold = _write_gold(tmp_path, split_b="heldout")
    g = ev.load_gold(gold)
    assert g.docs == ["a.txt"] and g.skipped == ["b.txt"]
    assert all(s.doc == "a.txt" for s in g.statements) and [x.canonical for x in g.groups] == ["Joko Widodo"]
    seen = []
    import quotex

    real = quotex.analyze

    def spy(paths, **kw):
        seen.extend(paths)
        return real(paths, **kw)

    monkeypatch.setattr(quotex, "analyze", spy)
    assert ev.main(["statements", "--gold", str(gold), "--no-ner", "--no-cache"]) == 0
    assert [Path(p).name for p in seen] == ["a.txt"]
    err = capsys.readouterr().err
    assert "skipped b.txt: split is heldout" in err


def test_command_scores_a_tiny_gold_without_the_model(tmp_path, capsys):
    gold = _write_gold(tmp_path)
    assert ev.main(["statements", "--gold", str(gold), "--no-ner", "--no-cache", "--json"]) == 0
    rows = {r["kind"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["full"]["gold"] == 2 and rows["full"]["found"] == 1 and rows["full"]["exact"] == 1
    assert ev.main(["entities", "--gold", str(gold), "--no-ner", "--no-cache", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["groups"] == 2


def test_missing_splits_or_text_is_one_line_and_exit_1(tmp_path, capsys):
    gold = _write_gold(tmp_path)
    (gold.parent / "a.txt").unlink()
    assert ev.main(["entities", "--gold", str(gold), "--no-ner", "--no-cache"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("Error: ") and "a.txt: text not found" in err[-1]
    (gold.parent / "splits.tsv").unlink()
    assert ev.main(["entities", "--gold", str(gold), "--no-ner"]) == 1
    assert "held-out" in capsys.readouterr().err
    assert ev.main(["entities", "--gold", str(tmp_path)]) == 1


def test_indirect_switch_is_passed_when_the_api_has_it(tmp_path, monkeypatch):
    import quotex

    got = {}

    def with_switch(paths, *, aliases=(), cache=True, tagger="default", include_indirect=False):
        got["include_indirect"] = include_indirect

    def without(paths, *, aliases=(), cache=True, tagger="default"):
        got["called"] = True

    gold = _write_gold(tmp_path)
    monkeypatch.setattr(quotex, "analyze", with_switch)
    ev.run_quotex(gold.parent, ["a.txt"], no_ner=True)
    assert got == {"include_indirect": True}
    monkeypatch.setattr(quotex, "analyze", without)
    ev.run_quotex(gold.parent, ["a.txt"], no_ner=True)
    assert got["called"] and "include_indirect" not in inspect.signature(without).parameters


@pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason="dev gold not present")
def test_the_dev_gold_against_itself_scores_one():
    g = ev.load_gold(SHARED_GOLD)
    assert len(g.docs) == 60 and not g.skipped
    s = score_statements(g.statements, g.statements)
    assert _row(s, "direct").f1 == 1.0 and _row(s, "indirect").f1 == 1.0
    perfect = [PredEntity(f"e{i}", x.canonical, x.type, {d: frozenset(x.variants) for d in x.docs}) for i, x in enumerate(g.groups)]
    e = score_entities(g.groups, g.apart, perfect)
    assert e.folded == e.groups == 255 and e.merged == 0
