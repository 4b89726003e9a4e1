"""FBA stock, day by day: sales are limited by what is on hand, and the seller replenishes by sea.

Stock sits in pools (`markets.POOLS`): US, CA and UK hold their own; the DE pool also serves FR, IT
and ES through EFN, so a German stock-out empties four marketplaces. The replenishment rule is the
one many sellers use: when on hand + inbound falls below the demand expected over lead time + 4 weeks
plus a statistical safety stock, ship enough for a further month. Planning is good but not perfect (a
small per-quarter forecast error), so a stock-out is rare. Planted stock-outs (`plants.PlantedStockout`)
hold back the shipments of chosen SKUs: from the first shipment that would carry the SKU past the
planted day, customs clears only part of it, releases the rest a few days' sales at a time until that
day, and holds every later shipment until the planted arrival, so the SKU runs out on the planted day
whatever stock it had and however it sold.

The loop runs over days (about 730) with numpy operations over all pools and SKUs at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tradewind.demo.catalog import Catalog
from tradewind.demo.demand import UNITS_PER_LINE, Demand
from tradewind.demo.markets import MARKETS, POOLS
from tradewind.demo.plants import Plants
from tradewind.demo.scenario import DemoScenario

IntArray = npt.NDArray[np.int64]

SAFETY_DAYS = 28
SAFETY_Z = 3.0
#: A planted hold releases this many days of expected sales at a time, until the planted day.
RELEASE_DAYS = 3
#: The planner's forecast error: a per-quarter factor (lognormal sigma) on the expected demand.
FORECAST_ERROR = 0.06
ORDER_DAYS = 30
MIN_ORDER = 12
_PAD = 200

#: Pool index of each marketplace, and the marketplaces of each pool (the pool's own first).
POOL_OF_MARKET = np.array([POOLS.index(m.pool) for m in MARKETS])
MARKETS_OF_POOL: tuple[tuple[int, ...], ...] = tuple(
    tuple(sorted((k for k, m in enumerate(MARKETS) if m.pool == pool), key=lambda k: MARKETS[k].code != pool))
    for pool in POOLS
)


@dataclass(frozen=True)
class Shipments:
    """Inbound shipments to FBA pools: placed on one day, received on another (day indexes; may pass
    the end of the period)."""

    pool: IntArray
    sku: IntArray
    placed: IntArray
    arrival: IntArray
    quantity: IntArray


@dataclass(frozen=True)
class Stock:
    #: [pool, sku, day] units on hand at the end of the day (fulfillable + reserved)
    on_hand: IntArray
    #: [market, sku, day] units sold (shipped or pending), limited by stock
    sold: IntArray
    #: [market, sku, day] order lines and extra units wanted (before the stock limit)
    wanted_lines: IntArray
    wanted_extra: IntArray
    shipments: Shipments
    #: [pool, sku] the pool stocks the SKU (it is listed in one of the pool's marketplaces)
    stocked: npt.NDArray[np.bool_]


def _forward(expected_units: npt.NDArray[np.float64], horizon: IntArray) -> npt.NDArray[np.float64]:
    """[pool, sku, day] expected units from the day over the next `horizon[sku]` days. The array runs
    `_PAD` days past the period (`_planned_ahead`)."""
    n_p, n_s, n_all = expected_units.shape
    n_d = n_all - _PAD
    cum = np.concatenate([np.zeros((n_p, n_s, 1)), np.cumsum(expected_units, axis=2)], axis=2)
    index = np.arange(n_d)[None, :] + horizon[:, None]  # [sku, day]
    ahead = np.take_along_axis(cum, np.broadcast_to(index, (n_p, n_s, n_d)), axis=2)
    result: npt.NDArray[np.float64] = ahead - cum[:, :, :n_d]
    return result


def _planned_ahead(
    scenario: DemoScenario, catalog: Catalog, expected_units: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """The expected units with `_PAD` days past the period appended, as the planner sees them: the last
    four weeks' level, following each product's season curve (so a season ramping up at the end of the
    data is still planned for)."""
    from tradewind.demo.calendar import SEASONS, _season_curve

    n_d = expected_units.shape[2]
    dates = [scenario.date_of(k) for k in range(n_d - 28, n_d + _PAD)]
    curves = {name: _season_curve(monthly, dates) for name, monthly in SEASONS.items()}
    season = np.stack([curves[name] for name in catalog.season])  # [sku, 28 + _PAD]
    level = expected_units[:, :, -28:].mean(axis=2, keepdims=True) / season[None, :, :28].mean(
        axis=2, keepdims=True
    )
    return np.concatenate([expected_units, level * season[None, :, 28:]], axis=2)


def _pooled(per_market: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    pooled = np.zeros((len(POOLS), *per_market.shape[1:]))
    np.add.at(pooled, POOL_OF_MARKET, per_market)
    return pooled


def _planted_moves(scenario: DemoScenario, plants: Plants, wanted_lines: IntArray) -> None:
    """The planted weekly moves (`Plants.watch`: a spike and a drop): the week's orders are the week
    before's times the factor, day by day and SKU by SKU (whole multiples, then a binomial draw for the
    rest), so the week-over-week move is the planted one rather than the planted one plus chance."""
    rng = scenario.rng("stock.moves")
    codes = [m.code for m in MARKETS]
    for move in (plants.watch.spike, plants.watch.drop):
        m = codes.index(move.marketplace)
        whole, part = divmod(move.factor, 1.0)
        first = scenario.day_index(move.start)
        for d in range(max(first, 7), min(scenario.day_index(move.end) + 1, scenario.days)):
            before = wanted_lines[m, :, d - 7]
            wanted_lines[m, :, d] = int(whole) * before + rng.binomial(before, part)


def simulate_stock(scenario: DemoScenario, catalog: Catalog, demand: Demand, plants: Plants) -> Stock:
    rng = scenario.rng("stock")
    n_p, n_s, n_d = len(POOLS), catalog.size, scenario.days
    wanted_lines = rng.poisson(demand.expected_lines)
    _planted_moves(scenario, plants, wanted_lines)
    wanted_extra = rng.binomial(wanted_lines, UNITS_PER_LINE - 1.0)
    wanted = wanted_lines + wanted_extra

    expected_units = _planned_ahead(scenario, catalog, _pooled(demand.expected_lines * UNITS_PER_LINE))
    lead = catalog.lead_days
    quarter = np.arange(n_d) // 91
    bias = rng.lognormal(0.0, FORECAST_ERROR, (n_p, n_s, int(quarter[-1]) + 1))[:, :, quarter]
    # Safety stock: four weeks of cover, and SAFETY_Z standard deviations of the (Poisson) demand over
    # the lead time, which is what keeps a slow seller in stock.
    safety = SAFETY_Z * np.sqrt(_forward(expected_units, lead + SAFETY_DAYS))
    reorder_point = _forward(expected_units, lead + SAFETY_DAYS) * bias + safety
    order_up_to = _forward(expected_units, lead + SAFETY_DAYS + ORDER_DAYS) * bias + safety
    launch_day = np.array([(d - scenario.start).days for d in catalog.launch])
    stocked = _pooled(demand.listed.astype(float)) > 0
    active = stocked[:, :, None] & (np.arange(n_d)[None, None, :] >= (launch_day - lead - 10)[None, :, None])

    # Planted holds: (pool, sku) -> first day the hold may start, the day stock should run out, arrival.
    held = np.zeros((n_p, n_s), dtype=bool)
    hold_from = np.full((n_p, n_s), n_d + _PAD, dtype=np.int64)  # set when the hold starts
    hold_until = np.zeros((n_p, n_s), dtype=np.int64)
    watches: list[tuple[int, int, int, int]] = []
    splits: list[tuple[int, int, int, int]] = []  # (pool, sku, day, units cleared that day)
    releases: list[tuple[int, int, int, int]] = []  # (pool, sku, day, held units released that day)
    sku_index = {s: i for i, s in enumerate(catalog.sku)}
    cum_expected = np.concatenate([np.zeros((n_p, n_s, 1)), np.cumsum(expected_units, axis=2)], axis=2)
    for plant in plants.stockouts:
        p = POOLS.index(plant.pool)
        for sku in plant.skus:
            s = sku_index[sku]
            held[p, s] = True
            hold_until[p, s] = scenario.day_index(plant.arrival)
            watches.append(
                (p, s, scenario.day_index(plant.no_arrivals_from), scenario.day_index(plant.runs_out))
            )

    on_hand = np.where(
        stocked & (launch_day <= 0)[None, :],
        np.ceil(_forward(expected_units, lead + SAFETY_DAYS + 15)[:, :, 0]),
        0,
    ).astype(np.int64)
    transit = np.zeros((n_p, n_s), dtype=np.int64)
    arrivals = np.zeros((n_p, n_s, n_d + _PAD), dtype=np.int64)
    eod = np.zeros((n_p, n_s, n_d), dtype=np.int64)
    sold = np.zeros(wanted.shape, dtype=np.int64)
    records: list[tuple[IntArray, ...]] = []
    for d in range(n_d):
        for p, s, first, out in watches:
            until = hold_until[p, s]
            # The first shipment that would carry the SKU past the planted day is cleared only in part;
            # the rest, and every shipment landing after it, waits until the planted arrival. What is
            # cleared covers the expected sales less 2.5 standard deviations (Poisson), so that the SKU
            # runs out no later than the planted day even when it sells less than expected...
            ahead = float(cum_expected[p, s, out] - cum_expected[p, s, d])
            short = ahead - 2.5 * ahead**0.5 - int(on_hand[p, s])
            if hold_from[p, s] > d >= first and arrivals[p, s, d] >= short:
                cleared = int(min(max(np.ceil(short), 0), arrivals[p, s, d]))
                arrivals[p, s, until] += arrivals[p, s, d:until].sum() - cleared
                arrivals[p, s, d + 1 : until] = 0
                arrivals[p, s, d] = cleared
                hold_from[p, s] = d + 1
                splits.append((p, s, d, cleared))
            # ... and no sooner: customs releases a few days' sales at a time until then.
            elif hold_from[p, s] <= d < out and arrivals[p, s, until] > 0:
                soon = float(cum_expected[p, s, min(d + RELEASE_DAYS, out)] - cum_expected[p, s, d])
                lacking = int(np.ceil(soon)) - int(on_hand[p, s]) - int(arrivals[p, s, d])
                if lacking > 0:
                    released = min(lacking, int(arrivals[p, s, until]))
                    arrivals[p, s, until] -= released
                    arrivals[p, s, d] += released
                    releases.append((p, s, d, released))
        arriving = arrivals[:, :, d]
        on_hand += arriving
        transit -= arriving
        for p, markets in enumerate(MARKETS_OF_POOL):
            for m in markets:  # the pool's own marketplace is served first
                today = np.minimum(wanted[m, :, d], on_hand[p])
                on_hand[p] -= today
                sold[m, :, d] = today
        eod[:, :, d] = on_hand
        position = on_hand + transit
        need = active[:, :, d] & (position < reorder_point[:, :, d])
        if not need.any():
            continue
        p_i, s_i = np.nonzero(need)
        qty = np.maximum(np.ceil(order_up_to[p_i, s_i, d] - position[p_i, s_i]), MIN_ORDER).astype(np.int64)
        arrive = d + lead[s_i] + rng.integers(-3, 8, len(p_i))
        late = held[p_i, s_i] & (arrive >= hold_from[p_i, s_i]) & (arrive < hold_until[p_i, s_i])
        arrive = np.where(late, hold_until[p_i, s_i], arrive)
        np.add.at(arrivals, (p_i, s_i, np.minimum(arrive, n_d + _PAD - 1)), qty)
        transit[p_i, s_i] += qty
        records.append((p_i.astype(np.int64), s_i.astype(np.int64), np.full(len(p_i), d), arrive, qty))
    cols = (
        [np.concatenate([r[k] for r in records]) for k in range(5)]
        if records
        else [np.zeros(0, dtype=np.int64) for _ in range(5)]
    )
    return Stock(
        eod,
        sold,
        wanted_lines,
        wanted_extra,
        _held_shipments(cols, splits, releases, hold_from, hold_until),
        stocked,
    )


def _held_shipments(
    cols: list[IntArray],
    splits: list[tuple[int, int, int, int]],
    releases: list[tuple[int, int, int, int]],
    hold_from: IntArray,
    hold_until: IntArray,
) -> Shipments:
    """The shipment records as the planted holds changed them (as `arrivals` was changed in the loop):
    on the day a hold starts, the shipments landing that day are cleared up to the units cleared and the
    rest waits (a split record); later ones wait whole; a release takes units of the waiting records
    (split records landing on the day of the release)."""
    pool, sku, placed, arrive, qty = (c.copy() for c in cols)
    extra: list[tuple[int, int, int, int, int]] = []
    for p, s, day, cleared in splits:
        left = cleared
        for i in np.nonzero((pool == p) & (sku == s) & (arrive == day))[0].tolist():
            keep = min(left, int(qty[i]))
            left -= keep
            if keep < qty[i]:
                extra.append((p, s, int(placed[i]), int(hold_until[p, s]), int(qty[i]) - keep))
                qty[i] = keep
    waits = (arrive >= hold_from[pool, sku]) & (arrive < hold_until[pool, sku])
    arrive = np.where(waits, hold_until[pool, sku], arrive)
    for p, s, day, released in releases:
        left = released
        for i in np.nonzero((pool == p) & (sku == s) & (arrive == hold_until[p, s]))[0].tolist():
            if left == 0:
                break
            take = min(left, int(qty[i]))
            left -= take
            qty[i] -= take
            extra.append((p, s, int(placed[i]), day, take))
        for k, (ep, es, eplaced, earrive, eqty) in enumerate(extra):  # held parts of split records
            if left == 0:
                break
            if (ep, es, earrive) == (p, s, int(hold_until[p, s])) and eqty > 0:
                take = min(left, eqty)
                left -= take
                extra[k] = (ep, es, eplaced, earrive, eqty - take)
                extra.append((p, s, eplaced, day, take))
    if extra:
        more = np.array(extra, dtype=np.int64).T
        pool, sku, placed, arrive, qty = (
            np.concatenate([a, b]) for a, b in zip((pool, sku, placed, arrive, qty), more, strict=True)
        )
    keep_rows = qty > 0
    return Shipments(*(a[keep_rows] for a in (pool, sku, placed, arrive, qty)))
