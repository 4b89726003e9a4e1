"""The watch commands end to end through Typer: check (exit codes), alerts and their lifecycle, reviews
and minutes, notes, why."""

from __future__ import annotations

from datetime import date

import typer
from typer.testing import CliRunner

from tests.watch.facts import add
from tradewind.app import Workspace
from tradewind.cli import watch_cmd

runner = CliRunner()


def cli() -> typer.Typer:
    app = typer.Typer()
    watch_cmd.register(app)
    return app


def run(ws: Workspace, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli(), [*args, "-w", str(ws.folder)], env={"COLUMNS": "300"})
    return result.exit_code, result.output


def test_check_exit_codes_and_alert_lifecycle(ws: Workspace) -> None:
    add(
        ws,
        "ad_performance",
        [{"marketplace": "DE", "date_from": date(2026, 3, 28), "sku": "S1", "spend": 100, "sales": 240}],
    )
    ws.close()  # the CLI opens the workspace itself
    code, output = run(ws, "check", "--as-of", "2026-03-31", "--no-notify")
    assert code == 1, output  # new alerts of severity review
    assert "roas 2.40 below 2.50" in output
    code, output = run(ws, "check", "--as-of", "2026-03-31", "--no-notify")
    assert code == 0, output  # nothing new
    assert "0 new alerts" in output

    code, output = run(ws, "alerts", "--rule", "roas_floor_sku")
    assert code == 0 and output.count("roas_floor_sku") == 2
    code, output = run(
        ws,
        "note",
        "add",
        "--from",
        "2026-03-27",
        "--to",
        "2026-03-31",
        "--kind",
        "competitor_price",
        "--scope",
        "marketplace=DE",
        "--text",
        "rival cut price 15%",
    )
    assert code == 0 and "Logged note #1" in output
    code, output = run(ws, "alerts", "show", "1")
    assert code == 0 and "rival cut price 15%" in output
    code, output = run(ws, "alerts", "ack", "1", "--note", "on it")
    assert code == 0 and "#1 is acknowledged" in output
    code, output = run(ws, "alerts", "dismiss", "2")
    assert code == 2  # --reason is required
    code, output = run(ws, "alerts", "dismiss", "2", "--reason", "duplicate of #1")
    assert code == 0 and "#2 is dismissed" in output
    code, output = run(ws, "alerts", "resolve", "2")
    assert code == 1 and "alert #2 is dismissed: it can go to open, not resolved" in output
    assert "Traceback" not in output

    code, output = run(
        ws,
        "review",
        "open",
        "1",
        "--title",
        "DE ROAS",
        "--attendee",
        "li.wei",
        "--finding",
        "bid war on main keyword",
        "--root-cause",
        "ads",
        "--action",
        "li.wei|2026-04-05|cut bids",
    )
    assert code == 0 and "Review #1" in output
    code, output = run(ws, "review", "minutes", "1", "--lang", "en")
    assert code == 0 and output.startswith("# Review minutes #1: DE ROAS")
    assert "rival cut price 15%" in output and "| li.wei | 2026-04-05 |" in output
    code, output = run(ws, "review", "action-done", "1")
    assert code == 0 and "action #1 done" in output
    code, output = run(ws, "review", "close", "1", "--summary", "bids restored")
    assert code == 0 and "closed" in output
    code, output = run(ws, "alerts", "--status", "resolved")
    assert code == 0 and "resolved" in output
    code, output = run(ws, "note", "list", "--scope", "marketplace=DE")
    assert code == 0 and "rival cut price 15%" in output


def test_why_and_user_errors(ws: Workspace) -> None:
    for month, gmv in ((2, 2000), (3, 2640)):
        add(
            ws,
            "order_lines",
            [
                {
                    "marketplace": "DE",
                    "order_id": f"DE-{month}",
                    "purchase_date": date(2026, month, 9),
                    "sku": "S1",
                    "quantity": 100,
                    "item_price": gmv,
                    "item_tax": 0,
                }
            ],
        )
        add(
            ws,
            "traffic",
            [
                {
                    "marketplace": "DE",
                    "date_from": date(2026, month, 1),
                    "date_to": date(2026, month, 28 if month == 2 else 31),
                    "sku": "S1",
                    "sessions": 1000,
                    "units_ordered": 100,
                }
            ],
        )
    ws.close()
    code, output = run(ws, "why", "gmv", "--period", "2026-03")
    assert code == 0, output
    assert "gmv 2026-03 vs 2026-02: 2,000.00 → 2,640.00 EUR (change +640.00)" in output
    assert "Price (asp)" in output and "+640.00" in output
    code, output = run(ws, "why", "units", "--period", "2026-03")
    assert code == 1 and "'why' explains gmv" in output
    code, output = run(ws, "why", "gmv", "--period", "March")
    assert code == 1 and "period 'March' is not understood" in output
    code, output = run(ws, "note", "add", "--from", "2026-03-01", "--kind", "weather", "--text", "rain")
    assert code == 1 and "unknown note kind 'weather'" in output
    code, output = run(ws, "review", "open", "42")
    assert code == 1 and "no alert #42" in output
