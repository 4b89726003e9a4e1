"""The external-variables log: dated, scoped notes, and which alerts they overlap."""

from __future__ import annotations

from datetime import date

import pytest

from tests.watch.test_alerts import finding
from tradewind.app import Workspace
from tradewind.core.errors import TradewindError
from tradewind.watch.alerts import AlertBook
from tradewind.watch.model import parse_scope, scopes_overlap
from tradewind.watch.notes import NOTE_SCOPE_KEYS, NoteKind, parse_kind


def test_kinds_are_the_ten_of_the_issue() -> None:
    assert [k.value for k in NoteKind] == [
        "prime_day",
        "promotion",
        "competitor_stockout",
        "competitor_price",
        "price_change",
        "listing_suppressed",
        "policy_change",
        "logistics_delay",
        "stockout",
        "other",
    ]
    assert parse_kind("Competitor-Stockout") is NoteKind.COMPETITOR_STOCKOUT
    with pytest.raises(TradewindError, match="unknown note kind 'weather'; use one of prime_day"):
        parse_kind("weather")


def test_scope_text() -> None:
    assert parse_scope("marketplace=de, sku=S1") == {"marketplace": "DE", "sku": "S1"}
    with pytest.raises(TradewindError, match="not KEY=VALUE"):
        parse_scope("marketplace")
    with pytest.raises(TradewindError, match="unknown scope key 'shop'"):
        parse_scope("shop=x", allowed=NOTE_SCOPE_KEYS)
    assert scopes_overlap({"marketplace": "DE"}, {"marketplace": "DE", "sku": "S1"})
    assert not scopes_overlap({"marketplace": "FR"}, {"marketplace": "DE", "sku": "S1"})
    assert scopes_overlap({}, {"marketplace": "DE"})  # a note without scope applies everywhere


def test_notes_overlapping_an_alert(ws: Workspace) -> None:
    watch = ws.watch()
    stockout = watch.notes.add(
        "competitor_stockout",
        date(2026, 3, 24),
        date(2026, 3, 30),
        {"marketplace": "DE"},
        "competitor out of stock",
        "zhang.min",
    )
    watch.notes.add("promotion", date(2026, 3, 1), date(2026, 3, 24), {"marketplace": "FR"}, "FR deal", "x")
    policy = watch.notes.add("policy_change", date(2026, 3, 25), date(2026, 3, 25), {}, "new fee table", "x")
    watch.notes.add("prime_day", date(2026, 7, 8), date(2026, 7, 11), {}, "Prime Day", "x")
    (alert,), _ = AlertBook(ws.app.engine).record([finding()], date(2026, 3, 31))  # DE, window 03-25..03-31
    assert [n.id for n in watch.notes_for(alert)] == [stockout.id, policy.id]
    assert [n.id for n in watch.notes.listing(start=date(2026, 7, 1))][-1] == 4
    assert [n.kind.value for n in watch.notes.listing(scope={"marketplace": "FR"})] == [
        "promotion",
        "policy_change",
        "prime_day",
    ]


def test_bad_notes_are_refused(ws: Workspace) -> None:
    notes = ws.watch().notes
    with pytest.raises(TradewindError, match="ends \\(2026-03-01\\) before it starts"):
        notes.add("other", date(2026, 3, 2), date(2026, 3, 1), {}, "x", "x")
    with pytest.raises(TradewindError, match="needs a text"):
        notes.add("other", date(2026, 3, 1), date(2026, 3, 1), {}, "  ", "x")
    with pytest.raises(TradewindError, match="unknown scope key 'shop'"):
        notes.add("other", date(2026, 3, 1), date(2026, 3, 1), {"shop": "x"}, "x", "x")
    assert notes.all() == []
