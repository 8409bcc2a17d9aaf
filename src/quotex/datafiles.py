"""Reading YAML/text data files with one-line errors that name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster on large tables
_MERGE = "tag:yaml.org,2002:merge"


def _read(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read file ({e.__class__.__name__}: {e})", path=str(path)) from None


def check_duplicate_keys(node: yaml.Node | None, path: str) -> None:
    """Raise :class:`ConfigError` (file and line) for a key written twice in one mapping:
    YAML loaders silently keep the last one (a second ``entities:`` would drop the first list)."""
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode) and k.tag != _MERGE:
                    line = k.start_mark.line + 1
                    if k.value in seen:
                        raise ConfigError(f"duplicate key {k.value!r} (first at line {seen[k.value]}); keep one", path=path, line=line)
                    seen[k.value] = line
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


def _yaml_error(e: yaml.YAMLError, path: Path) -> ConfigError:
    mark = getattr(e, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    return ConfigError(f"invalid YAML: {problem}; fix the syntax at this line", path=str(path), line=line)


def compose_yaml(path: Path) -> yaml.Node | None:
    """The YAML node tree of a file (for loaders that report lines), keys written twice refused;
    errors become :class:`ConfigError` with file and line."""
    text = _read(path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as e:
        raise _yaml_error(e, path) from None
    check_duplicate_keys(node, str(path))
    return node


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; errors (and keys written twice) become :class:`ConfigError` with file and line."""
    node = compose_yaml(path)
    if node is None:
        return None
    try:
        return _Loader("").construct_document(node)
    except yaml.YAMLError as e:
        raise _yaml_error(e, path) from None


def load_words(path: Path) -> list[str]:
    """One entry a line; blank lines and ``#`` comments ignored."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as e:
        raise ConfigError(f"cannot read file ({e})", path=str(path)) from None
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
