"""Daily curves: how a monthly target is expected to arrive day by day, for pacing.

A marketplace's day weight is its day-of-week factor (from the last eight weeks of history, event days
left out) times the day's event lift (learnt from the marketplace's own past occurrences of the event:
event-day sales over the month's average non-event day; the calendar's default where it has none).
The expected amount to date is the target times the share of the month's weights elapsed.

Curves are proportions, not money: floats are fine here; the money they multiply stays exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from fractions import Fraction

from tradewind.plan.calendar import days_of, month_end, month_start, plan_months
from tradewind.plan.events import EventCalendar
from tradewind.plan.model import DailyProfile
from tradewind.plan.seasonality import baselines, event_days

DOW_WEEKS = 8


def learn_profile(
    marketplace: str,
    daily: Mapping[date, int],
    last: date | None,
    calendar: EventCalendar,
    year: int,
    start_month: int = 1,
) -> tuple[DailyProfile, list[str]]:
    notes: list[str] = []
    dow = _dow(marketplace, daily, last, calendar, notes)
    months = plan_months(year, start_month)
    plan_first, plan_last = months[0], month_end(months[-1])
    learnt = _learnt_lifts(marketplace, daily, last, calendar)
    lifts: dict[str, float] = {}
    for occ in calendar.between(plan_first, plan_last, marketplace):
        lift = learnt.get(occ.event, calendar.lift(occ.event))
        for day in occ.days():
            if plan_first <= day <= plan_last:
                key = day.isoformat()
                lifts[key] = max(lifts.get(key, 0.0), round(lift, 6))
    return DailyProfile(dow=dow, lifts=lifts), notes


def _dow(
    marketplace: str,
    daily: Mapping[date, int],
    last: date | None,
    calendar: EventCalendar,
    notes: list[str],
) -> tuple[float, float, float, float, float, float, float]:
    flat = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    if last is None or not daily:
        notes.append(f"{marketplace}: no daily history, so every day of the week counts the same")
        return flat
    first = last - timedelta(days=7 * DOW_WEEKS - 1)
    if min(daily) > first:
        notes.append(
            f"{marketplace}: less than {DOW_WEEKS} weeks of history, so every day of the week counts the same"
        )
        return flat
    events = event_days(calendar, marketplace, first, last)
    sums = [0] * 7
    counts = [0] * 7
    day = first
    while day <= last:
        if day not in events:
            sums[day.weekday()] += daily.get(day, 0)
            counts[day.weekday()] += 1
        day += timedelta(days=1)
    total, n = sum(sums), sum(counts)
    if total <= 0 or n == 0:
        return flat
    mean = Fraction(total, n)
    out = [round(float(Fraction(sums[w], counts[w]) / mean), 6) if counts[w] else 1.0 for w in range(7)]
    return tuple(out)  # type: ignore[return-value]


def _learnt_lifts(
    marketplace: str, daily: Mapping[date, int], last: date | None, calendar: EventCalendar
) -> dict[str, float]:
    """Event id -> average lift over the marketplace's past occurrences with sales around them."""
    if last is None or not daily:
        return {}
    first = min(daily)
    events = event_days(calendar, marketplace, month_start(first), last)
    found: dict[str, list[Fraction]] = {}
    for occ in calendar.between(month_start(first), last, marketplace):
        if occ.start < first or occ.end > last:
            continue
        months = sorted({month_start(d) for d in occ.days()})
        lines = baselines(daily, months, events)
        base = sum((lines[month_start(d)] for d in occ.days()), Fraction(0))
        if base <= 0:
            continue
        sales = sum(daily.get(d, 0) for d in occ.days())
        found.setdefault(occ.event, []).append(Fraction(sales) / base)
    return {k: float(sum(v, Fraction(0)) / len(v)) for k, v in found.items()}


def day_weights(profile: DailyProfile, month: date) -> list[tuple[date, float]]:
    return [(d, profile.dow[d.weekday()] * profile.lifts.get(d.isoformat(), 1.0)) for d in days_of(month)]


def elapsed_share(profile: DailyProfile, month: date, as_of: date) -> float:
    """Share of `month`'s curve elapsed by the end of `as_of` (0 before the month, 1 after it)."""
    if as_of < month:
        return 0.0
    if as_of >= month_end(month):
        return 1.0
    weights = day_weights(profile, month)
    whole = sum(w for _, w in weights)
    if whole <= 0:
        return ((as_of - month).days + 1) / len(weights)
    return sum(w for d, w in weights if d <= as_of) / whole
