"""What the rules read, gathered in one object so a rule is a plain function of (rule, context) and a test
can hand it fakes: the KPI engine, the plan's progress rows, the compliance report, the facts database
(import ledger, product owners and lead times), the notes and the open action items."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from tradewind.core.errors import TradewindError
from tradewind.core.periods import Calendar
from tradewind.engine import KpiRequest
from tradewind.plan.progress import ProgressRow

if TYPE_CHECKING:
    from tradewind.app import Workspace
    from tradewind.catalog import Catalog
    from tradewind.engine import KpiResult
    from tradewind.watch.notes import NoteBook
    from tradewind.watch.reviews import ActionItem


class KpiSource(Protocol):
    """`KpiEngine` satisfies this; the catalog says which KPIs exist (a rule whose KPI is missing says
    "unavailable" instead of failing)."""

    catalog: Catalog

    def run(self, request: KpiRequest) -> KpiResult: ...


#: A plan progress row (the plan package's contract with watch: `Workspace.plan_progress`).
ProgressLike = ProgressRow


class Unavailable(Exception):
    """A rule cannot run yet: a KPI, dimension, plan or module it needs is missing. Not an error: the
    check says so and carries on."""


#: (as_of, by) -> progress rows of every active plan, split by `by` (plan levels: marketplace, ...).
ProgressProvider = Callable[[date, tuple[str, ...]], Sequence[ProgressLike]]
ComplianceProvider = Callable[[date], Any]
FactQuery = Callable[[str, list[Any]], list[tuple[Any, ...]]]


@dataclass
class WatchContext:
    as_of: date
    kpis: KpiSource
    query: FactQuery
    calendar: Calendar = field(default_factory=Calendar)
    progress: ProgressProvider | None = None
    compliance: ComplianceProvider | None = None
    notes: NoteBook | None = None
    actions: Callable[[], Sequence[ActionItem]] | None = None
    _progress_rows: dict[tuple[str, ...], Sequence[ProgressLike]] = field(default_factory=dict)
    _products: dict[tuple[str, str], tuple[str | None, int | None]] | None = None

    # -- KPIs ---------------------------------------------------------------------------------------
    def require_kpis(self, *kpis: str) -> None:
        missing = [k for k in kpis if self.kpis.catalog.kpi(k) is None]
        if missing:
            raise Unavailable(f"KPI unavailable: {', '.join(missing)} is not in the catalog yet")

    def require_dims(self, dims: Sequence[str]) -> None:
        from tradewind.catalog.dimensions import DIMENSIONS, TIME_DIMENSIONS

        unknown = [d for d in dims if d not in DIMENSIONS and d not in TIME_DIMENSIONS]
        if unknown:
            raise Unavailable(
                f"dimension unavailable: the KPI engine cannot split by {', '.join(unknown)} yet"
            )

    def rows(
        self,
        kpis: Sequence[str],
        *,
        by: Sequence[str] = (),
        period: str | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> list[dict[str, Any]]:
        return self.result(kpis, by=by, period=period, where=where).rows

    def result(
        self,
        kpis: Sequence[str],
        *,
        by: Sequence[str] = (),
        period: str | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> KpiResult:
        """The engine's answer, warnings included (a Business Report spanning two months, ...)."""
        self.require_kpis(*kpis)
        self.require_dims(by)
        request = KpiRequest(
            kpis=tuple(kpis),
            by=tuple(by),
            period=period,
            where={k: tuple(v) for k, v in (where or {}).items()},
        )
        return self.kpis.run(request)

    # -- plans --------------------------------------------------------------------------------------
    def progress_rows(self, by: Sequence[str] = ()) -> Sequence[ProgressLike]:
        """Plan progress on the check date, split by `by` (cached: several rules read it)."""
        key = tuple(by)
        if key not in self._progress_rows:
            self._progress_rows[key] = list(self.progress_at(self.as_of, key))
        return self._progress_rows[key]

    def progress_at(self, day: date, by: Sequence[str] = ()) -> Sequence[ProgressLike]:
        if self.progress is None:
            raise Unavailable("plans unavailable: this Tradewind has no plan progress yet")
        return self.progress(day, tuple(by))

    # -- products -----------------------------------------------------------------------------------
    def _product_rows(self) -> dict[tuple[str, str], tuple[str | None, int | None]]:
        if self._products is None:
            rows = self.query("SELECT account_id, sku, owner, lead_time_days FROM products", [])
            self._products = {
                (str(a), str(s)): (o, int(lt) if lt is not None else None) for a, s, o, lt in rows
            }
        return self._products

    def owner_of(self, scope: Mapping[str, str]) -> str | None:
        """The person who answers for a scope: the SKU's owner in the product list."""
        account, sku = scope.get("account"), scope.get("sku")
        if account is None or sku is None:
            return None
        return self._product_rows().get((account, sku), (None, None))[0]

    def lead_time_of(self, account: str, sku: str) -> int | None:
        return self._product_rows().get((account, sku), (None, None))[1]


def workspace_engine(ws: Workspace, today: date) -> Any:
    """The workspace's KPI engine (its catalog, currency, FX mode, zones and fiscal year), with `today` =
    the check date so "provisional" means the same for a check run later about an earlier day."""
    return ws.engine(today=today)


def workspace_context(ws: Workspace, as_of: date) -> WatchContext:
    """A context over a workspace: its engine, plans, compliance report, notes and action items."""
    from tradewind.watch.notes import NoteBook
    from tradewind.watch.reviews import ReviewBook

    reviews = ReviewBook(ws.app.engine)

    def progress(day: date, by: tuple[str, ...]) -> list[ProgressLike]:
        """Every active plan's rows; a plan not split by `by` has none at that level (the whole business,
        by = (), is every plan's level)."""
        rows: list[ProgressLike] = []
        for name in ws.plans().names():
            try:
                rows += ws.plan_progress(name, as_of=day, by=by)
            except TradewindError:
                if not by:
                    raise
        return rows

    return WatchContext(
        as_of=as_of,
        kpis=workspace_engine(ws, as_of),
        query=lambda sql, params: ws.facts.query(sql, params),
        calendar=Calendar(ws.config.fiscal_year_start_month),
        progress=progress,
        compliance=lambda day: ws.compliance(day),
        notes=NoteBook(ws.app.engine),
        actions=reviews.open_actions,
    )
