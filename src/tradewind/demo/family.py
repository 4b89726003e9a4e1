"""What a file family is: one kind of report file the demo writes, and how each file is imported.

A family renders part of the `World` into files under `reports/<folder>/` and says, per file, the
import options a user would give (`--account`, `--marketplace`, `--from/--to`, `--date`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tradewind.demo.world import World
from tradewind.ingest.spec import ImportOptions


@dataclass(frozen=True)
class DemoFile:
    """One written report file and the options to import it with."""

    path: Path
    family: str
    options: ImportOptions = field(default_factory=ImportOptions)


@dataclass(frozen=True)
class FileFamily:
    name: str
    #: Folder under `reports/`.
    folder: str
    #: Renders the family's files into the given folder (which exists and is empty).
    write: Callable[[World, Path], list[DemoFile]]
    description: str = ""
