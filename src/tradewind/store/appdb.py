"""The app database (plans, alerts, reviews, users, audit): SQLAlchemy, SQLite file by default.

The URL is configurable so a shared server can use PostgreSQL; migrations are plain SQL that both
dialects accept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from tradewind.core.errors import WorkspaceError
from tradewind.store.migrations import migrations

APP_FILE = "app.sqlite"


def app_db_url(folder: Path, configured: str) -> str:
    return configured or f"sqlite:///{(folder / APP_FILE).as_posix()}"


class AppStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, future=True)

    def schema_version(self) -> int:
        with self.engine.connect() as con:
            try:
                row = con.execute(text("SELECT max(version) FROM app_schema_version")).fetchone()
            except Exception:
                return 0
            return int(row[0]) if row and row[0] is not None else 0

    def migrate(self, up_to: int | None = None) -> list[int]:
        current = self.schema_version()
        known = migrations("app")
        if current > known[-1].number:
            raise WorkspaceError(
                f"the app database has schema {current}, newer than this release knows ({known[-1].number})"
            )
        pending = [m for m in known if m.number > current and (up_to is None or m.number <= up_to)]
        if not pending:
            return []
        with self.engine.begin() as con:
            con.execute(
                text(
                    "CREATE TABLE IF NOT EXISTS app_schema_version "
                    "(version INTEGER NOT NULL, name VARCHAR(200), applied_at TIMESTAMP)"
                )
            )
            for m in pending:
                for statement in m.statements():
                    con.execute(text(statement))
                con.execute(
                    text("INSERT INTO app_schema_version VALUES (:v, :n, :t)"),
                    {"v": m.number, "n": m.name, "t": datetime.now(UTC).replace(tzinfo=None)},
                )
        return [m.number for m in pending]

    def audit(self, actor: str, action: str, subject: str | None = None, detail: str | None = None) -> None:
        with self.engine.begin() as con:
            con.execute(
                text(
                    "INSERT INTO audit_log (at, actor, action, subject, detail) "
                    "VALUES (:at, :actor, :action, :subject, :detail)"
                ),
                {
                    "at": datetime.now(UTC).replace(tzinfo=None),
                    "actor": actor,
                    "action": action,
                    "subject": subject,
                    "detail": detail,
                },
            )

    def close(self) -> None:
        self.engine.dispose()
