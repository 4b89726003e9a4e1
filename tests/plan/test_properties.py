"""Property tests: for random histories, totals, shares and holds, every level of a plan sums exactly to
its parent, nothing is negative, held cells keep their amounts, and each cell lands within a cent per
level of its exact share.

They run the same code as `plan create` after the engine has answered: seasonality learnt from a random
daily history, the cell weights, and the split.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradewind.plan.amounts import largest_remainder
from tradewind.plan.calendar import month_label, plan_months
from tradewind.plan.events import load_events
from tradewind.plan.seasonality import learn
from tradewind.plan.tree import Tree, node_sums, spread
from tradewind.plan.weights import WeightInputs, abc_tiers, cell_weights

LEVELS = ("marketplace", "channel", "sku", "person")
MARKETS = ("US", "DE", "UK", "IT")
CALENDAR = load_events()
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(st.fractions(min_value=0, max_value=1000, max_denominator=997), min_size=1, max_size=30),
)
def test_largest_remainder_is_exact_and_fair(total: int, weights: list[Fraction]) -> None:
    if sum(weights) == 0:
        weights = [*weights[:-1], Fraction(1)]
    parts = largest_remainder(total, weights)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    whole = sum(weights)
    for part, w in zip(parts, weights, strict=True):
        assert abs(part - total * w / whole) < 1


@FAST
@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(0, 10**6), min_size=1, max_size=20),
)
def test_whole_number_weights_split_the_same_way(total: int, weights: list[int]) -> None:
    if sum(weights) == 0:
        weights[-1] = 1
    as_int = largest_remainder(total, [Fraction(w) for w in weights])
    # the integer fast path and the exact-fraction path agree (the same proportions, divided by 3)
    assert as_int == largest_remainder(total, [Fraction(w, 3) for w in weights])


@st.composite
def histories(draw: st.DrawFn) -> dict[tuple[str, ...], int]:
    paths: dict[tuple[str, ...], int] = {}
    for market in draw(st.lists(st.sampled_from(MARKETS[:3]), min_size=1, max_size=3, unique=True)):
        for channel in draw(
            st.lists(
                st.sampled_from(("amazon_fba", "amazon_fbm", "shopify")), min_size=1, max_size=2, unique=True
            )
        ):
            for sku in draw(
                st.lists(st.sampled_from([f"S{i}" for i in range(8)]), min_size=1, max_size=5, unique=True)
            ):
                owner = draw(st.sampled_from(("li", "wang", "")))
                paths[(market, channel, sku, owner)] = draw(st.integers(min_value=1, max_value=10**8))
    return paths


@st.composite
def dailies(draw: st.DrawFn, markets: list[str]) -> dict[str, dict[date, int]]:
    out: dict[str, dict[date, int]] = {}
    for market in markets:
        months = draw(st.integers(min_value=0, max_value=24))
        start = date(2025, 12, 31) - timedelta(days=30 * months)
        values = draw(st.lists(st.integers(0, 50_000), min_size=12, max_size=12))
        spikes = draw(st.lists(st.integers(0, 500_000), min_size=3, max_size=3))
        days: dict[date, int] = {}
        day = start
        while day <= date(2025, 12, 31):
            days[day] = values[day.month - 1]
            day += timedelta(days=1)
        for spike, when in zip(
            spikes, (date(2025, 7, 9), date(2025, 11, 28), date(2025, 12, 1)), strict=True
        ):
            if when in days:
                days[when] += spike
        out[market] = {d: v for d, v in days.items() if v}
    return out


def _check_tree(amounts: dict[tuple[str, ...], int], total: int) -> None:
    assert sum(amounts.values()) == total
    assert all(a >= 0 for a in amounts.values())
    depth = len(next(iter(amounts)))
    sums = node_sums(amounts, depth)
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for node in sums:
        if node:
            children[node[:-1]].append(node)
    for parent, kids in children.items():
        assert sums[parent] == sum(sums[k] for k in kids), parent
    # the owner roll-up (month x person) adds up to the months as well
    by_person: dict[tuple[str, str], int] = defaultdict(int)
    for path, amount in amounts.items():
        by_person[(path[0], path[-1])] += amount
    for month in {p[0] for p in amounts}:
        assert sum(a for (m, _), a in by_person.items() if m == month) == sums[(month,)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=histories(),
    total=st.integers(min_value=0, max_value=5 * 10**11),
    new_market_share=st.one_of(
        st.none(), st.fractions(min_value=Fraction(1, 100), max_value=Fraction(1, 2), max_denominator=100)
    ),
    growth=st.dictionaries(
        st.sampled_from(("US", "DE", "A", "C", "shopify")),
        st.fractions(Fraction(-9, 10), Fraction(3), max_denominator=20),
        max_size=3,
    ),
    data=st.data(),
)
def test_random_plans_add_up_to_the_cent(
    history: dict[tuple[str, ...], int],
    total: int,
    new_market_share: Fraction | None,
    growth: dict[str, Fraction],
    data: st.DataObject,
) -> None:
    markets = sorted({p[0] for p in history})
    shares: dict[tuple[str, ...], Fraction] = {}
    borrow: dict[str, str] = {}
    if new_market_share is not None:
        shares[("IT",)] = new_market_share
        borrow["IT"] = markets[0]
    daily = data.draw(dailies(markets))
    months = plan_months(2026)
    seasons = {m: learn(m, daily.get(m, {}), date(2025, 12, 31), CALENDAR, 2026) for m in [*markets, *borrow]}
    for season in seasons.values():
        assert sum(season.shares.values()) == 1
        assert all(s >= 0 for s in season.shares.values())
    sku_totals: dict[str, int] = defaultdict(int)
    for path, amount in history.items():
        sku_totals[path[2]] += amount
    weights, _ = cell_weights(
        WeightInputs(
            months,
            LEVELS,
            history,
            growth=growth,
            shares=shares,
            seasonality=seasons,
            tiers=abc_tiers(sku_totals),
            borrow=borrow,
        )
    )
    assert sum(weights.values()) == 1
    tree = Tree(weights, 1 + len(LEVELS))
    amounts, _ = spread(tree, total, {})
    _check_tree(amounts, total)
    # every node is within one cent per level of its exact share of the total
    sums = node_sums(amounts, tree.depth)
    for node, amount in sums.items():
        if node:
            assert abs(amount - total * tree.weight_under(node)) < len(node), node


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories(), total=st.integers(min_value=0, max_value=10**10), data=st.data())
def test_held_cells_stay_and_the_rest_is_respread(
    history: dict[tuple[str, ...], int], total: int, data: st.DataObject
) -> None:
    months = plan_months(2026)
    flat = {m: learn(m, {}, None, CALENDAR, 2026) for m in {p[0] for p in history}}
    weights, _ = cell_weights(WeightInputs(months, LEVELS, history, seasonality=flat))
    tree = Tree(weights, 1 + len(LEVELS))
    leaves = sorted(tree.weights)
    chosen = data.draw(st.lists(st.sampled_from(leaves), max_size=6, unique=True))
    budget = total
    holds: dict[tuple[str, ...], int] = {}
    for leaf in chosen:
        amount = data.draw(st.integers(min_value=0, max_value=max(budget // 8, 0)))
        holds[leaf] = amount
        budget -= amount
    # and a whole month held, when one was drawn
    if data.draw(st.booleans()):
        month = (month_label(data.draw(st.sampled_from(months))),)
        inside = sum(a for p, a in holds.items() if p[0] == month[0])
        free = any(p not in holds for p in leaves if p[0] == month[0])
        extra = data.draw(st.integers(min_value=0, max_value=max(budget // 4, 0))) if free else 0
        holds[month] = inside + extra
    amounts, _ = spread(tree, total, holds)
    _check_tree(amounts, total)
    for path, value in holds.items():
        assert sum(a for p, a in amounts.items() if p[: len(path)] == path) == value
