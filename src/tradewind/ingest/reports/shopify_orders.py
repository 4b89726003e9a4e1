"""Shopify "Export orders" CSV (report-formats §4): one row per line item.

Only the first row of an order carries the order-level fields (Financial Status, Currency, Cancelled at,
the addresses, Id, totals); the following rows repeat `Name` (`#1001`) and leave them blank. Those
fields are filled down by `Name` within the file, so every line knows its order's status, currency and
country. Order totals (`Shipping`) stay on the first line only: copying them to every line would count
them once per line.

Values: `Created at` carries the shop's UTC offset (`2025-05-11 09:55:16 -0400`); money is plain
dot-decimal with the ISO code in `Currency`. `Lineitem price` is the UNIT price, so the line total
(`item_price`, as Amazon's `item-price` is) is price x quantity; `Lineitem discount` is the discount on
the whole line. Columns are read by name because Shopify appends columns over time.

Decisions, and why:

- **order_id** is the order `Name` (`#1001`), what the merchant and the customer see; Shopify's numeric
  `Id` is kept as merchant_order_id. Channel `shopify`.
- **Cancelled** when `Cancelled at` is set; **pending** when the financial status is `pending` (payment
  not yet captured), which still counts in order-based sales as Amazon's pending orders do.
- **Marketplace**: `--marketplace` for the whole file; else the order's shipping country (then its billing
  country) when it is one of the account's marketplaces; else the account's only marketplace. A Shopify
  store ships anywhere, so a country outside the account does not make a marketplace of its own.
- **Tax**: whether `Lineitem price` includes tax follows the marketplace convention (VAT-inclusive in
  EU/UK, tax added in US/CA). The export states tax per order, not per line, so item_tax is left empty
  (the engine then derives it) unless the order's `Taxes` is 0, which makes every line's tax exactly 0.
- **Currency** is per order and kept per line. Unlike Amazon files, one export may hold orders in several
  presentment currencies for one country (Shopify Markets); each line is converted on its own, so that is
  not an error.
- **No customer_returns**: the export has `Refunded Amount` per order but no refund date and no refunded
  quantity per line. Returns are dated by their return date, and inventing one (the order date, the export
  date) would move refunds into the wrong period; refunds need Shopify's refunds data instead.
"""

from __future__ import annotations

from typing import ClassVar

from tradewind.core.errors import NeedsOption
from tradewind.core.marketplaces import find_marketplace
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.sql import marketplace_from_country_sql, tax_included_sql
from tradewind.ingest.values import Kind, clean_text, local_date_sql, q

T, N, D, TS = Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.TIMESTAMP

#: Order-level columns that only the first row of an order carries.
_ORDER_FIELDS = (
    "financial_status",
    "currency",
    "created_at",
    "cancelled_at",
    "discount_code",
    "taxes",
    "billing_country",
    "shipping_country",
    "shipping_province",
    "shipping_zip",
    "shopify_id",
    "source_name",
)


_ORDER = "PARTITION BY name ORDER BY _row"
_LINE_NO = f"row_number() OVER ({_ORDER})"


def _fill(field: str) -> str:
    """The field, or (on an order's later lines) the value its order's first row carries."""
    whole = f"{_ORDER} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
    return f"coalesce({field}, first_value({field} IGNORE NULLS) OVER ({whole}))"


