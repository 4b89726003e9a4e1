"""The KPI case suite's machinery: read the YAML cases, turn their facts into typed tables, compare results.

The cases in `tests/kpi_cases/*.yaml` are data a domain expert can write without Python: facts, one
request, and the rows worked out by hand. This module keeps everything that is not data out of them: the
per-table defaults the engine contract promises, the fact schema's types (read off `store/fact_schema.py`,
so a new column needs no change here), and the comparison rules (rows as sets, money to the cent, ratios
to 1e-6, every null with a reason). It knows no backend; the test module loads the tables into DuckDB or
Spark.

Beyond the contract's case format, `expect` may hold `warnings_exclude` (substrings no warning may
contain), `grain` and `currency`; `error_contains` may be a list (all must appear); and an expected row
may state `_provisional: true|false` and `_null_reasons: {kpi: substring}`, which are then compared.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from tradewind.core.marketplaces import MARKETPLACES, Region
from tradewind.store.fact_schema import FACT_TABLES, FactTable

CASES_DIR = Path(__file__).resolve().parent.parent / "kpi_cases"

#: Settings a case gets unless it says otherwise (the contract's example header).
DEFAULT_SETTINGS: dict[str, Any] = {
    "reporting_currency": "EUR",
    "fx_mode": "ecb",
    "today": dt.date(2026, 6, 30),
    "fiscal_year_start_month": 1,
}
ENGINES = ("duckdb", "pyspark")
MONEY_TOLERANCE = 0.005
RATIO_TOLERANCE = 1e-6
_TAX_INCLUDED_REGIONS = {Region.EU, Region.UK}

#: The unit the KPIs of kpis.md's Sales, Traffic, Advertising, Inventory and Profit sections must declare
#: (contract: money rounded to cents, counts as ints, ratios as fractions). Checked so that a wrong unit
#: cannot loosen a comparison unnoticed; growth KPIs (`_mom`, `_yoy`) are ratios.
_UNITS = {
    "money": "gmv aov asp promo_discount refund_amount net_sales ad_spend ad_sales cpc cogs platform_fees "
    "gross_profit contribution_profit",
    "count": "units orders refund_units sessions page_views ad_orders ad_units impressions clicks "
    "fulfillable_units inbound_units stockout_skus",
    "days": "days_of_supply inventory_turnover_days",
    "ratio": "refund_rate b2b_share cvr order_item_session_pct buy_box_pct ctr ad_cvr acos roas tacos "
    "organic_share in_stock_rate gross_margin contribution_margin",
}
EXPECTED_UNITS: dict[str, str] = {kpi: unit for unit, ids in _UNITS.items() for kpi in ids.split()}


def expected_unit(kpi: str, declared: str | None = None) -> str | None:
    """The unit a KPI must have; for a KPI outside those sections, the unit the engine declares."""
    if kpi.endswith(("_mom", "_yoy")):
        return "ratio"
    return EXPECTED_UNITS.get(kpi, declared)


_CASE_KEYS = {"name", "why", "settings", "facts", "request", "expect", "engines"}
_EXPECT_KEYS = {"rows", "error_contains", "warnings_contain", "warnings_exclude", "grain", "currency"}
_REQUEST_KEYS = {"kpis", "by", "period", "where", "currency"}
_TIME_GRAINS = {"day", "week", "month", "quarter", "year"}
#: Marks a result row may carry (`_`-keys); compared only where an expected row states them.
_ASKED_MARKS = ("_provisional", "_null_reasons")


class CaseFileError(Exception):
    """A case file is malformed; the message names the file, the case and what is wrong."""


@dataclass(frozen=True)
class KpiCase:
    """One hand-computed case: facts in, one request, the rows (or error) a correct engine returns."""

    name: str
    why: str
    file: str
    settings: Mapping[str, Any]
    facts: Mapping[str, Sequence[Mapping[str, Any]]]
    request: Mapping[str, Any]
    expect: Mapping[str, Any]
    engines: Mapping[str, str] = field(default_factory=dict)

    @property
    def kpis(self) -> tuple[str, ...]:
        return tuple(self.request["kpis"])

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The row keys that identify a row: `period` when a time grain is asked, then the other `by`s."""
        by = tuple(self.request.get("by") or ())
        time = ("period",) if any(b in _TIME_GRAINS for b in by) else ()
        return time + tuple(b for b in by if b not in _TIME_GRAINS)


# -- loading ----------------------------------------------------------------------------------------


