"""The shipped catalog: every KPI of kpis.md's Sales, Traffic, Advertising, Inventory and Profit sections,
each with Chinese and English names and a written rule, and a valid version."""

from __future__ import annotations

import re

import pytest

from tradewind.catalog import GrowthKpi, load_catalog, read_catalog
from tradewind.store.fact_schema import FACT_TABLES

SPEC_KPIS = {
    "sales": [
        "gmv",
        "units",
        "orders",
        "aov",
        "asp",
        "promo_discount",
        "refund_units",
        "refund_amount",
        "net_sales",
        "refund_rate",
        "b2b_share",
    ],
    "traffic": ["sessions", "page_views", "cvr", "order_item_session_pct", "buy_box_pct"],
    "advertising": [
        "ad_spend",
        "ad_sales",
        "ad_orders",
        "ad_units",
        "impressions",
        "clicks",
        "ctr",
        "cpc",
        "ad_cvr",
        "acos",
        "roas",
        "tacos",
        "organic_share",
    ],
    "inventory": [
        "fulfillable_units",
        "inbound_units",
        "days_of_supply",
        "inventory_turnover_days",
        "in_stock_rate",
        "stockout_skus",
    ],
    "profit": [
        "cogs",
        "platform_fees",
        "gross_profit",
        "gross_margin",
        "contribution_profit",
        "contribution_margin",
    ],
}
#: Growth KPIs the engine contract promises.
CONTRACT_GROWTH = ["gmv", "units", "orders", "net_sales", "sessions", "ad_spend", "ad_sales"]


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog(fact_columns={k: v.column_names for k, v in FACT_TABLES.items()})


def test_shipped_catalog_has_no_problems() -> None:
    catalog, issues = read_catalog(fact_columns={k: v.column_names for k, v in FACT_TABLES.items()})
    assert issues == []
    assert catalog is not None


@pytest.mark.parametrize("section", sorted(SPEC_KPIS))
def test_every_spec_kpi_is_defined(catalog, section: str) -> None:  # type: ignore[no-untyped-def]
    missing = [k for k in SPEC_KPIS[section] if catalog.kpi(k) is None]
    assert missing == []


def test_every_kpi_has_names_rule_and_version(catalog) -> None:  # type: ignore[no-untyped-def]
    for kpi_id, kpi in catalog.kpis.items():
        assert kpi.name.zh.strip() and kpi.name.en.strip(), kpi_id
        assert kpi.rule.zh.strip() and kpi.rule.en.strip(), kpi_id
        assert re.fullmatch(rf"{kpi_id}@[0-9a-f]{{7}}", catalog.version(kpi_id))


def test_growth_kpis_of_the_contract(catalog) -> None:  # type: ignore[no-untyped-def]
    for base in CONTRACT_GROWTH:
        for compare in ("mom", "yoy"):
            kpi = catalog.kpi(f"{base}_{compare}")
            assert isinstance(kpi, GrowthKpi) and kpi.base == base and kpi.compare == compare
            assert kpi.unit.value == "ratio"


def test_units_and_types_follow_the_spec(catalog) -> None:  # type: ignore[no-untyped-def]
    assert catalog.kpi("gmv").unit.value == "money"
    assert catalog.kpi("orders").unit.value == "count"
    assert catalog.kpi("cvr").type == "ratio" and catalog.kpi("cvr").unit.value == "ratio"
    assert catalog.kpi("days_of_supply").unit.value == "days"
    assert catalog.kpi("fulfillable_units").type == "point_in_time"
    assert catalog.kpi("acos").direction.value == "lower"
    # cvr reads units and sessions from the same source (the Business Report), not from orders
    assert catalog.facts_read("cvr") == ("traffic",)
    assert set(catalog.facts_read("refund_amount")) == {"customer_returns", "order_lines"}
    assert catalog.facts_read("tacos") == ("ad_performance", "order_lines")


def test_vat_rates_are_dated_data(catalog) -> None:  # type: ignore[no-untyped-def]
    rates = {(r.country, r.valid_from): r.rate for r in catalog.vat_rates}
    assert rates[("DE", "2021-01-01")] == 0.19
    assert rates[("FI", "2024-09-01")] == 0.255
    assert rates[("SK", "2025-01-01")] == 0.23
    assert rates[("GB", "2011-01-04")] == 0.20
