"""One file through the shared steps: read, recognise, decide per-file formats, parse, validate, shape.

The result is a `PreparedImport`: the facts staged in temporary tables of the workspace connection
(temporary tables never touch the workspace file), ready for `loader.commit`. Any problem raises
`ImportRejected` listing every problem found (up to 50), so the user can fix the file in one go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from tradewind.core.errors import MAX_PROBLEMS, ImportRejected, Problem
from tradewind.core.marketplaces import DecimalStyle, Region, find_marketplace
from tradewind.ingest.header_repeats import reject_repeated_headers
from tradewind.ingest.registry import closest_reports, detect_json, detect_table
from tradewind.ingest.source import (
    RawTable,
    SourceFile,
    csv_error,
    open_source,
    read_json,
    read_xlsx_sheets,
    release,
    stage_rows,
    stage_text,
    structural_problems,
)
from tradewind.ingest.spec import Field, ImportContext, ImportJob, ImportOptions, Report, RowCheck
from tradewind.ingest.values import (
    EXPECTED,
    Kind,
    boolean_sql,
    clean_text,
    date_sql,
    decimal_sql,
    decimal_votes_sql,
    fraction_sql,
    integer_sql,
    percent_sql,
    q,
    timestamp_sql,
)
from tradewind.store.fact_schema import FACT_TABLES, SHARED_FACTS, FactTable

RAW = "tw_raw"
SAMPLE = "tw_sample"
TYPED = "tw_typed"
TYPED_DATA = "tw_typed_data"
_SQL_TYPES = {
    Kind.TEXT: "VARCHAR",
    Kind.INTEGER: "BIGINT",
    Kind.DECIMAL: "DECIMAL(18,4)",
    Kind.PERCENT: "DOUBLE",
    Kind.FRACTION: "DOUBLE",
    Kind.DATE: "DATE",
    Kind.TIMESTAMP: "TIMESTAMPTZ",
    Kind.BOOLEAN: "BOOLEAN",
}
_HEADER_SCAN_ROWS = 10
#: Rows that decide a file's number and date layouts (all rows are validated against the decision).
_SAMPLE_ROWS = 5000
#: Rows that shortlist date layouts before the whole sample is tried (see `_layouts`).
_FIRST_ROUND_ROWS = 200


@dataclass
class PreparedImport:
    """A file that passed every check, its facts ready to be written.

    The facts are not copied into staging tables: `staged` holds, per fact table, the query that
    shapes them from the typed table, and the loader inserts its result straight into the workspace
    (a million-line report is materialised once, as typed values, not three times). The staged
    queries read temporary tables and views of this import, so the caller keeps them (and the raw
    file view) until the commit and then calls `release`.
    """

    source: SourceFile
    report: Report
    ctx: ImportContext
    raw: RawTable
    #: fact table -> SELECT producing its rows, in the fact table's column order, with every cast
    #: already checked (so the insert cannot fail halfway on a value)
    staged: dict[str, str] = field(default_factory=dict)


def prepare(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    options: ImportOptions,
    *,
    account_id: str,
    account_marketplaces: tuple[str, ...],
    zones: dict[str, str],
    import_id: str,
    source: SourceFile | None = None,
) -> PreparedImport:
    if source is None:
        source, _ = open_source(path)
    raw, report, mapping = _stage(con, source)
    try:
        return _prepare_staged(
            con, raw, report, mapping, options, account_id, account_marketplaces, zones, import_id
        )
    except duckdb.Error as exc:
        release(con, raw)
        raise csv_error(raw, exc) from exc
    except BaseException:
        release(con, raw)
        raise


def detect_report(con: duckdb.DuckDBPyConnection, source: SourceFile) -> Report:
    """The report a file is, without importing it (it is read, recognised, and nothing stays staged).

    `Workspace.import_file` asks this only when it must know the report before the account: a file of
    shared facts (FX rates) needs no --account in a workspace with several accounts.
    """
    raw: RawTable | None = None
    try:
        raw, report, _mapping = _stage(con, source)
        return report
    finally:
        release(con, raw)


def _prepare_staged(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    report: Report,
    mapping: dict[str, int | None],
    options: ImportOptions,
    account_id: str,
    account_marketplaces: tuple[str, ...],
    zones: dict[str, str],
    import_id: str,
) -> PreparedImport:
    source = raw.source
    # The first rows, read once: the per-file decisions (number and date layouts) look only at them.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {SAMPLE} AS SELECT * FROM {raw.table} LIMIT {_SAMPLE_ROWS}")
    if not con.execute(f"SELECT 1 FROM {SAMPLE} LIMIT 1").fetchall():
        broken = structural_problems(con, raw)
        if broken is not None:
            raise broken
        raise ImportRejected(
            source.name,
            [
                Problem(
                    source.name,
                    f"the file has the header of a {report.title} but no data rows",
                    expected="at least one data row",
                )
            ],
        )
    columns = {name: (f"c{idx}" if idx is not None else None) for name, idx in mapping.items()}
    job = ImportJob(con, raw, report, columns, options, account_id, account_marketplaces, zones)
    job.decimal_style = _decimal_style(job)
    job.layouts = _layouts(job)
    ctx = report.resolve(job, TYPED)
    _create_typed(job, ctx)
    broken = structural_problems(con, raw)
    if broken is not None:
        raise broken
    survey = _survey(job, ctx)
    if survey.unreadable_rows:
        # Files glued together from several downloads repeat the header; say so rather than
        # listing every typed cell of those rows as unreadable.
        reject_repeated_headers(con, raw, report.title)
        parse_problems, parse_total = _parse_problems(job, ctx)
        raise ImportRejected(source.name, parse_problems, total=parse_total)
    row_problems, row_total = _check_problems(job, survey)
    file_problems = report.problems_outside_rows(ctx)
    if row_problems or file_problems:
        raise ImportRejected(source.name, row_problems + file_problems, total=row_total + len(file_problems))
    prepared = PreparedImport(source, report, ctx, raw)
    for table, sql in report.facts(ctx).items():
        _stage_facts(prepared, table, sql, import_id)
    return prepared


# -- reading and recognising ----------------------------------------------------------------------------
def _stage(
    con: duckdb.DuckDBPyConnection, source: SourceFile
) -> tuple[RawTable, Report, dict[str, int | None]]:
    if source.container == "json":
        document = read_json(source)
        report = detect_json(document)
        if report is None:
            raise ImportRejected(
                source.name,
                [
                    Problem(
                        source.name,
                        "unknown JSON report",
                        expected="an SP-API Sales and Traffic or an Ads API v3 spAdvertisedProduct report",
                    )
                ],
            )
        headers, rows = report.json_rows(document)
        raw = stage_rows(con, source, headers, rows, RAW, header_row=1, document=document)
        mapping = report.match(raw.normalised)
        if mapping is None:
            raise ImportRejected(
                source.name, [Problem(source.name, f"the {report.title} lacks required fields")]
            )
        return raw, report, mapping
    if source.container == "xlsx":
        return _stage_xlsx(con, source)
    raw = stage_text(con, source, lambda hs: detect_table(hs, "text") is not None, RAW)
    detected = detect_table(raw.normalised, "text")
    if detected is None:
        raise _unknown(source.name, raw.headers, raw.normalised)
    return raw, detected[0], detected[1]


def _stage_xlsx(
    con: duckdb.DuckDBPyConnection, source: SourceFile
) -> tuple[RawTable, Report, dict[str, int | None]]:
    candidates = []
    first_headers: tuple[str, ...] = ()
    for name, rows in read_xlsx_sheets(source):
        for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
            from tradewind.ingest.headers import normalise_header

            cells = [str(c) if c is not None else "" for c in row]
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells:
                continue
            if not first_headers:
                first_headers = tuple(cells)
            detected = detect_table([normalise_header(c) for c in cells], "xlsx")
            if detected:
                candidates.append((name, i, cells, rows, detected))
                break
    if not candidates:
        from tradewind.ingest.headers import normalise_header

        raise _unknown(source.name, first_headers, tuple(normalise_header(h) for h in first_headers))
    if len(candidates) > 1:
        names = ", ".join(f"'{c[0]}' ({c[4][0].title})" for c in candidates)
        raise ImportRejected(
            source.name,
            [
                Problem(
                    source.name,
                    f"the workbook has several sheets with reports: {names}",
                    expected="one report per workbook: save each sheet as its own file",
                )
            ],
        )
    sheet, index, cells, rows, (report, _mapping) = candidates[0]
    body = [r for r in rows[index + 1 :]]
    numbers = [index + 2 + k for k in range(len(body))]
    keep = [k for k, r in enumerate(body) if any(c not in (None, "") for c in r)]
    raw = stage_rows(
        con,
        source,
        cells,
        [body[k] for k in keep],
        RAW,
        header_row=index + 1,
        sheet=sheet,
        row_numbers=[numbers[k] for k in keep],
    )
    mapping = report.match(raw.normalised)
    assert mapping is not None
    return raw, report, mapping


def _unknown(name: str, headers: tuple[str, ...], normalised: tuple[str, ...]) -> ImportRejected:
    shown = ", ".join(headers[:8]) + (" ..." if len(headers) > 8 else "")
    hints = "; ".join(
        f"{r.title} would need {', '.join(repr(m) for m in missing[:4])}"
        for r, missing in closest_reports(normalised, 2)
    )
    return ImportRejected(
        name,
        [
            Problem(
                name,
                f"not a report Tradewind knows (header: {shown or 'none'})",
                expected=f"one of the supported reports; closest: {hints}" if hints else "a supported report",
            )
        ],
    )


# -- per-file decisions -----------------------------------------------------------------------------------
def _decimal_style(job: ImportJob) -> DecimalStyle:
    numeric = [
        job.columns[f.name]
        for f in job.report.fields
        if f.kind in (Kind.DECIMAL, Kind.PERCENT, Kind.FRACTION) and job.columns.get(f.name)
    ]
    dot = comma = 0
    if numeric:
        parts = ", ".join(decimal_votes_sql(c) for c in numeric if c)
        # The first rows decide (enough to settle the style); every row is still validated later.
        row = job.con.execute(f"SELECT {parts} FROM {SAMPLE}").fetchone()
        row = row or ()
        dot = sum(int(v) for v in row[0::2])
        comma = sum(int(v) for v in row[1::2])
    if dot and not comma:
        return DecimalStyle.DOT
    if comma and not dot:
        return DecimalStyle.COMMA
    if comma and dot:
        # Both styles in one file: the majority wins and the minority fail to parse, with their rows.
        return DecimalStyle.COMMA if comma > dot else DecimalStyle.DOT
    hint = find_marketplace(job.options.marketplace) if job.options.marketplace else None
    return hint.decimal_style if hint else DecimalStyle.DOT


def _layouts(job: ImportJob) -> dict[str, str]:
    """Per date column, the first layout that reads every sampled value (or, failing that, the one that
    reads most; the rest then fail validation with their rows).

    Layouts are first tried on the sample's first rows; only those that read all of them are tried on
    the whole sample (a file's dates almost always fit one or two of the seventeen layouts). Where none
    of them reads the whole sample, every layout is counted on it, as if there were no first round."""
    hint = find_marketplace(job.options.marketplace) if job.options.marketplace else None
    day_first = hint is not None and hint.region in (Region.EU, Region.UK, Region.FE)
    candidates: dict[str, tuple[str, list[str]]] = {}
    for f in job.report.fields:
        col = job.columns.get(f.name)
        if f.kind not in (Kind.DATE, Kind.TIMESTAMP) or col is None:
            continue
        layouts = list(f.layouts())
        if day_first:
            layouts.sort(key=lambda s: 0 if s.startswith("%d") else 1)
        candidates[f.name] = (col, layouts)
    if not candidates:
        return {}
    first = _layout_misses(job, candidates, f"(SELECT * FROM {SAMPLE} LIMIT {_FIRST_ROUND_ROWS})")
    shortlist = {
        name: (col, [fmt for fmt in layouts if not first[name][fmt]] or layouts)
        for name, (col, layouts) in candidates.items()
    }
    misses = _layout_misses(job, shortlist, SAMPLE)
    chosen: dict[str, str] = {}
    for name, (_col, layouts) in shortlist.items():
        best = min(layouts, key=lambda fmt: (misses[name][fmt], layouts.index(fmt)))
        if misses[name][best]:
            full = _layout_misses(job, {name: candidates[name]}, SAMPLE)[name]
            best = min(candidates[name][1], key=lambda fmt: (full[fmt], candidates[name][1].index(fmt)))
        chosen[name] = best
    return chosen


def _layout_misses(
    job: ImportJob, candidates: dict[str, tuple[str, list[str]]], rows: str
) -> dict[str, dict[str, int]]:
    """Per date column and layout, how many non-empty values of `rows` the layout cannot read."""
    failures = [
        f"count(*) FILTER (WHERE {clean_text(col)} IS NOT NULL AND try_strptime({clean_text(col)}, {q(fmt)}) IS NULL)"
        for col, layouts in candidates.values()
        for fmt in layouts
    ]
    row = job.con.execute(f"SELECT {', '.join(failures)} FROM {rows}").fetchone() or ()
    counts = iter(int(v) for v in row)
    return {name: {fmt: next(counts) for fmt in layouts} for name, (_col, layouts) in candidates.items()}


def parse_sql(f: Field, col: str, job: ImportJob, zone: str | None) -> str:
    match f.kind:
        case Kind.TEXT:
            return clean_text(col)
        case Kind.INTEGER:
            return integer_sql(col)
        case Kind.DECIMAL:
            return decimal_sql(col, job.decimal_style)
        case Kind.PERCENT:
            return percent_sql(col, job.decimal_style)
        case Kind.FRACTION:
            return fraction_sql(col, job.decimal_style)
        case Kind.DATE:
            return date_sql(col, job.layouts[f.name])
        case Kind.TIMESTAMP:
            return timestamp_sql(col, job.layouts[f.name], zone)
        case Kind.BOOLEAN:
            return boolean_sql(col)


def _expected(f: Field, job: ImportJob) -> str:
    if f.kind in (Kind.DATE, Kind.TIMESTAMP):
        layout = job.layouts.get(f.name, "")
        return f"{EXPECTED[f.kind]} in the file's layout {layout.replace('%', '')}"
    if f.kind is Kind.DECIMAL:
        return (
            "a number like 1.234,56" if job.decimal_style is DecimalStyle.COMMA else "a number like 1,234.56"
        )
    if f.kind is Kind.TEXT and f.pattern:
        return f.pattern_hint or f"text matching {f.pattern}"
    return EXPECTED[f.kind]


def _conditions(job: ImportJob, ctx: ImportContext) -> list[tuple[Field, str, str, str]]:
    """(field, condition over the raw columns, raw column, message) for every way a cell can be wrong."""
    conditions: list[tuple[Field, str, str, str]] = []
    for f in job.report.fields:
        col = job.columns.get(f.name)
        if col is None:
            continue
        clean = clean_text(col)
        if f.kind is not Kind.TEXT:
            parsed = parse_sql(f, col, job, ctx.zone)
            conditions.append(
                (f, f"({clean} IS NOT NULL AND {parsed} IS NULL)", col, "cannot read this value")
            )
        elif f.pattern:
            conditions.append(
                (
                    f,
                    f"({clean} IS NOT NULL AND NOT regexp_full_match({clean}, {q(f.pattern)}))",
                    col,
                    "unexpected value",
                )
            )
        if f.not_null:
            conditions.append((f, f"({clean} IS NULL)", col, "a value is required here"))
    return conditions


def _create_typed(job: ImportJob, ctx: ImportContext) -> None:
    """Parse every cell once into the typed table, flagging (`_bad`) rows with a cell that did not parse.

    Parsing and validating in one pass keeps a million-row import close to DuckDB's own read speed;
    the details of the (rare) bad rows are worked out afterwards from those rows alone.
    """
    inner: list[str] = []
    outer: list[str] = []
    bad: list[str] = []
    for f in job.report.fields:
        col = job.columns.get(f.name)
        if col is None:
            outer.append(f"CAST(NULL AS {_SQL_TYPES[f.kind]}) AS {f.name}")
            continue
        parsed = f"p_{f.name}"
        inner.append(f"{parse_sql(f, col, job, ctx.zone)} AS {parsed}")
        outer.append(f"CAST({parsed} AS {_SQL_TYPES[f.kind]}) AS {f.name}")
        if f.kind is Kind.TEXT:
            # Text is its own cleaned value: present exactly when it is not NULL.
            if f.pattern:
                bad.append(f"({parsed} IS NOT NULL AND NOT regexp_full_match({parsed}, {q(f.pattern)}))")
            if f.not_null:
                bad.append(f"({parsed} IS NULL)")
            continue
        present = f"h_{f.name}"
        inner.append(f"({clean_text(col)} IS NOT NULL) AS {present}")
        bad.append(f"({present} AND {parsed} IS NULL)")
        if f.not_null:
            bad.append(f"(NOT {present})")
    outer.append(f"({' OR '.join(bad) if bad else 'false'}) AS _bad")
    raw = job.raw
    # rows staged by Python (XLSX, JSON) carry their `_row`; a text file's rows are numbered below
    row = "_row, " if raw.scan is None else ""
    typed = (
        f"SELECT {row}{', '.join(outer)} "
        f"FROM (SELECT {row}{', '.join(inner) or 'NULL AS _none'} FROM {raw.scan or raw.table})"
    )
    for name, sql in job.report.derived(ctx).items():
        typed = f"SELECT *, {sql} AS {name} FROM ({typed})"
    if raw.scan is None:
        job.con.execute(f"CREATE OR REPLACE TEMP TABLE {TYPED} AS {typed}")
    else:
        # One parallel pass over the file (insertion order is preserved, so `rowid` is the record's
        # position); the typed view numbers rows from it without a single-threaded window.
        job.con.execute(f"CREATE OR REPLACE TEMP TABLE {TYPED_DATA} AS {typed}")
        job.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {TYPED} AS "
            f"SELECT (rowid + {raw.header_row + 1})::INTEGER AS _row, * FROM {TYPED_DATA}"
        )


def _parse_problems(job: ImportJob, ctx: ImportContext) -> tuple[list[Problem], int]:
    """Which cells of the rows flagged `_bad` did not parse, and why (up to MAX_PROBLEMS, and the total)."""
    conditions = _conditions(job, ctx)
    bad_rows = f"(SELECT r.* FROM {job.raw.table} r SEMI JOIN {TYPED} t ON r._row = t._row AND t._bad)"
    union = " UNION ALL ".join(
        f"SELECT _row, {k} AS k, {col} AS v FROM {bad_rows} WHERE {cond}"
        for k, (_f, cond, col, _m) in enumerate(conditions)
    )
    rows = job.con.execute(
        f"SELECT _row, k, v FROM ({union}) ORDER BY _row, k LIMIT {MAX_PROBLEMS}"
    ).fetchall()
    total = job.con.execute(f"SELECT count(*) FROM ({union})").fetchone()
    problems = []
    for row, k, value in rows:
        f, _cond, col, message = conditions[k]
        problems.append(
            Problem(
                job.file_name,
                message,
                row=int(row),
                column=job.raw.headers[int(col[1:])],
                value=value,
                expected=_expected(f, job),
            )
        )
    return problems, int(total[0]) if total else len(problems)


@dataclass(frozen=True)
class _Survey:
    """What one pass over the typed table found: unreadable rows, and the report checks that failed."""

    unreadable_rows: int
    #: (check, rows that fail it): only the checks that failed, or whose whole-file gate opened
    #: (their rows are then counted by `_check_problems`, with None here)
    failed: tuple[tuple[RowCheck, int | None], ...]


def _survey(job: ImportJob, ctx: ImportContext) -> _Survey:
    """Count unreadable rows and every ungated check's failures, and evaluate every check's gate, in
    one aggregate over the typed table (checks may use window functions, so they sit in a projection).
    A good file, the usual case, costs this one pass."""
    checks = job.report.checks(ctx)
    ungated = [c for c in checks if not c.only_if]
    gated = [c for c in checks if c.only_if]
    flags = "".join(f", ({c.bad_sql}) AS _c{i}" for i, c in enumerate(ungated))
    aggregates = [
        "count(*) FILTER (WHERE _bad)",
        *(f"count(*) FILTER (WHERE _c{i})" for i in range(len(ungated))),
        *(f"coalesce({c.only_if}, false)" for c in gated),
    ]
    row = job.con.execute(f"SELECT {', '.join(aggregates)} FROM (SELECT *{flags} FROM {TYPED})").fetchone()
    values = list(row or [0] * len(aggregates))
    counts, gates = values[1 : 1 + len(ungated)], values[1 + len(ungated) :]
    failed: list[tuple[RowCheck, int | None]] = [
        (c, int(n)) for c, n in zip(ungated, counts, strict=True) if n
    ]
    failed += [(c, None) for c, gate in zip(gated, gates, strict=True) if gate]
    return _Survey(int(values[0] or 0), tuple(failed))


def _check_problems(job: ImportJob, survey: _Survey) -> tuple[list[Problem], int]:
    """The rows behind each failed check (up to MAX_PROBLEMS in all, sorted by row), and the total."""
    problems: list[Problem] = []
    total = 0
    for check, known in survey.failed:
        select = (
            f"SELECT _row, _c, _v FROM (SELECT _row, ({check.bad_sql}) AS _c, "
            f"CAST({check.value_sql or 'NULL'} AS VARCHAR) AS _v FROM {TYPED}) WHERE _c"
        )
        if known is None:
            row = job.con.execute(f"SELECT count(*) FROM ({select})").fetchone()
            known = int(row[0]) if row else 0
        if not known:
            continue
        total += known
        rows = job.con.execute(
            f"SELECT _row, _v FROM ({select}) ORDER BY _row LIMIT {MAX_PROBLEMS}"
        ).fetchall()
        problems.extend(
            Problem(
                job.file_name,
                check.message,
                row=int(r),
                column=check.column,
                value=v,
                expected=check.expected,
            )
            for r, v in rows
        )
    problems.sort(key=lambda p: p.row or 0)
    return problems[:MAX_PROBLEMS], total


# -- shaping facts ----------------------------------------------------------------------------------------
#: DESCRIBE spells some types differently from the fact schema.
_TYPE_ALIASES = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}


def _stage_facts(prepared: PreparedImport, table: str, sql: str, import_id: str) -> None:
    """Shape a report's fact query into the fact table's columns and check the rows before any write.

    Checked here, so that the insert cannot fail halfway: required values present, every value
    fitting its column's type, and no two rows with the same natural key.
    """
    con = prepared.ctx.job.con
    fact = FACT_TABLES[table]
    provided = {str(r[0]): str(r[1]) for r in con.execute(f"DESCRIBE {sql}").fetchall()}
    account = "*" if table in SHARED_FACTS else prepared.ctx.account_id
    selects = []
    narrowing: list[str] = []
    for column in fact.columns:
        sql_type = column.type.replace(" NOT NULL", "")
        if column.name == "account_id":
            selects.append(f"{q(account)} AS account_id")
        elif column.name == "import_id":
            selects.append(f"{q(import_id)} AS import_id")
        elif column.name in provided:
            selects.append(f"CAST(s.{column.name} AS {sql_type}) AS {column.name}")
            source_type = provided[column.name]
            if not sql_type.startswith("VARCHAR") and source_type != _TYPE_ALIASES.get(sql_type, sql_type):
                narrowing.append(column.name)
        else:
            selects.append(f"CAST(NULL AS {sql_type}) AS {column.name}")
    shaped = f"SELECT {', '.join(selects)} FROM ({sql}) s"
    name = prepared.source.name
    # A numbered key column is a row_number(): never NULL, never beyond INTEGER, never repeated.
    numbered = fact.natural_key[-1] if table in prepared.report.keys_numbered else None
    problems = _missing_or_unfit(con, fact, sql, narrowing, numbered, name)
    key = ", ".join(fact.natural_key)
    dupes = (
        []
        if numbered
        else con.execute(
            f"SELECT list(source_row ORDER BY source_row) FROM ({shaped}) "
            f"GROUP BY {key} HAVING count(*) > 1 LIMIT 20"
        ).fetchall()
    )
    for (rows_list,) in dupes:
        problems.append(
            Problem(
                name,
                f"rows {', '.join(map(str, rows_list))} describe the same {fact.name.replace('_', ' ')} "
                f"({', '.join(fact.natural_key[1:])})",
                row=rows_list[0],
                expected="each fact once per file",
            )
        )
    if problems:
        raise ImportRejected(name, problems)
    prepared.staged[table] = shaped


def _missing_or_unfit(
    con: duckdb.DuckDBPyConnection,
    fact: FactTable,
    sql: str,
    narrowing: list[str],
    numbered: str | None,
    name: str,
) -> list[Problem]:
    """Rows of the fact query lacking a required value, or holding one too large for its column (the
    `numbered` column, a row number, can be neither)."""
    narrowing = [c for c in narrowing if c != numbered]
    required = [
        c.name
        for c in fact.columns
        if "NOT NULL" in c.type and c.name not in ("account_id", "import_id", numbered)
    ]
    types = {c.name: c.type.replace(" NOT NULL", "") for c in fact.columns}
    conditions = [
        (f"s.{c} IS NULL", f"no value for {c.replace('_', ' ')}", f"the {c.replace('_', ' ')} of every row")
        for c in required
    ]
    conditions += [
        (
            f"(s.{c} IS NOT NULL AND TRY_CAST(s.{c} AS {types[c]}) IS NULL)",
            f"the {c.replace('_', ' ')} is out of range",
            f"a value that fits {types[c]}",
        )
        for c in narrowing
    ]
    if not conditions:
        return []
    rows = con.execute(
        f"SELECT s.source_row, {', '.join(cond for cond, _m, _e in conditions)} FROM ({sql}) s "
        f"WHERE {' OR '.join(cond for cond, _m, _e in conditions)} ORDER BY s.source_row LIMIT {MAX_PROBLEMS}"
    ).fetchall()
    return [
        Problem(name, message, row=r[0], expected=expected)
        for r in rows
        for (_cond, message, expected), failed in zip(conditions, r[1:], strict=True)
        if failed
    ]


def describe_value(value: Any) -> str:
    return "" if value is None else str(value)
