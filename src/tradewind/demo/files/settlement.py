"""Amazon settlement reports, "Flat File V2" (report-formats §3.4): a settlement every 14 days per
currency (US in USD, Canada in CAD, the UK in GBP, Germany, France, Italy and Spain together in EUR).

A summary row first (id, period, deposit date, total, currency), then one row per amount: for each
shipped line the principal (+), its promotion (-), the referral commission (-) and the FBA fulfilment
fee (-); for each return the refunded principal (-), the commission given back (+) and the refund
administration fee (-); monthly the subscription and storage fees. Fees are negative, as Amazon
writes them, and the lines add up to the total exactly. US and Canadian files write ISO dates and dot
decimals; the UK writes `dd.mm.yyyy` dates; the EUR settlement also writes decimal commas.

Sales tax and VAT rows (Tax / MarketplaceFacilitatorTax, which cancel out) are left out to keep the
files small; the principal is VAT-inclusive in the UK and the EU, tax-exclusive in the US and Canada,
as `item-price` in the orders report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.formats import plain, tsv_text, write_bytes
from tradewind.demo.lines import SHIPPED, local_to_utc
from tradewind.demo.markets import MARKETS, POOLS, market
from tradewind.demo.world import World
from tradewind.ingest.spec import ImportOptions

IntArray = npt.NDArray[np.int64]

HEADER = (
    "settlement-id settlement-start-date settlement-end-date deposit-date total-amount currency "
    "transaction-type order-id merchant-order-id adjustment-id shipment-id marketplace-name amount-type "
    "amount-description amount fulfillment-id posted-date posted-date-time order-item-code "
    "merchant-order-item-id merchant-adjustment-item-id sku quantity-purchased promotion-id"
).split()
CYCLE_DAYS = 14
REFERRAL_RATE = 0.15
REFUND_ADMIN_SHARE = 0.2
#: FBA fee per unit against the US fee (EFN adds a cross-border surcharge in FR, IT and ES).
FEE_FACTOR = {"US": 1.0, "CA": 1.38, "UK": 0.82, "DE": 0.95, "FR": 1.12, "IT": 1.12, "ES": 1.12}
#: Monthly storage fee per cubic foot in local currency: January-September, October-December.
STORAGE_RATE = {"US": (78, 240), "CA": (105, 315), "UK": (70, 98), "DE": (74, 102)}


@dataclass(frozen=True)
class Stream:
    label: str
    markets: tuple[str, ...]
    #: Days after the period start when the first settlement begins (streams do not align).
    offset: int
    iso_dates: bool
    comma_decimals: bool

    @property
    def currency(self) -> str:
        return market(self.markets[0]).currency

    @property
    def pool(self) -> str:
        return market(self.markets[0]).pool


STREAMS = (
    Stream("US", ("US",), 0, True, False),
    Stream("CA", ("CA",), 3, True, False),
    Stream("UK", ("UK",), 5, False, False),
    Stream("EU", ("DE", "FR", "IT", "ES"), 8, False, True),
)


@dataclass
class _Rows:
    """The amount rows of one settlement, and their running total."""

    settlement_id: str
    decimal: str
    rows: list[tuple[str, ...]]
    total: int = 0

    def add(
        self,
        kind: str,
        order_id: str,
        market_name: str,
        amount_type: str,
        description: str,
        amount: int,
        posted: tuple[str, str],
        *,
        adjustment: str = "",
        fulfillment: str = "",
        item_code: str = "",
        sku: str = "",
        quantity: str = "",
        promotion: str = "",
    ) -> None:
        self.total += amount
        self.rows.append(
            (
                self.settlement_id,
                "",
                "",
                "",
                "",
                "",
                kind,
                order_id,
                "",
                adjustment,
                "",
                market_name,
                amount_type,
                description,
                plain(amount, self.decimal),
                fulfillment,
                posted[0],
                posted[1],
                item_code,
                "",
                "",
                sku,
                quantity,
                promotion,
            )
        )


def _stamp(stream: Stream, epoch: int) -> str:
    return _stamps(stream, np.array([epoch], dtype=np.int64))[0][1]


def _stamps(stream: Stream, epochs: IntArray) -> list[tuple[str, str]]:
    """(posted-date, posted-date-time) texts of UTC instants in the stream's layout."""
    iso = np.datetime_as_string(epochs.astype("datetime64[s]"), unit="s").tolist()
    if stream.iso_dates:
        return [(t[:10], f"{t[:10]} {t[11:]} UTC") for t in iso]
    return [(f"{t[8:10]}.{t[5:7]}.{t[:4]}", f"{t[8:10]}.{t[5:7]}.{t[:4]} {t[11:]} UTC") for t in iso]


