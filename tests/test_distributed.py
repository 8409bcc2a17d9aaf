"""The Dask path: partitioned run, JSONL out, results equal to the single-process run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_tagger import DictTagger
from quotex import analyze
from quotex.distributed import analyze_partition, corpus_from_results, load_results, result_from_dict, result_to_dict, run_dask

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NAMES = {"Antony Blinken": "PERSON", "Blinken": "PERSON", "Doyeon Kim": "PERSON", "Kim Jong Un": "PERSON"}


def _dump(c):
    return ([e.to_dict() for e in c.entities()], [q.to_dict() for q in c.quotes()], [m.to_dict() for m in c.mentions()])


def test_result_dict_round_trip():
    c = analyze([SEEDS], tagger=DictTagger(NAMES), cache=False)
    for r in c.results:
        d = result_to_dict(r)
        assert result_from_dict(json.loads(json.dumps(d))) == r


def test_analyze_partition_matches_single_process():
    c = analyze([SEEDS], tagger=None, cache=False)
    recs = [{"id": r.doc_id, "text": r.text} for r in c.results]
    assert [result_from_dict(d) for d in analyze_partition(recs, tagger=None)] == c.results


@pytest.mark.parametrize("scheduler", ["sync", "processes"])
def test_run_dask_equals_single_process(tmp_path, scheduler):
    pytest.importorskip("dask.bag")
    tagger = DictTagger(NAMES)
    files = run_dask([SEEDS], tmp_path / "out", npartitions=3, scheduler=scheduler, num_workers=2, tagger=tagger)
    assert len(files) == 3 and all(f.suffix == ".jsonl" for f in files)
    results = load_results(tmp_path / "out")
    single = analyze([SEEDS], tagger=tagger, cache=False)
    assert results == single.results
    assert _dump(corpus_from_results(results)) == _dump(single)


@pytest.mark.stanza
def test_run_dask_with_the_model(tmp_path):
    pytest.importorskip("dask.bag")
    run_dask([SEEDS], tmp_path / "out", npartitions=2, scheduler="processes", num_workers=2)
    assert _dump(corpus_from_results(load_results(tmp_path / "out"))) == _dump(analyze([SEEDS], cache=False))


def test_missing_input_folder_is_one_line_error(tmp_path, capsys):
    from quotex.distributed import main

    assert main([str(tmp_path / "nothere"), str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == f"Error: path not found: {tmp_path / 'nothere'}\n"
    assert not (tmp_path / "out").exists()


def test_run_dask_refuses_a_non_empty_output_folder(tmp_path):
    pytest.importorskip("dask.bag")
    from quotex.errors import OutputError

    out = tmp_path / "out"
    out.mkdir()
    old = out / "part-0000.jsonl"
    old.write_text("precious\n", encoding="utf-8")
    with pytest.raises(OutputError, match="is not empty"):
        run_dask([SEEDS], out, npartitions=2, scheduler="sync", tagger=None)
    assert old.read_text(encoding="utf-8") == "precious\n"
    files = run_dask([SEEDS], out, npartitions=2, scheduler="sync", tagger=None, overwrite=True)
    assert len(files) == 2 and len(load_results(out)) == 5


def test_run_dask_names_skipped_inputs(tmp_path, caplog):
    pytest.importorskip("dask.bag")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Korut dan Rusia bertemu.", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    run_dask([folder], tmp_path / "out", npartitions=1, scheduler="sync", tagger=None)
    assert f"skipped {folder / 'b.txt'}: empty file" in caplog.text


def test_run_dask_keeps_record_metadata(tmp_path):
    """Dates, sources, URLs and titles of records reach the folded corpus's rows, as in a normal run."""
    pytest.importorskip("dask.bag")
    from quotex.distributed import load_corpus

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))[:3]]
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps({"id": f"a{i}", "text": t, "date": f"2024-05-0{i + 1}", "source": "Antara",
                                        "url": f"https://example.org/{i}", "title": f"Judul {i}"}, ensure_ascii=False) + "\n"
                            for i, t in enumerate(texts)), encoding="utf-8")
    tagger = DictTagger(NAMES)
    run_dask([dump], tmp_path / "out", npartitions=2, scheduler="sync", tagger=tagger)
    corpus = load_corpus(tmp_path / "out")
    single = analyze([dump], tagger=tagger, cache=False)
    assert _dump(corpus) == _dump(single)
    rows = [m.to_dict() for m in corpus.mentions()]
    assert rows and {(r["date"], r["doc_source"]) for r in rows} <= {(f"2024-05-0{i + 1}", "Antara") for i in range(3)}
    assert all(r["date"] is not None for r in rows)
