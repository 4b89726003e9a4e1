"""Locale-aware parsing of cells, as DuckDB SQL expressions over whole columns.

Per-file decisions come first (is `1.234` one thousand two hundred and thirty-four or one point two?
which date layout does this file use?), then every cell is parsed with that decision, and every cell
that does not parse becomes a problem with its row, column and value.
"""

from __future__ import annotations

from enum import StrEnum

from tradewind.core.marketplaces import DecimalStyle


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"  # money and other decimals: Decimal(18,4)
    PERCENT = "percent"  # `95.03%`, `16,40%` or a bare number in percent units -> fraction 0.9503
    FRACTION = "fraction"  # a bare ratio already as a fraction (0.9503)
    DATE = "date"
    TIMESTAMP = "timestamp"  # with an offset or zone in the text; naive ones take the marketplace zone
    BOOLEAN = "boolean"


EXPECTED: dict[Kind, str] = {
    Kind.TEXT: "text",
    Kind.INTEGER: "a whole number like 1,234",
    Kind.DECIMAL: "a number like 1,234.56 or 1.234,56 €",
    Kind.PERCENT: "a percentage like 95.03%",
    Kind.FRACTION: "a number like 0.95",
    Kind.DATE: "a date",
    Kind.TIMESTAMP: "a date and time",
    Kind.BOOLEAN: "true/false or yes/no",
}

#: Date layouts seen in real downloads, most specific first. A file uses one layout per column.
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%m/%d/%y",
    "%d/%m/%y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%Y%m%d",
)

TIMESTAMP_FORMATS: tuple[str, ...] = (
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S %Z",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%d.%m.%Y %H:%M:%S %Z",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y",
)


def q(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def clean_text(col: str) -> str:
    """Trim spaces; empty is NULL. Cells starting with = + - @ stay text as they are."""
    # Cleaning text is most of an import's parsing time. Plain trim (spaces) is twice as fast as
    # trimming a character set, and testing the two ends first (most cells have no space to trim)
    # halves it again; no-break spaces inside numbers are handled by the number parsers.
    return f"NULLIF(CASE WHEN {col} LIKE ' %' OR {col} LIKE '% ' THEN trim({col}) ELSE {col} END, '')"


def _number_core(col: str) -> str:
    """Digits, separators and sign only: drops currency symbols/codes, spaces, %, and (…) negatives."""
    c = clean_text(col)
    return f"regexp_replace({c}, '[^0-9,.\\-]', '', 'g')"


def _negative_parens(col: str) -> str:
    return f"(regexp_matches({clean_text(col)}, '^\\(.*\\)$'))"


def decimal_sql(col: str, style: DecimalStyle, scale: int = 4) -> str:
    slow = _decimal_slow_sql(col, style, scale)
    if style is DecimalStyle.DOT:
        # Most cells are plain numbers (`12.34`, `-5`): cast them directly, parse only the rest.
        fast = f"TRY_CAST({col} AS DECIMAL(18,{scale}))"  # the cast itself skips surrounding spaces
    else:
        fast = f"TRY_CAST({_plain_integer(col)} AS DECIMAL(18,{scale}))"
    return f"(CASE WHEN {col} IS NULL THEN NULL ELSE coalesce({fast}, {slow}) END)"


#: Currency marks a money cell may carry before or after the number.
_SYMBOL = r"(?:CA\$|C\$|A\$|MX\$|US\$|\$|£|€|¥|₹|zł|kr|[A-Z]{3})"
_GROUP_SPACE = r"[\s\x{00A0}\x{202F}]"
_NUMBER_SHAPES = {
    DecimalStyle.DOT: r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)",
    DecimalStyle.COMMA: r"(?:\d{1,3}(?:(?:\.|" + _GROUP_SPACE + r")\d{3})+(?:,\d+)?|\d+(?:,\d+)?|,\d+)",
}


def number_shape(style: DecimalStyle) -> str:
    """The whole-cell pattern of a number in this style: an optional sign, currency mark, %, and (…)
    for negatives around digits with well-formed group separators. `19.99x` or `1,2,3` do not match."""
    gap = _GROUP_SPACE + "*"  # spaces, including the no-break ones Amazon puts before `€`
    return (
        r"^\(?"
        + gap
        + r"[-+]?"
        + gap
        + _SYMBOL
        + r"?"
        + gap
        + r"[-+]?"
        + gap
        + _NUMBER_SHAPES[style]
        + gap
        + _SYMBOL
        + r"?"
        + gap
        + r"%?"
        + gap
        + r"\)?$"
    )


def _decimal_slow_sql(col: str, style: DecimalStyle, scale: int) -> str:
    core = _number_core(col)
    if style is DecimalStyle.COMMA:
        core = f"replace(replace({core}, '.', ''), ',', '.')"
    else:
        core = f"replace({core}, ',', '')"
    value = f"TRY_CAST({core} AS DECIMAL(18,{scale}))"
    shape = f"regexp_full_match({clean_text(col)}, {q(number_shape(style))})"
    return f"(CASE WHEN NOT {shape} THEN NULL WHEN {_negative_parens(col)} THEN -{value} ELSE {value} END)"


