"""ECB euro reference rates as `eurofxref-hist.csv` (report-formats §5).

The layout of the real file: every TARGET business day, newest first, the ECB's column order, `N/A`
for currencies no longer quoted, trailing zeros dropped, a trailing comma on every line. The rates
are a mean-reverting random walk around realistic levels; HKD follows its USD peg and CNY follows
the dollar closely, as they do; BGN is fixed until Bulgaria adopted the euro (2026-01-01).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.formats import write_bytes
from tradewind.demo.world import World
from tradewind.ingest.spec import ImportOptions

FILE_NAME = "eurofxref-hist.csv"

#: Column order of the ECB's file; currencies no longer quoted are N/A.
COLUMNS = (
    "USD JPY BGN CYP CZK DKK EEK GBP HUF LTL LVL MTL PLN ROL RON SEK SIT SKK CHF ISK NOK HRK RUB TRL TRY AUD "
    "BRL CAD CNY HKD IDR ILS INR KRW MXN MYR NZD PHP SGD THB ZAR"
).split()
_DISCONTINUED = frozenset({"CYP", "EEK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL", "HRK", "RUB"})
BGN_EURO_DAY = date(2026, 1, 1)

#: level (units per EUR), daily volatility, decimals as the ECB writes them
_LEVELS: dict[str, tuple[float, float, int]] = {
    "USD": (1.09, 0.0040, 4),
    "JPY": (162.0, 0.0050, 2),
    "CZK": (25.0, 0.0020, 3),
    "DKK": (7.4600, 0.0002, 4),
    "GBP": (0.85, 0.0030, 5),
    "HUF": (395.0, 0.0040, 2),
    "PLN": (4.30, 0.0030, 4),
    "RON": (4.97, 0.0010, 4),
    "SEK": (11.3, 0.0040, 4),
    "CHF": (0.95, 0.0030, 4),
    "ISK": (150.0, 0.0030, 1),
    "NOK": (11.6, 0.0040, 4),
    "AUD": (1.65, 0.0050, 4),
    "BRL": (6.0, 0.0070, 4),
    "CAD": (1.50, 0.0030, 4),
    "IDR": (17500.0, 0.0040, 2),
    "ILS": (4.0, 0.0050, 4),
    "INR": (92.0, 0.0040, 4),
    "KRW": (1480.0, 0.0040, 2),
    "MXN": (20.0, 0.0060, 4),
    "MYR": (4.9, 0.0040, 4),
    "NZD": (1.80, 0.0050, 4),
    "PHP": (62.0, 0.0040, 3),
    "SGD": (1.45, 0.0030, 4),
    "THB": (38.0, 0.0040, 3),
    "ZAR": (20.0, 0.0070, 4),
}
_DECIMALS = {**{c: v[2] for c, v in _LEVELS.items()}, "BGN": 4, "TRY": 4, "HKD": 4, "CNY": 4}


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def target_holidays(year: int) -> set[date]:
    easter = _easter(year)
    return {
        date(year, 1, 1),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        date(year, 5, 1),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def business_days(first: date, last: date) -> list[date]:
    holidays: set[date] = set()
    for year in range(first.year, last.year + 1):
        holidays |= target_holidays(year)
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rates(world: World) -> tuple[list[date], dict[str, np.ndarray]]:
    """Business days (oldest first) and each currency's rate per day."""
    scenario = world.scenario
    days = business_days(scenario.start - timedelta(days=31), scenario.end)
    n = len(days)
    rng = scenario.rng("files.ecb")
    series: dict[str, np.ndarray] = {}
    for code, (level, vol, _dec) in _LEVELS.items():
        x = np.empty(n)
        x[0] = np.log(level) + rng.normal(0, 0.02)
        shocks = rng.normal(0, vol, n)
        for k in range(1, n):
            x[k] = x[k - 1] + 0.01 * (np.log(level) - x[k - 1]) + shocks[k]
        series[code] = np.exp(x)
    series["HKD"] = series["USD"] * (7.80 + rng.normal(0, 0.005, n))
    cny_per_usd = 7.22 + np.cumsum(rng.normal(0, 0.004, n)) * 0.5
    series["CNY"] = series["USD"] * np.clip(cny_per_usd, 7.05, 7.35)
    series["TRY"] = np.linspace(35.0, 48.0, n) * np.exp(rng.normal(0, 0.003, n))
    series["BGN"] = np.full(n, 1.9558)
    return days, series


def write(world: World, folder: Path) -> list[DemoFile]:
    days, series = rates(world)
    lines = ["Date," + ",".join(COLUMNS) + ","]
    for k in range(len(days) - 1, -1, -1):
        day = days[k]
        cells = [day.isoformat()]
        for code in COLUMNS:
            if code in _DISCONTINUED or (code == "BGN" and day >= BGN_EURO_DAY):
                cells.append("N/A")
            else:
                cells.append(_number(float(series[code][k]), _DECIMALS[code]))
        lines.append(",".join(cells) + ",")
    path = write_bytes(folder / FILE_NAME, ("\n".join(lines) + "\n").encode("ascii"))
    return [DemoFile(path, "ecb", ImportOptions())]


FAMILY = FileFamily("ecb", "fx", write, "ECB euro reference rates (eurofxref-hist.csv)")
