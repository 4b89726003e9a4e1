"""The compliance evaluation: for each account and country, what is required, what is held, and what is
missing, invalid, expired or expiring within 30 days, with the SKUs affected (kpis.md, EU compliance).

Required:
- **VAT** in a country where stock is stored on the day asked (the stock-locations sheet, or FBA stock
  fulfillable from that country's own centres at the latest snapshot), or that the VAT registry lists
  (a row says the seller needs it; `required = no` says it does not).
- **EPR** for a (country, category) pair the EPR matrix has in force on the day, in a country whose
  marketplace the account sells in, when a product sold there falls in the category (packaging: every
  product); or a pair the EPR registry lists.
- **GTIN**: every product catalog GTIN must pass its GS1 check digit.

Held: a registration with a number. Its status on the day: invalid (a VAT number failing its national
format or checksum), not yet valid, expired, expiring (its last valid day within 30 days), or ok. A
requirement takes the best status among its registrations; none at all is "missing".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tradewind.compliance.countries import COUNTRIES, country_of_marketplace
from tradewind.compliance.inputs import AccountInputs, Registration, read_inputs
from tradewind.compliance.matrix import EprMatrix
from tradewind.compliance.numbers import check_gtin, check_vat
from tradewind.compliance.report import AccountCompliance, ComplianceReport, Finding, Kind, Status
from tradewind.core.marketplaces import MARKETPLACES

if TYPE_CHECKING:
    import duckdb

    from tradewind.store.config import WorkspaceConfig

#: A registration whose last valid day is at most this many days after the day asked is "expiring".
EXPIRY_WINDOW_DAYS = 30
_PROGRAMS = {
    "pan_eu": "pan-EU FBA",
    "fba": "FBA",
    "efn": "EFN",
    "3pl": "3PL",
    "own": "own warehouse",
    "other": "other",
}


def holding_status(reg: Registration, as_of: date) -> tuple[Status, str]:
    """The status of one registration that has a number, on `as_of`, and the status in words."""
    if reg.category is None and reg.number:
        checked = check_vat(reg.country, reg.number)
        if not checked.valid:
            return Status.INVALID, f"not a valid {reg.country} VAT number: {checked.problem}"
    if reg.valid_from is not None and reg.valid_from > as_of:
        return Status.NOT_YET_VALID, f"valid from {reg.valid_from}"
    if reg.valid_to is not None and reg.valid_to < as_of:
        return Status.EXPIRED, f"last valid day {reg.valid_to}"
    if reg.valid_to is not None and reg.valid_to <= as_of + timedelta(days=EXPIRY_WINDOW_DAYS):
        days = (reg.valid_to - as_of).days
        return Status.EXPIRING, f"last valid day {reg.valid_to}, in {days} days"
    return Status.OK, f"valid until {reg.valid_to}" if reg.valid_to else "valid"


def _requirement(
    inputs: AccountInputs,
    kind: Kind,
    country: str,
    category: str | None,
    reasons: Sequence[str],
    held: Sequence[Registration],
    skus: Sequence[str],
    as_of: date,
    register: str = "",
) -> Finding:
    with_number = [r for r in held if r.number]
    if not with_number:
        what = "no number held" + (f" (issued by {register})" if register else "")
        return Finding(
            inputs.account_id,
            kind,
            country,
            category,
            Status.MISSING,
            tuple(reasons),
            None,
            None,
            None,
            what,
            tuple(skus),
        )
    rated = sorted(((holding_status(r, as_of), r) for r in with_number), key=lambda x: x[0][0].rank)
    (status, detail), best = rated[0]
    return Finding(
        inputs.account_id,
        kind,
        country,
        category,
        status,
        tuple(reasons),
        best.number,
        best.valid_from,
        best.valid_to,
        detail,
        tuple(skus),
    )


def _add(reasons: dict[str, list[str]], key: str, reason: str) -> None:
    found = reasons.setdefault(key, [])
    if reason not in found:
        found.append(reason)


def vat_findings(inputs: AccountInputs, as_of: date) -> list[Finding]:
    every_sku = tuple(p.sku for p in inputs.products)
    reasons: dict[str, list[str]] = {}
    skus: dict[str, set[str]] = {}
    all_skus: set[str] = set()
    for row in inputs.stock:
        name = COUNTRIES[row.country].en
        if row.source == "inventory":
            reason = f"FBA stock in {name}'s fulfilment centres (inventory snapshot {row.snapshot_date})"
        else:
            where = f"{row.location}, {name}" if row.location else name
            program = f" ({_PROGRAMS.get(row.program, row.program)})" if row.program else ""
            reason = f"stock stored in {where}{program}"
        _add(reasons, row.country, reason)
        if row.sku:
            skus.setdefault(row.country, set()).add(row.sku)
        else:
            all_skus.add(row.country)
    for reg in inputs.vat:
        if reg.required:
            _add(reasons, reg.country, "listed in the VAT registry")
    found = []
    for country in sorted(reasons):
        affected = every_sku if country in all_skus else tuple(sorted(skus.get(country, ())))
        held = [r for r in inputs.vat if r.country == country]
        found.append(_requirement(inputs, Kind.VAT, country, None, reasons[country], held, affected, as_of))
    return found


def epr_findings(inputs: AccountInputs, matrix: EprMatrix, as_of: date) -> list[Finding]:
    category_of = {p.sku: p.category for p in inputs.products}
    every_sku = tuple(p.sku for p in inputs.products)
    markets: dict[str, list[str]] = {}
    for m in inputs.marketplaces:
        country = country_of_marketplace(m)
        if country is not None:
            markets.setdefault(country, []).append(m)

    def skus_in(country: str, category: str) -> tuple[str, ...]:
        sold: set[str] = set()
        for m in markets.get(country, ()):
            sold.update(inputs.skus_sold.get(m) or every_sku)
        return tuple(sorted(s for s in sold if category in matrix.epr_categories_of(category_of.get(s))))

    reasons: dict[tuple[str, str], list[str]] = {}
    registers: dict[tuple[str, str], str] = {}
    for req in matrix.in_force(as_of):
        if req.country not in markets:
            continue
        every = matrix.categories[req.category].every_product
        if not every and not skus_in(req.country, req.category):
            continue
        domains = ", ".join(_domain(m) for m in markets[req.country])
        reasons.setdefault((req.country, req.category), []).append(
            f"sold on {domains} (required since {req.from_})"
        )
        registers[(req.country, req.category)] = req.register_name
    for reg in inputs.epr:
        if reg.required and reg.category:
            found = reasons.setdefault((reg.country, reg.category), [])
            if "listed in the EPR registry" not in found:
                found.append("listed in the EPR registry")
    out = []
    for country, category in sorted(reasons):
        held = [r for r in inputs.epr if r.country == country and r.category == category]
        affected = skus_in(country, category)
        out.append(
            _requirement(
                inputs,
                Kind.EPR,
                country,
                category,
                reasons[(country, category)],
                held,
                affected,
                as_of,
                registers.get((country, category), ""),
            )
        )
    return out


def _domain(marketplace: str) -> str:
    domain = MARKETPLACES[marketplace].amazon_domain
    return domain[:1].upper() + domain[1:]


def gtin_findings(inputs: AccountInputs) -> list[Finding]:
    found = []
    for p in inputs.products:
        if not p.gtin:
            continue
        checked = check_gtin(p.gtin)
        if not checked.valid:
            found.append(
                Finding(
                    inputs.account_id,
                    Kind.GTIN,
                    None,
                    None,
                    Status.INVALID,
                    ("GTINs must pass the GS1 check digit (Amazon rejects invalid ones)",),
                    p.gtin,
                    None,
                    None,
                    str(checked.problem),
                    (p.sku,),
                )
            )
    return found


def _ratio(met: int, total: int) -> float | None:
    return met / total if total else None


def compliance_kpis(
    inputs: AccountInputs, vat: Sequence[Finding], epr: Sequence[Finding], as_of: date
) -> dict[str, float | int | None]:
    """kpis.md, EU compliance, over one account on `as_of`."""
    met = (Status.OK, Status.EXPIRING)
    gtins = [p.gtin for p in inputs.products if p.gtin]
    numbers = [r for r in inputs.vat if r.number]
    horizon = as_of + timedelta(days=EXPIRY_WINDOW_DAYS)
    expiring = [
        r
        for r in (*inputs.vat, *inputs.epr)
        if r.number and r.valid_to is not None and as_of <= r.valid_to <= horizon
    ]
    return {
        "vat_coverage": _ratio(sum(1 for f in vat if f.status in met), len(vat)),
        "epr_coverage": _ratio(sum(1 for f in epr if f.status in met), len(epr)),
        "ean_validity_rate": _ratio(sum(1 for g in gtins if check_gtin(g).valid), len(gtins)),
        "vat_number_validity": _ratio(
            sum(1 for r in numbers if check_vat(r.country, r.number or "").valid), len(numbers)
        ),
        "compliance_expiring_30d": len(expiring),
    }


def evaluate_account(inputs: AccountInputs, matrix: EprMatrix, as_of: date) -> AccountCompliance:
    vat = vat_findings(inputs, as_of)
    epr = epr_findings(inputs, matrix, as_of)
    findings = sorted(
        [*vat, *epr],
        key=lambda f: (f.country or "", 0 if f.kind is Kind.VAT else 1, f.category or ""),
    )
    findings += gtin_findings(inputs)
    return AccountCompliance(inputs.account_id, tuple(findings), compliance_kpis(inputs, vat, epr, as_of))


def evaluate_workspace(
    con: duckdb.DuckDBPyConnection,
    config: WorkspaceConfig,
    matrix: EprMatrix,
    as_of: date,
    account_ids: Sequence[str] | None = None,
) -> ComplianceReport:
    """Every account of the workspace (or those named), evaluated on `as_of`."""
    accounts = [a for a in config.accounts if account_ids is None or a.id in account_ids]
    results = tuple(
        evaluate_account(read_inputs(con, a.id, a.marketplaces, as_of), matrix, as_of) for a in accounts
    )
    return ComplianceReport(as_of, matrix.reviewed, matrix.sources, results)
