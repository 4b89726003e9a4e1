"""The demo seller's compliance registry, with the gaps the demo plants (issue 4):

- a pan-EU seller storing stock in DE, FR, IT, ES, PL and CZ (and the UK), VAT-registered in each;
- **Italy's VAT number has a bad checksum** (a digit typed wrong);
- EPR registrations for every (country, category) pair the matrix requires for what the seller sells,
  **except French packaging** (the French IDU was never entered);
- **German packaging expires within 30 days** (the dual-system licence runs out);
- **one product's GTIN has a bad check digit** (the product catalog is the demo's; `plant_invalid_gtin`
  says which GTIN to corrupt, and the catalog writer writes the corrupted one).

`planted_gaps` lists exactly what `tradewind compliance` must report for these files as of
`spec.today`, so a test can compare the two. Registration numbers are made up with the right form and
check digits (found with python-stdnum's validators, never hand-written checksums).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from tradewind.compliance.countries import country_of_marketplace
from tradewind.compliance.matrix import EprMatrix, load_matrix
from tradewind.compliance.numbers import check_gtin, check_vat
from tradewind.demo_ops.files import write_rows
from tradewind.demo_ops.spec import OpsDemoSpec, OpsFile

#: Pan-EU storage: country -> fulfilment centre. The UK stores its own (FBA, not pan-EU).
PAN_EU_CENTRES = {"DE": "FRA3", "FR": "ORY1", "IT": "MXP5", "ES": "MAD4", "PL": "WRO2", "CZ": "PRG2"}
UK_CENTRE = "LBA1"
INVALID_VAT_COUNTRY = "IT"
MISSING_EPR = ("FR", "packaging")
EXPIRING_EPR = ("DE", "packaging")


@dataclass(frozen=True)
class GtinPlant:
    sku: str
    original: str
    corrupted: str


@dataclass(frozen=True)
class ExpectedGap:
    """One finding `tradewind compliance` must report: (account, kind, country, category, status)."""

    account: str
    kind: str
    country: str | None
    category: str | None
    status: str


def corrupt_gtin(gtin: str) -> str:
    """The same GTIN with its check digit off by one: a typo the GS1 check digit catches."""
    corrupted = gtin[:-1] + str((int(gtin[-1]) + 1) % 10)
    assert not check_gtin(corrupted).valid
    return corrupted


def plant_invalid_gtin(skus: Sequence[str], gtins: Sequence[str | None], seed: int) -> GtinPlant | None:
    """Which product's GTIN the demo catalog writes with a bad check digit (deterministic per seed)."""
    candidates = [i for i, g in enumerate(gtins) if g and check_gtin(g).valid]
    if not candidates:
        return None
    rng = np.random.default_rng([seed, 4])
    i = candidates[int(rng.integers(0, len(candidates)))]
    original = str(gtins[i])
    return GtinPlant(skus[i], original, corrupt_gtin(original))


def expiry_day(today: date, last_day: date | None = None) -> date:
    """Within the 30 days `tradewind compliance` warns about, counted from `last_day` (the day the sheets
    were exported, when given: a check of the data's last day sees it too) and from `today`: next
    month, or sooner."""
    next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    day = min(next_month + timedelta(days=9), today + timedelta(days=30))
    if last_day is not None:
        day = min(day, max(last_day + timedelta(days=30), today + timedelta(days=1)))
    return day


def eu_account(spec: OpsDemoSpec) -> str | None:
    return next((a.id for a in spec.accounts if any(country_of_marketplace(m) for m in a.marketplaces)), None)


def _digits(rng: np.random.Generator, n: int, first_nonzero: bool = True) -> str:
    text = "".join(str(int(d)) for d in rng.integers(0, 10, n))
    return (str(int(rng.integers(1, 10))) + text[1:]) if first_nonzero and n else text


def _vat_number(rng: np.random.Generator, country: str) -> str:
    """A made-up VAT number of the country's form whose check digits python-stdnum accepts: a random
    body, then the first check characters stdnum's validator takes."""
    if country == "FR":
        from stdnum.fr import siren

        for _ in range(1000):  # a SIREN (8 digits + a Luhn digit) gives the TVA number's key
            body = _digits(rng, 8)
            found = [body + str(d) for d in range(10) if siren.is_valid(body + str(d))]
            if found:
                return "FR" + siren.to_tva(found[0])
    bodies = {
        "DE": lambda: _digits(rng, 8),
        "IT": lambda: _digits(rng, 7) + f"{int(rng.integers(1, 100)):03d}",  # + a tax office code
        "ES": lambda: "B" + _digits(rng, 7),
        "PL": lambda: _digits(rng, 9),
        "CZ": lambda: _digits(rng, 7),
        "GB": lambda: _digits(rng, 7),
    }
    tails = [f"{d:02d}" for d in range(100)] if country == "GB" else [str(d) for d in range(10)]
    if country == "ES":
        tails += list("ABCDEFGHIJ")
    for _ in range(1000):
        body = bodies[country]()
        for tail in tails:
            result = check_vat(country, body + tail)
            if result.valid:
                return result.value
    raise RuntimeError(f"no valid {country} VAT number found")


