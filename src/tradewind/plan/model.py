"""What a plan is: a header, and versions that each hold every target cell and level target.

A version is a complete plan, not a patch: reading the plan in force on a date is reading one version,
and the difference between two versions is computed, never reconstructed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tradewind.plan.amounts import PlanError

#: The levels a plan can split by, in the order the split goes (month is always the first).
LEVELS: tuple[str, ...] = ("month", "marketplace", "channel", "sku", "person")
DIM_LEVELS: tuple[str, ...] = LEVELS[1:]
COMPARATORS: tuple[str, ...] = (">=", "<=", "between")


def parse_levels(text: str | Sequence[str]) -> tuple[str, ...]:
    """`month,marketplace,sku` -> ('marketplace', 'sku'): the dimension levels, in canonical order."""
    items = [t.strip().lower() for t in (text.split(",") if isinstance(text, str) else text) if t.strip()]
    unknown = [t for t in items if t not in LEVELS]
    if unknown:
        raise PlanError(f"unknown level {unknown[0]!r}; levels are {', '.join(LEVELS)}")
    if "month" not in items or "marketplace" not in items:
        raise PlanError(
            "--levels must include month and marketplace: months are split by each marketplace's own "
            "seasonality (e.g. --levels month,marketplace,channel,sku,person)"
        )
    return tuple(level for level in DIM_LEVELS if level in items)


@dataclass(frozen=True)
class Cell:
    """One target at the plan's finest grain: a month and one value per dimension level."""

    month: str
    key: tuple[str, ...]
    amount: int
    held: bool = False

    @property
    def path(self) -> tuple[str, ...]:
        return (self.month, *self.key)


def scope_key(scope: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), str(v)) for k, v in scope.items()))


@dataclass(frozen=True)
class LevelTarget:
    """A level target (a ratio or a level such as acos <= 25%): set on a scope, inherited by its children
    unless one of them has its own."""

    kpi: str
    kpi_version: str
    scope: tuple[tuple[str, str], ...]
    period: str
    comparator: str
    value: float
    upper: float | None = None
    owner: str | None = None
    data_source: str | None = None
    gate: bool = False

    def __post_init__(self) -> None:
        if self.comparator not in COMPARATORS:
            raise PlanError(
                f"a level target compares with one of {', '.join(COMPARATORS)}, not {self.comparator!r}"
            )
        if self.comparator == "between" and (self.upper is None or self.upper < self.value):
            raise PlanError(
                f"{self.kpi} between {self.value} and {self.upper}: the upper bound must be >= the lower"
            )

    @property
    def scope_map(self) -> dict[str, str]:
        return dict(self.scope)

    @property
    def ident(self) -> tuple[str, tuple[tuple[str, str], ...], str]:
        return (self.kpi, self.scope, self.period)

    def describe(self) -> str:
        if self.comparator == "between":
            bound = f"between {_num(self.value)} and {_num(self.upper)}"
        else:
            bound = f"{self.comparator} {_num(self.value)}"
        where = ", ".join(f"{k}={v}" for k, v in self.scope) or "company"
        return f"{self.kpi} {bound} ({where}, {self.period})"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class DailyProfile(BaseModel):
    """How a marketplace's month spreads over its days: a day-of-week profile (Monday first) and the
    lift of each event day of the plan year."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dow: tuple[float, float, float, float, float, float, float] = (1.0,) * 7
    lifts: dict[str, float] = Field(default_factory=dict)


class PlanSettings(BaseModel):
    """Everything a version was made from and says about itself, kept as JSON with the version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    history_first: date | None = None
    history_last: date | None = None
    growth: dict[str, float] = Field(default_factory=dict)
    shares: dict[str, float] = Field(default_factory=dict)
    owners: dict[str, str] = Field(default_factory=dict)
    tiers: dict[str, str] = Field(default_factory=dict)
    curves: dict[str, str] = Field(default_factory=dict)
    daily: dict[str, DailyProfile] = Field(default_factory=dict)
    growth_cap: float = 1.0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanHeader:
    name: str
    kpi: str
    year: int
    currency: str
    unit: str
    scale: int
    levels: tuple[str, ...]
    owner: str | None
    status: str
    created_at: datetime
    created_by: str
    start_month: int = 1
    kind: str = "additive"

    def month_labels(self) -> list[str]:
        """The plan's twelve months ('2027-01'...), from the fiscal year's first month."""
        index = self.year * 12 + self.start_month - 1
        return [f"{(index + k) // 12}-{(index + k) % 12 + 1:02d}" for k in range(12)]


@dataclass(frozen=True)
class PlanVersion:
    plan: str
    version: int
    created_at: datetime
    created_by: str
    reason: str
    effective_from: date
    kpi_version: str
    total: int
    data_source: str | None
    settings: PlanSettings
    cells: tuple[Cell, ...]
    level_targets: tuple[LevelTarget, ...] = ()
    diff: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Plan:
    header: PlanHeader
    versions: tuple[PlanVersion, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return self.header.name

    @property
    def latest(self) -> PlanVersion:
        return self.versions[-1]

    def version(self, number: int) -> PlanVersion:
        for v in self.versions:
            if v.version == number:
                return v
        known = ", ".join(str(v.version) for v in self.versions)
        raise PlanError(f"plan {self.name!r} has no version {number} (versions: {known})")

    def in_force(self, day: date) -> PlanVersion:
        """The version in force on `day`: the latest-numbered version whose effective date is on or
        before it (a revision `--from 2027-10` governs October on; September stays measured against the
        version before). Before the first version's effective date, the first version."""
        found = [v for v in self.versions if v.effective_from <= day]
        return max(found, key=lambda v: v.version) if found else self.versions[0]
