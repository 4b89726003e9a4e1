"""Self-fulfilled shipments: on time to the deadline's precision, overdue and pending orders, tracking
ids, and bad rows (issue 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.compliance.sheets import closed as closed
from tests.compliance.sheets import problems, rejected, rows_of, write_sheet
from tests.compliance.sheets import ws as ws
from tradewind.app import Workspace
from tradewind.ingest.spec import ImportOptions

HEADER = ["order_id", "marketplace", "ship_by", "shipped_at", "carrier", "tracking_id"]
# Exported at the end of 2026-03-05 Berlin time (UTC+1): 2026-03-05 23:00 UTC.
AS_OF = ImportOptions(account="acme-eu", snapshot_date=date(2026, 3, 5))


def _facts(ws: Workspace) -> list[tuple[object, ...]]:
    return rows_of(
        ws,
        "SELECT order_id, shipment_no, strftime(ship_by_ts, '%Y-%m-%d %H:%M:%S'), ship_by_date, ship_due, "
        "shipped_on_time, tracking_valid FROM shipments ORDER BY order_id, shipment_no",
    )


def test_deadline_to_the_minute_covers_that_minute(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        ["A1", "DE", "2026-03-05 18:00", "2026-03-05 18:00:45", "UPS", "1Z999AA10123456784"],  # in the minute
        [
            "A2",
            "DE",
            "2026-03-05 18:00",
            "2026-03-05 18:01:00",
            "DHL",
            "00340434161094042557",
        ],  # a minute late
        ["A3", "DE", "2026-03-04 12:00", "", "", ""],  # deadline passed, not shipped: late
        ["A4", "DE", "2026-03-06 12:00", "", "", ""],  # not yet due: pending
        ["A5", "DE", "2026-03-03 10:00", "2026-03-02 15:00:00", "UPS", "1Z999AA10123456784"],
        ["A5", "DE", "2026-03-03 10:00", "2026-03-03 10:00:59", "DHL", "N/A"],  # second parcel, same order
    ]
    ws.import_file(write_sheet(tmp_path / "ship.csv", HEADER, rows), AS_OF)
    # 18:00 Berlin = 17:00 UTC; the deadline's last on-time second is 17:00:59 UTC.
    assert _facts(ws) == [
        ("A1", 1, "2026-03-05 17:00:59", date(2026, 3, 5), True, True, True),
        ("A2", 1, "2026-03-05 17:00:59", date(2026, 3, 5), True, False, True),
        ("A3", 1, "2026-03-04 11:00:59", date(2026, 3, 4), True, False, None),
        ("A4", 1, "2026-03-06 11:00:59", date(2026, 3, 6), False, None, None),
        ("A5", 1, "2026-03-03 09:00:59", date(2026, 3, 3), True, True, True),
        ("A5", 2, "2026-03-03 09:00:59", date(2026, 3, 3), True, True, False),
    ]


def test_a_bare_date_deadline_covers_the_local_day(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        ["D1", "FR", "2026-03-05", "2026-03-05 23:59:59", "La Poste", "6A12345678901"],
        ["D2", "FR", "2026-03-04", "2026-03-05 00:00:00", "La Poste", "6A12345678902"],
    ]
    ws.import_file(write_sheet(tmp_path / "days.csv", HEADER, rows), AS_OF)
    # 2026-03-05 ends at 23:59:59 Paris time = 22:59:59 UTC.
    assert _facts(ws) == [
        ("D1", 1, "2026-03-05 22:59:59", date(2026, 3, 5), True, True, True),
        ("D2", 1, "2026-03-04 22:59:59", date(2026, 3, 4), True, False, True),
    ]


def test_a_deadline_to_the_second_is_exact(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        ["E1", "DE", "2026-03-05 18:00:00", "2026-03-05 18:00:00", "DPD", "01234567890123"],
        ["E2", "DE", "2026-03-05 18:00:00", "2026-03-05 18:00:01", "DPD", "01234567890124"],
    ]
    ws.import_file(write_sheet(tmp_path / "exact.csv", HEADER, rows), AS_OF)
    assert [r[5] for r in _facts(ws)] == [True, False]


@pytest.mark.parametrize(
    ("carrier", "tracking", "valid"),
    [
        ("UPS", "1Z 999 AA1 0123 4567 84", True),
        ("UPS", "123456789012", False),  # a FedEx-like number is not a UPS id
        ("FedEx", "123456789012", True),
        ("FedEx", "12345", False),
        ("Royal Mail", "AB123456789GB", True),
        ("DHL", "0000000000", False),  # one repeated character: a placeholder
        ("Hermes", "TBD", False),
        ("GLS", "", False),  # shipped without a tracking id
    ],
)
def test_tracking_validity(ws: Workspace, tmp_path: Path, carrier: str, tracking: str, valid: bool) -> None:
    rows = [["T1", "DE", "2026-03-05 18:00", "2026-03-05 10:00:00", carrier, tracking]]
    ws.import_file(write_sheet(tmp_path / "track.csv", HEADER, rows), AS_OF)
    assert rows_of(ws, "SELECT tracking_valid FROM shipments") == [(valid,)]


# -- bad rows --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        (
            HEADER,
            ["B1", "Mars", "2026-03-05 18:00", "", "", ""],
            "bad.csv, row 3, column 'marketplace': unknown marketplace (value 'Mars')",
        ),
        (
            HEADER,
            ["B2", "DE", "2026-03-05 18:00", "2026-03-07 10:00:00", "DHL", "00340434161094042557"],
            "bad.csv, row 3, column 'shipped_at': the ship time is in the future",
        ),
        (
            HEADER,
            ["B3", "DE", "2026-03-05 18:00", "2026-03-05 10:00:00", "12345", "00340434161094042557"],
            "bad.csv, row 3, column 'carrier': unexpected value (value '12345'); expected text, not a number",
        ),
        (
            [*HEADER, "delivered_at"],
            [
                "B4",
                "DE",
                "2026-03-05 18:00",
                "2026-03-05 10:00:00",
                "DHL",
                "00340434161094042557",
                "2026-03-04 09:00",
            ],
            "bad.csv, row 3, column 'delivered_at': delivered before it was shipped (value '2026-03-04 09:00:00')",
        ),
    ],
    ids=["unknown-marketplace", "future", "number-in-carrier", "delivered-before-shipped"],
)
def test_bad_row_rejects_the_whole_file(
    closed: Path, tmp_path: Path, header: list[str], row: list[str], expected: str
) -> None:
    good = ["G1", "DE", "2026-03-05 18:00", "2026-03-05 10:00:00", "DHL", "00340434161094042557"]
    good += [""] * (len(header) - len(good))
    error = rejected(closed, write_sheet(tmp_path / "bad.csv", header, [good, row]), AS_OF)
    assert any(p.startswith(expected) for p in problems(error)), problems(error)
