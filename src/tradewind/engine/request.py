"""What a caller asks (`KpiRequest`), how the engine is set up (`EngineSettings`), and the request
after validation against the catalog (`ResolvedRequest`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tradewind.catalog import Catalog
from tradewind.catalog.dimensions import DIMENSIONS, TIME_DIMENSIONS
from tradewind.core.errors import QueryError
from tradewind.core.periods import Calendar, Grain, Period

FX_MODES = ("ecb", "monthly")


@dataclass(frozen=True)
class EngineSettings:
    reporting_currency: str = "USD"
    #: "ecb": the ECB reference rate of the fact's date (latest earlier business day on weekends and
    #: holidays, cross rates through EUR); "monthly": a rate agreed per month.
    fx_mode: str = "ecb"
    #: Marketplace -> IANA zone. Facts are already dated in local time at import; kept for callers that
    #: need to say which zone a date is in.
    timezones: Mapping[str, str] = field(default_factory=dict)
    #: "Today" for provisional marking and elapsed days; None = the machine's date.
    today: date | None = None
    fiscal_year_start_month: int = 1
    #: The last N days before today are provisional (Amazon restates them).
    provisional_days: int = 3
    #: On a DuckDB backend the engine caps the database's memory at this (DuckDB then spills large
    #: aggregates to disk instead of growing: the board over 10M order lines otherwise holds GBs).
    #: The setting is the database's, so it also bounds other work on that connection (imports spill
    #: the same way). None leaves the connection's settings as they are.
    duckdb_memory_limit: str | None = "1GB"

    def __post_init__(self) -> None:
        if self.fx_mode not in FX_MODES:
            raise QueryError(f"fx_mode {self.fx_mode!r} is not one of {', '.join(FX_MODES)}")
        object.__setattr__(self, "reporting_currency", self.reporting_currency.upper())
        if isinstance(self.today, str):
            object.__setattr__(self, "today", date.fromisoformat(self.today))

    @property
    def calendar(self) -> Calendar:
        return Calendar(self.fiscal_year_start_month)

    @property
    def today_or_now(self) -> date:
        return self.today or date.today()


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return (str(value),)


@dataclass(frozen=True)
class KpiRequest:
    kpis: tuple[str, ...]
    by: tuple[str, ...] = ()
    period: str | None = None
    where: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    currency: str | None = None

    def __post_init__(self) -> None:
        # accept lists and comma-separated strings from YAML, JSON and the CLI
        object.__setattr__(self, "kpis", _strings(self.kpis))
        object.__setattr__(self, "by", _strings(self.by))
        object.__setattr__(self, "where", {str(k): _strings(v) for k, v in (self.where or {}).items()})
        if self.period is not None:
            object.__setattr__(self, "period", str(self.period))


@dataclass(frozen=True)
class ResolvedRequest:
    kpis: tuple[str, ...]
    grain: Grain | None
    dims: tuple[str, ...]
    period: Period | None
    where: Mapping[str, tuple[str, ...]]
    currency: str


def resolve(request: KpiRequest, catalog: Catalog, settings: EngineSettings) -> ResolvedRequest:
    if not request.kpis:
        raise QueryError("no KPI asked for; 'tradewind catalog list' shows the KPIs")
    for kpi in request.kpis:
        if catalog.kpi(kpi) is None:
            close = [k for k in catalog.ids() if kpi.lower() in k or k in kpi.lower()][:5]
            hint = (
                f"; did you mean {', '.join(close)}?"
                if close
                else "; 'tradewind catalog list' shows the KPIs"
            )
            raise QueryError(f"unknown KPI {kpi!r}{hint}")
    grains = [b for b in request.by if b in TIME_DIMENSIONS]
    if len(grains) > 1:
        raise QueryError(f"at most one time grain in --by, not {', '.join(grains)}")
    dims: list[str] = []
    for b in request.by:
        if b in TIME_DIMENSIONS:
            continue
        if b not in DIMENSIONS:
            raise QueryError(
                f"unknown dimension {b!r}; use a time grain ({', '.join(TIME_DIMENSIONS)}) or one of "
                f"{', '.join(DIMENSIONS)}"
            )
        if b not in dims:
            dims.append(b)
    for key in request.where:
        if key not in DIMENSIONS:
            raise QueryError(f"cannot filter on {key!r}; filter on one of {', '.join(DIMENSIONS)}")
        if not request.where[key]:
            raise QueryError(f"the filter on {key!r} has no values")
    period = settings.calendar.parse(request.period) if request.period else None
    currency = (request.currency or settings.reporting_currency).upper()
    if len(currency) != 3 or not currency.isalpha():
        raise QueryError(f"currency {currency!r} is not an ISO code like USD or EUR")
    return ResolvedRequest(
        kpis=tuple(dict.fromkeys(request.kpis)),
        grain=Grain(grains[0]) if grains else None,
        dims=tuple(dims),
        period=period,
        where=dict(request.where),
        currency=currency,
    )
