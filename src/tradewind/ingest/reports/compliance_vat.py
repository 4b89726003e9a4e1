"""VAT registrations (template `vat_registrations`, CSV or XLSX): the seller's VAT numbers per country.

Each row is a country the seller needs a VAT registration in (unless its `required` cell says no), with
the number when one is held and the days it is valid. A row without a number says "required, not held
yet": that is how a seller marks a country required where no stock is stored. A sheet replaces the
registrations of the countries it lists, so a corrected number replaces the old one.

Numbers are checked against their country's format and checksum with python-stdnum
(`tradewind.compliance.numbers`) and stored in canonical form with their prefix (`DE136695976`), with
the outcome (`number_valid`, `number_problem`). A number that fails is stored, not rejected: invalid
numbers are what the VAT-number validity KPI and `tradewind compliance` report.
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.compliance.numbers import check_vat
from tradewind.ingest.reports.compliance_common import (
    RegistrySheet,
    country_column,
    country_marketplace_sql,
    country_sql,
    period_check,
    required_column,
    validity_columns,
)
from tradewind.ingest.reports.ops_common import (
    ACCOUNT_COLUMN,
    text_sql,
)
from tradewind.ingest.spec import Field, ImportContext, RowCheck
from tradewind.ingest.templates import column
from tradewind.ingest.values import Kind

T = Kind.TEXT
CHECKS_TABLE = "tw_vat_checks"


class VatRegistrations(RegistrySheet):
    id = "vat_registrations"
    title = "VAT registrations"
    template_name = "vat_registrations"
    produces = ("vat_registrations",)
    fields: ClassVar[tuple[Field, ...]] = (
        ACCOUNT_COLUMN,
        country_column(
            also_zh="注册国家",
            help_en="Country of the registration: DE, FR, IT, ES, PL, CZ, GB... (or its name).",
            help_zh="注册国家：DE、FR、IT、ES、PL、CZ、GB等（或国家名称）。",
            example="DE",
        ),
        column(
            "vat_number",
            T,
            "vat_number",
            "VAT税号",
            also=(
                "vat number",
                "vat id",
                "vat no",
                "vat registration number",
                "ust-idnr",
                "增值税号",
                "税号",
            ),
            required=True,
            help_en="The VAT number, with or without the country prefix (DE136695976). Blank: a "
            "registration you need but do not hold yet.",
            help_zh="VAT税号，可带或不带国家前缀（如 DE136695976）。留空：需要注册但尚未取得。",
            example="DE136695976",
        ),
        *validity_columns("税号", from_example="2024-01-15", to_example=""),
        required_column(
            help_en="yes/no: do you need a registration in this country? Blank means yes.",
            help_zh="是/否：该国家是否必须注册？留空视为是。",
        ),
    )

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [
            *self.scope_checks(ctx),
            period_check(ctx, "valid_from", "valid_to", "the registration"),
        ]

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        con = ctx.job.con
        pairs = con.execute(
            f"SELECT DISTINCT {country_sql('country')}, vat_number FROM {ctx.typed} "
            "WHERE vat_number IS NOT NULL"
        ).fetchall()
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {CHECKS_TABLE} "
            "(country VARCHAR, raw VARCHAR, number VARCHAR, valid BOOLEAN, problem VARCHAR)"
        )
        checked = [(c, raw, *_checked(c, raw)) for c, raw in pairs]
        if checked:
            con.executemany(f"INSERT INTO {CHECKS_TABLE} VALUES (?, ?, ?, ?, ?)", checked)
        invalid = sum(1 for row in checked if not row[3])
        if invalid:
            ctx.notes.append(
                f"{invalid} VAT number(s) fail their country's format or checksum (stored and reported)"
            )
        country = country_sql("t.country")
        sql = f"""
        SELECT {country_marketplace_sql(country)} AS marketplace, t._row AS source_row, {country} AS country,
               coalesce(k.number, {text_sql("t.vat_number")}) AS vat_number, k.valid AS number_valid,
               k.problem AS number_problem, t.valid_from, t.valid_to, coalesce(t.required, true) AS required
        FROM {ctx.typed} t
        LEFT JOIN {CHECKS_TABLE} k ON k.country = {country} AND k.raw = t.vat_number
        """
        return {"vat_registrations": sql}


def _checked(country: str, raw: str) -> tuple[str, bool, str | None]:
    result = check_vat(country, raw)
    return result.value or raw, result.valid, result.problem


REPORTS = [VatRegistrations()]
