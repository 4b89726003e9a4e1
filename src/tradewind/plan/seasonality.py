"""How a marketplace's year spreads over its months, learnt from its own history with the event calendar.

For each of the last one or two complete twelve-month windows, every month's sales are split into a base
(what the month sells without its events) and the extra its events brought (event-day sales above the
month's average non-event day). Both become shares of the window's sales and are averaged over the
windows. The plan year then gets each month's base share plus the extra of the events that fall in it
*in the plan year*: Cyber Monday's extra moves from December 2025 (1 Dec) to November 2026 (30 Nov),
Prime Day's stays in July whatever its dates. Shares are exact fractions that sum to 1.

A marketplace with fewer than twelve complete months of history takes its region's template curve
(data/seasonality_templates.yaml), and the plan says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cache
from importlib import resources

import yaml

from tradewind.core.marketplaces import MARKETPLACES
from tradewind.plan.calendar import add_months, days_of, month_end, month_start, plan_months
from tradewind.plan.events import EventCalendar, Occurrence

MIN_MONTHS = 12


@dataclass(frozen=True)
class Seasonality:
    #: (year, month) of each plan month -> its share of the plan year (sums to 1).
    shares: dict[tuple[int, int], Fraction]
    #: "own" or "template:<region>"
    source: str
    note: str | None = None


@cache
def templates() -> dict[str, tuple[Fraction, ...]]:
    text = resources.files("tradewind.plan").joinpath("data/seasonality_templates.yaml").read_text("utf-8")
    data = yaml.safe_load(text)["templates"]
    out = {}
    for region, values in data.items():
        if len(values) != 12 or any(float(v) < 0 for v in values):
            raise ValueError(f"seasonality template {region}: twelve non-negative values, January first")
        out[str(region)] = tuple(Fraction(str(v)) for v in values)
    return out


def template_region(marketplace: str) -> str:
    found = MARKETPLACES.get(marketplace)
    region = found.region.value if found else "OTHER"
    return region if region in templates() else "OTHER"


def complete_months(daily: Mapping[date, int], last: date) -> int:
    """Months of history: from the first month with a sale to `last`'s month, both included (a seller's
    data starts when its reports do, not on the first day with a sale)."""
    if not daily:
        return 0
    start = min(daily)
    return max(0, (last.year - start.year) * 12 + last.month - start.month + 1)


def event_days(
    calendar: EventCalendar, marketplace: str, first: date, last: date
) -> dict[date, list[Occurrence]]:
    days: dict[date, list[Occurrence]] = defaultdict(list)
    for occ in calendar.between(first, last, marketplace):
        for day in occ.days():
            days[day].append(occ)
    return days


def baselines(
    daily: Mapping[date, int], months: list[date], events: Mapping[date, list[Occurrence]]
) -> dict[date, Fraction]:
    """Average sales of a non-event day in each month (days without sales count as 0)."""
    out: dict[date, Fraction] = {}
    for month in months:
        plain = [d for d in days_of(month) if d not in events]
        total = sum(daily.get(d, 0) for d in plain)
        out[month] = Fraction(total, len(plain)) if plain else Fraction(0)
    return out


def learn(
    marketplace: str,
    daily: Mapping[date, int],
    last: date | None,
    calendar: EventCalendar,
    year: int,
    start_month: int = 1,
) -> Seasonality:
    months = plan_months(year, start_month)
    n = complete_months(daily, last) if last is not None else 0
    if last is None or n < MIN_MONTHS:
        region = template_region(marketplace)
        curve = templates()[region]
        whole = sum(curve, Fraction(0))
        flat = {(m.year, m.month): curve[m.month - 1] / whole for m in months}
        note = (
            f"{marketplace} has {n} month{'s' if n != 1 else ''} of history (fewer than "
            f"{MIN_MONTHS}): its months follow the {region} template curve"
        )
        return Seasonality(flat, f"template:{region}", note)
    windows = 2 if n >= 2 * MIN_MONTHS else 1
    last_month = month_start(last)
    base: dict[int, Fraction] = defaultdict(Fraction)  # calendar month -> base share (summed over windows)
    extra: dict[str, Fraction] = defaultdict(Fraction)  # event id -> extra share (summed over windows)
    used = 0
    for w in range(windows):
        window = [add_months(last_month, -12 * w - k) for k in range(11, -1, -1)]
        events = event_days(calendar, marketplace, window[0], month_end(window[-1]))
        total = sum(a for d, a in daily.items() if window[0] <= d <= month_end(window[-1]))
        if total <= 0:
            continue
        used += 1
        lines = baselines(daily, window, events)
        excess: dict[str, Fraction] = defaultdict(Fraction)
        by_month_excess: dict[date, Fraction] = defaultdict(Fraction)
        for occ in calendar.between(window[0], month_end(window[-1]), marketplace):
            gain = Fraction(0)
            for day in occ.days():
                if window[0] <= day <= month_end(window[-1]):
                    gain += daily.get(day, 0) - lines[month_start(day)]
            if gain <= 0:
                continue
            excess[occ.event] += gain
            span = [d for d in occ.days() if window[0] <= d <= month_end(window[-1])]
            for day in span:
                by_month_excess[month_start(day)] += gain / len(span)
        for month in window:
            sales = sum(a for d, a in daily.items() if month <= d <= month_end(month))
            base[month.month] += (sales - by_month_excess[month]) / total
        for event_id, gain in excess.items():
            extra[event_id] += gain / total
    if used == 0:
        return learn(marketplace, {}, None, calendar, year, start_month)
    shares: dict[tuple[int, int], Fraction] = {(m.year, m.month): base[m.month] / used for m in months}
    plan_first, plan_last = months[0], month_end(months[-1])
    for occ in calendar.between(plan_first, plan_last, marketplace):
        share = extra.get(occ.event, Fraction(0)) / used
        if not share:
            continue
        span = [d for d in occ.days() if plan_first <= d <= plan_last]
        for day in span:
            shares[(day.year, day.month)] += share / len(span)
    whole = sum(shares.values(), Fraction(0))
    shares = {k: v / whole for k, v in shares.items()}
    return Seasonality(shares, "own", None)
