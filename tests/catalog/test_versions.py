"""Versions hash the formula part: wording changes keep them, rule changes (also of a dependency) don't."""

from __future__ import annotations

from pathlib import Path

from tradewind.catalog import load_catalog

SHIPPED = load_catalog()


def _override(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "catalog"
    folder.mkdir(exist_ok=True)
    (folder / "mine.yaml").write_text(text, encoding="utf-8")
    return folder


GMV = """
kpis:
  - id: gmv
    name: {{zh: {zh}, en: {en}}}
    unit: money
    direction: higher
    type: simple
    measure: {{fact: order_lines, agg: sum, expr: "{expr}", filter: "{filter}"}}
    growth: [mom, yoy]
    rule: {{zh: {zh}的口径, en: "{en} rule"}}
"""


def test_shipped_gmv_rewritten_identically_keeps_its_version(tmp_path: Path) -> None:
    folder = _override(
        tmp_path, GMV.format(zh="总成交额", en="GMV", expr="item_price", filter="not is_cancelled")
    )
    assert load_catalog(folder).version("gmv") == SHIPPED.version("gmv")


def test_wording_change_keeps_version(tmp_path: Path) -> None:
    folder = _override(
        tmp_path,
        GMV.format(zh="成交总额", en="Gross sales (reworded)", expr="item_price", filter="not is_cancelled"),
    )
    catalog = load_catalog(folder)
    assert catalog.kpi("gmv").name.en == "Gross sales (reworded)"
    assert catalog.version("gmv") == SHIPPED.version("gmv")
    assert catalog.version("aov") == SHIPPED.version("aov")


def test_spacing_and_parentheses_do_not_count(tmp_path: Path) -> None:
    folder = _override(
        tmp_path, GMV.format(zh="总成交额", en="GMV", expr="(item_price)", filter="not   is_cancelled")
    )
    assert load_catalog(folder).version("gmv") == SHIPPED.version("gmv")


def test_rule_change_makes_new_versions_for_it_and_its_dependents(tmp_path: Path) -> None:
    # counting cancelled lines too is a different rule
    folder = _override(
        tmp_path, GMV.format(zh="总成交额", en="GMV", expr="item_price", filter="quantity > 0")
    )
    catalog = load_catalog(folder)
    assert catalog.version("gmv") != SHIPPED.version("gmv")
    assert catalog.version("aov") != SHIPPED.version("aov")  # aov = gmv / orders
    assert catalog.version("gmv_mom") != SHIPPED.version("gmv_mom")
    assert catalog.version("tacos") != SHIPPED.version("tacos")
    assert catalog.version("orders") == SHIPPED.version("orders")  # untouched
    assert catalog.version("sessions") == SHIPPED.version("sessions")


def test_an_extra_kpi_from_the_workspace(tmp_path: Path) -> None:
    folder = _override(
        tmp_path,
        """
kpis:
  - id: gmv_per_session
    name: {zh: 单次访问成交额, en: GMV per session}
    unit: money
    direction: higher
    type: ratio
    numerator: gmv
    denominator: sessions
    rule: {zh: 总成交额 / 访问量, en: gmv / sessions}
""",
    )
    catalog = load_catalog(folder)
    assert catalog.version("gmv_per_session").startswith("gmv_per_session@")
    assert catalog.facts_read("gmv_per_session") == ("order_lines", "traffic")
