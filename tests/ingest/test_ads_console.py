"""Ads console "Advertised product" report: current and older layouts, CSV and XLSX, title lines, header
variants, money formats, marketplaces and currencies, attribution windows, errors.

Every expected value below is worked out by hand from the rows written in the test.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected, NeedsOption
from tradewind.ingest.spec import ImportOptions

NA = ImportOptions(account="acme-na")
EU = ImportOptions(account="acme-eu")

#: The 2024+ layout, with the trailing spaces Amazon leaves on several headers (report-formats §2.1).
CURRENT = [
    "Start Date", "End Date", "Portfolio name", "Currency", "Campaign Name", "Ad Group Name", "Retailer",
    "Country", "Advertised SKU", "Advertised ASIN", "Impressions", "Clicks", "Click-Thru Rate (CTR)",
    "Cost Per Click (CPC)", "Spend", "7 Day Total Sales ", "Total Advertising Cost of Sales (ACOS) ",
    "Total Return on Advertising Spend (ROAS)", "7 Day Total Orders (#)", "7 Day Total Units (#)",
    "7 Day Conversion Rate", "7 Day Advertised SKU Units (#)", "7 Day Other SKU Units (#)",
    "7 Day Advertised SKU Sales ", "7 Day Other SKU Sales ",
]  # fmt: skip

#: The older layout: one `Date`, no Retailer/Country, `(ACoS)`/`(RoAS)` casing.
OLDER = [
    "Date", "Portfolio name", "Currency", "Campaign Name", "Ad Group Name", "Advertised SKU",
    "Advertised ASIN", "Impressions", "Clicks", "Click-Thru Rate (CTR)", "Cost Per Click (CPC)", "Spend",
    "7 Day Total Sales ",
    "Total Advertising Cost of Sales (ACoS) ", "Total Return on Advertising Spend (RoAS)",
    "7 Day Total Orders (#)", "7 Day Total Units (#)", "7 Day Conversion Rate",
    "7 Day Advertised SKU Units (#)", "7 Day Other SKU Units (#)", "7 Day Advertised SKU Sales ",
    "7 Day Other SKU Sales ",
]  # fmt: skip

FACT_COLUMNS = (
    "marketplace, ad_product, date_from, date_to, portfolio, campaign_name, ad_group_name, sku, asin, "
    "currency, impressions, clicks, spend, sales, orders, units, advertised_sku_units, other_sku_units, "
    "advertised_sku_sales, other_sku_sales, attribution_days, source, source_row"
)


def write_report(path: Path, header: list[str], rows: list[list[str]], title: str | None = None) -> Path:
    """A console CSV: optional title line padded with commas, values quoted only when needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if title is not None:
        writer.writerow([title] + [""] * 3)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def cells(header: list[str], **values: str) -> list[str]:
    """A row by header name: keyword names are the trimmed headers with `_` for spaces; metrics by
    short names (sales, orders, ...)."""
    short = {
        "sales": "7 Day Total Sales",
        "orders": "7 Day Total Orders (#)",
        "units": "7 Day Total Units (#)",
        "sku_units": "7 Day Advertised SKU Units (#)",
        "other_units": "7 Day Other SKU Units (#)",
        "sku_sales": "7 Day Advertised SKU Sales",
        "other_sales": "7 Day Other SKU Sales",
        "acos": "Total Advertising Cost of Sales (ACOS)",
        "roas": "Total Return on Advertising Spend (ROAS)",
        "ctr": "Click-Thru Rate (CTR)",
        "cpc": "Cost Per Click (CPC)",
        "cvr": "7 Day Conversion Rate",
    }
    by_name = {short.get(k, k.replace("_", " ")).casefold(): v for k, v in values.items()}
    trimmed = [h.strip().casefold() for h in header]
    unknown = set(by_name) - set(trimmed)
    assert not unknown, f"not in this header: {unknown}"
    return [by_name.get(h, "") for h in trimmed]


