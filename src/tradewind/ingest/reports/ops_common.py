"""What the team-kept operations and compliance sheets share: how they name marketplaces, accounts,
languages and times, and the instant a sheet describes ("as of").

These sheets are exports of a help desk, an ERP or a spreadsheet the team keeps, filled in English or
Chinese. They differ from Seller Central downloads in three ways that this module settles once:

- **Several marketplaces in one sheet.** A row names its marketplace by code (`DE`), Amazon domain
  (`Amazon.de`) or `GB`; an empty cell falls back to `--marketplace`, then to the account's only
  marketplace. Times without an offset are wall-clock readings in the row's marketplace (the
  convention of every fact); times with an offset (`+08:00`, `Z`) are instants as written.
- **An account column.** The loader writes every row to the import's account, so a row that names
  another account is a problem, never silently re-assigned.
- **"As of".** An export shows open work at the moment it was taken: a ticket without a reply is
  pending or already late depending on *when* one looks. That moment is the end of `--date` (the
  export date, in the row's marketplace), or else the time of the import. It is stored with each row,
  and a time after it is a date in the future: a typo, rejected with the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import ClassVar

from tradewind.core.marketplaces import MARKETPLACES, find_marketplace
from tradewind.ingest.row_time import has_time, instant_sql
from tradewind.ingest.spec import ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.templates import TemplateField, column, unescape_sql
from tradewind.ingest.values import Kind, lookup_sql, q

#: The account column every team sheet starts with (blank: the account the file is imported into).
ACCOUNT_COLUMN = column(
    "account",
    Kind.TEXT,
    "account",
    "店铺",
    also=("store", "账号", "店铺账号"),
    help_en="The Tradewind account (store) id; blank means the account you import into.",
    help_zh="Tradewind中的店铺（账号）ID；留空则为导入时指定的店铺。",
    example="acme-eu",
)

#: Year-first layouts only (03/04/2026 could be either month in a hand-filled sheet); the `T` forms are
#: how XLSX date-time cells read, the `%z` forms keep a stated offset.
TEMPLATE_TIMESTAMPS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%d %H:%M%z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
#: Deadlines may be a bare day ("ship by 2026-03-05"): the whole local day counts.
TEMPLATE_DEADLINES: tuple[str, ...] = (*TEMPLATE_TIMESTAMPS, "%Y-%m-%d", "%Y/%m/%d")
TEMPLATE_DATES: tuple[str, ...] = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%dT%H:%M:%S")

DATE_HELP_EN = "a date as YYYY-MM-DD, e.g. 2026-03-01"
DATE_HELP_ZH = "日期，格式 YYYY-MM-DD，例如 2026-03-01"
TIME_HELP_EN = (
    "date and time as YYYY-MM-DD HH:MM[:SS], local time of the marketplace unless an offset such as "
    "+08:00 is written"
)
TIME_HELP_ZH = "日期时间，格式 YYYY-MM-DD HH:MM[:SS]；默认按站点当地时间，写明时区（如 +08:00）则按所写时区"

#: Text columns (language, owner, carrier...) must hold text: a bare number is a value in the wrong column.
NOT_A_NUMBER = r"(?s).*[^0-9\s.,+\-/:%].*"
NOT_A_NUMBER_HINT = "text, not a number (is a value in the wrong column?)"

#: ISO 639-1 codes of the languages buyers write in, with the names sheets use for them.
LANGUAGES: dict[str, tuple[str, ...]] = {
    "en": ("english", "英语", "英文"),
    "de": ("german", "deutsch", "德语", "德文"),
    "fr": ("french", "français", "francais", "法语", "法文"),
    "it": ("italian", "italiano", "意大利语", "意大利文"),
    "es": ("spanish", "español", "espanol", "西班牙语", "西班牙文"),
    "nl": ("dutch", "nederlands", "荷兰语"),
    "pl": ("polish", "polski", "波兰语"),
    "sv": ("swedish", "svenska", "瑞典语"),
    "da": ("danish", "dansk", "丹麦语"),
    "fi": ("finnish", "suomi", "芬兰语"),
    "no": ("norwegian", "norsk", "挪威语"),
    "pt": ("portuguese", "português", "portugues", "葡萄牙语"),
    "cs": ("czech", "čeština", "捷克语"),
    "tr": ("turkish", "türkçe", "土耳其语"),
    "ar": ("arabic", "阿拉伯语"),
    "ja": ("japanese", "日本語", "日语", "日文"),
    "zh": ("chinese", "中文", "汉语"),
    "ko": ("korean", "한국어", "韩语"),
    "hi": ("hindi", "印地语"),
}
LANGUAGE_HINT = "a language code like en, de, fr, it, es (or its name: English, Deutsch, 德语...)"


def header(ctx: ImportContext, name: str) -> str:
    """The header a field was found under in this file (problems name the column as the user wrote it)."""
    col = ctx.job.columns.get(name)
    return ctx.job.raw.headers[int(col[1:])] if col else name


def unknown_check(
    ctx: ImportContext, name: str, to_code: Callable[[str], str], what: str, expected: str
) -> RowCheck:
    """A filled cell that `to_code` maps to no code (`unknown {what}`); a blank one is left to the
    column's own rules. One wording for every lookup column (marketplace, language, status...)."""
    return RowCheck(
        f"{name} IS NOT NULL AND {to_code(name)} IS NULL",
        f"unknown {what}",
        column=header(ctx, name),
        value_sql=name,
        expected=expected,
    )


