"""The values watch works with: severities, alert statuses and their lifecycle, scopes, findings (what a
rule reports) and alerts (a finding the workspace remembers, with its status)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tradewind.core.errors import TradewindError


class Severity(StrEnum):
    """Ordered from least to most urgent. `review` and above make `tradewind check` exit non-zero."""

    INFO = "info"
    WARNING = "warning"
    REVIEW = "review"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


SEVERITY_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {"info": "info", "warning": "warning", "review": "review", "critical": "critical"},
    "zh": {"info": "提示", "warning": "警告", "review": "需复盘", "critical": "严重"},
}


def parse_severity(text: str) -> Severity:
    try:
        return Severity(text.strip().lower())
    except ValueError:
        raise TradewindError(
            f"unknown severity {text!r}; use one of {', '.join(s.value for s in Severity)}"
        ) from None


class AlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    IN_REVIEW = "in_review"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"

    @property
    def active(self) -> bool:
        return self in ACTIVE


ACTIVE = frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.IN_REVIEW})

#: open → acknowledged → in review → resolved | dismissed; a closed alert can be reopened.
TRANSITIONS: Mapping[AlertStatus, frozenset[AlertStatus]] = {
    AlertStatus.OPEN: frozenset(
        {AlertStatus.ACKNOWLEDGED, AlertStatus.IN_REVIEW, AlertStatus.RESOLVED, AlertStatus.DISMISSED}
    ),
    AlertStatus.ACKNOWLEDGED: frozenset({AlertStatus.IN_REVIEW, AlertStatus.RESOLVED, AlertStatus.DISMISSED}),
    AlertStatus.IN_REVIEW: frozenset({AlertStatus.RESOLVED, AlertStatus.DISMISSED}),
    AlertStatus.RESOLVED: frozenset({AlertStatus.OPEN}),
    AlertStatus.DISMISSED: frozenset({AlertStatus.OPEN}),
}


def parse_status(text: str) -> AlertStatus:
    value = text.strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return AlertStatus(value)
    except ValueError:
        raise TradewindError(
            f"unknown alert status {text!r}; use one of {', '.join(s.value for s in AlertStatus)}"
        ) from None


# -- scopes -------------------------------------------------------------------------------------------
Scope = Mapping[str, str]


def scope_key(scope: Scope) -> str:
    """The canonical text of a scope (sorted keys): two findings about the same scope share it."""
    return json.dumps({str(k): str(v) for k, v in sorted(scope.items())}, ensure_ascii=False, sort_keys=True)


def scope_from_key(key: str) -> dict[str, str]:
    data = json.loads(key) if key else {}
    return {str(k): str(v) for k, v in data.items()}


def scope_text(scope: Scope) -> str:
    """`marketplace=DE, sku=S1`; the whole business when empty."""
    return ", ".join(f"{k}={v}" for k, v in scope.items()) if scope else "all"


def parse_scope(text: str | None, allowed: frozenset[str] | None = None) -> dict[str, str]:
    """`marketplace=DE,sku=S1` → {"marketplace": "DE", "sku": "S1"}. Values keep their case, keys are
    lower case; marketplaces are upper case as everywhere else."""
    scope: dict[str, str] = {}
    if not text or not text.strip():
        return scope
    for part in text.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or not key or not value:
            raise TradewindError(f"scope part {part.strip()!r} is not KEY=VALUE (e.g. marketplace=DE,sku=S1)")
        if allowed is not None and key not in allowed:
            raise TradewindError(f"unknown scope key {key!r}; use one of {', '.join(sorted(allowed))}")
        if key in scope:
            raise TradewindError(f"scope key {key!r} is given twice")
        scope[key] = value.upper() if key == "marketplace" else value
    return scope


def scopes_overlap(a: Scope, b: Scope) -> bool:
    """Two scopes concern the same business when they agree on every key both name: a note about
    marketplace DE applies to an alert on DE/SKU S1, and a note with no scope applies everywhere."""
    return all(a[k] == b[k] for k in a.keys() & b.keys())


# -- findings and alerts ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """What one rule found about one scope and period. The alert book turns findings into alerts,
    deduplicated by (rule, scope, period)."""

    rule_id: str
    kind: str
    severity: Severity
    scope: Scope
    period: str
    title: str
    title_zh: str
    detail: str = ""
    kpi: str | None = None
    observed: float | None = None
    threshold: float | None = None
    window: tuple[date, date] | None = None
    #: Supporting rows (the SKUs that differ, the conditions that failed), JSON-serialisable.
    evidence: tuple[Mapping[str, Any], ...] = ()
    owner: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule_id, scope_key(self.scope), self.period)


@dataclass(frozen=True)
class Alert:
    id: int
    rule_id: str
    kind: str
    severity: Severity
    status: AlertStatus
    scope: Scope
    period: str
    title: str
    title_zh: str
    detail: str
    kpi: str | None
    observed: float | None
    threshold: float | None
    window: tuple[date, date] | None
    evidence: tuple[Mapping[str, Any], ...]
    owner: str | None
    as_of: date
    first_seen_at: datetime
    last_seen_at: datetime
    status_at: datetime | None = None
    status_by: str | None = None
    status_reason: str | None = None
    notified_at: datetime | None = None

    def title_in(self, lang: str) -> str:
        return self.title_zh if lang == "zh" and self.title_zh else self.title


@dataclass(frozen=True)
class AlertEvent:
    alert_id: int
    at: datetime
    actor: str
    from_status: AlertStatus | None
    to_status: AlertStatus
    note: str | None


@dataclass(frozen=True)
class Explained:
    """A large move that a note explains: no alert, but `check` says which note explained it."""

    rule_id: str
    scope: Scope
    period: str
    title: str
    note_ids: tuple[int, ...]


@dataclass(frozen=True)
class RuleOutcome:
    """How one rule's evaluation went: `ok` (with its findings), `unavailable` (a KPI, dimension, plan or
    module it needs is not there yet: said plainly, not an error) or `error` (the data cannot answer)."""

    rule_id: str
    kind: str
    status: str  # ok | unavailable | error | disabled
    message: str = ""
    findings: tuple[Finding, ...] = ()
    explained: tuple[Explained, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    as_of: date
    outcomes: tuple[RuleOutcome, ...]
    new: tuple[Alert, ...] = ()
    updated: tuple[Alert, ...] = ()
    #: `tradewind.notify.Delivery` records of the notifications sent for the new alerts.
    deliveries: tuple[Any, ...] = field(default_factory=tuple)

    @property
    def new_needing_review(self) -> tuple[Alert, ...]:
        return tuple(a for a in self.new if a.severity.at_least(Severity.REVIEW))

    @property
    def explained(self) -> tuple[Explained, ...]:
        return tuple(e for o in self.outcomes for e in o.explained)
