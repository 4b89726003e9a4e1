"""The plan as an Excel workbook and back: one sheet per level, headers in Chinese and English, every
total a formula over the sheet below it, and an import that turns the edits into a new version.

The finest sheet (SKU × owner, or whatever the plan's last level is) holds numbers; every sheet above
sums the one below with SUMPRODUCT on exact key matches (SUMIFS would read a month like 2027-03 or a
numeric SKU as a criterion, not as text). What the planner sees is what imports:

- a changed number in the finest sheet is that cell's new target (and it becomes held);
- a total replaced by a number is pinned: the cells below it are re-spread to match (held ones stay);
- a total left as a formula is the sum of what is below it, so edits below flow up to the year.

The import checks everything before writing anything: unknown months, marketplaces, channels, SKUs and
persons, duplicate rows, deleted rows, negative or over-precise amounts, and pinned totals that their
parts cannot make; any problem rejects the whole file with the sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tradewind.core.errors import ImportRejected, Problem
from tradewind.core.marketplaces import MARKETPLACES
from tradewind.plan.amounts import PlanError, format_minor
from tradewind.plan.calendar import parse_month
from tradewind.plan.model import Cell, LevelTarget, Plan, PlanHeader, PlanVersion
from tradewind.plan.reference import read_products
from tradewind.plan.service import Outcome, make_level_target, save_version
from tradewind.plan.store import PlanStore
from tradewind.plan.tree import Path, Tree, label, spread

if TYPE_CHECKING:
    from tradewind.app import Workspace

README = "说明 README"
YEAR = "年度 Year"
MONTH = "月度 Month"
LEVEL_SHEETS = {
    "marketplace": "站点 Marketplace",
    "channel": "渠道 Channel",
    "sku": "SKU",
    "person": "负责人 Person",
}
PERSON_ROLLUP = "负责人 Person"
LEVELS_SHEET = "比率目标 Levels"
HEADERS: dict[str, tuple[str, str]] = {
    "month": ("月份", "Month"),
    "marketplace": ("站点", "Marketplace"),
    "channel": ("渠道", "Channel"),
    "sku": ("SKU", "SKU"),
    "person": ("负责人", "Owner"),
    "tier": ("ABC分级", "ABC tier"),
    "held": ("锁定", "Held"),
}
TOTAL_LABEL = "合计 Total"
FIRST_ROW = 4  # row 1 zh header, row 2 en header, row 3 the sheet total
#: Formulas reach this many rows past the data, so rows a planner appends are counted too.
SLACK_ROWS = 500
LEVEL_COLUMNS = (
    ("kpi", "指标", "KPI"),
    ("scope", "范围", "Scope"),
    ("period", "期间", "Period"),
    ("comparator", "比较", "Comparator"),
    ("value", "目标值", "Value"),
    ("upper", "上限", "Upper"),
    ("owner", "负责人", "Owner"),
    ("gate", "质量门槛", "Gate"),
    ("data_source", "数据来源", "Data source"),
)
README_KEYS = {
    "plan": ("计划", "Plan"),
    "version": ("版本", "Version"),
    "kpi": ("指标", "KPI"),
    "currency": ("币种", "Currency"),
    "year": ("年度", "Year"),
    "levels": ("层级", "Levels"),
}
YES = {"y", "yes", "true", "1", "x", "是", "锁定", "✓"}
HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the workbook: its name, key columns, whether it is the finest (numbers) sheet and
    which sheet its formulas sum."""

    name: str
    keys: tuple[str, ...]
    leaf: bool
    source: str | None
    extra: tuple[str, ...] = ()


