"""Product catalog with unit costs (template `products`): hand-made CSV and XLSX files, expected facts
written out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected, WorkspaceError
from tradewind.ingest.spec import ImportOptions

from ..conftest import write_csv

NA = ImportOptions(account="acme-na")
HEADER = [
    "sku",
    "asin",
    "parent_asin",
    "title",
    "category",
    "brand",
    "owner",
    "gtin",
    "lead_time_days",
    "launch_date",
    "unit_cost",
    "cost_currency",
    "cost_effective_from",
]


def products(ws: Workspace) -> list[tuple[object, ...]]:
    return ws.facts.query(
        "SELECT account_id, marketplace, source_row, sku, asin, parent_asin, title, category, brand, owner, "
        "gtin, lead_time_days, launch_date FROM products ORDER BY sku"
    )


def costs(ws: Workspace) -> list[tuple[object, ...]]:
    return ws.facts.query(
        "SELECT account_id, source_row, sku, effective_from, unit_cost, currency FROM product_costs "
        "ORDER BY sku, effective_from"
    )


def catalog_csv(path: Path) -> Path:
    return write_csv(
        path,
        HEADER,
        [
            [
                "MUG-BLU",
                "b0bgpmd867",
                "B0BGPMD800",
                "Blue mug",
                "Kitchen",
                "Acme",
                "Li Na",
                "0012345678905",
                "45",
                "2025-09-15",
                "3.85",
                "usd",
                "2025-09-01",
            ],
            # A new cost for the same SKU: attributes left blank mean "as on the other row".
            ["MUG-BLU", "", "", "", "", "", "", "", "", "", "4.10", "USD", "2026-01-01"],
            [
                "MUG-RED",
                "B0BGPMD868",
                "B0BGPMD800",
                "Red mug",
                "Kitchen",
                "Acme",
                "Wang Wei",
                "4006381333931",
                "30",
                "2025-10-01",
                "27.5",
                "CNY",
                "2025-10-01",
            ],
            ["LID-1", "B0BGPMD869", "", "=Lid (spare)", "Parts", "Acme", "Li Na", "", "", "", "", "", ""],
        ],
    )


def test_catalog_csv(workspace: Workspace, tmp_path: Path) -> None:
    result = workspace.import_file(catalog_csv(tmp_path / "catalog.csv"), NA)
    assert result.rows_loaded == {"products": 3, "product_costs": 3}
    assert products(workspace) == [
        (
            "acme-na",
            None,
            5,
            "LID-1",
            "B0BGPMD869",
            None,
            "=Lid (spare)",
            "Parts",
            "Acme",
            "Li Na",
            None,
            None,
            None,
        ),
        (
            "acme-na",
            None,
            2,
            "MUG-BLU",
            "B0BGPMD867",
            "B0BGPMD800",
            "Blue mug",
            "Kitchen",
            "Acme",
            "Li Na",
            "0012345678905",
            45,
            date(2025, 9, 15),
        ),
        (
            "acme-na",
            None,
            4,
            "MUG-RED",
            "B0BGPMD868",
            "B0BGPMD800",
            "Red mug",
            "Kitchen",
            "Acme",
            "Wang Wei",
            "4006381333931",
            30,
            date(2025, 10, 1),
        ),
    ]
    assert costs(workspace) == [
        ("acme-na", 2, "MUG-BLU", date(2025, 9, 1), Decimal("3.8500"), "USD"),
        ("acme-na", 3, "MUG-BLU", date(2026, 1, 1), Decimal("4.1000"), "USD"),
        ("acme-na", 4, "MUG-RED", date(2025, 10, 1), Decimal("27.5000"), "CNY"),
    ]
    ledger = workspace.facts.query("SELECT report_type, account_id, marketplace, rows_loaded FROM imports")
    assert ledger == [("products", "acme-na", None, 6)]


def test_cost_update_keeps_the_catalog_row(workspace: Workspace, tmp_path: Path) -> None:
    first = workspace.import_file(catalog_csv(tmp_path / "catalog.csv"), NA)
    update = write_csv(
        tmp_path / "costs.csv",
        ["sku", "unit_cost", "cost_currency", "cost_effective_from"],
        [["MUG-RED", "28.00", "CNY", "2026-02-01"], ["MUG-BLU", "4.20", "USD", "2026-01-01"]],
    )
    result = workspace.import_file(update, NA)
    assert result.rows_loaded == {"product_costs": 2}
    assert result.rows_replaced == {"product_costs": 1}  # MUG-BLU from 2026-01-01: 4.10 -> 4.20
    assert workspace.facts.query("SELECT sku, title, import_id FROM products ORDER BY sku") == [
        ("LID-1", "=Lid (spare)", first.import_id),
        ("MUG-BLU", "Blue mug", first.import_id),
        ("MUG-RED", "Red mug", first.import_id),
    ]
    assert [(c[2], c[3], c[4]) for c in costs(workspace)] == [
        ("MUG-BLU", date(2025, 9, 1), Decimal("3.8500")),
        ("MUG-BLU", date(2026, 1, 1), Decimal("4.2000")),
        ("MUG-RED", date(2025, 10, 1), Decimal("27.5000")),
        ("MUG-RED", date(2026, 2, 1), Decimal("28.0000")),
    ]


def test_a_catalog_row_replaces_the_whole_product(workspace: Workspace, tmp_path: Path) -> None:
    workspace.import_file(catalog_csv(tmp_path / "catalog.csv"), NA)
    again = write_csv(
        tmp_path / "again.csv", ["sku", "title", "owner"], [["MUG-RED", "Red mug 350 ml", "Zhao Lei"]]
    )
    result = workspace.import_file(again, NA)
    assert result.rows_replaced == {"products": 1}
    row = workspace.facts.query("SELECT title, owner, brand, gtin FROM products WHERE sku = 'MUG-RED'")
    assert row == [("Red mug 350 ml", "Zhao Lei", None, None)]


def test_products_belong_to_the_account(workspace: Workspace, tmp_path: Path) -> None:
    path = catalog_csv(tmp_path / "catalog.csv")
    with pytest.raises(WorkspaceError, match="several accounts"):
        workspace.import_file(path, ImportOptions())
    workspace.import_file(path, ImportOptions(account="acme-eu"))
    workspace.import_file(path, NA)
    assert workspace.facts.query("SELECT account_id, count(*) FROM products GROUP BY 1 ORDER BY 1") == [
        ("acme-eu", 3),
        ("acme-na", 3),
    ]


def test_catalog_xlsx_with_numeric_gtins_and_date_cells(workspace: Workspace, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    # GTINs typed into General cells become numbers: 012345678905 -> 12345678905, 01234565 -> 1234565.
    ws.append(
        [
            "K-1",
            "B0AAAAAAA1",
            None,
            "Kettle",
            None,
            None,
            None,
            12345678905,
            30,
            date(2025, 3, 1),
            12.5,
            "EUR",
            date(2026, 1, 1),
        ]
    )
    ws.append(
        [
            "K-2",
            "B0AAAAAAA2",
            None,
            "Kettle XL",
            None,
            None,
            None,
            4006381333931,
            21.0,
            None,
            "7.25",
            "eur",
            date(2026, 1, 1),
        ]
    )
    ws.append(["K-3", "B0AAAAAAA3", None, "Filter", None, None, None, 1234565, None, None, None, None, None])
    ws.append(
        ["K-4", "B0AAAAAAA4", None, "Lid", None, None, None, "00012345678905", None, None, None, None, None]
    )
    path = tmp_path / "catalog.xlsx"
    wb.save(path)
    result = workspace.import_file(path, NA)
    assert result.rows_loaded == {"products": 4, "product_costs": 2}
    assert any("2 GTIN(s) had lost their leading zeros" in note for note in result.notes)
    assert workspace.facts.query(
        "SELECT sku, gtin, lead_time_days, launch_date FROM products ORDER BY sku"
    ) == [
        ("K-1", "012345678905", 30, date(2025, 3, 1)),
        ("K-2", "4006381333931", 21, None),
        ("K-3", "01234565", None, None),
        ("K-4", "00012345678905", None, None),
    ]
    assert [(c[2], c[3], c[4], c[5]) for c in costs(workspace)] == [
        ("K-1", date(2026, 1, 1), Decimal("12.5000"), "EUR"),
        ("K-2", date(2026, 1, 1), Decimal("7.2500"), "EUR"),
    ]


def test_decimal_point_is_not_taken_from_the_marketplace(workspace: Workspace, tmp_path: Path) -> None:
    # `1.234` alone does not say which separator it uses; a hand-filled sheet is read with a dot even
    # when --marketplace DE (whose Seller Central writes 1.234,56) is given.
    path = write_csv(
        tmp_path / "c.csv",
        ["sku", "unit_cost", "cost_currency", "cost_effective_from"],
        [["X-1", "1.234", "EUR", "2026-01-01"]],
    )
    workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="DE"))
    assert workspace.facts.query("SELECT unit_cost FROM product_costs") == [(Decimal("1.2340"),)]


def _rejected(ws: Workspace, path: Path) -> list[tuple[int | None, str | None, str | None, str]]:
    with pytest.raises(ImportRejected) as info:
        ws.import_file(path, NA)
    assert ws.fact_counts()["products"] == 0 and ws.fact_counts()["product_costs"] == 0
    return [(p.row, p.column, p.value, p.message) for p in info.value.problems]


def test_rows_of_a_sku_that_disagree_are_problems(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "conflict.csv",
        ["sku", "title", "owner", "unit_cost", "cost_currency", "cost_effective_from"],
        [
            ["MUG-BLU", "Blue mug", "Li Na", "3.85", "USD", "2025-09-01"],
            ["MUG-BLU", "Blue mug 350ml", "", "4.10", "USD", "2026-01-01"],
            ["MUG-RED", "Red mug", "Li Na", "3.85", "USD", "2025-09-01"],
        ],
    )
    assert _rejected(workspace, path) == [
        (2, "title", "MUG-BLU: Blue mug", "the rows of this SKU give different values for title"),
        (3, "title", "MUG-BLU: Blue mug 350ml", "the rows of this SKU give different values for title"),
    ]


def test_cost_columns_go_together(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        ["sku", "unit_cost", "cost_currency", "cost_effective_from", "lead_time_days", "gtin"],
        [
            ["A", "3.00", "", "2026-01-01", "", ""],
            ["B", "3.00", "USD", "", "", ""],
            ["C", "", "USD", "2026-01-01", "", ""],
            ["D", "-1", "USD", "2026-01-01", "", ""],
            ["E", "", "", "", "", "4.00638E+12"],
            ["F", "", "", "", "", "ABC123"],
            ["G", "", "", "", "", "123456789012345"],
            ["H", "", "", "", "-3", ""],
        ],
    )
    problems = _rejected(workspace, path)
    assert [(row, column, value) for row, column, value, _ in problems] == [
        (2, "cost_currency", "3.0000"),
        (3, "cost_effective_from", "3.0000"),
        (4, "unit_cost", "USD"),
        (5, "unit_cost", "-1.0000"),
        (6, "gtin", "4.00638E+12"),
        (7, "gtin", "ABC123"),
        (8, "gtin", "123456789012345"),
        (9, "lead_time_days", "-3"),
    ]
    messages = [m for *_, m in problems]
    assert messages[0] == "a unit cost without its currency"
    assert messages[1] == "a unit cost without the date it applies from"
    assert messages[4].startswith("the GTIN is in scientific notation")


def test_a_bad_asin_and_date_name_row_and_column(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        ["sku", "asin", "launch_date"],
        [
            ["A", "B0BGPMD867", "2025-09-15"],
            ["B", "B0BGPMD8", "2025-09-16"],
            ["C", "B0BGPMD869", "15/09/2025"],
        ],
    )
    problems = _rejected(workspace, path)
    assert [(row, column, value) for row, column, value, _ in problems] == [
        (3, "asin", "B0BGPMD8"),
        (4, "launch_date", "15/09/2025"),
    ]


def test_the_same_cost_date_twice_is_a_problem(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dupe.csv",
        ["sku", "unit_cost", "cost_currency", "cost_effective_from"],
        [["A", "3.00", "USD", "2026-01-01"], ["A", "3.10", "USD", "2026-01-01"]],
    )
    with pytest.raises(ImportRejected, match="rows 2, 3 describe the same product costs"):
        workspace.import_file(path, NA)


@pytest.mark.parametrize(
    "header", [["SKU", "whatever"], ["sku", "asin", "title"], ["sku", "asin", "quantity", "currency"]]
)
def test_columns_most_reports_have_do_not_make_a_catalog(
    workspace: Workspace, tmp_path: Path, header: list[str]
) -> None:
    path = write_csv(tmp_path / "skus.csv", header, [["A"] * len(header)])
    with pytest.raises(ImportRejected, match="not a report Tradewind knows"):
        workspace.import_file(path, NA)
