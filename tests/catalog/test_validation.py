"""`catalog validate`: every problem at once, each with its file and line (written out below by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewind.catalog import load_catalog, read_catalog
from tradewind.catalog.expressions import ExpressionError, parse
from tradewind.core.errors import CatalogError
from tradewind.store.fact_schema import FACT_TABLES

COLUMNS = {k: v.column_names for k, v in FACT_TABLES.items()}

BAD = """\
kpis:
  - id: good_name_bad_ref
    name: {zh: 好, en: Good}
    unit: money
    direction: higher
    type: ratio
    numerator: gmv
    denominator: no_such_kpi
    rule: {zh: 规则, en: rule}
  - id: bad_unit
    name: {zh: 坏, en: Bad}
    unit: dollars
    direction: higher
    type: derived
    formula: "gmv / orders"
    rule: {zh: 规则, en: rule}
  - id: bad_formula
    name: {zh: 坏, en: Bad}
    unit: ratio
    direction: higher
    type: derived
    formula: "gmv / (orders"
    rule: {zh: 规则, en: rule}
  - id: no_names
    unit: ratio
    direction: higher
    type: derived
    formula: "gmv / orders"
    rule: {zh: 规则, en: rule}
  - id: loop_a
    name: {zh: 甲, en: A}
    unit: ratio
    direction: higher
    type: derived
    formula: "loop_b + 1"
    rule: {zh: 规则, en: rule}
  - id: loop_b
    name: {zh: 乙, en: B}
    unit: ratio
    direction: higher
    type: derived
    formula: "loop_a + 1"
    rule: {zh: 规则, en: rule}
  - id: typo_column
    name: {zh: 丙, en: C}
    unit: money
    direction: higher
    type: simple
    measure:
      fact: order_lines
      agg: sum
      expr: item_prize
    rule: {zh: 规则, en: rule}
  - id: sku
    name: {zh: 丁, en: D}
    unit: count
    direction: higher
    type: simple
    measure: {fact: order_lines, agg: count, filter: "evil(1)"}
    rule: {zh: 规则, en: rule}
"""


def test_every_problem_with_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "extra.yaml").write_text(BAD, encoding="utf-8")
    catalog, issues = read_catalog(folder, fact_columns=COLUMNS)
    assert catalog is None
    found = {(i.file, i.line, i.message) for i in issues}
    expected = {
        ("extra.yaml", 8, "denominator: unknown KPI or measure 'no_such_kpi'"),
        ("extra.yaml", 12, "unit: Input should be 'money', 'count', 'ratio', 'days' or 'hours'"),
        ("extra.yaml", 22, "formula 'gmv / (orders': syntax error at column 7: '(' was never closed"),
        ("extra.yaml", 24, "name: required field missing"),
        ("extra.yaml", 52, "expr: order_lines has no column 'item_prize'"),
        ("extra.yaml", 54, "'sku' is a dimension or reserved name; choose another id"),
        (
            "extra.yaml",
            59,
            "filter 'evil(1)': unknown function 'evil'; known functions: abs, coalesce, "
            "greatest, iff, isnull, least, like, notnull, nullif",
        ),
    }
    assert expected <= found, sorted(found - expected)
    cycles = [i for i in issues if i.message.startswith("circular definition")]
    assert [(c.line, c.message) for c in cycles] == [(37, "circular definition: loop_a -> loop_b -> loop_a")]
    assert len(issues) == len(expected) + 1


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("kpis:\n  - id: x\n    name: {zh: a, en: b\n    unit: money\n", encoding="utf-8")
    _, issues = read_catalog(path)
    assert len(issues) == 1
    assert issues[0].file == "broken.yaml" and issues[0].line == 4
    assert "not valid YAML" in issues[0].message


def test_duplicate_ids_in_one_layer_are_reported(tmp_path: Path) -> None:
    entry = (
        "  - id: twice\n    name: {zh: a, en: b}\n    unit: money\n    direction: higher\n    type: derived\n"
        "    formula: gmv\n    rule: {zh: a, en: b}\n"
    )
    (tmp_path / "a.yaml").write_text("kpis:\n" + entry, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("kpis:\n" + entry, encoding="utf-8")
    _, issues = read_catalog(tmp_path)
    assert [(i.file, i.line, i.message) for i in issues] == [
        ("b.yaml", 2, "duplicate id; first defined at a.yaml:2")
    ]


def test_load_catalog_raises_one_error_listing_all(tmp_path: Path) -> None:
    (tmp_path / "extra.yaml").write_text(BAD, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path, fact_columns=COLUMNS)
    text = str(info.value)
    assert "the KPI catalog has 8 problems" in text
    assert "extra.yaml:8: kpi 'good_name_bad_ref': denominator: unknown KPI or measure 'no_such_kpi'" in text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("a.b", "unsupported syntax"),
        ("x if y else z", "unsupported syntax"),
        ("coalesce()", "coalesce() takes 1 or more arguments, not 0"),
        ("level in level", "'in' needs a literal list"),
    ],
)
def test_expression_language_is_closed(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


def test_expression_names() -> None:
    assert parse("iff(tax_included, coalesce(item_tax, 0), 0) + x").names() == {
        "tax_included",
        "item_tax",
        "x",
    }
    assert parse("level in ('a', 'b') and not is_cancelled").names() == {"level", "is_cancelled"}


def test_a_fallback_look_up_names_one_defined_before_it(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "facts.yaml").write_text(
        """\
facts:
  customer_returns:
    when_absent: zero
    missing: no returns
    date: return_date
    currency: currency
    dims: {account: account_id, marketplace: marketplace, sku: sku}
    lookups:
      month_price:
        kind: unit_price
        source: order_lines
        match: [account_id, marketplace, sku]
        same_month: true
        amount: item_price
        quantity: quantity
        fallback_for: line_price
      line_price:
        kind: unit_price
        source: order_lines
        match: [account_id, order_id, sku]
        amount: item_price
        quantity: quantity
""",
        encoding="utf-8",
    )
    _catalog, issues = read_catalog(folder, fact_columns=COLUMNS)
    assert [i.message for i in issues if "fallback_for" in i.message] == [
        "lookups.month_price.fallback_for: 'line_price' is not a look-up defined before it"
    ]
