"""The weight of every cell of a new plan, from the seller's history and what the planner says.

- Marketplaces take their share of the past twelve months, each multiplied by (1 + its growth) and
  renormalised; a marketplace given a share by hand (a new one) takes exactly that share.
- Each marketplace's share spreads over the months by its own seasonality (or a template curve).
- Channels within a marketplace, SKUs within a channel and persons within a SKU likewise take their
  past shares, adjusted by the growth given for the channel or the SKU's ABC tier; new ones take the
  share given by hand (a new SKU from its launch month, when the product table has its launch date).
- A new marketplace without history takes the channel and SKU mix of a marketplace that has one.

A cell's weight is the product of its shares down the tree; all exact fractions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from tradewind.plan.amounts import PlanError
from tradewind.plan.calendar import month_label
from tradewind.plan.seasonality import Seasonality
from tradewind.plan.tree import Path, label

#: ABC tiers by cumulative share of the past year's sales, largest SKUs first.
TIER_A = Fraction(80, 100)
TIER_B = Fraction(95, 100)


def abc_tiers(sku_totals: Mapping[str, int]) -> dict[str, str]:
    """A: the SKUs that make the first 80% of sales (the one that crosses 80% included), B: up to 95%,
    C: the rest. Ties in sales are ordered by SKU so the tiers do not depend on query order."""
    total = sum(v for v in sku_totals.values() if v > 0)
    tiers: dict[str, str] = {}
    if total <= 0:
        return tiers
    running = Fraction(0)
    for sku, amount in sorted(sku_totals.items(), key=lambda kv: (-kv[1], kv[0])):
        if amount <= 0:
            continue
        before = running
        running += Fraction(amount, total)
        tiers[sku] = "A" if before < TIER_A else "B" if before < TIER_B else "C"
    return tiers


@dataclass(frozen=True)
class WeightInputs:
    months: list[date]
    levels: tuple[str, ...]
    #: (marketplace, *other levels) -> past amount
    history: Mapping[Path, int]
    growth: Mapping[str, Fraction] = field(default_factory=dict)
    #: (marketplace, ...) path without month -> hand-set share of its parent
    shares: Mapping[Path, Fraction] = field(default_factory=dict)
    seasonality: Mapping[str, Seasonality] = field(default_factory=dict)
    tiers: Mapping[str, str] = field(default_factory=dict)
    #: SKU -> first day of its launch month (new SKUs take no share before it)
    launches: Mapping[str, date] = field(default_factory=dict)
    #: new marketplace -> the marketplace whose channel and SKU mix it takes
    borrow: Mapping[str, str] = field(default_factory=dict)
    #: (marketplace, channel, sku) -> the SKU's owner there ('' when unknown)
    owner_of: Callable[[str, str, str], str] = lambda m, c, s: ""


def _value(levels: tuple[str, ...], path: Path, level: str) -> str:
    return path[levels.index(level)] if level in levels and levels.index(level) < len(path) else ""


def cell_weights(inputs: WeightInputs) -> tuple[dict[Path, Fraction], list[str]]:
    """(month label, *levels) -> weight, summing to 1; and notes for the plan."""
    levels = inputs.levels
    depth = len(levels)
    notes: list[str] = []
    hist: dict[Path, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    real_markets = {p[0] for p, a in inputs.history.items() if a > 0}
    for path, amount in inputs.history.items():
        if amount <= 0:
            continue
        for i in range(depth):
            hist[path[:i]][path[i]] += amount
    for new, source in sorted(inputs.borrow.items()):
        for path, amount in inputs.history.items():
            if path[0] != source or amount <= 0:
                continue
            moved = (new, *path[1:])
            if "person" in levels and "sku" in levels:
                owner = inputs.owner_of(new, _value(levels, path, "channel"), _value(levels, path, "sku"))
                moved = (*moved[:-1], owner or path[-1])
            for i in range(1, depth):
                hist[moved[:i]][moved[i]] += amount
        notes.append(f"{new} has no sales history: its channels and SKUs follow {source}'s mix")
    hand: dict[Path, dict[str, Fraction]] = defaultdict(dict)
    for path, share in inputs.shares.items():
        if not 0 <= share <= 1:
            raise PlanError(f"the share of {label(path)} must be between 0 and 1, not {float(share)}")
        hand[path[:-1]][path[-1]] = share
    # a hand-set node with nothing below it gets a single owner below (a new SKU's person)
    for path in list(inputs.shares):
        _complete_below(path, levels, hist, hand, inputs.owner_of)
    for path in inputs.shares:
        for i in range(1, len(path)):
            if not _known(path[:i], hist, hand):
                raise PlanError(
                    f"share for {label(path)}: {label(path[:i])} is not in the plan; give it a share too"
                )

    def growth_of(level: str, value: str) -> Fraction:
        if level in ("marketplace", "channel"):
            key = value
        elif level == "sku":
            key = inputs.tiers.get(value, "")
        else:
            return Fraction(0)
        return inputs.growth.get(key, Fraction(0))

    cache: dict[tuple[Path, frozenset[str]], dict[str, Fraction]] = {}

    def shares_at(prefix: Path, month: date | None) -> dict[str, Fraction]:
        level = levels[len(prefix)]
        given = dict(hand.get(prefix, {}))
        if month is not None and level == "sku":
            given = {c: f for c, f in given.items() if inputs.launches.get(c, month) <= month}
        key = (prefix, frozenset(given))
        if key not in cache:
            cache[key] = _shares(prefix, level, given)
        return cache[key]

    def _shares(prefix: Path, level: str, given: dict[str, Fraction]) -> dict[str, Fraction]:
        past = {c: a for c, a in hist.get(prefix, {}).items() if c not in hand.get(prefix, {})}
        if not prefix:  # marketplaces: only real history gives a past share
            past = {c: a for c, a in past.items() if c in real_markets}
        base = {c: a * (1 + growth_of(level, c)) for c, a in past.items()}
        given_total = sum(given.values(), Fraction(0))
        if given_total > 1:
            raise PlanError(
                f"the shares given under {label(prefix)} add up to {float(given_total):.4g}, more than 1"
            )
        base_total = sum(base.values(), Fraction(0))
        if base_total > 0:
            out = {c: (1 - given_total) * b / base_total for c, b in base.items()}
            out.update(given)
            return out
        if given_total > 0:
            return {c: f / given_total for c, f in given.items()}
        return {}

    top = shares_at((), None)
    if not top:
        raise PlanError(
            "there is no history of this KPI to split by and no marketplace was given a share: import "
            "order reports first, or give each marketplace a share (--share US=0.6,DE=0.4)"
        )
    for market in top:
        if market not in inputs.seasonality:
            raise PlanError(f"internal: no seasonality for {market}")
    weights: dict[Path, Fraction] = {}
    for month in inputs.months:
        m_label = month_label(month)
        stack: list[tuple[Path, Fraction]] = []
        for market, share in top.items():
            season = inputs.seasonality[market].shares[(month.year, month.month)]
            stack.append(((market,), share * season))
        while stack:
            path, w = stack.pop()
            if len(path) == depth:
                if w > 0:
                    weights[(m_label, *path)] = w
                continue
            below = shares_at(path, month)
            if not below:
                if w > 0 and not _known_below(path, hist, hand):
                    raise PlanError(
                        f"{label(path)} has a share but nothing below it to split into: give its "
                        f"{levels[len(path)]}s shares too (e.g. --share {'/'.join(path)}/NAME=1)"
                    )
                continue
            for child, share in below.items():
                stack.append(((*path, child), w * share))
    if not weights:
        raise PlanError("nothing to split the total over: every share is zero")
    return weights, notes


def _known(
    path: Path, hist: Mapping[Path, Mapping[str, int]], hand: Mapping[Path, Mapping[str, Fraction]]
) -> bool:
    parent, child = path[:-1], path[-1]
    return child in hist.get(parent, {}) or child in hand.get(parent, {})


def _known_below(
    path: Path, hist: Mapping[Path, Mapping[str, int]], hand: Mapping[Path, Mapping[str, Fraction]]
) -> bool:
    return bool(hist.get(path)) or bool(hand.get(path))


def _complete_below(
    path: Path,
    levels: tuple[str, ...],
    hist: Mapping[Path, Mapping[str, int]],
    hand: dict[Path, dict[str, Fraction]],
    owner_of: Callable[[str, str, str], str],
) -> None:
    if len(path) >= len(levels) or _known_below(path, hist, hand):
        return
    if levels[len(path)] == "person" and "sku" in levels:
        owner = owner_of(path[0], _value(levels, path, "channel"), _value(levels, path, "sku"))
        hand[path][owner] = Fraction(1)
