"""Sponsored Products advertised-product reports, one row per SKU and day (report-formats §2).

- US, last months: the Ads API v3 `spAdvertisedProduct` report, DAILY, GZIP_JSON, one per month (the
  API's limit is 31 days): the seller connected the API recently.
- Earlier US days and Canada: Ads console downloads with a Country column (US and CA rows in one file).
- UK: console downloads whose money headers carry the currency (`7 Day Total Sales (£) `).
- DE, FR, IT, ES: one console download with a Country column; one period as XLSX.

Attribution is 7 days, as Seller Central shows it. The seller's bid automation holds every SKU's ROAS
near the account's target, which better bidding raises from 3.8 to 4.6 over the two years (so ad sales
grow a little faster than ad spend): clicks and attributed sales follow the units actually sold (a
stock-out pauses the ads), and cost per click is set from the target, except during the planted ROAS
dip (`plants.RoasDip`), when a competitor's bids make clicks dearer and converting ones rarer.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.files.orders import period_name
from tradewind.demo.formats import csv_text, grouped_money, percent, stable_zip, write_bytes
from tradewind.demo.markets import EU_ACCOUNT, MARKETS, NA_ACCOUNT
from tradewind.demo.scenario import add_months
from tradewind.demo.stock import POOL_OF_MARKET
from tradewind.demo.world import World
from tradewind.ingest.spec import ImportOptions

IntArray = npt.NDArray[np.int64]

#: The account's target ROAS at the start and at the end of the demo period.
ROAS_TARGET = (3.8, 4.6)
#: The lowest bid Sponsored Products takes (2 cents in the US; the demo rounds up).
MIN_CPC_CENTS = 5

_COUNTRY = {
    "US": "United States",
    "CA": "Canada",
    "UK": "United Kingdom",
    "DE": "Germany",
    "FR": "France",
    "IT": "Italy",
    "ES": "Spain",
}
_SYMBOL = {"US": "$", "CA": "$", "UK": "£"}

CONSOLE_HEADER = (
    "Start Date",
    "End Date",
    "Portfolio name",
    "Currency",
    "Campaign Name",
    "Ad Group Name",
    "Retailer",
    "Country",
    "Advertised SKU",
    "Advertised ASIN",
    "Impressions",
    "Clicks",
    "Click-Thru Rate (CTR)",
    "Cost Per Click (CPC)",
    "Spend",
    "7 Day Total Sales ",
    "Total Advertising Cost of Sales (ACOS) ",
    "Total Return on Advertising Spend (ROAS)",
    "7 Day Total Orders (#)",
    "7 Day Total Units (#)",
    "7 Day Conversion Rate",
    "7 Day Advertised SKU Units (#)",
    "7 Day Other SKU Units (#)",
    "7 Day Advertised SKU Sales ",
    "7 Day Other SKU Sales ",
)
#: The UK console writes the currency after its money headers.
UK_HEADER = tuple(
    {
        "Cost Per Click (CPC)": "Cost Per Click (CPC) (£)",
        "Spend": "Spend (£)",
        "7 Day Total Sales ": "7 Day Total Sales (£) ",
        "7 Day Advertised SKU Sales ": "7 Day Advertised SKU Sales (£) ",
        "7 Day Other SKU Sales ": "7 Day Other SKU Sales (£) ",
    }.get(h, h)
    for h in CONSOLE_HEADER
)


@dataclass(frozen=True)
class AdRows:
    """One entry per SKU, marketplace and day with impressions."""

    market: IntArray
    sku: IntArray
    day: IntArray
    impressions: IntArray
    clicks: IntArray
    spend: IntArray
    orders: IntArray
    units: IntArray
    other_units: IntArray
    sales: IntArray
    other_sales: IntArray


def _carried(values: npt.NDArray[np.float64], offset: npt.NDArray[np.float64]) -> IntArray:
    """Whole counts per day whose running total stays within one of the running total of `values`
    ([market, sku, day]; `offset` in [0, 1) per market and SKU decides where the first one falls)."""
    running = np.floor(np.cumsum(values, axis=2) + offset[:, :, None])
    counts: IntArray = np.diff(running, axis=2, prepend=np.zeros((*offset.shape, 1))).astype(np.int64)
    return counts


def ad_rows(world: World) -> AdRows:
    scenario = world.scenario
    catalog = world.catalog
    demand = world.demand
    rng = scenario.rng("files.ads")
    n_m, n_s, n_d = demand.expected_lines.shape
    rank = np.argsort(np.argsort(-catalog.popularity))
    advertised = np.zeros((n_m, n_s), dtype=bool)
    for m, profile in enumerate(MARKETS):
        listed = np.nonzero(demand.listed[m])[0]
        top = listed[np.argsort(rank[listed])][: max(1, round(len(listed) * profile.advertised_share))]
        advertised[m, top] = True
    sold = world.stock.sold
    in_stock = (world.stock.on_hand[POOL_OF_MARKET] > 0) | (sold > 0)
    launch_day = np.array([(d - scenario.start).days for d in catalog.launch])
    active = advertised[:, :, None] & in_stock & (np.arange(n_d)[None, None, :] >= launch_day[None, :, None])

    cvr_factor = np.ones((n_m, n_s, n_d))
    cpc_factor = np.ones((n_m, n_s, n_d))
    for dip in world.plants.roas_dips:
        lo, hi = scenario.day_index(dip.start), scenario.day_index(dip.end) + 1
        skus = [catalog.sku.index(s) for s in dip.skus] if dip.skus else list(range(n_s))
        for code in dip.markets:
            m = [p.code for p in MARKETS].index(code)
            cvr_factor[m, skus, lo:hi] = dip.cvr_factor
            cpc_factor[m, skus, lo:hi] = dip.cpc_factor
    ad_share = rng.uniform(0.25, 0.45, (n_m, n_s))
    cvr = rng.uniform(0.08, 0.14, (n_m, n_s))
    # One target for the account, which the seller's bidding raises a little every month.
    improving = np.linspace(ROAS_TARGET[0], ROAS_TARGET[1], n_d)
    ctr = rng.uniform(0.0025, 0.006, (n_m, n_s))
    # Bid automation holds each SKU's ROAS near its target: clicks and attributed units follow the units
    # the SKU actually sold (more shoppers, more clicks, more purchases), counted with a carry so that
    # any window's counts are within one of their share; the planted dip makes clicks dearer and
    # converting ones rarer.
    ad_units = np.where(active, sold * ad_share[:, :, None], 0.0)
    units_all = _carried(ad_units, rng.random((n_m, n_s)))
    # Clicks from the attributed units themselves, so the counts' rounding cancels out of ROAS.
    clicks_all = _carried(units_all / (cvr[:, :, None] * cvr_factor), rng.random((n_m, n_s)))
    # Shoppers who clicked one SKU and bought another of the brand: a share of each SKU's ad sales.
    other_share = rng.uniform(0.08, 0.15, (n_m, n_s))
    other_all = _carried(units_all * other_share[:, :, None], rng.random((n_m, n_s)))

    m_i, s_i, d_i = (a.astype(np.int64) for a in np.nonzero(active))
    clicks = clicks_all[m_i, s_i, d_i]
    impressions = clicks + rng.poisson(np.maximum(clicks, 0.3) / ctr[m_i, s_i])
    units = units_all[m_i, s_i, d_i]
    orders = units - rng.binomial(units, 0.08)
    other_units = other_all[m_i, s_i, d_i]
    price = demand.unit_price[m_i, s_i, d_i]
    cpc = np.maximum(
        np.round(
            price
            * cvr[m_i, s_i]
            / improving[d_i]
            * cpc_factor[m_i, s_i, d_i]
            * rng.lognormal(0, 0.08, m_i.size)
        ),
        MIN_CPC_CENTS,
    ).astype(np.int64)
    keep = impressions > 0
    sales = units * price
    other_sales = np.round(sales * other_share[m_i, s_i]).astype(np.int64)
    return AdRows(
        market=m_i[keep],
        sku=s_i[keep],
        day=d_i[keep],
        impressions=impressions[keep],
        clicks=clicks[keep],
        spend=(clicks * cpc)[keep],
        orders=orders[keep],
        units=units[keep],
        other_units=other_units[keep],
        sales=sales[keep],
        other_sales=other_sales[keep],
    )


def _campaign(world: World, s: int) -> tuple[str, str, int, int]:
    """Campaign and ad group of a SKU: one campaign per product family, auto or exact-match."""
    catalog = world.catalog
    parent = catalog.parent_asin[s]
    family = catalog.titles["en"][s].split(",")[0]
    number = int(parent[2:], 36) % 10**9
    auto = number % 2 == 0
    campaign = f"SP - {catalog.category[s]} - {family} - {'Auto' if auto else 'Exact'}"
    group = "Auto targeting" if auto else f"Exact - {catalog.type_key[s].lower()} keywords"
    return campaign, group, 300_000_000_000_000 + number, 400_000_000_000_000 + number


@dataclass(frozen=True)
class _Names:
    """Texts per SKU and per day, built once: campaigns, ad groups, ids, and console dates."""

    campaigns: list[tuple[str, str, int, int]]
    days: list[str]


def _names(world: World) -> _Names:
    scenario = world.scenario
    return _Names(
        [_campaign(world, s) for s in range(world.catalog.size)],
        [f"{scenario.date_of(k):%b %d, %Y}" for k in range(scenario.days)],
    )


def _console_row(world: World, names: _Names, rows: AdRows, i: int, uk: bool) -> list[str]:
    catalog = world.catalog
    profile = MARKETS[int(rows.market[i])]
    s = int(rows.sku[i])
    day = names.days[int(rows.day[i])]
    symbol = "" if uk else _SYMBOL.get(profile.code, "€")
    campaign, group, _cid, _gid = names.campaigns[s]
    clicks, impressions = int(rows.clicks[i]), int(rows.impressions[i])
    spend = int(rows.spend[i])
    sales, other = int(rows.sales[i]), int(rows.other_sales[i])
    total = sales + other
    orders = int(rows.orders[i])
    units, other_units = int(rows.units[i]), int(rows.other_units[i])
    return [
        day,
        day,
        catalog.category[s],
        profile.currency,
        campaign,
        group,
        "Amazon",
        _COUNTRY[profile.code],
        catalog.sku[s],
        catalog.asin[s],
        str(impressions),
        str(clicks),
        percent(clicks / impressions if impressions else 0.0),
        symbol + grouped_money(round(spend / clicks) if clicks else 0),
        symbol + grouped_money(spend),
        symbol + grouped_money(total),
        percent(spend / total if total else 0.0),
        f"{total / spend:.2f}" if spend else "0.00",
        str(orders),
        str(units + other_units),
        percent(orders / clicks if clicks else 0.0),
        str(units),
        str(other_units),
        symbol + grouped_money(sales),
        symbol + grouped_money(other),
    ]


def _api_record(world: World, names: _Names, rows: AdRows, i: int) -> dict[str, object]:
    catalog = world.catalog
    s = int(rows.sku[i])
    campaign, group, cid, gid = names.campaigns[s]
    return {
        "date": world.scenario.date_of(int(rows.day[i])).isoformat(),
        "campaignName": campaign,
        "campaignId": cid,
        "adGroupName": group,
        "adGroupId": gid,
        "advertisedAsin": catalog.asin[s],
        "advertisedSku": catalog.sku[s],
        "impressions": int(rows.impressions[i]),
        "clicks": int(rows.clicks[i]),
        "cost": int(rows.spend[i]) / 100,
        "sales7d": int(rows.sales[i] + rows.other_sales[i]) / 100,
        "purchases7d": int(rows.orders[i]),
        "unitsSoldClicks7d": int(rows.units[i] + rows.other_units[i]),
        "attributedSalesSameSku7d": int(rows.sales[i]) / 100,
        "unitsSoldSameSku7d": int(rows.units[i]),
        "salesOtherSku7d": int(rows.other_sales[i]) / 100,
        "unitsSoldOtherSku7d": int(rows.other_units[i]),
        "campaignBudgetCurrencyCode": "USD",
    }


def _xlsx(path: Path, header: tuple[str, ...], rows: list[list[str]], when: date) -> Path:
    """The console's XLSX download: dates and numbers as typed cells, money without its symbol."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sponsored Product Advertised P"
    sheet.append(list(header))
    numeric = {10, 11, 13, 14, 15, 17, 18, 19, 21, 22, 23, 24}
    for row in rows:
        cells: list[object] = [datetime.strptime(row[0], "%b %d, %Y"), datetime.strptime(row[1], "%b %d, %Y")]
        for k, value in enumerate(row[2:], start=2):
            if k in numeric:
                text = value.lstrip("$£€").replace(",", "")
                cells.append(float(text) if "." in text else int(text))
            elif k in (12, 16, 20):
                cells.append(float(value.rstrip("%").replace(",", "")) / 100)
            else:
                cells.append(value)
        sheet.append(cells)
    for column in ("A", "B"):
        for cell in sheet[column][1:]:
            cell.number_format = "mmm dd, yyyy"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return stable_zip(path, datetime.combine(when, datetime.min.time()))


