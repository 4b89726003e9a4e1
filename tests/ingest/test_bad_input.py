"""Bad files get a clear error naming file, row, column and value, and leave the workspace byte-for-byte
as it was (issue #2, "Done when")."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected, TradewindError
from tradewind.ingest.spec import ImportOptions
from tradewind.store.config import Account

from .orders_file import ORDERS_HEADER, order_row, write_orders

EU = ImportOptions(account="acme-eu")


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix in {".duckdb", ".sqlite", ".toml", ".wal"}
    }


@pytest.fixture
def closed_workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    ws = Workspace.init(folder, accounts=[Account(id="acme-eu", name="EU", marketplaces=("UK", "DE", "FR"))])
    write_orders(tmp_path / "seed.txt", [order_row("111-1")])
    ws.import_file(tmp_path / "seed.txt", EU)
    ws.close()
    return folder


def rejected(folder: Path, path: Path, options: ImportOptions = EU) -> TradewindError:
    """Import `path` expecting a rejection; assert the workspace files did not change at all."""
    before = _digest(folder)
    ws = Workspace.open(folder)
    try:
        with pytest.raises(TradewindError) as info:
            ws.import_file(path, options)
    finally:
        ws.close()
    assert _digest(folder) == before
    return info.value


def problems_of(error: TradewindError) -> list[str]:
    assert isinstance(error, ImportRejected)
    return [p.render() for p in error.problems]


def test_empty_file(closed_workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "the file is empty" in str(rejected(closed_workspace, path))


def test_header_only(closed_workspace: Path, tmp_path: Path) -> None:
    path = write_orders(tmp_path / "header.txt", [])
    assert "no data rows" in str(rejected(closed_workspace, path))


def test_truncated_last_line(closed_workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "truncated.txt"
    write_orders(path, [order_row("111-2"), order_row("111-3")])
    data = path.read_bytes().rstrip(b"\n")
    path.write_bytes(data[: data.rfind(b"\t", 0, len(data) - 40)])  # cut the last line in the middle
    error = rejected(closed_workspace, path)
    assert any("row 3" in p and "columns" in p for p in problems_of(error))


def test_wrong_delimiter_in_rows(closed_workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    header = "\t".join(ORDERS_HEADER)
    path.write_text(header + "\n" + ",".join(order_row("111-4")) + "\n", encoding="utf-8")
    error = rejected(closed_workspace, path)
    assert any("row 2" in p and "32 columns" in p for p in problems_of(error))


def test_unknown_report(closed_workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "unknown.csv"
    path.write_text("foo,bar,baz\n1,2,3\n", encoding="utf-8")
    message = str(rejected(closed_workspace, path))
    assert "not a report Tradewind knows" in message
    assert "foo, bar, baz" in message


def test_non_number_names_row_column_and_value(closed_workspace: Path, tmp_path: Path) -> None:
    path = write_orders(tmp_path / "nan.txt", [order_row("111-5"), order_row("111-6", price="twelve")])
    (line,) = problems_of(rejected(closed_workspace, path))
    assert "row 3" in line and "'item-price'" in line and "'twelve'" in line and "number" in line


def test_impossible_date(closed_workspace: Path, tmp_path: Path) -> None:
    path = write_orders(tmp_path / "date.txt", [order_row("111-7", when="2026-02-30T10:00:00+00:00")])
    line = problems_of(rejected(closed_workspace, path))[0]
    assert "row 2" in line and "'purchase-date'" in line and "2026-02-30" in line


def test_mixed_currencies_for_one_marketplace(closed_workspace: Path, tmp_path: Path) -> None:
    path = write_orders(tmp_path / "cur.txt", [order_row("111-8"), order_row("111-9", currency="GBP")])
    (line,) = problems_of(rejected(closed_workspace, path))
    assert "mixed currencies" in line and "row 3" in line and "GBP" in line


def test_quantity_beyond_the_fact_column(closed_workspace: Path, tmp_path: Path) -> None:
    """A count that parses but does not fit the fact table is caught before anything is written."""
    path = write_orders(tmp_path / "qty.txt", [order_row("111-11"), order_row("111-12", qty="3000000000")])
    (line,) = problems_of(rejected(closed_workspace, path))
    assert "row 3" in line and "quantity is out of range" in line


def test_ten_megabyte_field(closed_workspace: Path, tmp_path: Path) -> None:
    path = write_orders(tmp_path / "big.txt", [order_row("111-10", name="x" * 10_000_000)])
    message = str(rejected(closed_workspace, path))
    assert "longer than" in message


def test_binary_file(closed_workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(bytes(range(256)) * 64)
    assert "binary file" in str(rejected(closed_workspace, path))


def test_workbook_with_several_report_sheets(closed_workspace: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "March"
    second = book.create_sheet("April")
    for sheet, order in ((first, "111-11"), (second, "111-12")):
        sheet.append(ORDERS_HEADER)
        sheet.append(order_row(order))
    path = tmp_path / "two.xlsx"
    book.save(path)
    message = str(rejected(closed_workspace, path))
    assert "several sheets" in message and "'March'" in message and "'April'" in message


def test_problem_list_is_complete_up_to_fifty(closed_workspace: Path, tmp_path: Path) -> None:
    rows = [order_row(f"200-{i}", qty="many") for i in range(70)]
    error = rejected(closed_workspace, write_orders(tmp_path / "many.txt", rows))
    assert isinstance(error, ImportRejected)
    assert len(error.problems) == 50 and error.total == 70
    assert "and 20 more" in str(error)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+491234", "-5 pack", "@SUM(A1)"])
def test_formula_like_cells_are_kept_as_text(workspace: Workspace, tmp_path: Path, text: str) -> None:
    path = write_orders(tmp_path / "formula.txt", [order_row("111-13", name=text)])
    workspace.import_file(path, EU)
    assert workspace.facts.query("SELECT product_name FROM order_lines") == [(text,)]


def test_unknown_marketplace_option(workspace: Workspace, tmp_path: Path) -> None:
    path = write_orders(tmp_path / "o.txt", [order_row("111-14")])
    with pytest.raises(TradewindError, match="unknown marketplace 'XX'"):
        workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="XX"))


def test_failure_inside_the_transaction_rolls_back(
    closed_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If writing fails after the old rows were deleted, the deletion is undone too."""
    from tradewind.ingest import loader

    before = _digest(closed_workspace)
    path = write_orders(tmp_path / "replace.txt", [order_row("111-1", price="99.00")])
    original: Callable[..., object] = loader.datetime.now

    def explode(*args: object, **kwargs: object) -> object:
        raise OSError("disk full")

    ws = Workspace.open(closed_workspace)
    monkeypatch.setattr(loader, "datetime", type("D", (), {"now": staticmethod(explode)}))
    with pytest.raises(OSError):
        ws.import_file(path, EU)
    monkeypatch.setattr(loader, "datetime", type("D", (), {"now": staticmethod(original)}))
    assert ws.facts.query("SELECT item_price::DOUBLE FROM order_lines") == [(11.90,)]
    ws.close()
    assert _digest(closed_workspace) == before
