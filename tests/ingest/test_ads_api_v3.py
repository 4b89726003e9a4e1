"""Ads API v3 spAdvertisedProduct: DAILY and SUMMARY JSON (plain and gzipped), the attribution-window
fallback, the flattened CSV form with dates from --from/--to, marketplaces, errors, and the public extract.

Every expected value below is worked out by hand from the records written in the test.
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
from tradewind.core.errors import ImportRejected, NeedsOption
from tradewind.ingest.spec import ImportOptions
from tradewind.store.config import Account

NA = ImportOptions(account="acme-na")

FACT_COLUMNS = (
    "marketplace, ad_product, date_from, date_to, campaign_id, campaign_name, ad_group_id, ad_group_name, "
    "sku, asin, currency, impressions, clicks, spend, sales, orders, units, advertised_sku_units, "
    "other_sku_units, advertised_sku_sales, other_sku_sales, attribution_days, source"
)


def record(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "campaignName": "SP - Mats - Exact",
        "campaignId": 429616088691752,
        "adGroupName": "Mats",
        "adGroupId": 326807220936343,
        "advertisedSku": "MAT-GREY",
        "advertisedAsin": "B0MATGREY1",
        "campaignBudgetCurrencyCode": "USD",
    }
    base.update(values)
    return base


def write_json(path: Path, records: list[Any], *, gz: bool = False) -> Path:
    data = json.dumps(records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def facts(ws: Workspace) -> list[tuple[Any, ...]]:
    return ws.facts.con.execute(
        f"SELECT {FACT_COLUMNS} FROM ad_performance ORDER BY date_from, campaign_name, asin"
    ).fetchall()


def count(ws: Workspace) -> int:
    row = ws.facts.con.execute("SELECT count(*) FROM ad_performance").fetchone()
    assert row is not None
    return int(row[0])


#: Two days of a DAILY report with 7-day (and 1-day) metrics; the 7-day ones must be chosen.
DAILY = [
    record(date="2026-04-01", impressions=1641, clicks=16, cost=147.95, sales7d=838.99, purchases7d=2,
           unitsSoldClicks7d=3, attributedSalesSameSku7d=600.0, unitsSoldSameSku7d=2, salesOtherSku7d=238.99,
           unitsSoldOtherSku7d=1, sales1d=419.5, purchases1d=1, unitsSoldClicks1d=1),
    record(date="2026-04-02", impressions=143, clicks=3, cost=25.69, sales7d=0, purchases7d=0,
           unitsSoldClicks7d=0, attributedSalesSameSku7d=0, unitsSoldSameSku7d=0, salesOtherSku7d=0,
           unitsSoldOtherSku7d=0, sales1d=0, purchases1d=0, unitsSoldClicks1d=0),
    record(date="2026-04-02", campaignName="=Defense - ASIN", advertisedSku="STRAP",
           advertisedAsin="B0STRAP001", impressions=325, clicks=5, cost=45.37, sales7d=1677.98, purchases7d=2,
           unitsSoldClicks7d=2, attributedSalesSameSku7d=1677.98, unitsSoldSameSku7d=2, salesOtherSku7d=0,
           unitsSoldOtherSku7d=0, sales1d=838.99, purchases1d=1, unitsSoldClicks1d=1),
]  # fmt: skip


@pytest.mark.parametrize("gz", [False, True], ids=["json", "json.gz"])
def test_daily_json_uses_the_seven_day_window(workspace: Workspace, tmp_path: Path, gz: bool) -> None:
    name = "sp_advertised_product.json" + (".gz" if gz else "")
    result = workspace.import_file(write_json(tmp_path / name, DAILY, gz=gz), NA)
    assert result.report_type == "ads_api_v3"
    assert result.rows_loaded == {"ad_performance": 3}
    # USD is used by one of acme-na's marketplaces only: US
    assert result.notes == ("marketplace US from the currency of the amounts (USD)",)
    ids = ("429616088691752", "326807220936343")
    assert facts(workspace) == [
        ("US", "SP", date(2026, 4, 1), date(2026, 4, 1), ids[0], "SP - Mats - Exact", ids[1], "Mats",
         "MAT-GREY", "B0MATGREY1", "USD", 1641, 16, Decimal("147.9500"), Decimal("838.9900"), 2, 3, 2, 1,
         Decimal("600.0000"), Decimal("238.9900"), 7, "ads_api_v3"),
        # a campaign name starting with `=` is text, as written
        ("US", "SP", date(2026, 4, 2), date(2026, 4, 2), ids[0], "=Defense - ASIN", ids[1], "Mats",
         "STRAP", "B0STRAP001", "USD", 325, 5, Decimal("45.3700"), Decimal("1677.9800"), 2, 2, 2, 0,
         Decimal("1677.9800"), Decimal("0.0000"), 7, "ads_api_v3"),
        ("US", "SP", date(2026, 4, 2), date(2026, 4, 2), ids[0], "SP - Mats - Exact", ids[1], "Mats",
         "MAT-GREY", "B0MATGREY1", "USD", 143, 3, Decimal("25.6900"), Decimal("0.0000"), 0, 0, 0, 0,
         Decimal("0.0000"), Decimal("0.0000"), 7, "ads_api_v3"),
    ]  # fmt: skip
    # spend 147.95 + 25.69 + 45.37 = 219.01; sales 838.99 + 0 + 1,677.98 = 2,516.97
    assert workspace.facts.con.execute("SELECT sum(spend), sum(sales) FROM ad_performance").fetchall() == [
        (Decimal("219.0100"), Decimal("2516.9700"))
    ]


def test_summary_report_falls_back_to_fourteen_days(workspace: Workspace, tmp_path: Path) -> None:
    """No 7-day columns: 14-day figures are used and attribution_days says so; `spend` stands for cost;
    there are no other-SKU figures for 14 days."""
    records = [
        record(startDate="2026-04-01", endDate="2026-04-30", impressions=1000, clicks=10, spend=12.5,
               sales14d=99.9, purchases14d=1, unitsSoldClicks14d=1, attributedSalesSameSku14d=99.9,
               unitsSoldSameSku14d=1, sales1d=0, purchases1d=0, unitsSoldClicks1d=0),
    ]  # fmt: skip
    workspace.import_file(write_json(tmp_path / "summary.json", records), ImportOptions("acme-na", "US"))
    got = facts(workspace)
    assert [(r[2], r[3], r[13], r[14], r[15], r[16], r[17], r[18], r[19], r[20], r[21]) for r in got] == [
        (date(2026, 4, 1), date(2026, 4, 30), Decimal("12.5000"), Decimal("99.9000"), 1, 1, 1, None,
         Decimal("99.9000"), None, 14)
    ]  # fmt: skip


def test_one_day_window_when_that_is_all_there_is(workspace: Workspace, tmp_path: Path) -> None:
    records = [record(date="2026-04-03", impressions=50, clicks=1, cost=0.8, sales1d=19.99, purchases1d=1)]
    workspace.import_file(write_json(tmp_path / "oneday.json", records), NA)
    assert workspace.facts.con.execute(
        "SELECT sales, orders, units, attribution_days FROM ad_performance"
    ).fetchall() == [(Decimal("19.9900"), 1, None, 1)]


def test_flattened_csv_without_dates_needs_a_range(workspace: Workspace, tmp_path: Path) -> None:
    """The flattened form: camelCase headers in any order, no date column (report-formats §2.2)."""
    path = tmp_path / "sp_advertised_product_20260410.csv"
    path.write_text(
        "cost,unitsSoldClicks1d,adGroupName,campaignId,advertisedAsin,clicks,advertisedSku,purchases1d,"
        "sales1d,impressions,campaignName,adGroupId\n"
        "25.69,0,ASINs,525534316779701,B0CN177JS7,3,Mat-60,0,0,143,+Defense ASIN,370304859254119\n"
        "45.37,2,ASINs,525534316779701,B0BN5P232F,5,Mat-45,2,838.99,325,+Defense ASIN,370304859254119\n",
        encoding="utf-8",
    )
    with pytest.raises(NeedsOption, match="--from and --to"):
        workspace.import_file(path, NA)
    options = ImportOptions("acme-na", "US", date_from=date(2026, 4, 9), date_to=date(2026, 4, 9))
    result = workspace.import_file(path, options)
    assert result.rows_loaded == {"ad_performance": 2}
    assert workspace.facts.con.execute(
        "SELECT date_from, date_to, campaign_name, sku, currency, clicks, spend, sales, orders, units, "
        "attribution_days FROM ad_performance ORDER BY source_row"
    ).fetchall() == [
        (date(2026, 4, 9), date(2026, 4, 9), "+Defense ASIN", "Mat-60", "USD", 3, Decimal("25.6900"),
         Decimal("0.0000"), 0, 0, 1),
        (date(2026, 4, 9), date(2026, 4, 9), "+Defense ASIN", "Mat-45", "USD", 5, Decimal("45.3700"),
         Decimal("838.9900"), 2, 2, 1),
    ]  # fmt: skip
    imported = workspace.facts.con.execute("SELECT date_from, date_to FROM imports").fetchall()
    assert imported == [(date(2026, 4, 9), date(2026, 4, 9))]


def test_no_currency_and_several_marketplaces_asks_for_one(workspace: Workspace, tmp_path: Path) -> None:
    records = [{k: v for k, v in r.items() if k != "campaignBudgetCurrencyCode"} for r in DAILY]
    with pytest.raises(NeedsOption, match="--marketplace"):
        workspace.import_file(write_json(tmp_path / "nocurrency.json", records), NA)


def test_budget_currency_of_another_marketplace_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_json(tmp_path / "us.json", DAILY), ImportOptions("acme-na", "CA"))
    assert "the campaign budget currency is not CAD, the currency of marketplace CA (value 'USD')" in str(
        info.value
    )
    assert count(workspace) == 0


def test_mixed_budget_currencies_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    records = [dict(r) for r in DAILY]
    records[1]["campaignBudgetCurrencyCode"] = "CAD"
    with pytest.raises(ImportRejected, match="several currencies"):
        workspace.import_file(write_json(tmp_path / "mixed.json", records), NA)


def test_bad_values_and_unknown_json(workspace: Workspace, tmp_path: Path) -> None:
    records = [dict(r) for r in DAILY]
    records[1]["impressions"] = "lots"
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_json(tmp_path / "bad.json", records), NA)
    assert "column 'impressions': cannot read this value (value 'lots')" in str(info.value)
    with pytest.raises(ImportRejected, match="unknown JSON report"):
        workspace.import_file(write_json(tmp_path / "odd.json", [DAILY[0], "not a record"]), NA)
    assert count(workspace) == 0


def test_dates_in_the_file_win_over_options(workspace: Workspace, tmp_path: Path) -> None:
    options = ImportOptions("acme-na", date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
    result = workspace.import_file(write_json(tmp_path / "daily.json", DAILY), options)
    assert "dates from the report's own date columns; --from/--to not used" in result.notes
    assert workspace.facts.con.execute(
        "SELECT min(date_from), max(date_to) FROM ad_performance"
    ).fetchall() == [(date(2026, 4, 1), date(2026, 4, 2))]


def test_public_flattened_extract_imports(workspace: Workspace, public_fixture: Any) -> None:
    """The real Amazon.in extract: 40 rows, 1-day metrics, INR. Totals checked by hand from the file
    (summing its columns): cost 9,814.89, sales1d 70,797.11, clicks 958, impressions 147,145."""
    path = public_fixture(
        "amazon_ads_api_v3_spAdvertisedProduct_flattened_csv__Vinay13893_amazon-seller-toolkit__excerpt41lines.csv"
    )
    workspace.add_account(Account(id="acme-in", name="Acme IN", marketplaces=("IN",)))
    options = ImportOptions("acme-in", date_from=date(2026, 4, 9), date_to=date(2026, 4, 9))
    result = workspace.import_file(path, options)
    assert result.rows_loaded == {"ad_performance": 40}
    assert workspace.facts.con.execute(
        "SELECT count(*), sum(spend), sum(sales), sum(clicks), sum(impressions), min(marketplace), "
        "min(currency), min(attribution_days), max(attribution_days) FROM ad_performance"
    ).fetchall() == [(40, Decimal("9814.8900"), Decimal("70797.1100"), 958, 147145, "IN", "INR", 1, 1)]
    # Its second data line, by hand: cost 25.69, 3 clicks, 143 impressions, nothing sold.
    assert workspace.facts.con.execute(
        "SELECT campaign_name, campaign_id, asin, spend, clicks, impressions, sales FROM ad_performance "
        "WHERE source_row = 3"
    ).fetchall() == [
        ("Defense- Antislip- SPM ASIN", "525534316779701", "B0CN177JS7", Decimal("25.6900"), 3, 143,
         Decimal("0.0000"))
    ]  # fmt: skip


def test_marketplace_outside_the_account_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="account acme-na does not sell on DE"):
        workspace.import_file(write_json(tmp_path / "de.json", DAILY), ImportOptions("acme-na", "DE"))
    assert count(workspace) == 0