# -- lookups -----------------------------------------------------------------------------------------
def code_sql(key: str, pairs: Iterable[tuple[str, str]], otherwise: str | None = None) -> str:
    """The code each spelling `key` may hold stands for (the first pair naming a spelling wins), else
    `otherwise` (SQL), else NULL: how the words a sheet uses become the codes its facts store."""
    codes: dict[str, str] = {}
    for text, code in pairs:
        codes.setdefault(text, code)
    found = lookup_sql(codes, key)
    return f"coalesce({found}, {otherwise})" if otherwise is not None else found


def words_sql(expr: str, words: Mapping[str, tuple[str, ...]], otherwise: str | None = None) -> str:
    """A cell -> the code whose words (compared trimmed and case-insensitively) include it."""
    pairs = ((word, code) for code, spelled in words.items() for word in spelled)
    return code_sql(f"lower(trim({expr}))", pairs, otherwise)


# -- columns -----------------------------------------------------------------------------------------
def marketplace_column(*, example: str, also: tuple[str, ...] = ()) -> TemplateField:
    """The marketplace column of a multi-marketplace sheet, with one help text for the fallback rule;
    `also` adds headers of the export a sheet is copied from (`sales channel`)."""
    return column(
        "marketplace",
        Kind.TEXT,
        "marketplace",
        "站点",
        also=("site", "market", *also),
        help_en="Marketplace code (DE, FR, US...) or domain (Amazon.de). Blank: --marketplace.",
        help_zh="站点代码（DE、FR、US等）或亚马逊域名（Amazon.de）；留空则用 --marketplace。",
        example=example,
    )


def sku_column(
    help_en: str, help_zh: str, *, example: str = "MUG-BLU-350", required: bool = False, msku: bool = False
) -> TemplateField:
    """The seller-SKU column under the headers sheets give it. `required`: filled on every row (a sheet
    keyed by SKU); `msku`: an ERP's `MSKU` header is read as well."""
    also = ("seller sku", "seller-sku", *(("MSKU",) if msku else ()), "卖家SKU")
    return column(
        "sku",
        Kind.TEXT,
        "sku",
        "SKU",
        also=also,
        required=required,
        not_null=required,
        help_en=help_en,
        help_zh=help_zh,
        example=example,
    )


#: How a sheet's day or date-and-time column is read, shown in an XLSX and explained, by its kind.
_DATED: dict[Kind, tuple[tuple[str, ...], str | None, str, str]] = {
    Kind.DATE: (TEMPLATE_DATES, None, DATE_HELP_EN, DATE_HELP_ZH),
    Kind.TIMESTAMP: (TEMPLATE_TIMESTAMPS, "yyyy-mm-dd hh:mm:ss", TIME_HELP_EN, TIME_HELP_ZH),
}


def dated_column(
    name: str,
    kind: Kind,
    zh: str,
    *,
    help_en: str,
    help_zh: str,
    example: str,
    also: tuple[str, ...] = (),
    required: bool = False,
    not_null: bool = False,
) -> TemplateField:
    """A day (`Kind.DATE`) or date-and-time (`Kind.TIMESTAMP`) column of a hand-filled sheet: year-first
    layouts only, and its help (what the moment is, up to its `:` or `.`) followed by how to write one,
    worded alike in every template."""
    formats, number_format, how_en, how_zh = _DATED[kind]
    return column(
        name,
        kind,
        name,
        zh,
        also=also,
        required=required,
        not_null=not_null,
        formats=formats,
        number_format=number_format,
        help_en=f"{help_en} {how_en}.",
        help_zh=f"{help_zh}{how_zh}。",
        example=example,
    )


# -- marketplaces ------------------------------------------------------------------------------------
def marketplace_code_sql(expr: str) -> str:
    """`DE`, `de`, `Amazon.de`, `www.amazon.de`, `GB` -> the marketplace code; anything else NULL."""
    cleaned = f"regexp_replace(lower(trim({expr})), '^(https?://)?(www\\.)?', '')"
    pairs = [(m.code.lower(), m.code) for m in MARKETPLACES.values()]
    pairs += [(m.amazon_domain, m.code) for m in MARKETPLACES.values()]
    pairs.append(("gb", "UK"))
    return code_sql(cleaned, pairs)


