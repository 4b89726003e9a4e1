"""`Workspace`: the one object the CLI and the web app call. Neither holds logic of its own.

A workspace is a folder: `tradewind.toml` (config), `facts.duckdb` (facts and the import ledger),
`app.sqlite` (app data), and optionally `catalog/` (KPI definitions that extend or override the
shipped catalog).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tradewind.core.console import Console, SilentConsole
from tradewind.core.errors import ImportRejected, Problem, TradewindError, WorkspaceError
from tradewind.core.marketplaces import marketplace
from tradewind.ingest.loader import LoadResult, commit, current_actor, new_import_id
from tradewind.ingest.pipeline import detect_report, prepare
from tradewind.ingest.source import SourceFile, open_source
from tradewind.ingest.spec import ImportOptions
from tradewind.store.appdb import AppStore, app_db_url
from tradewind.store.config import CONFIG_FILE, Account, WorkspaceConfig, load_config, save_config
from tradewind.store.fact_schema import SHARED_FACTS
from tradewind.store.facts import FACTS_FILE, FactStore

ENV_WORKSPACE = "TRADEWIND_WORKSPACE"
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
        facts = FactStore(path / FACTS_FILE, read_only=read_only)
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
            staged = (
                "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, 'tw_')"
            )
            for (name,) in con.execute(staged).fetchall():
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
        return results, errors

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
