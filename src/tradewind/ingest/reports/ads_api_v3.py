"""Amazon Ads API v3 `spAdvertisedProduct` report (report-formats §2.2): GZIP_JSON, or the same rows
flattened to CSV/XLSX by a download tool.

The API writes a JSON array of flat objects keyed by the requested column names (`campaignName`,
`advertisedAsin`, `impressions`, `cost`, `sales7d`, ...); the framework decompresses `.gz`. Flattening
tools keep those names as headers, in any order, so both forms are read by name.

Decisions, and why:

- **Attribution window**: 7 days (`sales7d`, `purchases7d`, `unitsSoldClicks7d`) as Seller Central
  shows it; a report requested without 7-day columns falls back to 14 days, then to 1 day, and the
  window is stored in `attribution_days` so that a 1-day ACoS is never compared with a 7-day one unawares.
  Only one window is read per file: mixing windows across rows would mix definitions.
- **Spend** is `cost`, or `spend` when the report asked for that column instead (the API returns the same
  figure under both names for Sponsored Products).
- **Dates**: `date` for a DAILY report, `startDate`/`endDate` for a SUMMARY one. A report requested with
  neither (as in flattened extracts) does not say which days it covers, so `--from/--to` must.
- **Marketplace**: an Ads API report belongs to one advertising profile, i.e. one marketplace, and does
  not name it. `--marketplace`, else the one account marketplace using `campaignBudgetCurrencyCode`,
  else the account's only marketplace. A budget currency that is not the marketplace's currency means the
  file comes from another profile, so it is refused rather than booked to the wrong marketplace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from tradewind.core.errors import NeedsOption, TradewindError
from tradewind.ingest.reports.ads_console import (
    conflicting,
    end_before_start_check,
    fallback_marketplace,
    file_currencies,
    header_of,
    mixed_currency_check,
    negative_checks,
    rejected,
)
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.values import Kind, q

T, N, D, DT = Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.DATE

#: Attribution windows in the order they are preferred.
WINDOWS = (7, 14, 1)
#: Our column -> the API's column, `{n}` being the window in days.
_WINDOWED: tuple[tuple[str, Kind, str], ...] = (
    ("sales", D, "sales{n}d"),
    ("orders", N, "purchases{n}d"),
    ("units", N, "unitsSoldClicks{n}d"),
    ("advertised_sku_sales", D, "attributedSalesSameSku{n}d"),
    ("advertised_sku_units", N, "unitsSoldSameSku{n}d"),
)


def _windowed_fields() -> tuple[Field, ...]:
    fields = [
        Field(f"{name}_{n}d", kind, (api.format(n=n),), required=False)
        for n in WINDOWS
        for name, kind, api in _WINDOWED
    ]
    # The API has "other SKU" figures for the 7-day window only.
    fields.append(Field("other_sku_sales_7d", D, ("salesOtherSku7d",), required=False))
    fields.append(Field("other_sku_units_7d", N, ("unitsSoldOtherSku7d",), required=False))
    return tuple(fields)


@dataclass
class AdsApiContext(ImportContext):
    window: int = 7
    #: Where the dates come from: `daily` (date), `summary` (startDate/endDate) or `options` (--from/--to).
    dates: str = "daily"


class AdsApiV3AdvertisedProduct(Report):
    id = "ads_api_v3"
    title = "Amazon Ads API v3 spAdvertisedProduct report"
    produces = ("ad_performance",)
    containers: ClassVar[frozenset[str]] = frozenset({"text", "xlsx", "json"})
    fields: ClassVar[tuple[Field, ...]] = (
        Field("date", DT, ("date",), required=False, not_null=True, formats=("%Y-%m-%d",)),
        Field("start_date", DT, ("startDate",), required=False, not_null=True, formats=("%Y-%m-%d",)),
        Field("end_date", DT, ("endDate",), required=False, not_null=True, formats=("%Y-%m-%d",)),
        Field("campaign_name", T, ("campaignName",), not_null=True),
        Field("campaign_id", T, ("campaignId",), required=False),
        Field("ad_group_name", T, ("adGroupName",)),
        Field("ad_group_id", T, ("adGroupId",), required=False),
        Field("sku", T, ("advertisedSku",), required=False),
        Field("asin", T, ("advertisedAsin",), not_null=True),
        Field("impressions", N, ("impressions",)),
        Field("clicks", N, ("clicks",)),
        Field("cost", D, ("cost",), required=False),
        Field("spend", D, ("spend",), required=False),
        Field(
            "currency",
            T,
            ("campaignBudgetCurrencyCode",),
            required=False,
            pattern=r"[A-Z]{3}",
            pattern_hint="an ISO currency code like USD",
        ),
        *_windowed_fields(),
    )

    # -- JSON -----------------------------------------------------------------------------------------
    def matches_json(self, document: Any) -> bool:
        """A non-empty array of objects with the advertised-product columns (anything else is left to the
        pipeline's "unknown JSON report" message, which names the file)."""
        if not isinstance(document, list) or not document:
            return False
        if not all(isinstance(record, dict) for record in document):
            return False
        keys: set[str] = set()
        for record in document[:20]:
            keys.update(record)
        return {"advertisedAsin", "campaignName", "impressions"} <= keys

    def json_rows(self, document: Any) -> tuple[list[str], list[list[Any]]]:
        headers: list[str] = []
        seen: set[str] = set()
        for record in document:
            for key in record:
                if key not in seen:
                    seen.add(key)
                    headers.append(key)
        return headers, [[record.get(h) for h in headers] for record in document]

    # -- decisions ----------------------------------------------------------------------------------
    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        ctx = AdsApiContext(job, typed)
        ctx.window = _window(job)
        if not (job.has("cost") or job.has("spend")):
            raise rejected(job, "the report has no cost column", "a `cost` or `spend` column")
        ctx.variant = f"SP, {ctx.window}-day attribution"
        _decide_dates(job, ctx)
        currencies = file_currencies(job, "currency", (), None)
        ctx.marketplace = fallback_marketplace(job, currencies, ctx.notes)
        if ctx.marketplace is None:
            if conflicting(currencies):
                raise rejected(
                    job,
                    f"the campaign budgets are in several currencies ({', '.join(sorted(currencies))})",
                    "one advertising profile (one marketplace) per file",
                )
            raise NeedsOption(
                f"{job.file_name}: an Ads API report does not say which marketplace it is for; say which "
                f"with --marketplace (account {job.account_id} sells on "
                f"{', '.join(job.account_marketplaces)})"
            )
        ctx.zone = job.zones.get(ctx.marketplace.code)
        return ctx

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        own = _own(ctx)
        job = ctx.job
        assert own.marketplace is not None
        m = own.marketplace
        checks = [
            RowCheck(
                f"currency IS NOT NULL AND currency <> {q(m.currency)}",
                f"the campaign budget currency is not {m.currency}, the currency of marketplace {m.code}",
                column=header_of(job, "currency"),
                value_sql="currency",
                expected=f"a report of the {m.code} advertising profile, or the --marketplace it belongs to",
            ),
            mixed_currency_check(q(m.code), "currency", header_of(job, "currency")),
            end_before_start_check(job),
        ]
        n = own.window
        figures = ("impressions", "clicks", "cost", "spend", f"sales_{n}d", f"orders_{n}d", f"units_{n}d")
        return [*checks, *negative_checks(job, figures)]

    # -- facts --------------------------------------------------------------------------------------
    def facts(self, ctx: ImportContext) -> dict[str, str]:
        own = _own(ctx)
        assert own.marketplace is not None
        n = own.window
        if own.dates == "daily":
            date_from = date_to = "date"
        elif own.dates == "summary":
            date_from, date_to = "start_date", "end_date"
        else:
            date_from, date_to = ctx.lit(ctx.date_from), ctx.lit(ctx.date_to)
        other_sales, other_units = (
            ("other_sku_sales_7d", "other_sku_units_7d") if n == 7 else ("NULL", "NULL")
        )
        sql = f"""
        SELECT
          {q(own.marketplace.code)} AS marketplace, _row AS source_row, 'ads_api_v3' AS source,
          'SP' AS ad_product, {date_from} AS date_from, {date_to} AS date_to,
          campaign_id, campaign_name, ad_group_id, ad_group_name, sku, asin,
          coalesce(currency, {q(own.marketplace.currency)}) AS currency,
          impressions, clicks, coalesce(cost, spend) AS spend,
          sales_{n}d AS sales, orders_{n}d AS orders, units_{n}d AS units,
          advertised_sku_units_{n}d AS advertised_sku_units, {other_units} AS other_sku_units,
          advertised_sku_sales_{n}d AS advertised_sku_sales, {other_sales} AS other_sku_sales,
          {n} AS attribution_days
        FROM {ctx.typed}
        """
        return {"ad_performance": sql}


REPORTS = [AdsApiV3AdvertisedProduct()]


def _own(ctx: ImportContext) -> AdsApiContext:
    if not isinstance(ctx, AdsApiContext):
        raise TypeError("the Ads API report needs the context its resolve() made")
    return ctx


def _window(job: ImportJob) -> int:
    for n in WINDOWS:
        if any(job.has(f"{name}_{n}d") for name, _kind, _api in _WINDOWED):
            return n
    raise rejected(
        job,
        "the report has no attributed sales, purchases or units columns",
        "sales7d / purchases7d / unitsSoldClicks7d (or their 14d or 1d forms)",
    )


def _decide_dates(job: ImportJob, ctx: AdsApiContext) -> None:
    given_from, given_to = job.options.date_from, job.options.date_to
    if job.has("date") or (job.has("start_date") and job.has("end_date")):
        ctx.dates = "daily" if job.has("date") else "summary"
        if given_from or given_to:
            ctx.notes.append("dates from the report's own date columns; --from/--to not used")
        return
    if job.has("start_date") or job.has("end_date"):
        raise rejected(
            job,
            "the report has only one of startDate and endDate",
            "both startDate and endDate (a SUMMARY report) or date (a DAILY report)",
        )
    if given_from is None or given_to is None:
        raise NeedsOption(
            f"{job.file_name}: the report has no date columns, so it does not say which days it covers; "
            "give the range with --from and --to (the same day twice for one day)"
        )
    if given_from > given_to:
        raise TradewindError(f"--from {given_from} is after --to {given_to}")
    ctx.dates = "options"
    ctx.date_from, ctx.date_to = given_from, given_to
