"""The analysis cache: hits, what invalidates what, corruption, concurrency, interruption."""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_tagger import DictTagger
from quotex import analyze
from quotex.cli import app
from quotex.store import DB_NAME, Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NAMES = {"Antony Blinken": "PERSON", "Blinken": "PERSON", "Doyeon Kim": "PERSON", "Kim Jong Un": "PERSON", "Park Jin": "PERSON"}


class CountingTagger(DictTagger):
    """DictTagger that counts sentences tagged and can be told to fail."""

    cache_key = "counting-v1"

    def __init__(self, fail: bool = False) -> None:
        super().__init__(NAMES)
        self.calls = 0
        self.fail = fail

    def tag(self, sentences):
        if self.fail:
            raise AssertionError("the model must not run")
        self.calls += 1
        return super().tag(sentences)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("QUOTEX_CACHE_DIR", str(d))
    return d


@pytest.fixture
def docs(tmp_path) -> Path:
    d = tmp_path / "docs"
    shutil.copytree(SEEDS, d)
    old = 1_600_000_000
    for p in d.rglob("*"):
        os.utime(p, (old, old))  # older than the stat-cache's 2 s guard
    return d


def _sql(cache: Path, *statements: str, args: tuple = ()) -> None:
    """Edit the cache file directly (what damage, an older quotex or another user could do)."""
    con = sqlite3.connect(cache / DB_NAME)
    with con:
        for st in statements:
            con.execute(st, args)
    con.close()


def _dump(c):
    return ([e.to_dict() for e in c.entities()], [q.to_dict() for q in c.quotes()], [m.to_dict() for m in c.mentions()])


def test_second_run_is_answered_from_the_cache(cache, docs):
    t = CountingTagger()
    first = analyze([docs], tagger=t)
    assert t.calls > 0
    again = analyze([docs], tagger=CountingTagger(fail=True))
    assert _dump(again) == _dump(first)
    assert _dump(again) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))
    assert again.report.read == first.report.read
    # per-document results are loaded lazily and still equal
    assert [r.mentions for r in again.results] == [r.mentions for r in first.results]
    assert (cache / DB_NAME).is_file()


def test_alias_edit_recomputes_only_the_derived_part(cache, docs, tmp_path):
    analyze([docs], tagger=CountingTagger())
    extra = tmp_path / "extra.yaml"
    extra.write_text("- id: doyeon-kim\n  canonical: Doyeon Kim\n  type: PERSON\n  aliases: [Doyeon Kim, Dr. Kim Doyeon]\n", encoding="utf-8")
    edited = analyze([docs], tagger=CountingTagger(fail=True), aliases=[extra])  # NER spans come from the cache
    fresh = analyze([docs], tagger=CountingTagger(), aliases=[extra], cache=False)
    assert _dump(edited) == _dump(fresh)
    assert "doyeon-kim" in {e.id for e in edited.entities()}  # the edit took effect


def test_changed_file_is_analysed_again(cache, docs):
    analyze([docs], tagger=CountingTagger())
    f = sorted(docs.glob("*.txt"))[0]
    f.write_text(f.read_text(encoding="utf-8") + "\n\nKata Park Jin, “Kami siap.”\n", encoding="utf-8")
    t = CountingTagger()
    c = analyze([docs], tagger=t)
    assert t.calls == 1  # only the changed document
    assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))


def test_corrupt_cache_is_rebuilt_with_a_warning(cache, docs, capsys):
    analyze([docs], tagger=CountingTagger())
    (cache / DB_NAME).write_bytes(b"this is not a database" * 100)
    for s in ("-wal", "-shm"):
        Path(str(cache / DB_NAME) + s).unlink(missing_ok=True)
    c = analyze([docs], tagger=CountingTagger())
    assert "warning" in capsys.readouterr().err
    assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))
    analyze([docs], tagger=CountingTagger(fail=True))


def test_damaged_blob_is_a_miss(cache, docs):
    analyze([docs], tagger=CountingTagger())
    _sql(cache, "UPDATE docs SET blob = x'00ff'", "UPDATE corpus SET blob = x'00ff'")
    c = analyze([docs], tagger=CountingTagger(fail=True))  # NER spans still cached
    assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))


def test_no_cache_writes_nothing(cache, docs):
    analyze([docs], tagger=CountingTagger(), cache=False)
    assert not (cache / DB_NAME).exists()


def test_tagger_without_cache_key_is_not_cached(cache, docs):
    analyze([docs], tagger=DictTagger(NAMES))
    assert not (cache / DB_NAME).exists()


