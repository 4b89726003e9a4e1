"""Periods and grains: parsing, buckets, labels, fiscal years and comparison periods (by hand)."""

from __future__ import annotations

from datetime import date

import pytest

from tradewind.core.errors import QueryError
from tradewind.core.periods import Calendar, Grain, parse_grain, parse_period

CAL = Calendar()


@pytest.mark.parametrize(
    ("text", "start", "end", "grain", "label"),
    [
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31), Grain.MONTH, "2026-03"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), Grain.MONTH, "2024-02"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), Grain.QUARTER, "2026-Q1"),
        ("2026-q4", date(2026, 10, 1), date(2026, 12, 31), Grain.QUARTER, "2026-Q4"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), Grain.YEAR, "2026"),
        # ISO week 9 of 2026: Monday 23 Feb .. Sunday 1 Mar
        ("2026-W09", date(2026, 2, 23), date(2026, 3, 1), Grain.WEEK, "2026-W09"),
        # week 1 of 2026 holds Thursday 1 Jan 2026, so it starts on Monday 29 Dec 2025
        ("2026-W01", date(2025, 12, 29), date(2026, 1, 4), Grain.WEEK, "2026-W01"),
        ("2026-03-05", date(2026, 3, 5), date(2026, 3, 5), Grain.DAY, "2026-03-05"),
        ("2026-01-01..2026-03-15", date(2026, 1, 1), date(2026, 3, 15), None, "2026-01-01..2026-03-15"),
    ],
)
def test_parse_forms(text: str, start: date, end: date, grain: Grain | None, label: str) -> None:
    p = CAL.parse(text)
    assert (p.start, p.end, p.grain, p.label) == (start, end, grain, label)


@pytest.mark.parametrize("bad", ["2026-13", "March", "2026-Q5", "2026-03-15..2026-03-01", "", "2026-W60"])
def test_bad_periods_are_query_errors(bad: str) -> None:
    with pytest.raises(QueryError, match="period"):
        CAL.parse(bad)


def test_fiscal_year_starting_in_april() -> None:
    cal = Calendar(fiscal_year_start_month=4)
    fy = cal.parse("2026")
    assert (fy.start, fy.end) == (date(2026, 4, 1), date(2027, 3, 31))
    q1 = cal.parse("2026-Q1")
    assert (q1.start, q1.end) == (date(2026, 4, 1), date(2026, 6, 30))
    q4 = cal.parse("2026-Q4")
    assert (q4.start, q4.end) == (date(2027, 1, 1), date(2027, 3, 31))
    # a date in February 2027 is in fiscal 2026, fourth quarter
    assert cal.bucket(Grain.QUARTER, date(2027, 2, 14)).label == "2026-Q4"
    assert cal.bucket(Grain.YEAR, date(2027, 2, 14)).label == "2026"
    assert cal.bucket(Grain.YEAR, date(2026, 4, 1)).label == "2026"
    assert parse_period("2026", 4).start == date(2026, 4, 1)


def test_buckets_cover_a_range() -> None:
    labels = [b.label for b in CAL.buckets(Grain.MONTH, date(2026, 3, 25), date(2026, 4, 7))]
    assert labels == ["2026-03", "2026-04"]
    weeks = [b.label for b in CAL.buckets(Grain.WEEK, date(2026, 3, 1), date(2026, 3, 31))]
    assert weeks == ["2026-W09", "2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"]


def test_previous_and_year_ago() -> None:
    assert CAL.previous(CAL.parse("2026-01")).label == "2025-12"
    assert CAL.previous(CAL.parse("2026-Q1")).label == "2025-Q4"
    assert CAL.previous(CAL.parse("2026-W01")).label == "2025-W52"
    assert CAL.previous(CAL.parse("2026-03-01")).label == "2026-02-28"
    assert CAL.year_ago(CAL.parse("2026-03")).label == "2025-03"
    assert CAL.year_ago(CAL.parse("2026-Q2")).label == "2025-Q2"
    # 2020 had 53 ISO weeks, 2019 had 52: week 53 compares with week 52
    assert CAL.year_ago(CAL.parse("2020-W53")).label == "2019-W52"
    assert CAL.year_ago(CAL.parse("2024-02-29")).label == "2023-02-28"
    # a free range shifts by a month, clamped to month ends
    prev = CAL.previous(CAL.parse("2026-03-01..2026-03-31"))
    assert (prev.start, prev.end) == (date(2026, 2, 1), date(2026, 2, 28))


def test_grain_names() -> None:
    assert parse_grain("Month") is Grain.MONTH
    with pytest.raises(QueryError, match="unknown time grain"):
        parse_grain("fortnight")
