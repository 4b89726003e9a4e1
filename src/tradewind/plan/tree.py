"""The split itself: a total goes down a tree (month → marketplace → channel → SKU → person) in integer
minor units, so every node is exactly the sum of its children and nothing is ever negative.

Cells set or held by hand keep their amounts. At every node, each child first gets what is held inside
it; the rest of the node is spread over the children by their free weight (the weight of everything in
them that is not held), by largest remainder. So a held cell stays, and the rest of its parent is
re-spread around it, at every level up to the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from fractions import Fraction

from tradewind.plan.amounts import PlanError, format_minor, largest_remainder

Path = tuple[str, ...]


def label(path: Path) -> str:
    return " / ".join(p or "(none)" for p in path) if path else "the total"


class Tree:
    """The shape of a plan: every leaf path and, for each node, its children in sorted order."""

    def __init__(self, leaves: Mapping[Path, Fraction], depth: int) -> None:
        self.depth = depth
        self.weights = dict(leaves)
        kids: dict[Path, set[str]] = defaultdict(set)
        for leaf in leaves:
            if len(leaf) != depth:
                raise PlanError(f"internal: cell {label(leaf)} does not have {depth} levels")
            for i in range(depth):
                kids[leaf[:i]].add(leaf[i])
        self.children: dict[Path, list[str]] = {p: sorted(c) for p, c in kids.items()}

    def has(self, path: Path) -> bool:
        if not path:
            return True
        return path[-1] in self.children.get(path[:-1], ())

    def leaves_under(self, path: Path) -> list[Path]:
        n = len(path)
        return [leaf for leaf in self.weights if leaf[:n] == path]

    def weight_under(self, path: Path) -> Fraction:
        return sum((w for leaf, w in self.weights.items() if leaf[: len(path)] == path), Fraction(0))


def spread(
    tree: Tree, total: int, holds: Mapping[Path, int], scale: int = 100, *, start: Path = ()
) -> tuple[dict[Path, int], list[str]]:
    """Amounts of every leaf under `start` (default: the whole tree): `total` split by the tree's
    weights around the held nodes."""
    for path in holds:
        if not tree.has(path):
            raise PlanError(f"cannot hold {label(path)}: the plan has no such cell")
        if holds[path] < 0:
            raise PlanError(f"{label(path)} cannot be negative")
    depth = tree.depth
    out: dict[Path, int] = {}
    notes: list[str] = []
    held_in: dict[Path, int] = {}
    free_in: dict[Path, Fraction] = {}

    def held(path: Path) -> int:
        if path in holds:
            return holds[path]
        if path not in held_in:
            held_in[path] = 0 if len(path) == depth else sum(held((*path, c)) for c in tree.children[path])
        return held_in[path]

    def free(path: Path) -> Fraction:
        if path in holds:
            return Fraction(0)
        if path not in free_in:
            if len(path) == depth:
                free_in[path] = tree.weights[path]
            else:
                free_in[path] = sum((free((*path, c)) for c in tree.children[path]), Fraction(0))
        return free_in[path]

    def fallback(path: Path, kids: list[str]) -> list[Fraction]:
        """Weights for children whose free weight is all zero: their weight over the whole year (a SKU
        with nothing in March takes March by its yearly mix), else equal parts."""
        if len(path) >= 1:
            rest = path[1:]
            year = []
            for c in kids:
                tail = (*rest, c)
                year.append(
                    sum((free((m, *tail)) for m in tree.children[()] if tree.has((m, *tail))), Fraction(0))
                )
            if sum(year) > 0:
                return year
        notes.append(f"{label(path)}: nothing to spread by, so its parts were set equal")
        return [Fraction(1)] * len(kids)

    if not tree.has(start):
        raise PlanError(f"the plan has no cell {label(start)}")
    stack: list[tuple[Path, int]] = [(start, total)]
    if () in holds and start == () and holds[()] != total:
        raise PlanError(
            f"the total is held at {format_minor(holds[()], scale)}, not {format_minor(total, scale)}"
        )
    while stack:
        path, amount = stack.pop()
        if len(path) == depth:
            out[path] = amount
            continue
        kids = tree.children[path]
        fixed = sum(held((*path, c)) for c in kids)
        if amount < fixed:
            raise PlanError(
                f"the cells held inside {label(path)} add up to {format_minor(fixed, scale)}, more than its "
                f"{format_minor(amount, scale)}; lower them or raise {label(path)}"
            )
        rest = amount - fixed
        free_kids = [c for c in kids if (*path, c) not in holds]
        if rest and not free_kids:
            raise PlanError(
                f"every part of {label(path)} is held and they add up to {format_minor(fixed, scale)}, "
                f"not {format_minor(amount, scale)}; release one of them or change {label(path)}"
            )
        weights = [free((*path, c)) for c in free_kids]
        if rest and sum(weights) == 0:
            weights = fallback(path, free_kids)
        parts = largest_remainder(rest, weights) if free_kids else []
        for c, part in zip(free_kids, parts, strict=True):
            stack.append(((*path, c), held((*path, c)) + part))
        for c in kids:
            if (*path, c) in holds:
                stack.append(((*path, c), holds[(*path, c)]))
    return out, notes


def node_sums(amounts: Mapping[Path, int], depth: int) -> dict[Path, int]:
    """Every node's amount (the root is `()`), as the sum of its leaves."""
    sums: dict[Path, int] = defaultdict(int)
    for leaf, amount in amounts.items():
        for i in range(depth + 1):
            sums[leaf[:i]] += amount
    return dict(sums)
