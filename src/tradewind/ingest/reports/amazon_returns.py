"""Amazon FBA customer returns flat file (GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA).

The download names the order column `order-id`; Seller Central's help pages (the online view) say
`amazon-order-id`: both are read. The date is ISO 8601 with an offset in the files seen, the help
pages describe DD-MM-YYYY (and DD-MON-YYYY in Japan): all are read, one layout per file. A return is
dated on the marketplace's local calendar (kpis.md: returns by return date); a bare date is already
that day.

The file has no marketplace column, and a unified account's returns file mixes marketplaces, so each
row's marketplace is, in order: `--marketplace`; the marketplace of the same order in the orders
already imported for this account (the All Orders report); the account's only marketplace. A row
none of these settles is a problem that asks for `--marketplace`: a return is never guessed into a
marketplace.
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.core.marketplaces import find_marketplace
from tradewind.ingest.row_time import instant_sql, local_day_sql
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.values import Kind, q

T, INT, TS = Kind.TEXT, Kind.INTEGER, Kind.TIMESTAMP

#: ISO instants (the download), naive ISO, and the help pages' DD-MM-YYYY / DD-MON-YYYY dates.
_RETURN_LAYOUTS = (
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S %Z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y",
    "%d-%b-%Y",
    "%Y-%m-%d",
)


class AmazonCustomerReturns(Report):
    id = "amazon_fba_returns"
    title = "Amazon FBA customer returns report"
    produces = ("customer_returns",)
    fields: ClassVar[tuple[Field, ...]] = (
        Field("returned", TS, ("return-date",), not_null=True, formats=_RETURN_LAYOUTS),
        Field("order_id", T, ("order-id", "amazon-order-id"), not_null=True),
        Field("sku", T, ("sku",), not_null=True),
        Field("asin", T, ("asin",), required=False),
        Field("fnsku", T, ("fnsku",), required=False),
        Field("product_name", T, ("product-name",), required=False),
        Field("quantity", INT, ("quantity",), not_null=True),
        Field("fulfillment_center_id", T, ("fulfillment-center-id",)),
        Field("detailed_disposition", T, ("detailed-disposition",)),
        Field("reason", T, ("reason",)),
        Field("status", T, ("status",), required=False),
        Field("license_plate_number", T, ("license-plate-number",), required=False),
        Field("customer_comments", T, ("customer-comments",), required=False),
    )

    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        ctx = ImportContext(job, typed)
        if job.options.marketplace:
            ctx.marketplace = find_marketplace(job.options.marketplace)
        # Rows may belong to different marketplaces: times without an offset are read as wall-clock
        # readings and placed in each row's zone in `facts` (see ingest/row_time.py).
        ctx.zone = None
        return ctx

    def _marketplace_sql(self, ctx: ImportContext) -> str:
        """The row's marketplace: --marketplace, else its order's, else the account's only one."""
        if ctx.marketplace is not None:
            return q(ctx.marketplace.code)
        only = ctx.job.account_marketplaces
        single = q(only[0]) if len(only) == 1 else "NULL"
        # An order id that the account's orders place in two marketplaces settles nothing.
        from_orders = (
            "(SELECT CASE WHEN count(DISTINCT o.marketplace) = 1 THEN min(o.marketplace) END "
            f"FROM order_lines o WHERE o.account_id = {q(ctx.account_id)} "
            f"AND o.order_id = {ctx.typed}.order_id)"
        )
        return f"coalesce({from_orders}, {single})"

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [
            RowCheck(
                f"{self._marketplace_sql(ctx)} IS NULL",
                "cannot tell which marketplace this return belongs to: its order is not among the "
                f"orders imported for account {ctx.account_id}",
                column=self._header(ctx, "order_id"),
                value_sql="order_id",
                expected="--marketplace (e.g. --marketplace DE), or import the All Orders report holding "
                "this order first",
            ),
            RowCheck(
                "quantity < 0",
                "negative returned quantity",
                column="quantity",
                value_sql="quantity",
                expected="0 or more units",
            ),
        ]

    @staticmethod
    def _header(ctx: ImportContext, name: str) -> str:
        col = ctx.job.columns.get(name)
        return ctx.job.raw.headers[int(col[1:])] if col else name

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        layout = ctx.job.layouts["returned"]
        zone = ctx.job.zone_case("marketplace")
        sql = f"""
        SELECT
          marketplace, _row AS source_row, 'fba_returns' AS source,
          {instant_sql("returned", layout, zone)} AS return_ts,
          {local_day_sql("returned", layout, zone)} AS return_date,
          order_id, sku, asin, fnsku, product_name, quantity,
          fulfillment_center_id, detailed_disposition, reason, status, license_plate_number, customer_comments
        FROM (SELECT *, {self._marketplace_sql(ctx)} AS marketplace FROM {ctx.typed})
        """
        return {"customer_returns": sql}


REPORTS = [AmazonCustomerReturns()]
