"""`tradewind kpi` and `tradewind catalog` on a real workspace (the commands registered on a bare app)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tradewind.app import Workspace
from tradewind.cli import catalog_cmd, kpi_cmd
from tradewind.store.config import Account

runner = CliRunner()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("COLUMNS", "240")  # no wrapping inside table cells (Rich reads it per call)
    app = typer.Typer()
    kpi_cmd.register(app)
    catalog_cmd.register(app)
    return app


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    ws = Workspace.init(
        tmp_path / "ws",
        currency="EUR",
        accounts=[Account(id="acme-eu", name="Acme EU", marketplaces=("DE", "FR"))],
    )
    con = ws.facts.con
    for i, (mkt, order, day, price, tax) in enumerate(
        [
            ("DE", "A1", "2026-03-02", 23.80, 3.80),
            ("FR", "B1", "2026-03-03", 12.00, 2.00),
            ("DE", "A2", "2026-02-27", 11.90, 1.90),
        ],
        start=2,
    ):
        con.execute(
            "INSERT INTO order_lines (account_id, marketplace, import_id, source_row, source, channel, order_id, "
            "line_no, purchase_ts, purchase_date, is_cancelled, is_pending, is_business_order, sku, quantity, "
            "currency, item_price, item_tax, tax_included) VALUES ('acme-eu', ?, 'imp-1', ?, 'amazon_all_orders', "
            "'amazon_fba', ?, 1, ?::TIMESTAMPTZ, ?::DATE, false, false, false, 'S1', 1, 'EUR', ?, ?, true)",
            [mkt, i, order, f"{day} 12:00:00+00", day, price, tax],
        )
    con.execute(
        "INSERT INTO imports (import_id, file_name, sha256, size_bytes, report_type, account_id, rows_loaded, "
        "rows_replaced, facts, imported_at, tool_version) VALUES ('imp-1', 'All Orders March.txt', ?, 10, "
        "'amazon_all_orders', 'acme-eu', 3, 0, 'order_lines', '2026-04-01 08:00:00+00', 'test')",
        ["c" * 64],
    )
    ws.close()
    return tmp_path / "ws"


def test_kpi_json(cli: typer.Typer, folder: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "kpi",
            "gmv,orders",
            "net_sales",
            "--by",
            "month,marketplace",
            "--period",
            "2026-03",
            "--format",
            "json",
            "-w",
            str(folder),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["currency"] == "EUR" and data["grain"] == "month"
    assert list(data["kpis"]) == ["gmv", "orders", "net_sales"]
    # DE 23.80 (net 20.00), FR 12.00 (net 10.00); the February line is outside the period
    assert data["rows"] == [
        {"period": "2026-03", "marketplace": "DE", "gmv": 23.8, "orders": 1, "net_sales": 20.0},
        {"period": "2026-03", "marketplace": "FR", "gmv": 12.0, "orders": 1, "net_sales": 10.0},
    ]


def test_kpi_csv_with_where(cli: typer.Typer, folder: Path) -> None:
    result = runner.invoke(
        cli,
        ["kpi", "gmv", "--by", "month", "--where", "marketplace=DE", "--format", "csv", "-w", str(folder)],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "period,gmv\n2026-02,11.9\n2026-03,23.8\n"


def test_kpi_table_and_user_errors(cli: typer.Typer, folder: Path) -> None:
    result = runner.invoke(
        cli, ["kpi", "gmv", "cvr", "--by", "marketplace", "--period", "2026-03", "-w", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert "23.80" in result.stdout and "no traffic report for DE in 2026-03" in result.stdout
    bad = runner.invoke(cli, ["kpi", "gmv", "--period", "March", "-w", str(folder)])
    assert bad.exit_code == 1
    assert "period 'March' is not understood" in bad.output
    assert "Traceback" not in bad.output


def test_kpi_explain_rows(cli: typer.Typer, folder: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "kpi",
            "explain",
            "gmv",
            "--period",
            "2026-03",
            "--where",
            "marketplace=DE",
            "--rows",
            "5",
            "--format",
            "json",
            "-w",
            str(folder),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["value"] == 23.8 and data["version"].startswith("gmv@")
    assert data["files"] == [
        {
            "fact": "order_lines",
            "import_id": "imp-1",
            "file_name": "All Orders March.txt",
            "sha256": "c" * 64,
            "imported_at": "2026-04-01T08:00:00+00:00",
            "rows": 1,
        }
    ]
    assert data["rows"] == [
        {"fact": "order_lines", "import_id": "imp-1", "file_name": "All Orders March.txt", "row": 2}
    ]
    text = runner.invoke(cli, ["kpi", "explain", "aov", "--period", "2026-03", "-w", str(folder)])
    assert text.exit_code == 0, text.output
    assert "gmv / orders" in text.stdout and "All Orders March.txt" in text.stdout


def test_catalog_commands(cli: typer.Typer, folder: Path, tmp_path: Path) -> None:
    listed = runner.invoke(cli, ["catalog", "list", "-w", str(folder)])
    assert listed.exit_code == 0 and "总成交额" in listed.stdout and "contribution_margin" in listed.stdout
    shown = runner.invoke(cli, ["catalog", "show", "cvr"])
    assert shown.exit_code == 0
    assert "traffic_units_ordered / sessions" in shown.stdout and "转化率" in shown.stdout
    ok = runner.invoke(cli, ["catalog", "validate"])
    assert ok.exit_code == 0 and "catalog OK" in ok.stdout
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.yaml").write_text("kpis:\n  - id: x\n    type: ratio\n    numerator: gmv\n", encoding="utf-8")
    failed = runner.invoke(cli, ["catalog", "validate", str(bad)])
    assert failed.exit_code == 1
    assert "x.yaml:2: kpi 'x': name: required field missing" in failed.output
    assert "x.yaml:2: kpi 'x': denominator: required field missing" in failed.output
