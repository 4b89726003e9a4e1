"""The report modules Tradewind knows, found by scanning `tradewind.ingest.reports`.

Each module there exposes `REPORTS: list[Report]`; adding a report is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from functools import cache
from typing import Any

from tradewind.ingest.spec import Report


@cache
def all_reports() -> tuple[Report, ...]:
    from tradewind.ingest import reports as package

    found: list[Report] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found.extend(getattr(module, "REPORTS", []))
    return tuple(found)


def report_by_id(report_id: str) -> Report | None:
    return next((r for r in all_reports() if r.id == report_id), None)


def detect_table(normalised: Sequence[str], container: str) -> tuple[Report, dict[str, int | None]] | None:
    """The report whose fields match these headers best (most fields found), if any matches."""
    best: tuple[int, Report, dict[str, int | None]] | None = None
    for report in all_reports():
        if container not in report.containers:
            continue
        mapping = report.match(normalised)
        if mapping is None:
            continue
        score = sum(1 for v in mapping.values() if v is not None)
        if best is None or score > best[0]:
            best = (score, report, mapping)
    return (best[1], best[2]) if best else None


def detect_json(document: Any) -> Report | None:
    return next((r for r in all_reports() if "json" in r.containers and r.matches_json(document)), None)


def closest_reports(normalised: Sequence[str], limit: int = 3) -> list[tuple[Report, list[str]]]:
    """For an unknown file: the reports that came closest, with the headers they were missing."""
    scored = []
    for report in all_reports():
        missing = [
            f.aliases[0]
            for f in report.fields
            if f.required and not any(f.matches_header(h) for h in normalised)
        ]
        required = sum(1 for f in report.fields if f.required)
        scored.append((len(missing) / max(required, 1), report, missing))
    scored.sort(key=lambda s: s[0])
    return [(r, m) for _, r, m in scored[:limit]]
