"""The product catalog a seller keeps, with landed unit costs (template `products`, CSV or XLSX).

One row per SKU, or several when a SKU's cost changed: each row with a `unit_cost` is one cost from its
`cost_effective_from` on (`product_costs`). Rows of one SKU must agree on the catalog attributes; a
blank attribute on a cost row means "as on the other rows", two different values are problems on every
row involved. Products belong to the account given with `--account`.

A SKU's catalog row (`products`) is written when the file states at least one attribute for it, and
then replaces the SKU's earlier row whole (the loader replaces by key: keep the full catalog in one
sheet). A row that fills in only the cost columns adds a cost and leaves the catalog row as it was, so
a cost update sheet never erases titles, owners or GTINs.

GTINs (EAN/UPC) are digits kept as text: `0012345678905` keeps its zeros. Spreadsheets store a typed
GTIN as a number and drop its leading zeros, so a 7-digit value is padded to 8 and a 9- to 11-digit
value to 12 (a GTIN is the same number whatever zeros lead it, and GTINs have 8, 12, 13 or 14 digits);
the import notes how many it padded. Excel's scientific notation (`4.00638E+12`) has lost digits for
good and is rejected. Check digits are not checked here: invalid GTINs are what the EAN-validity KPI
counts, so they must import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from tradewind.core.marketplaces import DecimalStyle
from tradewind.ingest.reports.ops_common import (
    DATE_HELP_EN,
    DATE_HELP_ZH,
    TEMPLATE_DATES,
    dated_column,
    header,
    sku_column,
)
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.templates import column, unescape_sql
from tradewind.ingest.values import Kind, decimal_votes_sql

T, N, D, DT = Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.DATE

#: Attributes every row of a SKU must agree on (typed-table column -> how the problem names it).
_ATTRIBUTES = (
    "asin",
    "parent_asin",
    "title",
    "category",
    "brand",
    "owner",
    "gtin",
    "lead_time_days",
    "launch_date",
)
_TEXT_ATTRIBUTES = ("title", "category", "brand", "owner")
#: Columns that make a file with a SKU column a catalog (see `ProductCatalog.match`).
_CATALOG_ONLY = (
    "category",
    "brand",
    "owner",
    "gtin",
    "lead_time_days",
    "launch_date",
    "unit_cost",
    "cost_currency",
    "cost_effective_from",
)
#: The SKU as stored: an exported `'-A1` (escaped so a spreadsheet keeps it as text) is `-A1` again.
_SKU = unescape_sql("sku")


def gtin_digits_sql(expr: str) -> str:
    """The digits of a GTIN cell: spaces and hyphens dropped, a spreadsheet's `.0` removed."""
    return f"regexp_replace(regexp_replace({expr}, '\\.0+$', ''), '[\\s\\-]', '', 'g')"


def gtin_sql(expr: str) -> str:
    """A GTIN as digits, with the leading zeros a spreadsheet dropped put back (see the module doc)."""
    digits = gtin_digits_sql(expr)
    return (
        f"(CASE WHEN length({digits}) = 7 THEN lpad({digits}, 8, '0') "
        f"WHEN length({digits}) BETWEEN 9 AND 11 THEN lpad({digits}, 12, '0') ELSE {digits} END)"
    )


