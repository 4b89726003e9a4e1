"""The catalog's typed model: facts (how a fact table is dated, priced and sliced), measures
(aggregations over one fact) and KPIs of a closed set of types (simple, point-in-time, ratio, derived,
growth). All frozen: a loaded catalog is a value.

A KPI's *formula part* (type, unit and type parameters, plus those of everything it depends on) is what
its version hashes; names, direction and the written rule are its *wording*, which a translator may
change without making a new version.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Unit(StrEnum):
    MONEY = "money"
    COUNT = "count"
    RATIO = "ratio"
    DAYS = "days"
    HOURS = "hours"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Agg(StrEnum):
    SUM = "sum"
    COUNT = "count"
    COUNT_DISTINCT = "count_distinct"
    MAX = "max"
    MIN = "min"
    MEDIAN = "median"


ADDITIVE_AGGS = frozenset({Agg.SUM, Agg.COUNT})

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """A text in Chinese and English (both required: the board is read by both teams)."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Source(_Frozen):
    """Where a definition was read: file and line (for problems and `catalog show`)."""

    file: str
    line: int | None = None


# -- facts ------------------------------------------------------------------------------------------
class UnitPriceLookup(_Frozen):
    """A price looked up from another fact: Σ amount / Σ quantity over the source rows that match
    (optionally in the same month as this row). Provides `<name>` and `<name>_currency`."""

    kind: Literal["unit_price"]
    source: str
    match: tuple[str, ...] = Field(min_length=1)
    amount: str
    quantity: str
    filter: str | None = None
    same_month: bool = False
    currency: str = "currency"
    #: An earlier look-up of the same fact that this one stands in for: it is worked out only for rows
    #: where that one found nothing (a month's average price for returns whose order is not in the
    #: workspace), so pricing a few returns does not average every order line of their months.
    fallback_for: str | None = None
    description: str = ""


class EffectiveDatedLookup(_Frozen):
    """A value valid from a date until the next one (landed cost from `effective_from`), picked on
    this row's date. Provides `<name>` and `<name>_currency`."""

    kind: Literal["effective_dated"]
    source: str
    match: tuple[str, ...] = Field(min_length=1)
    effective_from: str
    value: str
    currency: str = "currency"
    description: str = ""


Lookup = Annotated[UnitPriceLookup | EffectiveDatedLookup, Field(discriminator="kind")]


class Activity(_Frozen):
    """Marks each row of a snapshot fact `active` when the SKU had stock now, or stock or sales in the
    `days` days before the snapshot (kpis.md: "active SKUs (sales or stock in the previous 30 days)")."""

    days: int = Field(ge=1)
    stock: str
    match: tuple[str, ...] = Field(min_length=1)
    sales_fact: str
    sales: str
    sales_filter: str | None = None


class FactDef(_Frozen):
    name: str
    description: str = ""
    #: How a scope with no rows of this fact reads: "zero" for event facts (no returns = 0 returns),
    #: "null" for reports that must be present (no traffic report = unknown sessions).
    when_absent: Literal["zero", "null"]
    #: Phrase for a null reason: "no traffic report".
    missing: str
    date: str | None = None
    date_range: tuple[str, str] | None = None
    currency: str | None = None
    snapshot: bool = False
    dims: dict[str, str] = Field(default_factory=dict)
    columns: dict[str, str] = Field(default_factory=dict)
    vat_country: str | None = None
    lookups: dict[str, Lookup] = Field(default_factory=dict)
    activity: Activity | None = None
    #: Columns each of whose values belongs to one account, marketplace and day (an order id: an
    #: order's lines share its purchase day and marketplace). Their distinct counts add up across
    #: days and marketplaces, so the daily rollup can hold them (see `engine/rollups.py`).
    distinct_per_day: tuple[str, ...] = ()
    source: Source | None = Field(default=None, exclude=True)

    @property
    def date_column(self) -> str:
        if self.date_range:
            return self.date_range[0]
        assert self.date is not None
        return self.date


# -- measures ---------------------------------------------------------------------------------------
class Window(_Frozen):
    """Aggregate this measure's fact over the `days` days before the last snapshot of `fact` in the
    bucket (days_of_supply: units sold in the 30 days before the snapshot)."""

    before: Literal["last_snapshot"] = "last_snapshot"
    fact: str
    days: int = Field(ge=1)


class MeasureBody(_Frozen):
    fact: str
    agg: Agg
    expr: str | None = None
    filter: str | None = None
    #: Currency of a money expression when it is not the fact's (a looked-up price's currency).
    currency: str | None = None
    #: A row expression that must not be null on counted rows; otherwise the measure is null.
    require: str | None = None
    require_label: str | None = None
    window: Window | None = None


class Measure(MeasureBody):
    id: str = Field(pattern=ID_PATTERN)
    unit: Unit
    description: str = ""
    #: "last": evaluated on the rows of the last snapshot in each bucket (point-in-time).
    snapshot: Literal["last"] | None = None
    source: Source | None = Field(default=None, exclude=True)


# -- KPIs -------------------------------------------------------------------------------------------
class _KpiBase(_Frozen):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    unit: Unit
    direction: Direction
    rule: Text
    #: Generate `<id>_mom` / `<id>_yoy` growth KPIs.
    growth: tuple[Literal["mom", "yoy"], ...] = ()
    source: Source | None = Field(default=None, exclude=True)


class SimpleKpi(_KpiBase):
    type: Literal["simple"]
    measure: str | MeasureBody


class PointInTimeKpi(_KpiBase):
    type: Literal["point_in_time"]
    measure: str | MeasureBody


class RatioKpi(_KpiBase):
    type: Literal["ratio"]
    numerator: str
    denominator: str


class DerivedKpi(_KpiBase):
    type: Literal["derived"]
    formula: str


class GrowthKpi(_KpiBase):
    type: Literal["growth"]
    base: str
    compare: Literal["mom", "yoy"]


Kpi = Annotated[SimpleKpi | PointInTimeKpi | RatioKpi | DerivedKpi | GrowthKpi, Field(discriminator="type")]
AnyKpi = SimpleKpi | PointInTimeKpi | RatioKpi | DerivedKpi | GrowthKpi

#: Names a formula may use besides KPI and measure ids.
BUILTINS: dict[str, str] = {
    "period_days": "days of the bucket (within the requested period, up to today)",
}


class VatRate(_Frozen):
    """A standard VAT rate valid from a date (until the next entry for the country)."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    valid_from: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    rate: float = Field(ge=0, lt=1)
