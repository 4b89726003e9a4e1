"""Hand-made fact rows written straight into a workspace's tables (store/fact_schema.py), with the
defaults a row needs (account acme-eu, import `test`, source rows 2, 3, ...), and contexts over them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from tradewind.app import Workspace
from tradewind.core.marketplaces import MARKETPLACES
from tradewind.plan.progress import ProgressRow
from tradewind.store.fact_schema import FACT_TABLES
from tradewind.watch.context import WatchContext, workspace_context

ACCOUNT = "acme-eu"
_positions: dict[tuple[int, str], int] = defaultdict(int)


def _defaults(table: str, row: Mapping[str, Any], line_no: int) -> dict[str, Any]:
    out: dict[str, Any] = {"account_id": ACCOUNT, "import_id": "test"}
    if table == "order_lines":
        day = row["purchase_date"]
        mkt = MARKETPLACES.get(str(row.get("marketplace")))
        out.update(
            source="amazon_all_orders",
            channel="amazon_fba",
            line_no=line_no,
            purchase_ts=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
            is_cancelled=False,
            is_pending=False,
            is_business_order=False,
            tax_included=bool(mkt and mkt.prices_include_tax),
            currency="EUR",
        )
    elif table == "traffic":
        out.update(source="business_report", level="child_asin")
    elif table == "ad_performance":
        out.update(
            source="ads_console",
            ad_product="SP",
            attribution_days=7,
            date_to=row.get("date_from"),
            currency="EUR",
        )
    elif table == "customer_returns":
        out.update(source="fba_returns")
    elif table == "cs_tickets":
        day = row["received_date"]
        out.update(
            received_ts=datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
            needs_reply=True,
            as_of_ts=datetime(2026, 4, 1, tzinfo=UTC),
        )
    out.update(row)
    return out


def add(ws: Workspace, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    columns = FACT_TABLES[table].column_names
    lines: dict[str, int] = defaultdict(int)
    for raw in rows:
        lines[str(raw.get("order_id"))] += 1
        full = _defaults(table, raw, lines[str(raw.get("order_id"))])
        key = (id(ws), table)
        _positions[key] += 1
        full.setdefault("source_row", _positions[key] + 1)
        unknown = set(full) - set(columns)
        if unknown:
            raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
        names = [c for c in columns if c in full]
        ws.facts.con.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            [full[c] for c in names],
        )


def ledger(
    ws: Workspace,
    import_id: str,
    report_type: str,
    imported_at: datetime,
    *,
    marketplace: str | None = None,
    account: str = ACCOUNT,
) -> None:
    ws.facts.con.execute(
        "INSERT INTO imports (import_id, file_name, sha256, size_bytes, report_type, account_id, marketplace, "
        "rows_loaded, rows_replaced, facts, imported_at, tool_version) "
        "VALUES (?, ?, ?, 1, ?, ?, ?, 1, 0, 'order_lines', ?, 'test')",
        [import_id, f"{import_id}.txt", import_id, report_type, account, marketplace, imported_at],
    )


def progress(**fields: Any) -> ProgressRow:
    base: dict[str, Any] = dict(
        plan="FY2026",
        version=1,
        kpi="gmv",
        kind="additive",
        scope={"marketplace": "DE"},
        period="2026-03",
        target=10000.0,
        comparator="=",
        upper=None,
        actual=None,
        expected_to_date=None,
        attainment=None,
        pace=None,
        projected=None,
        owner=None,
    )
    base.update(fields)
    return ProgressRow(**base)


def context(
    ws: Workspace, as_of: date, *, rows: Sequence[ProgressRow] | None = None, compliance: Any = None
) -> WatchContext:
    """The workspace's real context (engine, notes, actions), with hand-made plan rows and compliance."""
    ctx = workspace_context(ws, as_of)
    if rows is not None:
        # plan_progress(by=...) gives the rows of that level: scopes with exactly the `by` keys
        ctx.progress = lambda day, by: [r for r in rows if set(r.scope) == set(by)]
    else:
        ctx.progress = None
    ctx.compliance = compliance
    return ctx
