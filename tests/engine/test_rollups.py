"""The daily rollups: used only while current, never a different number than the facts give.

Values are worked out by hand in the comments; the KPI case suite runs every case once more with the
rollups built (`duckdb-rollups`), which is where most formulas are checked against them."""

from __future__ import annotations

from pathlib import Path

from tests.engine.factbuilder import Facts, public, rows

RATE = {"kind": "ecb", "base": "EUR", "quote": "USD"}


def _line(order: str, day: str, price: float, sku: str = "S1", marketplace: str = "DE") -> dict:
    return {
        "marketplace": marketplace,
        "order_id": order,
        "purchase_date": day,
        "sku": sku,
        "quantity": 1,
        "currency": "EUR",
        "item_price": price,
        "item_tax": 0,
    }


def _reads_rollups(engine) -> bool:  # type: ignore[no-untyped-def]
    return any("rollup__order_lines" in q.sql for q in engine._cache._queries.values())


def test_orders_of_two_skus_count_once_at_marketplace_level() -> None:
    # order A has two SKUs: by marketplace it is one order; 10 + 5 + 20 = 35.00 over 2 orders
    facts = Facts().add(
        "order_lines",
        [
            _line("A", "2026-03-02", 10.0, "S1"),
            _line("A", "2026-03-02", 5.0, "S2"),
            _line("B", "2026-03-09", 20.0),
        ],
    )
    engine = facts.engine()
    assert [b.fact for b in engine.build_rollups()][:1] == ["order_lines"]
    request = {"by": ("month", "marketplace"), "period": "2026-03", "currency": "EUR"}
    assert [public(r) for r in rows(engine, ["gmv", "orders", "aov"], **request)] == [
        {"period": "2026-03", "marketplace": "DE", "gmv": 35.00, "orders": 2, "aov": 17.50}
    ]
    assert _reads_rollups(engine)


def test_a_request_by_sku_reads_the_facts() -> None:
    facts = Facts().add(
        "order_lines", [_line("A", "2026-03-02", 10.0, "S1"), _line("A", "2026-03-02", 5.0, "S2")]
    )
    engine = facts.engine()
    engine.build_rollups()
    request = {"by": ("sku",), "period": "2026-03", "currency": "EUR"}
    assert [public(r) for r in rows(engine, ["orders"], **request)] == [
        {"sku": "S1", "orders": 1},
        {"sku": "S2", "orders": 1},
    ]
    assert not _reads_rollups(engine)


def test_new_rows_after_the_build_are_counted_from_the_facts() -> None:
    facts = Facts().add("order_lines", [_line("A", "2026-03-02", 10.0)])
    engine = facts.engine()
    engine.build_rollups()
    request = {"by": ("month",), "period": "2026-03", "currency": "EUR"}
    assert [public(r) for r in rows(engine, ["gmv"], **request)] == [{"period": "2026-03", "gmv": 10.00}]
    facts.add("order_lines", [_line("B", "2026-03-03", 7.0)])
    # the rollup is stale now: 10 + 7 = 17.00, from the facts
    assert [public(r) for r in rows(engine, ["gmv"], **request)] == [{"period": "2026-03", "gmv": 17.00}]
    assert not _reads_rollups(engine)
    engine.build_rollups()
    assert [public(r) for r in rows(engine, ["gmv"], **request)] == [{"period": "2026-03", "gmv": 17.00}]
    assert _reads_rollups(engine)


def test_money_is_converted_at_each_days_rate() -> None:
    # 10 EUR on 03-02 at 1.10 and 10 EUR on 03-03 at 1.20: 11.00 + 12.00 = 23.00 USD
    facts = Facts().add("order_lines", [_line("A", "2026-03-02", 10.0), _line("B", "2026-03-03", 10.0)])
    facts.add(
        "fx_rates",
        [
            {**RATE, "rate_date": "2026-03-02", "rate": 1.10},
            {**RATE, "rate_date": "2026-03-03", "rate": 1.20},
        ],
    )
    engine = facts.engine()
    engine.build_rollups()
    request = {"by": ("marketplace",), "period": "2026-03", "currency": "USD"}
    assert [public(r) for r in rows(engine, ["gmv"], **request)] == [{"marketplace": "DE", "gmv": 23.00}]
    assert _reads_rollups(engine)


def test_an_import_batch_leaves_current_rollups(tmp_path: Path) -> None:
    from tests.ingest.orders_file import order_row, write_orders
    from tradewind.app import Workspace
    from tradewind.engine import KpiRequest
    from tradewind.ingest.spec import ImportOptions
    from tradewind.store.config import Account

    ws = Workspace.init(tmp_path / "ws", accounts=[Account(id="acme-eu", name="EU", marketplaces=("DE",))])
    path = write_orders(tmp_path / "orders.txt", [order_row("302-1", price="11.90")])
    ws.import_files([path], ImportOptions())
    result = ws.kpi(KpiRequest(kpis=("gmv",), by=("marketplace",), currency="EUR"))
    assert [(r["marketplace"], r["gmv"]) for r in result.to_dict()["rows"]] == [("DE", 11.90)]
    assert _reads_rollups(ws.engine())
    ws.close()
