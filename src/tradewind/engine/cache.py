"""What the engine keeps between runs on one DuckDB database: compiled queries and the FX rate table.

Turning a request into SQL (Ibis expressions, then compilation) and reading the rate table into Python
cost about half a second per run whatever the data size: a dashboard asking the same question again
paid it every time. Both depend only on the request, the catalog and settings (fixed per engine) and
the data (the rate spine is built from `fx_rates` and, without a period, from the facts' date range).
So they are kept per *data version*: the row count of every table the engine reads plus the import
ledger's count and latest `imported_at`. Any import, re-import or deletion changes it (a re-import
writes a new ledger entry) and everything kept is dropped. Results are never kept: a cached query is
run again against the data every time.

Only DuckDB backends are cached; on others (Spark) every run plans afresh as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import ibis.expr.types as ir
import pandas as pd

from tradewind.core.errors import QueryError
from tradewind.engine.fetch import fetch, fetch_sql

MAX_ENTRIES = 256


@dataclass(frozen=True)
class CompiledQuery:
    """A query compiled once. `expr` is kept so that the in-memory tables it reads (the rate spine)
    stay registered in the database for as long as the SQL may run."""

    expr: ir.Table
    sql: str


class QueryCache:
    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.enabled = getattr(backend, "name", None) == "duckdb"
        self._version: tuple[Any, ...] | None = None
        self._queries: dict[Hashable, CompiledQuery] = {}
        self._values: dict[Hashable, Any] = {}
        #: the limit `tune` set (None: the connection's own, which the cache leaves alone)
        self._memory_limit: str | None = None

    def tune(self, memory_limit: str) -> None:
        """Cap DuckDB's memory (see `EngineSettings.duckdb_memory_limit`). Insertion order is left alone:
        the workspace shares this connection with the importers, whose row numbers depend on it."""
        if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", memory_limit.strip(), re.IGNORECASE):
            raise QueryError(f"duckdb memory limit {memory_limit!r} is not a size like '1GB' or '512MB'")
        self.backend.con.execute(f"SET memory_limit = '{memory_limit.strip()}'")
        # return memory freed after a query to the system in the background: otherwise the allocator
        # keeps the aggregate's peak while Python builds the result columns on top of it
        self.backend.con.execute("SET allocator_background_threads = true")
        self._memory_limit = memory_limit.strip()

    def release_buffers(self) -> None:
        """Evict the table blocks DuckDB keeps cached, up to its memory limit, after a large result has
        been fetched: Python then builds that result's KPI columns on top of them (on the 10M-line board
        the process peaked at 1.35 GB or 1.6 GB, depending on how much DuckDB still held). Shrinking the
        limit for a moment is DuckDB's one way to evict; the blocks are read again when needed."""
        if self._memory_limit is None:
            return
        self.backend.con.execute("SET memory_limit = '32MB'")
        self.backend.con.execute(f"SET memory_limit = '{self._memory_limit}'")

    def refresh(self, tables: frozenset[str]) -> None:
        """Read the data version (one small query); drop everything kept when it changed."""
        if not self.enabled:
            self.clear()
            return
        version = read_data_version(self.backend.con, tables)
        if version != self._version:
            self.clear()
            self._version = version

    @property
    def version(self) -> tuple[Any, ...]:
        """The data version read by the last `refresh`."""
        return self._version or ()

    def clear(self) -> None:
        self._queries.clear()
        self._values.clear()

    # -- compiled queries ---------------------------------------------------------------------------
    def compiled(self, key: Hashable) -> CompiledQuery | None:
        return self._queries.get(key) if self.enabled else None

    def run(self, query: CompiledQuery) -> pd.DataFrame:
        return fetch_sql(self.backend, query.sql, query.expr.schema())

    def compile_and_run(self, key: Hashable | None, expr: ir.Table) -> pd.DataFrame:
        """Run `expr`; keep its SQL under `key` (None: do not keep)."""
        if not self.enabled or key is None:
            return fetch(self.backend, expr)
        self.backend._run_pre_execute_hooks(expr)  # registers in-memory tables (the rate spine)
        query = CompiledQuery(expr, str(self.backend.compile(expr)))
        if len(self._queries) >= MAX_ENTRIES:
            self._queries.pop(next(iter(self._queries)))
        self._queries[key] = query
        return self.run(query)

    def fetch(self, key: Hashable, build: Callable[[], ir.Table]) -> pd.DataFrame:
        """The frame of the query `build()` makes, compiling it only the first time per data version."""
        query = self.compiled(key)
        if query is not None:
            return self.run(query)
        return self.compile_and_run(key, build())

    # -- values built from the data (the FX table) --------------------------------------------------
    def value(self, key: Hashable, build: Callable[[], Any]) -> Any:
        if not self.enabled:
            return build()
        if key not in self._values:
            self._values[key] = build()
        return self._values[key]


def read_data_version(con: Any, tables: frozenset[str]) -> tuple[Any, ...]:
    """The data version of `tables` (DuckDB): their row counts and the import ledger's latest entry."""
    names = sorted(tables)
    parts = [f'(SELECT count(*) FROM "{name}")' for name in names]
    if "imports" in tables:
        parts.append('(SELECT CAST(max(imported_at) AS VARCHAR) FROM "imports")')
    if not parts:
        return ()
    rows = con.sql(f"SELECT {', '.join(parts)}").fetchall()
    return (tuple(names), *rows[0])
