"""SP-API GET_SALES_AND_TRAFFIC_REPORT: Amazon's three examples and hand-made documents.

Expected values are copied by hand from the JSON written here or in Amazon's examples (e.g.
`"buyBoxPercentage": 95.24` -> 0.9524, `{"amount": 16.79}` -> 16.79).
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected
from tradewind.ingest.reports.sp_api_sales_traffic import _widen
from tradewind.ingest.spec import ImportOptions

EXAMPLES = {
    "DAY": "amazon_sp-api-models__GET_SALES_AND_TRAFFIC_REPORT_example1_DAY_SKU.json",
    "WEEK": "amazon_sp-api-models__GET_SALES_AND_TRAFFIC_REPORT_example2_WEEK_CHILD.json",
    "MONTH": "amazon_sp-api-models__GET_SALES_AND_TRAFFIC_REPORT_example3_MONTH_PARENT.json",
}
NA = ImportOptions(account="acme-na")
EU = ImportOptions(account="acme-eu")


def rows(ws: Workspace, where: str = "true") -> list[tuple[Any, ...]]:
    return ws.facts.con.execute(
        "SELECT level, date_from, date_to, parent_asin, child_asin, sku, sessions, sessions_b2b, page_views, "
        "page_views_b2b, round(buy_box_pct, 6), units_ordered, units_ordered_b2b, ordered_product_sales, "
        "ordered_product_sales_b2b, currency, total_order_items, total_order_items_b2b "
        f"FROM traffic WHERE {where} ORDER BY source_row"
    ).fetchall()


def d(day: int) -> date:
    return date(2021, 6, day)


def test_amazon_example_day_sku(workspace: Workspace, public_fixture: Any) -> None:
    result = workspace.import_file(public_fixture(EXAMPLES["DAY"]), NA)
    assert result.rows_loaded == {"traffic": 7}
    totals = workspace.facts.con.execute(
        "SELECT date_from, date_to, sessions, page_views, round(buy_box_pct, 6), units_ordered, "
        "ordered_product_sales, total_order_items FROM traffic WHERE level = 'total' ORDER BY source_row"
    ).fetchall()
    assert totals == [
        (d(11), d(11), 1000, 1658, 0.1054, 23, Decimal("238.44"), 20),
        (d(12), d(12), 1100, 1400, 0.1092, 18, Decimal("217.70"), 18),
        (d(13), d(13), 1100, 1300, 0.1162, 25, Decimal("277.06"), 23),
        # This record spells `browerPageViews` (Amazon's typo); its pageViews total is 2000 = 1463 + 537.
        (d(14), d(14), 1253, 2000, 0.134, 31, Decimal("349.94"), 30),
    ]
    # No B2B figures in this example: NULL, not 0; by-date rows name no product.
    blank = workspace.facts.con.execute(
        "SELECT count(*) FROM traffic WHERE coalesce(sessions_b2b, page_views_b2b, units_ordered_b2b, "
        "ordered_product_sales_b2b, total_order_items_b2b) IS NOT NULL "
        "OR (level = 'total' AND coalesce(parent_asin, child_asin, sku) IS NOT NULL)"
    ).fetchone()
    assert blank == (0,)
    assert rows(workspace, "level = 'sku'") == [
        ("sku", d(11), d(14), "B123456789", "B123456789", "AB-1C2D-EFGH", 18, None, 43, None, 0.9524, 1, None,
         Decimal("16.79"), None, "USD", 1, None),
        ("sku", d(11), d(14), "B234567890", "B234567890", "CD-2E3F-GHIJ", 13, None, 33, None, 0.0, 3, None,
         Decimal("26.25"), None, "USD", 2, None),
        ("sku", d(11), d(14), "B345678901", "B345678901", "EF-3G4H-IJKL", 6, None, 63, None, 1.0, 3, None,
         Decimal("45.00"), None, "USD", 3, None),
    ]  # fmt: skip
    (record,) = workspace.imports()
    ledger = (record.report_type, record.marketplace, record.date_from, record.date_to)
    assert ledger == ("sp_api_sales_traffic", "US", d(11), d(14))


def test_amazon_example_week_child_covers_whole_weeks(workspace: Workspace, public_fixture: Any) -> None:
    """Start 2021-06-11 (a Friday) widens to Sunday 06-06; end 06-14 (a Monday) to Saturday 06-19."""
    workspace.import_file(public_fixture(EXAMPLES["WEEK"]), NA)
    got = workspace.facts.con.execute(
        "SELECT level, date_from, date_to, child_asin, sessions, page_views, units_ordered, "
        "ordered_product_sales, total_order_items FROM traffic ORDER BY source_row"
    ).fetchall()
    assert got == [
        ("total", d(6), d(12), None, 2229, 3700, 41, Decimal("456.14"), 38),
        ("total", d(13), d(19), None, 2349, 3994, 56, Decimal("627.00"), 53),
        ("child_asin", d(6), d(19), "B123456789", 18, 43, 1, Decimal("16.79"), 1),
        ("child_asin", d(6), d(19), "B234567890", 28, 63, 3, Decimal("26.25"), 2),
        ("child_asin", d(6), d(19), "B345678901", 48, 63, 3, Decimal("45.00"), 3),
    ]
    (record,) = workspace.imports()
    assert (record.date_from, record.date_to) == (d(6), d(19))
    assert record.notes is not None and "widens" in record.notes


def test_amazon_example_month_parent(workspace: Workspace, public_fixture: Any) -> None:
    workspace.import_file(public_fixture(EXAMPLES["MONTH"]), NA)
    got = workspace.facts.con.execute(
        "SELECT level, date_from, date_to, parent_asin, child_asin, sku, sessions, page_views, "
        "round(buy_box_pct, 6), units_ordered, ordered_product_sales, total_order_items "
        "FROM traffic ORDER BY source_row"
    ).fetchall()
    assert got == [
        ("total", d(1), d(30), None, None, None, 4100, 6061, 0.1172, 590, Decimal("6874.79"), 561),
        ("parent_asin", d(1), d(30), "B123456789", None, None, 18, 43, 0.9524, 1, Decimal("16.79"), 1),
        ("parent_asin", d(1), d(30), "B234567890", None, None, 108, 103, 0.0, 3, Decimal("26.25"), 2),
        ("parent_asin", d(1), d(30), "B345678901", None, None, 8, 3, 1.0, 3, Decimal("45.00"), 3),
    ]


def test_gzipped_report(workspace: Workspace, public_fixture: Any, tmp_path: Path) -> None:
    path = tmp_path / "report.json.gz"
    path.write_bytes(gzip.compress(public_fixture(EXAMPLES["DAY"]).read_bytes()))
    result = workspace.import_file(path, NA)
    assert result.rows_loaded == {"traffic": 7}
    total = workspace.facts.con.execute(
        "SELECT sum(sessions), sum(ordered_product_sales) FROM traffic WHERE level = 'total'"
    ).fetchone()
    # 1000 + 1100 + 1100 + 1253 sessions; 238.44 + 217.70 + 277.06 + 349.94 dollars.
    assert total == (4453, Decimal("1083.14"))


# -- hand-made documents --------------------------------------------------------------------------------
def eur(amount: Any) -> dict[str, Any]:
    return {"amount": amount, "currencyCode": "EUR"}


def document(**overrides: Any) -> dict[str, Any]:
    """A DE report (DAY / CHILD) for a B2B seller, with the awkward bits Amazon's examples show."""
    doc: dict[str, Any] = {
        "reportSpecification": {
            "reportType": "GET_SALES_AND_TRAFFIC_REPORT",
            "reportOptions": {"dateGranularity": "DAY", "asinGranularity": "CHILD"},
            "dataStartTime": "2026-03-02T00:00:00Z",
            "dataEndTime": "2026-03-03",
            "marketplaceIds": ["A1PA6795UKMFR9"],
        },
        "salesAndTrafficByDate": [
            {
                "date": "2026-03-02",
                "salesByDate": {
                    "orderedProductSales": eur(1999.55),
                    "orderedProductSalesB2B": eur(59.98),
                    "unitsOrdered": 140,
                    "unitsOrderedB2B": 2,
                    "totalOrderItems": 120,
                    "totalOrderItemsB2B": 2,
                },
                "trafficByDate": {
                    # No pageViews total: 1,000 browser (misspelt, as Amazon does) + 876 app = 1,876.
                    "browerPageViews": 1000,
                    "mobileAppPageViews": 876,
                    "pageViewsB2B": 7,
                    "sessions": 1234,
                    "sessionsB2B": 5,
                    "buyBoxPercentage": 98.125,
                },
            },
            {
                "date": "2026-03-03",
                "salesByDate": {
                    "orderedProductSales": eur("368.14"),
                    "unitsOrdered": "10",
                    "totalOrderItems": 10,
                },
                "trafficByDate": {"pageViews": 80, "sessions": 61, "buyBoxPercentage": "100"},
            },
        ],
        "salesAndTrafficByAsin": [
            {
                "parentAsin": "B0DEPAR001",
                "childAsin": "B0DECHI001",
                "salesByAsin": {
                    "unitsOrdered": 150,
                    "orderedProductSales": eur(2367.69),
                    "totalOrderItems": 130,
                },
                "trafficByAsin": {"sessions": 1295, "pageViews": 1956, "buyBoxPercentage": 0.5},
            }
        ],
    }
    doc.update(overrides)
    return doc


