"""Finding and reading input documents, so that nothing is lost silently.

Every input either becomes a :class:`~quotex.models.Document` or a
:class:`Skipped` record with a short human reason; :class:`RunReport` counts
both and decides the exit code. Text is returned exactly as decoded (only a
leading byte order mark is removed, CRLF is kept): Unicode and quote-mark
normalisation happen later, in the analysis layer, with an offset map.
"""

from __future__ import annotations

import codecs
import errno
import fnmatch
import os
import re
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from quotex.errors import EXIT_OK, EXIT_PARTIAL, InputError
from quotex.models import Document

__all__ = [
    "DEFAULT_GLOBS",
    "LeftOut",
    "MAX_FILE_BYTES",
    "NON_ARTICLE_NAMES",
    "RunReport",
    "SkipFile",
    "Skipped",
    "decode_bytes",
    "input_files",
    "is_non_article",
    "iter_inputs",
    "read_document",
]

DEFAULT_GLOBS = ("*.txt", "*.md", "*.html", "*.htm", "*.jsonl", "*.json", "*.csv")  # see docs/input.md
# Files a folder of articles often carries that are not articles. Found by walking a folder, a
# file whose name up to its first dot is one of these (any case; README.md, LICENSE, readme.txt,
# also README-id.md / LICENSE_MIT.txt) is left out and named in the summary line; named
# explicitly on the command line it is read like any other file.
NON_ARTICLE_NAMES = frozenset({
    "readme", "license", "licence", "copying", "changelog", "changes", "history", "contributing",
    "authors", "contributors", "notice", "code_of_conduct", "security", "citation",
})
_NON_ARTICLE_RE = re.compile(r"(readme|licen[cs]e|changelog|contributing|code_of_conduct)[-_]")
MAX_FILE_BYTES = 64 * 1024 * 1024  # per file; larger files are skipped, not truncated
DETECT_SAMPLE_BYTES = 256 * 1024  # the legacy-encoding detector only sees this much
BINARY_SAMPLE_CHARS = 8192  # control-character ratio is measured on this many chars
BINARY_CONTROL_RATIO = 0.10  # more control characters than this: a binary file

