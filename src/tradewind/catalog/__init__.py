"""The KPI catalog: every KPI written once, as YAML data, with a version that is a hash of its rule."""

from __future__ import annotations

from tradewind.catalog.catalog import Catalog, ProductDims
from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import load_catalog, read_catalog
from tradewind.catalog.models import (
    AnyKpi,
    DerivedKpi,
    FactDef,
    GrowthKpi,
    Measure,
    PointInTimeKpi,
    RatioKpi,
    SimpleKpi,
    Unit,
)

__all__ = [
    "AnyKpi",
    "Catalog",
    "DerivedKpi",
    "FactDef",
    "GrowthKpi",
    "Issue",
    "Measure",
    "PointInTimeKpi",
    "ProductDims",
    "RatioKpi",
    "SimpleKpi",
    "Unit",
    "load_catalog",
    "read_catalog",
]
