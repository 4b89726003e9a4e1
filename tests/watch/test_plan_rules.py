"""Rules that read the plan: pacing deviation and the "volume bought at a loss" quality gate, with
hand-made ProgressRow lists (the plan package's contract) and hand-made facts."""

from __future__ import annotations

from datetime import date

import pytest

from tests.watch.facts import add, context, progress
from tradewind.app import Workspace
from tradewind.watch.context import Unavailable
from tradewind.watch.evaluate.deviation import evaluate_deviation
from tradewind.watch.evaluate.quality import evaluate_quality_gate
from tradewind.watch.ruleset import DeviationRule, QualityGateRule, load_rules

AS_OF = date(2026, 3, 31)


def deviation_rule() -> DeviationRule:
    found = load_rules().get("plan_deviation")
    assert isinstance(found, DeviationRule)
    return found


def gate_rule() -> QualityGateRule:
    found = load_rules().get("volume_at_a_loss")
    assert isinstance(found, QualityGateRule)
    return found


def test_deviation_beyond_15_percent_either_way(ws: Workspace) -> None:
    rows = [
        # 8,400 vs 10,000 expected: pace -16% -> behind, fires
        progress(
            scope={"marketplace": "DE"}, actual=8400.0, expected_to_date=10000.0, pace=-0.16, owner="li.wei"
        ),
        # pace exactly -15% -> inside the band, quiet
        progress(scope={"marketplace": "FR"}, actual=8500.0, expected_to_date=10000.0, pace=-0.15),
        # +15.1% -> ahead, fires
        progress(scope={"marketplace": "IT"}, actual=11510.0, expected_to_date=10000.0, pace=0.151),
        # +14.9% -> quiet
        progress(scope={"marketplace": "ES"}, actual=11490.0, expected_to_date=10000.0, pace=0.149),
        # a level KPI without a pace -> not a pacing question, quiet
        progress(
            kpi="acos", kind="level", scope={"marketplace": "DE"}, target=0.25, comparator="<=", actual=0.4
        ),
    ]
    findings = evaluate_deviation(deviation_rule(), context(ws, AS_OF, rows=rows))
    assert {(f.scope["marketplace"], f.observed) for f in findings} == {("DE", -0.16), ("IT", 0.151)}
    de = next(f for f in findings if f.scope["marketplace"] == "DE")
    assert de.scope == {"plan": "FY2026", "marketplace": "DE"}
    assert de.period == "2026-03"
    assert de.threshold == -0.15
    assert de.owner == "li.wei"
    assert de.window == (date(2026, 3, 1), date(2026, 3, 31))
    assert de.title == (
        "plan FY2026 / DE: gmv 16.0% behind plan pace in 2026-03 (actual 8,400.00 vs expected 10,000.00 by "
        "2026-03-31)"
    )
    assert "落后计划进度 16.0%" in de.title_zh


def test_deviation_without_plans_is_unavailable(ws: Workspace) -> None:
    with pytest.raises(Unavailable, match="plans unavailable"):
        evaluate_deviation(deviation_rule(), context(ws, AS_OF, rows=None))


def _month_of_sales(ws: Workspace, mkt: str, unit_cost: float) -> None:
    """One line in March: 119 incl. 19 VAT -> net sales 100; cogs = unit cost; fees 30 (settlement)."""
    add(
        ws,
        "order_lines",
        [
            {
                "marketplace": mkt,
                "order_id": f"{mkt}-1",
                "purchase_date": date(2026, 3, 5),
                "sku": f"{mkt}-S",
                "quantity": 1,
                "item_price": 119,
                "item_tax": 19,
            }
        ],
    )
    add(
        ws,
        "product_costs",
        [{"sku": f"{mkt}-S", "effective_from": date(2026, 1, 1), "unit_cost": unit_cost, "currency": "EUR"}],
    )
    add(
        ws,
        "settlement_lines",
        [
            {
                "marketplace": mkt,
                "settlement_id": f"ST-{mkt}",
                "amount_type": "ItemFees",
                "amount_description": "Commission",
                "amount": -30,
                "currency": "EUR",
                "posted_date": date(2026, 3, 6),
                "sku": f"{mkt}-S",
            }
        ],
    )


