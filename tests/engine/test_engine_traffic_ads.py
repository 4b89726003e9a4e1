"""Traffic and advertising KPIs: range facts, missing reports, shared dimensions (values by hand)."""

from __future__ import annotations

from tests.engine.factbuilder import Facts, public, rows
from tradewind.engine import KpiRequest

ORDERS = [
    {
        "marketplace": "DE",
        "order_id": "D1",
        "purchase_date": "2026-03-02",
        "sku": "S1",
        "quantity": 2,
        "currency": "EUR",
        "item_price": 40.00,
        "item_tax": 6.39,
    },
    {
        "marketplace": "IT",
        "order_id": "I1",
        "purchase_date": "2026-03-03",
        "sku": "S1",
        "quantity": 1,
        "currency": "EUR",
        "item_price": 12.20,
        "item_tax": 2.20,
    },
]
TRAFFIC = [
    # a whole-month Business Report for DE: counts in March
    {
        "marketplace": "DE",
        "date_from": "2026-03-01",
        "date_to": "2026-03-31",
        "sku": "S1",
        "child_asin": "B01",
        "sessions": 200,
        "page_views": 300,
        "units_ordered": 10,
        "total_order_items": 8,
        "buy_box_pct": 0.90,
    },
    {
        "marketplace": "DE",
        "date_from": "2026-03-01",
        "date_to": "2026-03-31",
        "sku": "S2",
        "child_asin": "B02",
        "sessions": 50,
        "page_views": 100,
        "units_ordered": 0,
        "total_order_items": 0,
        "buy_box_pct": 0.60,
    },
    # a report over 25 March .. 7 April spans two months: counted nowhere, and said so
    {
        "marketplace": "DE",
        "date_from": "2026-03-25",
        "date_to": "2026-04-07",
        "sku": "S1",
        "child_asin": "B01",
        "sessions": 999,
        "page_views": 999,
        "units_ordered": 99,
    },
    # a parent-level row of the same report would double the sessions: not counted
    {
        "marketplace": "DE",
        "date_from": "2026-03-01",
        "date_to": "2026-03-31",
        "level": "parent_asin",
        "parent_asin": "P01",
        "sessions": 250,
        "page_views": 400,
        "units_ordered": 10,
    },
]


def _facts() -> Facts:
    return Facts().add("order_lines", ORDERS).add("traffic", TRAFFIC)


def test_cvr_by_marketplace_where_one_has_no_traffic_report() -> None:
    result = (
        _facts()
        .engine()
        .run(
            KpiRequest(
                kpis=("units", "sessions", "cvr", "order_item_session_pct", "buy_box_pct"),
                by=("month", "marketplace"),
                period="2026-03",
                currency="EUR",
            )
        )
    )
    de, it = result.rows
    # DE: sessions 200 + 50 = 250; cvr 10 / 250 = 0.04; order items 8 / 250 = 0.032;
    # buy box (0.90 x 300 + 0.60 x 100) / 400 = 330 / 400 = 0.825 (weighted by views)
    assert public(de) == {
        "period": "2026-03",
        "marketplace": "DE",
        "units": 2,
        "sessions": 250,
        "cvr": 0.04,
        "order_item_session_pct": 0.032,
        "buy_box_pct": 0.825,
    }
    # IT has orders but no Business Report: null with a reason, not 0
    assert public(it) == {
        "period": "2026-03",
        "marketplace": "IT",
        "units": 1,
        "sessions": None,
        "cvr": None,
        "order_item_session_pct": None,
        "buy_box_pct": None,
    }
    assert it["_null_reasons"]["cvr"] == "no traffic report for IT in 2026-03"
    assert result.warnings == ["traffic for DE 2026-03-25..2026-04-07 spans two months: not counted"]


def test_a_month_report_does_not_count_by_week() -> None:
    result = (
        _facts()
        .engine()
        .run(
            KpiRequest(
                kpis=("sessions",),
                by=("week", "marketplace"),
                period="2026-03-02..2026-03-08",
                where={"marketplace": ("DE",)},
            )
        )
    )
    assert result.rows == []
    assert result.warnings == [
        "traffic for DE 2026-03-01..2026-03-31 spans six weeks: not counted",
    ]


