"""Writing rows as a table, CSV, JSON or JSONL, to stdout or atomically to a file.

File output (``out=``) goes to a temporary file in the target's folder, is
flushed and fsynced, then moved over the target with :func:`os.replace`; if
anything goes wrong (an exception from the rows, a full disk, Ctrl-C) the
temporary file is removed and the target is left as it was. A target that is
a device or a FIFO (``/dev/null``) is opened and written, never replaced.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from quotex.errors import OutputError

__all__ = ["FORMATS", "LIST_SEPARATOR", "check_output", "write_rows"]

FORMATS = ("table", "csv", "json", "jsonl")
LIST_SEPARATOR = "; "
FILE_TABLE_WIDTH = 120  # a table written to a file or a pipe is not squeezed to 80 columns
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- cells


def _json_default(value: Any) -> Any:
    """JSON for values json cannot write itself: result objects, paths, sets."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities replaced by None (they are not JSON)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _cell(value: Any) -> str:
    """A value as one CSV/table cell: None is empty, lists are joined with ``"; "``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return LIST_SEPARATOR.join(_cell(v) for v in items)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return str(value)


def _safe_cell(text: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula, by prefixing ``'``."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _ordered(row: Mapping[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    """The row as a dict: ``columns`` first (missing ones as None), then any extra keys."""
    obj = {c: row.get(c) for c in columns}
    for key, value in row.items():
        if key not in obj:
            obj[key] = value
    return obj


def _json_line(row: Mapping[str, Any], columns: Sequence[str]) -> str:
    """One row as a compact JSON object; non-ASCII text is kept as is."""
    obj = _ordered(row, columns)
    try:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False, default=_json_default)
    except ValueError:  # NaN or infinity somewhere
        return json.dumps(_finite(obj), ensure_ascii=False, allow_nan=False, default=_json_default)


# ---------------------------------------------------------------- streams


def _emit(stream: TextIO, text: str) -> None:
    """Write ``text``; characters the stream cannot encode (lone surrogates from odd
    file names, a non-UTF-8 console) are written as backslash escapes instead of failing."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))


