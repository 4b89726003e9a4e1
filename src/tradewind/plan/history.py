"""The seller's own history of a KPI, read through the KPI engine (never by hand-written SQL): daily
values per marketplace (seasonality, day-of-week profiles, event lifts, growth percentiles) and the last
twelve months per marketplace × channel × SKU × person (shares, ABC tiers).

Amounts come back as integers in minor units, so every share computed from them is an exact fraction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from tradewind.engine import KpiEngine, KpiRequest
from tradewind.plan.amounts import PlanError
from tradewind.plan.calendar import add_months, month_end, month_start

#: Months of history seasonality and shares learn from, at most.
SEASON_MONTHS = 24
SHARE_MONTHS = 12
#: Months of daily history read: two years of seasonality and a year before them for YoY growth.
DAILY_MONTHS = 36


@dataclass(frozen=True)
class History:
    currency: str
    scale: int
    #: The last day of the last complete month of data before the plan (None: no data at all).
    last: date | None
    #: marketplace -> day -> amount (minor units); days without sales are absent.
    daily: dict[str, dict[date, int]] = field(default_factory=dict)
    #: (marketplace, *other levels) -> amount over the last SHARE_MONTHS months.
    paths: dict[tuple[str, ...], int] = field(default_factory=dict)
    #: (marketplace, channel) -> the account that sells there the most (for owners of new SKUs).
    accounts: dict[tuple[str, str], str] = field(default_factory=dict)
    #: sku -> amount over the last SHARE_MONTHS months, all marketplaces (ABC tiers).
    sku_totals: dict[str, int] = field(default_factory=dict)

    @property
    def share_first(self) -> date | None:
        return None if self.last is None else add_months(month_start(self.last), 1 - SHARE_MONTHS)


def _minor(value: object, scale: int) -> int:
    if value is None:
        return 0
    return round(float(value) * scale)  # type: ignore[arg-type]


def _check_split(warnings: Sequence[str], kpi: str) -> None:
    for w in warnings:
        if "cannot be split by" in w:
            raise PlanError(
                f"{kpi} cannot be planned at these levels: {w}. Leave that level out of --levels."
            )


def read_history(
    engine: KpiEngine,
    kpi: str,
    *,
    levels: Sequence[str],
    before: date,
    today: date,
    currency: str,
    scale: int,
) -> History:
    """History of `kpi` before `before` (the plan's first day), up to the last complete month of data
    on or before `today`."""
    end = min(before - timedelta(days=1), today - timedelta(days=1))
    first = add_months(month_start(end), 1 - DAILY_MONTHS)
    result = engine.run(
        KpiRequest(kpis=(kpi,), by=("day", "marketplace"), period=f"{first}..{end}", currency=currency)
    )
    _check_split(result.warnings, kpi)
    daily: dict[str, dict[date, int]] = defaultdict(dict)
    last_day: date | None = None
    for row in result.rows:
        amount = _minor(row.get(kpi), scale)
        if not amount or row.get("marketplace") is None:
            continue
        day = date.fromisoformat(str(row["period"]))
        daily[str(row["marketplace"])][day] = amount
        last_day = day if last_day is None or day > last_day else last_day
    if last_day is None:
        return History(currency, scale, None)
    # The month of the last sale counts as complete unless it is not over yet: a month still running
    # would read as a sales collapse.
    last = month_end(last_day) if month_end(last_day) <= end else month_start(last_day) - timedelta(days=1)
    if last < first:
        return History(currency, scale, None)
    daily = {m: {d: a for d, a in days.items() if d <= last} for m, days in daily.items()}
    share_first = add_months(month_start(last), 1 - SHARE_MONTHS)
    dims = ("account", "marketplace", *[lv for lv in levels if lv != "marketplace"])
    result = engine.run(KpiRequest(kpis=(kpi,), by=dims, period=f"{share_first}..{last}", currency=currency))
    _check_split(result.warnings, kpi)
    paths: dict[tuple[str, ...], int] = defaultdict(int)
    by_account: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    skus: dict[str, int] = defaultdict(int)
    for row in result.rows:
        amount = _minor(row.get(kpi), scale)
        if amount <= 0 or row.get("marketplace") is None:
            continue
        key = tuple(_label(row.get(d)) for d in dims[1:])
        paths[key] += amount
        channel = _label(row.get("channel")) if "channel" in levels else ""
        by_account[(str(row["marketplace"]), channel)][_label(row.get("account"))] += amount
        if "sku" in levels:
            skus[_label(row.get("sku"))] += amount
    accounts = {k: max(v.items(), key=lambda kv: (kv[1], kv[0]))[0] for k, v in by_account.items()}
    return History(currency, scale, last, dict(daily), dict(paths), accounts, dict(skus))


def _label(value: object) -> str:
    """A dimension value as a plan keys it: '' for none (a SKU without an owner has person '')."""
    if value is None:
        return ""
    text = str(value)
    return "" if text.lower() == "nan" else text