def write(tmp_path: Path, doc: dict[str, Any], name: str = "st.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_hand_made_de_report(workspace: Workspace, tmp_path: Path) -> None:
    workspace.import_file(write(tmp_path, document()), EU)
    mar = date(2026, 3, 2), date(2026, 3, 3)
    assert rows(workspace) == [
        ("total", mar[0], mar[0], None, None, None, 1234, 5, 1876, 7, 0.98125, 140, 2, Decimal("1999.55"),
         Decimal("59.98"), "EUR", 120, 2),
        ("total", mar[1], mar[1], None, None, None, 61, None, 80, None, 1.0, 10, None, Decimal("368.14"),
         None, "EUR", 10, None),
        ("child_asin", mar[0], mar[1], "B0DEPAR001", "B0DECHI001", None, 1295, None, 1956, None, 0.005, 150,
         None, Decimal("2367.69"), None, "EUR", 130, None),
    ]  # fmt: skip
    (record,) = workspace.imports()
    assert (record.marketplace, record.date_from, record.date_to) == ("DE", *mar)


def test_reimport_of_the_same_days_replaces_them(workspace: Workspace, tmp_path: Path) -> None:
    workspace.import_file(write(tmp_path, document(), "a.json"), EU)
    later = document()
    later["salesAndTrafficByDate"][1]["trafficByDate"]["sessions"] = 62
    result = workspace.import_file(write(tmp_path, later, "b.json"), EU)
    assert result.rows_replaced == {"traffic": 3}
    assert workspace.facts.con.execute(
        "SELECT sum(sessions) FROM traffic WHERE level = 'total'"
    ).fetchone() == (1234 + 62,)


def _reject(workspace: Workspace, tmp_path: Path, doc: dict[str, Any], options: ImportOptions = EU) -> str:
    with pytest.raises(ImportRejected) as rejected:
        workspace.import_file(write(tmp_path, doc), options)
    assert workspace.fact_counts()["traffic"] == 0 and workspace.imports() == []
    return str(rejected.value)


def test_an_amount_in_another_currency_is_rejected(workspace: Workspace, tmp_path: Path) -> None:
    doc = document()
    doc["salesAndTrafficByAsin"][0]["salesByAsin"]["orderedProductSales"]["currencyCode"] = "USD"
    message = _reject(workspace, tmp_path, doc)
    assert "salesAndTrafficByAsin[0]" in message and "EUR" in message


def test_a_count_with_a_fraction_is_rejected_with_its_column(workspace: Workspace, tmp_path: Path) -> None:
    doc = document()
    doc["salesAndTrafficByDate"][1]["trafficByDate"]["sessions"] = 61.5
    with pytest.raises(ImportRejected) as rejected:
        workspace.import_file(write(tmp_path, doc), EU)
    (problem,) = rejected.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "sessions", "61.5")