def sheet_specs(header: PlanHeader) -> list[SheetSpec]:
    levels = header.levels
    person_rollup = "person" in levels and "sku" in levels
    tree_levels = [lv for lv in levels if not (lv == "person" and person_rollup)]
    names = [MONTH] + [LEVEL_SHEETS[lv] for lv in tree_levels]
    keys: list[tuple[str, ...]] = [("month",)]
    for i in range(len(tree_levels)):
        k = ("month", *tree_levels[: i + 1])
        if tree_levels[i] == "sku" and person_rollup:
            k = (*k, "person")
        keys.append(k)
    specs = []
    for i, (name, k) in enumerate(zip(names, keys, strict=True)):
        leaf = i == len(names) - 1
        extra: tuple[str, ...] = ()
        if "sku" in k and k[-1] in ("sku", "person"):
            extra = ("tier",)
        if leaf:
            extra = (*extra, "held")
        specs.append(SheetSpec(name, k, leaf, None if leaf else names[i + 1], extra))
    if person_rollup:
        specs.append(SheetSpec(PERSON_ROLLUP, ("month", "person"), False, names[-1]))
    return specs


def amount_col(spec: SheetSpec) -> int:
    return len(spec.keys) + len([e for e in spec.extra if e != "held"]) + 1


# -- export -------------------------------------------------------------------------------------------
def export_plan(ws: Workspace, name: str, path: FilePath, *, version: int | None = None) -> FilePath:
    plan = PlanStore(ws.app.engine).load(name)
    v = plan.version(version) if version is not None else plan.latest
    write_workbook(plan, v, path)
    return path


def write_workbook(plan: Plan, v: PlanVersion, path: FilePath) -> None:
    header = plan.header
    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = README
    _readme(readme, plan, v)
    year = wb.create_sheet(YEAR)
    specs = sheet_specs(header)
    money = "#,##0.00" if header.scale == 100 else "#,##0"
    amount_head = (
        (f"目标 {header.currency}", f"Target {header.currency}")
        if header.unit == "money"
        else ("目标", "Target")
    )
    rows_by_sheet = _sheet_rows(header, v, specs)
    last_rows: dict[str, int] = {}
    for spec in specs:
        last_rows[spec.name] = FIRST_ROW + max(len(rows_by_sheet[spec.name]), 1) - 1 + SLACK_ROWS
    for spec in specs:
        sheet = wb.create_sheet(spec.name)
        cols = [
            *spec.keys,
            *[e for e in spec.extra if e != "held"],
            "amount",
            *[e for e in spec.extra if e == "held"],
        ]
        for c, col in enumerate(cols, start=1):
            zh, en = amount_head if col == "amount" else HEADERS[col]
            sheet.cell(1, c, zh).font = Font(bold=True)
            sheet.cell(2, c, en).font = Font(bold=True)
            sheet.cell(1, c).fill = HEAD_FILL
            sheet.cell(2, c).fill = HEAD_FILL
            sheet.column_dimensions[get_column_letter(c)].width = 18 if col != "sku" else 24
        a_col = amount_col(spec)
        a_letter = get_column_letter(a_col)
        end = last_rows[spec.name]
        sheet.cell(3, 1, TOTAL_LABEL).font = Font(bold=True)
        total = sheet.cell(3, a_col, f"=SUM({a_letter}{FIRST_ROW}:{a_letter}{end})")
        total.number_format = money
        total.font = Font(bold=True)
        for c in range(1, len(cols) + 1):
            sheet.cell(3, c).fill = TOTAL_FILL
        source = next((s for s in specs if s.name == spec.source), None)
        for r, (keys, extra, amount, held) in enumerate(rows_by_sheet[spec.name], start=FIRST_ROW):
            for c, value in enumerate(keys, start=1):
                sheet.cell(r, c, value)
            for c, value in enumerate(extra, start=len(keys) + 1):
                sheet.cell(r, c, value)
            if spec.leaf:
                cell = sheet.cell(r, a_col, Decimal(amount) / header.scale if header.scale != 1 else amount)
                sheet.cell(r, a_col + 1, "Y" if held else "")
            else:
                assert source is not None
                cell = sheet.cell(r, a_col, _sum_formula(spec, source, r, last_rows[source.name]))
            cell.number_format = money
        sheet.freeze_panes = f"A{FIRST_ROW}"
    month_spec = specs[0]
    m_letter = get_column_letter(amount_col(month_spec))
    year["A1"], year["B1"] = "年度", amount_head[0]
    year["A2"], year["B2"] = "Year", amount_head[1]
    for ref in ("A1", "B1", "A2", "B2"):
        year[ref].font = Font(bold=True)
        year[ref].fill = HEAD_FILL
    year["A3"] = str(header.year)
    year["B3"] = f"=SUM({_q(MONTH)}!{m_letter}{FIRST_ROW}:{m_letter}{last_rows[MONTH]})"
    year["B3"].number_format = money
    year.column_dimensions["A"].width = 12
    year.column_dimensions["B"].width = 22
    _levels_sheet(wb.create_sheet(LEVELS_SHEET), v.level_targets)
    wb.save(path)


