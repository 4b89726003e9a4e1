"""`tradewind kpi [IDS] [--by DIMS] [--period P] [--where K=V[,V]] [--currency C] [--format F]` and
`tradewind kpi explain ID [--period P] [--where ...] [--rows N]`. Thin: parse, call `Workspace`, render.
Registered by `cli/main.py` through `register(app)`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from tradewind.app import Workspace
from tradewind.cli.common import WorkspaceOpt, open_workspace, parse_date
from tradewind.cli.console import err, out, user_errors
from tradewind.core.errors import QueryError
from tradewind.core.periods import Calendar

if TYPE_CHECKING:
    from tradewind.watch.notes import Note

#: KPIs shown when none are named: the board a seller opens first.
DEFAULT_KPIS = ("gmv", "orders", "units", "aov", "net_sales", "sessions", "cvr", "ad_spend", "acos", "tacos")
MAX_REASONS_SHOWN = 10


class OutputFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def _split(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return tuple(out)


def parse_where(values: list[str] | None) -> dict[str, tuple[str, ...]]:
    """`marketplace=DE,FR` (repeatable) -> {"marketplace": ("DE", "FR")}."""
    where: dict[str, tuple[str, ...]] = {}
    for item in values or []:
        key, sep, rest = item.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise QueryError(f"--where {item!r} is not K=V[,V...]; e.g. --where marketplace=DE,FR")
        where[key.strip()] = where.get(key.strip(), ()) + tuple(
            v.strip() for v in rest.split(",") if v.strip()
        )
    return where


def format_value(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "money":
        return f"{value:,.2f}"
    if unit == "count":
        return f"{int(value):,}"
    if unit == "ratio":
        return f"{value * 100:,.2f}%"
    return f"{value:,.1f}"


def register(app: typer.Typer) -> None:
    @app.command("kpi")
    @user_errors
    def kpi(
        ids: Annotated[
            list[str] | None,
            typer.Argument(
                help="KPI ids (space or comma separated; default: a standard board). "
                "'explain ID' shows how one figure was made."
            ),
        ] = None,
        by: Annotated[
            list[str] | None,
            typer.Option(
                help="Dimensions: a time grain (day, week, month, quarter, year) and any of account, "
                "region, marketplace, channel, campaign, sku, asin, parent_asin, person, category, brand, "
                "language."
            ),
        ] = None,
        period: Annotated[
            str | None, typer.Option(help="2026-03, 2026-Q1, 2026, 2026-W09 or 2026-01-01..2026-03-15.")
        ] = None,
        where: Annotated[
            list[str] | None, typer.Option(help="Filter K=V[,V...], repeatable: --where marketplace=DE,FR.")
        ] = None,
        currency: Annotated[
            str | None, typer.Option(help="Show money in this currency (default: the workspace's).")
        ] = None,
        fmt: Annotated[
            OutputFormat, typer.Option("--format", help="table, csv or json.")
        ] = OutputFormat.TABLE,
        rows: Annotated[
            int, typer.Option(help="explain: list up to N source rows (file and row number).")
        ] = 0,
        today: Annotated[
            str | None, typer.Option(help="Take this date as today (provisional marks, elapsed days).")
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """KPIs by any scope, with their catalog versions; or 'kpi explain ID' for a figure's lineage."""
        names = _split(ids)
        if names and names[0] == "explain":
            if len(names) != 2:
                raise QueryError("say which KPI to explain: tradewind kpi explain gmv --period 2026-03")
            if by:
                raise QueryError(
                    "explain shows one figure: narrow it with --period and --where instead of --by"
                )
            with open_workspace(workspace, read_only=True) as ws:
                explanation = ws.explain(
                    names[1],
                    period=period,
                    where=parse_where(where),
                    currency=currency,
                    rows=rows,
                    today=parse_date(today, "--today"),
                )
                context = external_notes(ws, period, parse_where(where))
            if fmt is OutputFormat.JSON:
                data = {**explanation.to_dict(), "external_notes": [note_dict(n) for n in context]}
                sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
            else:
                render_explanation(explanation, context)
            return
        from tradewind.engine import KpiRequest

        request = KpiRequest(
            kpis=names or DEFAULT_KPIS,
            by=_split(by),
            period=period,
            where=parse_where(where),
            currency=currency,
        )
        with open_workspace(workspace, read_only=True) as ws:
            result = ws.kpi(request, today=parse_date(today, "--today"))
        for warning in result.warnings:
            err.print(f"[yellow]warning:[/] {warning}", soft_wrap=True)
        if fmt is OutputFormat.JSON:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n")
        elif fmt is OutputFormat.CSV:
            sys.stdout.write(result_csv(result))
        else:
            render_table(result)


def _columns(result: Any) -> list[str]:
    return (["period"] if result.grain else []) + list(result.dims) + list(result.kpis)


def result_csv(result: Any) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = _columns(result)
    writer.writerow(columns)
    for row in result.rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return buffer.getvalue()


