"""FBA "Manage Inventory" snapshots (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA, report-formats §3.2).

One file per stock pool and snapshot day (US, CA, UK, and DE whose stock also serves FR, IT and ES),
tab-separated, dated only by its file name (`..._2025-07-27.txt`) as the importer accepts. Snapshots:
every month end, weekly and daily for recent weeks and days (`Cadence`), and one on the day each
planted stock-out is checked (`PlantedStockout.check_day`), so the story is visible whatever the
cadence. Inbound quantities come from the simulated sea shipments (working for a week after the order,
shipped at sea, receiving in the last days).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

from tradewind.demo.catalog import TITLE_LANGUAGE
from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.formats import plain, tsv_text, write_bytes
from tradewind.demo.markets import MARKETS, POOLS, market
from tradewind.demo.scenario import DemoScenario, add_months
from tradewind.demo.world import World
from tradewind.ingest.spec import ImportOptions

HEADER = (
    "sku fnsku asin product-name condition your-price mfn-listing-exists mfn-fulfillable-quantity "
    "afn-listing-exists afn-warehouse-quantity afn-fulfillable-quantity afn-unsellable-quantity "
    "afn-reserved-quantity afn-total-quantity per-unit-volume afn-inbound-working-quantity "
    "afn-inbound-shipped-quantity afn-inbound-receiving-quantity afn-researching-quantity "
    "afn-reserved-future-supply afn-future-supply-buyable"
).split()
WORKING_DAYS = 7
RECEIVING_DAYS = 4


def snapshot_days(world: World) -> list[date]:
    scenario: DemoScenario = world.scenario
    cadence = scenario.size.cadence
    every = cadence.inventory_month_ends_every
    days = {add_months(first, 1) - timedelta(days=1) for first in scenario.months()[every - 1 :: every]}
    days |= {scenario.end - timedelta(days=7 * k) for k in range(cadence.inventory_weekly_weeks)}
    days |= {scenario.end - timedelta(days=k) for k in range(cadence.inventory_daily_days)}
    days |= {p.check_day or p.arrival - timedelta(days=3) for p in world.plants.stockouts}
    return sorted(d for d in days if scenario.start <= d <= scenario.end)


def write(world: World, folder: Path) -> list[DemoFile]:
    scenario = world.scenario
    catalog = world.catalog
    stock = world.stock
    ships = stock.shipments
    rng = scenario.rng("files.inventory")
    launch_day = np.array([(d - scenario.start).days for d in catalog.launch])
    volumes = [f"{v:.2f}" for v in catalog.volume.tolist()]
    files: list[DemoFile] = []
    for day in snapshot_days(world):
        t = scenario.day_index(day)
        active = (ships.placed <= t) & (ships.arrival > t)
        working = active & (t < ships.placed + WORKING_DAYS)
        receiving = active & ~working & (t >= ships.arrival - RECEIVING_DAYS)
        shipped = active & ~working & ~receiving
        inbound = np.zeros((3, len(POOLS), catalog.size), dtype=np.int64)
        for k, mask in enumerate((working, shipped, receiving)):
            np.add.at(inbound[k], (ships.pool[mask], ships.sku[mask]), ships.quantity[mask])
        for p, pool in enumerate(POOLS):
            profile = market(pool)
            m = MARKETS.index(profile)
            on_hand = stock.on_hand[p, :, t]
            listed = stock.stocked[p] & (t >= launch_day - catalog.lead_days - 10)
            skus = np.nonzero(listed)[0]
            reserved = rng.binomial(on_hand, 0.05)
            unsellable = np.where(on_hand > 0, rng.poisson(0.4, catalog.size), 0)
            researching = rng.binomial(1, 0.03, catalog.size) * rng.integers(1, 4, catalog.size)
            titles = catalog.titles[TITLE_LANGUAGE[pool]]
            rows = []
            for s in skus.tolist():
                fulfillable = int(on_hand[s] - reserved[s])
                warehouse = fulfillable + int(unsellable[s]) + int(reserved[s])
                w, sh, rc = (int(inbound[k, p, s]) for k in range(3))
                rows.append(
                    (
                        catalog.sku[s],
                        catalog.fnsku[s],
                        catalog.asin[s],
                        titles[s],
                        "New",
                        plain(int(world.demand.unit_price[m, s, t])),
                        "No",
                        "",
                        "Yes",
                        str(warehouse),
                        str(fulfillable),
                        str(int(unsellable[s])),
                        str(int(reserved[s])),
                        str(warehouse + w + sh + rc),
                        volumes[s],
                        str(w),
                        str(sh),
                        str(rc),
                        str(int(researching[s])),
                        "0",
                        "0",
                    )
                )
            name = f"Manage-FBA-Inventory_{pool}_{day.isoformat()}.txt"
            path = write_bytes(folder / pool / name, tsv_text(HEADER, rows).encode("utf-8"))
            files.append(
                DemoFile(path, "inventory", ImportOptions(account=profile.account, marketplace=pool))
            )
    return files


FAMILY = FileFamily("inventory", "inventory", write, "FBA Manage Inventory snapshots per stock pool")