def _epr_number(rng: np.random.Generator, country: str, category: str) -> str:
    if country == "DE":
        return "DE" + _digits(rng, 13 if category == "packaging" else 8)
    if country == "FR":
        letters = "".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ"), 6))
        return f"FR{_digits(rng, 6)}_{int(rng.integers(1, 20)):02d}{letters}"
    return f"{country}{_digits(rng, 10)}"


def required_pairs(spec: OpsDemoSpec, account: str, matrix: EprMatrix) -> list[tuple[str, str]]:
    """Every (country, EPR category) the matrix has in force on `today` for the account's countries
    and the categories of its products: what a careful seller registers."""
    markets = next(a.marketplaces for a in spec.accounts if a.id == account)
    countries = {c for c in (country_of_marketplace(m) for m in markets) if c}
    categories: set[str] = set()
    for product in spec.products:
        categories.update(matrix.epr_categories_of(product.category))
    if not spec.products:
        categories.update(c for c, d in matrix.categories.items() if d.every_product)
    return sorted(
        {
            (r.country, r.category)
            for r in matrix.in_force(spec.today)
            if r.country in countries and r.category in categories
        }
    )


def write_registry(folder: Path, spec: OpsDemoSpec, matrix: EprMatrix | None = None) -> list[OpsFile]:
    """Stock locations (CSV), VAT registrations and EPR registrations (XLSX, Chinese header)."""
    account = eu_account(spec)
    if account is None:
        return []
    matrix = matrix or load_matrix()
    rng = spec.rng("registry")
    since = spec.today - timedelta(days=730)
    stock = [
        {"account": account, "country": c, "location": fc, "program": "pan_eu", "stored_from": since}
        for c, fc in PAN_EU_CENTRES.items()
    ]
    stock.append(
        {"account": account, "country": "GB", "location": UK_CENTRE, "program": "fba", "stored_from": since}
    )
    vat = []
    for country in ("GB", *PAN_EU_CENTRES):
        number = _vat_number(rng, country)
        if country == INVALID_VAT_COUNTRY:
            number = number[:-1] + str((int(number[-1]) + 1) % 10)  # planted: a digit typed wrong
            assert not check_vat(country, number).valid
        vat.append({"account": account, "country": country, "vat_number": number, "valid_from": since})
    epr = []
    for country, category in required_pairs(spec, account, matrix):
        if (country, category) == MISSING_EPR:
            continue
        requirement = next(r for r in matrix.requirements if (r.country, r.category) == (country, category))
        row: dict[str, object] = {
            "account": account,
            "country": country,
            "category": category,
            "epr_number": _epr_number(rng, country, category),
            "register": requirement.register_name or None,
            "valid_from": min(requirement.from_, since),
        }
        if (country, category) == EXPIRING_EPR:
            row["valid_to"] = expiry_day(spec.today, spec.last_day)
        epr.append(row)
    options = spec.export_options(account)
    return [
        OpsFile(
            write_rows("stock_locations", folder / "stock-locations.csv", stock), "stock_locations", options
        ),
        OpsFile(
            write_rows("vat_registrations", folder / "VAT税号-registrations.xlsx", vat, lang="zh"),
            "vat_registrations",
            options,
        ),
        OpsFile(
            write_rows("epr_registrations", folder / "EPR注册-registrations.xlsx", epr, lang="zh"),
            "epr_registrations",
            options,
        ),
    ]


def planted_gaps(
    spec: OpsDemoSpec, gtin: GtinPlant | None = None, gtin_accounts: Sequence[str] = ()
) -> list[ExpectedGap]:
    """What `tradewind compliance --as-of spec.today` reports for the demo, and nothing else: the
    missing French packaging number, Italy's invalid VAT number, German packaging expiring, and the
    invalid GTIN in the catalog of every account in `gtin_accounts` (those the catalog is imported for)."""
    account = eu_account(spec)
    gaps = []
    if account is not None:
        gaps += [
            ExpectedGap(account, "epr", EXPIRING_EPR[0], EXPIRING_EPR[1], "expiring"),
            ExpectedGap(account, "epr", MISSING_EPR[0], MISSING_EPR[1], "missing"),
            ExpectedGap(account, "vat", INVALID_VAT_COUNTRY, None, "invalid"),
        ]
    if gtin is not None:
        gaps += [ExpectedGap(a, "gtin", None, None, "invalid") for a in gtin_accounts]
    return sorted(gaps, key=lambda g: (g.account, g.kind, g.country or "", g.category or ""))
