"""Seller Central Business Reports, "Detail Page Sales and Traffic" per marketplace (report-formats §1).

Each marketplace downloads the report the way its Seller Central writes it: the US by SKU with hyphen,
Title Case headers; Canada by SKU with en dashes; the UK with all columns (mobile app / browser split);
Germany by SKU in English with `€1,234.56`, except one month downloaded with the German interface
(German headers, `1.999,55 €`, `16,40%`); France, Italy and Spain by child item. Files are UTF-8 with a
BOM and no newline after the last row, as the real downloads. Only the file name says which dates a
report covers (Seller Central writes no date column), in each marketplace's habit.

Units, sales and order items add up from the order lines of the period, except in the planted
reconciliation gap (`WatchPlants.gap`: the last German report counts fewer units on its top SKUs);
sessions come from demand (a stock-out keeps the visits and loses the orders, so conversion drops), B2B
figures from business orders.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tradewind.demo.demand import UNITS_PER_LINE
from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.formats import csv_text, encode, grouped, grouped_money, percent, write_bytes
from tradewind.demo.lines import CANCELLED
from tradewind.demo.markets import MARKETS
from tradewind.demo.stock import POOL_OF_MARKET
from tradewind.demo.world import World
from tradewind.ingest.spec import ImportOptions

IntArray = npt.NDArray[np.int64]

_UK_A = (
    "(Parent) ASIN|parent,(Child) ASIN|child,Title|title,SKU|sku,Sessions – Total|s,Sessions – Total – B2B|s_b,"
    "Session percentage – Total|sp,Session percentage – Total – B2B|sp_b,Page views – Total|pv,"
    "Page views – Total – B2B|pv_b,Page views percentage – Total|pvp,Page views percentage – Total – B2B|pvp_b,"
    "Featured Offer (Buy Box) percentage|bb,Featured Offer (Buy Box) percentage – B2B|bb_b,Units ordered|u,"
    "Units ordered – B2B|u_b,Unit Session Percentage|usp,Unit session percentage – B2B|usp_b,"
    "Ordered Product Sales|sales,Ordered product sales – B2B|sales_b,Total order items|items,"
    "Total order items – B2B|items_b"
)
_US_A = (
    "(Parent) ASIN|parent,(Child) ASIN|child,Title|title,SKU|sku,Sessions - Total|s,Sessions - Total - B2B|s_b,"
    "Session Percentage - Total|sp,Session Percentage - Total - B2B|sp_b,Page Views - Total|pv,"
    "Page Views - Total - B2B|pv_b,Page Views Percentage - Total|pvp,Page Views Percentage - Total - B2B|pvp_b,"
    "Featured Offer (Buy Box) Percentage|bb,Featured Offer (Buy Box) Percentage - B2B|bb_b,Units Ordered|u,"
    "Units Ordered - B2B|u_b,Unit Session Percentage|usp,Unit Session Percentage - B2B|usp_b,"
    "Ordered Product Sales|sales,Ordered Product Sales - B2B|sales_b,Total Order Items|items,"
    "Total Order Items - B2B|items_b"
)
_UK_C = (
    "(Parent) ASIN|parent,(Child) ASIN|child,Title|title,SKU|sku,Sessions – Mobile app|s_m,"
    "Sessions – Mobile APP – B2B|s_m_b,Sessions – Browser|s_w,Sessions – Browser – B2B|s_w_b,Sessions – Total|s,"
    "Sessions – Total – B2B|s_b,Session percentage – Mobile App|sp_m,Session percentage – Mobile APP – B2B|sp_m_b,"
    "Session percentage – Browser|sp_w,Session percentage – Browser – B2B|sp_w_b,Session percentage – Total|sp,"
    "Session percentage – Total – B2B|sp_b,Page views – Mobile app|pv_m,Page views – Mobile APP – B2B|pv_m_b,"
    "Page views – Browser|pv_w,Page views – Browser – B2B|pv_w_b,Page views – Total|pv,"
    "Page views – Total – B2B|pv_b,Page views percentage – Mobile App|pvp_m,"
    "Page views percentage – Mobile app – B2B|pvp_m_b,Page views percentage – Browser|pvp_w,"
    "Page views percentage – Browser – B2B|pvp_w_b,Page views percentage – Total|pvp,"
    "Page views percentage – Total – B2B|pvp_b,Featured Offer (Buy Box) percentage|bb,"
    "Featured Offer (Buy Box) percentage – B2B|bb_b,Units ordered|u,Units ordered – B2B|u_b,"
    "Unit Session Percentage|usp,Unit session percentage – B2B|usp_b,Ordered Product Sales|sales,"
    "Ordered product sales – B2B|sales_b,Total order items|items,Total order items – B2B|items_b"
)
# German names as reported (report-formats §1.4). The German name of the buy-box and session-share
# columns is not known, so the German download here leaves them out rather than invent them; one
# header carries a non-breaking space, as some real German headers do.
_DE = (
    "(Übergeordnete) ASIN|parent,(Untergeordnete) ASIN|child,Titel|title,SKU|sku,Sitzungen – Summe|s,"
    "Sitzungen – Summe – B2B|s_b,Seitenaufrufe – Summe|pv,Seitenaufrufe – Summe – B2B|pv_b,"
    "Bestellte Einheiten|u,Bestellte Einheiten – B2B|u_b,Prozentsatz an Einheiten pro Sitzung|usp,"
    "Durch bestellte Produkte erzielter Umsatz|sales,Bestellsumme – B2B|sales_b,Zahl der Bestellposten|items,"
    "Zahl der Bestellposten\u00a0– B2B|items_b"
)


def _layout(spec: str, *, drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    pairs = [cell.rsplit("|", 1) for cell in spec.split(",")]
    return [(h, k) for h, k in pairs if k not in drop]


LAYOUTS: dict[str, list[tuple[str, str]]] = {
    "US": _layout(_US_A),
    "CA": _layout(_UK_A),
    "UK": _layout(_UK_C),
    "DE": _layout(_UK_A),
    "FR": _layout(_UK_A, drop=("sku",)),
    "IT": _layout(_UK_A, drop=("sku",)),
    "ES": _layout(_UK_A, drop=("sku",)),
}
GERMAN = _layout(_DE)


def _name(code: str, first: date, last: date, german: bool) -> str:
    """The range in the file name, written as each marketplace's Seller Central writes dates."""
    if german:
        return f"BusinessReport-{first:%d.%m.%y}-{last:%d.%m.%y}.csv"
    if code == "US":
        return f"BusinessReport-{first.month}-{first.day}-{first:%y}_{last.month}-{last.day}-{last:%y}.csv"
    if code == "UK":
        return f"BusinessReport-{first:%d-%m-%Y}_{last:%d-%m-%Y}.csv"
    return f"BusinessReport_{code}_{first.isoformat()}_{last.isoformat()}.csv"


