"""Sponsored Products "Advertised product" report as downloaded from the Amazon Ads console (CSV or XLSX).

Two layouts are read by header name (report-formats §2.1):

- current (2024+): `Start Date, End Date, Portfolio name, Currency, Campaign Name, Ad Group Name, Retailer,
  Country, Advertised SKU, Advertised ASIN, Impressions, Clicks, ..., Spend, 7 Day Total Sales, ...`;
- older: one `Date` column instead of the two dates, and no Retailer/Country.

Headers may end in spaces, write `(ACoS)` or `(ACOS)`, and in the UK carry the currency after money
columns (`7 Day Total Sales (£)`); a title line (`Sponsored Products Advertised Product Report,,,`) may
come before the header. Money is written `$16.12`, `"$1,234.50"` or, in MWS-era files, `$ 16.22`.

Decisions, and why:

- **Attribution window** comes from the sales header (`7 Day Total Sales` -> 7 days). Every windowed
  column of the file must name the same window: mixing 7-day sales with 14-day orders would make ACoS and
  ad conversion meaningless, so such a file is rejected.
- **Ad product**: a title line naming the program (Sponsored Products / Brands / Display) decides. Without
  one, a 14-day file is Sponsored Brands (the console reports SB on 14 days and SP on 7 days to sellers).
- **Marketplace**, per row: the `Country` column (code or name) or a `Retailer` domain (`Amazon.co.uk`)
  when the file has them, since one download can cover several countries. Otherwise `--marketplace`,
  else the one marketplace of the account that uses the file's currency (the `Currency` column, the
  symbols in money cells or the header suffix), else the account's only marketplace; failing all of
  these the import asks for `--marketplace`. A marketplace outside the account is refused: the account
  was probably the wrong one.
- **Currency**: the `Currency` column, else the symbol in the money cells, else the header suffix, else the
  marketplace's currency. Rows of one marketplace in different currencies are refused: their sum would be
  meaningless, and Amazon never writes such a file, so it was pasted together.
- Only additive columns are kept. CTR, CPC, ACoS, ROAS and conversion rates are ratios; the KPI catalog
  recomputes them from sums, because averaging a file's ratios over rows gives wrong figures.

The helpers for marketplaces and currencies at the end are shared with `ads_api_v3`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from tradewind.core.errors import ImportRejected, NeedsOption, Problem
from tradewind.core.marketplaces import (
    CURRENCY_SYMBOLS,
    MARKETPLACES,
    Marketplace,
    Region,
    find_marketplace,
)
from tradewind.ingest.source import read_xlsx_sheets, sniff_text
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.sql import currency_of_marketplace_sql, domain_marketplace_sql
from tradewind.ingest.values import DATE_FORMATS, Kind, clean_text, lookup_sql, q

T, N, D, DT = Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.DATE

#: A currency written after a money header: `(£)`, `($)`, `(EUR)`.
_CURRENCY_SUFFIX = r"(?: \([^)#]*\))?"
#: Spreadsheet programs turn date cells into datetimes; calamine gives a date, others an ISO timestamp.
_DATE_LAYOUTS = (*DATE_FORMATS, "%Y-%m-%dT%H:%M:%S")
_PROGRAMS = (("sponsored products", "SP"), ("sponsored brands", "SB"), ("sponsored display", "SD"))


def _windowed(name: str, kind: Kind, label: str, *, money: bool = False, required: bool = False) -> Field:
    """A column whose header names its attribution window: `7 Day Total Sales`, `14 Day Total Sales (£)`."""
    pattern = r"\d+ day " + re.escape(label.casefold()) + (_CURRENCY_SUFFIX if money else "")
    return Field(name, kind, (f"7 Day {label}", f"14 Day {label}"), required=required, header_pattern=pattern)


def _money(name: str, label: str, *, required: bool = True) -> Field:
    return Field(
        name,
        Kind.DECIMAL,
        (label,),
        required=required,
        header_pattern=re.escape(label.casefold()) + r" \([^)#]*\)",
    )


def _money_text(field: Field) -> Field:
    """The same column kept as written, to read the currency symbol of each cell."""
    return Field(
        f"{field.name}_text", T, field.aliases, required=field.required, header_pattern=field.header_pattern
    )


_SPEND = _money("spend", "Spend")
_SALES = _windowed("sales", D, "Total Sales", money=True, required=True)
_WINDOWED = (
    _SALES,
    _windowed("orders", N, "Total Orders (#)"),
    _windowed("units", N, "Total Units (#)"),
    _windowed("advertised_sku_units", N, "Advertised SKU Units (#)"),
    _windowed("other_sku_units", N, "Other SKU Units (#)"),
    _windowed("advertised_sku_sales", D, "Advertised SKU Sales", money=True),
    _windowed("other_sku_sales", D, "Other SKU Sales", money=True),
)
_MONEY_FIELDS = ("spend", "sales", "advertised_sku_sales", "other_sku_sales")


@dataclass
class AdsConsoleContext(ImportContext):
    """What `resolve` decided beyond the shared context: program, window and the fallback marketplace."""

    ad_product: str = "SP"
    window: int = 7
    #: The currency a money header names (`(£)`), if any.
    header_currency: str | None = None
    #: The marketplace of rows without a usable Country/Retailer (None when every row has one).
    fallback: Marketplace | None = None


class AdsConsoleAdvertisedProduct(Report):
    id = "ads_console"
    title = "Amazon Ads console Advertised product report"
    produces = ("ad_performance",)
    fields: ClassVar[tuple[Field, ...]] = (
        Field("start_date", DT, ("Start Date", "Date"), not_null=True, formats=_DATE_LAYOUTS),
        Field("end_date", DT, ("End Date",), required=False, not_null=True, formats=_DATE_LAYOUTS),
        Field("portfolio", T, ("Portfolio name", "Portfolio"), required=False),
        Field(
            "currency",
            T,
            ("Currency",),
            required=False,
            pattern=r"[A-Za-z]{3}",
            pattern_hint="an ISO currency code like USD",
        ),
        Field("campaign_name", T, ("Campaign Name",), not_null=True),
        Field("ad_group_name", T, ("Ad Group Name",), required=False),
        Field("retailer", T, ("Retailer",), required=False),
        Field("country", T, ("Country",), required=False),
        Field("sku", T, ("Advertised SKU",), required=False),
        Field("asin", T, ("Advertised ASIN",), not_null=True),
        Field("impressions", N, ("Impressions",)),
        Field("clicks", N, ("Clicks",)),
        _SPEND,
        *_WINDOWED,
        _money_text(_SPEND),
        _money_text(_SALES),
    )

    # -- decisions ----------------------------------------------------------------------------------
    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        ctx = AdsConsoleContext(job, typed)
        ctx.window = _window(job)
        ctx.ad_product = _ad_product(job, ctx.window)
        ctx.variant = f"{ctx.ad_product}, {ctx.window}-day attribution"
        ctx.header_currency = _header_currency(job)
        currencies = file_currencies(job, "currency", ("spend_text", "sales_text"), ctx.header_currency)
        rows_without = self._rows_without_country(job)
        why: list[str] = []
        ctx.fallback = fallback_marketplace(job, currencies, why)
        if rows_without:
            ctx.notes.extend(why)
        if rows_without and ctx.fallback is None:
            if conflicting(currencies):
                raise rejected(
                    job,
                    f"rows mix currencies ({', '.join(sorted(currencies))}) and no Country column "
                    "says which marketplace each row is for",
                    "one currency per marketplace; download one report per marketplace",
                )
            raise NeedsOption(
                f"{job.file_name}: the report does not say which marketplace it is for; say which with "
                f"--marketplace (account {job.account_id} sells on {', '.join(job.account_marketplaces)})"
            )
        codes = self._file_marketplaces(job, ctx)
        if len(codes) == 1:
            ctx.marketplace = find_marketplace(codes[0])
        if ctx.marketplace is not None:
            ctx.zone = job.zones.get(ctx.marketplace.code)
            _prefer_day_first(job, ctx.marketplace, ctx.notes)
        return ctx

    def _rows_without_country(self, job: ImportJob) -> int:
        country, retailer = _raw(job, "country"), _raw(job, "retailer")
        row = job.con.execute(
            f"SELECT count(*) FROM {job.raw.table} WHERE {country} IS NULL "
            f"AND {domain_marketplace_sql(retailer)} IS NULL"
        ).fetchone()
        return int(row[0]) if row else 0

    def _file_marketplaces(self, job: ImportJob, ctx: AdsConsoleContext) -> list[str]:
        mkt = _marketplace_sql(_raw(job, "country"), _raw(job, "retailer"), ctx.fallback)
        rows = job.con.execute(
            f"SELECT DISTINCT {mkt} AS m FROM {job.raw.table} WHERE m IS NOT NULL ORDER BY m"
        ).fetchall()
        return [r[0] for r in rows]

    # -- validation ---------------------------------------------------------------------------------
    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        own = _own(ctx)
        job = ctx.job
        mkt = _marketplace_sql("country", "retailer", own.fallback)
        account = ", ".join(job.account_marketplaces) or "none"
        in_account = ", ".join(q(c) for c in job.account_marketplaces) or "NULL"
        checks = [
            RowCheck(
                f"country IS NOT NULL AND {mkt} IS NULL",
                "the country is not a marketplace Tradewind knows",
                column=header_of(job, "country"),
                value_sql="country",
                expected="a marketplace country such as US, United States, UK or Germany",
            ),
            RowCheck(
                f"{mkt} IS NOT NULL AND {mkt} NOT IN ({in_account})",
                f"account {job.account_id} does not sell on this marketplace (it sells on {account})",
                column=header_of(job, "country") or header_of(job, "retailer"),
                value_sql=f"coalesce(country, retailer, {mkt})",
                expected="--account of the account that advertises there",
            ),
            end_before_start_check(job),
            *negative_checks(job, ("impressions", "clicks", "spend", "sales", "orders", "units")),
        ]
        for name in ("spend", "sales"):
            cell = _symbol_currency_sql(f"{name}_text", "upper(currency)", currency_of_marketplace_sql(mkt))
            checks.append(
                RowCheck(
                    f"currency IS NOT NULL AND {cell} <> upper(currency)",
                    "the currency symbol of this amount is not the row's Currency",
                    column=header_of(job, name),
                    value_sql=f"{name}_text || ' (Currency ' || currency || ')'",
                    expected="amounts in the currency the Currency column names",
                )
            )
        row_currency = self._currency_sql(own, mkt)
        if own.fallback is not None:
            # Rows placed by --marketplace (or the account) must be in that marketplace's currency; a
            # file in another currency is a report of another marketplace.
            told = f"coalesce(upper(currency), {_cells_currency_sql(mkt)}, {ctx.lit(own.header_currency)})"
            checks.append(
                RowCheck(
                    f"country IS NULL AND {domain_marketplace_sql('retailer')} IS NULL "
                    f"AND {told} <> {q(own.fallback.currency)}",
                    f"the amounts are not in {own.fallback.currency}, the currency of marketplace "
                    f"{own.fallback.code}",
                    column=header_of(job, "currency") or header_of(job, "spend"),
                    value_sql=told,
                    expected=f"the --marketplace that uses this currency, not {own.fallback.code}",
                )
            )
        checks.append(
            mixed_currency_check(mkt, row_currency, header_of(job, "currency") or header_of(job, "spend"))
        )
        return checks

    # -- facts --------------------------------------------------------------------------------------
    def facts(self, ctx: ImportContext) -> dict[str, str]:
        own = _own(ctx)
        mkt = _marketplace_sql("country", "retailer", own.fallback)
        sql = f"""
        SELECT
          marketplace, _row AS source_row, 'ads_console' AS source, {q(own.ad_product)} AS ad_product,
          start_date AS date_from, coalesce(end_date, start_date) AS date_to,
          portfolio, campaign_name, ad_group_name, sku, asin,
          {self._currency_sql(own, "marketplace")} AS currency,
          impressions, clicks, spend, sales, orders, units,
          advertised_sku_units, other_sku_units, advertised_sku_sales, other_sku_sales,
          {own.window} AS attribution_days
        FROM (SELECT *, {mkt} AS marketplace FROM {ctx.typed})
        """
        return {"ad_performance": sql}

    @staticmethod
    def _currency_sql(ctx: AdsConsoleContext, mkt: str) -> str:
        return (
            f"coalesce(upper(currency), {_cells_currency_sql(mkt)}, {ctx.lit(ctx.header_currency)}, "
            f"{currency_of_marketplace_sql(mkt)})"
        )


REPORTS = [AdsConsoleAdvertisedProduct()]


# -- layout ------------------------------------------------------------------------------------------
def _own(ctx: ImportContext) -> AdsConsoleContext:
    if not isinstance(ctx, AdsConsoleContext):
        raise TypeError("the ads console report needs the context its resolve() made")
    return ctx


def _raw(job: ImportJob, name: str) -> str:
    col = job.columns.get(name)
    return clean_text(col) if col else "NULL"


def header_of(job: ImportJob, name: str) -> str | None:
    """The header as the file writes it, for problem messages."""
    col = job.columns.get(name)
    return job.raw.headers[int(col[1:])] if col else None


def _window(job: ImportJob) -> int:
    found: dict[int, list[str]] = {}
    for f in _WINDOWED:
        col = job.columns.get(f.name)
        if col is None:
            continue
        match = re.match(r"(\d+) day ", job.raw.normalised[int(col[1:])])
        if match:
            found.setdefault(int(match.group(1)), []).append(job.raw.headers[int(col[1:])])
    if len(found) > 1:
        shown = "; ".join(f"{days} days: {', '.join(headers)}" for days, headers in sorted(found.items()))
        raise rejected(
            job,
            f"the columns use different attribution windows ({shown})",
            "one attribution window for all columns, as the Ads console writes it",
        )
    return next(iter(found))


def _prefer_day_first(job: ImportJob, marketplace: Marketplace, notes: list[str]) -> None:
    """`01/09/2026` reads both ways. The framework picks the date layout before the marketplace is
    known (it knows only --marketplace); once the file's own currency or country has shown a day-first
    marketplace (UK, EU), a month-first choice that the day-first layout reads equally well is swapped."""
    if marketplace.region not in (Region.EU, Region.UK, Region.FE) or marketplace.code == "JP":
        return
    for name in ("start_date", "end_date"):
        layout, col = job.layouts.get(name), job.columns.get(name)
        if not layout or not col or not layout.startswith("%m"):
            continue
        swapped = layout.replace("%m", "%_").replace("%d", "%m").replace("%_", "%d")
        clean = clean_text(col)
        fails = f"{clean} IS NOT NULL AND try_strptime({clean}, {q(swapped)}) IS NULL"
        row = job.con.execute(f"SELECT count(*) FILTER (WHERE {fails}) FROM {job.raw.table}").fetchone()
        if row is not None and row[0] == 0:
            job.layouts[name] = swapped
            notes.append(f"{header_of(job, name)} read day first ({marketplace.code})")


def _ad_product(job: ImportJob, window: int) -> str:
    title = " ".join(_lines_before_header(job)).casefold()
    for words, code in _PROGRAMS:
        if words in title:
            return code
    return "SB" if window == 14 else "SP"


def _lines_before_header(job: ImportJob) -> list[str]:
    """The title lines above the header (the framework skips them; they name the program)."""
    count = job.raw.header_row - 1
    if count <= 0:
        return []
    source = job.raw.source
    if source.container == "xlsx":
        for name, rows in read_xlsx_sheets(source):
            if name == job.raw.sheet:
                return [" ".join(str(c) for c in row if c not in (None, "")) for row in rows[:count]]
        return []
    text, _encoding = sniff_text(source)  # the title lines sit above the header, in the first lines
    return text.splitlines()[:count]


def _header_currency(job: ImportJob) -> str | None:
    found = set()
    for name in _MONEY_FIELDS:
        header = header_of(job, name)
        match = re.search(r"\(([^)#]+)\)\s*$", header or "")
        if match:
            code = currency_code(match.group(1).strip())
            if code:
                found.add(code)
    if len(found) > 1:
        raise rejected(
            job,
            f"the money headers name different currencies ({', '.join(sorted(found))})",
            "one currency for the money columns",
        )
    return next(iter(found), None)


# -- marketplace and currency helpers (shared with ads_api_v3) ---------------------------------------
#: Currencies written with a bare `$` (CA$, A$ and MX$ are the explicit forms).
DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "MXN"})
_SYMBOL_REGEX = (
    "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True)) + r"|\b[A-Z]{3}\b"
)

_COUNTRY_NAMES: dict[str, str] = {
    **{m.country: m.code for m in MARKETPLACES.values()},
    **{m.code: m.code for m in MARKETPLACES.values()},
    **{m.name.upper(): m.code for m in MARKETPLACES.values()},
    "USA": "US",
    "GREAT BRITAIN": "UK",
}


def currency_code(text: str) -> str | None:
    """`£` -> GBP, `eur` -> EUR; None for anything else. A bare `$` is USD, as CURRENCY_SYMBOLS says."""
    if text in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[text]
    return text.upper() if re.fullmatch(r"[A-Za-z]{3}", text) else None


def country_marketplace_sql(expr: str) -> str:
    """A country as the Ads console writes it (`US`, `GB`, `United Kingdom`) -> marketplace code, or NULL."""
    return lookup_sql(_COUNTRY_NAMES, f"upper(trim({expr}))")


def _marketplace_sql(country: str, retailer: str, fallback: Marketplace | None) -> str:
    """A row's marketplace: its country when it has one (unknown ones stay NULL), else its retailer's
    domain, else the file's fallback."""
    default = q(fallback.code) if fallback else "NULL"
    return (
        f"(CASE WHEN {country} IS NOT NULL THEN {country_marketplace_sql(country)} "
        f"ELSE coalesce({domain_marketplace_sql(retailer)}, {default}) END)"
    )


