"""Every KPI of kpis.md "Service and operations" that the engine can express is in the catalog, with
zh/en names and rules, and has a hand-computed case in tests/kpi_cases/service.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml

from tradewind.catalog import load_catalog
from tradewind.store.fact_schema import FACT_TABLES

SERVICE_KPIS = {
    "cs_response_24h_rate",
    "on_time_ship_rate",
    "valid_tracking_rate",
    "listings_launched",
    "listing_on_time_rate",
    "avg_rating",
    "ratings_count",
    "ratings_count_mom",
    "ratings_count_yoy",
}
CASES = Path(__file__).resolve().parent.parent / "kpi_cases" / "service.yaml"


def test_service_kpis_are_in_the_catalog() -> None:
    catalog = load_catalog(fact_columns={n: t.column_names for n, t in FACT_TABLES.items()})
    for kpi in SERVICE_KPIS:
        definition = catalog.kpis[kpi]
        assert definition.name.zh and definition.name.en and definition.rule.zh and definition.rule.en


def test_each_service_kpi_has_a_hand_computed_case() -> None:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    covered = {k for case in cases for k in case["request"]["kpis"]}
    assert covered >= SERVICE_KPIS
