"""Helpers for the operations and compliance sheet tests: hand-made sheets, a workspace on disk, and an
import that must be rejected without changing a byte of the workspace.

The `ws` and `closed` fixtures are shared by import rather than from a conftest, so that only the sheet
tests that ask for them see them: `from tests.compliance.sheets import ws as ws` (the redundant alias
marks an intended re-export, so ruff does not call the import unused or shadowed by the test argument)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected, TradewindError
from tradewind.ingest.spec import ImportOptions
from tradewind.store.config import Account

EU_ACCOUNT = Account(id="acme-eu", name="Acme EU", marketplaces=("UK", "DE", "FR", "IT", "ES"))


def write_sheet(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """A CSV as a spreadsheet saves it (UTF-8 with a BOM, minimal quoting); None is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return path


def new_workspace(folder: Path, accounts: Sequence[Account] = (EU_ACCOUNT,)) -> Workspace:
    return Workspace.init(folder, name="Compliance tests", accounts=list(accounts))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """An open EU workspace for imports that should succeed; closed after the test."""
    workspace = new_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


@pytest.fixture
def closed(tmp_path: Path) -> Path:
    """The folder of a fresh, closed EU workspace: `rejected` opens it itself to compare files on disk."""
    folder = tmp_path / "closed"
    new_workspace(folder).close()
    return folder


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix in {".duckdb", ".sqlite", ".toml", ".wal"}
    }


def rejected(folder: Path, path: Path, options: ImportOptions) -> ImportRejected:
    """Import `path` into the (closed) workspace in `folder`, expecting a rejection; assert that the
    workspace files did not change at all. Returns the error."""
    before = _digest(folder)
    ws = Workspace.open(folder)
    try:
        with pytest.raises(TradewindError) as info:
            ws.import_file(path, options)
    finally:
        ws.close()
    assert _digest(folder) == before
    assert isinstance(info.value, ImportRejected), info.value
    return info.value


def problems(error: ImportRejected) -> list[str]:
    return [p.render() for p in error.problems]


def rows_of(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    return ws.facts.query(sql)
