"""Self-fulfilled shipments with their ship-by deadline (template `shipments`, CSV or XLSX).

One row per shipment (an order shipped in two parcels has two rows). On-time shipping (OTR, kpis.md)
compares the ship time with the deadline *at the precision the deadline is written*: a bare date
("ship by 2026-03-05") allows the whole local day, a time to the minute allows that whole minute (a
parcel scanned at 18:00:40 for an 18:00 deadline is on time), a time to the second is exact. The
deadline is stored as its last on-time second (`ship_by_ts`). An unshipped order is late once its
deadline has passed as of the export (`--date`, or the import time) and pending before that.

A tracking id counts as valid when it has the form of its carrier's ids (UPS `1Z` + 16, FedEx 12/15/20/22
digits, USPS, Royal Mail) or, for other carriers, 8 to 40 letters and digits with at least 6 digits and
not one character repeated: placeholders such as `N/A`, `0000000000` or `TBD` are not tracking ids.
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.ingest.reports.ops_common import (
    ACCOUNT_COLUMN,
    NOT_A_NUMBER,
    NOT_A_NUMBER_HINT,
    TEMPLATE_DEADLINES,
    TIME_HELP_EN,
    TIME_HELP_ZH,
    TeamSheet,
    as_of_sql,
    dated_column,
    header,
    marketplace_column,
    precision_end_sql,
    record_range,
    row_marketplace_sql,
    text_sql,
)
from tradewind.ingest.spec import Field, ImportContext, RowCheck
from tradewind.ingest.templates import column
from tradewind.ingest.values import Kind, q

T, TS = Kind.TEXT, Kind.TIMESTAMP

#: (words in the carrier's name, the form of its tracking ids after spaces and hyphens are removed).
CARRIER_FORMATS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ups",), r"1Z[0-9A-Z]{16}"),
    (("fedex", "fed ex"), r"[0-9]{12}|[0-9]{15}|[0-9]{20}|[0-9]{22}"),
    (("usps",), r"9[0-9]{19,21}|[A-Z]{2}[0-9]{9}US"),
    (("royal mail",), r"[A-Z]{2}[0-9]{9}GB"),
)
_GENERIC = r"[A-Z0-9]{8,40}"


def tracking_valid_sql(tracking: str, carrier: str) -> str:
    """True where `tracking` has the form of `carrier`'s ids (see the module doc); NULL without an id."""
    cleaned = f"upper(regexp_replace({tracking}, '[\\s\\-]', '', 'g'))"
    low = f"lower(coalesce({carrier}, ''))"
    digits = f"length(regexp_replace({cleaned}, '[^0-9]', '', 'g'))"
    repeated = f"length(replace({cleaned}, left({cleaned}, 1), '')) = 0"
    generic = f"(regexp_full_match({cleaned}, {q(_GENERIC)}) AND {digits} >= 6 AND NOT {repeated})"
    whens = " ".join(
        f"WHEN {' OR '.join(f'contains({low}, {q(word)})' for word in words)} "
        f"THEN regexp_full_match({cleaned}, {q(pattern)})"
        for words, pattern in CARRIER_FORMATS
    )
    return f"(CASE WHEN {tracking} IS NULL THEN NULL {whens} ELSE {generic} END)"


