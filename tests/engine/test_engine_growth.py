"""Growth against the previous period and the same period last year, with and without a time grain."""

from __future__ import annotations

import pytest

from tests.engine.factbuilder import Facts, public, rows


def _order(order_id: str, day: str, price: float) -> dict[str, object]:
    return {
        "marketplace": "DE",
        "order_id": order_id,
        "purchase_date": day,
        "sku": "S1",
        "quantity": 1,
        "currency": "EUR",
        "item_price": price,
        "item_tax": 0.0,
    }


@pytest.fixture
def facts() -> Facts:
    return Facts().add(
        "order_lines",
        [
            _order("Y1", "2025-03-15", 15.00),  # March a year ago
            _order("Q4", "2025-12-10", 10.00),  # last quarter of 2025
            _order("F1", "2026-02-10", 20.00),
            _order("M1", "2026-03-05", 12.00),
            _order("M2", "2026-03-31", 18.00),  # March 2026: 30.00
        ],
    )


def test_growth_by_month(facts: Facts) -> None:
    got = rows(facts.engine(), ["gmv", "gmv_mom", "gmv_yoy"], by=("month",), period="2026-03")
    # mom 30 / 20 - 1 = 0.5; yoy 30 / 15 - 1 = 1.0; only March is shown, though Feb and 2025-03 were read
    assert [public(r) for r in got] == [{"period": "2026-03", "gmv": 30.0, "gmv_mom": 0.5, "gmv_yoy": 1.0}]


def test_growth_without_a_grain_compares_whole_periods(facts: Facts) -> None:
    got = rows(
        facts.engine(), ["gmv", "gmv_mom", "gmv_yoy", "orders_mom"], by=("marketplace",), period="2026-03"
    )
    # orders 2 vs 1 in February: 2 / 1 - 1 = 1.0
    assert [public(r) for r in got] == [
        {"marketplace": "DE", "gmv": 30.0, "gmv_mom": 0.5, "gmv_yoy": 1.0, "orders_mom": 1.0}
    ]


def test_missing_comparison_is_null_with_the_reason(facts: Facts) -> None:
    got = rows(facts.engine(), ["gmv", "gmv_mom", "gmv_yoy"], by=("month",), period="2026-02-01..2026-03-31")
    feb, mar = got
    assert public(feb) == {"period": "2026-02", "gmv": 20.0, "gmv_mom": None, "gmv_yoy": None}
    assert feb["_null_reasons"] == {
        "gmv_mom": "no gmv in 2026-01 to compare with",
        "gmv_yoy": "no gmv in 2025-02 to compare with",
    }
    assert public(mar) == {"period": "2026-03", "gmv": 30.0, "gmv_mom": 0.5, "gmv_yoy": 1.0}


def test_quarter_over_quarter(facts: Facts) -> None:
    (q1,) = rows(facts.engine(), ["gmv", "gmv_mom", "gmv_yoy"], by=("quarter",), period="2026-Q1")
    # Q1 2026 = 20 + 30 = 50; Q4 2025 = 10 -> 50 / 10 - 1 = 4.0; Q1 2025 = 15 -> 50 / 15 - 1 = 2.333...
    assert public(q1) == pytest.approx(
        {"period": "2026-Q1", "gmv": 50.0, "gmv_mom": 4.0, "gmv_yoy": 50 / 15 - 1}
    )


def test_growth_needs_a_period_or_grain(facts: Facts) -> None:
    (row,) = rows(facts.engine(), ["gmv", "gmv_mom"])
    assert public(row) == {"gmv": 75.0, "gmv_mom": None}
    assert row["_null_reasons"] == {"gmv_mom": "gmv_mom needs a period or a time grain"}


def test_fiscal_quarters(facts: Facts) -> None:
    # fiscal year from April: fiscal 2025-Q4 = Jan..Mar 2026 = 50; its previous quarter Oct..Dec 2025 = 10
    got = rows(facts.engine(fiscal_year_start_month=4), ["gmv", "gmv_mom"], by=("quarter",), period="2025-Q4")
    assert [public(r) for r in got] == [{"period": "2025-Q4", "gmv": 50.0, "gmv_mom": 4.0}]
