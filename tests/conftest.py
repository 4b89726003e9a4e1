"""Shared fixtures: a fresh workspace per test, writers for hand-made report files, public samples."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.store.config import Account

REPO = Path(__file__).resolve().parent.parent


def public_fixtures_dir() -> Path:
    """`../shared/fixtures/public` beside the checkout (or $TRADEWIND_PUBLIC_FIXTURES)."""
    env = os.environ.get("TRADEWIND_PUBLIC_FIXTURES")
    return Path(env) if env else REPO.parent / "shared" / "fixtures" / "public"


@pytest.fixture
def public_fixture() -> object:
    """`public_fixture(name)` -> path of a public sample report; skips the test when it is absent."""

    def get(name: str) -> Path:
        path = public_fixtures_dir() / name
        if not path.exists():
            pytest.skip(f"public sample {name} not available")
        return path

    return get


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace with one NA account (US, CA) and one EU account (UK, DE, FR, IT, ES)."""
    ws = Workspace.init(
        tmp_path / "ws",
        name="Test seller",
        currency="USD",
        accounts=[
            Account(id="acme-na", name="Acme NA", marketplaces=("US", "CA")),
            Account(id="acme-eu", name="Acme EU", marketplaces=("UK", "DE", "FR", "IT", "ES")),
        ],
    )
    yield ws
    ws.close()


def write_tsv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    """A tab-separated flat file as Amazon writes them (no quoting, LF line ends)."""
    lines = ["\t".join(header), *("\t".join(r) for r in rows)]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    bom: bool = False,
    encoding: str = "utf-8",
    final_newline: bool = True,
) -> Path:
    """A comma-separated file quoted the way Seller Central does it (only values containing commas)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if not final_newline:
        text = text.rstrip("\n")
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path
