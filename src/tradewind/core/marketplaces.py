"""Marketplaces and regions: codes, time zones, currencies, tax conventions, Amazon domains and ids.

Facts are dated in their marketplace's local time zone (kpis.md, Conventions). The defaults here
can be overridden per workspace (config `[timezones]`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tradewind.core.errors import TradewindError


class Region(StrEnum):
    NA = "NA"
    EU = "EU"
    UK = "UK"
    FE = "FE"
    OTHER = "OTHER"


class DecimalStyle(StrEnum):
    """How a marketplace's Seller Central writes decimals: `1,234.56` (dot) or `1.234,56` (comma)."""

    DOT = "dot"
    COMMA = "comma"


@dataclass(frozen=True)
class Marketplace:
    code: str
    name: str
    region: Region
    timezone: str
    currency: str
    amazon_domain: str
    amazon_id: str
    prices_include_tax: bool
    decimal_style: DecimalStyle
    country: str


_M = Marketplace
MARKETPLACES: dict[str, Marketplace] = {
    m.code: m
    for m in (
        _M(
            "US",
            "United States",
            Region.NA,
            "America/Los_Angeles",
            "USD",
            "amazon.com",
            "ATVPDKIKX0DER",
            False,
            DecimalStyle.DOT,
            "US",
        ),
        _M(
            "CA",
            "Canada",
            Region.NA,
            "America/Los_Angeles",
            "CAD",
            "amazon.ca",
            "A2EUQ1WTGCTBG2",
            False,
            DecimalStyle.DOT,
            "CA",
        ),
        _M(
            "MX",
            "Mexico",
            Region.NA,
            "America/Los_Angeles",
            "MXN",
            "amazon.com.mx",
            "A1AM78C64UM0Y8",
            True,
            DecimalStyle.DOT,
            "MX",
        ),
        _M(
            "UK",
            "United Kingdom",
            Region.UK,
            "Europe/London",
            "GBP",
            "amazon.co.uk",
            "A1F83G8C2ARO7P",
            True,
            DecimalStyle.DOT,
            "GB",
        ),
        _M(
            "DE",
            "Germany",
            Region.EU,
            "Europe/Berlin",
            "EUR",
            "amazon.de",
            "A1PA6795UKMFR9",
            True,
            DecimalStyle.COMMA,
            "DE",
        ),
        _M(
            "FR",
            "France",
            Region.EU,
            "Europe/Paris",
            "EUR",
            "amazon.fr",
            "A13V1IB3VIYZZH",
            True,
            DecimalStyle.COMMA,
            "FR",
        ),
        _M(
            "IT",
            "Italy",
            Region.EU,
            "Europe/Rome",
            "EUR",
            "amazon.it",
            "APJ6JRA9NG5V4",
            True,
            DecimalStyle.COMMA,
            "IT",
        ),
        _M(
            "ES",
            "Spain",
            Region.EU,
            "Europe/Madrid",
            "EUR",
            "amazon.es",
            "A1RKKUPIHCS9HS",
            True,
            DecimalStyle.COMMA,
            "ES",
        ),
        _M(
            "NL",
            "Netherlands",
            Region.EU,
            "Europe/Amsterdam",
            "EUR",
            "amazon.nl",
            "A1805IZSGTT6HS",
            True,
            DecimalStyle.COMMA,
            "NL",
        ),
        _M(
            "BE",
            "Belgium",
            Region.EU,
            "Europe/Brussels",
            "EUR",
            "amazon.com.be",
            "AMEN7PMS3EDWL",
            True,
            DecimalStyle.COMMA,
            "BE",
        ),
        _M(
            "PL",
            "Poland",
            Region.EU,
            "Europe/Warsaw",
            "PLN",
            "amazon.pl",
            "A1C3SOZRARQ6R3",
            True,
            DecimalStyle.COMMA,
            "PL",
        ),
        _M(
            "SE",
            "Sweden",
            Region.EU,
            "Europe/Stockholm",
            "SEK",
            "amazon.se",
            "A2NODRKZP88ZB9",
            True,
            DecimalStyle.COMMA,
            "SE",
        ),
        _M(
            "IE",
            "Ireland",
            Region.EU,
            "Europe/Dublin",
            "EUR",
            "amazon.ie",
            "A28R8C7NBKEWEA",
            True,
            DecimalStyle.DOT,
            "IE",
        ),
        _M(
            "TR",
            "Turkey",
            Region.EU,
            "Europe/Istanbul",
            "TRY",
            "amazon.com.tr",
            "A33AVAJ2PDY3EV",
            True,
            DecimalStyle.COMMA,
            "TR",
        ),
        _M(
            "JP",
            "Japan",
            Region.FE,
            "Asia/Tokyo",
            "JPY",
            "amazon.co.jp",
            "A1VC38T7YXB528",
            True,
            DecimalStyle.DOT,
            "JP",
        ),
        _M(
            "AU",
            "Australia",
            Region.FE,
            "Australia/Sydney",
            "AUD",
            "amazon.com.au",
            "A39IBJ37TRP1C6",
            True,
            DecimalStyle.DOT,
            "AU",
        ),
        _M(
            "IN",
            "India",
            Region.FE,
            "Asia/Kolkata",
            "INR",
            "amazon.in",
            "A21TJRUUN4KGV",
            True,
            DecimalStyle.DOT,
            "IN",
        ),
    )
}

_BY_AMAZON_ID = {m.amazon_id: m for m in MARKETPLACES.values()}
_BY_DOMAIN = {m.amazon_domain: m for m in MARKETPLACES.values()}
_ALIASES = {"GB": "UK"}

#: Currency symbols that name one currency without doubt. `$` is USD only when nothing says otherwise
#: (CA$ / A$ / MX$ are written with their prefix by Amazon).
CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "USD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
    "zł": "PLN",
    "kr": "SEK",
    "CA$": "CAD",
    "C$": "CAD",
    "A$": "AUD",
    "MX$": "MXN",
    "US$": "USD",
}


class UnknownMarketplace(TradewindError):
    pass


def marketplace(code: str) -> Marketplace:
    """Look up a marketplace by code (`DE`), Amazon domain (`Amazon.de`, `www.amazon.de`) or Amazon id."""
    found = find_marketplace(code)
    if found is None:
        known = ", ".join(sorted(MARKETPLACES))
        raise UnknownMarketplace(f"unknown marketplace {code!r}; known marketplaces: {known}")
    return found


def find_marketplace(value: str | None) -> Marketplace | None:
    if not value:
        return None
    text = value.strip()
    upper = _ALIASES.get(text.upper(), text.upper())
    if upper in MARKETPLACES:
        return MARKETPLACES[upper]
    if text in _BY_AMAZON_ID:
        return _BY_AMAZON_ID[text]
    domain = text.lower().removeprefix("https://").removeprefix("http://").removeprefix("www.").strip("/")
    return _BY_DOMAIN.get(domain)


def marketplaces_for_currency(currency: str) -> list[Marketplace]:
    return [m for m in MARKETPLACES.values() if m.currency == currency.upper()]
