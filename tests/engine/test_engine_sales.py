"""Sales KPIs through the engine on DuckDB, every expected value worked out by hand in the comments."""

from __future__ import annotations

import pytest

from tests.engine.factbuilder import Facts, public, rows
from tradewind.core.errors import QueryError
from tradewind.engine import KpiRequest

RATES = [
    {"kind": "ecb", "rate_date": "2026-03-06", "base": "EUR", "quote": "USD", "rate": 1.08},  # Friday
    {"kind": "ecb", "rate_date": "2026-03-09", "base": "EUR", "quote": "USD", "rate": 1.20},  # Monday
]
MARCH = [
    # DE: item-tax given -> net 23.80 - 3.80 = 20.00
    {
        "marketplace": "DE",
        "order_id": "A1",
        "purchase_date": "2026-03-02",
        "sku": "S1",
        "quantity": 2,
        "currency": "EUR",
        "item_price": 23.80,
        "item_tax": 3.80,
    },
    # DE: no item-tax, ships to DE -> VAT 19% derived: 11.90 x 0.19 / 1.19 = 1.90 -> net 10.00
    {
        "marketplace": "DE",
        "order_id": "A2",
        "purchase_date": "2026-03-07",
        "sku": "S2",
        "quantity": 1,
        "currency": "EUR",
        "item_price": 11.90,
        "ship_country": "DE",
    },
    # DE: cancelled -> never counts
    {
        "marketplace": "DE",
        "order_id": "A3",
        "purchase_date": "2026-03-08",
        "sku": "S1",
        "quantity": 1,
        "currency": "EUR",
        "item_price": 50.00,
        "item_tax": 7.98,
        "is_cancelled": True,
    },
    # DE: pending counts; no item-tax, ships to FR -> VAT 20%: 12.00 / 1.2 = 10.00 net
    {
        "marketplace": "DE",
        "order_id": "A4",
        "purchase_date": "2026-03-09",
        "sku": "S1",
        "quantity": 1,
        "currency": "EUR",
        "item_price": 12.00,
        "ship_country": "FR",
        "is_pending": True,
    },
    # US, Friday: 10.80 USD / 1.08 = 10.00 EUR; US tax is on top, so net = gmv
    {
        "marketplace": "US",
        "order_id": "U1",
        "purchase_date": "2026-03-06",
        "sku": "S1",
        "quantity": 1,
        "currency": "USD",
        "item_price": 10.80,
        "item_tax": 0.86,
    },
    # US, Sunday -> Friday's rate 1.08: 21.60 / 1.08 = 20.00 EUR gmv; promo 2.16 / 1.08 = 2.00
    {
        "marketplace": "US",
        "order_id": "U2",
        "purchase_date": "2026-03-08",
        "sku": "S1",
        "quantity": 3,
        "currency": "USD",
        "item_price": 21.60,
        "item_promotion_discount": 2.16,
    },
]


@pytest.fixture
def march() -> Facts:
    return Facts().add("order_lines", MARCH).add("fx_rates", RATES)


def test_sales_by_month_and_marketplace(march: Facts) -> None:
    got = rows(
        march.engine(),
        ["gmv", "units", "orders", "net_sales", "aov", "asp", "promo_discount"],
        by=("month", "marketplace"),
        period="2026-03",
        currency="EUR",
    )
    assert [public(r) for r in got] == [
        # DE: gmv 23.80 + 11.90 + 12.00 = 47.70; units 2+1+1 = 4; orders A1 A2 A4 = 3;
        # net 20 + 10 + 10 = 40.00; aov 47.70 / 3 = 15.90; asp 47.70 / 4 = 11.925 -> 11.93
        {
            "period": "2026-03",
            "marketplace": "DE",
            "gmv": 47.70,
            "units": 4,
            "orders": 3,
            "net_sales": 40.00,
            "aov": 15.90,
            "asp": 11.93,
            "promo_discount": 0.0,
        },
        # US: gmv 10 + 20 = 30.00; units 4; orders 2; net 10 + (21.60 - 2.16) / 1.08 = 10 + 18 = 28.00
        {
            "period": "2026-03",
            "marketplace": "US",
            "gmv": 30.00,
            "units": 4,
            "orders": 2,
            "net_sales": 28.00,
            "aov": 15.00,
            "asp": 7.50,
            "promo_discount": 2.00,
        },
    ]


