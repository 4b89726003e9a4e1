"""`tradewind compliance`: the table, JSON, and the exit status a scheduler alerts on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.compliance.sheets import new_workspace, write_sheet
from tradewind.cli.compliance_cmd import register
from tradewind.ingest.spec import ImportOptions

EU = ImportOptions(account="acme-eu")


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:
        """Test wrapper: a Typer app with more than one command keeps `compliance` as a subcommand."""

    return app


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The EU account stores stock in PL (pan-EU); holds a PL VAT number until 2026-04-20; sells on
    Amazon.de (packaging required) with a LUCID number."""
    folder = tmp_path / "ws"
    ws = new_workspace(folder)
    ws.import_file(
        write_sheet(tmp_path / "stock.csv", ["country", "location", "program"], [["PL", "WRO2", "pan_eu"]]),
        EU,
    )
    ws.import_file(
        write_sheet(
            tmp_path / "vat.csv",
            ["country", "vat_number", "valid_to"],
            [["PL", "PL8567346215", "2026-04-20"]],
        ),
        EU,
    )
    ws.import_file(
        write_sheet(
            tmp_path / "epr.csv",
            ["country", "category", "epr_number"],
            [["DE", "packaging", "DE1234567890123"], ["FR", "packaging", "FR123456_01ABCD"]],
        ),
        EU,
    )
    ws.close()
    return folder


def _run(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(_app(), ["compliance", "-w", str(folder), *args])
    return result.exit_code, result.output


def test_all_met_exits_0_even_with_a_registration_expiring(folder: Path) -> None:
    code, output = _run(folder, "--as-of", "2026-04-01")
    assert code == 0, output
    # (status and number columns never wrap; the table's other columns fold to the terminal's width)
    assert "expiring" in output and "PL8567346215" in output
    assert "Every requirement is met." in output


def test_an_expired_registration_exits_1(folder: Path) -> None:
    code, output = _run(folder, "--as-of", "2026-04-21")
    assert code == 1
    assert "1 requirement unmet." in output


def test_json_output(folder: Path) -> None:
    code, output = _run(folder, "--as-of", "2026-04-21", "--format", "json")
    assert code == 1
    report = json.loads(output)
    assert report["as_of"] == "2026-04-21" and report["unmet"] is True
    account = next(a for a in report["accounts"] if a["account"] == "acme-eu")
    assert [(f["kind"], f["country"], f["category"], f["status"]) for f in account["findings"]] == [
        ("epr", "DE", "packaging", "ok"),
        ("epr", "FR", "packaging", "ok"),
        ("vat", "PL", None, "expired"),
    ]
    assert account["kpis"] == {
        "vat_coverage": 0.0,
        "epr_coverage": 1.0,
        "ean_validity_rate": None,
        "vat_number_validity": 1.0,
        "compliance_expiring_30d": 0,
    }


def test_user_errors_are_messages_not_tracebacks(folder: Path) -> None:
    code, output = _run(folder, "--as-of", "next week")
    assert code == 1 and "--as-of 'next week' is not a date; use YYYY-MM-DD" in output
    code, output = _run(folder, "--account", "nobody")
    assert code == 1 and "unknown account 'nobody'" in output
