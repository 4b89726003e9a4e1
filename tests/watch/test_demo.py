"""The demo's watch notes, rules and check days (the generator plants the facts)."""

from __future__ import annotations

from datetime import date

from tradewind.app import Workspace
from tradewind.demo.catalog import build_catalog
from tradewind.demo.plants import plants_for
from tradewind.demo.scenario import scenario_for
from tradewind.watch.demo import demand_factor, plant_demo_cases, watch_plants_for
from tradewind.watch.ruleset import NeedsExplanationRule, load_rules


def test_plant_demo_cases(ws: Workspace) -> None:
    scenario = scenario_for("small", today=date(2026, 4, 15))  # data 2024-04-01..2026-03-31
    plants = plants_for(scenario, build_catalog(scenario))
    watch = watch_plants_for(scenario)
    assert (watch.drop.start, watch.drop.end) == (date(2026, 3, 23), date(2026, 3, 29))  # last complete week
    assert (watch.spike.start, watch.spike.end) == (date(2026, 3, 9), date(2026, 3, 15))
    assert demand_factor(watch, "DE", date(2026, 3, 10)) == 1.9
    assert demand_factor(watch, "US", date(2026, 3, 29)) == 0.55
    assert demand_factor(watch, "US", date(2026, 3, 30)) == 1.0

    planted = plant_demo_cases(ws, scenario, plants, watch)
    notes = ws.watch().notes
    kinds = {n.kind.value for n in planted.notes}
    assert {"prime_day", "other", "logistics_delay", "competitor_stockout"} <= kinds
    prime_days = {(n.date_from, n.date_to) for n in planted.notes if n.text == "Prime Day"}
    assert (date(2024, 7, 16), date(2024, 7, 17)) in prime_days and (
        date(2025, 7, 8),
        date(2025, 7, 11),
    ) in prime_days
    spike_notes = notes.overlapping({"marketplace": "DE"}, watch.spike.start, watch.spike.end)
    assert [n.kind.value for n in spike_notes] == ["competitor_stockout"]
    assert (
        notes.overlapping({"marketplace": "US"}, watch.drop.start - date.resolution * 7, watch.drop.end) == []
    )

    rule = load_rules(ws.folder).get("needs_explanation")
    assert isinstance(rule, NeedsExplanationRule) and rule.min_value == 2000.0  # 50 x 40 lines a day
    assert planted.rules_file == "rules.yaml"
    assert [
        (e.rule_id, e.as_of) for e in planted.expected if e.rule_id in ("roas_floor_sku", "cs_reply_24h")
    ] == [
        ("roas_floor_sku", plants.roas_dips[0].start + date.resolution * 27),
        ("cs_reply_24h", date(2026, 3, 31)),
    ]
    assert date(2026, 3, 31) in planted.check_dates

    again = plant_demo_cases(ws, scenario, plants, watch)
    assert again.notes == () and again.rules_file is None  # a second call changes nothing
    assert len(notes.all()) == len(planted.notes)