def load_cases(directory: Path = CASES_DIR) -> list[KpiCase]:
    """Every case of every YAML file, checked for shape so a typo fails loudly instead of testing nothing."""
    cases: list[KpiCase] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(raw, list):
            raise CaseFileError(f"{path.name}: expected a YAML list of cases")
        for index, item in enumerate(raw, start=1):
            case = _parse_case(path.name, index, item)
            if case.name in seen:
                raise CaseFileError(f"{path.name}: case name {case.name!r} is also used in {seen[case.name]}")
            seen[case.name] = path.name
            cases.append(case)
    return cases


def _parse_case(file: str, index: int, item: Any) -> KpiCase:
    where = f"{file}, case #{index}"
    if not isinstance(item, dict) or "name" not in item:
        raise CaseFileError(f"{where}: a case is a mapping with at least a name")
    where = f"{file}, case {item['name']!r}"
    unknown = set(item) - _CASE_KEYS
    if unknown:
        raise CaseFileError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(_CASE_KEYS)}")
    for key in ("why", "facts", "request", "expect"):
        if key not in item:
            raise CaseFileError(f"{where}: missing {key!r}")
    request = dict(item["request"])
    if set(request) - _REQUEST_KEYS or "kpis" not in request:
        raise CaseFileError(f"{where}: request takes {sorted(_REQUEST_KEYS)} and needs kpis")
    expect = dict(item["expect"])
    if set(expect) - _EXPECT_KEYS:
        raise CaseFileError(f"{where}: expect takes {sorted(_EXPECT_KEYS)}")
    if ("rows" in expect) == ("error_contains" in expect):
        raise CaseFileError(f"{where}: expect needs exactly one of rows / error_contains")
    facts = item["facts"] or {}
    for table, rows in facts.items():
        if table not in FACT_TABLES:
            raise CaseFileError(f"{where}: unknown fact table {table!r}; known: {sorted(FACT_TABLES)}")
        columns = set(FACT_TABLES[table].column_names)
        for n, row in enumerate(rows, start=1):
            bad = set(row) - columns
            if bad:
                raise CaseFileError(f"{where}: {table} row {n} has unknown columns {sorted(bad)}")
    engines = dict(item.get("engines") or {})
    if set(engines) - set(ENGINES):
        raise CaseFileError(f"{where}: engines may name {ENGINES}")
    case = KpiCase(
        name=str(item["name"]),
        why=str(item["why"]),
        file=file,
        settings={**DEFAULT_SETTINGS, **(item.get("settings") or {})},
        facts=facts,
        request=request,
        expect=expect,
        engines=engines,
    )
    for n, row in enumerate(expect.get("rows") or [], start=1):
        wanted = set(case.dimensions) | set(case.kpis)
        if set(row) - set(_ASKED_MARKS) != wanted:
            raise CaseFileError(
                f"{where}: expected row {n} must have exactly the keys {sorted(wanted)} (got {sorted(row)})"
            )
    return case


# -- fact tables ------------------------------------------------------------------------------------


def arrow_type(sql_type: str) -> pa.DataType:
    """The Arrow type of a fact column, read off its DDL type (`DECIMAL(18,4) NOT NULL` -> decimal128)."""
    base = sql_type.upper().replace(" NOT NULL", "").strip()
    if base.startswith("VARCHAR"):
        return pa.string()
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", base)
    if decimal:
        return pa.decimal128(int(decimal.group(1)), int(decimal.group(2)))
    simple = {
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
        "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
    }
    if base not in simple:
        raise CaseFileError(f"the harness does not know the fact type {sql_type!r}")
    return simple[base]


def arrow_schema(table: FactTable) -> pa.Schema:
    return pa.schema(
        [
            pa.field(c.name, arrow_type(c.type), nullable="NOT NULL" not in c.type.upper())
            for c in table.columns
        ]
    )


def _tax_included(marketplace: Any) -> bool:
    found = MARKETPLACES.get(str(marketplace)) if marketplace is not None else None
    return bool(found and found.region in _TAX_INCLUDED_REGIONS)


