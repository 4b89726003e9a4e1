"""Watch rules as data: the shipped defaults (`defaults.yaml` in this package) with the workspace's
`rules.yaml` on top.

A workspace entry with the id of a shipped rule changes only the fields it names (`severity: warning`,
`below: 3.0`, `enabled: false`); a new id adds a rule. Every problem in either file is reported at once
with its file and line, so a user fixes a rules file in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from tradewind.catalog.yaml_lines import LineDict, line_of, load_yaml
from tradewind.core.errors import ConfigError
from tradewind.watch.model import Severity

WORKSPACE_RULES = "rules.yaml"
ROOT_CAUSES: tuple[str, ...] = (
    "traffic",
    "conversion",
    "price",
    "stock",
    "ads",
    "compliance",
    "external",
    "data_error",
)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Strict):
    en: str
    zh: str


class _Rule(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    name: Text
    severity: Severity
    enabled: bool = True
    #: Who answers for this rule's alerts when the scope names nobody (a SKU's owner comes first).
    owner: str | None = None


class DeviationRule(_Rule):
    """Actual vs expected-to-date by the plan's daily curve: beyond ±tolerance a review is required."""

    kind: Literal["deviation"]
    tolerance: float = Field(default=0.15, gt=0, lt=10)
    #: Only these KPIs (empty: every KPI of every plan).
    kpis: tuple[str, ...] = ()
    #: The plan levels to pace: [] is the whole business, [marketplace] each marketplace's target, ...
    #: (a plan not split by a level has no rows there).
    levels: tuple[tuple[str, ...], ...] = ((), ("marketplace",))


class ThresholdRule(_Rule):
    """A KPI over trailing windows compared with a floor (`below`) or a ceiling (`above`), per scope."""

    kind: Literal["threshold"]
    kpi: str
    by: tuple[str, ...] = ()
    where: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    windows: tuple[int, ...] = (7, 30)
    #: A floor: a number, or `lead_time` for each SKU's replenishment lead time (products table).
    below: float | Literal["lead_time"] | None = None
    above: float | None = None
    #: Lead time for SKUs whose product row gives none (with `below: lead_time`).
    default_lead_time_days: int | None = Field(default=None, gt=0)
    #: Guards: the scope counts only when each of these KPIs is at least the value (a ROAS over $3 of
    #: spend says nothing).
    at_least: dict[str, float] = Field(default_factory=dict)
    #: One alert per scope and this bucket of the check date (a dip lasting a week is one alert).
    dedupe: Literal["day", "week", "month"] = "week"

    @field_validator("windows")
    @classmethod
    def _windows(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(w < 1 or w > 366 for w in value):
            raise ValueError("windows are 1 to 366 days, at least one")
        return value

    @model_validator(mode="after")
    def _one_bound(self) -> ThresholdRule:
        if (self.below is None) == (self.above is None):
            raise ValueError("give exactly one of below (a floor) or above (a ceiling)")
        if self.below == "lead_time" and not {"account", "sku"} <= set(self.by):
            raise ValueError("below: lead_time needs account and sku in `by` (lead times are per SKU)")
        return self


class QualityGateRule(_Rule):
    """亏本冲量: GMV attainment at or above 100% while margin, ad efficiency or refunds fail."""

    kind: Literal["quality_gate"]
    plan_kpi: str = "gmv"
    levels: tuple[tuple[str, ...], ...] = ((), ("marketplace",))
    attainment_at_least: float = 1.0
    #: Defaults; a plan's own gross_margin floor (>=) or refund_rate ceiling (<=) for the scope wins.
    gross_margin_floor: float = 0.15
    refund_rate_ceiling: float = 0.10


class FreshnessRule(_Rule):
    """A source not imported for N days, or days missing inside the data."""

    kind: Literal["freshness"]
    #: report type → days without an import before it is stale; `default` for the others; a type mapped
    #: to 0 is never stale (reference data such as the product list).
    stale_after_days: dict[str, int] = Field(default_factory=lambda: {"default": 7})
    #: Facts whose days must be continuous: order_lines, ad_performance, traffic.
    gaps_in: tuple[Literal["order_lines", "ad_performance", "traffic"], ...] = (
        "order_lines",
        "ad_performance",
        "traffic",
    )
    lookback_days: int = Field(default=90, ge=7, le=731)
    #: A day without orders counts as missing only where a marketplace averages at least this many order
    #: lines a day (a small store has real days without sales).
    orders_min_daily_lines: float = 10.0


class ReconciliationRule(_Rule):
    """Two sources of one figure, over the exact date range each Business Report covers."""

    kind: Literal["reconciliation"]
    left: str
    right: str
    by: tuple[str, ...] = ("account", "marketplace")
    detail_by: str | None = "sku"
    lookback_days: int = Field(default=120, ge=1, le=1000)
    tolerance_units: float = Field(default=3, ge=0)
    tolerance_ratio: float = Field(default=0.02, ge=0)
    max_detail_rows: int = Field(default=10, ge=1, le=200)


class ComplianceRule(_Rule):
    """Registrations missing, invalid, expired or expiring (from the compliance module)."""

    kind: Literal["compliance"]
    expiring_severity: Severity = Severity.WARNING


class NeedsExplanationRule(_Rule):
    """A large move with no note: beyond `mad_z` robust standard deviations of its own weekly history, or
    more than `wow` week over week."""

    kind: Literal["needs_explanation"]
    kpis: tuple[str, ...] = ("gmv",)
    by: tuple[str, ...] = ("marketplace",)
    history_weeks: int = Field(default=12, ge=4, le=104)
    recent_weeks: int = Field(default=4, ge=1, le=26)
    min_history_weeks: int = Field(default=6, ge=3)
    mad_z: float = Field(default=3.0, gt=0)
    wow: float = Field(default=0.30, gt=0)
    #: Weeks below this value (in the KPI's unit) are too small to judge.
    min_value: float = 0.0


class ActionOverdueRule(_Rule):
    """Review action items past their due date and not done."""

    kind: Literal["action_overdue"]


AnyRule = Annotated[
    DeviationRule
    | ThresholdRule
    | QualityGateRule
    | FreshnessRule
    | ReconciliationRule
    | ComplianceRule
    | NeedsExplanationRule
    | ActionOverdueRule,
    Field(discriminator="kind"),
]
_ADAPTER: TypeAdapter[AnyRule] = TypeAdapter(AnyRule)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[AnyRule, ...]
    sources: tuple[str, ...]

    def get(self, rule_id: str) -> AnyRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def enabled(self) -> tuple[AnyRule, ...]:
        return tuple(r for r in self.rules if r.enabled)


def shipped_rules_path() -> Path:
    return Path(str(resources.files("tradewind.watch").joinpath("defaults.yaml")))


def _entries(path: Path, problems: list[str]) -> list[tuple[dict[str, Any], int | None]]:
    try:
        data = load_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}:{mark.line + 1}" if mark is not None else path.name
        problems.append(f"{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}")
        return []
    except OSError as exc:
        problems.append(f"{path.name}: cannot read the file: {exc}")
        return []
    if data is None:
        return []
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) - {"rules"} or not isinstance(rules, list):
        problems.append(f"{path.name}: expected a mapping with one key, `rules:`, holding a list of rules")
        return []
    lines = getattr(rules, "item_lines", [None] * len(rules))
    out: list[tuple[dict[str, Any], int | None]] = []
    for item, line in zip(rules, lines, strict=True):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            problems.append(f"{path.name}:{line}: each rule is a mapping with an `id`")
            continue
        out.append((item, line))
    return out


