"""Writers: formats, atomic -o, refusing to overwrite inputs, faults mid-write."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from quotex import export
from quotex.errors import OutputError
from quotex.export import FORMATS, write_rows
from quotex.models import Quote

COLUMNS = ["speaker", "text", "also_in", "confidence"]
ROWS: list[dict[str, Any]] = [
    {
        "speaker": "Antony Blinken",
        "text": "\u201cKami [bold]tidak[/bold] akan menyerah,\u201d ujarnya \u2014 Korut.",
        "also_in": ["a.txt", "b.txt"],
        "confidence": 0.9,
        "doc": "a.txt",
    },
    {"speaker": None, "text": "-menurut dia- =1+1", "also_in": [], "confidence": 1},
]


def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------- formats


def test_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert write_rows(ROWS, fmt="csv", columns=COLUMNS) == 2
    out = capsys.readouterr().out
    assert out == (
        "speaker,text,also_in,confidence\r\n"
        'Antony Blinken,"\u201cKami [bold]tidak[/bold] akan menyerah,\u201d ujarnya \u2014 Korut.",a.txt; b.txt,0.9\r\n'
        ",-menurut dia- =1+1,,1\r\n"
    )


def test_csv_safe_and_bom(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"a": v} for v in ["=SUM(A1)", "+62 21", "-kata", "@x", "\tx", "\rx", "biasa", "", None]]
    write_rows(rows, fmt="csv", columns=["a"], csv_safe=True, csv_bom=True)
    out = capsys.readouterr().out
    assert out.startswith("\ufeffa\r\n")
    cells = [r[0] for r in csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline=""))][1:]
    assert cells == ["'=SUM(A1)", "'+62 21", "'-kata", "'@x", "'\tx", "'\rx", "biasa", "", ""]


def test_csv_verbatim_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    write_rows([{"a": "=1+1"}], fmt="csv", columns=["a"])
    assert capsys.readouterr().out == "a\r\n=1+1\r\n"


def test_json_column_order_and_unicode(capsys: pytest.CaptureFixture[str]) -> None:
    write_rows(ROWS, fmt="json", columns=COLUMNS)
    out = capsys.readouterr().out
    assert "\\u" not in out
    data = json.loads(out)
    assert list(data[0]) == [*COLUMNS, "doc"]  # columns first, then extra keys
    assert data[0]["text"] == ROWS[0]["text"]
    assert data[1]["speaker"] is None


def test_json_empty_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert write_rows([], fmt="json", columns=COLUMNS) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_json_missing_columns_nan_and_objects(capsys: pytest.CaptureFixture[str]) -> None:
    quote = Quote("d", 0, 3, "ya", "full", None, None, None, None, None, 0.5, also_in=("e",))
    write_rows([{"x": float("nan"), "q": quote, "p": Path("a/b.txt")}], fmt="json", columns=["y", "x"])
    [obj] = json.loads(capsys.readouterr().out)
    assert obj == {"y": None, "x": None, "q": quote.to_dict(), "p": "a/b.txt"}


def test_jsonl(capsys: pytest.CaptureFixture[str]) -> None:
    write_rows(ROWS, fmt="jsonl", columns=COLUMNS)
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["speaker"] for line in lines] == ["Antony Blinken", None]


def test_table_plain_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    buf = io.StringIO()
    write_rows(ROWS, fmt="table", columns=COLUMNS, title="Kutipan", console=Console(file=buf, width=200))
    out = buf.getvalue()
    assert "\x1b[" not in out  # no colour codes
    assert "Kutipan" in out
    assert "[bold]tidak[/bold]" in out  # cells are text, never rich markup
    assert "a.txt; b.txt" in out
    narrow = io.StringIO()
    write_rows(ROWS, fmt="table", columns=COLUMNS, console=Console(file=narrow, width=50))
    assert "Korut" in narrow.getvalue()  # long text wraps instead of being cut off
    assert max(len(line) for line in narrow.getvalue().splitlines()) <= 50


def test_table_default_console_to_piped_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    write_rows(ROWS, fmt="table", columns=COLUMNS)
    out = capsys.readouterr().out
    assert "Antony Blinken" in out
    assert "\x1b[" not in out


def test_unknown_format() -> None:
    with pytest.raises(OutputError, match="unknown format 'xml'"):
        write_rows(ROWS, fmt="xml", columns=COLUMNS)


def test_lone_surrogate_in_a_file_name_does_not_crash(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    write_rows([{"doc": "berita-\udcff.txt"}], fmt="jsonl", columns=["doc"], out=target)
    assert json.loads(target.read_text(encoding="utf-8")) == {"doc": "berita-\udcff.txt"}


# ---------------------------------------------------------------- files


@pytest.mark.parametrize("fmt", FORMATS)
def test_write_to_file(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    assert write_rows(ROWS, fmt=fmt, columns=COLUMNS, out=target) == 2
    text = target.read_text(encoding="utf-8")
    assert "Antony Blinken" in text
    assert "\x1b[" not in text
    assert _no_temp_files(tmp_path)


def test_replaces_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_rows(ROWS, fmt="csv", columns=COLUMNS, out=target)
    assert target.read_text(encoding="utf-8").startswith("speaker,")
    assert target.stat().st_mode & 0o777 == 0o640


def test_symlinked_output_writes_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("[]", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_rows(ROWS, fmt="json", columns=COLUMNS, out=link)
    assert link.is_symlink()
    assert len(json.loads(real.read_text(encoding="utf-8"))) == 2


def test_missing_output_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as exc:
        write_rows(ROWS, fmt="csv", columns=COLUMNS, out=tmp_path / "nope" / "out.csv")
    assert "does not exist" in str(exc.value)
    assert "\n" not in str(exc.value)


def test_output_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder"):
        write_rows(ROWS, fmt="csv", columns=COLUMNS, out=tmp_path)


def test_refuses_to_overwrite_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = tmp_path / "berita.txt"
    article.write_text("asli", encoding="utf-8")
    hard = tmp_path / "hardlink.txt"
    os.link(article, hard)
    monkeypatch.chdir(tmp_path)
    for out in [article, Path("berita.txt"), Path("./sub/../berita.txt"), hard]:
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(OutputError, match="refusing to overwrite input file"):
            write_rows(ROWS, fmt="csv", columns=COLUMNS, out=out, inputs=[article])
    assert article.read_text(encoding="utf-8") == "asli"
    assert _no_temp_files(tmp_path)


def _failing_rows(exc: BaseException, after: int = 50) -> Iterator[Mapping[str, Any]]:
    for i in range(after):
        yield {"speaker": f"Orang {i}", "text": "x" * 1000, "also_in": [], "confidence": 1.0}
    raise exc


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "exc",
    [KeyboardInterrupt(), OSError(errno.ENOSPC, "No space left on device"), RuntimeError("stage failed")],
    ids=["ctrl-c", "enospc", "error"],
)
def test_failure_mid_write_leaves_target_untouched(tmp_path: Path, fmt: str, exc: BaseException) -> None:
    existing = tmp_path / "out.dat"
    existing.write_text("previous results", encoding="utf-8")
    fresh = tmp_path / "fresh.dat"
    for target in (existing, fresh):
        with pytest.raises(type(exc)):
            write_rows(_failing_rows(exc), fmt=fmt, columns=COLUMNS, out=target)
    assert existing.read_text(encoding="utf-8") == "previous results"
    assert not fresh.exists()
    assert _no_temp_files(tmp_path)


def test_disk_full_while_writing_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("previous", encoding="utf-8")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export.os, "fsync", no_space)
    with pytest.raises(OutputError) as info:
        write_rows(ROWS, fmt="jsonl", columns=COLUMNS, out=target)
    assert str(info.value) == f"cannot write {target}: No space left on device"
    assert target.read_text(encoding="utf-8") == "previous"
    assert _no_temp_files(tmp_path)


def test_disk_full_in_a_buffered_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.csv"

    class FullDisk(io.FileIO):
        def write(self, b: Any) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    real_fdopen = os.fdopen
    monkeypatch.setattr(export.os, "fdopen", lambda fd, mode: io.BufferedWriter(FullDisk(fd, "wb")) if mode == "wb" else real_fdopen(fd, mode))
    with pytest.raises(OutputError, match="No space left on device"):
        write_rows(_failing_rows(RuntimeError("unreached"), after=5000), fmt="csv", columns=COLUMNS, out=target)
    assert not target.exists()
    assert _no_temp_files(tmp_path)


def test_json_to_stdout_is_closed_on_ctrl_c(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(KeyboardInterrupt):
        write_rows(_failing_rows(KeyboardInterrupt(), after=3), fmt="json", columns=COLUMNS)
    data = json.loads(capsys.readouterr().out)
    assert [d["speaker"] for d in data] == ["Orang 0", "Orang 1", "Orang 2"]


def test_json_to_stdout_closed_when_nothing_was_written(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(KeyboardInterrupt):
        write_rows(_failing_rows(KeyboardInterrupt(), after=0), fmt="json", columns=COLUMNS)
    assert json.loads(capsys.readouterr().out) == []


def test_check_output_can_run_before_the_analysis(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("x", encoding="utf-8")
    assert export.check_output(tmp_path / "out.csv", [article]) == tmp_path / "out.csv"
    with pytest.raises(OutputError):
        export.check_output(article, [article])
