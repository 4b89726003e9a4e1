"""Rules as data: shipped defaults, workspace overrides in rules.yaml, and errors with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewind.core.errors import ConfigError
from tradewind.watch.model import Severity
from tradewind.watch.ruleset import DeviationRule, ThresholdRule, load_rules


def test_shipped_rules_cover_every_kind_of_the_issue() -> None:
    rules = load_rules()
    kinds = {r.kind for r in rules.rules}
    assert kinds == {
        "deviation",
        "threshold",
        "quality_gate",
        "freshness",
        "reconciliation",
        "compliance",
        "needs_explanation",
        "action_overdue",
    }
    deviation = rules.get("plan_deviation")
    assert isinstance(deviation, DeviationRule) and deviation.tolerance == 0.15
    assert deviation.severity is Severity.REVIEW
    roas = {r.id: r for r in rules.rules if isinstance(r, ThresholdRule) and r.kpi == "roas"}
    assert set(roas) == {"roas_floor_sku", "roas_floor_campaign", "roas_floor_marketplace"}
    assert all(
        r.below == 2.5 and r.windows == (7, 30) and r.severity is Severity.REVIEW for r in roas.values()
    )


def test_workspace_overrides_fields_disables_and_adds(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(
        "rules:\n"
        "  - id: roas_floor_sku\n"
        "    below: 3.0\n"
        "    severity: critical\n"
        "  - id: overstock\n"
        "    enabled: false\n"
        "  - id: acos_ceiling_de\n"
        "    kind: threshold\n"
        "    name: {en: ACoS above 30% in DE, zh: 德国站 ACoS 高于 30%}\n"
        "    severity: warning\n"
        "    kpi: acos\n"
        "    by: [account, marketplace]\n"
        "    where: {marketplace: [DE]}\n"
        "    windows: [7]\n"
        "    above: 0.30\n",
        encoding="utf-8",
    )
    rules = load_rules(tmp_path)
    roas = rules.get("roas_floor_sku")
    assert isinstance(roas, ThresholdRule)
    assert (roas.below, roas.severity, roas.windows) == (
        3.0,
        Severity.CRITICAL,
        (7, 30),
    )  # the rest as shipped
    overstock = rules.get("overstock")
    assert overstock is not None and not overstock.enabled
    assert "overstock" not in {r.id for r in rules.enabled}
    acos = rules.get("acos_ceiling_de")
    assert isinstance(acos, ThresholdRule) and acos.where == {"marketplace": ("DE",)}
    assert rules.sources == ("defaults.yaml", "rules.yaml")


def test_every_problem_is_reported_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(
        "rules:\n"
        "  - id: roas_floor_sku\n"
        "    below: lots\n"
        "  - id: plan_deviation\n"
        "    kind: threshold\n"
        "  - id: new_rule\n"
        "    kind: threshold\n"
        "    name: {en: x, zh: x}\n"
        "    severity: urgent\n"
        "    kpi: roas\n"
        "    below: 1\n"
        "  - id: both_bounds\n"
        "    kind: threshold\n"
        "    name: {en: x, zh: x}\n"
        "    severity: warning\n"
        "    kpi: roas\n"
        "    below: 1\n"
        "    above: 2\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_rules(tmp_path)
    text = str(caught.value)
    assert "rules.yaml:3: rule 'roas_floor_sku': below" in text
    assert (
        "rules.yaml:4: rule 'plan_deviation' is a deviation rule; a workspace entry may change its fields but not its kind"
        in text
    )
    assert "rules.yaml:9: rule 'new_rule': severity" in text
    assert (
        "rules.yaml:12: rule 'both_bounds': rule: Value error, give exactly one of below (a floor) or above"
        in text
    )


def test_bad_yaml_says_where(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("rules:\n  - id: x\n    below: [1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules.yaml:\d+: not valid YAML"):
        load_rules(tmp_path)
