"""`KpiResult`: the answer to a request, as the contract's dict or as rows."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tradewind.catalog.models import Unit


@dataclass(frozen=True)
class KpiMeta:
    version: str
    unit: str

    def to_dict(self) -> dict[str, str]:
        return {"version": self.version, "unit": self.unit}


@dataclass
class KpiResult:
    """Rows are built from `frame` on first use: a million-row board stays a DataFrame unless asked."""

    currency: str
    grain: str | None
    dims: tuple[str, ...]
    kpis: dict[str, KpiMeta]
    frame: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    _rows: list[dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def rows(self) -> list[dict[str, Any]]:
        if self._rows is None:
            self._rows = frame_rows(self.frame, self.kpis)
        return self._rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "grain": self.grain,
            "kpis": {k: m.to_dict() for k, m in self.kpis.items()},
            "rows": self.rows,
            "warnings": list(self.warnings),
        }


def output_value(value: Any, unit: str) -> Any:
    """Money to cents, counts to int, ratios untouched; NaN to None."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    if unit == Unit.MONEY:
        return round(number + 0.0, 2) + 0.0
    if unit == Unit.COUNT:
        return round(number)
    return number


def frame_rows(frame: pd.DataFrame, kpis: dict[str, KpiMeta]) -> list[dict[str, Any]]:
    """The contract's rows: keys, KPI values (money to cents, counts as int, null as None), then
    `_provisional` and `_null_reasons` only where they apply."""
    rows: list[dict[str, Any]] = []
    if frame.empty:
        return rows
    keys = [c for c in frame.columns if not c.startswith("_") and c not in kpis]
    units = {k: m.unit for k, m in kpis.items()}
    reason_cols = {k: f"_reason__{k}" for k in kpis if f"_reason__{k}" in frame.columns}
    columns = {c: frame[c].tolist() for c in frame.columns}
    for i in range(len(frame)):
        row: dict[str, Any] = {}
        for key in keys:
            value = columns[key][i]
            row[key] = None if _is_null(value) else value
        reasons: dict[str, str] = {}
        for kpi, unit in units.items():
            value = output_value(columns[kpi][i], unit)
            row[kpi] = value
            if value is None:
                reason = columns[reason_cols[kpi]][i] if kpi in reason_cols else None
                reasons[kpi] = reason if isinstance(reason, str) and reason else "no data"
        if "_provisional" in columns and columns["_provisional"][i]:
            row["_provisional"] = True
        if reasons:
            row["_null_reasons"] = reasons
        rows.append(row)
    return rows


def _is_null(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
