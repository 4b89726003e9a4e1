"""Running a query to a pandas frame, fast where the backend allows it.

Ibis's DuckDB `execute` turns every column that has a NULL into a Python list before building the
frame; the board has dozens of float columns with NULLs over a million rows, so that alone cost
seconds. Here numeric columns go through Arrow's vectorised conversion (NULL -> NaN, the same values
Ibis ends with), other columns take Ibis's own path, and Ibis's type conversion finishes each column,
so the result is the frame `expr.execute()` would give. Other backends use `execute()` unchanged.
"""

from __future__ import annotations

from typing import Any

import ibis.expr.schema as sch
import ibis.expr.types as ir
import pandas as pd


def fetch(backend: Any, expr: ir.Table) -> pd.DataFrame:
    if getattr(backend, "name", None) != "duckdb":
        return expr.execute()
    return _to_frame(backend._to_duckdb_relation(expr).to_arrow_table(), expr.schema())


def fetch_sql(backend: Any, sql: str, schema: sch.Schema) -> pd.DataFrame:
    """A compiled query (DuckDB) to the frame `execute()` would give for an expression of `schema`."""
    return _to_frame(backend.con.sql(sql).to_arrow_table(), schema)


def _to_frame(table: Any, schema: sch.Schema) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.types as pat
    from ibis.backends.duckdb.converter import DuckDBPandasData

    if tuple(table.column_names) != tuple(schema.names):
        raise ValueError("internal: query columns do not match the expression's schema")
    columns: dict[str, Any] = {}
    for name, dtype in schema.items():
        # take each column out of the Arrow table as it is converted, so its buffers are freed then
        # rather than all of them living alongside the whole converted frame
        col = table.column(0)
        table = table.remove_column(0)
        if col.null_count and (pat.is_floating(col.type) or pat.is_integer(col.type)):
            data: Any = col.to_numpy().astype("float64", copy=False)
        elif pat.is_nested(col.type) or pat.is_dictionary(col.type) or col.null_count:
            data = col.to_pylist()
        else:
            data = col.to_pandas()
        columns[name] = DuckDBPandasData.convert_column(pd.Series(data, name=name), dtype)
    # copy=False keeps one block per column: consolidating dozens of float columns into one 2-D block
    # copies the whole result for nothing (the engine reads it column by column)
    frame = pd.DataFrame(columns, copy=False)
    del table
    # Arrow's allocator keeps freed buffers for reuse; hand them back now that the frame owns its data
    pa.default_memory_pool().release_unused()
    return frame
