"""`KpiEngine`: request -> resolved request -> blocks of measures -> one query -> KPI arithmetic.

The query (Ibis; DuckDB or Spark) does everything that touches fact rows. What follows works on the
aggregated result only: filling "no rows" as 0 or null by the fact's rule, ratios and derived KPIs of
the scope's sums, growth against shifted buckets, null reasons and the provisional mark.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import ibis
import numpy as np
import pandas as pd

from tradewind.catalog import Catalog, DerivedKpi, GrowthKpi, PointInTimeKpi, RatioKpi, SimpleKpi
from tradewind.catalog.describe import formula_text
from tradewind.catalog.dimensions import COVERAGE_DIMENSIONS
from tradewind.catalog.expressions import parse
from tradewind.core.errors import QueryError
from tradewind.core.periods import Grain
from tradewind.engine.aggregate import (
    Aggregator,
    Block,
    FxLedger,
    missing_col,
    plan_blocks,
    unavailable_dim,
)
from tradewind.engine.buckets import bucket_key, key_period, python_key
from tradewind.engine.cache import QueryCache
from tradewind.engine.columns import Col, Reasons, binary, evaluate, floats
from tradewind.engine.fx import FxTable
from tradewind.engine.lineage import Explanation, SourceFile, SourceRow, as_text, part_of, rates_used
from tradewind.engine.request import EngineSettings, KpiRequest, ResolvedRequest, resolve
from tradewind.engine.result import KpiMeta, KpiResult
from tradewind.engine.rollup_columns import ROLLUP_DIMS, Rollup
from tradewind.engine.rollups import build_rollups, current_rollups
from tradewind.engine.sources import BUCKET, FactViews, Scope, dim_col

NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
MAX_SPAN_WARNINGS = 20


@dataclass
class Computed:
    """One evaluated scope: the aggregated frame and every measure/KPI column computed on it."""

    frame: pd.DataFrame
    cols: dict[str, Col] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)  # measure -> reason


class KpiEngine:
    def __init__(self, backend: Any, catalog: Catalog, settings: EngineSettings | None = None) -> None:
        self.backend = backend
        self.catalog = catalog
        self.settings = settings or EngineSettings()
        self._tables: frozenset[str] | None = None
        self._fx: FxTable | None = None
        self._cache = QueryCache(backend)
        self._rollups: dict[str, Rollup] = {}
        if self._cache.enabled and self.settings.duckdb_memory_limit is not None:
            self._cache.tune(self.settings.duckdb_memory_limit)

    # -- public -------------------------------------------------------------------------------------
    def run(self, request: KpiRequest) -> KpiResult:
        spec = resolve(request, self.catalog, self.settings)
        self._start_run()
        ledger = FxLedger()
        warnings: list[str] = []
        computed, keep = self._run_spec(spec, ledger, warnings)
        frame = self._output_frame(spec, computed, keep)
        for w in ledger.warnings:
            if w not in warnings:
                warnings.append(w)
        kpis = {k: KpiMeta(self.catalog.version(k), self.catalog.kpis[k].unit.value) for k in spec.kpis}
        self.last_ledger = ledger
        return KpiResult(
            currency=spec.currency,
            grain=spec.grain.value if spec.grain else None,
            dims=spec.dims,
            kpis=kpis,
            frame=frame,
            warnings=warnings,
        )

    def explain(
        self,
        kpi: str,
        *,
        period: str | None = None,
        where: Mapping[str, Any] | None = None,
        currency: str | None = None,
        rows: int = 0,
    ) -> Explanation:
        """The figure of one KPI for one scope, with what it is built from and the rows behind it."""
        spec = resolve(
            KpiRequest(kpis=(kpi,), period=period, where=dict(where or {}), currency=currency),
            self.catalog,
            self.settings,
        )
        self._start_run()
        ledger = FxLedger()
        warnings: list[str] = []
        computed, _ = self._run_spec(spec, ledger, warnings)
        for w in ledger.warnings:
            if w not in warnings:
                warnings.append(w)
        definition = self.catalog.kpis[kpi]
        main = part_of(self.catalog, kpi, computed.cols[kpi].values, computed.cols[kpi].reasons)
        parts = [
            part_of(self.catalog, n, computed.cols[n].values, computed.cols[n].reasons)
            for n in self.closure([kpi])
            if n != kpi and n in computed.cols
        ]
        explanation = Explanation(
            kpi=kpi,
            version=self.catalog.version(kpi),
            name_zh=definition.name.zh,
            name_en=definition.name.en,
            unit=definition.unit.value,
            formula=formula_text(self.catalog, kpi),
            rule_zh=definition.rule.zh,
            rule_en=definition.rule.en,
            period=spec.period.label if spec.period else None,
            where={k: list(v) for k, v in spec.where.items()},
            currency=spec.currency,
            value=main.value,
            null_reason=main.null_reason,
            parts=parts,
            warnings=warnings,
        )
        self._lineage(spec, computed, explanation, rows, ledger)
        return explanation

    def _start_run(self) -> None:
        """A fresh FX table per run (it remembers stale rates for this run's warnings); compiled queries
        and the rates read are kept while the data version holds. The rollups built from this version
        of the data are looked up once per run."""
        self._fx = None
        self._cache.refresh(self.tables())
        self._rollups = (
            current_rollups(self.backend.con, self.catalog, self._cache.version)
            if self._cache.enabled
            else {}
        )

    def build_rollups(self) -> list[Rollup]:
        """Rebuild the daily rollups from the facts as they are now (DuckDB only; elsewhere a no-op).
        Requests at marketplace or company level then read them instead of every fact row."""
        if not self._cache.enabled:
            return []
        self._cache.refresh(self.tables())
        built = build_rollups(
            self.backend, self.catalog, self.settings.calendar, self.tables(), self._cache.version
        )
        self._cache.clear()  # queries compiled on the facts make way for ones on the rollups
        return built

    def _lineage(
        self,
        spec: ResolvedRequest,
        computed: Computed,
        explanation: Explanation,
        limit: int,
        ledger: FxLedger,
    ) -> None:
        start = spec.period.start if spec.period else None
        end = spec.period.end if spec.period else None
        scope = self._scope(spec, start, end, None)
        aggregator = Aggregator(
            self.backend, self.catalog, scope, spec.currency, self.settings.fx_mode, ledger, self._fx_table
        )
        explanation.rates = rates_used(aggregator.used_conversions(computed.blocks))
        counts: list[tuple[str, str, int]] = []
        samples: list[tuple[str, str, int]] = []
        for block in computed.blocks:
            table = aggregator.counted_rows(block)
            if table is None:
                continue
            frame = table.group_by("import_id").aggregate(n=table.count()).order_by("import_id").execute()
            counts += [(block.fact, str(i), int(c)) for i, c in frame.itertuples(index=False, name=None)]
            if limit > 0:
                sample = (
                    table.select("import_id", "source_row")
                    .order_by(["import_id", "source_row"])
                    .limit(limit)
                    .execute()
                )
                samples += [
                    (block.fact, str(i), int(r)) for i, r in sample.itertuples(index=False, name=None)
                ]
            explanation.notes += self._vat_notes(block, table)
        ledger_rows = self._imports([i for _, i, _ in counts])
        for fact, import_id, n in counts:
            info = ledger_rows.get(import_id, {})
            explanation.files.append(
                SourceFile(
                    fact, import_id, info.get("file_name"), info.get("sha256"), info.get("imported_at"), n
                )
            )
        for fact, import_id, row in samples[: max(limit, 0)]:
            explanation.rows.append(
                SourceRow(fact, import_id, ledger_rows.get(import_id, {}).get("file_name"), row)
            )

    def _vat_notes(self, block: Block, table: Any) -> list[str]:
        """Say where VAT was derived from the standard-rate table (rows without an item-tax figure)."""
        fact = self.catalog.facts[block.fact]
        if "vat_derived" not in fact.columns or "tax_in_price" not in table.columns:
            return []
        from tradewind.engine.rowexpr import compile_row
        from tradewind.engine.sources import _resolver

        derived = table.filter(compile_row(fact.columns["vat_derived"], _resolver(table)))
        if "standard_vat_rate" not in derived.columns:
            return []
        frame = (
            derived.group_by(rate=derived.standard_vat_rate)
            .aggregate(n=derived.count())
            .order_by("rate")
            .execute()
        )
        notes = []
        for rate, n in frame.itertuples(index=False, name=None):
            notes.append(
                f"VAT derived for {int(n)} {block.fact.replace('_', ' ')} row{'s' if n != 1 else ''} without "
                f"an item-tax figure, at the ship-to country's standard rate {float(rate):.1%} (catalog vat_rates)"
            )
        return notes

    def _imports(self, import_ids: list[str]) -> dict[str, dict[str, str | None]]:
        if not import_ids or "imports" not in self.tables():
            return {}
        t = self.backend.table("imports")
        frame = (
            t.filter(t.import_id.isin(sorted(set(import_ids))))
            .select("import_id", "file_name", "sha256", "imported_at")
            .execute()
        )
        return {
            str(i): {"file_name": as_text(f), "sha256": as_text(h), "imported_at": as_text(at)}
            for i, f, h, at in frame.itertuples(index=False, name=None)
        }

    # -- planning -----------------------------------------------------------------------------------
    def closure(self, names: Iterable[str]) -> list[str]:
        """The KPIs and measures `names` need, dependencies first."""
        order: list[str] = []
        seen: set[str] = set()

        def visit(n: str) -> None:
            if n in seen:
                return
            seen.add(n)
            for dep in self.catalog.depends_on(n):
                visit(dep)
            order.append(n)

        for n in names:
            visit(n)
        return order

    def tables(self) -> frozenset[str]:
        """The tables the backend holds, of those the catalog reads (probed one by one: listing tables
        is not portable across backend versions)."""
        if self._tables is None:
            wanted = {
                *self.catalog.facts,
                self.catalog.product_dims.table,
                "fx_rates",
                "product_costs",
                "imports",
            }
            for fact in self.catalog.facts.values():
                wanted |= {lookup.source for lookup in fact.lookups.values()}
            present = set()
            for name in sorted(wanted):
                try:
                    self.backend.table(name)
                except Exception:
                    continue
                present.add(name)
            self._tables = frozenset(present)
        return self._tables

    def _scope(
        self, spec: ResolvedRequest, start: date | None, end: date | None, grain: Grain | None
    ) -> Scope:
        return Scope(
            grain=grain,
            dims=spec.dims,
            where=spec.where,
            start=start,
            end=end,
            calendar=self.settings.calendar,
            tables=self.tables(),
        )

    def _run_spec(
        self, spec: ResolvedRequest, ledger: FxLedger, warnings: list[str]
    ) -> tuple[Computed, tuple[date, date] | None]:
        order = self.closure(spec.kpis)
        growth = [k for k in order if isinstance(self.catalog.kpis.get(k), GrowthKpi)]
        start = spec.period.start if spec.period else None
        end = spec.period.end if spec.period else None
        query_start = start
        cal = self.settings.calendar
        if spec.grain is not None and growth and start is not None:
            first = cal.bucket(spec.grain, start)
            for g in growth:
                kind = self.catalog.kpis[g].compare  # type: ignore[union-attr]
                query_start = min(query_start or start, cal.compare(first, kind).start)
        scope = self._scope(spec, query_start, end, spec.grain)
        computed = self._compute(spec, order, scope, ledger, warnings)
        if spec.period is not None or start is not None:
            warnings.extend(self._span_warnings(spec, computed.blocks, start, end))
        for g in growth:
            computed.cols[g] = self._growth(spec, g, computed, ledger)
        keep = (start, end) if (start is not None and end is not None and query_start != start) else None
        return computed, keep

    # -- the query and its measures -----------------------------------------------------------------
    def _compute(
        self, spec: ResolvedRequest, order: list[str], scope: Scope, ledger: FxLedger, warnings: list[str]
    ) -> Computed:
        measures: list[str] = []
        for name in order:
            if name in self.catalog.measures:
                measures.append(name)
        blocks = plan_blocks(self.catalog, measures)
        usable: list[Block] = []
        excluded: dict[str, str] = {}
        split_dims = [*spec.dims, *spec.where]
        for block in blocks:
            dim = unavailable_dim(self.catalog, block, split_dims)
            if dim is None:
                usable.append(block)
                continue
            reason = f"{block.fact.replace('_', ' ')} cannot be split by {dim}"
            for m in block.measures:
                excluded[m] = reason
            affected = [k for k in spec.kpis if set(self.catalog.leaf_measures(k)) & set(block.measures)]
            if affected:
                text = f"{reason}: {', '.join(affected)} left empty"
                if text not in warnings:
                    warnings.append(text)
        aggregator = Aggregator(
            self.backend,
            self.catalog,
            scope,
            spec.currency,
            self.settings.fx_mode,
            ledger,
            self._fx_table,
            self._cache,
            self._rollups,
        )
        keys = aggregator.keys
        if usable:
            frame = aggregator.run(usable)
        else:
            frame = pd.DataFrame({k: [] for k in keys}) if keys else pd.DataFrame({"_none": [0]})
        frame = frame.reset_index(drop=True)
        if scope.grain is not None and len(frame):
            if scope.grain in (Grain.DAY, Grain.WEEK):
                frame[BUCKET] = pd.Series([_to_date(v) for v in frame[BUCKET]], dtype=object)
            else:
                frame[BUCKET] = frame[BUCKET].astype("int64")
        computed = Computed(frame=frame, blocks=usable, excluded=excluded)
        computed.cols.update(self._measure_cols(spec, scope, computed))
        # the measures live on as columns (`cols`); what follows reads only the row keys, so the frame
        # keeps those alone (a million-row board would otherwise hold every measure twice)
        computed.frame = frame = frame[[k for k in keys if k in frame.columns]]
        computed.cols["period_days"] = self._period_days(spec, scope, frame)
        for name in order:
            if name in self.catalog.kpis and not isinstance(self.catalog.kpis[name], GrowthKpi):
                computed.cols[name] = self._kpi_col(name, computed)
        return computed

    def _fx_table(self) -> FxTable:
        if self._fx is None:
            rows = self._cache.value(("fx_rates", self.settings.fx_mode), self._fx_rows)
            self._fx = FxTable(rows, self.settings.fx_mode)
        return self._fx

    def _fx_rows(self) -> list[tuple[str, date, str, str, float]]:
        rows: list[tuple[str, date, str, str, float]] = []
        if "fx_rates" in self.tables():
            t = self.backend.table("fx_rates")
            frame = t.filter(t.kind == self.settings.fx_mode).select(
                "kind", "rate_date", "base", "quote", "rate"
            )
            data = frame.execute()
            for kind, rate_date, base, quote, rate in data.itertuples(index=False, name=None):
                rows.append((kind, _to_date(rate_date), base, quote, float(rate)))
        return rows

    def _measure_cols(self, spec: ResolvedRequest, scope: Scope, computed: Computed) -> dict[str, Col]:
        frame = computed.frame
        n = len(frame)
        out: dict[str, Col] = {}
        for m, reason in computed.excluded.items():
            out[m] = Col(np.full(n, np.nan), Reasons.const(reason, n))
        coverage_keys = ([BUCKET] if scope.grain is not None else []) + [
            dim_col(d) for d in spec.dims if d in COVERAGE_DIMENSIONS
        ]
        groups: np.ndarray | None = None
        phrases: tuple[np.ndarray, list[str]] | None = None  # per row a scope, and its words
        for block in computed.blocks:
            fact = self.catalog.facts[block.fact]
            rows = floats(frame[block.rows_col]) if n else np.zeros(0)
            rows = np.where(np.isnan(rows), 0.0, rows)
            if coverage_keys and n:
                if groups is None:  # the coverage groups, numbered once for all blocks
                    groups = frame.groupby(coverage_keys, dropna=False, sort=False).ngroup().to_numpy()
                # a group is covered when any of its rows has fact rows (counts are never negative)
                covered = (np.bincount(groups, weights=(rows > 0).astype(float)) > 0)[groups]
            else:
                covered = np.full(n, bool(n and rows.max() > 0))
            for m in block.measures:
                values = floats(frame[m])
                measure = self.catalog.measures[m]
                null = np.isnan(values)
                fill = null & covered if fact.when_absent == "null" else null
                values = np.where(fill, 0.0, values)
                reasons = Reasons.none(n)
                if measure.require and missing_col(m) in frame:
                    lacking = np.nan_to_num(floats(frame[missing_col(m)]))
                    bad = np.flatnonzero(lacking > 0)
                    if len(bad):
                        values[bad] = np.nan
                        label = measure.require_label or f"a value for {measure.require}"
                        texts = [
                            f"{int(lacking[i])} {fact.name} {'row lacks' if int(lacking[i]) == 1 else 'rows lack'} "
                            f"{label}"
                            for i in bad
                        ]
                        reasons = Reasons.from_rows(n, bad, texts)
                still = np.isnan(values) & reasons.missing()
                if still.any():
                    if phrases is None:
                        phrases = self._scope_phrases(spec, scope, frame)
                    scopes, words = phrases
                    missing = Reasons(scopes, tuple(f"{fact.missing}{w}" for w in words))
                    reasons = reasons.take_from(still, missing)
                out[m] = Col(values, reasons)
        return out

    def _scope_phrases(
        self, spec: ResolvedRequest, scope: Scope, frame: pd.DataFrame
    ) -> tuple[np.ndarray, list[str]]:
        """Per row the number of its coverage scope, and per scope the words naming it (" for DE in
        2026-03"): worked out once per scope (a board has a million rows, a few hundred scopes)."""
        dims = [dim_col(d) for d in spec.dims if d in COVERAGE_DIMENSIONS]
        keys = dims + ([BUCKET] if scope.grain is not None else [])
        n = len(frame)
        if not keys:
            text = f" in {spec.period.label}" if spec.period is not None else ""
            return np.zeros(n, dtype=np.int32), [text]
        codes = frame.groupby(keys, dropna=False, sort=False).ngroup().to_numpy().astype(np.int32)
        firsts = pd.Series(np.arange(n)).groupby(codes).first().to_numpy()
        texts: list[str] = []
        for row in firsts:
            parts = [str(frame[d].iat[row]) for d in dims if not pd.isna(frame[d].iat[row])]
            text = f" for {' '.join(parts)}" if parts else ""
            if scope.grain is not None:
                text += f" in {key_period(frame[BUCKET].iat[row], scope.grain, scope.calendar).label}"
            elif spec.period is not None:
                text += f" in {spec.period.label}"
            texts.append(text)
        return codes, texts

    def _period_days(self, spec: ResolvedRequest, scope: Scope, frame: pd.DataFrame) -> Col:
        n = len(frame)
        today = self.settings.today_or_now

        def days(first: date, last: date) -> float:
            if scope.start is not None:
                first = max(first, scope.start)
            if scope.end is not None:
                last = min(last, scope.end)
            last = min(last, today)
            return float((last - first).days + 1) if last >= first else float("nan")

        if scope.grain is not None and n:
            grain = scope.grain
            table = {}
            for key in pd.unique(frame[BUCKET]):
                p = key_period(key, grain, scope.calendar)
                table[key] = days(p.start, p.end)
            values = frame[BUCKET].map(table).to_numpy(dtype="float64")
            return Col(values, Reasons.none(n).fill(np.isnan(values), "the bucket has not started yet"))
        if spec.period is not None:
            return Col.const(days(spec.period.start, spec.period.end), n)
        return Col(np.full(n, np.nan), Reasons.const("a per-day KPI needs a period or a time grain", n))

    # -- KPI arithmetic -----------------------------------------------------------------------------
    def _kpi_col(self, name: str, computed: Computed) -> Col:
        kpi = self.catalog.kpis[name]
        cols = computed.cols
        n = len(computed.frame)

        def get(ref: str) -> Col:
            if ref not in cols:
                raise QueryError(f"internal: {ref} was not computed before {name}")
            return cols[ref]

        if isinstance(kpi, SimpleKpi | PointInTimeKpi):
            return get(kpi.measure if isinstance(kpi.measure, str) else name)
        if isinstance(kpi, RatioKpi):
            return binary("/", get(kpi.numerator), get(kpi.denominator), kpi.denominator)
        if isinstance(kpi, DerivedKpi):
            return evaluate(parse(kpi.formula).node, get, n)
        raise QueryError(f"internal: cannot compute {name} here")

    # -- growth -------------------------------------------------------------------------------------
    def _growth(self, spec: ResolvedRequest, name: str, computed: Computed, ledger: FxLedger) -> Col:
        kpi = self.catalog.kpis[name]
        assert isinstance(kpi, GrowthKpi)
        base = computed.cols[kpi.base]
        frame = computed.frame
        n = len(frame)
        dim_keys = [dim_col(d) for d in spec.dims]
        cal = self.settings.calendar
        if spec.grain is not None:
            grain = spec.grain
            mapping: dict[Any, Any] = {}
            labels: dict[Any, str] = {}
            for key in pd.unique(frame[BUCKET]) if n else []:
                period = key_period(key, grain, cal)
                other = cal.compare(period, kpi.compare)
                mapping[key] = python_key(other.start, grain)
                labels[key] = other.label
            left = pd.DataFrame({"_cmp": frame[BUCKET].map(mapping)})
            for k in dim_keys:
                left[k] = frame[k].to_numpy()
            right = pd.DataFrame({"_cmp": frame[BUCKET].to_numpy()})
            for k in dim_keys:
                right[k] = frame[k].to_numpy()
            right["_v"] = base.values
            right["_r"] = base.reasons.objects()
            prev_label = frame[BUCKET].map(labels).to_numpy(dtype=object) if n else np.array([], dtype=object)
        else:
            if spec.period is None:
                reason = f"{name} needs a period or a time grain"
                return Col(np.full(n, np.nan), Reasons.const(reason, n))
            other = cal.compare(spec.period, kpi.compare)
            sub = ResolvedRequest(
                kpis=(kpi.base,),
                grain=None,
                dims=spec.dims,
                period=other,
                where=spec.where,
                currency=spec.currency,
            )
            order = self.closure([kpi.base])
            scope = self._scope(sub, other.start, other.end, None)
            other_computed = self._compute(sub, order, scope, ledger, [])
            left = pd.DataFrame({"_cmp": np.zeros(n)})
            for k in dim_keys:
                left[k] = frame[k].to_numpy()
            m = len(other_computed.frame)
            right = pd.DataFrame({"_cmp": np.zeros(m)})
            for k in dim_keys:
                right[k] = other_computed.frame[k].to_numpy()
            right["_v"] = other_computed.cols[kpi.base].values
            right["_r"] = other_computed.cols[kpi.base].reasons.objects()
            prev_label = np.full(n, other.label, dtype=object)
        merged = left.merge(right, how="left", on=["_cmp", *dim_keys], indicator=True)
        if len(merged) != n:
            raise QueryError("internal: growth comparison is not one-to-one")
        prev_v = merged["_v"].to_numpy(dtype="float64", na_value=np.nan)
        prev_r = merged["_r"].to_numpy(dtype=object)
        found = (merged["_merge"] == "both").to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            values = base.values / np.where(prev_v == 0, np.nan, prev_v) - 1
        texts: list[str] = []
        null_rows = np.flatnonzero(np.isnan(values))
        for i in null_rows:
            if np.isnan(base.values[i]):
                texts.append(base.reasons[int(i)] or f"{kpi.base} is empty")
            elif not found[i]:
                texts.append(f"no {kpi.base} in {prev_label[i]} to compare with")
            elif np.isnan(prev_v[i]):
                texts.append(f"{kpi.base} of {prev_label[i]}: {prev_r[i] or 'empty'}")
            else:
                texts.append(f"{kpi.base} was 0 in {prev_label[i]}")
        return Col(values, Reasons.from_rows(n, null_rows, texts))

    # -- range facts --------------------------------------------------------------------------------
    def _span_warnings(
        self, spec: ResolvedRequest, blocks: list[Block], start: date | None, end: date | None
    ) -> list[str]:
        out: list[str] = []
        grain = spec.grain
        cal = self.settings.calendar
        for fact_name in dict.fromkeys(b.fact for b in blocks):
            fact = self.catalog.facts[fact_name]
            if not fact.date_range or fact_name not in self.tables():
                continue
            if unavailable_dim(self.catalog, Block(fact_name, "plain", ()), spec.where):
                continue
            filters = tuple(sorted((k, tuple(v)) for k, v in spec.where.items()))
            # the rollup keeps every distinct range with its marketplace: far fewer rows to look through
            rollup = self._rollups.get(fact_name) if set(spec.where) <= ROLLUP_DIMS else None
            key = (
                "spans",
                fact_name,
                grain,
                filters,
                start,
                end,
                repr(cal),
                self.tables(),
                rollup.data_version if rollup else None,
            )
            query = self._cache.compiled(key)
            if query is not None:
                rows = self._cache.run(query)
            else:
                query_expr = self._span_query(spec, fact_name, grain, start, end, rollup)
                rows = self._cache.compile_and_run(key, query_expr)
            label = fact_name.replace("_", " ")
            for mk, f_value, l_value in rows.itertuples(index=False, name=None):
                f_day, l_day = _to_date(f_value), _to_date(l_value)
                where = f"{label} for {mk} " if isinstance(mk, str) else f"{label} "
                span = f"{f_day.isoformat()}..{l_day.isoformat()}"
                if grain is not None and cal.bucket_start(grain, f_day) != cal.bucket_start(grain, l_day):
                    count = len(cal.buckets(grain, f_day, l_day))
                    word = NUMBER_WORDS.get(count, str(count))
                    out.append(f"{where}{span} spans {word} {grain.value}s: not counted")
                else:
                    period_label = spec.period.label if spec.period else ""
                    out.append(f"{where}{span} extends beyond {period_label}: not counted")
        return out

    def _span_query(
        self,
        spec: ResolvedRequest,
        fact_name: str,
        grain: Grain | None,
        start: date | None,
        end: date | None,
        rollup: Rollup | None,
    ) -> Any:
        """Distinct (marketplace, first, last) of range facts not inside one bucket of the period (read
        from the fact's rollup when there is one: it holds every range with its marketplace)."""
        fact = self.catalog.facts[fact_name]
        assert fact.date_range is not None
        first, last = fact.date_range
        cal = self.settings.calendar
        scope = Scope(None, (), spec.where, None, None, cal, self.tables())
        t = FactViews(self.backend, self.catalog, scope).view(
            fact_name, [], scoped=False, bucketed=False, table=rollup.table if rollup else None
        )
        for dim, values in spec.where.items():
            t = t.filter(t[dim_col(dim)].isin(list(values)))
        if start is not None:
            t = t.filter(t[last] >= start)
        if end is not None:
            t = t.filter(t[first] <= end)
        outside = ibis.literal(False)
        if start is not None:
            outside = outside | (t[first] < start)
        if end is not None:
            outside = outside | (t[last] > end)
        if grain is not None:
            outside = outside | (bucket_key(t[first], grain, cal) != bucket_key(t[last], grain, cal))
        return (
            t.filter(outside)
            .select(mk=t.marketplace, f=t[first].cast("date"), l=t[last].cast("date"))
            .distinct()
            .order_by(["f", "l", "mk"])
            .limit(MAX_SPAN_WARNINGS)
        )

    # -- output -------------------------------------------------------------------------------------
    def _output_frame(
        self, spec: ResolvedRequest, computed: Computed, keep: tuple[date, date] | None
    ) -> pd.DataFrame:
        """Result rows as a frame: period label, dimensions, KPI values, and per KPI a `_reason__<id>`
        column (the null reasons; `KpiResult` turns them into `_null_reasons` only when rows are asked).
        Built column by column from arrays in one go (rows arrive sorted from the database)."""
        frame = computed.frame
        n = len(frame)
        cal = self.settings.calendar
        provisional_from = self.settings.today_or_now - timedelta(days=self.settings.provisional_days)
        columns: dict[str, Any] = {}
        mask = np.ones(n, dtype=bool)
        if spec.grain is not None:
            grain = spec.grain
            periods = {key: key_period(key, grain, cal) for key in pd.unique(frame[BUCKET])} if n else {}
            buckets = frame[BUCKET] if n else pd.Series([], dtype=object)
            ends = buckets.map({k: p.end for k, p in periods.items()})
            starts = buckets.map({k: p.start for k, p in periods.items()})
            columns["period"] = buckets.map({k: p.label for k, p in periods.items()}).to_numpy(dtype=object)
            provisional = (ends >= provisional_from).to_numpy(dtype=bool) if n else np.zeros(0, dtype=bool)
            if keep is not None and n:
                mask = ((ends >= keep[0]) & (starts <= keep[1])).to_numpy(dtype=bool)
        else:
            provisional = np.full(n, spec.period is not None and spec.period.end >= provisional_from)
        for d in spec.dims:
            values = _object_values(frame[dim_col(d)]) if n else np.array([], dtype=object)
            columns[d] = values
        for k in spec.kpis:
            columns[k] = computed.cols[k].values
        columns["_provisional"] = provisional
        for k in spec.kpis:
            if np.isnan(computed.cols[k].values).any():  # reasons only where some value is null
                columns[f"_reason__{k}"] = computed.cols[k].reasons.categorical()
        index = None if mask.all() else np.flatnonzero(mask)  # rows come ordered from the database
        return pd.DataFrame(
            {
                name: pd.Series(
                    values if index is None else values[index],
                    dtype=object if values.dtype == object else values.dtype,
                    copy=False,
                )
                for name, values in columns.items()
            },
            copy=False,  # one block per column: consolidating would copy the whole board once more
        )


def _object_values(series: pd.Series) -> np.ndarray:
    """`series.to_numpy(dtype=object)`, but with one Python string per distinct value instead of one per
    row: a board's SKU column has a million rows and five thousand SKUs."""
    if series.dtype == object:
        return series.to_numpy(dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = np.asarray(uniques, dtype=object)
    table[-1] = pd.Series([None], dtype=series.dtype).to_numpy(dtype=object)[0]  # the dtype's null
    return table[codes]


def _to_date(value: Any) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if hasattr(value, "date"):
        return value.date()
    return date.fromisoformat(str(value)[:10])
