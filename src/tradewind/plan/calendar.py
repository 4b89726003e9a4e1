"""Month arithmetic for plans: a plan's months, month labels and month boundaries."""

from __future__ import annotations

from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


def month_label(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def parse_month(text: str) -> date:
    """`2027-10` -> 2027-10-01."""
    try:
        year, month = text.strip().split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a month like 2027-10") from None


def plan_months(year: int, start_month: int = 1) -> list[date]:
    """First days of the twelve months of a (fiscal) plan year labelled by the calendar year it starts in."""
    first = date(year, start_month, 1)
    return [add_months(first, k) for k in range(12)]


def days_of(month: date) -> list[date]:
    return [month + timedelta(days=k) for k in range((month_end(month) - month).days + 1)]
