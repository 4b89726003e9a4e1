"""Rows that repeat the header line: files glued together from several downloads.

Concatenating report downloads (`cat a.txt b.txt`) leaves the second header in the data, and test
fixtures such as Airbyte's repeat the header three times. Read as data, such a row fails on every
typed column; saying "row 5 repeats the header" tells the user what actually happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradewind.core.errors import ImportRejected, Problem
from tradewind.ingest.values import q

if TYPE_CHECKING:
    import duckdb

    from tradewind.ingest.source import RawTable


def repeated_header_rows(con: duckdb.DuckDBPyConnection, raw: RawTable, limit: int = 20) -> list[int]:
    """Row numbers whose cells are the header's cells again (compared trimmed, ignoring case)."""
    named = [(i, h) for i, h in enumerate(raw.headers) if h.strip()]
    if not named:
        return []
    same = " AND ".join(f"lower(trim(coalesce(c{i}, ''))) = {q(h.strip().lower())}" for i, h in named)
    rows = con.execute(f"SELECT _row FROM {raw.table} WHERE {same} ORDER BY _row LIMIT {limit}").fetchall()
    return [int(r[0]) for r in rows]


def reject_repeated_headers(con: duckdb.DuckDBPyConnection, raw: RawTable, title: str) -> None:
    """Raise `ImportRejected` naming every repeated header row, when there is one."""
    rows = repeated_header_rows(con, raw)
    if not rows:
        return
    problems = [
        Problem(
            raw.source.name,
            f"this row repeats the header line of the {title}",
            row=row,
            expected="the header once, at the top (were several downloads joined into one file?)",
        )
        for row in rows
    ]
    raise ImportRejected(raw.source.name, problems)