def test_marketplace_comes_from_the_document(workspace: Workspace, tmp_path: Path) -> None:
    assert "does not sell on" in _reject(workspace, tmp_path, document(), NA)
    said_fr = ImportOptions(account="acme-eu", marketplace="FR")
    assert "--marketplace says FR" in _reject(workspace, tmp_path, document(), said_fr)
    spec = document()["reportSpecification"]
    two = document(reportSpecification={**spec, "marketplaceIds": ["A1PA6795UKMFR9", "A13V1IB3VIYZZH"]})
    assert "exactly one marketplace id" in _reject(workspace, tmp_path, two)
    unknown = document(reportSpecification={**spec, "marketplaceIds": ["XXXX"]})
    assert "unknown marketplace id" in _reject(workspace, tmp_path, unknown)


def test_from_to_that_disagree_with_the_document(workspace: Workspace, tmp_path: Path) -> None:
    options = ImportOptions(account="acme-eu", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert "covers 2026-03-02..2026-03-03" in _reject(workspace, tmp_path, document(), options)


def test_a_day_outside_the_range_is_rejected(workspace: Workspace, tmp_path: Path) -> None:
    doc = document()
    doc["salesAndTrafficByDate"][1]["date"] = "2026-03-09"
    assert "outside the report's range" in _reject(workspace, tmp_path, doc)


def test_sku_granularity_needs_skus(workspace: Workspace, tmp_path: Path) -> None:
    spec = document()["reportSpecification"]
    doc = document(reportSpecification={**spec, "reportOptions": {"asinGranularity": "SKU"}})
    assert "without a sku" in _reject(workspace, tmp_path, doc)


@pytest.mark.parametrize(
    ("start", "end", "granularity", "expected"),
    [
        (date(2021, 6, 11), date(2021, 6, 14), "DAY", (date(2021, 6, 11), date(2021, 6, 14))),
        (date(2021, 6, 11), date(2021, 6, 14), "WEEK", (date(2021, 6, 6), date(2021, 6, 19))),
        (date(2021, 6, 6), date(2021, 6, 19), "WEEK", (date(2021, 6, 6), date(2021, 6, 19))),
        (date(2024, 2, 10), date(2024, 2, 11), "MONTH", (date(2024, 2, 1), date(2024, 2, 29))),
        (date(2025, 11, 30), date(2025, 12, 2), "MONTH", (date(2025, 11, 1), date(2025, 12, 31))),
    ],
)
def test_widen(start: date, end: date, granularity: str, expected: tuple[date, date]) -> None:
    assert _widen(start, end, granularity) == expected
