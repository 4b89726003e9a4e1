"""From measures to one query: each fact's measures compiled into ONE aggregate over that fact (plain
measures; point-in-time measures over the last snapshot; trailing-window measures), the aggregates
folded on the dimensions with null-safe full outer joins, money converted row by row through an
equi-join on a (currency, date) table of rates worked out in Python.

Checks ride along in the same aggregates instead of costing scans of their own: rows whose amount
found no rate (or had no currency), the age of the rates used, rows lacking a required value. Only
when one fires does a small follow-up query find the currency and date to name in the message.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import pandas as pd

from tradewind.catalog import Catalog, Measure
from tradewind.catalog.expressions import BoolOp, Node, parse, render
from tradewind.catalog.models import Agg, Unit, Window
from tradewind.core.errors import QueryError
from tradewind.core.marketplaces import MARKETPLACES
from tradewind.engine.cache import QueryCache
from tradewind.engine.fetch import fetch
from tradewind.engine.fx import STALE_AFTER_DAYS, FxConversion, FxTable
from tradewind.engine.rollup_columns import (
    ROLLUP_DIMS,
    ROWS_COL,
    Rollup,
    amount_rows_col,
    currency_col,
    missing_count_col,
    value_col,
)
from tradewind.engine.rowexpr import compile_node, compile_row
from tradewind.engine.sources import BUCKET, CURRENCY, DATE, FactViews, Scope, _resolver, dim_col

BlockKind = Literal["plain", "last", "window"]
#: A result this large (rows x columns) has DuckDB's cached blocks evicted before Python works on it.
LARGE_RESULT_CELLS = 5_000_000


@dataclass(frozen=True)
class Block:
    """Measures computed by one aggregate over one fact."""

    fact: str
    kind: BlockKind
    measures: tuple[str, ...]
    window: Window | None = None

    @property
    def key(self) -> str:
        if self.kind == "window" and self.window:
            return f"{self.fact}__window_{self.window.fact}_{self.window.days}"
        return f"{self.fact}__{self.kind}"

    @property
    def rows_col(self) -> str:
        return "_rows__" + re.sub(r"\W", "_", self.key)

    def check_col(self, check: str, group: int) -> str:
        return f"_{check}{group}{self.rows_col}"


def missing_col(measure: str) -> str:
    return f"_missing__{measure}"


def plan_blocks(catalog: Catalog, measures: Iterable[str]) -> list[Block]:
    """Group measures by the aggregate that computes them: one per fact (and kind), not one per KPI."""
    groups: dict[tuple[str, BlockKind, Window | None], list[str]] = defaultdict(list)
    for m in dict.fromkeys(measures):
        measure = catalog.measures[m]
        kind: BlockKind
        if measure.window is not None:
            kind = "window"
        elif measure.snapshot == "last":
            kind = "last"
        else:
            kind = "plain"
        groups[(measure.fact, kind, measure.window)].append(m)
    return [Block(fact, kind, tuple(ms), window) for (fact, kind, window), ms in groups.items()]


def unavailable_dim(catalog: Catalog, block: Block, dims: Iterable[str]) -> str | None:
    """The first requested dimension the block's fact cannot be split by (None when all can)."""
    fact = catalog.facts[block.fact]
    for dim in dims:
        if dim in fact.dims:
            continue
        if dim == "region" and "marketplace" in fact.dims:
            continue
        if dim in catalog.product_dims.dims and "sku" in fact.dims:
            continue
        return dim
    return None


@dataclass
class FxLedger:
    """The conversions a query used (filled for lineage) and any stale-rate warnings."""

    used: dict[tuple[str, date], FxConversion] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Prepared:
    """A block's rows with its money measures' rate columns joined."""

    block: Block
    rows: ir.Table
    rate_cols: dict[str, str]
    groups: list[tuple[str | None, list[Measure]]]
    #: the rollup the rows come from (None: the fact's own rows)
    rollup: Rollup | None = None


