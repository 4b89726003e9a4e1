"""The canonical facts: one table per kind of fact, each row with its account, marketplace and provenance.

This module is the single description of the fact tables. DDL, the loader's column order and the
migration checks are all derived from it. Money columns keep their original currency (a `currency`
column beside them); converting is the engine's job.

Every fact row carries:
- `account_id`: the seller store the row belongs to (an agency workspace holds many);
- `marketplace`: marketplace code (US, DE, ...), NULL only where a fact has none (FX rates, products);
- `import_id`: the import (file) that wrote the row; the ledger says which file that was;
- `source_row`: the row number in that file as a spreadsheet shows it (the header is row 1).
"""

from __future__ import annotations

from dataclasses import dataclass

MONEY = "DECIMAL(18,4)"
RATE = "DECIMAL(18,8)"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    doc: str = ""


@dataclass(frozen=True)
class FactTable:
    name: str
    doc: str
    columns: tuple[Column, ...]
    #: Columns that identify one fact: a later file with the same key replaces the earlier row.
    natural_key: tuple[str, ...]
    #: The column that dates the fact in marketplace-local time (None for undated reference data).
    date_column: str | None = None
    #: The scope a new file replaces as a whole (all rows sharing these values with any new row are
    #: deleted first). Defaults to the natural key. An inventory snapshot replaces its whole date, an
    #: order replaces all of its lines, a settlement all of its amounts.
    replace_key: tuple[str, ...] | None = None

    @property
    def replaced_by(self) -> tuple[str, ...]:
        return self.replace_key or self.natural_key

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def ddl(self) -> str:
        cols = ",\n  ".join(f"{c.name} {c.type}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}\n)"


def _c(name: str, type_: str, doc: str = "") -> Column:
    return Column(name, type_, doc)


PROVENANCE = (
    _c("account_id", "VARCHAR NOT NULL", "seller store"),
    _c("marketplace", "VARCHAR", "marketplace code: US, CA, UK, DE, FR, ..."),
    _c("import_id", "VARCHAR NOT NULL", "the import that wrote this row"),
    _c("source_row", "INTEGER NOT NULL", "row number in the source file (header = row 1)"),
)

ORDER_LINES = FactTable(
    name="order_lines",
    doc="One row per order line (Amazon All Orders, Shopify line items, ERP exports).",
    columns=(
        *PROVENANCE,
        _c("source", "VARCHAR NOT NULL", "amazon_all_orders | shopify_orders | ..."),
        _c("channel", "VARCHAR NOT NULL", "amazon_fba | amazon_fbm | shopify"),
        _c("order_id", "VARCHAR NOT NULL"),
        _c("line_no", "INTEGER NOT NULL", "position of the line within its order in the file (1-based)"),
        _c("merchant_order_id", "VARCHAR"),
        _c("purchase_ts", "TIMESTAMPTZ NOT NULL", "purchase instant (UTC)"),
        _c("purchase_date", "DATE NOT NULL", "purchase date in the marketplace's local time zone"),
        _c("last_updated_ts", "TIMESTAMPTZ"),
        _c("order_status", "VARCHAR", "as reported: Shipped, Pending, Cancelled, paid, ..."),
        _c("item_status", "VARCHAR"),
        _c("is_cancelled", "BOOLEAN NOT NULL"),
        _c("is_pending", "BOOLEAN NOT NULL"),
        _c("is_business_order", "BOOLEAN NOT NULL"),
        _c("sales_channel", "VARCHAR", "as reported: Amazon.de, Online Store, ..."),
        _c("sku", "VARCHAR"),
        _c("asin", "VARCHAR"),
        _c("product_name", "VARCHAR"),
        _c("quantity", "INTEGER NOT NULL"),
        _c("currency", "VARCHAR(3)"),
        _c("item_price", MONEY, "line total as charged (quantity x unit price), excl. shipping"),
        _c("item_tax", MONEY, "tax on the line: included in item_price when tax_included"),
        _c("tax_included", "BOOLEAN NOT NULL", "item_price includes VAT (EU/UK) or not (US/CA)"),
        _c("shipping_price", MONEY),
        _c("shipping_tax", MONEY),
        _c("gift_wrap_price", MONEY),
        _c("gift_wrap_tax", MONEY),
        _c("item_promotion_discount", MONEY, "positive amount"),
        _c("ship_promotion_discount", MONEY, "positive amount"),
        _c("ship_country", "VARCHAR"),
        _c("ship_state", "VARCHAR"),
        _c("ship_postal_code", "VARCHAR"),
        _c("promotion_ids", "VARCHAR"),
    ),
    natural_key=("account_id", "source", "order_id", "line_no"),
    date_column="purchase_date",
    replace_key=("account_id", "source", "order_id"),
)

TRAFFIC = FactTable(
    name="traffic",
    doc="Business Report / SP-API Sales and Traffic rows. A range fact: date_from..date_to inclusive.",
    columns=(
        *PROVENANCE,
        _c("source", "VARCHAR NOT NULL", "business_report | sp_api_sales_traffic"),
        _c("level", "VARCHAR NOT NULL", "sku | child_asin | parent_asin | total (a by-date row)"),
        _c("date_from", "DATE NOT NULL"),
        _c("date_to", "DATE NOT NULL"),
        _c("parent_asin", "VARCHAR"),
        _c("child_asin", "VARCHAR"),
        _c("sku", "VARCHAR"),
        _c("title", "VARCHAR"),
        _c("sessions", "BIGINT"),
        _c("sessions_b2b", "BIGINT"),
        _c("page_views", "BIGINT"),
        _c("page_views_b2b", "BIGINT"),
        _c("buy_box_pct", "DOUBLE", "featured offer (buy box) share as a fraction (0.9503)"),
        _c("units_ordered", "BIGINT"),
        _c("units_ordered_b2b", "BIGINT"),
        _c("ordered_product_sales", MONEY),
        _c("ordered_product_sales_b2b", MONEY),
        _c("currency", "VARCHAR(3)"),
        _c("total_order_items", "BIGINT"),
        _c("total_order_items_b2b", "BIGINT"),
    ),
    natural_key=(
        "account_id",
        "marketplace",
        "source",
        "level",
        "date_from",
        "date_to",
        "parent_asin",
        "child_asin",
        "sku",
    ),
    date_column="date_from",
    # A report for a range is the whole truth for that range: a re-download (even one that lost a SKU)
    # replaces every row of the same marketplace, source, level and range.
    replace_key=("account_id", "marketplace", "source", "level", "date_from", "date_to"),
)

AD_PERFORMANCE = FactTable(
    name="ad_performance",
    doc="Sponsored Products (and SB/SD) advertised-product rows; a daily row has date_from = date_to.",
    columns=(
        *PROVENANCE,
        _c("source", "VARCHAR NOT NULL", "ads_console | ads_api_v3"),
        _c("ad_product", "VARCHAR NOT NULL", "SP | SB | SD"),
        _c("date_from", "DATE NOT NULL"),
        _c("date_to", "DATE NOT NULL"),
        _c("portfolio", "VARCHAR"),
        _c("campaign_id", "VARCHAR"),
        _c("campaign_name", "VARCHAR"),
        _c("ad_group_id", "VARCHAR"),
        _c("ad_group_name", "VARCHAR"),
        _c("sku", "VARCHAR"),
        _c("asin", "VARCHAR"),
        _c("currency", "VARCHAR(3)"),
        _c("impressions", "BIGINT"),
        _c("clicks", "BIGINT"),
        _c("spend", MONEY),
        _c("sales", MONEY, "attributed sales in the report's window (7 days for SP)"),
        _c("orders", "BIGINT"),
        _c("units", "BIGINT"),
        _c("advertised_sku_units", "BIGINT"),
        _c("other_sku_units", "BIGINT"),
        _c("advertised_sku_sales", MONEY),
        _c("other_sku_sales", MONEY),
        _c("attribution_days", "INTEGER", "7 for SP console / sales7d; 14 for SB/SD"),
    ),
    natural_key=(
        "account_id",
        "marketplace",
        "ad_product",
        "date_from",
        "date_to",
        "campaign_name",
        "ad_group_name",
        "sku",
        "asin",
    ),
    date_column="date_from",
)

INVENTORY_SNAPSHOTS = FactTable(
    name="inventory_snapshots",
    doc="FBA Manage Inventory (MYI) snapshots: one row per SKU per snapshot date.",
    columns=(
        *PROVENANCE,
        _c("snapshot_date", "DATE NOT NULL"),
        _c("sku", "VARCHAR NOT NULL"),
        _c("fnsku", "VARCHAR"),
        _c("asin", "VARCHAR"),
        _c("product_name", "VARCHAR"),
        _c("condition", "VARCHAR"),
        _c("your_price", MONEY),
        _c("currency", "VARCHAR(3)"),
        _c("mfn_fulfillable", "BIGINT"),
        _c("afn_warehouse", "BIGINT"),
        _c("afn_fulfillable", "BIGINT"),
        _c("afn_unsellable", "BIGINT"),
        _c("afn_reserved", "BIGINT"),
        _c("afn_total", "BIGINT"),
        _c("inbound_working", "BIGINT"),
        _c("inbound_shipped", "BIGINT"),
        _c("inbound_receiving", "BIGINT"),
        _c("researching", "BIGINT"),
        _c("store", "VARCHAR"),
        # Added by migration 0003 (ALTER TABLE appends, so these stay last).
        _c("mfn_listing_exists", "BOOLEAN", "the SKU has a merchant-fulfilled offer (Yes/No)"),
        _c("afn_listing_exists", "BOOLEAN", "the SKU has an FBA offer (Yes/No)"),
        _c("afn_fulfillable_local", "BIGINT", "pan-EU: fulfillable in this marketplace's country"),
        _c("afn_fulfillable_remote", "BIGINT", "pan-EU: fulfillable in other EU countries' centres"),
    ),
    natural_key=("account_id", "marketplace", "snapshot_date", "sku"),
    date_column="snapshot_date",
    replace_key=("account_id", "marketplace", "snapshot_date"),
)

CUSTOMER_RETURNS = FactTable(
    name="customer_returns",
    doc="FBA customer returns and Shopify refunds: returned quantity by return date.",
    columns=(
        *PROVENANCE,
        _c("source", "VARCHAR NOT NULL", "fba_returns | shopify_orders"),
        _c("return_ts", "TIMESTAMPTZ"),
        _c("return_date", "DATE NOT NULL", "marketplace-local date"),
        _c("order_id", "VARCHAR"),
        _c("sku", "VARCHAR"),
        _c("asin", "VARCHAR"),
        _c("fnsku", "VARCHAR"),
        _c("product_name", "VARCHAR"),
        _c("quantity", "INTEGER NOT NULL"),
        _c("refund_amount", MONEY, "refund amount where the source states it (Shopify); else NULL"),
        _c("currency", "VARCHAR(3)"),
        _c("fulfillment_center_id", "VARCHAR"),
        _c("detailed_disposition", "VARCHAR"),
        _c("reason", "VARCHAR"),
        _c("status", "VARCHAR"),
        _c("license_plate_number", "VARCHAR"),
        _c("customer_comments", "VARCHAR"),
    ),
    natural_key=("account_id", "source", "return_date", "order_id", "sku", "license_plate_number"),
    date_column="return_date",
)

SETTLEMENT_LINES = FactTable(
    name="settlement_lines",
    doc="Settlement amount lines (flat file V2 or the classic layout unpivoted to one amount per row).",
    columns=(
        *PROVENANCE,
        _c("settlement_id", "VARCHAR NOT NULL"),
        _c("settlement_start", "TIMESTAMPTZ"),
        _c("settlement_end", "TIMESTAMPTZ"),
        _c("deposit_date", "TIMESTAMPTZ"),
        _c("transaction_type", "VARCHAR"),
        _c("order_id", "VARCHAR"),
        _c("merchant_order_id", "VARCHAR"),
        _c("adjustment_id", "VARCHAR"),
        _c("shipment_id", "VARCHAR"),
        _c("marketplace_name", "VARCHAR"),
        _c("amount_type", "VARCHAR", "ItemPrice, ItemFees, Promotion, ..."),
        _c("amount_description", "VARCHAR", "Principal, Commission, FBAPerUnitFulfillmentFee, ..."),
        _c("amount", MONEY, "signed: fees are negative"),
        _c("currency", "VARCHAR(3)"),
        _c("fulfillment_id", "VARCHAR"),
        _c("posted_ts", "TIMESTAMPTZ"),
        _c("posted_date", "DATE", "marketplace-local posted date"),
        _c("order_item_code", "VARCHAR"),
        _c("sku", "VARCHAR"),
        _c("quantity", "INTEGER"),
        _c("promotion_id", "VARCHAR"),
    ),
    # The classic layout carries several amounts per file row (price, fee, promotion...): each becomes a
    # line with its own amount_type, so a row number alone does not identify a line.
    natural_key=("account_id", "settlement_id", "source_row", "amount_type"),
    date_column="posted_date",
    replace_key=("account_id", "settlement_id"),
)

SETTLEMENTS = FactTable(
    name="settlements",
    doc="One row per settlement (the summary row of a settlement file).",
    columns=(
        *PROVENANCE,
        _c("settlement_id", "VARCHAR NOT NULL"),
        _c("settlement_start", "TIMESTAMPTZ"),
        _c("settlement_end", "TIMESTAMPTZ"),
        _c("deposit_date", "TIMESTAMPTZ"),
        _c("total_amount", MONEY),
        _c("currency", "VARCHAR(3)"),
    ),
    natural_key=("account_id", "settlement_id"),
)

PRODUCTS = FactTable(
    name="products",
    doc="The product catalog a seller keeps: one row per SKU (per account).",
    columns=(
        *PROVENANCE,
        _c("sku", "VARCHAR NOT NULL"),
        _c("asin", "VARCHAR"),
        _c("parent_asin", "VARCHAR"),
        _c("title", "VARCHAR"),
        _c("category", "VARCHAR"),
        _c("brand", "VARCHAR"),
        _c("owner", "VARCHAR", "person responsible for the SKU (operator)"),
        _c("gtin", "VARCHAR", "EAN/UPC/GTIN as digits"),
        _c("lead_time_days", "INTEGER", "replenishment lead time"),
        _c("launch_date", "DATE"),
    ),
    natural_key=("account_id", "sku"),
)

PRODUCT_COSTS = FactTable(
    name="product_costs",
    doc="Landed unit cost per SKU with the date from which it applies.",
    columns=(
        *PROVENANCE,
        _c("sku", "VARCHAR NOT NULL"),
        _c("effective_from", "DATE NOT NULL"),
        _c("unit_cost", MONEY + " NOT NULL", "landed cost per unit (purchase + freight + duty)"),
        _c("currency", "VARCHAR(3) NOT NULL"),
    ),
    natural_key=("account_id", "sku", "effective_from"),
    date_column="effective_from",
)

FX_RATES = FactTable(
    name="fx_rates",
    doc="Exchange rates: 1 base = rate quote. ECB rows have base EUR; monthly rows apply to a month.",
    columns=(
        *PROVENANCE,
        _c("kind", "VARCHAR NOT NULL", "ecb | monthly"),
        _c("rate_date", "DATE NOT NULL", "the day (ecb) or the first day of the month (monthly)"),
        _c("base", "VARCHAR(3) NOT NULL"),
        _c("quote", "VARCHAR(3) NOT NULL"),
        _c("rate", RATE + " NOT NULL"),
    ),
    natural_key=("kind", "rate_date", "base", "quote"),
    date_column="rate_date",
)

# -- service, operations and EU compliance (issue 4; migration 0010) ------------------------------------
CS_TICKETS = FactTable(
    name="cs_tickets",
    doc="Customer-service tickets from a help-desk export or the team's sheet: one row per ticket. "
    "Open tickets are judged as of `as_of_ts`, the moment the export describes.",
    columns=(
        *PROVENANCE,
        _c("ticket_id", "VARCHAR NOT NULL"),
        _c("channel", "VARCHAR", "as written, lower case: email, buyer-seller messaging, chat, ..."),
        _c("language", "VARCHAR", "ISO 639-1 code of the buyer's language: en, de, fr, it, es, ..."),
        _c("received_ts", "TIMESTAMPTZ NOT NULL", "when the buyer's message arrived (UTC instant)"),
        _c("received_date", "DATE NOT NULL", "received date in the marketplace's local time zone"),
        _c("first_reply_ts", "TIMESTAMPTZ", "first reply to the buyer; NULL while unanswered"),
        _c("resolved_ts", "TIMESTAMPTZ"),
        _c("needs_reply", "BOOLEAN NOT NULL", "false for tickets that need no answer (a buyer's thank-you)"),
        _c(
            "as_of_ts",
            "TIMESTAMPTZ NOT NULL",
            "the instant the export describes (--date's end, or import time)",
        ),
        _c("first_reply_hours", "DOUBLE", "hours from receipt to first reply"),
        _c("open_hours", "DOUBLE", "hours an unanswered ticket had waited at as_of_ts; NULL once answered"),
    ),
    natural_key=("account_id", "ticket_id"),
    date_column="received_date",
)

SHIPMENTS = FactTable(
    name="shipments",
    doc="Self-fulfilled (merchant-fulfilled) shipments with their ship-by deadline: one row per shipment.",
    columns=(
        *PROVENANCE,
        _c("order_id", "VARCHAR NOT NULL"),
        _c(
            "shipment_no",
            "INTEGER NOT NULL",
            "position of the shipment within its order in the file (1-based)",
        ),
        _c(
            "ship_by_ts",
            "TIMESTAMPTZ NOT NULL",
            "the last second that is on time: a bare date covers its local day, a time to the minute covers "
            "that minute",
        ),
        _c("ship_by_date", "DATE NOT NULL", "local day of the deadline: the day the shipment is due"),
        _c("shipped_ts", "TIMESTAMPTZ", "NULL while not shipped"),
        _c("ship_date", "DATE", "local day it shipped"),
        _c("carrier", "VARCHAR"),
        _c("tracking_id", "VARCHAR", "as written, spaces removed"),
        _c("delivered_ts", "TIMESTAMPTZ"),
        _c("as_of_ts", "TIMESTAMPTZ NOT NULL", "the instant the export describes"),
        _c("ship_due", "BOOLEAN NOT NULL", "counts for on-time shipping: shipped, or its deadline passed"),
        _c(
            "shipped_on_time",
            "BOOLEAN",
            "shipped by the deadline (to the second); false when late or overdue; NULL while not yet due",
        ),
        _c("tracking_valid", "BOOLEAN", "the tracking id has a carrier's form; NULL before shipping"),
    ),
    natural_key=("account_id", "order_id", "shipment_no"),
    date_column="ship_by_date",
    replace_key=("account_id", "order_id"),
)

LISTING_TASKS = FactTable(
    name="listing_tasks",
    doc="Listing launches the team plans (its own sheet): one row per SKU, marketplace and task.",
    columns=(
        *PROVENANCE,
        _c("task", "VARCHAR", "task id or name as the team writes it"),
        _c("sku", "VARCHAR NOT NULL"),
        _c("owner", "VARCHAR", "person responsible for the launch"),
        _c("planned_date", "DATE NOT NULL", "planned launch day"),
        _c("launched_date", "DATE", "day the listing went live; NULL while not launched"),
        _c("status", "VARCHAR", "planned | in_progress | launched | on_hold | cancelled"),
        _c("is_cancelled", "BOOLEAN NOT NULL"),
        _c("as_of_date", "DATE NOT NULL", "the local day the sheet describes"),
        _c(
            "launch_due",
            "BOOLEAN NOT NULL",
            "counts for on-time launching: not cancelled, and launched or overdue",
        ),
        _c(
            "launched_on_time",
            "BOOLEAN",
            "launched on or before the planned day; false when late or overdue; NULL while pending or cancelled",
        ),
        _c(
            "delay_days",
            "INTEGER",
            "days launched after plan (negative: early), or days overdue at as_of_date",
        ),
    ),
    natural_key=("account_id", "marketplace", "sku", "task"),
    date_column="planned_date",
)

LISTING_LAUNCHES = FactTable(
    name="listing_launches",
    doc="The listing tasks again, dated by launch day: a fact is dated one way, and launches per week "
    "count by the day a listing went live while the on-time rate counts by the planned day. Written by "
    "the same import as listing_tasks, one row per task (launched_date NULL while not live), so a "
    "re-import replaces both alike.",
    columns=(
        *PROVENANCE,
        _c("task", "VARCHAR"),
        _c("sku", "VARCHAR NOT NULL"),
        _c("owner", "VARCHAR"),
        _c("launched_date", "DATE", "day the listing went live; NULL while not launched"),
        _c("planned_date", "DATE NOT NULL"),
        _c("launched_on_time", "BOOLEAN", "launched on or before the planned day"),
    ),
    natural_key=("account_id", "marketplace", "sku", "task"),
    date_column="launched_date",
)

RATINGS_SNAPSHOTS = FactTable(
    name="ratings_snapshots",
    doc="Ratings count and average star rating of an ASIN on a day (a snapshot the team records).",
    columns=(
        *PROVENANCE,
        _c("snapshot_date", "DATE NOT NULL"),
        _c("asin", "VARCHAR NOT NULL"),
        _c("sku", "VARCHAR"),
        _c("ratings_count", "BIGINT NOT NULL"),
        _c("avg_rating", "DOUBLE", "average star rating, 1 to 5; NULL with no ratings"),
    ),
    natural_key=("account_id", "marketplace", "asin", "snapshot_date"),
    date_column="snapshot_date",
)

VAT_REGISTRATIONS = FactTable(
    name="vat_registrations",
    doc="The seller's VAT registrations per country. A listed country is one the seller needs a "
    "registration in; a row without a number says it is not held yet. `marketplace` is the country's "
    "Amazon marketplace, if any (CZ has none).",
    columns=(
        *PROVENANCE,
        _c("country", "VARCHAR NOT NULL", "ISO 3166 code: DE, FR, CZ; GB for the UK, GR for Greece"),
        _c("vat_number", "VARCHAR", "with its VAT prefix (DE136695976); NULL: required, not held yet"),
        _c("number_valid", "BOOLEAN", "passes the national format and checksum (python-stdnum)"),
        _c("number_problem", "VARCHAR", "why the number fails the check"),
        _c("valid_from", "DATE", "first day of validity; NULL: since before Tradewind knows"),
        _c("valid_to", "DATE", "last day of validity (inclusive); NULL: open-ended"),
        _c("required", "BOOLEAN NOT NULL", "the seller needs a registration in this country (default)"),
    ),
    natural_key=("account_id", "country", "vat_number"),
    # A sheet states the whole registry of the countries it lists: a corrected number replaces the old.
    replace_key=("account_id", "country"),
)

EPR_REGISTRATIONS = FactTable(
    name="epr_registrations",
    doc="The seller's EPR (extended producer responsibility) registrations per country and category. "
    "A listed pair is one the seller needs; a row without a number says it is not held yet.",
    columns=(
        *PROVENANCE,
        _c("country", "VARCHAR NOT NULL"),
        _c(
            "category",
            "VARCHAR NOT NULL",
            "packaging | eee | batteries | textiles | furniture | paper | toys ...",
        ),
        _c("epr_number", "VARCHAR", "registration number (LUCID, WEEE-Reg.-Nr., French IDU); NULL: not held"),
        _c("register", "VARCHAR", "the producer register or scheme: LUCID, stiftung ear, SYDEREP, ..."),
        _c("valid_from", "DATE"),
        _c("valid_to", "DATE", "last day of validity (inclusive); NULL: open-ended"),
        _c("required", "BOOLEAN NOT NULL", "the seller needs this registration (default)"),
    ),
    natural_key=("account_id", "country", "category", "epr_number"),
    replace_key=("account_id", "country", "category"),
)

STOCK_LOCATIONS = FactTable(
    name="stock_locations",
    doc="Where the seller stores stock, by country (pan-EU FBA, EFN, 3PL or own warehouses): storing "
    "stock in a country requires a VAT registration there.",
    columns=(
        *PROVENANCE,
        _c("country", "VARCHAR NOT NULL"),
        _c("location", "VARCHAR", "fulfilment centre or warehouse: WRO2, PRG2, a 3PL's name"),
        _c("program", "VARCHAR", "pan_eu | fba | efn | 3pl | own | other"),
        _c("sku", "VARCHAR", "NULL: every SKU stored there"),
        _c("stored_from", "DATE", "first day stock is stored there; NULL: since before Tradewind knows"),
        _c("stored_to", "DATE", "last day stock is stored there (inclusive); NULL: still stored"),
        _c("quantity", "BIGINT"),
    ),
    natural_key=("account_id", "country", "location", "sku", "stored_from"),
    replace_key=("account_id", "country"),
)

FACT_TABLES: dict[str, FactTable] = {
    t.name: t
    for t in (
        ORDER_LINES,
        TRAFFIC,
        AD_PERFORMANCE,
        INVENTORY_SNAPSHOTS,
        CUSTOMER_RETURNS,
        SETTLEMENT_LINES,
        SETTLEMENTS,
        PRODUCTS,
        PRODUCT_COSTS,
        FX_RATES,
        CS_TICKETS,
        SHIPMENTS,
        LISTING_TASKS,
        LISTING_LAUNCHES,
        RATINGS_SNAPSHOTS,
        VAT_REGISTRATIONS,
        EPR_REGISTRATIONS,
        STOCK_LOCATIONS,
    )
}

#: Facts that are not scoped to one account (rates). The loader keeps their account_id as '*'.
SHARED_FACTS = frozenset({"fx_rates"})

IMPORTS_LEDGER = """
CREATE TABLE IF NOT EXISTS imports (
  import_id VARCHAR PRIMARY KEY,
  file_name VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  size_bytes BIGINT NOT NULL,
  report_type VARCHAR NOT NULL,
  report_variant VARCHAR,
  account_id VARCHAR NOT NULL,
  marketplace VARCHAR,
  encoding VARCHAR,
  decimal_style VARCHAR,
  date_from DATE,
  date_to DATE,
  rows_loaded BIGINT NOT NULL,
  rows_replaced BIGINT NOT NULL,
  facts VARCHAR NOT NULL,
  imported_at TIMESTAMPTZ NOT NULL,
  imported_by VARCHAR,
  tool_version VARCHAR NOT NULL,
  notes VARCHAR
)
"""
