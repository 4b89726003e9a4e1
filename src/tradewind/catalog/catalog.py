"""`Catalog`: the loaded, validated set of facts, measures and KPIs, with versions and dependencies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from tradewind.catalog.expressions import parse
from tradewind.catalog.models import (
    BUILTINS,
    AnyKpi,
    DerivedKpi,
    FactDef,
    GrowthKpi,
    Measure,
    PointInTimeKpi,
    RatioKpi,
    SimpleKpi,
    VatRate,
)
from tradewind.catalog.versioning import formula_hash, kpi_formula_part, measure_formula_part


@dataclass(frozen=True)
class ProductDims:
    """Dimensions that come from the seller's product table, joined on `match` columns."""

    table: str
    match: tuple[str, ...]
    dims: Mapping[str, str]


@dataclass(frozen=True)
class Catalog:
    facts: Mapping[str, FactDef]
    measures: Mapping[str, Measure]
    kpis: Mapping[str, AnyKpi]
    product_dims: ProductDims
    vat_rates: tuple[VatRate, ...] = ()
    _versions: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    # -- look-ups -----------------------------------------------------------------------------------
    def kpi(self, kpi_id: str) -> AnyKpi | None:
        return self.kpis.get(kpi_id)

    def ids(self) -> tuple[str, ...]:
        return tuple(self.kpis)

    def depends_on(self, name: str) -> tuple[str, ...]:
        """Direct dependencies of a KPI or measure (KPI and measure ids, in formula order)."""
        kpi = self.kpis.get(name)
        if kpi is None:
            return ()
        if isinstance(kpi, SimpleKpi | PointInTimeKpi):
            return (kpi.measure,) if isinstance(kpi.measure, str) else ()
        if isinstance(kpi, RatioKpi):
            return (kpi.numerator, kpi.denominator)
        if isinstance(kpi, DerivedKpi):
            return tuple(sorted(n for n in parse(kpi.formula).names() if n not in BUILTINS))
        if isinstance(kpi, GrowthKpi):
            return (kpi.base,)
        raise TypeError(kpi)

    def measure_of(self, kpi_id: str) -> Measure | None:
        """The measure a simple or point-in-time KPI reads."""
        kpi = self.kpis.get(kpi_id)
        if isinstance(kpi, SimpleKpi | PointInTimeKpi):
            return self.measures[kpi.measure] if isinstance(kpi.measure, str) else None
        return None

    def leaf_measures(self, name: str) -> tuple[str, ...]:
        """Every measure `name` reads, through any depth of KPIs."""
        out: list[str] = []
        seen: set[str] = set()

        def walk(n: str) -> None:
            if n in seen:
                return
            seen.add(n)
            if n in self.measures and n not in self.kpis:
                out.append(n)
                return
            for dep in self.depends_on(n):
                walk(dep)
            if n in self.measures:
                out.append(n)

        walk(name)
        return tuple(dict.fromkeys(out))

    def facts_read(self, name: str) -> tuple[str, ...]:
        """Every fact a KPI or measure reads: its measures' facts, and the facts their look-ups,
        activity flags and trailing windows read."""
        facts: list[str] = []
        for m in self.leaf_measures(name):
            measure = self.measures[m]
            facts.append(measure.fact)
            if measure.window:
                facts.append(measure.window.fact)
            fact = self.facts.get(measure.fact)
            if fact is None:
                continue
            names: set[str] = set()
            for text in (measure.expr, measure.filter, measure.currency, measure.require):
                if text:
                    names |= parse(text).names()
            for vname, vtext in fact.columns.items():
                if vname in names:
                    names |= parse(vtext).names()
            for lname, lookup in fact.lookups.items():
                if lname in names or f"{lname}_currency" in names:
                    facts.append(lookup.source)
            if fact.activity and "active" in names:
                facts.append(fact.activity.sales_fact)
        return tuple(dict.fromkeys(facts))

    # -- versions -----------------------------------------------------------------------------------
    @cached_property
    def _hashes(self) -> dict[str, str]:
        hashes: dict[str, str] = {}

        def of(n: str) -> str:
            if n in hashes:
                return hashes[n]
            if n in self.kpis:
                part = kpi_formula_part(self.kpis[n], self.measures, self.facts, of)
            else:
                part = measure_formula_part(self.measures[n], self.facts)
            hashes[n] = formula_hash(part)
            return hashes[n]

        for n in [*self.measures, *self.kpis]:
            of(n)
        return hashes

    def version(self, name: str) -> str:
        """`gmv@3f2a9c1`: the id and a short hash of the formula part (wording excluded)."""
        return f"{name}@{self._hashes[name]}"
