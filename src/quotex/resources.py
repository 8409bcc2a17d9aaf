"""Locating the data files that ship with quotex (alias table, word lists, NER model).

Every language-data file is listed once, in :data:`DATA_FILES`, with the analysis stage it
feeds; the cache keys are built from that list (:mod:`quotex.store`), and a test checks that
every file in ``data/`` is in it.

A user's data folder (``--data DIR``, ``analyze(data_dir=DIR)``) overlays the shipped files:
a file in DIR with the same name **replaces** the shipped one, except ``aliases.yaml``, which
**extends** the shipped table the way ``--aliases FILE`` does. Code that reads a data file
asks :func:`data_file` each time it loads it (and keys any cache of the parsed content by
the path it got), so the overlay reaches every stage::

    from quotex.resources import data_file
    words = load_words(data_file("titles.txt"))
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PKG = Path(__file__).resolve().parent

# every language-data file -> the stage whose results it changes ("ner": what the model sees,
# i.e. sentence splitting and boilerplate; "derived": everything computed after the model;
# "input": reading documents' metadata, which is not cached)
DATA_FILES: dict[str, str] = {
    "abbreviations.txt": "ner",
    "boilerplate.yaml": "ner",
    "aliases.yaml": "derived",
    "calendar.txt": "derived",
    "cues.yaml": "derived",
    "folding.yaml": "derived",
    "roles.yaml": "derived",
    "titles.txt": "derived",
    "months.yaml": "input",  # dates of pages and records: joined to results at query time, never cached with them
}

# files of a data overlay that extend the shipped one instead of replacing it
EXTENDING = frozenset({"aliases.yaml"})

_overlay: Path | None = None


def data_dir() -> Path:
    """The folder holding the default data files.

    In an installed wheel it is ``quotex/data`` (force-included at build time);
    in a source checkout or an editable install it is the repository's ``data/``.
    """
    packaged = _PKG / "data"
    if packaged.is_dir():
        return packaged
    return _PKG.parent.parent / "data"


def overlay_dir() -> Path | None:
    """The user's data folder in effect (``--data DIR``), or None."""
    return _overlay


def set_overlay_dir(path: Path | str | None) -> None:
    """Make ``path`` the data overlay for this process (None: shipped files only)."""
    global _overlay
    _overlay = Path(path).resolve() if path is not None else None


@contextmanager
def overlay(path: Path | str | None) -> Iterator[None]:
    """Use the data overlay ``path`` inside the block (None keeps the one in effect)."""
    global _overlay
    old = _overlay
    if path is not None:
        set_overlay_dir(path)
    try:
        yield
    finally:
        _overlay = old


def data_file(name: str, overlay: Path | str | None = None) -> Path:
    """The file to read for data file ``name`` (e.g. ``titles.txt``): ``name`` in the overlay
    folder (``overlay``, else the one in effect) if it is there, else the shipped file.

    For :data:`EXTENDING` files (``aliases.yaml``) this is the shipped file; the overlay's
    copy comes from :func:`overlay_file`."""
    if name not in EXTENDING:
        o = overlay_file(name, overlay)
        if o is not None:
            return o
    return data_dir() / name


def overlay_file(name: str, overlay: Path | str | None = None) -> Path | None:
    """``name`` in the overlay folder, if there is one and it holds that file."""
    d = Path(overlay) if overlay is not None else _overlay
    if d is None:
        return None
    p = d / name
    return p if p.is_file() else None


def cache_dir() -> Path:
    """``$QUOTEX_CACHE_DIR`` if set, else the platform's user cache folder for quotex."""
    import os

    env = os.environ.get("QUOTEX_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("quotex"))


def model_dir() -> Path:
    """The folder holding the shipped Stanza NER model and its manifest."""
    return _PKG / "ner_model"