def _symbol_currency_sql(cell: str, declared: str, mkt_currency: str) -> str:
    """The currency a money cell's symbol names. A bare `$` is the row's own dollar currency (the
    Currency column's, else its marketplace's) and USD otherwise."""
    sym = f"regexp_extract({cell}, {q(_SYMBOL_REGEX)})"
    named = {s: c for s, c in CURRENCY_SYMBOLS.items() if s != "$"}
    dollars = ", ".join(q(c) for c in sorted(DOLLAR_CURRENCIES))
    return (
        f"(CASE WHEN {sym} = '$' THEN (CASE WHEN {declared} IN ({dollars}) THEN {declared} "
        f"WHEN {mkt_currency} IN ({dollars}) THEN {mkt_currency} ELSE 'USD' END) "
        f"ELSE coalesce({lookup_sql(named, sym)}, NULLIF({sym}, '')) END)"
    )


def _cells_currency_sql(mkt: str) -> str:
    mkt_currency = currency_of_marketplace_sql(mkt)
    return (
        f"coalesce({_symbol_currency_sql('spend_text', 'upper(currency)', mkt_currency)}, "
        f"{_symbol_currency_sql('sales_text', 'upper(currency)', mkt_currency)})"
    )


def file_currencies(
    job: ImportJob,
    currency_field: str | None,
    money_text_fields: tuple[str, ...],
    header_currency: str | None,
) -> set[str]:
    """Every currency the file names (its currency column, the symbols in its money cells, its headers)
    as ISO codes, with a bare `$` kept as `$`: it fits any dollar currency."""
    found: set[str] = set()
    if currency_field:
        found.update(v.upper() for v in job.raw_values(currency_field, limit=20) if len(v) == 3)
    for symbol in job.currency_symbols(*money_text_fields):
        code = "$" if symbol == "$" else currency_code(symbol)
        if code:
            found.add(code)
    if header_currency:
        found.add(header_currency)
    return found


