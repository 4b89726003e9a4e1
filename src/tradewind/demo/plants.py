"""Planted cases: the stories a demo user should find (and that later alert rules must catch).

Each planted case is data, decided before simulation, so a test can look for exactly it. Later issues
add their own cases here (an invalid GTIN, a compliance gap, a pacing miss, ...), and the simulation or
the file family that needs them reads them from `Plants`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from tradewind.demo.catalog import Catalog
from tradewind.demo.markets import POOLS
from tradewind.demo.scenario import DemoScenario, add_months


@dataclass(frozen=True)
class PlantedStockout:
    """A sea shipment held at customs: no stock arrives for `skus` in FBA pool `pool` between the dates."""

    pool: str
    skus: tuple[str, ...]
    no_arrivals_from: date
    #: The day the delayed stock is received.
    arrival: date
    story: str


@dataclass(frozen=True)
class RoasDip:
    """Sponsored Products got dearer (a competitor's bidding war): CPC up, conversion down."""

    markets: tuple[str, ...]
    start: date
    end: date
    cpc_factor: float
    cvr_factor: float
    story: str


@dataclass(frozen=True)
class Plants:
    stockouts: tuple[PlantedStockout, ...]
    roas_dips: tuple[RoasDip, ...]
    #: The day landed costs change (see `Catalog.new_cost_cents`).
    cost_change: date
    #: SKU -> the GTIN the seller's catalog sheet shows instead of the valid one (a typo, a lost check
    #: digit); the product catalog family writes these.
    gtin_overrides: Mapping[str, str] = field(default_factory=dict)


def last_full_july(scenario: DemoScenario) -> int:
    """The latest year whose July (and the week after it) lies inside the demo period."""
    year = scenario.end.year if scenario.end >= date(scenario.end.year, 8, 7) else scenario.end.year - 1
    return year


def _top_outdoor(catalog: Catalog, *, launched_by: date, count: int, skip: int = 0) -> tuple[str, ...]:
    ranked = sorted(
        (
            i
            for i in range(catalog.size)
            if catalog.season[i] == "outdoor" and catalog.launch[i] <= launched_by
        ),
        key=lambda i: -catalog.popularity[i],
    )
    return tuple(catalog.sku[i] for i in ranked[skip : skip + count])


def plants_for(scenario: DemoScenario, catalog: Catalog) -> Plants:
    july = last_full_july(scenario)
    launched_by = date(july, 3, 1)
    count = max(2, catalog.size // 40)
    story = "the May and June sea shipments were held at customs; stock ran out before Prime Day and arrived on 30 July"
    stockouts = (
        PlantedStockout(
            "US",
            _top_outdoor(catalog, launched_by=launched_by, count=count),
            date(july, 5, 1),
            date(july, 7, 30),
            story,
        ),
        PlantedStockout(
            "DE",
            _top_outdoor(catalog, launched_by=launched_by, count=1, skip=count),
            date(july, 5, 1),
            date(july, 7, 30),
            story,
        ),
    )
    dip_start = add_months(scenario.start, 17)
    dip_start += timedelta(days=(7 - dip_start.weekday()) % 7)  # a Monday
    dips = (
        RoasDip(
            ("US", "DE"),
            dip_start,
            dip_start + timedelta(days=41),
            1.55,
            0.85,
            "a competitor bid up our main keywords for six weeks",
        ),
    )
    assert all(s.pool in POOLS for s in stockouts)
    return Plants(stockouts, dips, catalog.cost_change)


def stories(plants: Plants, catalog: Catalog) -> list[str]:
    """The planted cases in words, for the demo's summary."""
    told = []
    for s in plants.stockouts:
        told.append(
            f"stock-out in FBA {s.pool}: {', '.join(s.skus)} ({s.story}; no stock arrived "
            f"{s.no_arrivals_from}..{s.arrival - timedelta(days=1)})"
        )
    for d in plants.roas_dips:
        told.append(f"ROAS dip in {', '.join(d.markets)} {d.start}..{d.end}: {d.story}")
    changed = sum(1 for i in range(catalog.size) if catalog.new_cost_cents[i] != catalog.cost_cents[i])
    told.append(f"landed costs of {changed} SKUs changed on {plants.cost_change} (sea freight rates)")
    return told
