"""The event calendar, seasonality with events, and the daily curve, all worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from tradewind.plan import PlanError
from tradewind.plan.daily import day_weights, elapsed_share, learn_profile
from tradewind.plan.events import EventCalendar, EventDef, load_events
from tradewind.plan.model import DailyProfile
from tradewind.plan.seasonality import learn

# -- the shipped calendar -----------------------------------------------------------------------------


def test_announced_dates_and_rules() -> None:
    cal = load_events()
    pd24, pd25, pd26 = (cal.occurrence("prime_day", y) for y in (2024, 2025, 2026))
    assert (pd24.start, pd24.end, pd24.estimated) == (date(2024, 7, 16), date(2024, 7, 17), False)  # type: ignore[union-attr]
    assert (pd25.start, pd25.end) == (date(2025, 7, 8), date(2025, 7, 11))  # type: ignore[union-attr]
    # 2026 is not announced: Tuesday to Friday of the second week of July (the second Tuesday is the 14th)
    assert (pd26.start, pd26.end, pd26.estimated) == (date(2026, 7, 14), date(2026, 7, 17), True)  # type: ignore[union-attr]
    assert "second week of July" in (pd26.note or "")  # type: ignore[union-attr]
    pbdd = cal.occurrence("prime_big_deal_days", 2025)
    assert (pbdd.start, pbdd.end) == (date(2025, 10, 7), date(2025, 10, 8))  # type: ignore[union-attr]
    # Black Friday: the day after the fourth Thursday of November; Cyber Monday three days later
    assert [cal.occurrence("black_friday", y).start for y in (2024, 2025, 2026)] == [  # type: ignore[union-attr]
        date(2024, 11, 29),
        date(2025, 11, 28),
        date(2026, 11, 27),
    ]
    assert cal.occurrence("cyber_monday", 2025).start == date(2025, 12, 1)  # type: ignore[union-attr]
    assert cal.occurrence("singles_day", 2026).start == date(2026, 11, 11)  # type: ignore[union-attr]
    assert not cal.occurrence("black_friday", 2026).estimated  # type: ignore[union-attr]


def test_events_run_where_they_are_relevant() -> None:
    cal = load_events()
    uk = {o.event for o in cal.between(date(2026, 12, 1), date(2026, 12, 31), "UK")}
    de = {o.event for o in cal.between(date(2026, 12, 1), date(2026, 12, 31), "DE")}
    assert "boxing_day" in uk and "boxing_day" not in de
    assert "singles_day" in {o.event for o in cal.between(date(2026, 11, 1), date(2026, 11, 30), "ES")}
    assert "singles_day" not in {o.event for o in cal.between(date(2026, 11, 1), date(2026, 11, 30), "US")}


def test_a_workspace_adds_announced_dates(tmp_path: Path) -> None:
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "events.yaml").write_text(
        "events:\n"
        "  - id: prime_day\n"
        "    name: {zh: 会员日, en: Prime Day}\n"
        "    lift: 2.5\n"
        "    dates: {2026: [2026-07-07, 2026-07-10]}\n",
        encoding="utf-8",
    )
    cal = load_events(tmp_path)
    occ = cal.occurrence("prime_day", 2026)
    assert (occ.start, occ.end, occ.estimated) == (date(2026, 7, 7), date(2026, 7, 10), False)  # type: ignore[union-attr]
    assert cal.occurrence("prime_day", 2024).start == date(2024, 7, 16)  # type: ignore[union-attr]  # kept


def test_a_broken_calendar_names_the_event(tmp_path: Path) -> None:
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "events.yaml").write_text(
        "events:\n  - id: promo\n    name: {zh: 促销, en: Promo}\n    lift: 2\n", encoding="utf-8"
    )
    with pytest.raises(PlanError, match=r"event promo: .*needs dates or a rule"):
        load_events(tmp_path)


# -- seasonality with events --------------------------------------------------------------------------


def _calendar(lift: float = 3.0) -> EventCalendar:
    """One event, 'promo', on 1 December of 2025 and 30 November of 2026 (like Cyber Monday)."""
    return EventCalendar(
        [
            EventDef.model_validate(
                {
                    "id": "promo",
                    "name": {"zh": "促销", "en": "Promo"},
                    "lift": lift,
                    "dates": {
                        2025: [date(2025, 12, 1), date(2025, 12, 1)],
                        2026: [date(2026, 11, 30), date(2026, 11, 30)],
                    },
                }
            )
        ]
    )


def test_an_event_moves_its_extra_to_the_month_it_falls_in() -> None:
    # 2025: 10 a day every day (3,650), plus the promo day 1 Dec sells 70 instead of 10.
    # December's non-event days average 10, so the promo brought 60 extra; the year sold 3,710.
    # Base shares: each month days x 10 / 3,710; the extra 60 / 3,710 moves to November 2026 (30 Nov).
    daily = {date(2025, 1, 1) + timedelta(days=k): 10 for k in range(365)}
    daily[date(2025, 12, 1)] = 70
    season = learn("US", daily, date(2025, 12, 31), _calendar(), 2026)
    assert season.source == "own"
    assert season.shares[(2026, 11)] == Fraction(300 + 60, 3710)
    assert season.shares[(2026, 12)] == Fraction(310, 3710)
    assert season.shares[(2026, 2)] == Fraction(280, 3710)
    assert sum(season.shares.values()) == 1


def test_two_years_of_history_average_their_shares() -> None:
    # 2024: all sales in January (1,000 on Jan 10); 2025: 10 a day. Window 2025 gives every month
    # days/365; window 2024 gives January 1 and the rest 0. Averages: Jan (1 + 31/365)/2, Feb 28/730.
    daily = {date(2024, 1, 10): 1000}
    daily.update({date(2025, 1, 1) + timedelta(days=k): 10 for k in range(365)})
    season = learn("US", daily, date(2025, 12, 31), EventCalendar([]), 2026)
    assert season.shares[(2026, 1)] == (1 + Fraction(31, 365)) / 2
    assert season.shares[(2026, 2)] == Fraction(28, 730)


def test_too_little_history_takes_the_template() -> None:
    daily = {date(2025, 6, 1) + timedelta(days=k): 10 for k in range(214)}  # June..December: 7 months
    season = learn("DE", daily, date(2025, 12, 31), EventCalendar([]), 2026)
    assert season.source == "template:EU"
    assert (
        season.note == "DE has 7 months of history (fewer than 12): its months follow the EU template curve"
    )
    assert season.shares[(2026, 12)] == Fraction("1.88") / 12


# -- the daily curve ----------------------------------------------------------------------------------


def test_day_of_week_profile_from_the_last_eight_weeks() -> None:
    # The 8 weeks to 31 Mar 2025 (4 Feb..31 Mar, no events): Mondays sell 100, Saturdays 200, other days 50.
    # Each weekday occurs 8 times: sums Mon 800, Sat 1,600, the other five 400 each -> 4,400 over 56 days,
    # a mean of 550/7. Mon 100 / (550/7) = 14/11, Sat 28/11, others 7/11.
    last = date(2025, 3, 31)
    daily = {}
    for k in range(90):
        day = last - timedelta(days=k)
        daily[day] = 100 if day.weekday() == 0 else 200 if day.weekday() == 5 else 50
    profile, notes = learn_profile("US", daily, last, EventCalendar([]), 2026)
    assert notes == []
    assert profile.dow == pytest.approx((14 / 11, 7 / 11, 7 / 11, 7 / 11, 7 / 11, 28 / 11, 7 / 11))
    # April 2026 starts on a Wednesday: Wed and Thu occur 5 times, the others 4.
    # Month weight = (5x7 + 5x7 + 4x7 + 4x28 + 4x7 + 4x14 + 4x7)/11 = 322/11.
    # By Sun 5 Apr: Wed 7 + Thu 7 + Fri 7 + Sat 28 + Sun 7 = 56/11 -> 56/322 = 4/23.
    assert sum(w for _, w in day_weights(profile, date(2026, 4, 1))) == pytest.approx(322 / 11)
    assert elapsed_share(profile, date(2026, 4, 1), date(2026, 4, 5)) == pytest.approx(4 / 23)
    assert elapsed_share(profile, date(2026, 4, 1), date(2026, 3, 31)) == 0.0
    assert elapsed_share(profile, date(2026, 4, 1), date(2026, 4, 30)) == 1.0


def test_event_days_weigh_by_the_lift_learnt_from_history() -> None:
    # 2025-12-01 (the promo) sold 400 against 100 on every other December day: lift 4 (not the default 3).
    # Dow is flat (100 every day, the event day left out). December... the plan's promo day is
    # 30 Nov 2026: November weights 29 x 1 + 4 = 33; by the 30th all 33, by the 29th 29/33.
    last = date(2025, 12, 31)
    daily = {last - timedelta(days=k): 100 for k in range(120)}
    daily[date(2025, 12, 1)] = 400
    profile, _ = learn_profile("US", daily, last, _calendar(lift=3.0), 2026)
    assert profile.dow == (1.0,) * 7
    assert profile.lifts == {"2026-11-30": 4.0}
    assert elapsed_share(profile, date(2026, 11, 1), date(2026, 11, 29)) == pytest.approx(29 / 33)


def test_event_days_without_history_take_the_calendar_lift() -> None:
    profile, notes = learn_profile("IT", {}, None, _calendar(lift=3.0), 2026)
    assert profile.lifts == {"2026-11-30": 3.0}
    assert notes == ["IT: no daily history, so every day of the week counts the same"]
    # 29 plain days and a 3x day: by the 15th, 15/32
    assert elapsed_share(profile, date(2026, 11, 1), date(2026, 11, 15)) == pytest.approx(15 / 32)


def test_a_flat_profile_is_the_share_of_days() -> None:
    assert elapsed_share(DailyProfile(), date(2026, 2, 1), date(2026, 2, 7)) == pytest.approx(7 / 28)
