"""The operations and compliance demo files as file families of `tradewind demo` (`tradewind.demo`).

The lead wires them in with two changes in `demo/` (which this package does not edit):

1. `demo/build.py`: `FAMILIES = (..., *tradewind.demo_ops.families.FAMILIES)` (after `products`, since
   the compliance evaluation reads the product catalog; order among the ops families does not matter).
2. `demo/files/products.py`: write `gtin_plant(world).corrupted` as the GTIN of `gtin_plant(world).sku`
   (the planted invalid EAN).

`expected_gaps(world)` is then exactly what `tradewind compliance --as-of <scenario.today>` lists.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.markets import EU_ACCOUNT, NA_ACCOUNT, SHOP_ACCOUNT, markets_of
from tradewind.demo.world import World
from tradewind.demo_ops.listings import write_listing_tasks
from tradewind.demo_ops.ratings import write_ratings
from tradewind.demo_ops.registry import (
    ExpectedGap,
    GtinPlant,
    plant_invalid_gtin,
    planted_gaps,
    write_registry,
)
from tradewind.demo_ops.shipments import write_shipments
from tradewind.demo_ops.spec import OpsAccount, OpsDemoSpec, OpsFile, OpsProduct
from tradewind.demo_ops.tickets import write_tickets

#: The accounts the product catalog is imported for (the demo imports it for every account).
CATALOG_ACCOUNTS = (NA_ACCOUNT, EU_ACCOUNT, SHOP_ACCOUNT)
#: Outside the French backlog the demo seller's agents answer within the working day.
REPLY_CAP_HOURS = 20.0


def spec_of(world: World) -> OpsDemoSpec:
    """The operations demo of the demo seller: its Amazon accounts, its catalog (best sellers first),
    exported at the end of the last day of data."""
    catalog = world.catalog
    order = sorted(range(catalog.size), key=lambda i: (-float(catalog.popularity[i]), catalog.sku[i]))
    products = tuple(
        OpsProduct(
            catalog.sku[i],
            catalog.asin[i],
            catalog.category[i],
            catalog.owner[i],
            catalog.gtin[i],
            catalog.launch[i],
        )
        for i in order
    )
    accounts = tuple(
        OpsAccount(account, tuple(m.code for m in markets_of(account)))
        for account in (NA_ACCOUNT, EU_ACCOUNT)
    )
    scenario = world.scenario
    backlog = world.plants.watch.backlog
    return OpsDemoSpec(
        accounts,
        products,
        scenario.seed,
        scenario.today,
        scenario.end,
        # The service backlog the watch rules must find (`tradewind.watch.demo.ServiceBacklog`), and
        # replies within the day elsewhere, so the backlog is the one service case.
        backlog_days=(backlog.end - backlog.start).days + 1,
        backlog_within_24h=backlog.replied_within_24h,
        reply_cap_hours=REPLY_CAP_HOURS,
    )


def gtin_plant(world: World) -> GtinPlant | None:
    """The product whose GTIN the catalog writes with a bad check digit."""
    return plant_invalid_gtin(world.catalog.sku, world.catalog.gtin, world.scenario.seed)


def expected_gaps(world: World) -> list[ExpectedGap]:
    return planted_gaps(spec_of(world), gtin_plant(world), CATALOG_ACCOUNTS)


def _family(name: str, write: Callable[[Path, OpsDemoSpec], list[OpsFile]], description: str) -> FileFamily:
    def render(world: World, folder: Path) -> list[DemoFile]:
        return [DemoFile(f.path, f.report, f.options) for f in write(folder, spec_of(world))]

    return FileFamily(name, name, render, description)


FAMILIES: tuple[FileFamily, ...] = (
    _family("cs_tickets", write_tickets, "Help-desk tickets in five languages, with a French backlog"),
    _family("shipments", write_shipments, "Self-fulfilled shipments with ship-by dates, some late"),
    _family("listing_tasks", write_listing_tasks, "Listing launch plan with a slipping launch"),
    _family("ratings", write_ratings, "Month-end ratings snapshots"),
    _family("compliance", write_registry, "VAT, EPR and stock-location registry with planted gaps"),
)
