"""Amazon settlement flat files: "Flat File V2" (24 columns) and the classic 36-column layout.

Both start with a summary row (settlement id, period, deposit date, total amount, currency and
nothing else): it becomes the `settlements` row, never a line. Every later row is money moving:
- V2 rows carry one amount each (`amount-type` / `amount-description` / `amount`);
- classic rows carry up to nine amounts side by side (price, item fee, shipment fee, order fee,
  promotion, misc fee, other fee, direct payment, other); each non-empty one becomes its own line,
  with a V2-style `amount_type` naming the column it came from and the type written beside it as
  `amount_description`.

The lines should add up to the summary's total; where they do not, the import says so in a note
(a settlement can legitimately carry reserve movements, so this is reported, not rejected).

Marketplace of a line: its `marketplace-name` (Amazon.de -> DE); where that is empty or not an
Amazon site, `--marketplace`, the account's only marketplace, or the account's only marketplace with
the settlement's currency (USD in a US+CA account). Otherwise the line is a problem asking for
`--marketplace`. Dates arrive as `2023-01-01 00:00:00 UTC`, `2023-01-03`, `19.07.2026` or
`23.07.2026 18:21:50 UTC`; a line's posted date is the marketplace's local day. EU decimal commas
are detected per file by the framework.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from tradewind.core.errors import Problem
from tradewind.core.marketplaces import MARKETPLACES, Marketplace, find_marketplace
from tradewind.ingest.row_time import instant_sql, local_day_sql
from tradewind.ingest.spec import Field, ImportContext, ImportJob, Report, RowCheck
from tradewind.ingest.sql import marketplace_from_domain_sql
from tradewind.ingest.values import Kind, clean_text, q

T, INT, D, TS = Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.TIMESTAMP

_COMMON: tuple[Field, ...] = (
    Field("settlement_id", T, ("settlement-id",), not_null=True),
    Field("settlement_start", TS, ("settlement-start-date",)),
    Field("settlement_end", TS, ("settlement-end-date",)),
    Field("deposit_date", TS, ("deposit-date",)),
    Field("total_amount", D, ("total-amount",)),
    Field("currency", T, ("currency",), pattern=r"[A-Z]{3}", pattern_hint="an ISO currency code like EUR"),
    Field("transaction_type", T, ("transaction-type",)),
    Field("order_id", T, ("order-id",)),
    Field("merchant_order_id", T, ("merchant-order-id",), required=False),
    Field("adjustment_id", T, ("adjustment-id",), required=False),
    Field("shipment_id", T, ("shipment-id",), required=False),
    Field("marketplace_name", T, ("marketplace-name",)),
    Field("fulfillment_id", T, ("fulfillment-id",), required=False),
    Field("posted", TS, ("posted-date",)),
    Field("order_item_code", T, ("order-item-code",), required=False),
    Field("merchant_order_item_id", T, ("merchant-order-item-id",), required=False),
    Field("merchant_adjustment_item_id", T, ("merchant-adjustment-item-id",), required=False),
    Field("sku", T, ("sku",)),
    Field("quantity", INT, ("quantity-purchased",), required=False),
    Field("promotion_id", T, ("promotion-id",), required=False),
)

#: Classic layout: (amount_type written on the line, amount column, column written beside it as
#: amount_description, or None).
_CLASSIC_AMOUNTS: tuple[tuple[str, str, str | None], ...] = (
    ("ItemPrice", "price_amount", "price_type"),
    ("ItemFees", "item_related_fee_amount", "item_related_fee_type"),
    ("ShipmentFees", "shipment_fee_amount", "shipment_fee_type"),
    ("OrderFees", "order_fee_amount", "order_fee_type"),
    ("Promotion", "promotion_amount", "promotion_type"),
    ("MiscFees", "misc_fee_amount", None),
    ("OtherFees", "other_fee_amount", "other_fee_reason_description"),
    ("DirectPayment", "direct_payment_amount", "direct_payment_type"),
    ("Other", "other_amount", None),
)
#: The columns that a classic file must have to be recognised as one; the rest are read when present.
_CLASSIC_REQUIRED = frozenset(
    {"price_type", "price_amount", "item_related_fee_type", "item_related_fee_amount"}
)

#: The columns of `settlement_lines` that come straight from a file row.
_LINE_COLUMNS = (
    "settlement_id",
    "transaction_type",
    "order_id",
    "merchant_order_id",
    "adjustment_id",
    "shipment_id",
    "marketplace_name",
    "fulfillment_id",
    "order_item_code",
    "sku",
    "quantity",
    "promotion_id",
)


def _header(name: str) -> str:
    return name.replace("_", "-")


def _site_marketplace(name: str | None) -> Marketplace | None:
    """The marketplace a `marketplace-name` cell names: an Amazon site (`Amazon.de`), as in
    `marketplace_from_domain_sql`; other values (`Non-Amazon`, `SI UK Prod Marketplace`) name none."""
    if not name:
        return None
    site = name.strip().lower().removeprefix("https://").removeprefix("http://").removeprefix("www.")
    return next((m for m in MARKETPLACES.values() if m.amazon_domain == site), None)


@dataclass
class SettlementContext(ImportContext):
    """What `resolve` decided for a settlement file, beyond the shared context."""

    #: Marketplace for lines whose marketplace-name does not name one (None: such lines are problems).
    fallback: Marketplace | None = None
    #: Zone for the summary row's dates when they carry no offset (the settlement's marketplace).
    home_zone: str = "UTC"


class _Settlement(Report):
    produces = ("settlement_lines", "settlements")
    variant: ClassVar[str]

    # -- decisions ----------------------------------------------------------------------------------
    def resolve(self, job: ImportJob, typed: str) -> ImportContext:
        ctx = SettlementContext(job, typed, variant=self.variant)
        # Lines may belong to marketplaces in different zones: naive times are placed per row in `facts`.
        ctx.zone = None
        named = self._named_marketplaces(job)
        ctx.fallback = self.marketplace_from_options(job) or self._by_currency(job)
        used = set(named)
        if ctx.fallback is not None and self._has_unnamed_lines(job):
            used.add(ctx.fallback.code)
        if len(used) == 1:
            ctx.marketplace = find_marketplace(next(iter(used)))
        home = ctx.fallback or (find_marketplace(named.most_common(1)[0][0]) if named else None)
        if home is not None:
            ctx.home_zone = job.zones.get(home.code, home.timezone)
        return ctx

    @staticmethod
    def _named_marketplaces(job: ImportJob) -> Counter[str]:
        """Marketplace codes the file's `marketplace-name` cells name, with their line counts."""
        col = job.columns["marketplace_name"]
        rows = job.con.execute(
            f"SELECT {clean_text(str(col))} AS name, count(*) FROM {job.raw.table} GROUP BY name"
        ).fetchall()
        found: Counter[str] = Counter()
        for name, count in rows:
            m = _site_marketplace(name)
            if m is not None:
                found[m.code] += int(count)
        return found

    @staticmethod
    def _has_unnamed_lines(job: ImportJob) -> bool:
        col, total = job.columns["marketplace_name"], job.columns["total_amount"]
        rows = job.con.execute(
            f"SELECT DISTINCT {clean_text(str(col))} FROM {job.raw.table} "
            f"WHERE {clean_text(str(total))} IS NULL"
        ).fetchall()
        return any(_site_marketplace(r[0]) is None for r in rows)

    @staticmethod
    def _by_currency(job: ImportJob) -> Marketplace | None:
        """The account's one marketplace that uses the settlement's currency, when exactly one does."""
        col = job.columns["currency"]
        rows = job.con.execute(
            f"SELECT DISTINCT upper({clean_text(str(col))}) FROM {job.raw.table} "
            f"WHERE {clean_text(str(col))} IS NOT NULL"
        ).fetchall()
        if len(rows) != 1:
            return None
        candidates = [
            m for m in map(find_marketplace, job.account_marketplaces) if m and m.currency == rows[0][0]
        ]
        return candidates[0] if len(candidates) == 1 else None

    # -- row rules ----------------------------------------------------------------------------------
    def _amount_columns(self, ctx: ImportContext) -> list[str]:
        raise NotImplementedError

    def _line_content_sql(self, ctx: ImportContext) -> str:
        """True on rows that carry money or a transaction (i.e. not a summary row's empty cells)."""
        parts = ["transaction_type IS NOT NULL", *(f"{c} IS NOT NULL" for c in self._amount_columns(ctx))]
        return "(" + " OR ".join(parts) + ")"

    @staticmethod
    def _marketplace_sql(ctx: ImportContext) -> str:
        fallback = ctx.fallback.code if isinstance(ctx, SettlementContext) and ctx.fallback else None
        return marketplace_from_domain_sql("marketplace_name", fallback)

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        summary_currency = (
            "first_value(currency IGNORE NULLS) OVER (PARTITION BY settlement_id ORDER BY "
            "total_amount IS NULL, _row ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
        )
        return [
            RowCheck(
                f"total_amount IS NOT NULL AND {self._line_content_sql(ctx)}",
                "a row with a total-amount is the settlement's summary row, but this one also carries a "
                "transaction or amounts",
                column="total-amount",
                value_sql="total_amount",
                expected="the summary row (settlement id, dates, total, currency) apart from the lines",
            ),
            RowCheck(
                "total_amount IS NOT NULL AND currency IS NULL",
                "the settlement's summary row has no currency",
                column="currency",
                expected="the currency of the settlement (USD, EUR, ...) beside total-amount",
            ),
            RowCheck(
                f"total_amount IS NULL AND {self._marketplace_sql(ctx)} IS NULL",
                "cannot tell which marketplace this settlement line belongs to",
                column="marketplace-name",
                value_sql="coalesce(marketplace_name, '')",
                expected="Amazon.com, Amazon.de, ... or --marketplace (e.g. --marketplace DE) for lines "
                "without one",
            ),
            RowCheck(
                f"total_amount IS NULL AND currency IS NOT NULL AND currency <> {summary_currency}",
                "the line's currency differs from its settlement's",
                column="currency",
                value_sql="currency",
                expected="one currency per settlement",
            ),
            *self._layout_checks(ctx),
        ]

    def _layout_checks(self, ctx: ImportContext) -> list[RowCheck]:
        return []

    def problems_outside_rows(self, ctx: ImportContext) -> list[Problem]:
        """Each settlement needs exactly one summary row; lines that miss its total get a note."""
        con, name = ctx.job.con, ctx.job.file_name
        problems: list[Problem] = []
        counts = con.execute(
            f"SELECT settlement_id, count(*) FILTER (WHERE total_amount IS NOT NULL), "
            f"list(_row ORDER BY _row) FILTER (WHERE total_amount IS NOT NULL), min(_row) "
            f"FROM {ctx.typed} GROUP BY settlement_id ORDER BY min(_row)"
        ).fetchall()
        for settlement_id, summaries, rows, first_row in counts:
            if summaries == 0:
                problems.append(
                    Problem(
                        name,
                        f"settlement {settlement_id} has no summary row (the row with total-amount)",
                        row=int(first_row),
                        column="total-amount",
                        expected="the settlement's summary row first, as Amazon writes the file",
                    )
                )
            elif summaries > 1:
                problems.append(
                    Problem(
                        name,
                        f"settlement {settlement_id} has {summaries} summary rows "
                        f"(rows {', '.join(map(str, rows))})",
                        row=int(rows[1]),
                        column="total-amount",
                        expected="one summary row per settlement",
                    )
                )
        if problems:
            return problems
        amounts = " + ".join(f"coalesce({c}, 0)" for c in self._amount_columns(ctx))
        sums = con.execute(
            "SELECT settlement_id, max(total_amount), "
            "max(currency) FILTER (WHERE total_amount IS NOT NULL), "
            f"sum({amounts}) FILTER (WHERE total_amount IS NULL), "
            f"count(*) FILTER (WHERE total_amount IS NULL) "
            f"FROM {ctx.typed} GROUP BY settlement_id ORDER BY min(_row)"
        ).fetchall()
        for settlement_id, total, currency, lines_sum, line_rows in sums:
            added = lines_sum if lines_sum is not None else 0
            if added != total:
                rows_text = f"{line_rows} row{'s' if line_rows != 1 else ''}"
                ctx.notes.append(
                    f"settlement {settlement_id}: its lines ({rows_text}) add up to {added:,.2f} {currency}, "
                    f"but its total-amount is {total:,.2f} {currency} (difference {total - added:,.2f})"
                )
        return []

    # -- facts ----------------------------------------------------------------------------------------
    def _lines_sql(self, ctx: ImportContext) -> str:
        """One row per amount, before dating: the columns of `settlement_lines` plus `_posted`."""
        raise NotImplementedError

    def _posted_columns(self, ctx: ImportContext, zone: str) -> tuple[str, str]:
        layout = ctx.job.layouts.get("posted", "%Y-%m-%d")
        return instant_sql("posted", layout, zone), local_day_sql("posted", layout, zone)

    def facts(self, ctx: ImportContext) -> dict[str, str]:
        assert isinstance(ctx, SettlementContext)
        home = q(ctx.home_zone)
        layouts = ctx.job.layouts

        def summary_instant(name: str) -> str:
            layout = layouts.get(name, "%Y-%m-%d %H:%M:%S %Z")
            return instant_sql(name, layout, home, bare_date_at_midnight=True)

        summary = f"""
        SELECT settlement_id, _row,
          {summary_instant("settlement_start")} AS settlement_start,
          {summary_instant("settlement_end")} AS settlement_end,
          {summary_instant("deposit_date")} AS deposit_date,
          total_amount, currency
        FROM {ctx.typed} WHERE total_amount IS NOT NULL
        """
        zone = ctx.job.zone_case("marketplace")
        posted_ts, posted_date = self._posted_columns(ctx, zone)
        lines = f"""
        SELECT
          l.marketplace, l._row AS source_row,
          {", ".join(f"l.{c}" for c in _LINE_COLUMNS)},
          s.settlement_start, s.settlement_end, s.deposit_date,
          l.amount_type, l.amount_description, l.amount,
          coalesce(l.currency, s.currency) AS currency,
          {posted_ts} AS posted_ts, {posted_date} AS posted_date
        FROM (
          SELECT *, {self._marketplace_sql(ctx)} AS marketplace FROM ({self._lines_sql(ctx)})
        ) l
        JOIN ({summary}) s USING (settlement_id)
        """
        settlements = f"""
        SELECT {ctx.lit(ctx.marketplace.code if ctx.marketplace else None)} AS marketplace,
          _row AS source_row, settlement_id, settlement_start, settlement_end, deposit_date, total_amount,
          currency
        FROM ({summary})
        """
        return {"settlement_lines": lines, "settlements": settlements}