def test_interrupted_run_leaves_a_usable_cache(cache, docs):
    class Interrupting(CountingTagger):
        def tag(self, sentences):
            if self.calls >= 1:
                raise KeyboardInterrupt
            return super().tag(sentences)

    with pytest.raises(KeyboardInterrupt):
        analyze([docs], tagger=Interrupting(), batch_docs=2)
    with Store(cache) as st:
        assert st.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert st.info()["documents"] == 2  # the finished batch
    t = CountingTagger()
    c = analyze([docs], tagger=t, batch_docs=2)
    assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))


def _worker(args):
    cache, docs, n = args
    os.environ["QUOTEX_CACHE_DIR"] = cache
    out = None
    for _ in range(n):
        out = _dump(analyze([docs], tagger=CountingTagger()))
    return out


def test_two_processes_share_the_cache(cache, docs):
    ctx = mp.get_context("spawn")
    with ctx.Pool(2) as pool:
        a, b = pool.map(_worker, [(str(cache), str(docs), 3)] * 2)
    assert a == b == _dump(analyze([docs], tagger=CountingTagger(), cache=False))


def test_cache_info_and_clear(cache, docs):
    runner = CliRunner()
    r = runner.invoke(app, ["quotes", str(docs), "--no-ner", "-f", "json"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["cache", "info"])
    assert r.exit_code == 0
    assert str(cache) in r.output and "documents: 5" in r.output
    r = runner.invoke(app, ["cache", "clear"])
    assert r.exit_code == 0
    r = runner.invoke(app, ["cache", "info"])
    assert "documents: 0" in r.output


def test_cli_no_cache_and_jobs(cache, docs):
    runner = CliRunner()
    r1 = runner.invoke(app, ["quotes", str(docs), "--no-ner", "-f", "json", "--no-cache"])
    assert r1.exit_code == 0
    assert not (cache / DB_NAME).exists()
    r2 = runner.invoke(app, ["quotes", str(docs), "--no-ner", "-f", "json", "--jobs", "2"])
    r3 = runner.invoke(app, ["quotes", str(docs), "--no-ner", "-f", "json"])
    assert r1.stdout == r2.stdout == r3.stdout


@pytest.mark.stanza
def test_cached_query_never_imports_torch(cache, docs):
    env = dict(os.environ, QUOTEX_CACHE_DIR=str(cache))
    cmd = [sys.executable, "-m", "quotex", "quotes", str(docs), "-q"]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:], "--speaker", "Blinken"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert not [ln for ln in out.stderr.splitlines() if "torch" in ln or "stanza" in ln]


# ---------------------------------------------------------------- results are data, never pickles


class _Boom:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


def test_cache_never_unpickles(cache, docs, tmp_path, monkeypatch):
    import pickle

    monkeypatch.chdir(tmp_path)
    first = analyze([docs], tagger=CountingTagger())
    _sql(cache, *(f"UPDATE {t} SET blob = ?" for t in ("ner", "docs", "corpus")), args=(pickle.dumps(_Boom()),))
    again = analyze([docs], tagger=CountingTagger())
    assert not (tmp_path / "PWNED").exists()
    assert _dump(again) == _dump(first)


def test_blobs_are_json(cache, docs):
    import json

    analyze([docs], tagger=CountingTagger())
    con = sqlite3.connect(cache / DB_NAME)
    for t in ("ner", "docs", "corpus"):
        blobs = [b for (b,) in con.execute(f"SELECT blob FROM {t}")]
        assert blobs
        for b in blobs:
            json.loads(bytes(b).decode("utf-8"))
    con.close()


def test_old_pickle_format_cache_is_emptied_cleanly(cache, docs, capsys):
    import pickle

    cache.mkdir()
    con = sqlite3.connect(cache / DB_NAME)
    with con:
        con.executescript("""
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ckey TEXT, encoding TEXT);
            CREATE TABLE ner (k TEXT PRIMARY KEY, blob BLOB);
            CREATE TABLE docs (k TEXT PRIMARY KEY, blob BLOB);
            CREATE TABLE corpus (k TEXT PRIMARY KEY, blob BLOB, used REAL);
            INSERT INTO meta VALUES ('format', '3');
        """)
        con.execute("INSERT INTO docs VALUES ('x', ?)", (pickle.dumps({"a": 1}),))
    con.close()
    c = analyze([docs], tagger=CountingTagger())
    assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))
    with Store(cache) as st:
        assert st.conn.execute("SELECT COUNT(*) FROM docs WHERE k='x'").fetchone()[0] == 0
        assert st.info()["documents"] == 5
    assert "Traceback" not in capsys.readouterr().err


