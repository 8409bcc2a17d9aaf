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


def analyze_local(text: str, names: Mapping[str, str], defaults: bool = False):
    """One made-up document through the whole pipeline with a stand-in tagger for ``names``:
    its DocResult and its in-document entity groups (the mention texts of each, sorted)."""
    from quotex.aliases import load_aliases
    from quotex.models import Document
    from quotex.pipeline import analyze_documents

    table = load_aliases(defaults=defaults)
    r = analyze_documents([Document("d", text)], tagger=DictTagger(names), table=table, quotes=False)[0]
    groups: dict[int, set[str]] = {}
    for m, c in zip(r.mentions, r.clusters):
        groups.setdefault(c, set()).add(m.text)
    return r, sorted(sorted(g) for g in groups.values())