def write(world: World, folder: Path) -> list[DemoFile]:
    scenario = world.scenario
    catalog = world.catalog
    lines = world.lines
    ret = world.returns
    rng = scenario.rng("files.settlement")
    codes = [m.code for m in MARKETS]
    fees = np.stack([np.round(catalog.fba_fee_usd * FEE_FACTOR[c] * 100) for c in codes]).astype(np.int64)
    posted = np.zeros(lines.size, dtype=np.int64)
    seconds = rng.integers(9 * 3600, 21 * 3600, lines.size)
    ship_day = np.maximum(lines.ship_day, 0)
    ret_market = lines.market[ret.line]
    ret_posted = np.zeros(ret.size, dtype=np.int64)
    for k, profile in enumerate(MARKETS):
        idx = np.nonzero(lines.market == k)[0]
        posted[idx] = local_to_utc(profile.timezone, scenario.start, ship_day[idx], seconds[idx])
        idx = np.nonzero(ret_market == k)[0]
        ret_posted[idx] = local_to_utc(
            profile.timezone, scenario.start, ret.day[idx], ret.seconds[idx] + 3600
        )
    context = _Context(
        world,
        posted,
        [str(c) for c in rng.integers(10**13, 10**14, lines.size).tolist()],
        fees,
        ret_posted,
        [str(a) for a in rng.integers(10**13, 10**14, ret.size).tolist()],
    )
    files: list[DemoFile] = []
    for stream, start, end in _cycles(world):
        settlement_id = str(int(rng.integers(10**10, 10**11)))
        files.append(_settlement(context, stream, start, end, settlement_id, folder))
    return files


@dataclass(frozen=True)
class _Context:
    world: World
    posted: IntArray
    item_codes: list[str]
    fees: IntArray
    ret_posted: IntArray
    adjustment_ids: list[str]


def _cycles(world: World) -> list[tuple[Stream, int, int]]:
    """(stream, first day, day after the last) of every complete settlement the demo writes."""
    scenario = world.scenario
    keep = scenario.size.cadence.settlement_days
    cutoff = scenario.days - keep if keep else 0
    found = []
    for stream in STREAMS:
        start = stream.offset
        while start + CYCLE_DAYS <= scenario.days:
            if start >= cutoff:
                found.append((stream, start, start + CYCLE_DAYS))
            start += CYCLE_DAYS
    return found


