"""SMART checks on a plan: targets that are not Specific, Measurable, Achievable, Relevant, Time-bound
enough to manage by.

- Achievable: a month's planned growth over the same month a year earlier above the seller's own 90th
  percentile of monthly year-on-year growth in the two years before the plan (or above a cap: the
  article's "don't copy a big seller's KPIs").
- Owned: every target has an owner (the plan's, a marketplace's, a SKU's in the product table).
- Measurable: every target has a data source (the reports that feed its KPI have rows for its scope),
  and its KPI has data for its scope.
- Consistent: level targets that contradict each other (a TACoS target below what the ACoS and
  organic-share targets imply; ACoS and ROAS targets that ask different things).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tradewind.core.errors import QueryError
from tradewind.engine import KpiEngine, KpiRequest
from tradewind.plan.amounts import format_minor
from tradewind.plan.calendar import add_months, month_end, month_label, month_start, parse_month
from tradewind.plan.model import LevelTarget, Plan, PlanVersion
from tradewind.plan.progress import default_as_of, effective_target, run_each
from tradewind.plan.store import PlanStore

if TYPE_CHECKING:
    from tradewind.app import Workspace

GROWTH_MONTHS = 24
#: Fewer year-on-year observations than this and the percentile is not trusted; the cap still applies.
MIN_GROWTH_POINTS = 6
NO_DATA_MONTHS = 3
RATIO_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Finding:
    severity: str  # "warning" | "info"
    check: str  # "growth" | "owner" | "data_source" | "no_data" | "contradiction"
    target: str
    message: str


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile with linear interpolation between closest ranks (numpy's default): the value at
    position q·(n−1) of the sorted values."""
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def check_plan(
    ws: Workspace,
    name: str,
    *,
    growth_cap: float | None = None,
    version: int | None = None,
    today: date | None = None,
) -> list[Finding]:
    store = PlanStore(ws.app.engine)
    plan = store.load(name)
    chosen = plan.version(version) if version is not None else plan.latest
    engine = ws.engine(today=today)
    cap = growth_cap if growth_cap is not None else chosen.settings.growth_cap
    findings: list[Finding] = []
    findings += _growth(engine, plan, chosen, cap, today or date.today())
    findings += _owners(plan, chosen)
    findings += _sources(plan, chosen)
    findings += _no_data(ws, engine, plan, chosen, today)
    findings += _contradictions(plan, chosen)
    return findings


# -- achievable ---------------------------------------------------------------------------------------
def _growth(engine: KpiEngine, plan: Plan, v: PlanVersion, cap: float, today: date) -> list[Finding]:
    header = plan.header
    labels = header.month_labels()
    first = parse_month(labels[0])
    end = min(first, today.replace(day=1)) - timedelta(days=1)
    start = add_months(first, -12 - GROWTH_MONTHS)
    if end < start:
        return []
    result = engine.run(
        KpiRequest(
            kpis=(header.kpi,),
            by=("month", "marketplace"),
            period=f"{start}..{end}",
            currency=header.currency,
        )
    )
    actual: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in result.rows:
        value = row.get(header.kpi)
        if value is None or row.get("marketplace") is None:
            continue
        actual[str(row["marketplace"])][str(row["period"])] += float(value)
        actual[""][str(row["period"])] += float(value)
    target: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for cell in v.cells:
        target[cell.key[0]][cell.month] += cell.amount
        target[""][cell.month] += cell.amount
    findings: list[Finding] = []
    window = [month_label(add_months(end, -k)) for k in range(GROWTH_MONTHS)]
    scopes = sorted(target)
    if len(scopes) == 2:  # one marketplace: the company is the marketplace, said once
        scopes = [s for s in scopes if s]
    for scope in scopes:
        series = actual.get(scope, {})
        points = []
        for month in window:
            before = month_label(add_months(parse_month(month), -12))
            if series.get(before, 0) > 0 and month in series:
                points.append(series[month] / series[before] - 1)
        p90 = percentile(points, 0.9) if len(points) >= MIN_GROWTH_POINTS else None
        limit = min(cap, p90) if p90 is not None else cap
        over = []
        for month in labels:
            before = month_label(add_months(parse_month(month), -12))
            base = series.get(before, 0.0)
            if base <= 0:
                continue
            growth = target[scope].get(month, 0) / header.scale / base - 1
            if growth > limit + RATIO_TOLERANCE:
                over.append(f"{month} {growth:+.0%}")
        if not over:
            continue
        where = scope or "company"
        if p90 is not None and p90 < cap:
            why = f"above the seller's own 90th-percentile monthly growth of {p90:+.0%} (YoY, the {len(points)} months before the plan)"
        else:
            why = f"above the growth cap of {cap:+.0%}"
        findings.append(
            Finding(
                "warning",
                "growth",
                f"{header.kpi} {where}",
                f"{len(over)} month{'s' if len(over) != 1 else ''} plan growth {why}: {', '.join(over)}",
            )
        )
    return findings


