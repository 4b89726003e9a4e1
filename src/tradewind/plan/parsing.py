"""What a planner types, read into values: growth by key, shares and cells by path, level targets.

Paths name a node of the plan's tree by its values in level order, separated by `/`:
`2027-11` (a month), `2027-11/DE` (DE in November), `DE` (DE over the year), `*/US/amazon_fba/S1`
(that SKU in every month), `US/amazon_fba/NEW-1` (a SKU, for a share).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from tradewind.catalog.dimensions import DIMENSIONS
from tradewind.plan.amounts import PlanError
from tradewind.plan.model import COMPARATORS

MONTH = re.compile(r"^\d{4}-\d{2}$")


def parse_number(text: str, what: str) -> Decimal:
    value = text.strip().replace(",", "")
    percent = value.endswith("%")
    try:
        number = Decimal(value.rstrip("%").strip())
    except InvalidOperation:
        raise PlanError(f"{what}: {text!r} is not a number") from None
    if not number.is_finite():
        raise PlanError(f"{what}: {text!r} is not a number")
    return number / 100 if percent else number


def _pairs(text: str | Iterable[str] | None) -> list[tuple[str, str]]:
    if text is None:
        return []
    items = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    out = []
    for item in items:
        if not item.strip():
            continue
        key, sep, value = item.rpartition("=")
        if not sep or not key.strip():
            raise PlanError(f"{item.strip()!r} is not KEY=VALUE")
        out.append((key.strip(), value.strip()))
    return out


def parse_growth(text: str | Iterable[str] | None) -> dict[str, Fraction]:
    """`DE=0.3,US=15%` -> {'DE': 3/10, 'US': 3/20}. Keys: marketplaces, channels, or SKU tiers A/B/C."""
    out: dict[str, Fraction] = {}
    for key, value in _pairs(text):
        number = parse_number(value, f"growth for {key}")
        if number <= -1:
            raise PlanError(f"growth for {key} is {value}: a growth of -100% or less leaves nothing to plan")
        out[key.upper() if len(key) <= 2 else key] = Fraction(number)
    return out


def split_path(text: str) -> tuple[str | None, tuple[str, ...]]:
    """`2027-11/DE` -> ('2027-11', ('DE',)); `DE` -> (None, ('DE',)); `*/DE` -> ('*', ('DE',))."""
    parts = [p.strip() for p in text.strip().strip("/").split("/")]
    if not parts or any(not p for p in parts):
        raise PlanError(f"{text!r} is not a path like 2027-11/DE or US/amazon_fba/SKU")
    if parts[0] == "*" or MONTH.match(parts[0]):
        return parts[0], tuple(parts[1:])
    return None, tuple(parts)


def normalise_path(path: tuple[str, ...], levels: tuple[str, ...]) -> tuple[str, ...]:
    if len(path) > len(levels):
        raise PlanError(
            f"{'/'.join(path)} has {len(path)} parts, but the plan splits by only {len(levels)} "
            f"({', '.join(levels)})"
        )
    if path and "marketplace" in levels and levels[0] == "marketplace":
        path = (path[0].upper(), *path[1:])
    return path


def parse_shares(
    text: str | Iterable[str] | None, levels: tuple[str, ...]
) -> dict[tuple[str, ...], Fraction]:
    """`IT=0.05,US/amazon_fba/NEW-1=0.1`: a share of the parent (IT: 5% of the total)."""
    out: dict[tuple[str, ...], Fraction] = {}
    for key, value in _pairs(text):
        month, path = split_path(key)
        if month is not None:
            raise PlanError(f"share {key}: a share is for the whole year; leave the month out")
        out[normalise_path(path, levels)] = Fraction(parse_number(value, f"share for {key}"))
    return out


@dataclass(frozen=True)
class CellSet:
    """`--set PATH=AMOUNT`: a month (or `*` for every month, None for the year) and a node path."""

    month: str | None
    path: tuple[str, ...]
    amount: Decimal
    text: str


def parse_sets(items: Iterable[str], levels: tuple[str, ...]) -> list[CellSet]:
    out = []
    for item in items:
        key, sep, value = item.rpartition("=")
        if not sep:
            raise PlanError(f"--set {item!r} is not PATH=AMOUNT (e.g. 2027-11/DE=500000)")
        month, path = split_path(key)
        if month is None and not path:
            raise PlanError(f"--set {item!r}: say which cell")
        amount = parse_number(value, f"--set {key}")
        out.append(CellSet(month, normalise_path(path, levels), amount, item))
    return out


def parse_holds(items: Iterable[str], levels: tuple[str, ...]) -> list[tuple[str | None, tuple[str, ...]]]:
    out = []
    for item in items:
        month, path = split_path(item)
        out.append((month, normalise_path(path, levels)))
    return out


@dataclass(frozen=True)
class LevelSpec:
    kpi: str
    comparator: str
    value: float
    upper: float | None
    scope: Mapping[str, str]
    period: str | None


_LEVEL = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(>=|<=|=)\s*([^@]+?)\s*(?:@\s*(.*))?$")


def parse_level(text: str) -> LevelSpec:
    """`acos<=0.25`, `cvr>=12%@marketplace=US`, `days_of_supply=30..90@marketplace=DE,period=2027-11`."""
    m = _LEVEL.match(text)
    if not m:
        raise PlanError(
            f"level target {text!r} is not understood; write KPI<=VALUE, KPI>=VALUE or KPI=LOW..HIGH, "
            "optionally @marketplace=DE (e.g. acos<=0.25@marketplace=US)"
        )
    kpi, op, bound, where = m.groups()
    upper: float | None = None
    if op == "=":
        low_text, sep, high_text = bound.partition("..")
        if not sep:
            raise PlanError(
                f"level target {text!r}: '=' takes a range LOW..HIGH (e.g. days_of_supply=30..90)"
            )
        comparator = "between"
        value = float(parse_number(low_text, text))
        upper = float(parse_number(high_text, text))
    else:
        comparator = op
        value = float(parse_number(bound, text))
    assert comparator in COMPARATORS
    scope: dict[str, str] = {}
    period: str | None = None
    for key, val in _pairs(where):
        if key == "period":
            period = val
        elif key not in DIMENSIONS:
            raise PlanError(f"level target {text!r}: {key!r} is not a dimension ({', '.join(DIMENSIONS)})")
        else:
            scope[key] = val.upper() if key in ("marketplace", "region") else val
    return LevelSpec(kpi, comparator, value, upper, scope, period)
