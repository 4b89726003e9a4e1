"""Amazon order lines: the units sold each day become orders with times, buyers, prices and taxes.

Every line belongs to a marketplace, SKU and local day. A few orders hold several SKUs; ~1.5% of
wanted lines are cancelled (they never ship and take no stock); orders on the last two days may still
be pending. Purchase times follow the buyers' local day (evening peak); for the US and Canada, whose
reports are dated in Los Angeles time, the buyers' time zones are mixed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from tradewind.demo.catalog import Catalog
from tradewind.demo.demand import Demand
from tradewind.demo.markets import MARKETS
from tradewind.demo.scenario import DemoScenario
from tradewind.demo.stock import Stock

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SHIPPED, PENDING, CANCELLED = 0, 1, 2
CANCEL_RATE = 0.015
MULTI_SKU_RATE = 0.07
COUPON_RATE = 0.06
COUPON_SHARE = 0.10
B2B_DISCOUNT = 0.05

#: Orders per local hour of the buyer's day (0..23).
_BUYER_HOURS = np.array(
    [
        1.2,
        0.8,
        0.5,
        0.4,
        0.4,
        0.6,
        1.2,
        2.2,
        3.2,
        4.0,
        4.5,
        4.8,
        5.0,
        5.0,
        4.8,
        4.7,
        4.8,
        5.2,
        5.8,
        6.5,
        7.0,
        6.6,
        5.0,
        2.8,
    ]
)
#: Buyers' time zones as hours ahead of the marketplace's report zone (Los Angeles for US and CA).
_ZONE_MIX = {
    "US": {3: 0.47, 2: 0.29, 1: 0.07, 0: 0.17},
    "CA": {4: 0.06, 3: 0.62, 1: 0.14, 0: 0.18},
}
_ORDER_PREFIXES = {
    "US": ("111", "112", "113", "114"),
    "CA": ("701", "702"),
    "UK": ("026", "202", "203", "204", "205", "206"),
    "DE": ("302", "303", "304", "305", "306", "028"),
    "FR": ("402", "403", "404", "405", "407"),
    "IT": ("402", "403", "405", "406", "408"),
    "ES": ("171", "402", "403", "404", "406"),
}
_EPOCH = date(1970, 1, 1)


def hour_weights(code: str) -> npt.NDArray[np.float64]:
    mix = _ZONE_MIX.get(code, {0: 1.0})
    weights = sum(share * np.roll(_BUYER_HOURS, -ahead) for ahead, share in mix.items())
    result: npt.NDArray[np.float64] = np.asarray(weights, dtype=float) / float(np.sum(weights))
    return result


@lru_cache(maxsize=64)
def _offsets(zone_name: str, start: date, n_days: int) -> tuple[IntArray, IntArray]:
    """UTC offsets (seconds) at 00:00 and 23:59 local time of each day: they differ when clocks change."""
    zone = ZoneInfo(zone_name)
    first = np.zeros(n_days, dtype=np.int64)
    last = np.zeros(n_days, dtype=np.int64)
    for k in range(n_days):
        d = start + timedelta(days=k)
        first[k] = _offset(datetime(d.year, d.month, d.day, 0, 0, tzinfo=zone))
        last[k] = _offset(datetime(d.year, d.month, d.day, 23, 59, tzinfo=zone))
    return first, last


def _offset(moment: datetime) -> int:
    delta = moment.utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def local_to_utc(zone_name: str, start: date, day: IntArray, seconds: IntArray) -> IntArray:
    """Epoch seconds (UTC) of local wall-clock times (day index from `start`, seconds after midnight);
    exact on the days clocks change."""
    if not day.size:
        return np.zeros(0, dtype=np.int64)
    n_days = 1 << int(day.max() + 1).bit_length()  # cached per power of two, not per call
    first, last = _offsets(zone_name, start, n_days)
    midnight = ((start - _EPOCH).days + day) * 86400
    utc = (midnight + seconds - first[day]).astype(np.int64)
    zone = ZoneInfo(zone_name)
    for i in np.nonzero(first[day] != last[day])[0]:
        d = start + timedelta(days=int(day[i]))
        s = int(seconds[i])
        local = datetime(d.year, d.month, d.day, s // 3600 % 24, s // 60 % 60, s % 60, tzinfo=zone)
        utc[i] = int(local.timestamp()) + (s // 86400) * 86400
    return utc


@dataclass(frozen=True)
class OrderLines:
    """All Amazon order lines, sorted by marketplace, then purchase time; lines of an order are adjacent."""

    market: IntArray
    sku: IntArray
    day: IntArray
    #: purchase instant, epoch seconds UTC
    utc: IntArray
    order: IntArray
    #: Amazon order id per order (index = `order`)
    order_ids: list[str]
    quantity: IntArray
    unit_price: IntArray
    item_price: IntArray
    item_tax: IntArray
    promotion: IntArray
    status: IntArray
    business: BoolArray
    merchant_fulfilled: BoolArray
    destination: IntArray
    #: local day the line shipped (-1: not shipped)
    ship_day: IntArray

    @property
    def size(self) -> int:
        return int(self.market.size)

    def order_id(self, line: int) -> str:
        return self.order_ids[int(self.order[line])]


def _expand(counts: IntArray) -> tuple[IntArray, IntArray]:
    """Cell index of every unit of `counts` (flattened) and the unit's rank within its cell."""
    flat = counts.ravel()
    cells = np.repeat(np.arange(flat.size), flat)
    starts = np.cumsum(flat) - flat
    return cells, np.arange(cells.size) - starts[cells]