class AmazonSettlementV2(_Settlement):
    id = "amazon_settlement_v2"
    title = "Amazon settlement report (flat file V2)"
    variant = "v2"
    fields: ClassVar[tuple[Field, ...]] = (
        *_COMMON,
        Field("amount_type", T, ("amount-type",)),
        Field("amount_description", T, ("amount-description",)),
        Field("amount", D, ("amount",)),
        Field("posted_dt", TS, ("posted-date-time",), required=False),
    )

    def _amount_columns(self, ctx: ImportContext) -> list[str]:
        return ["amount"]

    def _layout_checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [
            RowCheck(
                "total_amount IS NULL AND amount IS NULL",
                "a settlement line without an amount",
                column="amount",
                value_sql="coalesce(amount_type, '') || ' ' || coalesce(amount_description, '')",
                expected="an amount on every line after the summary row",
            )
        ]

    def _lines_sql(self, ctx: ImportContext) -> str:
        return f"SELECT * FROM {ctx.typed} WHERE total_amount IS NULL"

    def _posted_columns(self, ctx: ImportContext, zone: str) -> tuple[str, str]:
        """`posted-date-time` is the instant; the bare `posted-date` is used where it is missing."""
        if not ctx.job.has("posted_dt"):
            return super()._posted_columns(ctx, zone)
        date_ts, date_day = super()._posted_columns(ctx, zone)
        layout = ctx.job.layouts["posted_dt"]
        ts, day = instant_sql("posted_dt", layout, zone), local_day_sql("posted_dt", layout, zone)
        return (
            f"coalesce({ts}, {date_ts})",
            f"(CASE WHEN posted_dt IS NOT NULL THEN {day} ELSE {date_day} END)",
        )


