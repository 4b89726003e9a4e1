"""Reading a file as it was downloaded: container, encoding, delimiter, header line.

The result is a `RawTable` in the import's DuckDB connection: every cell as text (`c0..cN`) plus
`_row`, the row number a spreadsheet would show. Parsing values happens later, in SQL.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from tradewind.core.errors import ImportRejected, Problem
from tradewind.ingest.headers import normalise_header

#: Fields longer than this are not report data (a pasted document, a binary blob).
MAX_FIELD_BYTES = 1_000_000
_SNIFF_BYTES = 64 * 1024
_HEADER_SCAN_LINES = 10


@dataclass(frozen=True)
class SourceFile:
    """The file as given: its bytes' identity and how it was decoded."""

    path: Path
    name: str
    sha256: str
    size_bytes: int
    container: str  # text | xlsx | json
    compressed: bool = False
    #: The bytes are UTF-8 without a byte-order mark, so DuckDB can read the file where it lies
    #: (checked in the same pass that hashes the file: a large report is read once, not decoded whole).
    plain_utf8: bool = False


@dataclass
class RawTable:
    """All cells of the report as text, staged in DuckDB as table `table` (c0..cN, _row)."""

    source: SourceFile
    table: str
    headers: tuple[str, ...]
    normalised: tuple[str, ...]
    header_row: int
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    #: JSON reports keep the parsed document here (for report-level metadata such as date ranges).
    document: Any = None
    #: A temporary UTF-8 copy of a file in another encoding (deleted by `release`).
    temp_path: Path | None = None
    #: For text files: the reader without `_row`, for one parallel pass over the whole file. Rows
    #: come out in file order, so a row's number is its position plus `header_row` + 1.
    scan: str | None = None
    notes: list[str] = field(default_factory=list)

    def column_of(self, normalised_header: str) -> str | None:
        for i, name in enumerate(self.normalised):
            if name == normalised_header:
                return f"c{i}"
        return None