def fits_currency(token: str, currency: str) -> bool:
    return currency in DOLLAR_CURRENCIES if token == "$" else token == currency


def conflicting(currencies: set[str]) -> bool:
    """True when no single currency fits everything the file names (`$` with `CAD` is fine)."""
    codes = currencies - {"$"}
    return len(codes) > 1 or ("$" in currencies and bool(codes) and not codes <= DOLLAR_CURRENCIES)


def account_marketplaces(job: ImportJob) -> tuple[Marketplace, ...]:
    return tuple(m for m in (find_marketplace(c) for c in job.account_marketplaces) if m is not None)


def fallback_marketplace(job: ImportJob, currencies: set[str], notes: list[str]) -> Marketplace | None:
    """`--marketplace`, else the one account marketplace using the file's currency, else the account's
    only marketplace; None when nothing decides."""
    account = account_marketplaces(job)
    if job.options.marketplace:
        chosen = find_marketplace(job.options.marketplace)
        if chosen is None:  # the workspace checks codes first; this keeps the message if it did not
            raise NeedsOption(f"unknown marketplace {job.options.marketplace!r}")
        if account and chosen not in account:
            raise rejected(
                job,
                f"account {job.account_id} does not sell on {chosen.code} "
                f"(it sells on {', '.join(m.code for m in account)})",
                f"--account of the account that sells on {chosen.code}",
            )
        return chosen
    if currencies and not conflicting(currencies):
        fits = [m for m in account if all(fits_currency(t, m.currency) for t in currencies)]
        if len(fits) == 1:
            shown = " and ".join(sorted(currencies))
            notes.append(f"marketplace {fits[0].code} from the currency of the amounts ({shown})")
            return fits[0]
    if len(account) == 1:
        return account[0]
    return None