def _q(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _sum_formula(spec: SheetSpec, source: SheetSpec, row: int, end: int) -> str:
    terms = []
    for c, key in enumerate(spec.keys, start=1):
        s_col = get_column_letter(source.keys.index(key) + 1)
        terms.append(f"({_q(source.name)}!${s_col}${FIRST_ROW}:${s_col}${end}=${get_column_letter(c)}{row})")
    a = get_column_letter(amount_col(source))
    terms.append(f"{_q(source.name)}!${a}${FIRST_ROW}:${a}${end}")
    return f"=SUMPRODUCT({'*'.join(terms)})"


def _sheet_rows(
    header: PlanHeader, v: PlanVersion, specs: Sequence[SheetSpec]
) -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...], int, bool]]]:
    levels = header.levels
    tiers = v.settings.tiers
    out: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], int, bool]]] = {}
    for spec in specs:
        grouped: dict[tuple[str, ...], list[int]] = {}
        held: dict[tuple[str, ...], bool] = {}
        for cell in v.cells:
            values = {"month": cell.month, **dict(zip(levels, cell.key, strict=True))}
            key = tuple(values[k] for k in spec.keys)
            grouped.setdefault(key, []).append(cell.amount)
            held[key] = held.get(key, True) and cell.held
        rows = []
        for key in sorted(grouped):
            extra: tuple[str, ...] = ()
            if "tier" in spec.extra:
                extra = (tiers.get(key[spec.keys.index("sku")], ""),)
            rows.append((key, extra, sum(grouped[key]), spec.leaf and held[key]))
        out[spec.name] = rows
    return out


def _readme(sheet: Worksheet, plan: Plan, v: PlanVersion) -> None:
    header = plan.header
    sheet["A1"] = f"Tradewind 目标计划 plan: {plan.name}"
    sheet["A1"].font = Font(bold=True, size=14)
    values = {
        "plan": plan.name,
        "version": v.version,
        "kpi": f"{header.kpi} ({v.kpi_version})",
        "currency": header.currency,
        "year": str(header.year),
        "levels": ",".join(("month", *header.levels)),
    }
    row = 3
    for key, (zh, en) in README_KEYS.items():
        sheet.cell(row, 1, f"{zh} {en}").font = Font(bold=True)
        sheet.cell(row, 2, values[key])
        row += 1
    sheet.cell(row, 1, "导出时间 Exported").font = Font(bold=True)
    sheet.cell(row, 2, datetime.now().replace(microsecond=0).isoformat(sep=" "))
    row += 2
    lines = [
        "改最细一层（最后一个目标表）的数字即改目标；把上层的公式改成数字即锁定该合计，下层按比例重新分摊。",
        "Change a number in the finest sheet to change that target. Replace a total's formula with a number "
        "to pin it: the cells below it are re-spread to match. Totals left as formulas add up what is below.",
        "在“锁定 Held”列填 Y 锁定一个单元格：重新分摊时它保持不变。",
        "Put Y in the Held column to keep a cell as it is when the plan is re-spread.",
        "导入：tradewind plan import 文件.xlsx（作为新版本保存）。  Import: tradewind plan import FILE.xlsx "
        "(saved as a new version).",
    ]
    for line in lines:
        sheet.cell(row, 1, line).alignment = Alignment(wrap_text=False)
        row += 1
    row += 1
    sheet.cell(row, 1, "说明 Notes").font = Font(bold=True)
    row += 1
    for note in v.settings.notes:
        sheet.cell(row, 1, note)
        row += 1
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 40


