"""Import templates: the empty CSV/XLSX files a user fills in by hand, with an English or Chinese header.

A report becomes a template by setting `template_name` and declaring its fields with `column()`, which
records an English and a Chinese header (both become `Field.aliases`, so the importer recognises a file
with either header, or a mix of the two) and the help text the template shows. `write_template` then
writes the file; nothing here is specific to one report, so the CS-ticket, shipment, listing-task,
rating and VAT/EPR templates use the same writer.

Choices, and why:
- **One header row, in one language** (`--lang en|zh`). Chinese operations teams fill sheets whose
  header is in Chinese, and copy columns from ERP exports whose header is often English; either is
  accepted on import. Two header rows (English over Chinese) would make the second row a data row for
  every spreadsheet tool, pivot table and for our importer.
- **CSV is UTF-8 with a BOM.** Without the BOM, Excel on a Chinese Windows reads a UTF-8 file as GBK and
  shows the Chinese header as mojibake. A CSV holds no help: use XLSX for that.
- **XLSX carries the help.** Each header cell has a comment (the other language's header and how to fill
  the column), each column shows an input message when one of its cells is selected, columns that
  must be filled on every row are bold, and a second sheet (说明 / Instructions) lists every column.
  Text columns (SKU, GTIN, month, currency) are formatted as Text, so Excel keeps leading zeros, does
  not turn `2026-01` into a date, and does not turn a typed `=...` into a formula. The instructions
  sheet never holds a header on its own in a cell, so the importer never takes it for data.
- **Formula-like values are data.** A value that starts with = + - @ is kept as text on import.
  Anything Tradewind writes escapes such text (a leading `'` in CSV, Excel's quote prefix in XLSX),
  so a spreadsheet opening our file never evaluates it; `unescape_sql` removes the CSV `'` on import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from tradewind.core.errors import TradewindError
from tradewind.ingest.headers import normalise_header
from tradewind.ingest.spec import Field, Report
from tradewind.ingest.values import Kind

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@")


class Lang(StrEnum):
    EN = "en"
    ZH = "zh"


class TemplateFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True)
class TemplateField(Field):
    """A field with the bilingual header and help a template shows (create it with `column()`)."""

    en: str = ""
    zh: str = ""
    help_en: str = ""
    help_zh: str = ""
    example: str = ""
    #: The XLSX cell format of the column; default by kind (Text for text, a date format for dates).
    number_format: str | None = None

    def label(self, lang: Lang) -> str:
        return self.zh if lang is Lang.ZH else self.en

    def help(self, lang: Lang) -> str:
        return self.help_zh if lang is Lang.ZH else self.help_en

    def cell_format(self) -> str:
        if self.number_format:
            return self.number_format
        return _DEFAULT_FORMATS.get(self.kind, "General")


_DEFAULT_FORMATS = {Kind.TEXT: "@", Kind.DATE: "yyyy-mm-dd", Kind.INTEGER: "0"}


def column(
    name: str,
    kind: Kind,
    en: str,
    zh: str,
    *,
    help_en: str,
    help_zh: str,
    example: str = "",
    also: Sequence[str] = (),
    required: bool = False,
    not_null: bool = False,
    pattern: str | None = None,
    pattern_hint: str | None = None,
    formats: tuple[str, ...] = (),
    number_format: str | None = None,
) -> TemplateField:
    """A template column. Its aliases are the en and zh headers, the en header with spaces for
    underscores (`unit cost`), and `also` (other spellings met in real sheets)."""
    spellings = [en, en.replace("_", " "), zh, *also]
    aliases: list[str] = []
    seen: set[str] = set()
    for spelling in spellings:
        key = normalise_header(spelling)
        if key and key not in seen:
            seen.add(key)
            aliases.append(spelling)
    return TemplateField(
        name,
        kind,
        tuple(aliases),
        required=required,
        not_null=not_null,
        pattern=pattern,
        pattern_hint=pattern_hint,
        formats=formats,
        en=en,
        zh=zh,
        help_en=help_en,
        help_zh=help_zh,
        example=example,
        number_format=number_format,
    )


# -- which templates exist ------------------------------------------------------------------------------
def template_name_of(report: Report) -> str | None:
    name = getattr(report, "template_name", None)
    return name if isinstance(name, str) else None


def available_templates() -> dict[str, Report]:
    """Template name -> report, for every report module that declares a `template_name`."""
    from tradewind.ingest.registry import all_reports

    found: dict[str, Report] = {}
    for report in all_reports():
        name = template_name_of(report)
        if name:
            found[name] = report
    return dict(sorted(found.items()))


def template_title(report: Report, lang: Lang) -> str:
    """The report's title in `lang`: a template report may set `title_zh` beside `title`."""
    title_zh = getattr(report, "title_zh", None)
    return title_zh if lang is Lang.ZH and isinstance(title_zh, str) else report.title