class Aggregator:
    def __init__(
        self,
        backend: Any,
        catalog: Catalog,
        scope: Scope,
        currency: str,
        fx_mode: str,
        ledger: FxLedger,
        fx_loader: Any,
        cache: QueryCache | None = None,
        rollups: dict[str, Rollup] | None = None,
    ) -> None:
        self.backend = backend
        self.catalog = catalog
        self.scope = scope
        self.currency = currency
        self.fx_mode = fx_mode
        self.views = FactViews(backend, catalog, scope)
        self.ledger = ledger
        self._fx_loader = fx_loader
        self.cache = cache
        #: current rollups, by fact: a block they can answer reads them instead of the fact's rows
        self.rollups = dict(rollups or {})

    @property
    def keys(self) -> list[str]:
        return ([BUCKET] if self.scope.grain is not None else []) + [dim_col(d) for d in self.scope.dims]

    # -- the whole query ----------------------------------------------------------------------------
    def run(self, blocks: Sequence[Block], *, replan: bool = False) -> pd.DataFrame:
        """Execute the one query for `blocks`, then act on its checks (errors, stale-rate warnings).

        With a cache, a query compiled before for the same blocks and scope (same data version) runs
        as it is; only when one of its checks fires is it planned again, for the follow-up queries."""
        key = self._cache_key(blocks)
        frame = None if replan else self._run_compiled(key)
        if frame is None:
            prepared, empty = self._prepare(blocks)
            query = self._fold([self._aggregate(p) for p in prepared] + empty)
            if self.keys:
                # ordered by the database (cheap there), so result rows need no sort in Python
                query = query.order_by([ibis.asc(query[k], nulls_first=False) for k in self.keys])
            if self.cache is not None:
                frame = self.cache.compile_and_run(key, query)
            else:
                frame = fetch(self.backend, query)
            if any(p.rollup for p in prepared) and self._checks_fire(frame):
                return self._without_rollups(blocks)
            for p in prepared:
                self._check(p, frame)
        elif self._checks_fire(frame):
            # a check fired: plan again (on the facts), for the follow-up queries that name the cause
            return self._without_rollups(blocks)
        if self.cache is not None and frame.size > LARGE_RESULT_CELLS:
            self.cache.release_buffers()
        return frame

    def _run_compiled(self, key: tuple[Any, ...]) -> pd.DataFrame | None:
        """The frame of the query compiled before under `key`, if there is one."""
        if self.cache is None:
            return None
        compiled = self.cache.compiled(key)
        return None if compiled is None else self.cache.run(compiled)

    def _without_rollups(self, blocks: Sequence[Block]) -> pd.DataFrame:
        """Plan and run again on the facts: a check fired, and naming its currency and date needs fact
        rows (and a query of its own, not the one compiled before)."""
        self.rollups = {}
        self.views = FactViews(self.backend, self.catalog, self.scope)
        return self.run(blocks, replan=True)

    def _cache_key(self, blocks: Sequence[Block]) -> tuple[Any, ...]:
        scope = self.scope
        where = tuple(sorted((k, tuple(v)) for k, v in scope.where.items()))
        return (
            "aggregate",
            repr(tuple(blocks)),
            scope.grain,
            scope.dims,
            where,
            scope.start,
            scope.end,
            repr(scope.calendar),
            scope.tables,
            self.currency,
            self.fx_mode,
            tuple(sorted((fact, r.data_version) for fact, r in self.rollups.items())),
        )

    def _checks_fire(self, frame: pd.DataFrame) -> bool:
        """Whether `_check` would act on this frame (a missing rate, or a stale one in ECB mode)."""
        for col in frame.columns:
            if col.startswith("_fxmiss") and _column_total(frame, col, "sum"):
                return True
            stale = col.startswith("_fxage") and self.fx_mode == "ecb"
            if stale and _column_total(frame, col, "max") > STALE_AFTER_DAYS:
                return True
        return False

    def query(self, blocks: Sequence[Block]) -> ir.Table:
        """The query `run` executes (for `explain` and tests)."""
        prepared, empty = self._prepare(blocks)
        return self._fold([self._aggregate(p) for p in prepared] + empty)

    def _prepare(self, blocks: Sequence[Block]) -> tuple[list[_Prepared], list[ir.Table]]:
        rows = {b: self.block_rows(b) for b in blocks}
        present = {b: t for b, t in rows.items() if t is not None}
        rates = self._rate_spine(present) if any(self._groups(b) for b in present) else None
        prepared = []
        for block, t in present.items():
            groups = self._groups(block)
            rollup = self.rollup_for(block)
            t, rate_cols = self._join_rates(t, groups, rates, rollup)
            prepared.append(_Prepared(block, t, rate_cols, groups, rollup))
        empty = [self._empty(b) for b, t in rows.items() if t is None]
        return prepared, empty

    def _fold(self, tables: list[ir.Table]) -> ir.Table:
        """Per-fact aggregates side by side on the dimensions: null-safe full outer joins (a SKU with
        traffic but no orders keeps its row; a NULL sku matches a NULL sku)."""
        keys = self.keys
        result = tables[0]
        for t in tables[1:]:
            if not keys:
                result = result.cross_join(t)
                continue
            # fresh identities: both sides may share ancestors (the rate table, a fact), and ibis would
            # otherwise extend the previous join chain instead of joining its result
            result, t = result.view(), t.view()
            joined = result.outer_join(t, [result[k].identical_to(t[k]) for k in keys])
            right = {f"{k}_right" for k in keys}
            coalesced = {k: ibis.coalesce(joined[k], joined[f"{k}_right"]) for k in keys}
            rest = [c for c in joined.columns if c not in keys and c not in right]
            result = joined.select(**coalesced, **{c: joined[c] for c in rest})
        return result

    # -- one block ----------------------------------------------------------------------------------
    def block_rows(self, block: Block) -> ir.Table | None:
        """The fact rows a block aggregates, before aggregation (None when the backend lacks the fact)."""
        measures = [self.catalog.measures[m] for m in block.measures]
        if not self.views.exists(block.fact) or (
            block.window is not None and not self.views.exists(block.window.fact)
        ):
            return None
        rollup = self.rollup_for(block)
        if rollup is not None:
            columns = [value_col(m) for m in block.measures] + [ROWS_COL]
            columns += [missing_count_col(m.id) for m in measures if m.require]
            columns += [f(i) for i in range(len(rollup.currencies)) for f in (currency_col, amount_rows_col)]
            return self.views.view(block.fact, [], extra=columns, table=rollup.table)
        texts = [x for m in measures for x in (m.expr, m.filter, m.currency, m.require)]
        if block.kind == "window":
            return self._window_rows(block, texts)
        t = self.views.view(block.fact, texts)
        if block.kind == "last":
            part = ([t[BUCKET]] if self.scope.grain is not None else []) + [t.account_id, t.marketplace]
            t = t.mutate(s__last=t[DATE].max().over(ibis.window(group_by=part)))
            t = t.filter(t[DATE] == t.s__last).drop("s__last")
        return t

    def counted_rows(self, block: Block) -> ir.Table | None:
        """The rows that feed at least one of the block's measures (its filters OR-ed): lineage."""
        rows = self.block_rows(block)
        if rows is None:
            return None
        cond = _any_filter(rows, [self.catalog.measures[m] for m in block.measures])
        return rows if cond is None else rows.filter(cond)

    def rollup_for(self, block: Block) -> Rollup | None:
        """The current rollup that can answer this block in this scope, if any."""
        rollup = self.rollups.get(block.fact)
        if rollup is None or block.kind != "plain":
            return None
        if not {*self.scope.dims, *self.scope.where} <= ROLLUP_DIMS:
            return None
        if not all(rollup.holds(self.catalog, m) for m in block.measures):
            return None
        return rollup

    def _aggregate_rollup(self, p: _Prepared, rollup: Rollup) -> ir.Table:
        """The block's metrics from rollup rows: sums of the rows' sums (of distinct counts too, for
        the columns whose values each belong to one day), money converted at each row's day rate."""
        t = p.rows
        metrics: dict[str, ir.Value] = {p.block.rows_col: t[ROWS_COL].sum().cast("float64")}
        for m in (self.catalog.measures[m] for m in p.block.measures):
            col = t[value_col(m.id)]
            if m.unit is Unit.MONEY:
                col = col * t[p.rate_cols[m.id]]
            value = col.max() if m.agg is Agg.MAX else col.min() if m.agg is Agg.MIN else col.sum()
            metrics[m.id] = value.cast("float64")
            if m.require:
                metrics[missing_col(m.id)] = t[missing_count_col(m.id)].sum()
        for i, (text, _group) in enumerate(p.groups):
            lacking = t[f"fx__rate{i}"].isnull()
            index = rollup.currency_group(text)
            amounts = t[ROWS_COL] if index is None else t[amount_rows_col(index)]
            missed = amounts.sum(where=lacking)
            metrics[p.block.check_col("fxmiss", i)] = ibis.coalesce(missed, 0).cast("float64")
            if f"fx__age{i}" in t.columns:
                metrics[p.block.check_col("fxage", i)] = t[f"fx__age{i}"].max().cast("float64")
        keys = self.keys
        return t.group_by(keys).aggregate(**metrics) if keys else t.aggregate(**metrics)

    def _aggregate(self, p: _Prepared) -> ir.Table:
        if p.rollup is not None:
            return self._aggregate_rollup(p, p.rollup)
        measures = [self.catalog.measures[m] for m in p.block.measures]
        common, residual = _split_filters(measures)
        t = p.rows
        if common:
            # a condition every measure shares filters the rows once (and keeps DISTINCT counts cheap)
            resolve = _resolver(t)
            t = t.filter(*[compile_node(node, resolve) for node in common])
        resolve = _resolver(t)
        metrics: dict[str, ir.Value] = {p.block.rows_col: t.count().cast("float64")}
        for m in measures:
            node = residual[m.id]
            where = compile_node(node, resolve) if node is not None else None
            rate = p.rate_cols[m.id] if m.unit is Unit.MONEY else None
            metrics[m.id] = measure_value(t, m, resolve, where, rate)
            if m.require:
                metrics[missing_col(m.id)] = missing_count(t, m, resolve, where)
        for i, (text, group) in enumerate(p.groups):
            # rows without a rate. For the fact's own currency (never null while the row has a
            # marketplace) that is the whole test; a looked-up currency is null wherever the look-up
            # found nothing, so there only rows with an amount count. The follow-up query is exact.
            lacking = t[f"fx__rate{i}"].isnull()
            if text is not None:
                lacking = lacking & amount_counted(t, group, residual)
            metrics[p.block.check_col("fxmiss", i)] = t.count(where=lacking).cast("float64")
            if f"fx__age{i}" in t.columns:
                metrics[p.block.check_col("fxage", i)] = t[f"fx__age{i}"].max().cast("float64")
        keys = self.keys
        return t.group_by(keys).aggregate(**metrics) if keys else t.aggregate(**metrics)

    def _empty(self, block: Block) -> ir.Table:
        """A fact table the backend does not hold reads as a fact with no rows."""
        cols: dict[str, Any] = {}
        if self.scope.grain is not None:
            cols[BUCKET] = ibis.null().cast("date" if self.scope.grain.value in ("day", "week") else "int64")
        for d in self.scope.dims:
            cols[dim_col(d)] = ibis.null().cast("string")
        cols[block.rows_col] = ibis.literal(0.0)
        for m in block.measures:
            cols[m] = ibis.null().cast("float64")
        table = ibis.memtable(pd.DataFrame({"x": [1]})).select(**cols)
        return table.filter(ibis.literal(False))

    def _window_rows(self, block: Block, texts: list[str | None]) -> ir.Table:
        """Rows of the `days` days before the last snapshot of the window fact in each bucket."""
        window = block.window
        assert window is not None
        snaps = self.views.view(window.fact, [], with_dims=False)
        part = ([BUCKET] if self.scope.grain is not None else []) + ["account_id", "marketplace"]
        anchors = snaps.group_by([snaps[c].name(f"an__{c}") for c in part]).aggregate(
            an__last=snaps[DATE].max()
        )
        earliest = self.scope.start - timedelta(days=window.days) if self.scope.start else None
        src = self.views.view(block.fact, texts, date_from=earliest, bucketed=False)
        joined = src.join(
            anchors,
            [
                src.account_id == anchors.an__account_id,
                src.marketplace == anchors.an__marketplace,
                src[DATE] >= anchors.an__last - ibis.interval(days=window.days),
                src[DATE] < anchors.an__last,
            ],
        )
        if self.scope.grain is not None:
            joined = joined.mutate(**{BUCKET: joined[f"an__{BUCKET}"]})
        return joined.drop(*[c for c in joined.columns if c.startswith("an__")])

    # -- currency -----------------------------------------------------------------------------------
    def _groups(self, block: Block) -> list[tuple[str | None, list[Measure]]]:
        """The block's money measures grouped by the currency expression they convert from."""
        groups: dict[str | None, list[Measure]] = defaultdict(list)
        for m in block.measures:
            measure = self.catalog.measures[m]
            if measure.unit is Unit.MONEY:
                groups[measure.currency].append(measure)
        return list(groups.items())

    @staticmethod
    def _currency(t: ir.Table, text: str | None) -> ir.Value:
        return (t[CURRENCY] if text is None else compile_row(text, _resolver(t))).cast("string")

    def _fx(self) -> FxTable:
        return self._fx_loader()

    def _date_range(self, rows: dict[Block, ir.Table]) -> tuple[date, date] | None:
        start, end = self.scope.start, self.scope.end
        if start is not None:
            lookback = max((b.window.days for b in rows if b.window), default=0)
            start -= timedelta(days=lookback)
        if start is not None and end is not None:
            return start, end
        parts = []
        for block in rows:
            raw = self.views.raw(block.fact)
            col = raw[self.catalog.facts[block.fact].date_column].cast("date")
            parts.append(raw.aggregate(lo=col.min(), hi=col.max()))
        query = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
        if self.cache is not None:
            frame = self.cache.fetch(("range", tuple(b.fact for b in rows)), lambda: query)
        else:
            frame = query.execute()
        los = [_as_date(v) for v in frame["lo"] if not pd.isna(v)]
        his = [_as_date(v) for v in frame["hi"] if not pd.isna(v)]
        if not los:
            return None
        return (start or min(los)), (end or max(his))

    def _rate_spine(self, rows: dict[Block, ir.Table]) -> ir.Table | None:
        """Rates to the target currency for every currency the rate table knows, every day of the
        query's range: an equi-join replaces an ASOF join, and no scan is needed to find which pairs
        the facts use. Pairs without a rate are left out; the aggregate counts rows that miss one."""
        span = self._date_range(rows)
        if span is None:
            return None
        first, last = span
        table = self._fx()
        currencies = sorted(
            table.currencies() | {m.currency for m in MARKETPLACES.values()} | {self.currency}
        )
        data: dict[str, list[Any]] = {"fx__c": [], "fx__d": [], "fx__rate": [], "fx__age": []}
        day = first
        while day <= last:
            for ccy in currencies:
                conversion = table.try_convert(ccy, self.currency, day)
                if conversion is not None:
                    data["fx__c"].append(ccy)
                    data["fx__d"].append(day)
                    data["fx__rate"].append(conversion.rate)
                    data["fx__age"].append(conversion.age_days)
            day += timedelta(days=1)
        schema = ibis.schema({"fx__c": "string", "fx__d": "date", "fx__rate": "float64", "fx__age": "int64"})
        return ibis.memtable(pd.DataFrame(data), schema=schema)

    def _join_rates(
        self,
        t: ir.Table,
        groups: list[tuple[str | None, list[Measure]]],
        rates: ir.Table | None,
        rollup: Rollup | None = None,
    ) -> tuple[ir.Table, dict[str, str]]:
        rate_cols: dict[str, str] = {}
        for i, (text, group) in enumerate(groups):
            key = f"fx__k{i}"
            if rollup is not None:
                index = rollup.currency_group(text)
                currency = t[CURRENCY] if index is None else t[currency_col(index)]
            else:
                currency = self._currency(t, text)
            t = t.mutate(**{key: currency})
            if rates is None:
                t = t.mutate(**{f"fx__rate{i}": ibis.null().cast("float64")})
            else:
                names = {f"fx__c{i}": "fx__c", f"fx__d{i}": "fx__d", f"fx__rate{i}": "fx__rate"}
                names[f"fx__age{i}"] = "fx__age"
                r = rates.rename(**names)
                t = t.left_join(r, [t[key] == r[f"fx__c{i}"], t[DATE] == r[f"fx__d{i}"]])
                t = t.drop(f"fx__c{i}", f"fx__d{i}")
            for m in group:
                rate_cols[m.id] = f"fx__rate{i}"
        return t, rate_cols

    def _check(self, p: _Prepared, frame: pd.DataFrame) -> None:
        for i, (text, group) in enumerate(p.groups):
            missed = _column_total(frame, p.block.check_col("fxmiss", i), "sum")
            if missed:
                self._explain_missing_rate(p, i, text, group, int(missed))
            age = _column_total(frame, p.block.check_col("fxage", i), "max")
            if age and age > STALE_AFTER_DAYS and self.fx_mode == "ecb":
                self._warn_stale(p, i, text, group, int(age))

    def _amount_rows(self, p: _Prepared, i: int, text: str | None, group: list[Measure]) -> ir.Table:
        t = p.rows
        t = t.mutate(fx__cc=self._currency(t, text))
        return t.filter(amount_counted(t, group, full_filters(group)))

    def _explain_missing_rate(
        self, p: _Prepared, i: int, text: str | None, group: list[Measure], n: int
    ) -> None:
        """Name the first currency and date whose amounts found no rate (or say they had no currency);
        return quietly when only rows without an amount lacked a rate (nothing was lost)."""
        rows = self._amount_rows(p, i, text, group)
        rows = rows.filter(rows[f"fx__rate{i}"].isnull())
        found = (
            rows.group_by(c=rows.fx__cc)
            .aggregate(d=rows[DATE].min(), n=rows.count())
            .order_by(["d", "c"])
            .execute()
        )
        if not len(found):
            return
        for ccy, first, count in found.itertuples(index=False, name=None):
            if pd.isna(ccy):
                raise QueryError(
                    f"{int(count)} {p.block.fact} row{'s' if count != 1 else ''} (the first dated "
                    f"{_as_date(first)}) have an amount but no currency and no marketplace to infer it "
                    "from; re-import them with a currency"
                )
        ccy, first, _ = next(found.itertuples(index=False, name=None))
        self._fx().convert(str(ccy), self.currency, _as_date(first))  # raises, naming currency and date
        raise QueryError(f"internal: no rate was prepared for {ccy} on {_as_date(first)}")

    def _warn_stale(self, p: _Prepared, i: int, text: str | None, group: list[Measure], age: int) -> None:
        rows = self._amount_rows(p, i, text, group)
        rows = rows.filter(rows[f"fx__age{i}"] == age)
        first = rows.select(c=rows.fx__cc, d=rows[DATE]).order_by(["d", "c"]).limit(1).execute()
        if not len(first):
            return
        table = self._fx()
        table.convert(str(first["c"].iloc[0]), self.currency, _as_date(first["d"].iloc[0]))
        for w in table.stale_warnings():
            if w not in self.ledger.warnings:
                self.ledger.warnings.append(w)

    def used_conversions(self, blocks: Sequence[Block]) -> list[FxConversion]:
        """Exactly the (currency, date) conversions the blocks' counted amounts use (lineage)."""
        prepared, _ = self._prepare(blocks)
        parts = []
        for p in prepared:
            for i, (text, group) in enumerate(p.groups):
                rows = self._amount_rows(p, i, text, group)
                parts.append(rows.select(c=rows.fx__cc, d=rows[DATE]).distinct())
        if not parts:
            return []
        frame = (parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=True)).execute()
        table = self._fx()
        out = []
        for ccy, day in sorted(
            {(str(c), _as_date(d)) for c, d in zip(frame["c"], frame["d"], strict=True) if not pd.isna(c)},
            key=lambda x: (x[1], x[0]),
        ):
            conversion = table.convert(ccy, self.currency, day)
            self.ledger.used[(ccy, day)] = conversion
            out.append(conversion)
        return out


