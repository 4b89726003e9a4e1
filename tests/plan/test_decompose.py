"""Decomposition worked out by hand: a seller with history in US and DE and none in IT, a locked SKU, a
new SKU and an odd total that does not divide evenly.

The seller (conftest): 2025 sales of 100.00 USD a month in the US (S1 75, S2 25) and 100.00 USD a month
in DE (S1 80 EUR at 1.25), nothing in IT. Plan 2026: total 12,000.03 USD; --growth DE=0.5; IT takes a
hand-set share of 0.1; N1 (new, owner zhao) takes 0.2 of DE amazon_fba; US S2 is locked at 100.00 a month.

Marketplace shares: bases US 1,200 x 1 = 1,200 and DE 1,200 x 1.5 = 1,800 share the 0.9 IT leaves:
US 0.9 x 0.4 = 0.36, DE 0.9 x 0.6 = 0.54, IT 0.1.
Seasonality: US and DE sold the same every month -> 1/12 each month (their sales on the 15th are never
an event day, so no event extra moves). IT has no history -> the EU template c = (0.86, 0.78, 0.85, 0.82,
0.84, 0.82, 1.02, 0.86, 0.86, 1.01, 1.40, 1.88), which sums to 12 -> c_m / 12.
Month weight = (0.36 + 0.54)/12 + 0.1 c_m / 12 = x_m / 12 with x_m = 0.9 + 0.1 c_m.
Month quota = 1,200,003 cents x x_m / 12 = 100,000.25 x_m = 100,000 x_m + 0.25 x_m; the floors are
100,000 x_m and the fractions 0.25 x_m sum to 0.25 x 12 = 3.0: three cents go to the largest fractions,
Dec (0.272), Nov (0.26) and Jul (0.2505, ahead of Oct's 0.25025).
Months (cents): Jan 98,600  Feb 97,800  Mar 98,500  Apr 98,200  May 98,400  Jun 98,200  Jul 100,201
Aug 98,600  Sep 98,600  Oct 100,100  Nov 104,001  Dec 108,801  (sum 1,200,003).
Within a month, US : DE : IT = 0.36 : 0.54 : 0.1 c_m. In months without an extra cent the quotas are whole
(month = 100,000 x_m): US 36,000, DE 54,000, IT 10,000 c_m. In Jul, Nov, Dec the extra cent's quotas
are US 36,000.36/.35/.33, DE 54,000.54/.52/.50, IT ...10/.13/.17: DE takes it (54,001).
DE: N1 0.2, S1 0.8 -> 10,800 and 43,200; at 54,001: 10,800.2 and 43,200.8 -> S1 43,201.
US: S1 75% and S2 25% -> 27,000 / 9,000; S2 locked at 10,000 with US amazon_fba kept at 36,000 -> S1 26,000.
IT: no history, so it takes DE's channel and SKU mix from history (S1 only; N1 is a hand share of DE).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tradewind.app import Workspace
from tradewind.plan import PlanError
from tradewind.plan.model import DIM_LEVELS
from tradewind.plan.parsing import parse_growth, parse_sets, parse_shares
from tradewind.plan.service import CreateRequest, Outcome

from .conftest import PLAN_TODAY, fill_seller, new_workspace

MONTHS = {
    "2026-01": 98_600, "2026-02": 97_800, "2026-03": 98_500, "2026-04": 98_200, "2026-05": 98_400,
    "2026-06": 98_200, "2026-07": 100_201, "2026-08": 98_600, "2026-09": 98_600, "2026-10": 100_100,
    "2026-11": 104_001, "2026-12": 108_801,
}  # fmt: skip
EU_TEMPLATE = (86, 78, 85, 82, 84, 82, 102, 86, 86, 101, 140, 188)  # c_m x 100


def _request(**extra: object) -> CreateRequest:
    levels = DIM_LEVELS
    base: dict[str, object] = dict(
        name="main",
        year=2026,
        total=Decimal("12000.03"),
        levels=levels,
        growth=parse_growth("DE=0.5"),
        shares=parse_shares("IT=0.1,DE/amazon_fba/N1=0.2", levels),
        sets=parse_sets(["*/US/amazon_fba/S2=100"], levels),
        owner="boss",
    )
    base.update(extra)
    return CreateRequest(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def main(seller: Workspace) -> Outcome:
    return seller.plans().create(_request(), today=PLAN_TODAY)


def test_the_hand_computed_plan(main: Outcome) -> None:
    outcome = main
    cells = {c.path: c for c in outcome.version.cells}
    months: dict[str, int] = defaultdict(int)
    for c in cells.values():
        months[c.month] += c.amount
    assert dict(months) == MONTHS
    assert outcome.version.total == 1_200_003
    for k, (month, month_total) in enumerate(MONTHS.items()):
        extra_cent = month in ("2026-07", "2026-11", "2026-12")
        assert cells[(month, "US", "amazon_fba", "S1", "li")].amount == 26_000
        assert cells[(month, "US", "amazon_fba", "S2", "wang")].amount == 10_000
        assert cells[(month, "US", "amazon_fba", "S2", "wang")].held
        assert not cells[(month, "US", "amazon_fba", "S1", "li")].held
        assert cells[(month, "DE", "amazon_fba", "N1", "zhao")].amount == 10_800
        assert cells[(month, "DE", "amazon_fba", "S1", "li")].amount == 43_200 + extra_cent
        assert cells[(month, "IT", "amazon_fba", "S1", "li")].amount == 100 * EU_TEMPLATE[k]
        assert 36_000 + 54_000 + extra_cent + 100 * EU_TEMPLATE[k] == month_total
    assert len(cells) == 12 * 5


def test_marketplaces_sku_and_owner_totals(main: Outcome) -> None:
    v = main.version
    by: dict[str, dict[str, int]] = {
        "marketplace": defaultdict(int),
        "sku": defaultdict(int),
        "person": defaultdict(int),
    }
    for c in v.cells:
        by["marketplace"][c.key[0]] += c.amount
        by["sku"][c.key[2]] += c.amount
        by["person"][c.key[3]] += c.amount
    assert dict(by["marketplace"]) == {"US": 432_000, "DE": 648_003, "IT": 120_000}
    # S1: US 12 x 26,000 + DE 12 x 43,200 + 3 + IT 120,000
    assert dict(by["sku"]) == {"S1": 312_000 + 518_403 + 120_000, "S2": 120_000, "N1": 129_600}
    assert dict(by["person"]) == {"li": 950_403, "wang": 120_000, "zhao": 129_600}


def test_the_plan_says_what_it_assumed(main: Outcome) -> None:
    outcome = main
    notes = " | ".join(outcome.notes)
    assert "IT has 0 months of history (fewer than 12): its months follow the EU template curve" in notes
    assert "IT has no sales history: its channels and SKUs follow DE's mix" in notes
    assert "Prime Day 2026: placed on 2026-07-14..2026-07-17" in notes
    settings = outcome.version.settings
    assert settings.curves == {"US": "own", "DE": "own", "IT": "template:EU"}
    # ABC over the past year: S1 2,100 of 2,400 (87.5%, the SKU that crosses 80%) is A, S2 is B
    assert settings.tiers == {"S1": "A", "S2": "B", "N1": "new"}
    assert outcome.version.data_source == "order_lines: amazon_all_orders"
    assert outcome.version.kpi_version.startswith("gmv@")


def test_without_holds_every_cell_follows_its_share(seller: Workspace) -> None:
    # No lock: US S1 and S2 split 36,000 as 75% / 25% exactly.
    v = seller.plans().create(_request(name="no-lock", sets=()), today=PLAN_TODAY).version
    cells = {c.path: c.amount for c in v.cells}
    assert cells[("2026-01", "US", "amazon_fba", "S1", "li")] == 27_000
    assert cells[("2026-01", "US", "amazon_fba", "S2", "wang")] == 9_000
    assert not any(c.held for c in v.cells)


def test_a_set_marketplace_month_takes_from_its_siblings(seller: Workspace) -> None:
    # 2026-01/DE = 600.00: January keeps its 98,600; US and IT share the other 38,600 as 0.36 : 0.086
    # -> US 38,600 x 36/44.6 = 31,156.50... and IT 7,443.49...: floors 31,156 + 7,443 = 38,599, the cent
    # goes to US (.50 > .49) -> US 31,157 (S2 25% of it: 7,789.25 -> 7,789; S1 23,368), IT 7,443.
    request = _request(name="de-jan", sets=parse_sets(["2026-01/DE=600"], DIM_LEVELS))
    v = seller.plans().create(request, today=PLAN_TODAY).version
    jan: dict[str, int] = defaultdict(int)
    for c in v.cells:
        if c.month == "2026-01":
            jan[c.key[0]] += c.amount
    assert dict(jan) == {"DE": 60_000, "US": 31_157, "IT": 7_443}
    cells = {c.path: c.amount for c in v.cells}
    assert cells[("2026-01", "US", "amazon_fba", "S2", "wang")] == 7_789
    assert cells[("2026-01", "DE", "amazon_fba", "N1", "zhao")] == 12_000
    assert v.total == 1_200_003


def test_a_new_sku_starts_at_its_launch_month(tmp_path: Path) -> None:
    ws = fill_seller(new_workspace(tmp_path / "ws"))
    ws.facts.con.execute("UPDATE products SET launch_date = ? WHERE sku = 'N1'", [date(2026, 4, 20)])
    outcome = ws.plans().create(_request(), today=PLAN_TODAY)
    ws.close()
    n1 = {c.month: c.amount for c in outcome.version.cells if c.key[2] == "N1"}
    assert min(n1) == "2026-04"
    assert "N1 launches on 2026-04-20: it has no target before 2026-04" in outcome.notes
    # before April DE S1 takes all of DE: 54,000
    assert {c.amount for c in outcome.version.cells if c.month == "2026-02" and c.key[0] == "DE"} == {54_000}


def test_bad_requests_say_what_to_change(seller: Workspace) -> None:
    plans = seller.plans()
    before = plans.names()
    with pytest.raises(PlanError, match="acos is a level KPI"):
        plans.create(_request(name="bad", kpi="acos"), today=PLAN_TODAY)
    with pytest.raises(PlanError, match="more decimals"):
        plans.create(_request(name="bad", total=Decimal("10.001")), today=PLAN_TODAY)
    with pytest.raises(PlanError, match="not a marketplace, channel or ABC tier"):
        plans.create(_request(name="bad", growth=parse_growth("FR=0.2")), today=PLAN_TODAY)
    with pytest.raises(PlanError, match="SKU 'GHOST' is not in the product table"):
        plans.create(
            _request(name="bad", shares=parse_shares("DE/amazon_fba/GHOST=0.1", DIM_LEVELS)), today=PLAN_TODAY
        )
    with pytest.raises(PlanError, match=r"add up to 1\.1, more than 1"):
        plans.create(_request(name="bad", shares=parse_shares("IT=0.6,FR=0.5", DIM_LEVELS)), today=PLAN_TODAY)
    with pytest.raises(PlanError, match="held inside"):
        plans.create(
            _request(name="bad", sets=parse_sets(["*/US/amazon_fba/S2=400"], DIM_LEVELS)), today=PLAN_TODAY
        )
    assert plans.names() == before
    with pytest.raises(PlanError, match="already exists"):
        plans.create(_request(name=before[0]), today=PLAN_TODAY)


def test_no_history_and_no_shares_is_refused(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path / "empty")
    with pytest.raises(PlanError, match="no history of this KPI"):
        workspace.plans().create(
            CreateRequest(name="p", year=2026, total=Decimal(1000), levels=("marketplace",)), today=PLAN_TODAY
        )


def test_a_count_kpi_splits_whole_units(seller: Workspace) -> None:
    # units in 2025: US 2 a month (S1 and S2, one each), DE 1 -> US 2/3, DE 1/3; every month alike.
    # 1,001 units / 12 = 83.42: floors 83 x 12 = 996, five units left; the twelve remainders tie, so the
    # first five months get them: Jan..May 84, Jun..Dec 83. In a month of 84: US 56, DE 28; of 83: quotas
    # 55.33 and 27.67 -> 55 + 27, the unit left to DE (.67) -> 55 and 28.
    v = (
        seller.plans()
        .create(
            CreateRequest(name="units", year=2026, total=Decimal(1001), kpi="units", levels=("marketplace",)),
            today=PLAN_TODAY,
        )
        .version
    )
    cells = {c.path: c.amount for c in v.cells}
    assert [cells[(f"2026-{m:02d}", "US")] for m in range(1, 13)] == [56] * 5 + [55] * 7
    assert [cells[(f"2026-{m:02d}", "DE")] for m in range(1, 13)] == [28] * 12
    assert v.total == 1001
    plan = seller.plans().get("units")
    assert (plan.header.unit, plan.header.scale) == ("count", 1)
    with pytest.raises(PlanError, match="no decimals"):
        seller.plans().create(
            CreateRequest(name="u2", year=2026, total=Decimal("10.5"), kpi="units", levels=("marketplace",)),
            today=PLAN_TODAY,
        )


def test_a_fiscal_year_plan_starts_in_its_first_month(tmp_path: Path) -> None:
    from tradewind.store.config import Account

    ws = Workspace.init(
        tmp_path / "fy", currency="USD", fiscal_year_start_month=4,
        accounts=[Account(id="acme-na", name="NA", marketplaces=("US",))],
    )  # fmt: skip
    from .seller import add_sales, monthly

    add_sales(ws, monthly("US", date(2025, 4, 1), [100] * 12, "S1"))  # April 2025 .. March 2026
    plan = (
        ws.plans()
        .create(
            CreateRequest(name="fy", year=2026, total=Decimal(1200), levels=("marketplace",)),
            today=date(2026, 4, 2),
        )
        .plan
    )
    assert plan.header.month_labels()[0] == "2026-04" and plan.header.month_labels()[-1] == "2027-03"
    assert sorted({c.month for c in plan.latest.cells}) == plan.header.month_labels()
    assert {c.amount for c in plan.latest.cells} == {10_000}
    assert plan.latest.effective_from == date(2026, 4, 1)
    ws.close()
