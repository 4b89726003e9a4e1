"""How the demo seller does business in each marketplace: size, prices, tax, customers, warehouses.

Numbers are made up but kept in realistic proportions for a mid-size Chinese home & outdoor brand:
the US is the main market, Germany and the UK follow, the rest are small. Prices are set per
marketplace from a US list price (EU/UK prices include VAT, so they are higher in local currency).
"""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.core.marketplaces import MARKETPLACES, Marketplace
from tradewind.store.config import Account


@dataclass(frozen=True)
class Destination:
    """Where orders of a marketplace ship to: country, state/region, city, postal code, sales tax/VAT."""

    country: str
    state: str
    city: str
    postal_code: str
    tax_rate: float
    weight: float


@dataclass(frozen=True)
class MarketProfile:
    code: str
    account: str
    #: Relative size (US = 1).
    weight: float
    #: Local list price per USD of US list price (includes VAT where prices do).
    price_factor: float
    #: VAT included in prices (EU/UK), or None where sales tax is added on top (US/CA).
    vat: float | None
    #: Share of the catalog listed in this marketplace.
    listed_share: float
    #: Share of listed SKUs that run Sponsored Products.
    advertised_share: float
    b2b_share: float
    fbm_share: float
    #: Sessions per ordered unit (inverse conversion) around which SKUs scatter.
    sessions_per_unit: float
    fulfillment_centers: tuple[str, ...]
    destinations: tuple[Destination, ...]
    #: Subscription fee per month in local currency (settlement "other" line; 0: paid elsewhere).
    subscription_fee_cents: int
    #: The FBA stock this marketplace sells from: its own, or (EFN) another marketplace's.
    pool: str

    @property
    def marketplace(self) -> Marketplace:
        return MARKETPLACES[self.code]

    @property
    def currency(self) -> str:
        return self.marketplace.currency

    @property
    def timezone(self) -> str:
        return self.marketplace.timezone

    @property
    def sales_channel(self) -> str:
        domain = self.marketplace.amazon_domain
        return "Amazon." + domain.removeprefix("amazon.")


_D = Destination
NA_ACCOUNT = "demo-na"
EU_ACCOUNT = "demo-eu"
SHOP_ACCOUNT = "demo-shop"

