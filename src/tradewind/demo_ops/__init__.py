"""Demo data for operations and EU compliance (issue 4): help-desk tickets in five languages with a
French backlog, self-fulfilled shipments with late ones, listing launch tasks with a slipping launch,
ratings snapshots, and a compliance registry with planted gaps.

Every generator writes real import files (the import templates, CSV or XLSX, English or Chinese header)
into a folder and returns them with the options to import them with. They take an `OpsDemoSpec` (plain
values: accounts, products, seed, today), so they run without the demo's simulation; `families.py`
adapts them to the demo's file families.
"""

from __future__ import annotations

from pathlib import Path

from tradewind.demo_ops.listings import SlippingLaunch, slipping_launch, write_listing_tasks
from tradewind.demo_ops.ratings import write_ratings
from tradewind.demo_ops.registry import (
    ExpectedGap,
    GtinPlant,
    corrupt_gtin,
    plant_invalid_gtin,
    planted_gaps,
    write_registry,
)
from tradewind.demo_ops.shipments import write_shipments
from tradewind.demo_ops.spec import OpsAccount, OpsDemoSpec, OpsFile, OpsProduct
from tradewind.demo_ops.tickets import Backlog, backlog, write_tickets

__all__ = [
    "Backlog",
    "ExpectedGap",
    "GtinPlant",
    "OpsAccount",
    "OpsDemoSpec",
    "OpsFile",
    "OpsProduct",
    "SlippingLaunch",
    "backlog",
    "corrupt_gtin",
    "plant_invalid_gtin",
    "planted_gaps",
    "slipping_launch",
    "write_all",
    "write_listing_tasks",
    "write_ratings",
    "write_registry",
    "write_shipments",
    "write_tickets",
]


def write_all(folder: Path, spec: OpsDemoSpec) -> list[OpsFile]:
    """Every operations and compliance file, in import order, under `folder/<kind>/`."""
    files: list[OpsFile] = []
    for name, write in (
        ("cs-tickets", write_tickets),
        ("shipments", write_shipments),
        ("listing-tasks", write_listing_tasks),
        ("ratings", write_ratings),
        ("compliance", write_registry),
    ):
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        files.extend(write(target, spec))
    return files
