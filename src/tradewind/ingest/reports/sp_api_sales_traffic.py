"""SP-API `GET_SALES_AND_TRAFFIC_REPORT` (JSON, often gzipped): the API twin of the Business Report.

The document states what it covers (report-formats §3.5, schema `sellerSalesAndTrafficReport.json`):

- `salesAndTrafficByDate` rows are account totals (level `total`) for one day, week or month
  (`reportOptions.dateGranularity`). A WEEK row is dated by its Sunday and runs to Saturday; a MONTH
  row by its first day and runs to the month's end.
- `salesAndTrafficByAsin` rows cover the whole report range, at the level `reportOptions.asinGranularity`
  asks for (PARENT, the default, CHILD or SKU).
- The range is `dataStartTime..dataEndTime`, but for WEEK and MONTH granularity Amazon widens it to whole
  weeks (Sunday..Saturday) or months (the schema says so for both ends), so the by-ASIN rows cover the
  widened range: the same days as the by-date rows together.
- `marketplaceIds` holds exactly one marketplace.

Money is `{amount, currencyCode}` and must be in the marketplace's currency; percentages are in percent
units (`95.24` is 0.9524). Only totals are kept (sessions, page views: browser + mobile app); a missing
total is taken as browser + mobile app, which also tolerates Amazon's own typo `browerPageViews`.

Records become staged rows (row 2 = the first by-date record; by-ASIN records follow); the `record`
column names each one (`salesAndTrafficByAsin[3]`), and messages about a row show it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from tradewind.core.errors import ImportRejected, Problem
from tradewind.core.marketplaces import Marketplace, find_marketplace
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.values import Kind, q

T, N, D, P, DT = Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.PERCENT, Kind.DATE

REPORT_TYPE = "GET_SALES_AND_TRAFFIC_REPORT"
BY_DATE = "salesAndTrafficByDate"
BY_ASIN = "salesAndTrafficByAsin"
_LEVELS = {"PARENT": "parent_asin", "CHILD": "child_asin", "SKU": "sku"}
_GRANULARITIES = ("DAY", "WEEK", "MONTH")
_ASIN = r"[A-Z0-9]{10}"

#: Staged column -> where the value is, relative to the record's sales/traffic objects.
_COUNTS: tuple[tuple[str, str, str], ...] = (
    ("sessions", "traffic", "sessions"),
    ("sessionsB2B", "traffic", "sessionsB2B"),
    ("pageViews", "traffic", "pageViews"),
    ("pageViewsB2B", "traffic", "pageViewsB2B"),
    ("buyBoxPercentage", "traffic", "buyBoxPercentage"),
    ("unitsOrdered", "sales", "unitsOrdered"),
    ("unitsOrderedB2B", "sales", "unitsOrderedB2B"),
    ("totalOrderItems", "sales", "totalOrderItems"),
    ("totalOrderItemsB2B", "sales", "totalOrderItemsB2B"),
)
_MONEY = ("orderedProductSales", "orderedProductSalesB2B")
#: A total that is missing is the sum of its parts (older or hand-trimmed documents).
_PARTS = {
    "sessions": (("browserSessions",), ("mobileAppSessions",)),
    "sessionsB2B": (("browserSessionsB2B",), ("mobileAppSessionsB2B",)),
    "pageViews": (("browserPageViews", "browerPageViews"), ("mobileAppPageViews",)),
    "pageViewsB2B": (("browserPageViewsB2B", "browerPageViewsB2B"), ("mobileAppPageViewsB2B",)),
}
HEADERS: tuple[str, ...] = (
    "record",
    "date",
    "parentAsin",
    "childAsin",
    "sku",
    *(c[0] for c in _COUNTS),
    *(f"{m}.{part}" for m in _MONEY for part in ("amount", "currencyCode")),
)


class SpApiSalesAndTraffic(Report):
    id = "sp_api_sales_traffic"
    title = "SP-API Sales and Traffic report"
    produces = ("traffic",)
    containers = frozenset({"json"})
    fields: ClassVar[tuple[Field, ...]] = (
        Field("record", T, ("record",), not_null=True),
        Field("day", DT, ("date",), formats=("%Y-%m-%d",)),
        Field("parent_asin", T, ("parentAsin",), pattern=_ASIN, pattern_hint="a 10-character ASIN"),
        Field("child_asin", T, ("childAsin",), pattern=_ASIN, pattern_hint="a 10-character ASIN"),
        Field("sku", T, ("sku",)),
        Field("sessions", N, ("sessions",)),
        Field("sessions_b2b", N, ("sessionsB2B",)),
        Field("page_views", N, ("pageViews",)),
        Field("page_views_b2b", N, ("pageViewsB2B",)),
        Field("buy_box_pct", P, ("buyBoxPercentage",)),
        Field("units_ordered", N, ("unitsOrdered",)),
        Field("units_ordered_b2b", N, ("unitsOrderedB2B",)),
        Field("total_order_items", N, ("totalOrderItems",)),
        Field("total_order_items_b2b", N, ("totalOrderItemsB2B",)),
        Field("ordered_product_sales", D, ("orderedProductSales.amount",)),
        Field(
            "sales_currency",
            T,
            ("orderedProductSales.currencyCode",),
            pattern=r"[A-Z]{3}",
            pattern_hint="an ISO currency code like USD",
        ),
        Field("ordered_product_sales_b2b", D, ("orderedProductSalesB2B.amount",)),
        Field(
            "sales_b2b_currency",
            T,
            ("orderedProductSalesB2B.currencyCode",),
            pattern=r"[A-Z]{3}",
            pattern_hint="an ISO currency code like USD",
        ),
    )

    # -- recognition --------------------------------------------------------------------------------
    def matches_json(self, document: Any) -> bool:
        if not isinstance(document, dict):
            return False
        spec = document.get("reportSpecification")
        if isinstance(spec, dict) and spec.get("reportType") == REPORT_TYPE:
            return True
        return BY_DATE in document or BY_ASIN in document

    def json_rows(self, document: Any) -> tuple[list[str], list[list[Any]]]:
        rows: list[list[Any]] = []
        for section, sales_key, traffic_key in (
            (BY_DATE, "salesByDate", "trafficByDate"),
            (BY_ASIN, "salesByAsin", "trafficByAsin"),
        ):
            records = document.get(section) or []
            if not isinstance(records, list):
                records = [records]  # one record where a list belongs: checked like any record
            for i, record in enumerate(records):
                rows.append(_row(f"{section}[{i}]", record, sales_key, traffic_key))
        return list(HEADERS), rows

    # -- decisions ----------------------------------------------------------------------------------
    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        ctx = ImportContext(job, typed)
        spec = _specification(job)
        granularity, asin_granularity = _granularities(job)
        ctx.variant = f"{granularity} / {asin_granularity}"
        ctx.marketplace = _marketplace(job, spec)
        ctx.zone = job.zones.get(ctx.marketplace.code)
        start = _spec_date(job, spec, "dataStartTime")
        end = _spec_date(job, spec, "dataEndTime")
        if start > end:
            raise _rejected(
                job, f"dataStartTime {start} is after dataEndTime {end}", "a start before the end"
            )
        ctx.date_from, ctx.date_to = _widen(start, end, granularity)
        given = (job.options.date_from, job.options.date_to)
        if given != (None, None) and given != (ctx.date_from, ctx.date_to):
            raise _rejected(
                job,
                f"the report covers {ctx.date_from}..{ctx.date_to}, but --from/--to say "
                f"{given[0] or '?'}..{given[1] or '?'}",
                "no --from/--to for an SP-API report (it states its own range)",
            )
        if (ctx.date_from, ctx.date_to) != (start, end):
            ctx.notes.append(
                f"{granularity} granularity widens {start}..{end} to {ctx.date_from}..{ctx.date_to}"
            )
        return ctx

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        assert ctx.marketplace is not None
        level = _LEVELS[_granularities(ctx.job)[1]]
        by_date = f"starts_with(record, {q(BY_DATE)})"
        by_asin = f"starts_with(record, {q(BY_ASIN)})"
        currency = q(ctx.marketplace.currency)
        checks = [
            RowCheck(
                f"{by_date} AND day IS NULL",
                "a by-date record without a date",
                column="date",
                value_sql="record",
                expected="a date like 2021-06-11",
            ),
            RowCheck(
                f"{by_date} AND (day < {ctx.lit(ctx.date_from)} OR day > {ctx.lit(ctx.date_to)})",
                "a date outside the report's range",
                column="date",
                value_sql="record || ': ' || day",
                expected=f"{ctx.date_from}..{ctx.date_to} (dataStartTime..dataEndTime)",
            ),
            RowCheck(
                f"{by_asin} AND parent_asin IS NULL",
                "a by-ASIN record without a parentAsin",
                column="parentAsin",
                value_sql="record",
                expected="the parent ASIN of every record",
            ),
            RowCheck(
                f"coalesce(sales_currency, {currency}) <> {currency} "
                f"OR coalesce(sales_b2b_currency, {currency}) <> {currency}",
                f"an amount not in {ctx.marketplace.code}'s currency",
                column="orderedProductSales.currencyCode",
                value_sql="concat_ws(' ', record || ':', sales_currency, sales_b2b_currency)",
                expected=f"{ctx.marketplace.currency} throughout (one marketplace per report)",
            ),
        ]
        if level in ("child_asin", "sku"):
            checks.append(
                RowCheck(
                    f"{by_asin} AND child_asin IS NULL",
                    "a by-ASIN record without a childAsin",
                    column="childAsin",
                    value_sql="record",
                    expected=f"a childAsin in every record of a {level} report",
                )
            )
        if level == "sku":
            checks.append(
                RowCheck(
                    f"{by_asin} AND sku IS NULL",
                    "a by-ASIN record without a sku",
                    column="sku",
                    value_sql="record",
                    expected="a sku in every record of an asinGranularity SKU report",
                )
            )
        for name, header in (
            ("sessions", "sessions"),
            ("page_views", "pageViews"),
            ("units_ordered", "unitsOrdered"),
            ("total_order_items", "totalOrderItems"),
        ):
            checks.append(
                RowCheck(
                    f"{name} < 0",
                    "a negative count",
                    column=header,
                    value_sql=f"record || ': ' || {name}",
                    expected="0 or more",
                )
            )
        checks.append(
            RowCheck(
                "buy_box_pct < 0 OR buy_box_pct > 1",
                "a buy box percentage outside 0..100",
                column="buyBoxPercentage",
                value_sql="record || ': ' || buy_box_pct * 100",
                expected="0 to 100 (percent units)",
            )
        )
        return checks

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        assert ctx.marketplace is not None
        granularity, asin_granularity = _granularities(ctx.job)
        level = _LEVELS[asin_granularity]
        period_end = {"DAY": "day", "WEEK": "day + 6", "MONTH": "last_day(day)"}[granularity]
        by_date = f"starts_with(record, {q(BY_DATE)})"
        sql = f"""
        SELECT
          {q(ctx.marketplace.code)} AS marketplace, _row AS source_row, 'sp_api_sales_traffic' AS source,
          CASE WHEN {by_date} THEN 'total' ELSE {q(level)} END AS level,
          CASE WHEN {by_date} THEN day ELSE {ctx.lit(ctx.date_from)} END AS date_from,
          CASE WHEN {by_date} THEN {period_end} ELSE {ctx.lit(ctx.date_to)} END AS date_to,
          parent_asin, child_asin, sku,
          sessions, sessions_b2b, page_views, page_views_b2b, buy_box_pct,
          units_ordered, units_ordered_b2b, ordered_product_sales, ordered_product_sales_b2b,
          {q(ctx.marketplace.currency)} AS currency, total_order_items, total_order_items_b2b
        FROM {ctx.typed}
        """
        return {"traffic": sql}


# -- document to rows --------------------------------------------------------------------------------
def _row(record_id: str, record: Any, sales_key: str, traffic_key: str) -> list[Any]:
    if not isinstance(record, dict):
        record = {}
    sales = record.get(sales_key) if isinstance(record.get(sales_key), dict) else {}
    traffic = record.get(traffic_key) if isinstance(record.get(traffic_key), dict) else {}
    parts = {"sales": sales, "traffic": traffic}
    row: list[Any] = [record_id, record.get("date"), record.get("parentAsin"), record.get("childAsin")]
    row.append(record.get("sku"))
    for column, part, key in _COUNTS:
        value = parts[part].get(key)
        if value is None and column in _PARTS:
            value = _sum_of_parts(parts[part], _PARTS[column])
        row.append(_number_text(value))
    for money in _MONEY:
        amount = sales.get(money)
        if isinstance(amount, dict):
            row.extend([_number_text(amount.get("amount")), amount.get("currencyCode")])
        else:
            row.extend([_number_text(amount), None])
    return row


def _sum_of_parts(values: dict[str, Any], parts: tuple[tuple[str, ...], ...]) -> Any:
    """browser + mobile app, each part under any of its spellings; None unless every part is there."""
    total = 0
    for spellings in parts:
        found = next((values[s] for s in spellings if values.get(s) is not None), None)
        if isinstance(found, bool) or not isinstance(found, int):
            return None
        total += found
    return total


def _number_text(value: Any) -> Any:
    """A JSON number (or a number in a string) as plain text that always reads as a dot-decimal.

    The shared parser decides a file's decimal style from values such as `12.34`; `0.125` alone is
    ambiguous (one-hundred-and-twenty-five with a thousands dot?), so three decimals get a fourth digit.
    Anything that is not a number is passed on as it is, for the parser to report with its row.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float, str)):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return value
        if not number.is_finite():
            return value
        text = format(number, "f")
        if "." in text and len(text.split(".", 1)[1]) == 3:
            text += "0"
        return text
    return value


