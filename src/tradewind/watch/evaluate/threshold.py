"""Threshold rules: a KPI over trailing windows (7 and 30 days by default) below a floor or above a
ceiling, per scope. The KPI value comes from the engine; the rule only compares it."""

from __future__ import annotations

from tradewind.catalog.dimensions import TIME_DIMENSIONS
from tradewind.watch.context import WatchContext
from tradewind.watch.evaluate._common import (
    beyond,
    bucket_label,
    fmt,
    ordered_scope,
    range_text,
    scope_label,
    trailing,
    unit_of,
)
from tradewind.watch.model import Finding
from tradewind.watch.ruleset import ThresholdRule


def evaluate_threshold(rule: ThresholdRule, ctx: WatchContext) -> list[Finding]:
    guards = tuple(k for k in rule.at_least if k != rule.kpi)
    ctx.require_kpis(rule.kpi, *guards)
    ctx.require_dims([*rule.by, *rule.where])
    unit = unit_of(ctx.kpis.catalog, rule.kpi)
    period = bucket_label(ctx.calendar, rule.dedupe, ctx.as_of)
    findings: list[Finding] = []
    for window in sorted(set(rule.windows)):
        start, end = trailing(ctx.as_of, window)
        rows = ctx.rows([rule.kpi, *guards], by=rule.by, period=range_text(start, end), where=rule.where)
        for row in rows:
            value = row.get(rule.kpi)
            if value is None:
                continue
            if any(row.get(d) is None for d in rule.by if d not in TIME_DIMENSIONS):
                # rows the fact cannot attribute (a ticket without a language, an SB ad row without a
                # SKU) are no scope of this rule: their scope would read as the coarser rule's
                continue
            if any(row.get(k) is None or float(row[k]) < floor for k, floor in rule.at_least.items()):
                continue
            scope = ordered_scope({d: row.get(d) for d in rule.by})
            bound: float | None
            bound_en = bound_zh = ""
            if rule.below == "lead_time":
                lead = ctx.lead_time_of(scope.get("account", ""), scope.get("sku", ""))
                bound = float(lead) if lead is not None else rule.default_lead_time_days
                if bound is None:
                    continue
                source = "lead time" if lead is not None else "default lead time"
                bound_en = f"the {source} of {bound:g} days"
                bound_zh = f"补货周期 {bound:g} 天" if lead is not None else f"默认补货周期 {bound:g} 天"
            else:
                bound = float(rule.below if rule.below is not None else rule.above)  # type: ignore[arg-type]
                bound_en = bound_zh = fmt(bound, unit, like=bound)
            below = rule.below is not None
            fires = beyond(float(value), bound, above=not below)
            if not fires:
                continue
            shown = fmt(float(value), unit, like=bound)
            where = scope_label(scope)
            title = (
                f"{where}: {rule.kpi} {shown} {'below' if below else 'above'} {bound_en} "
                f"({window} days to {end.isoformat()})"
            )
            title_zh = f"{where}：{rule.kpi} {shown} {'低于' if below else '高于'} {bound_zh}（截至 {end.isoformat()} 的 {window} 天）"
            evidence = tuple(
                {"kpi": k, "value": row.get(k), "at_least": rule.at_least[k]} for k in rule.at_least
            )
            findings.append(
                Finding(
                    rule_id=rule.id,
                    kind=rule.kind,
                    severity=rule.severity,
                    scope={**scope, "window": f"{window}d"},
                    period=period,
                    title=title,
                    title_zh=title_zh,
                    detail=f"{rule.name.en}; window {range_text(start, end)}",
                    kpi=rule.kpi,
                    observed=float(value),
                    threshold=bound,
                    window=(start, end),
                    evidence=evidence,
                    owner=ctx.owner_of(scope) or rule.owner,
                )
            )
    return findings
