"""Dimensions from the product table, regions, filters on them, currency checks (values by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.factbuilder import Facts, public, rows
from tradewind.catalog import load_catalog
from tradewind.core.errors import QueryError
from tradewind.engine import KpiRequest

ORDERS = [
    {
        "marketplace": "US",
        "order_id": "U1",
        "purchase_date": "2026-03-02",
        "sku": "S1",
        "quantity": 1,
        "currency": "USD",
        "item_price": 10.0,
    },
    {
        "marketplace": "US",
        "order_id": "U2",
        "purchase_date": "2026-03-02",
        "sku": "S2",
        "quantity": 2,
        "currency": "USD",
        "item_price": 30.0,
    },
    {
        "marketplace": "CA",
        "order_id": "C1",
        "purchase_date": "2026-03-03",
        "sku": "S1",
        "quantity": 1,
        "currency": "CAD",
        "item_price": 13.5,
    },
    {
        "marketplace": "UK",
        "order_id": "K1",
        "purchase_date": "2026-03-04",
        "sku": "S3",
        "quantity": 1,
        "currency": "GBP",
        "item_price": 12.0,
        "item_tax": 2.0,
    },
]
PRODUCTS = [
    {"sku": "S1", "category": "Toys", "brand": "Acme", "owner": "li", "parent_asin": "P1"},
    {"sku": "S2", "category": "Garden", "brand": "Acme", "owner": "wang", "parent_asin": "P2"},
]
RATES = [
    # 1 EUR = 1.08 USD = 1.35 CAD = 0.90 GBP
    {"kind": "ecb", "rate_date": "2026-03-02", "base": "EUR", "quote": "USD", "rate": 1.08},
    {"kind": "ecb", "rate_date": "2026-03-02", "base": "EUR", "quote": "CAD", "rate": 1.35},
    {"kind": "ecb", "rate_date": "2026-03-02", "base": "EUR", "quote": "GBP", "rate": 0.90},
]


@pytest.fixture
def facts() -> Facts:
    return Facts().add("order_lines", ORDERS).add("products", PRODUCTS).add("fx_rates", RATES)


def test_product_dimensions(facts: Facts) -> None:
    got = rows(facts.engine(), ["gmv", "units"], by=("category", "person"), period="2026-03", currency="USD")
    # CA 13.50 CAD = 13.50 / 1.35 x 1.08 = 10.80 USD; UK 12 GBP = 12 / 0.90 x 1.08 = 14.40 USD (S3 unknown)
    assert [public(r) for r in got] == [
        {"category": "Garden", "person": "wang", "gmv": 30.0, "units": 2},
        {"category": "Toys", "person": "li", "gmv": 20.80, "units": 2},
        {"category": None, "person": None, "gmv": 14.40, "units": 1},
    ]


def test_region_and_filters_on_product_dimensions(facts: Facts) -> None:
    got = rows(facts.engine(), ["gmv"], by=("region",), where={"brand": ("Acme",)}, currency="USD")
    # Acme = S1 and S2: NA only (US 10 + 30, CA 10.80)
    assert [public(r) for r in got] == [{"region": "NA", "gmv": 50.80}]
    got = rows(facts.engine(), ["orders"], by=("region", "parent_asin"), currency="USD")
    assert [public(r) for r in got] == [
        {"region": "NA", "parent_asin": "P1", "orders": 2},
        {"region": "NA", "parent_asin": "P2", "orders": 1},
        {"region": "UK", "parent_asin": None, "orders": 1},
    ]


def test_an_amount_without_any_currency_is_an_error() -> None:
    facts = Facts().add(
        "order_lines",
        [
            {
                "marketplace": None,
                "order_id": "X1",
                "purchase_date": "2026-03-02",
                "sku": "S1",
                "quantity": 1,
                "item_price": 10.0,
            }
        ],
    )
    with pytest.raises(QueryError, match=r"1 order_lines row .* have an amount but no currency"):
        facts.engine().run(KpiRequest(kpis=("gmv",), currency="USD"))


def test_a_stale_rate_is_used_with_a_warning(facts: Facts) -> None:
    facts.add(
        "order_lines",
        [
            {
                "marketplace": "US",
                "order_id": "U9",
                "purchase_date": "2026-03-20",
                "sku": "S1",
                "quantity": 1,
                "currency": "USD",
                "item_price": 10.8,
            }
        ],
    )
    result = facts.engine().run(KpiRequest(kpis=("gmv",), where={"marketplace": ("US",)}, currency="EUR"))
    # 10 + 30 + 10.80 = 50.80 USD / 1.08 = 47.037...
    assert [public(r) for r in result.rows] == [{"gmv": 47.04}]
    assert result.warnings == [
        "the latest EUR->USD rate on or before 2026-03-20 is of 2026-03-02 (18 days earlier): import newer ECB rates"
    ]


def test_monthly_rates(facts: Facts) -> None:
    facts.add(
        "fx_rates",
        [{"kind": "monthly", "rate_date": "2026-03-01", "base": "USD", "quote": "CNY", "rate": 7.2}],
    )
    got = rows(facts.engine(fx_mode="monthly"), ["gmv"], where={"marketplace": ("US",)}, currency="CNY")
    # 40 USD x 7.2 = 288 CNY
    assert [public(r) for r in got] == [{"gmv": 288.0}]
    with pytest.raises(QueryError, match="no monthly CAD->CNY rate for 2026-03"):
        facts.engine(fx_mode="monthly").run(KpiRequest(kpis=("gmv",), currency="CNY"))


def test_a_workspace_kpi_with_a_median(facts: Facts, tmp_path: Path) -> None:
    (tmp_path / "extra.yaml").write_text(
        """
kpis:
  - id: median_line_value
    name: {zh: 订单行金额中位数, en: Median line value}
    unit: money
    direction: higher
    type: simple
    measure: {fact: order_lines, agg: median, expr: item_price, filter: "not is_cancelled"}
    rule: {zh: 订单行金额的中位数, en: median of the line totals}
""",
        encoding="utf-8",
    )
    engine = facts.engine(catalog=load_catalog(tmp_path), fx_mode="ecb")
    got = rows(engine, ["median_line_value"], where={"marketplace": ("US",)}, currency="USD")
    # US lines 10 and 30: median 20
    assert [public(r) for r in got] == [{"median_line_value": 20.0}]
