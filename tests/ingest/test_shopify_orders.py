"""Shopify "Export orders" CSV: fill-down of order fields, unit price x quantity, statuses, marketplaces,
local dates, re-imports, errors, and the public export.

Every expected value below is worked out by hand from the rows written in the test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_csv
from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected, NeedsOption
from tradewind.ingest.spec import ImportOptions

NA = ImportOptions(account="acme-na")

#: The 79-column header of the real export (report-formats §4).
HEADER = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at",
    "Payment Method", "Payment Reference", "Refunded Amount", "Vendor", "Outstanding Balance", "Employee",
    "Location", "Device ID", "Id", "Tags", "Risk Level", "Source", "Lineitem discount", "Tax 1 Name",
    "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value",
    "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name",
    "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At",
    "Payment References",
]  # fmt: skip


def row(**values: str) -> list[str]:
    """One export row; keyword names are the header names with `_` for spaces (`Lineitem_price`)."""
    cells = {k.replace("_", " "): v for k, v in values.items()}
    unknown = set(cells) - set(HEADER)
    assert not unknown, f"not in the header: {unknown}"
    return [cells.get(h, "") for h in HEADER]


def first_row(name: str, created: str, **values: str) -> list[str]:
    """The first row of an order: it carries the order-level fields."""
    base = {
        "Name": name,
        "Email": "buyer@example.com",
        "Financial_Status": "paid",
        "Fulfillment_Status": "fulfilled",
        "Currency": "USD",
        "Shipping": "0.00",
        "Taxes": "0.00",
        "Created_at": created,
        "Lineitem_quantity": "1",
        "Lineitem_taxable": "true",
        "Lineitem_discount": "0.00",
        "Refunded_Amount": "0.00",
        "Source": "web",
    }
    base.update(values)
    return row(**base)


def next_row(name: str, created: str, **values: str) -> list[str]:
    """A later row of an order: Name, Email and Created at repeat; order fields stay blank."""
    base = {"Name": name, "Email": "buyer@example.com", "Created_at": created, "Lineitem_discount": "0.00"}
    base.update(values)
    return row(**base)


#: Three orders for the NA account (hand-computed facts in `test_lines_*`):
#: #1001 (US, paid, 2 lines): 2 x 10.50 = 21.00 with 1.00 line discount, and 1 x 5.25; shipping 4.99
#:   on the order; tax 0.00. Created 2026-03-01 23:30 -05:00 = 2026-03-02 04:30 UTC = 2026-03-01 20:30 in
#:   Los Angeles -> purchase date 2026-03-01.
#: #1002 (CA, pending, CAD): 3 x 4.99 = 14.97; taxes 1.95 (not split per line -> item_tax NULL).
#:   Created 2026-03-02 01:30 +00:00 = 2026-03-01 17:30 in Los Angeles -> purchase date 2026-03-01.
#: #1003 (US, cancelled): 1 x 100.00, created 2026-03-03 10:00 -05:00.
NA_ROWS = [
    first_row(
        "#1001",
        "2026-03-01 23:30:00 -0500",
        Shipping="4.99",
        Discount_Code="SPRING",
        Lineitem_quantity="2",
        Lineitem_name="Mat - Grey",
        Lineitem_price="10.50",
        Lineitem_sku="MAT-GREY",
        Lineitem_discount="1.00",
        Lineitem_fulfillment_status="fulfilled",
        Shipping_Country="US",
        Shipping_Province="WA",
        Shipping_Zip="98101",
        Billing_Country="US",
        Id="5550001",
    ),
    next_row(
        "#1001",
        "2026-03-01 23:30:00 -0500",
        Lineitem_quantity="1",
        Lineitem_name="+Plus strap",
        Lineitem_price="5.25",
        Lineitem_sku="STRAP",
        Lineitem_fulfillment_status="fulfilled",
    ),
    first_row(
        "#1002",
        "2026-03-02 01:30:00 +0000",
        Financial_Status="pending",
        Currency="CAD",
        Taxes="1.95",
        Lineitem_quantity="3",
        Lineitem_name="Wax",
        Lineitem_price="4.99",
        Lineitem_sku="WAX",
        Shipping_Country="CA",
        Billing_Country="CA",
        Id="5550002",
    ),
    first_row(
        "#1003",
        "2026-03-03 10:00:00 -0500",
        Financial_Status="voided",
        Cancelled_at="2026-03-03 12:00:00 -0500",
        Lineitem_name="Board",
        Lineitem_price="100.00",
        Lineitem_sku="BOARD",
        Shipping_Country="US",
        Id="5550003",
    ),
]


def rows_of(ws: Workspace, sql: str) -> list[tuple[Any, ...]]:
    return ws.facts.con.execute(sql).fetchall()


def test_lines_fill_order_fields_and_multiply_unit_price(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "orders_export.csv", HEADER, NA_ROWS)
    result = workspace.import_file(path, NA)
    assert result.report_type == "shopify_orders"
    assert result.rows_loaded == {"order_lines": 4}
    got = rows_of(
        workspace,
        "SELECT order_id, line_no, marketplace, currency, sku, quantity, item_price, "
        "item_promotion_discount, shipping_price, item_tax, tax_included, is_cancelled, is_pending, "
        "purchase_date, order_status, "
        "merchant_order_id, channel, source, sales_channel, ship_country, promotion_ids, source_row "
        "FROM order_lines ORDER BY order_id, line_no",
    )
    assert got == [
        ("#1001", 1, "US", "USD", "MAT-GREY", 2, Decimal("21.0000"), Decimal("1.0000"), Decimal("4.9900"),
         Decimal("0.0000"), False, False, False, date(2026, 3, 1), "paid", "5550001", "shopify",
         "shopify_orders", "web", "US", "SPRING", 2),
        # the second line has the order's status, currency, country and code, but not its shipping again
        ("#1001", 2, "US", "USD", "STRAP", 1, Decimal("5.2500"), Decimal("0.0000"), None,
         Decimal("0.0000"), False, False, False, date(2026, 3, 1), "paid", "5550001", "shopify",
         "shopify_orders", "web", "US", "SPRING", 3),
        ("#1002", 1, "CA", "CAD", "WAX", 3, Decimal("14.9700"), Decimal("0.0000"), Decimal("0.0000"),
         None, False, False, True, date(2026, 3, 1), "pending", "5550002", "shopify",
         "shopify_orders", "web", "CA", None, 4),
        ("#1003", 1, "US", "USD", "BOARD", 1, Decimal("100.0000"), Decimal("0.0000"), Decimal("0.0000"),
         Decimal("0.0000"), False, True, False, date(2026, 3, 3), "voided", "5550003", "shopify",
         "shopify_orders", "web", "US", None, 5),
    ]  # fmt: skip
    # GMV by marketplace over non-cancelled lines: US 21.00 + 5.25 = 26.25; CA 14.97.
    assert rows_of(
        workspace,
        "SELECT marketplace, sum(item_price), sum(quantity), count(DISTINCT order_id) FROM order_lines "
        "WHERE NOT is_cancelled GROUP BY marketplace ORDER BY marketplace",
    ) == [("CA", Decimal("14.9700"), 3, 1), ("US", Decimal("26.2500"), 3, 1)]
    # The instant is kept exactly: 23:30 at -05:00 is 04:30 UTC the next day.
    ts = rows_of(workspace, "SELECT epoch(purchase_ts) FROM order_lines WHERE order_id = '#1001' LIMIT 1")
    assert ts == [(1772425800.0,)]
    # The export has no refund dates: no returns are made up.
    assert rows_of(workspace, "SELECT count(*) FROM customer_returns") == [(0,)]


def test_marketplace_option_wins_and_eu_prices_include_vat(workspace: Workspace, tmp_path: Path) -> None:
    """--marketplace DE books every order to DE, whatever the shipping country; DE prices include VAT and
    dates are Berlin dates: 2026-03-02 01:30 +00:00 is 02:30 in Berlin -> 2026-03-02."""
    rows = [
        first_row(
            "#2001",
            "2026-03-02 01:30:00 +0000",
            Currency="EUR",
            Taxes="3.80",
            Lineitem_price="23.80",
            Lineitem_name="Mat",
            Shipping_Country="FR",
        ),
        first_row(
            "#2002",
            "2026-03-01 22:59:59 +0000",
            Currency="EUR",
            Lineitem_price="11.90",
            Lineitem_name="Wax",
        ),
    ]
    path = write_csv(tmp_path / "orders_export_eu.csv", HEADER, rows)
    workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="DE"))
    assert rows_of(
        workspace,
        "SELECT order_id, marketplace, tax_included, item_price, item_tax, purchase_date "
        "FROM order_lines ORDER BY order_id",
    ) == [
        ("#2001", "DE", True, Decimal("23.8000"), None, date(2026, 3, 2)),
        # 22:59:59 UTC on 1 March is 23:59:59 in Berlin (CET, +01:00): still 1 March
        ("#2002", "DE", True, Decimal("11.9000"), Decimal("0.0000"), date(2026, 3, 1)),
    ]


def test_reimport_replaces_orders_instead_of_adding(workspace: Workspace, tmp_path: Path) -> None:
    """A later export with the same orders replaces them: #1002 was paid and lost one line's quantity."""
    workspace.import_file(write_csv(tmp_path / "first.csv", HEADER, NA_ROWS), NA)
    later = [
        first_row(
            "#1002",
            "2026-03-02 01:30:00 +0000",
            Currency="CAD",
            Lineitem_quantity="2",
            Lineitem_name="Wax",
            Lineitem_price="4.99",
            Shipping_Country="CA",
        )
    ]
    result = workspace.import_file(write_csv(tmp_path / "later.csv", HEADER, later), NA)
    assert result.rows_replaced == {"order_lines": 1}
    assert rows_of(
        workspace,
        "SELECT order_id, count(*), sum(quantity), sum(item_price), bool_or(is_pending) FROM order_lines "
        "GROUP BY order_id ORDER BY order_id",
    ) == [
        ("#1001", 2, 3, Decimal("26.2500"), False),
        ("#1002", 1, 2, Decimal("9.9800"), False),
        ("#1003", 1, 1, Decimal("100.0000"), False),
    ]


