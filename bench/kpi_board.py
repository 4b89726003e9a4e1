"""Benchmark: the full KPI board (month x marketplace x SKU) through the engine, by hand in SQL, in pandas.

Generates, deterministically and without Python loops, a facts database of 10,000,000 order lines,
3,600,000 Business Report rows and 3,600,000 Sponsored Products rows (8 marketplaces, 5,000 SKUs,
2 years), about 2% returns and the ECB rates of every business day, into a temporary DuckDB file. Then,
in one run, it times:

  (a) the board through `KpiEngine` (every sales, traffic and advertising KPI, in USD);
  (b) the same board written by hand in one DuckDB SQL query;
  (c) the same board in pandas (the data already loaded into DataFrames: only the computation is timed);

and prints engine/SQL (goal: at most 1.2x), pandas/engine (goal: at least 3x), the peak memory of the
engine run (psutil RSS, goal: under 1.5 GB) and the median latency of a dashboard query (13 months by
marketplace, company level; goal: under 100 ms). The generated data ends like a workspace's import
batch, with the daily rollups built (`KpiEngine.build_rollups`); the dashboard reads them, the board
(by SKU) cannot and reads the facts. The hand SQL and the engine must agree to the cent: a
cross-check of the benchmark itself (the tests are the hand-computed KPI cases).

    .venv/bin/python bench/kpi_board.py [--scale 0.01] [--keep DIR]

The data is generated in a child process so that its memory does not count in the engine's peak.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import psutil

START = date(2024, 4, 1)
DAYS = 730  # 2024-04-01 .. 2026-03-31
N_SKUS = 5000
ORDER_LINES = 10_000_000
TRAFFIC_ROWS = 3_600_000
AD_ROWS = 3_600_000
TODAY = date(2026, 4, 2)

#: code, currency, ship-to country, share of orders (per cent), price factor of the currency
MARKETPLACES = (
    ("US", "USD", "US", 40, 1.0),
    ("CA", "CAD", "CA", 6, 1.35),
    ("UK", "GBP", "GB", 14, 0.8),
    ("DE", "EUR", "DE", 16, 0.95),
    ("FR", "EUR", "FR", 9, 0.95),
    ("IT", "EUR", "IT", 7, 0.95),
    ("ES", "EUR", "ES", 5, 0.95),
    ("PL", "PLN", "PL", 3, 4.1),
)
#: EUR -> currency around which the generated ECB rates move
ECB_BASE = {"USD": 1.08, "GBP": 0.85, "CAD": 1.47, "PLN": 4.30}
#: standard VAT rates of the ship-to countries generated (constant over 2024-2026)
VAT = {"DE": 0.19, "FR": 0.20, "IT": 0.22, "ES": 0.21, "PL": 0.23, "GB": 0.20}

SALES_KPIS = (
    "gmv", "units", "orders", "aov", "asp", "promo_discount", "refund_units", "refund_amount", "net_sales",
    "refund_rate", "b2b_share",
)  # fmt: skip
TRAFFIC_KPIS = ("sessions", "page_views", "cvr", "order_item_session_pct", "buy_box_pct")
AD_KPIS = (
    "ad_spend", "ad_sales", "ad_orders", "ad_units", "impressions", "clicks", "ctr", "cpc", "ad_cvr", "acos",
    "roas", "tacos", "organic_share",
)  # fmt: skip
BOARD_KPIS = SALES_KPIS + TRAFFIC_KPIS + AD_KPIS
MONEY_KPIS = frozenset(
    {"gmv", "aov", "asp", "promo_discount", "refund_amount", "net_sales", "ad_spend", "ad_sales", "cpc"}
)
DASHBOARD_KPIS = (
    "gmv",
    "units",
    "orders",
    "aov",
    "net_sales",
    "sessions",
    "cvr",
    "ad_spend",
    "acos",
    "tacos",
)
DASHBOARD_PERIOD = "2025-03-01..2026-03-31"


# -- data ---------------------------------------------------------------------------------------------------


def _case(expr: str, pairs: list[tuple[int, str]], default: str) -> str:
    whens = " ".join(f"WHEN {expr} = {k} THEN {v}" for k, v in pairs)
    return f"(CASE {whens} ELSE {default} END)"


def generate(path: Path, scale: float) -> dict[str, int]:
    """Write the facts with DuckDB alone: every value is a hash of the row number, so runs are identical."""
    from tradewind.store.fact_schema import FACT_TABLES

    n_lines = int(ORDER_LINES * scale)
    n_traffic = int(TRAFFIC_ROWS * scale)
    n_ads = int(AD_ROWS * scale)
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    # a non-negative BIGINT hash, so that arithmetic on it never leaves the unsigned range
    con.execute("CREATE TEMP MACRO hh(a, b) AS CAST(hash(a, b) >> 1 AS BIGINT)")
    for table in FACT_TABLES.values():
        con.execute(table.ddl())

    # marketplace of an order: cumulative shares over hash % 100
    bounds, acc = [], 0
    for i, (_, _, _, share, _) in enumerate(MARKETPLACES):
        acc += share
        bounds.append((acc, i))
    mk_of = "(CASE " + " ".join(f"WHEN h_mk < {b} THEN {i}" for b, i in bounds) + " END)"
    idx = "mk"
    code = _case(idx, [(i, f"'{m[0]}'") for i, m in enumerate(MARKETPLACES)], "NULL")
    currency = _case(idx, [(i, f"'{m[1]}'") for i, m in enumerate(MARKETPLACES)], "NULL")
    country = _case(idx, [(i, f"'{m[2]}'") for i, m in enumerate(MARKETPLACES)], "NULL")
    factor = _case(idx, [(i, str(m[4])) for i, m in enumerate(MARKETPLACES)], "1")
    taxed = _case(idx, [(i, "true") for i, m in enumerate(MARKETPLACES) if m[0] not in ("US", "CA")], "false")
    vat = "(CASE ship_country " + " ".join(f"WHEN '{c}' THEN {r}" for c, r in VAT.items()) + " ELSE 0 END)"

    con.execute(
        f"""
        INSERT INTO order_lines BY NAME
        WITH base AS (
          SELECT i, (i * 2) // 3 AS o FROM range({n_lines}) t(i)
        ), h AS (
          SELECT i, o,
            hh(o, 11) % 100 AS h_mk,
            hh(o, 12) % {DAYS} AS day_no,
            CAST(floor({N_SKUS} * pow((hh(i, 13) % 1000000) / 1000000.0, 2)) AS INTEGER) AS sk,
            1 + hh(i, 14) % 3 AS qty,
            hh(i, 15) % 100 AS h_flag,
            hh(o, 16) % 100 AS h_order,
            hh(i, 17) % 100 AS h_ship
          FROM base
        ), m AS (
          SELECT *, {mk_of} AS mk FROM h
        ), p AS (
          SELECT *,
            {code} AS marketplace, {currency} AS currency, {factor} AS factor, {taxed} AS tax_included,
            CASE WHEN {code} = 'DE' AND h_ship < 3 THEN 'FR' ELSE {country} END AS ship_country,
            round((5 + (hh(sk, 21) % 7500) / 100.0) * {factor}, 2) AS unit_price
          FROM m
        ), q AS (
          SELECT *, CAST(qty * unit_price AS DECIMAL(18,4)) AS price FROM p
        )
        SELECT
          'acct-1' AS account_id, marketplace, 'bench' AS import_id, CAST(i + 2 AS INTEGER) AS source_row,
          'amazon_all_orders' AS source,
          CASE WHEN hh(sk, 34) % 5 = 0 THEN 'amazon_fbm' ELSE 'amazon_fba' END AS channel,
          'O' || o AS order_id,
          CAST(i - ((3 * o + 1) // 2) + 1 AS INTEGER) AS line_no,
          CAST(DATE '{START}' + CAST(day_no AS INTEGER) AS TIMESTAMPTZ) + INTERVAL 12 HOUR AS purchase_ts,
          DATE '{START}' + CAST(day_no AS INTEGER) AS purchase_date,
          h_flag < 2 AS is_cancelled,
          h_flag >= 2 AND h_flag < 3 AS is_pending,
          h_order < 5 AS is_business_order,
          'SKU-' || lpad(CAST(sk AS VARCHAR), 5, '0') AS sku,
          'B0' || lpad(CAST(sk AS VARCHAR), 8, '0') AS asin,
          CAST(qty AS INTEGER) AS quantity, currency, price AS item_price,
          CASE
            WHEN NOT tax_included THEN CAST(round(price * 0.08, 2) AS DECIMAL(18,4))
            WHEN h_flag >= 90 THEN NULL
            ELSE CAST(round(price * {vat} / (1 + {vat}), 2) AS DECIMAL(18,4))
          END AS item_tax,
          tax_included,
          CASE WHEN h_flag >= 80 AND h_flag < 90 THEN CAST(round(price * 0.1, 2) AS DECIMAL(18,4)) END
            AS item_promotion_discount,
          ship_country
        FROM q
        """
    )
    con.execute(
        """
        INSERT INTO customer_returns BY NAME
        SELECT account_id, marketplace, 'bench' AS import_id, source_row, 'fba_returns' AS source,
          purchase_date + CAST(3 + hh(source_row, 41) % 38 AS INTEGER) AS return_date,
          CASE WHEN hh(source_row, 42) % 20 = 0 THEN 'X' || order_id ELSE order_id END AS order_id,
          sku, asin, 1 AS quantity, currency
        FROM order_lines
        WHERE NOT is_cancelled AND hh(source_row, 40) % 50 = 0
        """
    )
    for table, n, salt, mult in (("traffic", n_traffic, 50, 7919), ("ad_performance", n_ads, 60, 3571)):
        combo = f"(j // {DAYS})"
        mk_expr = f"(({combo} + {salt // 10}) % {len(MARKETPLACES)})"
        sk_expr = f"(({combo} * {mult}) % {N_SKUS})"
        common = f"""
          SELECT j, {mk_expr} AS mk, {sk_expr} AS sk, DATE '{START}' + CAST(j % {DAYS} AS INTEGER) AS day
          FROM range({n}) t(j)
        """
        if table == "traffic":
            select = f"""
              SELECT 'acct-1' AS account_id, {code} AS marketplace, 'bench' AS import_id,
                CAST(j + 2 AS INTEGER) AS source_row, 'business_report' AS source, 'child_asin' AS level,
                day AS date_from, day AS date_to,
                'B1' || lpad(CAST(sk // 5 AS VARCHAR), 8, '0') AS parent_asin,
                'B0' || lpad(CAST(sk AS VARCHAR), 8, '0') AS child_asin,
                'SKU-' || lpad(CAST(sk AS VARCHAR), 5, '0') AS sku,
                s AS sessions, s // 10 AS sessions_b2b, s + hh(j, 52) % 200 AS page_views,
                0.5 + (hh(j, 53) % 5000) / 10000.0 AS buy_box_pct,
                u AS units_ordered, u // 10 AS units_ordered_b2b,
                greatest(u - hh(j, 55) % 2, 0) AS total_order_items, {currency} AS currency
              FROM (SELECT *, 1 + hh(j, 51) % 300 AS s FROM c) c2,
                LATERAL (SELECT hh(j, 54) % (s // 8 + 1) AS u)
            """
        else:
            select = f"""
              SELECT 'acct-1' AS account_id, {code} AS marketplace, 'bench' AS import_id,
                CAST(j + 2 AS INTEGER) AS source_row, 'ads_console' AS source, 'SP' AS ad_product,
                day AS date_from, day AS date_to, 'Campaign ' || (sk % 40) AS campaign_name,
                'Group ' || (sk % 200) AS ad_group_name,
                'SKU-' || lpad(CAST(sk AS VARCHAR), 5, '0') AS sku,
                'B0' || lpad(CAST(sk AS VARCHAR), 8, '0') AS asin, {currency} AS currency,
                imp AS impressions, clk AS clicks,
                CAST(round(clk * (0.2 + (hh(j, 63) % 180) / 100.0) * {factor}, 2) AS DECIMAL(18,4)) AS spend,
                CAST(round(ord * (5 + (hh(sk, 21) % 7500) / 100.0) * {factor}, 2) AS DECIMAL(18,4)) AS sales,
                ord AS orders, ord + CASE WHEN ord > 0 THEN hh(j, 65) % 2 ELSE 0 END AS units,
                7 AS attribution_days
              FROM (SELECT *, 100 + hh(j, 61) % 5000 AS imp FROM c) c2,
                LATERAL (SELECT imp * (hh(j, 62) % 30) // 1000 AS clk),
                LATERAL (SELECT hh(j, 64) % (clk // 10 + 1) AS ord)
            """
        con.execute(f"INSERT INTO {table} BY NAME WITH c AS ({common}) {select}")

    # ECB rates: business days only (weekends use Friday's), a smooth deterministic walk per currency
    values = ", ".join(f"('{c}', {r})" for c, r in ECB_BASE.items())
    con.execute(
        f"""
        INSERT INTO fx_rates BY NAME
        SELECT '*' AS account_id, NULL AS marketplace, 'bench' AS import_id,
          CAST(row_number() OVER (ORDER BY d, quote) + 1 AS INTEGER) AS source_row, 'ecb' AS kind, d AS rate_date,
          'EUR' AS base, quote,
          CAST(round(base_rate * (1 + 0.03 * sin(n / 37.0) + 0.01 * cos(n / 5.0)), 4) AS DECIMAL(18,8))
            AS rate
        FROM (SELECT CAST(range AS DATE) AS d, row_number() OVER (ORDER BY range) AS n
              FROM range(DATE '2024-03-01', DATE '2026-06-01', INTERVAL 1 DAY)) days,
          (VALUES {values}) r(quote, base_rate)
        WHERE isodow(d) <= 5
        """
    )
    counts = {
        t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0])
        for t in ("order_lines", "customer_returns", "traffic", "ad_performance", "fx_rates")
    }
    con.execute("CHECKPOINT")
    con.close()
    # what an import batch ends with in a workspace: the daily rollups the dashboard reads
    start = time.perf_counter()
    engine = engine_for(path, read_only=False)
    built = engine.build_rollups()
    engine.backend.disconnect()
    print(f"built the daily rollups of {len(built)} facts in {time.perf_counter() - start:.1f} s")
    return counts


# -- (b) the board by hand in DuckDB SQL -------------------------------------------------------------------

HAND_SQL = """
WITH
currencies AS (
  SELECT DISTINCT quote AS currency FROM fx_rates WHERE kind = 'ecb' AND base = 'EUR'
  UNION SELECT 'EUR'
),
days AS (
  SELECT CAST(range AS DATE) AS day
  FROM range((SELECT min(rate_date) FROM fx_rates), DATE '{end}', INTERVAL 1 DAY)
),
eur_rates AS (  -- EUR -> currency of the latest ECB day on or before each day
  SELECT d.day, c.currency, CASE WHEN c.currency = 'EUR' THEN 1 ELSE r.rate END AS rate
  FROM days d CROSS JOIN currencies c
  ASOF LEFT JOIN fx_rates r ON r.kind = 'ecb' AND r.base = 'EUR' AND r.quote = c.currency
    AND r.rate_date <= d.day
),
fx AS (  -- currency -> USD through EUR
  SELECT e.day, e.currency, CAST(u.rate AS DOUBLE) / CAST(e.rate AS DOUBLE) AS to_usd
  FROM eur_rates e JOIN eur_rates u ON u.day = e.day AND u.currency = 'USD'
),
vat(country, rate) AS (VALUES {vat}),
lines AS (
  SELECT o.purchase_date, o.marketplace, o.sku, o.order_id, o.quantity, o.is_business_order, o.is_cancelled,
    f.to_usd,
    CAST(o.item_price AS DOUBLE) AS price,
    coalesce(CAST(o.item_promotion_discount AS DOUBLE), 0) AS promo,
    CASE WHEN NOT o.tax_included THEN 0
         WHEN o.item_tax IS NOT NULL THEN CAST(o.item_tax AS DOUBLE)
         ELSE CAST(o.item_price AS DOUBLE) * v.rate / (1 + v.rate) END AS tax_in
  FROM order_lines o
  JOIN fx f ON f.day = o.purchase_date AND f.currency = o.currency
  LEFT JOIN vat v ON v.country = o.ship_country
),
sales AS (  -- cancelled lines never count: a scope with only cancelled lines has no row
  SELECT date_trunc('month', purchase_date) AS month, marketplace, sku,
    sum(price * to_usd) AS gmv, sum(quantity) AS units, count(DISTINCT order_id) AS orders,
    sum(promo * to_usd) AS promo_discount,
    sum((price - tax_in - promo) * to_usd) AS order_net_sales,
    sum(CASE WHEN is_business_order THEN price * to_usd ELSE 0 END) AS gmv_b2b
  FROM lines WHERE NOT is_cancelled GROUP BY ALL
),
line_price AS (  -- ex-tax unit price of an order's SKU, in its own currency
  SELECT order_id, sku, sum(price - tax_in) / sum(quantity) AS unit_ex_tax
  FROM lines WHERE NOT is_cancelled GROUP BY ALL
),
month_asp AS (  -- the SKU's ex-tax ASP of a marketplace-month, for returns of unknown orders
  SELECT date_trunc('month', purchase_date) AS month, marketplace, sku,
    sum(price - tax_in) / sum(quantity) AS asp_ex_tax
  FROM lines WHERE NOT is_cancelled GROUP BY ALL
),
refunds AS (
  SELECT date_trunc('month', r.return_date) AS month, r.marketplace, r.sku,
    sum(r.quantity) AS refund_units,
    sum(r.quantity * coalesce(p.unit_ex_tax, a.asp_ex_tax) * f.to_usd) AS refund_amount
  FROM customer_returns r
  LEFT JOIN line_price p ON p.order_id = r.order_id AND p.sku = r.sku
  LEFT JOIN month_asp a ON a.month = date_trunc('month', r.return_date) AND a.marketplace = r.marketplace
    AND a.sku = r.sku
  JOIN fx f ON f.day = r.return_date AND f.currency = r.currency
  GROUP BY ALL
),
traffic_m AS (
  SELECT date_trunc('month', date_from) AS month, marketplace, sku,
    sum(sessions) AS sessions, sum(page_views) AS page_views, sum(units_ordered) AS br_units,
    sum(total_order_items) AS br_items, sum(buy_box_pct * page_views) AS bb_views
  FROM traffic
  WHERE date_trunc('month', date_from) = date_trunc('month', date_to)
  GROUP BY ALL
),
ads_m AS (
  SELECT date_trunc('month', a.date_from) AS month, a.marketplace, a.sku,
    sum(CAST(a.spend AS DOUBLE) * f.to_usd) AS ad_spend, sum(CAST(a.sales AS DOUBLE) * f.to_usd) AS ad_sales,
    sum(a.orders) AS ad_orders, sum(a.units) AS ad_units, sum(a.impressions) AS impressions,
    sum(a.clicks) AS clicks
  FROM ad_performance a JOIN fx f ON f.day = a.date_from AND f.currency = a.currency
  WHERE date_trunc('month', a.date_from) = date_trunc('month', a.date_to)
  GROUP BY ALL
),
facts AS (
  SELECT * FROM sales
  FULL JOIN refunds USING (month, marketplace, sku)
  FULL JOIN traffic_m USING (month, marketplace, sku)
  FULL JOIN ads_m USING (month, marketplace, sku)
),
-- "no rows" is 0 for orders and returns; for traffic and ads it is 0 where the marketplace-month has a
-- report (the SKU was not in it) and unknown (NULL) where it has none
traffic_cover AS (SELECT DISTINCT month, marketplace FROM traffic_m),
ads_cover AS (SELECT DISTINCT month, marketplace FROM ads_m),
filled AS (
  SELECT month, marketplace, sku,
    coalesce(gmv, 0) AS gmv, coalesce(units, 0) AS units, coalesce(orders, 0) AS orders,
    coalesce(promo_discount, 0) AS promo_discount, coalesce(gmv_b2b, 0) AS gmv_b2b,
    coalesce(refund_units, 0) AS refund_units, coalesce(refund_amount, 0) AS refund_amount,
    coalesce(order_net_sales, 0) - coalesce(refund_amount, 0) AS net_sales,
    CASE WHEN t.month IS NOT NULL THEN coalesce(sessions, 0) END AS sessions,
    CASE WHEN t.month IS NOT NULL THEN coalesce(page_views, 0) END AS page_views,
    CASE WHEN t.month IS NOT NULL THEN coalesce(br_units, 0) END AS br_units,
    CASE WHEN t.month IS NOT NULL THEN coalesce(br_items, 0) END AS br_items,
    CASE WHEN t.month IS NOT NULL THEN coalesce(bb_views, 0) END AS bb_views,
    CASE WHEN a.month IS NOT NULL THEN coalesce(ad_spend, 0) END AS ad_spend,
    CASE WHEN a.month IS NOT NULL THEN coalesce(ad_sales, 0) END AS ad_sales,
    CASE WHEN a.month IS NOT NULL THEN coalesce(ad_orders, 0) END AS ad_orders,
    CASE WHEN a.month IS NOT NULL THEN coalesce(ad_units, 0) END AS ad_units,
    CASE WHEN a.month IS NOT NULL THEN coalesce(impressions, 0) END AS impressions,
    CASE WHEN a.month IS NOT NULL THEN coalesce(clicks, 0) END AS clicks
  FROM facts
  LEFT JOIN traffic_cover t USING (month, marketplace)
  LEFT JOIN ads_cover a USING (month, marketplace)
)
SELECT strftime(month, '%Y-%m') AS period, marketplace, sku,
  gmv, units, orders, gmv / nullif(orders, 0) AS aov, gmv / nullif(units, 0) AS asp, promo_discount,
  refund_units, refund_amount, net_sales,
  refund_units / nullif(units, 0) AS refund_rate, gmv_b2b / nullif(gmv, 0) AS b2b_share,
  sessions, page_views, br_units / nullif(sessions, 0) AS cvr, br_items / nullif(sessions, 0)
    AS order_item_session_pct, bb_views / nullif(page_views, 0) AS buy_box_pct,
  ad_spend, ad_sales, ad_orders, ad_units, impressions, clicks,
  clicks / nullif(impressions, 0) AS ctr, ad_spend / nullif(clicks, 0) AS cpc,
  ad_orders / nullif(clicks, 0) AS ad_cvr, ad_spend / nullif(ad_sales, 0) AS acos,
  ad_sales / nullif(ad_spend, 0) AS roas, ad_spend / nullif(gmv, 0) AS tacos,
  CASE WHEN ad_sales / nullif(gmv, 0) IS NOT NULL THEN greatest(0, 1 - ad_sales / gmv) END AS organic_share
FROM filled
"""


def hand_sql() -> str:
    vat = ", ".join(f"('{c}', {r})" for c, r in VAT.items())
    return HAND_SQL.format(vat=vat, end="2026-07-01")


# -- (c) the board in pandas --------------------------------------------------------------------------------


def load_frames(path: Path) -> dict[str, Any]:
    con = duckdb.connect(str(path), read_only=True)
    frames = {
        "order_lines": con.sql(
            "SELECT purchase_date, marketplace, sku, order_id, quantity, currency, is_cancelled, "
            "is_business_order, tax_included, ship_country, CAST(item_price AS DOUBLE) AS item_price, "
            "CAST(item_tax AS DOUBLE) AS item_tax, CAST(item_promotion_discount AS DOUBLE) AS promo "
            "FROM order_lines"
        ).df(),
        "customer_returns": con.sql(
            "SELECT return_date, marketplace, sku, order_id, quantity, currency FROM customer_returns"
        ).df(),
        "traffic": con.sql(
            "SELECT date_from, date_to, marketplace, sku, sessions, page_views, units_ordered, "
            "total_order_items, buy_box_pct FROM traffic"
        ).df(),
        "ad_performance": con.sql(
            "SELECT date_from, date_to, marketplace, sku, currency, CAST(spend AS DOUBLE) AS spend, "
            "CAST(sales AS DOUBLE) AS sales, orders, units, impressions, clicks FROM ad_performance"
        ).df(),
        "fx_rates": con.sql(
            "SELECT rate_date, quote, CAST(rate AS DOUBLE) AS rate FROM fx_rates "
            "WHERE kind = 'ecb' AND base = 'EUR'"
        ).df(),
    }
    con.close()
    return frames


def pandas_board(f: dict[str, Any]) -> Any:
    import numpy as np
    import pandas as pd

    keys = ["month", "marketplace", "sku"]
    rates = f["fx_rates"].copy()
    rates["rate_date"] = pd.to_datetime(rates["rate_date"])
    days = pd.DataFrame({"day": pd.date_range(rates["rate_date"].min(), "2026-06-30", freq="D")})
    per_currency = []
    for cur in [*rates["quote"].unique(), "EUR"]:
        if cur == "EUR":
            part = days.assign(rate=1.0)
        else:
            sub = rates[rates["quote"] == cur].sort_values("rate_date")[["rate_date", "rate"]]
            part = pd.merge_asof(days, sub, left_on="day", right_on="rate_date", direction="backward")
        per_currency.append(part[["day"]].assign(currency=cur, rate=part["rate"].to_numpy()))
    eur = pd.concat(per_currency, ignore_index=True)
    usd = eur[eur["currency"] == "USD"][["day", "rate"]].rename(columns={"rate": "usd"})
    fx = eur.merge(usd, on="day")
    fx["to_usd"] = fx["usd"] / fx["rate"]
    fx = fx[["day", "currency", "to_usd"]]

    def with_fx(df: Any, date_col: str) -> Any:
        out = df.assign(day=pd.to_datetime(df[date_col]))
        return out.merge(fx, on=["day", "currency"], how="inner")

    ol = with_fx(f["order_lines"], "purchase_date")
    vat_rate = ol["ship_country"].map(VAT).fillna(0.0)
    tax_in = np.where(
        ~ol["tax_included"], 0.0, ol["item_tax"].fillna(ol["item_price"] * vat_rate / (1 + vat_rate))
    )
    ol = ol.assign(
        month=ol["day"].dt.to_period("M"),
        promo=ol["promo"].fillna(0.0),
        tax_in=tax_in,
    )
    ol = ol.assign(
        gmv=ol["item_price"] * ol["to_usd"],
        promo_usd=ol["promo"] * ol["to_usd"],
        ex_tax=ol["item_price"] - ol["tax_in"],
    )
    ol = ol.assign(
        net=(ol["ex_tax"] - ol["promo"]) * ol["to_usd"],
        gmv_b2b=np.where(ol["is_business_order"], ol["gmv"], 0.0),
    )
    # cancelled lines never count: a scope with only cancelled lines has no row
    ol = ol[~ol["is_cancelled"]]
    sales = ol.groupby(keys, observed=True).agg(
        gmv=("gmv", "sum"),
        units=("quantity", "sum"),
        orders=("order_id", "nunique"),
        promo_discount=("promo_usd", "sum"),
        order_net_sales=("net", "sum"),
        gmv_b2b=("gmv_b2b", "sum"),
    )
    line_price = ol.groupby(["order_id", "sku"]).agg(ex=("ex_tax", "sum"), q=("quantity", "sum"))
    line_price["unit_ex_tax"] = line_price["ex"] / line_price["q"]
    month_asp = ol.groupby(keys, observed=True).agg(ex=("ex_tax", "sum"), q=("quantity", "sum"))
    month_asp["asp_ex_tax"] = month_asp["ex"] / month_asp["q"]

    rt = with_fx(f["customer_returns"], "return_date")
    rt = rt.assign(month=rt["day"].dt.to_period("M"))
    rt = rt.merge(line_price[["unit_ex_tax"]], left_on=["order_id", "sku"], right_index=True, how="left")
    rt = rt.merge(month_asp[["asp_ex_tax"]], left_on=keys, right_index=True, how="left")
    rt["amount"] = rt["quantity"] * rt["unit_ex_tax"].fillna(rt["asp_ex_tax"]) * rt["to_usd"]
    refunds = rt.groupby(keys, observed=True).agg(
        refund_units=("quantity", "sum"), refund_amount=("amount", "sum")
    )

    tr = f["traffic"]
    start, end = pd.to_datetime(tr["date_from"]), pd.to_datetime(tr["date_to"])
    tr = tr[start.dt.to_period("M") == end.dt.to_period("M")]
    tr = tr.assign(
        month=pd.to_datetime(tr["date_from"]).dt.to_period("M"), bb=tr["buy_box_pct"] * tr["page_views"]
    )
    traffic = tr.groupby(keys, observed=True).agg(
        sessions=("sessions", "sum"),
        page_views=("page_views", "sum"),
        br_units=("units_ordered", "sum"),
        br_items=("total_order_items", "sum"),
        bb_views=("bb", "sum"),
    )

    ad = with_fx(f["ad_performance"], "date_from")
    ad = ad[ad["day"].dt.to_period("M") == pd.to_datetime(ad["date_to"]).dt.to_period("M")]
    ad = ad.assign(
        month=ad["day"].dt.to_period("M"), spend=ad["spend"] * ad["to_usd"], sales=ad["sales"] * ad["to_usd"]
    )
    ads = ad.groupby(keys, observed=True).agg(
        ad_spend=("spend", "sum"),
        ad_sales=("sales", "sum"),
        ad_orders=("orders", "sum"),
        ad_units=("units", "sum"),
        impressions=("impressions", "sum"),
        clicks=("clicks", "sum"),
    )

    board = sales.join([refunds, traffic, ads], how="outer")
    # "no rows" is 0 for orders and returns; for traffic and ads it is 0 where the marketplace-month has
    # a report (the SKU was not in it) and unknown (NaN) where it has none
    zero = ["gmv", "units", "orders", "promo_discount", "order_net_sales", "gmv_b2b", "refund_units"]
    board[[*zero, "refund_amount"]] = board[[*zero, "refund_amount"]].fillna(0.0)
    board = board.reset_index()
    for frame in (traffic, ads):
        cover = frame.reset_index()[["month", "marketplace"]].drop_duplicates().assign(_covered=True)
        covered = board[["month", "marketplace"]].merge(cover, how="left")["_covered"].notna().to_numpy()
        for col in frame.columns:
            values = board[col].to_numpy(dtype="float64", na_value=np.nan)
            board[col] = np.where(covered & np.isnan(values), 0.0, values)

    def div(a: str, b: str) -> Any:
        return board[a] / board[b].where(board[b] != 0)

    out = board[keys].copy()
    for col in ("gmv", "units", "orders"):
        out[col] = board[col]
    out["aov"] = div("gmv", "orders")
    out["asp"] = div("gmv", "units")
    out["promo_discount"] = board["promo_discount"]
    out["refund_units"] = board["refund_units"]
    out["refund_amount"] = board["refund_amount"]
    out["net_sales"] = board["order_net_sales"] - board["refund_amount"]
    out["refund_rate"] = div("refund_units", "units")
    out["b2b_share"] = div("gmv_b2b", "gmv")
    out["sessions"] = board["sessions"]
    out["page_views"] = board["page_views"]
    out["cvr"] = div("br_units", "sessions")
    out["order_item_session_pct"] = div("br_items", "sessions")
    out["buy_box_pct"] = div("bb_views", "page_views")
    for col in ("ad_spend", "ad_sales", "ad_orders", "ad_units", "impressions", "clicks"):
        out[col] = board[col]
    out["ctr"] = div("clicks", "impressions")
    out["cpc"] = div("ad_spend", "clicks")
    out["ad_cvr"] = div("ad_orders", "clicks")
    out["acos"] = div("ad_spend", "ad_sales")
    out["roas"] = div("ad_sales", "ad_spend")
    out["tacos"] = div("ad_spend", "gmv")
    out["organic_share"] = (1 - div("ad_sales", "gmv")).clip(lower=0)
    return out


# -- (a) the engine -----------------------------------------------------------------------------------------


def engine_for(path: Path, read_only: bool = True) -> Any:
    import ibis

    from tradewind.catalog import load_catalog
    from tradewind.core.marketplaces import MARKETPLACES
    from tradewind.engine import EngineSettings, KpiEngine

    backend = ibis.duckdb.connect(str(path), read_only=read_only)
    backend.raw_sql("SET TimeZone = 'UTC'")
    settings = EngineSettings(
        reporting_currency="USD",
        fx_mode="ecb",
        timezones={code: m.timezone for code, m in MARKETPLACES.items()},
        today=TODAY,
    )
    return KpiEngine(backend, load_catalog(), settings)


def board_request() -> Any:
    from tradewind.engine import KpiRequest

    return KpiRequest(kpis=BOARD_KPIS, by=("month", "marketplace", "sku"), currency="USD")


def dashboard_request() -> Any:
    from tradewind.engine import KpiRequest

    return KpiRequest(
        kpis=DASHBOARD_KPIS, by=("month", "marketplace"), period=DASHBOARD_PERIOD, currency="USD"
    )


# -- measuring ----------------------------------------------------------------------------------------------


class PeakRss:
    """Samples the process's resident set size every few milliseconds; `.peak` is the largest seen."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._process = psutil.Process()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            self._stop.wait(self.interval)

    @contextmanager
    def measure(self) -> Iterator[PeakRss]:
        self.peak = self._process.memory_info().rss
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()
            self._stop.clear()
            self.peak = max(self.peak, self._process.memory_info().rss)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def compare(engine_frame: Any, sql_frame: Any) -> tuple[int, int, list[str]]:
    """A board vs the hand SQL's, value by value: money within a cent, the rest within 1e-6 relative, nulls
    equal. Returns (values compared, values or rows that differ, the first few differences)."""
    import numpy as np

    keys = ["period", "marketplace", "sku"]
    columns = keys + list(BOARD_KPIS)
    merged = engine_frame[columns].merge(
        sql_frame[columns], on=keys, how="outer", suffixes=("_engine", "_sql"), indicator=True
    )
    problems: list[str] = []
    alone = merged[merged["_merge"] != "both"]
    for row in alone.head(10).to_dict("records"):
        side = "engine" if row["_merge"] == "left_only" else "hand SQL"
        problems.append(f"only the {side} has the row {row['period']} {row['marketplace']} {row['sku']}")
    if len(alone) > 10:
        problems.append(f"... and {len(alone) - 10} more rows on one side only")
    both = merged[merged["_merge"] == "both"]
    checked, differ = 0, len(alone)
    for kpi in BOARD_KPIS:
        got = both[f"{kpi}_engine"].to_numpy(dtype="float64", na_value=np.nan)
        want = both[f"{kpi}_sql"].to_numpy(dtype="float64", na_value=np.nan)
        if kpi in MONEY_KPIS:
            close = np.abs(got - want) <= 0.01
        else:
            close = np.isclose(got, want, rtol=1e-6, atol=1e-9)
        ok = (np.isnan(got) & np.isnan(want)) | close
        checked += len(ok)
        differ += int((~ok).sum())
        for i in np.flatnonzero(~ok)[:5]:
            row = both.iloc[i]
            problems.append(
                f"{row['period']} {row['marketplace']} {row['sku']} {kpi}: hand SQL {want[i]}, engine {got[i]}"
            )
        if (~ok).sum() > 5:
            problems.append(f"{kpi}: {(~ok).sum()} values differ in all")
    return checked, differ, problems


def run(scale: float, keep: Path | None) -> int:
    folder = keep or Path(tempfile.mkdtemp(prefix="tradewind-bench-"))
    try:
        return _run(scale, folder)
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def _run(scale: float, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "facts.duckdb"
    if not path.exists():
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generate", str(path), "--scale", str(scale)], check=True)
        print(f"generated {path} in {time.perf_counter() - start:.1f} s")
    con = duckdb.connect(str(path), read_only=True)
    for table in ("order_lines", "customer_returns", "traffic", "ad_performance", "fx_rates"):
        print(f"  {table:17} {con.execute(f'SELECT count(*) FROM {table}').fetchall()[0][0]:>12,} rows")
    con.close()

    # (a) the engine, first, so that its peak memory is its own
    engine = engine_for(path)
    rss = PeakRss()
    with rss.measure():
        engine_s, result = timed(lambda: engine.run(board_request()))
    engine_peak = rss.peak
    engine_frame = result.frame
    print(
        f"(a) engine board: {engine_s:.2f} s, {len(engine_frame):,} rows, peak RSS {engine_peak / 1e9:.2f} GB"
    )

    latencies = []
    engine.run(dashboard_request())  # warm
    for _ in range(9):
        seconds, _ = timed(lambda: engine.run(dashboard_request()))
        latencies.append(seconds)
    dashboard_ms = statistics.median(latencies) * 1000
    engine.backend.disconnect()  # the hand SQL gets a database instance of its own, not the engine's cache

    # (b) the hand-written SQL
    con = duckdb.connect(str(path), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    sql_s, sql_table = timed(lambda: con.sql(hand_sql()).to_arrow_table())
    con.close()
    sql_frame = sql_table.to_pandas()
    print(f"(b) hand SQL board: {sql_s:.2f} s, {len(sql_frame):,} rows")

    # (c) pandas, data already in DataFrames
    load_s, frames = timed(lambda: load_frames(path))
    start = time.perf_counter()
    pandas_frame = pandas_board(frames)
    pandas_s = time.perf_counter() - start
    frames.clear()
    print(
        f"(c) pandas board: {pandas_s:.2f} s, {len(pandas_frame):,} rows (loading the frames: {load_s:.1f} s)"
    )
    pandas_frame["period"] = pandas_frame["month"].astype(str)

    checked, differ, problems = compare(engine_frame, sql_frame)
    p_checked, p_differ, p_problems = compare(pandas_frame, sql_frame)
    print()
    print(f"engine / hand SQL      {engine_s / sql_s:6.2f}x   (goal <= 1.2x)")
    print(f"pandas / engine        {pandas_s / engine_s:6.2f}x   (goal >= 3x)")
    print(f"engine peak memory     {engine_peak / 1e9:6.2f} GB  (goal < 1.5 GB)")
    print(f"dashboard query        {dashboard_ms:6.1f} ms  (median of {len(latencies)}; goal < 100 ms)")
    print(f"cross-check engine     {checked:,} values against the hand SQL, {differ:,} differ")
    for line in problems:
        print(f"  {line}")
    print(f"cross-check pandas     {p_checked:,} values against the hand SQL, {p_differ:,} differ")
    for line in p_problems:
        print(f"  {line}")
    return 1 if differ or p_differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the full data size (0.01 = quick)"
    )
    parser.add_argument(
        "--keep", type=Path, help="generate into (or reuse) this folder instead of a temporary one"
    )
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate, args.scale)
        return 0
    return run(args.scale, args.keep)


if __name__ == "__main__":
    sys.exit(main())
