"""A fact table made ready for aggregation: filtered to the scope, with the catalog's virtual columns,
look-ups, the standard VAT rate, the SKU activity flag, dimension columns (`d__<dim>`), the fact date
(`t__date`), the currency (`c__`) and the time bucket (`b__`).

Only what the requested measures name is built, so a gmv query never pays for the cost look-up join.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from tradewind.catalog import Catalog, FactDef
from tradewind.catalog.expressions import parse
from tradewind.catalog.models import EffectiveDatedLookup, UnitPriceLookup
from tradewind.core.errors import QueryError
from tradewind.core.marketplaces import MARKETPLACES
from tradewind.core.periods import Calendar, Grain
from tradewind.engine.buckets import bucket_key
from tradewind.engine.rowexpr import compile_row

BUCKET = "b__"
DATE = "t__date"
CURRENCY = "c__"


def dim_col(dim: str) -> str:
    return f"d__{dim}"


@dataclass(frozen=True)
class Scope:
    """What every fact of one query is cut to."""

    grain: Grain | None
    dims: tuple[str, ...]
    where: Mapping[str, tuple[str, ...]]
    start: date | None
    end: date | None
    calendar: Calendar
    tables: frozenset[str] = field(default_factory=frozenset)


def _marketplace_case(column: ir.Value, values: Mapping[str, str]) -> ir.Value:
    return column.cases(*values.items(), else_=ibis.null())


def marketplace_currency(column: ir.Value) -> ir.Value:
    return _marketplace_case(column, {m.code: m.currency for m in MARKETPLACES.values()})


def marketplace_region(column: ir.Value) -> ir.Value:
    return _marketplace_case(column, {m.code: m.region.value for m in MARKETPLACES.values()})


def marketplace_country(column: ir.Value) -> ir.Value:
    return _marketplace_case(column, {m.code: m.country for m in MARKETPLACES.values()})


def names_needed(fact: FactDef, texts: Iterable[str | None]) -> set[str]:
    """Names the expressions use, closed over the fact's virtual columns."""
    names: set[str] = set()
    for text in texts:
        if text:
            names |= parse(text).names()
    changed = True
    while changed:
        changed = False
        for vname, vtext in fact.columns.items():
            if vname in names:
                extra = parse(vtext).names() - names
                if extra:
                    names |= extra
                    changed = True
    if fact.vat_country and "standard_vat_rate" in names:
        names |= parse(fact.vat_country).names() | {"marketplace"}
    for lname, lookup in fact.lookups.items():  # a fallback needs the look-up it stands in for
        needed = lname in names or f"{lname}_currency" in names
        if isinstance(lookup, UnitPriceLookup) and lookup.fallback_for and needed:
            names.add(lookup.fallback_for)
    return names


