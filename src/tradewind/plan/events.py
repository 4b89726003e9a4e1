"""The retail event calendar (Prime Day, Black Friday, Christmas...): dated, editable YAML data.

Plans use it twice: to move an event's extra sales to the month it falls in in the plan year (Cyber
Monday was on 1 December 2025 and is on 30 November 2026), and to weight event days in the daily curves
that pacing compares actuals with. Announced dates win; a year without them is placed by the event's
rule, and the plan says so (Amazon announces Prime Day only weeks ahead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tradewind.core.marketplaces import MARKETPLACES
from tradewind.plan.amounts import PlanError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: A workspace's own calendar, read on top of the shipped one.
WORKSPACE_EVENTS = Path("plan") / "events.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Name(_Frozen):
    zh: str
    en: str


class FixedRule(_Frozen):
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    days: int = Field(default=1, ge=1, le=31)


class NthWeekdayRule(_Frozen):
    month: int = Field(ge=1, le=12)
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    nth: int = Field(ge=1, le=5)
    offset_days: int = 0
    days: int = Field(default=1, ge=1, le=31)


class AfterRule(_Frozen):
    event: str
    offset_days: int = 0
    days: int = Field(default=1, ge=1, le=31)


class Rule(_Frozen):
    fixed: FixedRule | None = None
    nth_weekday: NthWeekdayRule | None = None
    after: AfterRule | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        if sum(x is not None for x in (self.fixed, self.nth_weekday, self.after)) != 1:
            raise ValueError("a rule is exactly one of fixed, nth_weekday, after")
        return self


class EventDef(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Name
    marketplaces: tuple[str, ...] | Literal["all"] = "all"
    lift: float = Field(gt=0)
    dates: dict[int, tuple[date, date]] = Field(default_factory=dict)
    rule: Rule | None = None
    estimate_note: str | None = None

    @field_validator("marketplaces")
    @classmethod
    def _known(cls, value: tuple[str, ...] | str) -> tuple[str, ...] | str:
        if isinstance(value, str):
            return value
        unknown = [m for m in value if m not in MARKETPLACES]
        if unknown:
            raise ValueError(f"unknown marketplaces {unknown}")
        return value

    @model_validator(mode="after")
    def _dates_or_rule(self) -> EventDef:
        for year, (first, last) in self.dates.items():
            if last < first or first.year != year:
                raise ValueError(f"dates for {year} must be [first, last] within {year}")
        if not self.dates and self.rule is None:
            raise ValueError("an event needs dates or a rule")
        return self

    def runs_in(self, marketplace: str) -> bool:
        return self.marketplaces == "all" or marketplace in self.marketplaces


@dataclass(frozen=True)
class Occurrence:
    """One event in one year: its days, and whether they were announced or placed by the rule."""

    event: str
    name: str
    start: date
    end: date
    estimated: bool
    note: str | None

    def days(self) -> list[date]:
        return [self.start + timedelta(days=k) for k in range((self.end - self.start).days + 1)]


class EventCalendar:
    def __init__(self, events: list[EventDef]) -> None:
        self.events = {e.id: e for e in events}
        for e in events:
            if e.rule and e.rule.after and e.rule.after.event not in self.events:
                raise PlanError(
                    f"event calendar: {e.id} is placed after unknown event {e.rule.after.event!r}"
                )

    def occurrence(self, event_id: str, year: int) -> Occurrence | None:
        event = self.events[event_id]
        if year in event.dates:
            first, last = event.dates[year]
            return Occurrence(event.id, event.name.en, first, last, False, None)
        rule = event.rule
        if rule is None:
            return None
        if rule.fixed is not None:
            f = rule.fixed
            start = date(year, f.month, f.day)
            days = f.days
        elif rule.nth_weekday is not None:
            n = rule.nth_weekday
            first_of_month = date(year, n.month, 1)
            shift = (WEEKDAYS.index(n.weekday) - first_of_month.weekday()) % 7
            start = first_of_month + timedelta(days=shift + 7 * (n.nth - 1) + n.offset_days)
            days = n.days
        else:
            assert rule.after is not None
            base = self.occurrence(rule.after.event, year)
            if base is None:
                return None
            start = base.start + timedelta(days=rule.after.offset_days)
            days = rule.after.days
        # A rule is how a recurring date is defined (Black Friday) unless the event also has announced
        # dates for other years: then a year without them is an estimate the plan must admit to.
        estimated = bool(event.dates)
        note = event.estimate_note if estimated else None
        return Occurrence(event.id, event.name.en, start, start + timedelta(days=days - 1), estimated, note)

    def between(self, first: date, last: date, marketplace: str) -> list[Occurrence]:
        """Occurrences in `marketplace` with at least one day in first..last, in date order."""
        found: list[Occurrence] = []
        for year in range(first.year, last.year + 1):
            for event in self.events.values():
                if not event.runs_in(marketplace):
                    continue
                occ = self.occurrence(event.id, year)
                if occ is not None and occ.end >= first and occ.start <= last:
                    found.append(occ)
        return sorted(found, key=lambda o: (o.start, o.event))

    def lift(self, event_id: str) -> float:
        return self.events[event_id].lift


def _read(text: str, where: str) -> list[EventDef]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise PlanError(f"{where} is not valid YAML: {exc}") from None
    raw = data.get("events") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        raise PlanError(f"{where}: expected a mapping with a list under 'events'")
    out = []
    for index, item in enumerate(raw, start=1):
        try:
            out.append(EventDef.model_validate(item))
        except ValidationError as exc:
            label = item.get("id") if isinstance(item, dict) else f"#{index}"
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            raise PlanError(f"{where}, event {label}: {problems}") from None
    return out


def _merge(base: list[EventDef], extra: list[EventDef]) -> list[EventDef]:
    merged = {e.id: e for e in base}
    for e in extra:
        if e.id in merged:
            old = merged[e.id]
            data: dict[str, Any] = e.model_dump()
            data["dates"] = {**old.dates, **e.dates}
            merged[e.id] = EventDef.model_validate(data)
        else:
            merged[e.id] = e
    return list(merged.values())


def load_events(workspace_folder: Path | None = None) -> EventCalendar:
    """The shipped calendar, plus `<workspace>/plan/events.yaml` where there is one."""
    shipped = resources.files("tradewind.plan").joinpath("data/events.yaml").read_text("utf-8")
    events = _read(shipped, "events.yaml (shipped)")
    if workspace_folder is not None:
        path = workspace_folder / WORKSPACE_EVENTS
        if path.exists():
            events = _merge(events, _read(path.read_text("utf-8"), str(path)))
    return EventCalendar(events)
