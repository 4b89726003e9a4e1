"""Stock locations (template `stock_locations`, CSV or XLSX): the countries where the seller stores stock.

Storing goods in a country makes a VAT registration there necessary (kpis.md, EU compliance), and
Amazon's reports do not say where pan-EU stock sits outside the marketplaces (Poland and the Czech
Republic hold pan-EU stock; CZ has no marketplace). One row per country and location (a fulfilment
centre such as WRO2 or PRG2, a 3PL's warehouse), optionally per SKU (blank: every SKU), with the days
stock is stored there. A sheet replaces the locations of the countries it lists.

`tradewind compliance` also counts a country as storing stock where the latest FBA inventory snapshot
shows units fulfillable from that country's own centres (the pan-EU "local" column).
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.ingest.reports.compliance_common import (
    RegistrySheet,
    country_column,
    country_marketplace_sql,
    country_sql,
    period_check,
)
from tradewind.ingest.reports.ops_common import (
    ACCOUNT_COLUMN,
    dated_column,
    header,
    sku_column,
    text_sql,
    unknown_check,
    words_sql,
)
from tradewind.ingest.spec import Field, ImportContext, RowCheck
from tradewind.ingest.templates import column
from tradewind.ingest.values import Kind

T, INT, DT = Kind.TEXT, Kind.INTEGER, Kind.DATE

#: Storage program -> the words sheets use for it.
PROGRAMS: dict[str, tuple[str, ...]] = {
    "pan_eu": ("pan_eu", "pan-eu", "pan eu", "paneu", "pan-european fba", "泛欧", "泛欧计划"),
    "fba": ("fba", "amazon fba", "亚马逊物流"),
    "efn": ("efn", "european fulfilment network", "欧洲配送网络"),
    "3pl": ("3pl", "third-party warehouse", "overseas warehouse", "海外仓", "第三方仓"),
    "own": ("own", "own warehouse", "自有仓", "自营仓"),
    "other": ("other", "其他"),
}


def program_sql(expr: str) -> str:
    return words_sql(expr, PROGRAMS)


class StockLocations(RegistrySheet):
    id = "stock_locations"
    title = "Stock locations by country"
    template_name = "stock_locations"
    produces = ("stock_locations",)
    fields: ClassVar[tuple[Field, ...]] = (
        ACCOUNT_COLUMN,
        country_column(
            also_zh="仓库国家",
            help_en="Country where the stock is stored: DE, PL, CZ... (or its name).",
            help_zh="库存所在国家：DE、PL、CZ等（或国家名称）。",
            example="PL",
        ),
        column(
            "location",
            T,
            "location",
            "仓库",
            also=("warehouse", "fulfillment center", "fulfilment centre", "fc", "仓库代码", "仓库名称"),
            required=True,
            help_en="Fulfilment centre or warehouse: WRO2, PRG2, the 3PL's name...",
            help_zh="仓库或运营中心：WRO2、PRG2、第三方仓名称等。",
            example="WRO2",
        ),
        column(
            "program",
            T,
            "program",
            "仓储方式",
            also=("storage program", "fulfilment program", "仓储类型"),
            help_en="pan_eu, fba, efn, 3pl, own or other.",
            help_zh="泛欧(pan_eu)、FBA、EFN、海外仓(3pl)、自有仓(own)或其他(other)。",
            example="pan_eu",
        ),
        sku_column(
            "The SKU stored there; blank means every SKU.", "存放的SKU；留空表示所有SKU。", example=""
        ),
        dated_column(
            "stored_from",
            DT,
            "开始存储日期",
            also=("stored from", "from", "起始日期"),
            help_en="First day stock is stored there; blank if long before.",
            help_zh="开始在此存放库存的日期；很早以前开始则留空。",
            example="2025-06-01",
        ),
        dated_column(
            "stored_to",
            DT,
            "结束存储日期",
            also=("stored to", "until", "截止日期"),
            help_en="Last day stock is stored there; blank while it still is.",
            help_zh="最后一天在此存放库存；仍在存放则留空。",
            example="",
        ),
        column(
            "quantity",
            INT,
            "quantity",
            "数量",
            also=("units", "库存数量"),
            help_en="Units stored (optional).",
            help_zh="库存数量（可选）。",
            example="120",
        ),
    )

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        checks = [
            *self.scope_checks(ctx),
            period_check(ctx, "stored_from", "stored_to", "storage"),
        ]
        if ctx.job.has("program"):
            expected = f"one of {', '.join(PROGRAMS)} (or 泛欧, 海外仓, 自有仓)"
            checks.append(unknown_check(ctx, "program", program_sql, "storage program", expected))
        checks.append(
            RowCheck(
                "quantity < 0",
                "negative quantity",
                column=header(ctx, "quantity"),
                value_sql="quantity",
                expected="0 or more units",
            )
        )
        return checks

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        country = country_sql("country")
        program = program_sql("program") if ctx.job.has("program") else "NULL"
        sql = f"""
        SELECT {country_marketplace_sql(country)} AS marketplace, _row AS source_row, {country} AS country,
               upper({text_sql("location")}) AS location, {program} AS program, {text_sql("sku")} AS sku,
               stored_from, stored_to, quantity
        FROM {ctx.typed}
        """
        return {"stock_locations": sql}


REPORTS = [StockLocations()]
