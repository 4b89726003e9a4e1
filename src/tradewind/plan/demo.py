"""The demo seller's plan, so the board of `make demo` shows attainment beside each KPI.

It is made the way a seller would make it at the start of the year: the plan year's total is the last
twelve months before it grown by a quarter (the demo seller grows about 22% a year, so the plan is a
stretch), with more growth asked of Germany and the UK; the US and EU market profiles are applied; and a
peak-season re-plan from October moves November money to the US (Black Friday stock secured), so the
plan has versions with their reasons and differences to show.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from tradewind.engine import KpiRequest
from tradewind.plan.amounts import PlanError
from tradewind.plan.calendar import add_months
from tradewind.plan.model import DIM_LEVELS, Plan
from tradewind.plan.parsing import CellSet
from tradewind.plan.service import CreateRequest, ReviseRequest, apply_profile, create_plan, revise_plan
from tradewind.plan.store import PlanStore

if TYPE_CHECKING:
    from tradewind.app import Workspace

DEMO_OWNER = "Zhang Wei"
GROWTH = {"US": Fraction(20, 100), "DE": Fraction(35, 100), "UK": Fraction(30, 100)}
PLAN_GROWTH = Decimal("1.25")
ACTOR = "demo"


def create_demo_plan(
    workspace: Workspace, year: int = 2026, *, name: str | None = None, today: date | None = None
) -> Plan:
    """Create (or replace nothing: a plan of that name must not exist) the demo seller's plan for `year`."""
    name = name or str(year)
    if PlanStore(workspace.app.engine).exists(name):
        raise PlanError(f"the demo workspace already has a plan named {name!r}")
    first = date(year, workspace.config.fiscal_year_start_month, 1)
    engine = workspace.engine(today=today)
    result = engine.run(
        KpiRequest(
            kpis=("gmv",),
            period=f"{add_months(first, -12)}..{_day_before(first)}",
            currency=workspace.config.reporting_currency,
        )
    )
    base = result.rows[0].get("gmv") if result.rows else None
    if not base:
        raise PlanError(
            f"the demo seller has no sales in the twelve months before {first}: cannot plan {year}"
        )
    total = (Decimal(str(base)) * PLAN_GROWTH / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000
    markets = {
        r["marketplace"]
        for r in engine.run(
            KpiRequest(
                kpis=("gmv",), by=("marketplace",), period=f"{add_months(first, -12)}..{_day_before(first)}"
            )
        ).rows
        if r.get("gmv")
    }
    growth = {k: v for k, v in GROWTH.items() if k in markets}
    outcome = create_plan(
        workspace,
        CreateRequest(
            name=name,
            year=year,
            total=total,
            kpi="gmv",
            levels=DIM_LEVELS,
            growth=growth,
            owner=DEMO_OWNER,
            owners={"US": "Li Na", "DE": "Wang Fang", "UK": "Wang Fang"} if "DE" in markets else {},
            reason=f"{year} plan: last year +25%, more growth asked of DE and the UK",
        ),
        actor=ACTOR,
        today=today,
    )
    header = outcome.plan.header
    for profile_name, regions in (("US", {"US", "CA", "MX"}), ("EU", {"UK", "DE", "FR", "IT", "ES"})):
        if markets & regions:
            apply_profile(workspace, name, profile_name, actor=ACTOR)
    peak = f"{year}-11"
    if peak in header.month_labels() and "US" in markets:
        current = sum(
            c.amount
            for c in PlanStore(workspace.app.engine).load(name).latest.cells
            if c.month == peak and c.key[0] == "US"
        )
        raised = (Decimal(current) * Decimal("1.10") / header.scale).quantize(Decimal("0.01"))
        revise_plan(
            workspace,
            name,
            ReviseRequest(
                reason="peak season: Black Friday stock secured in the US; US November +10%, moved from the other marketplaces' November",
                from_month=f"{year}-10",
                sets=[CellSet(peak, ("US",), raised, f"{peak}/US={raised}")],
            ),
            actor=ACTOR,
        )
    return PlanStore(workspace.app.engine).load(name)


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)
