"""Reading YAML/text data files with one-line errors that name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; errors become :class:`ConfigError` with file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read file ({e.__class__.__name__}: {e})", path=str(path)) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}; fix the syntax at this line", path=str(path), line=line) from None


def load_words(path: Path) -> list[str]:
    """One entry a line; blank lines and ``#`` comments ignored."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as e:
        raise ConfigError(f"cannot read file ({e})", path=str(path)) from None
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
