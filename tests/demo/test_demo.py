"""The demo seller: deterministic files in the real layouts, imported by the real importers, with the
stories it promises (Q4 and Prime Day peaks, the July stock-out, the ROAS dip, exact settlements).

The expected dates below are worked out by hand from the fixed "today" (2026-04-15): the demo covers
the 24 full months 2024-04-01..2026-03-31.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
import typer
from stdnum import ean
from typer.testing import CliRunner

from tradewind.app import Workspace
from tradewind.cli.demo_cmd import register
from tradewind.core.errors import WorkspaceError
from tradewind.demo.build import MARKER, DemoSummary, generate, prepare_folder
from tradewind.demo.calendar import black_friday, cyber_monday, prime_big_deal_days, prime_day
from tradewind.demo.catalog import _gtin
from tradewind.demo.scenario import DemoScenario, scenario_for
from tradewind.demo.world import World, build_world

from .conftest import TODAY, files_under

#: The fact tables the demo fills: issue #2's, and issue #4's operations and compliance sheets.
FACTS = (
    "order_lines",
    "traffic",
    "ad_performance",
    "inventory_snapshots",
    "customer_returns",
    "settlement_lines",
    "settlements",
    "products",
    "product_costs",
    "fx_rates",
    "cs_tickets",
    "shipments",
    "listing_tasks",
    "ratings_snapshots",
    "vat_registrations",
    "epr_registrations",
    "stock_locations",
)
ALL_MARKETS = ("CA", "DE", "ES", "FR", "IT", "UK", "US")


# -- the calendar, by hand -----------------------------------------------------------------------------
def test_period_is_the_24_full_months_before_today(small_scenario: DemoScenario) -> None:
    assert small_scenario.start == date(2024, 4, 1)
    assert small_scenario.end == date(2026, 3, 31)
    assert small_scenario.days == 730  # 2024-04-01..2025-03-31 and 2025-04-01..2026-03-31, 365 each


def test_event_dates() -> None:
    assert prime_day(2024) == (date(2024, 7, 16), date(2024, 7, 17))
    assert prime_day(2025) == (date(2025, 7, 8), date(2025, 7, 11))
    # Later years: Tuesday to Friday of the second week of July (8..14 July holds the Tuesday).
    assert prime_day(2026) == (date(2026, 7, 14), date(2026, 7, 17))
    assert prime_big_deal_days(2025) == (date(2025, 10, 7), date(2025, 10, 8))
    assert prime_big_deal_days(2026) == (date(2026, 10, 13), date(2026, 10, 14))
    assert black_friday(2024) == date(2024, 11, 29)
    assert black_friday(2025) == date(2025, 11, 28)
    assert cyber_monday(2025) == date(2025, 12, 1)


def test_gtin_check_digit_by_hand() -> None:
    # 6 9 7 5 4 1 2 0 0 1 0 0 weighted 1,3,1,3,...: 6+27+7+15+4+3+2+0+0+3+0+0 = 67 -> check digit 3.
    assert _gtin(100) == "6975412001003"


# -- determinism ---------------------------------------------------------------------------------------
def _digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files_under(folder).items()}


def test_same_seed_writes_byte_identical_files(tmp_path: Path, small_scenario: DemoScenario) -> None:
    first = generate(tmp_path / "a", small_scenario)
    generate(tmp_path / "b", small_scenario)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert len(a) == len({f.path for f in first.files}) > 50
    assert a == b
    other = build_world(scenario_for("small", seed=7, today=TODAY))
    assert other.lines.size != first.world.lines.size or (other.lines.utc != first.world.lines.utc).any()


# -- the import ----------------------------------------------------------------------------------------
def test_every_file_imports(small_demo: DemoSummary) -> None:
    assert [str(e) for e in small_demo.errors] == []
    assert small_demo.imports >= small_demo.files > 50


def test_every_fact_table_has_rows(small_demo: DemoSummary) -> None:
    empty = [name for name in FACTS if small_demo.rows.get(name, 0) == 0]
    assert empty == []


def test_orders_in_all_seven_marketplaces_over_the_whole_period(small_demo: DemoSummary) -> None:
    assert small_demo.marketplaces == ALL_MARKETS
    assert small_demo.first_day == date(2024, 4, 1)
    assert small_demo.last_day == date(2026, 3, 31)


def test_eu_prices_include_vat_with_the_tax_filled(demo_ws: Workspace) -> None:
    rows = demo_ws.facts.query(
        "SELECT marketplace, bool_and(tax_included), bool_or(tax_included), "
        "count(*) FILTER (WHERE NOT is_cancelled AND item_tax IS NULL) FROM order_lines "
        "WHERE source = 'amazon_all_orders' GROUP BY marketplace ORDER BY marketplace"
    )
    by_market = {m: (all_, any_, missing) for m, all_, any_, missing in rows}
    for code in ("UK", "DE", "FR", "IT", "ES"):
        assert by_market[code] == (True, True, 0)
    for code in ("US", "CA"):
        assert by_market[code] == (False, False, 0)
    # A German line's VAT is 19/119 of its price (ships to Germany) or 20/120 (ships to Austria).
    ratios = demo_ws.facts.query(
        "SELECT DISTINCT round(item_tax / item_price, 2) FROM order_lines WHERE marketplace = 'DE' "
        "AND NOT is_cancelled AND item_price >= 20 AND coalesce(item_promotion_discount, 0) = 0"
    )
    assert {float(r[0]) for r in ratios} <= {0.16, 0.17}


def test_cancelled_pending_and_b2b_lines(demo_ws: Workspace) -> None:
    row = demo_ws.facts.query(
        "SELECT count(*) FILTER (WHERE is_cancelled), count(*) FILTER (WHERE is_pending), "
        "count(*) FILTER (WHERE is_business_order), max(purchase_date) FILTER (WHERE is_pending) "
        "FROM order_lines WHERE source = 'amazon_all_orders'"
    )[0]
    cancelled, pending, business, last_pending = row
    assert cancelled > 0 and pending > 0 and business > 0
    assert last_pending >= date(2026, 3, 30)  # only the last two days can still be pending


def _daily_units(ws: Workspace, first: date, last: date) -> dict[date, int]:
    rows = ws.facts.query(
        "SELECT purchase_date, sum(quantity) FROM order_lines WHERE NOT is_cancelled "
        "AND source = 'amazon_all_orders' AND purchase_date BETWEEN ? AND ? GROUP BY purchase_date",
        [first, last],
    )
    return {d: int(u) for d, u in rows}


@pytest.mark.parametrize(
    "first, last", [(date(2024, 7, 16), date(2024, 7, 17)), (date(2025, 7, 8), date(2025, 7, 11))]
)
def test_prime_day_beats_the_surrounding_weeks(demo_ws: Workspace, first: date, last: date) -> None:
    units = _daily_units(demo_ws, first - timedelta(days=14), last + timedelta(days=14))
    around = [u for d, u in units.items() if not first <= d <= last]
    average = sum(around) / 28
    prime = [units[first + timedelta(days=k)] for k in range((last - first).days + 1)]
    assert min(prime) > 1.5 * average


def test_q4_is_the_peak_quarter(demo_ws: Workspace) -> None:
    rows = demo_ws.facts.query(
        "SELECT quarter(purchase_date) AS q, sum(quantity) FROM order_lines WHERE NOT is_cancelled "
        "AND purchase_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY q ORDER BY q"
    )
    units = {int(q): int(u) for q, u in rows}
    assert max(units, key=lambda q: units[q]) == 4


def test_planted_july_stockout_shows_in_the_snapshots(small_world: World, demo_ws: Workspace) -> None:
    # By hand: Prime Day 2025 starts on 8 July, so the stock-out is checked the day before, 2025-07-07;
    # the small catalog (30 SKUs) plants one US SKU and one German one; the stock arrives on 30 July.
    plants = small_world.plants
    assert [(p.pool, len(p.skus), p.check_day, p.arrival) for p in plants.stockouts] == [
        ("US", 1, date(2025, 7, 7), date(2025, 7, 30)),
        ("DE", 1, date(2025, 7, 7), date(2025, 7, 30)),
    ]
    for plant in plants.stockouts:
        rows = demo_ws.facts.query(
            "SELECT snapshot_date, sku, afn_fulfillable FROM inventory_snapshots WHERE marketplace = ? "
            "AND sku IN (SELECT unnest(?)) AND snapshot_date IN (DATE '2025-07-07', DATE '2025-09-30') "
            "ORDER BY snapshot_date, sku",
            [plant.pool, list(plant.skus)],
        )
        july = {sku: q for d, sku, q in rows if d == date(2025, 7, 7)}
        september = {sku: q for d, sku, q in rows if d == date(2025, 9, 30)}
        assert july == dict.fromkeys(plant.skus, 0)
        assert all(q > 0 for q in september.values()) and set(september) == set(plant.skus)
        # Still active on the check day: it sold in its pool's marketplace in the 30 days before.
        sold = demo_ws.facts.query(
            "SELECT count(*) FROM order_lines WHERE marketplace = ? AND sku IN (SELECT unnest(?)) "
            "AND NOT is_cancelled AND purchase_date BETWEEN DATE '2025-06-07' AND DATE '2025-07-06'",
            [plant.pool, list(plant.skus)],
        )[0][0]
        assert sold > 0


def test_no_other_sku_is_out_of_stock_on_the_check_days(small_world: World, demo_ws: Workspace) -> None:
    planted = {(p.pool, sku) for p in small_world.plants.stockouts for sku in p.skus}
    rows = demo_ws.facts.query(
        "SELECT DISTINCT snapshot_date, marketplace, sku FROM inventory_snapshots WHERE snapshot_date IN "
        "(DATE '2025-07-07', DATE '2026-03-31') AND coalesce(afn_fulfillable, 0) = 0"
    )
    assert {(m, sku) for _d, m, sku in rows} <= planted


def test_business_report_units_add_up_to_the_orders_but_the_planted_gap(demo_ws: Workspace) -> None:
    rows = demo_ws.facts.query(
        """
        SELECT t.marketplace, t.date_from, t.units, sum(d.units)
        FROM (SELECT marketplace, date_from, date_to, sum(units_ordered) AS units FROM traffic GROUP BY ALL) t
        JOIN (SELECT marketplace, purchase_date, sum(quantity) AS units
              FROM order_lines WHERE NOT is_cancelled AND source = 'amazon_all_orders' GROUP BY ALL) d
          ON d.marketplace = t.marketplace AND d.purchase_date BETWEEN t.date_from AND t.date_to
        GROUP BY t.marketplace, t.date_from, t.units
        """
    )
    assert len(rows) == 7 * 2  # seven marketplaces, two one-year reports each (the small cadence)
    short = {(m, first): o - t for m, first, t, o in rows if t != o}
    # The planted gap: the last German report counts 12% fewer units (rounded per SKU) on its three
    # best sellers than the orders do.
    top = demo_ws.facts.query(
        "SELECT sum(quantity) AS u FROM order_lines WHERE marketplace = 'DE' AND NOT is_cancelled "
        "AND source = 'amazon_all_orders' AND purchase_date BETWEEN DATE '2025-04-01' AND DATE '2026-03-31' "
        "GROUP BY sku ORDER BY u DESC LIMIT 3"
    )
    assert short == {("DE", date(2025, 4, 1)): sum(round(int(u) * 0.12) for (u,) in top)}


def test_settlements_add_up_and_fees_are_negative(demo_ws: Workspace) -> None:
    rows = demo_ws.facts.query(
        "SELECT s.settlement_id, s.total_amount, sum(l.amount) FROM settlements s "
        "JOIN settlement_lines l USING (account_id, settlement_id) GROUP BY ALL"
    )
    assert len(rows) >= 8
    assert all(total == lines for _id, total, lines in rows)
    signs = demo_ws.facts.query(
        "SELECT amount_description, bool_and(amount < 0) FROM settlement_lines "
        "WHERE transaction_type = 'Order' AND amount_type = 'ItemFees' GROUP BY ALL"
    )
    assert dict(signs) == {"Commission": True, "FBAPerUnitFulfillmentFee": True}


def test_settlements_cover_every_marketplace(demo_ws: Workspace) -> None:
    rows = demo_ws.facts.query("SELECT DISTINCT marketplace FROM settlement_lines ORDER BY 1")
    assert tuple(r[0] for r in rows) == ALL_MARKETS


def test_eu_number_formats_encodings_and_languages(demo_ws: Workspace) -> None:
    ledger = demo_ws.facts.query(
        "SELECT file_name, report_type, report_variant, encoding, decimal_style FROM imports"
    )
    cp1252 = [r for r in ledger if r[3] == "cp1252"]
    assert len(cp1252) == 1 and cp1252[0][1] == "amazon_all_orders" and "demo-eu" in cp1252[0][0]
    german = [r for r in ledger if r[1] == "business_report" and "German" in (r[2] or "")]
    assert len(german) == 1 and german[0][4] == "comma"
    eur_settlements = [r for r in ledger if r[0].startswith("Settlement_EU_")]
    assert eur_settlements and {r[4] for r in eur_settlements} == {"comma"}


def test_returns_some_in_a_later_month(demo_ws: Workspace) -> None:
    row = demo_ws.facts.query(
        "SELECT count(*), count(*) FILTER (WHERE date_trunc('month', r.return_date) > "
        "date_trunc('month', o.purchase_date)), count(DISTINCT r.marketplace) FROM customer_returns r "
        "JOIN (SELECT DISTINCT account_id, order_id, purchase_date FROM order_lines) o USING (account_id, order_id)"
    )[0]
    total, later, markets = row
    assert total > 100 and 0 < later < total and markets == 7


def test_roas_near_the_target_with_a_dip_on_one_german_sku(small_world: World, demo_ws: Workspace) -> None:
    # The planted dip: the German best seller, for six weeks from 27 days before the stock-out check
    # (2025-07-07 - 27 days = 2025-06-10, to 2025-07-21), with clicks 1.8 times dearer converting 0.75 as
    # often: ROAS / 2.4, about 1.7 against the account's target of about 4.
    (dip,) = small_world.plants.roas_dips
    assert (dip.markets, dip.start, dip.end, dip.skus) == (
        ("DE",),
        date(2025, 6, 10),
        date(2025, 7, 21),
        ("LM-BOC-GY-S",),
    )
    rows = demo_ws.facts.query(
        "SELECT marketplace, sku = 'LM-BOC-GY-S' AND marketplace = 'DE' AND date_from "
        "BETWEEN DATE '2025-06-10' AND DATE '2025-07-21' AS dip, sum(sales) / sum(spend) FROM ad_performance "
        "GROUP BY ALL"
    )
    roas = {(m, bool(dip)): float(r) for m, dip, r in rows}
    for market in ALL_MARKETS:
        assert 3.5 <= roas[(market, False)] <= 5.0, market
    assert roas[("DE", True)] < 2.0


def test_money_keeps_each_marketplace_currency(demo_ws: Workspace) -> None:
    expected = {"US": "USD", "CA": "CAD", "UK": "GBP", "DE": "EUR", "FR": "EUR", "IT": "EUR", "ES": "EUR"}
    for table in ("order_lines", "ad_performance", "settlement_lines", "traffic", "inventory_snapshots"):
        rows = demo_ws.facts.query(
            f"SELECT marketplace, list(DISTINCT currency) FROM {table} WHERE currency IS NOT NULL GROUP BY ALL"
        )
        found = {m: tuple(c) for m, c in rows}
        assert found == {m: (expected[m],) for m in found}, table
    ads = demo_ws.facts.query("SELECT list(DISTINCT source ORDER BY source) FROM ad_performance")[0][0]
    assert ads == ["ads_api_v3", "ads_console"]


def test_catalog_gtins_owners_and_costs(small_world: World, demo_ws: Workspace) -> None:
    products = demo_ws.facts.query(
        "SELECT sku, gtin, owner, brand, parent_asin FROM products WHERE account_id = 'demo-na'"
    )
    assert len(products) == 30
    # One GTIN is planted with a wrong check digit (issue 4): the valid one with its last digit + 1.
    invalid = {s: g for s, g, _o, _b, _p in products if not ean.is_valid(g)}
    typo = small_world.catalog.gtin[small_world.catalog.sku.index("NQ-BMT-GY")]
    assert invalid == {"NQ-BMT-GY": typo[:-1] + str((int(typo[-1]) + 1) % 10)}
    assert all(len(g) == 13 for _s, g, _o, _b, _p in products)
    assert 4 <= len({o for _s, _g, o, _b, _p in products}) <= 6
    costs = demo_ws.facts.query(
        "SELECT count(DISTINCT sku), count(*) FILTER (WHERE effective_from = DATE '2025-04-01'), "
        "list(DISTINCT currency ORDER BY currency) FROM product_costs WHERE account_id = 'demo-na'"
    )[0]
    assert costs[0] == 30 and costs[1] > 0 and set(costs[2]) <= {"CNY", "USD"}


def test_fx_rates_on_every_target_business_day(demo_ws: Workspace) -> None:
    # TARGET holidays in the period, by hand (Easter 2024: 31 March, so Easter Monday is 1 April;
    # Easter 2025: 20 April; Easter 2026, 5 April, falls after the period).
    holidays = {
        date(2024, 4, 1),
        date(2024, 5, 1),
        date(2024, 12, 25),
        date(2024, 12, 26),
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 1),
        date(2025, 12, 25),
        date(2025, 12, 26),
        date(2026, 1, 1),
    }
    rows = demo_ws.facts.query("SELECT DISTINCT rate_date FROM fx_rates WHERE kind = 'ecb' AND quote = 'USD'")
    quoted = {r[0] for r in rows}
    expected = {
        date(2024, 4, 1) + timedelta(days=k)
        for k in range(730)
        if (date(2024, 4, 1) + timedelta(days=k)).weekday() < 5
    } - holidays
    assert expected <= quoted
    assert not quoted & holidays
    assert max(quoted) == date(2026, 3, 31)  # a Tuesday
    low, high = demo_ws.facts.query(
        "SELECT min(rate), max(rate) FROM fx_rates WHERE kind = 'ecb' AND quote = 'USD'"
    )[0]
    assert 0.95 < low < high < 1.3


# -- the folder and the command ------------------------------------------------------------------------
def test_force_replaces_only_a_demo(tmp_path: Path) -> None:
    folder = tmp_path / "somewhere"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(WorkspaceError, match="not a Tradewind demo"):
        prepare_folder(folder, force=True)
    assert (folder / "notes.txt").exists()
    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / MARKER).write_text("{}")
    with pytest.raises(WorkspaceError, match="--force"):
        prepare_folder(demo, force=False)
    prepare_folder(demo, force=True)
    assert list(demo.iterdir()) == []


def test_command_refuses_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)

    @app.command()
    def other() -> None:  # a second command keeps Typer from folding `demo` into the app itself
        """Unused."""

    (tmp_path / "data.csv").write_text("x")
    result = CliRunner().invoke(app, ["demo", str(tmp_path), "--size", "small"])
    assert result.exit_code == 1
    assert "not a Tradewind demo" in result.output
    result = CliRunner().invoke(app, ["demo", str(tmp_path / "new"), "--size", "huge"])
    assert result.exit_code == 2
