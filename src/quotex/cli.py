"""The ``quotex`` command: a thin layer over :mod:`quotex.api`.

Data goes to stdout (or ``-o FILE``); progress, warnings, the run summary and
errors go to stderr.
"""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console

from . import __version__
from .errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_MODEL, EXIT_OK, EXIT_PARTIAL, QuotexError

EXIT_CODES_HELP = (
    f"Exit codes: {EXIT_OK} every input processed; {EXIT_ERROR} usage, input or configuration error "
    f"(nothing written); {EXIT_PARTIAL} some inputs skipped (named on stderr), results for the rest written; "
    f"{EXIT_MODEL} NER model missing or corrupt; {EXIT_INTERRUPTED} interrupted (Ctrl-C)."
)

app = typer.Typer(
    name="quotex",
    help="Who is mentioned and who said what in Indonesian news articles, offline.\n\n" + EXIT_CODES_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


PathsArg = Annotated[Optional[list[str]], typer.Argument(help="Files or folders (recursive), or - for stdin. Default: ./seeds/ if it exists.", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout.", show_default=False)]
GlobOpt = Annotated[Optional[list[str]], typer.Option("--glob", help="File-name patterns to read inside folders (repeatable). Default: *.txt and *.md.", show_default=False)]
AliasOpt = Annotated[Optional[list[Path]], typer.Option("--aliases", help="Extra alias table (YAML); extends the default one (repeatable).", show_default=False)]
NoDefaultAliasOpt = Annotated[bool, typer.Option("--no-default-aliases", help="Use only the tables given with --aliases.")]
KeepBpOpt = Annotated[bool, typer.Option("--keep-boilerplate", help="Analyse site boilerplate lines too (Baca Juga, Read Next, bylines...).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
NoNerOpt = Annotated[bool, typer.Option("--no-ner", help="Skip the Stanza model: alias table and in-text definitions only (fast, lower recall).")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log details (and Stanza's messages) to stderr.")]
BomOpt = Annotated[bool, typer.Option("--csv-bom", help="Start CSV output with a UTF-8 BOM (for spreadsheet programs).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the analysis cache (see 'quotex cache info').")]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Analyse uncached documents in N worker processes.")]
SafeOpt = Annotated[bool, typer.Option("--csv-safe", help="Prefix ' to CSV cells starting with = + - @ (spreadsheet formula injection guard).")]


def _handle_errors(fn):
    """Turn quotex errors and Ctrl-C into one line on stderr and a documented exit code."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        err = _stderr()
        try:
            return fn(*args, **kwargs)
        except QuotexError as e:
            err.print(f"Error: {e}", markup=False)
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            err.print("quotex: interrupted", markup=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, SystemExit):
            raise
        except BrokenPipeError:
            # the reader went away (quotex ... | head): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(EXIT_OK) from None
        except Exception as e:
            if os.environ.get("QUOTEX_DEBUG"):
                raise
            err.print(f"Error: unexpected {e.__class__.__name__}: {e} (set QUOTEX_DEBUG=1 for a traceback)", markup=False)
            raise typer.Exit(EXIT_ERROR) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"quotex {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False) -> None:
    """Who is mentioned and who said what in Indonesian news articles, offline."""


def _default_paths(paths: Optional[list[str]]) -> list[str]:
    if paths:
        return list(paths)
    if Path("seeds").is_dir():
        return ["seeds"]
    raise QuotexError("no input: give files or folders (e.g. quotex entities articles/), or - to read stdin")


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="quotex: %(message)s", stream=sys.stderr)
    if verbose:
        os.environ["QUOTEX_VERBOSE"] = "1"


@contextmanager
def _progress(quiet: bool) -> Iterator:
    err = _stderr()
    if quiet or not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("analysing"), BarColumn(), TextColumn("{task.completed} documents"), TimeElapsedColumn(), console=err, transient=True) as prog:
        task = prog.add_task("docs", total=None)
        yield lambda n: prog.advance(task, n)


def _check_out(output: Optional[Path], paths: Optional[list[str]]) -> None:
    """Fail fast on an -o that cannot or must not be written (before a long analysis)."""
    if output is not None:
        from .export import check_output

        check_output(output, [p for p in (paths or []) if p != "-"])


def _run(paths, glob, aliases, no_default_aliases, keep_boilerplate, quiet, verbose, no_ner=False, no_cache=False, jobs=1):
    from .api import analyze
    from .corpus import DEFAULT_GLOBS

    _setup_logging(verbose)
    with _progress(quiet) as progress:
        return analyze(
            _default_paths(paths),
            globs=tuple(glob) if glob else DEFAULT_GLOBS,
            aliases=tuple(aliases or ()),
            default_aliases=not no_default_aliases,
            keep_boilerplate=keep_boilerplate,
            stdin=sys.stdin.buffer if paths and "-" in paths else None,
            progress=progress,
            tagger=None if no_ner else "default",
            cache=not no_cache,
            jobs=jobs,
        )


def _finish(corpus, rows, columns, fmt, output, title, csv_bom, csv_safe, paths, table_columns=None) -> None:
    from .export import write_rows

    if fmt is Format.table and table_columns:
        columns = table_columns
    inputs = [Path(p) for p in (paths or []) if p != "-"]
    write_rows(rows, fmt=fmt.value, columns=columns, out=output, title=title, csv_bom=csv_bom, csv_safe=csv_safe, inputs=inputs)
    err = _stderr()
    for line in corpus.report.details():
        err.print(line, markup=False)
    err.print(corpus.report.summary(), markup=False)
    code = corpus.report.exit_code
    if code:
        raise typer.Exit(code)


ENTITY_COLUMNS = ["id", "canonical", "type", "mentions", "documents", "variants"]
MENTION_COLUMNS = ["doc", "start", "end", "text", "type", "entity_id", "canonical", "source"]
QUOTE_COLUMNS = ["doc", "start", "end", "text", "kind", "speaker", "speaker_id", "speaker_type", "speaker_mention", "cue", "confidence", "also_in", "rule"]


def _check_kinds(kinds: Optional[list[str]]) -> Optional[list[str]]:
    """``--kind`` values, checked before any input is read."""
    if not kinds:
        return None
    from .models import QUOTE_KINDS

    out = [k.strip().lower() for k in kinds]
    for k in out:
        if k not in QUOTE_KINDS:
            raise QuotexError(f"--kind {k!r} is not a quote kind; use one of {', '.join(QUOTE_KINDS)}")
    return out


class Sort(str, Enum):
    mentions = "mentions"
    documents = "documents"
    name = "name"
    type = "type"


@app.command()
@_handle_errors
def entities(
    paths: PathsArg = None,
    type_: Annotated[Optional[list[str]], typer.Option("--type", "-t", help="Only these types: PERSON, ORG, COUNTRY, LOC (repeatable).", show_default=False)] = None,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Only entities mentioned at least this often.")] = 1,
    sort: Annotated[Sort, typer.Option("--sort", help="Order of rows.")] = Sort.mentions,
    format: FormatOpt = Format.table,
    output: OutOpt = None,
    glob: GlobOpt = None,
    aliases: AliasOpt = None,
    no_default_aliases: NoDefaultAliasOpt = False,
    keep_boilerplate: KeepBpOpt = False,
    csv_bom: BomOpt = False,
    csv_safe: SafeOpt = False,
    no_ner: NoNerOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 1,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Entities mentioned (people, organisations, countries, places), variants folded."""
    types = _check_types(type_)
    _check_out(output, paths)
    corpus = _run(paths, glob, aliases, no_default_aliases, keep_boilerplate, quiet, verbose, no_ner, no_cache, jobs)
    ents = corpus.entities(types=types, min_count=min_count)
    if sort is Sort.documents:
        ents.sort(key=lambda e: (-e.documents, -e.mentions, e.canonical))
    elif sort is Sort.name:
        ents.sort(key=lambda e: e.canonical.casefold())
    elif sort is Sort.type:
        ents.sort(key=lambda e: (e.type, -e.mentions, e.canonical))
    _finish(corpus, (e.to_dict() for e in ents), ENTITY_COLUMNS, format, output, "Entities", csv_bom, csv_safe, paths,
            table_columns=["canonical", "type", "mentions", "documents", "variants"])


@app.command()
@_handle_errors
def mentions(
    paths: PathsArg = None,
    type_: Annotated[Optional[list[str]], typer.Option("--type", "-t", help="Only these types (repeatable).", show_default=False)] = None,
    format: FormatOpt = Format.table,
    output: OutOpt = None,
    glob: GlobOpt = None,
    aliases: AliasOpt = None,
    no_default_aliases: NoDefaultAliasOpt = False,
    keep_boilerplate: KeepBpOpt = False,
    csv_bom: BomOpt = False,
    csv_safe: SafeOpt = False,
    no_ner: NoNerOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 1,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Every entity mention, one row each, with character offsets."""
    types = _check_types(type_)
    _check_out(output, paths)
    corpus = _run(paths, glob, aliases, no_default_aliases, keep_boilerplate, quiet, verbose, no_ner, no_cache, jobs)
    rows = (m.to_dict() for m in corpus.mentions(types=types))
    _finish(corpus, rows, MENTION_COLUMNS, format, output, "Mentions", csv_bom, csv_safe, paths)


@app.command()
@_handle_errors
def quotes(
    paths: PathsArg = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", "-s", help="Only quotes by this speaker (canonical name, variant or alias; typos forgiven).", show_default=False)] = None,
    indirect: Annotated[bool, typer.Option("--indirect", help="Also list reported speech (kind indirect: X mengatakan bahwa ..., menurut X, ...).")] = False,
    kind: Annotated[Optional[list[str]], typer.Option("--kind", "-k", help="Only these kinds: full, partial, indirect, scare, title, slogan (repeatable).", show_default=False)] = None,
    format: FormatOpt = Format.table,
    output: OutOpt = None,
    glob: GlobOpt = None,
    aliases: AliasOpt = None,
    no_default_aliases: NoDefaultAliasOpt = False,
    keep_boilerplate: KeepBpOpt = False,
    csv_bom: BomOpt = False,
    csv_safe: SafeOpt = False,
    no_ner: NoNerOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 1,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Direct quotations and who said them; with --indirect, reported speech too."""
    _check_out(output, paths)
    kinds = _check_kinds(kind)
    corpus = _run(paths, glob, aliases, no_default_aliases, keep_boilerplate, quiet, verbose, no_ner, no_cache, jobs)
    corpus.include_indirect = indirect
    qs = corpus.quotes(speaker=speaker, kinds=kinds)
    _finish(corpus, (q.to_dict() for q in qs), QUOTE_COLUMNS, format, output, "Quotes", csv_bom, csv_safe, paths,
            table_columns=["doc", "speaker", "kind", "text", "cue"])


cache_app = typer.Typer(help="The analysis cache ($QUOTEX_CACHE_DIR or the user cache folder).", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
@_handle_errors
def cache_info() -> None:
    """Where the cache is, its size, how many documents it holds, and the versions that key it."""
    from .store import Store

    with Store() as st:
        info = st.info()
    for k, v in info.items():
        if k == "bytes":
            v = f"{v} ({v / 1e6:.1f} MB)"
        typer.echo(f"{k}: {v}")


@cache_app.command("clear")
@_handle_errors
def cache_clear() -> None:
    """Delete everything in the analysis cache."""
    from .store import Store

    with Store() as st:
        st.clear()
        path = st.path
    _stderr().print(f"quotex: cleared the analysis cache {path}", markup=False)


def _check_types(type_: Optional[list[str]]) -> Optional[list[str]]:
    from .models import ENTITY_TYPES

    if not type_:
        return None
    out = []
    for t in type_:
        for part in t.split(","):
            p = part.strip().upper()
            if p not in ENTITY_TYPES:
                raise QuotexError(f"unknown type {part!r}; use one of {', '.join(ENTITY_TYPES)}")
            out.append(p)
    return out


def main(argv: Optional[list[str]] = None) -> None:
    """Console entry point."""
    try:
        app(args=argv)
    except KeyboardInterrupt:  # outside a command (while parsing)
        _stderr().print("quotex: interrupted", markup=False)
        sys.exit(EXIT_INTERRUPTED)