# -- report specification ----------------------------------------------------------------------------
def _specification(job: ImportJob) -> dict[str, Any]:
    document = job.raw.document
    spec = document.get("reportSpecification") if isinstance(document, dict) else None
    if not isinstance(spec, dict):
        raise _rejected(job, "the document has no reportSpecification", "the report as Amazon returns it")
    return spec


def _marketplace(job: ImportJob, spec: dict[str, Any]) -> Marketplace:
    ids = spec.get("marketplaceIds")
    if not isinstance(ids, list) or len(ids) != 1:
        raise _rejected(job, f"reportSpecification.marketplaceIds is {ids!r}", "exactly one marketplace id")
    found = find_marketplace(str(ids[0]))
    if found is None:
        raise _rejected(
            job, f"unknown marketplace id {ids[0]!r}", "an Amazon marketplace id like ATVPDKIKX0DER"
        )
    if job.options.marketplace:
        said = find_marketplace(job.options.marketplace)
        if said is not None and said != found:
            raise _rejected(
                job,
                f"the report is for {found.code} ({found.amazon_id}), but --marketplace says {said.code}",
                f"--marketplace {found.code}, or none",
            )
    if job.account_marketplaces and found.code not in job.account_marketplaces:
        raise _rejected(
            job,
            f"the report is for {found.code}, which account {job.account_id} does not sell on "
            f"({', '.join(job.account_marketplaces)})",
            f"--account of the account that sells on {found.code}",
        )
    return found


