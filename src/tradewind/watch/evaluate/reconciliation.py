"""Reconciliation: two sources of one figure (Business Report units ordered vs All Orders units) over the
exact date range each Business Report covers, per account and marketplace. A difference beyond the
tolerance (more than `tolerance_units` AND more than `tolerance_ratio` of the larger figure) is an
alert that lists the SKUs that differ most, so the argument starts from the rows, not the totals."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from tradewind.watch.context import WatchContext
from tradewind.watch.evaluate._common import beyond, fmt, ordered_scope, range_text, scope_label, trailing
from tradewind.watch.model import Finding
from tradewind.watch.ruleset import ReconciliationRule


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _num(value: Any) -> float:
    return float(value) if value is not None else 0.0


def evaluate_reconciliation(rule: ReconciliationRule, ctx: WatchContext) -> list[Finding]:
    ctx.require_kpis(rule.left, rule.right)
    ctx.require_dims([*rule.by, *([rule.detail_by] if rule.detail_by else [])])
    start, end = trailing(ctx.as_of, rule.lookback_days)
    ranges: dict[tuple[date, date], set[tuple[str, str]]] = defaultdict(set)
    for account, market, lo, hi in ctx.query(
        "SELECT DISTINCT account_id, marketplace, date_from, date_to FROM traffic "
        "WHERE level IN ('child_asin', 'sku') AND date_to BETWEEN ? AND ? AND marketplace IS NOT NULL",
        [start, end],
    ):
        ranges[(_day(lo), _day(hi))].add((str(account), str(market)))
    findings: list[Finding] = []
    for (lo, hi), pairs in sorted(ranges.items()):
        period = range_text(lo, hi)
        where = {
            "account": tuple(sorted({a for a, _ in pairs})),
            "marketplace": tuple(sorted({m for _, m in pairs})),
        }
        for row in ctx.rows([rule.left, rule.right], by=rule.by, period=period, where=where):
            if (
                "account" in row
                and "marketplace" in row
                and (row["account"], row["marketplace"]) not in pairs
            ):
                continue
            left, right = row.get(rule.left), row.get(rule.right)
            if left is None or right is None:
                continue
            diff = float(left) - float(right)
            allowed = max(
                rule.tolerance_units, rule.tolerance_ratio * max(abs(float(left)), abs(float(right)))
            )
            if not beyond(abs(diff), allowed, above=True):
                continue
            scope = ordered_scope({d: row.get(d) for d in rule.by})
            evidence = _detail(rule, ctx, scope, period) if rule.detail_by else ()
            label = scope_label(scope)
            share = f"{abs(diff) / max(abs(float(left)), abs(float(right))) * 100:.1f}%"
            findings.append(
                Finding(
                    rule_id=rule.id,
                    kind=rule.kind,
                    severity=rule.severity,
                    scope=scope,
                    period=period,
                    title=f"{label}: {rule.left} {fmt(float(left), 'count')} vs {rule.right} "
                    f"{fmt(float(right), 'count')} in {period} (difference {diff:+,.0f}, {share})",
                    title_zh=f"{label}：{period} {rule.left} {fmt(float(left), 'count')} 与 {rule.right} "
                    f"{fmt(float(right), 'count')} 不一致（差 {diff:+,.0f}，{share}）",
                    detail=f"tolerance: more than {rule.tolerance_units:g} units and "
                    f"{rule.tolerance_ratio * 100:g}% of the larger figure",
                    kpi=rule.right,
                    observed=diff,
                    threshold=allowed,
                    window=(lo, hi),
                    evidence=evidence,
                    owner=rule.owner,
                )
            )
    return findings


def _detail(
    rule: ReconciliationRule, ctx: WatchContext, scope: dict[str, str], period: str
) -> tuple[dict[str, Any], ...]:
    """The rows (SKUs) whose two figures differ, largest difference first."""
    detail = rule.detail_by or "sku"
    where = {k: (v,) for k, v in scope.items()}
    rows = ctx.rows([rule.left, rule.right], by=[*rule.by, detail], period=period, where=where)
    differing: list[tuple[float, str, dict[str, Any]]] = []
    for row in rows:
        left, right = row.get(rule.left), row.get(rule.right)
        diff = _num(left) - _num(right)
        if diff == 0:
            continue
        item = {detail: row.get(detail), rule.left: left, rule.right: right, "difference": diff}
        differing.append((-abs(diff), str(row.get(detail)), item))
    differing.sort(key=lambda x: (x[0], x[1]))
    return tuple(item for _, _, item in differing[: rule.max_detail_rows])
