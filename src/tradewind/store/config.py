"""The workspace configuration file (`tradewind.toml`): validated by pydantic at the boundary."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tradewind.core.errors import ConfigError
from tradewind.core.marketplaces import MARKETPLACES, find_marketplace

CONFIG_FILE = "tradewind.toml"


class Account(BaseModel):
    """A seller store: one Seller Central account (a region) or one Shopify shop."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")
    name: str
    platform: str = "amazon"
    marketplaces: tuple[str, ...] = ()

    @field_validator("marketplaces")
    @classmethod
    def _known_marketplaces(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for code in value:
            found = find_marketplace(code)
            if found is None:
                raise ValueError(f"unknown marketplace {code!r}")
            out.append(found.code)
        return tuple(out)


class WorkspaceConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    reporting_currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)
    #: "ecb": convert at the ECB reference rate of the fact's date; "monthly": at an agreed monthly rate.
    fx_mode: str = Field(default="ecb", pattern=r"^(ecb|monthly)$")
    #: SQLAlchemy URL of the app database; empty means `app.sqlite` in the workspace folder.
    app_db_url: str = ""
    #: DuckDB's memory limit for the facts database (it spills to disk beyond it), e.g. "1GB", "8GB".
    facts_memory_limit: str = Field(default="1GB", pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB)$")
    accounts: tuple[Account, ...] = ()
    #: Marketplace code -> IANA time zone, overriding the defaults.
    timezones: dict[str, str] = Field(default_factory=dict)

    def timezone(self, marketplace_code: str) -> str:
        if marketplace_code in self.timezones:
            return self.timezones[marketplace_code]
        return MARKETPLACES[marketplace_code].timezone

    def all_timezones(self) -> dict[str, str]:
        return {code: self.timezone(code) for code in MARKETPLACES}

    def account(self, account_id: str) -> Account | None:
        return next((a for a in self.accounts if a.id == account_id), None)


def load_config(folder: Path) -> WorkspaceConfig:
    path = folder / CONFIG_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path} not found: run 'tradewind init {folder}' first") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    try:
        return WorkspaceConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"{path} is invalid: {problems}") from exc


def save_config(folder: Path, config: WorkspaceConfig) -> None:
    data = config.model_dump(mode="json", exclude_defaults=False)
    data["accounts"] = [dict(a) for a in data["accounts"]]
    (folder / CONFIG_FILE).write_text(tomli_w.dumps(data), encoding="utf-8")
