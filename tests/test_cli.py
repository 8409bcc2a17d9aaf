"""The command line, through typer's CliRunner: exact output and exit codes."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from quotex.cli import app

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_entities_json_no_ner(seeds_dir):
    r = run("entities", str(seeds_dir), "--no-ner", "-f", "json", "--type", "COUNTRY", "--min-count", "16")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [(d["id"], d["mentions"], d["documents"]) for d in data] == [
        ("north-korea", 54, 5), ("russia", 37, 5), ("united-states", 25, 5), ("south-korea", 16, 5), ("ukraine", 16, 5)
    ]
    assert set(data[0]) >= {"id", "canonical", "type", "mentions", "documents", "variants"}
    assert r.stderr.strip().splitlines()[-1] == "quotex: read 5 documents"


def test_entities_csv_joins_variants(seeds_dir):
    r = run("entities", str(seeds_dir), "--no-ner", "-f", "csv", "--type", "ORG")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    unsc = next(x for x in rows if x["id"] == "un-security-council")
    assert unsc["variants"] == "Dewan Keamanan PBB; DKPBB"


def test_jsonl_one_object_per_line(seeds_dir):
    r = run("mentions", str(seeds_dir), "--no-ner", "-f", "jsonl")
    lines = r.stdout.splitlines()
    objs = [json.loads(x) for x in lines]
    assert len(objs) > 100
    texts = {p.name: p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    for o in objs:
        name = o["doc"].rsplit("/", 1)[-1]
        assert texts[name][o["start"] : o["end"]] == o["text"]


def test_missing_path_is_one_line_error():
    r = run("entities", "does/not/exist", "--no-ner")
    assert r.exit_code == 1
    assert r.stderr == "Error: path not found: does/not/exist\n"
    assert r.stdout == ""


def test_unknown_type_is_rejected(seeds_dir):
    r = run("entities", str(seeds_dir), "--no-ner", "--type", "THING")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: unknown type 'THING'")


def test_bad_alias_table(tmp_path, seeds_dir):
    bad = tmp_path / "a.yaml"
    bad.write_text("entities:\n  - {id: x, canonical: X, type: ORG, aliases: [Foo]}\n  - {id: y, canonical: Y, type: ORG, aliases: [Foo]}\n")
    r = run("entities", str(seeds_dir), "--no-ner", "--aliases", str(bad))
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: {bad}:3: alias 'Foo' is claimed by both 'x' (line 2) and 'y'")
    assert "Traceback" not in r.stderr


def test_stdin(seeds_dir):
    text = (seeds_dir / "000_507de9a4183cf6e5.txt").read_text(encoding="utf-8")
    r = run("mentions", "-", "--no-ner", "-f", "json", input=text)
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data[0]["doc"] == "-"
    assert all(text[d["start"] : d["end"]] == d["text"] for d in data)


def test_skipped_input_exit_code_2(tmp_path, seeds_dir):
    (tmp_path / "a.txt").write_text((seeds_dir / "000_507de9a4183cf6e5.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (tmp_path / "c.txt").write_bytes(b"")
    r = run("entities", str(tmp_path), "--no-ner", "-f", "json")
    assert r.exit_code == 2
    assert json.loads(r.stdout)  # results for the rest are written
    err = r.stderr.splitlines()
    assert f"quotex: skipped {tmp_path / 'b.txt'}: binary file" in err
    assert f"quotex: skipped {tmp_path / 'c.txt'}: empty file" in err
    assert err[-1] == "quotex: read 1 document, skipped 2 (1 binary file, 1 empty file)"


def test_output_file_and_refuse_to_overwrite_input(tmp_path, seeds_dir):
    out = tmp_path / "e.json"
    r = run("entities", str(seeds_dir), "--no-ner", "-f", "json", "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))
    src = tmp_path / "in.txt"
    src.write_text("Korut dan Korsel.", encoding="utf-8")
    r = run("entities", str(src), "--no-ner", "-o", str(src))
    assert r.exit_code == 1
    assert src.read_text(encoding="utf-8") == "Korut dan Korsel."


def test_no_paths_reads_seeds_in_cwd(tmp_path, monkeypatch, seeds_dir):
    monkeypatch.chdir(tmp_path)
    r = run("entities", "--no-ner")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: no input:")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("Rusia dan Korut bertemu.", encoding="utf-8")
    r = run("entities", "--no-ner", "-f", "jsonl")
    assert r.exit_code == 0
    assert [json.loads(x)["canonical"] for x in r.stdout.splitlines()] == ["North Korea", "Russia"] or \
        sorted(json.loads(x)["canonical"] for x in r.stdout.splitlines()) == ["North Korea", "Russia"]


def test_help_lists_exit_codes():
    r = run("--help")
    assert r.exit_code == 0
    assert "Exit codes: 0 every input processed" in r.stdout


@pytest.mark.parametrize("cmd", ["entities", "mentions", "quotes"])
def test_every_command_has_help_and_format(cmd):
    r = run(cmd, "--help")
    assert r.exit_code == 0
    assert "--format" in r.stdout and "--output" in r.stdout
