"""`Watch`: the watch features of one workspace, for the CLI and the web app (`Workspace.watch()`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from tradewind.core.errors import QueryError
from tradewind.watch.alerts import AlertBook
from tradewind.watch.check import run_check
from tradewind.watch.context import WatchContext, workspace_context
from tradewind.watch.drivers import WhyReport, why_gmv
from tradewind.watch.minutes import render_minutes
from tradewind.watch.model import Alert, CheckReport
from tradewind.watch.notes import Note, NoteBook
from tradewind.watch.reviews import ReviewBook
from tradewind.watch.ruleset import RuleSet, load_rules

if TYPE_CHECKING:
    from tradewind.app import Workspace


class Watch:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.alerts = AlertBook(ws.app.engine)
        self.notes = NoteBook(ws.app.engine)
        self.reviews = ReviewBook(ws.app.engine)

    def rules(self) -> RuleSet:
        return load_rules(self.ws.folder)

    def context(self, as_of: date | None = None) -> WatchContext:
        return workspace_context(self.ws, as_of or date.today())

    def check(self, as_of: date | None = None, *, notify: bool = True, notifier: Any = None) -> CheckReport:
        """Evaluate every rule as of `as_of` (default today), record alerts, notify about the new ones."""
        ctx = self.context(as_of)
        report = run_check(ctx, self.rules(), self.alerts)
        if not notify or not report.new:
            return report
        if notifier is None:
            from tradewind.notify import Notifier, load_notify_config

            config = load_notify_config(self.ws.folder)
            if config is None:
                return report
            notifier = Notifier(config)
        from tradewind.notify import record_deliveries

        deliveries = notifier.send(report.new, ctx.as_of)
        record_deliveries(self.ws.app.engine, deliveries)
        self.alerts.mark_notified(sorted({i for d in deliveries if d.ok for i in d.alert_ids}))
        return dataclasses.replace(report, deliveries=tuple(deliveries))

    def notes_for(self, alert: Alert) -> list[Note]:
        """Notes overlapping an alert's scope and window (its period when it has no window)."""
        window = alert.window
        if window is None:
            try:
                parsed = self.context(alert.as_of).calendar.parse(alert.period)
                window = (parsed.start, parsed.end)
            except QueryError:
                window = (alert.as_of, alert.as_of)
        return self.notes.overlapping(alert.scope, *window)

    def minutes(self, review_id: int, *, lang: str = "zh", fmt: str = "md", today: date | None = None) -> str:
        review = self.reviews.get(review_id)
        notes = {a.id: self.notes_for(a) for a in review.alerts}
        return render_minutes(review, notes, lang=lang, fmt=fmt, today=today)

    def why(
        self,
        period: str,
        *,
        vs: str = "previous",
        by: str | None = "marketplace",
        where: Mapping[str, Sequence[str]] | None = None,
        as_of: date | None = None,
    ) -> WhyReport:
        return why_gmv(self.context(as_of), period, vs=vs, by=by, where=where)
