"""`explain`: formula and version, the parts' values, FX rates, files and source rows behind a figure."""

from __future__ import annotations

import pytest

from tests.engine.factbuilder import Facts
from tradewind.engine.lineage import SourceFile, SourceRow


@pytest.fixture
def facts() -> Facts:
    def line(import_id: str, row: int, order: str, day: str, qty: int, price: float, **extra: object) -> dict:
        return {
            "import_id": import_id,
            "source_row": row,
            "marketplace": "US",
            "order_id": order,
            "purchase_date": day,
            "sku": "S1",
            "quantity": qty,
            "currency": "USD",
            "item_price": price,
            **extra,
        }

    return (
        Facts()
        .add(
            "order_lines",
            [
                line("imp-a", 2, "U1", "2026-03-06", 1, 10.80),
                line("imp-a", 3, "U2", "2026-03-08", 3, 21.60),
                line("imp-b", 2, "U3", "2026-03-09", 1, 12.00),
                line("imp-b", 3, "U4", "2026-03-09", 1, 99.00, is_cancelled=True),
                {
                    "import_id": "imp-c",
                    "source_row": 2,
                    "marketplace": "DE",
                    "order_id": "D1",
                    "purchase_date": "2026-03-09",
                    "sku": "S1",
                    "quantity": 1,
                    "currency": "EUR",
                    "item_price": 11.90,
                },
            ],
        )
        .add(
            "fx_rates",
            [
                {"kind": "ecb", "rate_date": "2026-03-06", "base": "EUR", "quote": "USD", "rate": 1.08},
                {"kind": "ecb", "rate_date": "2026-03-09", "base": "EUR", "quote": "USD", "rate": 1.20},
            ],
        )
        .ledger("imp-a", "orders-a.txt", "a" * 64, "2026-04-01 08:00:00+00")
        .ledger("imp-b", "orders-b.txt", "b" * 64, "2026-04-02 09:30:00+00")
    )


def test_explain_aov_for_one_marketplace(facts: Facts) -> None:
    engine = facts.engine()
    ex = engine.explain("aov", period="2026-03", where={"marketplace": "US"}, currency="EUR", rows=10)
    # gmv: 10.80 / 1.08 + 21.60 / 1.08 (Sunday -> Friday's rate) + 12.00 / 1.20 = 10 + 20 + 10 = 40.00
    # orders 3 (U4 is cancelled); aov 40 / 3 = 13.33
    assert ex.value == 13.33
    assert ex.version == engine.catalog.version("aov")
    assert ex.formula == "gmv / orders (ratio of the scope's sums)"
    assert [(p.id, p.value, p.version) for p in ex.parts] == [
        ("gmv", 40.0, engine.catalog.version("gmv")),
        ("orders", 3, engine.catalog.version("orders")),
    ]
    assert [(r.currency, r.day, round(r.rate, 6), r.published) for r in ex.rates] == [
        ("USD", "2026-03-06", round(1 / 1.08, 6), "ECB EUR->USD 1.08 of 2026-03-06"),
        ("USD", "2026-03-08", round(1 / 1.08, 6), "ECB EUR->USD 1.08 of 2026-03-06"),
        ("USD", "2026-03-09", round(1 / 1.20, 6), "ECB EUR->USD 1.2 of 2026-03-09"),
    ]
    # gmv and orders read the same order lines: one block, the cancelled line and the DE line left out
    assert ex.files == [
        SourceFile("order_lines", "imp-a", "orders-a.txt", "a" * 64, "2026-04-01T08:00:00+00:00", 2),
        SourceFile("order_lines", "imp-b", "orders-b.txt", "b" * 64, "2026-04-02T09:30:00+00:00", 1),
    ]
    assert ex.rows == [
        SourceRow("order_lines", "imp-a", "orders-a.txt", 2),
        SourceRow("order_lines", "imp-a", "orders-a.txt", 3),
        SourceRow("order_lines", "imp-b", "orders-b.txt", 2),
    ]


def test_explain_says_where_vat_was_derived(facts: Facts) -> None:
    ex = facts.engine().explain("net_sales", period="2026-03", where={"marketplace": "DE"}, currency="EUR")
    # 11.90 with no item-tax on amazon.de, shipped to DE (19%): 11.90 / 1.19 = 10.00
    assert ex.value == 10.0
    assert ex.notes == [
        "VAT derived for 1 order lines row without an item-tax figure, at the ship-to country's standard rate "
        "19.0% (catalog vat_rates)"
    ]
    # a file missing from the ledger is still listed, by its import id
    assert [(f.import_id, f.file_name, f.rows) for f in ex.files] == [("imp-c", None, 1)]


def test_explain_a_null_figure(facts: Facts) -> None:
    ex = facts.engine().explain("cvr", period="2026-03", where={"marketplace": "US"})
    assert ex.value is None
    assert ex.null_reason == "no traffic report in 2026-03"
    assert ex.files == []
