"""Lineage: what made a figure. The formula and its version, the value of every measure and KPI it is
built from, the exchange rates used, and the files (name, sha256, import time) and rows behind it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np

from tradewind.catalog.describe import formula_text
from tradewind.engine.columns import Reasons
from tradewind.engine.fx import FxConversion
from tradewind.engine.result import output_value


@dataclass(frozen=True)
class Part:
    """One KPI or measure the figure is built from, with its value in the same scope."""

    id: str
    version: str
    kind: str  # "kpi" or "measure"
    formula: str
    unit: str
    value: Any
    null_reason: str | None = None


@dataclass(frozen=True)
class SourceFile:
    fact: str
    import_id: str
    file_name: str | None
    sha256: str | None
    imported_at: str | None
    rows: int


@dataclass(frozen=True)
class SourceRow:
    fact: str
    import_id: str
    file_name: str | None
    row: int


@dataclass(frozen=True)
class RateUsed:
    currency: str
    target: str
    day: str
    rate: float
    published: str  # e.g. "ECB EUR->USD 1.0800 of 2026-03-06"


@dataclass
class Explanation:
    kpi: str
    version: str
    name_zh: str
    name_en: str
    unit: str
    formula: str
    rule_zh: str
    rule_en: str
    period: str | None
    where: dict[str, list[str]]
    currency: str
    value: Any
    null_reason: str | None
    parts: list[Part] = field(default_factory=list)
    rates: list[RateUsed] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    rows: list[SourceRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def part_of(catalog: Any, name: str, values: np.ndarray, reasons: Reasons) -> Part:
    is_kpi = name in catalog.kpis
    unit = (catalog.kpis[name] if is_kpi else catalog.measures[name]).unit.value
    raw = float(values[0]) if len(values) else float("nan")
    value = output_value(raw, unit)
    reason = None if value is not None else (reasons[0] if len(reasons) and reasons[0] else "no data")
    return Part(
        name,
        catalog.version(name),
        "kpi" if is_kpi else "measure",
        formula_text(catalog, name),
        unit,
        value,
        reason,
    )


def rates_used(conversions: list[FxConversion]) -> list[RateUsed]:
    out = []
    for c in sorted(conversions, key=lambda c: (c.currency, c.day)):
        if c.currency == c.target:
            continue
        legs = "; ".join(
            f"{leg.kind.upper()} {leg.base}->{leg.quote} {leg.rate:.6g} of {leg.rate_date}" for leg in c.legs
        )
        out.append(RateUsed(c.currency, c.target, c.day.isoformat(), c.rate, legs))
    return out


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)