def measure_value(
    t: ir.Table, m: Measure, resolve: Any, where: ir.Value | None, rate_col: str | None
) -> ir.Value:
    """One measure's aggregate over `t` (rows where `where` holds), as float64: money times the rate
    in `rate_col` row by row, or in the original currency without one (the daily rollups)."""
    if m.agg is Agg.COUNT and m.expr is None:
        return t.count(where=where).cast("float64")
    assert m.expr is not None
    row = compile_row(m.expr, resolve)
    if m.unit is Unit.MONEY and rate_col is not None:
        row = row.cast("float64") * t[rate_col]
    elif m.unit is Unit.MONEY or m.agg in (Agg.SUM, Agg.MAX, Agg.MIN, Agg.MEDIAN):
        row = row.cast("float64")
    return _reduce(row, m.agg, where).cast("float64")


def missing_count(t: ir.Table, m: Measure, resolve: Any, where: ir.Value | None) -> ir.Value:
    """Rows the measure counts that lack its required value."""
    assert m.require is not None
    lacking = compile_row(m.require, resolve).isnull()
    return t.count(where=lacking if where is None else (where & lacking))


def full_filters(group: Iterable[Measure]) -> dict[str, Node | None]:
    """Each measure's whole filter (see `amount_counted`)."""
    return {m.id: parse(m.filter).node if m.filter else None for m in group}


