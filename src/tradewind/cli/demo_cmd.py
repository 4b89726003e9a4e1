"""`tradewind demo [DIR]`: a synthetic seller, written as real report files and imported like a user would."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradewind.app import Workspace
from tradewind.cli.board import render_board
from tradewind.cli.console import RichConsole_, err, out, user_errors
from tradewind.demo.build import DemoSummary, run_demo
from tradewind.demo.scenario import DEFAULT_SEED, SIZES, scenario_for


class Size(StrEnum):
    small = "small"
    medium = "medium"
    large = "large"


def today() -> date:
    """The demo's "today": only its month matters, so the demo always ends with last month."""
    return date.today()


def register(app: typer.Typer) -> None:
    @app.command("demo")
    @user_errors
    def demo(
        folder: Annotated[Path, typer.Argument(help="Folder for the demo workspace.")] = Path(
            "demo-workspace"
        ),
        size: Annotated[
            Size,
            typer.Option(
                help=f"small ({SIZES['small'].skus} SKUs), medium ({SIZES['medium'].skus}) or "
                f"large ({SIZES['large'].skus})."
            ),
        ] = Size.medium,
        force: Annotated[bool, typer.Option("--force", help="Replace an earlier demo in FOLDER.")] = False,
        seed: Annotated[
            int, typer.Option(help="Random seed: the same seed writes the same files.")
        ] = DEFAULT_SEED,
    ) -> None:
        """Create a demo seller: two years of Amazon US/EU and Shopify reports, imported into a workspace."""
        scenario = scenario_for(size.value, seed=seed, today=today())
        summary = run_demo(folder, scenario, force=force, console=RichConsole_())
        show_summary(summary)
        if not summary.errors:
            show_board(summary)
        if summary.errors:
            for error in summary.errors:
                err.print(f"[red]error:[/] {error}", soft_wrap=True)
            err.print(
                "[red]Some demo files were not imported.[/] The demo writes files in the layouts the importers "
                "read, so this is a bug in Tradewind: please report it."
            )
            raise typer.Exit(1)


def show_summary(summary: DemoSummary) -> None:
    scenario = summary.scenario
    out.print(
        f"[bold]Demo seller ready[/] in {summary.folder} ({scenario.size.name}: {scenario.size.skus} SKUs, "
        f"seed {scenario.seed})."
    )
    span = f"{summary.first_day} .. {summary.last_day}" if summary.first_day else "no orders"
    out.print(f"Orders from {span} in {', '.join(summary.marketplaces) or 'no marketplace'}.")
    table = Table("facts", "rows", title=f"{summary.files:,} report files, {summary.imports:,} imports")
    for name, rows in summary.rows.items():
        if rows:
            table.add_row(name.replace("_", " "), f"{rows:,}")
    out.print(table)
    if summary.stories:
        out.print("[bold]Stories to find in the data:[/]")
        for story in summary.stories:
            out.print(f"  - {story}")
    out.print(
        f"Wrote the files in {summary.generate_seconds:.1f} s and imported them in {summary.import_seconds:.1f} s "
        f"({summary.generate_seconds + summary.import_seconds:.1f} s in all)."
    )
    followup = summary.followup
    if followup is not None:
        checked = ", ".join(str(r.as_of) for r in followup.checks)
        raised = sum(len(r.new) for r in followup.checks)
        plan = f"made the {followup.plan} plan, " if followup.plan else ""
        out.print(
            f"Then, as the seller would: {plan}wrote down {len(followup.watch.notes)} notes and its own "
            f"rules.yaml, and ran 'tradewind check' as of {checked} ({raised} alerts, "
            f"{followup.seconds:.1f} s)."
        )
    out.print(f"Next: 'tradewind imports -w {summary.folder}' lists every file and what it brought in.")


def show_board(summary: DemoSummary) -> None:
    """The KPI board of the demo's last full month and the open alerts its checks raised."""
    with Workspace.open(summary.folder, read_only=True) as ws:
        out.print()
        render_board(ws, out, today=summary.scenario.today)
    last = summary.followup.checks[-1].as_of if summary.followup and summary.followup.checks else None
    out.print(
        f"'tradewind alerts -w {summary.folder}' lists them, 'tradewind compliance -w {summary.folder}' "
        "shows the registrations"
        + (
            f", and 'tradewind check -w {summary.folder} --as-of {last}' checks the data again."
            if last
            else "."
        )
    )
