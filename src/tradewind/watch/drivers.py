"""`why gmv`: which drivers moved GMV between two periods (or away from its target).

Per segment (marketplace or SKU), GMV = sessions × session share × cvr × asp × u, where u is the ratio of
order units to Business Report units (1 when the two sources agree). The LMDI decomposition splits the
change into traffic (total sessions), mix (sessions moving between segments), conversion (cvr) and price
(asp); whatever those four do not explain is u's effect, shown as `units_gap` ("Business Report and
order units differ") instead of being hidden in another driver. Every factor value comes from the
engine (gmv, sessions, cvr, asp from the catalog); this module only takes logs.

Beside the split it lists what a reader asks next: ad spend in both periods, stocked-out SKUs at the
end of the period, and the external-variable notes that overlap the period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tradewind.core.errors import QueryError, TradewindError
from tradewind.core.periods import Period
from tradewind.watch.context import WatchContext
from tradewind.watch.lmdi import ENTERED_OR_LEFT, Decomposition, Segment, decompose
from tradewind.watch.notes import Note

VS = ("previous", "last-year", "target")
BY = ("marketplace", "sku")
FACTORS = ("sessions", "mix", "cvr", "asp")
UNITS_GAP = "units_gap"
NOT_IN_PLAN = "not_in_plan"
NO_TRAFFIC = "no_traffic"

TERM_NAMES: Mapping[str, tuple[str, str]] = {
    "sessions": ("Traffic (sessions)", "流量（会话数）"),
    "mix": ("Mix (sessions moving between segments)", "结构（会话在各细分间的转移）"),
    "cvr": ("Conversion (cvr)", "转化（转化率）"),
    "asp": ("Price (asp)", "价格（平均售价）"),
    UNITS_GAP: ("Business Report vs order units", "业务报告与订单件数差异"),
    NOT_IN_PLAN: (
        "Not split (the plan has no target for these drivers)",
        "未拆分（计划未设这些驱动因素的目标）",
    ),
    NO_TRAFFIC: ("Not split (no traffic report)", "未拆分（无流量报告）"),
    ENTERED_OR_LEFT: ("Segments new or gone (sales in one period only)", "新增或消失的细分（仅一期有销售）"),
}


@dataclass(frozen=True)
class Effect:
    term: str
    amount: float
    share: float | None  # of the total change

    @property
    def name(self) -> str:
        return TERM_NAMES.get(self.term, (self.term, self.term))[0]


@dataclass(frozen=True)
class WhyReport:
    kpi: str
    period: str
    base_period: str
    vs: str
    by: str | None
    currency: str
    base: float
    current: float
    effects: tuple[Effect, ...]
    segments: tuple[dict[str, Any], ...]
    ad_spend: tuple[float | None, float | None]
    stockouts: tuple[dict[str, Any], ...]
    notes: tuple[Note, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)
    decomposition: Decomposition | None = None

    @property
    def change(self) -> float:
        return round(self.current - self.base, 2)


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _rows_by(
    ctx: WatchContext,
    by: str | None,
    period: Period,
    where: Mapping[str, Sequence[str]],
    warnings: list[str],
) -> dict[str, dict[str, Any]]:
    """The four drivers per segment; the engine's warnings (a Business Report spanning two months, so
    its sessions count in neither) go beside the answer, since they explain a "no traffic" term."""
    result = ctx.result(
        ("gmv", "sessions", "cvr", "asp"), by=(by,) if by else (), period=period.label, where=where
    )
    warnings.extend(w for w in result.warnings if w not in warnings)
    return {str(r.get(by)) if by else "all": r for r in result.rows}


def _segments_actual(
    base_rows: Mapping[str, Mapping[str, Any]], cur_rows: Mapping[str, Mapping[str, Any]]
) -> list[Segment]:
    keys = sorted(set(base_rows) | set(cur_rows))
    s0 = sum(_num(r.get("sessions")) or 0.0 for r in base_rows.values())
    s1 = sum(_num(r.get("sessions")) or 0.0 for r in cur_rows.values())
    segments = []
    for key in keys:
        b, c = base_rows.get(key, {}), cur_rows.get(key, {})
        v0, v1 = _num(b.get("gmv")) or 0.0, _num(c.get("gmv")) or 0.0
        values = {f: (_num(b.get(f)), _num(c.get(f))) for f in ("sessions", "cvr", "asp")}
        irregular = None
        if v0 > 0 and v1 > 0 and any(x is None or x <= 0 for pair in values.values() for x in pair):
            irregular = NO_TRAFFIC
        factors: dict[str, tuple[float, float] | None] = {}
        if irregular is None and v0 > 0 and v1 > 0:
            sess0, sess1 = values["sessions"]
            assert sess0 is not None and sess1 is not None
            factors = {
                "sessions": (s0, s1),
                "mix": (sess0 / s0, sess1 / s1),
                "cvr": values["cvr"],  # type: ignore[dict-item]
                "asp": values["asp"],  # type: ignore[dict-item]
            }
        segments.append(Segment(key, v0, v1, factors, irregular))
    return segments


def _targets(ctx: WatchContext, period: Period, by: str | None) -> dict[str, dict[str, float]]:
    """segment → {kpi: target} from the plan rows of this period at the `by` grain (progress as of the
    period's last day, or the check day while the period runs)."""
    rows = ctx.progress_at(min(period.end, ctx.as_of), (by,) if by else ())
    out: dict[str, dict[str, float]] = {}
    for r in rows:
        if r.period != period.label or r.target is None:
            continue
        scope = dict(r.scope)
        if by is None and scope:
            continue
        if by is not None and set(scope) != {by}:
            continue
        key = scope[by] if by else "all"
        out.setdefault(key, {})[r.kpi] = float(r.target)
    return out


def _segments_target(
    targets: Mapping[str, Mapping[str, float]], cur_rows: Mapping[str, Mapping[str, Any]]
) -> list[Segment]:
    with_sessions = all("sessions" in t for t in targets.values())
    s0 = sum(t.get("sessions", 0.0) for t in targets.values())
    s1 = sum(_num(r.get("sessions")) or 0.0 for r in cur_rows.values())
    segments = []
    for key in sorted(set(targets) | set(cur_rows)):
        t, c = targets.get(key, {}), cur_rows.get(key, {})
        v0, v1 = t.get("gmv", 0.0), _num(c.get("gmv")) or 0.0
        factors: dict[str, tuple[float, float] | None] = {}
        for f in ("cvr", "asp"):
            x1 = _num(c.get(f))
            factors[f] = (t[f], x1) if f in t and x1 is not None else None
        x1s = _num(c.get("sessions"))
        if with_sessions and s0 > 0 and s1 > 0 and "sessions" in t and x1s is not None:
            factors["sessions"] = (s0, s1)
            factors["mix"] = (t["sessions"] / s0, x1s / s1)
        segments.append(Segment(key, v0, v1, factors))
    return segments


def why_gmv(
    ctx: WatchContext,
    period_text: str,
    *,
    vs: str = "previous",
    by: str | None = "marketplace",
    where: Mapping[str, Sequence[str]] | None = None,
) -> WhyReport:
    if vs not in VS:
        raise TradewindError(f"--vs {vs!r} is not one of {', '.join(VS)}")
    if by is not None and by not in BY:
        raise TradewindError(f"--by {by!r} is not one of {', '.join(BY)}")
    where = dict(where or {})
    period = ctx.calendar.parse(period_text)
    warnings: list[str] = []
    cur_rows = _rows_by(ctx, by, period, where, warnings)
    if vs == "target":
        if where:
            raise TradewindError("--vs target compares with the plan's own scopes; drop the filter")
        base_period = period
        targets = _targets(ctx, period, by)
        if not any("gmv" in t for t in targets.values()):
            raise QueryError(
                f"no gmv target for {period.label}"
                + (f" by {by}" if by else "")
                + ": set one in a plan, or compare with --vs previous or --vs last-year"
            )
        segments = _segments_target(targets, cur_rows)
        residual = NOT_IN_PLAN
        base_label = f"target {period.label}"
    else:
        base_period = ctx.calendar.previous(period) if vs == "previous" else ctx.calendar.year_ago(period)
        base_rows = _rows_by(ctx, by, base_period, where, warnings)
        segments = _segments_actual(base_rows, cur_rows)
        residual = UNITS_GAP
        base_label = base_period.label
    result = decompose(segments, FACTORS, residual)
    rounded = result.rounded()
    change = result.change
    effects = tuple(
        Effect(term, amount, (amount / change) if round(change, 2) != 0 else None)
        for term, amount in rounded.items()
        if term in FACTORS or amount != 0
    )
    segment_rows = []
    for seg in segments:
        parts = result.by_segment.get(seg.key, {})
        segment_rows.append(
            {
                "segment": seg.key,
                "base": round(seg.base, 2),
                "current": round(seg.current, 2),
                "change": round(seg.current - seg.base, 2),
                **{k: round(v, 2) for k, v in parts.items()},
            }
        )
    ad_cur = _single(ctx, "ad_spend", period, where, warnings)
    ad_base = _single(ctx, "ad_spend", base_period, where, warnings) if vs != "target" else None
    stockouts = _stockouts(ctx, period, where, warnings)
    notes = tuple(
        ctx.notes.overlapping({k: v[0] for k, v in where.items() if len(v) == 1}, period.start, period.end)
        if ctx.notes is not None
        else ()
    )
    currency = getattr(getattr(ctx.kpis, "settings", None), "reporting_currency", "") or ""
    return WhyReport(
        kpi="gmv",
        period=period.label,
        base_period=base_label,
        vs=vs,
        by=by,
        currency=currency,
        base=round(result.base, 2),
        current=round(result.current, 2),
        effects=effects,
        segments=tuple(segment_rows),
        ad_spend=(ad_base, ad_cur),
        stockouts=stockouts,
        notes=notes,
        warnings=tuple(warnings),
        decomposition=result,
    )


def _single(
    ctx: WatchContext, kpi: str, period: Period, where: Mapping[str, Sequence[str]], warnings: list[str]
) -> float | None:
    if ctx.kpis.catalog.kpi(kpi) is None:
        return None
    try:
        rows = ctx.rows((kpi,), period=period.label, where=where)
    except QueryError as exc:
        warnings.append(f"{kpi} {period.label}: {exc}")
        return None
    return _num(rows[0].get(kpi)) if rows else None


def _stockouts(
    ctx: WatchContext, period: Period, where: Mapping[str, Sequence[str]], warnings: list[str]
) -> tuple[dict[str, Any], ...]:
    """Marketplaces with stocked-out SKUs at the last snapshot of the period."""
    if ctx.kpis.catalog.kpi("stockout_skus") is None:
        return ()
    try:
        rows = ctx.rows(("stockout_skus",), by=("marketplace",), period=period.label, where=where)
    except QueryError as exc:
        warnings.append(f"stockout_skus {period.label}: {exc}")
        return ()
    return tuple(
        {"marketplace": r.get("marketplace"), "stockout_skus": r.get("stockout_skus")}
        for r in rows
        if r.get("stockout_skus")
    )
