"""Self-fulfilled shipments from the seller's own warehouse: ship-by dates two working days after the
order, mostly shipped the same or next afternoon, a few late; a week in Germany when the carrier missed
its pick-ups (many late); two orders past their deadline and still unshipped at the export; orders of
the last day not yet due. Tracking ids have each carrier's form, with a few placeholders (`N/A`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from tradewind.demo_ops.files import write_rows
from tradewind.demo_ops.spec import MARKET_WEIGHT, OpsDemoSpec, OpsFile, at, end_of

SHIPMENTS_PER_DAY = 3.0
#: Marketplaces the seller ships itself (FBM), with their carriers.
CARRIERS: dict[str, tuple[str, ...]] = {
    "US": ("UPS", "USPS", "FedEx"),
    "UK": ("Royal Mail",),
    "DE": ("DHL", "Hermes", "DPD"),
    "FR": ("Colissimo", "Chronopost"),
}


@dataclass(frozen=True)
class MissedPickups:
    """The planted story: a week the carrier missed its pick-ups in one marketplace."""

    marketplace: str
    first_day: date
    last_day: date


def missed_pickups(spec: OpsDemoSpec) -> MissedPickups:
    start = spec.last_day - timedelta(days=40)
    return MissedPickups("DE", start, start + timedelta(days=6))


def _tracking(rng: np.random.Generator, carrier: str) -> str:
    def digits(n: int) -> str:
        return "".join(str(int(d)) for d in rng.integers(0, 10, n))

    if carrier == "UPS":
        return "1Z" + "".join(rng.choice(list("0123456789ABCDEFGHJKLMNPRSTVWXYZ"), 16))
    if carrier == "USPS":
        return "9400" + digits(18)
    if carrier == "FedEx":
        return "7" + digits(11)
    if carrier == "Royal Mail":
        return "RM" + digits(9) + "GB"
    if carrier == "DHL":
        return "00340" + digits(15)
    if carrier in ("Hermes", "DPD"):
        return "0" + digits(13)
    return "6A" + digits(11)


def _business_days_after(day: date, n: int) -> date:
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def write_shipments(folder: Path, spec: OpsDemoSpec) -> list[OpsFile]:
    """One ERP shipment export (CSV, English header) per account that ships orders itself."""
    files = []
    pickups = missed_pickups(spec)
    for account in spec.accounts:
        rows = _rows(spec, account.id, account.marketplaces, pickups)
        if rows:
            path = write_rows("shipments", folder / f"fbm-shipments-{account.id}.csv", rows)
            files.append(OpsFile(path, "shipments", spec.export_options(account.id)))
    return files


def _rows(
    spec: OpsDemoSpec, account: str, marketplaces: tuple[str, ...], pickups: MissedPickups
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    export = end_of(spec.last_day)
    for market in marketplaces:
        if market not in CARRIERS:
            continue
        rng = spec.rng(f"shipments:{account}:{market}")
        rate = SHIPMENTS_PER_DAY * MARKET_WEIGHT.get(market, 0.05) * spec.volume
        for day in spec.days():
            for _ in range(
                max(1, int(rng.poisson(rate))) if day == spec.last_day else int(rng.poisson(rate))
            ):
                order_id = (
                    f"{rng.integers(100, 1000)}-{rng.integers(0, 10**7):07d}-{rng.integers(0, 10**7):07d}"
                )
                ship_by = _business_days_after(day, 2)
                in_cluster = market == pickups.marketplace and pickups.first_day <= day <= pickups.last_day
                late_days = 0
                if in_cluster and rng.random() < 0.6:
                    late_days = int(rng.integers(1, 4))
                elif rng.random() < 0.04:
                    late_days = 1
                base = _business_days_after(day, int(rng.integers(0, 2))) if not late_days else ship_by
                handed = at(base + timedelta(days=late_days), float(rng.uniform(13, 18.5)))
                shipped = handed if handed < export else None  # not shipped yet when exported
                carrier = str(rng.choice(CARRIERS[market]))
                tracking = "N/A" if rng.random() < 0.02 else _tracking(rng, carrier)
                delivered = shipped + timedelta(days=float(rng.uniform(1, 4))) if shipped else None
                if delivered is not None and delivered >= export:
                    delivered = None
                rows.append(
                    {
                        "order_id": order_id,
                        "account": account,
                        "marketplace": market,
                        "ship_by": ship_by,
                        "shipped_at": shipped.replace(microsecond=0) if shipped else None,
                        "carrier": carrier if shipped else None,
                        "tracking_id": tracking if shipped else None,
                        "delivered_at": delivered.replace(microsecond=0) if delivered else None,
                    }
                )
        if market == pickups.marketplace:
            rows += _overdue(spec, rng, account, market)
    return rows


def _overdue(
    spec: OpsDemoSpec, rng: np.random.Generator, account: str, market: str
) -> list[dict[str, object]]:
    """Planted: two orders past their ship-by date (the last working day before the export), unshipped."""
    due = spec.last_day - timedelta(days=1)
    while due.weekday() >= 5:
        due -= timedelta(days=1)
    return [
        {
            "order_id": f"{rng.integers(100, 1000)}-{rng.integers(0, 10**7):07d}-{rng.integers(0, 10**7):07d}",
            "account": account,
            "marketplace": market,
            "ship_by": due,
        }
        for _ in range(2)
    ]
