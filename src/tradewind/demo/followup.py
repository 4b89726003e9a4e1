"""What the demo seller does once its reports are in: make the year's plan, write down the notes and
rules it keeps, and run `check` on the days the planted cases show, as a seller checking every day would
have found them. `planted_cases` says what those checks must raise, and nothing else.

The watch cases and their check days come from `tradewind.watch.demo` (the notes, the demo's rules.yaml,
the days); the compliance gaps from `tradewind.demo_ops` (the registry and the invalid GTIN); the plan
from `tradewind.plan.demo`. This module only strings them together and sizes the one rule threshold
that depends on the generated volume (`weekly_floor`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tradewind.core.console import Console
from tradewind.core.errors import TradewindError
from tradewind.demo.world import World
from tradewind.watch.demo import DemoWatch, demo_rules_text, plant_demo_cases
from tradewind.watch.model import Alert, CheckReport, Explained
from tradewind.watch.ruleset import WORKSPACE_RULES

if TYPE_CHECKING:
    from tradewind.app import Workspace

#: The needs-explanation floor sits this far above the usual weeks of the smaller marketplaces.
FLOOR_MARGIN = 1.25


@dataclass(frozen=True)
class PlantedCase:
    """A planted case as the checks must report it: any of `rules`, on alerts whose scope holds every
    key of `scope`, first raised by the check of `as_of`; `explained`: a move a note explains (listed
    by the check, no alert)."""

    story: str
    rules: tuple[str, ...]
    scope: Mapping[str, str]
    as_of: date
    explained: bool = False

    def covers(self, rule_id: str, scope: Mapping[str, str]) -> bool:
        return rule_id in self.rules and all(scope.get(k) == v for k, v in self.scope.items())


@dataclass(frozen=True)
class DemoFollowup:
    """The plan made for the year, the notes and rules written down, and the checks run."""

    plan: str | None
    watch: DemoWatch
    checks: tuple[CheckReport, ...]
    cases: tuple[PlantedCase, ...]
    weekly_floor: float | None
    seconds: float


def plan_year(world: World) -> int:
    """The demo's current year: the year of its last day of data (the year of "today", except in January,
    when last year is the one with a month to show)."""
    return world.scenario.end.year


def follow_up(ws: Workspace, world: World, console: Console, errors: list[TradewindError]) -> DemoFollowup:
    """Make the year's plan, write down the notes and rules, and check the data on each planted case's
    day, oldest first. Nothing is sent (the demo has no notify.yaml)."""
    from tradewind.plan.demo import create_demo_plan

    started = time.perf_counter()
    scenario = world.scenario
    console.info(f"Making the {plan_year(world)} plan and checking the data as the seller would")
    plan: str | None = None
    try:
        plan = create_demo_plan(ws, plan_year(world), today=scenario.today).name
    except TradewindError as exc:
        errors.append(exc)
    watch = plant_demo_cases(ws, scenario, world.plants, world.plants.watch)
    moves_day = world.plants.watch.moves_check_day or scenario.end
    floor = weekly_floor(ws, world, sorted({moves_day, scenario.end}))
    if floor is not None and watch.rules_file is not None:
        (ws.folder / WORKSPACE_RULES).write_text(demo_rules_text(scenario, floor), encoding="utf-8")
    checks = tuple(ws.check(day, notify=False) for day in watch.check_dates)
    cases = planted_cases(world, watch)
    return DemoFollowup(plan, watch, checks, cases, floor, time.perf_counter() - started)


def _judged_weeks(check_dates: Sequence[date]) -> set[date]:
    """Mondays of the weeks the needs-explanation rule judges on these days (the last four complete
    weeks), and of the week before each (a week-over-week move is about both)."""
    from tradewind.watch.evaluate.unexplained import last_complete_week_end

    weeks = set()
    for day in check_dates:
        last = last_complete_week_end(day) - timedelta(days=6)
        weeks |= {last - timedelta(days=7 * k) for k in range(5)}
    return weeks


def weekly_floor(ws: Workspace, world: World, check_dates: Sequence[date]) -> float | None:
    """The needs-explanation floor for this demo: a quarter above the largest usual week (no note
    touches it) of any marketplace but the main one, among the weeks judged on `check_dates` (the days
    the planted moves are checked, and the last day). The smaller marketplaces' weeks then stay
    unjudged (their 15-20 orders a day move 30% a week by chance), while the main marketplace, the
    planted spike and every noted event are judged."""
    from tradewind.engine import KpiRequest

    weeks = _judged_weeks(check_dates)
    if not weeks:
        return None
    period = f"{min(weeks).isoformat()}..{(max(weeks) + timedelta(days=6)).isoformat()}"
    result = ws.kpi(
        KpiRequest(kpis=("gmv",), by=("week", "marketplace"), period=period), today=world.scenario.today
    )
    values: dict[tuple[str, date], float] = {}
    for row in result.rows:
        year, week = (int(p) for p in str(row["period"]).split("-W"))
        if row.get("gmv") is not None and row.get("marketplace"):
            values[(str(row["marketplace"]), date.fromisocalendar(year, week, 1))] = float(row["gmv"])
    totals: dict[str, float] = {}
    for (market, _monday), value in values.items():
        totals[market] = totals.get(market, 0.0) + value
    if not totals:
        return None
    main = max(totals, key=lambda m: totals[m])
    notes = ws.watch().notes.all()
    usual = [
        value
        for (market, monday), value in values.items()
        if market != main
        and monday in weeks
        and not any(n.overlaps({"marketplace": market}, monday, monday + timedelta(days=6)) for n in notes)
    ]
    if not usual:
        return None
    return float(math.ceil(max(usual) * FLOOR_MARGIN / 100) * 100)


def planted_cases(world: World, watch: DemoWatch) -> tuple[PlantedCase, ...]:
    """Every alert the demo's checks must raise, and every move they must list as explained: the watch
    cases of `tradewind.watch.demo` (a case may show in a rule's sibling: the French backlog in the
    per-language rule, the German SKU's ROAS in its campaign's) and the compliance gaps of
    `tradewind.demo_ops`, each on the first check that sees it."""
    from tradewind.demo_ops.families import expected_gaps

    siblings = {
        "roas_floor_sku": ("roas_floor_sku", "roas_floor_campaign"),
        "cs_reply_24h": ("cs_reply_24h", "cs_reply_24h_language"),
    }
    cases = [
        PlantedCase(e.story, siblings.get(e.rule_id, (e.rule_id,)), dict(e.scope), e.as_of, e.explained)
        for e in watch.expected
    ]
    days = watch.check_dates
    if days:
        end = world.scenario.end
        for gap in expected_gaps(world):
            scope = {"account": gap.account, "registration": gap.kind}
            scope |= {k: v for k, v in (("country", gap.country), ("category", gap.category)) if v}
            # A registration expiring within 30 days of the last day is first seen then; the others are
            # as wrong on the first check day as on the last.
            seen = end if gap.status == "expiring" else days[0]
            cases.append(
                PlantedCase(
                    f"compliance: {gap.kind} {gap.status}", ("compliance_registrations",), scope, seen
                )
            )
    return tuple(cases)


def unplanted(alerts: Sequence[Alert], cases: Sequence[PlantedCase], as_of: date) -> list[Alert]:
    """The alerts of a check on `as_of` that no planted case of that day explains (none, for the demo)."""
    today = [c for c in cases if c.as_of == as_of and not c.explained]
    return [a for a in alerts if not any(c.covers(a.rule_id, a.scope) for c in today)]


def unfound(checks: Sequence[CheckReport], cases: Sequence[PlantedCase]) -> list[PlantedCase]:
    """The planted cases that no check reported on their day (none, for the demo)."""
    missing = []
    for case in cases:
        report = next((r for r in checks if r.as_of == case.as_of), None)
        pool: Sequence[Alert | Explained] = ()
        if report is not None:
            pool = report.explained if case.explained else report.new
        if not any(case.covers(item.rule_id, item.scope) for item in pool):
            missing.append(case)
    return missing
