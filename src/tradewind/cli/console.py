"""The Rich implementation of the core's `Console` interface, and the CLI's error handling."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console as RichConsole
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tradewind.core.errors import TradewindError

out = RichConsole(highlight=False)
err = RichConsole(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")


class _Bar:
    def __init__(self, progress: Progress, task: Any) -> None:
        self._progress = progress
        self._task = task

    def advance(self, steps: int = 1) -> None:
        self._progress.advance(self._task, steps)


class RichConsole_:
    """Progress bars and notes on stderr, so stdout stays clean for `--format csv|json`."""

    def info(self, message: str) -> None:
        err.print(message)

    def warn(self, message: str) -> None:
        err.print(f"[yellow]warning:[/] {message}")

    @contextmanager
    def progress(self, label: str, total: int) -> Iterator[_Bar]:
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=total <= 1,
        ) as progress:
            task = progress.add_task(label, total=total)
            yield _Bar(progress, task)


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Show a TradewindError's message (never a traceback) and exit 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except TradewindError as exc:
            err.print(f"[red]error:[/] {exc}", soft_wrap=True)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("TRADEWIND_DEBUG"):
                raise
            err.print(
                f"[red]unexpected error:[/] {type(exc).__name__}: {exc}\n"
                "This is a bug in Tradewind; nothing was changed by the failed step. "
                "Run again with TRADEWIND_DEBUG=1 to see the details, and please report it.",
                soft_wrap=True,
            )
            raise typer.Exit(2) from None

    return wrapper