def _reduce(row: ir.Value, agg: Agg, where: ir.Value | None) -> ir.Value:
    if agg is Agg.SUM:
        return row.sum(where=where)
    if agg is Agg.COUNT:
        return row.count(where=where)
    if agg is Agg.COUNT_DISTINCT:
        return row.nunique(where=where)
    if agg is Agg.MAX:
        return row.max(where=where)
    if agg is Agg.MEDIAN:
        return row.median(where=where)
    return row.min(where=where)


def _conjuncts(text: str | None) -> list[Node]:
    if text is None:
        return []
    node = parse(text).node
    return list(node.args) if isinstance(node, BoolOp) and node.op == "and" else [node]


def _split_filters(measures: list[Measure]) -> tuple[list[Node], dict[str, Node | None]]:
    """The conjuncts every measure's filter shares, and what remains of each filter."""
    parts = {m.id: _conjuncts(m.filter) for m in measures}
    common_keys: set[str] | None = None
    for conj in parts.values():
        keys = {render(n) for n in conj}
        common_keys = keys if common_keys is None else (common_keys & keys)
    common_keys = common_keys or set()
    common: list[Node] = []
    residual: dict[str, Node | None] = {}
    for m in measures:
        rest = []
        for node in parts[m.id]:
            if render(node) in common_keys:
                if render(node) not in {render(c) for c in common}:
                    common.append(node)
            else:
                rest.append(node)
        residual[m.id] = None if not rest else rest[0] if len(rest) == 1 else BoolOp("and", tuple(rest))
    return common, residual


