"""Progress of a plan: target, actual, expected to date by the daily curve, attainment, projection.

`ProgressRow` is the contract with the watch package (pacing alerts call `Workspace.plan_progress`);
its fields do not change without both sides agreeing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from tradewind.core.errors import QueryError
from tradewind.core.marketplaces import MARKETPLACES
from tradewind.engine import KpiEngine, KpiRequest, KpiResult
from tradewind.plan.amounts import PlanError
from tradewind.plan.calendar import month_end, month_label, month_start, parse_month
from tradewind.plan.daily import elapsed_share
from tradewind.plan.model import DIM_LEVELS, DailyProfile, LevelTarget, Plan, PlanVersion
from tradewind.plan.store import PlanStore

if TYPE_CHECKING:
    from tradewind.app import Workspace


@dataclass(frozen=True)
class ProgressRow:
    plan: str  # plan name
    version: int  # plan version in force on as_of
    kpi: str  # e.g. "gmv" (kpi id; the target is bound to kpi@version)
    kind: str  # "additive" | "level"
    scope: Mapping[str, str]  # e.g. {"marketplace": "DE"} or {"marketplace": "DE", "sku": "S1"}; {} = company
    period: str  # the target's period, e.g. "2026-07"
    target: float | None  # additive: the amount; level: the bound (see comparator)
    comparator: str  # ">=", "<=", "between" (level targets), "=" (additive)
    upper: float | None  # for "between"
    actual: float | None  # actual to as_of (within the period)
    expected_to_date: float | None  # additive: target × share of the daily curve elapsed by as_of
    attainment: float | None  # actual / target (additive) ; for level: actual vs bound as a ratio
    pace: float | None  # actual / expected_to_date − 1 (additive): −0.18 means 18% behind
    projected: float | None  # projected landing at period end
    owner: str | None


# -- computing progress -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProgressReport:
    as_of: date
    rows: list[ProgressRow]
    warnings: list[str] = field(default_factory=list)


def default_as_of(ws: Workspace, today: date | None = None) -> date:
    """The last day with order data (the board's "today"), never after today."""
    today = today or date.today()
    found = ws.facts.query("SELECT max(purchase_date) FROM order_lines WHERE purchase_date <= ?", [today])
    day = found[0][0] if found else None
    return day if isinstance(day, date) else today


def progress(
    ws: Workspace,
    name: str | None = None,
    as_of: date | None = None,
    by: Sequence[str] = (),
    *,
    today: date | None = None,
) -> ProgressReport:
    """Progress of one plan (or every active plan) on `as_of`: for the month of `as_of` (period
    '2026-07', month to date) and for the plan year (period '2026', year to date), one row per scope of
    `by` for the additive target and one per level target in force, against the version in force on
    `as_of`. Every active plan: a plan not split by one of `by` is left out with a warning."""
    store = PlanStore(ws.app.engine)
    names = [name] if name is not None else store.names()
    day = as_of or default_as_of(ws, today)
    for dim in by:
        if dim not in DIM_LEVELS:
            raise PlanError(f"--by {dim}: progress splits by the plan's levels ({', '.join(DIM_LEVELS)})")
    engine = ws.engine(today=today)
    rows: list[ProgressRow] = []
    warnings: list[str] = []
    for plan_name in names:
        plan = store.load(plan_name)
        missing = [d for d in by if d not in plan.header.levels]
        if missing:
            message = (
                f"plan {plan_name!r} is not split by {', '.join(missing)} "
                f"(its levels: month, {', '.join(plan.header.levels)})"
            )
            if name is not None:
                raise PlanError(message)
            warnings.append(f"{message}: left out")
            continue
        rows += _additive_rows(engine, plan, day, tuple(by), warnings)
        rows += _level_rows(engine, plan, day, tuple(by), warnings)
    return ProgressReport(day, rows, warnings)


@dataclass(frozen=True)
class _Window:
    period: str
    first: date
    last: date  # the last day counted (as_of, or the period end when it is over)
    months: tuple[str, ...]  # plan months in the period

    @property
    def request_period(self) -> str:
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


def _windows(plan: Plan, day: date) -> list[_Window]:
    header = plan.header
    labels = header.month_labels()
    first_month = parse_month(labels[0])
    year_end = month_end(parse_month(labels[-1]))
    out: list[_Window] = []
    label = month_label(day)
    if label in labels:
        out.append(_Window(label, month_start(day), day, (label,)))
    if day >= first_month:
        out.append(_Window(str(header.year), first_month, min(day, year_end), tuple(labels)))
    return out


def _round(value: float | None, scale: int) -> float | None:
    if value is None:
        return None
    return round(value, 2) if scale == 100 else round(value, 4)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 6)


