"""Writing demo rows through the import templates themselves, so the demo files are exactly what a
user fills in (and the importers read them back as they would a user's)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from tradewind.demo.formats import stable_zip
from tradewind.ingest.registry import report_by_id
from tradewind.ingest.spec import Report
from tradewind.ingest.templates import write_template

#: openpyxl stamps the wall clock into a workbook; demo workbooks carry this instead.
XLSX_STAMP = datetime(2026, 1, 1)


def report(report_id: str) -> Report:
    found = report_by_id(report_id)
    if found is None:  # the importers ship with Tradewind; their absence is a packaging fault
        raise RuntimeError(f"the {report_id} importer is not installed")
    return found


def write_rows(report_id: str, path: Path, rows: Sequence[Mapping[str, object]], *, lang: str = "en") -> Path:
    """Write `rows` as the report's template (CSV or XLSX by the file's suffix), byte-stable."""
    fmt = path.suffix.lower().lstrip(".")
    written = write_template(report(report_id), path, fmt=fmt, lang=lang, rows=rows)
    if fmt == "xlsx":
        stable_zip(written, XLSX_STAMP)
    return written