def test_a_sku_missing_from_a_present_report_had_no_sessions() -> None:
    facts = _facts().add(
        "order_lines",
        [
            {
                "marketplace": "DE",
                "order_id": "D2",
                "purchase_date": "2026-03-05",
                "sku": "S3",
                "quantity": 1,
                "currency": "EUR",
                "item_price": 5.0,
                "item_tax": 0.8,
            }
        ],
    )
    got = {
        r["sku"]: r
        for r in rows(
            facts.engine(),
            ["units", "sessions", "cvr"],
            by=("marketplace", "sku"),
            period="2026-03",
            where={"marketplace": ("DE",)},
            currency="EUR",
        )
    }
    # S3 sold but is not in DE's report: sessions 0 (the report is there), cvr 0/0 -> null, with the reason
    assert public(got["S3"]) == {"marketplace": "DE", "sku": "S3", "units": 1, "sessions": 0, "cvr": None}
    assert got["S3"]["_null_reasons"] == {"cvr": "sessions is 0"}
    assert public(got["S2"]) == {"marketplace": "DE", "sku": "S2", "units": 0, "sessions": 50, "cvr": 0.0}


ADS = [
    {
        "marketplace": "DE",
        "date_from": "2026-03-02",
        "sku": "S1",
        "currency": "EUR",
        "impressions": 1000,
        "clicks": 40,
        "spend": 20.00,
        "sales": 32.00,
        "orders": 2,
        "units": 2,
    },
    {
        "marketplace": "DE",
        "date_from": "2026-03-03",
        "sku": "S1",
        "currency": "EUR",
        "impressions": 1000,
        "clicks": 10,
        "spend": 5.00,
        "sales": 8.00,
        "orders": 1,
        "units": 1,
    },
    # a weekly row inside March counts; one over 30 March .. 5 April does not
    {
        "marketplace": "DE",
        "date_from": "2026-03-09",
        "date_to": "2026-03-15",
        "sku": "S1",
        "currency": "EUR",
        "impressions": 0,
        "clicks": 0,
        "spend": 0.0,
        "sales": 0.0,
        "orders": 0,
        "units": 0,
    },
    {
        "marketplace": "DE",
        "date_from": "2026-03-30",
        "date_to": "2026-04-05",
        "sku": "S1",
        "currency": "EUR",
        "impressions": 500,
        "clicks": 5,
        "spend": 9.0,
        "sales": 9.0,
        "orders": 1,
        "units": 1,
    },
]


def test_advertising_ratios() -> None:
    facts = Facts().add("order_lines", ORDERS).add("ad_performance", ADS)
    result = facts.engine().run(
        KpiRequest(
            kpis=(
                "ad_spend",
                "ad_sales",
                "clicks",
                "ctr",
                "cpc",
                "ad_cvr",
                "acos",
                "roas",
                "tacos",
                "organic_share",
            ),
            by=("marketplace",),
            period="2026-03",
            where={"marketplace": ("DE",)},
            currency="EUR",
        )
    )
    # spend 25, sales 40, clicks 50, impressions 2000, ad orders 3; DE gmv 40.00
    assert [public(r) for r in result.rows] == [
        {
            "marketplace": "DE",
            "ad_spend": 25.0,
            "ad_sales": 40.0,
            "clicks": 50,
            "ctr": 0.025,
            "cpc": 0.5,
            "ad_cvr": 0.06,
            "acos": 0.625,
            "roas": 1.6,
            "tacos": 0.625,
            "organic_share": 0.0,
        }
    ]
    # no time grain: the period is the bucket, and the row reaches past it
    assert result.warnings == [
        "ad performance for DE 2026-03-30..2026-04-05 extends beyond 2026-03: not counted"
    ]


def test_tacos_only_on_dimensions_ads_and_orders_share() -> None:
    facts = Facts().add("order_lines", ORDERS).add("ad_performance", ADS[:2])
    result = facts.engine().run(
        KpiRequest(kpis=("gmv", "tacos"), by=("channel",), period="2026-03", currency="EUR")
    )
    # orders have a channel, ads do not: gmv 40 + 12.20 = 52.20, tacos empty with the reason
    assert [public(r) for r in result.rows] == [{"channel": "amazon_fba", "gmv": 52.20, "tacos": None}]
    assert result.rows[0]["_null_reasons"] == {"tacos": "ad performance cannot be split by channel"}
    assert result.warnings == ["ad performance cannot be split by channel: tacos left empty"]
    by_sku = rows(facts.engine(), ["tacos", "organic_share"], by=("sku",), period="2026-03", currency="EUR")
    # S1: spend 25 / gmv 52.20 = 0.478927...; organic max(0, 1 - 40 / 52.20) = 0.233716...
    assert public(by_sku[0]) == {"sku": "S1", "tacos": 25 / 52.20, "organic_share": 1 - 40 / 52.20}
