"""Business Report (Detail Page Sales and Traffic): every known layout, hand-made rows, hand-computed facts.

Expected values below are read off the rows written in each test (e.g. `"1,234"` sessions -> 1234,
`98.98%` -> 0.9898), never produced by the importer itself.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_csv
from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected, NeedsOption, TradewindError
from tradewind.ingest.filename_dates import range_in_file_name
from tradewind.ingest.spec import ImportOptions
from tradewind.store.config import Account

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def options(account: str, span: tuple[date, date] = MARCH, marketplace: str | None = None) -> ImportOptions:
    """What `--account A [--marketplace M] --from .. --to ..` gives the import."""
    return ImportOptions(account=account, marketplace=marketplace, date_from=span[0], date_to=span[1])


def csv_cells(*lines: str) -> list[list[str]]:
    """Rows as Seller Central writes them: one CSV line per argument (quoted only around commas)."""
    return list(csv.reader(lines))


def csv_line(line: str) -> list[str]:
    return csv_cells(line)[0]


US_HEADER = csv_line(
    "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions - Total,Sessions - Total - B2B,"
    "Session Percentage - Total,Session Percentage - Total - B2B,Page Views - Total,"
    "Page Views - Total - B2B,Page Views Percentage - Total,Page Views Percentage - Total - B2B,"
    "Featured Offer (Buy Box) Percentage,Featured Offer (Buy Box) Percentage - B2B,Units Ordered,"
    "Units Ordered - B2B,Unit Session Percentage,Unit Session Percentage - B2B,"
    "Ordered Product Sales,Ordered Product Sales - B2B,Total Order Items,Total Order Items - B2B"
)
US_ROWS = csv_cells(
    'B0CPAR0001,B0CCHI0001,"Travel Mug, Black 12oz",TW-MUG-BLK,"1,234",12,10.50%,0.80%,"2,001",15,'
    '9.90%,1.10%,98.98%,100.00%,150,3,12.16%,25.00%,"$1,937.41",$45.00,140,2',
    'B0CPAR0001,B0CCHI0002,"Travel Mug, Red 12oz",TW-MUG-RED,87,0,0.74%,0.00%,120,0,0.59%,0.00%,'
    "100.00%,0.00%,9,0,10.34%,0.00%,$116.91,$0.00,9,0",
    "B0CSTD0003,B0CSTD0003,Lid,TW-LID,0,0,0.00%,0.00%,0,0,0.00%,0.00%,0.00%,0.00%,0,0,0.00%,0.00%,"
    "$0.00,$0.00,0,0",
)

#: Amazon.co.uk / .ca spelling: en dashes and sentence case (report-formats §1.1).
UK_HEADER = csv_line(
    "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions – Total,Sessions – Total – B2B,"
    "Session percentage – Total,Session percentage – Total – B2B,Page views – Total,"
    "Page views – Total – B2B,Page views percentage – Total,Page views percentage – Total – B2B,"
    "Featured Offer (Buy Box) percentage,Featured Offer (Buy Box) percentage – B2B,Units ordered,"
    "Units ordered – B2B,Unit Session Percentage,Unit session percentage – B2B,"
    "Ordered Product Sales,Ordered product sales – B2B,Total order items,Total order items – B2B"
)
UK_CHILD_HEADER = [h for h in UK_HEADER if h != "SKU"]

FACT_COLUMNS = (
    "marketplace, source, level, date_from, date_to, parent_asin, child_asin, sku, title, sessions, "
    "sessions_b2b, page_views, page_views_b2b, buy_box_pct, units_ordered, units_ordered_b2b, "
    "ordered_product_sales, ordered_product_sales_b2b, currency, total_order_items, total_order_items_b2b"
)
#: The figures `measures()` returns, in this order.
MEASURES = FACT_COLUMNS.split(", ")[9:]


def facts(ws: Workspace, where: str = "true") -> list[dict[str, Any]]:
    cur = ws.facts.con.execute(f"SELECT {FACT_COLUMNS} FROM traffic WHERE {where} ORDER BY source_row")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def measures(row: dict[str, Any]) -> tuple[Any, ...]:
    """sessions, b2b, page views, b2b, buy box, units, b2b, sales, b2b, currency, items, b2b."""
    values = [row[m] for m in MEASURES]
    if values[4] is not None:
        values[4] = round(values[4], 9)  # a share stored as DOUBLE: 98.98% -> 0.9898 (to 9 places)
    return tuple(values)


def assert_untouched(ws: Workspace) -> None:
    assert ws.fact_counts()["traffic"] == 0
    assert ws.imports() == []


# -- layouts ---------------------------------------------------------------------------------------------
def test_us_by_sku(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "BusinessReport-3-30-26.csv", US_HEADER, US_ROWS)
    result = workspace.import_file(path, options("acme-na"))
    assert result.rows_loaded == {"traffic": 3}
    rows = facts(workspace)
    assert [(r["marketplace"], r["source"], r["level"], r["date_from"], r["date_to"]) for r in rows] == [
        ("US", "business_report", "sku", date(2026, 3, 1), date(2026, 3, 31))
    ] * 3
    assert [(r["parent_asin"], r["child_asin"], r["sku"], r["title"]) for r in rows] == [
        ("B0CPAR0001", "B0CCHI0001", "TW-MUG-BLK", "Travel Mug, Black 12oz"),
        ("B0CPAR0001", "B0CCHI0002", "TW-MUG-RED", "Travel Mug, Red 12oz"),
        ("B0CSTD0003", "B0CSTD0003", "TW-LID", "Lid"),
    ]
    assert [measures(r) for r in rows] == [
        (1234, 12, 2001, 15, 0.9898, 150, 3, Decimal("1937.41"), Decimal("45.00"), "USD", 140, 2),
        (87, 0, 120, 0, 1.0, 9, 0, Decimal("116.91"), Decimal("0.00"), "USD", 9, 0),
        (0, 0, 0, 0, 0.0, 0, 0, Decimal("0.00"), Decimal("0.00"), "USD", 0, 0),
    ]
    (record,) = workspace.imports()
    ledger = (record.report_type, record.marketplace, record.date_from, record.date_to)
    assert ledger == ("business_report", "US", date(2026, 3, 1), date(2026, 3, 31))
    assert record.notes is not None and "marketplace US" in record.notes
    # By hand: 1,234 + 87 + 0 sessions; $1,937.41 + $116.91 + $0.00.
    sql = "SELECT sum(sessions), sum(ordered_product_sales) FROM traffic"
    assert workspace.facts.con.execute(sql).fetchone() == (1321, Decimal("2054.32"))


def test_uk_by_child_item_bom_no_final_newline_range_from_file_name(
    workspace: Workspace, tmp_path: Path
) -> None:
    rows = csv_cells(
        'B0BUKPAR01,B0BUKCHI01,Olive Oil 5 l,"2,584",52,0.34%,0.19%,"3,811",70,0.39%,0.19%,67.00%,0.00%,'
        '362,0,14.01%,0.00%,"£12,894.53",£0.00,344,0',
        "B0BUKPAR02,B0BUKCHI02,Honey 3.17kg,445,19,0.06%,0.07%,677,26,0.07%,0.07%,95.03%,100.00%,221,18,"
        '49.66%,"1,200.00%","£4,761.29",£375.82,179,11',
    )
    name = "BusinessReport-01-03-2026_31-03-2026.csv"
    path = write_csv(tmp_path / name, UK_CHILD_HEADER, rows, bom=True, final_newline=False)
    workspace.import_file(path, ImportOptions(account="acme-eu"))
    got = facts(workspace)
    assert [(r["marketplace"], r["level"], r["date_from"], r["date_to"], r["sku"]) for r in got] == [
        ("UK", "child_asin", date(2026, 3, 1), date(2026, 3, 31), None)
    ] * 2
    assert [measures(r) for r in got] == [
        (2584, 52, 3811, 70, 0.67, 362, 0, Decimal("12894.53"), Decimal("0.00"), "GBP", 344, 0),
        (445, 19, 677, 26, 0.9503, 221, 18, Decimal("4761.29"), Decimal("375.82"), "GBP", 179, 11),
    ]
    (record,) = workspace.imports()
    assert (record.marketplace, record.date_from, record.date_to) == (
        "UK",
        date(2026, 3, 1),
        date(2026, 3, 31),
    )
    assert record.notes is not None and "from the file name" in record.notes


def test_uk_all_columns_keeps_the_totals(workspace: Workspace, tmp_path: Path) -> None:
    header = csv_line(
        "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions – Mobile app,Sessions – Mobile APP – B2B,"
        "Sessions – Browser,Sessions – Browser – B2B,Sessions – Total,Sessions – Total – B2B,"
        "Session percentage – Mobile App,Session percentage – Mobile APP – B2B,Session percentage – Browser,"
        "Session percentage – Browser – B2B,Session percentage – Total,Session percentage – Total – B2B,"
        "Page views – Mobile app,Page views – Mobile APP – B2B,Page views – Browser,"
        "Page views – Browser – B2B,Page views – Total,Page views – Total – B2B,"
        "Page views percentage – Mobile App,Page views percentage – Mobile app – B2B,"
        "Page views percentage – Browser,Page views percentage – Browser – B2B,"
        "Page views percentage – Total,Page views percentage – Total – B2B,"
        "Featured Offer (Buy Box) percentage,Featured Offer (Buy Box) percentage – B2B,Units ordered,"
        "Units ordered – B2B,Unit Session Percentage,Unit session percentage – B2B,Ordered Product Sales,"
        "Ordered product sales – B2B,Total order items,Total order items – B2B"
    )
    # Mobile app + browser = total: 1,200 + 300 = 1,500 sessions; 1,600 + 400 = 2,000 page views.
    row = csv_line(
        'B0ALLPAR01,B0ALLCHI01,"Spice Jar, 500g",ALL-1,"1,200",8,300,2,"1,500",10,1.00%,0.50%,0.40%,0.05%,'
        '0.80%,0.10%,"1,600",12,400,3,"2,000",15,1.10%,0.80%,0.40%,0.05%,0.80%,0.20%,90.00%,50.00%,200,2,'
        '13.33%,20.00%,"£2,400.00",£24.00,190,2'
    )
    assert len(header) == len(row) == 38
    path = write_csv(tmp_path / "all.csv", header, [row], bom=True, final_newline=False)
    workspace.import_file(path, options("acme-eu"))
    (got,) = facts(workspace)
    assert (got["level"], got["sku"]) == ("sku", "ALL-1")
    want = (1500, 10, 2000, 15, 0.9, 200, 2, Decimal("2400.00"), Decimal("24.00"), "GBP", 190, 2)
    assert measures(got) == want
    variant = workspace.facts.con.execute("SELECT report_variant FROM imports").fetchone()
    assert variant == ("by SKU (all columns)",)


def test_german_headers_money_and_counts_with_either_separator(workspace: Workspace, tmp_path: Path) -> None:
    header = csv_line(
        "(Übergeordnete) ASIN,(Untergeordnete) ASIN,Titel,SKU,Sitzungen\u00a0– Summe,Sitzungen – Summe – B2B,"
        "Seitenaufrufe – Summe,Seitenaufrufe – Summe – B2B,Bestellte Einheiten,Bestellte Einheiten – B2B,"
        "Prozentsatz an Einheiten pro Sitzung,Durch bestellte Produkte\u00a0erzielter Umsatz,"
        "Bestellsumme – B2B,Zahl der Bestellposten,Zahl der Bestellposten – B2B"
    )
    # Counts: "1,234" (comma thousands, as German files reportedly write them) and "1.876" (dot).
    rows = csv_cells(
        'B0DEPAR001,B0DECHI001,"Thermobecher, schwarz",DE-MUG-BLK,"1,234",5,1.876,7,140,2,"11,35%",'
        '"1.999,55 €","59,98 €",120,2',
        'B0DEPAR001,B0DECHI002,"Thermobecher, rot",DE-MUG-RED,61,0,80,0,10,0,"16,40%","368,14\u00a0€",'
        '"0,00 €",10,0',
    )
    path = write_csv(tmp_path / "BusinessReport-02.12.25.csv", header, rows, bom=True)
    with pytest.raises(NeedsOption) as asked:
        workspace.import_file(path, options("acme-eu"))
    assert "DE, FR, IT, ES" in str(asked.value) and "--marketplace" in str(asked.value)
    assert_untouched(workspace)

    workspace.import_file(path, options("acme-eu", marketplace="DE"))
    got = facts(workspace)
    assert [(r["marketplace"], r["level"], r["sku"], r["title"]) for r in got] == [
        ("DE", "sku", "DE-MUG-BLK", "Thermobecher, schwarz"),
        ("DE", "sku", "DE-MUG-RED", "Thermobecher, rot"),
    ]
    # No buy-box column in this layout: NULL, not 0.
    assert [measures(r) for r in got] == [
        (1234, 5, 1876, 7, None, 140, 2, Decimal("1999.55"), Decimal("59.98"), "EUR", 120, 2),
        (61, 0, 80, 0, None, 10, 0, Decimal("368.14"), Decimal("0.00"), "EUR", 10, 0),
    ]


def test_german_count_with_a_decimal_part_is_rejected(workspace: Workspace, tmp_path: Path) -> None:
    header = csv_line(
        "(Übergeordnete) ASIN,(Untergeordnete) ASIN,SKU,Sitzungen – Summe,Seitenaufrufe – Summe,"
        "Bestellte Einheiten,Durch bestellte Produkte erzielter Umsatz,Zahl der Bestellposten"
    )
    path = write_csv(
        tmp_path / "de.csv", header, csv_cells('B0DEPAR001,B0DECHI001,DE-1,"1,5",3,1,"9,99 €",1')
    )
    with pytest.raises(ImportRejected) as rejected:
        workspace.import_file(path, options("acme-eu", marketplace="DE"))
    (problem,) = rejected.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "Sitzungen – Summe", "1,5")
    assert_untouched(workspace)


def test_chinese_ui_headers(workspace: Workspace, tmp_path: Path) -> None:
    # Verbatim from report-formats §1.4, trailing spaces included.
    header = csv_line(
        "（父）ASIN,（子）ASIN,标题,SKU,会话数 - 总计,会话 - 总计 - B2B,转化率 - 总计,"
        "会话百分比 - 总计 - B2B,页面浏览量 - 总计 ,页面浏览量 - 总计 - B2B,"
        "页面浏览量百分比 - 总计,页面浏览量百分比 - 总计 - B2B,"
        "推荐报价（推荐报价展示位）百分比 ,推荐报价（推荐报价展示位）百分比 - B2B,"
        "已订购商品数量,已订购商品数量 - B2B,商品会话百分比,商品会话百分比 - B2B,"
        "已订购商品销售额,已订购商品销售额 - B2B,订单商品总数,订单商品总数 - B2B"
    )
    row = csv_line(
        'B0ZHPAR001,B0ZHCHI001,保温杯,ZH-MUG,"2,345",20,1.00%,0.10%,"3,456",30,1.20%,0.20%,99.50%,'
        '100.00%,300,5,12.79%,25.00%,"$4,500.50",$75.00,280,5'
    )
    path = write_csv(tmp_path / "zh.csv", header, [row], bom=True)
    workspace.import_file(path, options("acme-na"))
    (got,) = facts(workspace)
    names = (got["marketplace"], got["parent_asin"], got["child_asin"], got["sku"], got["title"])
    assert names == ("US", "B0ZHPAR001", "B0ZHCHI001", "ZH-MUG", "保温杯")
    want = (2345, 20, 3456, 30, 0.995, 300, 5, Decimal("4500.50"), Decimal("75.00"), "USD", 280, 5)
    assert measures(got) == want


OLDER_WITH_B2B = csv_line(
    "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions,Session Percentage,Page Views,Page Views Percentage,"
    "Buy Box Percentage,Units Ordered,Units Ordered - B2B,Unit Session Percentage,"
    "Unit Session Percentage - B2B,Ordered Product Sales,Ordered Product Sales - B2B,Total Order Items,"
    "Total Order Items - B2B"
)
OLDER_ROW_WITH_B2B = csv_line(
    'B0OLDPAR01,B0OLDCHI01,Widget,OLD-1,"1,010",5.00%,"1,500",6.00%,87.50%,101,4,10.00%,0.40%,'
    '"$2,020.00",$80.00,99,4'
)
OLDER_NO_B2B = csv_line(
    "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions,Session Percentage,Page Views,Page Views Percentage,"
    "Buy Box Percentage,Units Ordered,Unit Session Percentage,Ordered Product Sales,Total Order Items"
)
OLDER_ROW_NO_B2B = csv_line(
    'B0OLDPAR01,B0OLDCHI01,Widget,OLD-1,"1,010",5.00%,"1,500",6.00%,87.50%,101,10.00%,"$2,020.00",99'
)
MWS_HEADER = csv_line(
    "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions,Session Percentage,Page Views,Page Views Percentage,"
    "Buy Box Percentage,Units Ordered,Unit Session Percentage,Gross Product Sales,Orders Placed"
)


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        pytest.param(
            OLDER_WITH_B2B,
            OLDER_ROW_WITH_B2B,
            (1010, None, 1500, None, 0.875, 101, 4, Decimal("2020.00"), Decimal("80.00"), "USD", 99, 4),
            id="older-with-b2b",
        ),
        pytest.param(
            OLDER_NO_B2B,
            OLDER_ROW_NO_B2B,
            (1010, None, 1500, None, 0.875, 101, None, Decimal("2020.00"), None, "USD", 99, None),
            id="older-no-b2b",
        ),
        pytest.param(
            MWS_HEADER,
            OLDER_ROW_NO_B2B,
            (1010, None, 1500, None, 0.875, 101, None, Decimal("2020.00"), None, "USD", 99, None),
            id="mws-era",
        ),
    ],
)
def test_older_layouts(
    workspace: Workspace, tmp_path: Path, header: list[str], row: list[str], expected: tuple[Any, ...]
) -> None:
    path = write_csv(tmp_path / "old.csv", header, [row])
    workspace.import_file(path, options("acme-na"))
    (got,) = facts(workspace)
    assert (got["marketplace"], got["level"], got["sku"]) == ("US", "sku", "OLD-1")
    assert measures(got) == expected


def test_parent_item_variant(workspace: Workspace, tmp_path: Path) -> None:
    header = [h for h in US_HEADER if h not in ("(Child) ASIN", "SKU")]
    row = csv_line(
        "B0PPAR0001,Mug family,500,5,1.00%,0.10%,800,8,1.00%,0.10%,95.00%,90.00%,60,1,12.00%,20.00%,"
        "$720.00,$12.00,55,1"
    )
    path = write_csv(tmp_path / "parent.csv", header, [row])
    workspace.import_file(path, options("acme-na"))
    (got,) = facts(workspace)
    keys = (got["level"], got["parent_asin"], got["child_asin"], got["sku"])
    assert keys == ("parent_asin", "B0PPAR0001", None, None)
    assert measures(got) == (500, 5, 800, 8, 0.95, 60, 1, Decimal("720.00"), Decimal("12.00"), "USD", 55, 1)


def test_b2b_column_before_the_total_is_not_taken_for_it(workspace: Workspace, tmp_path: Path) -> None:
    """Exact header matching: `Sessions - Total - B2B` must never be read as `Sessions - Total`."""
    order = [0, 1, 3, 5, 4, 9, 8, 12, 15, 14, 19, 18, 21, 20]  # every B2B column before its total
    header = [US_HEADER[i] for i in order]
    path = write_csv(tmp_path / "swapped.csv", header, [[US_ROWS[0][i] for i in order]])
    workspace.import_file(path, options("acme-na"))
    (got,) = facts(workspace)
    want = (1234, 12, 2001, 15, 0.9898, 150, 3, Decimal("1937.41"), Decimal("45.00"), "USD", 140, 2)
    assert measures(got) == want


# -- marketplace ------------------------------------------------------------------------------------------
def uk_child_row(asin: str, sales: str) -> list[str]:
    return csv_line(
        f"{asin},{asin},X,1,0,1.00%,0.00%,1,0,1.00%,0.00%,100.00%,0.00%,1,0,100.00%,0.00%,{sales},£0.00,1,0"
    )


def test_dollars_with_en_dash_headers_ask_between_us_and_ca(workspace: Workspace, tmp_path: Path) -> None:
    """amazon.ca writes en dashes like the UK; a `$` file in that spelling is not assumed to be US."""
    row = csv_line(
        "B0CAPAR001,B0CACHI001,Mug,CA-1,10,0,1.00%,0.00%,20,0,1.00%,0.00%,100.00%,0.00%,2,0,20.00%,0.00%,"
        "$39.98,$0.00,2,0"
    )
    path = write_csv(tmp_path / "ca.csv", UK_HEADER, [row], bom=True)
    with pytest.raises(NeedsOption) as asked:
        workspace.import_file(path, options("acme-na"))
    assert "US, CA" in str(asked.value)
    assert_untouched(workspace)
    workspace.import_file(path, options("acme-na", marketplace="CA"))
    (got,) = facts(workspace)
    assert (got["marketplace"], got["currency"], got["ordered_product_sales"]) == (
        "CA",
        "CAD",
        Decimal("39.98"),
    )


def test_money_in_a_currency_the_account_does_not_sell_in(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "us.csv", US_HEADER, US_ROWS)
    with pytest.raises(ImportRejected, match=r"written in \$ but account acme-eu sells on UK"):
        workspace.import_file(path, options("acme-eu"))
    assert_untouched(workspace)


def test_marketplace_option_contradicting_the_money(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "uk.csv", UK_CHILD_HEADER, [uk_child_row("B0BUKPAR01", "£9.99")], bom=True)
    with pytest.raises(ImportRejected, match="amounts are in £, but --marketplace DE uses EUR"):
        workspace.import_file(path, options("acme-eu", marketplace="DE"))
    assert_untouched(workspace)


def test_marketplace_option_outside_the_account(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "us.csv", US_HEADER, US_ROWS)
    with pytest.raises(ImportRejected, match="account acme-na does not sell on MX"):
        workspace.import_file(path, options("acme-na", marketplace="MX"))
    assert_untouched(workspace)


def test_mixed_currency_symbols_are_rejected_with_their_rows(workspace: Workspace, tmp_path: Path) -> None:
    rows = [uk_child_row("B0BUKPAR01", "£9.99"), uk_child_row("B0BUKPAR02", "€9.99")]
    rows.append(uk_child_row("B0BUKPAR03", "£5.00"))
    path = write_csv(tmp_path / "mixed.csv", UK_CHILD_HEADER, rows, bom=True)
    with pytest.raises(ImportRejected) as rejected:
        workspace.import_file(path, options("acme-eu", marketplace="UK"))
    (problem,) = rejected.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "Ordered Product Sales", "€9.99")
    assert "£" in (problem.expected or "")
    assert_untouched(workspace)


def test_no_symbol_uses_the_accounts_only_marketplace(workspace: Workspace, tmp_path: Path) -> None:
    workspace.add_account(Account(id="solo-de", name="Solo", marketplaces=("DE",)))
    header = csv_line(
        "(Parent) ASIN,(Child) ASIN,Sessions - Total,Page Views - Total,Units Ordered,Ordered Product Sales,"
        "Total Order Items"
    )
    path = write_csv(tmp_path / "plain.csv", header, csv_cells('B0DEPAR001,B0DECHI001,7,9,2,"12,50",2'))
    workspace.import_file(path, options("solo-de"))
    (got,) = facts(workspace)
    assert (got["marketplace"], got["currency"], got["ordered_product_sales"]) == (
        "DE",
        "EUR",
        Decimal("12.50"),
    )


# -- date range -------------------------------------------------------------------------------------------
def test_a_single_date_in_the_file_name_is_the_download_day(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "BusinessReport-3-30-26.csv", US_HEADER, US_ROWS)
    with pytest.raises(NeedsOption) as asked:
        workspace.import_file(path, ImportOptions(account="acme-na"))
    assert "--from" in str(asked.value) and "3-30-26" in str(asked.value)
    with pytest.raises(NeedsOption, match="both"):
        workspace.import_file(path, ImportOptions(account="acme-na", date_from=date(2026, 3, 1)))
    backwards = ImportOptions(account="acme-na", date_from=date(2026, 3, 31), date_to=date(2026, 3, 1))
    with pytest.raises(TradewindError, match="after"):
        workspace.import_file(path, backwards)
    assert_untouched(workspace)


def test_options_win_over_the_file_name(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "BusinessReport-2026-02-01_2026-02-28.csv", US_HEADER, US_ROWS[:1])
    workspace.import_file(path, options("acme-na"))
    assert {(r["date_from"], r["date_to"]) for r in facts(workspace)} == {
        (date(2026, 3, 1), date(2026, 3, 31))
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BusinessReport-2026-03-01_2026-03-31.csv", (date(2026, 3, 1), date(2026, 3, 31))),
        ("BusinessReport_01-03-2026_31-03-2026.csv", (date(2026, 3, 1), date(2026, 3, 31))),
        ("BusinessReport-01.03.26-31.03.26.csv", (date(2026, 3, 1), date(2026, 3, 31))),
        ("traffic 20260301 to 20260307.csv.gz", (date(2026, 3, 1), date(2026, 3, 7))),
        # Month-first is the only reading where both dates exist (there is no month 30).
        ("BusinessReport-3-1-26_3-30-26.csv", (date(2026, 3, 1), date(2026, 3, 30))),
    ],
)
def test_range_from_file_name(name: str, expected: tuple[date, date]) -> None:
    assert range_in_file_name(name, "a Business Report has no date column") == expected


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("BusinessReport-23-07-2025.csv", "day Seller Central made the file"),
        ("BusinessReport-02.12.25.csv", "day Seller Central made the file"),
        ("Wk28.csv", "neither the file nor its name"),
        ("BusinessReport-01-03-2026_05-03-2026.csv", "2026-01-03..2026-05-03 or 2026-03-01..2026-03-05"),
        ("BusinessReport-2026-03-31_2026-03-01.csv", "do not form a range"),
        ("r-2026-01-01_2026-01-31_2026-02-28.csv", "3 dates"),
    ],
)
def test_file_names_that_do_not_say_the_range(name: str, says: str) -> None:
    with pytest.raises(NeedsOption) as asked:
        range_in_file_name(name, "a Business Report has no date column")
    assert says in str(asked.value) and "--from" in str(asked.value)


def test_same_range_and_marketplace_replaces_the_earlier_file(workspace: Workspace, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "first.csv", US_HEADER, US_ROWS)
    workspace.import_file(first, options("acme-na"))
    # A later download of March: the lid is gone and the black mug sold one more unit.
    corrected = [list(US_ROWS[0]), list(US_ROWS[1])]
    corrected[0][14] = "151"
    second = write_csv(tmp_path / "second.csv", US_HEADER, corrected)
    result = workspace.import_file(second, options("acme-na"))
    assert (result.rows_loaded, result.rows_replaced) == ({"traffic": 2}, {"traffic": 3})
    assert [(r["sku"], r["units_ordered"]) for r in facts(workspace)] == [
        ("TW-MUG-BLK", 151),
        ("TW-MUG-RED", 9),
    ]
    # Another range of the same marketplace stays beside it.
    april = (date(2026, 4, 1), date(2026, 4, 30))
    third = write_csv(tmp_path / "april.csv", US_HEADER, US_ROWS[2:])
    result = workspace.import_file(third, options("acme-na", april))
    assert result.rows_replaced == {"traffic": 0}
    assert workspace.fact_counts()["traffic"] == 3


# -- bad values -------------------------------------------------------------------------------------------
def test_b2b_above_the_total_is_rejected(workspace: Workspace, tmp_path: Path) -> None:
    bad = list(US_ROWS[1])
    bad[5] = "88"  # B2B sessions 88 > 87 sessions
    path = write_csv(tmp_path / "b2b.csv", US_HEADER, [US_ROWS[0], bad])
    with pytest.raises(ImportRejected) as rejected:
        workspace.import_file(path, options("acme-na"))
    (problem,) = rejected.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "Sessions - Total - B2B", "88")
    assert_untouched(workspace)


def test_a_percentage_without_percent_sign_is_rejected(workspace: Workspace, tmp_path: Path) -> None:
    bad = list(US_ROWS[0])
    bad[12] = "0.9898"  # what a spreadsheet leaves after re-saving: would read as 0.9898%
    path = write_csv(tmp_path / "resaved.csv", US_HEADER, [bad])
    with pytest.raises(ImportRejected) as rejected:
        workspace.import_file(path, options("acme-na"))
    (problem,) = rejected.value.problems
    assert (problem.row, problem.column, problem.value) == (
        2,
        "Featured Offer (Buy Box) Percentage",
        "0.9898",
    )
    assert_untouched(workspace)


def test_unreadable_values_and_bad_asins_are_listed(workspace: Workspace, tmp_path: Path) -> None:
    bad = list(US_ROWS[0])
    bad[1] = "B0CCHI"  # a short ASIN
    bad[4] = "12.5"  # sessions with a decimal part
    path = write_csv(tmp_path / "bad.csv", US_HEADER, [bad, US_ROWS[1]])
    with pytest.raises(ImportRejected) as rejected:
        workspace.import_file(path, options("acme-na"))
    found = {(p.row, p.column, p.value) for p in rejected.value.problems}
    assert found == {(2, "(Child) ASIN", "B0CCHI"), (2, "Sessions - Total", "12.5")}
    assert_untouched(workspace)


# -- the real UK files (public samples) ---------------------------------------------------------------------
# Sums checked independently of Tradewind: the CSV read with Python's csv module, `"1,234"` -> 1234,
# `£1,234.56` -> 1234.56, and single rows read by eye from the file.
REAL = [
    pytest.param(
        "amazon_uk_business_report_detail_page_by_sku__FridaySalami_pre-prod__BusinessReport-23-07-2025.csv",
        "sku",
        (197, 938, 46, 1256, 323, 35, Decimal("6302.69"), Decimal("869.58"), 283),
        ("sku", "ACC01 - 001"),
        (17, 1, 31, 1, 1.0, 10, 1, Decimal("112.60"), Decimal("11.26"), "GBP", 10, 1),
        id="by-sku",
    ),
    pytest.param(
        "amazon_uk_business_report_by_child_item__FridaySalami_pre-prod__BusinessReport-15-10-2025.csv",
        "child_asin",
        (3513, 756525, 27028, 978756, 10942, 1094, Decimal("240247.19"), Decimal("27527.80"), 9382),
        ("child_asin", "B09T3GDNGT"),
        (445, 19, 677, 26, 0.9503, 221, 18, Decimal("4761.29"), Decimal("375.82"), "GBP", 179, 11),
        id="by-child-item",
    ),
    pytest.param(
        "amazon_uk_business_report_all_columns__FridaySalami_pre-prod__BusinessReport-16-07-2025_2.csv",
        "sku",
        (1326, 188189, 7756, 246917, 9937, 1029, Decimal("189637.18"), Decimal("24947.08"), 8360),
        ("sku", "Chef William - 001 Prime"),
        (1769, 12, 2069, 21, 0.923, 205, 2, Decimal("2560.45"), Decimal("24.98"), "GBP", 204, 2),
        id="all-columns",
    ),
]


@pytest.mark.parametrize(("name", "level", "sums", "pick", "picked"), REAL)
def test_real_uk_files(
    workspace: Workspace,
    public_fixture: Any,
    name: str,
    level: str,
    sums: tuple[Any, ...],
    pick: tuple[str, str],
    picked: tuple[Any, ...],
) -> None:
    path = public_fixture(name)
    with pytest.raises(NeedsOption):
        workspace.import_file(path, ImportOptions(account="acme-eu"))
    week = (date(2025, 7, 7), date(2025, 7, 13))
    result = workspace.import_file(path, options("acme-eu", week))
    assert result.rows_loaded == {"traffic": sums[0]}
    got = workspace.facts.con.execute(
        "SELECT count(*), sum(sessions), sum(sessions_b2b), sum(page_views), sum(units_ordered), "
        "sum(units_ordered_b2b), sum(ordered_product_sales), sum(ordered_product_sales_b2b), "
        "sum(total_order_items) FROM traffic"
    ).fetchone()
    assert got == sums
    assert workspace.facts.con.execute(
        "SELECT DISTINCT marketplace, level, date_from, date_to, currency FROM traffic"
    ).fetchall() == [("UK", level, date(2025, 7, 7), date(2025, 7, 13), "GBP")]
    (row,) = facts(workspace, f"{pick[0]} = '{pick[1]}'")
    assert measures(row) == picked
