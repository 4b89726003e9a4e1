"""The shape of a rollup table (see `rollups.py`): its column names and what `rollup_meta` records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tradewind.catalog import Catalog

#: The dimensions a rollup keeps (a region is a set of marketplaces).
ROLLUP_DIMS = frozenset({"account", "marketplace", "region"})
META_TABLE = "rollup_meta"


def rollup_table(fact: str) -> str:
    return f"rollup__{fact}"


def value_col(measure: str) -> str:
    return f"r__{measure}"


def missing_count_col(measure: str) -> str:
    return f"r__miss__{measure}"


def amount_rows_col(group: int) -> str:
    return f"r__amt__{group}"


def currency_col(group: int) -> str:
    return f"rk__{group}"


ROWS_COL = "r__rows"


@dataclass(frozen=True)
class Rollup:
    """One fact's rollup as recorded in `rollup_meta`."""

    fact: str
    table: str
    data_version: str
    #: measure id -> the measure's catalog version when the rollup was built
    measures: Mapping[str, str]
    #: the currency expressions of money measures converting from something other than the fact's own
    #: currency (a looked-up order's currency); column `rk__<i>` holds the i-th
    currencies: tuple[str, ...]

    def holds(self, catalog: Catalog, measure: str) -> bool:
        return self.measures.get(measure) == catalog.version(measure)

    def currency_group(self, text: str | None) -> int | None:
        """The `rk__<i>` index of a currency expression (None: the fact's own currency column)."""
        return None if text is None else self.currencies.index(text)
