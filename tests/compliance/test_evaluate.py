"""The compliance evaluation over hand-made records: what is required where, what is held, the status on
the day asked, the SKUs affected, and the EU-compliance KPIs (kpis.md), each worked out by hand."""

from __future__ import annotations

from datetime import date

from tradewind.compliance.evaluate import evaluate_account
from tradewind.compliance.inputs import AccountInputs, Product, Registration, StockRow
from tradewind.compliance.matrix import load_matrix
from tradewind.compliance.report import Kind, Status

AS_OF = date(2026, 3, 1)
MATRIX = load_matrix()


def _vat(
    country: str, number: str | None, valid_to: date | None = None, required: bool = True
) -> Registration:
    return Registration(country, None, number, date(2024, 1, 1), valid_to, required)


def _epr(
    country: str,
    category: str,
    number: str | None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Registration:
    return Registration(country, category, number, valid_from, valid_to, True)


def _inputs(**kw: object) -> AccountInputs:
    base: dict[str, object] = {
        "account_id": "acme-eu",
        "marketplaces": (),
        "skus_sold": {},
        "products": (),
        "stock": (),
        "vat": (),
        "epr": (),
    }
    base.update(kw)
    return AccountInputs(**base)  # type: ignore[arg-type]


def _summary(findings: tuple[object, ...]) -> list[tuple[object, ...]]:
    return [(f.kind.value, f.country, f.category, f.status.value, f.skus) for f in findings]  # type: ignore[attr-defined]


def test_pan_eu_seller_storing_stock_in_poland_and_czechia() -> None:
    """Pan-EU FBA stores stock in DE, FR, IT, ES, PL and CZ; VAT is held in the first four only."""
    stock = tuple(
        StockRow(c, fc, "pan_eu", None)
        for c, fc in (
            ("DE", "FRA3"),
            ("FR", "ORY1"),
            ("IT", "MXP5"),
            ("ES", "MAD4"),
            ("PL", "WRO2"),
            ("CZ", "PRG2"),
        )
    )
    inputs = _inputs(
        products=(Product("S1", "Kitchen", None), Product("S2", "Kitchen", None)),
        stock=stock,
        vat=(
            _vat("DE", "DE136695976"),
            _vat("FR", "FR40303265045"),
            _vat("IT", "IT00743110157"),
            _vat("ES", "ESB58378431"),
        ),
    )
    result = evaluate_account(inputs, MATRIX, AS_OF)
    assert _summary(result.findings) == [
        ("vat", "CZ", None, "missing", ("S1", "S2")),
        ("vat", "DE", None, "ok", ("S1", "S2")),
        ("vat", "ES", None, "ok", ("S1", "S2")),
        ("vat", "FR", None, "ok", ("S1", "S2")),
        ("vat", "IT", None, "ok", ("S1", "S2")),
        ("vat", "PL", None, "missing", ("S1", "S2")),
    ]
    cz = result.findings[0]
    assert cz.required_because == ("stock stored in PRG2, Czech Republic (pan-EU FBA)",)
    assert cz.unmet and result.unmet
    # vat_coverage = 4 countries with a valid registration / 6 countries storing stock
    assert result.kpis["vat_coverage"] == 4 / 6
    assert result.kpis["vat_number_validity"] == 1.0  # 4 valid / 4 held


def test_vat_from_fba_stock_and_from_the_registry() -> None:
    inputs = _inputs(
        products=(Product("S1", None, None),),
        stock=(StockRow("FR", None, "fba", "S1", source="inventory", snapshot_date=date(2026, 2, 27)),),
        vat=(_vat("IT", None), _vat("GB", "GB980780684", required=False)),
    )
    result = evaluate_account(inputs, MATRIX, AS_OF)
    assert _summary(result.findings) == [
        ("vat", "FR", None, "missing", ("S1",)),
        ("vat", "IT", None, "missing", ()),
    ]
    assert result.findings[0].required_because == (
        "FBA stock in France's fulfilment centres (inventory snapshot 2026-02-27)",
    )
    assert result.findings[1].required_because == ("listed in the VAT registry",)
    assert result.kpis["vat_coverage"] == 0.0
    assert result.kpis["vat_number_validity"] == 1.0  # the GB number is held (not required) and valid


def test_epr_pairs_required_by_the_products_sold_there() -> None:
    """DE and FR need packaging for every product; eee only where an electrical product is sold; FR toys
    only if a toy is sold in FR (S3 is sold in DE only)."""
    inputs = _inputs(
        marketplaces=("DE", "FR", "IT"),
        skus_sold={"DE": ("S1", "S2", "S3"), "FR": ("S1", "S2")},
        products=(
            Product("S1", "Electronics", None),
            Product("S2", "Kitchen", None),
            Product("S3", "Toys", None),
        ),
        epr=(
            _epr("DE", "packaging", "DE1234567890123", date(2022, 6, 1)),
            _epr("DE", "eee", "DE12345678", date(2023, 1, 1), date(2026, 3, 20)),  # 19 days left
            _epr("FR", "eee", "FR123456_01ABCD", date(2022, 1, 1), date(2026, 2, 28)),  # ended yesterday
            _epr("AT", "packaging", None),  # marked required in the registry, not held
        ),
    )
    result = evaluate_account(inputs, MATRIX, AS_OF)
    assert _summary(result.findings) == [
        ("epr", "AT", "packaging", "missing", ()),
        ("epr", "DE", "eee", "expiring", ("S1",)),
        ("epr", "DE", "packaging", "ok", ("S1", "S2", "S3")),
        ("epr", "FR", "eee", "expired", ("S1",)),
        ("epr", "FR", "packaging", "missing", ("S1", "S2")),
    ]
    de_eee = result.findings[1]
    assert de_eee.detail == "last valid day 2026-03-20, in 19 days"
    assert not de_eee.unmet
    assert result.findings[4].required_because == ("sold on Amazon.fr (required since 2022-01-01)",)
    assert result.findings[4].detail.startswith("no number held (issued by ADEME SYDEREP")
    # epr_coverage = (DE packaging ok + DE eee expiring but valid) / 5 pairs required
    assert result.kpis["epr_coverage"] == 2 / 5
    # compliance_expiring_30d: DE eee ends 2026-03-20, within 30 days; FR eee already ended
    assert result.kpis["compliance_expiring_30d"] == 1


def test_a_marketplace_without_sales_data_counts_every_catalog_sku() -> None:
    inputs = _inputs(
        marketplaces=("FR",),
        products=(Product("S1", "Lighting", None), Product("S2", "Kitchen", None)),
    )
    result = evaluate_account(inputs, MATRIX, AS_OF)
    assert _summary(result.findings) == [
        ("epr", "FR", "eee", "missing", ("S1",)),
        ("epr", "FR", "packaging", "missing", ("S1", "S2")),
    ]


def test_statuses_of_a_held_registration() -> None:
    inputs = _inputs(
        vat=(
            Registration("DE", None, "DE136695976", date(2026, 3, 2), None, True),  # from tomorrow
            Registration("FR", None, "FR40303265045", None, date(2026, 3, 31), True),  # 30 days left
            Registration("IT", None, "IT00743110157", None, date(2026, 4, 1), True),  # 31 days left
            Registration("ES", None, "ESB58378432", None, None, True),  # bad check digit
            Registration("PL", None, "PL8567346215", None, date(2026, 3, 1), True),  # its last day is today
        ),
    )
    result = evaluate_account(inputs, MATRIX, AS_OF)
    assert [(f.country, f.status, f.detail) for f in result.findings] == [
        ("DE", Status.NOT_YET_VALID, "valid from 2026-03-02"),
        ("ES", Status.INVALID, "not a valid ES VAT number: the check digits do not match"),
        ("FR", Status.EXPIRING, "last valid day 2026-03-31, in 30 days"),
        ("IT", Status.OK, "valid until 2026-04-01"),
        ("PL", Status.EXPIRING, "last valid day 2026-03-01, in 0 days"),
    ]
    # vat_coverage = (FR + IT + PL) / 5; vat_number_validity = 4 valid / 5 held
    assert result.kpis["vat_coverage"] == 3 / 5
    assert result.kpis["vat_number_validity"] == 4 / 5
    assert result.kpis["compliance_expiring_30d"] == 2  # FR (03-31) and PL (03-01); IT (04-01) is 31 days out


def test_the_best_registration_of_a_country_counts() -> None:
    inputs = _inputs(
        vat=(
            Registration("DE", None, "DE136695978", None, None, True),  # a typo
            Registration("DE", None, "DE136695976", None, None, True),
        ),
    )
    result = evaluate_account(inputs, MATRIX, AS_OF)
    assert [(f.status, f.held) for f in result.findings] == [(Status.OK, "DE136695976")]
    assert result.kpis["vat_number_validity"] == 1 / 2


def test_gtins_with_a_bad_check_digit() -> None:
    inputs = _inputs(
        products=(
            Product("S1", None, "4006381333931"),  # GTIN-13
            Product("S2", None, "96385074"),  # GTIN-8
            Product("S3", None, "10012345678903"),  # GTIN-14, check digit should be 2
            Product("S4", None, None),  # no GTIN: not counted
        ),
    )
    result = evaluate_account(inputs, MATRIX, AS_OF)
    assert [(f.kind, f.status, f.held, f.skus, f.detail) for f in result.findings] == [
        (Kind.GTIN, Status.INVALID, "10012345678903", ("S3",), "the GS1 check digit does not match")
    ]
    assert result.kpis["ean_validity_rate"] == 2 / 3
    assert result.kpis["vat_coverage"] is None  # nothing required: no data, not 100 %
