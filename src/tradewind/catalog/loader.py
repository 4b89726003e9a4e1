"""Reading catalog YAML: the shipped files, then a workspace's `catalog/` folder on top of them.

A workspace definition with the id of a shipped one replaces it (an agency that counts refunds
differently says so in its own file, and the version changes with it); a new id adds a KPI. Every
problem in every file is collected and reported at once, each with its file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from tradewind.catalog.catalog import Catalog, ProductDims
from tradewind.catalog.issues import Issue
from tradewind.catalog.models import (
    AnyKpi,
    FactDef,
    GrowthKpi,
    Kpi,
    Measure,
    PointInTimeKpi,
    SimpleKpi,
    Source,
    Text,
    Unit,
    VatRate,
)
from tradewind.catalog.yaml_lines import LineDict, LineList, line_of, load_yaml
from tradewind.core.errors import CatalogError

_KPI_ADAPTER: TypeAdapter[AnyKpi] = TypeAdapter(Kpi)
SECTIONS = ("facts", "product_dims", "measures", "kpis", "vat_rates")
GROWTH_WORDS = {
    "mom": Text(zh="环比", en="MoM growth"),
    "yoy": Text(zh="同比", en="YoY growth"),
}
GROWTH_RULES = {
    "mom": Text(zh="本期{zh} / 上期{zh} − 1", en="{en} of the period / {en} of the previous period − 1"),
    "yoy": Text(
        zh="本期{zh} / 去年同期{zh} − 1", en="{en} of the period / {en} of the same period a year earlier − 1"
    ),
}


@dataclass
class Draft:
    """Everything read from the files, before validation decides whether it makes a catalog."""

    facts: dict[str, FactDef] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    kpis: dict[str, AnyKpi] = field(default_factory=dict)
    product_dims: ProductDims | None = None
    vat_rates: list[VatRate] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    #: Known columns per fact table; when given, expressions are checked against them.
    fact_columns: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: id -> (file, line) of every definition, for rules that report on them.
    where: dict[str, Source] = field(default_factory=dict)
    #: id -> the mapping as read (with key lines), so a rule can point at the offending field.
    raw: dict[str, LineDict] = field(default_factory=dict)

    def field_line(self, ident: str, path: str | None) -> int | None:
        """The line of `path` (dotted: `measure.filter`) inside the definition `ident`, if known."""
        node: object = self.raw.get(ident)
        line = self.where[ident].line if ident in self.where else None
        for part in (path or "").split(".") if path else []:
            if isinstance(node, LineDict) and part in node:
                line = node.key_lines.get(part, line)
                node = node[part]
            else:
                break
        return line


def shipped_files() -> list[Path]:
    root = Path(str(resources.files("tradewind.catalog")))
    files = [root / "facts.yaml", *sorted((root / "kpis").glob("*.yaml"))]
    files += sorted((root / "reference").glob("*.yaml"))
    return files


def workspace_files(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    if folder.is_file():
        return [folder]
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def read_catalog(
    extra: Path | Iterable[Path] | None = None,
    *,
    fact_columns: Mapping[str, Iterable[str]] | None = None,
) -> tuple[Catalog | None, list[Issue]]:
    """Read the shipped catalog plus `extra` (a folder or files); return the catalog (None when any
    problem was found) and every problem."""
    from tradewind.catalog.rules import run_rules

    draft = Draft(fact_columns={k: frozenset(v) for k, v in (fact_columns or {}).items()})
    _read_layer(draft, shipped_files(), overriding=False)
    if extra is not None:
        paths = workspace_files(extra) if isinstance(extra, Path) else list(extra)
        _read_layer(draft, paths, overriding=True)
    _expand_growth(draft)
    draft.issues.extend(run_rules(draft))
    issues = sorted(set(draft.issues), key=lambda i: (i.file, i.line or 0, i.message))
    if issues or draft.product_dims is None:
        if draft.product_dims is None and not issues:
            issues = [Issue("facts.yaml", None, "no product_dims section")]
        return None, issues
    catalog = Catalog(
        facts=dict(draft.facts),
        measures=dict(draft.measures),
        kpis=dict(draft.kpis),
        product_dims=draft.product_dims,
        vat_rates=tuple(draft.vat_rates),
    )
    return catalog, []


def load_catalog(
    workspace_catalog: Path | None = None, *, fact_columns: Mapping[str, Iterable[str]] | None = None
) -> Catalog:
    """The shipped catalog plus a workspace's `catalog/` folder; CatalogError lists every problem."""
    catalog, issues = read_catalog(workspace_catalog, fact_columns=fact_columns)
    if catalog is None:
        lines = "\n".join("  - " + i.render() for i in issues)
        raise CatalogError(
            f"the KPI catalog has {len(issues)} problem{'s' if len(issues) != 1 else ''}:\n{lines}"
        )
    return catalog


