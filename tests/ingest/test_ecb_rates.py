"""ECB reference rates: the two public ECB files, and hand-made files for the layout variants.

Expected rates are copied by hand from the file text; counts are the non-`N/A` cells counted by hand
(hist excerpt: the 30 rows of 2025 quote 30 of the 41 currencies each, the 5 rows of 1999 quote 27).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected
from tradewind.ingest.spec import ImportOptions

HIST = "ecb_eurofxref-hist__h0tbird_eurofxref__excerpt.csv"
DAILY = "ecb_eurofxref_daily__hashimminhas_SEB-ETL-HOMEWORK.csv"
NO_ACCOUNT = ImportOptions()


def rate(ws: Workspace, day: str, quote: str) -> Decimal | None:
    rows = ws.facts.query(
        "SELECT rate FROM fx_rates WHERE kind = 'ecb' AND base = 'EUR' AND rate_date = ? AND quote = ?",
        [day, quote],
    )
    assert len(rows) <= 1
    return rows[0][0] if rows else None


def test_public_hist_file(workspace: Workspace, public_fixture: Callable[[str], Path]) -> None:
    # The workspace has two accounts and no --account is given: rates belong to every account.
    result = workspace.import_file(public_fixture(HIST), NO_ACCOUNT)
    assert result.rows_loaded == {"fx_rates": 30 * 30 + 5 * 27}
    assert rate(workspace, "2025-05-09", "USD") == Decimal("1.1252")
    assert rate(workspace, "2025-05-09", "JPY") == Decimal("163.36")
    assert rate(workspace, "2025-05-09", "GBP") == Decimal("0.8477")
    assert rate(workspace, "2025-05-09", "IDR") == Decimal("18606.59")
    assert rate(workspace, "2025-04-23", "GBP") == Decimal("0.85793")
    assert rate(workspace, "2025-03-26", "ZAR") == Decimal("19.6974")
    assert rate(workspace, "1999-01-04", "USD") == Decimal("1.1789")
    assert rate(workspace, "1999-01-04", "CYP") == Decimal("0.58231")
    assert rate(workspace, "1999-01-04", "TRL") == Decimal("372274")
    assert rate(workspace, "2025-05-09", "CYP") is None  # N/A: the pound left for the euro in 2008
    assert rate(workspace, "1999-01-04", "CNY") is None
    assert workspace.facts.query("SELECT DISTINCT account_id, marketplace, kind, base FROM fx_rates") == [
        ("*", None, "ecb", "EUR")
    ]
    assert workspace.facts.query(
        "SELECT source_row FROM fx_rates WHERE rate_date = '2025-05-09' AND quote = 'USD'"
    ) == [(2,)]
    assert workspace.facts.query("SELECT report_type, account_id, date_from, date_to FROM imports") == [
        ("ecb_rates", "*", date(1999, 1, 4), date(2025, 5, 9))
    ]
    again = workspace.import_file(public_fixture(HIST), ImportOptions(account="acme-eu"))
    assert again.already_imported_as == result.import_id


def test_public_daily_file(workspace: Workspace, public_fixture: Callable[[str], Path]) -> None:
    result = workspace.import_file(public_fixture(DAILY), NO_ACCOUNT)
    assert result.rows_loaded == {"fx_rates": 29}
    assert rate(workspace, "2026-02-06", "USD") == Decimal("1.1794")
    assert rate(workspace, "2026-02-06", "GBP") == Decimal("0.86790")
    assert rate(workspace, "2026-02-06", "CZK") == Decimal("24.240")
    assert rate(workspace, "2026-02-06", "IDR") == Decimal("19900.00")
    assert rate(workspace, "2026-02-06", "ZAR") == Decimal("19.0170")
    assert rate(workspace, "2026-02-06", "BGN") is None  # Bulgaria joined the euro on 2026-01-01
    assert workspace.facts.query("SELECT DISTINCT rate_date FROM fx_rates") == [(date(2026, 2, 6),)]


def test_columns_by_name_and_a_new_currency(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text(
        "Date,GBP,USD,VND,JPY,CHF,\n"
        "2026-02-06,0.86790,1.1794,N/A,185.27,0.9175,\n"
        "2026-02-05,0.86500,1.1780,30000.5,184.50,,\n",
        encoding="utf-8",
    )
    result = workspace.import_file(path, NO_ACCOUNT)
    assert result.rows_loaded == {"fx_rates": 8}
    assert workspace.facts.query("SELECT rate_date, quote, rate, source_row FROM fx_rates ORDER BY 1, 2") == [
        (date(2026, 2, 5), "GBP", Decimal("0.86500000"), 3),
        (date(2026, 2, 5), "JPY", Decimal("184.50000000"), 3),
        (date(2026, 2, 5), "USD", Decimal("1.17800000"), 3),
        (date(2026, 2, 5), "VND", Decimal("30000.50000000"), 3),
        (date(2026, 2, 6), "CHF", Decimal("0.91750000"), 2),
        (date(2026, 2, 6), "GBP", Decimal("0.86790000"), 2),
        (date(2026, 2, 6), "JPY", Decimal("185.27000000"), 2),
        (date(2026, 2, 6), "USD", Decimal("1.17940000"), 2),
    ]


def test_a_newer_file_replaces_overlapping_days(workspace: Workspace, tmp_path: Path) -> None:
    hist = tmp_path / "eurofxref-hist.csv"
    hist.write_text("Date,USD,JPY,GBP,\n2026-02-05,1.1780,184.50,0.86500,\n", encoding="utf-8")
    workspace.import_file(hist, NO_ACCOUNT)
    daily = tmp_path / "eurofxref.csv"
    daily.write_text("Date, USD, JPY, GBP, \n05 February 2026, 1.1781, 184.50, 0.86500, \n", encoding="utf-8")
    result = workspace.import_file(daily, NO_ACCOUNT)
    assert result.rows_loaded == {"fx_rates": 3}
    assert result.rows_replaced == {"fx_rates": 3}
    assert rate(workspace, "2026-02-05", "USD") == Decimal("1.1781")
    assert workspace.fact_counts()["fx_rates"] == 3


def test_bad_rates_name_row_column_and_value(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text(
        "Date,USD,JPY,GBP,\n"
        "2026-02-06,1.17.94,185.27,0.86790,\n"
        "2026-02-05,1.1780,184.50,-0.865,\n"
        "2026-02-04,1.1770,0,0.86400,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, NO_ACCOUNT)
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [
        (2, "USD", "1.17.94"),
        (3, "GBP", "-0.865"),
        (4, "JPY", "0"),
    ]
    assert "a rate above 0 with a dot decimal" in str(info.value)
    assert workspace.fact_counts()["fx_rates"] == 0
    assert workspace.imports() == []


def test_bad_date_and_unknown_column(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text(
        "Date,USD,JPY,GBP,Source,\n2026-02-06,1.1794,185.27,0.86790,ECB,\n2026-02-31,1.1780,184.50,0.865,ECB,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, NO_ACCOUNT)
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [(3, "Date", "2026-02-31")]
    path.write_text("Date,USD,JPY,GBP,Source,\n2026-02-06,1.1794,185.27,0.86790,ECB,\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, NO_ACCOUNT)
    assert [(p.row, p.column, p.message) for p in info.value.problems] == [
        (1, "Source", "unexpected column in an ECB rates file")
    ]


def test_the_same_day_twice_is_a_problem(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text(
        "Date,USD,JPY,GBP,\n2026-02-06,1.1794,185.27,0.86790,\n2026-02-06,1.1794,185.27,0.86790,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected, match="rows 2, 3 describe the same fx rates"):
        workspace.import_file(path, NO_ACCOUNT)
