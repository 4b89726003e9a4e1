"""`Plans`: what the CLI and the web app call for targets (`Workspace.plans()`), one method per verb."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tradewind.plan.model import Plan
from tradewind.plan.progress import ProgressReport, progress
from tradewind.plan.service import (
    CreateRequest,
    Outcome,
    ReviseRequest,
    apply_profile,
    create_plan,
    revise_plan,
)
from tradewind.plan.smart import Finding, check_plan
from tradewind.plan.store import PlanStore
from tradewind.plan.xlsx import ImportResult, export_plan, import_plan

if TYPE_CHECKING:
    from tradewind.app import Workspace


class Plans:
    def __init__(self, ws: Workspace, actor: str) -> None:
        self.ws = ws
        self.actor = actor
        self.store = PlanStore(ws.app.engine)

    def names(self, *, include_archived: bool = False) -> list[str]:
        return self.store.names(include_archived=include_archived)

    def get(self, name: str) -> Plan:
        return self.store.load(name)

    def create(self, request: CreateRequest, *, today: date | None = None) -> Outcome:
        return create_plan(self.ws, request, actor=self.actor, today=today)

    def revise(self, name: str, request: ReviseRequest) -> Outcome:
        return revise_plan(self.ws, name, request, actor=self.actor)

    def apply_profile(
        self,
        name: str,
        profile: str,
        *,
        marketplaces: Sequence[str] | None = None,
        reason: str | None = None,
        from_month: str | None = None,
    ) -> tuple[Outcome, list[str]]:
        return apply_profile(
            self.ws,
            name,
            profile,
            actor=self.actor,
            marketplaces=marketplaces,
            reason=reason,
            from_month=from_month,
        )

    def check(
        self,
        name: str,
        *,
        growth_cap: float | None = None,
        version: int | None = None,
        today: date | None = None,
    ) -> list[Finding]:
        return check_plan(self.ws, name, growth_cap=growth_cap, version=version, today=today)

    def export(self, name: str, path: Path, *, version: int | None = None) -> Path:
        return export_plan(self.ws, name, path, version=version)

    def import_(
        self, path: Path, *, name: str | None = None, reason: str | None = None, from_month: str | None = None
    ) -> ImportResult:
        return import_plan(self.ws, path, actor=self.actor, name=name, reason=reason, from_month=from_month)

    def progress(
        self,
        name: str | None = None,
        as_of: date | None = None,
        by: Sequence[str] = (),
        *,
        today: date | None = None,
    ) -> ProgressReport:
        return progress(self.ws, name, as_of, by, today=today)