STDIN_ID = "-"

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than \t \n \v \f \r, DEL, and the C1 controls.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Bytes that strict UTF-8 rejected, as produced by the surrogateescape handler.
_ESCAPED_RE = re.compile("[\udc80-\udcff]")
_NON_ASCII_RE = re.compile("[^\x00-\x7f\udc80-\udcff]")
_C1_BYTES_RE = re.compile(b"[\x80-\x9f]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_ASCII_LETTER_RE = re.compile("[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that was found but not read, and why (``"binary file"``, ...)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A file found in a folder that is not an article (a README, a LICENSE...): not read, not an error."""

    path: str
    reason: str = "non-article file"


class SkipFile(Exception):
    """Raised by :func:`read_document` / :func:`decode_bytes`: this input cannot be used."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------- decoding


def _cp1252_char(byte: int) -> str:
    """One byte as cp1252, falling back to Latin-1 for the five bytes cp1252 leaves undefined."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_ESCAPED_TO_CP1252 = {chr(0xDC00 + b): _cp1252_char(b) for b in range(0x80, 0x100)}


def _looks_binary(text: str) -> bool:
    """True when the start of ``text`` has NULs or too many control characters."""
    sample = text[:BINARY_SAMPLE_CHARS]
    if "\x00" in sample:
        return True
    controls = len(_CONTROL_RE.findall(sample))
    return controls > 0 and controls / len(sample) > BINARY_CONTROL_RATIO


def _detect_sample(data: bytes) -> bytes:
    """The first bytes of ``data`` for the detector, cut at a line end when possible."""
    if len(data) <= DETECT_SAMPLE_BYTES:
        return data
    sample = data[:DETECT_SAMPLE_BYTES]
    cut = sample.rfind(b"\n")
    return sample[: cut + 1] if cut > DETECT_SAMPLE_BYTES // 2 else sample


def _mostly_latin_cp1252(sample: bytes) -> bool:
    """Whether ``sample`` reads as cp1252 text whose letters are mostly ASCII.

    That is what Indonesian (and English) news in a Windows encoding looks
    like: ASCII words with curly quotes, dashes and a few accented letters.
    Cyrillic or Greek text read as cp1252 instead turns almost every letter
    into an accented Latin one, and is left to the detector.
    """
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    letters = len(_LETTER_RE.findall(text))
    foreign = letters - len(_ASCII_LETTER_RE.findall(text))
    return foreign <= 0.3 * letters


def _legacy_candidates(data: bytes) -> list[str]:
    """Encodings to try, best first, for bytes that are not UTF-8.

    charset-normalizer ranks candidates on a sample, but on short Western text
    it often prefers cp1250, a DOS code page or Latin-1; for Indonesian news
    the right answer is nearly always cp1252 (curly quotes at 0x93/0x94). So
    cp1252 goes first when it reads the sample as mostly-ASCII Latin text, or
    when the detector's own guess would turn 0x80-0x9f into control characters
    (Latin-1 and the other ISO 8859 encodings do).
    """
    sample = _detect_sample(data)
    if _mostly_latin_cp1252(sample):
        return ["cp1252"]
    from charset_normalizer import from_bytes  # noqa: PLC0415 - slow import, rarely needed

    results = from_bytes(sample)
    names = [m.encoding for m in results]
    best = results.best()
    if best is not None and _C1_BYTES_RE.search(sample):
        if _CONTROL_RE.search(sample.decode(best.encoding, errors="ignore")):
            names.insert(0, "cp1252")
    return list(dict.fromkeys(names))  # drop repeats, keep order


def _decode_mixed_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray cp1252 bytes (common in scraped news), or None if it is not that."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED_RE.findall(escaped))
    good = len(_NON_ASCII_RE.findall(escaped))
    if good == 0 or good < bad:
        return None
    return _ESCAPED_RE.sub(lambda m: _ESCAPED_TO_CP1252[m.group()], escaped)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode one file's bytes; return ``(text, encoding name)``.

    Order: a BOM (UTF-32, UTF-8, UTF-16; the BOM is removed), strict UTF-8,
    UTF-8 with a few stray cp1252 bytes (``"utf-8+cp1252"``), then a legacy
    encoding chosen by charset-normalizer on a sample (cp1252 preferred, see
    :func:`_legacy_candidates`). Raises :class:`SkipFile` with ``"empty file"``,
    ``"binary file"`` or ``"not valid text in any supported encoding"``.
    UTF-16/32 without a BOM is not recognised (its NUL bytes read as binary).
    """
    if not data:
        raise SkipFile("empty file")
    text: str | None = None
    encoding = ""
    boms = [name for bom, name in _BOMS if data.startswith(bom)]
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data[len(bom) :].decode(name.removesuffix("-sig")), name
                break
            except UnicodeDecodeError:
                continue  # FF FE 00 00 may be UTF-16 LE starting with a NUL rather than UTF-32
    if boms and text is None:
        raise SkipFile(f"not valid text in any supported encoding (bad {boms[0]})")
    if text is None:
        if b"\x00" in data:
            raise SkipFile("binary file")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text = _decode_mixed_utf8(data)
            encoding = "utf-8+cp1252"
        if text is None:
            for name in _legacy_candidates(data):
                try:
                    text, encoding = data.decode(name), name
                    break
                except (UnicodeDecodeError, LookupError):
                    continue
        if text is None:
            raise SkipFile("not valid text in any supported encoding")
    if not text or text.isspace():
        raise SkipFile("empty file")
    if _looks_binary(text):
        raise SkipFile("binary file")
    return text, encoding


# ---------------------------------------------------------------- reading


def _too_large(size: int) -> SkipFile:
    """The skip reason for a file over :data:`MAX_FILE_BYTES`."""
    mb = 1024 * 1024
    return SkipFile(f"file too large ({-(-size // mb)} MB > {MAX_FILE_BYTES // mb} MB)")


def _os_reason(exc: OSError, path: Path) -> str:
    """A short skip reason for an OS error met while opening or reading ``path``."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(exc, FileNotFoundError):
        return "broken symlink" if os.path.islink(path) else "file disappeared while reading"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {exc.strerror or exc}"


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes, so that a too-large stream is noticed without reading it all."""
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_bytes(path: Path) -> bytes:
    """A file's bytes, up to :data:`MAX_FILE_BYTES`; raise :class:`SkipFile` with a short reason if it cannot be read."""
    path = Path(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise SkipFile("is a directory")
        if stat.S_ISREG(st.st_mode) and st.st_size > MAX_FILE_BYTES:
            raise _too_large(st.st_size)
        with open(path, "rb") as fh:
            data = _read_limited(fh, MAX_FILE_BYTES)
    except OSError as exc:
        raise SkipFile(_os_reason(exc, path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data))
    return data


def read_document(path: Path, *, doc_id: str | None = None) -> Document:
    """Read and decode one file; raise :class:`SkipFile` with a short reason if it cannot be used.

    ``doc_id`` defaults to ``str(path)``. Regular files over
    :data:`MAX_FILE_BYTES` are skipped before reading; pipes and devices named
    explicitly (``/dev/stdin``, ``<(cmd)``) are read up to the same limit.
    """
    path = Path(path)
    text, encoding = decode_bytes(read_bytes(path))
    return Document(id=str(path) if doc_id is None else doc_id, text=text, encoding=encoding)


def _read_stdin(stdin: BinaryIO | None) -> Document | Skipped:
    """Read all of stdin as one document with id ``-``."""
    stream = stdin if stdin is not None else sys.stdin.buffer
    try:
        data = _read_limited(stream, MAX_FILE_BYTES)
        if len(data) > MAX_FILE_BYTES:
            raise _too_large(len(data))
        text, encoding = decode_bytes(data)
    except SkipFile as exc:
        return Skipped(STDIN_ID, exc.reason)
    except OSError as exc:
        return Skipped(STDIN_ID, f"cannot read: {exc.strerror or exc}")
    return Document(id=STDIN_ID, text=text, encoding=encoding)


def _read_one(path: str) -> Document | Skipped:
    """A file as a Document, or Skipped with the reason."""
    try:
        return read_document(Path(path), doc_id=path)
    except SkipFile as exc:
        return Skipped(path, exc.reason)


def _read_many(path: str) -> Iterator[Document | Skipped]:
    """:func:`_read_one` as an iterable (the shape ``_walk`` expects)."""
    yield _read_one(path)


# ---------------------------------------------------------------- walking


def _list_dir(path: str) -> list[os.DirEntry[str]]:
    """The entries of one folder, sorted by name (a seam for tests)."""
    with os.scandir(path) as it:
        return sorted(it, key=lambda e: e.name)


def _matches(name: str, globs: Sequence[str]) -> bool:
    """Whether a file name matches one of the globs (case-insensitive: ``A.TXT`` is a text file)."""
    lower = name.lower()
    return any(fnmatch.fnmatchcase(lower, g.lower()) for g in globs)


def is_non_article(name: str) -> bool:
    """Whether a file name found in a folder is a README, LICENSE, CHANGELOG... (see NON_ARTICLE_NAMES)."""
    stem = name.lower().split(".", 1)[0]
    return stem in NON_ARTICLE_NAMES or _NON_ARTICLE_RE.match(stem) is not None


def _walk(
    top: str, globs: Sequence[str], ancestors: frozenset[tuple[int, int]], read: Callable[[str], Iterable[Document | Skipped]] = None  # type: ignore[assignment]
) -> Iterator[Document | Skipped | LeftOut]:
    """Files under ``top`` in sorted order; symlinked folders are followed unless they loop."""
    try:
        entries = _list_dir(top)
    except OSError as exc:
        yield Skipped(top, _os_reason(exc, Path(top)))
        return
    for entry in entries:
        path = os.path.join(top, entry.name)
        try:
            st = entry.stat()  # follows symlinks
        except OSError as exc:
            # a broken symlink is an input only if the globs take its name or it loops
            if not entry.is_symlink() or _matches(entry.name, globs) or exc.errno == errno.ELOOP:
                yield Skipped(path, _os_reason(exc, Path(path)))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                yield Skipped(path, "symlink loop")
                continue
            yield from _walk(path, globs, ancestors | {key}, read)
        elif _matches(entry.name, globs):
            if is_non_article(entry.name):
                yield LeftOut(path)
            elif stat.S_ISREG(st.st_mode):
                yield from (read or _read_many)(path)
            else:
                yield Skipped(path, "not a regular file")


def iter_inputs(
    paths: Sequence[str],
    *,
    globs: Sequence[str] = DEFAULT_GLOBS,
    stdin: BinaryIO | None = None,
    read: Callable[[str], Document | Skipped] | None = None,
    read_many: Callable[[str], Iterable[Document | Skipped]] | None = None,
) -> Iterator[Document | Skipped | LeftOut]:
    """Documents (or Skipped / LeftOut records) for files, folders and ``-`` (stdin), in a fixed order.

    ``read`` replaces the function that reads one regular file (the analysis
    cache passes one that skips files it knows unchanged); ``read_many``, if given,
    replaces it with one that reads a file into any number of documents
    (:func:`quotex.inputs.iter_documents` passes one that reads HTML pages and
    record files).

    Every path is checked before anything is read: one that does not exist
    raises :class:`~quotex.errors.InputError` at call time. Folders are walked
    recursively in sorted order and filtered by ``globs`` on the file name; a
    file named explicitly is read whatever its extension. Broken symlinks,
    symlink loops and unreadable files or folders come back as Skipped; a
    README, LICENSE... met inside a folder (:func:`is_non_article`) as LeftOut.
    """
    for p in paths:
        if p != STDIN_ID and not os.path.lexists(p):
            raise InputError(f"path not found: {p}")
    if read_many is None:
        one = read or _read_one

        def read_many(path: str) -> Iterator[Document | Skipped]:
            yield one(path)

    return _iter_inputs(list(paths), tuple(globs), stdin, read_many)


def _iter_inputs(
    paths: list[str], globs: tuple[str, ...], stdin: BinaryIO | None, read: Callable[[str], Iterable[Document | Skipped]]
) -> Iterator[Document | Skipped | LeftOut]:
    """The generator behind :func:`iter_inputs` (paths already checked)."""
    for p in paths:
        if p == STDIN_ID:
            yield _read_stdin(stdin)
            continue
        try:
            st = os.stat(p)
        except OSError as exc:
            yield Skipped(p, _os_reason(exc, Path(p)))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(p, globs, frozenset({(st.st_dev, st.st_ino)}), read)
        else:
            yield from read(p)


_LISTED = "\x00listed"


def input_files(paths: Sequence[str], *, globs: Sequence[str] = DEFAULT_GLOBS) -> list[str]:
    """The files a run over ``paths`` would read, folders expanded exactly as :func:`iter_inputs`
    does, without reading them (``-`` is left out). Raises InputError for a missing path."""
    listed = iter_inputs([p for p in paths if p != STDIN_ID], globs=globs, read=lambda p: Skipped(p, _LISTED))
    return [x.path for x in listed if isinstance(x, Skipped) and x.reason == _LISTED]


# ---------------------------------------------------------------- report


def _plural(n: int, word: str) -> str:
    """``1 document`` / ``2 documents``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class RunReport:
    """Counts documents read and inputs skipped; gives the stderr summary and the exit code."""

    def __init__(self) -> None:
        self.read = 0
        self.skipped: list[Skipped] = []
        self.left_out: list[LeftOut] = []
        self.filtered: Counter[str] = Counter()  # documents left out by --since/--until, by reason (quotex.inputs.Filtered)
        self.doc_ids: list[str] = []  # every document read, in order (results are in this order)
        self.metadata: dict[str, dict[str, str | None]] = {}  # doc id -> date/source/url/title/author, when any

    def add(self, item: Document | Skipped | LeftOut) -> None:
        """Count one result of :func:`iter_inputs`."""
        if isinstance(item, Skipped):
            self.skipped.append(item)
        elif isinstance(item, LeftOut):
            self.left_out.append(item)
        elif isinstance(item, Document):
            self.read += 1
            self.doc_ids.append(item.id)
            if item.has_metadata():
                self.metadata[item.id] = {**item.metadata(), "author": item.author}
        else:  # quotex.inputs.Filtered
            self.filtered[item.reason] += 1

    def track(self, items: Iterable[Document | Skipped | LeftOut]) -> Iterator[Document]:
        """Pass documents through, counting them and keeping the skipped ones."""
        for item in items:
            self.add(item)
            if isinstance(item, Document):
                yield item

    @property
    def exit_code(self) -> int:
        """``EXIT_OK`` when nothing was skipped, else ``EXIT_PARTIAL``."""
        return EXIT_PARTIAL if self.skipped else EXIT_OK

    def summary(self) -> str:
        """One line for stderr: ``quotex: read 5 documents, skipped 2 (1 binary file, 1 empty file)``."""
        line = f"quotex: read {_plural(self.read, 'document')}"
        if self.filtered:
            why = ", ".join(f"{n} {r}" for r, n in sorted(self.filtered.items(), key=lambda kv: (-kv[1], kv[0])))
            line += f", left out {sum(self.filtered.values())} by --since/--until ({why})"
        if self.skipped:
            # Group by the reason's head, so "file too large (70 MB > 64 MB)" and
            # "file too large (90 MB > 64 MB)" count together.
            kinds = Counter(s.reason.split(" (")[0] for s in self.skipped)
            parts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
            line += f", skipped {len(self.skipped)} ({parts})"
        if self.left_out:
            names = [os.path.basename(x.path) for x in self.left_out]
            shown = ", ".join(names[:3]) + (f", ... {len(names) - 3} more" if len(names) > 3 else "")
            line += f", left out {_plural(len(names), 'non-article file')} ({shown})"
        return line

    def details(self) -> list[str]:
        """One line per skipped input: ``quotex: skipped PATH: REASON``."""
        return [f"quotex: skipped {s.path}: {s.reason}" for s in self.skipped]

    def __str__(self) -> str:
        return self.summary()
