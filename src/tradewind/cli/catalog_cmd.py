"""`tradewind catalog list|show ID|validate [DIR]`: the KPI definitions, their rules and versions.
Registered by `cli/main.py` through `register(app)`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradewind.app import CATALOG_DIR
from tradewind.catalog import Catalog, load_catalog, read_catalog
from tradewind.catalog.describe import formula_text
from tradewind.cli.common import WorkspaceOpt, workspace_folder
from tradewind.cli.console import err, out, user_errors
from tradewind.core.errors import QueryError
from tradewind.store.fact_schema import FACT_TABLES


def _fact_columns() -> dict[str, tuple[str, ...]]:
    return {name: table.column_names for name, table in FACT_TABLES.items()}


def _workspace_catalog(workspace: Path | None) -> Path | None:
    folder = workspace_folder(workspace)
    return Path(folder) / CATALOG_DIR if folder else None


def _catalog(workspace: Path | None) -> Catalog:
    return load_catalog(_workspace_catalog(workspace), fact_columns=_fact_columns())


def register(app: typer.Typer) -> None:
    catalog_app = typer.Typer(
        help="The KPI catalog: definitions, written rules (口径) and versions.", no_args_is_help=True
    )
    app.add_typer(catalog_app, name="catalog")

    @catalog_app.command("list")
    @user_errors
    def catalog_list(workspace: WorkspaceOpt = None) -> None:
        """Every KPI: id, names, unit, type and version."""
        catalog = _catalog(workspace)
        table = Table("id", "中文", "name", "unit", "type", "version")
        for kpi_id, kpi in catalog.kpis.items():
            table.add_row(
                kpi_id,
                kpi.name.zh,
                kpi.name.en,
                kpi.unit.value,
                kpi.type,
                catalog.version(kpi_id).split("@")[1],
            )
        out.print(table)

    @catalog_app.command("show")
    @user_errors
    def catalog_show(
        kpi_id: Annotated[str, typer.Argument(help="The KPI id, e.g. gmv.")],
        workspace: WorkspaceOpt = None,
    ) -> None:
        """One KPI: names, formula, written rule, facts read, version and where it is defined."""
        catalog = _catalog(workspace)
        kpi = catalog.kpi(kpi_id)
        if kpi is None:
            raise QueryError(f"unknown KPI {kpi_id!r}; 'tradewind catalog list' shows the KPIs")
        out.print(f"[bold]{kpi_id}[/]  {kpi.name.zh} / {kpi.name.en}")
        out.print(f"version   {catalog.version(kpi_id)}")
        out.print(f"unit      {kpi.unit.value} ({kpi.direction.value} is better)")
        out.print(f"type      {kpi.type}")
        out.print(f"formula   {formula_text(catalog, kpi_id)}")
        for dep in catalog.depends_on(kpi_id):
            out.print(f"  {dep:<24} {formula_text(catalog, dep)}  [dim]{catalog.version(dep)}[/]")
        out.print(f"facts     {', '.join(catalog.facts_read(kpi_id))}")
        out.print(f"口径      {kpi.rule.zh}")
        out.print(f"rule      {kpi.rule.en}")
        if kpi.source:
            out.print(f"[dim]defined in {kpi.source.file}:{kpi.source.line}[/]")

    @catalog_app.command("validate")
    @user_errors
    def catalog_validate(
        folder: Annotated[
            Path | None,
            typer.Argument(
                help="A folder (or file) of KPI YAML to check on top of the shipped catalog "
                "(default: the workspace's catalog/ folder, if any)."
            ),
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """Check a catalog; every problem is reported at once, with its file and line."""
        target = folder if folder is not None else _workspace_catalog(workspace)
        if folder is not None and not folder.exists():
            raise QueryError(f"{folder} does not exist")
        catalog, issues = read_catalog(target, fact_columns=_fact_columns())
        if issues:
            for issue in issues:
                err.print(f"[red]{issue.render()}[/]", soft_wrap=True)
            err.print(f"{len(issues)} problem{'s' if len(issues) != 1 else ''} found.")
            raise typer.Exit(1)
        assert catalog is not None
        where = f" with {target}" if target is not None and target.exists() else ""
        out.print(f"catalog OK{where}: {len(catalog.kpis)} KPIs, {len(catalog.measures)} measures.")
