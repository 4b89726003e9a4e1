"""Reviews (复盘): alerts go in review, findings, root cause, action items; minutes in zh and en, Markdown
and HTML; closing resolves the alerts."""

from __future__ import annotations

from datetime import date

import pytest

from tests.watch.test_alerts import finding
from tradewind.app import Workspace
from tradewind.core.errors import TradewindError
from tradewind.watch.alerts import AlertBook
from tradewind.watch.model import AlertStatus
from tradewind.watch.reviews import ActionDraft, parse_action

AS_OF = date(2026, 3, 31)


def _review(ws: Workspace) -> tuple[int, int]:
    book = AlertBook(ws.app.engine)
    (alert,), _ = book.record([finding()], AS_OF)
    watch = ws.watch()
    watch.notes.add(
        "competitor_price",
        date(2026, 3, 26),
        date(2026, 3, 31),
        {"marketplace": "DE"},
        "competitor cut price | 15% on the main keyword",
        "zhang.min",
    )
    watch.notes.add("promotion", date(2026, 3, 1), date(2026, 3, 3), {"marketplace": "DE"}, "too early", "x")
    review = watch.reviews.open(
        [alert.id],
        actor="li.wei",
        title="DE ROAS dip",
        held_on=date(2026, 4, 2),
        attendees=["李伟 li.wei", "张敏 zhang.min"],
        findings=[
            "CPC rose 55% after a competitor bid up 'camping chair'",
            "conversion fell on the main SKU",
        ],
        root_cause="ads",
        actions=[
            ActionDraft("cut bids on 12 keywords to target ACoS", "li.wei", date(2026, 4, 5)),
            ActionDraft("<script>alert(1)</script> test escaping", "zhang.min", date(2026, 4, 20)),
        ],
    )
    return review.id, alert.id


def test_opening_a_review_puts_its_alerts_in_review(ws: Workspace) -> None:
    review_id, _ = _review(ws)
    review = ws.watch().reviews.get(review_id)
    assert review.alerts[0].status is AlertStatus.IN_REVIEW
    assert review.attendees == ("李伟 li.wei", "张敏 zhang.min")
    assert review.root_cause == "ads"
    assert [a.owner for a in review.actions] == ["li.wei", "zhang.min"]
    edited = ws.watch().reviews.edit(review_id, findings=["the bid war ended on 04-10"], attendees=["王芳"])
    assert edited.findings[-1] == "the bid war ended on 04-10"
    assert edited.attendees[-1] == "王芳"
    closed = ws.watch().reviews.close(review_id, actor="li.wei", summary="bids restored")
    assert closed.status == "closed"
    assert closed.alerts[0].status is AlertStatus.RESOLVED
    with pytest.raises(TradewindError, match="closed"):
        ws.watch().reviews.edit(review_id, findings=["late"])


def test_a_review_needs_active_alerts_and_a_known_root_cause(ws: Workspace) -> None:
    book = AlertBook(ws.app.engine)
    (alert,), _ = book.record([finding()], AS_OF)
    with pytest.raises(TradewindError, match="unknown root cause 'weather'"):
        ws.watch().reviews.open([alert.id], actor="x", root_cause="weather")
    book.transition([alert.id], AlertStatus.DISMISSED, "x", "duplicate")
    with pytest.raises(TradewindError, match="reopen it first"):
        ws.watch().reviews.open([alert.id], actor="x")
    with pytest.raises(TradewindError, match="no alert #99"):
        ws.watch().reviews.open([99], actor="x")


def test_closing_needs_a_root_cause(ws: Workspace) -> None:
    book = AlertBook(ws.app.engine)
    (alert,), _ = book.record([finding()], AS_OF)
    review = ws.watch().reviews.open([alert.id], actor="x")
    with pytest.raises(TradewindError, match="no root cause yet"):
        ws.watch().reviews.close(review.id, actor="x")


def test_parse_action() -> None:
    draft = parse_action("li.wei | 2026-04-15 | raise DE bids back to plan")
    assert draft == ActionDraft("raise DE bids back to plan", "li.wei", date(2026, 4, 15))
    with pytest.raises(TradewindError, match="OWNER\\|DUE\\|TEXT"):
        parse_action("li.wei raise bids")
    with pytest.raises(TradewindError, match="not a date"):
        parse_action("li.wei|next week|raise bids")


def test_minutes_in_chinese_markdown(ws: Workspace) -> None:
    review_id, alert_id = _review(ws)
    text = ws.watch().minutes(review_id, lang="zh", fmt="md", today=date(2026, 4, 10))
    assert text.startswith(f"# 复盘纪要 #{review_id}: DE ROAS dip\n")
    assert "- **参会人**: 李伟 li.wei, 张敏 zhang.min\n" in text
    assert "- **根因类别**: 广告\n" in text
    # the alert in Chinese, and the overlapping note (pipe escaped); the March 1-3 note does not overlap
    assert (
        f"| {alert_id} | 需复盘 | roas_floor_sku | account=acme-eu, marketplace=DE, sku=S1, window=7d | 2026-W14 |"
        in text
    )
    assert "roas 2.40 低于 2.50" in text
    assert (
        "2026-03-26..2026-03-31 · 竞品调价 · marketplace=DE: competitor cut price \\| 15% on the main keyword"
        in text
    )
    assert "too early" not in text
    assert "1. CPC rose 55% after a competitor bid up 'camping chair'\n" in text
    # action items: the one due 04-05 is overdue on 04-10
    assert "| cut bids on 12 keywords to target ACoS | li.wei | 2026-04-05 | 已逾期 |" in text
    assert "| zhang.min | 2026-04-20 | 进行中 |" in text
    assert text.rstrip().endswith("由 Tradewind 生成于 2026-04-10")


def test_minutes_in_english_html_escape_what_people_typed(ws: Workspace) -> None:
    review_id, _ = _review(ws)
    html = ws.watch().minutes(review_id, lang="en", fmt="html", today=date(2026, 4, 1))
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<h1>Review minutes #" in html
    assert "<dt>Root cause</dt><dd>Advertising</dd>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; test escaping" in html
    assert "<script>" not in html
    assert "roas 2.40 below 2.50 (7 days to 2026-03-31)" in html
    assert "Competitor price move" in html
    assert "<td>open</td>" in html  # nothing is overdue on 04-01


def test_minutes_reject_unknown_language_or_format(ws: Workspace) -> None:
    review_id, _ = _review(ws)
    with pytest.raises(TradewindError, match="--lang 'fr'"):
        ws.watch().minutes(review_id, lang="fr")
    with pytest.raises(TradewindError, match="--format 'pdf'"):
        ws.watch().minutes(review_id, fmt="pdf")