def test_single_marketplace_account_takes_every_order(workspace: Workspace, tmp_path: Path) -> None:
    """An account with one marketplace is the store's market: a Canadian order of a US-only store is US."""
    from tradewind.store.config import Account

    workspace.add_account(Account(id="acme-shop", name="Shop", platform="shopify", marketplaces=("US",)))
    path = write_csv(tmp_path / "orders_export.csv", HEADER, NA_ROWS)
    workspace.import_file(path, ImportOptions(account="acme-shop"))
    assert rows_of(workspace, "SELECT DISTINCT marketplace, account_id FROM order_lines") == [
        ("US", "acme-shop")
    ]


def test_country_outside_the_account_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    rows = [first_row("#3001", "2026-03-02 10:00:00 +0000", Lineitem_price="9.00", Shipping_Country="AT")]
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_csv(tmp_path / "at.csv", HEADER, rows), NA)
    text = str(info.value)
    assert "row 2, column 'Shipping Country'" in text
    assert "(value 'AT')" in text
    assert "--marketplace" in text
    assert rows_of(workspace, "SELECT count(*) FROM order_lines") == [(0,)]


def test_no_country_and_several_marketplaces_asks_for_one(workspace: Workspace, tmp_path: Path) -> None:
    rows = [first_row("#3001", "2026-03-02 10:00:00 +0000", Lineitem_price="9.00")]
    with pytest.raises(NeedsOption, match="--marketplace"):
        workspace.import_file(write_csv(tmp_path / "nocountry.csv", HEADER, rows), NA)


