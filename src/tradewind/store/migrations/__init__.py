"""Numbered SQL migrations for the facts database (DuckDB) and the app database (SQLAlchemy).

A workspace records the number of the last migration applied; opening it applies the rest in order,
so a workspace made by an older release upgrades in place. Migrations are never edited once released:
a change is a new file.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        return [s.strip() for s in self.sql.split(";\n") if s.strip() and not _only_comments(s)]


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in text.splitlines())


def migrations(kind: str) -> list[Migration]:
    """The migrations of `kind` ('facts' or 'app'), in order."""
    folder = resources.files(__package__).joinpath(kind)
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number_text, _, rest = entry.name.partition("_")
            found.append(Migration(int(number_text), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.number)
    return found
