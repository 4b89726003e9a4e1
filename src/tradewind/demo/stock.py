"""FBA stock, day by day: sales are limited by what is on hand, and the seller replenishes by sea.

Stock sits in pools (`markets.POOLS`): US, CA and UK hold their own; the DE pool also serves FR, IT
and ES through EFN, so a German stock-out empties four marketplaces. The replenishment rule is the
one many sellers use: when on hand + inbound falls below the demand expected over lead time + 3
weeks, ship enough for a further month. Planning is imperfect (a per-quarter forecast error), so
peaks still cause the odd stock-out; planted stock-outs (`plants.PlantedStockout`) hold back the
shipments of chosen SKUs.

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

SAFETY_DAYS = 21
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
    """[pool, sku, day] expected units from the day over the next `horizon[sku]` days."""
    n_p, n_s, n_d = expected_units.shape
    tail = expected_units[:, :, -28:].mean(axis=2, keepdims=True)
    padded = np.concatenate([expected_units, np.repeat(tail, _PAD, axis=2)], axis=2)
    cum = np.concatenate([np.zeros((n_p, n_s, 1)), np.cumsum(padded, axis=2)], axis=2)
    index = np.arange(n_d)[None, :] + horizon[:, None]  # [sku, day]
    ahead = np.take_along_axis(cum, np.broadcast_to(index, (n_p, n_s, n_d)), axis=2)
    result: npt.NDArray[np.float64] = ahead - cum[:, :, :n_d]
    return result


def _pooled(per_market: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    pooled = np.zeros((len(POOLS), *per_market.shape[1:]))
    np.add.at(pooled, POOL_OF_MARKET, per_market)
    return pooled


def simulate_stock(scenario: DemoScenario, catalog: Catalog, demand: Demand, plants: Plants) -> Stock:
    rng = scenario.rng("stock")
    n_p, n_s, n_d = len(POOLS), catalog.size, scenario.days
    wanted_lines = rng.poisson(demand.expected_lines)
    wanted_extra = rng.binomial(wanted_lines, UNITS_PER_LINE - 1.0)
    wanted = wanted_lines + wanted_extra

    expected_units = _pooled(demand.expected_lines * UNITS_PER_LINE)
    lead = catalog.lead_days
    quarter = np.arange(n_d) // 91
    bias = rng.lognormal(0.0, 0.2, (n_p, n_s, int(quarter[-1]) + 1))[:, :, quarter]
    reorder_point = _forward(expected_units, lead + SAFETY_DAYS) * bias
    order_up_to = _forward(expected_units, lead + SAFETY_DAYS + ORDER_DAYS) * bias
    launch_day = np.array([(d - scenario.start).days for d in catalog.launch])
    stocked = _pooled(demand.listed.astype(float)) > 0
    active = stocked[:, :, None] & (np.arange(n_d)[None, None, :] >= (launch_day - lead - 10)[None, :, None])

    held = np.zeros((n_p, n_s), dtype=bool)
    hold_from = np.zeros((n_p, n_s), dtype=np.int64)
    hold_until = np.zeros((n_p, n_s), dtype=np.int64)
    sku_index = {s: i for i, s in enumerate(catalog.sku)}
    for plant in plants.stockouts:
        p = POOLS.index(plant.pool)
        for sku in plant.skus:
            s = sku_index[sku]
            held[p, s] = True
            hold_from[p, s] = scenario.day_index(plant.no_arrivals_from)
            hold_until[p, s] = scenario.day_index(plant.arrival)

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
    return Stock(eod, sold, wanted_lines, wanted_extra, Shipments(*cols), stocked)
