"""The threshold rules that split by the `campaign` and `language` dimensions (roas_floor_campaign,
cs_reply_24h_language), against hand-made facts: each fires below its floor and stays quiet at and just
inside it."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.watch.facts import add, context
from tradewind.app import Workspace
from tradewind.watch.evaluate.threshold import evaluate_threshold
from tradewind.watch.model import Finding
from tradewind.watch.ruleset import ThresholdRule, load_rules

AS_OF = date(2026, 3, 31)  # 7-day window 03-25..03-31, 30-day window 03-02..03-31


def rule(rule_id: str) -> ThresholdRule:
    found = load_rules().get(rule_id)
    assert isinstance(found, ThresholdRule)
    return found


def fired(findings: list[Finding]) -> dict[tuple[str, ...], float]:
    return {tuple(f"{k}={v}" for k, v in f.scope.items()): round(float(f.observed or 0), 6) for f in findings}


def _ad(mkt: str, day: date, campaign: str, sku: str, spend: float, sales: float) -> dict[str, Any]:
    return {
        "marketplace": mkt,
        "date_from": day,
        "campaign_name": campaign,
        "sku": sku,
        "spend": spend,
        "sales": sales,
    }


def test_roas_floor_per_campaign(ws: Workspace) -> None:
    add(
        ws,
        "ad_performance",
        [
            # DE "SP auto": (100 + 140) / (60 + 40) = 2.40 < 2.5 in both windows -> fires twice. Per SKU it
            # would be 1.67 and 3.50: the campaign adds its SKUs up before the ratio.
            _ad("DE", date(2026, 3, 28), "SP auto", "S1", 60, 100),
            _ad("DE", date(2026, 3, 29), "SP auto", "S2", 40, 140),
            # DE "SP exact": 250 / 100 = 2.50, exactly the floor -> quiet
            _ad("DE", date(2026, 3, 30), "SP exact", "S1", 100, 250),
            # DE "SP phrase": 251 / 100 = 2.51, just inside -> quiet
            _ad("DE", date(2026, 3, 30), "SP phrase", "S1", 100, 251),
            # DE "SP tiny": 5 / 19.99 = 0.25, but spend 19.99 < the 20 guard -> quiet
            _ad("DE", date(2026, 3, 30), "SP tiny", "S3", 19.99, 5),
            # DE "SP old": 7d = 300 / 100 = 3.00 quiet; 30d = (180 + 300) / (100 + 100) = 2.40 -> fires 30d
            _ad("DE", date(2026, 3, 10), "SP old", "S4", 100, 180),
            _ad("DE", date(2026, 3, 30), "SP old", "S4", 100, 300),
            # FR "SP auto": 300 / 100 = 3.00 -> quiet: a campaign is judged per marketplace
            _ad("FR", date(2026, 3, 29), "SP auto", "S1", 100, 300),
        ],
    )
    findings = evaluate_threshold(rule("roas_floor_campaign"), context(ws, AS_OF))
    assert fired(findings) == {
        ("account=acme-eu", "marketplace=DE", "campaign=SP auto", "window=7d"): 2.4,
        ("account=acme-eu", "marketplace=DE", "campaign=SP auto", "window=30d"): 2.4,
        ("account=acme-eu", "marketplace=DE", "campaign=SP old", "window=30d"): 2.4,
    }
    auto = next(f for f in findings if f.scope["campaign"] == "SP auto" and f.scope["window"] == "7d")
    assert auto.threshold == 2.5
    assert auto.title == "acme-eu / DE / campaign SP auto: roas 2.40 below 2.50 (7 days to 2026-03-31)"


def _tickets(
    mkt: str,
    language: str | None,
    day: date,
    *,
    within: int = 0,
    late: int = 0,
    missed: int = 0,
    pending: int = 0,
) -> list[dict[str, Any]]:
    """`within` answered in 3 h, `late` answered in 30 h, `missed` unanswered for 30 h at the export,
    `pending` unanswered for 10 h at the export."""
    kinds = [("ok", 3.0, None)] * within + [("late", 30.0, None)] * late
    kinds += [("miss", None, 30.0)] * missed + [("pend", None, 10.0)] * pending
    return [
        {
            "marketplace": mkt,
            "ticket_id": f"{mkt}-{language}-{day:%m%d}-{kind}-{i}",
            "language": language,
            "received_date": day,
            "first_reply_hours": hours,
            "open_hours": open_hours,
        }
        for i, (kind, hours, open_hours) in enumerate(kinds)
    ]


def test_cs_reply_rate_below_90_percent_per_language(ws: Workspace) -> None:
    day = date(2026, 3, 28)
    add(
        ws,
        "cs_tickets",
        # DE de: 8 of 10 within 24 h = 0.80 -> fires (7d and 30d)
        _tickets("DE", "de", day, within=8, late=2)
        # DE en: 9 of 10 = 0.90, exactly the floor -> quiet
        + _tickets("DE", "en", day, within=9, late=1)
        # DE fr: 10 of 11 = 0.909 (an old unanswered ticket is a miss; the 10-hour one is pending and left
        # out, else 10 / 12 = 0.83 would fire) -> just inside, quiet
        + _tickets("DE", "fr", day, within=10, missed=1, pending=1)
        # FR fr: 7d = 9 of 10 = 0.90 quiet; 30d adds a miss on 03-10: 9 of 11 = 0.818 -> fires 30d only
        + _tickets("FR", "fr", day, within=9, late=1)
        + _tickets("FR", "fr", date(2026, 3, 10), missed=1)
        # FR without a language: 0 of 1 -> no language scope, left to the per-marketplace rule
        + _tickets("FR", None, day, late=1),
    )
    findings = evaluate_threshold(rule("cs_reply_24h_language"), context(ws, AS_OF))
    assert fired(findings) == {
        ("account=acme-eu", "marketplace=DE", "language=de", "window=7d"): 0.8,
        ("account=acme-eu", "marketplace=DE", "language=de", "window=30d"): 0.8,
        ("account=acme-eu", "marketplace=FR", "language=fr", "window=30d"): round(9 / 11, 6),
    }
    de = next(f for f in findings if f.scope.get("language") == "de" and f.scope["window"] == "7d")
    assert de.threshold == 0.9
    assert (
        de.title
        == "acme-eu / DE / language de: cs_response_24h_rate 80.0% below 90.0% (7 days to 2026-03-31)"
    )
