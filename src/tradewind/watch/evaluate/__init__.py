"""One evaluator per rule kind: `evaluate(rule, context)` → findings (and explained moves)."""

from __future__ import annotations

from tradewind.watch.context import WatchContext
from tradewind.watch.evaluate.compliance import evaluate_compliance
from tradewind.watch.evaluate.deviation import evaluate_deviation
from tradewind.watch.evaluate.freshness import evaluate_freshness
from tradewind.watch.evaluate.overdue import evaluate_action_overdue
from tradewind.watch.evaluate.quality import evaluate_quality_gate
from tradewind.watch.evaluate.reconciliation import evaluate_reconciliation
from tradewind.watch.evaluate.threshold import evaluate_threshold
from tradewind.watch.evaluate.unexplained import evaluate_needs_explanation
from tradewind.watch.model import Explained, Finding
from tradewind.watch.ruleset import (
    ActionOverdueRule,
    AnyRule,
    ComplianceRule,
    DeviationRule,
    FreshnessRule,
    NeedsExplanationRule,
    QualityGateRule,
    ReconciliationRule,
    ThresholdRule,
)


def evaluate(rule: AnyRule, ctx: WatchContext) -> tuple[list[Finding], list[Explained]]:
    if isinstance(rule, DeviationRule):
        return evaluate_deviation(rule, ctx), []
    if isinstance(rule, ThresholdRule):
        return evaluate_threshold(rule, ctx), []
    if isinstance(rule, QualityGateRule):
        return evaluate_quality_gate(rule, ctx), []
    if isinstance(rule, FreshnessRule):
        return evaluate_freshness(rule, ctx), []
    if isinstance(rule, ReconciliationRule):
        return evaluate_reconciliation(rule, ctx), []
    if isinstance(rule, ComplianceRule):
        return evaluate_compliance(rule, ctx), []
    if isinstance(rule, NeedsExplanationRule):
        return evaluate_needs_explanation(rule, ctx)
    if isinstance(rule, ActionOverdueRule):
        return evaluate_action_overdue(rule, ctx), []
    raise TypeError(f"no evaluator for {type(rule).__name__}")


__all__ = ["evaluate"]