def _levels_sheet(sheet: Worksheet, targets: Iterable[LevelTarget]) -> None:
    for c, (_, zh, en) in enumerate(LEVEL_COLUMNS, start=1):
        sheet.cell(1, c, zh).font = Font(bold=True)
        sheet.cell(2, c, en).font = Font(bold=True)
        sheet.cell(1, c).fill = HEAD_FILL
        sheet.cell(2, c).fill = HEAD_FILL
        sheet.column_dimensions[get_column_letter(c)].width = 18
    row = 3
    for t in targets:
        values = {
            "kpi": t.kpi,
            "scope": scope_text(t.scope),
            "period": t.period,
            "comparator": t.comparator,
            "value": t.value,
            "upper": t.upper,
            "owner": t.owner,
            "gate": "Y" if t.gate else "",
            "data_source": t.data_source,
        }
        for c, (key, _, _) in enumerate(LEVEL_COLUMNS, start=1):
            sheet.cell(row, c, values[key])
        row += 1


def scope_text(scope: Iterable[tuple[str, str]]) -> str:
    return ",".join(f"{k}={v}" for k, v in scope) or "company"


# -- import -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportResult:
    plan: str
    changed: bool
    outcome: Outcome | None
    edited_cells: int
    pinned_totals: int


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(
        self,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        expected: str | None = None,
    ) -> None:
        where = f"sheet '{sheet}': {message}" if sheet else message
        self.items.append(
            Problem(self.file, where, row, column, None if value is None else str(value), expected)
        )

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportRejected(self.file, self.items)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return f"{value.year}-{value.month:02d}"
    return str(value).strip()


