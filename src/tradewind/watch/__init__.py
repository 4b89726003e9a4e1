"""Watch: pacing against plans, threshold and quality rules, data freshness and reconciliation, alerts
with a lifecycle, reviews (复盘) with minutes and action items, the external-variables log, and driver
analysis of GMV changes."""

from __future__ import annotations

from tradewind.watch.model import Alert, AlertStatus, CheckReport, Finding, Severity

__all__ = ["Alert", "AlertStatus", "CheckReport", "Finding", "Severity"]
