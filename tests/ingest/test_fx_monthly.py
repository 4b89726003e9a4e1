"""Monthly exchange rates (template `fx_monthly`): hand-made CSV and XLSX sheets, rates by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected
from tradewind.ingest.spec import ImportOptions

from ..conftest import write_csv

NO_ACCOUNT = ImportOptions()


def monthly(ws: Workspace) -> list[tuple[object, ...]]:
    return ws.facts.query(
        "SELECT account_id, source_row, rate_date, base, quote, rate FROM fx_rates WHERE kind = 'monthly' "
        "ORDER BY rate_date, base, quote"
    )


def test_months_as_people_type_them(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "fx.csv",
        ["month", "base", "quote", "rate"],
        [
            ["2026-01", "USD", "CNY", "7.1034"],
            ["2026/2", "usd", "cny", "7.0950"],
            ["2026年3月", "EUR", "CNY", "7.7512"],
            ["202604", "GBP", "USD", "1.2650"],
            ["2026-05-01", "USD", "JPY", "151.2"],
        ],
    )
    # Two accounts, no --account: monthly rates are shared like ECB rates.
    result = workspace.import_file(path, NO_ACCOUNT)
    assert result.rows_loaded == {"fx_rates": 5}
    assert monthly(workspace) == [
        ("*", 2, date(2026, 1, 1), "USD", "CNY", Decimal("7.10340000")),
        ("*", 3, date(2026, 2, 1), "USD", "CNY", Decimal("7.09500000")),
        ("*", 4, date(2026, 3, 1), "EUR", "CNY", Decimal("7.75120000")),
        ("*", 5, date(2026, 4, 1), "GBP", "USD", Decimal("1.26500000")),
        ("*", 6, date(2026, 5, 1), "USD", "JPY", Decimal("151.20000000")),
    ]
    assert workspace.facts.query("SELECT report_type, account_id, date_from, date_to FROM imports") == [
        ("fx_monthly", "*", date(2026, 1, 1), date(2026, 5, 31))
    ]


def test_xlsx_with_a_chinese_header_date_cells_and_numbers(workspace: Workspace, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["月份", "基准币种", "标价币种", "汇率"])
    ws.append([date(2026, 6, 1), "USD", "CNY", 7.1])  # Excel turns a typed 2026-06 into this date
    ws.append(["2026-07", "EUR", "CNY", 7.7512])
    ws.append(["2026-07", "IDR", "USD", 0.0000617])  # read from the XLSX as 6.17e-05
    path = tmp_path / "汇率.xlsx"
    wb.save(path)
    workspace.import_file(path, NO_ACCOUNT)
    assert monthly(workspace) == [
        ("*", 2, date(2026, 6, 1), "USD", "CNY", Decimal("7.10000000")),
        ("*", 3, date(2026, 7, 1), "EUR", "CNY", Decimal("7.75120000")),
        ("*", 4, date(2026, 7, 1), "IDR", "USD", Decimal("0.00006170")),
    ]


def test_a_new_sheet_for_the_same_month_replaces_the_rate(workspace: Workspace, tmp_path: Path) -> None:
    header = ["month", "base", "quote", "rate"]
    workspace.import_file(
        write_csv(tmp_path / "a.csv", header, [["2026-01", "USD", "CNY", "7.10"]]), NO_ACCOUNT
    )
    result = workspace.import_file(
        write_csv(
            tmp_path / "b.csv", header, [["2026-01", "USD", "CNY", "7.12"], ["2026-02", "USD", "CNY", "7.2"]]
        ),
        NO_ACCOUNT,
    )
    assert result.rows_replaced == {"fx_rates": 1}
    assert [(r[2], r[5]) for r in monthly(workspace)] == [
        (date(2026, 1, 1), Decimal("7.12000000")),
        (date(2026, 2, 1), Decimal("7.20000000")),
    ]


def test_values_that_cannot_be_read(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "fx.csv",
        ["month", "base", "quote", "rate"],
        [
            ["2026-01-15", "USD", "CNY", "7.1"],
            ["2026-02", "USD", "CNY", "7,10"],
            ["2026-13", "USD", "CNY", "7.1"],
            ["2026-03", "US$", "CNY", "7.1"],
            ["2026-04", "USD", "CNY", ""],
        ],
    )
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, NO_ACCOUNT)
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [
        (2, "month", "2026-01-15"),
        (3, "rate", "7,10"),
        (4, "month", "2026-13"),
        (5, "base", "US$"),
        (6, "rate", None),
    ]
    assert info.value.problems[0].expected == "a month like 2026-01"
    assert workspace.fact_counts()["fx_rates"] == 0


def test_rates_that_make_no_sense(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "fx.csv",
        ["month", "base", "quote", "rate"],
        [
            ["2026-01", "USD", "USD", "1"],
            ["2026-01", "USD", "CNY", "0"],
            ["2026-01", "IDR", "USD", "0.0000617283"],
            ["2026-01", "EUR", "CNY", "7.7512"],
        ],
    )
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, NO_ACCOUNT)
    assert [(p.row, p.column, p.message) for p in info.value.problems] == [
        (2, "quote", "base and quote are the same currency"),
        (3, "rate", "the rate must be more than 0"),
        (4, "rate", "the rate is too small to keep exactly (Tradewind keeps 8 decimals)"),
    ]


def test_the_same_pair_twice_in_a_month_is_a_problem(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "fx.csv",
        ["month", "base", "quote", "rate"],
        [["2026-01", "USD", "CNY", "7.10"], ["2026/1", "usd", "CNY", "7.11"]],
    )
    with pytest.raises(ImportRejected, match="rows 2, 3 describe the same fx rates"):
        workspace.import_file(path, NO_ACCOUNT)