class UnknownTemplate(TradewindError):
    """The user asked for a template Tradewind does not have."""


def template_for(name: str) -> Report:
    templates = available_templates()
    key = name.strip().lower().replace("-", "_")
    if key in templates:
        return templates[key]
    listing = ", ".join(f"{n} ({r.title})" for n, r in templates.items()) or "none"
    raise UnknownTemplate(f"unknown template {name!r}; available templates: {listing}")


def template_fields(report: Report) -> tuple[TemplateField, ...]:
    """The report's fields with their labels; a report without labels for every field is not a template."""
    unlabelled = [f.name for f in report.fields if not (isinstance(f, TemplateField) and f.en and f.zh)]
    if unlabelled:
        raise TradewindError(
            f"{report.title} has no template: fields without en/zh headers: {', '.join(unlabelled)}"
        )
    return tuple(f for f in report.fields if isinstance(f, TemplateField))


# -- escaping -------------------------------------------------------------------------------------------
def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def escape_csv_text(text: str) -> str:
    """`=1+2` -> `'=1+2`: a spreadsheet opening the CSV shows the text instead of computing it."""
    return "'" + text if looks_like_formula(text) else text


def unescape_sql(expr: str) -> str:
    """SQL that removes the `'` `escape_csv_text` added (`'=1+2` -> `=1+2`), and nothing else."""
    return f"(CASE WHEN regexp_matches({expr}, '^''[=+\\-@]') THEN substr({expr}, 2) ELSE {expr} END)"


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return escape_csv_text(str(value))


# -- writing --------------------------------------------------------------------------------------------
def write_template(
    report: Report,
    path: Path,
    *,
    fmt: TemplateFormat | str = TemplateFormat.XLSX,
    lang: Lang | str = Lang.EN,
    rows: Iterable[Mapping[str, object]] = (),
) -> Path:
    """Write `report`'s template to `path`: the header row in `lang`, then `rows` (field name -> value;
    none for an empty template, or the rows of an export). Returns the path written."""
    fields = template_fields(report)
    fmt = TemplateFormat(fmt)
    lang = Lang(lang)
    rows = list(rows)
    unknown = sorted({k for row in rows for k in row} - {f.name for f in fields})
    if unknown:
        raise TradewindError(f"{report.title}: no template column for {', '.join(unknown)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt is TemplateFormat.CSV:
        _write_csv(fields, path, lang, rows)
    else:
        _write_xlsx(report, fields, path, lang, rows)
    return path


def _write_csv(
    fields: Sequence[TemplateField], path: Path, lang: Lang, rows: Iterable[Mapping[str, object]]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f.label(lang) for f in fields])
    for row in rows:
        writer.writerow([_csv_cell(row.get(f.name)) for f in fields])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