def test_total_is_a_ratio_of_sums_not_an_average_of_ratios(march: Facts) -> None:
    (row,) = rows(march.engine(), ["gmv", "orders", "aov"], period="2026-03", currency="EUR")
    # aov = (47.70 + 30.00) / (3 + 2) = 15.54, not (15.90 + 15.00) / 2 = 15.45
    assert public(row) == {"gmv": 77.70, "orders": 5, "aov": 15.54}


def test_missing_rate_is_an_error_naming_currency_and_date(march: Facts) -> None:
    # to USD, the DE order of 2 March needs EUR->USD on or before 2026-03-02: the first rate is of 6 March
    with pytest.raises(QueryError, match="no EUR->USD rate on or before 2026-03-02"):
        march.engine().run(KpiRequest(kpis=("gmv",), by=("marketplace",), period="2026-03", currency="USD"))


def test_where_filters_and_b2b_share() -> None:
    facts = Facts().add(
        "order_lines",
        [
            {
                "marketplace": "US",
                "order_id": "B1",
                "purchase_date": "2026-03-02",
                "sku": "S1",
                "quantity": 1,
                "currency": "USD",
                "item_price": 30.0,
                "is_business_order": True,
            },
            {
                "marketplace": "US",
                "order_id": "B2",
                "purchase_date": "2026-03-02",
                "sku": "S2",
                "quantity": 1,
                "currency": "USD",
                "item_price": 90.0,
            },
            {
                "marketplace": "CA",
                "order_id": "C1",
                "purchase_date": "2026-03-02",
                "sku": "S1",
                "quantity": 1,
                "currency": "CAD",
                "item_price": 99.0,
            },
        ],
    )
    got = rows(facts.engine(), ["gmv", "b2b_share"], where={"marketplace": ("US",)}, currency="USD")
    # US only: gmv 120.00, b2b 30 / 120 = 0.25 (the CA line would need a CAD rate: filtered out first)
    assert [public(r) for r in got] == [{"gmv": 120.0, "b2b_share": 0.25}]


def test_refund_amount_prices_returns_by_their_order_or_the_skus_month_asp() -> None:
    facts = (
        Facts()
        .add(
            "order_lines",
            [
                # February order: ex-tax unit price (23.80 - 3.80) / 2 = 10.00
                {
                    "marketplace": "DE",
                    "order_id": "F1",
                    "purchase_date": "2026-02-20",
                    "sku": "S1",
                    "quantity": 2,
                    "currency": "EUR",
                    "item_price": 23.80,
                    "item_tax": 3.80,
                },
                # March sales of S2: ex-tax 10.00 (1 unit) and 30.00 (1 unit) -> ASP (10 + 30) / 2 = 20.00
                {
                    "marketplace": "DE",
                    "order_id": "M1",
                    "purchase_date": "2026-03-04",
                    "sku": "S2",
                    "quantity": 1,
                    "currency": "EUR",
                    "item_price": 11.90,
                    "item_tax": 1.90,
                },
                {
                    "marketplace": "DE",
                    "order_id": "M2",
                    "purchase_date": "2026-03-05",
                    "sku": "S2",
                    "quantity": 1,
                    "currency": "EUR",
                    "item_price": 35.70,
                    "item_tax": 5.70,
                },
            ],
        )
        .add(
            "customer_returns",
            [
                # a March return of the February order: 1 x 10.00, counted by return date (March)
                {
                    "marketplace": "DE",
                    "return_date": "2026-03-03",
                    "order_id": "F1",
                    "sku": "S1",
                    "quantity": 1,
                },
                # order unknown -> S2's ex-tax ASP of March: 1 x 20.00
                {
                    "marketplace": "DE",
                    "return_date": "2026-03-10",
                    "order_id": "ZZ",
                    "sku": "S2",
                    "quantity": 1,
                },
            ],
        )
    )
    got = rows(
        facts.engine(),
        ["gmv", "units", "refund_units", "refund_amount", "net_sales", "refund_rate"],
        by=("month",),
        period="2026-03",
        currency="EUR",
    )
    # March: gmv 11.90 + 35.70 = 47.60; units 2; refunds 2 units, 10 + 20 = 30.00;
    # net = (10 + 30) - 30 = 10.00; refund rate = 2 / 2 = 1.0 (period basis)
    assert [public(r) for r in got] == [
        {
            "period": "2026-03",
            "gmv": 47.60,
            "units": 2,
            "refund_units": 2,
            "refund_amount": 30.00,
            "net_sales": 10.00,
            "refund_rate": 1.0,
        }
    ]
    feb = rows(facts.engine(), ["refund_units", "net_sales"], period="2026-02", currency="EUR")
    assert [public(r) for r in feb] == [{"refund_units": 0, "net_sales": 20.00}]


