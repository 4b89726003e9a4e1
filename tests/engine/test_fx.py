"""Exchange rates worked out by hand: weekends, cross rates through EUR, monthly rates, missing rates."""

from __future__ import annotations

from datetime import date

import pytest

from tradewind.core.errors import QueryError
from tradewind.engine.fx import FxTable

ECB = [
    ("ecb", date(2026, 3, 5), "EUR", "USD", 1.0800),
    ("ecb", date(2026, 3, 6), "EUR", "USD", 1.1000),  # a Friday
    ("ecb", date(2026, 3, 6), "EUR", "GBP", 0.8500),
    ("ecb", date(2026, 3, 9), "EUR", "USD", 1.0900),
]


def test_same_currency_is_one() -> None:
    assert FxTable([], "ecb").convert("usd", "USD", date(2026, 3, 7)).rate == 1.0


def test_weekend_uses_fridays_rate() -> None:
    table = FxTable(ECB, "ecb")
    saturday = table.convert("EUR", "USD", date(2026, 3, 7))
    assert saturday.rate == pytest.approx(1.10)
    assert saturday.legs[0].rate_date == date(2026, 3, 6)
    assert table.convert("EUR", "USD", date(2026, 3, 9)).rate == pytest.approx(1.09)


def test_inverse_and_cross_rates_go_through_eur() -> None:
    table = FxTable(ECB, "ecb")
    # 1 USD = 1 / 1.10 EUR on Friday 6 March
    assert table.convert("USD", "EUR", date(2026, 3, 6)).rate == pytest.approx(1 / 1.10)
    # 1 GBP = 1.10 / 0.85 USD = 1.294117647...
    cross = table.convert("GBP", "USD", date(2026, 3, 8))
    assert cross.rate == pytest.approx(1.10 / 0.85)
    assert {leg.quote for leg in cross.legs} == {"GBP", "USD"}


def test_missing_rate_names_currency_and_date() -> None:
    table = FxTable(ECB, "ecb")
    with pytest.raises(QueryError, match="no EUR->USD rate on or before 2026-03-04"):
        table.convert("EUR", "USD", date(2026, 3, 4))
    with pytest.raises(
        QueryError, match=r"no PLN->USD rate on or before 2026-03-09 \(it needs the ECB EUR->PLN rate\)"
    ):
        table.convert("PLN", "USD", date(2026, 3, 9))


def test_stale_rate_is_used_and_reported() -> None:
    table = FxTable(ECB, "ecb")
    assert table.convert("EUR", "USD", date(2026, 3, 30)).rate == pytest.approx(1.09)
    assert table.stale_warnings() == [
        "the latest EUR->USD rate on or before 2026-03-30 is of 2026-03-09 (21 days earlier): import newer ECB rates"
    ]


def test_monthly_rates_direct_inverse_and_missing() -> None:
    rows = [
        ("monthly", date(2026, 3, 1), "USD", "CNY", 7.20),
        ("monthly", date(2026, 3, 1), "EUR", "USD", 1.08),
    ]
    table = FxTable(rows, "monthly")
    assert table.convert("USD", "CNY", date(2026, 3, 31)).rate == pytest.approx(7.20)
    assert table.convert("CNY", "USD", date(2026, 3, 2)).rate == pytest.approx(1 / 7.20)
    # EUR -> CNY crosses through USD: 1.08 x 7.20 = 7.776
    assert table.convert("EUR", "CNY", date(2026, 3, 15)).rate == pytest.approx(7.776)
    with pytest.raises(QueryError, match="no monthly USD->CNY rate for 2026-04"):
        table.convert("USD", "CNY", date(2026, 4, 1))