def test_codec_round_trip_is_exact(docs):
    from quotex import codec

    c = analyze([docs], tagger=CountingTagger(), cache=False)
    for r in c.results:
        assert codec.loads(codec.dumps(r)) == r
    blob = {"entities": c.folded.entities, "assignment": c.folded.assignment, "quotes": tuple(c.all_quotes())}
    assert codec.loads(codec.dumps(blob)) == blob
    a = c.folded.assignment
    flat = (tuple(d for d, _ in a), tuple(i for _, i in a), tuple(a.values()))
    assert codec.loads(codec.dumps(flat)) == flat
    assert codec.loads(codec.dumps([[(0, 3, "PER")], []])) == [[(0, 3, "PER")], []]


def test_codec_refuses_unknown_records():
    from quotex import codec

    with pytest.raises(codec.DecodeError):
        codec.loads(b'{"c": "Popen", "v": [["ls"]]}')
    with pytest.raises(TypeError):
        codec.dumps(_Boom())


# ---------------------------------------------------------------- keys: one list of data files


def test_every_data_file_is_in_the_key_list():
    from quotex.resources import DATA_FILES, data_dir

    shipped = {p.name for p in data_dir().iterdir() if p.is_file()}
    assert shipped == set(DATA_FILES), "add the new data file to quotex.resources.DATA_FILES with the stage it feeds"


@pytest.mark.parametrize("name", ["calendar.txt", "titles.txt", "cues.yaml", "abbreviations.txt", "boilerplate.yaml", "aliases.yaml"])
def test_every_data_file_feeds_the_cache_key(name, tmp_path, monkeypatch):
    from quotex import resources, store

    def versions():
        return store.Versions.make(model="m", alias_checksum="a", keep_boilerplate=False)

    before = versions()
    copy = tmp_path / "data"
    shutil.copytree(resources.data_dir(), copy)
    with (copy / name).open("a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    monkeypatch.setattr(resources, "data_dir", lambda: copy)
    after = versions()
    assert after.derived != before.derived
    assert (after.ner != before.ner) == (resources.DATA_FILES[name] == "ner")


def test_calendar_edit_is_not_served_stale(cache, docs, tmp_path, monkeypatch):
    """Defect: calendar.txt was in no cache key."""
    from quotex import resources

    analyze([docs], tagger=CountingTagger())
    copy = tmp_path / "data"
    shutil.copytree(resources.data_dir(), copy)
    with (copy / "calendar.txt").open("a", encoding="utf-8") as fh:
        fh.write("\nkemarin\n")
    monkeypatch.setattr(resources, "data_dir", lambda: copy)
    t = CountingTagger()
    analyze([docs], tagger=t)
    with Store(cache) as st:
        assert st.info()["documents"] == 10  # derived results recomputed under a new key
    assert t.calls == 0  # calendar.txt feeds the derived stage only: NER spans reused


# ---------------------------------------------------------------- corpus entry whose documents are gone


def _opened_stores(monkeypatch) -> list:
    made: list = []
    orig = Store.__init__

    def init(self, *a, **k):
        orig(self, *a, **k)
        made.append(self)

    monkeypatch.setattr(Store, "__init__", init)
    return made


def _is_closed(st) -> bool:
    try:
        st.conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return st.conn is None


def test_corpus_entry_without_its_documents_is_rebuilt(cache, docs, monkeypatch):
    """Issue 15 item 13: a corpus entry whose per-article entries are gone made `mentions` recurse forever."""
    fresh = analyze([docs], tagger=CountingTagger(), cache=False)
    analyze([docs], tagger=CountingTagger())
    _sql(cache, "DELETE FROM docs", "DELETE FROM ner")
    made = _opened_stores(monkeypatch)
    c = analyze([docs], tagger=CountingTagger())  # answered from the corpus entry
    assert [m.to_dict() for m in c.mentions()] == [m.to_dict() for m in fresh.mentions()]  # needs the documents
    assert _dump(c) == _dump(fresh)
    assert made and all(_is_closed(s) for s in made)  # issue 10 defect 4: no Store left open
    t = CountingTagger(fail=True)
    assert _dump(analyze([docs], tagger=t)) == _dump(fresh)  # and the rebuilt entries were stored


def test_cli_mentions_after_clear_during_run(cache, docs):
    runner = CliRunner()
    assert runner.invoke(app, ["quotes", str(docs), "--no-ner", "-f", "json"]).exit_code == 0
    _sql(cache, "DELETE FROM docs")
    r = runner.invoke(app, ["mentions", str(docs), "--no-ner", "-f", "jsonl"])
    assert r.exit_code == 0, r.output
    assert r.stdout == runner.invoke(app, ["mentions", str(docs), "--no-ner", "-f", "jsonl", "--no-cache"]).stdout


# ---------------------------------------------------------------- hostile file names, damage, transient failures (issue 15 items 12-16)


def test_non_utf8_file_name_works_with_the_cache(cache, docs):
    bad = os.path.join(os.fsencode(docs), b"bad\xff.txt")
    with open(bad, "wb") as fh:
        fh.write("Menurut Park Jin, \u201cKami siap berunding.\u201d\n".encode("utf-8"))
    os.utime(bad, (1_600_000_000, 1_600_000_000))
    fresh = analyze([docs], tagger=CountingTagger(), cache=False)
    assert fresh.report.read == 6
    first = analyze([docs], tagger=CountingTagger())
    again = analyze([docs], tagger=CountingTagger(fail=True))
    assert _dump(first) == _dump(fresh) == _dump(again)
    assert any("bad" in d["doc"] for d in _dump(again)[2])


def test_cli_non_utf8_file_name(cache, docs):
    bad = os.path.join(os.fsencode(docs), b"bad\xff.txt")
    with open(bad, "wb") as fh:
        fh.write(b"Kata Park Jin, \xe2\x80\x9cKami siap.\xe2\x80\x9d\n")
    runner = CliRunner()
    for _ in range(2):
        r = runner.invoke(app, ["mentions", str(docs), "--no-ner", "-f", "jsonl"])
        assert r.exit_code == 0, r.output
        assert "unexpected" not in r.output


def _garbage(cache: Path) -> None:
    cache.mkdir(exist_ok=True)
    (cache / DB_NAME).write_bytes(b"this is not a database" * 100)
    for s in ("-wal", "-shm"):
        Path(str(cache / DB_NAME) + s).unlink(missing_ok=True)


def test_corrupt_files_are_kept_uniquely_named_and_old_ones_cleaned(cache, docs, capsys):
    from quotex.store import CORRUPT_KEEP

    for i in range(CORRUPT_KEEP + 2):
        _garbage(cache)
        c = analyze([docs], tagger=CountingTagger())
        assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))
        kept = sorted(cache.glob(DB_NAME + ".corrupt-*"))
        assert len(kept) == min(i + 1, CORRUPT_KEEP)  # two in the same second do not overwrite each other
        for k in kept:
            assert k.read_bytes().startswith(b"this is not a database")
    err = capsys.readouterr().err
    assert "moved it to analysis.sqlite3.corrupt-" in err


