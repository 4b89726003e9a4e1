"""Threshold rules on trailing windows, against hand-made facts. Each case says why it fires or why it
stays quiet (just inside the threshold)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.watch.facts import add, context
from tradewind.app import Workspace
from tradewind.watch.context import Unavailable
from tradewind.watch.evaluate.threshold import evaluate_threshold
from tradewind.watch.ruleset import ThresholdRule, load_rules

AS_OF = date(2026, 3, 31)  # a Tuesday; 7-day window 03-25..03-31, 30-day window 03-02..03-31


def rule(rule_id: str) -> ThresholdRule:
    found = load_rules().get(rule_id)
    assert isinstance(found, ThresholdRule)
    return found


def fired(findings: list) -> dict[tuple[str, ...], float]:
    return {tuple(f"{k}={v}" for k, v in f.scope.items()): round(f.observed, 6) for f in findings}


def test_roas_floor_per_sku(ws: Workspace) -> None:
    add(
        ws,
        "ad_performance",
        [
            # S1: 240 / 100 = 2.40 < 2.5 in both windows -> fires twice (7d and 30d)
            {"marketplace": "DE", "date_from": date(2026, 3, 28), "sku": "S1", "spend": 100, "sales": 240},
            # S2: 250 / 100 = 2.50, exactly the floor -> quiet
            {"marketplace": "DE", "date_from": date(2026, 3, 29), "sku": "S2", "spend": 100, "sales": 250},
            # S3: 5 / 19.99 = 0.25 but spend 19.99 < the 20 guard -> quiet
            {"marketplace": "DE", "date_from": date(2026, 3, 29), "sku": "S3", "spend": 19.99, "sales": 5},
            # S4: 7d = 300 / 100 = 3.00 quiet; 30d = (190 + 300) / (100 + 100) = 2.45 -> fires 30d only
            {"marketplace": "DE", "date_from": date(2026, 3, 10), "sku": "S4", "spend": 100, "sales": 190},
            {"marketplace": "DE", "date_from": date(2026, 3, 30), "sku": "S4", "spend": 100, "sales": 300},
            # S5: outside the 30-day window (03-01) -> quiet
            {"marketplace": "DE", "date_from": date(2026, 3, 1), "sku": "S5", "spend": 100, "sales": 10},
        ],
    )
    add(ws, "products", [{"sku": "S1", "owner": "li.wei"}])
    findings = evaluate_threshold(rule("roas_floor_sku"), context(ws, AS_OF))
    assert fired(findings) == {
        ("account=acme-eu", "marketplace=DE", "sku=S1", "window=7d"): 2.4,
        ("account=acme-eu", "marketplace=DE", "sku=S1", "window=30d"): 2.4,
        ("account=acme-eu", "marketplace=DE", "sku=S4", "window=30d"): 2.45,
    }
    s1 = next(f for f in findings if f.scope["sku"] == "S1")
    assert s1.threshold == 2.5
    assert s1.owner == "li.wei"  # the SKU's owner in the product list
    assert s1.period == "2026-W14"  # deduplicated per ISO week of the check date
    assert s1.window == (date(2026, 3, 25), date(2026, 3, 31))
    assert s1.title == "acme-eu / DE / sku S1: roas 2.40 below 2.50 (7 days to 2026-03-31)"


def test_roas_floor_per_marketplace(ws: Workspace) -> None:
    add(
        ws,
        "ad_performance",
        [
            # DE: 122 / 50 = 2.44 -> fires (7d and 30d); spend 50 meets the 50 guard
            {"marketplace": "DE", "date_from": date(2026, 3, 30), "sku": "S1", "spend": 30, "sales": 72},
            {"marketplace": "DE", "date_from": date(2026, 3, 30), "sku": "S2", "spend": 20, "sales": 50},
            # FR: 125 / 50 = 2.50 -> quiet
            {"marketplace": "FR", "date_from": date(2026, 3, 30), "sku": "S1", "spend": 50, "sales": 125},
        ],
    )
    findings = evaluate_threshold(rule("roas_floor_marketplace"), context(ws, AS_OF))
    assert fired(findings) == {
        ("account=acme-eu", "marketplace=DE", "window=7d"): 2.44,
        ("account=acme-eu", "marketplace=DE", "window=30d"): 2.44,
    }


def test_a_kpi_missing_from_the_catalog_is_reported_unavailable(ws: Workspace) -> None:
    missing = rule("refund_ceiling").model_copy(update={"kpi": "chargeback_rate"})
    with pytest.raises(Unavailable, match="KPI unavailable: chargeback_rate is not in the catalog yet"):
        evaluate_threshold(missing, context(ws, AS_OF))


def _snapshot(mkt: str, day: date, sku: str, fulfillable: int, inbound: int = 0) -> dict:
    return {
        "marketplace": mkt,
        "snapshot_date": day,
        "sku": sku,
        "afn_fulfillable": fulfillable,
        "inbound_shipped": inbound,
    }


def test_days_of_supply_below_lead_time_and_above_120(ws: Workspace) -> None:
    # Every SKU sold 60 units on 03-15, inside the 30 days before the 03-31 snapshot: 2 a day.
    add(
        ws,
        "order_lines",
        [
            {
                "marketplace": "DE",
                "order_id": f"O-{sku}",
                "purchase_date": date(2026, 3, 15),
                "sku": sku,
                "quantity": 60,
                "item_price": 600,
                "item_tax": 95.80,
            }
            for sku in ("A", "B", "C", "D", "E")
        ],
    )
    add(
        ws,
        "inventory_snapshots",
        [
            _snapshot("DE", AS_OF, "A", 80, inbound=20),  # (80 + 20) / 2 = 50 days; lead time 50 -> quiet
            _snapshot("DE", AS_OF, "B", 100),  # 50 days; lead time 51 -> fires (stock-out risk)
            _snapshot("DE", AS_OF, "C", 100),  # 50 days; no lead time -> default 45 -> quiet
            _snapshot("DE", AS_OF, "D", 242),  # 121 days > 120 -> overstock fires
            _snapshot("DE", AS_OF, "E", 240),  # 120 days, exactly the ceiling -> quiet
        ],
    )
    add(
        ws,
        "products",
        [
            {"sku": "A", "lead_time_days": 50},
            {"sku": "B", "lead_time_days": 51, "owner": "zhang.min"},
            {"sku": "C"},
        ],
    )
    ctx = context(ws, AS_OF)
    risk = evaluate_threshold(rule("stockout_risk"), ctx)
    assert fired(risk) == {("account=acme-eu", "marketplace=DE", "sku=B", "window=7d"): 50.0}
    assert risk[0].threshold == 51
    assert risk[0].owner == "zhang.min"
    assert "below the lead time of 51 days" in risk[0].title
    over = evaluate_threshold(rule("overstock"), ctx)
    assert fired(over) == {("account=acme-eu", "marketplace=DE", "sku=D", "window=7d"): 121.0}
    assert over[0].period == "2026-03"  # overstock is deduplicated per month


def test_refund_rate_above_its_ceiling(ws: Workspace) -> None:
    add(
        ws,
        "order_lines",
        [
            {
                "marketplace": "DE",
                "order_id": "DE-1",
                "purchase_date": date(2026, 3, 5),
                "sku": "S1",
                "quantity": 100,
                "item_price": 1190,
                "item_tax": 190,
            },
            {
                "marketplace": "FR",
                "order_id": "FR-1",
                "purchase_date": date(2026, 3, 5),
                "sku": "S1",
                "quantity": 100,
                "item_price": 1200,
                "item_tax": 200,
            },
            {
                "marketplace": "IT",
                "order_id": "IT-1",
                "purchase_date": date(2026, 3, 5),
                "sku": "S1",
                "quantity": 29,
                "item_price": 290,
                "item_tax": 52.30,
            },
        ],
    )
    add(
        ws,
        "customer_returns",
        [
            {
                "marketplace": "DE",
                "return_date": date(2026, 3, 20),
                "order_id": "DE-1",
                "sku": "S1",
                "quantity": 11,
            },
            {
                "marketplace": "FR",
                "return_date": date(2026, 3, 20),
                "order_id": "FR-1",
                "sku": "S1",
                "quantity": 10,
            },
            {
                "marketplace": "IT",
                "return_date": date(2026, 3, 20),
                "order_id": "IT-1",
                "sku": "S1",
                "quantity": 9,
            },
        ],
    )
    findings = evaluate_threshold(rule("refund_ceiling"), context(ws, AS_OF))
    # DE 11 / 100 = 0.11 > 0.10 fires; FR 10 / 100 = 0.10 quiet; IT 9 / 29 = 0.31 but 29 units < 30 guard
    assert fired(findings) == {("account=acme-eu", "marketplace=DE", "window=30d"): 0.11}
    assert findings[0].title == "acme-eu / DE: refund_rate 11.0% above 10.0% (30 days to 2026-03-31)"


def test_in_stock_rate_below_95_percent(ws: Workspace) -> None:
    days = [AS_OF - timedelta(days=i) for i in range(7)]  # daily snapshots 03-25..03-31
    # DE: X in stock all 7 days, Y out on the last day: 13 / 14 = 0.9286 -> fires
    add(ws, "inventory_snapshots", [_snapshot("DE", d, "X", 10) for d in days])
    add(ws, "inventory_snapshots", [_snapshot("DE", d, "Y", 0 if d == AS_OF else 10) for d in days])
    # FR: four SKUs on five days (03-27..03-31), one SKU-day out: 19 / 20 = 0.95 exactly -> quiet
    fr_days = days[:5]
    for sku in ("P", "Q", "R", "S"):
        add(
            ws,
            "inventory_snapshots",
            [_snapshot("FR", d, sku, 0 if (sku == "P" and d == AS_OF) else 5) for d in fr_days],
        )
    findings = evaluate_threshold(rule("in_stock_floor"), context(ws, AS_OF))
    assert fired(findings) == {("account=acme-eu", "marketplace=DE", "window=7d"): round(13 / 14, 6)}


def _tickets(mkt: str, replied_within: int, late: int, day: date) -> list[dict]:
    rows = [
        {"marketplace": mkt, "ticket_id": f"{mkt}-ok-{i}", "received_date": day, "first_reply_hours": 3.0}
        for i in range(replied_within)
    ]
    rows += [
        {"marketplace": mkt, "ticket_id": f"{mkt}-late-{i}", "received_date": day, "first_reply_hours": 30.0}
        for i in range(late)
    ]
    return rows


def test_cs_reply_rate_below_90_percent(ws: Workspace) -> None:
    # FR 8 of 10 within 24 h = 0.80 -> fires; DE 9 of 10 = 0.90 -> quiet
    add(ws, "cs_tickets", _tickets("FR", 8, 2, date(2026, 3, 28)) + _tickets("DE", 9, 1, date(2026, 3, 28)))
    findings = evaluate_threshold(rule("cs_reply_24h"), context(ws, AS_OF))
    assert fired(findings) == {
        ("account=acme-eu", "marketplace=FR", "window=7d"): 0.8,
        ("account=acme-eu", "marketplace=FR", "window=30d"): 0.8,
    }


def test_active_sku_out_of_stock(ws: Workspace) -> None:
    add(
        ws,
        "inventory_snapshots",
        [
            _snapshot("DE", date(2026, 3, 20), "Z", 5),
            _snapshot("DE", date(2026, 3, 30), "Z", 0),  # stock 10 days earlier: active, now out -> fires
            _snapshot("DE", date(2026, 3, 30), "W", 0),  # no stock or sales in the 30 days before: inactive
            _snapshot("DE", date(2026, 3, 30), "V", 3),  # in stock
        ],
    )
    findings = evaluate_threshold(rule("stocked_out"), context(ws, AS_OF))
    assert fired(findings) == {("account=acme-eu", "marketplace=DE", "sku=Z", "window=7d"): 1.0}
