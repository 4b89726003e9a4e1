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

from tradewind.core.errors import NeedsOption

#: Three groups of digits with one separator (`2026-03-31`, `31.03.2026`, `3_31_26`), not glued to
#: more digits on either side.
_SEPARATED = re.compile(r"(?<![0-9])(?=([0-9]{1,4})([-_.])([0-9]{1,2})\2([0-9]{1,4})(?![0-9]))")
#: Eight digits on their own (`20260331`): longer runs are ids or timestamps, not dates.
_COMPACT = re.compile(r"(?<![0-9])([0-9]{8})(?![0-9])")
_SUFFIXES = re.compile(r"(\.(txt|tsv|csv|xlsx|xls|json|gz|zip))+$", re.IGNORECASE)
_FIRST_YEAR, _LAST_YEAR = 2000, 2099
#: Day-month-year (UK, EU) and month-day-year (US); a year-first date reads the same in both.
_CONVENTIONS = ("dmy", "mdy")


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


def _separated_readings(a: str, b: str, c: str) -> dict[str, date]:
    """Year first (`2026-03-31`: the same day in every convention), or year last, read day-month
    (UK, DE) and month-day (US)."""
    readings: dict[str, date | None] = {}
    if len(a) == 4:
        if len(c) <= 2:
            readings = dict.fromkeys(_CONVENTIONS, _day(int(a), int(b), int(c)))
    elif len(a) <= 2 and len(c) in (2, 4):
        year = _year(c)
        if year is not None:
            readings = {"dmy": _day(year, int(b), int(a)), "mdy": _day(year, int(a), int(b))}
    return {k: v for k, v in readings.items() if v is not None}


def _compact_readings(text: str) -> dict[str, date]:
    year_first = _day(int(text[:4]), int(text[4:6]), int(text[6:]))  # YYYYMMDD
    if year_first is not None:
        return dict.fromkeys(_CONVENTIONS, year_first)
    readings = {
        "dmy": _day(int(text[4:]), int(text[2:4]), int(text[:2])),  # DDMMYYYY
        "mdy": _day(int(text[4:]), int(text[:2]), int(text[2:4])),  # MMDDYYYY
    }
    return {k: v for k, v in readings.items() if v is not None}


@dataclass(frozen=True)
class DateToken:
    """A date written in a file name, with the day it stands for in each convention that fits."""

    text: str
    readings: dict[str, date]


def date_tokens(name: str) -> list[DateToken]:
    """Every date-like token in a file name, in order, with its possible readings."""
    stem = _SUFFIXES.sub("", name.rsplit("/", 1)[-1])
    found: list[tuple[int, DateToken]] = []
    for match in _SEPARATED.finditer(stem):
        a, sep, b, c = match.groups()
        readings = _separated_readings(a, b, c)
        if readings:
            found.append((match.start(), DateToken(f"{a}{sep}{b}{sep}{c}", readings)))
    for match in _COMPACT.finditer(stem):
        readings = _compact_readings(match.group(1))
        if readings:
            found.append((match.start(), DateToken(match.group(1), readings)))
    return [token for _, token in sorted(found, key=lambda item: item[0])]


def date_in_file_name(name: str) -> FileNameDate:
    """The one day a file name can mean; `day` is None when it names none or could mean several."""
    tokens = date_tokens(name)
    candidates = {d for t in tokens for d in t.readings.values()}
    ordered = tuple(sorted(candidates))
    return FileNameDate(ordered[0] if len(ordered) == 1 else None, ordered, tuple(t.text for t in tokens))


def range_in_file_name(name: str, what: str) -> tuple[date, date]:
    """The from..to range a file name states with two dates, read in one convention for both.

    A single date is the day the file was made, not a range, so it never counts. Raises `NeedsOption`
    asking for --from/--to whenever the name does not say the range without doubt; `what` names the
    report in that message (e.g. "a Business Report has no date column").
    """
    tokens = date_tokens(name)
    ask = "give the range the report covers with --from YYYY-MM-DD --to YYYY-MM-DD"
    if len(tokens) != 2:
        if len(tokens) == 1:
            why = (
                f"the date in its name ({tokens[0].text}) is the day Seller Central made the file, not the "
                "range the report covers"
            )
        elif not tokens:
            why = "neither the file nor its name says which dates it covers"
        else:
            why = (
                f"its name has {len(tokens)} dates ({', '.join(t.text for t in tokens)}), not a from-to pair"
            )
        raise NeedsOption(f"{name}: {what} and {why}; {ask}")
    first, last = tokens
    ranges = {
        (first.readings[c], last.readings[c])
        for c in _CONVENTIONS
        if c in first.readings and c in last.readings and first.readings[c] <= last.readings[c]
    }
    if len(ranges) == 1:
        return ranges.pop()
    if not ranges:
        raise NeedsOption(f"{name}: the dates in the file name do not form a range (from..to); {ask}")
    shown = " or ".join(f"{a}..{b}" for a, b in sorted(ranges))
    raise NeedsOption(f"{name}: the dates in the file name can be read as {shown}; {ask}")
