"""A stand-in for the Stanza model in unit tests: tags the names it is given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from quotex.segment import tokenize


class DictTagger:
    """Tags every occurrence of the given names (token sequences) with their type."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = sorted(((tuple(t.text for t in tokenize(n)), typ) for n, typ in names.items()), key=lambda x: -len(x[0]))

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[int, int, str]]]:
        out = []
        for toks in sentences:
            spans, i = [], 0
            while i < len(toks):
                for name, typ in self.names:
                    if tuple(toks[i : i + len(name)]) == name:
                        spans.append((i, i + len(name), typ))
                        i += len(name)
                        break
                else:
                    i += 1
            out.append(spans)
        return out
