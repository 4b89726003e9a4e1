"""Making and changing plans: create (decompose a yearly total), revise (a new version with holds, sets,
a new total or level targets), apply a market profile. Every change is a new version; nothing is edited
in place, and each version records who, when, why and the difference from the one before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from tradewind.catalog import Catalog, DerivedKpi, SimpleKpi, Unit
from tradewind.catalog.expressions import parse
from tradewind.core.marketplaces import MARKETPLACES
from tradewind.plan.amounts import PlanError, format_minor, largest_remainder, scale_for, to_minor
from tradewind.plan.calendar import month_end, month_label, parse_month, plan_months
from tradewind.plan.daily import learn_profile
from tradewind.plan.diff import diff, is_empty
from tradewind.plan.events import EventCalendar, load_events
from tradewind.plan.history import History, read_history
from tradewind.plan.model import (
    DIM_LEVELS,
    Cell,
    DailyProfile,
    LevelTarget,
    Plan,
    PlanHeader,
    PlanSettings,
    PlanVersion,
    scope_key,
)
from tradewind.plan.parsing import CellSet, LevelSpec
from tradewind.plan.profiles import profile as load_profile
from tradewind.plan.reference import Products, account_for, data_source, read_products
from tradewind.plan.seasonality import Seasonality, learn
from tradewind.plan.store import PlanStore, now
from tradewind.plan.tree import Path, Tree, label, node_sums, spread
from tradewind.plan.weights import WeightInputs, abc_tiers, cell_weights

if TYPE_CHECKING:
    from tradewind.app import Workspace

NAME = re.compile(r"^[\w][\w .\-]{0,99}$")


# -- KPIs a plan can split ----------------------------------------------------------------------------
def kpi_kind(catalog: Catalog, kpi_id: str) -> str:
    """'additive' when children sum to their parent (gmv, units, orders, net_sales, ad_spend...), else
    'level' (ratios, levels, point-in-time values, growth)."""
    kpi = catalog.kpi(kpi_id)
    if kpi is None:
        close = [k for k in catalog.ids() if kpi_id in k][:5]
        hint = f"; did you mean {', '.join(close)}?" if close else "; 'tradewind catalog list' shows the KPIs"
        raise PlanError(f"unknown KPI {kpi_id!r}{hint}")
    if kpi.unit not in (Unit.MONEY, Unit.COUNT):
        return "level"
    if isinstance(kpi, SimpleKpi):
        measure = catalog.measures.get(kpi.measure if isinstance(kpi.measure, str) else kpi_id)
        if measure is None or measure.snapshot is not None or measure.window is not None:
            return "level"
        return "additive" if measure.agg.value in ("sum", "count", "count_distinct") else "level"
    if isinstance(kpi, DerivedKpi):
        text = kpi.formula
        if any(op in text for op in ("*", "/", "(")):
            return "level"
        names = parse(text).names()
        ok = all(
            (n in catalog.kpis and kpi_kind(catalog, n) == "additive")
            or (
                n in catalog.measures
                and n not in catalog.kpis
                and catalog.measures[n].agg.value in ("sum", "count")
            )
            for n in names
        )
        return "additive" if ok else "level"
    return "level"


# -- requests -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CreateRequest:
    name: str
    year: int
    total: Decimal
    kpi: str = "gmv"
    levels: tuple[str, ...] = DIM_LEVELS
    growth: Mapping[str, Fraction] = field(default_factory=dict)
    shares: Mapping[Path, Fraction] = field(default_factory=dict)
    sets: Sequence[CellSet] = ()
    owner: str | None = None
    owners: Mapping[str, str] = field(default_factory=dict)
    growth_cap: float = 1.0
    reason: str = "first version"


@dataclass(frozen=True)
class ReviseRequest:
    reason: str
    from_month: str | None = None
    total: Decimal | None = None
    sets: Sequence[CellSet] = ()
    holds: Sequence[tuple[str | None, Path]] = ()
    releases: Sequence[tuple[str | None, Path]] = ()
    levels: Sequence[LevelSpec] = ()
    drop_levels: Sequence[str] = ()
    owner: str | None = None
    owners: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """A plan after a change, the version the change made, and what the planner should read."""

    plan: Plan
    version: PlanVersion
    notes: list[str] = field(default_factory=list)


# -- create -------------------------------------------------------------------------------------------
def create_plan(ws: Workspace, req: CreateRequest, *, actor: str, today: date | None = None) -> Outcome:
    store = PlanStore(ws.app.engine)
    name = req.name.strip()
    if not NAME.match(name):
        raise PlanError(f"plan name {req.name!r}: use letters, digits, spaces, '.', '_' or '-' (up to 100)")
    if store.exists(name):
        raise PlanError(
            f"a plan named {name!r} already exists; revise it with 'tradewind plan revise {name}'"
        )
    if not 2000 <= req.year <= 2100:
        raise PlanError(f"--year {req.year} is not a plan year")
    today = today or date.today()
    engine = ws.engine(today=today)
    catalog = engine.catalog
    kind = kpi_kind(catalog, req.kpi)
    if kind != "additive":
        raise PlanError(
            f"{req.kpi} is a level KPI (a ratio or a level), which does not split into parts: set it as a "
            f"level target with 'tradewind plan revise PLAN --level \"{req.kpi}>=...\"' or a market profile"
        )
    unit = catalog.kpis[req.kpi].unit.value
    scale = scale_for(unit)
    total = to_minor(req.total, scale, what="--total")
    if total <= 0:
        raise PlanError("--total must be more than 0")
    levels = req.levels
    start_month = ws.config.fiscal_year_start_month
    months = plan_months(req.year, start_month)
    currency = ws.config.reporting_currency
    history = read_history(
        engine, req.kpi, levels=levels, before=months[0], today=today, currency=currency, scale=scale
    )
    products = read_products(ws)
    calendar = load_events(ws.folder)
    for path in req.shares:
        if path[0] not in MARKETPLACES:
            raise PlanError(f"share for {'/'.join(path)}: {path[0]!r} is not a marketplace code")
    hist_markets = sorted({p[0] for p in history.paths})
    markets = sorted(set(hist_markets) | {p[0] for p in req.shares})
    _check_growth_keys(req.growth, markets, history, levels)
    borrow: dict[str, str] = {}
    for market in markets:
        if market in hist_markets or len(levels) == 1:
            continue
        if any(p[0] == market and len(p) > 1 for p in req.shares):
            continue
        source = _borrow_source(market, hist_markets, history)
        if source is None:
            raise PlanError(
                f"{market} has no history and no other marketplace has any: give its channels and SKUs "
                f"shares (--share {market}/CHANNEL=1,...)"
            )
        borrow[market] = source
    seasons: dict[str, Seasonality] = {
        m: learn(m, history.daily.get(m, {}), history.last, calendar, req.year, start_month) for m in markets
    }
    notes: list[str] = [_history_note(history)]
    notes += [s.note for m, s in sorted(seasons.items()) if s.note]
    daily: dict[str, DailyProfile] = {}
    for m in markets:
        profile, more = learn_profile(
            m, history.daily.get(m, {}), history.last, calendar, req.year, start_month
        )
        daily[m] = profile
        notes += more
    notes += _event_notes(calendar, markets, months)
    tiers = abc_tiers(history.sku_totals) if "sku" in levels else {}
    launches = _launches(req.shares, levels, products, history, months, tiers, notes)

    def owner_of(market: str, channel: str, sku: str) -> str:
        return products.owner(account_for(ws, history.accounts, market, channel), sku)

    weights, more = cell_weights(
        WeightInputs(
            months=months,
            levels=levels,
            history=history.paths,
            growth=req.growth,
            shares=req.shares,
            seasonality=seasons,
            tiers=tiers,
            launches=launches,
            borrow=borrow,
            owner_of=owner_of,
        )
    )
    notes += more
    tree = Tree(weights, 1 + len(levels))
    first, spread_notes = spread(tree, total, {}, scale)
    labels = [month_label(m) for m in months]
    amounts = first
    set_leaves: set[Path] = set()
    set_notes: list[str] = []
    if req.sets:
        amounts, set_leaves, set_notes = apply_sets(
            tree, first, total, req.sets, {}, labels, set(labels), scale
        )
    notes += spread_notes + set_notes
    cells = tuple(
        Cell(path[0], path[1:], amount, path in set_leaves) for path, amount in sorted(amounts.items())
    )
    source, _missing = data_source(ws, catalog, req.kpi, markets)
    settings = PlanSettings(
        history_first=history.share_first,
        history_last=history.last,
        growth={k: float(v) for k, v in req.growth.items()},
        shares={"/".join(k): float(v) for k, v in req.shares.items()},
        owners=dict(req.owners),
        tiers=tiers,
        curves={m: s.source for m, s in seasons.items()},
        daily=daily,
        growth_cap=req.growth_cap,
        notes=tuple(dict.fromkeys(n for n in notes if n)),
    )
    created = now()
    header = PlanHeader(
        name=name,
        kpi=req.kpi,
        year=req.year,
        currency=currency,
        unit=unit,
        scale=scale,
        levels=levels,
        owner=req.owner,
        status="active",
        created_at=created,
        created_by=actor,
        start_month=start_month,
    )
    version = PlanVersion(
        plan=name,
        version=1,
        created_at=created,
        created_by=actor,
        reason=req.reason,
        effective_from=months[0],
        kpi_version=catalog.version(req.kpi),
        total=total,
        data_source=source,
        settings=settings,
        cells=cells,
    )
    store.create(header, version)
    ws.app.audit(actor, "plan.create", name, f"{req.kpi} {req.year}: {format_minor(total, scale)} {currency}")
    return Outcome(store.load(name), version, list(settings.notes))


def _event_notes(calendar: EventCalendar, markets: Sequence[str], months: Sequence[date]) -> list[str]:
    """One note per event the plan year places by rule, not by announced dates (Prime Day)."""
    notes: list[str] = []
    seen: set[str] = set()
    last = month_end(months[-1])
    for market in markets:
        for occ in calendar.between(months[0], last, market):
            if occ.estimated and occ.event not in seen and months[0] <= occ.start <= last:
                seen.add(occ.event)
                notes.append(
                    f"{occ.name} {occ.start.year}: placed on {occ.start}..{occ.end}. {occ.note or ''}".strip()
                )
    return notes


def _launches(
    shares: Mapping[Path, Fraction],
    levels: Sequence[str],
    products: Products,
    history: History,
    months: Sequence[date],
    tiers: dict[str, str],
    notes: list[str],
) -> dict[str, date]:
    """New SKUs (given a share by hand): each must be in the product table, takes tier 'new', and has no
    target before the month it launches in (the product table's launch date)."""
    launches: dict[str, date] = {}
    if "sku" not in levels:
        return launches
    at = list(levels).index("sku")
    for path in shares:
        if len(path) <= at:
            continue
        sku = path[at]
        if sku not in products.skus and sku not in history.sku_totals:
            raise PlanError(
                f"share for {'/'.join(path)}: SKU {sku!r} is not in the product table; import it "
                "(tradewind template products) before planning it"
            )
        tiers.setdefault(sku, "new")
        launch = products.launch(sku)
        if launch is None or launch < months[1]:  # on sale from the plan's first month
            continue
        launches[sku] = launch.replace(day=1)
        if launch <= month_end(months[-1]):
            notes.append(f"{sku} launches on {launch}: it has no target before {month_label(launch)}")
        else:
            notes.append(f"{sku} launches on {launch}, after the plan year: it has no target in it")
    return launches


def _history_note(history: History) -> str:
    if history.last is None:
        return "no history of this KPI before the plan: every share was given by hand"
    first = min((min(d) for d in history.daily.values() if d), default=history.last)
    return (
        f"history read: {first}..{history.last}; marketplace, channel and SKU shares from "
        f"{history.share_first}..{history.last}"
    )


def _check_growth_keys(
    growth: Mapping[str, Fraction], markets: Sequence[str], history: History, levels: Sequence[str]
) -> None:
    channels: set[str] = set()
    if "channel" in levels:
        at = list(levels).index("channel")
        channels = {p[at] for p in history.paths}
    allowed = set(markets) | channels | ({"A", "B", "C"} if "sku" in levels else set())
    for key in growth:
        if key not in allowed:
            raise PlanError(
                f"--growth {key}: not a marketplace, channel or ABC tier of this plan "
                f"(known: {', '.join(sorted(allowed))})"
            )


def _borrow_source(market: str, hist_markets: Sequence[str], history: History) -> str | None:
    if not hist_markets:
        return None
    size = {m: sum(a for p, a in history.paths.items() if p[0] == m) for m in hist_markets}
    region = MARKETPLACES[market].region if market in MARKETPLACES else None
    same = [m for m in hist_markets if m in MARKETPLACES and MARKETPLACES[m].region == region]
    pool = same or list(hist_markets)
    return max(pool, key=lambda m: (size[m], m))


# -- holds and sets -----------------------------------------------------------------------------------
def apply_sets(
    tree: Tree,
    current: Mapping[Path, int],
    total: int,
    sets: Sequence[CellSet],
    holds: Mapping[Path, int],
    months: Sequence[str],
    open_months: set[str],
    scale: int,
) -> tuple[dict[Path, int], set[Path], list[str]]:
    """Spread `total` with `holds`, and with each set cell at its amount while its parent keeps its
    current amount (the rest of the parent is re-spread around the set cell). A set without a month is
    the amount over the open months, split by the cell's current months; `*` sets every open month."""
    sums = node_sums(current, tree.depth)
    set_nodes: dict[Path, int] = {}
    for s in sets:
        amount = to_minor(s.amount, scale, what=f"--set {s.text}")
        nodes: dict[Path, int] = {}
        if s.month is None:
            targets = [m for m in months if m in open_months and tree.has((m, *s.path))]
            if not targets:
                raise PlanError(
                    f"--set {s.text}: the plan has no {label(s.path)} in the months it may change"
                )
            fixed = sum(sums.get((m, *s.path), 0) for m in months if m not in open_months)
            if amount < fixed:
                raise PlanError(
                    f"--set {s.text}: the months before the revision already hold {format_minor(fixed, scale)}"
                )
            pattern = [Fraction(sums.get((m, *s.path), 0)) for m in targets]
            if sum(pattern) == 0:
                pattern = [tree.weight_under((m, *s.path)) for m in targets]
            if sum(pattern) == 0:
                pattern = [Fraction(1)] * len(targets)
            nodes = {
                (m, *s.path): part
                for m, part in zip(targets, largest_remainder(amount - fixed, pattern), strict=True)
            }
        elif s.month == "*":
            nodes = {(m, *s.path): amount for m in months if m in open_months and tree.has((m, *s.path))}
            if not nodes:
                raise PlanError(
                    f"--set {s.text}: the plan has no {label(s.path)} in the months it may change"
                )
        else:
            if s.month not in months:
                raise PlanError(
                    f"--set {s.text}: {s.month} is not a month of this plan ({months[0]}..{months[-1]})"
                )
            if s.month not in open_months:
                raise PlanError(f"--set {s.text}: {s.month} is before the month this revision starts from")
            node = (s.month, *s.path)
            if not tree.has(node):
                raise PlanError(f"--set {s.text}: the plan has no cell {label(node)}")
            nodes = {node: amount}
        for node, value in nodes.items():
            if node in set_nodes and set_nodes[node] != value:
                raise PlanError(f"{label(node)} is set twice, to different amounts")
            set_nodes[node] = value
    all_holds = dict(holds)
    all_holds.update(set_nodes)
    for node in set_nodes:
        # The nearest ancestor with something free beside the set cell keeps its amount, so the set
        # cell's change is taken from (or given to) its siblings; with no sibling to absorb it, the
        # change goes up a level (a marketplace alone in its month moves the month).
        child, parent = node, node[:-1]
        while parent:
            if parent in all_holds:
                break
            siblings = [(*parent, c) for c in tree.children[parent] if (*parent, c) != child]
            if any(s not in all_holds for s in siblings):
                all_holds[parent] = sums.get(parent, 0)
                break
            child, parent = parent, parent[:-1]
    amounts, notes = spread(tree, total, all_holds, scale)
    set_leaves = {leaf for node in set_nodes for leaf in tree.leaves_under(node)}
    return amounts, set_leaves, notes


def resolve_nodes(tree: Tree, month: str | None, path: Path, months: Sequence[str], what: str) -> list[Path]:
    """The nodes `month/path` names: one month, every month (`*` or none), in the tree."""
    chosen = months if month in (None, "*") else [month]
    nodes = [(m, *path) for m in chosen if tree.has((m, *path))]
    if not nodes:
        raise PlanError(f"{what}: the plan has no cell {label(((month or '*'), *path))}")
    return nodes


# -- revise -------------------------------------------------------------------------------------------
def revise_plan(ws: Workspace, name: str, req: ReviseRequest, *, actor: str) -> Outcome:
    store = PlanStore(ws.app.engine)
    plan = store.load(name)
    header, base = plan.header, plan.latest
    if not req.reason.strip():
        raise PlanError('say why the plan changes: --reason "peak season"')
    labels = [month_label(m) for m in header_months(header)]
    start = _from_month(req.from_month, labels)
    open_months = {m for m in labels if m >= month_label(start)}
    current = {c.path: c.amount for c in base.cells}
    held = {c.path for c in base.cells if c.held}
    tree = Tree({p: Fraction(a) for p, a in current.items()}, 1 + len(header.levels))
    sums = node_sums(current, tree.depth)
    holds: dict[Path, int] = {
        (m,): sums.get((m,), 0) for m in labels if m not in open_months and tree.has((m,))
    }
    for month, path in req.releases:
        for node in resolve_nodes(tree, month, path, labels, "--release"):
            held -= set(tree.leaves_under(node))
    for month, path in req.holds:
        for node in resolve_nodes(tree, month, path, labels, "--hold"):
            held |= set(tree.leaves_under(node))
    for leaf in held:
        holds[leaf] = current[leaf]
    total = to_minor(req.total, header.scale, what="--total") if req.total is not None else base.total
    amounts, set_leaves, notes = apply_sets(
        tree, current, total, req.sets, holds, labels, open_months, header.scale
    )
    held |= set_leaves
    cells = tuple(Cell(p[0], p[1:], amounts[p], p in held) for p in sorted(amounts))
    catalog = ws.catalog()
    targets = edit_levels(ws, catalog, header, base, req.levels, req.drop_levels)
    owners = {**base.settings.owners, **req.owners}
    settings = base.settings.model_copy(update={"owners": owners})
    outcome = save_version(
        ws,
        plan,
        cells,
        targets,
        reason=req.reason,
        effective_from=start,
        actor=actor,
        settings=settings,
        total=total,
        owner=req.owner,
        action="plan.revise",
    )
    return Outcome(outcome.plan, outcome.version, notes)


def header_months(header: PlanHeader) -> list[date]:
    return plan_months(header.year, header.start_month)


def _from_month(text: str | None, labels: Sequence[str]) -> date:
    if text is None:
        return parse_month(labels[0])
    try:
        start = parse_month(text)
    except ValueError as exc:
        raise PlanError(f"--from {text!r}: {exc}") from None
    if month_label(start) not in labels:
        raise PlanError(f"--from {text}: not a month of this plan ({labels[0]}..{labels[-1]})")
    return start


def save_version(
    ws: Workspace,
    plan: Plan,
    cells: Iterable[Cell],
    targets: Iterable[LevelTarget],
    *,
    reason: str,
    effective_from: date,
    actor: str,
    settings: PlanSettings | None = None,
    total: int | None = None,
    owner: str | None = None,
    action: str,
) -> Outcome:
    """Write the next version if it changes anything; the diff against the latest goes with it."""
    store = PlanStore(ws.app.engine)
    header, base = plan.header, plan.latest
    cells = tuple(cells)
    targets = tuple(sorted(targets, key=lambda t: t.ident))
    changes = diff(base.cells, cells, base.level_targets, targets)
    owner_changed = owner is not None and owner != header.owner
    settings = settings or base.settings
    if is_empty(changes) and not owner_changed and settings == base.settings:
        raise PlanError(f"this changes nothing in plan {plan.name!r}: no new version was made")
    if owner_changed:
        changes["owner"] = [header.owner, owner]
    sum_cells = sum(c.amount for c in cells)
    if total is not None and total != sum_cells:
        raise PlanError(f"internal: cells add up to {sum_cells}, not the total {total}")
    catalog_version = ws.catalog().version(header.kpi)
    version = PlanVersion(
        plan=plan.name,
        version=base.version + 1,
        created_at=now(),
        created_by=actor,
        reason=reason.strip(),
        effective_from=effective_from,
        kpi_version=catalog_version,
        total=sum_cells,
        data_source=base.data_source,
        settings=settings,
        cells=cells,
        level_targets=targets,
        diff=changes,
    )
    store.add_version(header, version)
    if owner_changed:
        store.set_owner(plan.name, owner)
    total_change = changes["total"]
    detail = f"v{version.version} from {effective_from}: {reason.strip()}"
    if total_change[0] != total_change[1]:
        detail += f" (total {format_minor(total_change[0], header.scale)} -> {format_minor(total_change[1], header.scale)})"
    ws.app.audit(actor, action, plan.name, detail)
    return Outcome(store.load(plan.name), version)


# -- level targets ------------------------------------------------------------------------------------
def make_level_target(
    ws: Workspace,
    catalog: Catalog,
    header: PlanHeader,
    settings: PlanSettings,
    kpi: str,
    comparator: str,
    value: float,
    upper: float | None,
    scope: Mapping[str, str],
    period: str | None,
    gate: bool = False,
) -> LevelTarget:
    if catalog.kpi(kpi) is None:
        kpi_kind(catalog, kpi)  # raises with suggestions
    labels = [month_label(m) for m in header_months(header)]
    chosen = period or str(header.year)
    if chosen != str(header.year) and chosen not in labels:
        raise PlanError(f"level target period {chosen}: use the plan year {header.year} or one of its months")
    for key, val in scope.items():
        if key == "marketplace" and val not in MARKETPLACES:
            raise PlanError(f"level target scope marketplace={val}: not a marketplace code")
    market = scope.get("marketplace")
    source, _ = data_source(ws, catalog, kpi, [market] if market else None)
    owner = settings.owners.get(market, header.owner) if market else header.owner
    return LevelTarget(
        kpi=kpi,
        kpi_version=catalog.version(kpi),
        scope=scope_key(scope),
        period=chosen,
        comparator=comparator,
        value=value,
        upper=upper,
        owner=owner,
        data_source=source,
        gate=gate,
    )


def edit_levels(
    ws: Workspace,
    catalog: Catalog,
    header: PlanHeader,
    base: PlanVersion,
    add: Sequence[LevelSpec],
    drop: Sequence[str],
) -> list[LevelTarget]:
    targets = {t.ident: t for t in base.level_targets}
    for text in drop:
        kpi, _, where = text.partition("@")
        scope = scope_key(dict(p.split("=", 1) for p in where.split(",") if "=" in p)) if where else None
        gone = [k for k in targets if k[0] == kpi.strip() and (scope is None or k[1] == scope)]
        if not gone:
            raise PlanError(f"--drop-level {text}: the plan has no such level target")
        for k in gone:
            del targets[k]
    for spec in add:
        t = make_level_target(
            ws,
            catalog,
            header,
            base.settings,
            spec.kpi,
            spec.comparator,
            spec.value,
            spec.upper,
            spec.scope,
            spec.period,
        )
        targets[t.ident] = t
    return list(targets.values())


def apply_profile(
    ws: Workspace,
    name: str,
    profile_name: str,
    *,
    actor: str,
    marketplaces: Sequence[str] | None = None,
    reason: str | None = None,
    from_month: str | None = None,
) -> tuple[Outcome, list[str]]:
    """Add the profile's level targets to the plan as a new version; returns the KPIs skipped."""
    store = PlanStore(ws.app.engine)
    plan = store.load(name)
    header, base = plan.header, plan.latest
    prof = load_profile(profile_name, ws.folder)
    plan_markets = sorted({c.key[0] for c in base.cells})
    chosen = [m.upper() for m in marketplaces] if marketplaces else plan_markets
    outside = [m for m in chosen if not prof.covers(m)]
    if marketplaces and outside:
        raise PlanError(
            f"profile {profile_name.upper()} is for {', '.join(prof.regions)} marketplaces; "
            f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not"
        )
    markets = [m for m in chosen if prof.covers(m)]
    if not markets:
        raise PlanError(
            f"plan {name!r} has no marketplace in {', '.join(prof.regions)} ({', '.join(plan_markets)}): "
            f"profile {profile_name.upper()} does not apply"
        )
    catalog = ws.catalog()
    labels = [month_label(m) for m in header_months(header)]
    start = _from_month(from_month, labels)
    targets = {t.ident: t for t in base.level_targets}
    skipped: list[str] = []
    for item in prof.targets:
        if catalog.kpi(item.kpi) is None:
            skipped.append(item.kpi)
            continue
        scopes: list[dict[str, str]] = (
            [{}] if item.scope == "company" else [{"marketplace": m} for m in markets]
        )
        for scope in scopes:
            t = make_level_target(
                ws,
                catalog,
                header,
                base.settings,
                item.kpi,
                item.comparator,
                item.value,
                item.upper,
                scope,
                None,
                gate=item.gate,
            )
            targets[t.ident] = t
    why = reason or f"market profile {profile_name.upper()} ({prof.name.en})"
    outcome = save_version(
        ws,
        plan,
        base.cells,
        targets.values(),
        reason=why,
        effective_from=start,
        actor=actor,
        action="plan.apply_profile",
    )
    return outcome, skipped
