"""Ratings snapshots: counts and averages by ASIN and day, decimal commas, and bad rows (issue 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.compliance.sheets import closed as closed
from tests.compliance.sheets import problems, rejected, rows_of, write_sheet
from tests.compliance.sheets import ws as ws
from tradewind.app import Workspace
from tradewind.ingest.spec import ImportOptions

HEADER = ["snapshot_date", "marketplace", "asin", "sku", "ratings_count", "avg_rating"]
EU = ImportOptions(account="acme-eu")


def test_snapshots_with_dot_and_comma_decimals(ws: Workspace, tmp_path: Path) -> None:
    dot = [
        ["2026-02-28", "DE", "b0bgpmd867", "MUG-1", "1,204", "4.4"],
        ["2026-02-28", "FR", "B0BGPMD868", "", "0", ""],
    ]
    ws.import_file(write_sheet(tmp_path / "dot.csv", HEADER, dot), EU)
    comma = [["2026-03-31", "DE", "B0BGPMD867", "MUG-1", "1.310", "4,35"]]
    ws.import_file(write_sheet(tmp_path / "komma.csv", ["日期", *HEADER[1:]], comma), EU)
    assert rows_of(
        ws,
        "SELECT snapshot_date, marketplace, asin, sku, ratings_count, avg_rating FROM ratings_snapshots "
        "ORDER BY snapshot_date, marketplace",
    ) == [
        (date(2026, 2, 28), "DE", "B0BGPMD867", "MUG-1", 1204, 4.4),
        (date(2026, 2, 28), "FR", "B0BGPMD868", None, 0, None),
        (date(2026, 3, 31), "DE", "B0BGPMD867", "MUG-1", 1310, 4.35),
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["2026-03-01", "ZZ", "B0BGPMD867", "", "10", "4.0"], "column 'marketplace': unknown marketplace"),
        (
            ["2026-03-01", "DE", "B0BGPMD867", "", "10", "5.5"],
            "column 'avg_rating': an average star rating is",
        ),
        (["2026-03-01", "DE", "B0BGPMD867", "", "10", ""], "column 'avg_rating': ratings without an average"),
        (["2026-03-01", "DE", "12345", "", "10", "4.0"], "column 'asin': unexpected value (value '12345')"),
        (
            ["2099-03-01", "DE", "B0BGPMD867", "", "10", "4.0"],
            "column 'snapshot_date': the day is in the future",
        ),
    ],
    ids=["unknown-marketplace", "rating-above-5", "no-average", "number-as-asin", "future"],
)
def test_bad_row_rejects_the_whole_file(closed: Path, tmp_path: Path, row: list[str], expected: str) -> None:
    good = ["2026-03-01", "DE", "B0BGPMD860", "", "3", "4.5"]
    error = rejected(closed, write_sheet(tmp_path / "bad.csv", HEADER, [good, row]), EU)
    assert any(p.startswith(f"bad.csv, row 3, {expected}") for p in problems(error)), problems(error)
