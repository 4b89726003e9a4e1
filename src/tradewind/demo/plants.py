"""Planted cases: the stories a demo user should find (and that the watch rules must catch).

Each planted case is data, decided before simulation, so a test can look for exactly it:

- a July stock-out (`PlantedStockout`): sea shipments held at customs, stock running out just before
  Prime Day, back on 30 July;
- a ROAS dip on one German SKU (`RoasDip`): a competitor bid up its main keywords for six weeks;
- the watch cases of `tradewind.watch.demo.WatchPlants` (`Plants.watch`): a German demand spike that a
  competitor's stock-out explains, an unexplained US drop in the last full week, a French service
  backlog, and a German Business Report that counts fewer units than the orders;
- the landed-cost change of `Catalog.cost_change`.

The compliance gaps (issue 4) are planted by `tradewind.demo_ops` (registry files and the invalid GTIN
of `demo_ops.families.gtin_plant`), and the demo plan by `tradewind.plan.demo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tradewind.demo.calendar import SEASONS, prime_day
from tradewind.demo.catalog import Catalog
from tradewind.demo.markets import POOLS
from tradewind.demo.scenario import DemoScenario
from tradewind.watch.demo import WatchPlants, watch_plants_for

#: The planted stock-outs skip this many of the best-selling outdoor SKUs.
OUT_OF_TOP = 2
#: Days before `PlantedStockout.runs_out` from which the seller's shipments may be held.
HOLD_WINDOW_DAYS = 90


@dataclass(frozen=True)
class PlantedStockout:
    """A sea shipment held at customs: the stock of `skus` in FBA pool `pool` runs out on `runs_out` and
    nothing more arrives until `arrival`.

    From `no_arrivals_from`, the first shipment that would carry a SKU past `runs_out` is cleared only
    in part, and customs releases the rest a few days' sales at a time until `runs_out` (`stock.py`), so
    the SKU runs out within days of that date whatever its stock and sales were."""

    pool: str
    skus: tuple[str, ...]
    no_arrivals_from: date
    runs_out: date
    #: The day the delayed stock is received.
    arrival: date
    story: str
    #: The latest day to check it on: before Prime Day, whose sales would swell every SKU's last 30 days
    #: (and shrink its days of supply) in the same check.
    check_by: date
    #: The day the alert rules see the stock-out on (an inventory snapshot is taken that day): every SKU
    #: out of stock and still active (sold in the 30 days before). Found after the simulation
    #: (`world.with_check_days`); None before it.
    check_day: date | None = None


@dataclass(frozen=True)
class RoasDip:
    """Sponsored Products got dearer (a competitor's bidding war): CPC up, conversion down, for `skus`
    (every advertised SKU when empty) in `markets`."""

    markets: tuple[str, ...]
    start: date
    end: date
    cpc_factor: float
    cvr_factor: float
    story: str
    skus: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plants:
    stockouts: tuple[PlantedStockout, ...]
    roas_dips: tuple[RoasDip, ...]
    #: The day landed costs change (see `Catalog.new_cost_cents`).
    cost_change: date
    #: The watch cases planted in the generated data (demand, Business Reports; the service backlog in
    #: the help-desk tickets of `tradewind.demo_ops`).
    watch: WatchPlants


def last_full_july(scenario: DemoScenario) -> int:
    """The latest year whose July (and the week after it) lies inside the demo period."""
    year = scenario.end.year if scenario.end >= date(scenario.end.year, 8, 7) else scenario.end.year - 1
    return year


def _ranked(catalog: Catalog, *, season: str | None, launched_by: date) -> list[int]:
    return sorted(
        (
            i
            for i in range(catalog.size)
            if (season is None or catalog.season[i] == season) and catalog.launch[i] <= launched_by
        ),
        key=lambda i: (-catalog.popularity[i], catalog.sku[i]),
    )


def _top_outdoor(catalog: Catalog, *, launched_by: date, count: int, skip: int = 0) -> tuple[str, ...]:
    ranked = _ranked(catalog, season="outdoor", launched_by=launched_by)
    return tuple(catalog.sku[i] for i in ranked[skip : skip + count])


def plants_for(scenario: DemoScenario, catalog: Catalog) -> Plants:
    july = last_full_july(scenario)
    launched_by = date(july, 3, 1)
    # Popular outdoor SKUs, but not the very best sellers: a stock-out the seller feels (a few per cent
    # of July's sales) without wrecking the month against the plan.
    count = max(1, catalog.size // 100)
    arrival = date(july, 7, 30)
    check_by = prime_day(july)[0] - timedelta(days=1)
    # Two weeks before the check: out of stock on the check day, and still active then (it sold in the
    # 30 days before).
    runs_out = check_by - timedelta(days=14)
    story = (
        "the June sea shipments were held at customs; stock ran out in late June, before Prime Day, and "
        "arrived on 30 July"
    )
    hold_from = runs_out - timedelta(days=HOLD_WINDOW_DAYS)
    stockouts = (
        PlantedStockout(
            "US",
            _top_outdoor(catalog, launched_by=launched_by, count=count, skip=OUT_OF_TOP),
            hold_from,
            runs_out,
            arrival,
            story,
            check_by,
        ),
        PlantedStockout(
            "DE",
            _top_outdoor(catalog, launched_by=launched_by, count=1, skip=OUT_OF_TOP + count),
            hold_from,
            runs_out,
            arrival,
            story,
            check_by,
        ),
    )
    held = {sku for s in stockouts for sku in s.skus}
    # In the same weeks, so one check sees the stock-out and the dip (`world.with_check_days` moves it
    # to have begun four weeks before the stock-out's check day).
    dip_start = check_by - timedelta(days=27)
    # The German SKU: the best seller of the season not in a planted stock-out (the top sellers are
    # listed everywhere and advertised), so its ROAS rests on many sales.
    month = dip_start.month - 1
    dipped = max(
        (i for i in _ranked(catalog, season=None, launched_by=dip_start - timedelta(days=90))),
        key=lambda i: (
            catalog.sku[i] not in held,
            catalog.popularity[i] * SEASONS[catalog.season[i]][month],
            catalog.sku[i],
        ),
    )
    dips = (
        RoasDip(
            ("DE",),
            dip_start,
            dip_start + timedelta(days=41),
            2.0,
            0.7,
            f"a competitor bid up the main keywords of {catalog.sku[dipped]} on Amazon.de for six weeks",
            (catalog.sku[dipped],),
        ),
    )
    assert all(s.pool in POOLS for s in stockouts)
    # The unexplained US drop keeps clear of the notes about the US stock-out.
    busy = [(s.runs_out, s.arrival) for s in stockouts if s.pool == "US"]
    return Plants(stockouts, dips, catalog.cost_change, watch_plants_for(scenario, busy))


def stories(plants: Plants, catalog: Catalog) -> list[str]:
    """The planted cases in words, for the demo's summary."""
    told = []
    for s in plants.stockouts:
        told.append(
            f"stock-out in FBA {s.pool}: {', '.join(s.skus)} ({s.story}; out of stock from about "
            f"{s.runs_out} until {s.arrival})"
        )
    for d in plants.roas_dips:
        told.append(f"ROAS dip in {', '.join(d.markets)} {d.start}..{d.end}: {d.story}")
    w = plants.watch
    told.append(
        f"demand spike in {w.spike.marketplace} {w.spike.start}..{w.spike.end} (x{w.spike.factor:g}): "
        f"{w.spike.story} (a note explains it)"
    )
    told.append(
        f"demand drop in {w.drop.marketplace} {w.drop.start}..{w.drop.end} (x{w.drop.factor:g}): {w.drop.story}"
    )
    told.append(
        f"service backlog in {w.backlog.marketplace} {w.backlog.start}..{w.backlog.end} "
        f"({w.backlog.replied_within_24h:.0%} answered within 24 h): {w.backlog.story}"
    )
    told.append(
        f"the {w.gap.marketplace} Business Report ending {w.gap.end} counts {w.gap.share:.0%} fewer units "
        f"than the orders on its top {w.gap.skus} SKUs: {w.gap.story}"
    )
    changed = sum(1 for i in range(catalog.size) if catalog.new_cost_cents[i] != catalog.cost_cents[i])
    told.append(f"landed costs of {changed} SKUs changed on {plants.cost_change} (sea freight rates)")
    return told
