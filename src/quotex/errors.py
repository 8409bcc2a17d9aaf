"""Error classes, each mapped to a documented exit code."""

from __future__ import annotations

# Exit codes (documented in README and `quotex --help`).
EXIT_OK = 0
EXIT_ERROR = 1  # usage or configuration error: nothing was processed
EXIT_PARTIAL = 2  # some inputs were skipped; results for the rest were written
EXIT_MODEL = 3  # the NER model is missing or corrupt
EXIT_INTERRUPTED = 130  # Ctrl-C


class QuotexError(Exception):
    """Base class: a one-line, user-facing message that says how to fix the problem."""

    exit_code = EXIT_ERROR


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
