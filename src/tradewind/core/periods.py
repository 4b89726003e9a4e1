"""Periods and time grains: parsing `2026-03`, `2026-Q1`, `2026`, `2026-W09`, `2026-01-01..2026-03-15`,
bucketing a date into a grain, labelling buckets, and shifting periods for MoM / YoY comparisons.

Quarters and years follow the workspace's fiscal year (start month configurable); a fiscal year is
labelled by the calendar year it starts in, so with an April start `2026` is 2026-04-01..2027-03-31 and
`2026-Q1` is April..June 2026. Weeks are ISO weeks (Monday first; `2026-W01` holds the year's first
Thursday). With the default January start everything is the plain calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tradewind.core.errors import QueryError


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


GRAINS: tuple[str, ...] = tuple(g.value for g in Grain)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> date:
    ny, nm = _add_months(year, month, 1)
    return date(ny, nm, 1) - timedelta(days=1)


def _shift_date_months(day: date, months: int) -> date:
    """The same day of month `months` later (clamped to the month's end: Mar 31 - 1 month = Feb 28/29)."""
    y, m = _add_months(day.year, day.month, months)
    return min(date(y, m, 1) + timedelta(days=day.day - 1), _month_end(y, m))


@dataclass(frozen=True)
class Calendar:
    """The workspace calendar: where the fiscal year starts."""

    fiscal_year_start_month: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.fiscal_year_start_month <= 12:
            raise QueryError(f"fiscal year start month must be 1..12, not {self.fiscal_year_start_month}")

    # -- buckets ------------------------------------------------------------------------------------
    def fiscal_year(self, day: date) -> int:
        """The fiscal year (labelled by its starting calendar year) that contains `day`."""
        return day.year if day.month >= self.fiscal_year_start_month else day.year - 1

    def bucket_start(self, grain: Grain, day: date) -> date:
        if grain is Grain.DAY:
            return day
        if grain is Grain.WEEK:
            return day - timedelta(days=day.weekday())
        if grain is Grain.MONTH:
            return day.replace(day=1)
        start = self.fiscal_year_start_month
        fy = self.fiscal_year(day)
        if grain is Grain.YEAR:
            return date(fy, start, 1)
        offset = (day.month - start) % 12  # months since the fiscal year began
        y, m = _add_months(fy, start, offset - offset % 3)
        return date(y, m, 1)

    def bucket(self, grain: Grain, day: date) -> Period:
        """The whole bucket of `grain` that contains `day`."""
        start = self.bucket_start(grain, day)
        return Period(start, self._bucket_end(grain, start), grain, self.label(grain, start))

    def _bucket_end(self, grain: Grain, start: date) -> date:
        if grain is Grain.DAY:
            return start
        if grain is Grain.WEEK:
            return start + timedelta(days=6)
        months = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}[grain]
        y, m = _add_months(start.year, start.month, months)
        return date(y, m, 1) - timedelta(days=1)

    def label(self, grain: Grain, start: date) -> str:
        """Label of the bucket starting at `start`: 2026-03-05, 2026-W09, 2026-03, 2026-Q1, 2026."""
        if grain is Grain.DAY:
            return start.isoformat()
        if grain is Grain.WEEK:
            iso = start.isocalendar()
            return f"{iso.year}-W{iso.week:02d}"
        if grain is Grain.MONTH:
            return f"{start.year}-{start.month:02d}"
        fy = self.fiscal_year(start)
        if grain is Grain.YEAR:
            return str(fy)
        quarter = ((start.month - self.fiscal_year_start_month) % 12) // 3 + 1
        return f"{fy}-Q{quarter}"

    def buckets(self, grain: Grain, first: date, last: date) -> list[Period]:
        """Every bucket of `grain` that overlaps first..last, in order."""
        out: list[Period] = []
        day = first
        while day <= last:
            bucket = self.bucket(grain, day)
            out.append(bucket)
            day = bucket.end + timedelta(days=1)
        return out

    # -- parsing ------------------------------------------------------------------------------------
    def parse(self, text: str) -> Period:
        """Parse a period as a user writes it; a QueryError says which forms are understood."""
        value = text.strip()
        try:
            return self._parse(value)
        except ValueError:
            pass
        raise QueryError(
            f"period {text!r} is not understood; use 2026-03 (month), 2026-Q1 (quarter), 2026 (year), "
            "2026-W09 (ISO week), 2026-03-05 (day) or 2026-01-01..2026-03-15 (an inclusive range)"
        )

    def _parse(self, value: str) -> Period:
        if ".." in value:
            left, _, right = value.partition("..")
            first, last = date.fromisoformat(left.strip()), date.fromisoformat(right.strip())
            if last < first:
                raise QueryError(f"period {value!r} ends before it starts")
            return Period(first, last, None, f"{first.isoformat()}..{last.isoformat()}")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return self.bucket(Grain.DAY, date.fromisoformat(value))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
            return self.bucket(Grain.MONTH, date(int(m[1]), int(m[2]), 1))
        if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", value):
            y, mo = _add_months(int(m[1]), self.fiscal_year_start_month, (int(m[2]) - 1) * 3)
            return self.bucket(Grain.QUARTER, date(y, mo, 1))
        if m := re.fullmatch(r"(\d{4})-?[Ww](\d{1,2})", value):
            return self.bucket(Grain.WEEK, date.fromisocalendar(int(m[1]), int(m[2]), 1))
        if m := re.fullmatch(r"(?:FY)?(\d{4})", value, flags=re.IGNORECASE):
            return self.bucket(Grain.YEAR, date(int(m[1]), self.fiscal_year_start_month, 1))
        raise ValueError(value)

    # -- comparisons --------------------------------------------------------------------------------
    def previous(self, period: Period) -> Period:
        """The period before `period` (MoM and its kin): the previous bucket of the same grain; for a
        free range, the same dates one month earlier."""
        if period.grain is None:
            first = _shift_date_months(period.start, -1)
            last = _shift_date_months(period.end, -1)
            return Period(first, last, None, f"{first.isoformat()}..{last.isoformat()}")
        return self.bucket(period.grain, period.start - timedelta(days=1))

    def year_ago(self, period: Period) -> Period:
        """The same period one year earlier (YoY). A week maps to the same ISO week number of the
        previous ISO year (week 53 to week 52); a day to the same date (Feb 29 to Feb 28)."""
        grain = period.grain
        if grain is Grain.WEEK:
            iso = period.start.isocalendar()
            weeks = date(iso.year - 1, 12, 28).isocalendar().week  # ISO weeks in the previous year
            return self.bucket(Grain.WEEK, date.fromisocalendar(iso.year - 1, min(iso.week, weeks), 1))
        if grain is None:
            first = _shift_date_months(period.start, -12)
            last = _shift_date_months(period.end, -12)
            return Period(first, last, None, f"{first.isoformat()}..{last.isoformat()}")
        return self.bucket(grain, _shift_date_months(period.start, -12))

    def compare(self, period: Period, kind: str) -> Period:
        if kind == "mom":
            return self.previous(period)
        if kind == "yoy":
            return self.year_ago(period)
        raise QueryError(f"unknown comparison {kind!r}; use mom or yoy")


@dataclass(frozen=True)
class Period:
    """An inclusive date range; `grain` is set when it is exactly one bucket of that grain."""

    start: date
    end: date
    grain: Grain | None
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


def parse_grain(text: str) -> Grain:
    try:
        return Grain(text.strip().lower())
    except ValueError:
        raise QueryError(f"unknown time grain {text!r}; use one of {', '.join(GRAINS)}") from None


def parse_period(text: str, fiscal_year_start_month: int = 1) -> Period:
    return Calendar(fiscal_year_start_month).parse(text)
