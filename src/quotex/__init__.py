"""quotex: who is mentioned and who said what in Indonesian news articles."""

__version__ = "0.1.0"
