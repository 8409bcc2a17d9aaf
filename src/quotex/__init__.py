"""quotex: who is mentioned and who said what in Indonesian news articles."""

__version__ = "0.1.0"

from .api import AmbiguousSpeakerError, Corpus, UnknownSpeakerError, analyze, read_documents  # noqa: E402
from .inputs import ReadOptions  # noqa: E402
from .models import Document, Entity, Mention, Quote  # noqa: E402

__all__ = ["AmbiguousSpeakerError", "Corpus", "Document", "Entity", "Mention", "Quote", "ReadOptions", "UnknownSpeakerError", "analyze", "read_documents", "__version__"]
