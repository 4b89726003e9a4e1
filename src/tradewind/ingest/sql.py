"""Small SQL builders that several report modules share (marketplace look-ups, tax conventions)."""

from __future__ import annotations

from tradewind.core.marketplaces import MARKETPLACES
from tradewind.ingest.values import q


def marketplace_from_domain_sql(expr: str, fallback: str | None) -> str:
    """`Amazon.de` / `www.amazon.de` / `amazon.de` -> `DE`; anything else -> the fallback code (or NULL)."""
    cleaned = f"regexp_replace(lower(trim({expr})), '^(https?://)?(www\\.)?', '')"
    whens = " ".join(f"WHEN {q(m.amazon_domain)} THEN {q(m.code)}" for m in MARKETPLACES.values())
    return f"(CASE {cleaned} {whens} ELSE {q(fallback) if fallback else 'NULL'} END)"


def marketplace_from_country_sql(expr: str) -> str:
    """An ISO country code (GB counts as UK) -> the marketplace code, when Tradewind knows one."""
    up = f"upper(trim({expr}))"
    whens = " ".join(f"WHEN {q(m.country)} THEN {q(m.code)}" for m in MARKETPLACES.values())
    return f"(CASE {up} {whens} ELSE NULL END)"


def tax_included_sql(marketplace_expr: str) -> str:
    """True where the marketplace's prices include VAT (EU, UK, ...), false where tax is added (US, CA)."""
    incl = ", ".join(q(m.code) for m in MARKETPLACES.values() if m.prices_include_tax)
    return f"coalesce({marketplace_expr} IN ({incl}), false)"
