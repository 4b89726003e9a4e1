"""Amazon Manage FBA Inventory: snapshot date and marketplace from outside the file, optional columns,
snapshots replacing their day, and dates read from file names only where they cannot mean two days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import write_tsv
from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected, NeedsOption
from tradewind.ingest.filename_dates import date_in_file_name
from tradewind.ingest.headers import normalise_header
from tradewind.ingest.registry import detect_table
from tradewind.ingest.spec import ImportOptions
from tradewind.store.config import Account

#: The 21 columns of report-formats §3.2 (Airbyte fixture).
HEADER = [
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "your-price",
    "mfn-listing-exists",
    "mfn-fulfillable-quantity",
    "afn-listing-exists",
    "afn-warehouse-quantity",
    "afn-fulfillable-quantity",
    "afn-unsellable-quantity",
    "afn-reserved-quantity",
    "afn-total-quantity",
    "per-unit-volume",
    "afn-inbound-working-quantity",
    "afn-inbound-shipped-quantity",
    "afn-inbound-receiving-quantity",
    "afn-researching-quantity",
    "afn-reserved-future-supply",
    "afn-future-supply-buyable",
]
DE = ImportOptions(account="acme-eu", marketplace="DE", snapshot_date=date(2026, 3, 31))


def stock(header: list[str], sku: str, **values: str) -> list[str]:
    """One SKU row; keyword names are header names with `_` for `-`. Unnamed counts are 0."""
    cells = {
        "sku": sku,
        "fnsku": f"X00{sku}",
        "asin": f"B0{sku}",
        "product-name": f"Product {sku}",
        "condition": "New",
        "your-price": "19.99",
        "mfn-listing-exists": "No",
        "afn-listing-exists": "Yes",
        "per-unit-volume": "0.12",
    }
    cells.update({k.replace("_", "-"): v for k, v in values.items()})
    unknown = set(cells) - set(header)
    assert not unknown, f"not in this header: {unknown}"
    return [cells.get(h, "" if h == "mfn-fulfillable-quantity" else "0") for h in header]


def q(ws: Workspace, sql: str, *params: object) -> list[tuple[object, ...]]:
    return ws.facts.query(sql, list(params))


# -- the 21-column file ----------------------------------------------------------------------------------
def test_every_column_of_a_snapshot_is_loaded(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        stock(
            HEADER,
            "MUG-1",
            your_price="12,99",  # DE writes a decimal comma; detected for the file
            afn_warehouse_quantity="15",
            afn_fulfillable_quantity="10",
            afn_unsellable_quantity="2",
            afn_reserved_quantity="3",
            afn_total_quantity="20",
            afn_inbound_working_quantity="1",
            afn_inbound_shipped_quantity="3",
            afn_inbound_receiving_quantity="1",
            afn_researching_quantity="4",
        ),
        stock(HEADER, "MUG-2", your_price="1.234,50", mfn_listing_exists="Yes", mfn_fulfillable_quantity="7",
              afn_listing_exists="No"),
    ]  # fmt: skip
    result = workspace.import_file(write_tsv(tmp_path / "inventory.txt", HEADER, rows), DE)
    assert result.report_type == "amazon_fba_inventory"
    assert result.rows_loaded == {"inventory_snapshots": 2}
    assert q(
        workspace,
        "SELECT account_id, marketplace, snapshot_date, sku, fnsku, asin, product_name, condition, "
        "your_price, currency, mfn_listing_exists, afn_listing_exists, mfn_fulfillable, afn_warehouse, "
        "afn_fulfillable, "
        "afn_unsellable, afn_reserved, afn_total, inbound_working, inbound_shipped, inbound_receiving, "
        "researching, store, afn_fulfillable_local, afn_fulfillable_remote, source_row "
        "FROM inventory_snapshots ORDER BY sku",
    ) == [
        ("acme-eu", "DE", date(2026, 3, 31), "MUG-1", "X00MUG-1", "B0MUG-1", "Product MUG-1", "New",
         Decimal("12.99"), "EUR", False, True, None, 15, 10, 2, 3, 20, 1, 3, 1, 4, None, None, None, 2),
        ("acme-eu", "DE", date(2026, 3, 31), "MUG-2", "X00MUG-2", "B0MUG-2", "Product MUG-2", "New",
         Decimal("1234.50"), "EUR", True, False, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, None, None, None, 3),
    ]  # fmt: skip
    assert q(workspace, "SELECT decimal_style, date_from, date_to, marketplace FROM imports") == [
        ("comma", date(2026, 3, 31), date(2026, 3, 31), "DE")
    ]


def test_store_and_pan_eu_columns_are_read_when_present(workspace: Workspace, tmp_path: Path) -> None:
    header = [
        *HEADER[:11],
        "afn-fulfillable-quantity-local",
        "afn-fulfillable-quantity-remote",
        *HEADER[11:],
        "store",
    ]
    rows = [
        stock(header, "PAN-1", afn_fulfillable_quantity="12", afn_fulfillable_quantity_local="5",
              afn_fulfillable_quantity_remote="7", afn_warehouse_quantity="12", afn_total_quantity="12",
              store="Acme Store DE"),
    ]  # fmt: skip
    result = workspace.import_file(write_tsv(tmp_path / "pan_eu.txt", header, rows), DE)
    assert q(
        workspace,
        "SELECT sku, afn_fulfillable, afn_fulfillable_local, afn_fulfillable_remote, store "
        "FROM inventory_snapshots",
    ) == [("PAN-1", 12, 5, 7, "Acme Store DE")]
    assert q(
        workspace,
        "SELECT report_variant FROM imports WHERE import_id = ?",
        result.import_id,
    ) == [("pan_eu+store",)]


def test_a_new_file_for_the_same_day_replaces_that_snapshot(workspace: Workspace, tmp_path: Path) -> None:
    day1 = write_tsv(
        tmp_path / "a.txt",
        HEADER,
        [stock(HEADER, "A", afn_fulfillable_quantity="5"), stock(HEADER, "B", afn_fulfillable_quantity="6")],
    )
    day2 = write_tsv(tmp_path / "b.txt", HEADER, [stock(HEADER, "A", afn_fulfillable_quantity="4")])
    again = write_tsv(tmp_path / "c.txt", HEADER, [stock(HEADER, "A", afn_fulfillable_quantity="3")])
    workspace.import_file(day1, DE)
    workspace.import_file(
        day2, ImportOptions(account="acme-eu", marketplace="DE", snapshot_date=date(2026, 4, 1))
    )
    # The 31 March snapshot downloaded again later: B is gone from it, A has 3.
    result = workspace.import_file(again, DE)
    assert result.rows_replaced == {"inventory_snapshots": 2}
    assert q(
        workspace, "SELECT snapshot_date, sku, afn_fulfillable FROM inventory_snapshots ORDER BY 1, 2"
    ) == [
        (date(2026, 3, 31), "A", 3),
        (date(2026, 4, 1), "A", 4),
    ]


# -- marketplace and date from outside the file ----------------------------------------------------------
def test_account_with_several_marketplaces_needs_marketplace_option(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = write_tsv(tmp_path / "inventory_2026-03-31.txt", HEADER, [stock(HEADER, "A")])
    with pytest.raises(NeedsOption) as info:
        workspace.import_file(path, ImportOptions(account="acme-eu"))
    assert "--marketplace" in str(info.value)
    assert "UK, DE, FR, IT, ES" in str(info.value)
    assert q(workspace, "SELECT count(*) FROM imports") == [(0,)]


def test_account_with_one_marketplace_needs_no_option(workspace: Workspace, tmp_path: Path) -> None:
    workspace.add_account(Account(id="solo-uk", name="Solo UK", marketplaces=("UK",)))
    path = write_tsv(tmp_path / "inventory_2026-03-31.txt", HEADER, [stock(HEADER, "A", your_price="9.50")])
    workspace.import_file(path, ImportOptions(account="solo-uk"))
    assert q(
        workspace,
        "SELECT account_id, marketplace, snapshot_date, your_price, currency FROM inventory_snapshots",
    ) == [("solo-uk", "UK", date(2026, 3, 31), Decimal("9.50"), "GBP")]


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA_2026-03-31.txt", date(2026, 3, 31)),
        ("myi-20260331-report.txt", date(2026, 3, 31)),
        ("Inventory-31-03-2026.txt", date(2026, 3, 31)),  # only 31 March: there is no 31st month
        ("Inventory-3-31-26.txt", date(2026, 3, 31)),  # US M-D-YY
        ("inventory_2026_03_31.txt.gz", date(2026, 3, 31)),
    ],
)
def test_snapshot_date_is_read_from_an_unambiguous_file_name(
    workspace: Workspace, tmp_path: Path, name: str, day: date
) -> None:
    path = tmp_path / name
    write_tsv(tmp_path / "plain.txt", HEADER, [stock(HEADER, "A")])
    data = (tmp_path / "plain.txt").read_bytes()
    if name.endswith(".gz"):
        import gzip

        data = gzip.compress(data)
    path.write_bytes(data)
    result = workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="DE"))
    assert q(workspace, "SELECT DISTINCT snapshot_date FROM inventory_snapshots") == [(day,)]
    assert result.notes == (f"snapshot date {day.isoformat()} read from the file name",)


@pytest.mark.parametrize(
    ("name", "days"),
    [
        ("Inventory-03-04-2026.txt", "2026-03-04 or 2026-04-03"),
        ("Inventory-8-04-26.txt", "2026-04-08 or 2026-08-04"),
        ("inventory_2026-03-01_to_2026-03-31.txt", "2026-03-01 or 2026-03-31"),
    ],
)
def test_ambiguous_file_name_asks_for_date(
    workspace: Workspace, tmp_path: Path, name: str, days: str
) -> None:
    path = write_tsv(tmp_path / name, HEADER, [stock(HEADER, "A")])
    with pytest.raises(NeedsOption) as info:
        workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="DE"))
    assert days in str(info.value)
    assert "--date YYYY-MM-DD" in str(info.value)


def test_no_date_anywhere_asks_for_date_and_marketplace_at_once(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(tmp_path / "inventory.txt", HEADER, [stock(HEADER, "A")])
    with pytest.raises(NeedsOption) as info:
        workspace.import_file(path, ImportOptions(account="acme-eu"))
    message = str(info.value)
    assert message.startswith("inventory.txt: ")
    assert "--marketplace" in message and "--date YYYY-MM-DD" in message


def test_date_option_wins_over_the_file_name(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(tmp_path / "inventory_2026-03-30.txt", HEADER, [stock(HEADER, "A")])
    result = workspace.import_file(path, DE)
    assert q(workspace, "SELECT DISTINCT snapshot_date FROM inventory_snapshots") == [(date(2026, 3, 31),)]
    assert result.notes == ("the file name says 2026-03-30; the snapshot is dated 2026-03-31 as --date says",)


@pytest.mark.parametrize(
    ("name", "day", "candidates"),
    [
        ("BusinessReport-23-07-2025.csv", date(2025, 7, 23), 1),
        ("BusinessReport-3-30-26.csv", date(2026, 3, 30), 1),
        ("Active+Listings+Report_02-26-2026.csv", date(2026, 2, 26), 1),
        ("BusinessReport-02.12.25.csv", None, 2),  # 2 December or 12 February 2025
        ("report_12345678901.txt", None, 0),  # a report id, not a date
        ("inventory-2026-13-01.txt", None, 0),  # no 13th month, no 2026th day
        ("inventory-v1.2.3.txt", None, 0),
        ("inventory-20261301.txt", None, 0),
    ],
)
def test_date_in_file_name(name: str, day: date | None, candidates: int) -> None:
    found = date_in_file_name(name)
    assert found.day == day
    assert len(found.candidates) == candidates


# -- bad values ----------------------------------------------------------------------------------------------
def test_listing_exists_must_be_yes_or_no(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "bad.txt", HEADER, [stock(HEADER, "A"), stock(HEADER, "B", afn_listing_exists="Maybe")]
    )
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, DE)
    p = info.value.problems[0]
    assert (p.row, p.column, p.value, p.expected) == (
        3,
        "afn-listing-exists",
        "Maybe",
        "true/false or yes/no",
    )
    assert q(workspace, "SELECT count(*) FROM inventory_snapshots") == [(0,)]


def test_negative_stock_is_a_problem(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(tmp_path / "neg.txt", HEADER, [stock(HEADER, "A", afn_reserved_quantity="-2")])
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, DE)
    p = info.value.problems[0]
    assert (p.row, p.column, p.value, p.message) == (
        2,
        "afn-reserved-quantity",
        "-2",
        "a negative stock quantity",
    )


def test_same_sku_twice_is_a_problem(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(tmp_path / "dupe.txt", HEADER, [stock(HEADER, "A"), stock(HEADER, "A")])
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, DE)
    assert "rows 2, 3 describe the same inventory snapshots" in str(info.value)


# -- the public header-only sample -------------------------------------------------------------------------
def test_public_myi_header_is_detected_and_rejected_clearly(
    workspace: Workspace, public_fixture: Callable[[str], Path]
) -> None:
    path = public_fixture("airbyte_fixture__GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA.tsv")
    header = path.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header == HEADER
    detected = detect_table([normalise_header(h) for h in header], "text")
    assert detected is not None and detected[0].id == "amazon_fba_inventory"
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, DE)
    assert [(p.row, p.message) for p in info.value.problems] == [
        (2, "this row repeats the header line of the Amazon Manage FBA Inventory report"),
        (3, "this row repeats the header line of the Amazon Manage FBA Inventory report"),
    ]
    assert q(workspace, "SELECT count(*) FROM imports") == [(0,)]
