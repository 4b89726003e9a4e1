"""Writing demo rows through the import templates themselves, so the demo files are exactly what a
user fills in (and the importers read them back as they would a user's)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

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
        _stable_zip(written)
    return written


def _stable_zip(path: Path) -> None:
    """Fixed zip entry times and document stamps, so the same rows give the same bytes."""
    import io
    import re
    import zipfile

    stamp = XLSX_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=XLSX_STAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    path.write_bytes(buffer.getvalue())