# -- owned --------------------------------------------------------------------------------------------
def _owners(plan: Plan, v: PlanVersion) -> list[Finding]:
    header = plan.header
    findings: list[Finding] = []
    markets = sorted({c.key[0] for c in v.cells})
    unowned = [m for m in markets if not (v.settings.owners.get(m) or header.owner)]
    if unowned:
        findings.append(
            Finding(
                "warning",
                "owner",
                f"{header.kpi} {', '.join(unowned)}",
                "no owner: give the plan one (--owner) or each marketplace one (--owners DE=NAME)",
            )
        )
    if "person" in header.levels:
        at = header.levels.index("person")
        sku_at = header.levels.index("sku") if "sku" in header.levels else None
        missing: dict[str, int] = defaultdict(int)
        for c in v.cells:
            if not c.key[at]:
                what = f"{c.key[sku_at]} ({c.key[0]})" if sku_at is not None else c.key[0]
                missing[what] += c.amount
        if missing:
            names = sorted(missing, key=lambda k: -missing[k])
            shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
            findings.append(
                Finding(
                    "warning",
                    "owner",
                    f"{header.kpi} SKU targets",
                    f"{len(names)} SKU target{'s have' if len(names) != 1 else ' has'} no owner (the product "
                    f"table has none): {shown}; set owners in the product table and revise the plan",
                )
            )
    for t in v.level_targets:
        if not t.owner:
            findings.append(Finding("warning", "owner", t.describe(), "no owner"))
    return findings


# -- measurable ---------------------------------------------------------------------------------------
def _sources(plan: Plan, v: PlanVersion) -> list[Finding]:
    findings = []
    if not v.data_source:
        findings.append(
            Finding(
                "warning",
                "data_source",
                f"{plan.header.kpi} (the plan)",
                f"no data source: no report that feeds {plan.header.kpi} has been imported for the plan's "
                "marketplaces",
            )
        )
    for t in v.level_targets:
        if not t.data_source:
            findings.append(
                Finding(
                    "warning",
                    "data_source",
                    t.describe(),
                    f"no data source: the reports that feed {t.kpi} have no rows for this scope; import them",
                )
            )
    return findings