def with_defaults(table: str, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The contract's defaults for columns a case leaves out (everything else stays NULL)."""
    out: list[dict[str, Any]] = []
    line_numbers: dict[Any, int] = {}
    for position, given in enumerate(rows):
        row: dict[str, Any] = {
            "account_id": "*" if table == "fx_rates" else "acct-1",
            "import_id": "case",
            "source_row": position + 2,
        }
        if table == "order_lines":
            order = given.get("order_id")
            line_numbers[order] = line_numbers.get(order, 0) + 1
            purchase_date = given.get("purchase_date")
            row.update(
                source="amazon_all_orders",
                channel="amazon_fba",
                line_no=line_numbers[order],
                is_cancelled=False,
                is_pending=False,
                is_business_order=False,
                tax_included=_tax_included(given.get("marketplace")),
            )
            if isinstance(purchase_date, dt.date):
                row["purchase_ts"] = dt.datetime.combine(purchase_date, dt.time(12), tzinfo=dt.UTC)
        elif table == "traffic":
            row.update(source="business_report", level="child_asin")
        elif table == "ad_performance":
            row.update(
                source="ads_console", ad_product="SP", attribution_days=7, date_to=given.get("date_from")
            )
        elif table == "customer_returns":
            row.update(source="fba_returns")
        row.update(given)
        out.append(row)
    return out


def _coerce(value: Any, type_: pa.DataType, where: str) -> Any:
    """A YAML scalar as the column's Python value; decimals through str so 23.80 stays exactly 23.80."""
    if value is None:
        return None
    if pa.types.is_decimal(type_):
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise CaseFileError(f"{where}: {value!r} is not a number")
        return Decimal(str(value))
    if pa.types.is_string(type_):
        if isinstance(value, bool | dt.date):
            raise CaseFileError(f"{where}: {value!r} read as {type(value).__name__}; quote it in the YAML")
        return str(value)
    if pa.types.is_timestamp(type_):
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if not isinstance(value, dt.datetime):
            raise CaseFileError(f"{where}: {value!r} is not a timestamp")
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    if pa.types.is_date(type_):
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise CaseFileError(f"{where}: {value!r} is not a date")
        return value
    if pa.types.is_boolean(type_):
        if not isinstance(value, bool):
            raise CaseFileError(f"{where}: {value!r} is not true/false")
        return value
    if pa.types.is_integer(type_):
        if isinstance(value, bool) or not isinstance(value, int):
            raise CaseFileError(f"{where}: {value!r} is not an integer")
        return value
    if pa.types.is_floating(type_):
        return float(value)
    raise CaseFileError(f"{where}: no conversion to {type_}")


def fact_tables(case: KpiCase) -> dict[str, pa.Table]:
    """Every fact table of the schema for this case: its rows with defaults, typed; empty when unused."""
    tables: dict[str, pa.Table] = {}
    for name, table in FACT_TABLES.items():
        schema = arrow_schema(table)
        rows = with_defaults(name, case.facts.get(name) or [])
        columns: dict[str, list[Any]] = {f.name: [] for f in schema}
        for n, row in enumerate(rows, start=1):
            for f in schema:
                where = f"{case.file}, case {case.name!r}, {name} row {n}, column {f.name}"
                value = _coerce(row.get(f.name), f.type, where)
                if value is None and not f.nullable:
                    raise CaseFileError(f"{where}: a value is required (NOT NULL, no default)")
                columns[f.name].append(value)
        tables[name] = pa.table(columns, schema=schema)
    return tables


# -- engine objects ---------------------------------------------------------------------------------


def engine_settings(case: KpiCase) -> Any:
    from tradewind.engine import EngineSettings

    settings = dict(case.settings)
    timezones = {code: m.timezone for code, m in MARKETPLACES.items()}
    timezones.update(settings.pop("timezones", None) or {})
    return EngineSettings(timezones=timezones, **settings)


def kpi_request(case: KpiCase) -> Any:
    from tradewind.engine import KpiRequest

    req = case.request
    where_raw = req.get("where") or {}
    where = {
        str(k): tuple(str(v) for v in (vs if isinstance(vs, list | tuple) else [vs]))
        for k, vs in where_raw.items()
    }
    return KpiRequest(
        kpis=tuple(req["kpis"]),
        by=tuple(req.get("by") or ()),
        period=None if req.get("period") is None else str(req["period"]),
        where=where,
        currency=req.get("currency"),
    )


# -- comparison -------------------------------------------------------------------------------------


def _key_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return None if value is None else str(value)


def _close(unit: str | None, expected: Any, got: Any) -> str | None:
    """None when `got` matches `expected` under the contract's tolerance for the unit, else why not."""
    if expected is None or got is None:
        return None if expected is got else "null vs value"
    if isinstance(got, bool) or not isinstance(got, int | float):
        return f"not a number ({type(got).__name__})"
    if unit == "count":
        if not isinstance(got, int):
            return "a count must be an int"
        return None if got == expected else "differs"
    if unit == "money":
        if abs(got * 100 - round(got * 100)) > 1e-6:
            return "money must be rounded to cents"
        return None if abs(got - expected) <= MONEY_TOLERANCE + 1e-9 else "differs"
    if math.isnan(float(got)):
        return "NaN"
    return None if abs(got - expected) <= RATIO_TOLERANCE else "differs"


def compare(case: KpiCase, result: Mapping[str, Any]) -> list[str]:
    """Every way `result` (KpiResult.to_dict()) departs from the case's expectation; empty when it matches."""
    problems: list[str] = []
    expect = case.expect
    kpi_meta = result.get("kpis") or {}
    for kpi in case.kpis:
        meta = kpi_meta.get(kpi)
        if not meta:
            problems.append(f"result.kpis has no entry for {kpi}")
        elif not str(meta.get("version", "")).startswith(f"{kpi}@"):
            problems.append(f"{kpi}: version {meta.get('version')!r} is not '{kpi}@<hash>'")
        elif meta.get("unit") != expected_unit(kpi, meta.get("unit")):
            problems.append(f"{kpi}: unit {meta.get('unit')!r}, expected {expected_unit(kpi)!r}")
    for key in ("grain", "currency"):
        if key in expect and result.get(key) != expect[key]:
            problems.append(f"{key}: expected {expect[key]!r}, got {result.get(key)!r}")
    warnings = [str(w) for w in result.get("warnings") or []]
    for text in expect.get("warnings_contain") or []:
        if not any(text in w for w in warnings):
            problems.append(f"no warning contains {text!r}; warnings: {warnings}")
    for text in expect.get("warnings_exclude") or []:
        if any(text in w for w in warnings):
            problems.append(f"a warning contains {text!r} but should not; warnings: {warnings}")
    problems.extend(_compare_rows(case, expect.get("rows") or [], result.get("rows") or [], kpi_meta))
    return problems


def _compare_marks(
    label: str,
    kpis: Sequence[str],
    expected: Mapping[str, Any],
    got: Mapping[str, Any],
    raw: Mapping[str, Any],
) -> list[str]:
    """The `_` marks of one row: every null KPI has a reason (and the one the case names, if it does);
    `_provisional` as the case states it."""
    problems: list[str] = []
    reasons = raw.get("_null_reasons") or {}
    if not isinstance(reasons, Mapping):
        return [f"row {label}: _null_reasons is not a mapping: {reasons!r}"]
    for kpi in kpis:
        if got.get(kpi) is None and not str(reasons.get(kpi) or "").strip():
            problems.append(f"row {label}: {kpi} is null without a reason in _null_reasons")
    for kpi, text in (expected.get("_null_reasons") or {}).items():
        reason = str(reasons.get(kpi) or "")
        if str(text) not in reason:
            problems.append(
                f"row {label}: the null reason of {kpi} is {reason!r}, expected it to say {text!r}"
            )
    provisional = raw.get("_provisional")
    if "_provisional" in expected and bool(provisional) != bool(expected["_provisional"]):
        problems.append(
            f"row {label}: _provisional expected {expected['_provisional']!r}, got {provisional!r}"
        )
    return problems


def _compare_rows(
    case: KpiCase,
    expected_rows: Iterable[Mapping[str, Any]],
    got_rows: Iterable[Mapping[str, Any]],
    kpi_meta: Mapping[str, Any],
) -> list[str]:
    problems: list[str] = []
    dims = case.dimensions
    got_by_key: dict[tuple[Any, ...], dict[str, Any]] = {}
    marks_by_key: dict[tuple[Any, ...], Mapping[str, Any]] = {}
    for row in got_rows:
        visible = {k: v for k, v in row.items() if not str(k).startswith("_")}
        key = tuple(_key_value(visible.get(d)) for d in dims)
        if key in got_by_key:
            problems.append(f"duplicate result row for {dict(zip(dims, key, strict=True))}")
        got_by_key[key] = visible
        marks_by_key[key] = row
    wanted_keys = set(dims) | set(case.kpis)
    for expected in expected_rows:
        key = tuple(_key_value(expected.get(d)) for d in dims)
        label = ", ".join(f"{d}={k}" for d, k in zip(dims, key, strict=True)) or "(total)"
        got = got_by_key.pop(key, None)
        if got is None:
            problems.append(f"missing row {label}: expected {dict(expected)}")
            continue
        if set(got) != wanted_keys:
            problems.append(f"row {label}: keys {sorted(got)} instead of {sorted(wanted_keys)}")
        problems.extend(_compare_marks(label, case.kpis, expected, got, marks_by_key[key]))
        for kpi in case.kpis:
            unit = expected_unit(kpi, (kpi_meta.get(kpi) or {}).get("unit"))
            why = _close(unit, expected.get(kpi), got.get(kpi))
            if why:
                problems.append(
                    f"row {label}: {kpi} expected {expected.get(kpi)!r}, got {got.get(kpi)!r} ({why})"
                )
    for key, row in got_by_key.items():
        label = ", ".join(f"{d}={k}" for d, k in zip(dims, key, strict=True)) or "(total)"
        problems.append(f"unexpected row {label}: {row}")
    return problems
