"""Error classes, each mapped to a documented exit code."""

from __future__ import annotations

# Exit codes (documented in README and `quotex --help`).
# One code, one meaning; 2 is Click's code for a usage error.
EXIT_OK = 0
EXIT_ERROR = 1  # input, output or configuration error: nothing was written
EXIT_USAGE = 2  # the command line itself is wrong (unknown option or value): nothing was read
EXIT_MODEL = 3  # the NER model is missing or corrupt
EXIT_PARTIAL = 4  # some inputs were skipped; results for the rest were written
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT); other signals exit with 128 + the signal number


class QuotexError(Exception):
    """Base class: a one-line, user-facing message that says how to fix the problem."""

    exit_code = EXIT_ERROR


class UsageError(QuotexError):
    """The command line is wrong (a value no option accepts, no input given)."""

    exit_code = EXIT_USAGE


class InputError(QuotexError):
    """A path given on the command line cannot be used at all."""


class ConfigError(QuotexError):
    """A data file (alias table, word list) is unreadable, invalid or contradictory."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class ModelError(QuotexError):
    """The shipped NER model is missing, corrupt or does not match its manifest."""

    exit_code = EXIT_MODEL


class OutputError(QuotexError):
    """The output file cannot be written (or would overwrite an input)."""
