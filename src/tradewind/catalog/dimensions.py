"""The dimensions a KPI can be sliced by. Which column of which fact gives a dimension is catalog data
(`facts.yaml`); this module only names them."""

from __future__ import annotations

from tradewind.core.periods import GRAINS

TIME_DIMENSIONS: tuple[str, ...] = GRAINS
#: Non-time dimensions, in the order result rows show them.
DIMENSIONS: tuple[str, ...] = (
    "account",
    "region",
    "marketplace",
    "channel",
    "sku",
    "asin",
    "parent_asin",
    "person",
    "category",
    "brand",
)
#: Dimensions that say which report must be present, not which product: a fact missing for one of
#: these scopes is "no data", while a SKU missing from a present report simply had none.
COVERAGE_DIMENSIONS: frozenset[str] = frozenset({"account", "region", "marketplace"})
#: Names a KPI or measure id may not take (they are row keys of a result).
RESERVED: frozenset[str] = frozenset({*TIME_DIMENSIONS, *DIMENSIONS, "period"})
