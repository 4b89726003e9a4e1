"""A date written in a report's file name, read only where it cannot mean two different days.

Seller Central names downloads after the day they were made, in the marketplace's habit:
`..._2026-03-31.txt`, `...20260331...`, UK `BusinessReport-31-03-2026.csv`, US
`BusinessReport-3-31-26.csv`, DE `BusinessReport-02.12.25.csv` (report-formats §1.5). A file name is
only a hint: `03-04-2026` is the 3rd of April in London and the 4th of March in Seattle, so any name
that two readings (or two different dates) fit is reported as ambiguous, and the caller asks the
user instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

#: Three groups of digits with one separator (`2026-03-31`, `31.03.2026`, `3_31_26`), not glued to
#: more digits on either side.
_SEPARATED = re.compile(r"(?<![0-9])(?=([0-9]{1,4})([-_.])([0-9]{1,2})\2([0-9]{1,4})(?![0-9]))")
#: Eight digits on their own (`20260331`): longer runs are ids or timestamps, not dates.
_COMPACT = re.compile(r"(?<![0-9])([0-9]{8})(?![0-9])")
_SUFFIXES = re.compile(r"(\.(txt|tsv|csv|xlsx|xls|json|gz|zip))+$", re.IGNORECASE)
_FIRST_YEAR, _LAST_YEAR = 2000, 2099


@dataclass(frozen=True)
class FileNameDate:
    """What a file name says about its date: one day, nothing, or several possible days."""

    day: date | None
    #: Every day the name could mean (more than one: ambiguous).
    candidates: tuple[date, ...] = ()
    #: The text in the name that the candidates come from.
    evidence: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def _day(year: int, month: int, day: int) -> date | None:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int | None:
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        return 2000 + int(text)
    return None


def _separated_readings(a: str, b: str, c: str) -> set[date]:
    """Year first (`2026-03-31`), or year last with day-month or month-day order."""
    readings: set[date | None] = set()
    if len(a) == 4:
        if len(c) <= 2:
            readings.add(_day(int(a), int(b), int(c)))
    elif len(a) <= 2 and len(c) in (2, 4):
        year = _year(c)
        if year is not None:
            readings.add(_day(year, int(b), int(a)))  # day-month-year (UK, DE)
            readings.add(_day(year, int(a), int(b)))  # month-day-year (US)
    return {d for d in readings if d is not None}


def _compact_readings(text: str) -> set[date]:
    readings = {
        _day(int(text[:4]), int(text[4:6]), int(text[6:])),  # YYYYMMDD
        _day(int(text[4:]), int(text[2:4]), int(text[:2])),  # DDMMYYYY
        _day(int(text[4:]), int(text[:2]), int(text[2:4])),  # MMDDYYYY
    }
    return {d for d in readings if d is not None}


def date_in_file_name(name: str) -> FileNameDate:
    """The one day a file name can mean; `day` is None when it names none or could mean several."""
    stem = _SUFFIXES.sub("", name.rsplit("/", 1)[-1])
    candidates: set[date] = set()
    evidence: list[str] = []
    for match in _SEPARATED.finditer(stem):
        a, sep, b, c = match.groups()
        found = _separated_readings(a, b, c)
        if found:
            candidates |= found
            evidence.append(f"{a}{sep}{b}{sep}{c}")
    for match in _COMPACT.finditer(stem):
        found = _compact_readings(match.group(1))
        if found:
            candidates |= found
            evidence.append(match.group(1))
    ordered = tuple(sorted(candidates))
    return FileNameDate(ordered[0] if len(ordered) == 1 else None, ordered, tuple(evidence))
