"""The ``quotex`` command: a thin layer over :mod:`quotex.api`.

Data goes to stdout (or ``-o FILE``); progress, warnings, the run summary and
errors go to stderr.

How the commands are built: every option that the corpus commands share is
declared once in :data:`SHARED_OPTIONS` and collected into one frozen
:class:`RunOptions`; :func:`corpus_command` gives a command those options, so a
command declares only its own (``--type``, ``--speaker``...) and takes ``opts``.
To add a shared option: a field in RunOptions and one entry in SHARED_OPTIONS.
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import Enum
from typing import Annotated, Any, NamedTuple, Optional

import typer
from rich.console import Console

from . import __version__
from .corpus import DEFAULT_GLOBS
from .inputs import ReadOptions
from .errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_MODEL,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    InputError,
    OutputError,
    QuotexError,
    UsageError,
)

EXIT_CODES_HELP = (
    f"Exit codes: {EXIT_OK} every input processed; {EXIT_ERROR} input, output or configuration error "
    f"(nothing written); {EXIT_USAGE} usage error (unknown option or value); {EXIT_MODEL} NER model "
    f"missing or corrupt; {EXIT_PARTIAL} some inputs skipped (named on stderr), results for the rest "
    f"written; {EXIT_INTERRUPTED} interrupted (Ctrl-C); 128+N killed by signal N (SIGTERM: 143, SIGHUP: 129)."
)
STDIO = "-"

# --help uses the terminal's width instead of Click's 80 columns
_CONTEXT = {"max_content_width": max(80, shutil.get_terminal_size().columns), "help_option_names": ["--help", "-h"]}

app = typer.Typer(
    name="quotex",
    help="Who is mentioned and who said what in Indonesian news articles, offline.\n\n" + EXIT_CODES_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=_CONTEXT,
)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


# ---------------------------------------------------------------- options


@dataclass(frozen=True)
class RunOptions:
    """What a corpus command was asked to read, how to analyse it and where to write: built once."""

    paths: tuple[str, ...]
    format: Format = Format.table
    output: Optional[str] = None  # None: stdout
    globs: tuple[str, ...] = DEFAULT_GLOBS
    aliases: tuple[str, ...] = ()
    default_aliases: bool = True
    keep_boilerplate: bool = False
    ner: bool = True
    cache: bool = True
    jobs: int = 1  # 0: --jobs auto (chosen for the machine in _run)
    device: str = "auto"  # --device auto|cpu|cuda[:N] for the NER model
    data: Optional[str] = None  # --data DIR: overlay of language-data files
    csv_bom: bool = False
    csv_safe: bool = False
    quiet: bool = False
    verbose: bool = False
    read: ReadOptions = ReadOptions()  # record fields and the --since/--until window (docs/input.md)

    @property
    def reads_stdin(self) -> bool:
        return STDIO in self.paths

    @classmethod
    def from_cli(cls, *, paths: Optional[list[str]], output: Optional[str], glob: Optional[list[str]],
                 aliases: Optional[list[str]], no_default_aliases: bool, no_ner: bool, no_cache: bool,
                 **same: Any) -> RunOptions:
        """The options from the command line's values (negative flags turned around, defaults filled in)."""
        read = ReadOptions.make(**{name: same.pop(name) for name in INPUT_OPTIONS})
        return cls(
            read=read,
            paths=tuple(paths) if paths else _default_paths(),
            output=None if output in (None, STDIO) else output,
            globs=tuple(glob) if glob else DEFAULT_GLOBS,
            aliases=tuple(aliases or ()),
            default_aliases=not no_default_aliases,
            ner=not no_ner,
            cache=not no_cache,
            **same,
        )


def _default_paths() -> tuple[str, ...]:
    if os.path.isdir("seeds"):
        return ("seeds",)
    raise UsageError("no input: give files or folders (e.g. quotex entities articles/), or - to read stdin")


def _plain_argument_type(self: Any, ctx: Any) -> Optional[str]:
    """Typer prints an argument's Python type (``<list[str]>``) beside its metavar: show the metavar alone."""
    return None if self.metavar else _typer_display_type(self, ctx)


_typer_display_type = typer.core.TyperArgument.display_type_rich
typer.core.TyperArgument.display_type_rich = _plain_argument_type  # type: ignore[method-assign]


