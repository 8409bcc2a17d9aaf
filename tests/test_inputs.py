"""HTML pages and scraper dumps as input; metadata carried into results; --since/--until.

Fixtures (tests/data/inputs/, written for these tests): dump.jsonl has a broken line,
a record with blank text, a date in Indonesian words, a record whose text is under
``content`` and one under ``body`` without a date; dump.json is an array with nested
metadata and a record without text; dump.csv has quoted fields with embedded newlines,
doubled quotes, an empty text and a CRLF record. tests/data/html/ holds the five seeds
wrapped into news pages (scripts/make_html_fixtures.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_tagger import DictTagger
from quotex import ReadOptions, analyze, read_documents
from quotex.cli import app
from quotex.corpus import RunReport, Skipped
from quotex.errors import EXIT_PARTIAL, EXIT_USAGE, UsageError
from quotex.inputs import Filtered, iter_documents, parse_date
from quotex.inputs.html import extract_html
from quotex.inputs.records import read_records
from quotex.models import Document

DATA = Path(__file__).resolve().parent / "data"
INPUTS = DATA / "inputs"
HTML = DATA / "html"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
runner = CliRunner()
NAMES = {"Antony Blinken": "PERSON", "Blinken": "PERSON", "Park Jin": "PERSON", "Vladimir Putin": "PERSON", "Putin": "PERSON",
         "Kim Jong Un": "PERSON", "Retno Marsudi": "PERSON", "Shin Won-sik": "PERSON", "Ferdinand Marcos Jr.": "PERSON"}


class CountingTagger(DictTagger):
    """Records every sentence it is asked to tag."""

    cache_key = "inputs-counting-v1"

    def __init__(self) -> None:
        super().__init__(NAMES)
        self.sentences: list[str] = []

    def tag(self, sentences):
        self.sentences.extend(" ".join(s) for s in sentences)
        return super().tag(sentences)


def _items(path: Path, **opts) -> list:
    return list(iter_documents([str(path)], options=ReadOptions(**opts)))


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-06-25", "2024-06-25"),
    ("2024-06-25T10:01:00+07:00", "2024-06-25"),
    ("2024-06-25 23:59:59", "2024-06-25"),
    ("2024/06/25", "2024-06-25"),
    ("20240625", "2024-06-25"),
    ("25/06/2024 10:01 WIB", "2024-06-25"),
    ("Dian Kusumo Hapsari 25/06/2024 10:01 WIB", "2024-06-25"),
    ("06/25/2024", "2024-06-25"),  # month first only when day first is impossible
    ("Selasa, 02 Juli 2024 14:00 WIB", "2024-07-02"),
    ("Kamis, 09 November 2023 - 20:27:00 WIB", "2023-11-09"),
    ("9 Agt. 2023", "2023-08-09"),
    ("June 28, 2024", "2024-06-28"),
    (1719100800, "2024-06-23"),
    (1719100800000, "2024-06-23"),
    ("1719100800", "2024-06-23"),
    ("2024-02-30", None),
    ("kemarin sore", None),
    ("", None),
    (None, None),
    (True, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_read_options_reject_bad_dates():
    with pytest.raises(UsageError, match="--since 'besok' is not a date"):
        ReadOptions.make(since="besok")
    with pytest.raises(UsageError, match="is after --until"):
        ReadOptions.make(since="2024-07-01", until="2024-06-01")
    assert ReadOptions.make(since="25/06/2024", text_field=" ").since == "2024-06-25"
    assert ReadOptions.make(text_field=" ").text_field is None


# ---------------------------------------------------------------- JSONL


def test_jsonl_records_bad_lines_reported_rest_read():
    items = _items(INPUTS / "dump.jsonl")
    f = str(INPUTS / "dump.jsonl")
    docs = [i for i in items if isinstance(i, Document)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [d.id for d in docs] == [f"{f}#kmp-001", f"{f}#dtk-117", f"{f}#ant-9"]
    assert skipped == [Skipped(f"{f} line 2", "broken JSON line (Invalid control character at column 84)"),
                       Skipped(f"{f} line 3", "empty text")]
    first = docs[0]
    assert (first.date, first.source, first.title, first.author) == ("2024-06-25", "Kompas", "Blinken: Kerja Sama Rusia-Korut Ancam Perdamaian",
                                                                     "Dian Hapsari; Reuters")
    assert first.text.startswith("WASHINGTON, KOMPAS.com - ") and "\n\n“Kerja sama ini" in first.text
    # text under "content", date under "published_at" in words, source from the URL's host
    assert (docs[1].date, docs[1].source) == ("2024-07-02", "news.detik.com")
    assert docs[1].text.startswith("SEOUL - Menteri")
    # text under "body", no date
    assert (docs[2].date, docs[2].source) == (None, "antaranews.com")


def test_jsonl_field_options_and_line_number_keys(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text('{"isi": "Satu.", "tgl": "2024-01-02", "media": "Tempo"}\n\n{"isi": "Dua."}\n{"text": "Tiga."}\n[1, 2]\n', encoding="utf-8")
    items = _items(f, text_field="isi", date_field="tgl", source_field="media")
    assert [(getattr(i, "id", None), getattr(i, "date", None), getattr(i, "source", None)) for i in items[:2]] == [
        (f"{f}#1", "2024-01-02", "Tempo"), (f"{f}#3", None, None)]
    assert items[2] == Skipped(f"{f} line 4", "no text (field 'isi' missing or empty; choose the field with --text-field)")
    assert items[3] == Skipped(f"{f} line 5", "not a JSON object (list)")


def test_repeated_id_is_reported(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text('{"id": 7, "text": "Satu."}\n{"id": 7, "text": "Dua."}\n', encoding="utf-8")
    items = _items(f)
    assert items[0].id == f"{f}#7"
    assert items[1] == Skipped(f"{f} line 2", "repeated id '7' (first at line 1)")


def test_jsonl_is_streamed_not_loaded_whole(tmp_path):
    """20,000 records (about 40 MB): reading them holds only about one record at a time."""
    f = tmp_path / "big.jsonl"
    para = "Menteri Luar Negeri Retno Marsudi mengatakan Indonesia mendorong dialog di kawasan. " * 24
    with f.open("w", encoding="utf-8") as fh:
        for i in range(20_000):
            fh.write(json.dumps({"id": f"r{i}", "date": "2024-06-25", "text": f"{i}. {para}"}, ensure_ascii=False) + "\n")
    assert f.stat().st_size > 35_000_000
    tracemalloc.start()
    n = 0
    for item in read_records(str(f), ReadOptions()):
        assert isinstance(item, Document)
        n += 1
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert n == 20_000
    assert peak < 8_000_000, f"peak {peak} bytes while reading a {f.stat().st_size} byte file"


# ---------------------------------------------------------------- JSON, CSV


def test_json_array_nested_fields_and_epoch_dates():
    f = str(INPUTS / "dump.json")
    items = _items(INPUTS / "dump.json", id_field="_id", date_field="meta.published", title_field="headline")
    docs = [i for i in items if isinstance(i, Document)]
    assert [(d.id, d.date, d.source, d.title) for d in docs] == [
        (f"{f}#65a1", "2024-06-19", "CNN Indonesia", "Putin Kunjungi Pyongyang"),
        (f"{f}#65a3", "2024-06-23", "CNN Indonesia", "China Minta Semua Pihak Menahan Diri"),
    ]
    assert Skipped(f"{f} record 2", "no text (field text, content, body missing or empty; choose the field with --text-field)") in items


def test_json_that_is_not_an_array_and_broken_json(tmp_path):
    obj = tmp_path / "config.json"
    obj.write_text('{"text": "bukan daftar"}', encoding="utf-8")
    assert _items(obj) == [Skipped(str(obj), "not a JSON array of records (a .json input must be [ {...}, {...} ])")]
    broken = tmp_path / "cut.json"
    broken.write_text('[{"text": "Satu."}, {"text": "Dua."}, {"text": "Ti', encoding="utf-8")
    items = _items(broken)
    assert [i.text for i in items if isinstance(i, Document)] == ["Satu.", "Dua."]
    assert items[-1].path == f"{broken} record 3" and items[-1].reason.startswith("broken JSON (")


def test_csv_embedded_newlines_quotes_and_crlf():
    f = str(INPUTS / "dump.csv")
    items = _items(INPUTS / "dump.csv")
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.id for d in docs] == [f"{f}#tmp-1", f"{f}#tmp-3", f"{f}#tmp-4"]
    assert docs[0].title == 'Korsel: "Kami Siap"'
    assert docs[0].text.splitlines()[2].startswith('"Kami siap menghadapi segala kemungkinan," kata')
    assert docs[1].date == "2024-06-28" and docs[1].title == "Indonesia, ASEAN dan Semenanjung Korea"
    assert docs[2].text == 'MANILA - Filipina memantau situasi.\r\n\r\n"Kami waspada," kata Presiden Filipina Ferdinand Marcos Jr.'
    assert items[1] == Skipped(f"{f} record 2 (line 7)", "no text (field text, content, body missing or empty; choose the field with --text-field)")


def test_csv_in_cp1252(tmp_path):
    f = tmp_path / "win.csv"
    f.write_bytes(b'id,text\nx,"\x93Kami siap,\x94 kata Park Jin."\n')
    [doc] = _items(f)
    assert doc.text == "“Kami siap,” kata Park Jin."


# ---------------------------------------------------------------- HTML


def test_html_page_main_text_and_metadata():
    page = HTML / "000_507de9a4183cf6e5.html"
    [doc] = _items(page)
    seed = (SEEDS / "000_507de9a4183cf6e5.txt").read_text(encoding="utf-8")
    assert (doc.date, doc.source, doc.author) == ("2023-09-27", "SINDOnews", "Muhaimin")
    assert doc.url == "https://international.sindonews.com/read/000_507de9a4183cf6e5"
    assert doc.title == seed.splitlines()[0] == doc.text.splitlines()[0]
    html = page.read_text(encoding="utf-8")
    # the chrome is in the page, but not in the text
    for chrome in ("Terpopuler", "Kim Jong Un Kunjungi Pabrik Rudal", "Putin dan Kim sama saja", "Pedoman Media Siber", "Cari berita", "ADVERTISEMENT"):
        assert chrome in html and chrome not in doc.text
    # every seed paragraph is
    for line in seed.splitlines():
        assert line.strip() in doc.text


def test_html_without_main_text_is_skipped(tmp_path):
    empty = tmp_path / "kosong.html"
    empty.write_text("<html><head><title>Beranda</title></head><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    assert _items(empty) == [Skipped(str(empty), "no main text found in the HTML page (only 1 words)")]
    (tmp_path / "blank.html").write_text("<html><body></body></html>", encoding="utf-8")
    assert _items(tmp_path / "blank.html")[0].reason == "no main text found in the HTML page"


def test_html_declared_legacy_charset(tmp_path):
    body = "<p>“Kami siap menghadapi segala kemungkinan dan akan terus berkoordinasi dengan sekutu kami di kawasan ini,” kata Menteri Pertahanan Korea Selatan dalam konferensi pers di Seoul pada hari Rabu.</p>" * 3
    page = tmp_path / "lama.htm"
    page.write_bytes(f'<html><head><meta charset="windows-1252"><title>Uji</title></head><body><article>{body}</article></body></html>'.encode("cp1252"))
    [doc] = _items(page)
    assert "“Kami siap" in doc.text and doc.encoding == "windows-1252"


def test_unchanged_page_is_not_extracted_again(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTEX_CACHE_DIR", str(tmp_path / "cache"))
    page = tmp_path / "p.html"
    page.write_bytes((HTML / "002_d9c482248d65fc47.html").read_bytes())
    os.utime(page, (1_600_000_000, 1_600_000_000))  # older than the 2 s guard
    [first] = _items(page)
    import quotex.inputs.html as html_mod

    def boom(*a, **k):
        raise AssertionError("extracted again")

    monkeypatch.setattr(html_mod, "extract_html", boom)
    [again] = _items(page)
    assert again == first
    with pytest.raises(AssertionError, match="extracted again"):
        _items(page, cache=False)
    page.write_bytes(page.read_bytes().replace(b"Humeyra Pamuk", b"Simon Lewis"))
    os.utime(page, (1_600_000_100, 1_600_000_100))
    with pytest.raises(AssertionError, match="extracted again"):  # changed: read again
        _items(page)
    from quotex.inputs import pagecache

    assert pagecache._conn().execute("SELECT COUNT(*) FROM pages").fetchone()[0] == 1
    assert runner.invoke(app, ["cache", "clear"]).exit_code == 0
    assert pagecache._conn().execute("SELECT COUNT(*) FROM pages").fetchone()[0] == 0


def test_extract_html_title_not_repeated():
    html = ("<html><head><title>Judul Berita</title></head><body><article><h1>Judul Berita</h1>"
            + "<p>Menteri Luar Negeri Retno Marsudi mengatakan Indonesia mendorong dialog di Semenanjung Korea pada pertemuan itu.</p>" * 4
            + "</article></body></html>")
    doc = extract_html(html, doc_id="x")
    assert doc.text.count("Judul Berita") == 1


# ---------------------------------------------------------------- default globs, filters, report


def test_default_globs_read_new_extensions(tmp_path):
    for name in ["a.txt", "b.jsonl", "c.csv", "d.html", "e.pdf"]:
        (tmp_path / name).write_text("", encoding="utf-8")
    paths = [getattr(i, "path", getattr(i, "id", None)) for i in iter_documents([str(tmp_path)])]
    assert [os.path.basename(p) for p in paths] == ["a.txt", "c.csv", "d.html"]  # b.jsonl is empty: no records


def test_since_until_leave_out_and_count(tmp_path):
    rep = RunReport()
    docs = list(read_documents([INPUTS / "dump.jsonl", INPUTS / "dump.csv"], options=ReadOptions.make(since="2024-06-26", until="2024-06-30"), report=rep))
    assert [d.id.rsplit("#", 1)[1] for d in docs] == ["tmp-1", "tmp-3", "tmp-4"]
    assert rep.filtered == {"before --since": 1, "after --until": 1, "no date": 1}
    assert rep.summary().startswith("quotex: read 3 documents, left out 3 by --since/--until (1 after --until, 1 before --since, 1 no date), skipped 3")
    # no window: undated documents are kept
    assert len(list(read_documents([INPUTS / "dump.jsonl"]))) == 3
    assert list(iter_documents([str(INPUTS / "dump.jsonl")], options=ReadOptions(since="2024-07-01")))[-1] == Filtered(f"{INPUTS / 'dump.jsonl'}#ant-9", "no date")


# ---------------------------------------------------------------- results carry metadata


def test_metadata_in_quote_mention_and_entity_results():
    c = analyze([INPUTS], tagger=DictTagger(NAMES), cache=False)
    [q] = c.quotes(speaker="Blinken")
    assert (q.date, q.source, q.title) == ("2024-06-25", "Kompas", "Blinken: Kerja Sama Rusia-Korut Ancam Perdamaian")
    assert q.url == "https://www.kompas.com/global/read/2024/06/25/kmp-001"
    m = next(m for m in c.mentions() if m.text == "Park Jin")
    assert (m.date, m.doc_source, m.source) == ("2024-07-02", "news.detik.com", "ner")
    russia = next(e for e in c.entities() if e.id == "russia")
    assert (russia.first_date, russia.last_date) == ("2024-06-25", "2024-07-02")
    assert c.metadata(q.doc)["author"] == "Dian Hapsari; Reuters"
    # offsets refer to the record's text
    docs = {d.id: d.text for d in read_documents([INPUTS])}
    for m in c.mentions():
        assert docs[m.doc][m.start : m.end] == m.text


def test_cli_timeline_csv_and_documents_command():
    r = runner.invoke(app, ["quotes", str(INPUTS), "--no-ner", "--no-cache", "-f", "csv", "--until", "2024-06-30"])
    assert r.exit_code == EXIT_PARTIAL, r.stderr  # the bad records are skipped and named
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0])[-4:] == ["date", "source", "url", "title"]
    assert sorted(x["date"] for x in rows) == ["2024-06-25", "2024-06-26", "2024-06-26", "2024-06-28", "2024-06-29"]
    assert "left out 4 by --since/--until (3 no date, 1 after --until)" in r.stderr  # dump.json dates need --date-field
    assert f"quotex: skipped {INPUTS / 'dump.jsonl'} line 2: broken JSON line" in r.stderr
    r = runner.invoke(app, ["entities", str(INPUTS / "dump.jsonl"), "--no-ner", "--no-cache", "-f", "json"])
    assert {"first_date", "last_date"} <= set(json.loads(r.stdout)[0])
    r = runner.invoke(app, ["documents", str(HTML / "001_1742510e8f838e75.html"), "-f", "json", "--text"])
    assert r.exit_code == 0, r.stderr
    [d] = json.loads(r.stdout)
    assert (d["date"], d["source"]) == ("2024-06-25", "IDX Channel")
    m = json.loads(runner.invoke(app, ["mentions", str(HTML / "001_1742510e8f838e75.html"), "--no-ner", "--no-cache", "-f", "json"]).stdout)
    assert m and all(d["text"][x["start"] : x["end"]] == x["text"] for x in m)
    r = runner.invoke(app, ["quotes", str(INPUTS), "--no-ner", "--since", "pekan lalu"])
    assert r.exit_code == EXIT_USAGE and r.stderr.startswith("Error: --since 'pekan lalu' is not a date")


# ---------------------------------------------------------------- cache


def test_one_changed_record_is_the_only_one_analysed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTEX_CACHE_DIR", str(tmp_path / "cache"))
    src = [json.loads(x) for x in (INPUTS / "dump.jsonl").read_text(encoding="utf-8").splitlines() if x.startswith('{"id": "') and x.endswith("}")]
    dump = tmp_path / "d.jsonl"
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in src), encoding="utf-8")
    first = CountingTagger()
    analyze([dump], tagger=first)
    assert first.sentences
    src[2]["content"] = src[2]["content"].replace("Rusia membantah tuduhan itu.", "Rusia dan Korea Utara membantah tuduhan itu.")
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in src), encoding="utf-8")
    again = CountingTagger()
    c = analyze([dump], tagger=again)
    changed = "".join(src[2]["content"].split())
    # the model ran again on the changed record's sentences only (tokens joined by spaces: compare without them)
    assert again.sentences and all("".join(s.split()) in changed for s in again.sentences)
    assert len(again.sentences) == 3 < len(first.sentences)
    fresh = analyze([dump], tagger=DictTagger(NAMES), cache=False)
    assert [q.to_dict() for q in c.quotes()] == [q.to_dict() for q in fresh.quotes()]
    assert [e.to_dict() for e in c.entities()] == [e.to_dict() for e in fresh.entities()]


# ---------------------------------------------------------------- the seeds as pages


@pytest.mark.stanza
def test_seed_pages_give_the_seed_results(seed_corpus):
    pages = analyze([HTML])
    assert pages.report.read == 5 and not pages.report.skipped

    def ents(c):
        return sorted((e.id, e.canonical, e.type, e.mentions, e.documents, tuple(sorted(e.variants))) for e in c.entities())

    def quotes(c):
        return sorted((Path(q.doc).stem, q.text, q.kind, q.speaker_id, q.speaker_mention, q.cue) for q in c.quotes())

    assert ents(pages) == ents(seed_corpus)
    assert quotes(pages) == quotes(seed_corpus)
    assert {q.date for q in pages.quotes()} == {"2023-09-27", "2024-06-25", "2023-11-09", "2024-06-20", "2024-06-19"}
