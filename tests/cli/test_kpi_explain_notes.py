"""`tradewind kpi explain` shows the notes of the external-variables log that overlap the figure's scope
and period (hand-made notes; which ones overlap is worked out by hand for each)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tradewind.app import Workspace
from tradewind.cli import kpi_cmd
from tradewind.store.config import Account

runner = CliRunner()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("COLUMNS", "240")
    app = typer.Typer()
    kpi_cmd.register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps `kpi` a sub-command, as under cli/main.py
        """Nothing."""

    return app


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    ws = Workspace.init(
        tmp_path / "ws",
        currency="EUR",
        accounts=[Account(id="acme-eu", name="Acme EU", marketplaces=("DE", "FR"))],
    )
    for i, (mkt, order, price, tax) in enumerate([("DE", "A1", 23.80, 3.80), ("FR", "B1", 12.00, 2.00)], 2):
        ws.facts.con.execute(
            "INSERT INTO order_lines (account_id, marketplace, import_id, source_row, source, channel, order_id, "
            "line_no, purchase_ts, purchase_date, is_cancelled, is_pending, is_business_order, sku, quantity, "
            "currency, item_price, item_tax, tax_included) VALUES ('acme-eu', ?, 'imp-1', ?, 'amazon_all_orders', "
            "'amazon_fba', ?, 1, '2026-03-02 12:00:00+00'::TIMESTAMPTZ, '2026-03-02'::DATE, false, false, false, "
            "'S1', 1, 'EUR', ?, ?, true)",
            [mkt, i, order, price, tax],
        )
    notes = ws.watch().notes
    # 1: DE, inside March -> with DE March
    notes.add(
        "competitor_stockout", date(2026, 3, 5), date(2026, 3, 8), {"marketplace": "DE"}, "rival out", "li"
    )
    # 2: FR, inside March -> not with DE alone; with DE,FR
    notes.add("promotion", date(2026, 3, 1), date(2026, 3, 24), {"marketplace": "FR"}, "FR deal", "li")
    # 3: no scope (everywhere), on 03-25 -> with any March figure
    notes.add("policy_change", date(2026, 3, 25), date(2026, 3, 25), {}, "new fee table", "li")
    # 4: everywhere but July -> never with March; with a figure over all dates
    notes.add("prime_day", date(2026, 7, 8), date(2026, 7, 11), {}, "Prime Day", "li")
    # 5: DE / S1 from 02-20 to 03-01: touches March on its last day -> with DE March
    notes.add(
        "price_change", date(2026, 2, 20), date(2026, 3, 1), {"marketplace": "DE", "sku": "S1"}, "-10%", "li"
    )
    # 6: DE, all of February -> never with March
    notes.add("other", date(2026, 2, 1), date(2026, 2, 28), {"marketplace": "DE"}, "February thing", "li")
    ws.close()
    return tmp_path / "ws"


def _explain(cli: typer.Typer, folder: Path, *args: str) -> dict:
    result = runner.invoke(cli, ["kpi", "explain", "gmv", *args, "--format", "json", "-w", str(folder)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_explain_lists_the_notes_overlapping_scope_and_period(cli: typer.Typer, folder: Path) -> None:
    de = _explain(cli, folder, "--period", "2026-03", "--where", "marketplace=DE")
    assert de["value"] == 23.8  # the figure itself is unchanged
    assert [n["id"] for n in de["external_notes"]] == [5, 1, 3]  # by start date: 02-20, 03-05, 03-25
    assert de["external_notes"][0] == {
        "id": 5,
        "kind": "price_change",
        "date_from": "2026-02-20",
        "date_to": "2026-03-01",
        "scope": {"marketplace": "DE", "sku": "S1"},
        "text": "-10%",
        "author": "li",
    }
    both = _explain(cli, folder, "--period", "2026-03", "--where", "marketplace=DE,FR")
    assert [n["id"] for n in both["external_notes"]] == [5, 2, 1, 3]  # 02-20, 03-01, 03-05, 03-25
    fr = _explain(cli, folder, "--period", "2026-03", "--where", "marketplace=FR")
    assert [n["id"] for n in fr["external_notes"]] == [2, 3]
    everything = _explain(cli, folder)  # no period, no filter: every note
    assert [n["id"] for n in everything["external_notes"]] == [6, 5, 2, 1, 3, 4]
    q2 = _explain(cli, folder, "--period", "2026-Q2", "--where", "marketplace=DE")
    assert q2["external_notes"] == []


def test_explain_table_shows_the_notes(cli: typer.Typer, folder: Path) -> None:
    result = runner.invoke(
        cli, ["kpi", "explain", "gmv", "--period", "2026-03", "--where", "marketplace=FR", "-w", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert "external variables overlapping this figure" in result.stdout
    assert "#2 2026-03-01..2026-03-24 [promotion] marketplace=FR: FR deal" in result.stdout
    assert "#3 2026-03-25 [policy_change] all: new fee table" in result.stdout
    assert "rival out" not in result.stdout
    quiet = runner.invoke(cli, ["kpi", "explain", "gmv", "--period", "2026-Q2", "-w", str(folder)])
    assert quiet.exit_code == 0, quiet.output
    assert "external variables" not in quiet.stdout