class ShopifyOrdersExport(Report):
    id = "shopify_orders"
    title = "Shopify orders export"
    produces = ("order_lines",)
    keys_numbered = frozenset({"order_lines"})
    fields: ClassVar[tuple[Field, ...]] = (
        Field("name", T, ("Name",), not_null=True),
        Field("financial_status", T, ("Financial Status",)),
        Field(
            "currency",
            T,
            ("Currency",),
            pattern=r"[A-Z]{3}",
            pattern_hint="an ISO currency code like EUR",
        ),
        Field("created_at", TS, ("Created at",)),
        Field("cancelled_at", TS, ("Cancelled at",), required=False),
        Field("discount_code", T, ("Discount Code",), required=False),
        Field("shipping", D, ("Shipping",), required=False),
        Field("taxes", D, ("Taxes",), required=False),
        Field("quantity", N, ("Lineitem quantity",), not_null=True),
        Field("lineitem_name", T, ("Lineitem name",)),
        Field("lineitem_price", D, ("Lineitem price",), not_null=True),
        Field("lineitem_sku", T, ("Lineitem sku",), required=False),
        Field("lineitem_fulfillment_status", T, ("Lineitem fulfillment status",), required=False),
        Field("lineitem_discount", D, ("Lineitem discount",), required=False),
        Field("billing_country", T, ("Billing Country",), required=False),
        Field("shipping_country", T, ("Shipping Country",), required=False),
        Field("shipping_province", T, ("Shipping Province",), required=False),
        Field("shipping_zip", T, ("Shipping Zip",), required=False),
        Field("shopify_id", T, ("Id",), required=False),
        Field("source_name", T, ("Source",), required=False),
    )

    # -- decisions ----------------------------------------------------------------------------------
    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        ctx = ImportContext(job, typed)
        if job.options.marketplace:
            ctx.marketplace = find_marketplace(job.options.marketplace)
        elif len(job.account_marketplaces) == 1:
            ctx.marketplace = find_marketplace(job.account_marketplaces[0])
        elif not self._any_country(job):
            raise NeedsOption(
                f"{job.file_name}: the orders have no shipping or billing country to tell which of account "
                f"{job.account_id}'s marketplaces ({', '.join(job.account_marketplaces)}) they belong to; "
                "say which with --marketplace"
            )
        if ctx.marketplace is not None:
            ctx.zone = job.zones.get(ctx.marketplace.code)
        return ctx

    @staticmethod
    def _any_country(job: ImportJob) -> bool:
        cols = [job.columns.get(n) for n in ("shipping_country", "billing_country")]
        present = [clean_text(c) for c in cols if c]
        if not present:
            return False
        row = job.con.execute(
            f"SELECT count(*) FROM {job.raw.table} WHERE coalesce({', '.join(present)}) IS NOT NULL"
        ).fetchone()
        return bool(row and row[0])

    def _marketplace_sql(self, ctx: ImportContext, shipping: str, billing: str) -> str:
        """--marketplace, else the order's shipping or billing country when the account sells there,
        else the account's only marketplace."""
        job = ctx.job
        if job.options.marketplace and ctx.marketplace is not None:
            return q(ctx.marketplace.code)
        account = ", ".join(q(c) for c in job.account_marketplaces) or "NULL"
        only = q(job.account_marketplaces[0]) if len(job.account_marketplaces) == 1 else "NULL"

        def in_account(country: str) -> str:
            code = marketplace_from_country_sql(country)
            return f"(CASE WHEN {code} IN ({account}) THEN {code} END)"

        return f"coalesce({in_account(shipping)}, {in_account(billing)}, {only})"

    @staticmethod
    def _filled(typed: str) -> str:
        """The typed rows with each order's first-row fields copied to its other lines (as `o_<field>`)."""
        fills = ", ".join(f"{_fill(f)} AS o_{f}" for f in _ORDER_FIELDS)
        return f"(SELECT *, {fills}, {_LINE_NO} AS line_no FROM {typed})"

    # -- validation ---------------------------------------------------------------------------------
    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        # Checks see the typed rows; the order's first-row values are filled in by window functions.
        mkt = self._marketplace_sql(ctx, _fill("shipping_country"), _fill("billing_country"))
        first_line = f"{_LINE_NO} = 1"
        accounts = ", ".join(ctx.job.account_marketplaces)
        return [
            RowCheck(
                f"{first_line} AND {mkt} IS NULL",
                f"no marketplace for this order: its shipping and billing countries are missing or not "
                f"among account {ctx.account_id}'s marketplaces ({accounts})",
                column="Shipping Country",
                value_sql=f"coalesce({_fill('shipping_country')}, {_fill('billing_country')})",
                expected="--marketplace for a store that sells to one marketplace",
            ),
            RowCheck(
                f"{first_line} AND {_fill('currency')} IS NULL",
                "no currency for this order (its first row has an empty Currency)",
                column="Currency",
                value_sql="name",
                expected="the order currency on the first row of each order",
            ),
            RowCheck(
                "quantity < 0",
                "a negative quantity",
                column="Lineitem quantity",
                value_sql="quantity",
                expected="0 or more",
            ),
            RowCheck(
                "lineitem_price < 0",
                "a negative price",
                column="Lineitem price",
                value_sql="lineitem_price",
                expected="0 or more",
            ),
        ]

    # -- facts --------------------------------------------------------------------------------------
    def facts(self, ctx: ImportContext) -> dict[str, str]:
        mkt = self._marketplace_sql(ctx, "o_shipping_country", "o_billing_country")
        zone = ctx.job.zone_case("marketplace")
        sql = f"""
        SELECT
          marketplace, _row AS source_row, 'shopify_orders' AS source, 'shopify' AS channel,
          name AS order_id, line_no, o_shopify_id AS merchant_order_id,
          o_created_at AS purchase_ts,
          {local_date_sql("o_created_at", zone)} AS purchase_date,
          o_financial_status AS order_status, lineitem_fulfillment_status AS item_status,
          o_cancelled_at IS NOT NULL AS is_cancelled,
          coalesce(lower(o_financial_status) = 'pending', false) AS is_pending,
          false AS is_business_order,
          o_source_name AS sales_channel, lineitem_sku AS sku, lineitem_name AS product_name,
          quantity, o_currency AS currency,
          lineitem_price * quantity AS item_price,
          CASE WHEN o_taxes = 0 THEN 0 END AS item_tax,
          {tax_included_sql("marketplace")} AS tax_included,
          shipping AS shipping_price,
          abs(lineitem_discount) AS item_promotion_discount,
          o_shipping_country AS ship_country, o_shipping_province AS ship_state,
          o_shipping_zip AS ship_postal_code, o_discount_code AS promotion_ids
        FROM (SELECT *, {mkt} AS marketplace FROM {self._filled(ctx.typed)})
        """
        return {"order_lines": sql}


REPORTS = [ShopifyOrdersExport()]
