"""Options and parsing every command shares: the `-w/--workspace` option, opening that workspace and
reading a date option. Kept in one place so each command names the workspace and dates alike."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from tradewind.app import ENV_WORKSPACE, Workspace
from tradewind.core.errors import TradewindError

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "-w", "--workspace", help=f"Workspace folder (default: ${ENV_WORKSPACE}).", show_default=False
    ),
]


def workspace_folder(path: Path | None) -> Path | str | None:
    """The folder `-w` names, else `$TRADEWIND_WORKSPACE`'s (None when neither is set)."""
    return path if path is not None else os.environ.get(ENV_WORKSPACE)


def open_workspace(path: Path | None, *, read_only: bool = False) -> Workspace:
    """The workspace `-w` (or the environment) names; read-only for commands that only show."""
    return Workspace.open(workspace_folder(path), read_only=read_only)


def parse_date(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option as a date (None when not given); the message names the option at fault."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise TradewindError(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None