def rejected(job: ImportJob, message: str, expected: str) -> ImportRejected:
    """The whole file refused for one reason, with what would have been accepted."""
    return ImportRejected(job.file_name, [Problem(job.file_name, message, expected=expected)])


def end_before_start_check(job: ImportJob) -> RowCheck:
    """Rows whose date range ends before it starts: a hand-edited file, not one Amazon wrote."""
    return RowCheck(
        "end_date < start_date",
        "the end date is before the start date",
        column=header_of(job, "end_date"),
        value_sql="end_date",
        expected="an end date on or after the start date",
    )


def negative_checks(job: ImportJob, names: tuple[str, ...]) -> list[RowCheck]:
    """Counts and amounts below zero, for those of `names` the file has: ad figures are never negative."""
    return [
        RowCheck(
            f"{name} < 0",
            "a negative figure",
            column=header_of(job, name),
            value_sql=name,
            expected="0 or more",
        )
        for name in names
        if job.has(name)
    ]


def mixed_currency_check(mkt: str, currency: str, column: str | None) -> RowCheck:
    """Rows of one marketplace in another currency than the marketplace's first row."""
    first = (
        f"first_value({currency} IGNORE NULLS) OVER (PARTITION BY {mkt} ORDER BY _row "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
    )
    return RowCheck(
        f"{currency} <> {first}",
        "mixed currencies for one marketplace",
        column=column,
        value_sql=currency,
        expected="one currency per marketplace in a file",
    )
