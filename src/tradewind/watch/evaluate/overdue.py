"""Review action items past their due date and not done become alerts, routed to their owner."""

from __future__ import annotations

from tradewind.watch.context import Unavailable, WatchContext
from tradewind.watch.model import Finding
from tradewind.watch.ruleset import ActionOverdueRule


def evaluate_action_overdue(rule: ActionOverdueRule, ctx: WatchContext) -> list[Finding]:
    if ctx.actions is None:
        raise Unavailable("reviews unavailable: no action items to read")
    findings = []
    for item in ctx.actions():
        if not item.overdue(ctx.as_of):
            continue
        days = (ctx.as_of - item.due).days
        findings.append(
            Finding(
                rule_id=rule.id,
                kind=rule.kind,
                severity=rule.severity,
                scope={"review": str(item.review_id), "action": str(item.id), "owner": item.owner},
                period=item.due.isoformat(),
                title=f"action #{item.id} of review #{item.review_id} ({item.owner}) is {days} day"
                f"{'s' if days != 1 else ''} overdue (due {item.due.isoformat()}): {item.text}",
                title_zh=f"复盘 #{item.review_id} 的行动项 #{item.id}（{item.owner}）已逾期 {days} 天"
                f"（截止 {item.due.isoformat()}）：{item.text}",
                detail="mark it done with 'tradewind review action-done ID', or agree a new date in the review",
                observed=float(days),
                threshold=0.0,
                window=(item.due, ctx.as_of),
                owner=item.owner,
            )
        )
    return findings
