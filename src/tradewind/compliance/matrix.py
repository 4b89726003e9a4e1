"""The EPR requirement matrix as data: shipped defaults (`epr_matrix.yaml` beside this module), and a
workspace's `compliance/epr_matrix.yaml` on top.

Which country requires which EPR registration, from which day, changes with laws and with what
Amazon enforces, so it is dated data a user edits, never code. The workspace file has the shipped
file's layout; its entries replace shipped ones with the same key (a requirement by country and
category; a category or product category by name) and add new ones. Every problem in a matrix file is
reported at once, with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tradewind.catalog.yaml_lines import line_of, load_yaml
from tradewind.compliance.countries import normalise_country
from tradewind.core.errors import TradewindError

MATRIX_FILE = "epr_matrix.yaml"
#: Where a workspace keeps its own matrix.
WORKSPACE_MATRIX = Path("compliance") / MATRIX_FILE
CATEGORY_ID = r"^[a-z][a-z0-9_]*$"


class MatrixError(TradewindError):
    """An EPR matrix file is invalid."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EprCategory(_Frozen):
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    every_product: bool = False
    aliases: tuple[str, ...] = ()

    @field_validator("aliases", mode="before")
    @classmethod
    def _texts(cls, value: Any) -> Any:
        return tuple(str(v) for v in value) if isinstance(value, list | tuple) else value


def _country(value: Any) -> str:
    # YAML 1.1 reads a bare NO (Norway) as false.
    text = "NO" if value is False else str(value)
    code = normalise_country(text)
    if code is None:
        raise ValueError(f"unknown country {text!r}; use an ISO code like DE, FR, PL, CZ")
    return code


class Requirement(_Frozen):
    """A (country, category) pair requiring a registration number from `from_` to `until` (inclusive)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    country: str
    category: str = Field(pattern=CATEGORY_ID)
    from_: date = Field(alias="from")
    until: date | None = None
    required: bool = True
    register_name: str = Field(default="", alias="register")
    note: str = ""

    @field_validator("country", mode="before")
    @classmethod
    def _known_country(cls, value: Any) -> str:
        return _country(value)

    def in_force(self, day: date) -> bool:
        return self.required and self.from_ <= day and (self.until is None or day <= self.until)


class _MatrixFile(_Frozen):
    reviewed: date | None = None
    categories: dict[str, EprCategory] = Field(default_factory=dict)
    product_categories: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    requirements: tuple[Requirement, ...] = ()

    @field_validator("product_categories", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): tuple(v) if isinstance(v, list | tuple) else (v,) for k, v in value.items()}
        return value


@dataclass(frozen=True)
class EprMatrix:
    """The merged matrix. `reviewed` is the day its newest layer was last checked against the rules."""

    reviewed: date | None
    categories: dict[str, EprCategory]
    #: product category (case-folded) -> EPR categories
    product_categories: dict[str, tuple[str, ...]]
    requirements: tuple[Requirement, ...]
    sources: tuple[str, ...]

    def in_force(self, day: date) -> list[Requirement]:
        return [r for r in self.requirements if r.in_force(day)]

    def epr_categories_of(self, product_category: str | None) -> tuple[str, ...]:
        """The EPR categories a product falls in: every-product ones, plus its category's mapping."""
        every = tuple(c for c, d in self.categories.items() if d.every_product)
        mapped = self.product_categories.get((product_category or "").strip().casefold(), ())
        return every + tuple(c for c in mapped if c not in every)

    def category_name(self, category: str, lang: str = "en") -> str:
        found = self.categories.get(category)
        if found is None:
            return category
        return found.zh if lang == "zh" else found.en

    def aliases(self) -> dict[str, str]:
        """Every word registry sheets use for a category (case-folded) -> category id."""
        found: dict[str, str] = {}
        for cid, cat in self.categories.items():
            for word in (cid, cat.en, cat.zh, *cat.aliases):
                found[word.strip().casefold()] = cid
        return found


def _read(path: Path, name: str) -> _MatrixFile:
    try:
        data = load_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        raise MatrixError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except (OSError, UnicodeError) as exc:
        raise MatrixError(f"cannot read {name}: {exc}") from None
    if data is None:
        return _MatrixFile()
    if not isinstance(data, dict):
        raise MatrixError(
            f"{name}: expected a mapping with reviewed, categories, product_categories, requirements"
        )
    try:
        return _MatrixFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if isinstance(p, str | int)]
            line = line_of(data, loc)
            where = f"{name}:{line}" if line else name
            problems.append(f"  - {where}: {'.'.join(str(p) for p in loc)}: {err['msg']}")
        count = len(problems)
        raise MatrixError(
            f"the EPR matrix {name} has {count} problem{'s' if count != 1 else ''}:\n" + "\n".join(problems)
        ) from None


def _merge(layers: list[tuple[str, _MatrixFile]]) -> EprMatrix:
    categories: dict[str, EprCategory] = {}
    product_categories: dict[str, tuple[str, ...]] = {}
    requirements: dict[tuple[str, str], Requirement] = {}
    reviewed: date | None = None
    for _name, layer in layers:
        reviewed = layer.reviewed or reviewed
        categories.update(layer.categories)
        product_categories.update({k.strip().casefold(): v for k, v in layer.product_categories.items()})
        for r in layer.requirements:
            requirements[(r.country, r.category)] = r
    matrix = EprMatrix(
        reviewed,
        categories,
        product_categories,
        tuple(requirements.values()),
        tuple(name for name, _ in layers),
    )
    _check(matrix)
    return matrix


def _check(matrix: EprMatrix) -> None:
    problems = []
    for r in matrix.requirements:
        if r.category not in matrix.categories:
            problems.append(f"requirement {r.country}/{r.category}: unknown category {r.category!r}")
        if r.until is not None and r.until < r.from_:
            problems.append(f"requirement {r.country}/{r.category}: until {r.until} is before from {r.from_}")
    for name, cats in matrix.product_categories.items():
        for c in cats:
            if c not in matrix.categories:
                problems.append(f"product category {name!r}: unknown EPR category {c!r}")
    if problems:
        where = " + ".join(matrix.sources)
        raise MatrixError(
            f"the EPR matrix ({where}) has problems:\n" + "\n".join(f"  - {p}" for p in problems)
        )


def shipped_matrix_path() -> Path:
    return Path(str(resources.files("tradewind.compliance").joinpath(MATRIX_FILE)))


def load_matrix(workspace_folder: Path | None = None) -> EprMatrix:
    """The shipped matrix, with `workspace_folder/compliance/epr_matrix.yaml` on top when it exists."""
    layers = [(MATRIX_FILE + " (shipped)", _read(shipped_matrix_path(), MATRIX_FILE))]
    if workspace_folder is not None:
        path = workspace_folder / WORKSPACE_MATRIX
        if path.exists():
            layers.append((str(path), _read(path, str(WORKSPACE_MATRIX))))
    return _merge(layers)
