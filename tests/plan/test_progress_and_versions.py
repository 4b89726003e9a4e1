"""Progress (expected to date, pace, projection) and versions (the one in force on a date), by hand.

The seller sold 10.00 USD every day of 2025 in the US, so 2026's months follow the days (no event
changed anything: event days sold like the others) and every day weighs the same. Plan 2026: total
36,500.00 -> each month 100.00 a day (April 3,000.00). In 2026 the seller sold 100.00 a day in January to
March (9,000.00) and 80.00 a day from 1 to 10 April (800.00), one order a day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from tradewind.app import Workspace
from tradewind.plan import PlanError, ProgressRow
from tradewind.plan.parsing import parse_level
from tradewind.plan.service import CreateRequest, ReviseRequest

from .conftest import new_workspace
from .seller import add_sales, every_day


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = new_workspace(tmp_path_factory.mktemp("progress") / "ws")
    add_sales(workspace, every_day("US", date(2025, 1, 1), date(2025, 12, 31), 10))
    add_sales(workspace, every_day("US", date(2026, 1, 1), date(2026, 3, 31), 100))
    add_sales(workspace, every_day("US", date(2026, 4, 1), date(2026, 4, 10), 80))
    plans = workspace.plans()
    plans.create(
        CreateRequest(
            name="p",
            year=2026,
            total=Decimal(36500),
            levels=("marketplace",),
            owner="boss",
            owners={"US": "amy"},
        ),
        today=date(2026, 1, 5),
    )
    plans.revise(
        "p",
        ReviseRequest(
            reason="targets", levels=[parse_level("aov>=90@marketplace=US"), parse_level("asp<=120")]
        ),
    )
    # v3: from April the rest of the year is raised by 20%: Jan..Mar keep 9,000; Apr..Dec 27,500 -> 33,000
    plans.revise("p", ReviseRequest(reason="good Q1", from_month="2026-04", total=Decimal(42000)))
    yield workspace
    workspace.close()


def _row(rows: list[ProgressRow], period: str, kpi: str = "gmv", **scope: str) -> ProgressRow:
    found = [r for r in rows if r.period == period and r.kpi == kpi and dict(r.scope) == scope]
    assert len(found) == 1, found
    return found[0]


def test_versions_keep_who_when_why_and_the_difference(ws: Workspace) -> None:
    plan = ws.plans().get("p")
    assert [v.version for v in plan.versions] == [1, 2, 3]
    v1, v2, v3 = plan.versions
    assert (v1.effective_from, v2.effective_from, v3.effective_from) == (
        date(2026, 1, 1),
        date(2026, 1, 1),
        date(2026, 4, 1),
    )
    assert v3.reason == "good Q1" and v3.created_by
    assert v3.diff is not None
    assert v3.diff["total"] == [3_650_000, 4_200_000]
    assert v3.diff["months"]["2026-04"] == [300_000, 360_000]
    assert "2026-03" not in v3.diff["months"]
    assert v3.diff["cells_changed"] == 9
    assert v2.diff is not None and v2.diff["levels"]["added"] == [
        "aov >= 90 (marketplace=US, 2026)",
        "asp <= 120 (company, 2026)",
    ]
    months = {c.month: c.amount for c in v3.cells}
    assert months["2026-03"] == 310_000 and months["2026-04"] == 360_000 and months["2026-12"] == 372_000
    with ws.app.engine.connect() as con:
        actions = [
            r[0] for r in con.execute(text("SELECT action FROM audit_log WHERE subject = 'p' ORDER BY id"))
        ]
    assert actions == ["plan.create", "plan.revise", "plan.revise"]


def test_the_version_in_force_on_a_date(ws: Workspace) -> None:
    plan = ws.plans().get("p")
    assert plan.in_force(date(2026, 3, 31)).version == 2
    assert plan.in_force(date(2026, 4, 1)).version == 3
    assert plan.in_force(date(2025, 12, 31)).version == 1


def test_progress_in_march_is_measured_against_the_old_version(ws: Workspace) -> None:
    rows = ws.plan_progress("p", date(2026, 3, 20))
    month = _row(rows, "2026-03")
    # March: 3,100 target; 20 of 31 equal days elapsed -> 2,000 expected; 2,000 sold
    assert (month.version, month.target, month.actual, month.expected_to_date) == (2, 3100.0, 2000.0, 2000.0)
    assert (month.pace, month.projected, month.owner) == (0.0, 3100.0, "boss")


def test_progress_after_the_revision(ws: Workspace) -> None:
    rows = ws.plan_progress("p", date(2026, 4, 10))
    month = _row(rows, "2026-04")
    # April (v3): 3,600 target, 10/30 elapsed -> 1,200 expected; 800 sold: pace 800/1,200 - 1 = -1/3,
    # attainment 800/3,600, projected 800 x 3,600 / 1,200 = 2,400
    assert month.version == 3
    assert (month.kind, month.comparator, month.scope) == ("additive", "=", {})
    assert (month.target, month.actual, month.expected_to_date, month.projected) == (
        3600.0,
        800.0,
        1200.0,
        2400.0,
    )
    assert month.pace == pytest.approx(-1 / 3, abs=1e-6)
    assert month.attainment == pytest.approx(800 / 3600, abs=1e-6)
    year = _row(rows, "2026")
    # Year: 42,000; expected 9,000 (Jan-Mar) + 1,200 = 10,200; actual 9,800;
    # projected 9,800 x 42,000 / 10,200 = 40,352.94
    assert (year.target, year.actual, year.expected_to_date, year.projected) == (
        42000.0,
        9800.0,
        10200.0,
        40352.94,
    )
    assert year.pace == pytest.approx(9800 / 10200 - 1, abs=1e-6)
    assert year.attainment == pytest.approx(9800 / 42000, abs=1e-6)


def test_progress_by_marketplace_and_level_targets(ws: Workspace) -> None:
    rows = ws.plan_progress("p", date(2026, 4, 10), by=("marketplace",))
    us = _row(rows, "2026-04", marketplace="US")
    assert (us.target, us.actual, us.owner) == (3600.0, 800.0, "amy")
    # aov >= 90 set on US: April aov 800 / 10 orders = 80 -> 80/90; the year 9,800 / (90 + 10) orders = 98
    # -> 98/90
    aov_month = _row(rows, "2026-04", "aov", marketplace="US")
    assert (aov_month.kind, aov_month.comparator, aov_month.target, aov_month.actual) == (
        "level",
        ">=",
        90.0,
        80.0,
    )
    assert aov_month.attainment == pytest.approx(80 / 90, abs=1e-6)
    assert _row(rows, "2026", "aov", marketplace="US").attainment == pytest.approx(98 / 90, abs=1e-6)
    # asp <= 120 is set on the company and inherited by US: April asp 80 -> 120/80 = 1.5
    asp = _row(rows, "2026-04", "asp", marketplace="US")
    assert (asp.target, asp.actual, asp.attainment, asp.owner) == (120.0, 80.0, 1.5, "boss")


def test_progress_without_by_shows_level_targets_on_their_own_scope(ws: Workspace) -> None:
    rows = ws.plan_progress("p", date(2026, 4, 10))
    assert _row(rows, "2026-04", "aov", marketplace="US").actual == 80.0
    assert _row(rows, "2026-04", "asp").actual == 80.0
    assert ws.plan_progress(None, date(2026, 4, 10)) == rows  # every active plan: there is one


def test_progress_defaults_to_the_last_day_with_orders(ws: Workspace) -> None:
    report = ws.plans().progress("p", today=date(2026, 6, 1))
    assert report.as_of == date(2026, 4, 10)


def test_progress_by_a_level_the_plan_does_not_have(ws: Workspace) -> None:
    with pytest.raises(PlanError, match="not split by sku"):
        ws.plan_progress("p", date(2026, 4, 10), by=("sku",))
    # for every active plan, such a plan is left out (and the report says so) rather than failing all
    report = ws.plans().progress(None, date(2026, 4, 10), ("sku",))
    assert report.rows == []
    assert report.warnings == ["plan 'p' is not split by sku (its levels: month, marketplace): left out"]


def test_a_revision_that_changes_nothing_is_refused(ws: Workspace) -> None:
    with pytest.raises(PlanError, match="changes nothing"):
        ws.plans().revise("p", ReviseRequest(reason="nothing"))
    with pytest.raises(PlanError, match="say why"):
        ws.plans().revise("p", ReviseRequest(reason=" ", total=Decimal(1)))
    with pytest.raises(PlanError, match="not a month of this plan"):
        ws.plans().revise("p", ReviseRequest(reason="x", from_month="2027-01", total=Decimal(1)))


def test_a_revision_cannot_take_back_the_months_it_keeps(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path / "ws")
    add_sales(workspace, every_day("US", date(2025, 1, 1), date(2025, 12, 31), 10))
    plans = workspace.plans()
    plans.create(
        CreateRequest(name="p", year=2026, total=Decimal(36500), levels=("marketplace",)),
        today=date(2026, 1, 5),
    )
    with pytest.raises(PlanError, match="more than its"):
        plans.revise("p", ReviseRequest(reason="x", from_month="2026-07", total=Decimal(1000)))
    workspace.close()