def test_a_return_without_any_price_makes_refund_amount_null_with_the_reason() -> None:
    facts = Facts().add(
        "customer_returns",
        [{"marketplace": "DE", "return_date": "2026-03-10", "order_id": "ZZ", "sku": "S9", "quantity": 1}],
    )
    (row,) = rows(facts.engine(), ["refund_units", "refund_amount"], period="2026-03", currency="EUR")
    assert public(row) == {"refund_units": 1, "refund_amount": None}
    assert row["_null_reasons"] == {
        "refund_amount": "1 customer_returns row lacks a price (neither its order line nor sales of the SKU "
        "in that month are known)"
    }


def test_last_three_days_are_provisional() -> None:
    facts = Facts().add(
        "order_lines",
        [
            {
                "marketplace": "US",
                "order_id": f"P{d}",
                "purchase_date": f"2026-03-{d}",
                "sku": "S1",
                "quantity": 1,
                "currency": "USD",
                "item_price": 1.0,
            }
            for d in (28, 29, 30, 31)
        ],
    )
    got = rows(facts.engine(today="2026-04-02"), ["units"], by=("day",), currency="USD")
    # today 2 April: 30 and 31 March (and 1 April) are the last 3 days -> provisional
    assert [(r["period"], r.get("_provisional", False)) for r in got] == [
        ("2026-03-28", False),
        ("2026-03-29", False),
        ("2026-03-30", True),
        ("2026-03-31", True),
    ]
    (month,) = rows(facts.engine(today="2026-04-02"), ["units"], by=("month",), currency="USD")
    assert month["_provisional"] is True
    (old,) = rows(facts.engine(today="2026-06-30"), ["units"], by=("month",), currency="USD")
    assert "_provisional" not in old


def test_unknown_kpi_dimension_and_period_are_query_errors(march: Facts) -> None:
    engine = march.engine()
    with pytest.raises(QueryError, match="unknown KPI 'gmvv'"):
        engine.run(KpiRequest(kpis=("gmvv",)))
    with pytest.raises(QueryError, match="unknown dimension 'colour'"):
        engine.run(KpiRequest(kpis=("gmv",), by=("colour",)))
    with pytest.raises(QueryError, match="period 'March' is not understood"):
        engine.run(KpiRequest(kpis=("gmv",), period="March"))
    with pytest.raises(QueryError, match="at most one time grain"):
        engine.run(KpiRequest(kpis=("gmv",), by=("month", "week")))


def test_result_dict_follows_the_contract(march: Facts) -> None:
    result = march.engine().run(
        KpiRequest(
            kpis=("gmv", "orders"),
            by=("month", "marketplace"),
            period="2026-03",
            currency="EUR",
            where={"marketplace": ("DE",)},
        )
    )
    data = result.to_dict()
    assert data["currency"] == "EUR" and data["grain"] == "month" and data["warnings"] == []
    assert data["kpis"]["gmv"]["unit"] == "money" and data["kpis"]["gmv"]["version"].startswith("gmv@")
    assert data["rows"] == [{"period": "2026-03", "marketplace": "DE", "gmv": 47.70, "orders": 3}]
    assert isinstance(data["rows"][0]["orders"], int)
