"""Direct quotations and who said them.

- :mod:`~quotex.quotes.marks`: quotations found by their quote marks;
- :mod:`~quotex.quotes.cues`: the cue lexicon (``data/cues.yaml``);
- :mod:`~quotex.quotes.speakers`: reading a speaker out of the text (expressions after cues,
  subjects of reporting verbs, role titles, the discourse state), usable on its own;
- :mod:`~quotex.quotes.attribution`: the ordered attribution rules and :func:`find_quotes`;
- :mod:`~quotex.quotes.confidence`: one table of confidences;
- :mod:`~quotex.quotes.syndication`: :func:`link_syndicated`.
"""

from quotex.quotes.attribution import RULES, Attribution, QuoteSpan, find_quotes
from quotex.quotes.confidence import CONFIDENCE
from quotex.quotes.cues import CueLexicon, load_lexicon
from quotex.quotes.speakers import Discourse, Reading, Speaker, SpeakerReader
from quotex.quotes.syndication import link_syndicated

__all__ = [
    "CONFIDENCE",
    "RULES",
    "Attribution",
    "CueLexicon",
    "Discourse",
    "QuoteSpan",
    "Reading",
    "Speaker",
    "SpeakerReader",
    "find_quotes",
    "link_syndicated",
    "load_lexicon",
]
