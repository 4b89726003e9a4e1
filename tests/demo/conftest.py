"""The small demo, built, imported, planned and checked once for the whole demo test session (it takes
the most time); a second round of its checks, and its board, also once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.cli.board import Board, build_board
from tradewind.demo.build import DemoSummary, run_demo
from tradewind.demo.scenario import DemoScenario, scenario_for
from tradewind.demo.world import World, build_world
from tradewind.watch.model import CheckReport

#: A fixed "today": the demo then covers 2024-04-01..2026-03-31 (730 days), and its plan is for 2026.
TODAY = date(2026, 4, 15)


@pytest.fixture(scope="session")
def small_scenario() -> DemoScenario:
    return scenario_for("small", today=TODAY)


@pytest.fixture(scope="session")
def small_world(small_scenario: DemoScenario) -> World:
    return build_world(small_scenario)


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory, small_scenario: DemoScenario) -> DemoSummary:
    return run_demo(tmp_path_factory.mktemp("demo") / "ws", small_scenario)


@pytest.fixture(scope="session")
def second_checks(small_demo: DemoSummary) -> tuple[CheckReport, ...]:
    """The demo's checks run again, on the same days (a writable workspace, before any read-only one)."""
    assert small_demo.followup is not None
    with Workspace.open(small_demo.folder) as ws:
        return tuple(ws.check(r.as_of, notify=False) for r in small_demo.followup.checks)


@pytest.fixture(scope="session")
def demo_ws(small_demo: DemoSummary, second_checks: tuple[CheckReport, ...]) -> Iterator[Workspace]:
    ws = Workspace.open(small_demo.folder, read_only=True)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def board(demo_ws: Workspace) -> Board:
    return build_board(demo_ws, today=TODAY)


def files_under(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file()}
