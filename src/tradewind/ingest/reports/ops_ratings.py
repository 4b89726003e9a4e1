"""Ratings snapshots (template `ratings`, CSV or XLSX): an ASIN's ratings count and average star rating
on a day, as the team records them from the detail page or a tool's export.

Ratings are a point-in-time fact: the KPIs read the last snapshot in a period (kpis.md: avg_rating,
ratings_count). An average outside 1 to 5, a negative count, an average without any ratings (or
ratings without an average) and a day after today reject the file.
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.ingest.reports.ops_common import (
    ACCOUNT_COLUMN,
    TeamSheet,
    dated_column,
    header,
    marketplace_column,
    record_range,
    row_marketplace_sql,
    sku_column,
    text_sql,
)
from tradewind.ingest.spec import Field, ImportContext, RowCheck
from tradewind.ingest.templates import column
from tradewind.ingest.values import Kind

T, INT, D, DT = Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.DATE


class RatingsSnapshots(TeamSheet):
    id = "ratings_snapshots"
    title = "Ratings snapshots"
    template_name = "ratings"
    produces = ("ratings_snapshots",)
    fields: ClassVar[tuple[Field, ...]] = (
        dated_column(
            "snapshot_date",
            DT,
            "记录日期",
            also=("date", "snapshot date", "日期"),
            required=True,
            not_null=True,
            help_en="The day the figures were read:",
            help_zh="记录评分的日期：",
            example="2026-03-31",
        ),
        ACCOUNT_COLUMN,
        marketplace_column(example="DE"),
        column(
            "asin",
            T,
            "asin",
            "ASIN",
            required=True,
            not_null=True,
            pattern=r"(?i)[a-z0-9]{10}",
            pattern_hint="a 10-character ASIN like B0BGPMD867",
            help_en="The ASIN whose ratings these are (10 characters).",
            help_zh="评分所属的ASIN（10位）。",
            example="B0BGPMD867",
        ),
        sku_column(
            "Your SKU for the ASIN (optional; lets ratings be shown by SKU and owner).",
            "该ASIN对应的卖家SKU（可选；用于按SKU和负责人查看）。",
        ),
        column(
            "ratings_count",
            INT,
            "ratings_count",
            "评分数",
            also=("ratings", "number of ratings", "global ratings", "评分数量", "评论数"),
            required=True,
            not_null=True,
            help_en="The number of ratings (a whole number).",
            help_zh="评分总数（整数）。",
            example="1284",
        ),
        column(
            "avg_rating",
            D,
            "avg_rating",
            "平均评分",
            also=("average rating", "rating", "star rating", "stars", "星级", "评分"),
            required=True,
            number_format="0.0#",
            help_en="The average star rating, 1 to 5 (e.g. 4.4); blank with no ratings.",
            help_zh="平均星级，1至5（例如 4.4）；没有评分则留空。",
            example="4.4",
        ),
    )

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        col = header(ctx, "avg_rating")
        return [
            *self.scope_checks(ctx),
            RowCheck(
                "avg_rating < 1 OR avg_rating > 5",
                "an average star rating is between 1 and 5",
                column=col,
                value_sql="avg_rating",
                expected="a number from 1 to 5, like 4.4",
            ),
            RowCheck(
                "ratings_count < 0",
                "negative ratings count",
                column=header(ctx, "ratings_count"),
                value_sql="ratings_count",
                expected="0 or more",
            ),
            RowCheck(
                "ratings_count > 0 AND avg_rating IS NULL",
                "ratings without an average",
                column=col,
                value_sql="ratings_count",
                expected="the average star rating of these ratings",
            ),
            RowCheck(
                "ratings_count = 0 AND avg_rating IS NOT NULL",
                "an average rating without any ratings",
                column=col,
                value_sql="avg_rating",
                expected="no average (blank) when the count is 0",
            ),
            self.future_day_check(ctx, "snapshot_date", "the day", "the day the figures were read"),
        ]

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        sql = f"""
        SELECT {row_marketplace_sql(ctx)} AS marketplace, _row AS source_row, snapshot_date,
               upper(asin) AS asin, {text_sql("sku")} AS sku, ratings_count,
               CAST(avg_rating AS DOUBLE) AS avg_rating
        FROM {ctx.typed}
        """
        record_range(ctx, sql, "snapshot_date")
        return {"ratings_snapshots": sql}


REPORTS = [RatingsSnapshots()]
