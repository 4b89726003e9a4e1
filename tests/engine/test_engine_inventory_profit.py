"""Inventory (point-in-time, trailing windows, active SKUs) and profit KPIs, by hand."""

from __future__ import annotations

import pytest

from tests.engine.factbuilder import Facts, public, rows

SNAPSHOTS = [
    # 30 March
    {
        "marketplace": "DE",
        "snapshot_date": "2026-03-30",
        "sku": "S1",
        "afn_fulfillable": 10,
        "afn_reserved": 2,
    },
    {"marketplace": "DE", "snapshot_date": "2026-03-30", "sku": "S2", "afn_fulfillable": 2},
    {"marketplace": "DE", "snapshot_date": "2026-03-30", "sku": "S3", "afn_fulfillable": 0},
    # 31 March: the last snapshot of the month
    {
        "marketplace": "DE",
        "snapshot_date": "2026-03-31",
        "sku": "S1",
        "afn_fulfillable": 4,
        "afn_reserved": 2,
        "inbound_working": 7,
        "inbound_shipped": 5,
        "inbound_receiving": 1,
    },
    {"marketplace": "DE", "snapshot_date": "2026-03-31", "sku": "S2", "afn_fulfillable": 0},
    {"marketplace": "DE", "snapshot_date": "2026-03-31", "sku": "S3", "afn_fulfillable": 0},
]
ORDERS = [
    {
        "marketplace": "DE",
        "order_id": "O1",
        "purchase_date": "2026-03-10",
        "sku": "S1",
        "quantity": 6,
        "currency": "EUR",
        "item_price": 60.0,
        "item_tax": 9.58,
    },
    {
        "marketplace": "DE",
        "order_id": "O2",
        "purchase_date": "2026-03-15",
        "sku": "S2",
        "quantity": 3,
        "currency": "EUR",
        "item_price": 30.0,
        "item_tax": 4.79,
    },
    # cancelled: neither sales nor activity
    {
        "marketplace": "DE",
        "order_id": "O3",
        "purchase_date": "2026-03-16",
        "sku": "S3",
        "quantity": 5,
        "currency": "EUR",
        "item_price": 50.0,
        "item_tax": 7.98,
        "is_cancelled": True,
    },
]


def test_inventory_kpis_for_a_month() -> None:
    facts = Facts().add("inventory_snapshots", SNAPSHOTS).add("order_lines", ORDERS)
    got = rows(
        facts.engine(),
        [
            "fulfillable_units",
            "inbound_units",
            "stockout_skus",
            "in_stock_rate",
            "days_of_supply",
            "inventory_turnover_days",
        ],
        by=("month", "marketplace"),
        period="2026-03",
    )
    # last snapshot 31 March: fulfillable 4 + 0 + 0 = 4; inbound 7 + 5 + 1 = 13;
    # stock-outs: S2 (0, but stock on 30 March and sales on 15 March: active); S3 never active -> 1
    # in-stock: active SKU-days = S1 x2, S2 x2 = 4; with stock: S1 x2 + S2 on 30 March = 3 -> 0.75
    # days of supply: (4 + 5 + 1) / ((6 + 3) / 30) = 10 / 0.3 = 33.333...
    # turnover: on-hand (10+2 + 2 + 0 + 4+2 + 0 + 0) = 20 over 2 snapshot days = 10 a day;
    #           units 9 over the 31 days of March -> 10 / (9 / 31) = 34.444...
    assert [public(r) for r in got] == [
        pytest.approx(
            {
                "period": "2026-03",
                "marketplace": "DE",
                "fulfillable_units": 4,
                "inbound_units": 13,
                "stockout_skus": 1,
                "in_stock_rate": 0.75,
                "days_of_supply": 100 / 3,
                "inventory_turnover_days": 310 / 9,
            }
        )
    ]


def test_point_in_time_by_sku_and_a_month_without_snapshots() -> None:
    facts = Facts().add("inventory_snapshots", SNAPSHOTS).add("order_lines", ORDERS)
    got = rows(facts.engine(), ["fulfillable_units"], by=("sku",), period="2026-03")
    assert [public(r) for r in got] == [
        {"sku": "S1", "fulfillable_units": 4},
        {"sku": "S2", "fulfillable_units": 0},
        {"sku": "S3", "fulfillable_units": 0},
    ]
    facts.add(
        "order_lines",
        [
            {
                "marketplace": "DE",
                "order_id": "F1",
                "purchase_date": "2026-02-10",
                "sku": "S1",
                "quantity": 1,
                "currency": "EUR",
                "item_price": 10.0,
                "item_tax": 1.6,
            }
        ],
    )
    (feb,) = rows(facts.engine(), ["units", "fulfillable_units"], by=("marketplace",), period="2026-02")
    assert feb["fulfillable_units"] is None
    assert feb["_null_reasons"]["fulfillable_units"] == "no inventory snapshot for DE in 2026-02"