def _opt(*names: str, help: str, metavar: Optional[str] = None) -> Any:
    return typer.Option(*names, help=help, metavar=metavar, show_default=False)


PathsArg = Annotated[Optional[list[str]], typer.Argument(
    metavar="PATHS", show_default=False,
    help="Files or folders (recursive), or - for stdin. Default: ./seeds/ if it exists.")]

# name -> (annotation, default); the names are RunOptions.from_cli's keywords
SHARED_OPTIONS: dict[str, tuple[Any, Any]] = {
    "paths": (PathsArg, None),
    "format": (Annotated[Format, typer.Option("--format", "-f", metavar="FORMAT", help="Output format: table, csv, json or jsonl.")], Format.table),
    "output": (Annotated[Optional[str], _opt("--output", "-o", metavar="FILE", help="Write to FILE (atomically; - is stdout) instead of stdout. Never one of the inputs.")], None),
    "glob": (Annotated[Optional[list[str]], _opt("--glob", metavar="PATTERN", help="File-name pattern to read inside folders (repeatable). Default: *.txt *.md *.html *.htm *.jsonl *.json *.csv.")], None),
    "aliases": (Annotated[Optional[list[str]], _opt("--aliases", metavar="FILE", help="Extra alias table (YAML); extends the default one (repeatable).")], None),
    "no_default_aliases": (Annotated[bool, _opt("--no-default-aliases", help="Use only the tables given with --aliases.")], False),
    "keep_boilerplate": (Annotated[bool, _opt("--keep-boilerplate", help="Analyse site boilerplate lines too (Baca Juga, Read Next, bylines...).")], False),
    "csv_bom": (Annotated[bool, _opt("--csv-bom", help="Start CSV output with a UTF-8 BOM (for spreadsheet programs).")], False),
    "csv_safe": (Annotated[bool, _opt("--csv-safe", help="Prefix ' to CSV cells starting with = + - @ (spreadsheet formula injection guard).")], False),
    "no_ner": (Annotated[bool, _opt("--no-ner", help="Skip the Stanza model: alias table and in-text definitions only (fast, lower recall).")], False),
    "no_cache": (Annotated[bool, _opt("--no-cache", help="Do not read or write the analysis cache (see 'quotex cache info').")], False),
    "jobs": (Annotated[int, typer.Option("--jobs", "-j", parser=lambda v: _parse_jobs(v), metavar="N|auto", help="Analyse uncached documents in N worker processes (same results as 1); auto: one per core (one on a GPU). Each gets cores/N torch threads at most, fewer on a busy machine; OMP_NUM_THREADS wins.")], 1),
    "device": (Annotated[str, _opt("--device", metavar="auto|cpu|cuda", help="Where the NER model runs: auto (default: CUDA if torch sees a GPU, else CPU), cpu, or cuda[:N] (exit 1 if there is none).")], "auto"),
    "data": (Annotated[Optional[str], _opt("--data", metavar="DIR", help="Folder of language-data files (cues.yaml, titles.txt, ...) used instead of the shipped ones of the same name; its aliases.yaml extends the table.")], None),
    "quiet": (Annotated[bool, _opt("--quiet", "-q", help="No progress bar.")], False),
    "verbose": (Annotated[bool, _opt("--verbose", "-v", help="Log details (and Stanza's messages) to stderr.")], False),
}
# HTML/record inputs and the date window (docs/input.md): collected into RunOptions.read
INPUT_OPTIONS: dict[str, tuple[str, str, str]] = {
    "text_field": ("--text-field", "FIELD", "Record field with the article text (JSONL/JSON/CSV). Default: text, else content, else body."),
    "id_field": ("--id-field", "FIELD", "Record field with the id (documents are FILE#ID). Default: id, else the line/record number."),
    "date_field": ("--date-field", "FIELD", "Record field with the publication date. Default: date, published, published_at, ..."),
    "url_field": ("--url-field", "FIELD", "Record field with the article URL. Default: url, else link."),
    "source_field": ("--source-field", "FIELD", "Record field with the outlet. Default: source, outlet, site, ..., else the URL's host."),
    "title_field": ("--title-field", "FIELD", "Record field with the headline. Default: title, else headline."),
    "since": ("--since", "DATE", "Only documents dated DATE (YYYY-MM-DD) or later; undated documents are then left out."),
    "until": ("--until", "DATE", "Only documents dated DATE (YYYY-MM-DD) or earlier; undated documents are then left out."),
}
SHARED_OPTIONS.update({name: (Annotated[Optional[str], _opt(flag, metavar=mv, help=h)], None) for name, (flag, mv, h) in INPUT_OPTIONS.items()})