def _fingerprint(path: Path) -> tuple[str, int, bool]:
    """The file's sha256, its size, and whether its bytes are UTF-8 without a byte-order mark.

    One pass in 1 MB chunks: ASCII chunks (most of a report) skip decoding entirely, the rest go
    through an incremental decoder, so a character split across two chunks is still read correctly.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    size = 0
    utf8 = True
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            if size == 0 and chunk.startswith(b"\xef\xbb\xbf"):
                utf8 = False
            size += len(chunk)
            if utf8 and not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return digest.hexdigest(), size, utf8


def open_source(path: Path) -> tuple[SourceFile, bytes]:
    """Identify the container and return the first bytes of the (decompressed) content."""
    if not path.exists():
        raise ImportRejected(str(path), [Problem(str(path), "file not found")])
    if path.is_dir():
        raise ImportRejected(str(path), [Problem(str(path), "is a folder, not a report file")])
    sha, size, utf8 = _fingerprint(path)
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    compressed = head[:2] == b"\x1f\x8b"
    if compressed:
        with gzip.open(path, "rb") as gz:
            try:
                head = gz.read(_SNIFF_BYTES)
            except OSError as exc:
                raise ImportRejected(path.name, [Problem(path.name, f"damaged gzip file: {exc}")]) from exc
    if not head.strip():
        raise ImportRejected(
            path.name, [Problem(path.name, "the file is empty", expected="a report with a header row")]
        )
    if head[:4] == b"PK\x03\x04":
        container = "xlsx"
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        container = "json"
    else:
        container = "text"
    if container == "text" and _looks_binary(head):
        raise ImportRejected(
            path.name,
            [
                Problem(
                    path.name,
                    "this is a binary file, not a report",
                    expected="a CSV/TSV text file, XLSX or JSON",
                )
            ],
        )
    return SourceFile(path, path.name, sha, size, container, compressed, utf8 and not compressed), head


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    control = sum(1 for b in head[:4096] if b < 32 and b not in (9, 10, 13))
    return control > 8


# -- text ------------------------------------------------------------------------------------------
def sniff_text(source: SourceFile) -> tuple[str, str]:
    """The text to find the header in (at least the first `_SNIFF_BYTES`), and the encoding. A UTF-8
    file, which DuckDB reads in place, is decoded only that far; any other is decoded whole (its UTF-8
    copy is written from this text)."""
    if source.plain_utf8:
        with source.path.open("rb") as fh:
            return fh.read(_SNIFF_BYTES).decode("utf-8", errors="ignore"), "utf-8"
    return decode_text(source)


def decode_text(source: SourceFile) -> tuple[str, str]:
    """Decode the whole file: UTF-8 (with or without BOM), else cp1252, else Latin-1."""
    data = gzip.decompress(source.path.read_bytes()) if source.compressed else source.path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(line: str) -> str:
    if "\t" in line:
        return "\t"
    if line.count(", ") >= 3 and line.count(", ") >= line.count(",") - 1:
        return ", "  # the ECB daily file
    if line.count(";") > line.count(","):
        return ";"
    return ","


def split_header(line: str, delimiter: str) -> list[str]:
    if delimiter == "\t":
        return line.rstrip("\r\n").split("\t")
    import csv

    return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter[0], skipinitialspace=delimiter == ", "))


def stage_text(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    is_header: Callable[[Sequence[str]], bool],
    table: str,
) -> RawTable:
    """Find the header line, then define `table` as DuckDB's reading of every row as text."""
    text, encoding = sniff_text(source)
    lines = text[:_SNIFF_BYTES].splitlines()[:_HEADER_SCAN_LINES]
    header_index = None
    delimiter = ","
    cells: list[str] = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        delimiter = sniff_delimiter(line)
        cells = split_header(line, delimiter)
        if is_header([normalise_header(c) for c in cells]):
            header_index = i
            break
    if header_index is None:
        first = next((ln for ln in lines if ln.strip()), "")
        delimiter = sniff_delimiter(first)
        cells = split_header(first, delimiter)
        header_index = next(i for i, ln in enumerate(lines) if ln.strip()) if first else 0
    # Trailing empty header cells (the ECB files end every line with a delimiter) are not columns.
    while cells and not cells[-1].strip() and len(cells) > 1:
        cells.pop()
    headers = tuple(c.strip() for c in cells)
    path = source.path if source.plain_utf8 else _utf8_copy(text)
    if delimiter == ", ":
        delimiter = ","  # the ECB daily file: values are trimmed when typed
    ncols = len(headers)
    # A trailing delimiter adds one empty column per line; read it, then ignore it.
    columns = {
        f"c{i}": "VARCHAR" for i in range(ncols + _trailing_extra(text, header_index, delimiter, ncols))
    }
    quote = "" if delimiter == "\t" else '"'
    escape = "" if delimiter == "\t" else '"'
    # A view, not a table: the file is read once, when the typed table is built from it, so a
    # million-line report is not copied twice. Structural errors are collected by `store_rejects`
    # during that read and reported by `structural_problems`.
    reader = (
        f"read_csv({_literal(str(path))}, delim={_literal(delimiter)}, quote={_literal(quote)}, "
        f"escape={_literal(escape)}, header=false, skip={header_index + 1}, all_varchar=true, "
        f"columns={columns!r}, strict_mode=true, null_padding=false, store_rejects=true, "
        f"max_line_size={MAX_FIELD_BYTES * 2}, auto_detect=false)"
    )
    # `_row` numbers records in file order; the window is single-threaded, so the bulk read
    # (`scan`) goes without it and numbers rows by position afterwards (see `RawTable.scan`).
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {table} AS "
        f"SELECT *, (row_number() OVER () + {header_index + 1})::INTEGER AS _row FROM {reader}"
    )
    return RawTable(
        source,
        table,
        headers,
        tuple(normalise_header(h) for h in headers),
        header_index + 1,
        encoding=encoding,
        delimiter=delimiter,
        temp_path=path if path != source.path else None,
        scan=reader,
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def csv_error(raw: RawTable, exc: Exception) -> ImportRejected:
    """A DuckDB error while reading the file, as the user's problem (a line too long, a broken quote)."""
    return ImportRejected(raw.source.name, [_csv_problem(raw.source.name, str(exc))])


def structural_problems(con: duckdb.DuckDBPyConnection, raw: RawTable) -> ImportRejected | None:
    """Rows DuckDB could not split into the header's columns, from the last read of the file."""
    if raw.delimiter is None:
        return None
    rejects = con.execute(
        # A file may be scanned more than once (a first look, then the full read): count each line once.
        "SELECT DISTINCT line, column_idx, error_type, csv_line FROM reject_errors ORDER BY line LIMIT 60"
    ).fetchall()
    total = con.execute("SELECT count(DISTINCT line) FROM reject_errors").fetchone()
    con.execute("DELETE FROM reject_errors")
    con.execute("DELETE FROM reject_scans")
    if not rejects:
        return None
    ncols = len(raw.headers)
    problems = [
        _reject_problem(raw.source.name, int(line), str(err), str(csv_line), ncols, raw.delimiter)
        for line, _col, err, csv_line in rejects
    ]
    return ImportRejected(raw.source.name, problems, total=int(total[0]) if total else len(problems))


def release(con: duckdb.DuckDBPyConnection, raw: RawTable | None) -> None:
    """Drop the staging view/table and any temporary UTF-8 copy of the file."""
    if raw is None:
        return
    # DuckDB refuses `DROP VIEW` on a table (and the reverse): text files stage a view, JSON/XLSX a table.
    is_view = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = ?", [raw.table]
    ).fetchone()
    con.execute(f"DROP {'VIEW' if is_view and is_view[0] else 'TABLE'} IF EXISTS {raw.table}")
    if raw.temp_path is not None:
        raw.temp_path.unlink(missing_ok=True)


