"""What the operations demo is generated from: plain values, so the generators depend on no simulation.

`OpsDemoSpec` names the seller (accounts and their marketplaces, products with categories, owners and
launch days), the seed, the last day of data and "today". Every file is a function of it: the same spec
writes the same bytes.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from tradewind.ingest.spec import ImportOptions

#: Relative size of each marketplace's operations (US = 1), in the proportions the demo seller sells.
MARKET_WEIGHT: dict[str, float] = {
    "US": 1.0,
    "CA": 0.10,
    "UK": 0.28,
    "DE": 0.32,
    "FR": 0.14,
    "IT": 0.10,
    "ES": 0.09,
    "NL": 0.05,
    "PL": 0.04,
    "SE": 0.04,
}
#: The buyers' languages per marketplace, with their shares.
LANGUAGES: dict[str, tuple[tuple[str, float], ...]] = {
    "US": (("en", 0.94), ("es", 0.06)),
    "CA": (("en", 0.8), ("fr", 0.2)),
    "UK": (("en", 1.0),),
    "DE": (("de", 0.95), ("en", 0.05)),
    "FR": (("fr", 1.0),),
    "IT": (("it", 1.0),),
    "ES": (("es", 1.0),),
    "NL": (("nl", 0.9), ("en", 0.1)),
    "PL": (("pl", 1.0),),
    "SE": (("sv", 0.9), ("en", 0.1)),
}


@dataclass(frozen=True)
class OpsProduct:
    sku: str
    asin: str | None
    category: str | None
    owner: str | None
    gtin: str | None = None
    launch: date | None = None


@dataclass(frozen=True)
class OpsAccount:
    id: str
    marketplaces: tuple[str, ...]


@dataclass(frozen=True)
class OpsDemoSpec:
    accounts: tuple[OpsAccount, ...]
    products: tuple[OpsProduct, ...]
    seed: int
    #: The day the demo is looked at (compliance is checked as of it).
    today: date
    #: The last day of data: the sheets are exported at its end.
    last_day: date
    #: Days of ticket and shipment history before `last_day`.
    history_days: int = 120
    #: The French backlog: its days (ending on `last_day`) and the share of its tickets answered within
    #: 24 hours, evenly spread (None: half never answered, the rest after about 36 hours).
    #: `tradewind demo` sets them from its watch plant, so the alert rules find the backlog it tells.
    backlog_days: int = 12
    backlog_within_24h: float | None = None
    #: Replies outside the backlog come within this many hours (None: about 5 hours, a few over 24).
    reply_cap_hours: float | None = None

    def rng(self, stream: str) -> np.random.Generator:
        """An independent random stream per purpose: adding one never changes the others."""
        return np.random.default_rng([self.seed, zlib.crc32(f"demo_ops:{stream}".encode())])

    @property
    def first_day(self) -> date:
        return self.last_day - timedelta(days=self.history_days - 1)

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=k) for k in range(self.history_days)]

    @property
    def volume(self) -> float:
        """Operations grow with the catalog: 1.0 for the 30-SKU demo."""
        return max(1.0, len(self.products) / 30)

    def export_options(self, account: str) -> ImportOptions:
        """How a sheet exported at the end of `last_day` is imported."""
        return ImportOptions(account=account, snapshot_date=self.last_day)


@dataclass(frozen=True)
class OpsFile:
    """A written file, the report it imports as, and the import options a user would give."""

    path: Path
    report: str
    options: ImportOptions = field(default_factory=ImportOptions)


def at(day: date, hours: float) -> datetime:
    """A naive local date-time `hours` after the start of `day` (to the second)."""
    return datetime.combine(day, time()) + timedelta(seconds=round(hours * 3600))


def end_of(day: date) -> datetime:
    return datetime.combine(day, time()) + timedelta(days=1)
