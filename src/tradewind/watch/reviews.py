"""Reviews (复盘): a meeting about one or more alerts, with attendees, findings, a root-cause category
and action items (owner, due date). Opening a review puts its alerts in review; closing it resolves them.
An action item past its due date and not done becomes an alert (rule `action_overdue`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Engine, RowMapping, func, insert, select, update

from tradewind.core.errors import TradewindError
from tradewind.watch import tables as t
from tradewind.watch.alerts import AlertBook
from tradewind.watch.model import Alert, AlertStatus
from tradewind.watch.ruleset import ROOT_CAUSES

ROOT_CAUSE_NAMES: dict[str, tuple[str, str]] = {
    "traffic": ("Traffic", "流量"),
    "conversion": ("Conversion", "转化"),
    "price": ("Price", "价格"),
    "stock": ("Stock", "库存"),
    "ads": ("Advertising", "广告"),
    "compliance": ("Compliance", "合规"),
    "external": ("External factors", "外部因素"),
    "data_error": ("Data error", "数据错误"),
}


def parse_root_cause(text: str) -> str:
    value = text.strip().lower().replace(" ", "_").replace("-", "_")
    if value not in ROOT_CAUSES:
        raise TradewindError(f"unknown root cause {text!r}; use one of {', '.join(ROOT_CAUSES)}")
    return value


@dataclass(frozen=True)
class ActionDraft:
    text: str
    owner: str
    due: date


def parse_action(text: str) -> ActionDraft:
    """`OWNER|YYYY-MM-DD|what to do` (the CLI's compact form of an action item)."""
    parts = [p.strip() for p in text.split("|", 2)]
    if len(parts) != 3 or not all(parts):
        raise TradewindError(
            f"action {text!r} is not OWNER|DUE|TEXT, e.g. 'li.wei|2026-04-15|raise DE bids back to plan'"
        )
    owner, due_text, what = parts
    try:
        due = date.fromisoformat(due_text)
    except ValueError:
        raise TradewindError(f"action due date {due_text!r} is not a date; use YYYY-MM-DD") from None
    return ActionDraft(what, owner, due)


@dataclass(frozen=True)
class ActionItem:
    id: int
    review_id: int
    text: str
    owner: str
    due: date
    status: str  # open | done
    done_at: datetime | None

    def overdue(self, as_of: date) -> bool:
        return self.status == "open" and self.due < as_of


@dataclass(frozen=True)
class Review:
    id: int
    title: str
    held_on: date
    status: str  # open | closed
    root_cause: str | None
    summary: str | None
    opened_by: str
    opened_at: datetime
    closed_at: datetime | None
    alerts: tuple[Alert, ...]
    attendees: tuple[str, ...]
    findings: tuple[str, ...]
    actions: tuple[ActionItem, ...]


class ReviewBook:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.alerts = AlertBook(engine)

    def open(
        self,
        alert_ids: Sequence[int],
        *,
        actor: str,
        title: str | None = None,
        held_on: date | None = None,
        attendees: Sequence[str] = (),
        findings: Sequence[str] = (),
        root_cause: str | None = None,
        actions: Sequence[ActionDraft] = (),
    ) -> Review:
        if not alert_ids:
            raise TradewindError("a review is about at least one alert: 'tradewind review open ALERT...'")
        alerts = [self.alerts.get(i) for i in dict.fromkeys(alert_ids)]
        closed = [a for a in alerts if not a.status.active]
        if closed:
            raise TradewindError(
                f"alert #{closed[0].id} is {closed[0].status.value}; reopen it first "
                f"('tradewind alerts reopen {closed[0].id}')"
            )
        cause = parse_root_cause(root_cause) if root_cause else None
        now = t.utcnow()
        with self.engine.begin() as con:
            review_id = t.next_id(con, t.reviews)
            default_title = "; ".join(a.title for a in alerts[:2]) + (" ..." if len(alerts) > 2 else "")
            con.execute(
                insert(t.reviews).values(
                    id=review_id,
                    title=(title or default_title)[:500],
                    held_on=held_on or now.date(),
                    status="open",
                    root_cause=cause,
                    summary=None,
                    opened_by=actor,
                    opened_at=now,
                )
            )
            for a in alerts:
                con.execute(insert(t.review_alerts).values(review_id=review_id, alert_id=a.id))
            to_move = [a for a in alerts if a.status is not AlertStatus.IN_REVIEW]
            AlertBook._move(con, to_move, AlertStatus.IN_REVIEW, actor, f"review #{review_id}", now)
            self._add(con, review_id, attendees, findings, actions, now)
        return self.get(review_id)

    def edit(
        self,
        review_id: int,
        *,
        attendees: Sequence[str] = (),
        findings: Sequence[str] = (),
        actions: Sequence[ActionDraft] = (),
        root_cause: str | None = None,
        summary: str | None = None,
        title: str | None = None,
    ) -> Review:
        review = self.get(review_id)
        if review.status != "open":
            raise TradewindError(f"review #{review_id} is closed; its minutes are final")
        values: dict[str, object] = {}
        if root_cause:
            values["root_cause"] = parse_root_cause(root_cause)
        if summary is not None:
            values["summary"] = summary
        if title:
            values["title"] = title
        with self.engine.begin() as con:
            if values:
                con.execute(update(t.reviews).where(t.reviews.c.id == review_id).values(**values))
            self._add(con, review_id, attendees, findings, actions, t.utcnow())
        return self.get(review_id)

    @staticmethod
    def _add(
        con: Connection,
        review_id: int,
        attendees: Sequence[str],
        findings: Sequence[str],
        actions: Sequence[ActionDraft],
        now: datetime,
    ) -> None:
        for table, texts, column in (
            (t.review_attendees, attendees, "name"),
            (t.review_findings, findings, "text"),
        ):
            clean = [x.strip() for x in texts if x and x.strip()]
            if not clean:
                continue
            start = con.execute(
                select(func.coalesce(func.max(table.c.position), 0)).where(table.c.review_id == review_id)
            ).scalar_one()
            for offset, value in enumerate(clean, start=1):
                con.execute(
                    insert(table).values(review_id=review_id, position=int(start) + offset, **{column: value})
                )
        for draft in actions:
            if not draft.text.strip() or not draft.owner.strip():
                raise TradewindError("an action item needs a text and an owner")
            con.execute(
                insert(t.action_items).values(
                    id=t.next_id(con, t.action_items),
                    review_id=review_id,
                    text=draft.text.strip(),
                    owner=draft.owner.strip(),
                    due=draft.due,
                    status="open",
                    done_at=None,
                    created_at=now,
                )
            )

    def action_done(self, action_id: int) -> ActionItem:
        with self.engine.begin() as con:
            found = (
                con.execute(select(t.action_items).where(t.action_items.c.id == action_id)).mappings().first()
            )
            if found is None:
                raise TradewindError(f"no action item #{action_id}")
            if found["status"] == "done":
                raise TradewindError(f"action item #{action_id} is already done")
            con.execute(
                update(t.action_items)
                .where(t.action_items.c.id == action_id)
                .values(status="done", done_at=t.utcnow())
            )
        return next(a for a in self.get(int(found["review_id"])).actions if a.id == action_id)

    def close(self, review_id: int, *, actor: str, summary: str | None = None) -> Review:
        """Close the review and resolve the alerts it was about (those still in review)."""
        review = self.get(review_id)
        if review.status != "open":
            raise TradewindError(f"review #{review_id} is already closed")
        if review.root_cause is None:
            raise TradewindError(
                f"review #{review_id} has no root cause yet: set one with "
                f"'tradewind review edit {review_id} --root-cause CATEGORY' ({', '.join(ROOT_CAUSES)})"
            )
        now = t.utcnow()
        with self.engine.begin() as con:
            values: dict[str, object] = {"status": "closed", "closed_at": now}
            if summary is not None:
                values["summary"] = summary
            con.execute(update(t.reviews).where(t.reviews.c.id == review_id).values(**values))
            in_review = [a for a in review.alerts if a.status is AlertStatus.IN_REVIEW]
            AlertBook._move(con, in_review, AlertStatus.RESOLVED, actor, f"review #{review_id} closed", now)
        return self.get(review_id)

    # -- reading --------------------------------------------------------------------------------------
    def get(self, review_id: int) -> Review:
        with self.engine.connect() as con:
            row = con.execute(select(t.reviews).where(t.reviews.c.id == review_id)).mappings().first()
            if row is None:
                raise TradewindError(f"no review #{review_id}; 'tradewind review list' lists them")
            alert_ids = [
                int(r[0])
                for r in con.execute(
                    select(t.review_alerts.c.alert_id)
                    .where(t.review_alerts.c.review_id == review_id)
                    .order_by(t.review_alerts.c.alert_id)
                )
            ]
            attendees = tuple(
                r[0]
                for r in con.execute(
                    select(t.review_attendees.c.name)
                    .where(t.review_attendees.c.review_id == review_id)
                    .order_by(t.review_attendees.c.position)
                )
            )
            findings = tuple(
                r[0]
                for r in con.execute(
                    select(t.review_findings.c.text)
                    .where(t.review_findings.c.review_id == review_id)
                    .order_by(t.review_findings.c.position)
                )
            )
            actions = tuple(
                self._action(a)
                for a in con.execute(
                    select(t.action_items)
                    .where(t.action_items.c.review_id == review_id)
                    .order_by(t.action_items.c.due, t.action_items.c.id)
                ).mappings()
            )
        return Review(
            id=int(row["id"]),
            title=row["title"],
            held_on=row["held_on"],
            status=row["status"],
            root_cause=row["root_cause"],
            summary=row["summary"],
            opened_by=row["opened_by"],
            opened_at=row["opened_at"],
            closed_at=row["closed_at"],
            alerts=tuple(self.alerts.by_ids(alert_ids)),
            attendees=attendees,
            findings=findings,
            actions=actions,
        )

    def all(self) -> list[Review]:
        with self.engine.connect() as con:
            ids = [int(r[0]) for r in con.execute(select(t.reviews.c.id).order_by(t.reviews.c.id))]
        return [self.get(i) for i in ids]

    @staticmethod
    def _action(r: RowMapping) -> ActionItem:
        return ActionItem(
            int(r["id"]), int(r["review_id"]), r["text"], r["owner"], r["due"], r["status"], r["done_at"]
        )

    def open_actions(self) -> list[ActionItem]:
        with self.engine.connect() as con:
            rows = con.execute(
                select(t.action_items).where(t.action_items.c.status == "open").order_by(t.action_items.c.due)
            ).mappings()
            return [self._action(r) for r in rows]
