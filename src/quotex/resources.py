"""Locating the data files that ship with quotex (alias table, word lists, NER model)."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder holding the default data files.

    In an installed wheel it is ``quotex/data`` (force-included at build time);
    in a source checkout or an editable install it is the repository's ``data/``.
    """
    packaged = _PKG / "data"
    if packaged.is_dir():
        return packaged
    return _PKG.parent.parent / "data"


def data_file(name: str) -> Path:
    """Path of one default data file, e.g. ``aliases.yaml``."""
    return data_dir() / name


def model_dir() -> Path:
    """The folder holding the shipped Stanza NER model and its manifest."""
    return _PKG / "ner_model"