def _write_csv(
    stream: TextIO, rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, bom: bool, safe: bool
) -> int:
    """RFC 4180 CSV (CRLF line ends, a header row), one row at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")

    def line(cells: list[str]) -> str:
        buf.seek(0)
        buf.truncate()
        writer.writerow([_safe_cell(c) for c in cells] if safe else cells)
        return buf.getvalue()

    _emit(stream, ("\ufeff" if bom else "") + line(list(columns)))
    n = 0
    for row in rows:
        _emit(stream, line([_cell(row.get(c)) for c in columns]))
        n += 1
    return n


def _write_jsonl(stream: TextIO, rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> int:
    """One JSON object per line."""
    n = 0
    for row in rows:
        _emit(stream, _json_line(row, columns) + "\n")
        n += 1
    return n


def _write_json(
    stream: TextIO, rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, close_on_error: bool
) -> int:
    """A JSON array streamed one object per line.

    With ``close_on_error`` (stdout) the array is closed even when the rows
    raise (Ctrl-C, a failing stage), so what was printed is still valid JSON.
    """
    n = 0
    _emit(stream, "[")
    try:
        for row in rows:
            _emit(stream, ("\n" if n == 0 else ",\n") + _json_line(row, columns))
            n += 1
    except BaseException:
        if close_on_error:
            try:
                _emit(stream, "\n]\n" if n else "]\n")
                stream.flush()
            except (OSError, ValueError):  # stdout closed or broken pipe: nothing more to save
                pass
        raise
    _emit(stream, "\n]\n" if n else "]\n")
    return n


def _write_table(
    console: Console, rows: Iterable[Mapping[str, Any]], columns: Sequence[str], title: str | None
) -> int:
    """A rich table; cells are plain text (never markup), long text wraps, no rule between rows."""
    table = Table(title=Text(title) if title else None, box=box.SIMPLE_HEAD, show_lines=False)
    for c in columns:
        table.add_column(Text(c), overflow="fold")
    n = 0
    for row in rows:
        table.add_row(*(Text(_cell(row.get(c))) for c in columns))
        n += 1
    console.print(table)
    return n


def _dispatch(
    fmt: str,
    stream: TextIO,
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    title: str | None,
    csv_bom: bool,
    csv_safe: bool,
    console: Console | None,
    to_stdout: bool,
) -> int:
    """Write ``rows`` to ``stream`` in ``fmt``."""
    if fmt == "csv":
        return _write_csv(stream, rows, columns, bom=csv_bom, safe=csv_safe)
    if fmt == "json":
        return _write_json(stream, rows, columns, close_on_error=to_stdout)
    if fmt == "jsonl":
        return _write_jsonl(stream, rows, columns)
    if console is None:
        if to_stdout:
            # colour only on a terminal (honours NO_COLOR); the terminal's width, else $COLUMNS or 120
            console = Console()
            if not console.is_terminal and not os.environ.get("COLUMNS"):
                console = Console(width=FILE_TABLE_WIDTH)
        else:
            console = Console(file=stream, width=FILE_TABLE_WIDTH, no_color=True, force_terminal=False)
    return _write_table(console, rows, columns, title)


# ---------------------------------------------------------------- atomic files


class _WriteFailed(Exception):
    """Internal: an OSError from writing the output file itself (not from the rows)."""


class _GuardedFile(io.TextIOWrapper):
    """A text file whose OS errors are told apart from errors raised by the rows."""

    def write(self, s: str) -> int:  # noqa: D102 - same as TextIOWrapper.write
        try:
            return super().write(s)
        except OSError as exc:
            raise _WriteFailed(exc) from exc

    def flush(self) -> None:  # noqa: D102 - same as TextIOWrapper.flush
        try:
            super().flush()
        except OSError as exc:
            raise _WriteFailed(exc) from exc


def _file_key(path: Path | str) -> tuple[int, int] | None:
    """(st_dev, st_ino) of the file ``path`` names (symlinks followed), or None if there is none."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def _stdin_key() -> tuple[int, int] | None:
    """(st_dev, st_ino) of what stdin reads from, or None (closed, a terminal, a pipe is fine too)."""
    try:
        st = os.fstat(0)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def check_output(out: Path, inputs: Sequence[Path | str] = ()) -> Path:
    """The real file to write for ``out``; raise OutputError if it cannot or must not be written.

    ``inputs`` are the files the run reads (``quotex.corpus.input_files`` expands folders;
    ``-`` stands for stdin). ``out`` is refused when it is one of them by device and inode,
    so a symlink or a hard link to an input is refused too. :func:`write_rows` calls this
    itself; a CLI calls it before a long analysis.
    """
    target = Path(os.path.realpath(out)) if os.path.islink(out) else Path(out)
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {out}: folder {parent} does not exist; create it first")
    if target.is_dir():
        raise OutputError(f"cannot write {out}: it is a folder; give a file name")
    key = _file_key(target)
    if key is None:  # a new file cannot be one of the inputs
        return target
    for inp in inputs:
        if (_stdin_key() if str(inp) == "-" else _file_key(inp)) == key:
            shown = "the file read from stdin" if str(inp) == "-" else f"input file {inp}"
            raise OutputError(f"refusing to overwrite {shown} with -o {out}; choose another output path")
    return target


@contextmanager
def _opened_text(target: Path) -> Iterator[TextIO]:
    """A device, FIFO or other non-regular ``target`` (``/dev/null``, ``/dev/stdout``), written by
    opening it: renaming a file over it would replace the device with a regular file."""
    try:
        raw = open(target, "wb")  # noqa: SIM115 - closed through fh below
    except OSError as exc:
        raise _output_error(target, exc) from exc
    fh = _GuardedFile(raw, encoding="utf-8", errors="backslashreplace", newline="")
    try:
        yield fh
        fh.flush()
    except _WriteFailed as exc:
        raise _output_error(target, exc.__cause__) from exc.__cause__
    finally:
        try:
            fh.close()
        except (OSError, ValueError):
            pass


