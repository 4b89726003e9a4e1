"""The facts database: one DuckDB file per workspace, reached through Ibis by the engine.

The ingest loader writes through the raw DuckDB connection (one transaction per file); everything that
computes a KPI goes through `ibis_backend()`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from tradewind.core.errors import WorkspaceError
from tradewind.store.migrations import migrations

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend as IbisDuckDB

FACTS_FILE = "facts.duckdb"
_VERSION_TABLE = "_schema_version"


class FactStore:
    def __init__(self, path: Path, *, read_only: bool = False, memory_limit: str = "1GB") -> None:
        self.path = path
        self.read_only = read_only
        try:
            self.con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            raise WorkspaceError(
                f"cannot open {path}: {exc}. Another Tradewind process may be using this workspace."
            ) from exc
        # Instants are stored as TIMESTAMPTZ; a fixed session zone keeps results independent of the host.
        self.con.execute("SET TimeZone = 'UTC'")
        # A bounded buffer pool keeps imports and queries inside a laptop's memory; DuckDB spills the
        # rest to a temporary folder beside the database.
        self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self._ibis: IbisDuckDB | None = None

    # -- schema -------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [_VERSION_TABLE]
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.con.execute(f"SELECT max(version) FROM {_VERSION_TABLE}").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self, up_to: int | None = None) -> list[int]:
        """Apply pending migrations (all, or up to `up_to`); returns the numbers applied."""
        current = self.schema_version()
        latest = migrations("facts")
        if current > latest[-1].number:
            raise WorkspaceError(
                f"{self.path} has schema {current}, newer than this release knows ({latest[-1].number}); "
                "upgrade Tradewind to open it"
            )
        pending = [m for m in latest if m.number > current and (up_to is None or m.number <= up_to)]
        if not pending:
            return []
        if self.read_only:
            raise WorkspaceError(f"{self.path} needs an upgrade; open it once without read-only mode")
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute(
                f"CREATE TABLE IF NOT EXISTS {_VERSION_TABLE} "
                "(version INTEGER, name VARCHAR, applied_at TIMESTAMPTZ)"
            )
            for m in pending:
                for statement in m.statements():
                    self.con.execute(statement)
                self.con.execute(f"INSERT INTO {_VERSION_TABLE} VALUES (?, ?, now())", [m.number, m.name])
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return [m.number for m in pending]

    # -- access -------------------------------------------------------------------------------------
    def ibis_backend(self) -> IbisDuckDB:
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()

    def close(self) -> None:
        self.con.close()