def fallback_marketplace(job: ImportJob) -> str | None:
    """The marketplace of rows that name none: `--marketplace`, else the account's only one."""
    if job.options.marketplace:
        found = find_marketplace(job.options.marketplace)
        return found.code if found else None
    if len(job.account_marketplaces) == 1:
        return job.account_marketplaces[0]
    return None


def row_marketplace_sql(ctx: ImportContext, column: str = "marketplace") -> str:
    """The row's marketplace code: its own cell, else the file's fallback (NULL when neither says)."""
    fallback = fallback_marketplace(ctx.job)
    own = marketplace_code_sql(column) if ctx.job.has(column) else "NULL"
    return f"coalesce({own}, {q(fallback) if fallback else 'NULL'})"


def marketplace_checks(ctx: ImportContext, column: str = "marketplace") -> list[RowCheck]:
    checks = []
    known = ", ".join(sorted(MARKETPLACES))
    if ctx.job.has(column):
        expected = f"a marketplace code ({known}) or an Amazon domain like Amazon.de"
        checks.append(unknown_check(ctx, column, marketplace_code_sql, "marketplace", expected))
    if fallback_marketplace(ctx.job) is None:
        missing = f"{column} IS NULL" if ctx.job.has(column) else "true"
        checks.append(
            RowCheck(
                missing,
                "the row names no marketplace, and the account has several",
                column=header(ctx, column),
                value_sql="NULL",
                expected="a marketplace on every row, or --marketplace for the whole file",
            )
        )
    return checks


# -- accounts ----------------------------------------------------------------------------------------
def account_checks(ctx: ImportContext, column: str = "account") -> list[RowCheck]:
    if not ctx.job.has(column):
        return []
    return [
        RowCheck(
            f"{column} IS NOT NULL AND lower({column}) <> {q(ctx.account_id.lower())}",
            f"the row belongs to another account than the one imported into ({ctx.account_id})",
            column=header(ctx, column),
            value_sql=column,
            expected=f"rows of account {ctx.account_id} only: import each account's rows with --account ID",
        )
    ]


# -- languages ---------------------------------------------------------------------------------------
def language_sql(expr: str) -> str:
    """A language cell -> its ISO 639-1 code (`EN`, `en-GB`, `English`, `英语` -> `en`); else NULL."""
    base = f"regexp_extract(lower(trim({expr})), '^([a-z]{{2}})([-_][a-z]{{2,4}})?$', 1)"
    codes = ", ".join(q(c) for c in LANGUAGES)
    return words_sql(expr, LANGUAGES, otherwise=f"(CASE WHEN {base} IN ({codes}) THEN {base} END)")


# -- text --------------------------------------------------------------------------------------------
def text_sql(expr: str) -> str:
    """A text cell as stored: the `'` that protects `=...` in our exported CSVs removed."""
    return unescape_sql(expr)


# -- as of -------------------------------------------------------------------------------------------
AS_OF_TABLE = "tw_ops_as_of"


def start_as_of(ctx: ImportContext, what: str | None) -> None:
    """Fix the import's "now" once (all checks and facts of the file use the same instant) and, when the
    sheet has open items (`what`), say which moment they are judged at."""
    now = datetime.now(UTC).replace(microsecond=0)
    ctx.job.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {AS_OF_TABLE} AS SELECT CAST(? AS TIMESTAMPTZ) AS now", [now]
    )
    day = ctx.job.options.snapshot_date
    if what is None:
        return
    if day is not None:
        ctx.snapshot_date = day
        ctx.notes.append(
            f"{what} judged as of the end of {day.isoformat()} (--date), local time of each marketplace"
        )
    else:
        ctx.notes.append(
            f"{what} judged as of the import time, {now:%Y-%m-%d %H:%M} UTC; give the export date with "
            "--date to judge them as of the end of that day"
        )


def as_of_sql(ctx: ImportContext, zone_expr: str) -> str:
    """The instant the sheet describes, for a row in zone `zone_expr`: the end of `--date` there, or now."""
    day = ctx.job.options.snapshot_date
    if day is not None:
        return f"timezone({zone_expr}, CAST(DATE {q(day.isoformat())} + 1 AS TIMESTAMP))"
    return f"(SELECT now FROM {AS_OF_TABLE})"


