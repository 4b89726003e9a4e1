"""SMART checks and market profiles, on hand-made sellers.

Growth seller: US sales of 100.00 a month in 2023, 110.00 in 2024 and 121.00 in 2025 (one order on the
15th, SKU S1 owned by li; S2 sold 1.00 a month with no owner). Every monthly year-on-year growth of the
two years before 2026 is +10%, so the seller's 90th percentile is +10%.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from tradewind.app import Workspace
from tradewind.plan import PlanError
from tradewind.plan.parsing import parse_level, parse_shares
from tradewind.plan.profiles import load_profiles
from tradewind.plan.service import CreateRequest, ReviseRequest
from tradewind.plan.smart import Finding, percentile

from .conftest import new_workspace
from .seller import add_products, add_sales, monthly

TODAY = date(2026, 1, 10)
LEVELS = ("marketplace", "sku", "person")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = new_workspace(tmp_path_factory.mktemp("smart") / "ws")
    add_sales(workspace, monthly("US", date(2023, 1, 1), [100] * 12 + [110] * 12 + [120] * 12, "S1"))
    add_sales(workspace, monthly("US", date(2023, 1, 1), [0] * 24 + [1] * 12, "S2"))
    add_products(workspace, [("acme-na", "S1", "li")])
    yield workspace
    workspace.close()


def _plan(ws: Workspace, name: str, total: str, **extra: object) -> None:
    ws.plans().create(
        CreateRequest(name=name, year=2026, total=Decimal(total), levels=LEVELS, **extra),  # type: ignore[arg-type]
        today=TODAY,
    )


def _of(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


def test_percentile_interpolates_between_ranks() -> None:
    # 24 values: 0, 0.02, ..., 0.08, thirteen 0.10, 0.12, ..., 0.22. Position 0.9 x 23 = 20.7 lies
    # between the 21st (0.16) and 22nd (0.18) values: 0.16 + 0.7 x 0.02 = 0.174.
    values = [0.0, 0.02, 0.04, 0.06, 0.08] + [0.10] * 13 + [0.12, 0.14, 0.16, 0.18, 0.20, 0.22]
    assert percentile(values, 0.9) == pytest.approx(0.174)
    assert percentile([0.3], 0.9) == 0.3


def test_growth_above_the_sellers_own_90th_percentile(ws: Workspace) -> None:
    # 2025 sold 12 x 121.00 = 1,452.00 (S1 120 + S2 1 a month); a plan of 1,815.00 is 151.25 a month: +25%
    _plan(ws, "stretch", "1815", owner="boss")
    (growth,) = _of(ws.plans().check("stretch", today=TODAY), "growth")
    assert growth.target == "gmv US"
    assert growth.message.startswith(
        "12 months plan growth above the seller's own 90th-percentile monthly growth of +10% (YoY, the 24 "
        "months before the plan): 2026-01 +25%, 2026-02 +25%"
    )
    assert len(_of(ws.plans().check("stretch", today=TODAY), "growth")) == 1  # company = US here, said once


def test_growth_at_the_percentile_passes_and_the_cap_still_applies(ws: Workspace) -> None:
    _plan(ws, "steady", "1597.20", owner="boss")  # 133.10 a month: +10% exactly
    assert _of(ws.plans().check("steady", today=TODAY), "growth") == []
    (capped,) = _of(ws.plans().check("steady", growth_cap=0.05, today=TODAY), "growth")
    assert "above the growth cap of +5%" in capped.message


def test_owners_data_sources_no_data_and_contradictions(ws: Workspace) -> None:
    _plan(ws, "checks", "1452", shares=parse_shares("IT=0.1", LEVELS))
    ws.plans().revise(
        "checks",
        ReviseRequest(
            reason="levels",
            levels=[
                parse_level("acos<=0.25"),
                parse_level("organic_share>=0.6"),
                parse_level("tacos<=0.05"),
                parse_level("roas>=2.5"),
                parse_level("acos<=0.3@marketplace=US"),
            ],
        ),
    )
    findings = ws.plans().check("checks", today=TODAY)
    owners = _of(findings, "owner")
    assert owners[0].message.startswith("no owner: give the plan one (--owner)")
    # IT takes the US mix (it has no history), so S2 is planned without an owner in both
    assert owners[1].message.startswith(
        "2 SKU targets have no owner (the product table has none): S2 (US), S2 (IT)"
    )
    sources = {f.target for f in _of(findings, "data_source")}
    assert "acos <= 0.25 (company, 2026)" in sources  # no advertising report was ever imported
    no_data = {f.target: f.message for f in _of(findings, "no_data")}
    assert no_data["gmv IT"].startswith("IT has no gmv in")
    assert "rests on a share given by hand" in no_data["gmv IT"]
    assert "(no advertising report" in no_data["acos <= 0.25 (company, 2026)"]
    contradictions = {f.target: f for f in _of(findings, "contradiction")}
    tacos = contradictions["tacos, acos, organic_share (company)"]
    assert tacos.severity == "warning"
    assert tacos.message == (
        "tacos <= 5.0% is below what acos <= 25.0% and organic share >= 60.0% imply (10.0% = acos x (1 - "
        "organic share)): meeting it needs an organic share of 80.0% or an acos of 12.5%"
    )
    # US has its own acos (30%): with the inherited organic share and tacos it implies 12% -> its own finding
    assert "acos <= 30.0%" in contradictions["tacos, acos, organic_share (marketplace=US)"].message
    roas = contradictions["acos, roas (company)"]
    assert roas.severity == "info"
    assert (
        "acos <= 25.0% means roas >= 4, but the roas target is >= 2.5: the acos target is the one"
        in roas.message
    )


def test_market_profiles_apply_per_marketplace_of_their_regions(tmp_path: object) -> None:
    from pathlib import Path

    ws = new_workspace(Path(str(tmp_path)) / "ws")
    add_sales(ws, monthly("US", date(2025, 1, 1), [100] * 12, "S1"))
    add_sales(ws, monthly("DE", date(2025, 1, 1), [100] * 12, "S1"))
    from .seller import add_fx

    add_fx(ws, date(2024, 12, 31))
    ws.plans().create(
        CreateRequest(
            name="p",
            year=2026,
            total=Decimal(3000),
            levels=("marketplace",),
            owner="boss",
            owners={"DE": "wang"},
        ),
        today=TODAY,
    )
    outcome, skipped = ws.plans().apply_profile("p", "us")
    catalog = ws.catalog()
    profiles = load_profiles()
    us_kpis = [t.kpi for t in profiles["US"].targets]
    assert skipped == [k for k in us_kpis if catalog.kpi(k) is None]
    applied = {(t.kpi, t.scope) for t in outcome.version.level_targets}
    assert applied == {(k, (("marketplace", "US"),)) for k in us_kpis if catalog.kpi(k) is not None}
    acos = next(t for t in outcome.version.level_targets if t.kpi == "acos")
    assert (acos.comparator, acos.value, acos.owner, acos.period, acos.kpi_version) == (
        "<=", 0.25, "boss", "2026", catalog.version("acos")
    )  # fmt: skip
    dos = next(t for t in outcome.version.level_targets if t.kpi == "days_of_supply")
    assert (dos.comparator, dos.value, dos.upper) == ("between", 30.0, 90.0)
    assert outcome.version.reason == "market profile US (US marketplace defaults)"
    eu, _ = ws.plans().apply_profile("p", "EU")
    de = {t.kpi: t for t in eu.version.level_targets if t.scope == (("marketplace", "DE"),)}
    assert de["gross_margin"].gate and de["gross_margin"].owner == "wang"
    assert de["refund_rate"].value == 0.10
    with pytest.raises(PlanError, match="changes nothing"):
        ws.plans().apply_profile("p", "EU")
    with pytest.raises(PlanError, match="profile US is for NA marketplaces; DE is not"):
        ws.plans().apply_profile("p", "US", marketplaces=["DE"])
    with pytest.raises(PlanError, match="unknown market profile 'JP'"):
        ws.plans().apply_profile("p", "JP")
    ws.close()