class AmazonSettlementClassic(_Settlement):
    id = "amazon_settlement_classic"
    title = "Amazon settlement report (classic flat file)"
    variant = "classic"
    fields: ClassVar[tuple[Field, ...]] = (
        *_COMMON,
        *(
            Field(name, kind, (_header(name),), required=name in _CLASSIC_REQUIRED)
            for _type, amount, description in _CLASSIC_AMOUNTS
            for name, kind in ((amount, D), *(((description, T),) if description else ()))
        ),
    )

    def _amount_columns(self, ctx: ImportContext) -> list[str]:
        return [amount for _t, amount, _d in _CLASSIC_AMOUNTS if ctx.job.has(amount)]

    def _lines_sql(self, ctx: ImportContext) -> str:
        branches = []
        for amount_type, amount, description in _CLASSIC_AMOUNTS:
            if not ctx.job.has(amount):
                continue
            described = description if description and ctx.job.has(description) else "CAST(NULL AS VARCHAR)"
            branches.append(
                f"SELECT *, {q(amount_type)} AS amount_type, {described} AS amount_description, "
                f"{amount} AS amount FROM {ctx.typed} WHERE total_amount IS NULL AND {amount} IS NOT NULL"
            )
        return " UNION ALL ".join(branches)

    def problems_outside_rows(self, ctx: ImportContext) -> list[Problem]:
        problems = super().problems_outside_rows(ctx)
        if problems:
            return problems
        empty = " AND ".join(f"{c} IS NULL" for c in self._amount_columns(ctx))
        row = ctx.job.con.execute(
            f"SELECT count(*), list(_row ORDER BY _row)[1:5] FROM {ctx.typed} "
            f"WHERE total_amount IS NULL AND {empty}"
        ).fetchone()
        if row and row[0]:
            shown = ", ".join(map(str, row[1])) + (", ..." if row[0] > 5 else "")
            if row[0] == 1:
                ctx.notes.append(f"1 row carries no amount and adds no settlement line (row {shown})")
            else:
                ctx.notes.append(f"{row[0]} rows carry no amount and add no settlement line (rows {shown})")
        return []


REPORTS = [AmazonSettlementV2(), AmazonSettlementClassic()]