def as_of_date_sql(ctx: ImportContext, zone_expr: str) -> str:
    """The local day the sheet describes: `--date`, or today in the row's marketplace."""
    day = ctx.job.options.snapshot_date
    if day is not None:
        return f"DATE {q(day.isoformat())}"
    return f"CAST(timezone({zone_expr}, (SELECT now FROM {AS_OF_TABLE})) AS DATE)"


def as_of_words(ctx: ImportContext) -> str:
    day = ctx.job.options.snapshot_date
    return (
        f"the end of {day.isoformat()}, the export date given with --date"
        if day
        else "the time of the import"
    )


# -- times -------------------------------------------------------------------------------------------
def precision_end_sql(col: str, layout: str, zone_expr: str) -> str:
    """The last second a deadline written with this layout covers: a bare date covers its whole local
    day, a time to the minute covers that minute, a time to the second is that second."""
    if not has_time(layout):
        # Calendar arithmetic on the local wall clock: a DST day has 23 or 25 hours.
        wall = f"CAST(timezone('UTC', {col}) AS TIMESTAMP)"
        return f"timezone({zone_expr}, {wall} + INTERVAL 1 DAY - INTERVAL 1 SECOND)"
    start = instant_sql(col, layout, zone_expr, bare_date_at_midnight=True)
    if "%S" not in layout:
        return f"({start} + INTERVAL 59 SECOND)"
    return f"date_trunc('second', {start})"


# -- the shared shape of a team sheet ----------------------------------------------------------------
class TeamSheet(Report):
    """Base of the operations sheets: rows of several marketplaces, naive times in each row's zone, and
    an as-of instant fixed at `resolve` (`as_of_what` names what is judged as of it, or None)."""

    as_of_what: ClassVar[str | None] = None

    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        ctx = ImportContext(job, typed)
        if job.options.marketplace:
            ctx.marketplace = find_marketplace(job.options.marketplace)
        # Times without an offset are read as wall-clock readings and placed in each row's zone.
        ctx.zone = None
        start_as_of(ctx, self.as_of_what)
        return ctx

    def scope_checks(self, ctx: ImportContext) -> list[RowCheck]:
        """Where a row belongs, checked before each sheet's own rules: a known marketplace, our account."""
        return [*marketplace_checks(ctx), *account_checks(ctx)]

    def zone_sql(self, ctx: ImportContext) -> str:
        """The IANA zone of each row, from its marketplace (UTC where it has none)."""
        return ctx.job.zone_case(row_marketplace_sql(ctx))

    def instant(self, ctx: ImportContext, name: str) -> str:
        """A parsed timestamp field as an instant in the row's zone (NULL where the column is absent)."""
        if not ctx.job.has(name):
            return "CAST(NULL AS TIMESTAMPTZ)"
        return instant_sql(name, ctx.job.layouts[name], self.zone_sql(ctx), bare_date_at_midnight=True)

    def local_text(self, ctx: ImportContext, name: str) -> str:
        """A timestamp field as the row's local wall-clock text (how problems show the value)."""
        return f"strftime(timezone({self.zone_sql(ctx)}, {self.instant(ctx, name)}), '%Y-%m-%d %H:%M:%S')"

    def future_check(self, ctx: ImportContext, name: str, what: str) -> RowCheck:
        """A time after the moment the sheet describes: a typo (or a sheet from the future)."""
        when = self.instant(ctx, name)
        return RowCheck(
            f"{when} > {as_of_sql(ctx, self.zone_sql(ctx))}",
            f"{what} is in the future (after {as_of_words(ctx)})",
            column=header(ctx, name),
            value_sql=self.local_text(ctx, name),
            expected=f"{what} at or before the moment the sheet was exported",
        )

    def future_day_check(self, ctx: ImportContext, name: str, what: str, expected: str) -> RowCheck:
        """A date column's `future_check`: a day after the one the sheet describes."""
        return RowCheck(
            f"{name} > {as_of_date_sql(ctx, self.zone_sql(ctx))}",
            f"{what} is in the future (after {as_of_words(ctx)})",
            column=header(ctx, name),
            value_sql=name,
            expected=expected,
        )

    def order_check(self, ctx: ImportContext, earlier: str, later: str, message: str) -> RowCheck:
        """`later` must not come before `earlier` (a reply before the message it answers)."""
        return RowCheck(
            f"{self.instant(ctx, later)} < {self.instant(ctx, earlier)}",
            message,
            column=header(ctx, later),
            value_sql=self.local_text(ctx, later),
            expected=f"a time at or after {header(ctx, earlier)}",
        )


def record_range(ctx: ImportContext, sql: str, column: str) -> None:
    """Put the first and last day the sheet's facts cover into the import ledger."""
    row = ctx.job.con.execute(f"SELECT min({column}), max({column}) FROM ({sql})").fetchone()
    if row:
        ctx.date_from, ctx.date_to = row[0], row[1]
