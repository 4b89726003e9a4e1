"""Listing launch tasks: on time, late, overdue, pending and cancelled launches, and bad rows (issue 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.compliance.sheets import closed as closed
from tests.compliance.sheets import problems, rejected, rows_of, write_sheet
from tests.compliance.sheets import ws as ws
from tradewind.app import Workspace
from tradewind.ingest.spec import ImportOptions

HEADER = ["任务", "SKU", "站点", "负责人", "计划上架日期", "实际上架日期", "状态"]
AS_OF = ImportOptions(account="acme-eu", snapshot_date=date(2026, 3, 15))


def test_launches_judged_as_of_the_export_date(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        ["L1", "S1", "FR", "Li Na", "2026-03-10", "2026-03-12", "已上架"],  # two days late
        ["L2", "S2", "FR", "Li Na", "2026-03-01", "", "进行中"],  # not live 14 days after plan: late
        ["L3", "S3", "DE", "Wang Wei", "2026-03-20", "", ""],  # not yet due
        ["L4", "S4", "DE", "Wang Wei", "2026-03-01", "", "cancelled"],  # no longer planned
        ["L5", "S5", "DE", "Wang Wei", "2026-03-15", "2026-03-15", "launched"],  # on the day
        ["L6", "S6", "DE", "Wang Wei", "2026-03-15", "", "planned"],  # due today, still pending
        ["L7", "S7", "IT", "Li Na", "2026-03-12", "2026-03-09", "done"],  # three days early
    ]
    ws.import_file(write_sheet(tmp_path / "tasks.csv", HEADER, rows), AS_OF)
    got = rows_of(
        ws,
        "SELECT task, marketplace, owner, status, launch_due, launched_on_time, delay_days, as_of_date "
        "FROM listing_tasks ORDER BY task",
    )
    day = date(2026, 3, 15)
    assert got == [
        ("L1", "FR", "Li Na", "launched", True, False, 2, day),
        ("L2", "FR", "Li Na", "in_progress", True, False, 14, day),
        ("L3", "DE", "Wang Wei", "planned", False, None, None, day),
        ("L4", "DE", "Wang Wei", "cancelled", False, None, None, day),
        ("L5", "DE", "Wang Wei", "launched", True, True, 0, day),
        ("L6", "DE", "Wang Wei", "planned", False, None, None, day),
        ("L7", "IT", "Li Na", "launched", True, True, -3, day),
    ]
    # The same tasks, dated by launch day (for launches per week).
    assert rows_of(ws, "SELECT task, launched_date FROM listing_launches ORDER BY task") == [
        ("L1", date(2026, 3, 12)),
        ("L2", None),
        ("L3", None),
        ("L4", None),
        ("L5", date(2026, 3, 15)),
        ("L6", None),
        ("L7", date(2026, 3, 9)),
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ["B1", "S1", "XX", "Li Na", "2026-03-10", "", ""],
            "bad.csv, row 3, column '站点': unknown marketplace",
        ),
        (
            ["B2", "S1", "FR", "Li Na", "2026-03-10", "", "maybe"],
            "bad.csv, row 3, column '状态': unknown status",
        ),
        (
            ["B3", "S1", "FR", "Li Na", "2026-03-10", "", "已上架"],
            "bad.csv, row 3, column '实际上架日期': the task is marked launched but has no launch day",
        ),
        (
            ["B4", "S1", "FR", "Li Na", "2026-03-10", "2026-03-11", "已取消"],
            "bad.csv, row 3, column '状态': the task is marked cancelled but has a launch day",
        ),
        (
            ["B5", "S1", "FR", "Li Na", "2026-03-10", "2026-03-16", ""],
            "bad.csv, row 3, column '实际上架日期': the launch day is in the future (after the end of 2026-03-15",
        ),
        (
            ["B6", "S1", "FR", "2026", "2026-03-10", "", ""],
            "bad.csv, row 3, column '负责人': unexpected value (value '2026'); expected text, not a number",
        ),
    ],
    ids=[
        "unknown-marketplace",
        "unknown-status",
        "launched-no-day",
        "cancelled-with-day",
        "future",
        "number",
    ],
)
def test_bad_row_rejects_the_whole_file(closed: Path, tmp_path: Path, row: list[str], expected: str) -> None:
    good = ["G1", "S0", "DE", "Li Na", "2026-03-10", "2026-03-10", ""]
    error = rejected(closed, write_sheet(tmp_path / "bad.csv", HEADER, [good, row]), AS_OF)
    assert any(p.startswith(expected) for p in problems(error)), problems(error)