def _money_writer(code: str, german: bool) -> Callable[[int], str]:
    if german:
        return lambda c: grouped_money(c, decimal=",", thousands=".") + " €"
    symbol = {"US": "$", "CA": "$", "UK": "£"}.get(code, "€")
    return lambda c: ("-" if c < 0 else "") + symbol + grouped_money(abs(c))


def _sums(mask: npt.NDArray[np.bool_], weights: IntArray | None, size: int, keys: IntArray) -> IntArray:
    values = np.bincount(keys[mask], weights=None if weights is None else weights[mask], minlength=size)
    return np.round(values).astype(np.int64)


def gap_cells(world: World, periods: list[tuple[date, date]], units: IntArray) -> tuple[int, int, list[int]]:
    """Where the planted reconciliation gap goes: the marketplace, the report (period) that covers the
    gap's last day, and the SKUs with the most units ordered in it (ties by catalog order)."""
    gap = world.plants.watch.gap
    m = [p.code for p in MARKETS].index(gap.marketplace)
    k = next(i for i, (first, last) in enumerate(periods) if first <= gap.end <= last)
    top = np.argsort(-units[m, k], kind="stable")[: gap.skus]
    return m, k, [int(s) for s in top if units[m, k, s] > 0]


def _plant_gap(
    world: World,
    periods: list[tuple[date, date]],
    units: IntArray,
    units_b: IntArray,
    sales: IntArray,
    sales_b: IntArray,
    items: IntArray,
    items_b: IntArray,
) -> None:
    """The planted reconciliation gap (`WatchPlants.gap`): the report was downloaded before Amazon had
    counted every order, so its top SKUs show `share` fewer units ordered (and order items and sales in
    proportion) than the orders."""
    share = world.plants.watch.gap.share
    m, k, skus = gap_cells(world, periods, units)
    for s in skus:
        u, i, c = int(units[m, k, s]), int(items[m, k, s]), int(sales[m, k, s])
        counted = u - round(u * share)
        units[m, k, s] = counted
        items[m, k, s] = i - round(i * share)
        sales[m, k, s] = round(c * counted / u)
        units_b[m, k, s] = min(int(units_b[m, k, s]), counted)
        items_b[m, k, s] = min(int(items_b[m, k, s]), int(items[m, k, s]))
        sales_b[m, k, s] = min(int(sales_b[m, k, s]), int(sales[m, k, s]))