def _additive_rows(
    engine: KpiEngine, plan: Plan, day: date, by: tuple[str, ...], warnings: list[str]
) -> list[ProgressRow]:
    header = plan.header
    version = plan.in_force(day)
    scale = header.scale
    current = engine.catalog.version(header.kpi)
    if current != version.kpi_version:
        warnings.append(
            f"plan {plan.name}: the definition of {header.kpi} changed since version {version.version} was "
            f"made ({version.kpi_version} -> {current}); actuals use the current definition"
        )
    at = [header.levels.index(d) for d in by]
    markets = sorted({c.key[0] for c in version.cells})
    out: list[ProgressRow] = []
    for window in _windows(plan, day):
        targets: dict[tuple[str, ...], int] = defaultdict(int)
        expected: dict[tuple[str, ...], float] = defaultdict(float)
        owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for cell in version.cells:
            if cell.month not in window.months:
                continue
            group = tuple(cell.key[i] for i in at)
            targets[group] += cell.amount
            share = _elapsed(version.settings.daily.get(cell.key[0]), cell.month, window.last)
            expected[group] += cell.amount * share
            if "person" in header.levels:
                owners[group].add(cell.key[header.levels.index("person")])
        actuals = _actuals(engine, header.kpi, by, window, {"marketplace": tuple(markets)}, header.currency)
        for group in sorted(set(targets) | set(actuals)):
            target = targets.get(group)
            actual = actuals.get(group, 0.0 if target is not None else None)
            exp = expected.get(group, 0.0) / scale if group in targets else None
            tgt = target / scale if target is not None else None
            pace = _ratio(actual, exp)
            projected = None
            if actual is not None and exp and tgt is not None:
                projected = actual * tgt / exp
            out.append(
                ProgressRow(
                    plan=plan.name,
                    version=version.version,
                    kpi=header.kpi,
                    kind="additive",
                    scope=dict(zip(by, group, strict=True)),
                    period=window.period,
                    target=tgt,
                    comparator="=",
                    upper=None,
                    actual=_round(actual, scale),
                    expected_to_date=_round(exp, scale),
                    attainment=_ratio(actual, tgt),
                    pace=None if pace is None else round(pace - 1, 6),
                    projected=_round(projected, scale),
                    owner=_owner(plan, version, by, group, owners.get(group, set())),
                )
            )
    return out


def _elapsed(profile: DailyProfile | None, month: str, last: date) -> float:
    return elapsed_share(profile or DailyProfile(), parse_month(month), last)


def _owner(
    plan: Plan, version: PlanVersion, by: tuple[str, ...], group: tuple[str, ...], persons: set[str]
) -> str | None:
    values = dict(zip(by, group, strict=True))
    if "person" in values:
        return values["person"] or None
    named = {p for p in persons if p}
    if "sku" in values and len(named) == 1:
        return named.pop()
    if set(values) == {"marketplace"}:
        return version.settings.owners.get(values["marketplace"], plan.header.owner)
    return plan.header.owner


