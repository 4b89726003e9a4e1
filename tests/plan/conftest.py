"""Fixtures for plan tests: the hand-made seller of the decomposition cases.

The seller sold in 2025 (every month, one order on the 15th; USD reporting, EUR->USD 1.25):
- US (acme-na): S1 75.00 and S2 25.00 a month through amazon_fba;
- DE (acme-eu): S1 80.00 EUR (= 100.00 USD) a month through amazon_fba;
- IT: nothing.
Products: S1 owned by li (both accounts), S2 by wang, N1 (new, not sold yet) by zhao in acme-eu.

Making a plan runs the KPI engine, which costs about a second, so the seller is shared by the tests of
a module (`seller`) and each test that changes plans makes its own plan name.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.store.config import Account

from .seller import add_fx, add_products, add_sales, monthly

PLAN_TODAY = date(2026, 3, 1)


def new_workspace(folder: Path) -> Workspace:
    return Workspace.init(
        folder,
        name="Plan test seller",
        currency="USD",
        accounts=[
            Account(id="acme-na", name="Acme NA", marketplaces=("US", "CA")),
            Account(id="acme-eu", name="Acme EU", marketplaces=("UK", "DE", "FR", "IT", "ES")),
        ],
    )


def fill_seller(ws: Workspace) -> Workspace:
    add_fx(ws, date(2024, 12, 31))
    add_sales(ws, monthly("US", date(2025, 1, 1), [75] * 12, "S1"))
    add_sales(ws, monthly("US", date(2025, 1, 1), [25] * 12, "S2"))
    add_sales(ws, monthly("DE", date(2025, 1, 1), [80] * 12, "S1"))
    add_products(
        ws,
        [
            ("acme-na", "S1", "li"),
            ("acme-na", "S2", "wang"),
            ("acme-eu", "S1", "li"),
            ("acme-eu", "N1", "zhao"),
        ],
    )
    return ws


@pytest.fixture(scope="module")
def seller(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = fill_seller(new_workspace(tmp_path_factory.mktemp("seller") / "ws"))
    yield ws
    ws.close()
