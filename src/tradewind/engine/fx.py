"""Currency conversion rates, worked out in Python from the `fx_rates` facts for exactly the
(currency, date) pairs a query needs, then joined to the facts by equality (no ASOF join, so every
backend runs it).

ECB mode: the reference rate of the fact's date, or the latest earlier one (weekends, holidays);
cross rates go through EUR (ECB quotes 1 EUR = r X). Monthly mode: the rate agreed for the fact's
month, direct, inverse, or crossed through EUR or USD. A missing rate is a QueryError naming the
currency and the date: never a silent 1.0.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tradewind.core.errors import QueryError

#: A rate older than this many days is used but reported (the ECB never pauses this long).
STALE_AFTER_DAYS = 7


@dataclass(frozen=True)
class FxLeg:
    """One published rate a conversion used: 1 base = rate quote, dated rate_date."""

    kind: str
    base: str
    quote: str
    rate_date: date
    rate: float


@dataclass(frozen=True)
class FxConversion:
    currency: str
    target: str
    day: date
    rate: float
    legs: tuple[FxLeg, ...]

    @property
    def age_days(self) -> int:
        """How many days older than the amount's date the oldest published rate used is (ECB)."""
        if not self.legs or self.legs[0].kind != "ecb":
            return 0
        return max((self.day - leg.rate_date).days for leg in self.legs)


class FxTable:
    def __init__(self, rows: Iterable[tuple[str, date, str, str, float]], mode: str) -> None:
        """`rows`: (kind, rate_date, base, quote, rate) from fx_rates."""
        self.mode = mode
        # ecb: currency -> sorted dates and units of the currency per 1 EUR
        self._ecb_dates: dict[str, list[date]] = {}
        self._ecb_values: dict[str, list[tuple[float, FxLeg]]] = {}
        self._monthly: dict[tuple[str, str, int, int], FxLeg] = {}
        ecb: dict[str, dict[date, tuple[float, FxLeg]]] = defaultdict(dict)
        for kind, rate_date, base, quote, rate in rows:
            if not rate:
                continue
            base, quote, value = base.upper(), quote.upper(), float(rate)
            leg = FxLeg(kind, base, quote, rate_date, value)
            if kind == "ecb":
                if base == "EUR":
                    ecb[quote][rate_date] = (value, leg)
                elif quote == "EUR":
                    ecb[base][rate_date] = (1.0 / value, leg)
            elif kind == "monthly":
                self._monthly[(base, quote, rate_date.year, rate_date.month)] = leg
        for ccy, by_date in ecb.items():
            days = sorted(by_date)
            self._ecb_dates[ccy] = days
            self._ecb_values[ccy] = [by_date[d] for d in days]
        self.stale: dict[str, tuple[date, date]] = {}

    def currencies(self) -> set[str]:
        """Every currency this table can convert from or to."""
        out = set(self._ecb_dates) | {"EUR"} if self._ecb_dates else set()
        for base, quote, _, _ in self._monthly:
            out |= {base, quote}
        return out

    def convert(self, currency: str, target: str, day: date) -> FxConversion:
        """The conversion on `day`; QueryError naming currency and date when there is no rate. A rate
        older than STALE_AFTER_DAYS is used and remembered for `stale_warnings`."""
        conversion = self._convert(currency.upper(), target.upper(), day)
        if conversion.age_days > STALE_AFTER_DAYS:
            for leg in conversion.legs:
                ccy = leg.quote if leg.base == "EUR" else leg.base
                if (day - leg.rate_date).days > STALE_AFTER_DAYS:
                    previous = self.stale.get(ccy)
                    if previous is None or (day - leg.rate_date) > (previous[1] - previous[0]):
                        self.stale[ccy] = (leg.rate_date, day)
        return conversion

    def try_convert(self, currency: str, target: str, day: date) -> FxConversion | None:
        """The conversion on `day`, or None when there is no rate (nothing remembered)."""
        try:
            return self._convert(currency.upper(), target.upper(), day)
        except QueryError:
            return None

    def _convert(self, currency: str, target: str, day: date) -> FxConversion:
        if currency == target:
            return FxConversion(currency, target, day, 1.0, ())
        if self.mode == "monthly":
            return self._monthly_rate(currency, target, day)
        return self._ecb_rate(currency, target, day)

    # -- ECB ----------------------------------------------------------------------------------------
    def _per_eur(self, currency: str, target: str, leg_ccy: str, day: date) -> tuple[float, FxLeg | None]:
        if leg_ccy == "EUR":
            return 1.0, None
        days = self._ecb_dates.get(leg_ccy, [])
        i = bisect.bisect_right(days, day) - 1
        if i < 0:
            pair = f"{currency}->{target}"
            extra = (
                "" if {currency, target} == {"EUR", leg_ccy} else f" (it needs the ECB EUR->{leg_ccy} rate)"
            )
            first = f"; the first EUR->{leg_ccy} rate imported is of {days[0]}" if days else ""
            raise QueryError(
                f"no {pair} rate on or before {day.isoformat()}{extra}{first}. Import ECB reference "
                "rates covering that date (eurofxref-hist.csv) or switch the workspace to monthly rates."
            )
        value, leg = self._ecb_values[leg_ccy][i]
        return value, leg

    def _ecb_rate(self, currency: str, target: str, day: date) -> FxConversion:
        src, src_leg = self._per_eur(currency, target, currency, day)
        dst, dst_leg = self._per_eur(currency, target, target, day)
        legs = tuple(leg for leg in (src_leg, dst_leg) if leg is not None)
        return FxConversion(currency, target, day, dst / src, legs)

    # -- monthly ------------------------------------------------------------------------------------
    def _monthly_leg(self, base: str, quote: str, day: date) -> tuple[float, FxLeg] | None:
        if base == quote:
            return None
        leg = self._monthly.get((base, quote, day.year, day.month))
        if leg is not None:
            return leg.rate, leg
        inverse = self._monthly.get((quote, base, day.year, day.month))
        if inverse is not None:
            return 1.0 / inverse.rate, inverse
        return None

    def _monthly_rate(self, currency: str, target: str, day: date) -> FxConversion:
        direct = self._monthly_leg(currency, target, day)
        if direct is not None:
            return FxConversion(currency, target, day, direct[0], (direct[1],))
        for via in ("EUR", "USD"):
            if via in (currency, target):
                continue
            first = self._monthly_leg(currency, via, day)
            second = self._monthly_leg(via, target, day)
            if first and second:
                return FxConversion(currency, target, day, first[0] * second[0], (first[1], second[1]))
        raise QueryError(
            f"no monthly {currency}->{target} rate for {day:%Y-%m} (needed on {day.isoformat()}); "
            f"add the agreed rate for {day:%Y-%m} or switch the workspace to ECB rates"
        )

    def stale_warnings(self) -> list[str]:
        return [
            f"the latest EUR->{ccy} rate on or before {used_for.isoformat()} is of {rate_day.isoformat()} "
            f"({(used_for - rate_day).days} days earlier): import newer ECB rates"
            for ccy, (rate_day, used_for) in sorted(self.stale.items())
        ]
