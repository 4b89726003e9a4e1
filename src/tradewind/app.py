"""`Workspace`: the one object the CLI and the web app call. Neither holds logic of its own.

A workspace is a folder: `tradewind.toml` (config), `facts.duckdb` (facts and the import ledger),
`app.sqlite` (app data), and optionally `catalog/` (KPI definitions that extend or override the
shipped catalog).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradewind.core.console import Console, SilentConsole
from tradewind.core.errors import ImportRejected, Problem, TradewindError, WorkspaceError
from tradewind.core.marketplaces import marketplace
from tradewind.ingest.loader import LoadResult, commit, current_actor, new_import_id
from tradewind.ingest.pipeline import PreparedImport, detect_report, prepare
from tradewind.ingest.source import SourceFile, open_source, release
from tradewind.ingest.spec import ImportOptions
from tradewind.store.appdb import AppStore, app_db_url
from tradewind.store.config import CONFIG_FILE, Account, WorkspaceConfig, load_config, save_config
from tradewind.store.fact_schema import SHARED_FACTS
from tradewind.store.facts import FACTS_FILE, FactStore

if TYPE_CHECKING:
    from tradewind.catalog import Catalog
    from tradewind.compliance.report import ComplianceReport
    from tradewind.engine import KpiEngine, KpiRequest, KpiResult
    from tradewind.engine.lineage import Explanation
    from tradewind.plan.plans import Plans
    from tradewind.plan.progress import ProgressRow
    from tradewind.watch.model import CheckReport
    from tradewind.watch.service import Watch

ENV_WORKSPACE = "TRADEWIND_WORKSPACE"
#: Workspace folder with KPI definitions that extend or override the shipped catalog.
CATALOG_DIR = "catalog"
#: The owner of shared facts (FX rates) in the import ledger; the loader stores their rows as `*` too.
SHARED_ACCOUNT = Account.model_construct(id="*", name="all accounts", platform="amazon", marketplaces=())


@dataclass(frozen=True)
class ImportRecord:
    import_id: str
    file_name: str
    sha256: str
    report_type: str
    account_id: str
    marketplace: str | None
    encoding: str | None
    date_from: Any
    date_to: Any
    rows_loaded: int
    rows_replaced: int
    imported_at: datetime
    imported_by: str | None
    notes: str | None


class Workspace:
    def __init__(self, folder: Path, config: WorkspaceConfig, facts: FactStore, app: AppStore) -> None:
        self.folder = folder
        self.config = config
        self.facts = facts
        self.app = app
        # Loaded once per open workspace: the catalog is parsed YAML, and an engine keeps its compiled
        # queries and FX table (invalidated by the data version), so repeated KPI calls reuse both.
        self._catalog: Catalog | None = None
        self._engines: dict[date | None, KpiEngine] = {}

    # -- lifecycle ----------------------------------------------------------------------------------
    @classmethod
    def init(
        cls,
        folder: Path,
        *,
        name: str | None = None,
        currency: str = "USD",
        fiscal_year_start_month: int = 1,
        accounts: Sequence[Account] = (),
        fx_mode: str = "ecb",
    ) -> Workspace:
        folder = folder.resolve()
        if (folder / CONFIG_FILE).exists():
            raise WorkspaceError(f"{folder} is already a Tradewind workspace")
        folder.mkdir(parents=True, exist_ok=True)
        config = WorkspaceConfig(
            name=name or folder.name,
            reporting_currency=currency.upper(),
            fiscal_year_start_month=fiscal_year_start_month,
            accounts=tuple(accounts),
            fx_mode=fx_mode,
        )
        save_config(folder, config)
        return cls.open(folder)

    @classmethod
    def open(cls, folder: Path | str | None = None, *, read_only: bool = False) -> Workspace:
        if folder is None:
            env = os.environ.get(ENV_WORKSPACE)
            if not env:
                raise WorkspaceError(f"no workspace given: pass -w/--workspace DIR or set {ENV_WORKSPACE}")
            folder = env
        path = Path(folder).resolve()
        config = load_config(path)
        facts = FactStore(path / FACTS_FILE, read_only=read_only, memory_limit=config.facts_memory_limit)
        try:
            facts.migrate()
            app = AppStore(app_db_url(path, config.app_db_url))
            if not read_only:
                app.migrate()
        except Exception:
            facts.close()
            raise
        return cls(path, config, facts, app)

    def close(self) -> None:
        self.facts.close()
        self.app.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- accounts -----------------------------------------------------------------------------------
    def add_account(self, account: Account) -> None:
        if self.config.account(account.id):
            raise WorkspaceError(f"account {account.id!r} already exists")
        self.config = self.config.model_copy(update={"accounts": (*self.config.accounts, account)})
        save_config(self.folder, self.config)

    def resolve_account(self, account_id: str | None) -> Account:
        accounts = self.config.accounts
        if account_id:
            found = self.config.account(account_id)
            if found is None:
                known = ", ".join(a.id for a in accounts) or "none yet"
                raise WorkspaceError(
                    f"unknown account {account_id!r} (accounts: {known}); add it with "
                    f"'tradewind account add {account_id} --marketplaces US,CA'"
                )
            return found
        if len(accounts) == 1:
            return accounts[0]
        if not accounts:
            raise WorkspaceError(
                "this workspace has no accounts yet: add one with 'tradewind account add ID'"
            )
        names = ", ".join(a.id for a in accounts)
        raise WorkspaceError(f"this workspace has several accounts ({names}): say which with --account")

    # -- imports ------------------------------------------------------------------------------------
    def import_file(self, path: Path, options: ImportOptions) -> LoadResult:
        """Import one file whole or not at all; the same file twice is a no-op that says so."""
        if options.marketplace:
            marketplace(options.marketplace)  # a clear error for an unknown code
        source, _ = open_source(path)
        account = self._import_account(source, options)
        previous = self.facts.query(
            "SELECT import_id FROM imports WHERE sha256 = ? AND account_id IN (?, '*') "
            "ORDER BY imported_at LIMIT 1",
            [source.sha256, account.id],
        )
        if previous:
            return LoadResult(
                previous[0][0],
                source.name,
                "",
                "",
                {},
                {},
                dry_run=options.dry_run,
                already_imported_as=previous[0][0],
            )
        import_id = new_import_id()
        con = self.facts.con
        prepared: PreparedImport | None = None
        try:
            prepared = prepare(
                con,
                path,
                options,
                account_id=account.id,
                account_marketplaces=account.marketplaces,
                zones=self.config.all_timezones(),
                import_id=import_id,
                source=source,
            )
            result = commit(con, prepared, import_id, dry_run=options.dry_run or self.facts.read_only)
        finally:
            if prepared is not None:
                release(con, prepared.raw)
            views = "SELECT view_name FROM duckdb_views() WHERE temporary AND starts_with(view_name, 'tw_')"
            for (name,) in con.execute(views).fetchall():
                con.execute(f"DROP VIEW IF EXISTS temp.{name}")
            tables = (
                "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, 'tw_')"
            )
            for (name,) in con.execute(tables).fetchall():
                con.execute(f"DROP TABLE IF EXISTS temp.{name}")
        if not result.dry_run:
            self.app.audit(current_actor(), "import", import_id, f"{source.name} ({result.report_type})")
        return result

    def _import_account(self, source: SourceFile, options: ImportOptions) -> Account:
        """The account a file is imported for. A file that writes only shared facts (FX rates) belongs
        to all accounts: when no account is given or implied, it imports as `*` instead of asking."""
        if options.account is None and len(self.config.accounts) != 1:
            report = detect_report(self.facts.con, source)
            if set(report.produces) <= SHARED_FACTS:
                return SHARED_ACCOUNT
        return self.resolve_account(options.account)

    def import_files(
        self, paths: Iterable[Path], options: ImportOptions, console: Console | None = None
    ) -> tuple[list[LoadResult], list[TradewindError]]:
        """Import several files; each is its own transaction, so one bad file rejects only itself."""
        console = console or SilentConsole()
        files = list(paths)
        results: list[LoadResult] = []
        errors: list[TradewindError] = []
        with console.progress("Importing", total=len(files)) as bar:
            for path in files:
                try:
                    results.append(self.import_file(path, options))
                except TradewindError as exc:
                    errors.append(exc)
                except (UnicodeError, OSError) as exc:
                    errors.append(
                        ImportRejected(path.name, [Problem(path.name, f"cannot read the file: {exc}")])
                    )
                bar.advance()
        if not options.dry_run and any(r.total_loaded or r.total_replaced for r in results):
            self.refresh_rollups()
        return results, errors

    def refresh_rollups(self) -> None:
        """Rebuild the daily rollups after imports (dashboards read them; until this runs, KPI requests
        read the facts, so results are never stale, only slower)."""
        if not self.facts.read_only:
            self.engine().build_rollups()

    def imports(self, limit: int | None = None) -> list[ImportRecord]:
        sql = (
            "SELECT import_id, file_name, sha256, report_type, account_id, marketplace, encoding, date_from, "
            "date_to, rows_loaded, rows_replaced, imported_at, imported_by, notes FROM imports "
            "ORDER BY imported_at DESC, import_id DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [ImportRecord(*row) for row in self.facts.query(sql)]

    def fact_counts(self) -> dict[str, int]:
        from tradewind.store.fact_schema import FACT_TABLES

        return {name: int(self.facts.query(f"SELECT count(*) FROM {name}")[0][0]) for name in FACT_TABLES}

    # -- KPIs ---------------------------------------------------------------------------------------
    def catalog(self) -> Catalog:
        """The shipped KPI catalog with the workspace's `catalog/` folder on top (overrides and extras)."""
        from tradewind.catalog import load_catalog
        from tradewind.store.fact_schema import FACT_TABLES

        if self._catalog is None:
            columns = {name: table.column_names for name, table in FACT_TABLES.items()}
            self._catalog = load_catalog(self.folder / CATALOG_DIR, fact_columns=columns)
        return self._catalog

    def engine(self, *, today: date | None = None) -> KpiEngine:
        from tradewind.engine import EngineSettings, KpiEngine

        if today in self._engines:
            return self._engines[today]
        settings = EngineSettings(
            reporting_currency=self.config.reporting_currency,
            fx_mode=self.config.fx_mode,
            timezones=self.config.all_timezones(),
            today=today,
            fiscal_year_start_month=self.config.fiscal_year_start_month,
            duckdb_memory_limit=None,  # the workspace's connection already has `facts_memory_limit`
        )
        engine = KpiEngine(self.facts.ibis_backend(), self.catalog(), settings)
        self._engines[today] = engine
        return engine

    def kpi(self, request: KpiRequest, *, today: date | None = None) -> KpiResult:
        """KPIs for a request (see `tradewind.engine.KpiRequest`), in the workspace's calendar and currency."""
        return self.engine(today=today).run(request)

    def explain(
        self,
        kpi: str,
        *,
        period: str | None = None,
        where: dict[str, Any] | None = None,
        currency: str | None = None,
        rows: int = 0,
        today: date | None = None,
    ) -> Explanation:
        """One figure with its formula, version, parts, FX rates, files and (optionally) source rows."""
        return self.engine(today=today).explain(kpi, period=period, where=where, currency=currency, rows=rows)

    # -- compliance ---------------------------------------------------------------------------------
    def compliance(
        self, as_of: date | None = None, accounts: Sequence[str] | None = None
    ) -> ComplianceReport:
        """EU compliance on `as_of` (default: today): per account and country, what is required, held,
        missing, invalid or expiring, with the SKUs affected. The EPR matrix is the shipped one with the
        workspace's `compliance/epr_matrix.yaml` on top."""
        from tradewind.compliance import evaluate_workspace, load_matrix

        for account_id in accounts or ():
            self.resolve_account(account_id)
        day = as_of or date.today()
        return evaluate_workspace(self.facts.con, self.config, load_matrix(self.folder), day, accounts)

    # -- watch --------------------------------------------------------------------------------------
    def watch(self) -> Watch:
        """Alerts, rules, the external-variables log, reviews and driver analysis (`tradewind.watch`)."""
        from tradewind.watch.service import Watch

        return Watch(self)

    def check(self, as_of: date | None = None, *, notify: bool = True) -> CheckReport:
        """Evaluate every watch rule as of `as_of` (default today), record alerts, notify the new ones."""
        return self.watch().check(as_of, notify=notify)

    # -- plans (targets) ----------------------------------------------------------------------------
    def plans(self) -> Plans:
        """Targets: create, revise, check, export/import and measure plans (`tradewind.plan`)."""
        from tradewind.plan.plans import Plans

        return Plans(self, current_actor())

    def plan_progress(
        self, name: str | None = None, as_of: date | None = None, by: Sequence[str] = ()
    ) -> list[ProgressRow]:
        """Target, actual, expected to date, attainment, pace and projection of one plan (None: every
        active plan) on `as_of` (default: the last day with order data), for the month of `as_of` and
        the plan year, split by `by` (levels of the plan), against the version in force on `as_of`."""
        from tradewind.plan.progress import progress

        return progress(self, name, as_of, by).rows
