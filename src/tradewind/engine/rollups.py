"""Daily rollups: each fact's measures summed per account, marketplace, day and currency, kept in the
database beside the facts, so that a dashboard at marketplace or company level reads a few thousand
rows instead of millions of order lines.

A rollup row holds, per fact row group, the row count, each measure's aggregate *in the original
currency*, the rows lacking a required value and the rows with an amount per currency: everything the
engine's own aggregate computes, before conversion. Money is converted when the rollup is read, at the
rate of the row's day and currency, exactly as fact rows are (a day's rate is one number, so the sum of
a day's amounts times the rate is the sum of each amount times it). Range facts (a Business Report's
`date_from..date_to`) keep their range, and the bucket rules apply to it unchanged.

What can be rolled up: sums, counts, maxima and minima of plain measures, and distinct counts of the
columns a fact declares `distinct_per_day` (an order belongs to one account, marketplace and day, so
its lines' distinct count adds up across days). Medians, snapshots and trailing windows are not: those
requests read the facts.

A rollup is used only while it is current: it records the data version it was built from (the row
counts of every table the engine reads and the import ledger's latest entry) and each measure's
catalog version. After an import, or a change to a measure, the engine reads the facts until
`build_rollups` runs again (the workspace does so after every import batch).
"""

from __future__ import annotations

import json
from typing import Any

import ibis.expr.types as ir

from tradewind.catalog import Catalog, FactDef, Measure
from tradewind.catalog.expressions import parse
from tradewind.catalog.models import Agg, Unit
from tradewind.core.periods import Calendar
from tradewind.engine.aggregate import amount_counted, full_filters, measure_value, missing_count
from tradewind.engine.rollup_columns import (
    META_TABLE,
    ROWS_COL,
    Rollup,
    amount_rows_col,
    currency_col,
    missing_count_col,
    rollup_table,
    value_col,
)
from tradewind.engine.rowexpr import compile_node, compile_row
from tradewind.engine.sources import FactViews, Scope, _resolver

_ROLLABLE = frozenset({Agg.SUM, Agg.COUNT, Agg.COUNT_DISTINCT, Agg.MAX, Agg.MIN})


def rollable(fact: FactDef, measure: Measure) -> bool:
    if measure.window is not None or measure.snapshot == "last" or fact.snapshot:
        return False
    if measure.agg not in _ROLLABLE:
        return False
    if measure.agg is Agg.COUNT_DISTINCT:
        return measure.expr is not None and measure.expr.strip() in fact.distinct_per_day
    return True


def current_rollups(con: Any, catalog: Catalog, data_version: tuple[Any, ...]) -> dict[str, Rollup]:
    """The rollups built from this version of the data (`read_data_version`); stale ones are left out."""
    if not data_version or META_TABLE not in _table_names(con):
        return {}
    version = _encode(data_version)
    out: dict[str, Rollup] = {}
    rows = con.execute(
        f"SELECT fact, table_name, data_version, measures, currencies FROM {META_TABLE}"
    ).fetchall()
    for fact, table, built_from, measures, currencies in rows:
        if built_from == version and fact in catalog.facts:
            out[fact] = Rollup(fact, table, built_from, json.loads(measures), tuple(json.loads(currencies)))
    return out


def build_rollups(
    backend: Any, catalog: Catalog, calendar: Calendar, tables: frozenset[str], data_version: tuple[Any, ...]
) -> list[Rollup]:
    """(Re)build the rollup of every fact that has rollable measures, each in one statement, and record
    them as built from `data_version` (`read_data_version` of `tables`); returns what was built. DuckDB
    only (the backend's connection runs the SQL)."""
    con = backend.con
    version = _encode(data_version)
    scope = Scope(None, (), {}, None, None, calendar, tables)
    views = FactViews(backend, catalog, scope)
    built: list[Rollup] = []
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {META_TABLE} (fact VARCHAR PRIMARY KEY, table_name VARCHAR, "
        "data_version VARCHAR, measures VARCHAR, currencies VARCHAR, built_at TIMESTAMPTZ)"
    )
    for fact_name, fact in catalog.facts.items():
        if fact_name not in tables:
            continue
        measures = [m for m in catalog.measures.values() if m.fact == fact_name and rollable(fact, m)]
        if not measures:
            continue
        query, currencies = _rollup_query(views, fact_name, fact, measures)
        table = rollup_table(fact_name)
        rollup = Rollup(
            fact_name, table, version, {m.id: catalog.version(m.id) for m in measures}, currencies
        )
        con.execute("BEGIN TRANSACTION")
        try:
            backend._run_pre_execute_hooks(query)  # registers in-memory tables (the VAT rates)
            con.execute(f"CREATE OR REPLACE TABLE {table} AS {backend.compile(query)}")
            con.execute(f"DELETE FROM {META_TABLE} WHERE fact = ?", [fact_name])
            con.execute(
                f"INSERT INTO {META_TABLE} VALUES (?, ?, ?, ?, ?, now())",
                [fact_name, table, version, json.dumps(dict(rollup.measures)), json.dumps(currencies)],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        built.append(rollup)
    return built


def _rollup_query(
    views: FactViews, fact_name: str, fact: FactDef, measures: list[Measure]
) -> tuple[ir.Table, tuple[str, ...]]:
    texts = [x for m in measures for x in (m.expr, m.filter, m.currency, m.require)]
    t = views.view(fact_name, texts, scoped=False, with_dims=False, bucketed=False)
    resolve = _resolver(t)
    money = [m for m in measures if m.unit is Unit.MONEY]
    currencies = tuple(sorted({m.currency for m in money if m.currency is not None}))
    t = t.mutate(
        **{currency_col(i): compile_row(text, resolve).cast("string") for i, text in enumerate(currencies)}
    )
    resolve = _resolver(t)
    keys = ["account_id", "marketplace", *(fact.date_range or (fact.date_column,))]
    if fact.currency:
        keys.append(fact.currency)
    keys += [currency_col(i) for i in range(len(currencies))]
    metrics: dict[str, ir.Value] = {ROWS_COL: t.count()}
    for m in measures:
        where = compile_node(parse(m.filter).node, resolve) if m.filter else None
        metrics[value_col(m.id)] = measure_value(t, m, resolve, where, None)
        if m.require:
            metrics[missing_count_col(m.id)] = missing_count(t, m, resolve, where)
    for i, text in enumerate(currencies):
        group = [m for m in money if m.currency == text]
        metrics[amount_rows_col(i)] = t.count(where=amount_counted(t, group, full_filters(group)))
    return t.group_by(keys).aggregate(**metrics), currencies


def _encode(data_version: tuple[Any, ...]) -> str:
    return json.dumps(data_version, default=str)


def _table_names(con: Any) -> set[str]:
    return {str(r[0]) for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
