"""The alert book: findings become alerts, one per (rule, scope, period), with a lifecycle.

A finding seen again (the next day's check, or the same check run twice) updates its alert's figures
and `last_seen_at`; it never makes a second alert, and it never reopens one a person has closed: a
dismissal with a reason stands. Every status change is an event with who, when and why.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, RowMapping, and_, insert, select, update

from tradewind.core.errors import TradewindError
from tradewind.watch import tables as t
from tradewind.watch.model import (
    ACTIVE,
    TRANSITIONS,
    Alert,
    AlertEvent,
    AlertStatus,
    Finding,
    Scope,
    Severity,
    scope_from_key,
    scopes_overlap,
)


@dataclass(frozen=True)
class AlertFilter:
    statuses: tuple[AlertStatus, ...] = tuple(ACTIVE)
    min_severity: Severity | None = None
    rule_ids: tuple[str, ...] = ()
    kpi: str | None = None
    scope: Scope | None = None
    ids: tuple[int, ...] = ()


def _evidence(text: str | None) -> tuple[Mapping[str, Any], ...]:
    if not text:
        return ()
    data = json.loads(text)
    return tuple(data) if isinstance(data, list) else ()


def _alert(row: RowMapping | Mapping[str, Any]) -> Alert:
    window = (row["window_from"], row["window_to"]) if row["window_from"] and row["window_to"] else None
    return Alert(
        id=int(row["id"]),
        rule_id=row["rule_id"],
        kind=row["kind"],
        severity=Severity(row["severity"]),
        status=AlertStatus(row["status"]),
        scope=scope_from_key(row["scope_key"]),
        period=row["period"],
        title=row["title"],
        title_zh=row["title_zh"] or "",
        detail=row["detail"] or "",
        kpi=row["kpi"],
        observed=row["observed"],
        threshold=row["threshold"],
        window=window,
        evidence=_evidence(row["evidence"]),
        owner=row["owner"],
        as_of=row["as_of"],
        first_seen_at=row["first_seen_at"],
        last_seen_at=row["last_seen_at"],
        status_at=row["status_at"],
        status_by=row["status_by"],
        status_reason=row["status_reason"],
        notified_at=row["notified_at"],
    )


def _values(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "severity": finding.severity.value,
        "kpi": finding.kpi,
        "title": finding.title,
        "title_zh": finding.title_zh,
        "detail": finding.detail,
        "observed": finding.observed,
        "threshold": finding.threshold,
        "window_from": finding.window[0] if finding.window else None,
        "window_to": finding.window[1] if finding.window else None,
        "evidence": json.dumps(list(finding.evidence), ensure_ascii=False, default=str)
        if finding.evidence
        else None,
        "owner": finding.owner,
    }


class AlertBook:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- findings -> alerts ---------------------------------------------------------------------------
    def record(self, findings: Iterable[Finding], as_of: date) -> tuple[list[Alert], list[Alert]]:
        """Create or update one alert per finding key, in one transaction; returns (new, updated)."""
        new_ids: list[int] = []
        updated_ids: list[int] = []
        unique: dict[tuple[str, str, str], Finding] = {}
        for f in findings:
            unique[f.key] = f  # a rule reporting the same key twice keeps the last word
        now = t.utcnow()
        with self.engine.begin() as con:
            next_id = t.next_id(con, t.alerts)
            for (rule_id, key, period), finding in unique.items():
                existing = con.execute(
                    select(t.alerts.c.id, t.alerts.c.severity).where(
                        and_(
                            t.alerts.c.rule_id == rule_id,
                            t.alerts.c.scope_key == key,
                            t.alerts.c.period == period,
                        )
                    )
                ).first()
                values = _values(finding)
                if existing is not None:
                    # Severity only rises while an alert lives: a calmer day does not downgrade it.
                    if Severity(existing.severity).rank > finding.severity.rank:
                        values["severity"] = existing.severity
                    con.execute(
                        update(t.alerts)
                        .where(t.alerts.c.id == existing.id)
                        .values(**values, as_of=as_of, last_seen_at=now)
                    )
                    updated_ids.append(int(existing.id))
                    continue
                con.execute(
                    insert(t.alerts).values(
                        id=next_id,
                        rule_id=rule_id,
                        scope_key=key,
                        period=period,
                        status=AlertStatus.OPEN.value,
                        as_of=as_of,
                        first_seen_at=now,
                        last_seen_at=now,
                        **values,
                    )
                )
                con.execute(
                    insert(t.alert_events).values(
                        id=t.next_id(con, t.alert_events),
                        alert_id=next_id,
                        at=now,
                        actor="tradewind check",
                        from_status=None,
                        to_status=AlertStatus.OPEN.value,
                        note=f"raised by rule {rule_id} (as of {as_of})",
                    )
                )
                new_ids.append(next_id)
                next_id += 1
        return self.by_ids(new_ids), self.by_ids(updated_ids)

    # -- reading --------------------------------------------------------------------------------------
    def by_ids(self, ids: Sequence[int]) -> list[Alert]:
        if not ids:
            return []
        with self.engine.connect() as con:
            rows = con.execute(select(t.alerts).where(t.alerts.c.id.in_(list(ids)))).mappings().all()
        found = {int(r["id"]): _alert(r) for r in rows}
        return [found[i] for i in ids if i in found]

    def get(self, alert_id: int) -> Alert:
        found = self.by_ids([alert_id])
        if not found:
            raise TradewindError(f"no alert #{alert_id}; 'tradewind alerts --all' lists them")
        return found[0]

    def find(self, flt: AlertFilter | None = None) -> list[Alert]:
        flt = flt or AlertFilter()
        query = select(t.alerts)
        if flt.statuses:
            query = query.where(t.alerts.c.status.in_([s.value for s in flt.statuses]))
        if flt.rule_ids:
            query = query.where(t.alerts.c.rule_id.in_(list(flt.rule_ids)))
        if flt.kpi:
            query = query.where(t.alerts.c.kpi == flt.kpi)
        if flt.ids:
            query = query.where(t.alerts.c.id.in_(list(flt.ids)))
        with self.engine.connect() as con:
            rows = con.execute(query.order_by(t.alerts.c.id)).mappings().all()
        alerts = [_alert(r) for r in rows]
        if flt.min_severity is not None:
            alerts = [a for a in alerts if a.severity.at_least(flt.min_severity)]
        if flt.scope:
            alerts = [
                a for a in alerts if scopes_overlap(a.scope, flt.scope) and set(flt.scope) <= set(a.scope)
            ]
        alerts.sort(key=lambda a: (-a.severity.rank, a.id))
        return alerts

    def events(self, alert_id: int) -> list[AlertEvent]:
        with self.engine.connect() as con:
            rows = con.execute(
                select(t.alert_events)
                .where(t.alert_events.c.alert_id == alert_id)
                .order_by(t.alert_events.c.id)
            ).mappings()
            return [
                AlertEvent(
                    int(r["alert_id"]),
                    r["at"],
                    r["actor"],
                    AlertStatus(r["from_status"]) if r["from_status"] else None,
                    AlertStatus(r["to_status"]),
                    r["note"],
                )
                for r in rows
            ]

    # -- lifecycle ------------------------------------------------------------------------------------
    def transition(
        self, alert_ids: Sequence[int], to: AlertStatus, actor: str, reason: str | None = None
    ) -> list[Alert]:
        """Move alerts to `to`; all or none (an invalid move for one alert changes none of them)."""
        if to is AlertStatus.DISMISSED and not (reason and reason.strip()):
            raise TradewindError("dismissing an alert needs a reason (--reason): why is it not a problem?")
        alerts = [self.get(i) for i in alert_ids]
        for a in alerts:
            if a.status is to:
                raise TradewindError(f"alert #{a.id} is already {to.value.replace('_', ' ')}")
            if to not in TRANSITIONS[a.status]:
                allowed = ", ".join(
                    s.value for s in sorted(TRANSITIONS[a.status], key=list(AlertStatus).index)
                )
                raise TradewindError(
                    f"alert #{a.id} is {a.status.value.replace('_', ' ')}: it can go to {allowed}, "
                    f"not {to.value.replace('_', ' ')}"
                )
        now = t.utcnow()
        with self.engine.begin() as con:
            self._move(con, alerts, to, actor, reason, now)
        return self.by_ids([a.id for a in alerts])

    @staticmethod
    def _move(
        con: Any, alerts: Sequence[Alert], to: AlertStatus, actor: str, reason: str | None, now: Any
    ) -> None:
        for a in alerts:
            con.execute(
                update(t.alerts)
                .where(t.alerts.c.id == a.id)
                .values(status=to.value, status_at=now, status_by=actor, status_reason=reason)
            )
            con.execute(
                insert(t.alert_events).values(
                    id=t.next_id(con, t.alert_events),
                    alert_id=a.id,
                    at=now,
                    actor=actor,
                    from_status=a.status.value,
                    to_status=to.value,
                    note=reason,
                )
            )

    def mark_notified(self, alert_ids: Sequence[int]) -> None:
        if not alert_ids:
            return
        with self.engine.begin() as con:
            con.execute(
                update(t.alerts).where(t.alerts.c.id.in_(list(alert_ids))).values(notified_at=t.utcnow())
            )
