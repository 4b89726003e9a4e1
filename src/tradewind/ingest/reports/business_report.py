"""Seller Central Business Report "Detail Page Sales and Traffic" (by SKU, by child item, by parent item).

One row per SKU (22 columns), child ASIN (21, no SKU column) or parent ASIN; the "all columns" download
adds a Mobile app / Browser split (38 columns) of which we keep the totals, as the split adds up to them.
Headers are matched exactly after `normalise_header`, so `Sessions – Total` (UK/CA en dash, sentence case),
`Sessions - Total` (US) and the German, Chinese and pre-2022 spellings meet, while `Sessions - Total - B2B`
never stands in for `Sessions - Total` (report-formats.md §1).

The file has no date column and no marketplace column, so the import decides both:

- Range: `--from/--to`, else a range written in the file name (`BusinessReport-2026-03-01_2026-03-31.csv`,
  `..._01-03-2026_31-03-2026`, `..._01.03.26-31.03.26`). A single date in the name is NOT read as a
  one-day report: Seller Central names the file after the day it was downloaded (`BusinessReport-23-07-2025`),
  whatever range was selected, so such a date says nothing about the data. Day-first and month-first
  readings of a dashed name that both make sense (`01-03-2026_05-03-2026`) are not guessed either.
  Without a trustworthy range the import stops and asks for `--from/--to`.
- Marketplace: `--marketplace`, else the currency symbol of the money cells when exactly one of the
  account's marketplaces uses it (`£` -> UK; `€` is shared by DE/FR/IT/ES, so it asks), else the account's
  only marketplace. A bare `$` means US when the account sells there and the headers are written the US
  way (hyphens); the en-dash headers of amazon.ca are not guessed into US.

Counts drop thousands separators of either style (`1,234` and `1.234` are both 1234; German files are
reported to use the comma in counts while writing money as `1.999,55 €`). Percentages must carry their
`%`: a bare `0.95` is what a spreadsheet program leaves after re-saving, and would be read as 0.95%.
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

from tradewind.core.errors import ImportRejected, NeedsOption, Problem, TradewindError
from tradewind.core.marketplaces import (
    CURRENCY_SYMBOLS,
    MARKETPLACES,
    Marketplace,
    find_marketplace,
    marketplace,
)
from tradewind.ingest.filename_dates import range_in_file_name
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.values import Kind, clean_text, q

T, N, D, P = Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.PERCENT

_ASIN = r"[A-Z0-9]{10}"
_ASIN_HINT = "a 10-character ASIN like B0BGPMD867"

#: Currencies Seller Central writes with a bare `$` (CA$, A$ and MX$ are the explicit forms).
_DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "MXN", "AUD"})


class BusinessReport(Report):
    id = "business_report"
    title = "Business Report (Detail Page Sales and Traffic)"
    produces = ("traffic",)
    fields: ClassVar[tuple[Field, ...]] = (
        Field(
            "parent_asin",
            T,
            ("(Parent) ASIN", "(Übergeordnete) ASIN", "（父）ASIN"),
            not_null=True,
            pattern=_ASIN,
            pattern_hint=_ASIN_HINT,
        ),
        Field(
            "child_asin",
            T,
            ("(Child) ASIN", "(Untergeordnete) ASIN", "（子）ASIN"),
            required=False,
            not_null=True,
            pattern=_ASIN,
            pattern_hint=_ASIN_HINT,
        ),
        Field("title", T, ("Title", "Titel", "标题"), required=False),
        Field("sku", T, ("SKU",), required=False, not_null=True),
        Field("sessions", N, ("Sessions - Total", "Sessions", "Sitzungen – Summe", "会话数 - 总计")),
        Field(
            "sessions_b2b",
            N,
            ("Sessions - Total - B2B", "Sitzungen – Summe – B2B", "会话 - 总计 - B2B"),
            required=False,
        ),
        Field(
            "page_views",
            N,
            ("Page Views - Total", "Page Views", "Seitenaufrufe – Summe", "页面浏览量 - 总计"),
        ),
        Field(
            "page_views_b2b",
            N,
            ("Page Views - Total - B2B", "Seitenaufrufe – Summe – B2B", "页面浏览量 - 总计 - B2B"),
            required=False,
        ),
        # The German name of this column is not known (report-formats §1.4): without it a German file
        # still imports, with no buy-box share.
        Field(
            "buy_box_pct",
            P,
            (
                "Featured Offer (Buy Box) Percentage",
                "Featured Offer Percentage",
                "Buy Box Percentage",
                "推荐报价（推荐报价展示位）百分比",
            ),
            required=False,
        ),
        Field("units_ordered", N, ("Units Ordered", "Bestellte Einheiten", "已订购商品数量")),
        Field(
            "units_ordered_b2b",
            N,
            ("Units Ordered - B2B", "Bestellte Einheiten – B2B", "已订购商品数量 - B2B"),
            required=False,
        ),
        # `Gross Product Sales` / `Orders Placed` are the MWS-era (~2015) names of the same two columns.
        Field(
            "ordered_product_sales",
            D,
            (
                "Ordered Product Sales",
                "Gross Product Sales",
                "Durch bestellte Produkte erzielter Umsatz",
                "已订购商品销售额",
            ),
        ),
        Field(
            "ordered_product_sales_b2b",
            D,
            ("Ordered Product Sales - B2B", "Bestellsumme – B2B", "已订购商品销售额 - B2B"),
            required=False,
        ),
        Field(
            "total_order_items",
            N,
            ("Total Order Items", "Orders Placed", "Zahl der Bestellposten", "订单商品总数"),
        ),
        Field(
            "total_order_items_b2b",
            N,
            ("Total Order Items - B2B", "Zahl der Bestellposten – B2B", "订单商品总数 - B2B"),
            required=False,
        ),
    )

    _MONEY: ClassVar[tuple[str, ...]] = ("ordered_product_sales", "ordered_product_sales_b2b")

    # -- decisions ----------------------------------------------------------------------------------
    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        ctx = ImportContext(job, typed)
        ctx.variant = _variant(job)
        ctx.marketplace = self._marketplace(job, ctx)
        ctx.zone = job.zones.get(ctx.marketplace.code)
        ctx.date_from, ctx.date_to = _date_range(job, ctx)
        return ctx

    def _marketplace(self, job: ImportJob, ctx: ImportContext) -> Marketplace:
        symbol = _single_symbol(job, self._MONEY)
        account = tuple(m for m in (find_marketplace(c) for c in job.account_marketplaces) if m is not None)
        if job.options.marketplace:
            chosen = marketplace(job.options.marketplace)
            if symbol is not None and not _symbol_fits(symbol, chosen.currency):
                raise _rejected(
                    job,
                    f"the amounts are in {symbol}, but --marketplace {chosen.code} uses {chosen.currency}",
                    expected=f"--marketplace of a marketplace that sells in {_currency_of(symbol)}",
                )
            _check_in_account(job, chosen, account)
            return chosen
        if symbol is not None:
            # An account that lists no marketplaces could sell anywhere.
            pool = account or tuple(MARKETPLACES.values())
            fits = [m for m in pool if _symbol_fits(symbol, m.currency)]
            us = next((m for m in fits if m.code == "US"), None)
            if symbol == "$" and us is not None and len(fits) > 1 and not _en_dash_headers(job):
                ctx.notes.append(
                    f"marketplace US from the $ amounts and the US-style headers ({_others(fits)})"
                )
                return us
            if len(fits) == 1:
                ctx.notes.append(f"marketplace {fits[0].code} from the {symbol} amounts")
                return fits[0]
            if not fits:
                codes = ", ".join(m.code for m in account) or "none"
                raise _rejected(
                    job,
                    f"the money is written in {symbol} but account {job.account_id} sells on {codes}",
                    expected="--account of the account that sells in this currency, or --marketplace",
                )
            codes = ", ".join(m.code for m in fits)
            why = (
                " (its headers use en dashes, as amazon.ca writes them and amazon.com does not)" if us else ""
            )
            raise NeedsOption(
                f"{job.file_name}: the amounts are in {symbol}, which account {job.account_id} uses on "
                f"{codes}{why}; say which marketplace this report is for with --marketplace (e.g. "
                f"--marketplace {fits[-1].code})"
            )
        if len(account) == 1:
            return account[0]
        return self.require_marketplace(job, "the report does not say which marketplace it is for")

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        checks = [
            RowCheck(
                f"{name} < 0",
                "a negative count",
                column=_header(ctx.job, name),
                value_sql=name,
                expected="0 or more",
            )
            for name in ("sessions", "page_views", "units_ordered", "total_order_items")
        ]
        checks.append(
            RowCheck(
                "buy_box_pct < 0 OR buy_box_pct > 1",
                "a featured offer (buy box) share outside 0%..100%",
                column=_header(ctx.job, "buy_box_pct"),
                value_sql="buy_box_pct * 100",
                expected="0% to 100%",
            )
        )
        # B2B is a part of the total; a larger B2B figure means the columns were mixed up.
        for total, label in (
            ("sessions", "sessions"),
            ("page_views", "page views"),
            ("units_ordered", "units ordered"),
            ("ordered_product_sales", "ordered product sales"),
            ("total_order_items", "total order items"),
        ):
            if ctx.job.has(f"{total}_b2b"):
                checks.append(
                    RowCheck(
                        f"{total}_b2b > {total}",
                        f"B2B {label} exceed the total",
                        column=_header(ctx.job, f"{total}_b2b"),
                        value_sql=f"{total}_b2b",
                        expected=f"at most the total {label} of the row",
                    )
                )
        return checks

    def problems_outside_rows(self, ctx: ImportContext) -> list[Problem]:
        """Percentages without `%`: Seller Central always writes it; a bare number is a re-saved copy."""
        job = ctx.job
        col = job.columns.get("buy_box_pct")
        if col is None:
            return []
        clean = clean_text(col)
        rows = job.con.execute(
            f"SELECT _row, {col} FROM {job.raw.table} "
            f"WHERE {clean} IS NOT NULL AND NOT ends_with({clean}, '%') ORDER BY _row LIMIT 20"
        ).fetchall()
        return [
            Problem(
                job.file_name,
                "a percentage without a % sign (a spreadsheet program may have re-saved the file)",
                row=int(r),
                column=_header(job, "buy_box_pct"),
                value=v,
                expected="95.03% as Seller Central writes it: import the CSV as downloaded",
            )
            for r, v in rows
        ]

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        assert ctx.marketplace is not None and ctx.date_from is not None and ctx.date_to is not None
        level = _level(ctx.job)
        sql = f"""
        SELECT
          {q(ctx.marketplace.code)} AS marketplace, _row AS source_row, 'business_report' AS source,
          {q(level)} AS level, {ctx.lit(ctx.date_from)} AS date_from, {ctx.lit(ctx.date_to)} AS date_to,
          parent_asin, child_asin, sku, title,
          sessions, sessions_b2b, page_views, page_views_b2b, buy_box_pct,
          units_ordered, units_ordered_b2b, ordered_product_sales, ordered_product_sales_b2b,
          {q(ctx.marketplace.currency)} AS currency, total_order_items, total_order_items_b2b
        FROM {ctx.typed}
        """
        return {"traffic": sql}


# -- layout ------------------------------------------------------------------------------------------
def _level(job: ImportJob) -> str:
    if job.has("sku"):
        return "sku"
    if job.has("child_asin"):
        return "child_asin"
    return "parent_asin"


def _variant(job: ImportJob) -> str:
    """For the ledger: which download this was (granularity, and the layout when it is not the usual)."""
    name = {"sku": "by SKU", "child_asin": "by child item", "parent_asin": "by parent item"}[_level(job)]
    normalised = job.raw.normalised
    extras = []
    if any(h.startswith("sessions - mobile app") for h in normalised):
        extras.append("all columns")
    if "sessions" in normalised:
        extras.append("older layout")
    if "(übergeordnete) asin" in normalised:
        extras.append("German")
    if "(父)asin" in normalised:
        extras.append("Chinese")
    return name + (f" ({', '.join(extras)})" if extras else "")


def _header(job: ImportJob, name: str) -> str | None:
    col = job.columns.get(name)
    return job.raw.headers[int(col[1:])] if col else None


def _en_dash_headers(job: ImportJob) -> bool:
    return any("\u2013" in h for h in job.raw.headers)


# -- marketplace from the money ----------------------------------------------------------------------
def _currency_of(symbol: str) -> str:
    if symbol == "$":
        return "dollars"
    return CURRENCY_SYMBOLS.get(symbol, symbol)


def _symbol_fits(symbol: str, currency: str) -> bool:
    if symbol == "$":
        return currency in _DOLLAR_CURRENCIES
    return CURRENCY_SYMBOLS.get(symbol, symbol) == currency


def _others(fits: list[Marketplace]) -> str:
    return "not " + ", ".join(m.code for m in fits if m.code != "US") + "; say --marketplace otherwise"


def _single_symbol(job: ImportJob, money: tuple[str, ...]) -> str | None:
    """The one currency symbol the money cells use, or None. Mixed symbols reject the file, with rows."""
    found = job.currency_symbols(*money)
    if len(found) <= 1:
        return next(iter(found), None)
    majority = max(sorted(found), key=lambda s: found[s])
    # A regex of exactly the symbols found, longest first, so `CA$` is not read as `$`.
    alternatives = "|".join(re.escape(s) for s in sorted(found, key=len, reverse=True))
    problems: list[Problem] = []
    total = 0
    for name in money:
        col = job.columns.get(name)
        if col is None:
            continue
        sym = f"regexp_extract({col}, {q(alternatives)})"
        where = f"{sym} <> '' AND {sym} <> {q(majority)}"
        count = job.con.execute(f"SELECT count(*) FROM {job.raw.table} WHERE {where}").fetchone()
        total += int(count[0]) if count else 0
        rows = job.con.execute(
            f"SELECT _row, {col} FROM {job.raw.table} WHERE {where} ORDER BY _row LIMIT 50"
        ).fetchall()
        problems.extend(
            Problem(
                job.file_name,
                "a different currency from the rest of the file",
                row=int(r),
                column=_header(job, name),
                value=v,
                expected=f"one currency per file (most amounts here are in {majority})",
            )
            for r, v in rows
        )
    problems.sort(key=lambda p: p.row or 0)
    raise ImportRejected(job.file_name, problems, total=total)


def _check_in_account(job: ImportJob, chosen: Marketplace, account: tuple[Marketplace, ...]) -> None:
    if account and chosen not in account:
        codes = ", ".join(m.code for m in account)
        raise _rejected(
            job,
            f"account {job.account_id} does not sell on {chosen.code} (it sells on {codes})",
            expected=f"--account of the account that sells on {chosen.code}",
        )


def _rejected(job: ImportJob, message: str, expected: str) -> ImportRejected:
    return ImportRejected(job.file_name, [Problem(job.file_name, message, expected=expected)])


# -- date range --------------------------------------------------------------------------------------
def _date_range(job: ImportJob, ctx: ImportContext) -> tuple[date, date]:
    given_from, given_to = job.options.date_from, job.options.date_to
    if given_from is not None and given_to is not None:
        if given_from > given_to:
            raise TradewindError(f"--from {given_from} is after --to {given_to}")
        return given_from, given_to
    if given_from is not None or given_to is not None:
        raise NeedsOption(
            f"{job.file_name}: a Business Report covers a range; give both ends with --from and --to"
        )
    found = range_in_file_name(job.file_name, "a Business Report has no date column")
    ctx.notes.append(f"date range {found[0]}..{found[1]} from the file name")
    return found


REPORTS = [BusinessReport()]