def render_table(result: Any) -> None:
    table = Table(title=f"KPIs in {result.currency}" + (f" by {result.grain}" if result.grain else ""))
    keys = (["period"] if result.grain else []) + list(result.dims)
    for key in keys:
        table.add_column(key)
    for kpi, meta in result.kpis.items():
        table.add_column(f"{kpi}\n[dim]{meta.version.split('@')[1]}[/]", justify="right")
    reasons: dict[str, set[str]] = {}
    provisional = False
    for row in result.rows:
        cells = []
        for key in keys:
            text = "—" if row.get(key) is None else str(row[key])
            if key == "period" and row.get("_provisional"):
                text += "*"
                provisional = True
            cells.append(text)
        cells += [format_value(row.get(k), m.unit) for k, m in result.kpis.items()]
        table.add_row(*cells)
        for kpi, reason in (row.get("_null_reasons") or {}).items():
            reasons.setdefault(reason, set()).add(kpi)
    out.print(table)
    if provisional or (not result.grain and any(r.get("_provisional") for r in result.rows)):
        out.print("[dim]* provisional: includes the last days, which Amazon still restates[/]")
    for i, (reason, kpis) in enumerate(sorted(reasons.items())):
        if i == MAX_REASONS_SHOWN:
            out.print(f"[dim]... and {len(reasons) - MAX_REASONS_SHOWN} more reasons (see --format json)[/]")
            break
        out.print(f"[dim]— {', '.join(sorted(kpis))}: {reason}[/]")


def external_notes(ws: Workspace, period: str | None, where: Mapping[str, tuple[str, ...]]) -> list[Note]:
    """Notes of the external-variables log that overlap the figure's scope and period, so whoever reads
    a figure also sees what happened outside the operator's hands (a competitor's stock-out, Prime Day).

    A filter on one value is a scope key (`marketplace=DE` matches notes on DE, on DE's SKUs and notes
    without a marketplace); a filter on several values matches a note on any of them. No period means
    every date. A workspace whose app database predates the log has no notes."""
    from tradewind.cli.watch_cmd import WATCH_SCHEMA

    if ws.app.schema_version() < WATCH_SCHEMA:
        return []
    if period is None:
        start, end = date.min, date.max
    else:
        parsed = Calendar(ws.config.fiscal_year_start_month).parse(period)
        start, end = parsed.start, parsed.end
    values = {k: tuple(_scope_value(k, v) for v in vs) for k, vs in where.items()}
    single = {k: vs[0] for k, vs in values.items() if len(vs) == 1}
    return [
        note
        for note in ws.watch().notes.overlapping(single, start, end)
        if all(note.scope[k] in vs for k, vs in values.items() if k in note.scope)
    ]


def _scope_value(key: str, value: str) -> str:
    """Marketplace and region codes are upper case in notes, whatever case the filter was typed in."""
    return value.upper() if key in ("marketplace", "region") else value


def note_dict(note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "kind": note.kind.value,
        "date_from": note.date_from.isoformat(),
        "date_to": note.date_to.isoformat(),
        "scope": dict(note.scope),
        "text": note.text,
        "author": note.author,
    }


def render_explanation(ex: Any, context: Sequence[Note] = ()) -> None:
    scope = ", ".join(f"{k}={','.join(v)}" for k, v in ex.where.items()) or "all"
    value = format_value(ex.value, ex.unit)
    out.print(f"[bold]{ex.kpi}[/] {ex.name_zh} / {ex.name_en}   [dim]{ex.version}[/]")
    out.print(f"period {ex.period or 'all'}; scope {scope}; currency {ex.currency}")
    out.print(f"value: [bold]{value}[/]" + (f"  ({ex.null_reason})" if ex.value is None else ""))
    out.print(f"formula: {ex.formula}")
    out.print(f"rule: {ex.rule_en}")
    out.print(f"口径: {ex.rule_zh}")
    if ex.parts:
        parts = Table("part", "version", "formula", "value", title="built from")
        for p in ex.parts:
            parts.add_row(
                p.id,
                p.version.split("@")[1],
                p.formula,
                format_value(p.value, p.unit) if p.value is not None else f"— ({p.null_reason})",
            )
        out.print(parts)
    if ex.rates:
        rates = Table(
            "currency", "date", "rate", "published rate(s)", title=f"exchange rates to {ex.currency}"
        )
        for r in ex.rates:
            rates.add_row(r.currency, r.day, f"{r.rate:.6f}", r.published)
        out.print(rates)
    if ex.files:
        files = Table("fact", "file", "sha256", "imported at", "rows", title="files behind the figure")
        for f in ex.files:
            files.add_row(
                f.fact, f.file_name or f.import_id, (f.sha256 or "")[:12], f.imported_at or "", f"{f.rows:,}"
            )
        out.print(files)
    if ex.rows:
        rows = Table("fact", "file", "row", title="source rows")
        for r in ex.rows:
            rows.add_row(r.fact, r.file_name or r.import_id, str(r.row))
        out.print(rows)
    if context:
        out.print("external variables overlapping this figure (tradewind note list):")
        for external in context:
            out.print(f"  {external.describe()}", soft_wrap=True, markup=False)
    for note in ex.notes:
        out.print(f"[dim]note: {note}[/]")
    for warning in ex.warnings:
        err.print(f"[yellow]warning:[/] {warning}", soft_wrap=True)
