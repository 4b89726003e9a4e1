"""Import templates: written, filled in by hand (English or Chinese header, CSV or XLSX) and imported.

Expected facts are the values typed into the template, written out by hand.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tradewind.app import Workspace
from tradewind.cli.template_cmd import register
from tradewind.core.errors import TradewindError
from tradewind.ingest.registry import report_by_id
from tradewind.ingest.spec import ImportOptions, Report
from tradewind.ingest.templates import (
    UnknownTemplate,
    available_templates,
    escape_csv_text,
    template_for,
    write_template,
)

NA = ImportOptions(account="acme-na")
EN_PRODUCTS = (
    "sku,asin,parent_asin,title,category,brand,owner,gtin,lead_time_days,launch_date,unit_cost,cost_currency,"
    "cost_effective_from"
)
ZH_PRODUCTS = (
    "SKU,ASIN,父ASIN,商品标题,品类,品牌,负责人,条码(EAN/UPC),备货周期(天),上架日期,单位成本,成本币种,"
    "成本生效日期"
)

#: What a person types into the products template (in column order), and what must come out.
TYPED = [
    [
        "MUG-BLU",
        "B0BGPMD867",
        "B0BGPMD800",
        "蓝色马克杯 350ml",
        "厨房",
        "Acme",
        "李娜",
        "0012345678905",
        "45",
        "2025-09-15",
        "3.85",
        "USD",
        "2025-09-01",
    ],
    ["MUG-BLU", "", "", "", "", "", "", "", "", "", "4.10", "USD", "2026-01-01"],
    ["LID-1", "B0BGPMD869", "", "=SUM(A1)", "配件", "Acme", "王伟", "", "", "", "", "", ""],
]
EXPECTED_PRODUCTS = [
    ("LID-1", "B0BGPMD869", None, "=SUM(A1)", "配件", "Acme", "王伟", None, None, None),
    (
        "MUG-BLU",
        "B0BGPMD867",
        "B0BGPMD800",
        "蓝色马克杯 350ml",
        "厨房",
        "Acme",
        "李娜",
        "0012345678905",
        45,
        date(2025, 9, 15),
    ),
]
EXPECTED_COSTS = [
    ("MUG-BLU", date(2025, 9, 1), Decimal("3.8500"), "USD"),
    ("MUG-BLU", date(2026, 1, 1), Decimal("4.1000"), "USD"),
]


def products_report() -> Report:
    report = report_by_id("products")
    assert report is not None
    return report


def imported(ws: Workspace) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    return (
        ws.facts.query(
            "SELECT sku, asin, parent_asin, title, category, brand, owner, gtin, lead_time_days, launch_date "
            "FROM products ORDER BY sku"
        ),
        ws.facts.query("SELECT sku, effective_from, unit_cost, currency FROM product_costs ORDER BY 1, 2"),
    )


def test_templates_are_listed_by_name() -> None:
    assert {"products", "fx_monthly"} <= set(available_templates())
    assert template_for("products").id == "products"
    assert template_for("FX-Monthly").id == "fx_monthly"
    with pytest.raises(UnknownTemplate, match=r"unknown template 'orders'; available templates: .*products"):
        template_for("orders")


def test_a_report_without_labels_has_no_template(tmp_path: Path) -> None:
    ecb = report_by_id("ecb_rates")
    assert ecb is not None
    with pytest.raises(TradewindError, match="has no template"):
        write_template(ecb, tmp_path / "ecb.csv", fmt="csv")


@pytest.mark.parametrize(("lang", "header"), [("en", EN_PRODUCTS), ("zh", ZH_PRODUCTS)])
def test_csv_template_is_a_bom_and_one_header_row(tmp_path: Path, lang: str, header: str) -> None:
    path = write_template(products_report(), tmp_path / "products.csv", fmt="csv", lang=lang)
    assert path.read_bytes() == b"\xef\xbb\xbf" + (header + "\r\n").encode("utf-8")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_csv_template_filled_in_round_trips(workspace: Workspace, tmp_path: Path, lang: str) -> None:
    path = write_template(products_report(), tmp_path / "products.csv", fmt="csv", lang=lang)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(TYPED)
    path.write_bytes(path.read_bytes() + buffer.getvalue().encode("utf-8"))
    result = workspace.import_file(path, NA)
    assert result.report_type == "products"
    assert imported(workspace) == (EXPECTED_PRODUCTS, EXPECTED_COSTS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_xlsx_template_filled_in_round_trips(workspace: Workspace, tmp_path: Path, lang: str) -> None:
    from openpyxl import load_workbook

    path = write_template(products_report(), tmp_path / "products.xlsx", fmt="xlsx", lang=lang)
    wb = load_workbook(path)
    assert wb.sheetnames == ["products", "说明" if lang == "zh" else "Instructions"]
    sheet = wb["products"]
    header = [c.value for c in sheet[1]]
    assert ",".join(header) == (ZH_PRODUCTS if lang == "zh" else EN_PRODUCTS)
    # Text columns are formatted as Text (leading zeros, `=...`), dates as dates.
    assert sheet.column_dimensions["A"].number_format == "@"
    assert sheet.column_dimensions["H"].number_format == "@"
    assert sheet.column_dimensions["J"].number_format == "yyyy-mm-dd"
    # The header comment gives the other language's header.
    assert sheet["K1"].comment.text.startswith("单位成本" if lang == "en" else "unit_cost")
    for r, values in enumerate(TYPED, start=2):
        for c, value in enumerate(values, start=1):
            if value == "":
                continue
            cell = sheet.cell(row=r, column=c)
            if c in (10, 13):
                cell.value = date.fromisoformat(value)
            elif c in (9, 11):
                cell.value = float(value)
            else:
                cell.value = value
                cell.data_type = "s"  # typed into a Text cell: `=SUM(A1)` stays text
    wb.save(path)
    workspace.import_file(path, NA)
    assert imported(workspace) == (EXPECTED_PRODUCTS, EXPECTED_COSTS)


def test_a_header_mixing_both_languages_imports(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("SKU,title,单位成本,cost_currency,成本生效日期\nMUG-BLU,Blue mug,3.85,USD,2025-09-01\n")
    workspace.import_file(path, NA)
    assert workspace.facts.query("SELECT sku, title FROM products") == [("MUG-BLU", "Blue mug")]
    assert workspace.facts.query("SELECT unit_cost FROM product_costs") == [(Decimal("3.8500"),)]


def test_formula_like_text_stays_text(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(
        'sku,title,category,brand,owner\nA-1,"=HYPERLINK(""http://x.example"",""x"")",+86 cases,@home,-Li\n',
        encoding="utf-8",
    )
    workspace.import_file(path, NA)
    assert workspace.facts.query("SELECT title, category, brand, owner FROM products") == [
        ('=HYPERLINK("http://x.example","x")', "+86 cases", "@home", "-Li")
    ]


def test_written_rows_escape_formula_like_text(workspace: Workspace, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows = [
        {
            "sku": "-A1",
            "title": "=1+2",
            "brand": "@acme",
            "unit_cost": Decimal("3.50"),
            "cost_currency": "USD",
            "cost_effective_from": date(2026, 1, 1),
        },
        {"sku": "B-2", "title": "Plain", "lead_time_days": 30},
    ]
    assert escape_csv_text("+86") == "'+86" and escape_csv_text("86") == "86"
    csv_path = write_template(products_report(), tmp_path / "export.csv", fmt="csv", rows=rows)
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "'-A1,,,'=1+2,,'@acme,,,,,3.50,USD,2026-01-01"
    assert lines[2] == "B-2,,,Plain,,,,,30,,,,"
    xlsx_path = write_template(products_report(), tmp_path / "export.xlsx", fmt="xlsx", lang="zh", rows=rows)
    sheet = load_workbook(xlsx_path)["products"]
    assert (sheet["D2"].value, sheet["D2"].data_type, sheet["D2"].quotePrefix) == ("=1+2", "s", True)
    assert (sheet["A2"].value, sheet["A2"].quotePrefix) == ("-A1", True)
    assert (sheet["D3"].value, sheet["D3"].quotePrefix) == ("Plain", False)
    # Both exports import back to the values written.
    for path, options in ((csv_path, NA), (xlsx_path, ImportOptions(account="acme-eu"))):
        workspace.import_file(path, options)
    assert workspace.facts.query(
        "SELECT account_id, sku, title, brand, lead_time_days FROM products ORDER BY 1, 2"
    ) == [
        ("acme-eu", "-A1", "=1+2", "@acme", None),
        ("acme-eu", "B-2", "Plain", None, 30),
        ("acme-na", "-A1", "=1+2", "@acme", None),
        ("acme-na", "B-2", "Plain", None, 30),
    ]
    assert workspace.facts.query("SELECT account_id, sku, unit_cost FROM product_costs ORDER BY 1") == [
        ("acme-eu", "-A1", Decimal("3.5000")),
        ("acme-na", "-A1", Decimal("3.5000")),
    ]


def test_fx_monthly_template_round_trips_in_chinese(workspace: Workspace, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = report_by_id("fx_monthly")
    assert report is not None
    path = write_template(report, tmp_path / "fx.xlsx", lang="zh")
    wb = load_workbook(path)
    sheet = wb["fx_monthly"]
    assert [c.value for c in sheet[1]] == ["月份", "基准币种", "标价币种", "汇率"]
    sheet.append(["2026-01", "USD", "CNY", 7.1034])
    sheet["A2"].data_type = "s"
    wb.save(path)
    workspace.import_file(path, ImportOptions())
    assert workspace.facts.query("SELECT account_id, kind, rate_date, base, quote, rate FROM fx_rates") == [
        ("*", "monthly", date(2026, 1, 1), "USD", "CNY", Decimal("7.10340000"))
    ]


def _cli() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:
        """A stand-in for the tradewind app."""

    return app


def test_cli_lists_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(_cli(), ["template"])
    assert listing.exit_code == 0
    assert "products" in listing.output and "fx_monthly" in listing.output
    unknown = runner.invoke(_cli(), ["template", "orders"])
    assert unknown.exit_code == 1
    assert "unknown template 'orders'" in unknown.output and "fx_monthly" in unknown.output
    target = tmp_path / "p.csv"
    written = runner.invoke(_cli(), ["template", "products", str(target), "--lang", "zh"])
    assert written.exit_code == 0, written.output
    assert target.read_bytes().startswith(b"\xef\xbb\xbfSKU,ASIN,")
    again = runner.invoke(_cli(), ["template", "products", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output
    mismatch = runner.invoke(_cli(), ["template", "products", str(tmp_path / "p.txt"), "--format", "xlsx"])
    assert mismatch.exit_code == 1 and "does not end in .xlsx" in mismatch.output
