"""The operations and compliance demo: deterministic real-format files, the planted stories, and
`tradewind compliance` listing exactly the planted gaps (issue 4, "Done when")."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from stdnum import ean

from tests.compliance.sheets import rows_of
from tradewind.app import Workspace
from tradewind.demo_ops import (
    OpsAccount,
    OpsDemoSpec,
    OpsProduct,
    plant_invalid_gtin,
    planted_gaps,
    slipping_launch,
    write_all,
)
from tradewind.demo_ops.files import write_rows
from tradewind.ingest.spec import ImportOptions
from tradewind.store.config import Account

TODAY = date(2026, 4, 2)
LAST_DAY = date(2026, 3, 31)
CATEGORIES = ("Outdoor Lighting", "Camping", "Garden", "Kitchen", "Home Décor")
ACCOUNTS = (OpsAccount("demo-na", ("US", "CA")), OpsAccount("demo-eu", ("UK", "DE", "FR", "IT", "ES")))


def _gtin(n: int) -> str:
    body = f"697541200{n:03d}"
    return body + ean.calc_check_digit(body)


PRODUCTS = tuple(
    OpsProduct(
        f"SKU-{i:02d}",
        f"B0DEMO{i:04d}",
        CATEGORIES[i % len(CATEGORIES)],
        ("Li Na", "Wang Fang", "Zhang Wei")[i % 3],
        _gtin(i),
        date(2025, 1, 6) + timedelta(days=15 * i),
    )
    for i in range(30)
)
SPEC = OpsDemoSpec(ACCOUNTS, PRODUCTS, seed=20240716, today=TODAY, last_day=LAST_DAY)


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_same_spec_writes_the_same_bytes(tmp_path: Path) -> None:
    write_all(tmp_path / "a", SPEC)
    write_all(tmp_path / "b", SPEC)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert len(_digests(tmp_path / "a")) == 11


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """Every ops file imported as the demo imports it, plus a catalog with the planted invalid GTIN."""
    folder = tmp_path_factory.mktemp("ops-demo")
    ws = Workspace.init(
        folder / "ws", accounts=[Account(id=a.id, name=a.id, marketplaces=a.marketplaces) for a in ACCOUNTS]
    )
    plant = plant_invalid_gtin([p.sku for p in PRODUCTS], [p.gtin for p in PRODUCTS], SPEC.seed)
    assert plant is not None
    catalog = [
        {
            "sku": p.sku,
            "category": p.category,
            "owner": p.owner,
            "gtin": plant.corrupted if p.sku == plant.sku else p.gtin,
        }
        for p in PRODUCTS
    ]
    products = write_rows("products", folder / "products.csv", catalog)
    for account in ACCOUNTS:
        ws.import_file(products, ImportOptions(account=account.id))
    for f in write_all(folder / "reports", SPEC):
        ws.import_file(f.path, f.options)
    yield ws
    ws.close()


def test_tickets_in_five_languages_with_a_french_backlog(demo: Workspace) -> None:
    languages = {lang for (lang,) in rows_of(demo, "SELECT DISTINCT language FROM cs_tickets")}
    assert {"en", "de", "fr", "it", "es"} <= languages
    # Within 24 h over the backlog's days (the last 12 before the export), by marketplace:
    rates = dict(
        rows_of(
            demo,
            "SELECT marketplace, count(*) FILTER (WHERE first_reply_hours <= 24) / count(*) FROM cs_tickets "
            "WHERE needs_reply AND (first_reply_hours IS NOT NULL OR open_hours > 24) "
            "AND received_date >= DATE '2026-03-20' GROUP BY marketplace",
        )
    )
    assert rates["FR"] < 0.5
    assert min(rates[m] for m in ("UK", "DE", "IT", "ES")) > 0.8
    waiting = rows_of(demo, "SELECT count(*) FROM cs_tickets WHERE marketplace = 'FR' AND open_hours > 24")
    assert waiting[0][0] >= 3


def test_shipments_with_late_overdue_and_pending_orders(demo: Workspace) -> None:
    late, overdue, pending = rows_of(
        demo,
        "SELECT count(*) FILTER (WHERE NOT shipped_on_time AND shipped_ts IS NOT NULL), "
        "count(*) FILTER (WHERE ship_due AND shipped_ts IS NULL), count(*) FILTER (WHERE NOT ship_due) "
        "FROM shipments WHERE marketplace = 'DE'",
    )[0]
    assert late >= 3  # the week of missed pick-ups
    assert overdue >= 2  # planted: past their ship-by date at the export, not shipped
    assert pending >= 1  # ordered on the last day, not yet due


def test_a_slipping_launch(demo: Workspace) -> None:
    slip = slipping_launch(SPEC)
    assert slip is not None
    got = rows_of(
        demo,
        "SELECT status, launched_date, launch_due, launched_on_time, delay_days FROM listing_tasks "
        f"WHERE sku = '{slip.sku}' AND marketplace = 'IT'",
    )
    assert got == [("in_progress", None, True, False, 18)]


def test_ratings_snapshots_at_month_ends(demo: Workspace) -> None:
    days = [d for (d,) in rows_of(demo, "SELECT DISTINCT snapshot_date FROM ratings_snapshots ORDER BY 1")]
    assert days[-1] == LAST_DAY
    assert len(days) == 12


def test_compliance_lists_exactly_the_planted_gaps(demo: Workspace) -> None:
    report = demo.compliance(TODAY)
    got = sorted((g.account_id, g.kind.value, g.country, g.category, g.status.value) for g in report.gaps)
    planted = planted_gaps(
        SPEC,
        plant_invalid_gtin([p.sku for p in PRODUCTS], [p.gtin for p in PRODUCTS], SPEC.seed),
        ("demo-na", "demo-eu"),
    )
    assert got == sorted((g.account, g.kind, g.country, g.category, g.status) for g in planted)
    assert got == [
        ("demo-eu", "epr", "DE", "packaging", "expiring"),  # the licence ends next month
        ("demo-eu", "epr", "FR", "packaging", "missing"),  # the French IDU was never entered
        ("demo-eu", "gtin", None, None, "invalid"),  # one GTIN typed wrong in the catalog
        ("demo-eu", "vat", "IT", None, "invalid"),  # Italy's VAT number has a bad checksum
        ("demo-na", "gtin", None, None, "invalid"),  # the same catalog is imported for both accounts
    ]
    eu = next(a for a in report.accounts if a.account_id == "demo-eu")
    # VAT: 7 countries storing stock (pan-EU DE FR IT ES PL CZ + the UK), IT invalid -> 6 / 7
    assert eu.kpis["vat_coverage"] == 6 / 7
    assert eu.kpis["compliance_expiring_30d"] == 1
    assert eu.kpis["ean_validity_rate"] == 29 / 30
