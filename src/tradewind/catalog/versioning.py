"""Versions: a short content hash of a definition's formula part.

What counts as formula: the KPI type and unit, its type parameters (expressions in canonical form, so
spacing and redundant parentheses do not count), the definitions of the measures it aggregates and of
the facts those read, and the versions of the KPIs it depends on. Names, direction and the written
rule are wording and are left out, so fixing a translation keeps `gmv@3f2a9c1`, while any change to
how a figure is computed makes a new version of it and of everything built on it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from tradewind.catalog.expressions import ExpressionError, parse, render
from tradewind.catalog.models import (
    BUILTINS,
    AnyKpi,
    DerivedKpi,
    FactDef,
    GrowthKpi,
    Measure,
    MeasureBody,
    PointInTimeKpi,
    RatioKpi,
    SimpleKpi,
)

HASH_LENGTH = 7


def formula_hash(part: Any) -> str:
    text = json.dumps(part, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def canonical(expr: str | None) -> str | None:
    if expr is None:
        return None
    try:
        return render(parse(expr).node)
    except ExpressionError:
        return expr.strip()


def fact_formula_part(fact: FactDef) -> dict[str, Any]:
    # how the engine may evaluate a fact (distinct counts per day, a look-up as a fallback) is not a rule
    data = fact.model_dump(
        mode="json",
        exclude={
            "description": True,
            "missing": True,
            "source": True,
            "distinct_per_day": True,
            "lookups": {"__all__": {"fallback_for"}},
        },
    )
    data["columns"] = {k: canonical(v) for k, v in fact.columns.items()}
    return data


def body_formula_part(body: MeasureBody, facts: Mapping[str, FactDef]) -> dict[str, Any]:
    part: dict[str, Any] = {
        "agg": body.agg.value,
        "expr": canonical(body.expr),
        "filter": canonical(body.filter),
        "currency": canonical(body.currency),
        "require": canonical(body.require),
        "window": body.window.model_dump(mode="json") if body.window else None,
        "fact": fact_formula_part(facts[body.fact]) if body.fact in facts else body.fact,
    }
    if body.window and body.window.fact in facts:
        part["window_fact"] = fact_formula_part(facts[body.window.fact])
    return part


def measure_formula_part(measure: Measure, facts: Mapping[str, FactDef]) -> dict[str, Any]:
    part = body_formula_part(measure, facts)
    part["unit"] = measure.unit.value
    part["snapshot"] = measure.snapshot
    return part


def kpi_formula_part(
    kpi: AnyKpi,
    measures: Mapping[str, Measure],
    facts: Mapping[str, FactDef],
    version_of: Callable[[str], str],
) -> dict[str, Any]:
    part: dict[str, Any] = {"type": kpi.type, "unit": kpi.unit.value}
    if isinstance(kpi, SimpleKpi | PointInTimeKpi):
        if isinstance(kpi.measure, str):
            part["measure"] = {kpi.measure: version_of(kpi.measure)}
        else:
            part["measure"] = body_formula_part(kpi.measure, facts)
    elif isinstance(kpi, RatioKpi):
        part["numerator"] = {kpi.numerator: version_of(kpi.numerator)}
        part["denominator"] = {kpi.denominator: version_of(kpi.denominator)}
    elif isinstance(kpi, DerivedKpi):
        part["formula"] = canonical(kpi.formula)
        names = sorted(n for n in parse(kpi.formula).names() if n not in BUILTINS)
        part["uses"] = {n: version_of(n) for n in names}
    elif isinstance(kpi, GrowthKpi):
        part["base"] = {kpi.base: version_of(kpi.base)}
        part["compare"] = kpi.compare
    return part