def _validate(raw: Mapping[str, Any], file: str, line: int | None, problems: list[str]) -> AnyRule | None:
    try:
        return _ADAPTER.validate_python(dict(raw))
    except ValidationError as exc:
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p in _KINDS)]
            at = line_of(raw, [str(p) if isinstance(p, str) else p for p in loc]) or line
            field_path = ".".join(str(p) for p in loc) or "rule"
            problems.append(f"{file}:{at}: rule {raw.get('id')!r}: {field_path}: {err['msg']}")
        return None


_KINDS = frozenset(
    {
        "deviation",
        "threshold",
        "quality_gate",
        "freshness",
        "reconciliation",
        "compliance",
        "needs_explanation",
        "action_overdue",
    }
)


def load_rules(workspace_folder: Path | None = None, *, extra: Sequence[Path] = ()) -> RuleSet:
    """The shipped rules with the workspace's `rules.yaml` (and any `extra` files) on top."""
    problems: list[str] = []
    shipped = shipped_rules_path()
    merged: dict[str, tuple[dict[str, Any], str, int | None]] = {}
    for raw, line in _entries(shipped, problems):
        if raw["id"] in merged:
            problems.append(f"{shipped.name}:{line}: rule {raw['id']!r} is defined twice")
        merged[raw["id"]] = (raw, shipped.name, line)
    layers = list(extra)
    if workspace_folder is not None and (workspace_folder / WORKSPACE_RULES).exists():
        layers.insert(0, workspace_folder / WORKSPACE_RULES)
    sources = [shipped.name, *(p.name for p in layers)]
    for path in layers:
        seen: set[str] = set()
        for raw, line in _entries(path, problems):
            rule_id = raw["id"]
            if rule_id in seen:
                problems.append(f"{path.name}:{line}: rule {rule_id!r} is defined twice")
            seen.add(rule_id)
            if rule_id in merged:
                base, _, _ = merged[rule_id]
                if "kind" in raw and raw["kind"] != base.get("kind"):
                    problems.append(
                        f"{path.name}:{line}: rule {rule_id!r} is a {base.get('kind')} rule; a workspace "
                        "entry may change its fields but not its kind (give a new id instead)"
                    )
                    continue
                combined = _Overlay(base, raw)
                merged[rule_id] = (combined, path.name, line)
            else:
                merged[rule_id] = (raw, path.name, line)
    rules: list[AnyRule] = []
    for raw, file, line in merged.values():
        rule = _validate(raw, file, line, problems)
        if rule is not None:
            rules.append(rule)
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise ConfigError(f"the watch rules have {len(problems)} problem(s):\n{lines}")
    return RuleSet(tuple(rules), tuple(sources))


class _Overlay(LineDict):
    """A shipped rule with a workspace entry's fields on top. Line numbers are the workspace entry's, so
    an error points at the line the user wrote (a shipped field's error points at the entry)."""

    def __init__(self, base: Mapping[str, Any], top: Mapping[str, Any]) -> None:
        super().__init__({**base, **top})
        self.line = getattr(top, "line", 0)
        self.key_lines = dict(getattr(top, "key_lines", {}))
