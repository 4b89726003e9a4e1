"""Amazon "All Orders" flat file (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE / _BY_LAST_UPDATE).

Both the 32-column layout and the newer 34-column one (no ship-city/state/postal-code; extra
customized-*, is-heavy-or-bulky, is-replacement-order) are read by header name. One row per order
line; `item-price` is the line total; `sales-channel` (`Amazon.de`) gives the marketplace, and the
purchase instant is dated in that marketplace's time zone.
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.ingest.row_time import instant_sql, local_day_sql
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.sql import marketplace_from_domain_sql, tax_included_sql
from tradewind.ingest.values import Kind

T, INT, D, TS, B = Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.TIMESTAMP, Kind.BOOLEAN


class AmazonAllOrders(Report):
    id = "amazon_all_orders"
    title = "Amazon All Orders report"
    produces = ("order_lines",)
    keys_numbered = frozenset({"order_lines"})
    fields: ClassVar[tuple[Field, ...]] = (
        Field("order_id", T, ("amazon-order-id",), not_null=True),
        Field("merchant_order_id", T, ("merchant-order-id", "merchant order-id"), required=False),
        Field("purchase_ts", TS, ("purchase-date",), not_null=True),
        Field("last_updated_ts", TS, ("last-updated-date",), required=False),
        Field("order_status", T, ("order-status",)),
        Field("fulfillment_channel", T, ("fulfillment-channel",)),
        Field("sales_channel", T, ("sales-channel",)),
        Field("product_name", T, ("product-name",), required=False),
        Field("sku", T, ("sku",)),
        Field("asin", T, ("asin",), required=False),
        Field("item_status", T, ("item-status",), required=False),
        Field("quantity", INT, ("quantity", "quantity-purchased"), not_null=True),
        Field(
            "currency", T, ("currency",), pattern=r"[A-Z]{3}", pattern_hint="an ISO currency code like EUR"
        ),
        Field("item_price", D, ("item-price",)),
        Field("item_tax", D, ("item-tax",), required=False),
        Field("shipping_price", D, ("shipping-price",), required=False),
        Field("shipping_tax", D, ("shipping-tax",), required=False),
        Field("gift_wrap_price", D, ("gift-wrap-price",), required=False),
        Field("gift_wrap_tax", D, ("gift-wrap-tax",), required=False),
        Field("item_promotion_discount", D, ("item-promotion-discount",), required=False),
        Field("ship_promotion_discount", D, ("ship-promotion-discount",), required=False),
        Field("ship_state", T, ("ship-state",), required=False),
        Field("ship_postal_code", T, ("ship-postal-code",), required=False),
        Field("ship_country", T, ("ship-country",), required=False),
        Field("promotion_ids", T, ("promotion-ids",), required=False),
        Field("is_business_order", B, ("is-business-order",), required=False),
    )

    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        ctx = super().resolve(job, typed)
        # A file can mix marketplaces (Amazon.de and Amazon.co.uk lines): a time written without an
        # offset is read in its own row's zone in `facts`, not in one zone for the whole file.
        ctx.zone = None
        return ctx

    def _marketplace_sql(self, ctx: ImportContext) -> str:
        fallback = ctx.marketplace.code if ctx.marketplace else None
        return marketplace_from_domain_sql("sales_channel", fallback)

    def derived(self, ctx: ImportContext) -> dict[str, str]:
        purchase = ctx.job.layouts["purchase_ts"]
        return {
            "marketplace": self._marketplace_sql(ctx),
            "purchase_date": local_day_sql("purchase_ts", purchase, ctx.job.zone_case("marketplace")),
        }

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [
            RowCheck(
                "marketplace IS NULL",
                "the sales channel is not an Amazon marketplace Tradewind knows",
                column="sales-channel",
                value_sql="sales_channel",
                expected="Amazon.com, Amazon.de, ... or --marketplace for Non-Amazon rows",
            ),
            RowCheck(
                "quantity < 0",
                "negative quantity",
                column="quantity",
                value_sql="quantity",
                expected="0 or more",
            ),
            RowCheck(
                "currency IS NOT NULL AND currency <> first_value(currency IGNORE NULLS) OVER "
                "(PARTITION BY marketplace ORDER BY _row "
                "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)",
                "mixed currencies for one marketplace",
                column="currency",
                value_sql="currency",
                expected="one currency per marketplace in a file",
                # One currency in the file cannot mix; the windowed check runs only when there are more.
                only_if="count(DISTINCT currency) > 1",
            ),
        ]

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        """Order lines; line numbers come from a narrow query joined back by row (a window over every
        column would carry the whole file through its sort)."""
        zone = ctx.job.zone_case("marketplace")
        purchase = ctx.job.layouts["purchase_ts"]
        updated = ctx.job.layouts.get("last_updated_ts", purchase)
        status = "lower(coalesce(order_status, ''))"
        item_status = "lower(coalesce(item_status, ''))"
        sql = f"""
        SELECT
          marketplace, _row AS source_row, 'amazon_all_orders' AS source,
          CASE WHEN lower(fulfillment_channel) IN ('amazon', 'afn') THEN 'amazon_fba' ELSE 'amazon_fbm' END
            AS channel,
          order_id,
          line_no,
          merchant_order_id,
          {instant_sql("purchase_ts", purchase, zone, bare_date_at_midnight=True)} AS purchase_ts,
          purchase_date,
          {instant_sql("last_updated_ts", updated, zone, bare_date_at_midnight=True)} AS last_updated_ts,
          order_status, item_status,
          ({status} LIKE 'cancel%' OR {item_status} LIKE 'cancel%') AS is_cancelled,
          ({status} LIKE 'pending%') AS is_pending,
          coalesce(is_business_order, false) AS is_business_order,
          sales_channel, sku, asin, product_name, quantity, currency, item_price, item_tax,
          {tax_included_sql("marketplace")} AS tax_included,
          shipping_price, shipping_tax, gift_wrap_price, gift_wrap_tax,
          abs(item_promotion_discount) AS item_promotion_discount,
          abs(ship_promotion_discount) AS ship_promotion_discount,
          ship_country, ship_state, ship_postal_code, promotion_ids
        FROM {ctx.typed}
        JOIN (
          SELECT _row, row_number() OVER (PARTITION BY order_id ORDER BY _row) AS line_no FROM {ctx.typed}
        ) USING (_row)
        """
        return {"order_lines": sql}


REPORTS = [AmazonAllOrders()]
