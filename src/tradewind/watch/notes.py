"""The external-variables log (外部变量): what happened outside the operator's hands (a competitor's
stock-out, Prime Day, a policy change), dated and scoped, so a move it explains is not credited to or
blamed on the operator. Notes overlapping an alert's scope and window are shown with it, and a large
move with no overlapping note is flagged as needing an explanation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Engine, insert, select

from tradewind.catalog.dimensions import DIMENSIONS
from tradewind.core.errors import TradewindError
from tradewind.watch import tables as t
from tradewind.watch.model import Scope, scope_from_key, scope_key, scope_text, scopes_overlap


class NoteKind(StrEnum):
    PRIME_DAY = "prime_day"
    PROMOTION = "promotion"
    COMPETITOR_STOCKOUT = "competitor_stockout"
    COMPETITOR_PRICE = "competitor_price"
    PRICE_CHANGE = "price_change"
    LISTING_SUPPRESSED = "listing_suppressed"
    POLICY_CHANGE = "policy_change"
    LOGISTICS_DELAY = "logistics_delay"
    STOCKOUT = "stockout"
    OTHER = "other"


NOTE_KIND_NAMES: Mapping[str, tuple[str, str]] = {
    "prime_day": ("Prime Day / shopping event", "Prime Day / 大促"),
    "promotion": ("Promotion", "促销"),
    "competitor_stockout": ("Competitor stock-out", "竞品断货"),
    "competitor_price": ("Competitor price move", "竞品调价"),
    "price_change": ("Our price change", "我方调价"),
    "listing_suppressed": ("Listing suppressed", "listing 被下架/抑制"),
    "policy_change": ("Policy change", "平台政策变化"),
    "logistics_delay": ("Logistics delay", "物流延误"),
    "stockout": ("Our stock-out", "我方断货"),
    "other": ("Other", "其他"),
}

#: Keys a note's scope may name: the KPI dimensions, plus the ad campaign and the buyer's language.
NOTE_SCOPE_KEYS = frozenset({*DIMENSIONS, "campaign", "language"})


def parse_kind(text: str) -> NoteKind:
    try:
        return NoteKind(text.strip().lower().replace("-", "_"))
    except ValueError:
        raise TradewindError(
            f"unknown note kind {text!r}; use one of {', '.join(k.value for k in NoteKind)}"
        ) from None


@dataclass(frozen=True)
class Note:
    id: int
    kind: NoteKind
    date_from: date
    date_to: date
    scope: Scope
    text: str
    author: str
    created_at: datetime

    def overlaps(self, scope: Scope, start: date, end: date) -> bool:
        return self.date_from <= end and start <= self.date_to and scopes_overlap(self.scope, scope)

    def label(self, lang: str = "en") -> str:
        en, zh = NOTE_KIND_NAMES[self.kind.value]
        return zh if lang == "zh" else en

    def describe(self) -> str:
        span = (
            self.date_from.isoformat()
            if self.date_from == self.date_to
            else f"{self.date_from}..{self.date_to}"
        )
        return f"#{self.id} {span} [{self.kind.value}] {scope_text(self.scope)}: {self.text}"


class NoteBook:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self, kind: NoteKind | str, date_from: date, date_to: date, scope: Scope, text: str, author: str
    ) -> Note:
        kind = kind if isinstance(kind, NoteKind) else parse_kind(kind)
        if date_to < date_from:
            raise TradewindError(f"the note ends ({date_to}) before it starts ({date_from})")
        if not text.strip():
            raise TradewindError("a note needs a text that says what happened")
        unknown = set(scope) - NOTE_SCOPE_KEYS
        if unknown:
            raise TradewindError(
                f"unknown scope key {sorted(unknown)[0]!r}; use one of {', '.join(sorted(NOTE_SCOPE_KEYS))}"
            )
        with self.engine.begin() as con:
            note_id = t.next_id(con, t.notes)
            now = t.utcnow()
            con.execute(
                insert(t.notes).values(
                    id=note_id,
                    kind=kind.value,
                    date_from=date_from,
                    date_to=date_to,
                    scope_key=scope_key(scope),
                    text=text.strip(),
                    author=author,
                    created_at=now,
                )
            )
        return Note(note_id, kind, date_from, date_to, dict(scope), text.strip(), author, now)

    def all(self) -> list[Note]:
        with self.engine.connect() as con:
            rows = con.execute(select(t.notes).order_by(t.notes.c.date_from, t.notes.c.id)).mappings().all()
        return [
            Note(
                int(r["id"]),
                NoteKind(r["kind"]),
                r["date_from"],
                r["date_to"],
                scope_from_key(r["scope_key"]),
                r["text"],
                r["author"],
                r["created_at"],
            )
            for r in rows
        ]

    def listing(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        scope: Scope | None = None,
        kinds: Sequence[NoteKind] = (),
    ) -> list[Note]:
        out = []
        for note in self.all():
            if start is not None and note.date_to < start:
                continue
            if end is not None and note.date_from > end:
                continue
            if scope and not scopes_overlap(note.scope, scope):
                continue
            if kinds and note.kind not in kinds:
                continue
            out.append(note)
        return out

    def overlapping(self, scope: Scope, start: date, end: date) -> list[Note]:
        """Notes whose dates touch start..end and whose scope agrees with `scope` on every shared key."""
        return [n for n in self.all() if n.overlaps(scope, start, end)]
