"""Hand-made fact rows for engine unit tests: an in-memory DuckDB with the canonical fact tables, and
the same defaults the KPI case suite fills (account acct-1, import `case`, source rows 2, 3, ...)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import duckdb
import ibis

from tradewind.catalog import Catalog, load_catalog
from tradewind.core.marketplaces import MARKETPLACES
from tradewind.engine import EngineSettings, KpiEngine, KpiRequest
from tradewind.store.fact_schema import FACT_TABLES, IMPORTS_LEDGER

_CATALOG: Catalog | None = None


def shipped_catalog() -> Catalog:
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = load_catalog()
    return _CATALOG


def _defaults(table: str, row: dict[str, Any], position: int, line_no: int) -> dict[str, Any]:
    out: dict[str, Any] = {"account_id": "acct-1", "import_id": "case", "source_row": position + 2}
    if table == "order_lines":
        purchase = row.get("purchase_date")
        day = date.fromisoformat(purchase) if isinstance(purchase, str) else purchase
        mkt = MARKETPLACES.get(str(row.get("marketplace")))
        out.update(
            source="amazon_all_orders",
            channel="amazon_fba",
            line_no=line_no,
            purchase_ts=datetime(day.year, day.month, day.day, 12, tzinfo=UTC) if day else None,
            is_cancelled=False,
            is_pending=False,
            is_business_order=False,
            tax_included=bool(mkt and mkt.prices_include_tax),
        )
    elif table == "traffic":
        out.update(source="business_report", level="child_asin")
    elif table == "ad_performance":
        out.update(source="ads_console", ad_product="SP", attribution_days=7, date_to=row.get("date_from"))
    elif table == "customer_returns":
        out.update(source="fba_returns")
    elif table == "fx_rates":
        out.update(account_id="*")
    out.update(row)
    return out


class Facts:
    """`Facts().add("order_lines", [...]).engine(today=...)`."""

    def __init__(self) -> None:
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        for fact in FACT_TABLES.values():
            self.con.execute(fact.ddl())
        self.con.execute(IMPORTS_LEDGER)
        self.backend = ibis.duckdb.from_connection(self.con)
        self._positions: dict[str, int] = defaultdict(int)

    def add(self, table: str, rows: Iterable[Mapping[str, Any]]) -> Facts:
        lines: dict[str, int] = defaultdict(int)
        columns = FACT_TABLES[table].column_names
        for raw in rows:
            row = dict(raw)
            order = str(row.get("order_id"))
            lines[order] += 1
            full = _defaults(table, row, self._positions[table], lines[order])
            self._positions[table] += 1
            unknown = set(full) - set(columns)
            if unknown:
                raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
            names = [c for c in columns if c in full]
            self.con.execute(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                [full[c] for c in names],
            )
        return self

    def ledger(self, import_id: str, file_name: str, sha256: str, imported_at: str) -> Facts:
        self.con.execute(
            "INSERT INTO imports (import_id, file_name, sha256, size_bytes, report_type, account_id, "
            "rows_loaded, rows_replaced, facts, imported_at, tool_version) VALUES (?, ?, ?, 1, 'test', "
            "'acct-1', 1, 0, 'order_lines', ?, 'test')",
            [import_id, file_name, sha256, imported_at],
        )
        return self

    def engine(self, catalog: Catalog | None = None, **settings: Any) -> KpiEngine:
        settings.setdefault("today", date(2026, 6, 30))
        settings.setdefault("reporting_currency", "EUR")  # the case suite's default too
        return KpiEngine(self.backend, catalog or shipped_catalog(), EngineSettings(**settings))


def rows(engine: KpiEngine, kpis: Iterable[str], **request: Any) -> list[dict[str, Any]]:
    return engine.run(KpiRequest(kpis=tuple(kpis), **request)).rows


def public(row: Mapping[str, Any]) -> dict[str, Any]:
    """A result row without the `_` keys."""
    return {k: v for k, v in row.items() if not k.startswith("_")}
