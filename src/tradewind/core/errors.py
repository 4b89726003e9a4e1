"""Errors a user can cause. The CLI and web show `str(error)`, never a traceback.

Every message says what went wrong and what to do about it.
"""

from __future__ import annotations

from dataclasses import dataclass


class TradewindError(Exception):
    """Base for every error a user can cause and fix."""


class WorkspaceError(TradewindError):
    """The workspace is missing, locked, or from a release this one cannot read."""


class ConfigError(TradewindError):
    """The workspace configuration is invalid."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: where it is and what was expected there."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    def render(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f" (value {shown!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


MAX_PROBLEMS = 50


class ImportRejected(TradewindError):
    """A file was rejected as a whole; nothing from it was written."""

    def __init__(self, file: str, problems: list[Problem], total: int | None = None) -> None:
        self.file = file
        self.problems = problems[:MAX_PROBLEMS]
        self.total = total if total is not None else len(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        head = f"{self.file} was not imported ({self.total} problem{'s' if self.total != 1 else ''}):"
        lines = [head, *("  - " + p.render() for p in self.problems)]
        if self.total > len(self.problems):
            lines.append(f"  ... and {self.total - len(self.problems)} more")
        lines.append("Nothing was written to the workspace.")
        return "\n".join(lines)


class NeedsOption(TradewindError):
    """The file does not say something the import needs (a date range, a marketplace)."""


class CatalogError(TradewindError):
    """A KPI catalog is invalid."""


class QueryError(TradewindError):
    """A KPI request cannot be answered as asked (unknown KPI, bad period, missing FX rate...)."""
