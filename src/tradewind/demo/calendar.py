"""The shopping calendar the demo seller lives by: seasons, weekdays, growth and retail events.

Event dates follow kpis.md ("Event calendar"): Prime Day 2024-07-16..17 and 2025-07-08..11, Prime
Big Deal Days 2024-10-08..09 and 2025-10-07..08; later years are placed as a plan would place them
before Amazon announces the dates (Prime Day: Tuesday to Friday of the second week of July; Prime Big
Deal Days: Tuesday and Wednesday of the second week of October). Black Friday is the day after the
fourth Thursday of November, Cyber Monday the Monday after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from tradewind.demo.markets import MARKET_CODES
from tradewind.demo.scenario import DemoScenario

FloatArray = npt.NDArray[np.float64]

_PRIME_DAY = {
    2022: (date(2022, 7, 12), date(2022, 7, 13)),
    2023: (date(2023, 7, 11), date(2023, 7, 12)),
    2024: (date(2024, 7, 16), date(2024, 7, 17)),
    2025: (date(2025, 7, 8), date(2025, 7, 11)),
}
_BIG_DEAL_DAYS = {
    2022: (date(2022, 10, 11), date(2022, 10, 12)),
    2023: (date(2023, 10, 10), date(2023, 10, 11)),
    2024: (date(2024, 10, 8), date(2024, 10, 9)),
    2025: (date(2025, 10, 7), date(2025, 10, 8)),
}


def _tuesday_of_second_week(year: int, month: int) -> date:
    day = date(year, month, 8)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def prime_day(year: int) -> tuple[date, date]:
    if year in _PRIME_DAY:
        return _PRIME_DAY[year]
    first = _tuesday_of_second_week(year, 7)
    return first, first + timedelta(days=3)


def prime_big_deal_days(year: int) -> tuple[date, date]:
    if year in _BIG_DEAL_DAYS:
        return _BIG_DEAL_DAYS[year]
    first = _tuesday_of_second_week(year, 10)
    return first, first + timedelta(days=1)


def black_friday(year: int) -> date:
    first = date(year, 11, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thursday + timedelta(days=1)


def cyber_monday(year: int) -> date:
    return black_friday(year) + timedelta(days=3)


@dataclass(frozen=True)
class Event:
    name: str
    start: date
    end: date
    #: Demand multiplier per day of the event (the last value repeats for longer events).
    lifts: tuple[float, ...]
    #: Deal SKUs are discounted on these days.
    deals: bool = False
    #: Marketplaces the event runs in (empty: all).
    markets: tuple[str, ...] = ()

    def days(self) -> list[date]:
        return [self.start + timedelta(days=k) for k in range((self.end - self.start).days + 1)]


def events_for_year(year: int) -> list[Event]:
    pd_start, pd_end = prime_day(year)
    bdd_start, bdd_end = prime_big_deal_days(year)
    bf = black_friday(year)
    cm = cyber_monday(year)
    return [
        Event("New Year lull", date(year, 1, 1), date(year, 1, 6), (0.7, 0.85)),
        Event("Pre-Prime Day lull", pd_start - timedelta(days=7), pd_start - timedelta(days=1), (0.88,)),
        Event("Prime Day", pd_start, pd_end, (3.3, 2.6, 2.3, 2.7), deals=True),
        Event("Prime Big Deal Days", bdd_start, bdd_end, (2.1, 1.8), deals=True),
        Event("Black Friday week", bf - timedelta(days=7), bf - timedelta(days=2), (1.3,)),
        Event("Thanksgiving", bf - timedelta(days=1), bf - timedelta(days=1), (1.35,)),
        Event("Black Friday", bf, bf, (2.7,), deals=True),
        Event("Black Friday weekend", bf + timedelta(days=1), bf + timedelta(days=2), (1.8, 1.7), deals=True),
        Event("Cyber Monday", cm, cm, (2.4,), deals=True),
        Event("Christmas shopping", date(year, 12, 1), date(year, 12, 20), (1.25,)),
        Event("Christmas", date(year, 12, 21), date(year, 12, 26), (1.05, 0.95, 0.85, 0.7, 0.5, 0.9)),
        Event("Boxing Day", date(year, 12, 26), date(year, 12, 26), (1.7,), deals=True, markets=("UK", "CA")),
    ]


def events_between(start: date, end: date) -> list[Event]:
    found = []
    for year in range(start.year, end.year + 1):
        for event in events_for_year(year):
            if event.end >= start and event.start <= end:
                found.append(event)
    return found


#: Monthly demand shape (Jan..Dec) by product season. Home goods peak in Q4; outdoor goods in early
#: summer with a smaller gifting bump in Q4; the mix gives the seller its Q4 peak.
SEASONS: dict[str, tuple[float, ...]] = {
    "home": (0.85, 0.80, 0.85, 0.85, 0.85, 0.85, 0.90, 0.90, 0.95, 1.05, 1.50, 1.70),
    "outdoor": (0.50, 0.55, 0.80, 1.10, 1.35, 1.45, 1.40, 1.15, 0.90, 0.75, 0.95, 1.15),
    "festive": (0.55, 0.55, 0.65, 0.70, 0.75, 0.80, 0.80, 0.80, 0.95, 1.30, 2.10, 2.70),
}

#: Monday..Sunday: orders peak on Sunday evening and Monday, dip on Friday and Saturday.
WEEKDAY = (1.06, 1.02, 1.00, 0.98, 0.92, 0.90, 1.12)

#: Year-on-year growth of the existing catalog. With new launches and price rises the seller grows
#: about a quarter a year, as its plan asks (`tradewind.plan.demo`: last year + 25%).
GROWTH = 1.12


@dataclass(frozen=True)
class DayFactors:
    """Per-day multipliers over the scenario's days (index 0 = scenario start)."""

    dates: list[date]
    weekday: FloatArray
    trend: FloatArray
    #: season name -> factor per day
    season: dict[str, FloatArray]
    #: [market, day] event multiplier
    lift: FloatArray
    #: [market, day] deal day
    deal: npt.NDArray[np.bool_]
    events: tuple[Event, ...]