class FactViews:
    """Builds fact views for one query; remembers the backend, catalog and scope."""

    def __init__(self, backend: Any, catalog: Catalog, scope: Scope) -> None:
        self.backend = backend
        self.catalog = catalog
        self.scope = scope
        self._views: dict[tuple[Any, ...], ir.Table] = {}
        self._vat: ir.Table | None = None

    def exists(self, table: str) -> bool:
        return table in self.scope.tables

    def raw(self, table: str) -> ir.Table:
        return self.backend.table(table)

    # -- the view -----------------------------------------------------------------------------------
    def view(
        self,
        fact_name: str,
        texts: Iterable[str | None],
        *,
        scoped: bool = True,
        date_from: date | None = None,
        with_dims: bool = True,
        bucketed: bool = True,
        extra: Iterable[str] = (),
        table: str | None = None,
    ) -> ir.Table:
        """The fact with every name `texts` use available as a column.

        scoped: cut to the query's period and filters (look-up sources are not: a return's order may be
        older than the period). date_from: an earlier start (trailing windows need the days before).
        table: read this table in the fact's place (its rollup, which has the fact's key columns).
        Identical requests return the identical expression, which Ibis compiles once (a CTE).
        """
        present: list[str] = [t for t in texts if t]
        key = (
            fact_name,
            tuple(sorted(set(present))),
            scoped,
            date_from,
            with_dims,
            bucketed,
            tuple(sorted(extra)),
            table,
        )
        if key not in self._views:
            self._views[key] = self._build(
                fact_name, present, scoped, date_from, with_dims, bucketed, extra, table=table
            )
        return self._views[key]

    def _build(
        self,
        fact_name: str,
        texts: list[str],
        scoped: bool,
        date_from: date | None,
        with_dims: bool,
        bucketed: bool,
        extra: Iterable[str],
        semi: tuple[ir.Table, tuple[str, ...], bool] | None = None,
        table: str | None = None,
    ) -> ir.Table:
        fact = self.catalog.facts[fact_name]
        needed = names_needed(fact, texts) | set(extra)
        dims = with_dims or scoped
        t = self.raw(table or fact_name)
        if scoped:
            t = self._cut_dates(t, fact, date_from)
        # one projection for everything that comes from the row itself
        day = t[fact.date_column].cast("date")
        cols: dict[str, ir.Value] = {c: t[c] for c in self._columns_to_keep(t, fact, needed, dims)}
        cols[DATE] = day
        if fact.currency:
            cur = t[fact.currency] if fact.currency in t.columns else ibis.null().cast("string")
            cols[CURRENCY] = ibis.coalesce(cur, marketplace_currency(t.marketplace))
        if fact.vat_country and "standard_vat_rate" in needed:
            country = ibis.coalesce(
                compile_row(fact.vat_country, _resolver(t)).upper().nullif(""),
                marketplace_country(t.marketplace),
            )
            cols["vat__country"] = country.cases(("UK", "GB"), else_=country)
        if bucketed and self.scope.grain is not None:
            cols[BUCKET] = bucket_key(day, self.scope.grain, self.scope.calendar)
        wanted = (
            list(dict.fromkeys([*self.scope.dims, *self.scope.where]))
            if with_dims
            else list(self.scope.where)
        )
        if dims:
            for d in wanted:
                if d in fact.dims:
                    cols[dim_col(d)] = compile_row(fact.dims[d], _resolver(t)).cast("string")
                elif d == "region":
                    cols[dim_col(d)] = marketplace_region(t.marketplace)
        t = t.select(**cols)
        if semi is not None:
            # keep only rows some row of the asking view can match, before any join or expression
            keys, match, same_month = semi
            preds = [t[m] == keys[f"sj__{m}"] for m in match]
            if same_month:
                preds.append((t[DATE].year() * 12 + t[DATE].month()) == keys.sj__month)
            t = t.semi_join(keys, preds)
        if dims:
            t = self._product_dims(t, fact, wanted)
            if scoped:
                for dim, values in self.scope.where.items():
                    t = t.filter(t[dim_col(dim)].isin(list(values)))
        if "vat__country" in t.columns:
            t = self._vat_rate(t)
        base = t  # the keys look-ups need come from here, not from a table already joined
        prices: dict[str, ir.Table] = {}  # unit-price look-ups made so far, for their fallbacks
        for lname, lookup in fact.lookups.items():
            if lname in needed or f"{lname}_currency" in needed:
                t = self._lookup(t, base, lname, lookup, prices)
        if fact.activity and "active" in needed:
            t = self._activity(t, fact)
        pending = {v: x for v, x in fact.columns.items() if v in needed}
        while pending:
            # columns that only use what exists go in one projection; the rest wait for the next
            ready = {v: x for v, x in pending.items() if not (parse(x).names() & set(pending))}
            if not ready:
                raise QueryError(f"the virtual columns of {fact_name} refer to each other in a circle")
            resolve = _resolver(t)
            t = t.mutate(**{v: compile_row(x, resolve) for v, x in ready.items()})
            pending = {v: x for v, x in pending.items() if v not in ready}
        return t

    def _product_dims(self, t: ir.Table, fact: FactDef, wanted: list[str]) -> ir.Table:
        product = self.catalog.product_dims
        from_products = [d for d in wanted if d not in fact.dims and d in product.dims and d != "region"]
        if not from_products:
            return t
        if not self.exists(product.table):
            return t.mutate(**{dim_col(d): ibis.null().cast("string") for d in from_products})
        p = self.raw(product.table)
        cols = {f"p__{d}": p[product.dims[d]].cast("string") for d in from_products}
        p = p.select(*[p[m].name(f"pk__{m}") for m in product.match], **cols).distinct(
            on=[f"pk__{m}" for m in product.match], keep="first"
        )
        joined = t.left_join(p, [t[m] == p[f"pk__{m}"] for m in product.match])
        names = [c for c in joined.columns if not c.startswith(("pk__", "p__"))]
        return joined.select(*names, **{dim_col(d): joined[f"p__{d}"] for d in from_products})

    def _columns_to_keep(self, t: ir.Table, fact: FactDef, needed: set[str], dims: bool) -> list[str]:
        """Only the columns this view uses (smaller queries to compile and to scan)."""
        names = set(needed) | {"account_id", "marketplace", "import_id", "source_row", fact.date_column}
        names |= set(fact.date_range or ())
        if fact.currency:
            names |= parse(fact.currency).names()
        if dims:
            for dim in [*self.scope.dims, *self.scope.where]:
                if dim in fact.dims:
                    names |= parse(fact.dims[dim]).names()
            names |= set(self.catalog.product_dims.match)
        for lname, lookup in fact.lookups.items():
            if lname in needed or f"{lname}_currency" in needed:
                names |= set(lookup.match)
        if fact.activity and "active" in needed:
            names |= set(fact.activity.match) | parse(fact.activity.stock).names()
        return [c for c in t.columns if c in names]

    def _cut_dates(self, t: ir.Table, fact: FactDef, date_from: date | None) -> ir.Table:
        start = date_from or self.scope.start
        end = self.scope.end
        if fact.date_range:
            first, last = fact.date_range
            # a range fact counts only inside one bucket and inside the period (never prorated)
            if start is not None:
                t = t.filter(t[first] >= start)
            if end is not None:
                t = t.filter(t[last] <= end)
            if self.scope.grain is not None:
                grain, cal = self.scope.grain, self.scope.calendar
                t = t.filter(bucket_key(t[first], grain, cal) == bucket_key(t[last], grain, cal))
            return t
        col = t[fact.date_column]
        if start is not None:
            t = t.filter(col >= start)
        if end is not None:
            t = t.filter(col <= end)
        return t

    def _vat_rate(self, t: ir.Table) -> ir.Table:
        """`standard_vat_rate`: the standard rate of `vat__country` on the row's date, from the dated
        catalog table joined as a small table (0 where the country has none: exports are zero-rated)."""
        if self._vat is None:
            rows: list[tuple[str, date, date, float]] = []
            by_country: dict[str, list[tuple[date, float]]] = {}
            for r in self.catalog.vat_rates:
                by_country.setdefault(r.country, []).append((date.fromisoformat(r.valid_from), r.rate))
            for country, periods in by_country.items():
                periods.sort()
                for i, (valid_from, rate) in enumerate(periods):
                    valid_to = periods[i + 1][0] if i + 1 < len(periods) else date(9999, 12, 31)
                    rows.append((country, valid_from, valid_to, rate))
            frame = pd.DataFrame(rows, columns=["vat__c", "vat__from", "vat__to", "vat__rate"])
            schema = ibis.schema(
                {"vat__c": "string", "vat__from": "date", "vat__to": "date", "vat__rate": "float64"}
            )
            self._vat = ibis.memtable(frame, schema=schema)
        vat = self._vat.view()
        joined = t.left_join(
            vat, [t.vat__country == vat.vat__c, t[DATE] >= vat.vat__from, t[DATE] < vat.vat__to]
        )
        joined = joined.mutate(
            standard_vat_rate=ibis.coalesce(joined.vat__rate, ibis.literal(0.0, "float64"))
        )
        return joined.drop("vat__c", "vat__from", "vat__to", "vat__rate", "vat__country")

    def _lookup(
        self, t: ir.Table, base: ir.Table, name: str, lookup: Any, prices: dict[str, ir.Table]
    ) -> ir.Table:
        if not self.exists(lookup.source):
            return t.mutate(
                **{name: ibis.null().cast("float64"), f"{name}_currency": ibis.null().cast("string")}
            )
        if isinstance(lookup, UnitPriceLookup):
            return self._unit_price(t, base, name, lookup, prices)
        if isinstance(lookup, EffectiveDatedLookup):
            return self._effective_dated(t, name, lookup)
        raise QueryError(f"unknown look-up kind for {name}")

    def _unit_price(
        self, t: ir.Table, base: ir.Table, name: str, lookup: UnitPriceLookup, prices: dict[str, ir.Table]
    ) -> ir.Table:
        # only the source rows some row of this view can match: a few returns need not price every order
        # (and a fallback only the rows its first choice left without a price: the same priced table
        # both joins, so it is worked out once)
        asking = base
        first = prices.get(lookup.fallback_for) if lookup.fallback_for else None
        if first is not None:
            priced = first.filter(first[lookup.fallback_for].notnull())
            asking = base.anti_join(priced, _price_keys_match(base, priced))
        wanted_cols = {f"sj__{m}": asking[m] for m in lookup.match}
        if lookup.same_month:
            wanted_cols["sj__month"] = asking[DATE].year() * 12 + asking[DATE].month()
        wanted = asking.select(**wanted_cols).distinct()
        src = self._build(
            lookup.source,
            [e for e in (lookup.amount, lookup.quantity, lookup.filter, lookup.currency) if e],
            scoped=False,
            date_from=None,
            with_dims=False,
            bucketed=False,
            extra=lookup.match,
            semi=(wanted, lookup.match, lookup.same_month),
        )
        if lookup.filter:
            src = src.filter(compile_row(lookup.filter, _resolver(src)))
        keys = {f"lk__{m}": src[m] for m in lookup.match}
        if lookup.same_month:
            keys["lk__month"] = src[DATE].year() * 12 + src[DATE].month()
        currency = src[CURRENCY] if CURRENCY in src.columns else compile_row(lookup.currency, _resolver(src))
        agg = src.group_by(**keys).aggregate(
            lk__amount=compile_row(lookup.amount, _resolver(src)).cast("float64").sum(),
            lk__qty=compile_row(lookup.quantity, _resolver(src)).cast("float64").sum(),
            lk__ccy=currency.max(),
        )
        agg = agg.mutate(
            **{name: agg.lk__amount / agg.lk__qty.nullif(0), f"{name}_currency": agg.lk__ccy}
        ).drop("lk__amount", "lk__qty", "lk__ccy")
        prices[name] = agg
        joined = t.left_join(agg, _price_keys_match(t, agg))
        return joined.drop(*[c for c in joined.columns if c.startswith("lk__")])

    def _effective_dated(self, t: ir.Table, name: str, lookup: EffectiveDatedLookup) -> ir.Table:
        src = self.raw(lookup.source)
        window = ibis.window(group_by=[src[m] for m in lookup.match], order_by=src[lookup.effective_from])
        src = src.select(
            *[src[m].name(f"lk__{m}") for m in lookup.match],
            lk__from=src[lookup.effective_from].cast("date"),
            lk__to=src[lookup.effective_from].cast("date").lead().over(window),
            **{name: src[lookup.value].cast("float64"), f"{name}_currency": src[lookup.currency]},
        )
        preds = [t[m] == src[f"lk__{m}"] for m in lookup.match]
        preds += [t[DATE] >= src.lk__from, src.lk__to.isnull() | (t[DATE] < src.lk__to)]
        joined = t.left_join(src, preds)
        return joined.drop(*[c for c in joined.columns if c.startswith("lk__")])

    def _activity(self, t: ir.Table, fact: FactDef) -> ir.Table:
        """`active`: stock on the snapshot, or stock or sales in the `days` days before it."""
        act = fact.activity
        assert act is not None
        days = act.days
        snaps_all = self.raw(fact.name)
        stock = compile_row(act.stock, _resolver(snaps_all))
        start = self.scope.start - timedelta(days=days) if self.scope.start else None
        stock_events = snaps_all.filter(stock > 0)
        if start is not None:
            stock_events = stock_events.filter(snaps_all[fact.date_column] >= start)
        stock_events = stock_events.select(
            *[_nullable(stock_events[m]).name(f"ev__{m}") for m in act.match],
            ev__day=_nullable(stock_events[fact.date_column].cast("date")),
        )
        events = stock_events
        if self.exists(act.sales_fact):
            sales_fact = self.catalog.facts[act.sales_fact]
            sales = self.raw(act.sales_fact)
            cond = compile_row(act.sales, _resolver(sales)) > 0
            if act.sales_filter:
                cond = cond & compile_row(act.sales_filter, _resolver(sales))
            sales = sales.filter(cond)
            if start is not None:
                sales = sales.filter(sales[sales_fact.date_column] >= start)
            sales = sales.select(
                *[_nullable(sales[m]).name(f"ev__{m}") for m in act.match],
                ev__day=_nullable(sales[sales_fact.date_column].cast("date")),
            )
            events = events.union(sales, distinct=False)
        events = events.distinct()
        anchors = t.select(*[t[m].name(f"an__{m}") for m in act.match], an__day=t[DATE]).distinct()
        active = anchors.join(
            events,
            [anchors[f"an__{m}"] == events[f"ev__{m}"] for m in act.match]
            + [
                events.ev__day >= anchors.an__day - ibis.interval(days=days),
                events.ev__day < anchors.an__day,
            ],
        )
        active = active.select(*[active[f"an__{m}"] for m in act.match], active.an__day).distinct()
        active = active.mutate(an__active=ibis.literal(True))
        joined = t.left_join(
            active, [t[m] == active[f"an__{m}"] for m in act.match] + [t[DATE] == active.an__day]
        )
        own_stock = compile_row(act.stock, _resolver(joined)) > 0
        joined = joined.mutate(active=own_stock | joined.an__active.notnull())
        return joined.drop(*[c for c in joined.columns if c.startswith("an__")])


def _nullable(value: ir.Value) -> ir.Value:
    """The same value typed nullable (set operations need equal schemas, NOT NULL included)."""
    return value.cast(value.type().copy(nullable=True))


def _price_keys_match(t: ir.Table, priced: ir.Table) -> list[ir.Value]:
    """A row of `t` against a unit-price table's keys (`lk__<column>`, and `lk__month` for a price of
    the row's month)."""
    preds = []
    for key in (c for c in priced.columns if c.startswith("lk__")):
        column = key[len("lk__") :]
        mine = t[DATE].year() * 12 + t[DATE].month() if column == "month" else t[column]
        preds.append(mine == priced[key])
    return preds


def _resolver(t: ir.Table) -> Any:
    columns = set(t.columns)

    def resolve(name: str) -> ir.Value:
        if name not in columns:
            raise QueryError(f"the catalog names a column {name!r} that the table does not have")
        return t[name]

    return resolve
