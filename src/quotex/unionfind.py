"""Disjoint sets, used by folding inside a document (:mod:`quotex.pipeline`) and across
documents (:mod:`quotex.entities`)."""

from __future__ import annotations

from collections.abc import Callable


class UnionFind:
    """Disjoint sets over ``0 .. n-1`` with path halving.

    ``union(a, b)`` joins b's set into a's: a's root stays the root unless ``prefer(ra, rb)``
    returns ``rb``. ``blocks(ra, rb)``, when given, can refuse a join (two sets that the
    alias table says are different entities, or that hold relatives' names);
    ``joined(root, other)`` is told of every join (to merge what the caller keeps per set)."""

    def __init__(self, n: int, *, prefer: Callable[[int, int], int] | None = None,
                 blocks: Callable[[int, int], bool] | None = None,
                 joined: Callable[[int, int], None] | None = None) -> None:
        self.parent = list(range(n))
        self._prefer = prefer
        self._blocks = blocks
        self._joined = joined

    def find(self, i: int) -> int:
        """The root of i's set."""
        p = self.parent
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return i

    def union(self, a: int, b: int) -> bool:
        """Join the sets of a and b; False when they were already one or the join is blocked."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or (self._blocks is not None and self._blocks(ra, rb)):
            return False
        root = self._prefer(ra, rb) if self._prefer is not None else ra
        other = rb if root == ra else ra
        self.parent[other] = root
        if self._joined is not None:
            self._joined(root, other)
        return True