def _season_curve(monthly: tuple[float, ...], dates: list[date]) -> FloatArray:
    """Smooth monthly factors into daily ones (linear between mid-months, wrapping the year)."""
    mids = np.array([(date(2001, m, 15) - date(2001, 1, 1)).days for m in range(1, 13)], dtype=float)
    xs = np.concatenate([mids - 365, mids, mids + 365])
    ys = np.array(monthly * 3, dtype=float)
    doy = np.array([min(d.timetuple().tm_yday - 1, 364) for d in dates], dtype=float)
    return np.interp(doy, xs, ys)


def day_factors(scenario: DemoScenario) -> DayFactors:
    dates = [scenario.date_of(k) for k in range(scenario.days)]
    n = len(dates)
    weekday = np.array([WEEKDAY[d.weekday()] for d in dates])
    trend = GROWTH ** (np.arange(n) / 365.0)
    season = {name: _season_curve(monthly, dates) for name, monthly in SEASONS.items()}
    lift = np.ones((len(MARKET_CODES), n))
    deal = np.zeros((len(MARKET_CODES), n), dtype=bool)
    events = events_between(scenario.start, scenario.end)
    for event in events:
        rows = (
            [MARKET_CODES.index(c) for c in event.markets]
            if event.markets
            else list(range(len(MARKET_CODES)))
        )
        for k, day in enumerate(event.days()):
            if not scenario.start <= day <= scenario.end:
                continue
            index = scenario.day_index(day)
            factor = event.lifts[min(k, len(event.lifts) - 1)]
            lift[rows, index] *= factor
            if event.deals:
                deal[rows, index] = True
    return DayFactors(dates, weekday, trend, season, lift, deal, tuple(events))