class Shipments(TeamSheet):
    id = "shipments"
    title = "Self-fulfilled shipments"
    template_name = "shipments"
    produces = ("shipments",)
    as_of_what = "unshipped orders"
    fields: ClassVar[tuple[Field, ...]] = (
        column(
            "order_id",
            T,
            "order_id",
            "订单号",
            also=("order id", "order-id", "amazon-order-id", "订单编号"),
            required=True,
            not_null=True,
            help_en="The order id (Amazon 123-1234567-1234567, Shopify #1001...). One row per parcel.",
            help_zh="订单号（亚马逊 123-1234567-1234567、Shopify #1001 等）；一个包裹一行。",
            example="305-1234567-7654321",
        ),
        ACCOUNT_COLUMN,
        marketplace_column(example="DE", also=("sales channel", "sales-channel")),
        column(
            "ship_by",
            TS,
            "ship_by",
            "最晚发货时间",
            also=("ship by", "ship-by date", "latest ship date", "latest-ship-date", "发货截止时间"),
            required=True,
            not_null=True,
            formats=TEMPLATE_DEADLINES,
            number_format="yyyy-mm-dd hh:mm",
            help_en="The ship-by deadline: a date (the whole local day counts) or a date and time "
            f"(to the minute: the whole minute counts). {TIME_HELP_EN}.",
            help_zh="最晚发货时间：只写日期则当天全天有效；写到分钟则该分钟内有效。" + TIME_HELP_ZH + "。",
            example="2026-03-05",
        ),
        dated_column(
            "shipped_at",
            TS,
            "发货时间",
            also=("shipped", "ship date", "ship-date", "shipment date", "实际发货时间"),
            required=True,
            help_en="When the parcel was handed to the carrier; blank while not shipped.",
            help_zh="交给承运商的时间；未发货则留空。",
            example="2026-03-04 16:20",
        ),
        column(
            "carrier",
            T,
            "carrier",
            "承运商",
            also=("carrier name", "carrier-name", "物流商", "快递公司"),
            pattern=NOT_A_NUMBER,
            pattern_hint=NOT_A_NUMBER_HINT,
            help_en="Carrier name: DHL, UPS, DPD, Hermes, La Poste, Royal Mail...",
            help_zh="承运商名称：DHL、UPS、DPD、Hermes、La Poste、Royal Mail 等。",
            example="DHL",
        ),
        column(
            "tracking_id",
            T,
            "tracking_id",
            "运单号",
            also=("tracking number", "tracking-number", "tracking no", "tracking", "追踪号", "物流单号"),
            required=True,
            help_en="The carrier's tracking number; blank if none.",
            help_zh="承运商的物流追踪号；没有则留空。",
            example="00340434161094042557",
        ),
        dated_column(
            "delivered_at",
            TS,
            "签收时间",
            also=("delivered", "delivery date", "妥投时间"),
            help_en="When the parcel was delivered; blank while in transit.",
            help_zh="签收时间；运输中则留空。",
            example="2026-03-06 11:02",
        ),
    )

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        checks = self.scope_checks(ctx)
        checks.append(self.future_check(ctx, "shipped_at", "the ship time"))
        if ctx.job.has("delivered_at"):
            checks += [
                self.order_check(ctx, "shipped_at", "delivered_at", "delivered before it was shipped"),
                self.future_check(ctx, "delivered_at", "the delivery time"),
                RowCheck(
                    "delivered_at IS NOT NULL AND shipped_at IS NULL",
                    "a delivery time without a ship time",
                    column=header(ctx, "shipped_at"),
                    value_sql="NULL",
                    expected="the time the parcel was shipped",
                ),
            ]
        return checks

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        zone = ctx.job.zone_case("marketplace")
        layout = ctx.job.layouts["ship_by"]
        rows = f"""
        SELECT _row, {row_marketplace_sql(ctx)} AS marketplace, {text_sql("order_id")} AS order_id,
               ship_by, carrier, tracking_id,
               {self.instant(ctx, "shipped_at")} AS shipped_ts,
               {self.instant(ctx, "delivered_at")} AS delivered_ts
        FROM {ctx.typed}
        """
        tracking = "NULLIF(regexp_replace(tracking_id, '\\s', '', 'g'), '')"
        tracking_sql = tracking_valid_sql(tracking, "carrier")
        deadline = precision_end_sql("ship_by", layout, zone)
        sql = f"""
        SELECT marketplace, _row AS source_row, order_id,
               row_number() OVER (PARTITION BY order_id ORDER BY _row) AS shipment_no,
               ship_by_ts, CAST(timezone({zone}, ship_by_ts) AS DATE) AS ship_by_date,
               shipped_ts, CAST(timezone({zone}, shipped_ts) AS DATE) AS ship_date,
               {text_sql("carrier")} AS carrier, {tracking} AS tracking_id, delivered_ts, as_of_ts,
               (shipped_ts IS NOT NULL OR ship_by_ts < as_of_ts) AS ship_due,
               CASE WHEN shipped_ts IS NOT NULL THEN date_trunc('second', shipped_ts) <= ship_by_ts
                    WHEN ship_by_ts < as_of_ts THEN false END AS shipped_on_time,
               CASE WHEN shipped_ts IS NOT NULL THEN coalesce({tracking_sql}, false) END AS tracking_valid
        FROM (
          SELECT *, {deadline} AS ship_by_ts, {as_of_sql(ctx, zone)} AS as_of_ts
          FROM ({rows})
        )
        """
        record_range(ctx, sql, "ship_by_date")
        return {"shipments": sql}


REPORTS = [Shipments()]