def _settlement(
    context: _Context, stream: Stream, start: int, end: int, settlement_id: str, folder: Path
) -> DemoFile:
    world = context.world
    scenario = world.scenario
    catalog = world.catalog
    lines = world.lines
    ret = world.returns
    codes = [m.code for m in MARKETS]
    members = [codes.index(c) for c in stream.markets]
    zone = market(stream.markets[0]).timezone
    out = _Rows(settlement_id, "," if stream.comma_decimals else ".", [])

    mine = np.isin(lines.market, members) & (lines.status == SHIPPED)
    mine &= (lines.ship_day >= start) & (lines.ship_day < end)
    idx = np.nonzero(mine)[0]
    idx = idx[np.argsort(context.posted[idx], kind="stable")]
    stamps = _stamps(stream, context.posted[idx])
    for i, when in zip(idx.tolist(), stamps, strict=True):
        s = int(lines.sku[i])
        m = int(lines.market[i])
        fbm = bool(lines.merchant_fulfilled[i])
        order_id = lines.order_id(i)
        name = MARKETS[m].sales_channel
        code = context.item_codes[i]
        sku = catalog.sku[s]
        channel = "MFN" if fbm else "AFN"
        price = int(lines.item_price[i])
        promo = int(lines.promotion[i])
        qty = int(lines.quantity[i])
        out.add(
            "Order",
            order_id,
            name,
            "ItemPrice",
            "Principal",
            price,
            when,
            fulfillment=channel,
            item_code=code,
            sku=sku,
            quantity=str(qty),
        )
        if promo:
            out.add(
                "Order",
                order_id,
                name,
                "Promotion",
                "Principal",
                -promo,
                when,
                fulfillment=channel,
                item_code=code,
                sku=sku,
                promotion=f"VPC-3-{int(code) % 10**8}",
            )
        out.add(
            "Order",
            order_id,
            name,
            "ItemFees",
            "Commission",
            -round(REFERRAL_RATE * (price - promo)),
            when,
            fulfillment=channel,
            item_code=code,
            sku=sku,
        )
        if not fbm:
            out.add(
                "Order",
                order_id,
                name,
                "ItemFees",
                "FBAPerUnitFulfillmentFee",
                -int(context.fees[m, s]) * qty,
                when,
                fulfillment=channel,
                item_code=code,
                sku=sku,
            )

    ret_market = lines.market[ret.line]
    back = np.nonzero(np.isin(ret_market, members) & (ret.day >= start) & (ret.day < end))[0]
    back = back[np.argsort(context.ret_posted[back], kind="stable")]
    for r, when in zip(back.tolist(), _stamps(stream, context.ret_posted[back]), strict=True):
        line = int(ret.line[r])
        s = int(lines.sku[line])
        refund = int(ret.quantity[r]) * int(lines.unit_price[line])
        commission = round(REFERRAL_RATE * refund)
        admin = min(round(commission * REFUND_ADMIN_SHARE), 500)
        order_id = lines.order_id(line)
        name = MARKETS[int(lines.market[line])].sales_channel
        extra = {"adjustment": context.adjustment_ids[r], "fulfillment": "AFN", "sku": catalog.sku[s]}
        out.add(
            "Refund",
            order_id,
            name,
            "ItemPrice",
            "Principal",
            -refund,
            when,
            quantity=str(int(ret.quantity[r])),
            **extra,
        )
        out.add("Refund", order_id, name, "ItemFees", "Commission", commission, when, **extra)
        out.add("Refund", order_id, name, "ItemFees", "RefundCommission", -admin, when, **extra)

    _monthly_fees(world, stream, start, end, zone, out)
    edges = local_to_utc(zone, scenario.start, np.array([start, end, end + 2]), np.array([0, 0, 8 * 3600]))
    summary = (
        settlement_id,
        _stamp(stream, int(edges[0])),
        _stamp(stream, int(edges[1])),
        _stamp(stream, int(edges[2])),
        plain(out.total, out.decimal),
        stream.currency,
    )
    rows = [summary + ("",) * (len(HEADER) - len(summary)), *out.rows]
    first, last = scenario.date_of(start), scenario.date_of(end - 1)
    name = f"Settlement_{stream.label}_{first.isoformat()}_{last.isoformat()}_{settlement_id}.txt"
    path = write_bytes(folder / stream.label / name, tsv_text(HEADER, rows).encode("utf-8"))
    return DemoFile(path, "settlement", ImportOptions(account=market(stream.markets[0]).account))


def _monthly_fees(world: World, stream: Stream, start: int, end: int, zone: str, out: _Rows) -> None:
    """Subscription on the 1st and storage for the month before on the 7th, where the cycle holds them."""
    scenario = world.scenario
    catalog = world.catalog
    # Other-transaction rows often come without a marketplace name; a EUR settlement spans four
    # marketplaces, so its rows name Amazon.de, where the stock and the subscription are.
    home = market(stream.pool)
    name = home.sales_channel if stream.label == "EU" else ""
    pool = POOLS.index(stream.pool)
    subscription = sum(market(c).subscription_fee_cents for c in stream.markets)
    for k in range(start, end):
        day = scenario.date_of(k)
        if day.day not in (1, 7):
            continue
        instant = local_to_utc(zone, scenario.start, np.array([k]), np.array([6 * 3600]))
        when = _stamps(stream, instant)[0]
        if day.day == 1 and subscription:
            out.add(
                "other-transaction", "", name, "other-transaction", "Subscription Fee", -subscription, when
            )
        if day.day == 7 and stream.pool in STORAGE_RATE:
            month_end = day.replace(day=1) - timedelta(days=1)
            last = scenario.day_index(month_end)
            if last < 0:
                continue
            first = max(scenario.day_index(month_end.replace(day=1)), 0)
            stock = world.stock.on_hand[pool, :, first : last + 1].mean(axis=1)
            cubic_feet = float((stock * catalog.volume).sum())
            rate = STORAGE_RATE[stream.pool][1 if month_end.month >= 10 else 0]
            out.add(
                "other-transaction",
                "",
                name,
                "other-transaction",
                "Storage Fee",
                -round(cubic_feet * rate),
                when,
            )


def settlement_periods(world: World) -> list[tuple[str, date, date]]:
    """(stream, first day, last day) of every settlement the demo writes (for tests and summaries)."""
    scenario = world.scenario
    return [(st.label, scenario.date_of(a), scenario.date_of(b - 1)) for st, a, b in _cycles(world)]


FAMILY = FileFamily("settlement", "settlements", write, "Settlement reports (flat file V2), fortnightly")
