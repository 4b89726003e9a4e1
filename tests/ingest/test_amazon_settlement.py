"""Amazon settlement flat files (V2 and classic): the summary row, one line per amount, marketplace-local
posted dates, EU numbers and dates, totals that do not add up, and re-downloads of a settlement."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import write_tsv
from tradewind.app import Workspace
from tradewind.core.errors import ImportRejected
from tradewind.ingest.headers import normalise_header
from tradewind.ingest.registry import detect_table
from tradewind.ingest.spec import ImportOptions

#: report-formats §3.4, "Flat File V2" (24 columns).
V2 = [
    "settlement-id",
    "settlement-start-date",
    "settlement-end-date",
    "deposit-date",
    "total-amount",
    "currency",
    "transaction-type",
    "order-id",
    "merchant-order-id",
    "adjustment-id",
    "shipment-id",
    "marketplace-name",
    "amount-type",
    "amount-description",
    "amount",
    "fulfillment-id",
    "posted-date",
    "posted-date-time",
    "order-item-code",
    "merchant-order-item-id",
    "merchant-adjustment-item-id",
    "sku",
    "quantity-purchased",
    "promotion-id",
]
#: report-formats §3.4, the classic 36-column layout: the same first 12 columns as V2 (settlement, then
#: transaction and marketplace), then type/amount columns per kind of charge instead of V2's amount lines.
CLASSIC = [
    *V2[: V2.index("marketplace-name") + 1],
    "shipment-fee-type",
    "shipment-fee-amount",
    "order-fee-type",
    "order-fee-amount",
    "fulfillment-id",
    "posted-date",
    "order-item-code",
    "merchant-order-item-id",
    "merchant-adjustment-item-id",
    "sku",
    "quantity-purchased",
    "price-type",
    "price-amount",
    "item-related-fee-type",
    "item-related-fee-amount",
    "misc-fee-amount",
    "other-fee-amount",
    "other-fee-reason-description",
    "promotion-id",
    "promotion-type",
    "promotion-amount",
    "direct-payment-type",
    "direct-payment-amount",
    "other-amount",
]
NA = ImportOptions(account="acme-na")
EU = ImportOptions(account="acme-eu")


def row(header: list[str], **values: str) -> list[str]:
    cells = {k.replace("_", "-"): v for k, v in values.items()}
    unknown = set(cells) - set(header)
    assert not unknown, f"not in this header: {unknown}"
    return [cells.get(h, "") for h in header]


def summary(
    header: list[str], total: str, currency: str = "USD", sid: str = "9000000001", **more: str
) -> list[str]:
    return row(
        header,
        settlement_id=sid,
        settlement_start_date=more.pop("start", "2026-03-01 00:00:00 UTC"),
        settlement_end_date=more.pop("end", "2026-03-15 00:00:00 UTC"),
        deposit_date=more.pop("deposit", "2026-03-17 00:00:00 UTC"),
        total_amount=total,
        currency=currency,
        **more,
    )


def v2_line(
    amount_type: str, description: str, amount: str, sid: str = "9000000001", **more: str
) -> list[str]:
    values = {
        "transaction_type": "Order",
        "order_id": "111-0000001-0000001",
        "marketplace_name": "Amazon.com",
        "fulfillment_id": "AFN",
        "posted_date": "2026-03-04",
        "posted_date_time": "2026-03-04 18:00:00 UTC",
        "order_item_code": "54321",
        "sku": "MUG-1",
        "quantity_purchased": "1",
    }
    values.update(more)
    return row(V2, settlement_id=sid, amount_type=amount_type, amount_description=description, amount=amount,
               **values)  # fmt: skip


def q(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    return ws.facts.query(sql)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# -- the public classic sample -------------------------------------------------------------------------------
def test_public_classic_sample_summary_and_order_row(
    workspace: Workspace, public_fixture: Callable[[str], Path]
) -> None:
    path = public_fixture("airbyte_fixture__GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE.tsv")
    result = workspace.import_file(path, NA)
    assert result.report_type == "amazon_settlement_classic"
    assert result.rows_loaded == {"settlement_lines": 2, "settlements": 1}
    assert q(workspace, "SELECT * EXCLUDE (import_id) FROM settlements") == [
        ("acme-na", "US", 2, "12345678901", utc(2023, 1, 1), utc(2023, 1, 15), utc(2023, 1, 17),
         Decimal("1234.56"), "USD"),
    ]  # fmt: skip
    # The order row carries two amounts: the price and the FBA fee, each its own line. Currency and period
    # come from the summary; posted 10:00 UTC is 02:00 in Los Angeles on the same day.
    assert q(
        workspace,
        "SELECT account_id, marketplace, source_row, settlement_id, settlement_start, settlement_end, "
        "deposit_date, transaction_type, order_id, shipment_id, marketplace_name, amount_type, "
        "amount_description, amount, currency, fulfillment_id, posted_ts, posted_date, sku, quantity "
        "FROM settlement_lines ORDER BY amount DESC",
    ) == [
        ("acme-na", "US", 3, "12345678901", utc(2023, 1, 1), utc(2023, 1, 15), utc(2023, 1, 17), "Order",
         "111-1111111-1111111", "DUMMY_SHIPMENT_ID", "Amazon.com", "ItemPrice", "Principal", Decimal("19.99"),
         "USD", "AFN", utc(2023, 1, 3, 10), date(2023, 1, 3), "SKU-1", 1),
        ("acme-na", "US", 3, "12345678901", utc(2023, 1, 1), utc(2023, 1, 15), utc(2023, 1, 17), "Order",
         "111-1111111-1111111", "DUMMY_SHIPMENT_ID", "Amazon.com", "ItemFees", "FBAPerUnitFulfillmentFee",
         Decimal("-3.22"), "USD", "AFN", utc(2023, 1, 3, 10), date(2023, 1, 3), "SKU-1", 1),
    ]  # fmt: skip
    # 19.99 - 3.22 = 16.77, not the sample's 1,234.56: said, not hidden.
    assert result.notes == (
        "settlement 12345678901: its lines (1 row) add up to 16.77 USD, but its total-amount is "
        "1,234.56 USD (difference 1,217.79)",
    )
    assert q(workspace, "SELECT report_variant, marketplace, notes IS NOT NULL FROM imports") == [
        ("classic", "US", True)
    ]


def test_layouts_are_told_apart_by_header() -> None:
    for header, report_id in ((V2, "amazon_settlement_v2"), (CLASSIC, "amazon_settlement_classic")):
        detected = detect_table([normalise_header(h) for h in header], "text")
        assert detected is not None and detected[0].id == report_id


# -- V2 ------------------------------------------------------------------------------------------------------
def test_v2_lines_summary_and_local_posted_dates(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        summary(V2, "14.87"),
        v2_line("ItemPrice", "Principal", "19.99"),
        v2_line("ItemPrice", "Tax", "1.60"),
        v2_line("ItemFees", "Commission", "-3.00"),
        # 03:00 UTC on 5 March is 19:00 PST on 4 March: the posted date is the local day, not the
        # file's UTC posted-date.
        v2_line("ItemFees", "FBAPerUnitFulfillmentFee", "-3.22", posted_date="2026-03-05",
                posted_date_time="2026-03-05 03:00:00 UTC"),
        v2_line("other-transaction", "Storage Fee", "-0.50", transaction_type="other-transaction",
                order_id="", sku="", quantity_purchased="", order_item_code="", marketplace_name="",
                posted_date="2026-03-06", posted_date_time="2026-03-06 12:00:00 UTC"),
    ]  # fmt: skip
    result = workspace.import_file(write_tsv(tmp_path / "settlement.txt", V2, rows), NA)
    assert result.report_type == "amazon_settlement_v2"
    assert result.rows_loaded == {"settlement_lines": 5, "settlements": 1}
    assert result.notes == ()  # 19.99 + 1.60 - 3.00 - 3.22 - 0.50 = 14.87
    assert q(
        workspace,
        "SELECT source_row, marketplace, amount_type, amount_description, amount, currency, posted_ts, "
        "posted_date, order_id, sku, quantity FROM settlement_lines ORDER BY source_row",
    ) == [
        (3, "US", "ItemPrice", "Principal", Decimal("19.99"), "USD", utc(2026, 3, 4, 18), date(2026, 3, 4),
         "111-0000001-0000001", "MUG-1", 1),
        (4, "US", "ItemPrice", "Tax", Decimal("1.60"), "USD", utc(2026, 3, 4, 18), date(2026, 3, 4),
         "111-0000001-0000001", "MUG-1", 1),
        (5, "US", "ItemFees", "Commission", Decimal("-3.00"), "USD", utc(2026, 3, 4, 18), date(2026, 3, 4),
         "111-0000001-0000001", "MUG-1", 1),
        (6, "US", "ItemFees", "FBAPerUnitFulfillmentFee", Decimal("-3.22"), "USD", utc(2026, 3, 5, 3),
         date(2026, 3, 4), "111-0000001-0000001", "MUG-1", 1),
        # No marketplace-name: the account's only USD marketplace (acme-na sells in US and CA).
        (7, "US", "other-transaction", "Storage Fee", Decimal("-0.50"), "USD", utc(2026, 3, 6, 12),
         date(2026, 3, 6), None, None, None),
    ]  # fmt: skip
    assert q(workspace, "SELECT settlement_id, total_amount, currency, marketplace FROM settlements") == [
        ("9000000001", Decimal("14.87"), "USD", "US")
    ]


def test_v2_without_posted_date_time_keeps_the_written_day(workspace: Workspace, tmp_path: Path) -> None:
    header = [h for h in V2 if h != "posted-date-time"]
    line = v2_line("ItemPrice", "Principal", "10.00", posted_date="2026-03-04")
    rows = [summary(header, "10.00"), [c for h, c in zip(V2, line, strict=True) if h != "posted-date-time"]]
    workspace.import_file(write_tsv(tmp_path / "settlement.txt", header, rows), NA)
    assert q(workspace, "SELECT posted_ts, posted_date FROM settlement_lines") == [(None, date(2026, 3, 4))]


def test_eu_file_with_decimal_commas_and_dotted_dates(workspace: Workspace, tmp_path: Path) -> None:
    eu = {"posted_date": "04.07.2026", "posted_date_time": "04.07.2026 22:30:00 UTC"}
    rows = [
        summary(V2, "1.220,84", "EUR", sid="9100000001", start="01.07.2026 18:21:50 UTC",
                end="15.07.2026 18:21:50 UTC", deposit="19.07.2026"),
        v2_line("ItemPrice", "Principal", "1.234,56", sid="9100000001", marketplace_name="Amazon.de", **eu),
        v2_line("ItemFees", "Commission", "-10,50", sid="9100000001", marketplace_name="Amazon.fr", **eu),
        v2_line("ItemFees", "FBAPerUnitFulfillmentFee", "-3,22", sid="9100000001",
                marketplace_name="Amazon.de", **eu),
    ]  # fmt: skip
    workspace.import_file(write_tsv(tmp_path / "settlement_de.txt", V2, rows), EU)
    # 22:30 UTC on 4 July is 00:30 on 5 July in Berlin and Paris (CEST).
    assert q(
        workspace,
        "SELECT marketplace, amount, currency, posted_date FROM settlement_lines ORDER BY source_row",
    ) == [
        ("DE", Decimal("1234.56"), "EUR", date(2026, 7, 5)),
        ("FR", Decimal("-10.50"), "EUR", date(2026, 7, 5)),
        ("DE", Decimal("-3.22"), "EUR", date(2026, 7, 5)),
    ]
    # The deposit date is a bare day: local midnight of the settlement's marketplace (DE: CEST, UTC+2).
    # Two marketplaces in the file: the settlement row names none.
    assert q(
        workspace,
        "SELECT marketplace, settlement_start, settlement_end, deposit_date, total_amount FROM settlements",
    ) == [
        (
            None,
            utc(2026, 7, 1, 18, 21, 50),
            utc(2026, 7, 15, 18, 21, 50),
            utc(2026, 7, 18, 22),
            Decimal("1220.84"),
        )
    ]
    assert q(workspace, "SELECT decimal_style, marketplace, notes FROM imports") == [("comma", None, None)]


def test_line_without_marketplace_in_a_multi_marketplace_eur_account_asks(
    workspace: Workspace, tmp_path: Path
) -> None:
    rows = [
        summary(V2, "-1,00", "EUR", sid="9200000001"),
        v2_line("other-transaction", "Subscription Fee", "-1,00", sid="9200000001", marketplace_name="",
                transaction_type="other-transaction", order_id=""),
    ]  # fmt: skip
    path = write_tsv(tmp_path / "settlement.txt", V2, rows)
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, EU)
    p = info.value.problems[0]
    assert (p.row, p.column, p.value) == (3, "marketplace-name", "")
    assert "--marketplace" in (p.expected or "")
    workspace.import_file(path, ImportOptions(account="acme-eu", marketplace="DE"))
    assert q(workspace, "SELECT marketplace, amount FROM settlement_lines") == [("DE", Decimal("-1.00"))]


def test_a_gbp_settlement_line_without_marketplace_is_uk(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        summary(V2, "-25.00", "GBP", sid="9300000001"),
        v2_line("other-transaction", "Subscription Fee", "-25.00", sid="9300000001", marketplace_name="",
                transaction_type="other-transaction", order_id=""),
    ]  # fmt: skip
    workspace.import_file(write_tsv(tmp_path / "settlement.txt", V2, rows), EU)
    assert q(workspace, "SELECT marketplace FROM settlement_lines") == [("UK",)]


def test_lines_that_miss_the_total_are_noted(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        summary(V2, "100.00"),
        v2_line("ItemPrice", "Principal", "60.00"),
        v2_line("ItemPrice", "Tax", "4.80"),
    ]
    result = workspace.import_file(write_tsv(tmp_path / "settlement.txt", V2, rows), NA)
    assert result.notes == (
        "settlement 9000000001: its lines (2 rows) add up to 64.80 USD, but its total-amount is 100.00 USD "
        "(difference 35.20)",
    )


# -- classic -------------------------------------------------------------------------------------------------
def test_classic_row_becomes_one_line_per_amount(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        summary(CLASSIC, "7.50", sid="9400000001"),
        row(CLASSIC, settlement_id="9400000001", transaction_type="Order", order_id="111-0000002-0000001",
            marketplace_name="Amazon.com", fulfillment_id="AFN", posted_date="2026-03-04", sku="MUG-1",
            quantity_purchased="2", price_type="Principal", price_amount="40.00",
            item_related_fee_type="Commission", item_related_fee_amount="-6.00",
            shipment_fee_type="FBA transportation fee", shipment_fee_amount="-1.25",
            order_fee_type="Order processing", order_fee_amount="-0.25", promotion_id="PROMO-1",
            promotion_type="Principal", promotion_amount="-5.00", misc_fee_amount="-0.10",
            other_fee_amount="-0.40", other_fee_reason_description="Label fee",
            direct_payment_type="Gift card", direct_payment_amount="-4.50"),
        row(CLASSIC, settlement_id="9400000001", transaction_type="Previous Reserve Amount Balance",
            marketplace_name="Amazon.com", posted_date="2026-03-05", other_amount="-15.00"),
        # A row with no amount at all adds no line.
        row(CLASSIC, settlement_id="9400000001", transaction_type="Order", order_id="111-0000002-0000002",
            marketplace_name="Amazon.com", posted_date="2026-03-05", sku="MUG-2"),
    ]  # fmt: skip
    result = workspace.import_file(write_tsv(tmp_path / "classic.txt", CLASSIC, rows), NA)
    assert result.rows_loaded == {"settlement_lines": 9, "settlements": 1}
    assert q(
        workspace,
        "SELECT source_row, amount_type, amount_description, amount, quantity, promotion_id, posted_date "
        "FROM settlement_lines ORDER BY source_row, amount_type",
    ) == [
        (3, "DirectPayment", "Gift card", Decimal("-4.50"), 2, "PROMO-1", date(2026, 3, 4)),
        (3, "ItemFees", "Commission", Decimal("-6.00"), 2, "PROMO-1", date(2026, 3, 4)),
        (3, "ItemPrice", "Principal", Decimal("40.00"), 2, "PROMO-1", date(2026, 3, 4)),
        (3, "MiscFees", None, Decimal("-0.10"), 2, "PROMO-1", date(2026, 3, 4)),
        (3, "OrderFees", "Order processing", Decimal("-0.25"), 2, "PROMO-1", date(2026, 3, 4)),
        (3, "OtherFees", "Label fee", Decimal("-0.40"), 2, "PROMO-1", date(2026, 3, 4)),
        (3, "Promotion", "Principal", Decimal("-5.00"), 2, "PROMO-1", date(2026, 3, 4)),
        (3, "ShipmentFees", "FBA transportation fee", Decimal("-1.25"), 2, "PROMO-1", date(2026, 3, 4)),
        (4, "Other", None, Decimal("-15.00"), None, None, date(2026, 3, 5)),
    ]
    # 40.00 - 6.00 - 1.25 - 0.25 - 5.00 - 0.10 - 0.40 - 4.50 - 15.00 = 7.50: the total, so only the
    # skipped row is noted.
    assert result.notes == ("1 row carries no amount and adds no settlement line (row 5)",)


# -- re-downloads and bad files ------------------------------------------------------------------------------
def test_a_settlement_downloaded_again_replaces_all_its_lines(workspace: Workspace, tmp_path: Path) -> None:
    first = [summary(V2, "16.77"), v2_line("ItemPrice", "Principal", "19.99"),
             v2_line("ItemFees", "FBAPerUnitFulfillmentFee", "-3.22")]  # fmt: skip
    second = [summary(V2, "19.99"), v2_line("ItemPrice", "Principal", "19.99")]
    other = [
        summary(V2, "5.00", sid="9000000002"),
        v2_line("ItemPrice", "Principal", "5.00", sid="9000000002"),
    ]
    workspace.import_file(write_tsv(tmp_path / "s1.txt", V2, first), NA)
    workspace.import_file(write_tsv(tmp_path / "other.txt", V2, other), NA)
    result = workspace.import_file(write_tsv(tmp_path / "s1-again.txt", V2, second), NA)
    assert result.rows_replaced == {"settlement_lines": 2, "settlements": 1}
    assert q(workspace, "SELECT settlement_id, sum(amount) FROM settlement_lines GROUP BY 1 ORDER BY 1") == [
        ("9000000001", Decimal("19.99")),
        ("9000000002", Decimal("5.00")),
    ]
    assert q(workspace, "SELECT settlement_id, total_amount FROM settlements ORDER BY 1") == [
        ("9000000001", Decimal("19.99")),
        ("9000000002", Decimal("5.00")),
    ]


def test_settlement_without_summary_row_is_rejected(workspace: Workspace, tmp_path: Path) -> None:
    path = write_tsv(tmp_path / "s.txt", V2, [v2_line("ItemPrice", "Principal", "19.99")])
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, NA)
    p = info.value.problems[0]
    assert (p.row, p.message) == (2, "settlement 9000000001 has no summary row (the row with total-amount)")
    assert q(workspace, "SELECT count(*) FROM settlement_lines") == [(0,)]


def test_summary_row_with_amounts_is_rejected(workspace: Workspace, tmp_path: Path) -> None:
    bad = summary(V2, "19.99", amount_type="ItemPrice", amount_description="Principal", amount="19.99",
                  transaction_type="Order")  # fmt: skip
    path = write_tsv(tmp_path / "s.txt", V2, [bad, v2_line("ItemPrice", "Principal", "19.99")])
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(path, NA)
    p = info.value.problems[0]
    assert (p.row, p.column, p.value) == (2, "total-amount", "19.9900")


def test_line_without_amount_and_bad_number_are_problems(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        summary(V2, "19.99"),
        v2_line("ItemPrice", "Principal", "n/a"),
        v2_line("ItemFees", "Commission", ""),
    ]
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_tsv(tmp_path / "s.txt", V2, rows), NA)
    p = info.value.problems[0]
    assert (p.row, p.column, p.value) == (3, "amount", "n/a")
    rows = [
        summary(V2, "19.99"),
        v2_line("ItemPrice", "Principal", "19.99"),
        v2_line("ItemFees", "Commission", ""),
    ]
    with pytest.raises(ImportRejected) as info:
        workspace.import_file(write_tsv(tmp_path / "s2.txt", V2, rows), NA)
    p = info.value.problems[0]
    assert (p.row, p.column, p.message) == (4, "amount", "a settlement line without an amount")
