"""`tradewind check`: evaluate every enabled rule, then record the findings as alerts in one go.

A rule that cannot run (its KPI is not in the catalog yet, no plan exists, no compliance module) says
"unavailable" and the others still run; a rule whose data cannot answer (a missing FX rate) says
"error" with the engine's message. Neither stops the check, so cron always gets the alerts there are.
"""

from __future__ import annotations

from tradewind.core.errors import TradewindError
from tradewind.watch.alerts import AlertBook
from tradewind.watch.context import Unavailable, WatchContext
from tradewind.watch.evaluate import evaluate
from tradewind.watch.model import CheckReport, Finding, RuleOutcome
from tradewind.watch.ruleset import RuleSet


def evaluate_rules(ctx: WatchContext, rules: RuleSet) -> list[RuleOutcome]:
    outcomes: list[RuleOutcome] = []
    for rule in rules.rules:
        if not rule.enabled:
            outcomes.append(RuleOutcome(rule.id, rule.kind, "disabled", "disabled in rules.yaml"))
            continue
        try:
            findings, explained = evaluate(rule, ctx)
        except Unavailable as exc:
            outcomes.append(RuleOutcome(rule.id, rule.kind, "unavailable", str(exc)))
            continue
        except TradewindError as exc:
            outcomes.append(RuleOutcome(rule.id, rule.kind, "error", str(exc)))
            continue
        outcomes.append(RuleOutcome(rule.id, rule.kind, "ok", "", tuple(findings), tuple(explained)))
    return outcomes


def run_check(ctx: WatchContext, rules: RuleSet, book: AlertBook) -> CheckReport:
    outcomes = evaluate_rules(ctx, rules)
    findings: list[Finding] = [f for o in outcomes for f in o.findings]
    new, updated = book.record(findings, ctx.as_of)
    return CheckReport(ctx.as_of, tuple(outcomes), tuple(new), tuple(updated))
