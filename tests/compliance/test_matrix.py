"""The EPR requirement matrix: shipped defaults as kpis.md states them, and a workspace's own file on top."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tradewind.compliance.matrix import MatrixError, load_matrix


def _pairs(day: date, folder: Path | None = None) -> set[tuple[str, str]]:
    return {(r.country, r.category) for r in load_matrix(folder).in_force(day)}


def test_shipped_defaults_follow_kpis_md() -> None:
    matrix = load_matrix()
    start = {(r.country, r.category): r.from_ for r in matrix.requirements}
    assert start[("DE", "packaging")] == date(2022, 7, 1)
    assert start[("DE", "eee")] == date(2023, 1, 1)
    for country in ("DE", "NL", "PL", "SE"):
        assert start[(country, "batteries")] == date(2025, 8, 18)
    french = {c for (country, c) in start if country == "FR"}
    assert french == {
        "packaging",
        "eee",
        "batteries",
        "furniture",
        "textiles",
        "paper",
        "toys",
        "sports",
        "diy",
    }
    assert all(date(2022, 1, 1) <= start[("FR", c)] <= date(2023, 1, 1) for c in french)
    assert {country for country, _ in start} == {"DE", "FR", "NL", "PL", "SE"}
    assert matrix.categories["packaging"].every_product
    assert matrix.epr_categories_of("Power Banks") == ("packaging", "eee", "batteries")
    assert matrix.epr_categories_of("Kitchen") == ("packaging",)


def test_requirements_in_force_by_day() -> None:
    assert ("DE", "packaging") not in _pairs(date(2022, 6, 30))
    assert ("DE", "packaging") in _pairs(date(2022, 7, 1))
    assert ("DE", "batteries") not in _pairs(date(2025, 8, 17))
    assert ("DE", "batteries") in _pairs(date(2025, 8, 18))


def test_a_workspace_file_adds_replaces_and_switches_off(tmp_path: Path) -> None:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "epr_matrix.yaml").write_text(
        """
reviewed: 2026-03-01
categories:
  tyres: {en: Tyres, zh: 轮胎, aliases: [reifen]}
product_categories:
  Kitchen: [eee]
requirements:
  - {country: AT, category: packaging, from: 2023-01-01, register: ARA}
  - {country: FR, category: toys, from: 2023-01-01, required: false}
  - {country: NO, category: tyres, from: 2024-01-01}
""",
        encoding="utf-8",
    )
    matrix = load_matrix(tmp_path)
    assert matrix.reviewed == date(2026, 3, 1)
    pairs = _pairs(date(2026, 1, 1), tmp_path)
    assert {("AT", "packaging"), ("NO", "tyres")} <= pairs  # NO is Norway, not YAML's false
    assert ("FR", "toys") not in pairs
    assert ("FR", "packaging") in pairs  # the rest of the shipped matrix stays
    assert matrix.epr_categories_of("kitchen") == ("packaging", "eee")
    assert matrix.aliases()["reifen"] == "tyres"


def test_problems_name_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "epr_matrix.yaml").write_text(
        "requirements:\n  - country: Atlantis\n    category: packaging\n    from: soon\n", encoding="utf-8"
    )
    with pytest.raises(MatrixError) as info:
        load_matrix(tmp_path)
    text = str(info.value)
    assert (
        "compliance/epr_matrix.yaml:2: requirements.0.country: Value error, unknown country 'Atlantis'"
        in text
    )
    assert "compliance/epr_matrix.yaml:4: requirements.0.from" in text


def test_an_unknown_category_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "epr_matrix.yaml").write_text(
        "requirements:\n  - {country: DE, category: widgets, from: 2024-01-01}\n", encoding="utf-8"
    )
    with pytest.raises(MatrixError, match="requirement DE/widgets: unknown category 'widgets'"):
        load_matrix(tmp_path)
