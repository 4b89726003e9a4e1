"""Catalog validation: small rules, one job each, each returning the issues it finds (metricflow's
idea). `run_rules` runs them all so a catalog author sees every problem in one pass."""

from __future__ import annotations

from collections.abc import Callable

from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import Draft
from tradewind.catalog.rules.columns import check_columns
from tradewind.catalog.rules.cycles import check_cycles
from tradewind.catalog.rules.expressions import check_expressions
from tradewind.catalog.rules.facts import check_facts
from tradewind.catalog.rules.ids import check_ids
from tradewind.catalog.rules.references import check_references
from tradewind.catalog.rules.units import check_units
from tradewind.catalog.rules.vat import check_vat_rates

Rule = Callable[[Draft], list[Issue]]

RULES: tuple[Rule, ...] = (
    check_ids,
    check_facts,
    check_expressions,
    check_references,
    check_columns,
    check_cycles,
    check_units,
    check_vat_rates,
)


def run_rules(draft: Draft) -> list[Issue]:
    issues: list[Issue] = []
    for rule in RULES:
        issues.extend(rule(draft))
    return issues
