"""`tradewind demo`: write the synthetic seller's report files, import them like a user would, then do
what the seller would do next: write down the notes and rules it keeps, make its plan for the year, and
run `check` on the days each planted case shows.

`FAMILIES` is the one list of what the demo writes, in import order (orders before the returns that
refer to them; the product catalog before the operations and compliance sheets, whose evaluation reads
it). A later feature adds its file family here and its planted cases in `plants.py`.

The demo folder is a normal workspace: `tradewind.toml`, the databases, and `reports/` with every
file that was imported, so a user can open them, re-import them, or compare them with their own.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import tradewind.demo_ops.families
from tradewind.app import Workspace
from tradewind.core.console import Console, SilentConsole
from tradewind.core.errors import ImportRejected, Problem, TradewindError, WorkspaceError
from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.files import (
    ads,
    business_report,
    ecb,
    inventory,
    orders,
    products,
    returns,
    settlement,
    shopify,
)
from tradewind.demo.followup import DemoFollowup, follow_up
from tradewind.demo.markets import ACCOUNTS
from tradewind.demo.plants import stories
from tradewind.demo.scenario import DemoScenario
from tradewind.demo.world import World, build_world
from tradewind.ingest.loader import LoadResult

#: What the demo writes, in the order it is imported.
FAMILIES: tuple[FileFamily, ...] = (
    ecb.FAMILY,
    products.FAMILY,
    *tradewind.demo_ops.families.FAMILIES,
    orders.FAMILY,
    shopify.FAMILY,
    returns.FAMILY,
    business_report.FAMILY,
    ads.FAMILY,
    inventory.FAMILY,
    settlement.FAMILY,
)

MARKER = ".tradewind-demo.json"
WORKSPACE_NAME = "Tradewind demo seller (青木家居户外 Qingmu Home & Outdoor)"


@dataclass(frozen=True)
class GeneratedDemo:
    world: World
    files: list[DemoFile]
    seconds: float


def generate(folder: Path, scenario: DemoScenario) -> GeneratedDemo:
    """Write every family's files under `folder/reports/`; the same scenario writes the same bytes."""
    started = time.perf_counter()
    world = build_world(scenario)
    files: list[DemoFile] = []
    for family in FAMILIES:
        target = folder / "reports" / family.folder
        target.mkdir(parents=True, exist_ok=True)
        files.extend(family.write(world, target))
    return GeneratedDemo(world, files, time.perf_counter() - started)


@dataclass(frozen=True)
class DemoSummary:
    folder: Path
    scenario: DemoScenario
    files: int
    imports: int
    rows: dict[str, int]
    first_day: date | None
    last_day: date | None
    marketplaces: tuple[str, ...]
    generate_seconds: float
    import_seconds: float
    errors: list[TradewindError] = field(default_factory=list)
    #: The planted cases, in words.
    stories: list[str] = field(default_factory=list)
    #: What the seller did after the import: its plan, its notes and rules, its checks.
    followup: DemoFollowup | None = None


def prepare_folder(folder: Path, *, force: bool) -> None:
    """An empty folder for the demo; `force` removes an earlier demo (and only a demo) first."""
    if folder.exists() and not folder.is_dir():
        raise WorkspaceError(f"{folder} is a file, not a folder")
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise WorkspaceError(
                f"{folder} is not empty and is not a Tradewind demo: choose another folder for the demo"
            )
        if not force:
            raise WorkspaceError(
                f"{folder} already holds a Tradewind demo; replace it with --force or choose another folder"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)


def run_demo(
    folder: Path, scenario: DemoScenario, *, force: bool = False, console: Console | None = None
) -> DemoSummary:
    console = console or SilentConsole()
    folder = folder.resolve()
    prepare_folder(folder, force=force)
    (folder / MARKER).write_text(
        json.dumps(
            {"size": scenario.size.name, "seed": scenario.seed, "today": scenario.today.isoformat()}, indent=2
        )
        + "\n",
        encoding="utf-8",
    )
    console.info(
        f"Writing a {scenario.size.name} demo seller ({scenario.size.skus} SKUs, "
        f"{scenario.start}..{scenario.end}) to {folder / 'reports'}"
    )
    with Workspace.init(folder, name=WORKSPACE_NAME, currency="USD", accounts=ACCOUNTS) as ws:
        generated = generate(folder, scenario)
        console.info(
            f"Wrote {len({f.path for f in generated.files}):,} report files in {generated.seconds:.1f} s; "
            "importing them as a user would"
        )
        started = time.perf_counter()
        results, errors = _import_all(ws, generated.files, console)
        import_seconds = time.perf_counter() - started
        followup = None if errors else follow_up(ws, generated.world, console, errors)
        rows = ws.fact_counts()
        span = ws.facts.query("SELECT min(purchase_date), max(purchase_date) FROM order_lines")
        markets = ws.facts.query("SELECT DISTINCT marketplace FROM order_lines ORDER BY marketplace")
    return DemoSummary(
        folder=folder,
        scenario=scenario,
        files=len({f.path for f in generated.files}),
        imports=len(results),
        rows=rows,
        first_day=span[0][0] if span else None,
        last_day=span[0][1] if span else None,
        marketplaces=tuple(str(m[0]) for m in markets),
        generate_seconds=generated.seconds,
        import_seconds=import_seconds,
        errors=errors,
        stories=[*stories(generated.world.plants, generated.world.catalog), *ops_stories(generated.world)],
        followup=followup,
    )


def ops_stories(world: World) -> list[str]:
    """The operations and compliance cases `tradewind.demo_ops` planted, in words."""
    from tradewind.demo_ops.families import expected_gaps, gtin_plant, spec_of
    from tradewind.demo_ops.listings import slipping_launch
    from tradewind.demo_ops.shipments import missed_pickups

    spec = spec_of(world)
    told = []
    pickups = missed_pickups(spec)
    told.append(
        f"late self-fulfilled shipments in {pickups.marketplace} {pickups.first_day}..{pickups.last_day}: "
        "the carrier missed its pick-ups"
    )
    slip = slipping_launch(spec)
    if slip is not None:
        told.append(
            f"a slipping launch: {slip.sku} on {slip.marketplace}, planned {slip.planned}: {slip.story}"
        )
    plant = gtin_plant(world)
    words = {"missing": "missing", "invalid": "invalid", "expiring": "expiring within 30 days"}
    gaps = sorted(
        {
            (g.kind.upper(), " ".join(x for x in (g.country, g.category) if x), words.get(g.status, g.status))
            for g in expected_gaps(world)
        }
    )
    described = [
        f"{kind} {what} {status}" if kind != "GTIN" or plant is None else f"GTIN of {plant.sku} {status}"
        for kind, what, status in gaps
    ]
    told.append(f"compliance gaps ('tradewind compliance'): {'; '.join(described)}")
    return told


def _import_all(
    ws: Workspace, files: list[DemoFile], console: Console
) -> tuple[list[LoadResult], list[TradewindError]]:
    """Each file with its own options (account, marketplace, dates), as a user would import it."""
    results: list[LoadResult] = []
    errors: list[TradewindError] = []
    with console.progress("Importing the demo reports", total=len(files)) as bar:
        for demo_file in files:
            try:
                results.append(ws.import_file(demo_file.path, demo_file.options))
            except TradewindError as exc:
                errors.append(exc)
            except (UnicodeError, OSError) as exc:
                name = demo_file.path.name
                errors.append(ImportRejected(name, [Problem(name, f"cannot read the file: {exc}")]))
            bar.advance()
    ws.refresh_rollups()
    return results, errors
