"""Ids: not a dimension or row-key name, and one namespace for KPIs and measures."""

from __future__ import annotations

from tradewind.catalog.dimensions import RESERVED
from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import Draft
from tradewind.catalog.models import PointInTimeKpi, SimpleKpi
from tradewind.catalog.rules._common import issue


def check_ids(draft: Draft) -> list[Issue]:
    out = []
    for ident in [*draft.kpis, *draft.measures]:
        if ident in RESERVED or ident.startswith("_"):
            out.append(issue(draft, ident, f"{ident!r} is a dimension or reserved name; choose another id"))
    for ident, kpi in draft.kpis.items():
        inline = isinstance(kpi, SimpleKpi | PointInTimeKpi) and not isinstance(kpi.measure, str)
        if ident in draft.measures and not inline:
            out.append(
                issue(draft, ident, "a measure has the same id; KPIs and measures share one namespace")
            )
    return out
