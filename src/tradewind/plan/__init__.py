"""Targets: plans that split a yearly total down to month × marketplace × channel × SKU × person with
exact sums, level targets, versions with an audit trail, SMART checks, the Excel round trip and progress.

`Workspace.plans()` is the entry point; `Workspace.plan_progress()` is what pacing (watch) calls.
"""

from __future__ import annotations

from tradewind.plan.amounts import PlanError
from tradewind.plan.progress import ProgressRow

__all__ = ["PlanError", "ProgressRow"]