def test_volume_bought_at_a_loss(ws: Workspace) -> None:
    _month_of_sales(ws, "DE", 60)  # gross margin (100 - 60 - 30) / 100 = 10% < 15% floor
    _month_of_sales(ws, "FR", 55)  # (100 - 55 - 30) / 100 = 15%, exactly the floor
    _month_of_sales(ws, "IT", 60)  # 10%, but the GMV target is not attained
    _month_of_sales(ws, "ES", 60)  # 10%, but the plan's own floor for ES is 5%
    # FR also: ad spend +50% (100 -> 150) vs ad sales +10% (400 -> 440) month over month -> fails
    add(
        ws,
        "ad_performance",
        [
            {"marketplace": "FR", "date_from": date(2026, 2, 10), "sku": "FR-S", "spend": 100, "sales": 400},
            {"marketplace": "FR", "date_from": date(2026, 3, 10), "sku": "FR-S", "spend": 150, "sales": 440},
        ],
    )
    rows = [
        progress(scope={"marketplace": "DE"}, attainment=1.02, owner="li.wei"),
        progress(scope={"marketplace": "FR"}, attainment=1.0),
        progress(scope={"marketplace": "IT"}, attainment=0.99),
        progress(scope={"marketplace": "ES"}, attainment=1.3),
        progress(kpi="gross_margin", kind="level", scope={"marketplace": "ES"}, target=0.05, comparator=">="),
    ]
    findings = evaluate_quality_gate(gate_rule(), context(ws, AS_OF, rows=rows))
    by_market = {f.scope["marketplace"]: f for f in findings}
    assert set(by_market) == {"DE", "FR"}
    de = by_market["DE"]
    assert de.title == (
        "plan FY2026 / DE: volume bought at a loss in 2026-03: gmv attainment 102.0% while gross margin 10.0% "
        "under its floor 15.0%"
    )
    assert de.owner == "li.wei"
    failed = {e["condition"]: e["failed"] for e in de.evidence}
    assert failed == {
        "gross_margin_floor": True,
        "ad_spend_vs_ad_sales_growth": False,
        "refund_rate_ceiling": False,
    }
    fr = by_market["FR"]
    assert "ad spend +50.0% grew faster than ad sales +10.0%" in fr.title
    assert "gross margin" not in fr.title  # 15.0% is not under the 15% floor
    assert "亏本冲量" in fr.title_zh


def test_volume_gate_refund_rate_above_ceiling(ws: Workspace) -> None:
    add(
        ws,
        "order_lines",
        [
            {
                "marketplace": "DE",
                "order_id": "DE-1",
                "purchase_date": date(2026, 3, 5),
                "sku": "S",
                "quantity": 10,
                "item_price": 1190,
                "item_tax": 190,
            }
        ],
    )
    add(
        ws,
        "customer_returns",
        [
            {
                "marketplace": "DE",
                "return_date": date(2026, 3, 9),
                "order_id": "DE-1",
                "sku": "S",
                "quantity": 2,
            }
        ],
    )
    rows = [progress(scope={"marketplace": "DE"}, attainment=1.1)]
    findings = evaluate_quality_gate(gate_rule(), context(ws, AS_OF, rows=rows))
    # refund rate 2 / 10 = 20% > 10%; gross margin unknown (no costs) is not a failure
    assert len(findings) == 1
    assert "refund rate 20.0% above its ceiling 10.0%" in findings[0].title
    margin = next(e for e in findings[0].evidence if e["condition"] == "gross_margin_floor")
    assert margin["value"] is None and margin["note"]
