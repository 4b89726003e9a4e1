"""The simulated seller: one object holding everything the file families render.

Built in a fixed order (catalog -> calendar -> plants -> demand -> stock -> order lines -> returns); the
days the planted stock-outs are seen on come from the simulated stock.
File families only read it; anything a family derives on its own (traffic, ads, settlement amounts)
uses the family's own random stream, so families never disturb each other's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from tradewind.demo.calendar import DayFactors, day_factors
from tradewind.demo.catalog import Catalog, build_catalog
from tradewind.demo.demand import Demand, build_demand
from tradewind.demo.lines import OrderLines, build_lines
from tradewind.demo.markets import MARKETS, POOLS
from tradewind.demo.plants import PlantedStockout, Plants, plants_for
from tradewind.demo.returns import CustomerReturns, build_returns
from tradewind.demo.scenario import DemoScenario
from tradewind.demo.stock import Stock, simulate_stock


@dataclass(frozen=True)
class World:
    scenario: DemoScenario
    catalog: Catalog
    factors: DayFactors
    plants: Plants
    demand: Demand
    stock: Stock
    lines: OrderLines
    returns: CustomerReturns


def build_world(scenario: DemoScenario) -> World:
    catalog = build_catalog(scenario)
    factors = day_factors(scenario)
    plants = plants_for(scenario, catalog)
    demand = build_demand(scenario, catalog, factors, plants)
    stock = simulate_stock(scenario, catalog, demand, plants)
    plants = with_check_days(scenario, catalog, plants, stock)
    lines = build_lines(scenario, catalog, demand, stock)
    returns = build_returns(scenario, catalog, lines)
    return World(scenario, catalog, factors, plants, demand, stock, lines, returns)


#: `active` in the inventory KPIs: stock or sales in the 30 days before a snapshot.
ACTIVE_DAYS = 30
#: The ROAS dip is seen on the stock-out's check day, this many days after it began (its 30-day window
#: is mostly the dip).
DIP_SEEN_AFTER_DAYS = 27


def with_check_days(scenario: DemoScenario, catalog: Catalog, plants: Plants, stock: Stock) -> Plants:
    """The planted stock-outs with the day the alert rules see them on, and the ROAS dip moved so that
    the same check sees it: one day in July on which a seller's check finds both (`check` is slow, so
    the demo runs as few as it can)."""
    if not plants.stockouts:
        return plants
    everything = PlantedStockout(
        "*",
        tuple(f"{s.pool}:{sku}" for s in plants.stockouts for sku in s.skus),
        min(s.no_arrivals_from for s in plants.stockouts),
        min(s.runs_out for s in plants.stockouts),
        min(s.arrival for s in plants.stockouts),
        "",
        min(s.check_by for s in plants.stockouts),
    )
    together = _check_day(scenario, catalog, everything, stock, complete=True)
    stockouts = tuple(
        replace(s, check_day=together or _check_day(scenario, catalog, s, stock)) for s in plants.stockouts
    )
    seen = stockouts[0].check_day
    assert seen is not None
    start = seen - timedelta(days=DIP_SEEN_AFTER_DAYS)
    dips = tuple(replace(d, start=start, end=start + (d.end - d.start)) for d in plants.roas_dips)
    return replace(plants, stockouts=stockouts, roas_dips=dips)


def _check_day(
    scenario: DemoScenario, catalog: Catalog, plant: PlantedStockout, stock: Stock, *, complete: bool = False
) -> date | None:
    """The latest day up to `check_by` (and before the stock arrives) on which every SKU of the plant is out of stock
    and still active (it sold in its pool's own marketplace in the 30 days before): the day a snapshot
    shows the alert rules the stock-out. Failing that (a SKU ran out much earlier than the others), the
    day most of them are, or None with `complete`. SKUs are `POOL:SKU` when the pool is `*`."""
    cells = []
    for sku in plant.skus:
        pool, code = sku.split(":", 1) if plant.pool == "*" else (plant.pool, sku)
        market = next(k for k, profile in enumerate(MARKETS) if profile.code == pool)
        cells.append((POOLS.index(pool), market, catalog.sku.index(code)))
    last = min(scenario.day_index(plant.arrival) - 1, scenario.day_index(plant.check_by))
    best: tuple[int, int] | None = None
    for d in range(last, max(last - 60, ACTIVE_DAYS), -1):
        seen = sum(
            1
            for p, m, s in cells
            if stock.on_hand[p, s, d] == 0 and stock.sold[m, s, d - ACTIVE_DAYS : d].sum() > 0
        )
        if seen == len(cells):
            return scenario.date_of(d)
        if best is None or seen > best[0]:
            best = (seen, d)
    if complete or best is None:
        return None
    return scenario.date_of(best[1])