def _damage_pages(cache: Path) -> None:
    """Keep the header page, overwrite the rest: the file opens, but reading a table fails."""
    p = cache / DB_NAME
    with Store(cache) as st:
        st.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        st.conn.execute("PRAGMA journal_mode=DELETE")
    data = bytearray(p.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for i in range(page, len(data)):
        data[i] = 0xA5
    p.write_bytes(bytes(data))


def test_damage_found_after_opening_is_repaired(cache, docs, capsys):
    analyze([docs], tagger=CountingTagger())
    _damage_pages(cache)
    c = analyze([docs], tagger=CountingTagger())
    assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))
    first = capsys.readouterr().err
    assert "damaged" in first and "corrupt-" in first
    analyze([docs], tagger=CountingTagger())
    c = analyze([docs], tagger=CountingTagger(fail=True))  # repaired: a working cache again, no new warning
    assert "warning" not in capsys.readouterr().err
    assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))


def test_cache_clear_always_works(cache, docs):
    runner = CliRunner()
    _garbage(cache)
    r = runner.invoke(app, ["cache", "clear"])
    assert r.exit_code == 0, r.output
    assert "unexpected" not in r.output
    assert not list(cache.glob(DB_NAME + ".corrupt-*"))  # clear removes the moved-aside files too
    analyze([docs], tagger=CountingTagger())
    _damage_pages(cache)
    r = runner.invoke(app, ["cache", "clear"])
    assert r.exit_code == 0, r.output
    assert "unexpected" not in r.output
    r = runner.invoke(app, ["cache", "info"])
    assert r.exit_code == 0 and "documents: 0" in r.output


