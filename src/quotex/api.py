"""The library API that the command line wraps.

    from quotex import analyze
    corpus = analyze(["seeds/"])
    corpus.entities()            # folded entities
    corpus.quotes(speaker="Blinken")

:func:`analyze` runs the analysis (:mod:`quotex.engine`); :class:`Corpus` answers the
queries (:mod:`quotex.results`).
"""

from __future__ import annotations

from .engine import DEFAULT_BATCH_DOCS, analyze
from .results import AmbiguousSpeakerError, Corpus, UnknownSpeakerError

__all__ = ["DEFAULT_BATCH_DOCS", "AmbiguousSpeakerError", "Corpus", "UnknownSpeakerError", "analyze"]