PROFIT_ORDERS = [
    # net 23.80 - 3.80 = 20.00; cost 2 x 4.00 USD (cost from 1 January)
    {
        "marketplace": "DE",
        "order_id": "P1",
        "purchase_date": "2026-03-10",
        "sku": "S1",
        "quantity": 2,
        "currency": "EUR",
        "item_price": 23.80,
        "item_tax": 3.80,
    },
    # net 11.90 - 1.90 = 10.00; cost 1 x 5.00 USD (the cost from 15 March applies)
    {
        "marketplace": "DE",
        "order_id": "P2",
        "purchase_date": "2026-03-20",
        "sku": "S1",
        "quantity": 1,
        "currency": "EUR",
        "item_price": 11.90,
        "item_tax": 1.90,
    },
]
COSTS = [
    {"sku": "S1", "effective_from": "2026-01-01", "unit_cost": 4.00, "currency": "USD"},
    {"sku": "S1", "effective_from": "2026-03-15", "unit_cost": 5.00, "currency": "USD"},
]
SETTLEMENT = [
    {
        "marketplace": "DE",
        "settlement_id": "X1",
        "posted_date": "2026-03-12",
        "amount_type": "ItemFees",
        "amount_description": "Commission",
        "amount": -3.00,
        "currency": "EUR",
    },
    {
        "marketplace": "DE",
        "settlement_id": "X1",
        "posted_date": "2026-03-12",
        "amount_type": "ItemFees",
        "amount_description": "FBAPerUnitFulfillmentFee",
        "amount": -2.50,
        "currency": "EUR",
    },
    {
        "marketplace": "DE",
        "settlement_id": "X1",
        "posted_date": "2026-03-12",
        "amount_type": "ItemPrice",
        "amount_description": "Principal",
        "amount": 23.80,
        "currency": "EUR",
    },
    {
        "marketplace": "DE",
        "settlement_id": "X1",
        "posted_date": "2026-03-31",
        "amount_type": "other-transaction",
        "transaction_type": "Storage Fee",
        "amount_description": "Storage Fee",
        "amount": -1.20,
        "currency": "EUR",
    },
]


def test_profit_chain() -> None:
    facts = (
        Facts()
        .add("order_lines", PROFIT_ORDERS)
        .add("product_costs", COSTS)
        .add("settlement_lines", SETTLEMENT)
        .add(
            "ad_performance",
            [
                {
                    "marketplace": "DE",
                    "date_from": "2026-03-11",
                    "sku": "S1",
                    "currency": "EUR",
                    "spend": 2.90,
                    "sales": 10.0,
                }
            ],
        )
        .add(
            "fx_rates",
            [{"kind": "ecb", "rate_date": "2026-03-02", "base": "EUR", "quote": "USD", "rate": 1.25}],
        )
    )
    got = rows(
        facts.engine(),
        [
            "net_sales",
            "cogs",
            "platform_fees",
            "gross_profit",
            "gross_margin",
            "contribution_profit",
            "contribution_margin",
        ],
        by=("marketplace",),
        period="2026-03",
        currency="EUR",
    )
    # net 30.00; cogs (8 + 5) USD x (1 / 1.25) = 10.40 EUR; fees 3.00 + 2.50 + 1.20 = 6.70 (Principal is no fee)
    # gross profit 30 - 10.40 - 6.70 = 12.90, margin 0.43; contribution 12.90 - 2.90 = 10.00, margin 1/3
    (row,) = got
    assert public(row) == pytest.approx(
        {
            "marketplace": "DE",
            "net_sales": 30.0,
            "cogs": 10.40,
            "platform_fees": 6.70,
            "gross_profit": 12.90,
            "gross_margin": 0.43,
            "contribution_profit": 10.0,
            "contribution_margin": 1 / 3,
        }
    )


def test_cogs_is_null_when_a_line_has_no_cost() -> None:
    facts = (
        Facts()
        .add("order_lines", PROFIT_ORDERS)
        .add(
            "product_costs",
            [{"sku": "S1", "effective_from": "2026-03-15", "unit_cost": 5.00, "currency": "EUR"}],
        )
    )
    (row,) = rows(facts.engine(), ["cogs", "gross_margin"], period="2026-03", currency="EUR")
    # P1 (10 March) precedes the only cost (from 15 March)
    assert public(row) == {"cogs": None, "gross_margin": None}
    assert (
        row["_null_reasons"]["cogs"]
        == "1 order_lines row lacks a landed unit cost effective on the purchase date"
    )