@contextmanager
def _atomic_text(target: Path) -> Iterator[TextIO]:
    """A UTF-8 text file that replaces ``target`` only if the block finishes without an exception."""
    fd = -1
    tmp = ""
    for _ in range(100):
        tmp = os.path.join(target.parent, f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            # 0o666 so that the umask applies, as for a file the shell would create.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if fd < 0:
        raise OutputError(f"cannot write {target}: could not create a temporary file")
    raw = os.fdopen(fd, "wb")
    fh = _GuardedFile(raw, encoding="utf-8", errors="backslashreplace", newline="")
    try:
        yield fh
    except _WriteFailed as exc:  # writing the file failed (a full disk): a one-line OutputError
        _discard(fh, raw, tmp)
        raise _output_error(target, exc.__cause__) from exc.__cause__
    except BaseException:  # the rows failed or Ctrl-C: propagate as is
        _discard(fh, raw, tmp)
        raise
    try:
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))  # keep an existing file's mode
        except FileNotFoundError:
            pass
        os.replace(tmp, target)
    except BaseException as exc:
        _discard(fh, raw, tmp)
        if isinstance(exc, _WriteFailed):
            raise _output_error(target, exc.__cause__) from exc.__cause__
        if isinstance(exc, OSError):
            raise _output_error(target, exc) from exc
        raise
    _fsync_dir(target.parent)


def _output_error(target: Path, exc: BaseException | None) -> OutputError:
    """A one-line OutputError for an OS error met while writing ``target``."""
    msg = getattr(exc, "strerror", None) or str(exc)
    return OutputError(f"cannot write {target}: {msg}")


def _discard(fh: io.TextIOWrapper, raw: io.BufferedWriter, tmp: str) -> None:
    """Close and remove a temporary output file after a failure (never raises)."""
    for closer in (fh.close, raw.close):
        try:
            closer()
        except Exception:  # noqa: BLE001, S110 - already failing; removing the file matters more
            pass
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: not every platform can fsync a folder)."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


# ---------------------------------------------------------------- entry point


def write_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    fmt: str,
    columns: Sequence[str],
    out: Path | None = None,
    title: str | None = None,
    csv_bom: bool = False,
    csv_safe: bool = False,
    inputs: Sequence[Path] = (),
    console: Console | None = None,
) -> int:
    """Write ``rows`` in ``fmt`` (table, csv, json, jsonl) to stdout or to ``out``; return the row count.

    - ``columns`` are the table/CSV columns and the first keys of each JSON
      object (extra keys follow in the row's order; missing ones are null).
      In tables and CSV, lists are joined with ``"; "`` and None is empty.
    - ``out`` (``"-"`` or None: stdout) is written atomically (temporary file in
      the same folder, fsync, ``os.replace``); a device or FIFO (``/dev/null``)
      is opened and written instead, never replaced. It must not be one of
      ``inputs`` and its folder must exist; otherwise
      :class:`~quotex.errors.OutputError` is raised before anything is written.
      Write failures (a full disk) also raise OutputError.
    - CSV is RFC 4180, UTF-8, with a header row; ``csv_bom`` adds a UTF-8 BOM
      so that spreadsheet programs detect the encoding.
    - Formula injection: by default CSV cells are written verbatim, because
      they are data and quotations legitimately start with ``-`` or ``+``.
      ``csv_safe=True`` prefixes ``'`` to every cell that starts with
      ``= + - @``, a tab or a carriage return, so a spreadsheet shows it as text
      instead of running it. Use it for files that will be opened in Excel or
      LibreOffice by people who did not make them.
    - JSON keeps non-ASCII text as is (no ``\\uXXXX``) and is streamed; on
      stdout the array is closed even when the run is cut short (Ctrl-C).
    - ``console`` is used for tables on stdout (default: a rich Console, with
      colour only on a terminal and never when ``NO_COLOR`` is set).
    """
    if fmt not in FORMATS:
        raise OutputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    options = {"title": title, "csv_bom": csv_bom, "csv_safe": csv_safe, "console": console}
    if out is not None and str(out) == "-":
        out = None
    if out is None:
        return _dispatch(fmt, sys.stdout, rows, columns, to_stdout=True, **options)  # type: ignore[arg-type]
    target = check_output(Path(out), inputs)
    regular = not target.exists() or target.is_file()
    with (_atomic_text if regular else _opened_text)(target) as fh:
        options["console"] = None  # a table for a file gets its own plain console
        return _dispatch(fmt, fh, rows, columns, to_stdout=False, **options)  # type: ignore[arg-type]
