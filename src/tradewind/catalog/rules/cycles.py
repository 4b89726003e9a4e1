"""No KPI depends on itself, however indirectly."""

from __future__ import annotations

from tradewind.catalog.expressions import ExpressionError, parse
from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import Draft
from tradewind.catalog.models import BUILTINS, DerivedKpi, GrowthKpi, PointInTimeKpi, RatioKpi, SimpleKpi
from tradewind.catalog.rules._common import issue


def _deps(draft: Draft, ident: str) -> list[str]:
    kpi = draft.kpis.get(ident)
    if isinstance(kpi, SimpleKpi | PointInTimeKpi):
        return [kpi.measure] if isinstance(kpi.measure, str) and kpi.measure != ident else []
    if isinstance(kpi, RatioKpi):
        return [kpi.numerator, kpi.denominator]
    if isinstance(kpi, DerivedKpi):
        try:
            return sorted(parse(kpi.formula).names() - set(BUILTINS))
        except ExpressionError:
            return []
    if isinstance(kpi, GrowthKpi):
        return [kpi.base]
    return []


def check_cycles(draft: Draft) -> list[Issue]:
    out = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in _deps(draft, node):
            if dep not in draft.kpis:
                continue
            if state.get(dep) == 1:
                cycle = [*path[path.index(dep) :], dep] if dep in path else [node, dep]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    out.append(
                        issue(draft, node, "circular definition: " + " -> ".join(cycle), f"kpi {node!r}")
                    )
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for ident in draft.kpis:
        if ident not in state:
            visit(ident, [ident])
    return out