def facts(ws: Workspace) -> list[tuple[Any, ...]]:
    return ws.facts.con.execute(f"SELECT {FACT_COLUMNS} FROM ad_performance ORDER BY source_row").fetchall()


def count(ws: Workspace) -> int:
    row = ws.facts.con.execute("SELECT count(*) FROM ad_performance").fetchone()
    assert row is not None
    return int(row[0])


#: Three rows of a week's report for the NA account (US and CA in one download).
WEEK = [
    cells(
        CURRENT, Start_Date="Sep 01, 2026", End_Date="Sep 07, 2026", Portfolio_name="Main", Currency="USD",
        Campaign_Name="=Mats - Exact", Ad_Group_Name="AG1", Retailer="Amazon", Country="United States",
        Advertised_SKU="MAT-GREY", Advertised_ASIN="B0MATGREY1", Impressions="1,234", Clicks="16",
        ctr="1.30%", cpc="$1.01", Spend="$16.12", sales="$1,234.50", acos="1.31%", roas="76.58", orders="3",
        units="4", cvr="18.75%", sku_units="3", other_units="1", sku_sales="$1,000.00", other_sales="$234.50",
    ),
    cells(
        CURRENT, Start_Date="Sep 01, 2026", End_Date="Sep 07, 2026", Currency="CAD",
        Campaign_Name="+Plus - Auto", Ad_Group_Name="AG2", Retailer="Amazon", Country="CA",
        Advertised_SKU="MAT-GREY", Advertised_ASIN="B0MATGREY1", Impressions="500", Clicks="2",
        ctr="0.40%", cpc="$ 8.11", Spend="$ 16.22", sales="$0.00", acos="", roas="0.00", orders="0",
        units="0", cvr="0.00%", sku_units="0", other_units="0", sku_sales="$0.00", other_sales="$0.00",
    ),
    cells(
        CURRENT, Start_Date="Sep 01, 2026", End_Date="Sep 07, 2026", Portfolio_name="Main", Currency="USD",
        Campaign_Name="@Brand defense", Ad_Group_Name="AG1", Retailer="Amazon", Country="US",
        Advertised_SKU="STRAP", Advertised_ASIN="B0STRAP001", Impressions="100", Clicks="1",
        ctr="1.00%", cpc="$0.75", Spend="$0.75", sales="$25.98", acos="2.89%", roas="34.64", orders="1",
        units="2", cvr="100.00%", sku_units="2", other_units="0", sku_sales="$25.98", other_sales="$0.00",
    ),
]  # fmt: skip


