""" "Needs explanation": a large weekly move of a KPI with no note in the external-variables log.

A move is large when the week's value lies beyond `mad_z` robust standard deviations of its own
history (median ± z × 1.4826 × MAD of the previous `history_weeks` weeks: robust, so one Prime Day week
in the history does not hide the next spike), or changes more than `wow` (30%) week over week. A note
whose dates touch the move (the week itself, or the week before for a week-over-week move, since such
a move is about both weeks) and whose scope agrees explains it: no alert, and `check` says which note
explained it. Without a note the move is an alert asking for one."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from tradewind.core.periods import Grain
from tradewind.watch.context import WatchContext
from tradewind.watch.evaluate._common import beyond, fmt, ordered_scope, range_text, scope_label, unit_of
from tradewind.watch.model import Explained, Finding
from tradewind.watch.ruleset import NeedsExplanationRule

#: σ ≈ 1.4826 × MAD for normally distributed data.
MAD_TO_SD = 1.4826


def last_complete_week_end(as_of: date) -> date:
    """The Sunday that ends the last ISO week complete on `as_of` (as_of itself when it is a Sunday)."""
    return as_of - timedelta(days=(as_of.weekday() + 1) % 7)


def robust_z(value: float, history: Sequence[float]) -> float | None:
    """(value − median) / (1.4826 × MAD); None when the history has no spread."""
    median = statistics.median(history)
    mad = statistics.median(abs(h - median) for h in history)
    if mad == 0:
        return None
    return (value - median) / (MAD_TO_SD * mad)


def evaluate_needs_explanation(
    rule: NeedsExplanationRule, ctx: WatchContext
) -> tuple[list[Finding], list[Explained]]:
    ctx.require_kpis(*rule.kpis)
    ctx.require_dims(rule.by)
    end = last_complete_week_end(ctx.as_of)
    weeks = rule.history_weeks + rule.recent_weeks
    start = end - timedelta(days=7 * weeks - 1)
    starts = [start + timedelta(days=7 * i) for i in range(weeks)]
    labels = [ctx.calendar.label(Grain.WEEK, s) for s in starts]
    rows = ctx.rows(rule.kpis, by=("week", *rule.by), period=range_text(start, end))
    series: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, float]] = defaultdict(dict)
    for row in rows:
        key = tuple(ordered_scope({d: row.get(d) for d in rule.by}).items())
        for kpi in rule.kpis:
            if row.get(kpi) is not None:
                series[(kpi, key)][str(row["period"])] = float(row[kpi])
    findings: list[Finding] = []
    explained: list[Explained] = []
    for (kpi, scope_items), values in sorted(series.items()):
        unit = unit_of(ctx.kpis.catalog, kpi)
        scope: dict[str, str] = dict(scope_items)
        for j in range(rule.history_weeks, weeks):
            label = labels[j]
            value = values.get(label)
            if value is None:
                continue
            history = [values[lb] for lb in labels[j - rule.history_weeks : j] if lb in values]
            previous = values.get(labels[j - 1])
            reasons_en: list[str] = []
            reasons_zh: list[str] = []
            z = robust_z(value, history) if len(history) >= rule.min_history_weeks else None
            median = statistics.median(history) if history else None
            wow_move = False
            if (
                z is not None
                and beyond(abs(z), rule.mad_z, above=True)
                and max(value, median or 0) >= rule.min_value
            ):
                side = "above" if z > 0 else "below"
                reasons_en.append(
                    f"{abs(z):.1f} robust SDs {side} its {len(history)}-week median {fmt(median, unit)}"
                )
                reasons_zh.append(
                    f"偏离近 {len(history)} 周中位数 {fmt(median, unit)} {abs(z):.1f} 个稳健标准差"
                )
            if previous is not None and previous > 0 and max(value, previous) >= rule.min_value:
                change = value / previous - 1
                if beyond(abs(change), rule.wow, above=True):
                    wow_move = True
                    reasons_en.append(f"{change * 100:+.1f}% week over week (from {fmt(previous, unit)})")
                    reasons_zh.append(f"环比上周 {change * 100:+.1f}%（上周 {fmt(previous, unit)}）")
            if not reasons_en:
                continue
            week_start = starts[j]
            week_end = week_start + timedelta(days=6)
            window_start = week_start - timedelta(days=7) if wow_move else week_start
            where = scope_label(scope)
            title = f"{where}: {kpi} {fmt(value, unit)} in {label}: {'; '.join(reasons_en)}"
            notes = ctx.notes.overlapping(scope, window_start, week_end) if ctx.notes is not None else []
            if notes:
                explained.append(
                    Explained(rule.id, {**scope, "kpi": kpi}, label, title, tuple(n.id for n in notes))
                )
                continue
            findings.append(
                Finding(
                    rule_id=rule.id,
                    kind=rule.kind,
                    severity=rule.severity,
                    scope={**scope, "kpi": kpi},
                    period=label,
                    title=f"{title}; no note explains it",
                    title_zh=f"{where}：{label} {kpi} {fmt(value, unit)}，{'；'.join(reasons_zh)}；无外部变量说明",
                    detail="add a note ('tradewind note add') if something outside explains it, or open a review",
                    kpi=kpi,
                    observed=value,
                    threshold=median,
                    window=(window_start, week_end),
                    evidence=tuple({"week": lb, kpi: values.get(lb)} for lb in labels[max(0, j - 4) : j + 1]),
                    owner=rule.owner,
                )
            )
    return findings, explained
