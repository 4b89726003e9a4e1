"""LMDI driver analysis: the effects add up exactly to the change (hand-computed cases and a property
test on random data), and `why gmv` over hand-made facts."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.watch.facts import add, context, progress
from tradewind.app import Workspace
from tradewind.core.errors import QueryError
from tradewind.watch.drivers import why_gmv
from tradewind.watch.lmdi import ENTERED_OR_LEFT, Segment, decompose, log_mean, round_preserving_sum

FACTORS = ("sessions", "mix", "cvr", "asp")


def test_log_mean() -> None:
    assert log_mean(2, 2) == 2
    assert log_mean(2640, 2000) == pytest.approx(640 / math.log(1.32))  # 2305.2120
    with pytest.raises(ValueError):
        log_mean(0, 1)


def test_one_segment_sessions_and_price() -> None:
    # sessions 1000 -> 1200 (x1.2), asp 20 -> 22 (x1.1): gmv 2000 -> 2640.
    # L = 640 / ln 1.32 = 2305.2120; sessions 2305.2120 x ln 1.2 = 420.29; asp x ln 1.1 = 219.71
    seg = Segment(
        "DE", 2000, 2640, {"sessions": (1000, 1200), "mix": (1, 1), "cvr": (0.1, 0.1), "asp": (20, 22)}
    )
    result = decompose([seg], FACTORS, "units_gap")
    assert result.rounded() == {"sessions": 420.29, "mix": 0.0, "cvr": 0.0, "asp": 219.71, "units_gap": 0.0}


def test_segments_new_or_gone_keep_their_own_term() -> None:
    new = Segment("S9", 0, 150, {})
    gone = Segment("S8", 80, 0, {})
    same = Segment(
        "S1", 100, 100, {"sessions": (10, 10), "mix": (0.5, 0.5), "cvr": (0.1, 0.1), "asp": (100, 100)}
    )
    result = decompose([new, gone, same], FACTORS, "units_gap")
    assert result.rounded()[ENTERED_OR_LEFT] == 70.0
    assert sum(result.rounded().values()) == pytest.approx(70.0)


def test_round_preserving_sum() -> None:
    # 0.333.. x 3 rounds to 0.33 x 3 = 0.99; the missing cent goes to the largest remainder
    assert round_preserving_sum({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}, 1.0) == {
        "a": 0.34,
        "b": 0.33,
        "c": 0.33,
    }
    assert round_preserving_sum({"a": -1 / 3, "b": -2 / 3}, -1.0) == {"a": -0.33, "b": -0.67}


positive = st.floats(min_value=0.01, max_value=1e5, allow_nan=False, allow_infinity=False)
ratio = st.floats(min_value=0.001, max_value=1.0, allow_nan=False, allow_infinity=False)
segment_values = st.tuples(positive, ratio, positive, st.floats(min_value=0.5, max_value=1.5))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(segment_values, segment_values, st.sampled_from(["both", "new", "gone"])),
        min_size=1,
        max_size=8,
    )
)
def test_lmdi_effects_add_up_to_the_change_within_a_cent(data: list) -> None:
    segments = []
    s0 = sum(b[0] for b, _, _ in data)
    s1 = sum(c[0] for _, c, _ in data)
    for i, ((sess0, cvr0, asp0, gap0), (sess1, cvr1, asp1, gap1), life) in enumerate(data):
        v0 = 0.0 if life == "new" else sess0 * cvr0 * asp0 * gap0
        v1 = 0.0 if life == "gone" else sess1 * cvr1 * asp1 * gap1
        factors = {
            "sessions": (s0, s1),
            "mix": (sess0 / s0, sess1 / s1),
            "cvr": (cvr0, cvr1),
            "asp": (asp0, asp1),
        }
        segments.append(Segment(f"S{i}", v0, v1, factors))
    result = decompose(segments, FACTORS, "units_gap")
    change = result.change
    assert abs(sum(result.effects.values()) - change) < 0.005
    rounded = result.rounded()
    assert round(sum(rounded.values()), 2) == round(change, 2)


# -- why gmv over facts -------------------------------------------------------------------------------------
def _month(ws: Workspace, mkt: str, month: int, sessions: int, br_units: int, units: int, gmv: float) -> None:
    start, end = date(2026, month, 1), date(2026, month, 28 if month == 2 else 31)
    add(
        ws,
        "traffic",
        [
            {
                "marketplace": mkt,
                "date_from": start,
                "date_to": end,
                "sku": "S1",
                "child_asin": "B1",
                "sessions": sessions,
                "units_ordered": br_units,
            }
        ],
    )
    add(
        ws,
        "order_lines",
        [
            {
                "marketplace": mkt,
                "order_id": f"{mkt}-{month}",
                "purchase_date": date(2026, month, 9),
                "sku": "S1",
                "quantity": units,
                "item_price": gmv,
                "item_tax": 0,
            }
        ],
    )


def test_why_gmv_previous_month_by_marketplace(ws: Workspace) -> None:
    _month(ws, "DE", 2, 1000, 100, 100, 2000)  # cvr 0.10, asp 20
    _month(ws, "DE", 3, 1200, 120, 120, 2640)  # cvr 0.10, asp 22
    _month(ws, "FR", 2, 1000, 50, 50, 1000)  # cvr 0.05, asp 20
    _month(ws, "FR", 3, 800, 40, 40, 800)  # cvr 0.05, asp 20
    add(
        ws,
        "ad_performance",
        [
            {"marketplace": "DE", "date_from": date(2026, 2, 3), "sku": "S1", "spend": 100, "sales": 300},
            {"marketplace": "DE", "date_from": date(2026, 3, 3), "sku": "S1", "spend": 180, "sales": 400},
        ],
    )
    ctx = context(ws, date(2026, 4, 2))
    note = ctx.notes.add(
        "promotion", date(2026, 3, 10), date(2026, 3, 12), {"marketplace": "DE"}, "DE deal", "x"
    )
    report = why_gmv(ctx, "2026-03", vs="previous", by="marketplace")
    assert (report.base, report.current, report.change) == (3000.0, 3440.0, 440.0)
    # Total sessions 2000 -> 2000: no traffic effect. DE's share 0.5 -> 0.6 and FR's 0.5 -> 0.4 (mix).
    # DE: L(2640, 2000) = 2305.2120; mix 2305.2120 x ln 1.2 = 420.29; asp 2305.2120 x ln 1.1 = 219.71.
    # FR: all of its -200 is mix (ln 0.8 x L(800, 1000) = -200). mix = 420.29 - 200 = 220.29.
    assert {e.term: e.amount for e in report.effects} == {
        "sessions": 0.0,
        "mix": 220.29,
        "cvr": 0.0,
        "asp": 219.71,
    }
    assert sum(e.amount for e in report.effects) == pytest.approx(440.0)
    assert report.base_period == "2026-02"
    assert report.ad_spend == (100.0, 180.0)
    assert [n.id for n in report.notes] == [note.id]
    assert {s["segment"]: s["change"] for s in report.segments} == {"DE": 640.0, "FR": -200.0}


def test_why_gmv_shows_the_units_gap(ws: Workspace) -> None:
    _month(ws, "DE", 2, 1000, 100, 100, 2000)
    _month(ws, "DE", 3, 1000, 100, 110, 2200)  # orders 110 units vs Business Report 100, asp 20 both months
    report = why_gmv(context(ws, date(2026, 4, 2)), "2026-03", vs="previous", by=None)
    # sessions, cvr (0.1) and asp (20) unchanged: the whole +200 is the gap between the two unit counts
    assert {e.term: e.amount for e in report.effects} == {
        "sessions": 0.0,
        "mix": 0.0,
        "cvr": 0.0,
        "asp": 0.0,
        "units_gap": 200.0,
    }


def test_why_gmv_against_the_target(ws: Workspace) -> None:
    _month(ws, "DE", 3, 1200, 120, 120, 2640)
    _month(ws, "FR", 3, 800, 40, 40, 800)
    rows = [
        progress(scope={"marketplace": "DE"}, target=3000.0),
        progress(scope={"marketplace": "FR"}, target=1000.0),
        progress(kpi="asp", kind="level", scope={"marketplace": "DE"}, target=20.0, comparator=">="),
    ]
    report = why_gmv(context(ws, date(2026, 4, 2), rows=rows), "2026-03", vs="target", by="marketplace")
    assert (report.base, report.current, report.change) == (4000.0, 3440.0, -560.0)
    # DE: asp 22 vs target 20: L(2640, 3000) = 2816.1660 x ln 1.1 = +268.41; the rest of DE's -360 and all
    # of FR's -200 are not split (the plan has no sessions or cvr targets): -628.41 - 200 = -828.41.
    assert {e.term: e.amount for e in report.effects} == {
        "sessions": 0.0,
        "mix": 0.0,
        "cvr": 0.0,
        "asp": 268.41,
        "not_in_plan": -828.41,
    }
    assert report.base_period == "target 2026-03"


def test_why_gmv_without_a_target_says_so(ws: Workspace) -> None:
    with pytest.raises(QueryError, match="no gmv target for 2026-03 by marketplace"):
        why_gmv(context(ws, date(2026, 4, 2), rows=[]), "2026-03", vs="target")
