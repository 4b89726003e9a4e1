from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.store.config import Account


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """An EU seller reporting in EUR (no FX rates needed for EUR facts)."""
    workspace = Workspace.init(
        tmp_path / "ws",
        name="Watch test seller",
        currency="EUR",
        accounts=[Account(id="acme-eu", name="Acme EU", marketplaces=("DE", "FR", "IT", "ES"))],
    )
    yield workspace
    workspace.close()
