"""Helpers the rules share: where an entry was defined, and the expressions a definition holds."""

from __future__ import annotations

from collections.abc import Iterator

from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import Draft
from tradewind.catalog.models import AnyKpi, DerivedKpi, MeasureBody


def issue(
    draft: Draft, ident: str, message: str, label: str | None = None, field: str | None = None
) -> Issue:
    """An issue located at `field` (dotted path) of definition `ident`, or at the definition itself."""
    source = draft.where.get(ident)
    line = draft.field_line(ident, field) if field else (source.line if source else None)
    return Issue(source.file if source else "catalog", line, message, label or ident)


def kpi_label(kpi: AnyKpi) -> str:
    return f"kpi {kpi.id!r}"


def measure_field(draft: Draft, ident: str, field: str) -> str:
    """`expr` of a measure, or `measure.expr` of a KPI's inline measure."""
    return field if ident not in draft.kpis else f"measure.{field}"


def measure_expressions(body: MeasureBody) -> Iterator[tuple[str, str]]:
    for field in ("expr", "filter", "currency", "require"):
        value = getattr(body, field)
        if value is not None:
            yield field, value


def kpi_expressions(kpi: AnyKpi) -> Iterator[tuple[str, str]]:
    if isinstance(kpi, DerivedKpi):
        yield "formula", kpi.formula
