"""Compliance, "needs explanation" (with the external-variables log) and overdue action items."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from tests.watch.facts import add, context
from tradewind.app import Workspace
from tradewind.watch.context import Unavailable
from tradewind.watch.evaluate.compliance import evaluate_compliance
from tradewind.watch.evaluate.overdue import evaluate_action_overdue
from tradewind.watch.evaluate.unexplained import evaluate_needs_explanation, last_complete_week_end, robust_z
from tradewind.watch.reviews import ActionDraft
from tradewind.watch.ruleset import ActionOverdueRule, ComplianceRule, NeedsExplanationRule, load_rules

AS_OF = date(2026, 3, 31)


def shipped(rule_id: str) -> object:
    return load_rules().get(rule_id)


# -- compliance -------------------------------------------------------------------------------------------
def _gap(status: str, country: str, valid_to: date | None = None) -> SimpleNamespace:
    return SimpleNamespace(
        account_id="acme-eu",
        kind=SimpleNamespace(value="vat"),
        country=country,
        category=None,
        status=SimpleNamespace(value=status),
        detail=f"VAT {country} {status}",
        required_because=("stock stored there",),
        held=None,
        valid_to=valid_to,
        skus=("S1",),
    )


def test_compliance_gaps_become_alerts(ws: Workspace) -> None:
    rule = shipped("compliance_registrations")
    assert isinstance(rule, ComplianceRule)
    report = SimpleNamespace(gaps=(_gap("missing", "PL"), _gap("expiring", "DE", date(2026, 4, 20))))
    findings = evaluate_compliance(rule, context(ws, AS_OF, compliance=lambda day: report))
    by_country = {f.scope["country"]: f for f in findings}
    assert by_country["PL"].severity.value == "critical"
    assert by_country["PL"].period == "missing"
    assert by_country["DE"].severity.value == "warning"
    assert by_country["DE"].period == "expiring 2026-04-20"
    assert by_country["DE"].window == (AS_OF, date(2026, 4, 20))
    assert by_country["PL"].title == "acme-eu: VAT PL registration missing: VAT PL missing"


def test_compliance_without_the_module_is_not_available(ws: Workspace) -> None:
    rule = shipped("compliance_registrations")
    assert isinstance(rule, ComplianceRule)
    with pytest.raises(Unavailable, match="compliance not available"):
        evaluate_compliance(rule, context(ws, AS_OF, compliance=None))


# -- needs explanation --------------------------------------------------------------------------------------
def test_robust_z_by_hand() -> None:
    history = [900, 1000, 1100, 1000, 900, 1100]  # median 1000; |dev| 100,0,100,0,100,100 -> MAD 100
    assert robust_z(1445, history) == pytest.approx(445 / 148.26)  # 3.0015
    assert robust_z(1000, [1000] * 6) is None  # no spread: the z-test cannot say


def test_last_complete_week() -> None:
    assert last_complete_week_end(date(2026, 3, 29)) == date(2026, 3, 29)  # a Sunday
    assert last_complete_week_end(date(2026, 3, 31)) == date(2026, 3, 29)  # Tuesday -> the Sunday before


def _weekly(ws: Workspace, mkt: str, values: list[float], first_monday: date) -> None:
    """One line per week (on its Wednesday) whose VAT-inclusive price is the week's GMV."""
    add(
        ws,
        "order_lines",
        [
            {
                "marketplace": mkt,
                "order_id": f"{mkt}-{i}",
                "purchase_date": first_monday + timedelta(days=7 * i + 2),
                "sku": "S",
                "quantity": 1,
                "item_price": v,
                "item_tax": 0,
            }
            for i, v in enumerate(values)
        ],
    )


def test_large_moves_without_a_note_need_an_explanation(ws: Workspace) -> None:
    base = shipped("needs_explanation")
    assert isinstance(base, NeedsExplanationRule)
    rule = base.model_copy(
        update={
            "history_weeks": 6,
            "recent_weeks": 1,
            "min_history_weeks": 6,
            "by": ("marketplace",),
            "min_value": 0.0,
        }
    )
    # Weeks 2026-W07 (Mon 02-09) .. W12 are history; W13 (03-23..03-29) is judged as of 03-31.
    first = date(2026, 2, 9)
    flat = [1000.0] * 6
    alternating = [980.0, 1020.0] * 3  # median 1000, MAD 20 -> robust SD 29.652
    _weekly(ws, "DE", [*flat, 1310.0], first)  # +31.0% week over week (MAD 0: no z) -> fires
    _weekly(ws, "FR", [*flat, 1300.0], first)  # +30.0%: not beyond 30% -> quiet
    _weekly(ws, "IT", [*alternating, 1090.0], first)  # z = 90 / 29.652 = 3.035 > 3; +6.9% wow -> fires
    _weekly(ws, "ES", [*alternating, 1088.0], first)  # z = 88 / 29.652 = 2.968 -> quiet
    ctx = context(ws, AS_OF)
    findings, explained = evaluate_needs_explanation(rule, ctx)
    assert {f.scope["marketplace"]: f.period for f in findings} == {"DE": "2026-W13", "IT": "2026-W13"}
    assert explained == []
    de = next(f for f in findings if f.scope["marketplace"] == "DE")
    assert (
        de.title == "DE: gmv 1,310.00 in 2026-W13: +31.0% week over week (from 1,000.00); no note explains it"
    )
    assert de.window == (date(2026, 3, 16), date(2026, 3, 29))  # a week-over-week move spans both weeks
    it = next(f for f in findings if f.scope["marketplace"] == "IT")
    assert "3.0 robust SDs above its 6-week median 1,000.00" in it.title

    # A competitor's stock-out in DE that week explains the spike: no alert, and the check says which note.
    note = ctx.notes.add(
        "competitor_stockout",
        date(2026, 3, 24),
        date(2026, 3, 28),
        {"marketplace": "DE"},
        "main competitor out of stock on Amazon.de",
        "tester",
    )
    findings, explained = evaluate_needs_explanation(rule, ctx)
    assert {f.scope["marketplace"] for f in findings} == {"IT"}
    assert [(e.scope["marketplace"], e.note_ids) for e in explained] == [("DE", (note.id,))]


# -- overdue action items -------------------------------------------------------------------------------------
def test_overdue_action_items_become_alerts(ws: Workspace) -> None:
    from tests.watch.test_alerts import seed_alert

    alert = seed_alert(ws)
    reviews = ws.watch().reviews
    review = reviews.open(
        [alert.id],
        actor="tester",
        actions=[
            ActionDraft(
                "raise DE bids back to plan", "li.wei", date(2026, 3, 30)
            ),  # due yesterday -> overdue
            ActionDraft("check the listing", "zhang.min", date(2026, 3, 31)),  # due today -> not yet
            ActionDraft("order more stock", "li.wei", date(2026, 3, 1)),  # done -> not overdue
        ],
    )
    done = next(a for a in review.actions if a.text == "order more stock")
    reviews.action_done(done.id)
    rule = shipped("action_overdue")
    assert isinstance(rule, ActionOverdueRule)
    findings = evaluate_action_overdue(rule, context(ws, AS_OF))
    assert len(findings) == 1
    f = findings[0]
    assert f.owner == "li.wei"
    assert f.period == "2026-03-30"
    assert f.observed == 1.0
    assert f.title.startswith(f"action #{f.scope['action']} of review #{review.id} (li.wei) is 1 day overdue")
