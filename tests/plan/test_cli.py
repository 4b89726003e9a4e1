"""`tradewind plan ...` end to end through the CLI: create, list, show, revise, apply-profile, check,
export, import, progress. The numbers are the decomposition case's (test_decompose)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from tradewind.cli import plan_cmd

from .conftest import fill_seller, new_workspace

runner = CliRunner()


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[typer.Typer, Path]:
    folder = tmp_path_factory.mktemp("cli") / "ws"
    fill_seller(new_workspace(folder)).close()
    app = typer.Typer()
    plan_cmd.register(app)

    @app.callback()
    def main() -> None:
        """Test root."""

    return app, folder


def _run(cli: tuple[typer.Typer, Path], *args: str) -> str:
    app, folder = cli
    result = runner.invoke(app, ["plan", *args, "-w", str(folder)])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # Rich wraps at the test terminal's width


def test_create_show_list(cli: tuple[typer.Typer, Path]) -> None:
    out = _run(
        cli, "create", "2026", "--year", "2026", "--total", "12000.03", "--growth", "DE=0.5",
        "--share", "IT=0.1,DE/amazon_fba/N1=0.2", "--set", "*/US/amazon_fba/S2=100", "--owner", "boss",
        "--today", "2026-03-01",
    )  # fmt: skip
    assert "Plan 2026 v1 (gmv 2026, USD): total 12,000.03, 60 cells" in out
    assert "IT has 0 months of history" in out
    assert "1,088.01" in out  # December: 108,801 cents
    assert "SMART check" in out
    listed = _run(cli, "list")
    assert "2026" in listed and "12,000.03" in listed
    shown = _run(cli, "show", "2026", "--by", "person")
    assert "9,504.03" in shown and "1,296.00" in shown  # li 950,403 cents, zhao 129,600
    data = json.loads(_run(cli, "show", "2026", "--format", "json"))
    assert (data["total"], data["version"], len(data["cells"])) == (12000.03, 1, 60)
    assert data["cells"][0] == {
        "month": "2026-01", "marketplace": "DE", "channel": "amazon_fba", "sku": "N1", "person": "zhao",
        "target": 108.0, "held": False,
    }  # fmt: skip


def test_revise_profile_check_progress(cli: tuple[typer.Typer, Path]) -> None:
    out = _run(cli, "revise", "2026", "--reason", "peak season", "--from", "2026-10", "--total", "13000.03")
    assert "Plan 2026 v2" in out and "in force from 2026-10-01" in out
    assert "13,000.03" in out and "peak season" in out
    out = _run(cli, "apply-profile", "2026", "US")
    assert "v3" in out and "acos" in out
    assert "SMART check" in _run(cli, "check", "2026")
    data = json.loads(
        _run(cli, "progress", "2026", "--as-of", "2026-01-31", "--by", "marketplace", "--format", "json")
    )
    assert data["as_of"] == "2026-01-31"
    us = next(r for r in data["rows"] if r["scope"] == {"marketplace": "US"} and r["period"] == "2026-01")
    assert (us["target"], us["actual"], us["version"]) == (360.0, 0.0, 3)
    table = _run(cli, "progress", "2026", "--as-of", "2026-01-31")
    assert "progress as of 2026-01-31" in table


def test_export_and_import(cli: tuple[typer.Typer, Path], tmp_path: Path) -> None:
    _run(cli, "create", "xl", "--year", "2026", "--total", "3000", "--levels", "month,marketplace",
         "--today", "2026-03-01")  # fmt: skip
    path = tmp_path / "xl.xlsx"
    assert "Wrote plan xl" in _run(cli, "export", "xl", str(path))
    assert "nothing changed" in _run(cli, "import", str(path))
    wb = load_workbook(path)
    sheet = wb["站点 Marketplace"]
    sheet["C4"] = 500  # 2026-01 DE
    wb.save(path)
    out = _run(cli, "import", str(path), "--reason", "DE January")
    assert "Plan xl v2" in out and "1 cell(s) edited" in out


def test_user_errors_are_messages_not_tracebacks(cli: tuple[typer.Typer, Path]) -> None:
    app, folder = cli
    result = runner.invoke(app, ["plan", "show", "nope", "-w", str(folder)])
    assert result.exit_code == 1
    assert "no plan named 'nope'" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["plan", "create", "bad", "--year", "2026", "--total", "10", "--levels", "month,sku",
                                 "-w", str(folder)])  # fmt: skip
    assert result.exit_code == 1 and "must include month and marketplace" in result.output
