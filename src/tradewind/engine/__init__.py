"""The KPI engine: the only code that builds queries (Ibis: DuckDB by default, PySpark too)."""

from __future__ import annotations

from tradewind.engine.engine import KpiEngine
from tradewind.engine.request import EngineSettings, KpiRequest
from tradewind.engine.result import KpiResult

__all__ = ["EngineSettings", "KpiEngine", "KpiRequest", "KpiResult"]
