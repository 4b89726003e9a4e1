"""Amazon FBA customer returns: both order-id headers, date layouts, local return dates per row, and the
marketplace of each row from --marketplace, the imported orders, or the account's only marketplace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.conftest import write_tsv
from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected
from tradewind.ingest.headers import normalise_header
from tradewind.ingest.registry import detect_table
from tradewind.ingest.spec import ImportOptions
from tradewind.store.config import Account

#: The file's header (report-formats §3.3, Airbyte fixture and caponica).
HEADER = [
    "return-date",
    "order-id",
    "sku",
    "asin",
    "fnsku",
    "product-name",
    "quantity",
    "fulfillment-center-id",
    "detailed-disposition",
    "reason",
    "status",
    "license-plate-number",
    "customer-comments",
]
ORDERS_HEADER = [
    "amazon-order-id",
    "purchase-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "sku",
    "quantity",
    "currency",
    "item-price",
]


def ret(when: str, order_id: str, sku: str = "MUG-1", qty: str = "1", **more: str) -> list[str]:
    cells = {
        "return-date": when,
        "order-id": order_id,
        "sku": sku,
        "asin": "B0MUG00001",
        "fnsku": "X0MUG00001",
        "product-name": "Mug",
        "quantity": qty,
        "fulfillment-center-id": "PHX7",
        "detailed-disposition": "SELLABLE",
        "reason": "NOT_AS_DESCRIBED",
        "status": "Unit returned to inventory",
        "license-plate-number": f"LPN{order_id[-3:]}",
        "customer-comments": "",
    }
    cells.update({k.replace("_", "-"): v for k, v in more.items()})
    return [cells[h] for h in HEADER]


def import_orders(ws: Workspace, tmp_path: Path, account: str, orders: list[tuple[str, str]]) -> None:
    """All Orders lines placing each (order id, sales channel) in its marketplace."""
    rows = [
        [order_id, "2026-02-20T10:00:00+00:00", "Shipped", "Amazon", channel, "MUG-1", "1", "", "10.00"]
        for order_id, channel in orders
    ]
    ws.import_file(write_tsv(tmp_path / f"orders-{account}.txt", ORDERS_HEADER, rows), ImportOptions(account))


def q(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    return ws.facts.query(sql)


# -- dates ---------------------------------------------------------------------------------------------
def test_iso_return_dates_are_the_marketplace_local_day(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "returns.txt",
        HEADER,
        [
            ret("2026-03-02T03:00:00+00:00", "111-0000001-0000001"),  # 19:00 PST on 1 March
            ret("2026-03-02T09:00:00+00:00", "111-0000001-0000002", qty="2"),  # 01:00 PST on 2 March
        ],
    )
    result = workspace.import_file(path, ImportOptions(account="acme-na", marketplace="US"))
    assert result.report_type == "amazon_fba_returns"
    assert q(
        workspace,
        "SELECT account_id, marketplace, source, return_ts, return_date, order_id, sku, asin, fnsku, "
        "product_name, quantity, refund_amount, currency, fulfillment_center_id, detailed_disposition, "
        "reason, status, license_plate_number, customer_comments, source_row FROM customer_returns "
        "ORDER BY source_row",
    ) == [
        ("acme-na", "US", "fba_returns", datetime(2026, 3, 2, 3, 0, tzinfo=UTC), date(2026, 3, 1),
         "111-0000001-0000001", "MUG-1", "B0MUG00001", "X0MUG00001", "Mug", 1, None, None, "PHX7", "SELLABLE",
         "NOT_AS_DESCRIBED", "Unit returned to inventory", "LPN001", None, 2),
        ("acme-na", "US", "fba_returns", datetime(2026, 3, 2, 9, 0, tzinfo=UTC), date(2026, 3, 2),
         "111-0000001-0000002", "MUG-1", "B0MUG00001", "X0MUG00001", "Mug", 2, None, None, "PHX7", "SELLABLE",
         "NOT_AS_DESCRIBED", "Unit returned to inventory", "LPN002", None, 3),
    ]  # fmt: skip


def test_dd_mm_yyyy_dates_are_taken_as_written(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "returns.txt",
        HEADER,
        [ret("05-03-2026", "302-0000001-0000001"), ret("31-03-2026", "302-0000001-0000002")],
    )
    workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="DE"))
    # A bare date names a day, not an instant: no return_ts.
    assert q(workspace, "SELECT return_ts, return_date FROM customer_returns ORDER BY source_row") == [
        (None, date(2026, 3, 5)),
        (None, date(2026, 3, 31)),
    ]


def test_times_without_offset_are_read_in_the_rows_marketplace(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(tmp_path / "returns.txt", HEADER, [ret("2026-03-01 23:30:00", "302-0000002-0000001")])
    workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="DE"))
    # 23:30 in Berlin (CET, UTC+1) is 22:30 UTC, on 1 March locally.
    assert q(workspace, "SELECT return_ts, return_date FROM customer_returns") == [
        (datetime(2026, 3, 1, 22, 30, tzinfo=UTC), date(2026, 3, 1))
    ]


def test_amazon_order_id_header_of_the_help_pages_is_accepted(workspace: Workspace, tmp_path: Path) -> None:
    header = ["amazon-order-id" if h == "order-id" else h for h in HEADER]
    path = write_tsv(
        tmp_path / "returns.txt", header, [ret("2026-03-10T12:00:00+00:00", "111-0000003-0000001")]
    )
    workspace.import_file(path, ImportOptions(account="acme-na", marketplace="US"))
    assert q(workspace, "SELECT order_id, return_date FROM customer_returns") == [
        ("111-0000003-0000001", date(2026, 3, 10))
    ]


def test_unreadable_date_names_row_column_and_value(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "returns.txt",
        HEADER,
        [ret("2026-03-10T12:00:00+00:00", "111-0000004-0000001"), ret("yesterday", "111-0000004-0000002")],
    )
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, ImportOptions(account="acme-na", marketplace="US"))
    p = info.value.problems[0]
    assert (p.row, p.column, p.value) == (3, "return-date", "yesterday")
    assert q(workspace, "SELECT count(*) FROM customer_returns") == [(0,)]


# -- marketplace of each row -------------------------------------------------------------------------------
def test_marketplace_comes_from_the_imported_orders(workspace: Workspace, tmp_path: Path) -> None:
    import_orders(workspace, tmp_path, "acme-eu", [("302-0000005-0000001", "Amazon.de"),
                                                    ("202-0000005-0000002", "Amazon.co.uk")])  # fmt: skip
    path = write_tsv(
        tmp_path / "returns.txt",
        HEADER,
        [
            # The same instant, 23:30 UTC: 00:30 on 2 March in Berlin, 23:30 on 1 March in London.
            ret("2026-03-01T23:30:00+00:00", "302-0000005-0000001"),
            ret("2026-03-01T23:30:00+00:00", "202-0000005-0000002"),
        ],
    )
    workspace.import_file(path, ImportOptions(account="acme-eu"))
    assert q(
        workspace, "SELECT order_id, marketplace, return_date FROM customer_returns ORDER BY order_id"
    ) == [
        ("202-0000005-0000002", "UK", date(2026, 3, 1)),
        ("302-0000005-0000001", "DE", date(2026, 3, 2)),
    ]


def test_orders_of_another_account_do_not_count(workspace: Workspace, tmp_path: Path) -> None:
    import_orders(workspace, tmp_path, "acme-na", [("302-0000006-0000001", "Amazon.com")])
    path = write_tsv(
        tmp_path / "returns.txt", HEADER, [ret("2026-03-01T12:00:00+00:00", "302-0000006-0000001")]
    )
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, ImportOptions(account="acme-eu"))
    p = info.value.problems[0]
    assert (p.row, p.column, p.value) == (2, "order-id", "302-0000006-0000001")


def test_each_unresolved_row_is_a_problem_asking_for_marketplace(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_orders(workspace, tmp_path, "acme-eu", [("302-0000007-0000001", "Amazon.de")])
    path = write_tsv(
        tmp_path / "returns.txt",
        HEADER,
        [
            ret("2026-03-01T12:00:00+00:00", "302-0000007-0000001"),
            ret("2026-03-01T12:00:00+00:00", "302-0000007-0000002"),
            ret("2026-03-01T12:00:00+00:00", "302-0000007-0000003"),
        ],
    )
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, ImportOptions(account="acme-eu"))
    assert [(p.row, p.value) for p in info.value.problems] == [
        (3, "302-0000007-0000002"),
        (4, "302-0000007-0000003"),
    ]
    assert "--marketplace" in (info.value.problems[0].expected or "")
    assert q(workspace, "SELECT count(*) FROM customer_returns") == [(0,)]


def test_marketplace_option_applies_to_every_row(workspace: Workspace, tmp_path: Path) -> None:
    import_orders(workspace, tmp_path, "acme-eu", [("302-0000008-0000001", "Amazon.de")])
    rows = [
        ret("2026-03-01T12:00:00+00:00", "302-0000008-0000001"),
        ret("2026-03-01T12:00:00+00:00", "402-0000008-0000002"),
    ]
    path = write_tsv(tmp_path / "returns.txt", HEADER, rows)
    workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="FR"))
    assert q(workspace, "SELECT DISTINCT marketplace FROM customer_returns") == [("FR",)]
    assert q(workspace, "SELECT marketplace FROM imports WHERE report_type = 'amazon_fba_returns'") == [
        ("FR",)
    ]


def test_account_with_one_marketplace_needs_nothing_more(workspace: Workspace, tmp_path: Path) -> None:
    workspace.add_account(Account(id="solo-ca", name="Solo CA", marketplaces=("CA",)))
    path = write_tsv(
        tmp_path / "returns.txt", HEADER, [ret("2026-03-01T12:00:00+00:00", "702-0000009-0000001")]
    )
    workspace.import_file(path, ImportOptions(account="solo-ca"))
    assert q(workspace, "SELECT account_id, marketplace, return_date FROM customer_returns") == [
        ("solo-ca", "CA", date(2026, 3, 1))
    ]


# -- re-imports --------------------------------------------------------------------------------------------
def test_overlapping_download_replaces_the_same_returns(workspace: Workspace, tmp_path: Path) -> None:
    options = ImportOptions(account="acme-na", marketplace="US")
    first = write_tsv(
        tmp_path / "march.txt",
        HEADER,
        [
            ret("2026-03-10T12:00:00+00:00", "111-0000010-0000001", status="Pending"),
            ret("2026-03-11T12:00:00+00:00", "111-0000010-0000002"),
        ],
    )
    second = write_tsv(
        tmp_path / "march-later.txt",
        HEADER,
        [
            ret("2026-03-10T12:00:00+00:00", "111-0000010-0000001", status="Reimbursed"),
            ret("2026-03-20T12:00:00+00:00", "111-0000010-0000003", qty="3"),
        ],
    )
    workspace.import_file(first, options)
    result = workspace.import_file(second, options)
    assert result.rows_loaded == {"customer_returns": 2}
    assert result.rows_replaced == {"customer_returns": 1}
    assert q(workspace, "SELECT order_id, status, quantity FROM customer_returns ORDER BY order_id") == [
        ("111-0000010-0000001", "Reimbursed", 1),
        ("111-0000010-0000002", "Unit returned to inventory", 1),
        ("111-0000010-0000003", "Unit returned to inventory", 3),
    ]
    # refund_units of March by the kpis.md rule: 1 + 1 + 3.
    assert q(workspace, "SELECT sum(quantity) FROM customer_returns WHERE return_date BETWEEN '2026-03-01' "
                        "AND '2026-03-31'") == [(5,)]  # fmt: skip


# -- the public header-only sample -------------------------------------------------------------------------
def test_public_returns_header_is_detected_and_rejected_clearly(
    workspace: Workspace, public_fixture: Callable[[str], Path]
) -> None:
    path = public_fixture("airbyte_fixture__GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.tsv")
    header = path.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header == HEADER
    detected = detect_table([normalise_header(h) for h in header], "text")
    assert detected is not None and detected[0].id == "amazon_fba_returns"
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, ImportOptions(account="acme-na", marketplace="US"))
    assert [(p.row, p.message) for p in info.value.problems] == [
        (2, "this row repeats the header line of the Amazon FBA customer returns report"),
        (3, "this row repeats the header line of the Amazon FBA customer returns report"),
    ]
    assert q(workspace, "SELECT count(*) FROM imports") == [(0,)]