def _minor(value: Any, scale: int) -> int | None:
    """A cell's number in minor units; None when it is not a number with at most the unit's decimals."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = (
            Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip().replace(",", ""))
        )
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    scaled = number * scale
    nearest = scaled.to_integral_value()
    if abs(scaled - nearest) > Decimal("0.0001"):
        return None
    return int(nearest)


def _columns(sheet: Worksheet, wanted: Sequence[str], heads: Mapping[str, tuple[str, str]]) -> dict[str, int]:
    """Column of each wanted key, found by its zh (row 1) or en (row 2) header."""
    found: dict[str, int] = {}
    for c in range(1, (sheet.max_column or 0) + 1):
        texts = {_text(sheet.cell(1, c).value), _text(sheet.cell(2, c).value)}
        for key in wanted:
            zh, en = heads[key]
            if key not in found and (zh in texts or en in texts):
                found[key] = c
    return found


def import_plan(
    ws: Workspace,
    path: FilePath,
    *,
    actor: str,
    name: str | None = None,
    reason: str | None = None,
    from_month: str | None = None,
) -> ImportResult:
    problems = _Problems(path.name)
    try:
        formulas = load_workbook(path, data_only=False)
        cached = load_workbook(path, data_only=True)
    except (OSError, KeyError, ValueError) as exc:
        raise ImportRejected(path.name, [Problem(path.name, f"cannot read the workbook: {exc}")]) from None
    plan_name, exported_version = _readme_values(formulas, problems, name)
    problems.raise_if_any()
    store = PlanStore(ws.app.engine)
    plan = store.load(plan_name)
    header, base = plan.header, plan.latest
    if exported_version != base.version:
        raise PlanError(
            f"{path.name} was exported from version {exported_version} of plan {plan_name!r}, which is now at "
            f"version {base.version}: export it again and redo the edits, so no change is lost"
        )
    specs = sheet_specs(header)
    for spec in [*specs]:
        if spec.name not in formulas.sheetnames:
            problems.add(
                f"the sheet is missing (the plan splits by {', '.join(header.levels)})", sheet=spec.name
            )
    problems.raise_if_any()
    leaf_spec = next(s for s in specs if s.leaf)
    leaves, held_flags = _read_leaves(
        ws, plan, base, formulas[leaf_spec.name], cached[leaf_spec.name], leaf_spec, problems
    )
    problems.raise_if_any()
    pins: dict[Path, tuple[int, str, int]] = {}
    for spec in specs:
        if spec.leaf or spec.name == PERSON_ROLLUP:
            if spec.name == PERSON_ROLLUP:
                _check_rollup(formulas[spec.name], cached[spec.name], spec, header, leaves, problems)
            continue
        _read_totals(formulas[spec.name], spec, header, pins, problems)
    year_pin = _year_pin(formulas, header, problems)
    problems.raise_if_any()
    current = {c.path: c.amount for c in base.cells}
    edited = {p for p, a in leaves.items() if current.get(p) != a}
    amounts = _resolve(
        header, leaves, pins, year_pin, edited | {p for p, h in held_flags.items() if h}, problems
    )
    problems.raise_if_any()
    targets = _read_levels(ws, formulas, header, base, problems)
    problems.raise_if_any()
    held = {p for p, h in held_flags.items() if h} | edited
    cells = tuple(Cell(p[0], p[1:], amounts[p], p in held) for p in sorted(amounts))
    changed_months = sorted({p[0] for p in set(amounts) | set(current) if amounts.get(p) != current.get(p)})
    if from_month is not None:
        effective = parse_month(from_month)
    elif changed_months:
        effective = parse_month(changed_months[0])
    else:
        effective = parse_month(header.month_labels()[0])
    unchanged = {c.path: (c.amount, c.held) for c in cells} == {
        c.path: (c.amount, c.held) for c in base.cells
    } and {t.ident: t for t in targets} == {t.ident: t for t in base.level_targets}
    if unchanged:
        return ImportResult(plan_name, False, None, 0, 0)
    outcome = save_version(
        ws,
        plan,
        cells,
        targets,
        reason=reason or f"imported from {path.name}",
        effective_from=effective,
        actor=actor,
        action="plan.import",
    )
    pinned = sum(
        1
        for p, (value, _, _) in pins.items()
        if value != sum(a for q, a in current.items() if q[: len(p)] == p)
    )
    return ImportResult(plan_name, True, outcome, len(edited), pinned)


def _readme_values(wb: Any, problems: _Problems, name: str | None) -> tuple[str, int]:
    if README not in wb.sheetnames:
        problems.add(
            "this is not a Tradewind plan export (no README sheet); export the plan first", sheet=README
        )
        return "", 0
    sheet = wb[README]
    found: dict[str, Any] = {}
    for r in range(1, min(sheet.max_row or 0, 40) + 1):
        head = _text(sheet.cell(r, 1).value)
        for key, (zh, en) in README_KEYS.items():
            if head in (f"{zh} {en}", zh, en):
                found[key] = sheet.cell(r, 2).value
    plan_name = name or _text(found.get("plan"))
    if not plan_name:
        problems.add("the plan name is missing", sheet=README, column="B")
    try:
        version = int(found.get("version"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        problems.add(
            "the version is missing or not a number", sheet=README, column="B", value=found.get("version")
        )
        version = 0
    return plan_name, version


def _read_leaves(
    ws: Workspace,
    plan: Plan,
    base: PlanVersion,
    sheet: Worksheet,
    values: Worksheet,
    spec: SheetSpec,
    problems: _Problems,
) -> tuple[dict[Path, int], dict[Path, bool]]:
    header = plan.header
    cols = _columns(sheet, [*spec.keys, "held"], HEADERS)
    missing = [k for k in spec.keys if k not in cols]
    if missing:
        problems.add(f"no {', '.join(missing)} column in the header rows 1-2", sheet=spec.name, row=1)
        return {}, {}
    a_col = amount_col(spec)
    months = set(header.month_labels())
    levels = header.levels
    plan_values: dict[str, set[str]] = {lv: {c.key[i] for c in base.cells} for i, lv in enumerate(levels)}
    products = read_products(ws)
    known = {
        "marketplace": set(MARKETPLACES),
        "channel": plan_values.get("channel", set()),
        "sku": plan_values.get("sku", set()) | set(products.skus),
        "person": plan_values.get("person", set()) | set(products.persons) | {""},
    }
    leaves: dict[Path, int] = {}
    held: dict[Path, bool] = {}
    rows_of: dict[Path, int] = {}
    for r in range(FIRST_ROW, (sheet.max_row or 0) + 1):
        keys = [_text(sheet.cell(r, cols[k]).value) for k in spec.keys]
        raw = sheet.cell(r, a_col).value
        if not any(keys) and raw in (None, ""):
            continue
        month = keys[0]
        if month not in months:
            problems.add(
                "not a month of the plan",
                sheet=spec.name,
                row=r,
                column=HEADERS["month"][1],
                value=month,
                expected=f"{header.month_labels()[0]}..{header.month_labels()[-1]}",
            )
            continue
        bad = False
        for key, value in zip(spec.keys[1:], keys[1:], strict=True):
            if key == "marketplace":
                value = value.upper()
            if value not in known[key]:
                hint = {
                    "sku": "a SKU of the product table (import it first)",
                    "person": "an owner in the product table",
                    "channel": f"one of {', '.join(sorted(known['channel']))}",
                    "marketplace": "a marketplace code like US or DE",
                }[key]
                problems.add(
                    f"unknown {key}",
                    sheet=spec.name,
                    row=r,
                    column=HEADERS[key][1],
                    value=value,
                    expected=hint,
                )
                bad = True
        if bad:
            continue
        path = (
            month,
            *[k.upper() if spec.keys[i + 1] == "marketplace" else k for i, k in enumerate(keys[1:])],
        )
        amount_value = raw
        if isinstance(raw, str) and raw.startswith("="):
            amount_value = values.cell(r, a_col).value
            if amount_value is None:
                problems.add(
                    "the target is a formula with no computed value: type the number, or open and save "
                    "the file in Excel or LibreOffice first",
                    sheet=spec.name,
                    row=r,
                    column=get_column_letter(a_col),
                    value=raw,
                )
                continue
        if amount_value in (None, ""):
            amount_value = 0
        minor = _minor(amount_value, header.scale)
        if minor is None or minor < 0:
            places = "2 decimals" if header.scale == 100 else "no decimals"
            problems.add(
                "the target is not an amount",
                sheet=spec.name,
                row=r,
                column=get_column_letter(a_col),
                value=amount_value,
                expected=f"a number >= 0 with at most {places}",
            )
            continue
        if path in leaves:
            problems.add(
                f"the same cell appears twice (also row {rows_of[path]})",
                sheet=spec.name,
                row=r,
                value="/".join(path),
            )
            continue
        leaves[path] = minor
        rows_of[path] = r
        flag = _text(sheet.cell(r, cols["held"]).value).lower() if "held" in cols else ""
        held[path] = flag in YES
    # a row deleted by mistake would silently drop a target: deleting is setting it to 0
    present_bases = {p[:-1] if "person" in levels else p for p in leaves}
    for cell in base.cells:
        if cell.path in leaves:
            continue
        moved = "person" in levels and cell.path[:-1] in present_bases
        if not moved:
            problems.add(
                "a target row is missing: set it to 0 instead of deleting the row",
                sheet=spec.name,
                value="/".join(cell.path),
            )
    return leaves, held


def _read_totals(
    sheet: Worksheet,
    spec: SheetSpec,
    header: PlanHeader,
    pins: dict[Path, tuple[int, str, int]],
    problems: _Problems,
) -> None:
    cols = _columns(sheet, list(spec.keys), HEADERS)
    if any(k not in cols for k in spec.keys):
        problems.add("the key columns are missing from the header rows 1-2", sheet=spec.name, row=1)
        return
    a_col = amount_col(spec)
    for r in range(FIRST_ROW, (sheet.max_row or 0) + 1):
        keys = [_text(sheet.cell(r, cols[k]).value) for k in spec.keys]
        raw = sheet.cell(r, a_col).value
        if not any(keys):
            continue
        if isinstance(raw, str) and raw.startswith("="):
            continue
        if raw in (None, ""):
            problems.add(
                "the total is empty: type a number to pin it, or restore the formula",
                sheet=spec.name,
                row=r,
                column=get_column_letter(a_col),
            )
            continue
        minor = _minor(raw, header.scale)
        if minor is None or minor < 0:
            problems.add(
                "the total is not an amount",
                sheet=spec.name,
                row=r,
                column=get_column_letter(a_col),
                value=raw,
                expected="a number >= 0, or the formula",
            )
            continue
        path = tuple(k.upper() if spec.keys[i] == "marketplace" else k for i, k in enumerate(keys))
        pins[path] = (minor, spec.name, r)


def _check_rollup(
    sheet: Worksheet,
    values: Worksheet,
    spec: SheetSpec,
    header: PlanHeader,
    leaves: Mapping[Path, int],
    problems: _Problems,
) -> None:
    """The owner sheet is a view (a SKU's owner comes from the product table): a number typed over one
    of its formulas cannot be applied, so it is refused rather than ignored."""
    a_col = amount_col(spec)
    for r in range(FIRST_ROW, (sheet.max_row or 0) + 1):
        raw = sheet.cell(r, a_col).value
        if raw is None or (isinstance(raw, str) and raw.startswith("=")):
            continue
        problems.add(
            "an owner's total cannot be pinned (owners follow their SKUs): change the SKU rows instead",
            sheet=spec.name,
            row=r,
            column=get_column_letter(a_col),
            value=raw,
        )


def _year_pin(wb: Any, header: PlanHeader, problems: _Problems) -> int | None:
    if YEAR not in wb.sheetnames:
        problems.add("the sheet is missing", sheet=YEAR)
        return None
    raw = wb[YEAR]["B3"].value
    if isinstance(raw, str) and raw.startswith("="):
        return None
    minor = _minor(raw, header.scale)
    if minor is None or minor <= 0:
        problems.add(
            "the year's total is not an amount",
            sheet=YEAR,
            row=3,
            column="B",
            value=raw,
            expected="a number > 0, or the formula",
        )
        return None
    return minor


def _resolve(
    header: PlanHeader,
    leaves: Mapping[Path, int],
    pins: Mapping[Path, tuple[int, str, int]],
    year_pin: int | None,
    held: set[Path],
    problems: _Problems,
) -> dict[Path, int]:
    """Final leaf amounts: a pinned total's cells are re-spread to its number around the held and edited
    cells and the pinned totals inside it; an unpinned total is the sum of what is below it."""
    depth = 1 + len(header.levels)
    specs = sheet_specs(header)
    leaf_keys = next(s for s in specs if s.leaf).keys
    if len(leaf_keys) != depth:  # the person level is folded into the SKU sheet: same depth
        raise PlanError("internal: the finest sheet does not name every level")
    tree = Tree({p: Fraction(a) for p, a in leaves.items()}, depth)
    all_pins: dict[Path, int] = {p: v for p, (v, _, _) in pins.items()}
    if year_pin is not None:
        all_pins[()] = year_pin
    for path, (_, sheet, row) in pins.items():
        if not tree.has(path):
            problems.add(f"{label(path)} has no rows in the finest sheet to add up", sheet=sheet, row=row)
    if problems.items:
        return dict(leaves)
    amounts = dict(leaves)
    holds = {p: leaves[p] for p in held if p in leaves}
    for path, value in all_pins.items():
        holds[path] = value
    # the outermost pins decide: each is spread once, with every pin and held cell inside it fixed
    outer = [p for p in all_pins if not any(q != p and p[: len(q)] == q for q in all_pins)]
    for path in sorted(outer, key=len):
        try:
            spread_amounts, _ = spread(tree, all_pins[path], holds, header.scale, start=path)
        except PlanError as exc:
            where = pins.get(path)
            if where is not None:
                problems.add(
                    str(exc), sheet=where[1], row=where[2], value=format_minor(where[0], header.scale)
                )
            else:
                problems.add(str(exc), sheet=YEAR, row=3)
            continue
        amounts.update(spread_amounts)
    return amounts


def _read_levels(
    ws: Workspace, wb: Any, header: PlanHeader, base: PlanVersion, problems: _Problems
) -> list[LevelTarget]:
    if LEVELS_SHEET not in wb.sheetnames:
        return list(base.level_targets)
    sheet = wb[LEVELS_SHEET]
    heads = {k: (zh, en) for k, zh, en in LEVEL_COLUMNS}
    cols = _columns(sheet, [k for k, _, _ in LEVEL_COLUMNS], heads)
    for key in ("kpi", "scope", "comparator", "value"):
        if key not in cols:
            problems.add(f"no {heads[key][1]} column", sheet=LEVELS_SHEET, row=1)
            return list(base.level_targets)
    catalog = ws.catalog()
    old = {t.ident: t for t in base.level_targets}
    out: dict[tuple[Any, ...], LevelTarget] = {}
    for r in range(3, (sheet.max_row or 0) + 1):
        row = {k: sheet.cell(r, c).value for k, c in cols.items()}
        if all(v in (None, "") for v in row.values()):
            continue
        kpi = _text(row.get("kpi"))
        comparator = _text(row.get("comparator"))
        scope: dict[str, str] = {}
        scope_raw = _text(row.get("scope"))
        if scope_raw and scope_raw.lower() not in ("company", "全部", "公司"):
            for part in scope_raw.split(","):
                k, sep, val = part.partition("=")
                if not sep:
                    problems.add(
                        "the scope is not key=value",
                        sheet=LEVELS_SHEET,
                        row=r,
                        column="Scope",
                        value=scope_raw,
                        expected="marketplace=US, or company",
                    )
                    break
                scope[k.strip()] = (
                    val.strip().upper() if k.strip() in ("marketplace", "region") else val.strip()
                )
        try:
            value = float(row.get("value"))  # type: ignore[arg-type]
            upper = None if row.get("upper") in (None, "") else float(row.get("upper"))  # type: ignore[arg-type]
            t = make_level_target(
                ws,
                catalog,
                header,
                base.settings,
                kpi,
                comparator,
                value,
                upper,
                scope,
                _text(row.get("period")) or None,
                gate=_text(row.get("gate")).lower() in YES,
            )
        except (TypeError, ValueError):
            problems.add(
                "the value is not a number", sheet=LEVELS_SHEET, row=r, column="Value", value=row.get("value")
            )
            continue
        except PlanError as exc:
            problems.add(str(exc), sheet=LEVELS_SHEET, row=r)
            continue
        owner = _text(row.get("owner")) or None
        if owner != t.owner:
            t = LevelTarget(
                t.kpi,
                t.kpi_version,
                t.scope,
                t.period,
                t.comparator,
                t.value,
                t.upper,
                owner,
                t.data_source,
                t.gate,
            )
        previous = old.get(t.ident)
        if previous is not None and (
            previous.comparator,
            previous.value,
            previous.upper,
            previous.owner,
            previous.gate,
        ) == (t.comparator, t.value, t.upper, t.owner, t.gate):
            t = previous
        if t.ident in out:
            problems.add("the same target appears twice", sheet=LEVELS_SHEET, row=r, value=t.describe())
            continue
        out[t.ident] = t
    return list(out.values())
