"""The CLI reference, generated from the commands themselves so it cannot drift from them.

`python -m tradewind.cli.reference docs/cli.md` rewrites the file; a test fails when it is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

HEADER = """# Tradewind CLI reference

Generated from the code by `python -m tradewind.cli.reference docs/cli.md`; do not edit by hand.
Every command also takes `-w/--workspace DIR` (or `TRADEWIND_WORKSPACE`) where it works on a workspace.
"""


# Typer builds click-style command objects (it vendors click); they are read by their attributes.
def _usage(command: Any, path: str) -> str:
    parts = [path]
    for param in command.params:
        if param.param_type_name == "argument":
            name = (param.metavar or param.name or "").upper()
            parts.append(f"[{name}]" if not param.required else name)
            if param.nargs == -1:
                parts[-1] += "..."
    if any(p.param_type_name == "option" for p in command.params):
        parts.append("[OPTIONS]")
    return " ".join(parts)


def _options(command: Any) -> list[str]:
    rows = []
    for param in command.params:
        if param.param_type_name != "option" or param.hidden or param.name == "help":
            continue
        names = ", ".join(f"`{o}`" for o in (*param.opts, *param.secondary_opts))
        help_text = " ".join((param.help or "").split())
        rows.append(f"| {names} | {help_text} |")
    return rows


def _walk(command: Any, path: str, out: list[str]) -> None:
    if hasattr(command, "list_commands"):
        context = typer.Context(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None and not sub.hidden:
                _walk(sub, f"{path} {name}", out)
        return
    out.append(f"## `{path}`\n")
    summary = " ".join((command.help or "").split())
    if summary:
        out.append(f"{summary}\n")
    out.append(f"```\n{_usage(command, path)}\n```\n")
    options = _options(command)
    if options:
        out.extend(["| option | meaning |", "|---|---|", *options, ""])


def cli_reference(app: typer.Typer) -> str:
    root = typer.main.get_command(app)
    out = [HEADER]
    _walk(root, "tradewind", out)
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str]) -> None:
    from tradewind.cli.main import app

    target = Path(argv[0]) if argv else Path("docs/cli.md")
    target.write_text(cli_reference(app), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
