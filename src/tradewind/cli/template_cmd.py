"""`tradewind template NAME [OUT]`: write an empty import template (CSV or XLSX, English or Chinese header).

Registered by `cli/main.py` through `register(app)`. Without a name, or with one Tradewind does not
know, it lists the templates there are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradewind.cli.console import out, user_errors
from tradewind.core.errors import TradewindError
from tradewind.ingest.templates import (
    Lang,
    TemplateFormat,
    available_templates,
    template_fields,
    template_for,
    write_template,
)
from tradewind.store.fact_schema import SHARED_FACTS


def _listing() -> Table:
    table = Table("template", "imports as", "columns")
    for name, report in available_templates().items():
        table.add_row(name, report.title, ", ".join(f.en for f in template_fields(report)))
    return table


def _format_of(path: Path | None, fmt: TemplateFormat | None) -> TemplateFormat:
    if fmt is not None:
        return fmt
    if path is not None and path.suffix.lower() in (".csv", ".xlsx"):
        return TemplateFormat(path.suffix.lower()[1:])
    return TemplateFormat.XLSX


@user_errors
def template(
    name: Annotated[str | None, typer.Argument(help="Template name; omit it to list the templates.")] = None,
    out_path: Annotated[
        Path | None, typer.Argument(help="File to write (default: NAME.xlsx or NAME.csv here).")
    ] = None,
    fmt: Annotated[
        TemplateFormat | None,
        typer.Option("--format", help="csv or xlsx (default: from the file name, else xlsx)."),
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Header language: en or zh.")] = Lang.EN,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT if it exists.")] = False,
) -> None:
    """Write an empty import template to fill in (products, monthly FX rates, ...). Either the English or
    the Chinese header imports."""
    if name is None:
        out.print(_listing())
        return
    known = available_templates()
    if name.strip().lower().replace("-", "_") not in known:
        out.print(_listing())
    report = template_for(name)  # raises with the list of names for an unknown one
    chosen = _format_of(out_path, fmt)
    path = out_path if out_path is not None else Path(f"{name.strip().lower().replace('-', '_')}.{chosen}")
    if path.suffix.lower() != f".{chosen}":
        raise TradewindError(f"{path} does not end in .{chosen}; name the file {path.stem}.{chosen}")
    if path.exists() and not force:
        raise TradewindError(f"{path} already exists; pass --force to overwrite it")
    written = write_template(report, path, fmt=chosen, lang=lang)
    account = "" if set(report.produces) <= SHARED_FACTS else " --account ID"
    out.print(
        f"Wrote the [bold]{name}[/] template to {written} ({chosen}, {lang} header). Fill it in from row 2 "
        f"and import it with 'tradewind import {written}{account}'."
    )


def register(app: typer.Typer) -> None:
    """Add the `template` command to the CLI (called by `cli/main.py`)."""
    app.command("template")(template)
