"""What the demo seller needs for watch: the notes and rules it keeps, and the days to check it on.

The demo generator plants one case for each rule family; `plant_demo_cases` adds what a real seller
would have written down next to that data (the shopping events, the customs hold behind the July
stock-out, the competitor stock-out behind a spike, the bidding war behind the ROAS dip; deliberately
no note for the drop) and a `rules.yaml` sized for the demo, and says on which days `check` finds each
case. The facts themselves are the generator's job; `WatchPlants` says where they must be:

- ROAS dip on a German SKU: `Plants.roas_dips` (DE ads dearer for six weeks) → `roas_floor_sku` on the
  check day four weeks into the dip.
- July stock-out: `Plants.stockouts` → `stocked_out` on a day with an inventory snapshot while the SKU is
  out of stock and still active (stock or sales in the 30 days before the snapshot, so within 30 days
  of running out).
- French service backlog: `WatchPlants.backlog` → CS tickets for FR in its dates with fewer than 90%
  answered within 24 hours (`cs_reply_24h`).
- Spike explained by a competitor stock-out: `WatchPlants.spike` → demand × factor in that week and
  marketplace; the note explains it (listed as explained by `check`, no alert).
- Unexplained drop: `WatchPlants.drop` → demand × factor (< 1) in that week and marketplace, no note
  (`needs_explanation`). Both in quiet weeks (no shopping event or season note near them), checked on
  `WatchPlants.moves_check_day`.
- Reconciliation gap: `WatchPlants.gap` → the Business Report covering those dates counts fewer units
  ordered than the orders for some SKUs (`units_reconciliation`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import yaml

from tradewind.watch.notes import Note, NoteBook
from tradewind.watch.ruleset import WORKSPACE_RULES, load_rules

if TYPE_CHECKING:
    from tradewind.app import Workspace
    from tradewind.demo.plants import Plants
    from tradewind.demo.scenario import DemoScenario

AUTHOR = "demo"
#: Events a seller logs as shopping events (kind prime_day) or as season (kind other).
_DEAL_EVENTS = ("Prime Day", "Prime Big Deal Days", "Black Friday week", "Cyber Monday", "Boxing Day")
_SEASON_EVENTS = ("New Year lull", "Pre-Prime Day lull", "Christmas shopping", "Christmas")


@dataclass(frozen=True)
class MovePlant:
    """Demand in `marketplace` multiplied by `factor` from Monday `start` to Sunday `end`."""

    marketplace: str
    start: date
    end: date
    factor: float
    story: str


@dataclass(frozen=True)
class ServiceBacklog:
    """CS tickets in `marketplace` whose first reply within 24 hours is `replied_within_24h` of them."""

    marketplace: str
    start: date
    end: date
    replied_within_24h: float
    story: str


@dataclass(frozen=True)
class ReconciliationGap:
    """The Business Report of `marketplace` covering `start`..`end` counts `share` fewer units ordered
    than the orders for its `skus` SKUs with the most units (a report downloaded before Amazon caught up)."""

    marketplace: str
    start: date
    end: date
    skus: int
    share: float
    story: str


@dataclass(frozen=True)
class WatchPlants:
    spike: MovePlant
    drop: MovePlant
    backlog: ServiceBacklog
    gap: ReconciliationGap
    #: The day a check finds the spike and the drop: the last day of data when both lie in its last four
    #: complete weeks, else the Sunday that ends the drop's week (see `watch_plants_for`).
    moves_check_day: date | None = None


@dataclass(frozen=True)
class ExpectedAlert:
    """A case `check` must find: rule, the scope keys that identify it, and the day to check on."""

    rule_id: str
    scope: Mapping[str, str]
    as_of: date
    story: str
    #: True when the case is a move a note explains: `check` lists it as explained, with no alert.
    explained: bool = False


@dataclass(frozen=True)
class DemoWatch:
    notes: tuple[Note, ...]
    expected: tuple[ExpectedAlert, ...]
    rules_file: str | None = None
    check_dates: tuple[date, ...] = field(default_factory=tuple)


def _last_sunday(day: date) -> date:
    return day - timedelta(days=(day.weekday() + 1) % 7)


#: Weeks of history the needs-explanation rule wants before a judged week (12), plus slack.
_HISTORY_WEEKS = 16


def _move_weeks(scenario: DemoScenario, busy: Sequence[tuple[date, date]] = ()) -> tuple[date, date, date]:
    """Mondays of the drop and the spike weeks, and the day to check them on.

    Each lies in a quiet week: no note (shopping event, season) touches it or the week before it, so the
    drop is a move nothing explains and the spike is explained by its own note only. The drop is the
    latest such week whose rebound the rule cannot misread (it is the last complete week, the week after
    it carries a note, or that week is too old for the last day's check); the spike one to three weeks
    before it. Both are checked on the last day of data when they lie in its last four complete weeks
    (the weeks the rule judges), else on the Sunday that ends the drop's week, late in its month. `busy`:
    other notes' dates that touch the drop's marketplace (a planted stock-out there)."""
    spans = [(a, b) for _kind, a, b, _scope, _text in _event_notes(scenario)]
    drop_spans = [*spans, *busy]

    def noted_drop(first: date, last: date) -> bool:
        return any(a <= last and first <= b for a, b in drop_spans)

    def noted(first: date, last: date) -> bool:
        return any(a <= last and first <= b for a, b in spans)

    def quiet(monday: date) -> bool:
        return not noted(monday - timedelta(days=7), monday + timedelta(days=6))

    latest = _last_sunday(scenario.end) - timedelta(days=6)
    judged_from = latest - timedelta(days=21)
    earliest = scenario.start + timedelta(days=7 * _HISTORY_WEEKS)
    drop = latest
    while drop >= earliest:
        rebound = drop + timedelta(days=7)
        settled = drop == latest or noted(rebound, rebound + timedelta(days=6)) or rebound < judged_from
        spikes = [drop - timedelta(days=7 * k) for k in (2, 1, 3)]
        spikes = [d for d in spikes if d >= earliest and quiet(d)]
        spikes.sort(key=lambda d: d < judged_from)  # prefer one the last day's check judges too
        drop_quiet = not noted_drop(drop - timedelta(days=7), drop + timedelta(days=6))
        if drop_quiet and settled and spikes:
            spike = spikes[0]
            on_last_day = drop >= judged_from and spike >= judged_from
            sunday = drop + timedelta(days=6)
            # Checked on its own Sunday, the drop must not be most of that month so far: a plan's pace
            # would fall behind with it (on the last day it is at most a quarter of the month).
            if on_last_day or sunday.day >= 21:
                return drop, spike, scenario.end if on_last_day else sunday
        drop -= timedelta(days=7)
    # A demo too short for any quiet week: the last weeks, as they are.
    return latest, latest - timedelta(days=14), scenario.end


def watch_plants_for(scenario: DemoScenario, busy: Sequence[tuple[date, date]] = ()) -> WatchPlants:
    """Where the generator plants the watch cases: in the last weeks of the data, so a check on the last
    day finds them (the needs-explanation rule judges the last four complete weeks); the spike and the
    drop in quiet weeks (`_move_weeks`)."""
    drop_start, spike_start, moves_check_day = _move_weeks(scenario, busy)
    return WatchPlants(
        spike=MovePlant(
            "DE",
            spike_start,
            spike_start + timedelta(days=6),
            1.9,
            "the main competitor's camping chairs were out of stock on Amazon.de for a week",
        ),
        drop=MovePlant(
            "US",
            drop_start,
            drop_start + timedelta(days=6),
            0.55,
            "US sales fell by almost half in a week, and nobody knows why yet",
        ),
        backlog=ServiceBacklog(
            "FR",
            scenario.end - timedelta(days=20),
            scenario.end,
            0.72,
            "the French-speaking agent was on leave; tickets waited two to three days",
        ),
        gap=ReconciliationGap(
            "DE",
            scenario.end.replace(day=1),
            scenario.end,
            # Its best sellers (3 of the small demo's 30 SKUs, a twentieth of a larger catalog): about a
            # third of its units, so the report falls short by 4% (beyond the 2% tolerance) at any size.
            max(3, scenario.size.skus // 20),
            0.12,
            "the DE Business Report was downloaded before Amazon had counted every order",
        ),
        moves_check_day=moves_check_day,
    )


#: Seasons a seasonal seller writes down: demand for its home and festive goods climbs through November
#: (the steepest weeks of its year, which the needs-explanation rule would otherwise flag).
_SEASON_NOTES = (("Holiday season: home and festive goods pick up", (11, 1), (11, 30)),)


def _event_notes(scenario: DemoScenario) -> list[tuple[str, date, date, dict[str, str], str]]:
    from tradewind.demo.calendar import events_between

    found: list[tuple[str, date, date, dict[str, str], str]] = []
    for year in range(scenario.start.year, scenario.end.year + 1):
        for text, (m1, d1), (m2, d2) in _SEASON_NOTES:
            first, last = max(date(year, m1, d1), scenario.start), min(date(year, m2, d2), scenario.end)
            if first <= last:
                found.append(("other", first, last, {}, text))
    for event in events_between(scenario.start, scenario.end):
        if event.name not in _DEAL_EVENTS and event.name not in _SEASON_EVENTS:
            continue
        kind = "prime_day" if event.name in _DEAL_EVENTS else "other"
        markets = event.markets or ("",)
        for market in markets:
            scope = {"marketplace": market} if market else {}
            found.append(
                (kind, max(event.start, scenario.start), min(event.end, scenario.end), scope, event.name)
            )
    return found


#: The demo seller's changes to the shipped rules, each with the reason a seller of its size would give.
#: A change of threshold or guard only: the rules themselves stay the shipped ones.
_DEMO_CHANGES: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "A ROAS read from fewer than 5 attributed units is chance: the demo seller's long tail sells a\n"
        "unit or two a week through ads.",
        {"id": "roas_floor_sku", "at_least": {"ad_spend": 20, "ad_units": 5}},
    ),
    (
        "The 2026 plan asks most of the growth of the US, Germany and the UK, so the smaller marketplaces\n"
        "run far ahead of their share all year: pace the company here, and see each marketplace's\n"
        "attainment on the board ('tradewind plan progress --by marketplace').",
        {"id": "plan_deviation", "levels": [[]]},
    ),
    (
        "Likewise, judge 'volume bought at a loss' for the company.",
        {"id": "volume_at_a_loss", "levels": [[]]},
    ),
    (
        "A 30-day refund rate from fewer than 200 units moves a point with every two returns.",
        {"id": "refund_ceiling", "at_least": {"units": 200}},
    ),
    (
        "The same for a campaign.",
        {"id": "roas_floor_campaign", "at_least": {"ad_spend": 20, "ad_units": 5}},
    ),
    (
        "Days of supply from fewer than 7 units a week swings with every sale: judge SKUs that sell\n"
        "at least one a day.",
        {"id": "stockout_risk", "at_least": {"units": 7}},
    ),
    (
        "Sea freight (six-week lead times), a month's order on top, a safety stock and the stock built\n"
        "for the Q4 peak put a well-run SKU at up to 170 days in October. The German stock also serves\n"
        "FR, IT and ES (EFN) while days of supply counts German sales only, so Germany is judged by its\n"
        "own rule below.",
        {
            "id": "overstock",
            "above": 210,
            "at_least": {"units": 7},
            "where": {"marketplace": ["US", "CA", "UK"]},
        },
    ),
    (
        "Overstock of the German (EFN) stock, which sells in four marketplaces: from 360 days of German sales.",
        {
            "id": "overstock_efn",
            "kind": "threshold",
            "name": {
                "en": "Days of supply above 360 (stock that also serves FR, IT, ES)",
                "zh": "可售天数超过 360 天（同时供应法意西的库存）",
            },
            "severity": "warning",
            "kpi": "days_of_supply",
            "by": ["account", "marketplace", "sku"],
            "windows": [7],
            "above": 360,
            "at_least": {"units": 7},
            "where": {"marketplace": ["DE"]},
            "dedupe": "month",
        },
    ),
)


#: Weekly GMV (USD) under which a marketplace's week is too small to judge, per demo size: above the
#: usual week of the demo's smaller marketplaces (whose 15-20 orders a day move 30% a week by chance),
#: below the planted German spike.
_WEEKLY_FLOORS = {"medium": 9000.0}


def demo_rules(scenario: DemoScenario, weekly_floor: float | None = None) -> dict[str, Any]:
    """The demo seller's own rules.yaml: the needs-explanation floor sized to the demo's volume (a small
    demo's smaller marketplaces move 30% a week by chance; `weekly_floor` when the demo measured it), and
    the guards and thresholds of `_DEMO_CHANGES`."""
    if weekly_floor is None:
        weekly_floor = _WEEKLY_FLOORS.get(
            scenario.size.name, float(round(50 * scenario.size.lines_per_day, -2))
        )
    return {
        "rules": [
            {"id": "needs_explanation", "min_value": float(weekly_floor), "mad_z": 5.0},
            *(rule for _why, rule in _DEMO_CHANGES),
        ]
    }


def demo_rules_text(scenario: DemoScenario, weekly_floor: float | None = None) -> str:
    """`demo_rules` as a commented rules.yaml, so a user reading it sees why each change was made."""
    reasons = {
        "needs_explanation": (
            "Weeks under this value (USD) are too small to judge: it sits above the usual weeks of the\n"
            "seller's smaller marketplaces, whose 15-20 orders a day move 30% a week by chance. The\n"
            "seller's seasons (outdoor goods in spring, home goods in autumn) move 3-4 robust SDs against\n"
            "12 weeks of history: robust moves count from 5 SDs here; week-over-week moves as shipped."
        ),
        **{rule["id"]: why for why, rule in _DEMO_CHANGES},
    }
    lines = [
        "# The demo seller's own watch rules: the shipped defaults (tradewind/watch/defaults.yaml) with",
        "# these changes, sized to the seller. Edit them like any workspace's rules.yaml.",
        "rules:",
    ]
    for rule in demo_rules(scenario, weekly_floor)["rules"]:
        lines += ["", *(f"  # {line}" for line in reasons[rule["id"]].splitlines())]
        body = yaml.safe_dump([rule], sort_keys=False, allow_unicode=True).rstrip("\n")
        lines += [f"  {line}" for line in body.splitlines()]
    return "\n".join(lines) + "\n"


def plant_demo_cases(
    ws: Workspace,
    scenario: DemoScenario,
    plants: Plants,
    watch: WatchPlants | None = None,
    *,
    weekly_floor: float | None = None,
) -> DemoWatch:
    """Add the demo's notes and rules to `ws` (once: a second call changes nothing) and say what `check`
    must find on which day. `weekly_floor` sets the needs-explanation floor (see `demo_rules`)."""
    watch = watch or watch_plants_for(scenario)
    book = NoteBook(ws.app.engine)
    existing = {
        (n.kind.value, n.date_from, n.date_to, tuple(sorted(n.scope.items())), n.text) for n in book.all()
    }
    wanted: list[tuple[str, date, date, dict[str, str], str]] = _event_notes(scenario)
    for s in plants.stockouts:
        for sku in s.skus:
            wanted.append(
                (
                    "logistics_delay",
                    s.runs_out,  # when the hold bites: the stock runs out
                    s.arrival,
                    {"marketplace": s.pool, "sku": sku},
                    s.story,
                )
            )
    for dip in plants.roas_dips:
        for market in dip.markets:
            wanted.append(("other", dip.start, dip.end, {"marketplace": market}, dip.story))
    wanted.append(
        (
            "competitor_stockout",
            watch.spike.start,
            watch.spike.end,
            {"marketplace": watch.spike.marketplace},
            watch.spike.story,
        )
    )
    # watch.drop gets no note on purpose: it is the move that needs an explanation.
    notes = []
    for kind, start, end, scope, text in wanted:
        key = (kind, start, end, tuple(sorted(scope.items())), text)
        if key in existing:
            continue
        notes.append(book.add(kind, start, end, scope, text, AUTHOR))
        existing.add(key)

    rules_path = ws.folder / WORKSPACE_RULES
    rules_file = None
    if not rules_path.exists():
        rules_path.write_text(demo_rules_text(scenario, weekly_floor), encoding="utf-8")
        rules_file = rules_path.name
        load_rules(ws.folder)  # fail here, not in the demo's first check

    expected = _expected(scenario, plants, watch)
    dates = tuple(sorted({e.as_of for e in expected}))
    return DemoWatch(tuple(notes), expected, rules_file, dates)


def _expected(scenario: DemoScenario, plants: Plants, watch: WatchPlants) -> tuple[ExpectedAlert, ...]:
    out: list[ExpectedAlert] = []
    for dip in plants.roas_dips:
        if "DE" in dip.markets:
            out.append(
                ExpectedAlert(
                    "roas_floor_sku", {"marketplace": "DE"}, dip.start + timedelta(days=27), dip.story
                )
            )
    for s in plants.stockouts:
        # The generator says on which day a snapshot shows every SKU out and still active.
        seen_on = getattr(s, "check_day", None) or s.arrival - timedelta(days=3)
        for sku in s.skus:
            out.append(ExpectedAlert("stocked_out", {"marketplace": s.pool, "sku": sku}, seen_on, s.story))
    end = scenario.end
    out.append(
        ExpectedAlert("cs_reply_24h", {"marketplace": watch.backlog.marketplace}, end, watch.backlog.story)
    )
    moves_day = watch.moves_check_day or end
    out.append(
        ExpectedAlert(
            "needs_explanation",
            {"marketplace": watch.spike.marketplace},
            moves_day,
            watch.spike.story,
            explained=True,
        )
    )
    out.append(
        ExpectedAlert(
            "needs_explanation", {"marketplace": watch.drop.marketplace}, moves_day, watch.drop.story
        )
    )
    out.append(
        ExpectedAlert("units_reconciliation", {"marketplace": watch.gap.marketplace}, end, watch.gap.story)
    )
    return tuple(out)


def demand_factor(watch: WatchPlants, marketplace: str, day: date) -> float:
    """The multiplier the demand simulation applies for the spike and the drop (1.0 elsewhere)."""
    for move in (watch.spike, watch.drop):
        if move.marketplace == marketplace and move.start <= day <= move.end:
            return move.factor
    return 1.0


def found(report_alerts: Sequence[Any], report_explained: Sequence[Any], case: ExpectedAlert) -> bool:
    """Whether a check's alerts (or its explained moves) hold the expected case."""
    pool = report_explained if case.explained else report_alerts
    return any(
        a.rule_id == case.rule_id and all(a.scope.get(k) == v for k, v in case.scope.items()) for a in pool
    )