def _order_ids(rng: np.random.Generator, markets: IntArray) -> list[str]:
    numbers = rng.integers(0, 10**14, markets.size)
    while True:
        _, first = np.unique(numbers, return_index=True)
        if first.size == numbers.size:
            break
        dup = np.setdiff1d(np.arange(numbers.size), first)
        numbers[dup] = rng.integers(0, 10**14, dup.size)
    ids = []
    picks = rng.random(markets.size)
    for m, n, p in zip(markets.tolist(), numbers.tolist(), picks.tolist(), strict=True):
        prefixes = _ORDER_PREFIXES[MARKETS[m].code]
        ids.append(f"{prefixes[int(p * len(prefixes))]}-{n // 10**7:07d}-{n % 10**7:07d}")
    return ids


def build_lines(scenario: DemoScenario, catalog: Catalog, demand: Demand, stock: Stock) -> OrderLines:
    rng = scenario.rng("lines")
    shape = stock.sold.shape
    n_d = shape[2]
    sold_lines = np.minimum(stock.wanted_lines, stock.sold)
    extra = stock.sold - sold_lines
    cancelled = rng.binomial(stock.wanted_lines, CANCEL_RATE)

    cells, rank = _expand(sold_lines)
    qty = 1 + (rank < extra.ravel()[cells]).astype(np.int64)
    c_cells, _ = _expand(cancelled)
    cells = np.concatenate([cells, c_cells])
    qty = np.concatenate([qty, np.ones(c_cells.size, dtype=np.int64)])
    status = np.concatenate([np.full(qty.size - c_cells.size, SHIPPED), np.full(c_cells.size, CANCELLED)])
    m, s, d = (a.astype(np.int64) for a in np.unravel_index(cells, shape))
    n = m.size

    seconds = np.zeros(n, dtype=np.int64)
    destination = np.zeros(n, dtype=np.int64)
    business = np.zeros(n, dtype=bool)
    fbm = np.zeros(n, dtype=bool)
    for k, profile in enumerate(MARKETS):
        idx = np.nonzero(m == k)[0]
        hours = rng.choice(24, size=idx.size, p=hour_weights(profile.code))
        seconds[idx] = hours * 3600 + rng.integers(0, 3600, idx.size)
        dest_w = np.array([x.weight for x in profile.destinations])
        destination[idx] = rng.choice(len(dest_w), size=idx.size, p=dest_w / dest_w.sum())
        business[idx] = rng.random(idx.size) < profile.b2b_share
        fbm[idx] = rng.random(idx.size) < profile.fbm_share

    order = np.lexsort((seconds, d, m))
    m, s, d, qty, status = m[order], s[order], d[order], qty[order], status[order]
    seconds, destination, business, fbm = seconds[order], destination[order], business[order], fbm[order]

    # A few orders hold several SKUs: such a line joins the order of the line before it.
    same_day = np.zeros(n, dtype=bool)
    same_day[1:] = (m[1:] == m[:-1]) & (d[1:] == d[:-1]) & (s[1:] != s[:-1])
    same_day[1:] &= (status[1:] != CANCELLED) & (status[:-1] != CANCELLED)
    joins = same_day & (rng.random(n) < MULTI_SKU_RATE)
    starts = ~joins
    order_no = np.cumsum(starts) - 1
    first = np.nonzero(starts)[0]
    seconds, destination, business, fbm = (a[first][order_no] for a in (seconds, destination, business, fbm))

    # Orders of the last two days may still be pending.
    order_day = d[first]
    pending_p = np.where(order_day >= n_d - 1, 0.4, np.where(order_day == n_d - 2, 0.1, 0.0))
    pending_order = rng.random(first.size) < pending_p
    status = np.where((status != CANCELLED) & pending_order[order_no], PENDING, status)

    utc = np.zeros(n, dtype=np.int64)
    for k, profile in enumerate(MARKETS):
        idx = np.nonzero(m == k)[0]
        if idx.size:
            utc[idx] = local_to_utc(profile.timezone, scenario.start, d[idx], seconds[idx])

    unit = demand.unit_price[m, s, d]
    unit = np.where(business, np.round(unit * (1 - B2B_DISCOUNT)).astype(np.int64), unit)
    item_price = unit * qty
    deal = demand.on_deal[m, s, d]
    coupon = (rng.random(n) < COUPON_RATE) & ~business & ~deal & (status != CANCELLED)
    promotion = np.where(coupon, np.round(item_price * COUPON_SHARE), 0).astype(np.int64)
    rates = np.zeros(n)
    vat = np.zeros(n, dtype=bool)
    for k, profile in enumerate(MARKETS):
        idx = m == k
        table = np.array([x.tax_rate for x in profile.destinations])
        rates[idx] = table[destination[idx]]
        vat[idx] = profile.vat is not None
    taxable = item_price - promotion
    item_tax = np.where(vat, np.round(taxable * rates / (1 + rates)), np.round(taxable * rates)).astype(
        np.int64
    )

    lag = np.where(fbm, rng.integers(1, 4, n), rng.choice(3, size=n, p=[0.55, 0.38, 0.07]))
    ship_day = np.where(status == SHIPPED, d + lag, -1)
    return OrderLines(
        market=m,
        sku=s,
        day=d,
        utc=utc,
        order=order_no,
        order_ids=_order_ids(rng, m[first]),
        quantity=qty,
        unit_price=unit,
        item_price=item_price,
        item_tax=item_tax,
        promotion=promotion,
        status=status,
        business=business,
        merchant_fulfilled=fbm,
        destination=destination,
        ship_day=ship_day,
    )
