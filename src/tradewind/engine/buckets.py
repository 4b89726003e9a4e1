"""Time buckets as portable Ibis expressions, and their keys mapped back to periods in Python.

Day and week buckets are keyed by their first date (`truncate('W')` is the ISO Monday on DuckDB and
Spark alike); month, quarter and year buckets by the month index (year × 12 + month − 1) of their first
month, computed with integer arithmetic so a fiscal year starting in any month needs no date maths in
SQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis.expr.types as ir

from tradewind.core.periods import Calendar, Grain, Period


def bucket_key(day: ir.DateValue, grain: Grain, calendar: Calendar) -> ir.Value:
    if grain is Grain.DAY:
        return day
    if grain is Grain.WEEK:
        return day.truncate("W").cast("date")
    month_index = day.year().cast("int64") * 12 + day.month().cast("int64") - 1
    if grain is Grain.MONTH:
        return month_index
    offset = (day.month().cast("int64") - calendar.fiscal_year_start_month + 12) % 12
    if grain is Grain.QUARTER:
        return month_index - offset % 3
    return month_index - offset


def key_start(key: Any, grain: Grain) -> date:
    """The first day of the bucket with `key` (as fetched: a date, a timestamp or a month index)."""
    if grain in (Grain.DAY, Grain.WEEK):
        if hasattr(key, "date") and callable(key.date):
            return key.date()
        return key
    index = int(key)
    return date(index // 12, index % 12 + 1, 1)


def python_key(start: date, grain: Grain) -> Any:
    """The key `bucket_key` gives for a bucket starting on `start` (for shifting and joining in Python)."""
    if grain in (Grain.DAY, Grain.WEEK):
        return start
    return start.year * 12 + start.month - 1


def key_period(key: Any, grain: Grain, calendar: Calendar) -> Period:
    return calendar.bucket(grain, key_start(key, grain))