def test_cache_dir_that_is_a_file(tmp_path, monkeypatch, docs):
    f = tmp_path / "cachefile"
    f.write_text("x")
    monkeypatch.setenv("QUOTEX_CACHE_DIR", str(f))
    runner = CliRunner()
    for cmd in (["cache", "clear"], ["cache", "info"]):
        r = runner.invoke(app, cmd)
        assert r.exit_code == 1
        lines = [ln for ln in r.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and "not a folder" in lines[0] and "unexpected" not in lines[0], r.output
    r = runner.invoke(app, ["quotes", str(docs), "--no-ner", "-f", "json"])
    assert r.exit_code == 0 and "without the cache" in r.output
    assert f.read_text() == "x"


@pytest.mark.parametrize("message", ["disk I/O error", "database or disk is full", "attempt to write a readonly database", "unable to open database file"])
def test_transient_errors_keep_the_file_and_run_without_cache(cache, docs, monkeypatch, capsys, message):
    analyze([docs], tagger=CountingTagger())
    before = (cache / DB_NAME).read_bytes()
    real = sqlite3.connect

    def failing(*a, **k):
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr(sqlite3, "connect", failing)
    c = analyze([docs], tagger=CountingTagger())
    err = capsys.readouterr().err
    monkeypatch.setattr(sqlite3, "connect", real)
    assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))
    assert message in err and "running without the cache" in err and "moved" not in err
    assert not list(cache.glob(DB_NAME + ".corrupt-*"))
    assert (cache / DB_NAME).read_bytes() == before


def test_write_failure_says_results_are_not_cached(cache, docs, monkeypatch, capsys):
    class DiskFull:
        def __init__(self, conn):
            self._conn = conn

        def executemany(self, *a):
            raise sqlite3.OperationalError("database or disk is full")

        def __getattr__(self, name):
            return getattr(self._conn, name)

        def __enter__(self):
            return self._conn.__enter__()

        def __exit__(self, *exc):
            return self._conn.__exit__(*exc)

    real = Store._connect
    monkeypatch.setattr(Store, "_connect", lambda self: DiskFull(real(self)))
    c = analyze([docs], tagger=CountingTagger())
    err = capsys.readouterr().err
    assert "results are not cached" in err and "database or disk is full" in err
    assert err.count("warning") == 1 and "moved" not in err  # once, and the file stays
    assert not list(cache.glob(DB_NAME + ".corrupt-*"))
    assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))


def test_unmovable_corrupt_file_is_reported_truthfully(cache, docs, monkeypatch, capsys):
    _garbage(cache)
    real = os.replace

    def ro(src, dst, *a, **k):
        if str(src).endswith(DB_NAME):
            raise PermissionError(13, "Read-only file system")
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", ro)
    c = analyze([docs], tagger=CountingTagger())
    err = capsys.readouterr().err
    assert "cannot be moved aside" in err and "moved it to" not in err and "running without the cache" in err
    assert (cache / DB_NAME).read_bytes().startswith(b"this is not a database")
    assert _dump(c) == _dump(analyze([docs], tagger=CountingTagger(), cache=False))


def _unreadable(monkeypatch, victim: Path) -> None:
    """Simulate chmod 000 (the tests may run as root, who can read anything)."""
    import builtins

    real_open, real_os_open = builtins.open, os.open

    def deny(path) -> bool:
        try:
            return os.path.realpath(path) == os.path.realpath(victim)
        except (TypeError, ValueError):
            return False

    def fake_open(file, *a, **k):
        if not isinstance(file, int) and deny(file):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *a, **k)

    def fake_os_open(path, *a, **k):
        if deny(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_os_open(path, *a, **k)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)


@pytest.mark.parametrize("extra_aliases", [False, True])
def test_warm_run_notices_an_unreadable_input(cache, docs, monkeypatch, tmp_path, extra_aliases):
    analyze([docs], tagger=CountingTagger())
    victim = sorted(docs.glob("*.txt"))[0]
    aliases = []
    if extra_aliases:  # issue 15 item 16: with --aliases X this was "unexpected SkipFile"
        extra = tmp_path / "x.yaml"
        extra.write_text("- id: zz\n  canonical: Zz Top\n  type: ORG\n  aliases: [Zz Top]\n", encoding="utf-8")
        aliases = [extra]
    _unreadable(monkeypatch, victim)
    warm = analyze([docs], tagger=CountingTagger(fail=True), aliases=aliases)
    cold = analyze([docs], tagger=CountingTagger(), aliases=aliases, cache=False)
    assert [(s.path, s.reason) for s in warm.report.skipped] == [(s.path, s.reason) for s in cold.report.skipped] == [(str(victim), "permission denied")]
    assert warm.report.read == cold.report.read == 4
    assert warm.report.exit_code == cold.report.exit_code != 0
    assert _dump(warm) == _dump(cold)
