"""Compliance: registrations missing, invalid, expired, not yet valid or expiring, as the compliance
module finds them (VAT and EPR registrations, GTINs). One alert per requirement and status, so a
registration that stays missing is one alert, and the same one turning from expiring to expired is a
new, more severe one."""

from __future__ import annotations

from typing import Any

from tradewind.watch.context import Unavailable, WatchContext
from tradewind.watch.evaluate._common import ordered_scope, scope_label
from tradewind.watch.model import Finding
from tradewind.watch.ruleset import ComplianceRule

STATUS_ZH = {
    "expiring": "即将到期",
    "not_yet_valid": "尚未生效",
    "expired": "已过期",
    "invalid": "无效",
    "missing": "缺失",
}


def _value(obj: Any) -> str | None:
    value = getattr(obj, "value", obj)
    return None if value is None else str(value)


def evaluate_compliance(rule: ComplianceRule, ctx: WatchContext) -> list[Finding]:
    if ctx.compliance is None:
        raise Unavailable("compliance not available: this Tradewind has no compliance module yet")
    report = ctx.compliance(ctx.as_of)
    findings: list[Finding] = []
    for gap in getattr(report, "gaps", ()):
        status = _value(gap.status) or "unknown"
        kind = _value(gap.kind) or "registration"
        scope_raw: dict[str, Any] = {
            "account": gap.account_id,
            "registration": kind,
            "country": gap.country,
            "category": gap.category,
        }
        if kind == "gtin":
            scope_raw["gtin"] = gap.held
        scope = ordered_scope(scope_raw)
        expiring = status == "expiring"
        valid_to = getattr(gap, "valid_to", None)
        period = status + (
            f" {valid_to.isoformat()}" if valid_to is not None and status in ("expiring", "expired") else ""
        )
        what = " ".join(x for x in (kind.upper(), gap.country, gap.category) if x)
        skus = tuple(getattr(gap, "skus", ()) or ())
        findings.append(
            Finding(
                rule_id=rule.id,
                kind=rule.kind,
                severity=rule.expiring_severity if expiring else rule.severity,
                scope=scope,
                period=period,
                title=f"{scope_label({'account': gap.account_id})}: {what} registration {status.replace('_', ' ')}: "
                f"{gap.detail}",
                title_zh=f"{gap.account_id}：{what} 注册{STATUS_ZH.get(status, status)}：{gap.detail}",
                detail="; ".join(getattr(gap, "required_because", ()) or ()),
                observed=None,
                window=(ctx.as_of, valid_to) if expiring and valid_to is not None else None,
                evidence=tuple({"sku": s} for s in skus[:20]),
                owner=rule.owner,
            )
        )
    return findings