TypeOpt = Annotated[Optional[list[str]], _opt("--type", "-t", metavar="TYPE", help="Only these types: PERSON, ORG, COUNTRY, LOC (repeatable, or comma-separated).")]


# ---------------------------------------------------------------- signals and errors


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (removing temporary files) and exit with 128 + the signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, _frame: Any) -> None:
    raise Terminated(signum)


@contextmanager
def _signals_unwind() -> Iterator[None]:
    """While a command runs, SIGTERM and SIGHUP unwind like Ctrl-C does, so `finally` blocks run."""
    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    try:
        old = {s: signal.signal(s, _raise_terminated) for s in wanted}
    except ValueError:  # not the main thread: leave the signals alone
        yield
        return
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def _handle_errors(fn: Callable[..., None]) -> Callable[..., None]:
    """Turn quotex errors, Ctrl-C and signals into one line on stderr and a documented exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        err = _stderr()
        try:
            with _signals_unwind():
                return fn(*args, **kwargs)
        except QuotexError as e:
            err.print(f"Error: {e}", markup=False)
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            err.print("quotex: interrupted", markup=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Terminated as e:
            err.print(f"quotex: stopped by {signal.Signals(e.signum).name}", markup=False)
            raise typer.Exit(128 + e.signum) from None
        except (typer.Exit, SystemExit):
            raise
        except Exception as e:
            if os.environ.get("QUOTEX_DEBUG"):
                raise
            err.print(f"Error: unexpected {e.__class__.__name__}: {e} (set QUOTEX_DEBUG=1 for a traceback)", markup=False)
            raise typer.Exit(EXIT_ERROR) from None

    return wrapper


def _parse_jobs(value: Any) -> int:
    """--jobs N (N >= 1) or auto (0 here: chosen for the machine in _run)."""
    v = str(value).strip().lower()
    if v == "auto":
        return 0
    if not v.isdigit() or int(v) < 1:
        raise typer.BadParameter(f"{value!r} is not a number >= 1 or 'auto'")
    return int(v)


def _use_device(opts: RunOptions) -> int:
    """Check --device (exit 1 if CUDA is asked for and absent) and turn --jobs auto into a number.
    The device itself reaches the model loader as an argument of ``analyze``."""
    from .ner import auto_jobs, resolve_device

    device = opts.device.strip().lower()
    resolved = "auto"
    if device != "auto" or opts.jobs == 0:
        resolved = resolve_device(device) if opts.ner else "cpu"
    if opts.jobs != 0:
        return opts.jobs
    jobs = auto_jobs(device=resolved)
    logging.getLogger("quotex").info("--jobs auto: %d worker process(es)", jobs)
    return jobs


def corpus_command(fn: Callable[..., None]) -> Callable[..., None]:
    """Register ``fn(opts, **own_options)`` as a command that also takes every SHARED_OPTIONS option."""
    sig = inspect.signature(fn, eval_str=True)
    own = [p for name, p in sig.parameters.items() if name != "opts"]
    shared = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=ann, default=default)
              for name, (ann, default) in SHARED_OPTIONS.items()]
    own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]

    @functools.wraps(fn)
    def command(**values: Any) -> None:
        opts = RunOptions.from_cli(**{name: values.pop(name) for name in SHARED_OPTIONS})
        fn(opts, **values)

    params = shared[:1] + own + shared[1:]  # PATHS first, then the command's own options
    command.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    del command.__wrapped__  # typer must read the new signature, not fn's
    return app.command(fn.__name__)(_handle_errors(command))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"quotex {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False) -> None:
    """Who is mentioned and who said what in Indonesian news articles, offline."""


# ---------------------------------------------------------------- running


def _setup_logging(verbose: bool) -> None:
    """-v: INFO for quotex's loggers (the model loader shows Stanza's messages at that level)."""
    logging.basicConfig(level=logging.WARNING, format="quotex: %(message)s", stream=sys.stderr)
    logging.getLogger("quotex").setLevel(logging.INFO if verbose else logging.WARNING)


@contextmanager
def _progress(quiet: bool, total: Optional[int], console: Optional[Console] = None) -> Iterator[Optional[Callable[[int], None]]]:
    """A progress bar on stderr (only on a terminal, never with --quiet): done/total, articles/s, ETA,
    redrawn four times a second. Yields the callback that advances it, or None."""
    err = console or _stderr()
    if quiet or not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed:.1f} articles/s" if task.speed else "- articles/s")

    with Progress(SpinnerColumn(), TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                  TextColumn("ETA"), TimeRemainingColumn(), console=err, transient=True, refresh_per_second=4,
                  speed_estimate_period=60) as prog:
        task = prog.add_task("docs", total=total)
        yield lambda n: prog.advance(task, n)


class Run(NamedTuple):
    corpus: Any
    inputs: list[str]  # with -o: every file the run reads ("-" for stdin), none of which -o may be


def _run(opts: RunOptions) -> Run:
    """Check the inputs and -o, then read and analyse (the slow part)."""
    from .api import analyze
    from .corpus import input_files
    from .export import check_output

    if opts.reads_stdin and sys.stdin is None:
        raise InputError("stdin is closed; give files or folders instead of -")
    if opts.output is None and sys.stdout is None:
        raise OutputError("stdout is closed; give -o FILE")
    err = _stderr()
    bar = not opts.quiet and err.is_terminal
    # the files to read are listed (a stat each) only for -o and the progress bar's total
    inputs = input_files(opts.paths, globs=opts.globs) if opts.output is not None or bar else []
    inputs += [STDIO] if opts.reads_stdin else []
    if opts.output is not None:
        check_output(opts.output, inputs)  # before the analysis: nothing is read if -o is wrong
    _setup_logging(opts.verbose)
    jobs = _use_device(opts)
    from .inputs import STRUCTURED_SUFFIXES

    # a record file holds many documents, a page read may be left out by date: no total then
    total = None if opts.read.filters_dates or any(f.lower().endswith(STRUCTURED_SUFFIXES) for f in inputs) else len(inputs)
    try:
        with _progress(not bar, total, err) as progress:
            corpus = analyze(
                opts.paths, globs=opts.globs, aliases=opts.aliases, default_aliases=opts.default_aliases,
                keep_boilerplate=opts.keep_boilerplate, stdin=sys.stdin.buffer if opts.reads_stdin else None,
                progress=progress, tagger="default" if opts.ner else None, cache=opts.cache, jobs=jobs,
                data_dir=opts.data, options=opts.read, device=opts.device.strip().lower(),
            )
    except (KeyboardInterrupt, Terminated):
        if opts.format is Format.json and opts.output is None:
            _write_stdout("[]\n")  # stopped before any row: stdout is still valid JSON
        raise
    return Run(corpus, inputs)


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError):
        _quiet_stdout()


@dataclass(frozen=True)
class View:
    """How one command's rows are shown: a title, the data columns, and the fewer columns of a table."""

    title: str
    columns: tuple[str, ...]
    table_columns: tuple[str, ...]


