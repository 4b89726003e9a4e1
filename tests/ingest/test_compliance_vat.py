"""VAT registrations: national formats and checksums through python-stdnum, canonical numbers, the
`required` mark, replacement by country, and bad rows (issue 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.compliance.sheets import closed as closed
from tests.compliance.sheets import problems, rejected, rows_of, write_sheet
from tests.compliance.sheets import ws as ws
from tradewind.app import Workspace
from tradewind.ingest.registry import report_by_id
from tradewind.ingest.spec import ImportOptions
from tradewind.ingest.templates import write_template

EU = ImportOptions(account="acme-eu")
HEADER = ["country", "vat_number", "valid_from", "valid_to"]


def test_numbers_of_seven_countries_and_a_bad_checksum(ws: Workspace, tmp_path: Path) -> None:
    # Published valid numbers (python-stdnum's documented examples), written as sellers write them.
    rows = [
        ["DE", "DE 136 695 976", "2024-01-01", ""],
        ["France", "FR 40 303 265 045", "2024-01-01", ""],
        ["意大利", "00743110157", "2024-01-01", ""],
        ["ES", "ESB58378431", "2024-01-01", ""],
        ["PL", "PL 856-734-62-15", "2024-01-01", ""],
        ["NL", "NL004495445B01", "2024-01-01", ""],
        ["SE", "SE123456789701", "2024-01-01", "2026-06-30"],
        ["CZ", "CZ25123890", "2025-01-01", ""],  # last digit should be 1
        ["AT", "", "", ""],  # required, not held yet
    ]
    result = ws.import_file(write_sheet(tmp_path / "vat.csv", HEADER, rows), EU)
    assert any("1 VAT number(s) fail" in n for n in result.notes)
    assert rows_of(
        ws,
        "SELECT country, marketplace, vat_number, number_valid, number_problem, valid_to, required "
        "FROM vat_registrations ORDER BY source_row",
    ) == [
        ("DE", "DE", "DE136695976", True, None, None, True),
        ("FR", "FR", "FR40303265045", True, None, None, True),
        ("IT", "IT", "IT00743110157", True, None, None, True),
        ("ES", "ES", "ESB58378431", True, None, None, True),
        ("PL", "PL", "PL8567346215", True, None, None, True),
        ("NL", "NL", "NL004495445B01", True, None, None, True),
        ("SE", "SE", "SE123456789701", True, None, date(2026, 6, 30), True),
        ("CZ", None, "CZ25123890", False, "the check digits do not match", None, True),
        ("AT", None, None, None, None, None, True),
    ]


def test_a_sheet_replaces_the_registrations_of_its_countries(ws: Workspace, tmp_path: Path) -> None:
    ws.import_file(
        write_sheet(tmp_path / "a.csv", HEADER, [["DE", "DE136695978", "", ""], ["FR", "", "", ""]]), EU
    )
    fixed = write_sheet(tmp_path / "b.csv", HEADER, [["DE", "DE136695976", "2024-01-01", ""]])
    result = ws.import_file(fixed, EU)
    assert result.rows_replaced == {"vat_registrations": 1}
    assert rows_of(
        ws, "SELECT country, vat_number, number_valid FROM vat_registrations ORDER BY country"
    ) == [
        ("DE", "DE136695976", True),
        ("FR", None, None),
    ]


def test_chinese_xlsx_template_with_the_required_mark(ws: Workspace, tmp_path: Path) -> None:
    report = report_by_id("vat_registrations")
    assert report is not None
    path = write_template(
        report,
        tmp_path / "增值税.xlsx",
        lang="zh",
        rows=[
            {"country": "德国", "vat_number": "136695976", "valid_from": date(2024, 1, 1)},
            {"country": "英国", "vat_number": "GB980780684", "required": "否"},
        ],
    )
    ws.import_file(path, EU)
    assert rows_of(
        ws, "SELECT country, marketplace, vat_number, number_valid, required FROM vat_registrations"
    ) == [
        ("DE", "DE", "DE136695976", True, True),
        ("GB", "UK", "GB980780684", True, False),
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["Atlantis", "AT123", "", ""], "column 'country': unknown country (value 'Atlantis')"),
        (["49", "DE136695976", "", ""], "column 'country': unknown country (value '49')"),
        (
            ["DE", "DE136695976", "2025-01-01", "2024-12-31"],
            "column 'valid_to': the registration ends before",
        ),
    ],
    ids=["unknown-country", "number-as-country", "ends-before-start"],
)
def test_bad_row_rejects_the_whole_file(closed: Path, tmp_path: Path, row: list[str], expected: str) -> None:
    good = ["FR", "FR40303265045", "", ""]
    error = rejected(closed, write_sheet(tmp_path / "bad.csv", HEADER, [good, row]), EU)
    assert any(p.startswith(f"bad.csv, row 3, {expected}") for p in problems(error)), problems(error)
