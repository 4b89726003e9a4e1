"""Data before argument: freshness (stale sources, missing days) and reconciliation (Business Report
units vs order units, with the SKUs that differ)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.watch.facts import add, context, ledger
from tradewind.app import Workspace
from tradewind.watch.evaluate.freshness import missing_days, stale_sources
from tradewind.watch.evaluate.reconciliation import evaluate_reconciliation
from tradewind.watch.ruleset import FreshnessRule, ReconciliationRule, load_rules

AS_OF = date(2026, 3, 31)


def freshness_rule() -> FreshnessRule:
    found = load_rules().get("data_freshness")
    assert isinstance(found, FreshnessRule)
    return found


def reconciliation_rule() -> ReconciliationRule:
    found = load_rules().get("units_reconciliation")
    assert isinstance(found, ReconciliationRule)
    return found


def test_stale_sources_from_the_import_ledger(ws: Workspace) -> None:
    ledger(ws, "i1", "amazon_all_orders", datetime(2026, 3, 20, 8, tzinfo=UTC))
    ledger(ws, "i2", "amazon_all_orders", datetime(2026, 3, 27, 8, tzinfo=UTC))  # last: 4 days > 3 -> stale
    ledger(
        ws, "i3", "business_report", datetime(2026, 3, 21, 8, tzinfo=UTC), marketplace="DE"
    )  # 10 = 10: fresh
    ledger(
        ws, "i4", "business_report", datetime(2026, 3, 20, 8, tzinfo=UTC), marketplace="FR"
    )  # 11 > 10: stale
    ledger(ws, "i5", "products", datetime(2025, 1, 1, 8, tzinfo=UTC))  # reference data: never stale
    findings = stale_sources(freshness_rule(), context(ws, AS_OF))
    assert {(f.scope.get("source"), f.scope.get("marketplace"), f.observed) for f in findings} == {
        ("amazon_all_orders", None, 4.0),
        ("business_report", "FR", 11.0),
    }
    orders = next(f for f in findings if f.scope["source"] == "amazon_all_orders")
    assert orders.period == "since 2026-03-27"
    assert orders.title == (
        "amazon_all_orders for acme-eu: not imported for 4 days (last import 2026-03-27; expected every 3 days)"
    )


def test_missing_days_inside_the_data(ws: Workspace) -> None:
    march = [date(2026, 3, 1) + timedelta(days=i) for i in range(31)]
    # DE: 11 lines a day except 03-10 and 03-11: 29 x 11 / 31 = 10.3 a day >= 10 -> the gap is missing data
    add(
        ws,
        "order_lines",
        [
            {
                "marketplace": "DE",
                "order_id": f"DE-{d}-{i}",
                "purchase_date": d,
                "sku": "S",
                "quantity": 1,
                "item_price": 10,
                "item_tax": 1.6,
            }
            for d in march
            if d.day not in (10, 11)
            for i in range(11)
        ],
    )
    # FR: 1 line a day with a gap: a small store has real days without sales -> quiet
    add(
        ws,
        "order_lines",
        [
            {
                "marketplace": "FR",
                "order_id": f"FR-{d}",
                "purchase_date": d,
                "sku": "S",
                "quantity": 1,
                "item_price": 10,
                "item_tax": 1.67,
            }
            for d in march
            if d.day != 12
        ],
    )
    # Ads: daily rows for March except 03-15
    add(
        ws,
        "ad_performance",
        [
            {"marketplace": "DE", "date_from": d, "sku": "S", "spend": 1, "sales": 3}
            for d in march
            if d.day != 15
        ],
    )
    # Business Reports: January and March, no February
    add(
        ws,
        "traffic",
        [
            {
                "marketplace": "DE",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 1, 31),
                "sku": "S",
                "sessions": 10,
            },
            {
                "marketplace": "DE",
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                "sku": "S",
                "sessions": 10,
            },
        ],
    )
    findings = missing_days(freshness_rule(), context(ws, AS_OF))
    assert {(f.scope["source"], f.scope["marketplace"], f.period, f.observed) for f in findings} == {
        ("order_lines", "DE", "2026-03-10..2026-03-11", 2.0),
        ("ad_performance", "DE", "2026-03-15..2026-03-15", 1.0),
        ("traffic", "DE", "2026-02-01..2026-02-28", 28.0),
    }
    gap = next(f for f in findings if f.scope["source"] == "order_lines")
    assert (
        gap.title
        == "acme-eu DE: no order lines on 2026-03-10..2026-03-11 (2 days) between days that have them"
    )


def _br(mkt: str, sku: str, units: int) -> dict:
    return {
        "marketplace": mkt,
        "date_from": date(2026, 3, 1),
        "date_to": date(2026, 3, 31),
        "sku": sku,
        "child_asin": f"B-{sku}",
        "sessions": units * 10,
        "units_ordered": units,
    }


def _orders(mkt: str, sku: str, units: int) -> dict:
    return {
        "marketplace": mkt,
        "order_id": f"{mkt}-{sku}",
        "purchase_date": date(2026, 3, 9),
        "sku": sku,
        "quantity": units,
        "item_price": units * 10,
        "item_tax": 0,
    }


def test_business_report_units_reconcile_with_order_units(ws: Workspace) -> None:
    add(
        ws,
        "traffic",
        [
            _br("DE", "S1", 50),
            _br("DE", "S2", 30),
            _br("DE", "S3", 7),
            _br("FR", "S1", 100),
            _br("IT", "S1", 1000),
        ],
    )
    add(
        ws,
        "order_lines",
        [
            # DE: 50 + 25 + 4 + 2 = 81 vs Business Report 87: 6 > 3 units and 6 / 87 = 6.9% > 2% -> fires
            _orders("DE", "S1", 50),
            _orders("DE", "S2", 25),
            _orders("DE", "S3", 4),
            _orders("DE", "S9", 2),
            # FR: 98 vs 100: 2 units <= 3 -> quiet
            _orders("FR", "S1", 98),
            # IT: 981 vs 1000: 19 units, but 1.9% <= 2% -> quiet
            _orders("IT", "S1", 981),
        ],
    )
    findings = evaluate_reconciliation(reconciliation_rule(), context(ws, AS_OF))
    assert len(findings) == 1
    de = findings[0]
    assert de.scope == {"account": "acme-eu", "marketplace": "DE"}
    assert de.period == "2026-03-01..2026-03-31"
    assert de.observed == 6.0
    assert de.title == (
        "acme-eu / DE: br_units 87 vs units 81 in 2026-03-01..2026-03-31 (difference +6, 6.9%)"
    )
    # the SKUs that differ, largest difference first; S1 agrees and is left out
    assert [(r["sku"], r["br_units"], r["units"], r["difference"]) for r in de.evidence] == [
        ("S2", 30, 25, 5.0),
        ("S3", 7, 4, 3.0),
        ("S9", 0, 2, -2.0),  # absent from a present Business Report: 0, not unknown
    ]
