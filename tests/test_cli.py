"""The command line, through typer's CliRunner: exact output and exit codes."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from quotex.cli import app
from quotex.errors import EXIT_PARTIAL, EXIT_USAGE

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


def test_unknown_type_is_a_usage_error(seeds_dir):
    r = run("entities", str(seeds_dir), "--no-ner", "--type", "THING")
    assert r.exit_code == EXIT_USAGE
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


def test_skipped_input_has_its_own_exit_code(tmp_path, seeds_dir):
    (tmp_path / "a.txt").write_text((seeds_dir / "000_507de9a4183cf6e5.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (tmp_path / "c.txt").write_bytes(b"")
    r = run("entities", str(tmp_path), "--no-ner", "-f", "json")
    assert r.exit_code == EXIT_PARTIAL == 4
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
    assert r.exit_code == EXIT_USAGE
    assert r.stderr.startswith("Error: no input:")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("Rusia dan Korut bertemu.", encoding="utf-8")
    r = run("entities", "--no-ner", "-f", "jsonl")
    assert r.exit_code == 0
    assert [json.loads(x)["canonical"] for x in r.stdout.splitlines()] == ["North Korea", "Russia"]


def test_help_lists_exit_codes():
    r = run("--help")
    assert r.exit_code == 0
    assert "Exit codes: 0 every input processed" in r.stdout


@pytest.mark.parametrize("cmd", ["entities", "mentions", "quotes"])
def test_every_command_has_help_and_format(cmd):
    r = run(cmd, "--help")
    assert r.exit_code == 0
    assert "--format" in r.stdout and "--output" in r.stdout


# ---------------------------------------------------------------- helpers for real processes

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}


def quotex(*args, **kw):
    """quotex as a real process (signals, file descriptors, pipes)."""
    kw.setdefault("env", ENV)
    return subprocess.run([sys.executable, "-m", "quotex", *map(str, args)], capture_output=True, text=True,
                          timeout=120, **kw)


def corpus_copy(tmp_path, seeds_dir, copies=1, name="corpus"):
    folder = tmp_path / name
    folder.mkdir()
    for i in range(copies):
        for f in sorted(seeds_dir.glob("*.txt")):
            (folder / f"{i:02d}_{f.name}").write_text(f.read_text(encoding="utf-8") + f"\n\nCatatan {i}.", encoding="utf-8")
    return folder


# ---------------------------------------------------------------- -o never touches an input (#15 items 1, 10, 19)


def _forbid_analysis(monkeypatch):
    import quotex.api

    def boom(*a, **k):
        raise AssertionError("the analysis ran although -o was refused")

    monkeypatch.setattr(quotex.api, "analyze", boom)


@pytest.mark.parametrize("how", ["inside folder", "symlink", "hard link", "relative path"])
def test_o_onto_an_input_is_refused_before_the_analysis(tmp_path, seeds_dir, monkeypatch, how):
    folder = corpus_copy(tmp_path, seeds_dir)
    victim = sorted(folder.iterdir())[0]
    before = victim.read_bytes()
    out = {"inside folder": victim, "symlink": tmp_path / "link.txt", "hard link": tmp_path / "hard.txt",
           "relative path": Path(os.path.relpath(victim))}[how]
    if how == "symlink":
        out.symlink_to(victim)
    elif how == "hard link":
        os.link(victim, out)
    _forbid_analysis(monkeypatch)
    r = run("quotes", str(folder), "--no-ner", "-o", str(out))
    assert r.exit_code == 1, r.stderr
    assert r.stderr == f"Error: refusing to overwrite input file {victim} with -o {out}; choose another output path\n"
    assert victim.read_bytes() == before and r.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_o_onto_the_file_given_as_stdin_is_refused(tmp_path, seeds_dir):
    src = tmp_path / "in.txt"
    src.write_text((seeds_dir / "000_507de9a4183cf6e5.txt").read_text(encoding="utf-8"), encoding="utf-8")
    before = src.read_bytes()
    with open(src, "rb") as fh:
        r = quotex("quotes", "-", "--no-ner", "-o", src, stdin=fh)
    assert r.returncode == 1 and "refusing to overwrite the file read from stdin" in r.stderr
    assert src.read_bytes() == before


def test_o_onto_a_fifo_writes_into_it_and_keeps_it_a_fifo(tmp_path, seeds_dir):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    r = run("entities", str(seeds_dir), "--no-ner", "-f", "csv", "-o", str(fifo))
    reader.join(10)
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].startswith("id,canonical,type")
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_o_onto_a_character_device_keeps_the_device(tmp_path, seeds_dir):
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except (PermissionError, OSError):
        pytest.skip("mknod needs root")
    r = run("entities", str(seeds_dir), "--no-ner", "-o", str(null))
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_o_dash_is_stdout(tmp_path, seeds_dir, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("entities", str(seeds_dir), "--no-ner", "-f", "jsonl", "-o", "-")
    assert r.exit_code == 0 and json.loads(r.stdout.splitlines()[0])["id"] == "north-korea"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_writing_leaves_no_temporary_file(tmp_path, seeds_dir, sig):
    out = tmp_path / "out.jsonl"
    script = (
        "import os, signal, quotex.export as e\n"
        "orig = e._json_line\n"
        "def slow(row, columns, n=[0]):\n"
        "    n[0] += 1\n"
        f"    if n[0] == 3: os.kill(os.getpid(), {int(sig)})\n"
        "    return orig(row, columns)\n"
        "e._json_line = slow\n"
        "from quotex.cli import main\n"
        f"main(['mentions', {str(seeds_dir)!r}, '--no-ner', '-q', '-f', 'jsonl', '-o', {str(out)!r}])\n"
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=ENV, timeout=120)
    assert r.returncode == 128 + sig, r.stderr
    assert r.stderr.strip().splitlines()[-1] == f"quotex: stopped by {signal.Signals(sig).name}"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("cmd", [["entities", "SEEDS", "--no-ner"], ["cache", "info"]])
def test_stdout_on_dev_full_is_one_line_error(seeds_dir, cmd):
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "quotex", *(str(seeds_dir) if c == "SEEDS" else c for c in cmd)],
                           stdout=full, stderr=subprocess.PIPE, text=True, env=ENV, timeout=120)
    assert r.returncode == 1 and r.stderr.splitlines()[-1] == "Error: cannot write to stdout: No space left on device"


def test_closed_stdio_are_one_line_errors(seeds_dir):
    r = subprocess.run(f"{sys.executable} -m quotex entities {seeds_dir} --no-ner >&-", shell=True, capture_output=True,
                       text=True, env=ENV, timeout=120)
    assert r.returncode == 1 and r.stderr == "Error: stdout is closed; give -o FILE\n"
    r = subprocess.run(f"{sys.executable} -m quotex entities - --no-ner <&-", shell=True, capture_output=True,
                       text=True, env=ENV, timeout=120)
    assert r.returncode == 1 and r.stderr == "Error: stdin is closed; give files or folders instead of -\n"


# ---------------------------------------------------------------- exit codes (#15 items 2, 17)


@pytest.mark.parametrize("args", [["entities", "--bogus"], ["entities", "--format", "xml"], ["entities", "--sort", "foo"],
                                  ["quotes", "--jobs", "0"], ["nonsense"], ["mentions", "-t", "THING"]])
def test_usage_errors_exit_2(args, seeds_dir):
    r = run(*args, str(seeds_dir), "--no-ner")
    assert r.exit_code == EXIT_USAGE, (r.exit_code, r.output)


def test_help_and_readme_document_every_exit_code():
    text = run("--help").stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code, meaning in [(0, "every input processed"), (1, "input, output or configuration error"), (2, "usage error"),
                          (3, "NER model missing or corrupt"), (4, "some inputs skipped"), (130, "interrupted")]:
        assert f"{code} {meaning}" in " ".join(text.split())
        assert f"`{code}` {meaning}" in " ".join(readme.split()), code


def test_a_closed_pipe_still_reports_skipped_inputs(tmp_path, seeds_dir):
    folder = corpus_copy(tmp_path, seeds_dir, copies=10)
    (folder / "zz.txt").write_bytes(b"\x00\x01binary" * 10)
    r = subprocess.run(f"{sys.executable} -m quotex mentions {folder} --no-ner -q -f jsonl | head -1; "
                       "exit ${PIPESTATUS[0]}", shell=True, executable="/bin/bash", capture_output=True, text=True,
                       env=ENV, timeout=120)
    assert len(r.stdout.splitlines()) == 1
    assert r.returncode == EXIT_PARTIAL, r.stderr
    assert f"quotex: skipped {folder / 'zz.txt'}: binary file" in r.stderr.splitlines()
    assert r.stderr.splitlines()[-1] == "quotex: read 50 documents, skipped 1 (1 binary file)"


# ---------------------------------------------------------------- what a person expects (#15 items 4, 5, 6)


def test_readme_and_license_in_a_folder_are_left_out_and_named(tmp_path, seeds_dir):
    folder = corpus_copy(tmp_path, seeds_dir)
    (folder / "README.md").write_text("# Korut dataset\n", encoding="utf-8")
    (folder / "LICENSE.txt").write_text("Korut license\n", encoding="utf-8")
    r = run("entities", str(folder), "--no-ner", "-f", "json")
    assert r.exit_code == 0
    assert r.stderr.splitlines()[-1] == "quotex: read 5 documents, left out 2 non-article files (LICENSE.txt, README.md)"
    r = run("mentions", str(folder / "README.md"), "--no-ner", "-f", "json")  # named explicitly: read
    assert r.exit_code == 0 and r.stderr.splitlines()[-1] == "quotex: read 1 document"
    assert json.loads(r.stdout)[0]["text"] == "Korut"


@pytest.mark.parametrize("name, left_out", [
    ("README.md", True), ("readme.txt", True), ("LICENSE", True), ("LICENSE_MIT.txt", True), ("CHANGELOG.md", True),
    ("CONTRIBUTING.md", True), ("security.md", True), ("README-id.md", True),
    ("security-council-meets.txt", False), ("history-of-jakarta.txt", False), ("licensing-deal.txt", False),
    ("readmefirst-korut.txt", False), ("0001.txt", False),
])
def test_non_article_names(name, left_out):
    from quotex.corpus import is_non_article

    assert is_non_article(name) is left_out


def test_progress_bar_shows_done_of_total_rate_and_eta():
    from rich.console import Console

    from quotex.cli import _progress

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=120)
    with _progress(False, 10, console) as advance:
        advance(3)
        time.sleep(0.3)
        advance(1)
        time.sleep(0.6)  # refreshed by its own thread, not only when a batch is done
    shown = buf.getvalue()
    assert "4/10" in shown and "articles/s" in shown and "ETA" in shown
    with _progress(True, 10, console) as advance:
        assert advance is None
    with _progress(False, 10, Console(file=io.StringIO(), force_terminal=False)) as advance:
        assert advance is None


def test_table_short_doc_names_and_no_row_rules(seeds_dir):
    r = run("quotes", str(seeds_dir), "--no-ner")
    lines = r.stdout.splitlines()
    assert sum(1 for ln in lines if set(ln.strip()) == {"─"}) == 1  # the header rule only
    docs = {ln.split()[0] for ln in lines if ln.strip().startswith("00")}
    assert "000_507de9a4183cf6e5.txt" in docs
    assert str(seeds_dir) not in r.stdout
    assert max(len(ln) for ln in lines) > 80  # not squeezed to 80 columns when not on a terminal
    r = run("quotes", str(seeds_dir), "--no-ner", "-f", "json")  # data keeps the document id as read
    assert json.loads(r.stdout)[0]["doc"] == str(seeds_dir / "000_507de9a4183cf6e5.txt")


@pytest.mark.parametrize("cmd", [[], ["entities"], ["mentions"], ["quotes"], ["cache"]])
def test_help_has_plain_metavars_and_the_terminal_width(cmd):
    r = quotex(*cmd, "--help", env={**ENV, "COLUMNS": "150"})
    assert r.returncode == 0
    assert "<" not in r.stdout and "list[" not in r.stdout
    if cmd in (["entities"], ["quotes"]):
        assert max(len(ln) for ln in r.stdout.splitlines()) > 80


# ---------------------------------------------------------------- one options object (#10)


def test_every_corpus_command_takes_the_same_shared_options():
    import typer.main

    from quotex.cli import SHARED_OPTIONS

    click_app = typer.main.get_command(app)
    shared = set(SHARED_OPTIONS)
    for name in ("entities", "mentions", "quotes"):
        params = {p.name for p in click_app.commands[name].params}
        assert shared <= params, name


def test_run_options_is_built_once_and_frozen(seeds_dir, monkeypatch):
    import dataclasses

    import quotex.cli as cli

    seen = []
    real = cli._run
    monkeypatch.setattr(cli, "_run", lambda opts: seen.append(opts) or real(opts))
    r = run("quotes", str(seeds_dir), "--no-ner", "-o", "-", "--glob", "*.txt", "-j", "1", "-v")
    assert r.exit_code == 0, r.stderr
    (opts,) = seen
    assert opts.paths == (str(seeds_dir),) and opts.output is None and opts.globs == ("*.txt",)
    assert opts.ner is False and opts.verbose is True
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.jobs = 2
    assert "QUOTEX_VERBOSE" not in os.environ


# ---------------------------------------------------------------- interruption (#15 items 8, 11)


def test_ctrl_c_before_any_row_still_prints_valid_json(seeds_dir, monkeypatch):
    import quotex.api

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(quotex.api, "analyze", interrupted)
    r = run("quotes", str(seeds_dir), "-f", "json")
    assert r.exit_code == 130
    assert json.loads(r.stdout) == []


@pytest.mark.stanza
def test_ctrl_c_while_workers_start_does_not_hang(tmp_path, seeds_dir):
    folder = corpus_copy(tmp_path, seeds_dir, copies=60)  # 300 articles: 10 batches
    p = subprocess.Popen([sys.executable, "-m", "quotex", "entities", str(folder), "--jobs", "2", "--no-cache", "-q"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, start_new_session=True)

    def children():
        try:
            return Path(f"/proc/{p.pid}/task/{p.pid}/children").read_text().split()
        except OSError:
            return []

    t0 = time.monotonic()
    while not children() and p.poll() is None and time.monotonic() - t0 < 60:
        time.sleep(0.05)
    time.sleep(1.0)  # the workers are importing torch and loading the model
    os.killpg(p.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    try:
        rc = p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        pytest.fail("quotex hung after Ctrl-C")
    assert rc == 130
    err = p.stderr.read().decode()
    assert err.strip().splitlines()[-1] == "quotex: interrupted"
    assert "Traceback" not in err and "Exception ignored" not in err, err


def _boom_stage(monkeypatch):
    """A rule that fails on one document (any bug in a rule would do the same)."""
    import quotex.pipeline as pl

    def boom(ctx, x):
        if "BOOM" in ctx.p.doc.text:
            raise ValueError("a rule broke")
        return x

    monkeypatch.setattr(pl, "STAGES", (boom, *pl.STAGES))


def test_one_failing_document_is_reported_and_the_rest_is_written(tmp_path, seeds_dir, monkeypatch):
    _boom_stage(monkeypatch)
    (tmp_path / "a.txt").write_text((seeds_dir / "000_507de9a4183cf6e5.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_text("Presiden Joko Widodo berkata BOOM di Jakarta.\n", encoding="utf-8")
    r = run("mentions", str(tmp_path), "--no-ner", "-f", "json")
    assert r.exit_code == EXIT_PARTIAL
    rows = json.loads(r.stdout)
    assert rows and {m["doc"] for m in rows} == {str(tmp_path / "a.txt")}
    err = r.stderr.splitlines()
    assert f"quotex: skipped {tmp_path / 'b.txt'}: internal error while analysing it (ValueError: a rule broke); please report this" in err
    assert err[-1].startswith("quotex: read 1 document, skipped 1")
    assert "Traceback" not in r.stderr


@pytest.mark.stanza
def test_a_failing_document_is_reported_again_by_a_warm_run(tmp_path, seeds_dir, monkeypatch):
    _boom_stage(monkeypatch)
    monkeypatch.setenv("QUOTEX_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Menteri Luar Negeri Retno Marsudi tiba di Tokyo.\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("Presiden Joko Widodo berkata BOOM di Jakarta.\n", encoding="utf-8")
    for _ in range(2):  # cold, then warm: the failure is not hidden by the cache
        r = run("mentions", str(tmp_path / "in"), "-f", "json")
        assert r.exit_code == EXIT_PARTIAL, r.stderr
        assert {m["doc"].rsplit("/", 1)[-1] for m in json.loads(r.stdout)} == {"a.txt"}
        assert "internal error while analysing it (ValueError: a rule broke)" in r.stderr