def _label(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "" if text.lower() == "nan" else text


def _actuals(
    engine: KpiEngine,
    kpi: str,
    by: tuple[str, ...],
    window: _Window,
    where: Mapping[str, tuple[str, ...]],
    currency: str,
) -> dict[tuple[str, ...], float]:
    if window.last < window.first:
        return {}
    result = engine.run(
        KpiRequest(kpis=(kpi,), by=by, period=window.request_period, where=dict(where), currency=currency)
    )
    out: dict[tuple[str, ...], float] = defaultdict(float)
    for row in result.rows:
        value = row.get(kpi)
        if value is None:
            continue
        out[tuple(_label(row.get(d)) for d in by)] += float(value)
    return dict(out)


# -- level targets ------------------------------------------------------------------------------------
def covers(target_scope: Mapping[str, str], scope: Mapping[str, str]) -> bool:
    """Does a target set on `target_scope` apply to `scope` (its own or a child's)? A region covers
    its marketplaces."""
    for key, value in target_scope.items():
        if key in scope:
            if scope[key] != value:
                return False
        elif key == "region" and "marketplace" in scope:
            found = MARKETPLACES.get(scope["marketplace"])
            if found is None or found.region.value != value:
                return False
        else:
            return False
    return True


def effective_target(
    targets: Sequence[LevelTarget], kpi: str, scope: Mapping[str, str]
) -> LevelTarget | None:
    """The most specific target of `kpi` that covers `scope` (a child inherits unless it has its own)."""
    found = [t for t in targets if t.kpi == kpi and covers(t.scope_map, scope)]
    if not found:
        return None
    return max(found, key=lambda t: (len(t.scope), t.period != t.period[:4], t.scope))


def level_attainment(target: LevelTarget, actual: float | None) -> float | None:
    """>= : actual / bound; <= : bound / actual; between: 1 inside, else the distance as a ratio."""
    if actual is None:
        return None
    if target.comparator == ">=":
        return _ratio(actual, target.value)
    if target.comparator == "<=":
        return _ratio(target.value, actual)
    upper = target.upper if target.upper is not None else target.value
    if target.value <= actual <= upper:
        return 1.0
    return _ratio(actual, target.value) if actual < target.value else _ratio(upper, actual)


def _level_rows(
    engine: KpiEngine, plan: Plan, day: date, by: tuple[str, ...], warnings: list[str]
) -> list[ProgressRow]:
    version = plan.in_force(day)
    header = plan.header
    if not version.level_targets:
        return []
    out: list[ProgressRow] = []
    markets = tuple(sorted({c.key[0] for c in version.cells}))
    at = [header.levels.index(d) for d in by]
    groups = sorted({tuple(c.key[i] for i in at) for c in version.cells})
    for window in _windows(plan, day):
        live = [t for t in version.level_targets if t.period in (str(header.year), window.period)]
        if window.period == str(header.year):
            live = [t for t in live if t.period == str(header.year)]
        if not live:
            continue
        kpis = tuple(sorted({t.kpi for t in live}))
        pairs: list[tuple[Mapping[str, str], LevelTarget]] = []
        if not by:
            pairs = [(dict(t.scope), t) for t in live]
        else:
            for group in groups:
                group_scope = dict(zip(by, group, strict=True))
                for kpi in kpis:
                    found = effective_target(live, kpi, group_scope)
                    if found is not None:
                        pairs.append((group_scope, found))
        values = _level_actuals(engine, kpis, by, window, pairs, markets, header.currency, warnings)
        for scope, t in pairs:
            actual = values.get((t.kpi, tuple(sorted(scope.items()))))
            out.append(
                ProgressRow(
                    plan=plan.name,
                    version=version.version,
                    kpi=t.kpi,
                    kind="level",
                    scope=dict(scope),
                    period=window.period,
                    target=t.value,
                    comparator=t.comparator,
                    upper=t.upper,
                    actual=None if actual is None else round(actual, 6),
                    expected_to_date=None,
                    attainment=level_attainment(t, actual),
                    pace=None,
                    projected=None,
                    owner=t.owner,
                )
            )
    return out


def _level_actuals(
    engine: KpiEngine,
    kpis: tuple[str, ...],
    by: tuple[str, ...],
    window: _Window,
    pairs: Sequence[tuple[Mapping[str, str], LevelTarget]],
    markets: tuple[str, ...],
    currency: str,
    warnings: list[str],
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """(kpi, scope) -> the KPI over the window: one query by `by`, or one per target scope."""
    out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    queries: list[tuple[tuple[tuple[str, str], ...] | None, tuple[str, ...], dict[str, tuple[str, ...]]]] = []
    if by:
        queries.append((None, kpis, {"marketplace": markets}))
    else:
        scopes: dict[tuple[tuple[str, str], ...], set[str]] = defaultdict(set)
        for scope, t in pairs:
            scopes[tuple(sorted(scope.items()))].add(t.kpi)
        for scope_items, names in sorted(scopes.items()):
            where: dict[str, tuple[str, ...]] = (
                {k: (v,) for k, v in scope_items} if scope_items else {"marketplace": markets}
            )
            queries.append((scope_items, tuple(sorted(names)), where))
    for fixed, wanted, where in queries:
        request_by = by if fixed is None else ()
        results = run_each(
            engine,
            [
                KpiRequest(
                    kpis=wanted, by=request_by, period=window.request_period, where=where, currency=currency
                )
            ],
            warnings,
            f"level targets for {window.period}",
        )
        for result in results:
            for w in result.warnings:
                if w not in warnings:
                    warnings.append(w)
            for row in result.rows:
                key = fixed if fixed is not None else tuple(sorted((d, _label(row.get(d))) for d in by))
                for kpi in result.kpis:
                    value = row.get(kpi)
                    if value is not None:
                        out[(kpi, key)] = float(value)
    return out


def run_each(
    engine: KpiEngine, requests: Sequence[KpiRequest], warnings: list[str], what: str
) -> list[KpiResult]:
    """Run requests; one KPI that cannot be computed must not take the others down with it. A user
    error (QueryError) becomes a warning; an unexpected failure of a several-KPI request is retried one
    KPI at a time, and a KPI that still fails is reported as a warning with its error."""
    results: list[KpiResult] = []
    for request in requests:
        try:
            results.append(engine.run(request))
            continue
        except QueryError as exc:
            warnings.append(f"{what}: {exc}")
            continue
        except Exception as exc:
            if len(request.kpis) == 1:
                warnings.append(
                    f"{what}: {request.kpis[0]} could not be computed ({type(exc).__name__}: {exc})"
                )
                continue
        singles = [
            KpiRequest(
                kpis=(k,),
                by=request.by,
                period=request.period,
                where=request.where,
                currency=request.currency,
            )
            for k in request.kpis
        ]
        results += run_each(engine, singles, warnings, what)
    return results
