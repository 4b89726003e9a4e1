"""Customer-service tickets: hours to first reply, open hours as of the export, and bad rows (issue 4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.compliance.sheets import closed as closed
from tests.compliance.sheets import problems, rejected, rows_of, write_sheet
from tests.compliance.sheets import ws as ws
from tradewind.app import Workspace
from tradewind.ingest.registry import report_by_id
from tradewind.ingest.spec import ImportOptions
from tradewind.ingest.templates import write_template

HEADER = ["ticket_id", "marketplace", "language", "channel", "received_at", "first_reply_at", "needs_reply"]
# Exported at the end of 2026-03-10: in Berlin/Paris/Rome/Madrid (UTC+1 in March before DST) that is
# 2026-03-11 00:00 local = 2026-03-10 23:00 UTC.
AS_OF = ImportOptions(account="acme-eu", snapshot_date=date(2026, 3, 10))
ROWS = [
    ["T1", "DE", "de", "email", "2026-03-09 10:00", "2026-03-09 16:30", ""],  # replied after 6.5 h
    ["T2", "FR", "fr", "chat", "2026-03-10 08:00", "", ""],  # open 16 h at 00:00: pending
    ["T3", "FR", "Français", "chat", "2026-03-08 09:00", "", "yes"],  # open 2 d 15 h = 63 h: a miss
    ["T4", "Amazon.it", "英语", "email", "2026-03-05 12:00", "2026-03-06 12:00", ""],  # exactly 24 h
    ["T5", "es", "ES-es", "email", "2026-03-05 12:00", "2026-03-06 12:01", ""],  # 24 h 1 min
    ["T6", "DE", "English", "email", "2026-03-09 11:00", "", "no"],  # a thank-you: no reply needed
]


def test_hours_to_reply_and_open_hours_as_of_the_export_date(ws: Workspace, tmp_path: Path) -> None:
    result = ws.import_file(write_sheet(tmp_path / "tickets.csv", HEADER, ROWS), AS_OF)
    assert result.report_type == "cs_tickets"
    assert result.rows_loaded == {"cs_tickets": 6}
    assert any("as of the end of 2026-03-10" in n for n in result.notes)
    got = rows_of(
        ws,
        "SELECT ticket_id, marketplace, language, received_date, needs_reply, first_reply_hours, open_hours, "
        "strftime(as_of_ts, '%Y-%m-%d %H:%M') FROM cs_tickets ORDER BY ticket_id",
    )
    assert got == [
        ("T1", "DE", "de", date(2026, 3, 9), True, 6.5, None, "2026-03-10 23:00"),
        ("T2", "FR", "fr", date(2026, 3, 10), True, None, 16.0, "2026-03-10 23:00"),
        ("T3", "FR", "fr", date(2026, 3, 8), True, None, 63.0, "2026-03-10 23:00"),
        ("T4", "IT", "en", date(2026, 3, 5), True, 24.0, None, "2026-03-10 23:00"),
        ("T5", "ES", "es", date(2026, 3, 5), True, pytest.approx(24 + 1 / 60), None, "2026-03-10 23:00"),
        ("T6", "DE", "en", date(2026, 3, 9), False, None, 37.0, "2026-03-10 23:00"),
    ]
    # Naive times are local to the row's marketplace: 10:00 in Berlin is 09:00 UTC.
    assert rows_of(ws, "SELECT strftime(received_ts, '%H:%M') FROM cs_tickets WHERE ticket_id = 'T1'") == [
        ("09:00",)
    ]


def test_unanswered_under_and_over_24_hours_as_of_the_import_time(ws: Workspace, tmp_path: Path) -> None:
    """Without --date, open tickets are judged at the moment of the import."""
    now = datetime.now(UTC).replace(microsecond=0)
    fresh = (now - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S+00:00")
    stale = (now - timedelta(hours=30)).strftime("%Y-%m-%d %H:%M:%S+00:00")
    path = write_sheet(
        tmp_path / "open.csv",
        ["ticket_id", "marketplace", "received_at", "first_reply_at"],
        [["N1", "DE", fresh, ""], ["N2", "DE", stale, ""]],
    )
    result = ws.import_file(path, ImportOptions(account="acme-eu"))
    assert any("as of the import time" in n for n in result.notes)
    fresh_h, stale_h = (h for (h,) in rows_of(ws, "SELECT open_hours FROM cs_tickets ORDER BY ticket_id"))
    assert 2.0 <= fresh_h < 2.5  # under 24 h: pending
    assert 30.0 <= stale_h < 30.5  # over 24 h: a miss


def test_chinese_header_xlsx_template_imports(ws: Workspace, tmp_path: Path) -> None:
    report = report_by_id("cs_tickets")
    assert report is not None
    path = write_template(
        report,
        tmp_path / "工单.xlsx",
        fmt="xlsx",
        lang="zh",
        rows=[
            {
                "ticket_id": "Z1",
                "marketplace": "FR",
                "language": "法语",
                "received_at": datetime(2026, 3, 9, 9, 30),
                "first_reply_at": datetime(2026, 3, 9, 21, 45),
            }
        ],
    )
    ws.import_file(path, AS_OF)
    assert rows_of(ws, "SELECT ticket_id, language, first_reply_hours FROM cs_tickets") == [
        ("Z1", "fr", 12.25)
    ]


def test_a_reimport_replaces_the_ticket(ws: Workspace, tmp_path: Path) -> None:
    ws.import_file(write_sheet(tmp_path / "a.csv", HEADER, ROWS[1:2]), AS_OF)
    answered = [["T2", "FR", "fr", "chat", "2026-03-10 08:00", "2026-03-10 09:00", ""]]
    result = ws.import_file(write_sheet(tmp_path / "b.csv", HEADER, answered), AS_OF)
    assert result.rows_replaced == {"cs_tickets": 1}
    assert rows_of(ws, "SELECT first_reply_hours, open_hours FROM cs_tickets") == [(1.0, None)]


# -- bad rows: the whole file is rejected, with row, column and value ----------------------------------
def _one_bad(tmp_path: Path, row: list[str]) -> Path:
    return write_sheet(tmp_path / "bad.csv", HEADER, [ROWS[0], row])


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ["B1", "Amazon.xx", "de", "email", "2026-03-09 10:00", "", ""],
            "bad.csv, row 3, column 'marketplace': unknown marketplace (value 'Amazon.xx')",
        ),
        (
            ["B2", "DE", "de", "email", "2026-03-09 10:00", "2026-03-09 09:59", ""],
            "bad.csv, row 3, column 'first_reply_at': the first reply is before the message arrived "
            "(value '2026-03-09 09:59:00')",
        ),
        (
            ["B3", "DE", "de", "email", "2026-03-12 10:00", "", ""],
            "bad.csv, row 3, column 'received_at': the time received is in the future (after the end of "
            "2026-03-10, the export date given with --date) (value '2026-03-12 10:00:00')",
        ),
        (
            ["B4", "DE", "42", "email", "2026-03-09 10:00", "", ""],
            "bad.csv, row 3, column 'language': unexpected value (value '42'); expected text, not a number",
        ),
        (
            ["B5", "DE", "klingon", "email", "2026-03-09 10:00", "", ""],
            "bad.csv, row 3, column 'language': unknown language (value 'klingon')",
        ),
    ],
    ids=["unknown-marketplace", "reply-before-receipt", "future", "number-in-language", "unknown-language"],
)
def test_bad_row_rejects_the_whole_file(closed: Path, tmp_path: Path, row: list[str], expected: str) -> None:
    error = rejected(closed, _one_bad(tmp_path, row), AS_OF)
    assert any(p.startswith(expected) for p in problems(error)), problems(error)
    assert "Nothing was written" in str(error)


def test_a_date_in_the_future_of_the_import(closed: Path, tmp_path: Path) -> None:
    path = write_sheet(
        tmp_path / "future.csv",
        ["ticket_id", "marketplace", "received_at", "first_reply_at"],
        [["F1", "DE", "2099-01-01 10:00", ""]],
    )
    error = rejected(closed, path, ImportOptions(account="acme-eu"))
    assert problems(error) == [
        "future.csv, row 2, column 'received_at': the time received is in the future (after the time of the "
        "import) (value '2099-01-01 10:00:00'); expected the time received at or before the moment the sheet "
        "was exported"
    ]


def test_a_row_of_another_account(closed: Path, tmp_path: Path) -> None:
    path = write_sheet(
        tmp_path / "acct.csv",
        ["ticket_id", "account", "marketplace", "received_at", "first_reply_at"],
        [["A1", "acme-eu", "DE", "2026-03-09 10:00", ""], ["A2", "acme-us", "DE", "2026-03-09 10:00", ""]],
    )
    error = rejected(closed, path, AS_OF)
    assert problems(error)[0].startswith(
        "acct.csv, row 3, column 'account': the row belongs to another account than the one imported into "
        "(acme-eu) (value 'acme-us')"
    )


def test_no_marketplace_anywhere(closed: Path, tmp_path: Path) -> None:
    path = write_sheet(
        tmp_path / "nomkt.csv",
        ["ticket_id", "received_at", "first_reply_at"],
        [["M1", "2026-03-09 10:00", ""]],
    )
    error = rejected(closed, path, AS_OF)
    assert "the row names no marketplace, and the account has several" in problems(error)[0]