def write(world: World, folder: Path) -> list[DemoFile]:
    scenario = world.scenario
    catalog = world.catalog
    lines = world.lines
    rng = scenario.rng("files.business_report")
    n_m, n_s = len(MARKETS), catalog.size
    periods = scenario.periods(scenario.size.cadence.business_report_months)
    period_of_day = np.zeros(scenario.days, dtype=np.int64)
    for k, (first, last) in enumerate(periods):
        period_of_day[scenario.day_index(first) : scenario.day_index(last) + 1] = k
    n_p = len(periods)
    size = n_m * n_p * n_s
    live = lines.status != CANCELLED
    keys = (lines.market * n_p + period_of_day[lines.day]) * n_s + lines.sku
    b2b = live & lines.business
    units = _sums(live, lines.quantity, size, keys).reshape(n_m, n_p, n_s)
    units_b = _sums(b2b, lines.quantity, size, keys).reshape(n_m, n_p, n_s)
    sales = _sums(live, lines.item_price, size, keys).reshape(n_m, n_p, n_s)
    sales_b = _sums(b2b, lines.item_price, size, keys).reshape(n_m, n_p, n_s)
    items = _sums(live, None, size, keys).reshape(n_m, n_p, n_s)
    items_b = _sums(b2b, None, size, keys).reshape(n_m, n_p, n_s)
    _plant_gap(world, periods, units, units_b, sales, sales_b, items, items_b)

    expected = np.zeros((n_m, n_s, n_p))
    out_days = np.zeros((n_m, n_s, n_p))
    launched = np.zeros((n_m, n_s, n_p), dtype=bool)
    stock_out = world.stock.on_hand[POOL_OF_MARKET] == 0  # [market, sku, day]
    launch_day = np.array([(d - scenario.start).days for d in catalog.launch])
    for k, (first, last) in enumerate(periods):
        lo, hi = scenario.day_index(first), scenario.day_index(last) + 1
        expected[:, :, k] = world.demand.expected_lines[:, :, lo:hi].sum(axis=2) * UNITS_PER_LINE
        out_days[:, :, k] = stock_out[:, :, lo:hi].sum(axis=2) / (hi - lo)
        launched[:, :, k] = (launch_day < hi)[None, :] & world.demand.listed
    spu = np.array([m.sessions_per_unit for m in MARKETS])[:, None] * rng.lognormal(0, 0.25, (n_m, n_s))
    sessions = np.round(expected * spu[:, :, None] * rng.lognormal(0, 0.08, expected.shape)).astype(np.int64)
    sessions = np.transpose(sessions, (0, 2, 1))  # [market, period, sku]
    sessions = np.maximum(sessions, units + items)
    b2b_share = np.array([m.b2b_share for m in MARKETS])[:, None, None]
    sessions_b = np.minimum(
        np.maximum(np.round(sessions * b2b_share * rng.uniform(0.8, 1.3, sessions.shape)), units_b + items_b),
        sessions,
    ).astype(np.int64)
    page_views = np.round(sessions * rng.uniform(1.15, 1.6, sessions.shape)).astype(np.int64)
    page_views_b = np.minimum(
        np.round(sessions_b * rng.uniform(1.1, 1.5, sessions.shape)), page_views
    ).astype(np.int64)
    mobile = rng.uniform(0.58, 0.72, sessions.shape)
    base_bb = rng.uniform(0.95, 0.995, (n_m, n_s))
    buy_box = np.transpose(base_bb[:, :, None] * (1 - 0.7 * out_days), (0, 2, 1))
    buy_box_b = buy_box * rng.uniform(0.88, 0.99, sessions.shape)
    show = np.transpose(launched, (0, 2, 1)) & (sessions > 0)

    german_period = n_p - 1
    files: list[DemoFile] = []
    for m, profile in enumerate(MARKETS):
        code = profile.code
        lang = "de" if code == "DE" else ("en" if code in ("US", "CA", "UK") else code.lower())
        titles = catalog.titles[lang]
        for k, (first, last) in enumerate(periods):
            german = code == "DE" and k == german_period
            layout = GERMAN if german else LAYOUTS[code]
            money = _money_writer(code, german)
            dec, thou = (",", ".") if german else (".", ",")
            sk = np.nonzero(show[m, k])[0]
            sk = sk[np.lexsort((sk, -sales[m, k, sk]))]
            s_tot = max(int(sessions[m, k, sk].sum()), 1)
            s_tot_b = max(int(sessions_b[m, k, sk].sum()), 1)
            pv_tot = max(int(page_views[m, k, sk].sum()), 1)
            pv_tot_b = max(int(page_views_b[m, k, sk].sum()), 1)
            rows = []
            for s in sk.tolist():
                ses, ses_b = int(sessions[m, k, s]), int(sessions_b[m, k, s])
                pv, pv_b = int(page_views[m, k, s]), int(page_views_b[m, k, s])
                share = float(mobile[m, k, s])
                ses_m, ses_m_b = round(ses * share), round(ses_b * share)
                pv_m, pv_m_b = round(pv * share), round(pv_b * share)
                u, u_b = int(units[m, k, s]), int(units_b[m, k, s])
                values = {
                    "parent": catalog.parent_asin[s],
                    "child": catalog.asin[s],
                    "title": titles[s],
                    "sku": catalog.sku[s],
                    "s": grouped(ses),
                    "s_b": grouped(ses_b),
                    "s_m": grouped(ses_m),
                    "s_m_b": grouped(ses_m_b),
                    "s_w": grouped(ses - ses_m),
                    "s_w_b": grouped(ses_b - ses_m_b),
                    "sp": percent(ses / s_tot, dec, thou),
                    "sp_b": percent(ses_b / s_tot_b, dec, thou),
                    "sp_m": percent(ses_m / s_tot, dec, thou),
                    "sp_m_b": percent(ses_m_b / s_tot_b, dec, thou),
                    "sp_w": percent((ses - ses_m) / s_tot, dec, thou),
                    "sp_w_b": percent((ses_b - ses_m_b) / s_tot_b, dec, thou),
                    "pv": grouped(pv),
                    "pv_b": grouped(pv_b),
                    "pv_m": grouped(pv_m),
                    "pv_m_b": grouped(pv_m_b),
                    "pv_w": grouped(pv - pv_m),
                    "pv_w_b": grouped(pv_b - pv_m_b),
                    "pvp": percent(pv / pv_tot, dec, thou),
                    "pvp_b": percent(pv_b / pv_tot_b, dec, thou),
                    "pvp_m": percent(pv_m / pv_tot, dec, thou),
                    "pvp_m_b": percent(pv_m_b / pv_tot_b, dec, thou),
                    "pvp_w": percent((pv - pv_m) / pv_tot, dec, thou),
                    "pvp_w_b": percent((pv_b - pv_m_b) / pv_tot_b, dec, thou),
                    "bb": percent(float(buy_box[m, k, s]), dec, thou),
                    "bb_b": percent(float(buy_box_b[m, k, s]) if ses_b else 0.0, dec, thou),
                    "u": grouped(u),
                    "u_b": grouped(u_b),
                    "usp": percent(u / ses if ses else 0.0, dec, thou),
                    "usp_b": percent(u_b / ses_b if ses_b else 0.0, dec, thou),
                    "sales": money(int(sales[m, k, s])),
                    "sales_b": money(int(sales_b[m, k, s])),
                    "items": grouped(int(items[m, k, s])),
                    "items_b": grouped(int(items_b[m, k, s])),
                }
                rows.append([values[key] for _h, key in layout])
            if not rows:
                continue
            text = csv_text([h for h, _k in layout], rows, final_newline=False)
            path = write_bytes(
                folder / code / _name(code, first, last, german), encode(text, "utf-8", bom=True)
            )
            files.append(
                DemoFile(path, "business_report", ImportOptions(account=profile.account, marketplace=code))
            )
    return files


FAMILY = FileFamily(
    "business_report",
    "business-reports",
    write,
    "Business Reports (Detail Page Sales and Traffic) per marketplace",
)
