"""Benchmark: import a 1,000,000-line Amazon All Orders file, against DuckDB reading the same file.

Prints the import time as a ratio to DuckDB's own `read_csv` of the same file in the same run (goal:
at most 3x) and the peak memory of the process (goal: under 1 GB).

    .venv/bin/python bench/import_orders.py [--lines 1000000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path

import duckdb
import psutil

from tradewind.app import Workspace
from tradewind.ingest.spec import ImportOptions
from tradewind.store.config import Account

HEADER = (
    "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\t"
    "sales-channel\torder-channel\turl\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\t"
    "currency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\t"
    "item-promotion-discount\tship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\t"
    "promotion-ids\tis-business-order\tpurchase-order-number\tprice-designation"
)


def build_file(path: Path, lines: int) -> None:
    """Write the file with DuckDB itself (fast, deterministic): EU and UK channels, VAT-inclusive prices."""
    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
          SELECT
            printf('302-%07d-%07d', i // 2, i % 2) AS "amazon-order-id", '' AS "merchant-order-id",
            strftime(TIMESTAMP '2025-01-01' + to_seconds((i * 37) % 63072000),
                     '%Y-%m-%dT%H:%M:%S+00:00')
              AS "purchase-date",
            strftime(TIMESTAMP '2025-01-01' + to_seconds((i * 37) % 63072000 + 3600),
                     '%Y-%m-%dT%H:%M:%S+00:00') AS "last-updated-date",
            CASE WHEN i % 50 = 0 THEN 'Cancelled' WHEN i % 97 = 0 THEN 'Pending' ELSE 'Shipped' END
              AS "order-status",
            CASE WHEN i % 5 = 0 THEN 'Merchant' ELSE 'Amazon' END AS "fulfillment-channel",
            CASE i % 4 WHEN 0 THEN 'Amazon.de' WHEN 1 THEN 'Amazon.fr' WHEN 2 THEN 'Amazon.it'
              ELSE 'Amazon.es' END AS "sales-channel",
            '' AS "order-channel", '' AS url, 'Standard' AS "ship-service-level",
            printf('Outdoor lantern model %d', i % 5000) AS "product-name",
            printf('SKU-%05d', i % 5000) AS sku,
            printf('B0%08d', i % 5000) AS asin, 'Shipped' AS "item-status", 1 + i % 3 AS quantity,
            'EUR' AS currency, printf('%.2f', (1 + i % 3) * (9.99 + (i % 5000) / 100.0)) AS "item-price",
            printf('%.2f', (1 + i % 3) * (9.99 + (i % 5000) / 100.0) * 19 / 119) AS "item-tax",
            '0.00' AS "shipping-price", '0.00' AS "shipping-tax", '' AS "gift-wrap-price",
            '' AS "gift-wrap-tax",
            CASE WHEN i % 10 = 0 THEN '-1.00' ELSE '' END AS "item-promotion-discount",
            '' AS "ship-promotion-discount", 'Berlin' AS "ship-city", '' AS "ship-state",
            '10115' AS "ship-postal-code",
            'DE' AS "ship-country", '' AS "promotion-ids", CASE WHEN i % 20 = 0 THEN 'true' ELSE 'false' END
              AS "is-business-order", '' AS "purchase-order-number", '' AS "price-designation"
          FROM range({lines}) t(i)
        ) TO '{path}' (HEADER, DELIMITER '\t', QUOTE '')
        """
    )
    con.close()


def time_duckdb_read(path: Path) -> float:
    """The reference: DuckDB's own typed read_csv of the file into a table."""
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', delim='\t', header=true, quote='')")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def time_import(path: Path, folder: Path) -> tuple[float, float]:
    """Seconds for `Workspace.import_file`, and the peak RSS (MB) of a process that did only that."""
    ws = Workspace.init(folder, accounts=[Account(id="bench-eu", name="Bench EU", marketplaces=("DE", "FR"))])
    start = time.perf_counter()
    result = ws.import_file(path, ImportOptions())
    elapsed = time.perf_counter() - start
    assert result.total_loaded > 0
    ws.close()
    return elapsed, _peak_mb()


def _peak_mb() -> float:
    peak = psutil.Process().memory_info().rss / 1e6
    try:
        import resource

        peak = max(peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3)
    except ImportError:
        pass
    return peak


def _child(path: Path, folder: Path, queue: multiprocessing.Queue[tuple[float, float]]) -> None:
    queue.put(time_import(path, folder))


def import_in_child(path: Path, folder: Path) -> tuple[float, float]:
    """The import runs in a fresh process, so its peak memory is its own (not the reference's)."""
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[tuple[float, float]] = context.Queue()
    child = context.Process(target=_child, args=(path, folder, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "All-Orders.txt"
        build_file(path, args.lines)
        size_mb = path.stat().st_size / 1e6
        reference = min(time_duckdb_read(path) for _ in range(2))
        imported, peak = import_in_child(path, Path(tmp) / "ws")
    print(f"All Orders file: {args.lines:,} lines, {size_mb:,.0f} MB")
    print(f"duckdb read_csv (reference): {reference:6.2f} s")
    print(f"tradewind import:            {imported:6.2f} s   ratio {imported / reference:4.2f}x (goal <= 3x)")
    print(f"peak memory of the import:   {peak:6.0f} MB (goal < 1024 MB)")


if __name__ == "__main__":
    main()