def short_doc_names(rows: Sequence[Mapping[str, Any]], paths: Sequence[str]) -> list[dict[str, Any]]:
    """Rows whose ``doc`` is relative to the folder the inputs were given in (tables only)."""
    named = [p for p in paths if p != STDIO]
    if not named:
        return [dict(r) for r in rows]
    bases = [p if os.path.isdir(p) else os.path.dirname(p) or "." for p in named]
    try:
        base = os.path.commonpath([os.path.abspath(b) for b in bases])
    except ValueError:  # different drives
        return [dict(r) for r in rows]

    def short(doc: Any) -> Any:
        if not isinstance(doc, str) or doc == STDIO:
            return doc
        rel = os.path.relpath(os.path.abspath(doc), base)
        return doc if rel.startswith("..") else rel

    return [{**r, "doc": short(r.get("doc"))} if "doc" in r else dict(r) for r in rows]


def _write(write: Callable[[], Any], to_stdout: bool) -> None:
    """Run ``write``: a pipe's reader that stopped early is not an error, stdout on a full disk is one line."""
    try:
        write()
        if to_stdout:
            sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (quotex ... | head): the report still goes to stderr
        _quiet_stdout()
    except OSError as e:  # stdout on a full disk or /dev/full
        _quiet_stdout()
        raise OutputError(f"cannot write to stdout: {e.strerror or e}") from None


