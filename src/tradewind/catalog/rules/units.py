"""Units that make sense for the computation: growth is a ratio, money is summed, counts are counted."""

from __future__ import annotations

from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import Draft
from tradewind.catalog.models import Agg, GrowthKpi, Unit
from tradewind.catalog.rules._common import issue


def check_units(draft: Draft) -> list[Issue]:
    out = []
    for kpi in draft.kpis.values():
        if isinstance(kpi, GrowthKpi) and kpi.unit is not Unit.RATIO:
            out.append(issue(draft, kpi.id, "a growth KPI has unit ratio", f"kpi {kpi.id!r}", "unit"))
    for ident, m in draft.measures.items():
        label = f"kpi {ident!r}" if ident in draft.kpis else f"measure {ident!r}"
        if m.unit is Unit.MONEY and m.agg not in (Agg.SUM, Agg.MAX, Agg.MIN, Agg.MEDIAN):
            message = f"a money measure is aggregated by sum, max, min or median, not {m.agg}"
            out.append(issue(draft, ident, message, label))
        if m.agg in (Agg.COUNT, Agg.COUNT_DISTINCT) and m.unit is not Unit.COUNT:
            out.append(issue(draft, ident, f"{m.agg} gives a count: unit must be count", label))
        if m.agg in (Agg.SUM, Agg.MAX, Agg.MIN, Agg.MEDIAN, Agg.COUNT_DISTINCT) and m.expr is None:
            out.append(issue(draft, ident, f"agg {m.agg} needs an expr", label))
        if (
            m.unit is Unit.MONEY
            and m.fact in draft.facts
            and draft.facts[m.fact].currency is None
            and not m.currency
        ):
            out.append(issue(draft, ident, f"money measure on {m.fact!r}, which has no currency", label))
    return out
