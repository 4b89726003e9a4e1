"""A problem found in a catalog, located by file and line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    line: int | None
    message: str
    entry: str | None = None

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        what = f"{self.entry}: " if self.entry else ""
        return f"{where}: {what}{self.message}"
