"""Pacing: actual against expected-to-date (the plan's target × the share of its daily curve elapsed).
Beyond ±tolerance (15%) in either direction a review is required: behind plan is a problem to explain,
far ahead of it is either a plan set too low or volume that needs a second look."""

from __future__ import annotations

from datetime import date

from tradewind.core.errors import QueryError
from tradewind.watch.context import WatchContext
from tradewind.watch.evaluate._common import beyond, fmt, ordered_scope, scope_label, unit_of
from tradewind.watch.model import Finding
from tradewind.watch.ruleset import DeviationRule


def evaluate_deviation(rule: DeviationRule, ctx: WatchContext) -> list[Finding]:
    findings: list[Finding] = []
    rows = [row for level in rule.levels for row in ctx.progress_rows(level)]
    for row in rows:
        if rule.kpis and row.kpi not in rule.kpis:
            continue
        if row.pace is None or row.expected_to_date in (None, 0) or row.actual is None:
            continue
        # Strictly beyond: a pace of exactly -15% is still inside the band.
        if not beyond(abs(row.pace), rule.tolerance, above=True):
            continue
        behind = row.pace < 0
        unit = unit_of(ctx.kpis.catalog, row.kpi)
        scope = ordered_scope({"plan": row.plan, **row.scope})
        where = scope_label(scope)
        pct = f"{abs(row.pace) * 100:.1f}%"
        actual, expected = fmt(row.actual, unit), fmt(row.expected_to_date, unit)
        title = (
            f"{where}: {row.kpi} {pct} {'behind' if behind else 'ahead of'} plan pace in {row.period} "
            f"(actual {actual} vs expected {expected} by {ctx.as_of.isoformat()})"
        )
        title_zh = (
            f"{where}：{row.period} {row.kpi} {'落后' if behind else '超前'}计划进度 {pct}"
            f"（截至 {ctx.as_of.isoformat()} 实际 {actual}，应达 {expected}）"
        )
        detail = f"target {fmt(row.target, unit)} ({row.comparator}); projected {fmt(row.projected, unit)}"
        if row.attainment is not None:
            detail += f"; attainment {row.attainment * 100:.1f}%"
        findings.append(
            Finding(
                rule_id=rule.id,
                kind=rule.kind,
                severity=rule.severity,
                scope=scope,
                period=row.period,
                title=title,
                title_zh=title_zh,
                detail=f"plan {row.plan} v{row.version}: {detail}",
                kpi=row.kpi,
                observed=row.pace,
                window=period_window(ctx, row.period),
                threshold=-rule.tolerance if behind else rule.tolerance,
                evidence=(
                    {
                        "plan": row.plan,
                        "version": row.version,
                        "target": row.target,
                        "actual": row.actual,
                        "expected_to_date": row.expected_to_date,
                        "pace": row.pace,
                        "projected": row.projected,
                    },
                ),
                owner=row.owner or ctx.owner_of(row.scope) or rule.owner,
            )
        )
    return findings


def period_window(ctx: WatchContext, period: str) -> tuple[date, date] | None:
    """The part of a plan period up to the check date (for the notes that overlap it)."""
    try:
        parsed = ctx.calendar.parse(period)
    except QueryError:
        return None
    return parsed.start, min(parsed.end, max(ctx.as_of, parsed.start))
