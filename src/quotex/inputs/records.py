"""Scraper dumps: JSONL, JSON arrays of objects and CSV, one document per record.

Files are streamed: JSONL line by line, JSON arrays with ijson's incremental
parser, CSV with :mod:`csv` row by row, so a dump of any size is never held in
memory whole. Each record becomes a Document with id ``FILE#KEY`` (KEY: the id
field's value, else the line number in JSONL and the record number, counted from
1, in JSON and CSV). A bad record (broken JSON line, no text, a repeated id) is
reported as Skipped with its line or record number, and the rest is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from ..corpus import MAX_FILE_BYTES, SkipFile, Skipped, _os_reason, decode_bytes
from ..models import Document
from . import (
    AUTHOR_FIELDS,
    DATE_FIELDS,
    ID_FIELDS,
    SOURCE_FIELDS,
    TEXT_FIELDS,
    TITLE_FIELDS,
    URL_FIELDS,
    ReadOptions,
    parse_date,
)

__all__ = ["read_records", "record_document"]

MAX_RECORD_BYTES = MAX_FILE_BYTES  # one JSONL line or CSV field; longer ones are skipped
_SNIFF_BYTES = 256 * 1024


def _get(rec: Mapping[str, Any], name: str) -> Any:
    """``rec[name]``; a dotted name looks inside nested objects (``meta.date``)."""
    if name in rec:
        return rec[name]
    cur: Any = rec
    for part in name.split("."):
        if not isinstance(cur, Mapping) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _first(rec: Mapping[str, Any], given: str | None, defaults: tuple[str, ...]) -> Any:
    """The value of the field the user named, else of the first default field that has a value."""
    if given is not None:
        return _get(rec, given)
    for name in defaults:
        v = rec.get(name)
        if v is not None and v != "":
            return v
    return None


def _text_value(v: Any) -> str | None:
    """A metadata value as one stripped line; a list of strings is joined with ``; ``."""
    if isinstance(v, (list, tuple)):
        v = "; ".join(str(x) for x in v if isinstance(x, (str, int, float)) and str(x).strip())
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str):
        return None
    v = " ".join(v.split())
    return v or None


def _host(url: str | None) -> str | None:
    """The host of a URL without ``www.`` (the source when a record names none)."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def record_document(rec: Any, *, file: str, number: int, options: ReadOptions) -> Document:
    """One record as a Document; raise :class:`SkipFile` with the reason when it has no usable text.

    ``number`` is the line (JSONL) or record number (JSON, CSV) used as the key
    when the record has no id.
    """
    if not isinstance(rec, Mapping):
        raise SkipFile(f"not a JSON object ({type(rec).__name__})")
    raw = _first(rec, options.text_field, TEXT_FIELDS)
    if isinstance(raw, (list, tuple)) and all(isinstance(p, str) for p in raw):
        raw = "\n\n".join(raw)  # a list of paragraphs
    if raw is None:
        tried = repr(options.text_field) if options.text_field else ", ".join(TEXT_FIELDS)
        raise SkipFile(f"no text (field {tried} missing or empty; choose the field with --text-field)")
    if not isinstance(raw, str):
        raise SkipFile(f"text field is not a string ({type(raw).__name__})")
    if not raw.strip():
        raise SkipFile("empty text")
    key = _text_value(_first(rec, options.id_field, ID_FIELDS)) or str(number)
    url = _text_value(_first(rec, options.url_field, URL_FIELDS))
    return Document(
        id=f"{file}#{key}",
        text=raw,
        date=parse_date(_first(rec, options.date_field, DATE_FIELDS)),
        source=_text_value(_first(rec, options.source_field, SOURCE_FIELDS)) or _host(url),
        url=url,
        title=_text_value(_first(rec, options.title_field, TITLE_FIELDS)),
        author=_text_value(_first(rec, None, AUTHOR_FIELDS)),
    )