MARKETS: tuple[MarketProfile, ...] = (
    MarketProfile(
        "US",
        NA_ACCOUNT,
        1.0,
        1.0,
        None,
        1.0,
        0.3,
        0.06,
        0.02,
        9.0,
        ("PHX7", "ONT8", "LGB8", "MDW2", "SBD1", "ABE8"),
        (
            _D("US", "CA", "Los Angeles", "90012", 0.095, 0.16),
            _D("US", "TX", "Houston", "77002", 0.0825, 0.12),
            _D("US", "NY", "Brooklyn", "11201", 0.08875, 0.10),
            _D("US", "FL", "Orlando", "32801", 0.065, 0.09),
            _D("US", "IL", "Chicago", "60601", 0.1025, 0.07),
            _D("US", "PA", "Philadelphia", "19103", 0.08, 0.06),
            _D("US", "OH", "Columbus", "43215", 0.075, 0.05),
            _D("US", "GA", "Atlanta", "30303", 0.089, 0.05),
            _D("US", "WA", "Seattle", "98101", 0.1035, 0.05),
            _D("US", "NC", "Charlotte", "28202", 0.0725, 0.05),
            _D("US", "AZ", "Phoenix", "85004", 0.086, 0.05),
            _D("US", "CO", "Denver", "80202", 0.0881, 0.05),
            _D("US", "OR", "Portland", "97201", 0.0, 0.04),
            _D("US", "NJ", "Newark", "07102", 0.06625, 0.06),
        ),
        3999,
        "US",
    ),
    MarketProfile(
        "CA",
        NA_ACCOUNT,
        0.10,
        1.42,
        None,
        0.6,
        0.1,
        0.03,
        0.0,
        10.0,
        ("YYZ4", "YVR3", "YYC1", "YOW1"),
        (
            _D("CA", "ON", "Toronto", "M5V 2T6", 0.13, 0.42),
            _D("CA", "QC", "Montréal", "H2Y 1C6", 0.14975, 0.20),
            _D("CA", "BC", "Vancouver", "V6B 1A1", 0.12, 0.18),
            _D("CA", "AB", "Calgary", "T2P 1J9", 0.05, 0.14),
            _D("CA", "NS", "Halifax", "B3J 1A1", 0.15, 0.06),
        ),
        0,
        "CA",
    ),
    MarketProfile(
        "UK",
        EU_ACCOUNT,
        0.28,
        0.95,
        0.20,
        0.75,
        0.15,
        0.05,
        0.0,
        9.5,
        ("LBA1", "BHX4", "MAN1", "EUK5", "LCY2"),
        (
            _D("GB", "Greater London", "London", "SE1 7PB", 0.20, 0.35),
            _D("GB", "West Midlands", "Birmingham", "B1 1BB", 0.20, 0.15),
            _D("GB", "Greater Manchester", "Manchester", "M1 1AE", 0.20, 0.15),
            _D("GB", "West Yorkshire", "Leeds", "LS1 4DY", 0.20, 0.12),
            _D("GB", "Bristol", "Bristol", "BS1 4DJ", 0.20, 0.12),
            _D("GB", "Lothian", "Edinburgh", "EH1 1YZ", 0.20, 0.11),
        ),
        0,
        "UK",
    ),
    MarketProfile(
        "DE",
        EU_ACCOUNT,
        0.32,
        1.12,
        0.19,
        0.85,
        0.15,
        0.07,
        0.0,
        10.5,
        ("DTM2", "LEJ1", "FRA3", "MUC3", "BER3", "HAM2"),
        (
            _D("DE", "Berlin", "Berlin", "10115", 0.19, 0.16),
            _D("DE", "Bayern", "München", "80331", 0.19, 0.18),
            _D("DE", "Hamburg", "Hamburg", "20095", 0.19, 0.12),
            _D("DE", "Nordrhein-Westfalen", "Köln", "50667", 0.19, 0.22),
            _D("DE", "Hessen", "Frankfurt am Main", "60311", 0.19, 0.12),
            _D("DE", "Baden-Württemberg", "Stuttgart", "70173", 0.19, 0.15),
            _D("AT", "Wien", "Wien", "1010", 0.20, 0.05),
        ),
        3900,
        "DE",
    ),
    MarketProfile(
        "FR",
        EU_ACCOUNT,
        0.14,
        1.14,
        0.20,
        0.6,
        0.08,
        0.03,
        0.0,
        11.0,
        ("ORY1", "LIL1", "MRS1", "LYS1"),
        (
            _D("FR", "Île-de-France", "Paris", "75001", 0.20, 0.35),
            _D("FR", "Auvergne-Rhône-Alpes", "Lyon", "69002", 0.20, 0.18),
            _D("FR", "Provence-Alpes-Côte d'Azur", "Marseille", "13001", 0.20, 0.15),
            _D("FR", "Occitanie", "Toulouse", "31000", 0.20, 0.14),
            _D("FR", "Hauts-de-France", "Lille", "59000", 0.20, 0.13),
            _D("BE", "Bruxelles", "Bruxelles", "1000", 0.21, 0.05),
        ),
        0,
        "DE",
    ),
    MarketProfile(
        "IT",
        EU_ACCOUNT,
        0.11,
        1.16,
        0.22,
        0.6,
        0.08,
        0.03,
        0.0,
        11.0,
        ("MXP5", "FCO1", "TRN1", "BLQ1"),
        (
            _D("IT", "MI", "Milano", "20121", 0.22, 0.30),
            _D("IT", "RM", "Roma", "00184", 0.22, 0.28),
            _D("IT", "TO", "Torino", "10121", 0.22, 0.15),
            _D("IT", "NA", "Napoli", "80133", 0.22, 0.15),
            _D("IT", "BO", "Bologna", "40121", 0.22, 0.12),
        ),
        0,
        "DE",
    ),
    MarketProfile(
        "ES",
        EU_ACCOUNT,
        0.09,
        1.13,
        0.21,
        0.6,
        0.08,
        0.03,
        0.0,
        11.0,
        ("MAD4", "BCN1", "SVQ1"),
        (
            _D("ES", "Madrid", "Madrid", "28013", 0.21, 0.35),
            _D("ES", "Barcelona", "Barcelona", "08002", 0.21, 0.30),
            _D("ES", "Valencia", "Valencia", "46002", 0.21, 0.15),
            _D("ES", "Sevilla", "Sevilla", "41001", 0.21, 0.12),
            _D("ES", "Málaga", "Málaga", "29015", 0.21, 0.08),
        ),
        0,
        "DE",
    ),
)

MARKET_CODES: tuple[str, ...] = tuple(m.code for m in MARKETS)
#: FBA stock pools: the NA marketplaces and the UK hold their own stock; DE stock serves FR, IT and ES
#: through the European Fulfilment Network (EFN), as many Chinese sellers run it.
POOLS: tuple[str, ...] = tuple(dict.fromkeys(m.pool for m in MARKETS))


def market(code: str) -> MarketProfile:
    return next(m for m in MARKETS if m.code == code)


def markets_of(account: str) -> tuple[MarketProfile, ...]:
    return tuple(m for m in MARKETS if m.account == account)


#: The demo workspace's accounts: a unified NA and a unified EU Seller Central account, and a Shopify store.
ACCOUNTS = (
    Account(
        id=NA_ACCOUNT,
        name="Qingmu NA (Amazon.com, Amazon.ca)",
        marketplaces=tuple(m.code for m in markets_of(NA_ACCOUNT)),
    ),
    Account(
        id=EU_ACCOUNT,
        name="Qingmu EU (Amazon UK, DE, FR, IT, ES)",
        marketplaces=tuple(m.code for m in markets_of(EU_ACCOUNT)),
    ),
    Account(id=SHOP_ACCOUNT, name="Qingmu Shopify store (US)", platform="shopify", marketplaces=("US",)),
)
