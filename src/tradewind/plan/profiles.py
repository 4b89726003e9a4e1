"""Market profiles: default level targets per market (kpis.md, "Market profiles"), as editable YAML.

A profile lists targets; applying it to a plan makes one level target per marketplace of the profile's
regions that the plan covers (or one for the company), bound to the KPI's current version. KPIs the
catalog does not define are skipped and reported, so a profile can name KPIs that arrive later.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tradewind.core.marketplaces import MARKETPLACES
from tradewind.plan.amounts import PlanError

WORKSPACE_PROFILES = Path("plan") / "market_profiles.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProfileTarget(_Frozen):
    kpi: str
    min: float | None = None
    max: float | None = None
    between: tuple[float, float] | None = None
    scope: Literal["marketplace", "company"] = "marketplace"
    gate: bool = False

    @model_validator(mode="after")
    def _one_bound(self) -> ProfileTarget:
        if sum(x is not None for x in (self.min, self.max, self.between)) != 1:
            raise ValueError(f"{self.kpi}: give exactly one of min, max, between")
        if self.between is not None and self.between[1] < self.between[0]:
            raise ValueError(f"{self.kpi}: between [low, high] with low <= high")
        return self

    @property
    def comparator(self) -> str:
        return ">=" if self.min is not None else "<=" if self.max is not None else "between"

    @property
    def value(self) -> float:
        if self.between is not None:
            return self.between[0]
        return float(self.min if self.min is not None else self.max)  # type: ignore[arg-type]

    @property
    def upper(self) -> float | None:
        return self.between[1] if self.between is not None else None


class Name(_Frozen):
    zh: str
    en: str


class Profile(_Frozen):
    name: Name
    regions: tuple[str, ...] = Field(min_length=1)
    targets: tuple[ProfileTarget, ...]

    def covers(self, marketplace: str) -> bool:
        found = MARKETPLACES.get(marketplace)
        return found is not None and found.region.value in self.regions


def _read(text: str, where: str) -> dict[str, Profile]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise PlanError(f"{where} is not valid YAML: {exc}") from None
    raw = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: expected a mapping with profiles under 'profiles'")
    out = {}
    for key, item in raw.items():
        try:
            out[str(key).upper()] = Profile.model_validate(item)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            raise PlanError(f"{where}, profile {key}: {problems}") from None
    return out


def load_profiles(workspace_folder: Path | None = None) -> dict[str, Profile]:
    shipped = resources.files("tradewind.plan").joinpath("data/market_profiles.yaml").read_text("utf-8")
    profiles = _read(shipped, "market_profiles.yaml (shipped)")
    if workspace_folder is not None:
        path = workspace_folder / WORKSPACE_PROFILES
        if path.exists():
            profiles.update(_read(path.read_text("utf-8"), str(path)))
    return profiles


def profile(name: str, workspace_folder: Path | None = None) -> Profile:
    profiles = load_profiles(workspace_folder)
    found = profiles.get(name.strip().upper())
    if found is None:
        raise PlanError(f"unknown market profile {name!r}; profiles: {', '.join(sorted(profiles))}")
    return found
