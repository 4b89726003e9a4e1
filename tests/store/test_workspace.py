"""Workspace on disk: config, schema versions and upgrades, crash safety of imports."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from tradewind.app import Workspace
from tradewind.core.errors import ConfigError, WorkspaceError
from tradewind.ingest.spec import ImportOptions
from tradewind.store.config import Account, load_config
from tradewind.store.fact_schema import FACT_TABLES
from tradewind.store.facts import FactStore
from tradewind.store.migrations import migrations

from ..ingest.orders_file import order_row, write_orders


def test_init_writes_config_and_databases(tmp_path: Path) -> None:
    with Workspace.init(tmp_path / "w", name="Acme", currency="eur", fiscal_year_start_month=4) as ws:
        assert (ws.folder / "tradewind.toml").exists()
        assert (ws.folder / "facts.duckdb").exists()
        assert (ws.folder / "app.sqlite").exists()
    config = load_config(tmp_path / "w")
    assert (config.name, config.reporting_currency, config.fiscal_year_start_month) == ("Acme", "EUR", 4)


def test_init_refuses_an_existing_workspace(tmp_path: Path) -> None:
    Workspace.init(tmp_path / "w").close()
    with pytest.raises(WorkspaceError, match="already a Tradewind workspace"):
        Workspace.init(tmp_path / "w")


def test_accounts_and_timezone_overrides(tmp_path: Path) -> None:
    with Workspace.init(tmp_path / "w") as ws:
        ws.add_account(Account(id="acme-eu", name="Acme EU", marketplaces=("gb", "de")))
        with pytest.raises(WorkspaceError, match="already exists"):
            ws.add_account(Account(id="acme-eu", name="again"))
    config = load_config(tmp_path / "w")
    assert config.accounts[0].marketplaces == ("UK", "DE")
    assert config.timezone("US") == "America/Los_Angeles"
    assert config.timezone("DE") == "Europe/Berlin"


def test_invalid_config_names_the_field(tmp_path: Path) -> None:
    Workspace.init(tmp_path / "w").close()
    path = tmp_path / "w" / "tradewind.toml"
    path.write_text(path.read_text().replace('reporting_currency = "USD"', 'reporting_currency = "dollars"'))
    with pytest.raises(ConfigError, match="reporting_currency"):
        Workspace.open(tmp_path / "w")


def test_missing_workspace_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="tradewind init"):
        Workspace.open(tmp_path / "nowhere")


def test_schema_matches_fact_table_definitions(workspace: Workspace) -> None:
    for table in FACT_TABLES.values():
        cols = workspace.facts.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position",
            [table.name],
        )
        assert tuple(c[0] for c in cols) == table.column_names, table.name


def test_a_workspace_from_an_older_release_upgrades_on_open(tmp_path: Path) -> None:
    """A release whose facts schema stopped at migration 1 made this workspace; opening upgrades it."""
    Workspace.init(tmp_path / "w").close()
    (tmp_path / "w" / "facts.duckdb").unlink()
    old = FactStore(tmp_path / "w" / "facts.duckdb")
    assert old.migrate(up_to=1) == [1]
    old.close()
    with Workspace.open(tmp_path / "w") as ws:
        assert ws.facts.schema_version() == migrations("facts")[-1].number
        assert ws.imports() == []


def test_a_workspace_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    Workspace.init(tmp_path / "w").close()
    con = duckdb.connect(str(tmp_path / "w" / "facts.duckdb"))
    con.execute("INSERT INTO _schema_version VALUES (999, 'future', now())")
    con.close()
    with pytest.raises(WorkspaceError, match="newer than this release"):
        Workspace.open(tmp_path / "w")


def test_same_file_twice_is_a_no_op(workspace: Workspace, tmp_path: Path) -> None:
    path = write_orders(tmp_path / "o.txt", [order_row("111-1"), order_row("111-2")])
    first = workspace.import_file(path, ImportOptions(account="acme-eu"))
    again = workspace.import_file(path, ImportOptions(account="acme-eu"))
    assert first.total_loaded == 2
    assert again.already_imported_as == first.import_id
    assert workspace.facts.query("SELECT count(*) FROM order_lines") == [(2,)]
    assert len(workspace.imports()) == 1


def test_overlapping_file_replaces_by_key(workspace: Workspace, tmp_path: Path) -> None:
    one = write_orders(tmp_path / "a.txt", [order_row("111-1"), order_row("111-2", price="20.00")])
    two = write_orders(tmp_path / "b.txt", [order_row("111-2", price="25.00"), order_row("111-3")])
    workspace.import_file(one, ImportOptions(account="acme-eu"))
    result = workspace.import_file(two, ImportOptions(account="acme-eu"))
    assert result.rows_replaced == {"order_lines": 1}
    rows = workspace.facts.query("SELECT order_id, item_price::DOUBLE FROM order_lines ORDER BY order_id")
    assert rows == [("111-1", 11.90), ("111-2", 25.00), ("111-3", 11.90)]


def test_dry_run_writes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    path = write_orders(tmp_path / "o.txt", [order_row("111-1")])
    result = workspace.import_file(path, ImportOptions(account="acme-eu", dry_run=True))
    assert result.dry_run and result.total_loaded == 1
    assert workspace.facts.query("SELECT count(*) FROM order_lines") == [(0,)]
    assert workspace.imports() == []


def test_several_accounts_need_an_account_option(workspace: Workspace, tmp_path: Path) -> None:
    path = write_orders(tmp_path / "o.txt", [order_row("111-1")])
    with pytest.raises(WorkspaceError, match="several accounts"):
        workspace.import_file(path, ImportOptions())


def test_an_import_killed_midway_leaves_the_workspace_as_it_was(tmp_path: Path) -> None:
    """A process killed (SIGKILL) between deleting replaced rows and committing changes nothing."""
    folder = tmp_path / "w"
    with Workspace.init(folder, accounts=[Account(id="a", name="A", marketplaces=("DE",))]) as ws:
        ws.import_file(write_orders(tmp_path / "seed.txt", [order_row("111-1")]), ImportOptions())
    replacement = write_orders(tmp_path / "new.txt", [order_row("111-1", price="99.00"), order_row("111-2")])
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from tradewind.app import Workspace
        from tradewind.ingest import loader
        from tradewind.ingest.spec import ImportOptions

        real_execute_count = 0
        ws = Workspace.open({str(folder)!r})
        con = ws.facts.con
        class Killer:
            def __init__(self, inner): self.inner = inner
            def execute(self, sql, *args):
                if sql.startswith("INSERT INTO imports"):
                    os.kill(os.getpid(), signal.SIGKILL)
                return self.inner.execute(sql, *args)
            def __getattr__(self, name): return getattr(self.inner, name)
        original = loader.commit
        loader_commit = lambda c, *a, **k: original(Killer(c), *a, **k)
        import tradewind.app as app_module
        app_module.commit = loader_commit
        ws.import_file(Path({str(replacement)!r}), ImportOptions())
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr
    with Workspace.open(folder) as ws:
        assert ws.facts.query("SELECT order_id, item_price::DOUBLE FROM order_lines") == [("111-1", 11.90)]
        assert len(ws.imports()) == 1