def write(world: World, folder: Path) -> list[DemoFile]:
    scenario = world.scenario
    rows = ad_rows(world)
    names = _names(world)
    codes = [m.code for m in MARKETS]
    api_months = scenario.size.cadence.ads_api_months
    api_start = add_months(scenario.start, len(scenario.months()) - api_months)
    api_from = scenario.day_index(api_start)
    order = np.lexsort((rows.sku, rows.market, rows.day))
    files: list[DemoFile] = []

    us = codes.index("US")
    for first in scenario.months()[-api_months:]:
        lo, hi = scenario.day_index(first), scenario.day_index(add_months(first, 1)) - 1
        mask = (rows.market == us) & (rows.day >= lo) & (rows.day <= hi)
        idx = order[mask[order]].tolist()
        data = json.dumps([_api_record(world, names, rows, i) for i in idx], ensure_ascii=False).encode(
            "utf-8"
        )
        path = write_bytes(
            folder / "US" / f"spAdvertisedProduct_US_{first:%Y-%m}.json.gz", gzip.compress(data, mtime=0)
        )
        files.append(DemoFile(path, "ads", ImportOptions(account=NA_ACCOUNT, marketplace="US")))

    groups = (
        ("NA", NA_ACCOUNT, (codes.index("US"), codes.index("CA")), CONSOLE_HEADER),
        ("UK", EU_ACCOUNT, (codes.index("UK"),), UK_HEADER),
        ("EU", EU_ACCOUNT, tuple(codes.index(c) for c in ("DE", "FR", "IT", "ES")), CONSOLE_HEADER),
    )
    periods = scenario.periods(scenario.size.cadence.ads_console_months)
    for label, account, markets, header in groups:
        for k, (first, last) in enumerate(_console_periods(periods, xlsx_first_month=label == "EU")):
            lo, hi = scenario.day_index(first), scenario.day_index(last)
            mask = np.isin(rows.market, markets) & (rows.day >= lo) & (rows.day <= hi)
            mask &= ~((rows.market == us) & (rows.day >= api_from))
            idx = order[mask[order]].tolist()
            if not idx:
                continue
            body = [_console_row(world, names, rows, i, uk=label == "UK") for i in idx]
            stem = f"Sponsored_Products_Advertised_product_report_{label}_{period_name(first, last)}"
            if label == "EU" and k == 0:
                path = _xlsx(folder / label / f"{stem}.xlsx", header, body, first)
            else:
                path = write_bytes(folder / label / f"{stem}.csv", csv_text(header, body).encode("utf-8"))
            files.append(DemoFile(path, "ads", ImportOptions(account=account)))
    return files


def _console_periods(periods: list[tuple[date, date]], *, xlsx_first_month: bool) -> list[tuple[date, date]]:
    """The download periods; the EU team downloaded its first month on its own (as XLSX)."""
    first, last = periods[0]
    month_end = add_months(first, 1) - timedelta(days=1)
    if not xlsx_first_month or month_end >= last:
        return periods
    return [(first, month_end), (month_end + timedelta(days=1), last), *periods[1:]]


FAMILY = FileFamily(
    "ads", "ads", write, "Sponsored Products advertised-product reports (console and Ads API)"
)
