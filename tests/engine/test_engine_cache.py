"""The engine keeps compiled queries and the rate table between runs on one database: a repeated request
must still see every change to the data (new rows, new rates) and still raise and warn as a fresh
engine would. Values are worked out by hand in the comments."""

from __future__ import annotations

import pytest

from tests.engine.factbuilder import Facts, public, rows
from tradewind.core.errors import QueryError

RATE = {"kind": "ecb", "base": "EUR", "quote": "USD"}


def _line(order: str, day: str, price: float, marketplace: str = "DE", currency: str = "EUR") -> dict:
    return {
        "marketplace": marketplace,
        "order_id": order,
        "purchase_date": day,
        "sku": "S1",
        "quantity": 1,
        "currency": currency,
        "item_price": price,
        "item_tax": 0,
    }


def test_a_repeated_request_sees_new_rows() -> None:
    facts = Facts().add("order_lines", [_line("A1", "2026-03-02", 23.80)])
    engine = facts.engine()
    request = {"by": ("month",), "period": "2026-03", "currency": "EUR"}
    assert [public(r) for r in rows(engine, ["gmv", "orders"], **request)] == [
        {"period": "2026-03", "gmv": 23.80, "orders": 1}
    ]
    facts.add("order_lines", [_line("A2", "2026-03-05", 10.00)])
    # 23.80 + 10.00 = 33.80 over two orders
    assert [public(r) for r in rows(engine, ["gmv", "orders"], **request)] == [
        {"period": "2026-03", "gmv": 33.80, "orders": 2}
    ]


def test_a_repeated_request_sees_new_rates() -> None:
    facts = Facts().add("order_lines", [_line("U1", "2026-03-03", 10.00, "US", "USD")])
    facts.add("fx_rates", [{**RATE, "rate_date": "2026-03-02", "rate": 1.25}])
    engine = facts.engine()
    request = {"by": ("marketplace",), "period": "2026-03", "currency": "EUR"}
    # the 2026-03-02 rate serves 2026-03-03: 10 USD / 1.25 = 8.00 EUR
    assert [public(r) for r in rows(engine, ["gmv"], **request)] == [{"marketplace": "US", "gmv": 8.00}]
    facts.add("fx_rates", [{**RATE, "rate_date": "2026-03-03", "rate": 2.0}])
    # now the day's own rate: 10 / 2.0 = 5.00 EUR
    assert [public(r) for r in rows(engine, ["gmv"], **request)] == [{"marketplace": "US", "gmv": 5.00}]


def test_a_rate_gone_missing_after_a_cached_run_is_still_an_error() -> None:
    facts = Facts().add("order_lines", [_line("U1", "2026-03-03", 10.00, "US", "USD")])
    facts.add("fx_rates", [{**RATE, "rate_date": "2026-03-02", "rate": 1.25}])
    engine = facts.engine()
    request = {"by": ("month",), "period": "2026-03", "currency": "EUR"}
    assert [public(r) for r in rows(engine, ["gmv"], **request)] == [{"period": "2026-03", "gmv": 8.00}]
    facts.add("order_lines", [_line("C1", "2026-03-04", 20.00, "CA", "CAD")])  # no EUR->CAD rate at all
    with pytest.raises(QueryError, match="no CAD->EUR rate on or before 2026-03-04"):
        rows(engine, ["gmv"], **request)


def test_a_stale_rate_warns_on_every_run() -> None:
    facts = Facts().add("order_lines", [_line("U1", "2026-03-20", 10.00, "US", "USD")])
    facts.add("fx_rates", [{**RATE, "rate_date": "2026-03-02", "rate": 1.25}])
    engine = facts.engine()
    from tradewind.engine import KpiRequest

    request = KpiRequest(kpis=("gmv",), by=("month",), period="2026-03", currency="EUR")
    for _ in range(2):
        result = engine.run(request)
        assert [public(r) for r in result.rows] == [{"period": "2026-03", "gmv": 8.00}]  # 10 / 1.25
        assert any("is of 2026-03-02 (18 days earlier)" in w for w in result.warnings), result.warnings


def test_a_new_import_in_the_ledger_drops_what_was_kept() -> None:
    facts = Facts().add("order_lines", [_line("A1", "2026-03-02", 23.80)])
    engine = facts.engine()
    rows(engine, ["gmv"], by=("month",), period="2026-03")
    kept = engine._cache._version
    facts.ledger("imp-2", "orders.txt", "ab" * 32, "2026-04-01 10:00:00")
    rows(engine, ["gmv"], by=("month",), period="2026-03")
    assert engine._cache._version != kept


def test_the_duckdb_memory_limit_is_applied_and_checked() -> None:
    facts = Facts()
    engine = facts.engine(duckdb_memory_limit="512MB")
    # DuckDB reads MB as 10^6 bytes and shows MiB: 512,000,000 bytes = 488.2 MiB
    assert facts.con.sql("SELECT current_setting('memory_limit')").fetchall()[0][0] == "488.2 MiB"
    engine._cache.release_buffers()  # after a large result: evicts cached blocks, keeps the limit
    assert facts.con.sql("SELECT current_setting('memory_limit')").fetchall()[0][0] == "488.2 MiB"
    with pytest.raises(QueryError, match="is not a size like '1GB'"):
        facts.engine(duckdb_memory_limit="1GB; DROP TABLE order_lines")