def _report(run: Run) -> None:
    """The skipped inputs and the summary line on stderr; exit with the run's code."""
    err = _stderr()
    report = run.corpus.report
    for line in report.details():
        err.print(line, markup=False)
    err.print(report.summary(), markup=False)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _finish(opts: RunOptions, run: Run, rows: Sequence[Mapping[str, Any]], view: View) -> None:
    """Write the rows, then report on stderr."""
    from .export import write_rows

    table = opts.format is Format.table
    _write(lambda: write_rows(
        short_doc_names(rows, opts.paths) if table else rows, fmt=opts.format.value,
        columns=list(view.table_columns if table else view.columns), out=opts.output, title=view.title,
        csv_bom=opts.csv_bom, csv_safe=opts.csv_safe, inputs=run.inputs), opts.output is None)
    _report(run)


# ---------------------------------------------------------------- commands

# date, source, url, title: the document's metadata (docs/input.md); in mention rows the outlet is
# doc_source, because source there says which layer found the mention
ENTITIES = View("Entities", ("id", "canonical", "type", "mentions", "documents", "variants", "first_date", "last_date"),
                ("canonical", "type", "mentions", "documents", "variants"))
MENTIONS = View("Mentions", ("doc", "start", "end", "text", "type", "entity_id", "canonical", "source", "date", "doc_source", "url", "title"),
                ("doc", "start", "end", "text", "type", "entity_id", "canonical", "source"))
QUOTES = View("Quotes", ("doc", "start", "end", "text", "kind", "speaker", "speaker_id", "speaker_type",
                         "speaker_mention", "cue", "confidence", "also_in", "rule", "date", "source", "url", "title"),
              ("doc", "speaker", "kind", "text", "cue"))
DOCUMENTS = View("Documents", ("doc", "date", "source", "url", "title", "author", "encoding", "chars"),
                 ("doc", "date", "source", "title", "chars"))


class Sort(str, Enum):
    mentions = "mentions"
    documents = "documents"
    name = "name"
    type = "type"


ENTITY_ORDER: dict[Sort, Callable[[Any], Any]] = {
    Sort.mentions: lambda e: (-e.mentions, -e.documents, e.canonical),
    Sort.documents: lambda e: (-e.documents, -e.mentions, e.canonical),
    Sort.name: lambda e: e.canonical.casefold(),
    Sort.type: lambda e: (e.type, -e.mentions, e.canonical),
}


@corpus_command
def entities(
    opts: RunOptions,
    type_: TypeOpt = None,
    min_count: Annotated[int, typer.Option("--min-count", min=1, metavar="N", help="Only entities mentioned at least N times.")] = 1,
    sort: Annotated[Sort, typer.Option("--sort", metavar="ORDER", help="Order of rows: mentions, documents, name or type.")] = Sort.mentions,
) -> None:
    """Entities mentioned (people, organisations, countries, places), variants folded."""
    types = _check_types(type_)
    run = _run(opts)
    ents = sorted(run.corpus.entities(types=types, min_count=min_count), key=ENTITY_ORDER[sort])
    _finish(opts, run, [e.to_dict() for e in ents], ENTITIES)


@corpus_command
def mentions(opts: RunOptions, type_: TypeOpt = None) -> None:
    """Every entity mention, one row each, with character offsets."""
    types = _check_types(type_)
    run = _run(opts)
    _finish(opts, run, [m.to_dict() for m in run.corpus.mentions(types=types)], MENTIONS)


@corpus_command
def quotes(
    opts: RunOptions,
    speaker: Annotated[Optional[str], _opt("--speaker", "-s", metavar="NAME", help="Only quotes by this speaker: the name shown, its speaker id, a variant or alias; typos forgiven.")] = None,
    indirect: Annotated[bool, typer.Option("--indirect", help="Also list reported speech (kind indirect: X mengatakan bahwa ..., menurut X, ...).")] = False,
    kind: Annotated[Optional[list[str]], _opt("--kind", "-k", metavar="KIND", help="Only this kind: full, partial, indirect, scare, title, slogan (repeatable).")] = None,
) -> None:
    """Direct quotations and who said them; with --indirect, reported speech too."""
    kinds = _check_kinds(kind)
    run = _run(opts)
    run.corpus.include_indirect = indirect
    _finish(opts, run, [q.to_dict() for q in run.corpus.quotes(speaker=speaker, kinds=kinds)], QUOTES)


