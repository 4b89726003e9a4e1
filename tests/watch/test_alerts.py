"""The alert book: dedup by rule, scope and period; the lifecycle; the check as a whole."""

from __future__ import annotations

from datetime import date

import pytest

from tests.watch.facts import add
from tradewind.app import Workspace
from tradewind.core.errors import TradewindError
from tradewind.watch.alerts import AlertBook, AlertFilter
from tradewind.watch.model import Alert, AlertStatus, Finding, Severity

AS_OF = date(2026, 3, 31)


def finding(**fields: object) -> Finding:
    base: dict[str, object] = dict(
        rule_id="roas_floor_sku",
        kind="threshold",
        severity=Severity.REVIEW,
        scope={"account": "acme-eu", "marketplace": "DE", "sku": "S1", "window": "7d"},
        period="2026-W14",
        title="acme-eu / DE / sku S1: roas 2.40 below 2.50 (7 days to 2026-03-31)",
        title_zh="acme-eu / DE / sku S1：roas 2.40 低于 2.50",
        kpi="roas",
        observed=2.4,
        threshold=2.5,
        window=(date(2026, 3, 25), AS_OF),
    )
    base.update(fields)
    return Finding(**base)  # type: ignore[arg-type]


def seed_alert(ws: Workspace) -> Alert:
    new, _ = AlertBook(ws.app.engine).record([finding()], AS_OF)
    return new[0]


def test_the_same_finding_twice_is_one_alert(ws: Workspace) -> None:
    book = AlertBook(ws.app.engine)
    new, updated = book.record([finding()], AS_OF)
    assert len(new) == 1 and updated == []
    new2, updated2 = book.record([finding(observed=2.2, severity=Severity.WARNING)], date(2026, 4, 1))
    assert new2 == [] and [a.id for a in updated2] == [new[0].id]
    alert = book.get(new[0].id)
    assert alert.observed == 2.2  # the latest figure
    assert alert.severity is Severity.REVIEW  # severity never drops while the alert lives
    assert alert.as_of == date(2026, 4, 1)
    # another period or scope is another alert
    other, _ = book.record([finding(period="2026-W15"), finding(scope={"marketplace": "FR"})], AS_OF)
    assert len(other) == 2
    assert len(book.find(AlertFilter(statuses=tuple(AlertStatus)))) == 3


def test_lifecycle(ws: Workspace) -> None:
    book = AlertBook(ws.app.engine)
    alert = seed_alert(ws)
    assert alert.status is AlertStatus.OPEN
    book.transition([alert.id], AlertStatus.ACKNOWLEDGED, "li.wei", "looking at bids")
    with pytest.raises(TradewindError, match="needs a reason"):
        book.transition([alert.id], AlertStatus.DISMISSED, "li.wei", "  ")
    dismissed = book.transition([alert.id], AlertStatus.DISMISSED, "li.wei", "test SKU, ads paused")[0]
    assert dismissed.status is AlertStatus.DISMISSED
    assert dismissed.status_reason == "test SKU, ads paused"
    with pytest.raises(TradewindError, match="can go to open, not acknowledged"):
        book.transition([alert.id], AlertStatus.ACKNOWLEDGED, "li.wei")
    # a dismissed alert is not raised again by the same finding: the dismissal stands
    new, _ = book.record([finding()], AS_OF)
    assert new == [] and book.get(alert.id).status is AlertStatus.DISMISSED
    assert [(e.from_status, e.to_status) for e in book.events(alert.id)] == [
        (None, AlertStatus.OPEN),
        (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED),
        (AlertStatus.ACKNOWLEDGED, AlertStatus.DISMISSED),
    ]
    assert (
        book.transition([alert.id], AlertStatus.OPEN, "li.wei", "ads back on")[0].status is AlertStatus.OPEN
    )


def test_an_invalid_move_changes_none_of_the_alerts(ws: Workspace) -> None:
    book = AlertBook(ws.app.engine)
    a = seed_alert(ws)
    b = book.record([finding(period="2026-W15")], AS_OF)[0][0]
    book.transition([b.id], AlertStatus.RESOLVED, "x")
    with pytest.raises(TradewindError, match=f"alert #{b.id} is resolved"):
        book.transition([a.id, b.id], AlertStatus.ACKNOWLEDGED, "x")
    assert book.get(a.id).status is AlertStatus.OPEN


def test_filters(ws: Workspace) -> None:
    book = AlertBook(ws.app.engine)
    book.record(
        [
            finding(),
            finding(
                rule_id="refund_ceiling",
                kpi="refund_rate",
                severity=Severity.WARNING,
                scope={"account": "acme-eu", "marketplace": "FR", "window": "30d"},
            ),
        ],
        AS_OF,
    )
    assert [a.rule_id for a in book.find(AlertFilter(min_severity=Severity.REVIEW))] == ["roas_floor_sku"]
    assert [a.rule_id for a in book.find(AlertFilter(kpi="refund_rate"))] == ["refund_ceiling"]
    assert [a.rule_id for a in book.find(AlertFilter(scope={"marketplace": "DE"}))] == ["roas_floor_sku"]


def test_check_twice_raises_no_duplicates(ws: Workspace) -> None:
    add(
        ws,
        "ad_performance",
        [
            {"marketplace": "DE", "date_from": date(2026, 3, 28), "sku": "S1", "spend": 100, "sales": 240},
        ],
    )
    first = ws.check(AS_OF, notify=False)
    roas = [a for a in first.new if a.rule_id.startswith("roas_floor")]
    # S1 per SKU (7d, 30d) and DE per marketplace (7d, 30d): 2.40 < 2.5 in each
    assert sorted((a.rule_id, a.scope["window"]) for a in roas) == [
        ("roas_floor_marketplace", "30d"),
        ("roas_floor_marketplace", "7d"),
        ("roas_floor_sku", "30d"),
        ("roas_floor_sku", "7d"),
    ]
    assert first.new_needing_review
    second = ws.check(AS_OF, notify=False)
    assert second.new == ()
    assert {a.id for a in second.updated} == {a.id for a in first.new}
    assert len(ws.watch().alerts.find(AlertFilter(statuses=tuple(AlertStatus)))) == len(first.new)
    outcomes = {o.rule_id: o.status for o in second.outcomes}
    assert outcomes["plan_deviation"] in ("ok", "unavailable")
    assert outcomes["roas_floor_campaign"] == "ok"  # the ad row names no campaign: no campaign scope
