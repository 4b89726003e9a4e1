"""Every reference resolves: KPIs to KPIs or measures, measures to facts, lookups to facts."""

from __future__ import annotations

from tradewind.catalog.expressions import ExpressionError, parse
from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import Draft
from tradewind.catalog.models import BUILTINS, DerivedKpi, GrowthKpi, PointInTimeKpi, RatioKpi, SimpleKpi
from tradewind.catalog.rules._common import issue, kpi_label, measure_field


def check_references(draft: Draft) -> list[Issue]:
    out = []
    known = set(draft.kpis) | set(draft.measures)

    def ref(owner: str, label: str, field: str, target: str) -> None:
        if target not in known:
            out.append(issue(draft, owner, f"{field}: unknown KPI or measure {target!r}", label, field))

    for kpi in draft.kpis.values():
        label = kpi_label(kpi)
        if isinstance(kpi, SimpleKpi | PointInTimeKpi) and isinstance(kpi.measure, str):
            if kpi.measure not in draft.measures:
                out.append(
                    issue(draft, kpi.id, f"measure: unknown measure {kpi.measure!r}", label, "measure")
                )
        elif isinstance(kpi, RatioKpi):
            ref(kpi.id, label, "numerator", kpi.numerator)
            ref(kpi.id, label, "denominator", kpi.denominator)
        elif isinstance(kpi, DerivedKpi):
            try:
                names = parse(kpi.formula).names()
            except ExpressionError:
                continue  # reported by check_expressions
            for name in sorted(names - set(BUILTINS)):
                ref(kpi.id, label, "formula", name)
        elif isinstance(kpi, GrowthKpi) and kpi.base not in draft.kpis:
            out.append(issue(draft, kpi.id, f"base: unknown KPI {kpi.base!r}", label, "base"))
    for ident, measure in draft.measures.items():
        label = f"kpi {ident!r}" if ident in draft.kpis else f"measure {ident!r}"
        if measure.fact not in draft.facts:
            out.append(
                issue(
                    draft,
                    ident,
                    f"fact: unknown fact {measure.fact!r}",
                    label,
                    measure_field(draft, ident, "fact"),
                )
            )
        if measure.window and measure.window.fact not in draft.facts:
            out.append(issue(draft, ident, f"window.fact: unknown fact {measure.window.fact!r}", label))
        elif measure.window and not draft.facts[measure.window.fact].snapshot:
            out.append(
                issue(draft, ident, f"window.fact: {measure.window.fact!r} is not a snapshot fact", label)
            )
        if measure.snapshot and measure.fact in draft.facts and not draft.facts[measure.fact].snapshot:
            out.append(
                issue(
                    draft,
                    ident,
                    f"point-in-time measure on {measure.fact!r}, which is not a snapshot fact",
                    label,
                )
            )
    for name, fact in draft.facts.items():
        for lname, lookup in fact.lookups.items():
            # a unit price is aggregated from a catalog fact; an effective-dated value from any table
            source_known = (
                lookup.source in draft.facts or lookup.source in draft.fact_columns or not draft.fact_columns
            )
            if (lookup.kind == "unit_price" and lookup.source not in draft.facts) or not source_known:
                message = f"lookups.{lname}.source: unknown fact {lookup.source!r}"
                out.append(issue(draft, f"fact:{name}", message, f"fact {name!r}", f"lookups.{lname}.source"))
        if fact.activity and fact.activity.sales_fact not in draft.facts:
            out.append(
                issue(
                    draft,
                    f"fact:{name}",
                    f"activity.sales_fact: unknown fact {fact.activity.sales_fact!r}",
                    f"fact {name!r}",
                )
            )
    return out
