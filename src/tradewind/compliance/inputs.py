"""Reading what a compliance evaluation needs from the workspace facts, as plain records.

The evaluation itself (`evaluate.py`) is plain Python over these records, so its rules are tested on
hand-made records and the SQL here stays a set of simple reads. "Sold in a marketplace" means: the
account lists the marketplace, or has orders there in the 365 days up to the day asked. The SKUs sold
there are those with orders or FBA stock there in that window; where a marketplace has neither, every
SKU of the product catalog counts (a listing without sales still needs its EPR registration).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

#: Orders and stock in this many days up to the day asked make a marketplace, and a SKU, "sold there".
SOLD_WINDOW_DAYS = 365
#: An FBA inventory snapshot older than this many days says nothing about where stock is now.
SNAPSHOT_MAX_AGE_DAYS = 35


@dataclass(frozen=True)
class Registration:
    """A VAT (category None) or EPR registration row as the registry sheet gave it."""

    country: str
    category: str | None
    number: str | None
    valid_from: date | None
    valid_to: date | None
    required: bool
    register: str | None = None


@dataclass(frozen=True)
class StockRow:
    country: str
    location: str | None
    program: str | None
    sku: str | None
    #: Where the row comes from: "stock_locations" (the sheet) or "inventory" (an FBA snapshot's
    #: locally fulfillable units), with that snapshot's date.
    source: str = "stock_locations"
    snapshot_date: date | None = None


@dataclass(frozen=True)
class Product:
    sku: str
    category: str | None
    gtin: str | None


@dataclass(frozen=True)
class AccountInputs:
    account_id: str
    #: Marketplaces the account sells in (config, plus those with recent orders).
    marketplaces: tuple[str, ...]
    #: marketplace -> SKUs with orders or stock there in the window (empty: none known)
    skus_sold: dict[str, tuple[str, ...]]
    products: tuple[Product, ...]
    stock: tuple[StockRow, ...]
    vat: tuple[Registration, ...]
    epr: tuple[Registration, ...]


def read_inputs(
    con: duckdb.DuckDBPyConnection, account_id: str, listed_marketplaces: tuple[str, ...], as_of: date
) -> AccountInputs:
    since = as_of - timedelta(days=SOLD_WINDOW_DAYS - 1)
    args = [account_id, since, as_of]
    ordered = con.execute(
        "SELECT DISTINCT marketplace FROM order_lines WHERE account_id = ? AND purchase_date BETWEEN ? AND ? "
        "AND NOT is_cancelled AND marketplace IS NOT NULL ORDER BY 1",
        args,
    ).fetchall()
    marketplaces = tuple(dict.fromkeys([*listed_marketplaces, *(m for (m,) in ordered)]))
    sold: dict[str, set[str]] = {}
    for market, sku in con.execute(
        "SELECT DISTINCT marketplace, sku FROM order_lines WHERE account_id = ? "
        "AND purchase_date BETWEEN ? AND ? AND NOT is_cancelled AND sku IS NOT NULL "
        "UNION SELECT DISTINCT marketplace, sku FROM inventory_snapshots WHERE account_id = ? "
        "AND snapshot_date BETWEEN ? AND ?",
        args + args,
    ).fetchall():
        sold.setdefault(market, set()).add(sku)
    products = tuple(
        Product(sku, category, gtin)
        for sku, category, gtin in con.execute(
            "SELECT sku, category, gtin FROM products WHERE account_id = ? ORDER BY sku", [account_id]
        ).fetchall()
    )
    stock = [
        StockRow(country, location, program, sku)
        for country, location, program, sku in con.execute(
            "SELECT country, location, program, sku FROM stock_locations WHERE account_id = ? "
            "AND coalesce(stored_from, ?) <= ? AND coalesce(stored_to, ?) >= ? "
            "ORDER BY country, location, sku",
            [account_id, as_of, as_of, as_of, as_of],
        ).fetchall()
    ]
    stock += _inventory_stock(con, account_id, as_of)
    vat = tuple(
        Registration(country, None, number, start, end, bool(required))
        for country, number, start, end, required in con.execute(
            "SELECT country, vat_number, valid_from, valid_to, required FROM vat_registrations "
            "WHERE account_id = ? ORDER BY country, source_row",
            [account_id],
        ).fetchall()
    )
    epr = tuple(
        Registration(country, category, number, start, end, bool(required), register)
        for country, category, number, start, end, required, register in con.execute(
            "SELECT country, category, epr_number, valid_from, valid_to, required, register "
            "FROM epr_registrations WHERE account_id = ? ORDER BY country, category, source_row",
            [account_id],
        ).fetchall()
    )
    return AccountInputs(
        account_id,
        marketplaces,
        {m: tuple(sorted(s)) for m, s in sold.items()},
        products,
        tuple(stock),
        vat,
        epr,
    )


def _inventory_stock(con: duckdb.DuckDBPyConnection, account_id: str, as_of: date) -> list[StockRow]:
    """SKUs fulfillable from a marketplace's own country at its latest recent FBA snapshot (pan-EU)."""
    from tradewind.compliance.countries import country_of_marketplace

    rows = con.execute(
        """
        WITH latest AS (
          SELECT marketplace, max(snapshot_date) AS day FROM inventory_snapshots
          WHERE account_id = ? AND snapshot_date BETWEEN ? AND ? GROUP BY marketplace
        )
        SELECT i.marketplace, i.snapshot_date, i.sku FROM inventory_snapshots i
        JOIN latest l ON i.marketplace = l.marketplace AND i.snapshot_date = l.day
        WHERE i.account_id = ? AND coalesce(i.afn_fulfillable_local, 0) > 0
        ORDER BY 1, 3
        """,
        [account_id, as_of - timedelta(days=SNAPSHOT_MAX_AGE_DAYS), as_of, account_id],
    ).fetchall()
    found = []
    for market, day, sku in rows:
        country = country_of_marketplace(market)
        if country is not None:
            found.append(StockRow(country, None, "fba", sku, source="inventory", snapshot_date=day))
    return found
