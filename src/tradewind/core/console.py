"""How the core reports progress and notes without printing (sqlmesh's Console idea).

The CLI passes a Rich implementation; tests and the web app use the silent one.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Protocol


class Progress(Protocol):
    def advance(self, steps: int = 1) -> None: ...


class Console(Protocol):
    def info(self, message: str) -> None: ...

    def warn(self, message: str) -> None: ...

    def progress(self, label: str, total: int) -> AbstractContextManager[Progress]: ...


class _NoProgress:
    def advance(self, steps: int = 1) -> None:
        return None


class SilentConsole:
    """Collects messages; shows nothing."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.warnings: list[str] = []

    def info(self, message: str) -> None:
        self.messages.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def progress(self, label: str, total: int) -> AbstractContextManager[Progress]:
        return nullcontext(_NoProgress())
