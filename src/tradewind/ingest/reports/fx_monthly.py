"""Monthly exchange rates a seller agrees with its agency (template `fx_monthly`, CSV or XLSX).

One row per month and currency pair: `1 base = rate quote` for every day of the month. Each row is one
`fx_rates` fact of kind `monthly` dated the first day of its month. Like ECB rates they are shared by
the workspace (the loader stores them with account `*`), so the import needs no `--account`.

Months are accepted as typed by hand or left by a spreadsheet: `2026-01`, `2026/1`, `2026.01`,
`202601`, `2026年1月`, and the first-of-month date Excel makes of a typed `2026-01`
(`2026-01-01`, read from an XLSX as `2026-01-01T00:00:00`). Any other day of the month is refused:
`2026-01-15` is more likely a daily rate put in the wrong sheet than a month.

Rates are read exactly (no floating point for plain decimals) and must be written with a dot decimal
and no thousands separator: in `1,085` the comma could be either, and a guess would be off by 1000.
A rate is stored with 8 decimals; one so small that this would change it (IDR per USD written the other
way round) is refused with the advice to turn the pair round.
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.templates import column
from tradewind.ingest.values import Kind, clean_text, q

T = Kind.TEXT

_MONTH = (
    r"[0-9]{4}\s*[-/.]\s*(0?[1-9]|1[0-2])"
    r"|[0-9]{4}(0[1-9]|1[0-2])"
    r"|[0-9]{4}\s*年\s*(0?[1-9]|1[0-2])\s*月"
    r"|[0-9]{4}-(0[1-9]|1[0-2])-01([T ]00:00(:00)?)?"
)
_RATE = r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|\.[0-9]+"
_CODE = r"(?i)[a-z]{3}"


def month_start_sql(expr: str) -> str:
    """The first day of the month a month cell names (NULL when it names none)."""
    year = f"TRY_CAST(substr({expr}, 1, 4) AS INTEGER)"
    month = f"TRY_CAST(regexp_extract({expr}, '^[0-9]{{4}}[^0-9]*([0-9]{{1,2}})', 1) AS INTEGER)"
    return (
        f"(CASE WHEN regexp_full_match({expr}, {q(_MONTH)}) AND {month} BETWEEN 1 AND 12 "
        f"THEN make_date({year}, {month}, 1) END)"
    )


def rate_sql(expr: str) -> str:
    """The exact value of a rate cell; scientific notation (what an XLSX gives for 0.0000617) via DOUBLE."""
    return (
        f"(CASE WHEN regexp_matches({expr}, '[eE]') THEN CAST(TRY_CAST({expr} AS DOUBLE) AS DECIMAL(38,20)) "
        f"ELSE TRY_CAST({expr} AS DECIMAL(38,20)) END)"
    )


class MonthlyRates(Report):
    id = "fx_monthly"
    title = "Monthly exchange rates"
    title_zh = "月度汇率"
    template_name = "fx_monthly"
    produces = ("fx_rates",)
    fields: ClassVar[tuple[Field, ...]] = (
        column(
            "month",
            T,
            "month",
            "月份",
            required=True,
            not_null=True,
            pattern=_MONTH,
            pattern_hint="a month like 2026-01",
            help_en="The month the rate applies to, as YYYY-MM, e.g. 2026-01.",
            help_zh="汇率适用的月份，格式 YYYY-MM，例如 2026-01。",
            example="2026-01",
        ),
        column(
            "base",
            T,
            "base",
            "基准币种",
            also=("base currency", "from currency", "原币种"),
            required=True,
            not_null=True,
            pattern=_CODE,
            pattern_hint="an ISO currency code like USD",
            help_en="ISO code of the currency being converted from, e.g. USD (1 base = rate quote).",
            help_zh="被换算的币种代码，例如 USD（1 基准币种 = 汇率 × 标价币种）。",
            example="USD",
        ),
        column(
            "quote",
            T,
            "quote",
            "标价币种",
            also=("quote currency", "to currency", "目标币种"),
            required=True,
            not_null=True,
            pattern=_CODE,
            pattern_hint="an ISO currency code like CNY",
            help_en="ISO code of the currency converted into, e.g. CNY.",
            help_zh="换算成的币种代码，例如 CNY。",
            example="CNY",
        ),
        column(
            "rate",
            T,
            "rate",
            "汇率",
            also=("exchange rate",),
            required=True,
            not_null=True,
            pattern=_RATE,
            pattern_hint="a number with a dot decimal and no thousands separator, like 7.1034 or 1350",
            number_format="0.0000####",
            help_en="Units of the quote currency for 1 unit of the base currency, e.g. 7.1034. Dot decimal, "
            "no thousands separator.",
            help_zh="1单位基准币种可兑换的标价币种数量，例如 7.1034。使用小数点，不要千位分隔符。",
            example="7.1034",
        ),
    )

    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        """No marketplace; the months the file covers go to the import ledger."""
        ctx = ImportContext(job, typed)
        col = job.columns["month"]
        if col:
            start = month_start_sql(clean_text(col))
            row = job.con.execute(
                f"SELECT min({start}), last_day(max({start})) FROM {job.raw.table}"
            ).fetchone()
            if row:
                ctx.date_from, ctx.date_to = row
        return ctx

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        value = rate_sql("rate")
        return [
            RowCheck(
                f"{value} <= 0",
                "the rate must be more than 0",
                column=_header(ctx, "rate"),
                value_sql="rate",
                expected="units of the quote currency per 1 base, like 7.1034",
            ),
            RowCheck(
                f"{value} > 0 AND abs(round({value}, 8) - {value}) > {value} * 0.000001",
                "the rate is too small to keep exactly (Tradewind keeps 8 decimals)",
                column=_header(ctx, "rate"),
                value_sql="rate",
                expected="the pair the other way round (base USD, quote IDR), so the rate is a larger number",
            ),
            RowCheck(
                f"{value} >= 10000000000",
                "the rate is too large",
                column=_header(ctx, "rate"),
                value_sql="rate",
                expected="a rate below 10,000,000,000",
            ),
            RowCheck(
                "upper(base) = upper(quote)",
                "base and quote are the same currency",
                column=_header(ctx, "quote"),
                value_sql="quote",
                expected="two different currencies",
            ),
        ]

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        sql = f"""
        SELECT _row AS source_row, 'monthly' AS kind, {month_start_sql("month")} AS rate_date,
               upper(base) AS base, upper(quote) AS quote, CAST({rate_sql("rate")} AS DECIMAL(18,8)) AS rate
        FROM {ctx.typed}
        """
        return {"fx_rates": sql}


def _header(ctx: ImportContext, name: str) -> str:
    col = ctx.job.columns.get(name)
    return ctx.job.raw.headers[int(col[1:])] if col else name


REPORTS = [MonthlyRates()]