# -- reading ----------------------------------------------------------------------------------------
def _read_layer(draft: Draft, paths: list[Path], *, overriding: bool) -> None:
    seen_here: dict[tuple[str, str], Source] = {}
    for path in paths:
        name = path.name
        try:
            data = load_yaml(path)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            draft.issues.append(Issue(name, line, f"not valid YAML: {problem}"))
            continue
        except OSError as exc:
            draft.issues.append(Issue(name, None, f"cannot read the file: {exc}"))
            continue
        if data is None:
            continue
        if not isinstance(data, LineDict):
            draft.issues.append(Issue(name, 1, f"expected a mapping with sections {', '.join(SECTIONS)}"))
            continue
        for key in data:
            if key not in SECTIONS:
                draft.issues.append(
                    Issue(
                        name,
                        data.key_lines.get(str(key)),
                        f"unknown section {key!r}; use {', '.join(SECTIONS)}",
                    )
                )
        _read_facts(draft, name, data.get("facts"))
        _read_product_dims(draft, name, data, data.get("product_dims"))
        _read_vat(draft, name, data.get("vat_rates"))
        for section, reader in (("measures", _read_measure), ("kpis", _read_kpi)):
            entries = data.get(section)
            if entries is None:
                continue
            if not isinstance(entries, LineList):
                draft.issues.append(Issue(name, data.key_lines.get(section), f"'{section}' must be a list"))
                continue
            for index, entry in enumerate(entries):
                line = entries.item_lines[index]
                if not isinstance(entry, LineDict):
                    draft.issues.append(Issue(name, line, f"each entry of '{section}' must be a mapping"))
                    continue
                reader(draft, name, entry, seen_here, overriding)


def _pydantic_issues(file: str, entry: Any, exc: ValidationError, label: str | None) -> list[Issue]:
    out = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p in _TAGS)]
        field_path = ".".join(str(p) for p in loc)
        message = err["msg"]
        if err["type"] == "missing":
            message = "required field missing"
        elif err["type"] == "extra_forbidden":
            message = "unknown field"
        text = f"{field_path}: {message}" if field_path else message
        out.append(Issue(file, line_of(entry, loc) or getattr(entry, "line", None), text, label))
    return out


_TAGS = {"simple", "point_in_time", "ratio", "derived", "growth", "unit_price", "effective_dated"}


def _label(kind: str, entry: LineDict) -> str:
    ident = entry.get("id")
    return f"{kind} {ident!r}" if isinstance(ident, str) else kind


def _read_measure(
    draft: Draft, file: str, entry: LineDict, seen: dict[tuple[str, str], Source], overriding: bool
) -> None:
    label = _label("measure", entry)
    try:
        measure = Measure.model_validate({**entry, "source": {"file": file, "line": entry.line}})
    except ValidationError as exc:
        draft.issues.extend(_pydantic_issues(file, entry, exc, label))
        return
    _register(draft, "measure", measure.id, Source(file=file, line=entry.line), seen, overriding)
    draft.measures[measure.id] = measure
    draft.raw[measure.id] = entry


def _read_kpi(
    draft: Draft, file: str, entry: LineDict, seen: dict[tuple[str, str], Source], overriding: bool
) -> None:
    label = _label("kpi", entry)
    if "type" not in entry:
        draft.issues.append(
            Issue(
                file,
                entry.line,
                "type: required field missing (simple, point_in_time, ratio, derived, growth)",
                label,
            )
        )
        return
    try:
        kpi = _KPI_ADAPTER.validate_python({**entry, "source": {"file": file, "line": entry.line}})
    except ValidationError as exc:
        draft.issues.extend(_pydantic_issues(file, entry, exc, label))
        return
    _register(draft, "kpi", kpi.id, Source(file=file, line=entry.line), seen, overriding)
    draft.kpis[kpi.id] = kpi
    draft.raw[kpi.id] = entry
    if isinstance(kpi, SimpleKpi | PointInTimeKpi) and not isinstance(kpi.measure, str):
        body = kpi.measure.model_dump()
        draft.measures[kpi.id] = Measure(
            **body,
            id=kpi.id,
            unit=kpi.unit,
            description=kpi.name.en,
            snapshot="last" if isinstance(kpi, PointInTimeKpi) else None,
            source=Source(file=file, line=line_of(entry, ["measure"]) or entry.line),
        )


