"""The seller's product catalog with landed costs: the `products` import template, as a team fills it.

Two files, as sellers keep them: the catalog workbook (XLSX with the template's Chinese header, the
way a Chinese operations team fills it: one row per SKU with its first landed cost), and a cost
update sheet (CSV, English header, cost columns only) with the new costs from the month freight
rates changed. Both are imported for every account: the seller keeps one catalog for all stores. One
GTIN in the workbook has a wrong check digit (`demo_ops.families.gtin_plant`), a planted compliance gap.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.formats import csv_text, plain, stable_zip, write_bytes
from tradewind.demo.markets import ACCOUNTS
from tradewind.demo.world import World
from tradewind.demo_ops.families import gtin_plant
from tradewind.ingest.registry import report_by_id
from tradewind.ingest.spec import ImportOptions, Report
from tradewind.ingest.templates import write_template

CATALOG_FILE = "产品目录-products.xlsx"
COSTS_FILE = "cost-update-{month}.csv"
COST_HEADER = ("sku", "unit_cost", "cost_currency", "cost_effective_from")


def _products_report() -> Report:
    report = report_by_id("products")
    if report is None:  # the importer ships with Tradewind; its absence is a packaging fault
        raise RuntimeError("the products import template is not installed")
    return report


def _money(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def write(world: World, folder: Path) -> list[DemoFile]:
    catalog = world.catalog
    scenario = world.scenario
    # The planted invalid EAN (issue 4): one GTIN typed with a wrong check digit.
    plant = gtin_plant(world)
    typo = {plant.sku: plant.corrupted} if plant is not None else {}
    rows = []
    for i in range(catalog.size):
        first_cost_day: date = min(catalog.launch[i], scenario.start)
        rows.append(
            {
                "sku": catalog.sku[i],
                "asin": catalog.asin[i],
                "parent_asin": "" if catalog.parent_asin[i] == catalog.asin[i] else catalog.parent_asin[i],
                "title": catalog.titles["en"][i],
                "category": catalog.category[i],
                "brand": catalog.brand[i],
                "owner": catalog.owner[i],
                "gtin": typo.get(catalog.sku[i], catalog.gtin[i]),
                "lead_time_days": int(catalog.lead_days[i]),
                "launch_date": catalog.launch[i],
                "unit_cost": _money(int(catalog.cost_cents[i])),
                "cost_currency": catalog.cost_currency[i],
                "cost_effective_from": first_cost_day,
            }
        )
    rows = [{k: v for k, v in row.items() if v != ""} for row in rows]
    workbook = write_template(_products_report(), folder / CATALOG_FILE, fmt="xlsx", lang="zh", rows=rows)
    stable_zip(workbook, datetime.combine(scenario.start, datetime.min.time()))

    changed = [i for i in range(catalog.size) if catalog.new_cost_cents[i] != catalog.cost_cents[i]]
    update_rows = [
        (
            catalog.sku[i],
            plain(int(catalog.new_cost_cents[i])),
            catalog.cost_currency[i],
            catalog.cost_change.isoformat(),
        )
        for i in changed
    ]
    costs = write_bytes(
        folder / COSTS_FILE.format(month=f"{catalog.cost_change:%Y-%m}"),
        csv_text(COST_HEADER, update_rows).encode("utf-8"),
    )
    amazon_and_shop = [a.id for a in ACCOUNTS]
    return [
        *(DemoFile(workbook, "products", ImportOptions(account=a)) for a in amazon_and_shop),
        *(DemoFile(costs, "products", ImportOptions(account=a)) for a in amazon_and_shop),
    ]


FAMILY = FileFamily("products", "products", write, "Product catalog with landed costs (import template)")