def test_current_layout_with_title_line_countries_and_money_formats(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = write_report(
        tmp_path / "Sponsored_Products_Advertised_product_report.csv",
        CURRENT,
        WEEK,
        title="Sponsored Products Advertised Product Report",
    )
    result = workspace.import_file(path, NA)
    assert result.report_type == "ads_console"
    assert result.rows_loaded == {"ad_performance": 3}
    week = (date(2026, 9, 1), date(2026, 9, 7))
    assert facts(workspace) == [
        # the title is row 1 and the header row 2, so the data starts on row 3
        ("US", "SP", *week, "Main", "=Mats - Exact", "AG1", "MAT-GREY", "B0MATGREY1", "USD", 1234, 16,
         Decimal("16.1200"), Decimal("1234.5000"), 3, 4, 3, 1, Decimal("1000.0000"), Decimal("234.5000"),
         7, "ads_console", 3),
        ("CA", "SP", *week, None, "+Plus - Auto", "AG2", "MAT-GREY", "B0MATGREY1", "CAD", 500, 2,
         Decimal("16.2200"), Decimal("0.0000"), 0, 0, 0, 0, Decimal("0.0000"), Decimal("0.0000"),
         7, "ads_console", 4),
        ("US", "SP", *week, "Main", "@Brand defense", "AG1", "STRAP", "B0STRAP001", "USD", 100, 1,
         Decimal("0.7500"), Decimal("25.9800"), 1, 2, 2, 0, Decimal("25.9800"), Decimal("0.0000"),
         7, "ads_console", 5),
    ]  # fmt: skip
    # Spend and sales by marketplace: US 16.12 + 0.75 = 16.87 and 1,234.50 + 25.98 = 1,260.48.
    assert workspace.facts.con.execute(
        "SELECT marketplace, sum(spend), sum(sales), sum(clicks) FROM ad_performance "
        "GROUP BY marketplace ORDER BY marketplace"
    ).fetchall() == [
        ("CA", Decimal("16.2200"), Decimal("0.0000"), 2),
        ("US", Decimal("16.8700"), Decimal("1260.4800"), 17),
    ]


def test_older_date_layout_takes_the_marketplace_from_the_currency(
    workspace: Workspace, tmp_path: Path
) -> None:
    """No Country column: USD is used by one of acme-na's marketplaces (US), so the rows are US."""
    rows = [
        cells(OLDER, Date="Aug 30, 2026", Currency="USD", Campaign_Name="Mats", Ad_Group_Name="AG1",
              Advertised_SKU="MAT-GREY", Advertised_ASIN="B0MATGREY1", Impressions="2,000", Clicks="20",
              Spend="$10.00", sales="$40.00", acos="25.00%", orders="2", units="2", sku_units="2",
              other_units="0", sku_sales="$40.00", other_sales="$0.00"),
        cells(OLDER, Date="Aug 31, 2026", Currency="USD", Campaign_Name="Mats", Ad_Group_Name="AG1",
              Advertised_SKU="MAT-GREY", Advertised_ASIN="B0MATGREY1", Impressions="1,500", Clicks="10",
              Spend="$5.50", sales="$0.00", orders="0", units="0", sku_units="0", other_units="0",
              sku_sales="$0.00", other_sales="$0.00"),
    ]  # fmt: skip
    result = workspace.import_file(write_report(tmp_path / "sp_old.csv", OLDER, rows), NA)
    assert result.notes == ("marketplace US from the currency of the amounts ($ and USD)",)
    assert [(r[0], r[2], r[3], r[10], r[12], r[13]) for r in facts(workspace)] == [
        ("US", date(2026, 8, 30), date(2026, 8, 30), 2000, Decimal("10.0000"), Decimal("40.0000")),
        ("US", date(2026, 8, 31), date(2026, 8, 31), 1500, Decimal("5.5000"), Decimal("0.0000")),
    ]


def test_uk_currency_suffix_in_headers(workspace: Workspace, tmp_path: Path) -> None:
    """`7 Day Total Sales (£)`: the suffix is matched by pattern and names the currency; £ fits only UK
    among acme-eu's marketplaces, so no --marketplace is needed."""
    header = [h.replace("Sales ", "Sales (£) ") if h.endswith("Sales ") else h for h in OLDER]
    header.remove("Currency")
    assert "7 Day Total Sales (£) " in header
    rows = [
        [
            "01/09/2026", "", "UK - Exact", "AG1", "MAT-GREY", "B0MATGREY1", "300", "3", "1.00%", "£1.50",
            "£4.50", "£29.97", "15.02%", "6.66", "1", "3", "33.33%", "3", "0", "£29.97", "£0.00",
        ]
    ]  # fmt: skip
    workspace.import_file(write_report(tmp_path / "uk.csv", header, rows), EU)
    got = facts(workspace)
    # 01/09/2026 reads both ways; the file is a UK one (by its £), so it is read day first: 1 September.
    assert [(r[0], r[2], r[5], r[9], r[12], r[13], r[18], r[19]) for r in got] == [
        ("UK", date(2026, 9, 1), "UK - Exact", "GBP", Decimal("4.5000"), Decimal("29.9700"),
         Decimal("29.9700"), Decimal("0.0000")),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("title", "ad_product"),
    [
        (None, "SB"),
        ("Sponsored Brands Campaign Report", "SB"),
        ("Sponsored Products Advertised Product Report", "SP"),
    ],
)
def test_fourteen_day_reports(
    workspace: Workspace, tmp_path: Path, title: str | None, ad_product: str
) -> None:
    """A 14-day file is Sponsored Brands unless its title line says otherwise (a vendor's SP report)."""
    header = [h.replace("7 Day", "14 Day") for h in CURRENT]
    row = [v for v in WEEK[0]]
    workspace.import_file(write_report(tmp_path / "sb.csv", header, [row], title=title), NA)
    got = workspace.facts.con.execute(
        "SELECT ad_product, attribution_days, sales, orders FROM ad_performance"
    ).fetchall()
    assert got == [(ad_product, 14, Decimal("1234.5000"), 3)]


def test_xlsx_report_with_formula_like_text(workspace: Workspace, tmp_path: Path) -> None:
    """XLSX download: a title row, date cells, number cells, and campaign names starting with = + @ kept
    as the text they are (never evaluated)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sponsored Product Advertised Pr"
    sheet.append(["Sponsored Products Advertised Product Report"])
    sheet.append(CURRENT)
    data = [
        [date(2026, 9, 1), date(2026, 9, 1), "Main", "USD", "=HYPERLINK(\"x\")", "AG1", "Amazon", "US",
         "MAT-GREY", "B0MATGREY1", 1234, 16, 0.013, 1.0075, 16.12, 1234.5, 0.0131, 76.58, 3, 4, 0.1875, 3, 1,
         1000, 234.5],
        [date(2026, 9, 2), date(2026, 9, 2), None, "USD", "+1 Auto", "AG1", "Amazon", "US",
         "STRAP", "B0STRAP001", 100, 1, 0.01, 0.75, 0.75, 25.98, 0.0289, 34.64, 1, 2, 1, 2, 0, 25.98, 0],
    ]  # fmt: skip
    for values in data:
        sheet.append(values)
    # openpyxl stores strings starting with `=` as formulas; the console writes them as text cells.
    for row in sheet.iter_rows(min_row=3):
        row[4].data_type = "s"
    path = tmp_path / "Sponsored_Products_Advertised_product_report.xlsx"
    book.save(path)
    workspace.import_file(path, NA)
    got = [
        (r[0], r[2], r[3], r[5], r[10], r[11], r[12], r[13], r[18], r[19], r[22]) for r in facts(workspace)
    ]
    assert got == [
        ("US", date(2026, 9, 1), date(2026, 9, 1), '=HYPERLINK("x")', 1234, 16, Decimal("16.1200"),
         Decimal("1234.5000"), Decimal("1000.0000"), Decimal("234.5000"), 3),
        ("US", date(2026, 9, 2), date(2026, 9, 2), "+1 Auto", 100, 1, Decimal("0.7500"), Decimal("25.9800"),
         Decimal("25.9800"), Decimal("0.0000"), 4),
    ]  # fmt: skip


def test_mixed_currencies_for_one_marketplace_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    rows = [list(WEEK[0]), list(WEEK[2])]
    rows[1][CURRENT.index("Currency")] = "CAD"  # a US row in CAD
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_report(tmp_path / "mixed.csv", CURRENT, rows), NA)
    rendered = [p.render() for p in info.value.problems]
    assert rendered == [
        "mixed.csv, row 3, column 'Currency': mixed currencies for one marketplace (value 'CAD'); "
        "expected one currency per marketplace in a file"
    ]
    assert count(workspace) == 0


def test_symbol_that_contradicts_the_currency_column_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    row = list(WEEK[0])
    row[CURRENT.index("Spend")] = "£16.12"
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_report(tmp_path / "pound.csv", CURRENT, [row]), NA)
    assert "row 2, column 'Spend': the currency symbol of this amount is not the row's Currency" in str(
        info.value
    )


def test_euro_report_without_country_needs_a_marketplace(workspace: Workspace, tmp_path: Path) -> None:
    """EUR is used by DE, FR, IT and ES: the file cannot say which, so the import asks."""
    rows = [
        cells(OLDER, Date="2026-09-01", Currency="EUR", Campaign_Name="DE - Exact", Ad_Group_Name="AG1",
              Advertised_ASIN="B0MATGREY1", Impressions="1.234", Clicks="5", Spend="3,50 €",
              sales="19,99 €", orders="1", units="1")
    ]  # fmt: skip
    path = write_report(tmp_path / "de.csv", OLDER, rows)
    with pytest.raises(NeedsOption, match="--marketplace"):
        workspace.import_file(path, EU)
    workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="DE"))
    # German number style: 1.234 impressions, 3,50 € spend
    assert [(r[0], r[9], r[10], r[12], r[13]) for r in facts(workspace)] == [
        ("DE", "EUR", 1234, Decimal("3.5000"), Decimal("19.9900"))
    ]


def test_wrong_marketplace_for_the_currency_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        cells(OLDER, Date="2026-09-01", Currency="GBP", Campaign_Name="UK", Ad_Group_Name="AG1",
              Advertised_ASIN="B0MATGREY1", Impressions="10", Clicks="1", Spend="£1.00", sales="£0.00")
    ]  # fmt: skip
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_report(tmp_path / "gb.csv", OLDER, rows), ImportOptions("acme-eu", "DE"))
    assert "the amounts are not in EUR, the currency of marketplace DE (value 'GBP')" in str(info.value)
    assert count(workspace) == 0


def test_country_outside_the_account_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    row = list(WEEK[0])
    row[CURRENT.index("Country")] = "Germany"
    row[CURRENT.index("Currency")] = "EUR"
    for i, value in enumerate(row):
        row[i] = value.replace("$", "€")
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_report(tmp_path / "de_in_na.csv", CURRENT, [row]), NA)
    assert "account acme-na does not sell on this marketplace (it sells on US, CA)" in str(info.value)
    assert "(value 'Germany')" in str(info.value)


def test_unknown_country_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    row = list(WEEK[0])
    row[CURRENT.index("Country")] = "Atlantis"
    with pytest.raises(ImportRejected, match="row 2, column 'Country': the country is not a marketplace"):
        workspace.import_file(write_report(tmp_path / "atlantis.csv", CURRENT, [row]), NA)


def test_mixed_attribution_windows_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    header = [h.replace("7 Day Total Orders", "14 Day Total Orders") for h in CURRENT]
    with pytest.raises(ImportRejected, match="different attribution windows"):
        workspace.import_file(write_report(tmp_path / "windows.csv", header, [WEEK[0]]), NA)


def test_bad_cells_name_row_column_and_value(workspace: Workspace, tmp_path: Path) -> None:
    rows = [list(WEEK[0]), list(WEEK[2])]
    rows[0][CURRENT.index("Clicks")] = "many"
    rows[1][CURRENT.index("Start Date")] = "someday"
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(
            write_report(tmp_path / "bad.csv", CURRENT, rows, title="Sponsored Products"), NA
        )
    rendered = [p.render() for p in info.value.problems]
    assert any("row 3, column 'Clicks'" in p and "'many'" in p for p in rendered)
    assert any("row 4, column 'Start Date'" in p and "'someday'" in p for p in rendered)
    assert count(workspace) == 0


def test_reimporting_the_same_days_replaces_rows(workspace: Workspace, tmp_path: Path) -> None:
    workspace.import_file(write_report(tmp_path / "a.csv", CURRENT, WEEK), NA)
    restated = list(WEEK[0])
    restated[CURRENT.index("7 Day Total Sales ")] = "$1,300.00"  # Amazon restates attributed sales
    result = workspace.import_file(write_report(tmp_path / "b.csv", CURRENT, [restated]), NA)
    assert result.rows_replaced == {"ad_performance": 1}
    assert workspace.facts.con.execute(
        "SELECT count(*), sum(sales) FROM ad_performance WHERE marketplace = 'US'"
    ).fetchall() == [(2, Decimal("1325.9800"))]


@pytest.mark.parametrize(
    ("currency", "account", "expected"),
    [("GBP", "acme-eu", date(2026, 9, 1)), ("USD", "acme-na", date(2026, 1, 9))],
)
def test_ambiguous_slash_dates_follow_the_marketplace(
    workspace: Workspace, tmp_path: Path, currency: str, account: str, expected: date
) -> None:
    """`01/09/2026` is 1 September in a UK file and 9 January in a US one."""
    rows = [
        cells(OLDER, Date="01/09/2026", Currency=currency, Campaign_Name="C", Ad_Group_Name="AG1",
              Advertised_ASIN="B0MATGREY1", Impressions="10", Clicks="1", Spend="1.00", sales="0.00")
    ]  # fmt: skip
    workspace.import_file(write_report(tmp_path / "slash.csv", OLDER, rows), ImportOptions(account))
    assert [(r[0], r[2]) for r in facts(workspace)] == [("UK" if currency == "GBP" else "US", expected)]


def test_a_late_row_settles_the_date_layout_the_first_rows_leave_open(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Three hundred rows read as month-first or day-first; row 302's `13/01/2026` reads only day-first,
    so the whole file is day-first even in a US account (layouts are shortlisted on the first rows)."""
    rows = [
        cells(OLDER, Date=f"0{1 + k % 9}/01/2026", Currency="USD", Campaign_Name="C",
              Ad_Group_Name=f"AG{k}", Advertised_ASIN="B0MATGREY1", Impressions="10", Clicks="1",
              Spend="1.00", sales="0.00")
        for k in range(300)
    ] + [
        cells(OLDER, Date="13/01/2026", Currency="USD", Campaign_Name="C", Ad_Group_Name="AG-late",
              Advertised_ASIN="B0MATGREY1", Impressions="10", Clicks="1", Spend="1.00", sales="0.00")
    ]  # fmt: skip
    workspace.import_file(write_report(tmp_path / "late.csv", OLDER, rows), NA)
    days = workspace.facts.con.execute("SELECT DISTINCT date_from FROM ad_performance ORDER BY 1").fetchall()
    assert [d for (d,) in days] == [date(2026, 1, d) for d in (1, 2, 3, 4, 5, 6, 7, 8, 9, 13)]


def test_retailer_domain_names_the_marketplace(workspace: Workspace, tmp_path: Path) -> None:
    """No Country value: a Retailer written as an Amazon domain decides (EUR alone could not)."""
    rows = [list(WEEK[0]), list(WEEK[0])]
    for row, domain, campaign in ((rows[0], "Amazon.de", "DE"), (rows[1], "www.amazon.fr", "FR")):
        row[CURRENT.index("Country")] = ""
        row[CURRENT.index("Retailer")] = domain
        row[CURRENT.index("Currency")] = "EUR"
        row[CURRENT.index("Campaign Name")] = campaign
        for i, value in enumerate(row):
            row[i] = value.replace("$", "€")
    workspace.import_file(write_report(tmp_path / "eu.csv", CURRENT, rows), EU)
    assert [(r[0], r[5], r[9], r[12]) for r in facts(workspace)] == [
        ("DE", "DE", "EUR", Decimal("16.1200")),
        ("FR", "FR", "EUR", Decimal("16.1200")),
    ]


def test_bare_dollar_without_currency_column_asks(workspace: Workspace, tmp_path: Path) -> None:
    """`$` is written for USD and CAD alike; acme-na sells in both, so the file cannot say which."""
    header = [h for h in OLDER if h != "Currency"]
    rows = [
        cells(header, Date="Sep 01, 2026", Campaign_Name="C", Ad_Group_Name="AG1",
              Advertised_ASIN="B0MATGREY1", Impressions="10", Clicks="1", Spend="$1.00", sales="$0.00")
    ]  # fmt: skip
    path = write_report(tmp_path / "dollar.csv", header, rows)
    with pytest.raises(NeedsOption, match="--marketplace"):
        workspace.import_file(path, NA)
    workspace.import_file(path, ImportOptions("acme-na", "CA"))
    assert [(r[0], r[9], r[12]) for r in facts(workspace)] == [("CA", "CAD", Decimal("1.0000"))]
