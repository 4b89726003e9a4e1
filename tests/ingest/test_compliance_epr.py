"""EPR registrations and stock locations: categories in several languages, countries without a
marketplace, and bad rows (issue 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.compliance.sheets import closed as closed
from tests.compliance.sheets import problems, rejected, rows_of, write_sheet
from tests.compliance.sheets import ws as ws
from tradewind.app import Workspace
from tradewind.ingest.spec import ImportOptions

EU = ImportOptions(account="acme-eu")
EPR_HEADER = ["国家", "EPR类别", "EPR注册号", "注册机构", "生效日期", "失效日期"]
STOCK_HEADER = ["country", "location", "program", "sku", "stored_from", "stored_to"]


def test_categories_in_any_language(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        ["DE", "Verpackung", "DE 1234567890123", "LUCID", "2022-06-01", ""],
        ["DE", "WEEE", "DE12345678", "stiftung ear", "2023-01-01", ""],
        ["法国", "包装", "FR123456_01ABCD", "SYDEREP", "2022-01-01", "2026-12-31"],
        ["FR", "piles", "", "", "", ""],
        ["AT", "tyres", "", "", "", ""],  # a category of the user's own matrix
    ]
    ws.import_file(write_sheet(tmp_path / "epr.csv", EPR_HEADER, rows), EU)
    assert rows_of(
        ws,
        "SELECT country, marketplace, category, epr_number, register, valid_to, required FROM epr_registrations "
        "ORDER BY source_row",
    ) == [
        ("DE", "DE", "packaging", "DE1234567890123", "LUCID", None, True),
        ("DE", "DE", "eee", "DE12345678", "stiftung ear", None, True),
        ("FR", "FR", "packaging", "FR123456_01ABCD", "SYDEREP", date(2026, 12, 31), True),
        ("FR", "FR", "batteries", None, None, None, True),
        ("AT", None, "tyres", None, None, None, True),
    ]


def test_pan_eu_stock_in_poland_and_czechia(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        ["PL", "wro2", "泛欧", "", "2025-01-01", ""],
        ["Czechia", "PRG2", "pan-EU", "", "2025-01-01", ""],
        ["DE", "3PL Hamburg", "海外仓", "MUG-1", "2024-05-01", "2025-12-31"],
    ]
    ws.import_file(write_sheet(tmp_path / "stock.csv", STOCK_HEADER, rows), EU)
    assert rows_of(
        ws,
        "SELECT country, marketplace, location, program, sku, stored_to FROM stock_locations ORDER BY source_row",
    ) == [
        ("PL", "PL", "WRO2", "pan_eu", None, None),
        ("CZ", None, "PRG2", "pan_eu", None, None),
        ("DE", "DE", "3PL HAMBURG", "3pl", "MUG-1", date(2025, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["DE", "123", "DE1", "", "", ""], "column 'EPR类别': unknown EPR category (value '123')"),
        (["Narnia", "packaging", "X1", "", "", ""], "column '国家': unknown country (value 'Narnia')"),
        (["DE", "packaging", "X1", "7", "", ""], "column '注册机构': unexpected value (value '7')"),
        (
            ["DE", "packaging", "X1", "", "2023-01-01", "2022-01-01"],
            "column '失效日期': the registration ends",
        ),
    ],
    ids=["number-as-category", "unknown-country", "number-as-register", "ends-before-start"],
)
def test_bad_epr_row_rejects_the_whole_file(
    closed: Path, tmp_path: Path, row: list[str], expected: str
) -> None:
    good = ["FR", "packaging", "FR123456_01ABCD", "SYDEREP", "", ""]
    error = rejected(closed, write_sheet(tmp_path / "bad.csv", EPR_HEADER, [good, row]), EU)
    assert any(p.startswith(f"bad.csv, row 3, {expected}") for p in problems(error)), problems(error)


def test_bad_stock_row_rejects_the_whole_file(closed: Path, tmp_path: Path) -> None:
    rows = [["PL", "WRO2", "pan_eu", "", "", ""], ["CZ", "PRG2", "teleport", "", "", ""]]
    error = rejected(closed, write_sheet(tmp_path / "bad.csv", STOCK_HEADER, rows), EU)
    assert problems(error)[0].startswith("bad.csv, row 3, column 'program': unknown storage program")
