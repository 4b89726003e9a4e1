"""Amazon "All Orders" flat files (report-formats §3.1): one per account and month, tab-separated.

The NA account downloads the 32-column layout, the EU account the newer 34-column one (no ship
city/state/postal code; customized-*, is-heavy-or-bulky, is-replacement-order). Purchase dates are
UTC instants with an offset; `item-price` is the line total with a dot decimal in every marketplace
(EU/UK prices include VAT and `item-tax` is the VAT in them). Cancelled lines show quantity 0 and no
price, as Amazon writes them. One EU month is written in cp1252, as SP-API delivers many flat files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from tradewind.demo.catalog import TITLE_LANGUAGE
from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.formats import encode, iso_utc_list, plain_list, tsv_text, write_bytes
from tradewind.demo.lines import CANCELLED, PENDING, OrderLines
from tradewind.demo.markets import EU_ACCOUNT, MARKETS, NA_ACCOUNT, markets_of
from tradewind.demo.scenario import add_months
from tradewind.demo.world import World
from tradewind.ingest.spec import ImportOptions

HEADER_32 = (
    "amazon-order-id merchant-order-id purchase-date last-updated-date order-status fulfillment-channel "
    "sales-channel order-channel url ship-service-level product-name sku asin item-status quantity currency "
    "item-price item-tax shipping-price shipping-tax gift-wrap-price gift-wrap-tax item-promotion-discount "
    "ship-promotion-discount ship-city ship-state ship-postal-code ship-country promotion-ids "
    "is-business-order purchase-order-number price-designation"
).split()
HEADER_34 = (
    "amazon-order-id merchant-order-id purchase-date last-updated-date order-status fulfillment-channel "
    "sales-channel order-channel url ship-service-level product-name sku asin item-status quantity currency "
    "item-price item-tax shipping-price shipping-tax gift-wrap-price gift-wrap-tax item-promotion-discount "
    "ship-promotion-discount ship-country ship-promotion-id promotion-ids is-business-order "
    "purchase-order-number price-designation customized-url customized-page is-heavy-or-bulky "
    "is-replacement-order"
).split()
HEADERS = {NA_ACCOUNT: HEADER_32, EU_ACCOUNT: HEADER_34}

#: Months before the end whose EU file is written in cp1252 (SP-API's `charset=Cp1252`).
CP1252_MONTHS_BEFORE_END = 6


def file_name(account: str, month: str) -> str:
    return f"All-Orders_{account}_{month}.txt"


def _columns(world: World) -> dict[str, list[str]]:
    """Every column's text for every line, built once (the files are slices of these)."""
    lines: OrderLines = world.lines
    catalog = world.catalog
    rng = world.scenario.rng("files.orders")
    n = lines.size
    status = lines.status
    cancelled = status == CANCELLED
    pending = status == PENDING
    shipped_at = lines.utc + np.maximum(lines.ship_day - lines.day, 0) * 86400 + rng.integers(3600, 30000, n)
    updated = np.where(cancelled, lines.utc + rng.integers(600, 7200, n), shipped_at)
    updated = np.where(pending, lines.utc + rng.integers(60, 1800, n), updated)
    # An order is updated and shipped as a whole: its lines share the first line's values.
    _, first_line = np.unique(lines.order, return_index=True)
    updated = updated[first_line][lines.order]
    markets = [MARKETS[int(m)] for m in lines.market.tolist()]
    dest = [mk.destinations[int(d)] for mk, d in zip(markets, lines.destination.tolist(), strict=True)]
    prices = plain_list(lines.item_price)
    taxes = plain_list(lines.item_tax)
    promos = plain_list(-lines.promotion)
    coupon_ids = rng.integers(10_000_000, 99_999_999, n).tolist()
    po_numbers = rng.integers(100_000, 999_999, n).tolist()
    with_po = (rng.random(n) < 0.5).tolist()
    expedited = (rng.random(n) < 0.7)[first_line][lines.order].tolist()
    titles = catalog.titles
    cols: dict[str, list[str]] = {h: [] for h in set(HEADER_32) | set(HEADER_34)}
    skus = lines.sku.tolist()
    for i in range(n):
        mk = markets[i]
        s = skus[i]
        st = int(status[i])
        fbm = bool(lines.merchant_fulfilled[i])
        b2b = bool(lines.business[i])
        cols["amazon-order-id"].append(lines.order_ids[int(lines.order[i])])
        cols["order-status"].append(("Shipped", "Pending", "Cancelled")[st])
        cols["item-status"].append(("Shipped", "Unshipped", "Cancelled")[st])
        cols["fulfillment-channel"].append("Merchant" if fbm else "Amazon")
        cols["sales-channel"].append(mk.sales_channel)
        cols["ship-service-level"].append("Expedited" if expedited[i] and not fbm else "Standard")
        cols["product-name"].append(titles[TITLE_LANGUAGE[mk.code]][s])
        cols["sku"].append(catalog.sku[s])
        cols["asin"].append(catalog.asin[s])
        cols["quantity"].append("0" if st == CANCELLED else str(int(lines.quantity[i])))
        cols["currency"].append(mk.currency)
        cols["item-price"].append("" if st == CANCELLED else prices[i])
        cols["item-tax"].append("" if st == CANCELLED else taxes[i])
        cols["shipping-price"].append("" if st == CANCELLED else "0.00")
        cols["shipping-tax"].append("" if st == CANCELLED else "0.00")
        has_promo = bool(lines.promotion[i])
        cols["item-promotion-discount"].append(promos[i] if has_promo else "")
        cols["promotion-ids"].append(f"VPC-3-{coupon_ids[i]}" if has_promo else "")
        d = dest[i]
        cols["ship-city"].append(d.city)
        cols["ship-state"].append(d.state)
        cols["ship-postal-code"].append(d.postal_code)
        cols["ship-country"].append(d.country)
        cols["is-business-order"].append("true" if b2b else "false")
        cols["purchase-order-number"].append(f"PO-{po_numbers[i]}" if b2b and with_po[i] else "")
        cols["price-designation"].append("BusinessPrice" if b2b else "")
        cols["is-heavy-or-bulky"].append("false")
        cols["is-replacement-order"].append("false")
    empty = [""] * n
    for name in (
        "merchant-order-id",
        "order-channel",
        "url",
        "gift-wrap-price",
        "gift-wrap-tax",
        "ship-promotion-discount",
        "ship-promotion-id",
        "customized-url",
        "customized-page",
    ):
        cols[name] = empty
    cols["purchase-date"] = iso_utc_list(lines.utc)
    cols["last-updated-date"] = iso_utc_list(updated.astype(np.int64))
    return cols


