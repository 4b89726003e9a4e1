"""What the compliance registry sheets (VAT, EPR, stock locations) share: countries, EPR categories and
validity periods, in English or Chinese.

A registry is per *country* (CZ has no marketplace, yet a pan-EU seller stores stock there), so rows
name a country, not a marketplace: an ISO code, `UK`/`EL`, or the name in English, Chinese or the local
language. A row's `marketplace` is filled from its country where Amazon has one there.
"""

from __future__ import annotations

from functools import cache

from tradewind.compliance.countries import COUNTRIES, spellings
from tradewind.ingest.reports.ops_common import DATE_HELP_EN, DATE_HELP_ZH, TEMPLATE_DATES, header
from tradewind.ingest.spec import ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.templates import TemplateField, column
from tradewind.ingest.values import Kind, q


def validity_columns(subject_zh: str, *, from_example: str, to_example: str) -> tuple[TemplateField, ...]:
    """The valid_from / valid_to pair every registration sheet has (`subject_zh` names the thing in the
    Chinese help: 注册, 税号)."""
    return (
        column(
            "valid_from",
            Kind.DATE,
            "valid_from",
            "生效日期",
            also=("valid from", "effective from", "registered on", "注册日期"),
            formats=TEMPLATE_DATES,
            help_en=f"First day the registration is valid: {DATE_HELP_EN}.",
            help_zh=f"{subject_zh}生效的第一天：{DATE_HELP_ZH}。",
            example=from_example,
        ),
        column(
            "valid_to",
            Kind.DATE,
            "valid_to",
            "失效日期",
            also=("valid to", "valid until", "expires", "expiry date", "到期日期", "有效期至"),
            formats=TEMPLATE_DATES,
            help_en=f"Last day the registration is valid; blank if open-ended. {DATE_HELP_EN}.",
            help_zh=f"{subject_zh}有效的最后一天；长期有效则留空。{DATE_HELP_ZH}。",
            example=to_example,
        ),
    )


COUNTRY_HINT = "a European country: an ISO code (DE, FR, PL, CZ, GB...) or its name (Germany, 德国)"


def country_sql(expr: str) -> str:
    """A country cell -> its ISO code; NULL for anything Tradewind does not know."""
    low = f"lower(trim({expr}))"
    whens = " ".join(f"WHEN {q(text)} THEN {q(code)}" for text, code in sorted(spellings().items()))
    return f"(CASE {low} {whens} END)"


def country_marketplace_sql(country_expr: str) -> str:
    """The Amazon marketplace of an ISO country code (GB -> UK), NULL where Amazon has none (CZ)."""
    pairs = [(c.code, c.marketplace) for c in COUNTRIES.values() if c.marketplace]
    whens = " ".join(f"WHEN {q(code)} THEN {q(m)}" for code, m in pairs)
    return f"(CASE {country_expr} {whens} END)"


def country_check(ctx: ImportContext, name: str = "country") -> RowCheck:
    return RowCheck(
        f"{name} IS NOT NULL AND {country_sql(name)} IS NULL",
        "unknown country",
        column=header(ctx, name),
        value_sql=name,
        expected=COUNTRY_HINT,
    )


@cache
def _category_words() -> tuple[tuple[str, str], ...]:
    from tradewind.compliance.matrix import load_matrix

    return tuple(sorted(load_matrix().aliases().items()))


def category_sql(expr: str) -> str:
    """An EPR category cell -> its id (`Verpackung`, `包装`, `LUCID` -> `packaging`). A word the shipped
    matrix does not know is kept as an id when it looks like one (`tyres`), so a workspace matrix can add
    categories; anything else (a number) is NULL."""
    low = f"lower(trim({expr}))"
    whens = " ".join(f"WHEN {q(word)} THEN {q(cid)}" for word, cid in _category_words())
    custom = f"regexp_replace({low}, '[\\s\\-]+', '_', 'g')"
    own = f"(CASE WHEN regexp_full_match({custom}, '[a-z][a-z0-9_]*') THEN {custom} END)"
    return f"(CASE {low} {whens} ELSE {own} END)"


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
