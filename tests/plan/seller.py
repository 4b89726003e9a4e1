"""Hand-made sellers for plan tests: facts written straight into a workspace's DuckDB tables.

`sale(...)` is one order line dated in marketplace-local time; amounts are in the marketplace's currency
(EUR for DE/IT, USD for US). Tests run in USD with one ECB rate EUR->USD = 1.25, so 100 EUR reads as
125 USD: round numbers by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tradewind.app import Workspace
from tradewind.core.marketplaces import MARKETPLACES
from tradewind.store.fact_schema import FACT_TABLES

EUR_USD = Decimal("1.25")
ACCOUNTS = {"US": "acme-na", "CA": "acme-na"}


def _insert(ws: Workspace, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    columns = FACT_TABLES[table].column_names
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
        names = [c for c in columns if c in row]
        ws.facts.con.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            [row[c] for c in names],
        )


_counter = {"n": 0}


def sale(
    marketplace: str,
    day: date,
    amount: float | Decimal | int,
    sku: str = "S1",
    *,
    channel: str = "amazon_fba",
    quantity: int = 1,
    account: str | None = None,
) -> dict[str, Any]:
    _counter["n"] += 1
    n = _counter["n"]
    mkt = MARKETPLACES[marketplace]
    return {
        "account_id": account or ACCOUNTS.get(marketplace, "acme-eu"),
        "marketplace": marketplace,
        "import_id": "test",
        "source_row": n + 1,
        "source": "shopify_orders" if channel == "shopify" else "amazon_all_orders",
        "channel": channel,
        "order_id": f"O{n}",
        "line_no": 1,
        "purchase_ts": datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
        "purchase_date": day,
        "is_cancelled": False,
        "is_pending": False,
        "is_business_order": False,
        "sku": sku,
        "quantity": quantity,
        "currency": mkt.currency,
        "item_price": Decimal(str(amount)),
        "item_tax": Decimal(0),
        "tax_included": mkt.prices_include_tax,
    }


def add_sales(ws: Workspace, rows: Iterable[Mapping[str, Any]]) -> None:
    _insert(ws, "order_lines", rows)


def add_products(
    ws: Workspace, rows: Iterable[tuple[str, str, str | None]], launches: Mapping[str, date] | None = None
) -> None:
    """(account, sku, owner) rows of the product table."""
    out = []
    for i, (account, sku, owner) in enumerate(rows):
        out.append(
            {
                "account_id": account,
                "import_id": "test",
                "source_row": i + 2,
                "sku": sku,
                "owner": owner,
                "launch_date": (launches or {}).get(sku),
            }
        )
    _insert(ws, "products", out)


def add_fx(ws: Workspace, first: date, rate: Decimal = EUR_USD) -> None:
    _insert(
        ws,
        "fx_rates",
        [
            {
                "account_id": "*",
                "import_id": "test",
                "source_row": 2,
                "kind": "ecb",
                "rate_date": first,
                "base": "EUR",
                "quote": "USD",
                "rate": rate,
            }
        ],
    )


def monthly(
    marketplace: str, first: date, amounts: list[float], sku: str = "S1", **kw: Any
) -> list[dict[str, Any]]:
    """One sale on the 15th of each month from `first`'s month, of the given amounts."""
    out = []
    for k, amount in enumerate(amounts):
        index = first.year * 12 + first.month - 1 + k
        day = date(index // 12, index % 12 + 1, 15)
        if amount:
            out.append(sale(marketplace, day, amount, sku, **kw))
    return out


def every_day(
    marketplace: str, first: date, last: date, amount: float, sku: str = "S1", **kw: Any
) -> list[dict[str, Any]]:
    out = []
    day = first
    while day <= last:
        out.append(sale(marketplace, day, amount, sku, **kw))
        day += timedelta(days=1)
    return out