def _no_data(
    ws: Workspace, engine: KpiEngine, plan: Plan, v: PlanVersion, today: date | None
) -> list[Finding]:
    header = plan.header
    findings: list[Finding] = []
    # the last three whole months with data: monthly reports (Business Reports) count only whole
    day = default_as_of(ws, today)
    last = day if day == month_end(day) else month_start(day) - timedelta(days=1)
    first = add_months(month_start(last), 1 - NO_DATA_MONTHS)
    period = f"{first}..{last}"
    markets = sorted({c.key[0] for c in v.cells})
    by = ("marketplace", "sku") if "sku" in header.levels else ("marketplace",)
    try:
        result = engine.run(
            KpiRequest(
                kpis=(header.kpi,),
                by=by,
                period=period,
                where={"marketplace": tuple(markets)},
                currency=header.currency,
            )
        )
        seen_markets = {str(r["marketplace"]) for r in result.rows if r.get(header.kpi)}
        seen_skus = {(str(r["marketplace"]), str(r.get("sku"))) for r in result.rows if r.get(header.kpi)}
    except QueryError as exc:
        return [Finding("warning", "no_data", header.kpi, str(exc))]
    planned: dict[str, int] = defaultdict(int)
    for c in v.cells:
        planned[c.key[0]] += c.amount
    for m in markets:
        if m not in seen_markets and planned[m] > 0:
            findings.append(
                Finding(
                    "info",
                    "no_data",
                    f"{header.kpi} {m}",
                    f"{m} has no {header.kpi} in {period}: its target of {format_minor(planned[m], header.scale)} "
                    "rests on a share given by hand, with nothing yet to measure it against",
                )
            )
    if "sku" in header.levels:
        at = header.levels.index("sku")
        new = sorted({(c.key[0], c.key[at]) for c in v.cells if c.amount > 0} - seen_skus)
        new = [x for x in new if x[0] in seen_markets]
        if new:
            shown = ", ".join(f"{s} ({m})" for m, s in new[:10]) + (
                f" and {len(new) - 10} more" if len(new) > 10 else ""
            )
            findings.append(
                Finding(
                    "info",
                    "no_data",
                    f"{header.kpi} SKU targets",
                    f"{len(new)} SKU target(s) with no sales in {period}: {shown}",
                )
            )
    for t in v.level_targets:
        where: dict[str, tuple[str, ...]] = {k: (val,) for k, val in t.scope} or {
            "marketplace": tuple(markets)
        }
        problems: list[str] = []
        found = run_each(
            engine,
            [KpiRequest(kpis=(t.kpi,), period=period, where=where, currency=header.currency)],
            problems,
            t.kpi,
        )
        if not found:
            findings.append(Finding("warning", "no_data", t.describe(), "; ".join(problems)))
            continue
        row = found[0].rows[0] if found[0].rows else {}
        if row.get(t.kpi) is None:
            reasons = row.get("_null_reasons") or {}
            reason = reasons.get(t.kpi) if isinstance(reasons, Mapping) else None
            findings.append(
                Finding(
                    "warning",
                    "no_data",
                    t.describe(),
                    f"{t.kpi} has no data for this scope in {period}" + (f" ({reason})" if reason else ""),
                )
            )
    return findings


# -- consistent ---------------------------------------------------------------------------------------
def _contradictions(plan: Plan, v: PlanVersion) -> list[Finding]:
    targets = list(v.level_targets)
    if not targets:
        return []
    markets = sorted({c.key[0] for c in v.cells})
    scopes: list[dict[str, str]] = [{}] + [{"marketplace": m} for m in markets]
    scopes += [t.scope_map for t in targets if t.scope_map not in scopes]
    findings: list[Finding] = []
    for scope in scopes:
        where = ", ".join(f"{k}={val}" for k, val in sorted(scope.items())) or "company"

        def get(kpi: str, scope: Mapping[str, str] = scope) -> LevelTarget | None:
            return effective_target(targets, kpi, scope)

        acos, organic, tacos, roas = get("acos"), get("organic_share"), get("tacos"), get("roas")
        if (
            acos
            and organic
            and tacos
            and acos.comparator == "<="
            and organic.comparator == ">="
            and tacos.comparator == "<="
        ):
            implied = acos.value * (1 - organic.value)
            if tacos.value < implied - RATIO_TOLERANCE:
                need_organic = 1 - tacos.value / acos.value if acos.value else 1.0
                need_acos = tacos.value / (1 - organic.value) if organic.value < 1 else 0.0
                findings.append(
                    Finding(
                        "warning",
                        "contradiction",
                        f"tacos, acos, organic_share ({where})",
                        f"tacos <= {tacos.value:.1%} is below what acos <= {acos.value:.1%} and organic share "
                        f">= {organic.value:.1%} imply ({implied:.1%} = acos x (1 - organic share)): meeting "
                        f"it needs an organic share of {need_organic:.1%} or an acos of {need_acos:.1%}",
                    )
                )
        if acos and roas and acos.comparator == "<=" and roas.comparator == ">=" and acos.value > 0:
            implied_roas = 1 / acos.value
            if abs(implied_roas - roas.value) > 1e-6 * max(1.0, roas.value):
                findings.append(
                    Finding(
                        "info",
                        "contradiction",
                        f"acos, roas ({where})",
                        f"acos <= {acos.value:.1%} means roas >= {implied_roas:.3g}, but the roas target is "
                        f">= {roas.value:g}: the {'roas' if roas.value > implied_roas else 'acos'} target is "
                        "the one that binds; set one of them",
                    )
                )
    # the same finding from a scope and a child that only inherits it is one finding
    unique: dict[tuple[str, str], Finding] = {}
    for f in findings:
        unique.setdefault((f.check, f.message), f)
    return list(unique.values())
