"""The KPI case suite, run on every engine: DuckDB in memory (on the facts, and on the daily rollups
where a request allows), and PySpark in local mode.

Each case in `tests/kpi_cases/*.yaml` holds hand-made facts, one request and the values worked out by
hand from kpis.md. The same case runs on both backends through the same `KpiEngine`: that is the proof
that the catalog's formulas mean the same thing wherever they run. A gap one engine cannot close yet is
declared in the case (`engines: {pyspark: reason}`) and becomes a strict xfail there, so it is noticed
the day it closes.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from tests.engine.kpi_case_harness import (
    ENGINES,
    EXPECTED_UNITS,
    KpiCase,
    compare,
    engine_settings,
    fact_tables,
    kpi_request,
    load_cases,
)
from tradewind.core.errors import QueryError
from tradewind.store.fact_schema import FACT_TABLES

CASES = load_cases()

# Third-party notices, not about Tradewind: PySpark 4 "does not yet fully support pandas >= 3" (the suite
# hands it Arrow), and Ibis 12 still calls duckdb's deprecated fetch_arrow_table and pandas' infer_string.
pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The 'future.infer_string' option is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

#: DuckDB again, with the daily rollups built first: requests they can answer must give the same
#: hand-computed values from them.
ROLLUPS = "duckdb-rollups"
GROWTH_BASES = ("gmv", "units", "orders", "net_sales", "sessions", "ad_spend", "ad_sales")
#: Every KPI of the Sales, Traffic, Advertising, Inventory and Profit sections of kpis.md (the harness's
#: unit table lists exactly those), and the growth variants the contract promises: each needs at least
#: one hand-computed case.
REQUIRED_KPIS = frozenset(EXPECTED_UNITS) | {f"{b}_{kind}" for b in GROWTH_BASES for kind in ("mom", "yoy")}


def test_every_kpi_has_a_hand_computed_case() -> None:
    assert len(EXPECTED_UNITS) == 41  # 11 sales + 5 traffic + 13 advertising + 6 inventory + 6 profit
    covered = {k for case in CASES for k in case.kpis if "rows" in case.expect}
    assert sorted(REQUIRED_KPIS - covered) == []


def test_case_names_are_unique_and_cases_exist() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


# -- backends -----------------------------------------------------------------------------------------


@cache
def _catalog() -> Any:
    from tradewind.catalog import load_catalog

    return load_catalog()


def _duckdb_backend(tables: dict[str, pa.Table]) -> Any:
    """A fresh in-memory database per case: the DDL is the fact schema's own, the rows are inserted."""
    import ibis

    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    for name, table in FACT_TABLES.items():
        con.raw_sql(table.ddl())
        if tables[name].num_rows:
            con.insert(name, tables[name])
    return con


class SparkTables:
    """One Spark session and one set of fact tables for the whole suite.

    Creating a table in Spark costs a write, so a table is rewritten only when a case needs different
    rows in it than the case before (most cases leave most tables empty).
    """

    def __init__(self, session: Any) -> None:
        import ibis

        self.session = session
        self.backend = ibis.pyspark.connect(session)
        self.current: dict[str, pa.Table] = {}

    def load(self, tables: dict[str, pa.Table]) -> Any:
        for name, table in tables.items():
            if name in self.current and self.current[name].equals(table):
                continue
            frame = self.session.createDataFrame(table)
            frame.createOrReplaceTempView(f"_case_{name}")
            self.backend.create_table(name, self.backend.table(f"_case_{name}"), overwrite=True)
            self.session.catalog.dropTempView(f"_case_{name}")
            self.current[name] = table
        return self.backend


def _spark_missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install -e '.[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and Path(java_home, "bin", "java").exists()):
        return "no Java runtime (PySpark needs one; .ci/run installs Debian's)"
    return None


@pytest.fixture(scope="session")
def spark_tables(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkTables]:
    missing = _spark_missing()
    if missing:
        pytest.skip(missing)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = (
        SparkSession.builder.master("local[1]")
        .appName("tradewind-kpi-cases")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        # tables of a few rows: adaptive re-planning only adds work
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield SparkTables(session)
    finally:
        session.stop()


# -- the suite ------------------------------------------------------------------------------------------


def _params() -> list[Any]:
    """Every case on every engine. On Spark the cases run grouped by the fact tables they fill, so that
    consecutive cases rewrite as few tables as possible."""
    params = []
    for engine in (*ENGINES, ROLLUPS):
        cases = (
            CASES
            if engine == "duckdb"
            else sorted(CASES, key=lambda c: sorted(t for t in c.facts if c.facts[t]))
        )
        for case in cases:
            marks: list[Any] = [pytest.mark.spark] if engine == "pyspark" else []
            declared = case.engines.get("duckdb" if engine == ROLLUPS else engine)
            if declared:
                marks.append(pytest.mark.xfail(strict=True, reason=declared))
            params.append(pytest.param(engine, case, id=f"{engine}:{case.name}", marks=marks))
    return params


@pytest.mark.parametrize(("engine", "case"), _params())
def test_kpi_case(engine: str, case: KpiCase, request: pytest.FixtureRequest) -> None:
    from tradewind.engine import KpiEngine

    tables = fact_tables(case)
    if engine in ("duckdb", ROLLUPS):
        backend = _duckdb_backend(tables)
    else:
        backend = request.getfixturevalue("spark_tables").load(tables)
    kpi_engine = KpiEngine(backend, _catalog(), engine_settings(case))
    if engine == ROLLUPS:
        kpi_engine.build_rollups()
    if "error_contains" in case.expect:
        expected = case.expect["error_contains"]
        texts = expected if isinstance(expected, list) else [expected]
        with pytest.raises(QueryError) as caught:
            kpi_engine.run(kpi_request(case))
        message = str(caught.value)
        missing = [t for t in texts if t not in message]
        assert not missing, f"{case.name}: error {message!r} does not contain {missing}"
        return
    result = kpi_engine.run(kpi_request(case)).to_dict()
    problems = compare(case, result)
    assert not problems, (
        f"{case.file} / {case.name} on {engine}:\n  "
        + "\n  ".join(problems)
        + f"\n  result rows: {result['rows']}"
    )
