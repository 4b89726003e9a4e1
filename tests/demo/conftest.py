"""The small demo, built and imported once for the whole demo test module (it takes the most time)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.demo.build import DemoSummary, run_demo
from tradewind.demo.scenario import DemoScenario, scenario_for

#: A fixed "today": the demo then covers 2024-03-01..2026-02-28.
TODAY = date(2026, 3, 15)


@pytest.fixture(scope="session")
def small_scenario() -> DemoScenario:
    return scenario_for("small", today=TODAY)


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory, small_scenario: DemoScenario) -> DemoSummary:
    return run_demo(tmp_path_factory.mktemp("demo") / "ws", small_scenario)


@pytest.fixture(scope="session")
def demo_ws(small_demo: DemoSummary) -> Iterator[Workspace]:
    ws = Workspace.open(small_demo.folder, read_only=True)
    yield ws
    ws.close()


def files_under(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file()}
