"""Listing launch tasks as the operations team keeps them (XLSX, Chinese header): a task per new SKU and
main marketplace, most live on the planned day, some a few days late; and a slipping launch, the planted
story: the newest SKU's Italian listing, planned 18 days before the export, still in progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tradewind.demo_ops.files import write_rows
from tradewind.demo_ops.spec import OpsDemoSpec, OpsFile, OpsProduct

#: New SKUs launched within this many days before the export get launch tasks (and at least the
#: `MIN_LAUNCHES` most recent launches, so a mature catalog still shows a plan).
LAUNCH_WINDOW_DAYS = 270
MIN_LAUNCHES = 8
#: The marketplaces a new SKU is launched in first, per account region.
FIRST_MARKETS = ("US", "DE", "FR", "UK")
STATUS_ZH = {"planned": "计划中", "in_progress": "进行中", "launched": "已上架"}


@dataclass(frozen=True)
class SlippingLaunch:
    account: str
    sku: str
    marketplace: str
    planned: date
    story: str = "the Italian listing waits for translated images; the launch keeps slipping"


def slipping_launch(spec: OpsDemoSpec) -> SlippingLaunch | None:
    account = next((a for a in spec.accounts if "IT" in a.marketplaces), None)
    newest = _recent(spec)[-1:] or list(spec.products[-1:])
    if account is None or not newest:
        return None
    return SlippingLaunch(account.id, newest[0].sku, "IT", spec.last_day - timedelta(days=18))


def _recent(spec: OpsDemoSpec) -> list[OpsProduct]:
    start = spec.last_day - timedelta(days=LAUNCH_WINDOW_DAYS)
    launched = sorted(
        (p for p in spec.products if p.launch is not None and p.launch <= spec.last_day),
        key=lambda p: (p.launch or spec.last_day, p.sku),
    )
    recent = [p for p in launched if p.launch is not None and p.launch > start]
    return recent if len(recent) >= MIN_LAUNCHES else launched[-MIN_LAUNCHES:]


def write_listing_tasks(folder: Path, spec: OpsDemoSpec) -> list[OpsFile]:
    files = []
    slip = slipping_launch(spec)
    for account in spec.accounts:
        rows = _rows(spec, account.id, account.marketplaces, slip)
        if rows:
            path = write_rows(
                "listing_tasks", folder / f"上架计划-listing-tasks-{account.id}.xlsx", rows, lang="zh"
            )
            files.append(OpsFile(path, "listing_tasks", spec.export_options(account.id)))
    return files


def _rows(
    spec: OpsDemoSpec, account: str, marketplaces: tuple[str, ...], slip: SlippingLaunch | None
) -> list[dict[str, object]]:
    rng = spec.rng(f"listing_tasks:{account}")
    markets = [m for m in FIRST_MARKETS if m in marketplaces]
    rows: list[dict[str, object]] = []
    number = 0

    def task(product: OpsProduct, market: str, planned: date, launched: date | None, status: str) -> None:
        nonlocal number
        number += 1
        rows.append(
            {
                "task": f"LT-{account[-2:].upper()}-{number:03d}",
                "account": account,
                "sku": product.sku,
                "marketplace": market,
                "owner": product.owner,
                "planned_date": planned,
                "launched_date": launched,
                "status": STATUS_ZH[status],
            }
        )

    for product in _recent(spec):
        assert product.launch is not None
        for market in markets:
            if rng.random() < 0.7:
                planned = product.launch + timedelta(days=int(rng.integers(0, 4)))  # on time or early
            else:
                planned = product.launch - timedelta(days=int(rng.integers(1, 8)))  # went live late
            task(product, market, planned, product.launch, "launched")
    if slip is not None and slip.account == account:
        product = next(p for p in spec.products if p.sku == slip.sku)
        task(product, slip.marketplace, slip.planned, None, "in_progress")
        if "ES" in marketplaces:
            task(product, "ES", spec.last_day + timedelta(days=10), None, "planned")
    return rows
