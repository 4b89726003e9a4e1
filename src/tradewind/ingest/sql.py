"""Small SQL builders that several report modules share (marketplace look-ups, tax conventions)."""

from __future__ import annotations

from tradewind.core.marketplaces import MARKETPLACES
from tradewind.ingest.values import lookup_sql, q


def domain_marketplace_sql(expr: str) -> str:
    """`Amazon.de` / `www.amazon.de` / `https://amazon.de` -> `DE`; anything else -> NULL."""
    domains = {m.amazon_domain: m.code for m in MARKETPLACES.values()}
    # Reports write the bare domain: look that up first, and strip a scheme or `www.` (a regular
    # expression per row) only from what it does not find.
    exact = lookup_sql(domains, f"lower({expr})")
    stripped = lookup_sql(domains, rf"regexp_replace(lower(trim({expr})), '^(https?://)?(www\.)?', '')")
    return f"coalesce({exact}, {stripped})"


def marketplace_from_domain_sql(expr: str, fallback: str | None) -> str:
    """The marketplace of an Amazon domain, or the fallback code (or NULL) for anything else."""
    return f"coalesce({domain_marketplace_sql(expr)}, {q(fallback) if fallback else 'NULL'})"


def marketplace_from_country_sql(expr: str) -> str:
    """An ISO country code (GB counts as UK) -> the marketplace code, when Tradewind knows one."""
    countries = {m.country: m.code for m in MARKETPLACES.values()} | {"UK": "UK"}
    return lookup_sql(countries, f"upper(trim({expr}))")


def currency_of_marketplace_sql(expr: str) -> str:
    """The marketplace's own currency (NULL for an unknown code)."""
    return lookup_sql({m.code: m.currency for m in MARKETPLACES.values()}, expr)


def tax_included_sql(marketplace_expr: str) -> str:
    """True where the marketplace's prices include VAT (EU, UK, ...), false where tax is added (US, CA)."""
    incl = ", ".join(q(m.code) for m in MARKETPLACES.values() if m.prices_include_tax)
    return f"coalesce({marketplace_expr} IN ({incl}), false)"
