"""The same hand-computed checks on PySpark (local mode): the engine's queries are portable Ibis.

Skipped where pyspark or a Java runtime is missing. Facts are built in DuckDB by `Facts`, then copied to
Spark temp views with their exact column types.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.engine import test_engine_growth as growth
from tests.engine import test_engine_inventory_profit as inventory
from tests.engine import test_engine_sales as sales
from tests.engine import test_engine_traffic_ads as traffic
from tests.engine.factbuilder import Facts, public, shipped_catalog
from tradewind.engine import EngineSettings, KpiEngine, KpiRequest
from tradewind.store.fact_schema import FACT_TABLES

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]


def _no_spark() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed"
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and Path(java_home, "bin", "java").exists()):
        return "no Java runtime"
    return None


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = _no_spark()
    if reason:
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    shared = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .getOrCreate()
    )
    shared.sparkContext.setLogLevel("ERROR")
    # a session of our own: its temp views must not shadow the tables other tests create in Spark
    session = shared.newSession()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    session.conf.set("spark.sql.shuffle.partitions", "1")
    yield session
    for name in [*FACT_TABLES, "imports"]:
        session.catalog.dropTempView(name)


def on_spark(spark: Any, facts: Facts, **settings: Any) -> KpiEngine:
    """An engine over Spark temp views holding exactly the rows of `facts`."""
    import ibis

    for name in [*FACT_TABLES, "imports"]:
        arrow = facts.con.sql(f"SELECT * FROM {name}").to_arrow_table()
        spark.createDataFrame(arrow).createOrReplaceTempView(name)
    settings.setdefault("reporting_currency", "EUR")
    settings.setdefault("today", "2026-06-30")
    return KpiEngine(ibis.pyspark.connect(spark), shipped_catalog(), EngineSettings(**settings))


def test_sales_on_spark(spark: Any) -> None:
    facts = Facts().add("order_lines", sales.MARCH).add("fx_rates", sales.RATES)
    engine = on_spark(spark, facts)
    result = engine.run(
        KpiRequest(
            kpis=("gmv", "units", "orders", "net_sales", "aov"), by=("month", "marketplace"), period="2026-03"
        )
    )
    assert [public(r) for r in result.rows] == [
        {
            "period": "2026-03",
            "marketplace": "DE",
            "gmv": 47.70,
            "units": 4,
            "orders": 3,
            "net_sales": 40.00,
            "aov": 15.90,
        },
        {
            "period": "2026-03",
            "marketplace": "US",
            "gmv": 30.00,
            "units": 4,
            "orders": 2,
            "net_sales": 28.00,
            "aov": 15.00,
        },
    ]


def test_traffic_ranges_and_missing_reports_on_spark(spark: Any) -> None:
    facts = Facts().add("order_lines", traffic.ORDERS).add("traffic", traffic.TRAFFIC)
    result = on_spark(spark, facts).run(
        KpiRequest(
            kpis=("units", "sessions", "cvr", "buy_box_pct"), by=("month", "marketplace"), period="2026-03"
        )
    )
    assert [public(r) for r in result.rows] == [
        {
            "period": "2026-03",
            "marketplace": "DE",
            "units": 2,
            "sessions": 250,
            "cvr": 0.04,
            "buy_box_pct": 0.825,
        },
        {
            "period": "2026-03",
            "marketplace": "IT",
            "units": 1,
            "sessions": None,
            "cvr": None,
            "buy_box_pct": None,
        },
    ]
    assert result.warnings == ["traffic for DE 2026-03-25..2026-04-07 spans two months: not counted"]


def test_growth_on_spark(spark: Any) -> None:
    facts = Facts().add(
        "order_lines",
        [
            growth._order("Y1", "2025-03-15", 15.0),
            growth._order("F1", "2026-02-10", 20.0),
            growth._order("M1", "2026-03-05", 30.0),
        ],
    )
    result = on_spark(spark, facts).run(
        KpiRequest(kpis=("gmv", "gmv_mom", "gmv_yoy"), by=("week",), period="2026-W10")
    )
    # week 10 of 2026 (2..8 March) has 30.00; week 9 and week 10 of 2025 have nothing
    assert [public(r) for r in result.rows] == [
        {"period": "2026-W10", "gmv": 30.0, "gmv_mom": None, "gmv_yoy": None}
    ]
    result = on_spark(spark, facts).run(
        KpiRequest(kpis=("gmv", "gmv_mom", "gmv_yoy"), by=("month",), period="2026-03")
    )
    assert [public(r) for r in result.rows] == [
        {"period": "2026-03", "gmv": 30.0, "gmv_mom": 0.5, "gmv_yoy": 1.0}
    ]


def test_inventory_and_profit_on_spark(spark: Any) -> None:
    facts = Facts().add("inventory_snapshots", inventory.SNAPSHOTS).add("order_lines", inventory.ORDERS)
    result = on_spark(spark, facts).run(
        KpiRequest(
            kpis=("fulfillable_units", "stockout_skus", "in_stock_rate", "days_of_supply"),
            by=("month", "marketplace"),
            period="2026-03",
        )
    )
    assert [public(r) for r in result.rows] == [
        pytest.approx(
            {
                "period": "2026-03",
                "marketplace": "DE",
                "fulfillable_units": 4,
                "stockout_skus": 1,
                "in_stock_rate": 0.75,
                "days_of_supply": 100 / 3,
            }
        )
    ]
    profit = (
        Facts()
        .add("order_lines", inventory.PROFIT_ORDERS)
        .add("product_costs", inventory.COSTS)
        .add("settlement_lines", inventory.SETTLEMENT)
        .add(
            "fx_rates",
            [{"kind": "ecb", "rate_date": "2026-03-02", "base": "EUR", "quote": "USD", "rate": 1.25}],
        )
    )
    result = on_spark(spark, profit).run(
        KpiRequest(kpis=("cogs", "platform_fees", "gross_profit"), by=("marketplace",), period="2026-03")
    )
    assert [public(r) for r in result.rows] == [
        pytest.approx({"marketplace": "DE", "cogs": 10.40, "platform_fees": 6.70, "gross_profit": 12.90})
    ]


def test_explain_on_spark(spark: Any) -> None:
    facts = Facts().add("order_lines", sales.MARCH).add("fx_rates", sales.RATES)
    ex = on_spark(spark, facts).explain("aov", period="2026-03", where={"marketplace": "US"}, rows=5)
    assert ex.value == 15.0
    assert [(f.import_id, f.rows) for f in ex.files] == [("case", 2)]
    assert [r.row for r in ex.rows] == [6, 7]