def _register(
    draft: Draft, kind: str, ident: str, source: Source, seen: dict[tuple[str, str], Source], overriding: bool
) -> None:
    key = (kind, ident)
    if key in seen:
        first = seen[key]
        draft.issues.append(
            Issue(
                source.file,
                source.line,
                f"duplicate id; first defined at {first.file}:{first.line}",
                f"{kind} {ident!r}",
            )
        )
    seen[key] = source
    draft.where[ident] = source
    if overriding and kind == "kpi":
        # a workspace KPI replaces the shipped one, including an inline measure it defined
        draft.measures.pop(ident, None)


def _read_facts(draft: Draft, file: str, section: Any) -> None:
    if section is None:
        return
    if not isinstance(section, LineDict):
        draft.issues.append(Issue(file, getattr(section, "line", None), "'facts' must be a mapping"))
        return
    for name, body in section.items():
        line = section.key_lines.get(str(name))
        if not isinstance(body, LineDict):
            draft.issues.append(Issue(file, line, "must be a mapping", f"fact {name!r}"))
            continue
        try:
            fact = FactDef.model_validate({**body, "name": name, "source": {"file": file, "line": line}})
        except ValidationError as exc:
            draft.issues.extend(_pydantic_issues(file, body, exc, f"fact {name!r}"))
            continue
        draft.facts[str(name)] = fact
        draft.where[f"fact:{name}"] = Source(file=file, line=line)
        draft.raw[f"fact:{name}"] = body


def _read_product_dims(draft: Draft, file: str, data: LineDict, section: Any) -> None:
    if section is None:
        return
    line = data.key_lines.get("product_dims")
    if (
        not isinstance(section, LineDict)
        or not isinstance(section.get("table"), str)
        or not isinstance(section.get("match"), list)
        or not isinstance(section.get("dims"), dict)
    ):
        draft.issues.append(
            Issue(file, line, "product_dims needs table, match (a list) and dims (a mapping)")
        )
        return
    draft.product_dims = ProductDims(
        table=section["table"],
        match=tuple(str(m) for m in section["match"]),
        dims={str(k): str(v) for k, v in section["dims"].items()},
    )
    draft.where["product_dims"] = Source(file=file, line=line)


def _read_vat(draft: Draft, file: str, section: Any) -> None:
    if section is None:
        return
    if not isinstance(section, LineList):
        draft.issues.append(Issue(file, getattr(section, "line", None), "'vat_rates' must be a list"))
        return
    for index, entry in enumerate(section):
        line = section.item_lines[index]
        try:
            draft.vat_rates.append(VatRate.model_validate(entry))
        except ValidationError as exc:
            draft.issues.extend(_pydantic_issues(file, entry, exc, "vat rate"))
            if not exc.errors():
                draft.issues.append(Issue(file, line, "invalid VAT rate", "vat rate"))


def _expand_growth(draft: Draft) -> None:
    """`growth: [mom, yoy]` on a KPI adds `<id>_mom` and `<id>_yoy` right after it (unless defined)."""
    ordered: dict[str, AnyKpi] = {}
    for kpi in draft.kpis.values():
        ordered.setdefault(kpi.id, kpi)
        for compare in kpi.growth:
            gid = f"{kpi.id}_{compare}"
            if gid in draft.kpis:
                continue
            word, rule = GROWTH_WORDS[compare], GROWTH_RULES[compare]
            ordered[gid] = GrowthKpi(
                id=gid,
                type="growth",
                name=Text(zh=f"{kpi.name.zh}{word.zh}", en=f"{kpi.name.en} {word.en}"),
                unit=Unit.RATIO,
                direction=kpi.direction,
                rule=Text(
                    zh=rule.zh.format(zh=kpi.name.zh, en=kpi.name.en),
                    en=rule.en.format(zh=kpi.name.zh, en=kpi.name.en),
                ),
                base=kpi.id,
                compare=compare,
                source=kpi.source,
            )
            if kpi.source:
                draft.where[gid] = kpi.source
    draft.kpis = ordered
