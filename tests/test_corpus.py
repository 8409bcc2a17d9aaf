"""Finding and reading inputs: encodings, bad files, odd folders, nothing lost."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from quotex import corpus
from quotex.corpus import (
    MAX_FILE_BYTES,
    RunReport,
    SkipFile,
    Skipped,
    decode_bytes,
    iter_inputs,
    read_document,
)
from quotex.errors import EXIT_OK, EXIT_PARTIAL, InputError
from quotex.models import Document

QUOTE = "\u201cKami tidak akan menyerah,\u201d kata Menteri Luar Negeri AS Antony Blinken di Seoul."


def _by_id(items: list[Document | Skipped]) -> dict[str, Document | Skipped]:
    return {(i.id if isinstance(i, Document) else i.path): i for i in items}


# ---------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (QUOTE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + QUOTE.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + QUOTE.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + QUOTE.encode("utf-16-be"), "utf-16-be"),
        (b"\xff\xfe\x00\x00" + QUOTE.encode("utf-32-le"), "utf-32-le"),
        (b"\x00\x00\xfe\xff" + QUOTE.encode("utf-32-be"), "utf-32-be"),
        (QUOTE.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "utf32be-bom", "cp1252"],
)
def test_decode_known_encodings(data: bytes, encoding: str) -> None:
    text, enc = decode_bytes(data)
    assert text == QUOTE  # BOM removed, curly quotes intact
    assert enc == encoding


@pytest.mark.parametrize(
    "text",
    [
        "\u201chalo\u201d",  # short: the detector alone would say cp1250 or a DOS code page
        "Dia berkata \u201chalo\u201d \u2013 lalu pergi\u2026",
        "caf\u00e9 \u2018hanya\u2019 na\u00efve",
        "Harga \u20ac5 \u201cmahal\u201d",
    ],
)
def test_cp1252_wins_for_curly_quotes(text: str) -> None:
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")


def test_latin1_without_c1_bytes_reads_the_same() -> None:
    text = "Caf\u00e9 di Jalan Sudirman, r\u00e9sum\u00e9 na\u00efve."
    assert decode_bytes(text.encode("latin-1"))[0] == text


def test_other_legacy_encoding_is_detected() -> None:
    text = "Министр иностранных дел России Сергей Лавров заявил журналистам, что переговоры продолжатся."
    assert decode_bytes(text.encode("cp1251")) == (text, "cp1251")


def test_utf8_with_stray_cp1252_bytes_keeps_both() -> None:
    data = "Menteri \u201cok\u201d dan caf\u00e9 ".encode() + b"\x93lagi\x94"
    text, enc = decode_bytes(data)
    assert text == "Menteri \u201cok\u201d dan caf\u00e9 \u201clagi\u201d"
    assert enc == "utf-8+cp1252"


def test_crlf_kept_as_is() -> None:
    text = "Baris satu.\r\n\u201cKutipan,\u201d katanya.\r\n"
    assert decode_bytes(text.encode("utf-8"))[0] == text
    assert decode_bytes(text.encode("cp1252"))[0] == text


def test_control_and_zero_width_characters_are_text() -> None:
    text = "Kim\u200bJong\u200cUn \u200d\u2060kata\ufeff \x0c\x0b dia\x07 \u201cya\u201d.\n" * 3
    assert decode_bytes(text.encode("utf-8"))[0] == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\t\n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"\xff\xfe" + " \n".encode("utf-16-le"), "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"text with a NUL\x00 in it", "binary file"),
        (bytes(range(1, 32)) * 10, "binary file"),
        (b"\xff\xfe" + "\x01\x02\x03".encode("utf-16-le") * 10, "binary file"),
        (b"\xff\xfe" + "\x00\x01\x02\x03".encode("utf-16-le") * 10, "binary file"),
        (b"\xff\xfe\x00", "not valid text in any supported encoding (bad utf-16-le)"),
    ],
    ids=["zero-bytes", "whitespace", "bom-only", "utf16-whitespace", "png", "nul", "controls", "utf16-controls", "utf16-nul-not-utf32", "odd-utf16"],
)
def test_decode_rejects(data: bytes, reason: str) -> None:
    with pytest.raises(SkipFile) as exc:
        decode_bytes(data)
    assert exc.value.reason == reason


def test_single_5mb_line(tmp_path: Path) -> None:
    line = ("Kata Blinken \u201cya\u201d dan Korut " * 200_000)[: 5 * 1024 * 1024]
    f = tmp_path / "one_line.txt"
    f.write_text(line, encoding="utf-8")
    doc = read_document(f)
    assert doc.text == line
    assert "\n" not in doc.text


def test_50mb_file_is_read(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    para = ("\u201cKami tidak akan menyerah,\u201d kata Blinken di Seoul, Senin.\r\n").encode()
    with f.open("wb") as fh:
        for _ in range((50 * 1024 * 1024) // len(para) + 1):
            fh.write(para)
    size = f.stat().st_size
    assert 50 * 1024 * 1024 <= size < MAX_FILE_BYTES
    doc = read_document(f)
    assert len(doc.text.encode()) == size


def test_50mb_legacy_file_is_decoded_from_a_sample(tmp_path: Path) -> None:
    f = tmp_path / "big1252.txt"
    para = "\u201cKami tidak akan menyerah,\u201d kata Blinken \u2013 Senin.\r\n".encode("cp1252")
    f.write_bytes(para * ((50 * 1024 * 1024) // len(para) + 1))
    doc = read_document(f)
    assert doc.encoding == "cp1252"
    assert doc.text.startswith("\u201cKami")


def test_too_large_file_is_skipped_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as fh:  # sparse: no real disk use
        fh.truncate(MAX_FILE_BYTES + 1)
    monkeypatch.setattr(corpus, "open", _fail_open, raising=False)  # must not even be opened
    with pytest.raises(SkipFile, match=r"^file too large \(65 MB > 64 MB\)$"):
        read_document(f)


def test_too_large_stdin_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 10)
    [item] = iter_inputs(["-"], stdin=io.BytesIO(b"x" * 11))
    assert isinstance(item, Skipped)
    assert item.reason.startswith("file too large")


def _fail_open(*args: object, **kwargs: object) -> None:
    raise AssertionError("open() should not be called")


# ---------------------------------------------------------------- reading files


def test_read_document_ids_and_encoding(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(QUOTE.encode("cp1252"))
    doc = read_document(f)
    assert doc == Document(id=str(f), text=QUOTE, encoding="cp1252")
    assert read_document(f, doc_id="x").id == "x"


def test_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "secret.txt"
    f.write_text("rahasia", encoding="utf-8")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(f))

    monkeypatch.setattr(corpus, "open", deny, raising=False)
    items = list(iter_inputs([str(tmp_path)]))
    assert items == [Skipped(str(f), "permission denied")]


@pytest.mark.skipif(getattr(os, "geteuid", lambda: -1)() == 0, reason="running as root: chmod 000 does not stop root from reading")
def test_permission_denied_real(tmp_path: Path) -> None:
    f = tmp_path / "secret.txt"
    f.write_text("rahasia", encoding="utf-8")
    f.chmod(0)
    try:
        assert list(iter_inputs([str(f)])) == [Skipped(str(f), "permission denied")]
    finally:
        f.chmod(0o644)


def test_unreadable_folder_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.txt").write_text("baik", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text("x", encoding="utf-8")
    real = corpus._list_dir

    def list_dir(path: str) -> list[os.DirEntry[str]]:
        if path.endswith("locked"):
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(corpus, "_list_dir", list_dir)
    items = list(iter_inputs([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["Skipped", "Document"]
    assert items[0] == Skipped(str(locked), "permission denied")


def test_explicit_file_read_whatever_its_extension(tmp_path: Path) -> None:
    f = tmp_path / "article.xml"  # not a default glob (HTML and record files are: see test_inputs.py)
    f.write_text("<p>halo</p>", encoding="utf-8")
    (tmp_path / "note.txt").write_text("catatan", encoding="utf-8")
    assert [d.id for d in iter_inputs([str(f)])] == [str(f)]  # type: ignore[union-attr]
    assert [d.id for d in iter_inputs([str(tmp_path)])] == [str(tmp_path / "note.txt")]  # type: ignore[union-attr]


def test_missing_path_raises_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    missing = str(tmp_path / "nope")
    with pytest.raises(InputError) as exc:
        iter_inputs([str(tmp_path), missing])  # raised at call time, not on first next()
    assert str(exc.value) == f"path not found: {missing}"
    assert "\n" not in str(exc.value)


def test_stdin() -> None:
    [doc] = iter_inputs(["-"], stdin=io.BytesIO(QUOTE.encode("cp1252")))
    assert doc == Document(id="-", text=QUOTE, encoding="cp1252")
    [skipped] = iter_inputs(["-"], stdin=io.BytesIO(b""))
    assert skipped == Skipped("-", "empty file")


# ---------------------------------------------------------------- folders


def test_folder_walk_sorted_recursive_and_globbed(tmp_path: Path) -> None:
    for rel in ["b.txt", "a.md", "sub/c.txt", "sub/deeper/d.TXT", "skip.xml", "sub/e.docx", "z/y.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(rel, encoding="utf-8")
    root = str(tmp_path)
    ids = [i.id for i in iter_inputs([root])]  # type: ignore[union-attr]
    assert ids == [os.path.join(root, r) for r in ["a.md", "b.txt", "sub/c.txt", "sub/deeper/d.TXT", "z/y.txt"]]
    assert [i.id for i in iter_inputs([root], globs=["*.xml"])] == [os.path.join(root, "skip.xml")]  # type: ignore[union-attr]


def test_doc_id_is_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("a", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert [i.id for i in iter_inputs(["corpus/"])] == ["corpus/a.txt"]  # type: ignore[union-attr]
    assert [i.id for i in iter_inputs(["corpus"])] == ["corpus/a.txt"]  # type: ignore[union-attr]


def test_broken_symlink_in_folder(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("baik", encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "does-not-exist.txt")
    (tmp_path / "gone.bin").symlink_to(tmp_path / "does-not-exist.bin")  # not an input: ignored
    items = _by_id(list(iter_inputs([str(tmp_path)])))
    assert items[str(tmp_path / "gone.txt")] == Skipped(str(tmp_path / "gone.txt"), "broken symlink")
    assert isinstance(items[str(tmp_path / "good.txt")], Document)
    assert len(items) == 2


def test_broken_symlink_given_explicitly(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere")
    assert list(iter_inputs([str(link)])) == [Skipped(str(link), "broken symlink")]


def test_symlink_loop_folder_cycle(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")  # a/b/up -> a: a cycle
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # a link to itself: ELOOP
    items = list(iter_inputs([str(tmp_path)]))
    assert items == [
        Skipped(str(tmp_path / "a" / "b" / "up"), "symlink loop"),
        Document(id=str(tmp_path / "a" / "b" / "x.txt"), text="x"),
        Skipped(str(tmp_path / "self.txt"), "symlink loop"),
    ]


def test_symlinked_folder_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "r.txt").write_text("r", encoding="utf-8")
    (tmp_path / "top").mkdir()
    (tmp_path / "top" / "link").symlink_to(tmp_path / "real")
    assert [i.id for i in iter_inputs([str(tmp_path / "top")])] == [str(tmp_path / "top" / "link" / "r.txt")]  # type: ignore[union-attr]


def test_fifo_in_folder_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block forever
    assert list(iter_inputs([str(tmp_path)])) == [Skipped(str(tmp_path / "pipe.txt"), "not a regular file")]


def test_mixed_folder_reports_every_input(tmp_path: Path) -> None:
    (tmp_path / "1_cp1252.txt").write_bytes(QUOTE.encode("cp1252"))
    (tmp_path / "2_utf16.txt").write_bytes(b"\xff\xfe" + QUOTE.encode("utf-16-le"))
    (tmp_path / "3_empty.txt").write_bytes(b"")
    (tmp_path / "4_binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "5_bom.md").write_bytes(b"\xef\xbb\xbf" + QUOTE.encode())
    report = RunReport()
    docs = list(report.track(iter_inputs([str(tmp_path)])))
    assert [d.text for d in docs] == [QUOTE, QUOTE, QUOTE]
    assert report.read == 3
    assert report.summary() == "quotex: read 3 documents, skipped 2 (1 binary file, 1 empty file)"
    assert report.exit_code == EXIT_PARTIAL
    assert report.details() == [
        f"quotex: skipped {tmp_path / '3_empty.txt'}: empty file",
        f"quotex: skipped {tmp_path / '4_binary.txt'}: binary file",
    ]


def test_3000_small_files_all_read_in_order(tmp_path: Path) -> None:
    for i in range(3000):
        (tmp_path / f"d{i // 100:02d}").mkdir(exist_ok=True)
        (tmp_path / f"d{i // 100:02d}" / f"f{i:04d}.txt").write_text(f"Berita {i}: \u201cya,\u201d katanya.\n", encoding="utf-8")
    items = list(iter_inputs([str(tmp_path)]))
    assert len(items) == 3000
    assert all(isinstance(i, Document) for i in items)
    ids = [i.id for i in items]  # type: ignore[union-attr]
    assert ids == sorted(ids)


# ---------------------------------------------------------------- report


def test_report_clean_run() -> None:
    report = RunReport()
    report.add(Document(id="a", text="a"))
    assert report.summary() == "quotex: read 1 document"
    assert report.exit_code == EXIT_OK


def test_report_groups_reasons_by_kind() -> None:
    report = RunReport()
    for item in [
        Skipped("a", "file too large (70 MB > 64 MB)"),
        Skipped("b", "file too large (90 MB > 64 MB)"),
        Skipped("c", "broken symlink"),
    ]:
        report.add(item)
    assert report.summary() == "quotex: read 0 documents, skipped 3 (2 file too large, 1 broken symlink)"
    assert report.exit_code == EXIT_PARTIAL