class _Ids:
    """Document ids seen in one file, so that a repeated id is reported instead of shadowing a record."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}

    def document(self, rec: Any, *, file: str, number: int, where: str, options: ReadOptions) -> Document | Skipped:
        """The record as a Document, or Skipped (``FILE WHERE``) with the reason."""
        try:
            doc = record_document(rec, file=file, number=number, options=options)
        except SkipFile as exc:
            return Skipped(f"{file} {where}", exc.reason)
        prev = self.first.setdefault(doc.id, where)
        if prev != where:
            return Skipped(f"{file} {where}", f"repeated id {doc.id.rsplit('#', 1)[1]!r} (first at {prev})")
        return doc


def read_records(path: str, options: ReadOptions) -> Iterator[Document | Skipped]:
    """Every record of a JSONL, JSON or CSV file, in file order."""
    suffix = Path(path).suffix.lower()
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, the generator may stop early
    except OSError as exc:
        yield Skipped(path, _os_reason(exc, Path(path)))
        return
    with fh:
        if suffix in (".jsonl", ".ndjson"):
            yield from _jsonl(fh, path, options)
        elif suffix == ".json":
            yield from _json_array(fh, path, options)
        else:
            yield from _csv(fh, path, options)


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(raw)[0]  # stray cp1252 bytes in a scraped line


def _jsonl(fh: BinaryIO, path: str, options: ReadOptions) -> Iterator[Document | Skipped]:
    ids = _Ids()
    lineno = 0
    while True:
        raw = fh.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            return
        lineno += 1
        where = f"line {lineno}"
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield Skipped(f"{path} {where}", f"record too large (> {MAX_RECORD_BYTES // (1 << 20)} MB)")
            continue
        if lineno == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue  # blank lines carry no record
        try:
            rec = json.loads(_decode_line(raw))
        except (ValueError, SkipFile) as exc:
            if isinstance(exc, json.JSONDecodeError):
                msg = f"{exc.msg.removesuffix(' at')} at column {exc.colno}"
            else:
                msg = exc.reason if isinstance(exc, SkipFile) else str(exc)
            yield Skipped(f"{path} {where}", f"broken JSON line ({msg})")
            continue
        yield ids.document(rec, file=path, number=lineno, where=where, options=options)


def _json_array(fh: BinaryIO, path: str, options: ReadOptions) -> Iterator[Document | Skipped]:
    import ijson

    head = fh.read(4096).removeprefix(codecs.BOM_UTF8).lstrip()
    if not head:
        yield Skipped(path, "empty file")
        return
    if not head.startswith(b"["):
        yield Skipped(path, "not a JSON array of records (a .json input must be [ {...}, {...} ])")
        return
    fh.seek(0)
    start = fh.read(3)
    if start != codecs.BOM_UTF8:
        fh.seek(0)
    ids = _Ids()
    n = 0
    try:
        for rec in ijson.items(fh, "item", use_float=True):
            n += 1
            yield ids.document(rec, file=path, number=n, where=f"record {n}", options=options)
    except ijson.JSONError as exc:
        msg = str(exc).splitlines()[0][:80] if str(exc) else exc.__class__.__name__
        yield Skipped(f"{path} record {n + 1}", f"broken JSON ({msg}); the rest of the file was not read")


def _csv_text(fh: BinaryIO) -> io.TextIOBase:
    """The CSV file as a text stream: UTF-8 (BOM removed), else the encoding detected on its start."""
    sample = fh.read(_SNIFF_BYTES)
    fh.seek(0)
    try:
        sample.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4:  # a character cut by the sample's end
            encoding = "utf-8-sig"
        else:
            encoding = decode_bytes(sample)[1]
            encoding = "cp1252" if encoding == "utf-8+cp1252" else encoding
    return io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="")


def _csv(fh: BinaryIO, path: str, options: ReadOptions) -> Iterator[Document | Skipped]:
    csv.field_size_limit(MAX_RECORD_BYTES)
    text = _csv_text(fh)
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        yield Skipped(path, "empty file")
        return
    except csv.Error as exc:
        yield Skipped(path, f"unreadable CSV header ({exc})")
        return
    header = [h.strip() for h in header]
    ids = _Ids()
    n = 0
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            n += 1
            line = reader.line_num
            yield Skipped(f"{path} record {n} (line {start})", f"broken CSV record ({exc})")
            continue
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue  # blank line
        n += 1
        yield ids.document(dict(zip(header, row)), file=path, number=n, where=f"record {n} (line {start})", options=options)
