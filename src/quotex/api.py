"""The library API that the command line wraps.

    from quotex import analyze
    corpus = analyze(["seeds/"])
    corpus.entities()            # folded entities
    corpus.quotes(speaker="Blinken")

:func:`analyze` runs the analysis (:mod:`quotex.engine`); :class:`Corpus` answers the
queries (:mod:`quotex.results`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from .corpus import DEFAULT_GLOBS, RunReport
from .engine import analyze
from .inputs import ReadOptions, iter_documents
from .models import Document
from .results import AmbiguousSpeakerError, Corpus, UnknownSpeakerError

__all__ = ["AmbiguousSpeakerError", "Corpus", "UnknownSpeakerError", "analyze", "read_documents"]


def read_documents(
    paths: Sequence[str | Path] = ("seeds",),
    *,
    globs: Sequence[str] = DEFAULT_GLOBS,
    options: ReadOptions | None = None,
    stdin: BinaryIO | None = None,
    report: RunReport | None = None,
) -> Iterator[Document]:
    """The documents quotex would analyse, with their metadata, read lazily (no model, no analysis cache;
    extracted HTML pages are cached unless ``options.cache`` is False).

    For an HTML page ``Document.text`` is the extracted text that result offsets refer
    to; a record file gives one Document per record. Pass a :class:`RunReport` to
    collect what was skipped or left out by ``options.since/until``."""
    rep = report if report is not None else RunReport()
    return rep.track(iter_documents([str(p) for p in paths], globs=globs, stdin=stdin, options=options))
