"""Expected demand and selling prices per marketplace, SKU and day (arrays, no loops over days).

Expected order lines = seller size x marketplace size x SKU popularity x season x events x weekday x
growth x launch ramp x weekly noise, with deal SKUs selling extra on deal days, and the planted weekly
moves (`Plants.watch`: a spike and a drop in one marketplace each). Prices are local list
prices (VAT included where the marketplace's prices include it), with a list-price rise for some SKUs
in the second year and deal prices on deal days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tradewind.demo.calendar import DayFactors
from tradewind.demo.catalog import Catalog
from tradewind.demo.markets import MARKETS
from tradewind.demo.plants import Plants
from tradewind.demo.scenario import DemoScenario

#: Average units per order line (most lines are one unit, some two).
UNITS_PER_LINE = 1.12
DEAL_DISCOUNT = 0.2
DEAL_BOOST = 1.6
LAUNCH_RAMP_DAYS = 60
#: Week-to-week demand noise of a SKU in a marketplace (lognormal sigma).
WEEKLY_NOISE = 0.08


def local_price(usd_cents: npt.NDArray[np.int64], factor: float) -> npt.NDArray[np.int64]:
    """A local list price ending in .99 from the US list price."""
    whole = np.maximum(np.round(usd_cents / 100.0 * factor), 5).astype(np.int64)
    return whole * 100 - 1


@dataclass(frozen=True)
class Demand:
    #: [market, sku]
    listed: npt.NDArray[np.bool_]
    deal_sku: npt.NDArray[np.bool_]
    #: [market, sku, day] expected order lines (before stock limits)
    expected_lines: npt.NDArray[np.float64]
    #: [market, sku, day] unit price in local minor units, as charged (deal prices on deal days)
    unit_price: npt.NDArray[np.int64]
    #: [market, sku, day] the SKU is on a deal (discounted) that day
    on_deal: npt.NDArray[np.bool_]


def build_demand(scenario: DemoScenario, catalog: Catalog, factors: DayFactors, plants: Plants) -> Demand:
    rng = scenario.rng("demand")
    n_m, n_s, n_d = len(MARKETS), catalog.size, scenario.days
    weights = np.array([m.weight for m in MARKETS])
    listed = rng.random((n_m, n_s)) < np.array([m.listed_share for m in MARKETS])[:, None]
    listed[0, :] = True  # everything sells in the US
    # The best sellers are listed everywhere.
    listed[:, catalog.popularity >= np.quantile(catalog.popularity, 0.8)] = True
    for plant in plants.stockouts:  # a planted stock-out needs the SKU on sale where the pool sells
        pool_markets = [k for k, m in enumerate(MARKETS) if m.pool == plant.pool]
        for sku in plant.skus:
            listed[pool_markets, catalog.sku.index(sku)] = True
    deal_sku = listed & (rng.random((n_m, n_s)) < 0.4)

    launch_day = np.array([(d - scenario.start).days for d in catalog.launch])
    days = np.arange(n_d)
    since_launch = days[None, :] - launch_day[:, None]  # [sku, day]
    launched = since_launch >= 0
    ramp = np.clip(0.3 + 0.7 * since_launch / LAUNCH_RAMP_DAYS, 0.0, 1.0) * launched

    season = np.stack([factors.season[s] for s in catalog.season])  # [sku, day]
    shape = (
        weights[:, None, None]
        * catalog.popularity[None, :, None]
        * listed[:, :, None]
        * (season * ramp)[None, :, :]
        * (factors.weekday * factors.trend)[None, None, :]
        * factors.lift[:, None, :]
    )
    weeks = days // 7
    noise = rng.lognormal(0.0, WEEKLY_NOISE, (n_m, n_s, int(weeks[-1]) + 1))[:, :, weeks]
    deal_today = factors.deal[:, None, :] & deal_sku[:, :, None]
    shape = shape * noise * np.where(deal_today, DEAL_BOOST, 1.0)
    first_year = shape[:, :, :365].sum(axis=(0, 1)).mean()
    expected = shape * (scenario.size.lines_per_day / first_year)
    # The planted weekly moves of watch (a spike a note explains, an unexplained drop).
    codes = [m.code for m in MARKETS]
    for move in (plants.watch.spike, plants.watch.drop):
        lo, hi = scenario.day_index(move.start), scenario.day_index(move.end) + 1
        expected[codes.index(move.marketplace), :, max(lo, 0) : max(hi, 0)] *= move.factor

    base = np.stack([local_price(catalog.price_usd_cents, m.price_factor) for m in MARKETS])  # [market, sku]
    raised = rng.random(n_s) < 0.3
    raise_day = rng.integers(380, max(n_d - 30, 381), n_s)
    after = (days[None, :] >= raise_day[:, None]) & raised[:, None]  # [sku, day]
    raised_price = np.stack([local_price(catalog.price_usd_cents, m.price_factor * 1.06) for m in MARKETS])
    price = np.where(after[None, :, :], raised_price[:, :, None], base[:, :, None])
    deal_price = (np.floor(price * (1 - DEAL_DISCOUNT) / 100.0).astype(np.int64) * 100) + 99
    price = np.where(deal_today, np.minimum(deal_price, price), price)
    return Demand(listed, deal_sku, expected, price.astype(np.int64), deal_today)