def integer_sql(col: str) -> str:
    """Counts: thousands separators (`,` `.` `'` and spaces) are dropped; a decimal part is an error."""
    fast, slow = _plain_integer(col), _integer_slow_sql(col)
    return f"(CASE WHEN {col} IS NULL THEN NULL ELSE coalesce({fast}, {slow}) END)"


def _plain_integer(col: str) -> str:
    """Digits only, cast directly. A bare TRY_CAST would round `1.876` to 2 and `12.5` to 13."""
    return f"(CASE WHEN regexp_full_match({col}, ' *-?[0-9]+ *') THEN TRY_CAST({col} AS BIGINT) END)"


def _integer_slow_sql(col: str) -> str:
    c = clean_text(col)
    core = f"regexp_replace({c}, '[\\s,.\\x27\u00a0\u202f]', '', 'g')"
    ok = f"regexp_matches({c}, '^-?[0-9]{{1,3}}([,.\\x27\u00a0\u202f ]?[0-9]{{3}})*$')"
    plain_float = f"regexp_matches({c}, '^-?[0-9]+\\.0+$')"
    return (
        f"(CASE WHEN {ok} THEN TRY_CAST({core} AS BIGINT) "
        f"WHEN {plain_float} THEN TRY_CAST(TRY_CAST({c} AS DOUBLE) AS BIGINT) "
        f"WHEN regexp_matches({c}, '^-?[0-9]+$') THEN TRY_CAST({c} AS BIGINT) END)"
    )


def percent_sql(col: str, style: DecimalStyle) -> str:
    return f"(TRY_CAST({decimal_sql(col, style, 6)} AS DOUBLE) / 100.0)"


def fraction_sql(col: str, style: DecimalStyle) -> str:
    return f"TRY_CAST({decimal_sql(col, style, 8)} AS DOUBLE)"


def boolean_sql(col: str) -> str:
    c = f"lower({clean_text(col)})"
    true = "('true','yes','y','1','ja','oui','si','sí','是','t','x')"
    false = "('false','no','n','0','nein','non','否','f')"
    return f"(CASE WHEN {c} IN {true} THEN true WHEN {c} IN {false} THEN false END)"


def date_sql(col: str, fmt: str) -> str:
    return f"TRY_CAST(try_strptime({clean_text(col)}, {q(fmt)}) AS DATE)"


def timestamp_sql(col: str, fmt: str, naive_zone: str | None) -> str:
    """An instant. Layouts with %z/%Z carry their offset; naive layouts are read in `naive_zone`."""
    parsed = f"try_strptime({clean_text(col)}, {q(fmt)})"
    if "%z" in fmt or "%Z" in fmt or fmt.endswith("Z"):
        if fmt.endswith("Z") and "%Z" not in fmt:
            return f"timezone('UTC', {parsed})"
        return f"CAST({parsed} AS TIMESTAMPTZ)"
    zone = naive_zone or "UTC"
    return f"timezone({q(zone)}, CAST({parsed} AS TIMESTAMP))"


def local_date_sql(ts_expr: str, zone_expr: str) -> str:
    """The calendar date of an instant in a time zone (a SQL expression giving the IANA name)."""
    return f"CAST(timezone({zone_expr}, {ts_expr}) AS DATE)"


def lookup_sql(mapping: dict[str, str], key: str) -> str:
    """`mapping[key]` in SQL (NULL when absent). A MAP literal names `key` once, where a CASE would
    repeat it per entry (evaluating it each time) and grow the expression with every nesting."""
    entries = ", ".join(f"{q(k)}: {q(v)}" for k, v in sorted(mapping.items()))
    return f"(MAP {{{entries}}})[{key}]"


def zone_case_sql(marketplace_expr: str, zones: dict[str, str], default: str = "UTC") -> str:
    """The configured time zone of a marketplace code (`default` for codes without one)."""
    return f"coalesce({lookup_sql(zones, marketplace_expr)}, {q(default)})"


# -- per-file decisions ------------------------------------------------------------------------------
def decimal_votes_sql(col: str) -> str:
    """For one column: (dot_votes, comma_votes) from values whose separators leave no doubt."""
    core = _number_core(col)
    dot = (
        f"regexp_matches({core}, '^-?[0-9]*,?([0-9]{{3}},)*[0-9]*\\.[0-9]{{1,2}}$|^-?[0-9]+\\.[0-9]{{4,}}$"
        f"|^-?[0-9]{{1,3}}(,[0-9]{{3}})+\\.[0-9]+$')"
    )
    comma = (
        f"regexp_matches({core}, '^-?[0-9]*\\.?([0-9]{{3}}\\.)*[0-9]*,[0-9]{{1,2}}$|^-?[0-9]+,[0-9]{{4,}}$"
        f"|^-?[0-9]{{1,3}}(\\.[0-9]{{3}})+,[0-9]+$')"
    )
    return f"count(*) FILTER (WHERE {dot}), count(*) FILTER (WHERE {comma})"