def amount_counted(t: ir.Table, group: list[Measure], residual: dict[str, Node | None]) -> ir.Value:
    """Rows where at least one of the group's measures has an amount to convert."""
    resolve = _resolver(t)
    cond = None
    for m in group:
        assert m.expr is not None
        c = compile_row(m.expr, resolve).notnull()
        node = residual.get(m.id)
        if node is not None:
            c = c & compile_node(node, resolve)
        cond = c if cond is None else (cond | c)
    assert cond is not None
    return cond


def _any_filter(t: ir.Table, measures: list[Measure]) -> ir.Value | None:
    """Rows at least one of the measures counts (None: every row)."""
    if any(m.filter is None for m in measures):
        return None
    resolve = _resolver(t)
    cond = None
    for m in measures:
        assert m.filter is not None
        c = compile_row(m.filter, resolve)
        cond = c if cond is None else (cond | c)
    return cond


def _column_total(frame: pd.DataFrame, col: str, how: str) -> float:
    if col not in frame.columns or not len(frame):
        return 0.0
    values = pd.to_numeric(frame[col], errors="coerce")
    result = values.sum() if how == "sum" else values.max()
    return 0.0 if pd.isna(result) else float(result)


def _as_date(value: Any) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "date") and callable(value.date) and not isinstance(value, date):
        return value.date()
    if isinstance(value, date) and hasattr(value, "hour"):
        return date(value.year, value.month, value.day)
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
