"""Quality gate "volume bought at a loss" (亏本冲量): the GMV target is met (attainment ≥ 100%) while
gross margin is under its floor, ad spend grows faster than ad sales, or the refund rate is above its
ceiling. Each condition's KPI comes from the engine over the plan period to date; a plan's own floor
(gross_margin ≥ x) or ceiling (refund_rate ≤ y) for the same scope and period replaces the default."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tradewind.catalog.dimensions import DIMENSIONS
from tradewind.watch.context import ProgressLike, WatchContext
from tradewind.watch.evaluate._common import beyond, fmt, ordered_scope, range_text, scope_label
from tradewind.watch.evaluate.deviation import period_window
from tradewind.watch.model import Finding
from tradewind.watch.ruleset import QualityGateRule

GATE_KPIS = ("gross_margin", "refund_rate", "ad_spend_mom", "ad_sales_mom")


def _plan_bound(rows: Sequence[ProgressLike], like: ProgressLike, kpi: str, comparator: str) -> float | None:
    for r in rows:
        if r.kpi != kpi or r.period != like.period or dict(r.scope) != dict(like.scope) or r.target is None:
            continue
        if r.comparator == comparator:
            return float(r.target)
        if r.comparator == "between":
            return (
                float(r.target) if comparator == ">=" else (float(r.upper) if r.upper is not None else None)
            )
    return None


def _pct(value: float) -> str:
    return f"{value * 100:+.1f}%"


def evaluate_quality_gate(rule: QualityGateRule, ctx: WatchContext) -> list[Finding]:
    findings: list[Finding] = []
    for level in rule.levels:
        findings += _gate(rule, ctx, ctx.progress_rows(level))
    return findings


def _gate(rule: QualityGateRule, ctx: WatchContext, rows: Sequence[ProgressLike]) -> list[Finding]:
    ctx.require_kpis(*GATE_KPIS)
    findings: list[Finding] = []
    for row in rows:
        if row.kpi != rule.plan_kpi or row.attainment is None:
            continue
        if beyond(row.attainment, rule.attainment_at_least, above=False):
            continue
        if any(k not in DIMENSIONS for k in row.scope):
            continue  # a plan scope the engine cannot filter on: nothing to measure the gate with
        window = period_window(ctx, row.period)
        if window is None:
            continue
        where = {k: (v,) for k, v in row.scope.items()}
        result = ctx.rows(GATE_KPIS, period=range_text(*window), where=where)
        values: Mapping[str, Any] = result[0] if result else {}
        reasons: Mapping[str, str] = values.get("_null_reasons", {}) or {}
        floor = _plan_bound(rows, row, "gross_margin", ">=")
        floor = rule.gross_margin_floor if floor is None else floor
        ceiling = _plan_bound(rows, row, "refund_rate", "<=")
        ceiling = rule.refund_rate_ceiling if ceiling is None else ceiling
        failed_en: list[str] = []
        failed_zh: list[str] = []
        evidence: list[dict[str, Any]] = []

        margin = values.get("gross_margin")
        margin_low = margin is not None and beyond(margin, floor, above=False)
        if margin_low:
            failed_en.append(f"gross margin {fmt(margin, 'ratio')} under its floor {fmt(floor, 'ratio')}")
            failed_zh.append(f"毛利率 {fmt(margin, 'ratio')} 低于下限 {fmt(floor, 'ratio')}")
        evidence.append(
            {
                "condition": "gross_margin_floor",
                "value": margin,
                "bound": floor,
                "failed": margin_low,
                "note": reasons.get("gross_margin"),
            }
        )

        spend, sales = values.get("ad_spend_mom"), values.get("ad_sales_mom")
        faster = spend is not None and sales is not None and beyond(spend, sales, above=True)
        if faster:
            failed_en.append(f"ad spend {_pct(spend)} grew faster than ad sales {_pct(sales)}")  # type: ignore[arg-type]
            failed_zh.append(f"广告花费增长 {_pct(spend)} 快于广告销售额增长 {_pct(sales)}")  # type: ignore[arg-type]
        evidence.append(
            {
                "condition": "ad_spend_vs_ad_sales_growth",
                "value": spend,
                "bound": sales,
                "failed": faster,
                "note": reasons.get("ad_spend_mom") or reasons.get("ad_sales_mom"),
            }
        )

        refund = values.get("refund_rate")
        refund_high = refund is not None and beyond(refund, ceiling, above=True)
        if refund_high:
            failed_en.append(f"refund rate {fmt(refund, 'ratio')} above its ceiling {fmt(ceiling, 'ratio')}")
            failed_zh.append(f"退货率 {fmt(refund, 'ratio')} 高于上限 {fmt(ceiling, 'ratio')}")
        evidence.append(
            {
                "condition": "refund_rate_ceiling",
                "value": refund,
                "bound": ceiling,
                "failed": refund_high,
                "note": reasons.get("refund_rate"),
            }
        )

        if not failed_en:
            continue
        scope = ordered_scope({"plan": row.plan, **row.scope})
        label = scope_label(scope)
        attained = f"{row.attainment * 100:.1f}%"
        findings.append(
            Finding(
                rule_id=rule.id,
                kind=rule.kind,
                severity=rule.severity,
                scope=scope,
                period=row.period,
                title=f"{label}: volume bought at a loss in {row.period}: {rule.plan_kpi} attainment {attained} "
                f"while {'; '.join(failed_en)}",
                title_zh=f"{label}：{row.period} 亏本冲量：{rule.plan_kpi} 达成 {attained}，但{'；'.join(failed_zh)}",
                detail=f"plan {row.plan} v{row.version}; measured over {range_text(*window)}",
                kpi=rule.plan_kpi,
                observed=row.attainment,
                threshold=rule.attainment_at_least,
                window=window,
                evidence=tuple(evidence),
                owner=row.owner or rule.owner,
            )
        )
    return findings
