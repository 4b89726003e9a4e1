"""A hand-made All Orders flat file for framework tests (the 32-column layout of report-formats §3.1)."""

from __future__ import annotations

from pathlib import Path

ORDERS_HEADER = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
]


def order_row(
    order_id: str,
    *,
    when: str = "2026-03-02T10:00:00+00:00",
    channel: str = "Amazon.de",
    sku: str = "SKU-1",
    qty: str = "1",
    currency: str = "EUR",
    price: str = "11.90",
    tax: str = "1.90",
    status: str = "Shipped",
    name: str = "Mug",
) -> list[str]:
    values = {
        "amazon-order-id": order_id,
        "purchase-date": when,
        "last-updated-date": when,
        "order-status": status,
        "fulfillment-channel": "Amazon",
        "sales-channel": channel,
        "ship-service-level": "Standard",
        "product-name": name,
        "sku": sku,
        "asin": "B000000001",
        "item-status": status,
        "quantity": qty,
        "currency": currency,
        "item-price": price,
        "item-tax": tax,
        "ship-country": "DE",
        "is-business-order": "false",
    }
    return [values.get(h, "") for h in ORDERS_HEADER]


def write_orders(
    path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = "\t"
) -> Path:
    lines = [delimiter.join(ORDERS_HEADER), *(delimiter.join(r) for r in rows)]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path