_TEXT = {
    Lang.EN: {
        "sheet": "Instructions",
        "title": "How to fill in this template",
        "notes": (
            "Fill in the first sheet from row 2; keep its header row (English or Chinese headers are both "
            "accepted on import).",
            "Bold columns must be filled on every row. Columns you do not use may be left empty.",
            "Text that starts with = + - @ is imported as text, never as a formula.",
        ),
        "table": ("Column", "Header (other language)", "Every row", "How to fill", "Example"),
        "yes": "yes",
        "no": "no",
    },
    Lang.ZH: {
        "sheet": "说明",
        "title": "模板填写说明",
        "notes": (
            "请从第一个工作表的第2行开始填写，保留表头（导入时中文或英文表头均可识别）。",
            "加粗的列每行必填；不用的列可以留空。",
            "以 = + - @ 开头的内容按文本导入，不会当作公式。",
        ),
        "table": ("列", "表头（另一语言）", "每行必填", "填写说明", "示例"),
        "yes": "是",
        "no": "否",
    },
}


def _write_xlsx(
    report: Report,
    fields: Sequence[TemplateField],
    path: Path,
    lang: Lang,
    rows: Iterable[Mapping[str, object]],
) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    other = Lang.EN if lang is Lang.ZH else Lang.ZH
    text = _TEXT[lang]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (template_name_of(report) or report.id)[:31]
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, f in enumerate(fields, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=f.label(lang))
        cell.data_type = "s"
        cell.font = Font(bold=f.not_null)
        cell.fill = header_fill
        comment = Comment(f"{f.label(other)}\n\n{f.help(lang)}\n\n{f.help(other)}", "Tradewind")
        comment.width, comment.height = 320, 180
        cell.comment = comment
        sheet.column_dimensions[letter].width = max(12, min(40, 2 * len(f.label(lang)) + 4))
        sheet.column_dimensions[letter].number_format = f.cell_format()
        prompt = DataValidation(allow_blank=True, showInputMessage=True)
        prompt.promptTitle = f.label(lang)[:32]
        prompt.prompt = f.help(lang)[:255]
        prompt.add(f"{letter}2:{letter}1048576")
        sheet.add_data_validation(prompt)
    for r, row in enumerate(rows, start=2):
        for c, f in enumerate(fields, start=1):
            _set_cell(sheet.cell(row=r, column=c), row.get(f.name), f.cell_format())
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(str(text["sheet"]))
    notes.cell(row=1, column=1, value=f"{template_title(report, lang)}: {text['title']}").font = Font(
        bold=True, size=13
    )
    line = 2
    for note in text["notes"]:
        notes.cell(row=line, column=1, value=note)
        line += 1
    line += 1
    for c, heading in enumerate(text["table"], start=1):
        notes.cell(row=line, column=c, value=heading).font = Font(bold=True)
    for index, f in enumerate(fields, start=1):
        line += 1
        values = (
            get_column_letter(index),
            # Both headers in one cell: a cell that equals a header would make this sheet look like data.
            f"{f.label(lang)} ({f.label(other)})"
            if normalise_header(f.en) != normalise_header(f.zh)
            else f.label(lang),
            text["yes"] if f.not_null else text["no"],
            f.help(lang),
            f.example,
        )
        for c, value in enumerate(values, start=1):
            _set_cell(notes.cell(row=line, column=c), value, "@")
    for letter, width in zip("ABCDE", (8, 34, 10, 70, 18), strict=True):
        notes.column_dimensions[letter].width = width
    workbook.save(path)


def _set_cell(cell: object, value: object, number_format: str) -> None:
    """Write a value so Excel keeps it as it is: text stays text (with Excel's quote prefix when it looks
    like a formula), numbers and dates stay typed."""
    from openpyxl.cell.cell import Cell

    assert isinstance(cell, Cell)
    if value is None:
        return
    if isinstance(value, Decimal):
        value = float(value) if number_format != "@" else format(value, "f")
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise store `=...` as a formula
        if looks_like_formula(value):
            cell.quotePrefix = True
    else:
        cell.value = value
    cell.number_format = number_format
