"""Small helpers the rule evaluators share: windows, dedupe buckets, number formatting, scope labels."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from tradewind.core.periods import Calendar, Grain

SCOPE_ORDER = ("plan", "account", "region", "marketplace", "channel", "campaign", "sku", "asin", "language")


def trailing(as_of: date, days: int) -> tuple[date, date]:
    """The `days` days ending with `as_of` (inclusive)."""
    return as_of - timedelta(days=days - 1), as_of


def range_text(start: date, end: date) -> str:
    return f"{start.isoformat()}..{end.isoformat()}"


def bucket_label(calendar: Calendar, grain: str, day: date) -> str:
    return calendar.bucket(Grain(grain), day).label


def fmt(value: float | None, unit: str | None = None, like: float | None = None) -> str:
    """A figure as people read it: ratios as percentages (unless the threshold they are compared with
    is a multiple, like ROAS 2.5), money and counts with separators, days with one decimal."""
    if value is None:
        return "n/a"
    if unit == "ratio" and (like is None or abs(like) <= 1.5):
        return f"{value * 100:.1f}%"
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "money":
        return f"{value:,.2f}"
    if unit == "count":
        return f"{value:,.0f}"
    if unit in ("days", "hours"):
        return f"{value:,.1f}"
    return f"{value:,.4g}"


def ordered_scope(scope: Mapping[str, Any]) -> dict[str, str]:
    """Scope keys in a stable, readable order (plan, account, marketplace, ..., then the rest)."""
    known = [k for k in SCOPE_ORDER if k in scope]
    rest = sorted(k for k in scope if k not in SCOPE_ORDER)
    return {k: str(scope[k]) for k in (*known, *rest) if scope[k] is not None}


def scope_label(scope: Mapping[str, str]) -> str:
    """`acme-eu / DE / sku S1` for titles: values, with the key where a bare value would be ambiguous."""
    parts = []
    for key, value in ordered_scope(scope).items():
        if key in ("account", "marketplace", "region"):
            parts.append(value)
        elif key == "window":
            continue
        else:
            parts.append(f"{key} {value}")
    return " / ".join(parts) if parts else "all"


def unit_of(catalog: Any, kpi: str) -> str | None:
    found = catalog.kpi(kpi)
    return getattr(getattr(found, "unit", None), "value", None)


def beyond(value: float, bound: float, *, above: bool) -> bool:
    """`value` strictly above (or below) `bound`, where a figure equal to the bound up to float noise
    (1300 / 1000 − 1 = 0.30000000000000004) counts as equal: "just inside" stays quiet."""
    if math.isclose(value, bound, rel_tol=1e-9, abs_tol=1e-12):
        return False
    return value > bound if above else value < bound