class ProductCatalog(Report):
    id = "products"
    title = "Product catalog with unit costs"
    title_zh = "产品目录（含单位成本）"
    template_name = "products"
    produces = ("products", "product_costs")
    fields: ClassVar[tuple[Field, ...]] = (
        sku_column(
            "Your seller SKU, exactly as in Seller Central. Repeat it on a new row for each cost.",
            "卖家SKU，与卖家后台一致。成本有变化时，同一SKU另起一行填写新成本。",
            required=True,
            msku=True,
        ),
        column(
            "asin",
            T,
            "asin",
            "ASIN",
            pattern=r"(?i)[a-z0-9]{10}",
            pattern_hint="a 10-character ASIN like B0BGPMD867",
            help_en="The child ASIN (10 characters).",
            help_zh="子ASIN（10位）。",
            example="B0BGPMD867",
        ),
        column(
            "parent_asin",
            T,
            "parent_asin",
            "父ASIN",
            also=("（父）ASIN", "parent asin"),
            pattern=r"(?i)[a-z0-9]{10}",
            pattern_hint="a 10-character ASIN like B0BGPMD800",
            help_en="The parent ASIN of a variation family; blank for a product without variations.",
            help_zh="变体的父ASIN；无变体的产品留空。",
            example="B0BGPMD800",
        ),
        column(
            "title",
            T,
            "title",
            "商品标题",
            also=("品名", "商品名称", "product name"),
            help_en="Product title or short name.",
            help_zh="商品标题或简称。",
            example="Blue mug 350 ml",
        ),
        column(
            "category",
            T,
            "category",
            "品类",
            also=("类目",),
            help_en="Your product category (used to group KPIs).",
            help_zh="产品品类（用于按品类汇总KPI）。",
            example="Kitchen",
        ),
        column(
            "brand",
            T,
            "brand",
            "品牌",
            help_en="Brand name.",
            help_zh="品牌名称。",
            example="Acme",
        ),
        column(
            "owner",
            T,
            "owner",
            "负责人",
            also=("运营", "运营负责人"),
            help_en="The person responsible for this SKU (operator).",
            help_zh="负责该SKU的运营人员。",
            example="Li Na",
        ),
        column(
            "gtin",
            T,
            "gtin",
            "条码(EAN/UPC)",
            also=("EAN", "UPC", "GTIN", "EAN/UPC", "条码", "EAN码"),
            help_en="EAN/UPC/GTIN digits (8, 12, 13 or 14). Keep the column formatted as Text so leading "
            "zeros stay.",
            help_zh="EAN/UPC/GTIN条码数字（8、12、13或14位）。请保持此列为文本格式，以免丢失开头的0。",
            example="4006381333931",
        ),
        column(
            "lead_time_days",
            N,
            "lead_time_days",
            "备货周期(天)",
            also=("采购周期(天)", "交期(天)", "lead time (days)"),
            help_en="Replenishment lead time in days (whole number).",
            help_zh="补货周期，单位：天（整数）。",
            example="45",
        ),
        dated_column(
            "launch_date",
            DT,
            "上架日期",
            also=("上市日期",),
            help_en="The day the product went on sale:",
            help_zh="产品开售日期：",
            example="2025-09-15",
        ),
        column(
            "unit_cost",
            D,
            "unit_cost",
            "单位成本",
            also=("到岸成本", "landed cost", "unit landed cost"),
            number_format="0.00##",
            help_en="Landed cost per unit (purchase + freight + duty), a number like 12.50. Needs a "
            "currency and an effective date.",
            help_zh="单位到岸成本（采购+头程运费+关税），数字，例如 12.50。需同时填写成本币种和生效日期。",
            example="3.85",
        ),
        column(
            "cost_currency",
            T,
            "cost_currency",
            "成本币种",
            also=("cost currency",),
            pattern=r"(?i)[a-z]{3}",
            pattern_hint="an ISO currency code like USD or CNY",
            help_en="ISO code of the cost's currency, e.g. USD, CNY, EUR.",
            help_zh="成本的币种代码，例如 USD、CNY、EUR。",
            example="USD",
        ),
        column(
            "cost_effective_from",
            DT,
            "cost_effective_from",
            "成本生效日期",
            also=("effective from", "生效日期"),
            formats=TEMPLATE_DATES,
            help_en=f"The first day this cost applies: {DATE_HELP_EN}. Sales from that day on use it.",
            help_zh=f"该成本开始适用的日期：{DATE_HELP_ZH}。此日及以后的销售按此成本计算。",
            example="2026-01-01",
        ),
    )

    def match(self, normalised_headers: Sequence[str]) -> dict[str, int | None] | None:
        """`sku` and a column only a catalog has. SKU, ASIN and title are in most Amazon reports: a file of
        another kind that lacks one of its own columns must be reported as unknown, not read as a catalog."""
        found = super().match(normalised_headers)
        if found is None or not any(found.get(name) is not None for name in _CATALOG_ONLY):
            return None
        return found

    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        # A catalog belongs to no marketplace; and a hand-filled sheet is not localised, so when its
        # numbers leave the decimal separator open it is a dot (not the --marketplace's style).
        job.decimal_style = template_decimal_style(job, ("unit_cost",))
        return ImportContext(job, typed)

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        def h(name: str) -> str:
            return header(ctx, name)

        gtin_digits = gtin_digits_sql("gtin")
        checks = [
            RowCheck(
                f"{_norm(a)} IS NOT NULL AND min({_norm(a)}) OVER (PARTITION BY {_SKU}) "
                f"<> max({_norm(a)}) OVER (PARTITION BY {_SKU})",
                f"the rows of this SKU give different values for {h(a)}",
                column=h(a),
                value_sql=f"{_SKU} || ': ' || CAST({_norm(a)} AS VARCHAR)",
                expected=f"one {h(a)} per SKU (leave it blank on the extra cost rows)",
                only_if=f"count(*) > count(DISTINCT {_SKU})",  # some SKU has several rows
            )
            for a in _ATTRIBUTES
            if ctx.job.has(a)
        ]
        checks += [
            RowCheck(
                "unit_cost < 0",
                "negative unit cost",
                column=h("unit_cost"),
                value_sql="unit_cost",
                expected="a cost of 0 or more",
            ),
            RowCheck(
                "unit_cost IS NOT NULL AND cost_currency IS NULL",
                "a unit cost without its currency",
                column=h("cost_currency"),
                value_sql="unit_cost",
                expected="the ISO code of the cost's currency (USD, CNY, ...)",
            ),
            RowCheck(
                "unit_cost IS NOT NULL AND cost_effective_from IS NULL",
                "a unit cost without the date it applies from",
                column=h("cost_effective_from"),
                value_sql="unit_cost",
                expected="the first day the cost applies, YYYY-MM-DD",
            ),
            RowCheck(
                "unit_cost IS NULL AND (cost_currency IS NOT NULL OR cost_effective_from IS NOT NULL)",
                "a cost currency or date without a unit cost",
                column=h("unit_cost"),
                value_sql="coalesce(cost_currency, CAST(cost_effective_from AS VARCHAR))",
                expected="the unit cost on the same row (or no cost columns at all)",
            ),
            RowCheck(
                "lead_time_days < 0",
                "negative lead time",
                column=h("lead_time_days"),
                value_sql="lead_time_days",
                expected="a number of days, 0 or more",
            ),
            RowCheck(
                r"regexp_matches(gtin, '^[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$')",
                "the GTIN is in scientific notation: the spreadsheet has dropped its last digits",
                column=h("gtin"),
                value_sql="gtin",
                expected="all digits of the GTIN: format the column as Text and type the GTINs again",
            ),
            RowCheck(
                f"NOT regexp_matches(gtin, '^[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$') "
                f"AND NOT regexp_full_match({gtin_digits}, '[0-9]+')",
                "a GTIN is digits only",
                column=h("gtin"),
                value_sql="gtin",
                expected="the 8, 12, 13 or 14 digits of an EAN/UPC",
            ),
            RowCheck(
                f"regexp_full_match({gtin_digits}, '[0-9]+') AND length({gtin_digits}) > 14",
                "a GTIN has at most 14 digits",
                column=h("gtin"),
                value_sql="gtin",
                expected="the 8, 12, 13 or 14 digits of an EAN/UPC",
            ),
        ]
        return checks

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        padded = ctx.job.con.execute(
            f"SELECT count(DISTINCT gtin) FROM {ctx.typed} WHERE gtin IS NOT NULL "
            f"AND length({gtin_digits_sql('gtin')}) IN (7, 9, 10, 11)"
        ).fetchone()
        if padded and padded[0]:
            ctx.notes.append(
                f"{padded[0]} GTIN(s) had lost their leading zeros (stored as numbers by a spreadsheet) "
                "and were padded to 8 or 12 digits"
            )
        attributes = ", ".join(f"{_norm(a)} AS {a}" for a in _ATTRIBUTES)
        rows = (
            f"SELECT _row, {_SKU} AS sku, {attributes}, unit_cost, upper(cost_currency) AS cost_currency, "
            f"cost_effective_from FROM {ctx.typed}"
        )
        stated = " OR ".join(f"{a} IS NOT NULL" for a in _ATTRIBUTES)
        products = f"""
        SELECT min(_row) AS source_row, sku,
               {", ".join(f"max({a}) AS {a}" for a in _ATTRIBUTES)}
        FROM ({rows})
        GROUP BY sku
        HAVING bool_or({stated})
        """
        costs = f"""
        SELECT _row AS source_row, sku, cost_effective_from AS effective_from, unit_cost,
               cost_currency AS currency
        FROM ({rows})
        WHERE unit_cost IS NOT NULL
        """
        # Only the facts the file's columns can state: a cost sheet leaves the catalog alone, and the
        # other way round.
        shaped = {"products": products} if any(ctx.job.has(a) for a in _ATTRIBUTES) else {}
        if ctx.job.has("unit_cost"):
            shaped["product_costs"] = costs
        return shaped


def _norm(attribute: str) -> str:
    """The value of an attribute as stored: ASINs upper-cased, GTINs as digits, text unescaped."""
    if attribute in ("asin", "parent_asin"):
        return f"upper({attribute})"
    if attribute == "gtin":
        return gtin_sql("gtin")
    if attribute in _TEXT_ATTRIBUTES:
        return unescape_sql(attribute)
    return attribute


def template_decimal_style(job: ImportJob, names: Sequence[str]) -> DecimalStyle:
    """The decimal separator of a hand-filled template: what its values show, else a dot.

    The shared rule falls back to the `--marketplace`'s style, right for Seller Central downloads but
    not for a sheet typed by hand (or an XLSX, whose numeric cells always read as `12.5`)."""
    columns = [c for c in (job.columns.get(n) for n in names) if c]
    if not columns:
        return DecimalStyle.DOT
    parts = ", ".join(decimal_votes_sql(c) for c in columns)
    row = job.con.execute(f"SELECT {parts} FROM {job.raw.table}").fetchone() or ()
    dot = sum(int(v) for v in row[0::2])
    comma = sum(int(v) for v in row[1::2])
    return DecimalStyle.COMMA if comma > dot else DecimalStyle.DOT


REPORTS = [ProductCatalog()]
