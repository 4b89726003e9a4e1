"""The dimensions a KPI can be sliced by. Which column of which fact gives a dimension is catalog data
(`facts.yaml` and the `facts:` sections of the KPI files); this module only names them.

Not every fact has every dimension: `channel` is on order lines but not on traffic, `campaign` only on
ad rows, `language` only on customer-service tickets. A request split (or filtered) by a dimension that a
fact it reads does not have leaves the KPIs built on that fact empty (null), with the warning
"<fact> cannot be split by <dimension>: <kpis> left empty"; the KPIs whose facts have it are still
computed. An empty figure says "not answerable at this grain", where spreading the fact over the
dimension's values (or repeating its total on every row) would invent numbers."""

from __future__ import annotations

from tradewind.core.periods import GRAINS

TIME_DIMENSIONS: tuple[str, ...] = GRAINS
#: Non-time dimensions, in the order result rows show them.
DIMENSIONS: tuple[str, ...] = (
    "account",
    "region",
    "marketplace",
    "channel",
    "campaign",
    "sku",
    "asin",
    "parent_asin",
    "person",
    "category",
    "brand",
    "language",
)
#: Dimensions that say which report must be present, not which product: a fact missing for one of
#: these scopes is "no data", while a SKU missing from a present report simply had none.
COVERAGE_DIMENSIONS: frozenset[str] = frozenset({"account", "region", "marketplace"})
#: Names a KPI or measure id may not take (they are row keys of a result).
RESERVED: frozenset[str] = frozenset({*TIME_DIMENSIONS, *DIMENSIONS, "period"})