def _spec_date(job: ImportJob, spec: dict[str, Any], key: str) -> date:
    """`2021-06-11` or `2021-06-11T00:00:00Z`: the schema says the time part is ignored."""
    value = spec.get(key)
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise _rejected(job, f"reportSpecification.{key} is {value!r}", "a date like 2021-06-11") from None


def _widen(start: date, end: date, granularity: str) -> tuple[date, date]:
    """Whole weeks (Sunday..Saturday) or whole months, as Amazon builds WEEK and MONTH reports."""
    if granularity == "WEEK":
        start -= timedelta(days=(start.weekday() + 1) % 7)
        end += timedelta(days=(5 - end.weekday()) % 7)
    elif granularity == "MONTH":
        start = start.replace(day=1)
        next_month = (end.replace(day=28) + timedelta(days=4)).replace(day=1)
        end = next_month - timedelta(days=1)
    return start, end


def _granularities(job: ImportJob) -> tuple[str, str]:
    """(dateGranularity, asinGranularity) with the schema's defaults, DAY and PARENT."""
    options = _specification(job).get("reportOptions") or {}
    if not isinstance(options, dict):
        raise _rejected(job, "reportSpecification.reportOptions is not an object", "dateGranularity etc.")
    granularity = str(options.get("dateGranularity") or "DAY").upper()
    asin_granularity = str(options.get("asinGranularity") or "PARENT").upper()
    if granularity not in _GRANULARITIES:
        raise _rejected(job, f"unknown dateGranularity {granularity!r}", "DAY, WEEK or MONTH")
    if asin_granularity not in _LEVELS:
        raise _rejected(job, f"unknown asinGranularity {asin_granularity!r}", "PARENT, CHILD or SKU")
    return granularity, asin_granularity


def _rejected(job: ImportJob, message: str, expected: str) -> ImportRejected:
    return ImportRejected(job.file_name, [Problem(job.file_name, message, expected=expected)])


REPORTS = [SpApiSalesAndTraffic()]
