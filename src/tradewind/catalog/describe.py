"""Plain-text renderings of definitions for `catalog show`, `kpi explain` and generated docs."""

from __future__ import annotations

from tradewind.catalog.catalog import Catalog
from tradewind.catalog.models import (
    Agg,
    DerivedKpi,
    GrowthKpi,
    Measure,
    MeasureBody,
    PointInTimeKpi,
    RatioKpi,
    SimpleKpi,
)

_AGG_TEXT = {
    Agg.SUM: "Σ {expr}",
    Agg.COUNT: "count of rows",
    Agg.COUNT_DISTINCT: "distinct {expr}",
    Agg.MAX: "max {expr}",
    Agg.MIN: "min {expr}",
    Agg.MEDIAN: "median {expr}",
}
COMPARE_TEXT = {"mom": "the previous period", "yoy": "the same period a year earlier"}


def measure_text(body: MeasureBody | Measure) -> str:
    text = _AGG_TEXT[body.agg].format(expr=body.expr or "")
    if body.agg is Agg.COUNT and body.expr:
        text = f"count of {body.expr}"
    text += f" over {body.fact}"
    if body.filter:
        text += f" where {body.filter}"
    if body.window:
        text += f", in the {body.window.days} days before the last {body.window.fact} snapshot"
    if isinstance(body, Measure) and body.snapshot == "last":
        text += ", at the last snapshot"
    if body.require:
        text += f"; null unless every counted row has {body.require}"
    return text


def formula_text(catalog: Catalog, name: str) -> str:
    """What a KPI or measure computes, in one line."""
    kpi = catalog.kpis.get(name)
    if kpi is None:
        return measure_text(catalog.measures[name])
    if isinstance(kpi, SimpleKpi | PointInTimeKpi):
        measure = catalog.measures[kpi.measure] if isinstance(kpi.measure, str) else catalog.measures[name]
        return measure_text(measure)
    if isinstance(kpi, RatioKpi):
        return f"{kpi.numerator} / {kpi.denominator} (ratio of the scope's sums)"
    if isinstance(kpi, DerivedKpi):
        return kpi.formula
    if isinstance(kpi, GrowthKpi):
        return f"{kpi.base} / {kpi.base} of {COMPARE_TEXT[kpi.compare]} − 1"
    raise TypeError(kpi)