@corpus_command
def documents(
    opts: RunOptions,
    text: Annotated[bool, _opt("--text", help="Add each document's text: for an HTML page the extracted text that every offset refers to.")] = False,
) -> None:
    """The documents read (one per file, one per record of a JSONL/JSON/CSV dump) with their metadata; no analysis."""
    from .api import read_documents
    from .corpus import RunReport, input_files
    from .export import check_output

    inputs = input_files(opts.paths, globs=opts.globs) + ([STDIO] if opts.reads_stdin else [])
    if opts.output is not None:
        check_output(opts.output, inputs)
    report = RunReport()
    docs = read_documents(opts.paths, globs=opts.globs, options=replace(opts.read, cache=opts.cache), stdin=sys.stdin.buffer if opts.reads_stdin else None, report=report)
    rows = [{"doc": d.id, **d.metadata(), "author": d.author, "encoding": d.encoding, "chars": len(d.text), **({"text": d.text} if text else {})}
            for d in docs]
    view = DOCUMENTS if not text else View(DOCUMENTS.title, (*DOCUMENTS.columns, "text"), (*DOCUMENTS.table_columns, "text"))
    _finish(opts, Run(type("Read", (), {"report": report})(), inputs), rows, view)


@corpus_command
def report(
    opts: RunOptions,
    title: Annotated[Optional[str], _opt("--title", metavar="TEXT", help="Page title (default: quotex report: N documents).")] = None,
) -> None:
    """One self-contained HTML page (works offline): overview, speaker index, articles with quotes highlighted."""
    from .report import render_report, write_report

    if opts.format is not Format.table or opts.csv_bom or opts.csv_safe:
        raise UsageError("report writes one HTML page: --format, --csv-bom and --csv-safe do not apply")
    run = _run(opts)
    if opts.output is None:
        _write(lambda: sys.stdout.write(render_report(run.corpus, title=title, sources=opts.paths)), True)
    else:
        write_report(run.corpus, opts.output, inputs=run.inputs, sources=opts.paths, title=title)
    _report(run)


cache_app = typer.Typer(help="The analysis cache ($QUOTEX_CACHE_DIR or the user cache folder).", no_args_is_help=True,
                        rich_markup_mode=None, context_settings=_CONTEXT)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
@_handle_errors
def cache_info() -> None:
    """Where the cache is, its size, how many documents it holds, and the versions that key it."""
    from .store import Store

    with Store() as st:
        info = st.info()
    lines = [f"{k}: {f'{v} ({v / 1e6:.1f} MB)' if k == 'bytes' else v}\n" for k, v in info.items()]
    if sys.stdout is None:
        raise OutputError("stdout is closed")
    _write(lambda: sys.stdout.write("".join(lines)), True)


@cache_app.command("clear")
@_handle_errors
def cache_clear() -> None:
    """Delete everything in the analysis cache."""
    from .store import Store

    from .inputs import pagecache

    with Store() as st:
        st.clear()
        path = st.path
    pagecache.clear()
    _stderr().print(f"quotex: cleared the analysis cache {path}", markup=False)


def _check_kinds(kinds: Optional[list[str]]) -> Optional[list[str]]:
    """``--kind`` values, checked before any input is read."""
    from .models import QUOTE_KINDS

    if not kinds:
        return None
    out = [k.strip().lower() for k in kinds]
    for k in out:
        if k not in QUOTE_KINDS:
            raise UsageError(f"unknown kind {k!r}; use one of {', '.join(QUOTE_KINDS)}")
    return out


def _check_types(type_: Optional[list[str]]) -> Optional[list[str]]:
    from .models import ENTITY_TYPES

    if not type_:
        return None
    out = []
    for t in type_:
        for part in t.split(","):
            p = part.strip().upper()
            if p not in ENTITY_TYPES:
                raise UsageError(f"unknown type {part!r}; use one of {', '.join(ENTITY_TYPES)}")
            out.append(p)
    return out


def main(argv: Optional[list[str]] = None) -> None:
    """Console entry point."""
    try:
        app(args=argv)
    except KeyboardInterrupt:  # outside a command (while parsing)
        _stderr().print("quotex: interrupted", markup=False)
        sys.exit(EXIT_INTERRUPTED)
