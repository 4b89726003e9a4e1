"""What a report module declares: its fields (by header name), how it is recognised, what facts it makes.

A report module subclasses `Report`, lists its `fields` and writes `facts()`: SQL over the typed
staging table (`ctx.typed`, one column per field plus `_row`) that yields rows of canonical fact tables.
Everything else (reading, decoding, detection, parsing, validation, loading) is shared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from tradewind.core.errors import NeedsOption, Problem
from tradewind.core.marketplaces import DecimalStyle, Marketplace, find_marketplace
from tradewind.ingest.headers import normalise_header
from tradewind.ingest.values import DATE_FORMATS, TIMESTAMP_FORMATS, Kind, q, zone_case_sql

if TYPE_CHECKING:
    import duckdb

    from tradewind.ingest.source import RawTable


@dataclass(frozen=True)
class Field:
    """One column of a report, found by any of its header spellings (compared after normalising)."""

    name: str
    kind: Kind
    aliases: tuple[str, ...]
    #: The header must be present for the file to be this report.
    required: bool = True
    #: Every data row needs a value.
    not_null: bool = False
    #: TEXT values must match this regex (a code list, an id layout).
    pattern: str | None = None
    pattern_hint: str | None = None
    #: Date/timestamp layouts to try, in order; defaults per kind.
    formats: tuple[str, ...] = ()
    #: A regex (on the normalised header) for headers that vary, e.g. `7 day total sales (£)`.
    header_pattern: str | None = None

    @cached_property
    def _normalised(self) -> frozenset[str]:
        return frozenset(normalise_header(a) for a in self.aliases)

    def normalised_aliases(self) -> frozenset[str]:
        return self._normalised

    def matches_header(self, normalised: str) -> bool:
        if normalised in self.normalised_aliases():
            return True
        return bool(self.header_pattern and re.fullmatch(self.header_pattern, normalised))

    def layouts(self) -> tuple[str, ...]:
        if self.formats:
            return self.formats
        return DATE_FORMATS if self.kind is Kind.DATE else TIMESTAMP_FORMATS


@dataclass(frozen=True)
class ImportOptions:
    """What the user said on the command line; a file may need some of it."""

    account: str | None = None
    marketplace: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    snapshot_date: date | None = None
    dry_run: bool = False


@dataclass
class ImportJob:
    """Everything known about one file while it is being imported."""

    con: duckdb.DuckDBPyConnection
    raw: RawTable
    report: Report
    #: field name -> raw column (c0...) or None when the optional header is absent
    columns: dict[str, str | None]
    options: ImportOptions
    account_id: str
    account_marketplaces: tuple[str, ...]
    zones: dict[str, str]
    decimal_style: DecimalStyle = DecimalStyle.DOT
    #: field name -> chosen date/timestamp layout
    layouts: dict[str, str] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return self.raw.source.name

    def has(self, name: str) -> bool:
        return self.columns.get(name) is not None

    def raw_values(self, name: str, limit: int = 5) -> list[str]:
        col = self.columns.get(name)
        if col is None:
            return []
        rows = self.con.execute(
            f"SELECT DISTINCT trim({col}) FROM {self.raw.table} WHERE NULLIF(trim({col}), '') IS NOT NULL "
            f"LIMIT {limit}"
        ).fetchall()
        return [r[0] for r in rows]

    def currency_symbols(self, *names: str) -> dict[str, int]:
        """Currency symbols or ISO codes written in money cells (`£12.34`, `1.234,56 €`), with counts."""
        found: dict[str, int] = {}
        for name in names:
            col = self.columns.get(name)
            if col is None:
                continue
            rows = self.con.execute(
                f"SELECT sym, count(*) FROM (SELECT regexp_extract({col}, "
                r"'(CA\$|C\$|A\$|MX\$|US\$|\$|£|€|¥|₹|zł|kr|\b[A-Z]{3}\b)') AS sym FROM "
                f"{self.raw.table}) WHERE sym <> '' GROUP BY sym"
            ).fetchall()
            for sym, count in rows:
                found[sym] = found.get(sym, 0) + int(count)
        return found

    def zone_case(self, marketplace_expr: str) -> str:
        return zone_case_sql(marketplace_expr, self.zones)


@dataclass
class ImportContext:
    """What `Report.resolve` decided about a file; `facts()` builds SQL from it."""

    job: ImportJob
    typed: str
    marketplace: Marketplace | None = None
    date_from: date | None = None
    date_to: date | None = None
    snapshot_date: date | None = None
    variant: str | None = None
    #: IANA zone used for naive timestamps in this file.
    zone: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def account_id(self) -> str:
        return self.job.account_id

    def lit(self, value: Any) -> str:
        """A SQL literal for a context value (strings quoted, dates typed, None as NULL)."""
        if value is None:
            return "NULL"
        if isinstance(value, date):
            return f"DATE {q(value.isoformat())}"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        return q(str(value))


@dataclass(frozen=True)
class RowCheck:
    """A report-specific rule: rows where `bad_sql` (over the typed table) is true are problems."""

    bad_sql: str
    message: str
    column: str | None = None
    value_sql: str | None = None
    expected: str | None = None
    #: An aggregate over the typed table that must be true for the check to run at all: a cheap
    #: whole-file test that spares the row-by-row (often window) predicate on good files.
    only_if: str | None = None


class Report:
    """Base for report modules. Subclasses set the class attributes and implement `facts`."""

    id: ClassVar[str]
    title: ClassVar[str]
    fields: ClassVar[tuple[Field, ...]]
    containers: ClassVar[frozenset[str]] = frozenset({"text", "xlsx"})
    #: Fact tables this report writes (for the ledger and for tests).
    produces: ClassVar[tuple[str, ...]]
    #: Fact tables whose natural key ends in a number this report assigns with `row_number()` over
    #: the rest of the key (an order's line numbers): no two rows of a file can share a key, so the
    #: import skips the duplicate-key check, a grouping of every row of a million-line order file.
    keys_numbered: ClassVar[frozenset[str]] = frozenset()

    # -- recognition --------------------------------------------------------------------------------
    def match(self, normalised_headers: Sequence[str]) -> dict[str, int | None] | None:
        """Field -> header index, or None when a required field is missing (not this report)."""
        found: dict[str, int | None] = {}
        for f in self.fields:
            index = next((i for i, h in enumerate(normalised_headers) if f.matches_header(h)), None)
            if index is None and f.required:
                return None
            found[f.name] = index
        return found

    def matches_json(self, document: Any) -> bool:
        return False

    def json_rows(self, document: Any) -> tuple[list[str], list[list[Any]]]:
        raise NotImplementedError

    # -- decisions ----------------------------------------------------------------------------------
    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        """Decide marketplace, dates and zone. Default: the marketplace the user or account gives."""
        ctx = ImportContext(job, typed)
        ctx.marketplace = self.marketplace_from_options(job)
        if ctx.marketplace is not None:
            ctx.zone = job.zones.get(ctx.marketplace.code)
        return ctx

    def naive_zone(self, job: ImportJob) -> str | None:
        """The zone for timestamps written without an offset (before `resolve`)."""
        m = self.marketplace_from_options(job)
        return job.zones.get(m.code) if m else None

    @staticmethod
    def marketplace_from_options(job: ImportJob) -> Marketplace | None:
        if job.options.marketplace:
            return find_marketplace(job.options.marketplace)
        if len(job.account_marketplaces) == 1:
            return find_marketplace(job.account_marketplaces[0])
        return None

    @staticmethod
    def require_marketplace(job: ImportJob, why: str) -> Marketplace:
        m = Report.marketplace_from_options(job)
        if m is None:
            raise NeedsOption(f"{job.file_name}: {why}; say which with --marketplace (e.g. --marketplace DE)")
        return m

    def derived(self, ctx: ImportContext) -> dict[str, str]:
        """Row values worked out from the typed columns in the pass that parses the file, and stored
        beside them: a value that checks and facts both need (the marketplace a sales channel names,
        the local day of an instant) is then computed once per row, not once per use. Name -> SQL
        over the typed columns and the derived values named before it."""
        return {}

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return []

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        """Fact table -> SQL SELECT over `ctx.typed` with that table's columns (missing ones are NULL;
        account_id and import_id are added by the loader)."""
        raise NotImplementedError

    def problems_outside_rows(self, ctx: ImportContext) -> list[Problem]:
        """File-level problems found after typing (e.g. a settlement whose lines do not add up)."""
        return []
