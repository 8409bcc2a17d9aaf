"""Property tests: exports round-trip any Unicode text; decoding never crashes or alters text."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from quotex.corpus import SkipFile, decode_bytes
from quotex.export import write_rows

COLUMNS = ["a", "b", "c"]
cells = st.text()  # any Unicode text (no lone surrogates), control characters included
rows_strategy = st.lists(st.fixed_dictionaries({c: cells for c in COLUMNS}), max_size=8)
SKIP_REASONS = {"empty file", "binary file", "not valid text in any supported encoding"}


def _stdout_of(rows: list[dict[str, Any]], **kwargs: Any) -> str:
    """What write_rows prints."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        write_rows(rows, columns=COLUMNS, **kwargs)
    return buf.getvalue()


# ---------------------------------------------------------------- exports


@given(rows_strategy, st.booleans())
def test_csv_round_trip(rows: list[dict[str, str]], bom: bool) -> None:
    out = _stdout_of(rows, fmt="csv", csv_bom=bom)
    assert out.startswith("\ufeff") == bom
    parsed = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline="")))
    assert parsed[0] == COLUMNS
    assert parsed[1:] == [[r[c] for c in COLUMNS] for r in rows]


@given(rows_strategy)
def test_csv_safe_only_prefixes_formula_cells(rows: list[dict[str, str]]) -> None:
    parsed = list(csv.reader(io.StringIO(_stdout_of(rows, fmt="csv", csv_safe=True), newline="")))
    for row, got in zip(rows, parsed[1:], strict=True):
        for c, cell in zip(COLUMNS, got, strict=True):
            original = row[c]
            risky = original.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert cell == ("'" + original if risky else original)


def _escapes(json_text: str) -> list[str]:
    """The backslash escapes in JSON text, read left to right (so ``\\\\u`` is not a ``\\u``)."""
    return [m.group(1) for m in re.finditer(r"\\(u[0-9a-fA-F]{4}|.)", json_text)]


@given(rows_strategy)
def test_json_round_trip_without_unicode_escapes(rows: list[dict[str, str]]) -> None:
    out = _stdout_of(rows, fmt="json")
    assert json.loads(out) == rows
    for esc in _escapes(out):
        if esc.startswith("u"):
            assert int(esc[1:], 16) < 0x20, f"needless escape \\{esc}"


@given(rows_strategy)
def test_jsonl_round_trip(rows: list[dict[str, str]]) -> None:
    out = _stdout_of(rows, fmt="jsonl")
    lines = out.split("\n")  # not splitlines(): U+2028 and U+0085 are kept raw inside strings
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == rows


@given(st.dictionaries(st.text(min_size=1), st.text() | st.none() | st.integers(), max_size=5))
def test_json_keeps_columns_first_then_extra_keys(row: dict[str, Any]) -> None:
    [obj] = json.loads(_stdout_of([row], fmt="json"))
    extra = [k for k in row if k not in COLUMNS]
    assert list(obj) == COLUMNS + extra
    assert all(obj[k] == row.get(k) for k in obj)


# ---------------------------------------------------------------- decoding


@settings(max_examples=300)
@given(st.binary(max_size=2048))
def test_decode_any_bytes_gives_text_or_a_skip_reason(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except SkipFile as exc:
        assert exc.reason.split(" (")[0] in SKIP_REASONS
    else:
        assert text and not text.isspace()
        assert encoding
        assert decode_bytes(data) == (text, encoding)  # deterministic


@given(
    st.text(min_size=1).filter(lambda t: not t.startswith("\ufeff")),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-32"]),
)
def test_unicode_text_comes_back_exactly(text: str, codec: str) -> None:
    if codec == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(codec)  # Python's utf-8-sig/utf-16/utf-32 write a BOM
    try:
        decoded, _ = decode_bytes(data)
    except SkipFile as exc:
        # Only for text that really is empty or binary-looking.
        assert exc.reason in {"empty file", "binary file"}
        assert text.isspace() or "\x00" in text or any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in text)
    else:
        assert decoded == text


@given(st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "P", "Zs"]) | st.sampled_from("\u201c\u201d\u2018\u2019\u2013\u2014\u2026\r\n"), min_size=1))
def test_cp1252_news_text_decodes_to_itself(text: str) -> None:
    data = text.encode("cp1252")
    try:
        decoded, encoding = decode_bytes(data)
    except SkipFile as exc:
        assert exc.reason == "empty file"
        assert text.isspace()
    else:
        assert decoded == text
        assert encoding in {"utf-8", "cp1252"}
