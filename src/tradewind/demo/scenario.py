"""What a demo run is: its size, its seed and the fixed "today" it is generated for.

Everything the demo writes is a function of a `DemoScenario`, so the same scenario gives
byte-identical files. "Today" is a parameter (never the wall clock inside the generator): the CLI
passes the current month so the demo looks current; tests pass a fixed date.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

#: Months of history the demo covers, ending with the last full month before "today".
HISTORY_MONTHS = 24


@dataclass(frozen=True)
class Cadence:
    """How often the seller downloads each report: the number of files the demo imports.

    Every import has a fixed cost (about 0.1-0.2 s today, whatever the file's size), so the file count,
    not the data volume, sets how long the demo takes. The data is the same at every cadence; only how
    it is cut into files differs. All cadence choices live here.
    """

    #: Months per All Orders file (per account) and per Shopify export.
    orders_months: int
    shop_months: int
    #: Months per Business Report (per marketplace); a report covering several months is a range fact.
    business_report_months: int
    #: Months per FBA customer returns file (per account).
    returns_months: int
    #: Months per Ads console download, and the last months pulled through the Ads API instead (US;
    #: one file per month, the API's limit being 31 days).
    ads_console_months: int
    ads_api_months: int
    #: Settlements (fortnightly, per marketplace currency) of the last N days only (None: all).
    settlement_days: int | None
    #: Inventory snapshots: at every Nth month end, weekly for the last N weeks, daily for the last N
    #: days (plus one inside each planted stock-out).
    inventory_month_ends_every: int
    inventory_weekly_weeks: int
    inventory_daily_days: int


#: Every report as a seller would download it: monthly orders and Business Reports, fortnightly
#: settlements, weekly inventory for two years and daily inventory for the last 60 days.
FULL = Cadence(1, 1, 1, 1, 1, 6, None, 1, 110, 60)
#: The same, with fewer inventory snapshots and quarterly returns and ad downloads.
BALANCED = Cadence(1, 3, 1, 3, 3, 6, None, 1, 8, 7)
#: For tests: every report family and layout, in few files.
LIGHT = Cadence(6, 12, 12, 12, 12, 2, 45, 6, 0, 2)


@dataclass(frozen=True)
class DemoSize:
    name: str
    skus: int
    #: Average Amazon order lines per day over all marketplaces in the first year.
    lines_per_day: float
    #: Average Shopify orders per day.
    shop_orders_per_day: float
    cadence: Cadence


SIZES: dict[str, DemoSize] = {
    s.name: s
    for s in (
        DemoSize("small", 30, 40.0, 1.5, LIGHT),
        DemoSize("medium", 200, 130.0, 5.0, BALANCED),
        DemoSize("large", 1000, 600.0, 15.0, FULL),
    )
}

DEFAULT_SEED = 20240716  # Prime Day 2024


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class DemoScenario:
    size: DemoSize
    seed: int
    today: date

    @property
    def end(self) -> date:
        """The last day of data: the end of the last full month before `today`."""
        return month_start(self.today) - timedelta(days=1)

    @property
    def start(self) -> date:
        return add_months(month_start(self.today), -HISTORY_MONTHS)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def day_index(self, day: date) -> int:
        return (day - self.start).days

    def date_of(self, index: int) -> date:
        return self.start + timedelta(days=int(index))

    def months(self) -> list[date]:
        """First days of the months covered, oldest first."""
        return [add_months(self.start, k) for k in range(HISTORY_MONTHS)]

    def periods(self, months: int) -> list[tuple[date, date]]:
        """The period cut into consecutive runs of `months` months: (first day, last day), oldest first."""
        firsts = self.months()[::months]
        return [(f, min(add_months(f, months) - timedelta(days=1), self.end)) for f in firsts]

    def rng(self, stream: str) -> np.random.Generator:
        """An independent random stream per purpose, so adding a stream never changes the others."""
        return np.random.default_rng([self.seed, zlib.crc32(stream.encode("utf-8"))])


def scenario_for(size: str | DemoSize, *, seed: int = DEFAULT_SEED, today: date) -> DemoScenario:
    from tradewind.core.errors import TradewindError

    if isinstance(size, DemoSize):
        return DemoScenario(size, seed, today)
    if size not in SIZES:
        raise TradewindError(f"unknown demo size {size!r}; choose one of {', '.join(SIZES)}")
    if seed < 0:
        raise TradewindError(f"the seed must be 0 or more (got {seed})")
    return DemoScenario(SIZES[size], seed, today)
