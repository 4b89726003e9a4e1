"""Amazon All Orders flat file: both layouts, local purchase dates, statuses, re-imports, encodings, errors.

Every expected value below is worked out by hand from the rows written in the test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import write_tsv
from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected
from tradewind.ingest.headers import normalise_header
from tradewind.ingest.registry import detect_table
from tradewind.ingest.spec import ImportOptions

from .orders_file import ORDERS_HEADER

NA = ImportOptions(account="acme-na")
EU = ImportOptions(account="acme-eu")

#: The 32-column header (report-formats §3.1, caponica EXPECTED_HEADER).
HEADER_32 = ORDERS_HEADER

#: The newer 34-column header (Airbyte's archived-orders fixture): no ship-city/state/postal-code;
#: adds ship-promotion-id, customized-url/-page, is-heavy-or-bulky, is-replacement-order.
_NOT_IN_34 = ("ship-city", "ship-state", "ship-postal-code")
_BASE_34 = [h for h in ORDERS_HEADER if h not in _NOT_IN_34]
_AFTER_COUNTRY = _BASE_34.index("ship-country") + 1
HEADER_34 = [
    *_BASE_34[:_AFTER_COUNTRY],
    "ship-promotion-id",
    *_BASE_34[_AFTER_COUNTRY:],
    "customized-url",
    "customized-page",
    "is-heavy-or-bulky",
    "is-replacement-order",
]


def line(header: list[str], **values: str) -> list[str]:
    """One order line; keyword names are the header names with `_` for `-`."""
    cells = {k.replace("_", "-"): v for k, v in values.items()}
    unknown = set(cells) - set(header)
    assert not unknown, f"not in this header: {unknown}"
    return [cells.get(h, "") for h in header]


def us_line(order_id: str, sku: str, qty: str, price: str, tax: str = "0.00", **more: str) -> list[str]:
    base = {
        "amazon_order_id": order_id,
        "purchase_date": "2026-03-10T18:00:00+00:00",
        "last_updated_date": "2026-03-11T09:00:00+00:00",
        "order_status": "Shipped",
        "fulfillment_channel": "Amazon",
        "sales_channel": "Amazon.com",
        "product_name": f"Product {sku}",
        "sku": sku,
        "asin": f"B0{sku}",
        "item_status": "Shipped",
        "quantity": qty,
        "currency": "USD",
        "item_price": price,
        "item_tax": tax,
        "ship_country": "US",
        "is_business_order": "false",
    }
    base.update(more)
    return line(HEADER_32, **base)


def de_line(order_id: str, when: str, price: str = "23.80", tax: str = "3.80", **more: str) -> list[str]:
    base = {
        "amazon_order_id": order_id,
        "purchase_date": when,
        "order_status": "Shipped",
        "fulfillment_channel": "Amazon",
        "sales_channel": "Amazon.de",
        "sku": "MUG-1",
        "item_status": "Shipped",
        "quantity": "1",
        "currency": "EUR",
        "item_price": price,
        "item_tax": tax,
        "ship_country": "DE",
        "is_business_order": "false",
    }
    base.update(more)
    return line(HEADER_32, **base)


def q(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    return ws.facts.query(sql)


# -- layouts ---------------------------------------------------------------------------------------------
def test_32_column_layout_loads_every_field(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "orders.txt",
        HEADER_32,
        [
            us_line(
                "111-0000001-0000001",
                "A",
                "2",
                "39.98",
                "3.20",
                merchant_order_id="M-1",
                shipping_price="4.99",
                shipping_tax="0.40",
                gift_wrap_price="2.00",
                gift_wrap_tax="0.16",
                item_promotion_discount="-5.00",
                ship_promotion_discount="-4.99",
                ship_city="Seattle",
                ship_state="WA",
                ship_postal_code="98109",
                promotion_ids="PROMO-1",
                is_business_order="true",
            ),
            us_line("111-0000001-0000001", "B", "1", "15.00", "1.20", fulfillment_channel="Merchant"),
        ],
    )
    result = workspace.import_file(path, NA)
    assert result.report_type == "amazon_all_orders"
    assert result.rows_loaded == {"order_lines": 2}
    rows = q(
        workspace,
        "SELECT account_id, marketplace, source, channel, order_id, line_no, merchant_order_id, "
        "purchase_date, is_cancelled, is_pending, is_business_order, sku, quantity, currency, item_price, "
        "item_tax, tax_included, shipping_price, shipping_tax, gift_wrap_price, gift_wrap_tax, "
        "item_promotion_discount, ship_promotion_discount, ship_country, ship_state, ship_postal_code, "
        "promotion_ids, source_row "
        "FROM order_lines ORDER BY line_no",
    )
    # 18:00 UTC on 10 March is 11:00 in Los Angeles (PDT from 8 March): same day.
    assert rows == [
        (
            "acme-na", "US", "amazon_all_orders", "amazon_fba", "111-0000001-0000001", 1, "M-1",
            date(2026, 3, 10), False, False, True, "A", 2, "USD", Decimal("39.98"), Decimal("3.20"), False,
            Decimal("4.99"), Decimal("0.40"), Decimal("2.00"), Decimal("0.16"), Decimal("5.00"),
            Decimal("4.99"), "US", "WA", "98109", "PROMO-1", 2,
        ),
        (
            "acme-na", "US", "amazon_all_orders", "amazon_fbm", "111-0000001-0000001", 2, None,
            date(2026, 3, 10), False, False, False, "B", 1, "USD", Decimal("15.00"), Decimal("1.20"), False,
            None, None, None, None, None, None, "US", None, None, None, 3,
        ),
    ]  # fmt: skip


def test_34_column_layout_reads_columns_by_name(workspace: Workspace, tmp_path: Path) -> None:
    row = line(
        HEADER_34,
        amazon_order_id="028-1111111-2222222",
        purchase_date="2026-05-04T08:15:00+00:00",
        order_status="Shipped",
        fulfillment_channel="Amazon",
        sales_channel="Amazon.co.uk",
        sku="KETTLE",
        quantity="3",
        currency="GBP",
        item_price="59.97",
        item_tax="9.99",
        item_promotion_discount="0.00",
        ship_country="GB",
        ship_promotion_id="SHIP-9",
        promotion_ids="P-7",
        is_business_order="false",
        is_heavy_or_bulky="false",
        is_replacement_order="false",
    )
    workspace.import_file(write_tsv(tmp_path / "new_layout.txt", HEADER_34, [row]), EU)
    assert q(
        workspace,
        "SELECT marketplace, purchase_date, sku, quantity, currency, item_price, item_tax, tax_included, "
        "ship_country, ship_state, ship_postal_code, promotion_ids FROM order_lines",
    ) == [
        # 08:15 UTC is 09:15 BST in London: the same day. UK prices include VAT.
        ("UK", date(2026, 5, 4), "KETTLE", 3, "GBP", Decimal("59.97"), Decimal("9.99"), True, "GB", None,
         None, "P-7"),
    ]  # fmt: skip


# -- local purchase dates ------------------------------------------------------------------------------
def test_late_utc_purchase_is_next_day_in_germany(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "de.txt",
        HEADER_32,
        [
            de_line("302-0000001-0000001", "2026-03-01T23:30:00+00:00"),  # 00:30 CET on 2 March
            de_line("302-0000002-0000002", "2026-07-01T21:30:00+00:00"),  # 23:30 CEST: still 1 July
            de_line("302-0000003-0000003", "2026-07-01T22:30:00+00:00"),  # 00:30 CEST on 2 July
        ],
    )
    workspace.import_file(path, EU)
    assert q(workspace, "SELECT order_id, purchase_ts, purchase_date FROM order_lines ORDER BY order_id") == [
        ("302-0000001-0000001", _utc(2026, 3, 1, 23, 30), date(2026, 3, 2)),
        ("302-0000002-0000002", _utc(2026, 7, 1, 21, 30), date(2026, 7, 1)),
        ("302-0000003-0000003", _utc(2026, 7, 1, 22, 30), date(2026, 7, 2)),
    ]


def test_early_utc_purchase_is_previous_day_in_us(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "us.txt",
        HEADER_32,
        [
            # 03:00 UTC on 2 March is 19:00 PST on 1 March.
            us_line("111-0000009-0000001", "A", "1", "10.00", purchase_date="2026-03-02T03:00:00+00:00"),
            # An offset written by Amazon in local time: 20:00 -08:00 on 2 March is 04:00 UTC on 3 March.
            us_line("111-0000009-0000002", "A", "1", "10.00", purchase_date="2026-03-02T20:00:00-08:00"),
        ],
    )
    workspace.import_file(path, NA)
    assert q(workspace, "SELECT order_id, purchase_ts, purchase_date FROM order_lines ORDER BY order_id") == [
        ("111-0000009-0000001", _utc(2026, 3, 2, 3, 0), date(2026, 3, 1)),
        ("111-0000009-0000002", _utc(2026, 3, 3, 4, 0), date(2026, 3, 2)),
    ]


def test_one_file_with_two_marketplaces_dates_each_line_in_its_own_zone(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = write_tsv(
        tmp_path / "eu.txt",
        HEADER_32,
        [
            # Times without an offset are local wall-clock readings of each line's marketplace.
            de_line("302-0000010-0000001", "2026-03-02 00:30:00"),
            de_line("202-0000010-0000002", "2026-03-02 00:30:00", sales_channel="Amazon.co.uk",
                    currency="GBP", price="20.00", tax="3.33"),
        ],
    )  # fmt: skip
    workspace.import_file(path, EU)
    assert q(
        workspace,
        "SELECT order_id, marketplace, purchase_ts, purchase_date, currency, tax_included FROM order_lines "
        "ORDER BY order_id",
    ) == [
        # 00:30 in London (GMT) is 00:30 UTC; 00:30 in Berlin (CET) is 23:30 UTC the day before.
        ("202-0000010-0000002", "UK", _utc(2026, 3, 2, 0, 30), date(2026, 3, 2), "GBP", True),
        ("302-0000010-0000001", "DE", _utc(2026, 3, 1, 23, 30), date(2026, 3, 2), "EUR", True),
    ]


def test_us_and_ca_lines_of_a_unified_account(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "na.txt",
        HEADER_32,
        [
            us_line("111-0000011-0000001", "A", "1", "10.00", "0.80"),
            us_line(
                "702-0000011-0000002", "A", "2", "26.00", "3.38", sales_channel="Amazon.ca", currency="CAD"
            ),
        ],
    )
    workspace.import_file(path, NA)
    assert q(
        workspace,
        "SELECT marketplace, currency, sum(item_price), sum(quantity), bool_and(NOT tax_included) "
        "FROM order_lines GROUP BY 1, 2 ORDER BY 1",
    ) == [("CA", "CAD", Decimal("26.00"), 2, True), ("US", "USD", Decimal("10.00"), 1, True)]


def _utc(*parts: int) -> object:
    from datetime import UTC, datetime

    return datetime(*parts, tzinfo=UTC)


# -- statuses --------------------------------------------------------------------------------------------
def test_cancelled_and_pending_lines_are_flagged(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "statuses.txt",
        HEADER_32,
        [
            us_line("111-0000002-0000001", "A", "2", "39.98"),
            us_line("111-0000002-0000002", "A", "0", "", order_status="Cancelled", item_status="Cancelled",
                    currency=""),
            us_line("111-0000002-0000003", "B", "1", "20.00", order_status="Pending",
                    item_status="Unshipped"),
            # A shipped order with one cancelled line: only that line is cancelled.
            us_line("111-0000002-0000004", "A", "1", "19.99"),
            us_line("111-0000002-0000004", "B", "0", "0.00", item_status="Cancelled"),
        ],
    )  # fmt: skip
    workspace.import_file(path, NA)
    assert q(
        workspace,
        "SELECT order_id, line_no, is_cancelled, is_pending, quantity, item_price FROM order_lines "
        "ORDER BY order_id, line_no",
    ) == [
        ("111-0000002-0000001", 1, False, False, 2, Decimal("39.98")),
        ("111-0000002-0000002", 1, True, False, 0, None),
        ("111-0000002-0000003", 1, False, True, 1, Decimal("20.00")),
        ("111-0000002-0000004", 1, False, False, 1, Decimal("19.99")),
        ("111-0000002-0000004", 2, True, False, 0, Decimal("0.00")),
    ]
    # gmv / units / orders by the kpis.md rules: 39.98 + 20.00 + 19.99; 2 + 1 + 1; three orders.
    assert q(
        workspace,
        "SELECT sum(item_price), sum(quantity), count(DISTINCT order_id) FROM order_lines "
        "WHERE NOT is_cancelled",
    ) == [(Decimal("79.97"), 4, 3)]


# -- re-imports ------------------------------------------------------------------------------------------
def test_reimporting_the_same_file_changes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(tmp_path / "orders.txt", HEADER_32, [us_line("111-0000003-0000001", "A", "1", "10.00")])
    first = workspace.import_file(path, NA)
    again = workspace.import_file(path, NA)
    assert again.already_imported_as == first.import_id
    assert again.rows_loaded == {}
    assert q(workspace, "SELECT count(*) FROM order_lines") == [(1,)]
    assert q(workspace, "SELECT count(*) FROM imports") == [(1,)]


def test_overlapping_file_replaces_the_lines_of_its_orders(workspace: Workspace, tmp_path: Path) -> None:
    first = write_tsv(
        tmp_path / "week1.txt",
        HEADER_32,
        [
            us_line("111-0000004-0000001", "A", "1", "10.00"),
            us_line("111-0000004-0000002", "A", "1", "10.00", order_status="Pending"),
            us_line("111-0000004-0000002", "B", "2", "30.00", order_status="Pending"),
        ],
    )
    # The pending order shipped without its B line; a new order arrived.
    second = write_tsv(
        tmp_path / "week2.txt",
        HEADER_32,
        [
            us_line("111-0000004-0000002", "A", "1", "10.00"),
            us_line("111-0000004-0000003", "C", "3", "45.00"),
        ],
    )
    workspace.import_file(first, NA)
    result = workspace.import_file(second, NA)
    assert result.rows_loaded == {"order_lines": 2}
    assert result.rows_replaced == {"order_lines": 2}
    assert q(
        workspace,
        "SELECT order_id, line_no, sku, quantity, item_price, is_pending FROM order_lines "
        "ORDER BY order_id, line_no",
    ) == [
        ("111-0000004-0000001", 1, "A", 1, Decimal("10.00"), False),
        ("111-0000004-0000002", 1, "A", 1, Decimal("10.00"), False),
        ("111-0000004-0000003", 1, "C", 3, Decimal("45.00"), False),
    ]
    assert q(workspace, "SELECT rows_loaded, rows_replaced FROM imports ORDER BY imported_at, import_id") == [
        (3, 0),
        (2, 2),
    ]


# -- encodings and bad values ------------------------------------------------------------------------------
def test_cp1252_file_keeps_accents_and_low_quotes(workspace: Workspace, tmp_path: Path) -> None:
    names = ["Café-Tasse „Morgen“", "Crème brûlée set"]
    path = write_tsv(
        tmp_path / "cp1252.txt",
        HEADER_32,
        [
            de_line("302-0000005-0000001", "2026-03-05T10:00:00+00:00", product_name=names[0]),
            de_line("302-0000005-0000002", "2026-03-05T11:00:00+00:00", product_name=names[1]),
        ],
        encoding="cp1252",
    )
    assert "„".encode("cp1252") == b"\x84"  # the file really is cp1252, not UTF-8
    workspace.import_file(path, EU)
    assert [r[0] for r in q(workspace, "SELECT product_name FROM order_lines ORDER BY order_id")] == names
    assert q(workspace, "SELECT encoding FROM imports") == [("cp1252",)]


def test_non_number_price_names_row_column_and_value(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "bad_price.txt",
        HEADER_32,
        [
            us_line("111-0000006-0000001", "A", "1", "10.00"),
            us_line("111-0000006-0000002", "A", "1", "ten dollars"),
        ],
    )
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, NA)
    problems = info.value.problems
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.row, p.column, p.value) == ("bad_price.txt", 3, "item-price", "ten dollars")
    assert "a number like 1,234.56" in (p.expected or "")
    assert "bad_price.txt, row 3, column 'item-price'" in str(info.value)
    assert q(workspace, "SELECT count(*) FROM order_lines") == [(0,)]
    assert q(workspace, "SELECT count(*) FROM imports") == [(0,)]


def test_unknown_sales_channel_without_marketplace_is_a_problem(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "mcf.txt",
        HEADER_32,
        [de_line("S02-0000007-0000001", "2026-03-05T10:00:00+00:00", sales_channel="Non-Amazon")],
    )
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, EU)
    p = info.value.problems[0]
    assert (p.row, p.column, p.value) == (2, "sales-channel", "Non-Amazon")


# -- the public header-only sample ----------------------------------------------------------------------
def test_public_archived_orders_header_is_detected_and_rejected_clearly(
    workspace: Workspace, public_fixture: Callable[[str], Path]
) -> None:
    path = public_fixture("airbyte_fixture__GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE.tsv")
    header = path.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header == HEADER_34
    detected = detect_table([normalise_header(h) for h in header], "text")
    assert detected is not None and detected[0].id == "amazon_all_orders"
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, EU)
    assert [(p.row, p.message) for p in info.value.problems] == [
        (2, "this row repeats the header line of the Amazon All Orders report"),
        (3, "this row repeats the header line of the Amazon All Orders report"),
    ]
    assert q(workspace, "SELECT count(*) FROM imports") == [(0,)]
