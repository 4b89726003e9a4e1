"""The operations and compliance sheets are templates (`tradewind template NAME`): each writes with an
English or a Chinese header, in CSV or XLSX, and each header is recognised as its own report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewind.ingest.headers import normalise_header
from tradewind.ingest.registry import detect_table
from tradewind.ingest.templates import available_templates, template_fields, write_template

TEMPLATES = {
    "cs_tickets": "cs_tickets",
    "shipments": "shipments",
    "listing_tasks": "listing_tasks",
    "ratings": "ratings_snapshots",
    "vat_registrations": "vat_registrations",
    "epr_registrations": "epr_registrations",
    "stock_locations": "stock_locations",
}


def test_every_sheet_is_a_template() -> None:
    available = available_templates()
    assert {name: available[name].id for name in TEMPLATES} == TEMPLATES


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_header_is_recognised_as_its_own_report(name: str, lang: str) -> None:
    report = available_templates()[name]
    fields = template_fields(report)
    header = [normalise_header(f.zh if lang == "zh" else f.en) for f in fields]
    detected = detect_table(header, "text")
    assert detected is not None and detected[0].id == report.id
    # ... also with only the columns that must be there (a minimal sheet)
    required = [h for f, h in zip(fields, header, strict=True) if f.required]
    detected = detect_table(required, "xlsx")
    assert detected is not None and detected[0].id == report.id


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_templates_write_in_both_formats(name: str, tmp_path: Path) -> None:
    report = available_templates()[name]
    csv_path = write_template(report, tmp_path / f"{name}.csv", fmt="csv", lang="zh")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    xlsx_path = write_template(report, tmp_path / f"{name}.xlsx", fmt="xlsx", lang="en")
    assert xlsx_path.stat().st_size > 0
