"""SQLAlchemy Core descriptions of the watch tables (created by app migration 0003_watch.sql).

The migration is the DDL; these objects only let queries be written once for SQLite and PostgreSQL and
give typed values back (dates as `date`, not SQLite's text).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
)

metadata = MetaData()

alerts = Table(
    "watch_alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("rule_id", String(100), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("severity", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("scope_key", String(1000), nullable=False),
    Column("period", String(60), nullable=False),
    Column("kpi", String(100)),
    Column("title", Text, nullable=False),
    Column("title_zh", Text),
    Column("detail", Text),
    Column("observed", Float),
    Column("threshold", Float),
    Column("window_from", Date),
    Column("window_to", Date),
    Column("evidence", Text),
    Column("owner", String(200)),
    Column("as_of", Date, nullable=False),
    Column("first_seen_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("status_at", DateTime),
    Column("status_by", String(200)),
    Column("status_reason", Text),
    Column("notified_at", DateTime),
)

alert_events = Table(
    "watch_alert_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("alert_id", Integer, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("from_status", String(20)),
    Column("to_status", String(20), nullable=False),
    Column("note", Text),
)

notes = Table(
    "watch_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(40), nullable=False),
    Column("date_from", Date, nullable=False),
    Column("date_to", Date, nullable=False),
    Column("scope_key", String(1000), nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

reviews = Table(
    "watch_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),
    Column("held_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("root_cause", String(40)),
    Column("summary", Text),
    Column("opened_by", String(200), nullable=False),
    Column("opened_at", DateTime, nullable=False),
    Column("closed_at", DateTime),
)

review_alerts = Table(
    "watch_review_alerts",
    metadata,
    Column("review_id", Integer, primary_key=True),
    Column("alert_id", Integer, primary_key=True),
)

review_attendees = Table(
    "watch_review_attendees",
    metadata,
    Column("review_id", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
)

review_findings = Table(
    "watch_review_findings",
    metadata,
    Column("review_id", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("text", Text, nullable=False),
)

action_items = Table(
    "watch_action_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("review_id", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("done_at", DateTime),
    Column("created_at", DateTime, nullable=False),
)

deliveries = Table(
    "notify_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("alert_id", Integer),
    Column("channel", String(100), nullable=False),
    Column("channel_type", String(20), nullable=False),
    Column("recipients", Text),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("at", DateTime, nullable=False),
)


def next_id(con: Connection, table: Table) -> int:
    """max(id) + 1 inside the caller's transaction (no dialect-specific autoincrement)."""
    current: Any = con.execute(select(func.max(table.c.id))).scalar()
    return int(current or 0) + 1


def utcnow() -> datetime:
    """Naive UTC, as the app database stores instants (SQLite has no time zones)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
