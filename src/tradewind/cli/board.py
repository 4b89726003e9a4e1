"""The KPI board: one month per marketplace and in total, with MoM and YoY, attainment against the plan
beside GMV, and the open alerts. `make demo` ends with it; any command may show it for a workspace.

Every figure comes from `Workspace.kpi` (the engine) or `Workspace.plan_progress` (the plan): the board
only lays them out. MoM and YoY are the catalog's growth KPIs (`gmv_mom`, ...) where the catalog
defines them; a ratio (cvr, acos, ...) has none, so the board shows its change instead, in percentage
points: this month's figure minus the one of the month before (or of a year before), both from the
engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from tradewind.core.errors import TradewindError

if TYPE_CHECKING:
    from tradewind.app import Workspace
    from tradewind.watch.model import Alert

#: The board's KPIs, in the order shown, in sections.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Sales", ("gmv", "units", "orders", "aov")),
    ("Traffic", ("sessions", "cvr")),
    ("Advertising", ("ad_spend", "acos", "roas", "tacos")),
    ("Profit", ("net_sales", "gross_margin", "refund_rate")),
)
BOARD_KPIS: tuple[str, ...] = tuple(k for _name, kpis in SECTIONS for k in kpis)
#: Ratios people read as a multiple (ROAS 3.45), not a percentage.
MULTIPLES = frozenset({"roas"})
TOTAL = "Total"
#: Marketplaces shown (by GMV), so the board fits its width.
MAX_MARKETS = 7
#: The board's width budget: it must read in a 120-column terminal (a label and 8 figure columns,
#: a space between columns).
WIDTH = 120
LABEL_WIDTH = 15
CELL_WIDTH = 12


@dataclass(frozen=True)
class Cell:
    value: float | None
    #: Growth (a fraction) or change (same unit as the value), per `Line.change`.
    mom: float | None = None
    yoy: float | None = None


@dataclass(frozen=True)
class Line:
    """One KPI of the board."""

    kpi: str
    #: The catalog's names: English (what the CLI shows) and Chinese.
    name: str
    name_zh: str
    unit: str
    #: "growth": MoM/YoY are the catalog's growth KPIs (fractions); "change": the difference of the
    #: engine's figures for the two periods (percentage points for a ratio).
    change: str
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class Board:
    month: str
    previous: str
    year_ago: str
    currency: str
    #: "Total" first, then the marketplaces by GMV.
    scopes: tuple[str, ...]
    lines: tuple[Line, ...]
    #: Plan attainment of the month's GMV target per scope (None: no target), and of the year to date.
    attainment: Mapping[str, float | None] = field(default_factory=dict)
    plan: str | None = None
    plan_version: int | None = None
    year_attainment: float | None = None
    provisional: bool = False
    warnings: tuple[str, ...] = ()

    def line(self, kpi: str) -> Line:
        return next(line for line in self.lines if line.kpi == kpi)


# -- computing --------------------------------------------------------------------------------------------
def _month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _shift(month: str, months: int) -> str:
    year, mon = (int(p) for p in month.split("-"))
    index = year * 12 + mon - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_end(month: str) -> date:
    year, mon = (int(p) for p in month.split("-"))
    first_next = date(year + mon // 12, mon % 12 + 1, 1)
    return first_next - timedelta(days=1)


def last_full_month(ws: Workspace, today: date | None = None) -> str:
    """The last month whose every day lies on or before the last day with orders (and before today)."""
    today = today or date.today()
    found = ws.facts.query("SELECT max(purchase_date) FROM order_lines WHERE purchase_date <= ?", [today])
    last = found[0][0] if found and found[0][0] is not None else today
    last = last if isinstance(last, date) else today
    month = _month_label(last)
    return month if _month_end(month) <= last else _shift(month, -1)


def build_board(
    ws: Workspace,
    month: str | None = None,
    *,
    today: date | None = None,
    kpis: Sequence[str] = BOARD_KPIS,
    plan: str | None = None,
) -> Board:
    """The board of `month` (default: the last full month), every figure from the engine and the plan."""
    from tradewind.engine import KpiRequest

    month = month or last_full_month(ws, today)
    previous, year_ago = _shift(month, -1), _shift(month, -12)
    catalog = ws.catalog()
    missing = [k for k in kpis if catalog.kpi(k) is None]
    if missing:
        raise TradewindError(f"the board's KPIs {', '.join(missing)} are not in the catalog")
    ids = catalog.ids()
    growth = {k for k in kpis if f"{k}_mom" in ids and f"{k}_yoy" in ids}
    asked = [*kpis, *(f"{k}_{c}" for k in kpis if k in growth for c in ("mom", "yoy"))]
    currency = ws.config.reporting_currency
    warnings: list[str] = []

    # Two requests (by month, with and without the marketplace) over the year to the board's month:
    # each month's figures, and the catalog's growth KPIs against the month before and a year before.
    span = f"{year_ago}-01..{_month_end(month).isoformat()}"  # year_ago is YYYY-MM
    figures: dict[tuple[str, str], Mapping[str, Any]] = {}
    for by in (("month",), ("month", "marketplace")):
        result = ws.kpi(KpiRequest(kpis=tuple(asked), by=by, period=span), today=today)
        warnings.extend(w for w in result.warnings if w not in warnings)
        for row in result.rows:
            if "marketplace" in by and row.get("marketplace") is None:
                continue
            scope = str(row["marketplace"]) if "marketplace" in by else TOTAL
            figures[(str(row["period"]), scope)] = row
    now = {scope: row for (period, scope), row in figures.items() if period == month}
    before = {scope: row for (period, scope), row in figures.items() if period == previous}
    ago = {scope: row for (period, scope), row in figures.items() if period == year_ago}
    markets = sorted((s for s in now if s != TOTAL), key=lambda s: (-(now[s].get("gmv") or 0.0), s))
    scopes = (TOTAL, *markets[:MAX_MARKETS])
    lines: list[Line] = []
    for kpi in kpis:
        definition = catalog.kpi(kpi)
        assert definition is not None
        cells: dict[str, Cell] = {}
        for scope in scopes:
            figure = now.get(scope, {})
            value = figure.get(kpi)
            if kpi in growth:
                cells[scope] = Cell(value, figure.get(f"{kpi}_mom"), figure.get(f"{kpi}_yoy"))
            else:
                cells[scope] = Cell(
                    value,
                    _difference(value, before.get(scope, {}).get(kpi)),
                    _difference(value, ago.get(scope, {}).get(kpi)),
                )
        lines.append(
            Line(
                kpi,
                definition.name.en,
                definition.name.zh,
                definition.unit.value,
                "growth" if kpi in growth else "change",
                cells,
            )
        )
    provisional = any(r.get("_provisional") for r in now.values())
    attainment, plan_name, version, year = _attainment(ws, month, scopes, plan)
    return Board(
        month=month,
        previous=previous,
        year_ago=year_ago,
        currency=currency,
        scopes=scopes,
        lines=tuple(lines),
        attainment=attainment,
        plan=plan_name,
        plan_version=version,
        year_attainment=year,
        provisional=provisional,
        warnings=tuple(warnings),
    )


def _difference(now: float | None, then: float | None) -> float | None:
    """The change between two engine figures (a display of two KPI values, not a KPI of its own)."""
    if now is None or then is None:
        return None
    return now - then


def _attainment(
    ws: Workspace, month: str, scopes: Sequence[str], plan: str | None
) -> tuple[dict[str, float | None], str | None, int | None, float | None]:
    """GMV attainment of the month per scope from the plan in force at the month's end, and of the year
    to date; nothing when the workspace has no plan with a GMV target for that month."""
    names = [plan] if plan else ws.plans().names()
    if not names:
        return {}, None, None, None
    as_of = _month_end(month)
    year = month[:4]
    for name in sorted(names, key=lambda n: (n != year, n)):  # the plan named for the year first
        try:
            rows = [*ws.plan_progress(name, as_of, ()), *ws.plan_progress(name, as_of, ("marketplace",))]
        except TradewindError:
            continue
        gmv = [r for r in rows if r.kpi == "gmv" and r.kind == "additive"]
        monthly = {
            str(dict(r.scope).get("marketplace", TOTAL)): r.attainment for r in gmv if r.period == month
        }
        if not monthly:
            continue
        yearly = next((r.attainment for r in gmv if not r.scope and r.period == year), None)
        version = next((r.version for r in gmv), None)
        return {s: monthly.get(s) for s in scopes}, name, version, yearly
    return {}, None, None, None


# -- rendering --------------------------------------------------------------------------------------------
def _symbol(currency: str) -> str:
    return {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥"}.get(currency, "")


def format_value(kpi: str, unit: str, value: float | None, currency: str) -> str:
    if value is None:
        return "–"
    if unit == "money":
        symbol = _symbol(currency)
        amount = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.2f}"
        return f"-{symbol}{amount.lstrip('-')}" if value < 0 else f"{symbol}{amount}"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "ratio":
        return f"{value:.2f}" if kpi in MULTIPLES else f"{value * 100:.1f}%"
    return f"{value:,.1f}"


def format_change(kpi: str, unit: str, change: str, value: float | None) -> str:
    """A growth as a percentage; a change of a ratio in percentage points (or as a multiple's
    difference); of money or counts in its unit."""
    if value is None:
        return "–"
    if change == "growth":
        pct = value * 100
        return f"{pct:+.1f}%" if round(abs(pct), 1) < 10 else f"{pct:+.0f}%"
    if unit == "ratio":  # percentage points (the KPI's label says so), or a multiple's difference
        return f"{value:+.2f}" if kpi in MULTIPLES else f"{value * 100:+.1f}"
    if unit == "money":
        return f"{value:+,.2f}"
    return f"{value:+,.0f}"


def _style(direction_good: bool | None) -> str:
    return "" if direction_good is None else ("green" if direction_good else "red")


def board_table(board: Board, width: int = WIDTH, lang: str = "en") -> Table:
    """The board as a Rich table: a row per KPI (its `lang` name, en or zh), a column per scope; under
    each figure its MoM and YoY, under GMV the plan attainment. As many marketplaces (by GMV) as fit in
    `width` columns."""
    month_name = date(int(board.month[:4]), int(board.month[5:]), 1).strftime("%B %Y")
    table = Table(
        title=f"KPI board, {month_name} ({board.currency})" + (" [provisional]" if board.provisional else ""),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 0),
        title_justify="left",
    )
    fits = max(1, (width - LABEL_WIDTH) // (CELL_WIDTH + 1))
    scopes = board.scopes[:fits]
    table.add_column("KPI", width=LABEL_WIDTH, overflow="fold")
    for scope in scopes:
        table.add_column(scope, justify="right", no_wrap=True, width=CELL_WIDTH, overflow="ellipsis")
    for index, (_section, kpis) in enumerate(SECTIONS):
        shown = [line for line in board.lines if line.kpi in kpis]
        if not shown:
            continue
        if index:
            table.add_section()
        for line in shown:
            sub = "MoM/YoY"
            if line.change != "growth":
                sub += " pp" if line.unit == "ratio" and line.kpi not in MULTIPLES else " Δ"
            label = Text.assemble((line.name_zh if lang == "zh" else line.name, "bold"), "\n", (sub, "dim"))
            cells: list[Text] = []
            for scope in scopes:
                cell = line.cells.get(scope, Cell(None))
                value = format_value(line.kpi, line.unit, cell.value, board.currency)
                mom = format_change(line.kpi, line.unit, line.change, cell.mom)
                yoy = format_change(line.kpi, line.unit, line.change, cell.yoy)
                text = Text(value)
                text.append("\n")
                text.append(f"{mom}/{yoy}", style="dim")
                if line.kpi == "gmv" and board.plan is not None:
                    attained = board.attainment.get(scope)
                    text.append("\n")
                    text.append(
                        f"plan {attained * 100:.0f}%" if attained is not None else "no target",
                        style=_style(None if attained is None else attained >= 1.0) or "dim",
                    )
                cells.append(text)
            table.add_row(label, *cells)
    notes = [
        f"MoM: against {board.previous}; YoY: against {board.year_ago}. Growth in %; for ratios the "
        "change in percentage points (pp)."
    ]
    if board.plan is not None:
        year = (
            f"; the year to date: {board.year_attainment * 100:.0f}%"
            if board.year_attainment is not None
            else ""
        )
        notes.append(
            f"Plan: GMV attained against the month's target of plan {board.plan} (version "
            f"{board.plan_version}){year}."
        )
    if len(scopes) < len(board.scopes):
        hidden = ", ".join(board.scopes[len(scopes) :])
        notes.append(f"Not shown for want of width: {hidden}.")
    table.caption = " ".join(notes)
    table.caption_justify = "left"
    return table


def alerts_table(alerts: Sequence[Alert], *, title: str = "Open alerts") -> Table:
    """Open alerts, most severe first: what a reader scans for, one line each."""
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    table.add_column("#", justify="right", no_wrap=True, min_width=3)
    table.add_column("severity", no_wrap=True, min_width=8)
    table.add_column("alert", overflow="ellipsis", no_wrap=True, max_width=84)
    table.add_column("period", no_wrap=True, overflow="ellipsis", max_width=13)
    styles = {"critical": "bold red", "review": "bold yellow", "warning": "yellow", "info": "dim"}
    for alert in sorted(alerts, key=lambda a: (-a.severity.rank, a.id)):
        severity = alert.severity.value
        table.add_row(
            str(alert.id),
            Text(severity, style=styles.get(severity, "")),
            escape(alert.title),
            alert.period,
        )
    return table


def summarised(warnings: Sequence[str], limit: int = 3) -> list[str]:
    """The engine's warnings, one line per kind (marketplace codes and dates folded), at most `limit`."""
    kinds: dict[str, list[str]] = {}
    for warning in warnings:
        key = re.sub(r"\b[A-Z]{2}\b", "XX", re.sub(r"\d{4}-\d{2}(-\d{2})?", "D", warning))
        kinds.setdefault(key, []).append(warning)
    lines = []
    for found in kinds.values():
        more = f" (and {len(found) - 1} like it)" if len(found) > 1 else ""
        lines.append(found[0] + more)
    if len(lines) > limit:
        lines = [*lines[:limit], f"{len(lines) - limit} more kinds of note"]
    return lines


def open_alerts(ws: Workspace) -> list[Alert]:
    from tradewind.watch.alerts import AlertFilter

    return ws.watch().alerts.find(AlertFilter())


def render_board(
    ws: Workspace,
    console: Console,
    month: str | None = None,
    *,
    today: date | None = None,
    alerts: bool = True,
    board: Board | None = None,
) -> Board:
    """Print the board of `month` (default: the last full month; or `board`, already built) and, below
    it, the open alerts."""
    board = board or build_board(ws, month, today=today)
    parts: list[Any] = [board_table(board, min(console.width, WIDTH))]
    for warning in summarised(board.warnings):
        parts.append(Text(f"note: {warning}", style="dim"))
    if alerts:
        found = open_alerts(ws)
        parts.append(
            alerts_table(found, title=f"Open alerts ({len(found)})")
            if found
            else Text("No open alerts.", style="green")
        )
    console.print(Group(*parts))
    return board
