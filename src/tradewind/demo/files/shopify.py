"""The seller's own Shopify store (US, USD): "Export orders" CSVs (report-formats §4, 79 columns).

One row per line item; the first row of an order carries the order fields, later rows repeat only
`Name`, `Email` and `Created at` (and the line-item columns). Timestamps carry the store's UTC offset
(New York time); money is plain dot-decimal with the ISO code in `Currency`. Customers are fictitious
(`@example.com`). The store sells the Amazon catalog at list price plus a little, with free shipping
from $35, a welcome code, a few refunds and cancellations, and pending payments on the last day.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.files.orders import period_name
from tradewind.demo.formats import csv_text, plain, write_bytes
from tradewind.demo.markets import SHOP_ACCOUNT, market
from tradewind.demo.world import World
from tradewind.ingest.spec import ImportOptions
from tradewind.watch.demo import demand_factor

HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
    "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,"
    "Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,"
    "Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,"
    "Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,"
    "Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,"
    "Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,"
    "Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,"
    "Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,"
    "Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,"
    "Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
).split(",")
STORE_ZONE = "America/New_York"
FREE_SHIPPING_FROM = 3500
SHIPPING = 599
WELCOME = ("WELCOME10", 0.10)
_FIRST = (
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "James",
    "Sophia",
    "Lucas",
    "Mia",
    "Ethan",
    "Grace",
    "Owen",
)
_LAST = (
    "Smith",
    "Johnson",
    "Brown",
    "Garcia",
    "Miller",
    "Davis",
    "Wilson",
    "Moore",
    "Clark",
    "Lewis",
    "Young",
)
_STREETS = ("Maple Ave", "Oak St", "Pine Rd", "Cedar Ln", "Elm St", "Lake Dr", "Hill Rd", "Park Ave")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def write(world: World, folder: Path) -> list[DemoFile]:
    scenario = world.scenario
    catalog = world.catalog
    factors = world.factors
    rng = scenario.rng("files.shopify")
    us = market("US")
    zone = ZoneInfo(STORE_ZONE)
    shape = factors.season["home"] * factors.weekday * factors.trend * np.sqrt(factors.lift[0])
    # The planted US moves (`Plants.watch`) reach the shop too: US buyers, wherever they buy.
    moves = [demand_factor(world.plants.watch, "US", scenario.date_of(k)) for k in range(scenario.days)]
    shape = shape * np.array(moves)
    per_day = rng.poisson(scenario.size.shop_orders_per_day * shape / shape[:365].mean())
    weights = catalog.popularity / catalog.popularity.sum()
    price = np.round(catalog.price_usd_cents * 1.03 / 100.0).astype(np.int64) * 100 - 1
    dests = us.destinations
    dest_p = np.array([d.weight for d in dests])
    dest_p = dest_p / dest_p.sum()
    launch_day = np.array([(d - scenario.start).days for d in catalog.launch])

    orders: list[tuple[int, list[list[str]]]] = []  # (day, rows)
    number = 1000
    order_id = 6_634_244_000_000
    for day_index, count in enumerate(per_day.tolist()):
        day = scenario.date_of(day_index)
        sellable = np.where(launch_day <= day_index, weights, 0.0)
        sellable = sellable / sellable.sum()
        for _ in range(count):
            number += 1
            order_id += int(rng.integers(1000, 90000))
            n_items = int(rng.choice([1, 2, 3], p=[0.75, 0.2, 0.05]))
            skus = rng.choice(catalog.size, size=n_items, replace=False, p=sellable).tolist()
            qty = [int(q) for q in rng.choice([1, 2], size=n_items, p=[0.9, 0.1])]
            subtotal = sum(int(price[s]) * q for s, q in zip(skus, qty, strict=True))
            coded = rng.random() < 0.12
            discount = round(subtotal * WELCOME[1]) if coded else 0
            shipping = 0 if subtotal - discount >= FREE_SHIPPING_FROM else SHIPPING
            dest = dests[int(rng.choice(len(dests), p=dest_p))]
            taxes = round((subtotal - discount) * dest.tax_rate)
            total = subtotal - discount + shipping + taxes
            created = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(
                seconds=int(rng.integers(7 * 3600, 23 * 3600))
            )
            recent = day_index >= scenario.days - 2
            roll = rng.random()
            cancelled = roll < 0.01
            status = "paid"
            refunded = 0
            if cancelled:
                status = "refunded"
                refunded = total
            elif recent and roll < 0.3:
                status = "pending"
            elif roll < 0.03:
                status, refunded = "refunded", total
            elif roll < 0.05:
                status, refunded = "partially_refunded", int(price[skus[0]])
            fulfilled = not cancelled and not recent
            first, last = _FIRST[int(rng.integers(len(_FIRST)))], _LAST[int(rng.integers(len(_LAST)))]
            email = f"{first.lower()}.{last.lower()}{number}@example.com"
            street = f"{int(rng.integers(10, 9999))} {_STREETS[int(rng.integers(len(_STREETS)))]}"
            rows = []
            shares = [int(price[s]) * q for s, q in zip(skus, qty, strict=True)]
            for k, (s, q) in enumerate(zip(skus, qty, strict=True)):
                line_discount = round(discount * shares[k] / subtotal) if discount else 0
                cells = {
                    "Name": f"#{number}",
                    "Email": email,
                    "Created at": _stamp(created),
                    "Lineitem quantity": str(q),
                    "Lineitem name": catalog.titles["en"][s],
                    "Lineitem price": plain(int(price[s])),
                    "Lineitem compare at price": plain(int(price[s]) + 500) if s % 3 == 0 else "",
                    "Lineitem sku": catalog.sku[s],
                    "Lineitem requires shipping": "true",
                    "Lineitem taxable": "true",
                    "Lineitem fulfillment status": "fulfilled" if fulfilled else "pending",
                    "Vendor": catalog.brand[s],
                    "Lineitem discount": plain(line_discount),
                }
                if k == 0:
                    name = f"{first} {last}"
                    cells.update(
                        {
                            "Financial Status": status,
                            "Paid at": "" if status == "pending" else _stamp(created + timedelta(seconds=40)),
                            "Fulfillment Status": "fulfilled" if fulfilled else "unfulfilled",
                            "Fulfilled at": _stamp(created + timedelta(hours=26)) if fulfilled else "",
                            "Accepts Marketing": "yes" if number % 3 == 0 else "no",
                            "Currency": "USD",
                            "Subtotal": plain(subtotal),
                            "Shipping": plain(shipping),
                            "Taxes": plain(taxes),
                            "Total": plain(total),
                            "Discount Code": WELCOME[0] if coded else "",
                            "Discount Amount": plain(discount),
                            "Shipping Method": "Free Shipping" if shipping == 0 else "Standard",
                            "Billing Name": name,
                            "Billing Street": street,
                            "Billing Address1": street,
                            "Billing City": dest.city,
                            "Billing Zip": dest.postal_code,
                            "Billing Province": dest.state,
                            "Billing Country": "US",
                            "Shipping Name": name,
                            "Shipping Street": street,
                            "Shipping Address1": street,
                            "Shipping City": dest.city,
                            "Shipping Zip": dest.postal_code,
                            "Shipping Province": dest.state,
                            "Shipping Country": "US",
                            "Cancelled at": _stamp(created + timedelta(hours=2)) if cancelled else "",
                            "Payment Method": "Shopify Payments",
                            "Refunded Amount": plain(refunded),
                            "Outstanding Balance": plain(total if status == "pending" else 0),
                            "Id": str(order_id),
                            "Risk Level": "Low",
                            "Source": "web",
                            "Tax 1 Name": f"{dest.state} State Tax {dest.tax_rate * 100:g}%",
                            "Tax 1 Value": plain(taxes),
                            "Billing Province Name": dest.state,
                            "Shipping Province Name": dest.state,
                            "Payment ID": f"c{order_id}.1",
                            "Payment References": f"c{order_id}.1",
                        }
                    )
                rows.append([cells.get(h, "") for h in HEADER])
            orders.append((day_index, rows))

    files: list[DemoFile] = []
    for first_day, last_day in scenario.periods(scenario.size.cadence.shop_months):
        lo, hi = scenario.day_index(first_day), scenario.day_index(last_day)
        # Shopify exports newest first.
        body = [row for d, rows in reversed(orders) if lo <= d <= hi for row in rows]
        if not body:
            continue
        path = write_bytes(
            folder / f"orders_export_{period_name(first_day, last_day)}.csv",
            csv_text(HEADER, body).encode("utf-8"),
        )
        files.append(DemoFile(path, "shopify", ImportOptions(account=SHOP_ACCOUNT)))
    return files


FAMILY = FileFamily("shopify", "shopify", write, "Shopify orders exports of the seller's own store")
