"""`tradewind`: the command line. Each command parses options, calls `Workspace`, renders the result."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradewind.app import Workspace
from tradewind.cli import catalog_cmd, compliance_cmd, demo_cmd, kpi_cmd, plan_cmd, template_cmd, watch_cmd
from tradewind.cli.common import WorkspaceOpt, open_workspace, parse_date
from tradewind.cli.console import RichConsole_, err, out, user_errors
from tradewind.core.errors import TradewindError
from tradewind.ingest.spec import ImportOptions
from tradewind.store.config import Account

app = typer.Typer(
    name="tradewind",
    help="Tradewind: KPI management for cross-border e-commerce (Amazon US/EU, Shopify).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
account_app = typer.Typer(help="Seller accounts (stores) in the workspace.", no_args_is_help=True)
app.add_typer(account_app, name="account")


@app.command()
@user_errors
def init(
    folder: Annotated[Path, typer.Argument(help="Folder for the new workspace.")] = Path("."),
    currency: Annotated[str, typer.Option(help="Reporting currency (ISO code).")] = "USD",
    name: Annotated[str | None, typer.Option(help="Workspace name (default: the folder name).")] = None,
    fiscal_year_start: Annotated[int, typer.Option(help="First month of the fiscal year (1-12).")] = 1,
) -> None:
    """Create a workspace: config, facts database and app database."""
    with Workspace.init(
        folder, name=name, currency=currency, fiscal_year_start_month=fiscal_year_start
    ) as ws:
        out.print(
            f"Created workspace [bold]{ws.config.name}[/] in {ws.folder} (reporting currency "
            f"{ws.config.reporting_currency})."
        )
        out.print("Next: 'tradewind account add ID --marketplaces US,CA', then 'tradewind import FILE...'.")


@account_app.command("add")
@user_errors
def account_add(
    account_id: Annotated[str, typer.Argument(help="Short id, e.g. acme-eu.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    marketplaces: Annotated[str, typer.Option(help="Comma-separated marketplace codes, e.g. UK,DE,FR.")] = "",
    platform: Annotated[str, typer.Option(help="amazon or shopify.")] = "amazon",
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a seller account (a Seller Central region account or a Shopify shop)."""
    codes = tuple(c.strip() for c in marketplaces.split(",") if c.strip())
    try:
        account = Account(id=account_id, name=name or account_id, platform=platform, marketplaces=codes)
    except ValueError as exc:
        raise TradewindError(f"invalid account: {exc}") from None
    with open_workspace(workspace) as ws:
        ws.add_account(account)
    out.print(
        f"Added account [bold]{account_id}[/] ({', '.join(account.marketplaces) or 'no marketplaces'})."
    )


@account_app.command("list")
@user_errors
def account_list(workspace: WorkspaceOpt = None) -> None:
    """List the accounts."""
    with open_workspace(workspace, read_only=True) as ws:
        table = Table("id", "name", "platform", "marketplaces")
        for a in ws.config.accounts:
            table.add_row(a.id, a.name, a.platform, ", ".join(a.marketplaces))
        out.print(table)


@app.command("import")
@user_errors
def import_(
    files: Annotated[
        list[Path], typer.Argument(help="Report files as downloaded (CSV, TXT, XLSX, JSON, .gz).")
    ],
    account: Annotated[str | None, typer.Option(help="Account the files belong to.")] = None,
    marketplace: Annotated[
        str | None, typer.Option(help="Marketplace, where the file does not say it.")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day a range report covers.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day a range report covers.")] = None,
    snapshot: Annotated[
        str | None, typer.Option("--date", help="Snapshot date of an inventory report.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count, write nothing.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import report files. Each file is imported whole or not at all; re-importing changes nothing."""
    options = ImportOptions(
        account=account,
        marketplace=marketplace,
        date_from=parse_date(date_from, "--from"),
        date_to=parse_date(date_to, "--to"),
        snapshot_date=parse_date(snapshot, "--date"),
        dry_run=dry_run,
    )
    with open_workspace(workspace) as ws:
        results, errors = ws.import_files(files, options, RichConsole_())
    for r in results:
        if r.already_imported_as:
            out.print(f"[dim]{r.file_name}: already imported as {r.already_imported_as}; nothing changed.[/]")
            continue
        verb = "would import" if r.dry_run else "imported"
        facts = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in r.rows_loaded.items())
        line = f"[green]{r.file_name}[/]: {verb} {facts} ({r.report_title})"
        if r.total_replaced:
            line += f", replacing {r.total_replaced:,} rows from earlier imports"
        out.print(line)
        for note in r.notes:
            out.print(f"  [dim]{note}[/]")
    for e in errors:
        err.print(f"[red]error:[/] {e}", soft_wrap=True)
    if errors:
        raise typer.Exit(1)


@app.command()
@user_errors
def imports(
    limit: Annotated[int, typer.Option(help="Show the last N imports.")] = 50,
    workspace: WorkspaceOpt = None,
) -> None:
    """The import ledger: every file imported, its report type, rows and checksum."""
    with open_workspace(workspace, read_only=True) as ws:
        records = ws.imports(limit)
    table = Table(
        "import", "file", "report", "account", "mkt", "range", "rows", "replaced", "imported at", "sha256"
    )
    for r in records:
        span = f"{r.date_from}..{r.date_to}" if r.date_from else ""
        table.add_row(
            r.import_id,
            r.file_name,
            r.report_type,
            r.account_id,
            r.marketplace or "",
            span,
            f"{r.rows_loaded:,}",
            f"{r.rows_replaced:,}",
            f"{r.imported_at:%Y-%m-%d %H:%M}",
            r.sha256[:12],
        )
    out.print(table)


# Commands that live in their own modules, in the order `--help` lists them.
for module in (demo_cmd, template_cmd, catalog_cmd, kpi_cmd, plan_cmd, watch_cmd, compliance_cmd):
    module.register(app)


if __name__ == "__main__":
    app()
