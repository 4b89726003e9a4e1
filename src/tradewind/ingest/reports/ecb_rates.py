"""ECB euro foreign exchange reference rates: `eurofxref-hist.csv` and the daily `eurofxref.csv`.

Both files have a `Date` column and one column per currency (units of that currency per 1 EUR); each
cell becomes one `fx_rates` fact (kind `ecb`, base EUR, quote = the column's currency). The layouts
(report-formats.md §5):

- hist: newest first, `2025-05-09`, a trailing comma on every line, `N/A` where a currency was not
  quoted (before it joined, after it left or was suspended);
- daily: `", "` separators with a trailing `", "`, a date like `06 February 2026`.

Columns are read by header name, never by position: the ECB has inserted and dropped currencies over
the years. Every three-letter column is a currency, including one the ECB adds in the future, so a new
currency is imported rather than silently left out. Rates are parsed exactly (DECIMAL, the ECB always
writes `.`), never through floating point.

Rates are shared by all accounts (the loader stores them with account `*`), so the import needs no
`--account`.
"""

from __future__ import annotations

import re
from typing import ClassVar

from tradewind.core.errors import MAX_PROBLEMS, Problem
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report
from tradewind.ingest.values import Kind, clean_text, date_sql, q

T = Kind.TEXT

#: A rate as the ECB writes it: digits with a dot decimal.
_RATE = r"[0-9]+(\.[0-9]+)?"
_CODE = re.compile(r"[A-Za-z]{3}")


def _currency(code: str, required: bool) -> Field:
    # Parsed and checked with every other currency column in `problems_outside_rows`.
    return Field(code.lower(), T, (code,), required=required)


class EcbReferenceRates(Report):
    id = "ecb_rates"
    title = "ECB euro reference rates"
    containers = frozenset({"text", "xlsx"})
    produces = ("fx_rates",)
    # USD, JPY and GBP have been quoted every day since 1999: with `Date` they recognise the file.
    fields: ClassVar[tuple[Field, ...]] = (
        Field("rate_date", Kind.DATE, ("Date",), not_null=True, formats=("%Y-%m-%d", "%d %B %Y")),
        _currency("USD", True),
        _currency("JPY", True),
        _currency("GBP", True),
    )

    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        """No marketplace; the dates the file covers go to the import ledger."""
        ctx = ImportContext(job, typed)
        col = job.columns["rate_date"]
        if col:
            parsed = date_sql(col, job.layouts["rate_date"])
            row = job.con.execute(f"SELECT min({parsed}), max({parsed}) FROM {job.raw.table}").fetchone()
            if row:
                ctx.date_from, ctx.date_to = row
        return ctx

    @staticmethod
    def currency_columns(job: ImportJob) -> list[tuple[str, str]]:
        """(currency code, raw column) for every currency column of the file, in file order."""
        date_col = job.columns["rate_date"]
        return [
            (header.strip().upper(), f"c{i}")
            for i, header in enumerate(job.raw.headers)
            if f"c{i}" != date_col and _CODE.fullmatch(header.strip())
        ]

    def problems_outside_rows(self, ctx: ImportContext) -> list[Problem]:
        job = ctx.job
        name = job.file_name
        date_col = job.columns["rate_date"]
        problems = [
            Problem(
                name,
                "unexpected column in an ECB rates file",
                row=job.raw.header_row,
                column=header,
                expected="Date and three-letter currency codes (USD, JPY, ...)",
            )
            for i, header in enumerate(job.raw.headers)
            if f"c{i}" != date_col and header.strip() and not _CODE.fullmatch(header.strip())
        ]
        bad = [
            f"SELECT _row, {q(code)} AS code, {clean_text(col)} AS v FROM {job.raw.table} "
            f"WHERE {clean_text(col)} IS NOT NULL AND upper({clean_text(col)}) <> 'N/A' "
            f"AND (NOT regexp_full_match({clean_text(col)}, {q(_RATE)}) "
            f"OR TRY_CAST({clean_text(col)} AS DOUBLE) <= 0)"
            for code, col in self.currency_columns(job)
        ]
        if bad:
            union = " UNION ALL ".join(bad)
            rows = job.con.execute(
                f"SELECT * FROM ({union}) ORDER BY _row, code LIMIT {MAX_PROBLEMS}"
            ).fetchall()
            problems += [
                Problem(
                    name,
                    "cannot read this rate",
                    row=int(r),
                    column=code,
                    value=value,
                    expected="a rate above 0 with a dot decimal, like 1.1252, or N/A",
                )
                for r, code, value in rows
            ]
        return problems

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        cells = " UNION ALL ".join(
            f"SELECT _row, {q(code)} AS quote, CAST({clean_text(col)} AS DECIMAL(18,8)) AS rate "
            f"FROM {ctx.job.raw.table} "
            f"WHERE {clean_text(col)} IS NOT NULL AND upper({clean_text(col)}) <> 'N/A'"
            for code, col in self.currency_columns(ctx.job)
        )
        sql = f"""
        SELECT t._row AS source_row, 'ecb' AS kind, t.rate_date, 'EUR' AS base, c.quote, c.rate
        FROM {ctx.typed} t JOIN ({cells}) c ON c._row = t._row
        """
        return {"fx_rates": sql}


REPORTS = [EcbReferenceRates()]
