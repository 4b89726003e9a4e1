"""`create_demo_plan`: the plan `make demo` gives the demo seller, on a small stand-in seller.

2025: US sells 100.00 a day (36,500.00), DE 80.00 EUR a day (100.00 USD: 36,500.00). The 2026 plan is
the year before +25%, rounded to the thousand: 73,000 x 1.25 = 91,250 -> 91,000.00 (half up to the
thousand: 91,250 is nearer 91,000).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tradewind.plan import PlanError
from tradewind.plan.demo import create_demo_plan

from .conftest import new_workspace
from .seller import add_fx, add_products, add_sales, every_day


def test_the_demo_plan(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    add_fx(ws, date(2024, 12, 31))
    add_sales(ws, every_day("US", date(2025, 1, 1), date(2025, 12, 31), 100, "S1"))
    add_sales(ws, every_day("DE", date(2025, 1, 1), date(2025, 12, 31), 80, "S1"))
    add_products(ws, [("acme-na", "S1", "Li Na"), ("acme-eu", "S1", "Wang Fang")])
    plan = create_demo_plan(ws, 2026, today=date(2026, 11, 27))
    assert [v.reason.split(":")[0] for v in plan.versions] == [
        "2026 plan",
        "market profile US (US marketplace defaults)",
        "market profile EU (EU marketplace defaults)",
        "peak season",
    ]
    v3, v4 = plan.versions[2], plan.versions[3]
    assert v4.total == v3.total == 9_100_000
    assert v4.effective_from == date(2026, 10, 1)

    def month_market(cells: object, month: str, market: str) -> int:
        return sum(c.amount for c in cells if c.month == month and c.key[0] == market)  # type: ignore[attr-defined]

    us_nov = month_market(v3.cells, "2026-11", "US")
    assert month_market(v4.cells, "2026-11", "US") == round(us_nov * 1.10)
    nov = sum(c.amount for c in v3.cells if c.month == "2026-11")
    assert sum(c.amount for c in v4.cells if c.month == "2026-11") == nov
    assert {c.path: c.amount for c in v3.cells if c.month < "2026-11"} == {
        c.path: c.amount for c in v4.cells if c.month < "2026-11"
    }
    scopes = {t.scope for t in v4.level_targets}
    assert (
        {(("marketplace", "US"),), (("marketplace", "DE"),)}
        <= scopes
        <= {
            (("marketplace", "US"),),
            (("marketplace", "DE"),),
            (),
        }
    )
    assert plan.header.owner == "Zhang Wei"
    rows = ws.plan_progress("2026", date(2025, 12, 31))
    assert rows == []  # before the plan year nothing is measured yet
    with pytest.raises(PlanError, match="already has a plan named '2026'"):
        create_demo_plan(ws, 2026, today=date(2026, 11, 27))
    ws.close()
