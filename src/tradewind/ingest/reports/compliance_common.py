"""What the compliance registry sheets (VAT, EPR, stock locations) share: countries, EPR categories and
validity periods, in English or Chinese.

A registry is per *country* (CZ has no marketplace, yet a pan-EU seller stores stock there), so rows
name a country, not a marketplace: an ISO code, `UK`/`EL`, or the name in English, Chinese or the local
language. A row's `marketplace` is filled from its country where Amazon has one there.
"""

from __future__ import annotations

from functools import cache

from tradewind.compliance.countries import COUNTRIES, spellings
from tradewind.ingest.reports.ops_common import (
    account_checks,
    code_sql,
    dated_column,
    header,
    unknown_check,
)
from tradewind.ingest.spec import ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.templates import TemplateField, column
from tradewind.ingest.values import Kind


def validity_columns(subject_zh: str, *, from_example: str, to_example: str) -> tuple[TemplateField, ...]:
    """The valid_from / valid_to pair every registration sheet has (`subject_zh` names the thing in the
    Chinese help: 注册, 税号)."""
    return (
        dated_column(
            "valid_from",
            Kind.DATE,
            "生效日期",
            also=("valid from", "effective from", "registered on", "注册日期"),
            help_en="First day the registration is valid:",
            help_zh=f"{subject_zh}生效的第一天：",
            example=from_example,
        ),
        dated_column(
            "valid_to",
            Kind.DATE,
            "失效日期",
            also=("valid to", "valid until", "expires", "expiry date", "到期日期", "有效期至"),
            help_en="Last day the registration is valid; blank if open-ended.",
            help_zh=f"{subject_zh}有效的最后一天；长期有效则留空。",
            example=to_example,
        ),
    )


def country_column(*, also_zh: str, help_en: str, help_zh: str, example: str) -> TemplateField:
    """The country column every registry sheet is keyed by (so filled on every row); `also_zh` is the
    Chinese header of the sheet's own subject (注册国家, 仓库国家)."""
    return column(
        "country",
        Kind.TEXT,
        "country",
        "国家",
        also=("country code", "国家代码", also_zh),
        required=True,
        not_null=True,
        help_en=help_en,
        help_zh=help_zh,
        example=example,
    )


def required_column(*, help_en: str, help_zh: str) -> TemplateField:
    """The yes/no `required` column of a registration sheet (blank: yes, the registration is needed)."""
    return column(
        "required",
        Kind.BOOLEAN,
        "required",
        "是否必需",
        also=("needed", "是否需要"),
        help_en=help_en,
        help_zh=help_zh,
        example="yes",
    )


COUNTRY_HINT = "a European country: an ISO code (DE, FR, PL, CZ, GB...) or its name (Germany, 德国)"


def country_sql(expr: str) -> str:
    """A country cell -> its ISO code; NULL for anything Tradewind does not know."""
    return code_sql(f"lower(trim({expr}))", sorted(spellings().items()))


def country_marketplace_sql(country_expr: str) -> str:
    """The Amazon marketplace of an ISO country code (GB -> UK), NULL where Amazon has none (CZ)."""
    pairs = [(c.code, c.marketplace) for c in COUNTRIES.values() if c.marketplace]
    return code_sql(country_expr, pairs)


def country_check(ctx: ImportContext, name: str = "country") -> RowCheck:
    return unknown_check(ctx, name, country_sql, "country", COUNTRY_HINT)


@cache
def _category_words() -> tuple[tuple[str, str], ...]:
    from tradewind.compliance.matrix import load_matrix

    return tuple(sorted(load_matrix().aliases().items()))


def category_sql(expr: str) -> str:
    """An EPR category cell -> its id (`Verpackung`, `包装`, `LUCID` -> `packaging`). A word the shipped
    matrix does not know is kept as an id when it looks like one (`tyres`), so a workspace matrix can add
    categories; anything else (a number) is NULL."""
    low = f"lower(trim({expr}))"
    custom = f"regexp_replace({low}, '[\\s\\-]+', '_', 'g')"
    own = f"(CASE WHEN regexp_full_match({custom}, '[a-z][a-z0-9_]*') THEN {custom} END)"
    return code_sql(low, _category_words(), otherwise=own)


def category_names() -> str:
    from tradewind.compliance.matrix import load_matrix

    return ", ".join(load_matrix().categories)


def period_check(ctx: ImportContext, start: str, end: str, what: str) -> RowCheck:
    return RowCheck(
        f"{end} < {start}",
        f"{what} ends before it starts",
        column=header(ctx, end),
        value_sql=f"CAST({end} AS VARCHAR)",
        expected=f"a day on or after {header(ctx, start)}",
    )


class RegistrySheet(Report):
    """Base of the registry sheets: no marketplace of their own (rows name countries)."""

    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        return ImportContext(job, typed)

    def scope_checks(self, ctx: ImportContext) -> list[RowCheck]:
        """Where a row belongs, checked before each sheet's own rules: a known country, our account."""
        return [country_check(ctx), *account_checks(ctx)]
