"""The KPI board on the small demo: every figure it shows is what `Workspace.kpi` (or the plan's
progress) says for that month and scope, and it renders in a 120-column terminal without errors.

The small demo's last full month before 2026-04-15 is March 2026; MoM compares it with February, YoY
with March 2025.
"""

from __future__ import annotations

from datetime import date

import pytest
from rich.console import Console

from tradewind.app import Workspace
from tradewind.cli.board import (
    BOARD_KPIS,
    TOTAL,
    Board,
    alerts_table,
    board_table,
    format_change,
    format_value,
    open_alerts,
    render_board,
)
from tradewind.engine import KpiRequest
from tradewind.plan.store import PlanStore

from .conftest import TODAY


def _kpi(ws: Workspace, kpis: tuple[str, ...], period: str) -> dict[str, dict[str, object]]:
    """One request per call, by marketplace and in total: the figures the board must show."""
    rows = {
        str(r["marketplace"]): r
        for r in ws.kpi(KpiRequest(kpis=kpis, by=("marketplace",), period=period), today=TODAY).rows
    }
    rows[TOTAL] = ws.kpi(KpiRequest(kpis=kpis, period=period), today=TODAY).rows[0]
    return rows


def test_the_board_is_the_last_full_month_in_every_marketplace(board: Board) -> None:
    assert (board.month, board.previous, board.year_ago) == ("2026-03", "2026-02", "2025-03")
    assert board.scopes[0] == TOTAL
    assert set(board.scopes[1:]) == {"US", "CA", "UK", "DE", "FR", "IT", "ES"}
    assert board.scopes[1] == "US"  # by GMV, the US first
    assert [line.kpi for line in board.lines] == list(BOARD_KPIS)
    assert (board.line("gmv").name, board.line("gmv").name_zh) == ("Gross merchandise value", "总成交额")


def test_figures_and_growth_equal_the_engine(board: Board, demo_ws: Workspace) -> None:
    asked = ("gmv", "units", "orders", "aov", "ad_spend", "acos", "roas", "net_sales", "refund_rate")
    now = _kpi(demo_ws, (*asked, "gmv_mom", "gmv_yoy", "units_mom", "net_sales_yoy"), "2026-03")
    for scope in board.scopes:
        for kpi in asked:
            assert board.line(kpi).cells[scope].value == pytest.approx(now[scope][kpi]), (kpi, scope)
        gmv = board.line("gmv").cells[scope]
        assert (gmv.mom, gmv.yoy) == (
            pytest.approx(now[scope]["gmv_mom"]),
            pytest.approx(now[scope]["gmv_yoy"]),
        )
        assert board.line("units").cells[scope].mom == pytest.approx(now[scope]["units_mom"])
        assert board.line("net_sales").cells[scope].yoy == pytest.approx(now[scope]["net_sales_yoy"])


def test_ratio_changes_are_the_difference_of_two_engine_figures(board: Board, demo_ws: Workspace) -> None:
    now, before, ago = (_kpi(demo_ws, ("acos", "roas"), p) for p in ("2026-03", "2026-02", "2025-03"))
    assert board.line("acos").change == "change"
    for scope in board.scopes:
        acos = board.line("acos").cells[scope]
        assert acos.mom == pytest.approx(float(now[scope]["acos"]) - float(before[scope]["acos"]))  # type: ignore[arg-type]
        assert acos.yoy == pytest.approx(float(now[scope]["acos"]) - float(ago[scope]["acos"]))  # type: ignore[arg-type]


def test_attainment_is_the_plans(board: Board, demo_ws: Workspace) -> None:
    assert (board.plan, board.plan_version) == ("2026", 3)  # the peak-season version starts in October
    by_market = demo_ws.plan_progress("2026", date(2026, 3, 31), ("marketplace",))
    month = {
        r.scope["marketplace"]: r.attainment for r in by_market if r.kpi == "gmv" and r.period == "2026-03"
    }
    assert {s: board.attainment[s] for s in board.scopes[1:]} == {
        s: pytest.approx(month[s]) for s in board.scopes[1:]
    }
    # The company's: March's GMV over the sum of March's cells of the version in force, by hand.
    plan = PlanStore(demo_ws.app.engine).load("2026")
    target = (
        sum(c.amount for c in plan.in_force(date(2026, 3, 31)).cells if c.month == "2026-03")
        / plan.header.scale
    )
    gmv = demo_ws.kpi(KpiRequest(kpis=("gmv",), period="2026-03"), today=TODAY).rows[0]["gmv"]
    assert board.attainment[TOTAL] == pytest.approx(gmv / target, abs=1e-6)
    # And the year to date: January to March over the whole year's cells.
    year = sum(c.amount for c in plan.in_force(date(2026, 3, 31)).cells) / plan.header.scale
    ytd = demo_ws.kpi(KpiRequest(kpis=("gmv",), period="2026-01-01..2026-03-31"), today=TODAY).rows[0]["gmv"]
    assert board.year_attainment == pytest.approx(ytd / year, abs=1e-6)


def test_formats_by_hand() -> None:
    assert format_value("gmv", "money", 1234567.891, "USD") == "$1,234,568"
    assert format_value("aov", "money", 38.204, "USD") == "$38.20"
    assert format_value("units", "count", 12345.0, "USD") == "12,345"
    assert format_value("cvr", "ratio", 0.12345, "USD") == "12.3%"
    assert format_value("roas", "ratio", 3.456, "USD") == "3.46"
    assert format_value("gmv", "money", None, "USD") == "–"
    assert format_change("gmv", "money", "growth", 0.0523) == "+5.2%"
    assert format_change("gmv", "money", "growth", -0.09996) == "-10%"
    assert format_change("gmv", "money", "growth", 1.5) == "+150%"
    assert format_change("acos", "ratio", "change", -0.0123) == "-1.2"  # percentage points
    assert format_change("roas", "ratio", "change", 0.3) == "+0.30"


def test_renders_in_120_columns(board: Board, demo_ws: Workspace) -> None:
    console = Console(width=120, record=True, color_system=None)
    console.print(board_table(board))
    alerts = open_alerts(demo_ws)
    console.print(alerts_table(alerts))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 120
    total = board.line("gmv").cells[TOTAL].value
    assert format_value("gmv", "money", total, "USD") in text
    assert "KPI board, March 2026 (USD)" in text
    assert "merchandise" in text and "plan " in text
    assert len(alerts) == 16  # the 9 + 7 planted alerts of the demo's two checks (test_planted)
    for alert in alerts:
        assert f" {alert.id} " in text


def test_render_board_prints_the_board_and_the_alerts(board: Board, demo_ws: Workspace) -> None:
    console = Console(width=120, record=True, color_system=None)
    assert render_board(demo_ws, console, board=board) is board
    text = console.export_text()
    assert "KPI board, March 2026" in text and "Open alerts (16)" in text
