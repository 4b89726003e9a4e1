"""`tradewind compliance [--as-of DATE]`: EU compliance per account and country, for people and schedulers.

Shows what each country requires (VAT, EPR per category), what is held, and what is missing, invalid,
expired or expiring within 30 days, with the SKUs affected; then the EU-compliance KPIs. The exit
status is 1 when any requirement is unmet (missing, invalid, expired, not yet valid, an invalid GTIN),
so a scheduler (cron, CI) can alert on it; registrations that merely expire soon are shown but exit 0.
Registered by `cli/main.py` through `register(app)`.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from tradewind.cli.common import WorkspaceOpt, open_workspace, parse_date
from tradewind.cli.console import out, user_errors
from tradewind.compliance.report import ComplianceReport, Finding, Kind, Status

#: SKUs listed per finding in the table (JSON lists them all).
SHOWN_SKUS = 4
_STYLE = {
    Status.OK: "green",
    Status.EXPIRING: "yellow",
    Status.NOT_YET_VALID: "red",
    Status.EXPIRED: "red",
    Status.INVALID: "red",
    Status.MISSING: "red",
}
_KPI_LABELS = (
    ("vat_coverage", "VAT coverage"),
    ("epr_coverage", "EPR coverage"),
    ("ean_validity_rate", "EAN validity"),
    ("vat_number_validity", "VAT number validity"),
    ("compliance_expiring_30d", "expiring within 30 days"),
)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def _requirement(f: Finding) -> str:
    if f.kind is Kind.VAT:
        return "VAT"
    if f.kind is Kind.GTIN:
        return "GTIN"
    return f"EPR {f.category}"


def _skus(f: Finding) -> str:
    if not f.skus:
        return ""
    shown = ", ".join(f.skus[:SHOWN_SKUS])
    more = len(f.skus) - SHOWN_SKUS
    return f"{shown} (+{more})" if more > 0 else shown


def _kpi_text(value: float | int | None, key: str) -> str:
    if value is None:
        return "n/a"
    if key == "compliance_expiring_30d":
        return str(value)
    return f"{value:.1%}"


def render_table(report: ComplianceReport) -> None:
    many = len(report.accounts) > 1
    reviewed = f", EPR matrix reviewed {report.matrix_reviewed}" if report.matrix_reviewed else ""
    out.print(f"[bold]EU compliance as of {report.as_of}[/]{reviewed}")
    for account in report.accounts:
        if not account.findings:
            out.print(f"{account.account_id}: nothing required (no EU stock, registrations or GTINs).")
            continue
        table = Table(title=account.account_id if many else None)
        table.add_column("country", no_wrap=True)
        table.add_column("requirement", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("held", no_wrap=True)
        for heading in ("detail", "required because", "SKUs affected"):
            table.add_column(heading, overflow="fold")
        for f in account.findings:
            status = f"[{_STYLE[f.status]}]{f.status.value.replace('_', ' ')}[/]"
            table.add_row(
                f.country or "all",
                _requirement(f),
                status,
                f.held or "—",
                f.detail,
                "; ".join(f.required_because),
                _skus(f),
            )
        out.print(table)
        kpis = "  ".join(f"{label}: {_kpi_text(account.kpis.get(key), key)}" for key, label in _KPI_LABELS)
        out.print(kpis)
    unmet = [f for f in report.findings if f.unmet]
    if unmet:
        out.print(f"[red]{len(unmet)} requirement{'s' if len(unmet) != 1 else ''} unmet.[/]")
    else:
        out.print("[green]Every requirement is met.[/]")


@user_errors
def compliance(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day to check, YYYY-MM-DD (default: today).")
    ] = None,
    account: Annotated[
        list[str] | None, typer.Option("--account", help="Only this account (repeatable).")
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.TABLE,
    workspace: WorkspaceOpt = None,
) -> None:
    """EU compliance: VAT and EPR registrations per country, GTINs; exit status 1 when any is unmet."""
    day = parse_date(as_of, "--as-of")
    with open_workspace(workspace, read_only=True) as ws:
        report = ws.compliance(day, account or None)
    if fmt is OutputFormat.JSON:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        render_table(report)
    if report.unmet:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `compliance` command to the CLI (called by `cli/main.py`)."""
    app.command("compliance")(compliance)
