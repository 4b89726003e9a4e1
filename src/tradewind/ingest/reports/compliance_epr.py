"""EPR registrations (template `epr_registrations`, CSV or XLSX): the seller's extended-producer-
responsibility numbers per country and category (packaging, WEEE, batteries, textiles, furniture...).

Each row is a (country, category) registration the seller needs (unless its `required` cell says no):
with its number when held (a LUCID number, a WEEE-Reg.-Nr., a French IDU), the register that issued it,
and the days it is valid; without a number it marks the pair required but not held. Categories are
written as their id or a usual name in English, Chinese, German or French (`Verpackung`, `包装`,
`emballages` are all `packaging`), per the EPR matrix (`tradewind/compliance/epr_matrix.yaml`). EPR
numbers have no public checksum: Tradewind checks that one is held and valid on the day asked.
A sheet replaces the registrations of the (country, category) pairs it lists.
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.ingest.reports.compliance_common import (
    RegistrySheet,
    category_names,
    category_sql,
    country_column,
    country_marketplace_sql,
    country_sql,
    period_check,
    required_column,
    validity_columns,
)
from tradewind.ingest.reports.ops_common import (
    ACCOUNT_COLUMN,
    NOT_A_NUMBER,
    NOT_A_NUMBER_HINT,
    header,
    text_sql,
)
from tradewind.ingest.spec import Field, ImportContext, RowCheck
from tradewind.ingest.templates import column
from tradewind.ingest.values import Kind

T = Kind.TEXT


class EprRegistrations(RegistrySheet):
    id = "epr_registrations"
    title = "EPR registrations"
    template_name = "epr_registrations"
    produces = ("epr_registrations",)
    fields: ClassVar[tuple[Field, ...]] = (
        ACCOUNT_COLUMN,
        country_column(
            also_zh="注册国家",
            help_en="Country of the registration: DE, FR, AT, ES... (or its name).",
            help_zh="注册国家：DE、FR、AT、ES等（或国家名称）。",
            example="DE",
        ),
        column(
            "category",
            T,
            "category",
            "EPR类别",
            also=("epr category", "product category", "类别", "EPR品类"),
            required=True,
            not_null=True,
            help_en="EPR category: packaging, eee (WEEE), batteries, textiles, furniture, paper, toys, "
            "sports, diy.",
            help_zh="EPR类别：包装(packaging)、电子电气(eee/WEEE)、电池(batteries)、纺织品(textiles)、家具(furniture)、"
            "纸制品(paper)、玩具(toys)、运动用品(sports)、工具园艺(diy)。",
            example="packaging",
        ),
        column(
            "epr_number",
            T,
            "epr_number",
            "EPR注册号",
            also=(
                "epr number",
                "registration number",
                "lucid number",
                "weee number",
                "idu",
                "EPR号",
                "注册号",
            ),
            required=True,
            help_en="The registration number (LUCID, WEEE-Reg.-Nr., French IDU...). Blank: a registration "
            "you need but do not hold yet.",
            help_zh="注册号（LUCID号、WEEE注册号、法国IDU等）。留空：需要注册但尚未取得。",
            example="DE1234567890123",
        ),
        column(
            "register",
            T,
            "register",
            "注册机构",
            also=("producer register", "scheme", "registry", "登记机构", "合规机构"),
            pattern=NOT_A_NUMBER,
            pattern_hint=NOT_A_NUMBER_HINT,
            help_en="The register or scheme that issued it: LUCID, stiftung ear, SYDEREP (ADEME)...",
            help_zh="发放注册号的机构或系统：LUCID、stiftung ear、SYDEREP (ADEME)等。",
            example="LUCID",
        ),
        *validity_columns("注册", from_example="2023-01-01", to_example="2026-12-31"),
        required_column(
            help_en="yes/no: do you need this registration? Blank means yes.",
            help_zh="是/否：是否必须持有该注册？留空视为是。",
        ),
    )

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [
            *self.scope_checks(ctx),
            RowCheck(
                f"{category_sql('category')} IS NULL",
                "unknown EPR category",
                column=header(ctx, "category"),
                value_sql="category",
                expected=f"one of {category_names()} (or its name, e.g. Verpackung, 包装, WEEE)",
            ),
            period_check(ctx, "valid_from", "valid_to", "the registration"),
        ]

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        country = country_sql("country")
        sql = f"""
        SELECT {country_marketplace_sql(country)} AS marketplace, _row AS source_row, {country} AS country,
               {category_sql("category")} AS category,
               NULLIF(regexp_replace({text_sql("epr_number")}, '\\s', '', 'g'), '') AS epr_number,
               {text_sql("register")} AS register, valid_from, valid_to, coalesce(required, true) AS required
        FROM {ctx.typed}
        """
        return {"epr_registrations": sql}


REPORTS = [EprRegistrations()]