def test_bad_values_name_row_column_and_value(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        first_row("#4001", "2026-03-02 10:00:00 +0000", Lineitem_price="9.00", Shipping_Country="US"),
        next_row("#4001", "2026-03-02 10:00:00 +0000", Lineitem_quantity="two", Lineitem_price="3.00"),
        first_row("#4002", "yesterday", Lineitem_price="1.00", Shipping_Country="US"),
        first_row(
            "#4003", "2026-03-02 11:00:00 +0000", Lineitem_price="1.00", Currency="", Shipping_Country="US"
        ),
    ]
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_csv(tmp_path / "bad.csv", HEADER, rows), NA)
    rendered = [p.render() for p in info.value.problems]
    assert any("row 3, column 'Lineitem quantity'" in p and "'two'" in p for p in rendered)
    assert any("row 4, column 'Created at'" in p and "'yesterday'" in p for p in rendered)
    assert rows_of(workspace, "SELECT count(*) FROM order_lines") == [(0,)]
    # With the parse errors fixed, the order without a currency is still refused, by its row.
    rows[1] = next_row("#4001", "2026-03-02 10:00:00 +0000", Lineitem_quantity="2", Lineitem_price="3.00")
    rows[2] = first_row("#4002", "2026-03-02 10:30:00 +0000", Lineitem_price="1.00", Shipping_Country="US")
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_csv(tmp_path / "bad2.csv", HEADER, rows), NA)
    rendered = [p.render() for p in info.value.problems]
    assert len(rendered) == 1 and "row 5, column 'Currency'" in rendered[0] and "no currency" in rendered[0]


def test_public_export_imports(workspace: Workspace, public_fixture: Any) -> None:
    """The real development-store export (EUR, 19 orders on 40 lines, all quantities 1). The line totals
    add up to the orders' Subtotals: sum of the 19 first-row Subtotals = 14,089.04 (checked by hand from
    the file). #1013 (2 lines: 102.00 + 25.59) is the only pending order; none is cancelled."""
    path = public_fixture("shopify_orders_export__luistatera_forezia-mock-data.csv")
    result = workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="DE"))
    assert result.rows_loaded == {"order_lines": 40}
    assert rows_of(
        workspace,
        "SELECT count(*), count(DISTINCT order_id), sum(item_price), sum(quantity), "
        "sum(item_price) FILTER (WHERE is_pending), count(*) FILTER (WHERE is_cancelled), "
        "count(DISTINCT currency), min(purchase_date), max(purchase_date) FROM order_lines",
    ) == [
        (40, 19, Decimal("14089.0400"), 40, Decimal("127.5900"), 0, 1, date(2025, 5, 11), date(2025, 5, 17))
    ]
    # #1006 has 3 lines: 699.95 + 949.95 + 885.95 = 2,535.85, its Subtotal.
    assert rows_of(
        workspace,
        "SELECT count(*), sum(item_price), list(sku ORDER BY line_no) FROM order_lines "
        "WHERE order_id = '#1006'",
    ) == [(3, Decimal("2535.8500"), [None, "sku-untracked-1", None])]