def _reject_problem(
    name: str, line: int, error_type: str, csv_line: str, ncols: int, delimiter: str
) -> Problem:
    kind = error_type.upper()
    shown = csv_line[:80]
    if "LINE SIZE" in kind:
        return Problem(
            name,
            f"the row is longer than {MAX_FIELD_BYTES * 2 // 1_000_000} MB",
            row=line,
            value=shown,
            expected="report rows of ordinary length",
        )
    if "QUOTE" in kind:
        return Problem(
            name,
            "a quoted value is never closed (a truncated or damaged file)",
            row=line,
            value=shown,
            expected="every opening quote to have a closing quote",
        )
    if "UNICODE" in kind:
        return Problem(name, "the row is not valid text in the file's encoding", row=line, value=shown)
    sep = "tab" if delimiter == "\t" else repr(delimiter)
    what = "fewer" if "MISSING" in kind else "more"
    return Problem(
        name,
        f"the row has {what} values than the {ncols} columns of the header",
        row=line,
        value=shown,
        expected=f"{ncols} {sep}-separated values (is the file cut short or re-saved?)",
    )


def _trailing_extra(text: str, header_index: int, delimiter: str, ncols: int) -> int:
    lines = text[:_SNIFF_BYTES].splitlines()
    header = lines[header_index] if header_index < len(lines) else ""
    return 1 if header.rstrip("\r\n").rstrip(" ").endswith(delimiter) else 0


def _utf8_copy(text: str) -> Path:
    """DuckDB reads UTF-8; other encodings (and gzip) are re-written to a temporary UTF-8 copy."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".csv", delete=False, newline="") as tmp:
        tmp.write(text)
    return Path(tmp.name)


_LINE = re.compile(r"on Line: (\d+)", re.IGNORECASE)


def _csv_problem(name: str, message: str) -> Problem:
    match = _LINE.search(message)
    row = int(match.group(1)) if match else None
    if "maximum line size" in message.lower() or "max_line_size" in message.lower():
        return Problem(
            name,
            f"a line is longer than {MAX_FIELD_BYTES * 2 // 1_000_000} MB",
            row=row,
            expected="report rows of ordinary length",
        )
    if "unterminated quote" in message.lower():
        return Problem(
            name,
            "a quoted value is never closed (a truncated or damaged file)",
            row=row,
            expected="every opening quote to have a closing quote",
        )
    first_line = message.strip().splitlines()[0] if message.strip() else message
    return Problem(name, f"cannot read the file as CSV: {first_line}", row=row)


# -- rows from XLSX / JSON ---------------------------------------------------------------------------
def stage_rows(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    table: str,
    header_row: int,
    *,
    sheet: str | None = None,
    document: Any = None,
    row_numbers: Sequence[int] | None = None,
) -> RawTable:
    """Stage rows that Python already parsed (XLSX sheets, JSON records) exactly like CSV rows."""
    import pyarrow as pa

    ncols = len(headers)
    columns: list[list[str | None]] = [[] for _ in range(ncols)]
    numbers: list[int] = []
    for i, row in enumerate(rows):
        values = list(row)
        if len(values) > ncols and any(_cell_text(v) for v in values[ncols:]):
            raise ImportRejected(
                source.name,
                [
                    Problem(
                        source.name,
                        "the row has more values than the header has columns",
                        row=row_numbers[i] if row_numbers else header_row + 1 + i,
                    )
                ],
            )
        for c in range(ncols):
            columns[c].append(_cell_text(values[c]) if c < len(values) else None)
        numbers.append(row_numbers[i] if row_numbers else header_row + 1 + i)
    arrays = {f"c{i}": pa.array(col, type=pa.string()) for i, col in enumerate(columns)}
    arrays["_row"] = pa.array(numbers, type=pa.int32())
    arrow_table = pa.table(arrays)
    con.register("_tw_rows", arrow_table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM _tw_rows")
    finally:
        con.unregister("_tw_rows")
    return RawTable(
        source,
        table,
        tuple(str(h).strip() for h in headers),
        tuple(normalise_header(str(h)) for h in headers),
        header_row,
        sheet=sheet,
        document=document,
    )


def _cell_text(value: Any) -> str | None:
    """Cell values as the text a CSV export would show (numbers without a trailing .0)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    text = str(value)
    if len(text.encode("utf-8")) > MAX_FIELD_BYTES:
        return text[:MAX_FIELD_BYTES]
    return text if text != "" else None


def read_xlsx_sheets(source: SourceFile) -> list[tuple[str, list[list[Any]]]]:
    """All sheets of a workbook as lists of rows (python-calamine: fast, no formulas evaluated)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(source.path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ImportRejected(
            source.name, [Problem(source.name, f"cannot open the workbook: {exc}", expected="an .xlsx file")]
        ) from exc
    sheets = []
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheets.append((name, [list(r) for r in rows]))
    return sheets


def read_json(source: SourceFile) -> Any:
    data = gzip.decompress(source.path.read_bytes()) if source.compressed else source.path.read_bytes()
    try:
        return json.load(io.BytesIO(data))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportRejected(
            source.name, [Problem(source.name, f"not valid JSON: {exc}", expected="a JSON report document")]
        ) from exc
