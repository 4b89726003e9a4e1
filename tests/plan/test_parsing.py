"""What a planner types: amounts, growth, shares, cell paths, level targets, levels."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from tradewind.plan import PlanError
from tradewind.plan.amounts import format_minor, largest_remainder, to_minor
from tradewind.plan.model import LevelTarget, parse_levels
from tradewind.plan.parsing import parse_growth, parse_level, parse_sets, parse_shares, split_path

LEVELS = ("marketplace", "channel", "sku", "person")


def test_amounts_are_exact_minor_units() -> None:
    assert to_minor("12,000,000", 100) == 1_200_000_000
    assert to_minor(Decimal("0.07"), 100) == 7
    assert to_minor("25", 1) == 25
    with pytest.raises(PlanError, match="more decimals than it can have \\(2 decimals\\)"):
        to_minor("1.005", 100)
    with pytest.raises(PlanError, match="no decimals"):
        to_minor("2.5", 1)
    with pytest.raises(PlanError, match="negative"):
        to_minor("-1", 100)
    with pytest.raises(PlanError, match="not a number"):
        to_minor("lots", 100)
    assert format_minor(1_200_003, 100) == "12,000.03"


def test_largest_remainder_by_hand() -> None:
    # 100 cents in thirds: 33.33 each, one cent left -> the first (ties go to the earlier part)
    assert largest_remainder(100, [Fraction(1)] * 3) == [34, 33, 33]
    # 10 by 1:2:2 -> 2, 4, 4 exactly
    assert largest_remainder(10, [Fraction(1), Fraction(2), Fraction(2)]) == [2, 4, 4]
    # 7 by 0.15 : 0.35 : 0.5 -> quotas 1.05, 2.45, 3.5 -> floors 1, 2, 3; one left to the .5
    assert largest_remainder(7, [Fraction(15), Fraction(35), Fraction(50)]) == [1, 2, 4]
    assert largest_remainder(0, [Fraction(0), Fraction(0)]) == [0, 0]
    with pytest.raises(PlanError, match="all zero"):
        largest_remainder(5, [Fraction(0)])


def test_growth_shares_and_paths() -> None:
    assert parse_growth("DE=0.3,us=15%") == {"DE": Fraction(3, 10), "US": Fraction(3, 20)}
    assert parse_growth("a=-10%,shopify=0.5") == {"A": Fraction(-1, 10), "shopify": Fraction(1, 2)}
    with pytest.raises(PlanError, match="-100% or less"):
        parse_growth("DE=-1")
    assert parse_shares("it=0.05,US/amazon_fba/NEW-1=0.1", LEVELS) == {
        ("IT",): Fraction(1, 20),
        ("US", "amazon_fba", "NEW-1"): Fraction(1, 10),
    }
    with pytest.raises(PlanError, match="for the whole year"):
        parse_shares("2026-01/IT=0.05", LEVELS)
    assert split_path("2027-11/DE") == ("2027-11", ("DE",))
    assert split_path("*/US/amazon_fba/S1") == ("*", ("US", "amazon_fba", "S1"))
    assert split_path("DE") == (None, ("DE",))
    (s,) = parse_sets(["2027-11/de=500,000.50"], LEVELS)
    assert (s.month, s.path, s.amount) == ("2027-11", ("DE",), Decimal("500000.50"))
    with pytest.raises(PlanError, match="splits by only 1"):
        parse_sets(["US/amazon_fba=1"], ("marketplace",))


def test_level_targets() -> None:
    spec = parse_level("cvr>=12%@marketplace=us")
    assert (spec.kpi, spec.comparator, spec.value, spec.upper, dict(spec.scope)) == (
        "cvr",
        ">=",
        0.12,
        None,
        {"marketplace": "US"},
    )
    spec = parse_level("days_of_supply=30..90@marketplace=DE,period=2027-11")
    assert (spec.comparator, spec.value, spec.upper, spec.period) == ("between", 30.0, 90.0, "2027-11")
    assert parse_level("acos <= 0.25").comparator == "<="
    with pytest.raises(PlanError, match="takes a range"):
        parse_level("acos=0.25")
    with pytest.raises(PlanError, match="is not a dimension"):
        parse_level("acos<=0.25@colour=red")
    with pytest.raises(PlanError, match="upper bound"):
        LevelTarget("dos", "dos@1", (), "2026", "between", 90, 30)
    assert LevelTarget("acos", "acos@1", (("marketplace", "US"),), "2026", "<=", 0.25).describe() == (
        "acos <= 0.25 (marketplace=US, 2026)"
    )


def test_levels() -> None:
    assert parse_levels("month,marketplace,channel,sku,person") == LEVELS
    assert parse_levels("person,month,marketplace") == ("marketplace", "person")
    with pytest.raises(PlanError, match="must include month and marketplace"):
        parse_levels("month,sku")
    with pytest.raises(PlanError, match="unknown level 'colour'"):
        parse_levels("month,marketplace,colour")