def period_name(first: date, last: date) -> str:
    """`2025-03` for a month, `2025-01_2025-03` for several."""
    return (
        f"{first:%Y-%m}"
        if (first.year, first.month) == (last.year, last.month)
        else f"{first:%Y-%m}_{last:%Y-%m}"
    )


def write(world: World, folder: Path) -> list[DemoFile]:
    scenario = world.scenario
    lines = world.lines
    cols = _columns(world)
    cp1252_month = add_months(scenario.start, len(scenario.months()) - CP1252_MONTHS_BEFORE_END)
    files: list[DemoFile] = []
    for account, header in HEADERS.items():
        codes = [MARKETS.index(m) for m in markets_of(account)]
        in_account = np.isin(lines.market, codes)
        for first, last in scenario.periods(scenario.size.cadence.orders_months):
            lo, hi = scenario.day_index(first), scenario.day_index(last)
            idx = np.nonzero(in_account & (lines.day >= lo) & (lines.day <= hi))[0]
            idx = idx[np.argsort(lines.utc[idx], kind="stable")]
            if not idx.size:
                continue
            rows = (tuple(cols[h][i] for h in header) for i in idx.tolist())
            text = tsv_text(header, rows)
            encoding = "cp1252" if account == EU_ACCOUNT and first <= cp1252_month <= last else "utf-8"
            path = write_bytes(folder / file_name(account, period_name(first, last)), encode(text, encoding))
            files.append(DemoFile(path, "orders", ImportOptions(account=account)))
    return files


FAMILY = FileFamily("orders", "orders", write, "Amazon All Orders flat files, per account and month")
