"""Amazon "Manage FBA Inventory" flat file (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA, and the _ALL_ one).

Both variants have the same 21 columns (report-formats §3.2); newer files append `store`, pan-EU
accounts add `afn-fulfillable-quantity-local/-remote`. Columns are read by header name.

The file is a snapshot with no date in it and no marketplace column, so both come from outside:
the day from `--date` or an unambiguous date in the file name (`..._2026-03-31.txt`; a name such
as `03-04-2026` that could mean two days is not guessed), the marketplace from `--marketplace` or an
account that sells in one marketplace only. A new file for a marketplace and day replaces that
snapshot as a whole.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from tradewind.core.errors import NeedsOption
from tradewind.ingest.filename_dates import date_in_file_name
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.values import Kind

T, INT, D, B = Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.BOOLEAN

#: Stock counts: none of them can be negative.
_QUANTITIES: tuple[tuple[str, str], ...] = (
    ("mfn_fulfillable", "mfn-fulfillable-quantity"),
    ("afn_warehouse", "afn-warehouse-quantity"),
    ("afn_fulfillable", "afn-fulfillable-quantity"),
    ("afn_fulfillable_local", "afn-fulfillable-quantity-local"),
    ("afn_fulfillable_remote", "afn-fulfillable-quantity-remote"),
    ("afn_unsellable", "afn-unsellable-quantity"),
    ("afn_reserved", "afn-reserved-quantity"),
    ("afn_total", "afn-total-quantity"),
    ("inbound_working", "afn-inbound-working-quantity"),
    ("inbound_shipped", "afn-inbound-shipped-quantity"),
    ("inbound_receiving", "afn-inbound-receiving-quantity"),
    ("researching", "afn-researching-quantity"),
)
_REQUIRED_QUANTITIES = frozenset(
    {"afn_warehouse", "afn_fulfillable", "afn_unsellable", "afn_reserved", "afn_total"}
)


class AmazonManageInventory(Report):
    id = "amazon_fba_inventory"
    title = "Amazon Manage FBA Inventory report"
    produces = ("inventory_snapshots",)
    fields: ClassVar[tuple[Field, ...]] = (
        Field("sku", T, ("sku",), not_null=True),
        Field("fnsku", T, ("fnsku",)),
        Field("asin", T, ("asin",)),
        Field("product_name", T, ("product-name",), required=False),
        Field("condition", T, ("condition",), required=False),
        Field("your_price", D, ("your-price",), required=False),
        Field("mfn_listing_exists", B, ("mfn-listing-exists",)),
        Field("afn_listing_exists", B, ("afn-listing-exists",)),
        *(Field(name, INT, (header,), required=name in _REQUIRED_QUANTITIES) for name, header in _QUANTITIES),
        Field("store", T, ("store",), required=False),
    )

    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        ctx = ImportContext(job, typed)
        missing: list[str] = []
        ctx.marketplace = self.marketplace_from_options(job)
        if ctx.marketplace is None:
            accounts = ", ".join(job.account_marketplaces) or "none configured"
            missing.append(
                f"the report has no marketplace column and account {job.account_id} sells in several "
                f"marketplaces ({accounts}); say which with --marketplace (e.g. --marketplace DE)"
            )
        else:
            ctx.zone = job.zones.get(ctx.marketplace.code)
        snapshot, why = self._snapshot_date(job, ctx)
        if snapshot is None:
            missing.append(why)
        if missing:
            raise NeedsOption(f"{job.file_name}: " + "; and ".join(missing))
        ctx.snapshot_date = snapshot
        tags = [t for t, col in (("pan_eu", "afn_fulfillable_local"), ("store", "store")) if job.has(col)]
        ctx.variant = "+".join(tags) or None
        return ctx

    @staticmethod
    def _snapshot_date(job: ImportJob, ctx: ImportContext) -> tuple[date | None, str]:
        """`--date` first; else the file name's date when it can mean only one day."""
        named = date_in_file_name(job.file_name)
        given = job.options.snapshot_date
        if given is not None:
            if named.day is not None and named.day != given:
                ctx.notes.append(
                    f"the file name says {named.day.isoformat()}; the snapshot is dated {given.isoformat()} "
                    "as --date says"
                )
            return given, ""
        if named.day is not None:
            ctx.notes.append(f"snapshot date {named.day.isoformat()} read from the file name")
            return named.day, ""
        if named.ambiguous:
            days = " or ".join(d.isoformat() for d in named.candidates)
            return None, (
                f"the date in the file name ({', '.join(named.evidence)}) could mean {days}; "
                "give the day the snapshot was taken with --date YYYY-MM-DD"
            )
        return None, (
            "an inventory report does not say which day it shows; give the day the snapshot was taken "
            "with --date YYYY-MM-DD (or keep it in the file name, e.g. inventory_2026-03-31.txt)"
        )

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [
            RowCheck(
                f"{name} < 0",
                "a negative stock quantity",
                column=header,
                value_sql=name,
                expected="0 or more units",
            )
            for name, header in _QUANTITIES
            if ctx.job.has(name)
        ]

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        assert ctx.marketplace is not None and ctx.snapshot_date is not None  # resolve() made sure
        quantities = ", ".join(name for name, _ in _QUANTITIES)
        sql = f"""
        SELECT
          {ctx.lit(ctx.marketplace.code)} AS marketplace, _row AS source_row,
          {ctx.lit(ctx.snapshot_date)} AS snapshot_date,
          sku, fnsku, asin, product_name, condition, your_price,
          {ctx.lit(ctx.marketplace.currency)} AS currency,
          mfn_listing_exists, afn_listing_exists, {quantities}, store
        FROM {ctx.typed}
        """
        return {"inventory_snapshots": sql}


REPORTS = [AmazonManageInventory()]
