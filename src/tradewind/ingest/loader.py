"""Writing a prepared file into the workspace: all of it in one transaction, or none of it.

Rows that a new file covers (by each fact table's replace key) are deleted first, so re-downloading
an overlapping report replaces facts instead of counting them twice. The ledger row is written in the
same transaction, so a crash leaves neither facts nor a ledger entry (DuckDB rolls back an unfinished
transaction when the file is next opened).
"""

from __future__ import annotations

import getpass
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from tradewind import __version__
from tradewind.ingest.pipeline import PreparedImport
from tradewind.store.fact_schema import FACT_TABLES


@dataclass(frozen=True)
class LoadResult:
    import_id: str
    file_name: str
    report_type: str
    report_title: str
    rows_loaded: dict[str, int]
    rows_replaced: dict[str, int]
    dry_run: bool = False
    already_imported_as: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def total_loaded(self) -> int:
        return sum(self.rows_loaded.values())

    @property
    def total_replaced(self) -> int:
        return sum(self.rows_replaced.values())


def new_import_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"imp-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def current_actor() -> str:
    try:
        return os.environ.get("TRADEWIND_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@contextmanager
def unordered(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Let DuckDB write rows in any order (in parallel, with less memory) for one statement: every fact
    row carries its source row, so the order of rows in the table means nothing."""
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute("SET preserve_insertion_order = true")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _holds_rows(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the fact table has any row (a first import replaces nothing, so skip looking)."""
    return bool(con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone())


def _replaced(table: str, staged: str, alias: str) -> tuple[str, str]:
    """The distinct replace keys of the staged rows (as subquery `k`), and the condition matching a
    row of `table` (named `alias`) to one of them."""
    key = FACT_TABLES[table].replaced_by
    on = " AND ".join(f"{alias}.{c} IS NOT DISTINCT FROM k.{c}" for c in key)
    return f"(SELECT DISTINCT {', '.join(key)} FROM ({staged})) k", on


def _replaced_count(con: duckdb.DuckDBPyConnection, table: str, staged: str) -> int:
    if not _holds_rows(con, table):
        return 0
    keys, on = _replaced(table, staged, "t")
    return _scalar(con, f"SELECT count(*) FROM {table} t SEMI JOIN {keys} ON {on}")


def commit(
    con: duckdb.DuckDBPyConnection, prepared: PreparedImport, import_id: str, *, dry_run: bool
) -> LoadResult:
    ctx = prepared.ctx
    replaced: dict[str, int] = {}
    loaded: dict[str, int] = {}
    if dry_run:
        for table, staged in prepared.staged.items():
            replaced[table] = _replaced_count(con, table, staged)
            loaded[table] = _scalar(con, f"SELECT count(*) FROM ({staged})")
        return _result(prepared, import_id, loaded, replaced, dry_run=True)
    con.execute("BEGIN TRANSACTION")
    try:
        for table, staged in prepared.staged.items():
            replaced[table] = 0
            if _holds_rows(con, table):
                keys, on = _replaced(table, staged, table)
                replaced[table] = _scalar(con, f"DELETE FROM {table} USING {keys} WHERE {on}")
            with unordered(con):
                loaded[table] = _scalar(con, f"INSERT INTO {table} {staged}")
        marketplace = ctx.marketplace.code if ctx.marketplace else None
        con.execute(
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                prepared.source.name,
                prepared.source.sha256,
                prepared.source.size_bytes,
                prepared.report.id,
                ctx.variant,
                ctx.account_id,
                marketplace,
                prepared.raw.encoding or ("xlsx" if prepared.source.container == "xlsx" else "json"),
                ctx.job.decimal_style.value,
                ctx.date_from or ctx.snapshot_date,
                ctx.date_to or ctx.snapshot_date,
                sum(loaded.values()),
                sum(replaced.values()),
                ",".join(prepared.staged),
                datetime.now(UTC),
                current_actor(),
                __version__,
                "; ".join(ctx.notes) or None,
            ],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return _result(prepared, import_id, loaded, replaced, dry_run=False)


def _result(
    prepared: PreparedImport,
    import_id: str,
    loaded: dict[str, int],
    replaced: dict[str, int],
    *,
    dry_run: bool,
) -> LoadResult:
    return LoadResult(
        import_id=import_id,
        file_name=prepared.source.name,
        report_type=prepared.report.id,
        report_title=prepared.report.title,
        rows_loaded=loaded,
        rows_replaced=replaced,
        dry_run=dry_run,
        notes=tuple(prepared.ctx.notes),
    )
