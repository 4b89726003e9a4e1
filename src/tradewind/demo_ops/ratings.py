"""Ratings snapshots the team records at each month end: ratings count and average stars per ASIN and
marketplace for the best-known products, counts growing month by month, averages drifting a little."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tradewind.demo_ops.files import write_rows
from tradewind.demo_ops.spec import MARKET_WEIGHT, OpsDemoSpec, OpsFile

TRACKED_ASINS = 15
MONTHS = 12


def month_ends(last_day: date, months: int) -> list[date]:
    """The last days of the `months` months up to `last_day` (the last one is `last_day`'s month end,
    or `last_day` itself when the month is not over)."""
    ends = []
    first = last_day.replace(day=1)
    for _ in range(months):
        nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        ends.append(min(nxt - timedelta(days=1), last_day))
        first = (first - timedelta(days=1)).replace(day=1)
    return sorted(ends)


def write_ratings(folder: Path, spec: OpsDemoSpec) -> list[OpsFile]:
    files = []
    for account in spec.accounts:
        rows = _rows(spec, account.id, account.marketplaces)
        if rows:
            path = write_rows("ratings_snapshots", folder / f"ratings-{account.id}.csv", rows)
            files.append(OpsFile(path, "ratings_snapshots", spec.export_options(account.id)))
    return files


def _rows(spec: OpsDemoSpec, account: str, marketplaces: tuple[str, ...]) -> list[dict[str, object]]:
    tracked = [p for p in spec.products if p.asin][:TRACKED_ASINS]
    ends = month_ends(spec.last_day, MONTHS)
    rows: list[dict[str, object]] = []
    for market in marketplaces:
        rng = spec.rng(f"ratings:{account}:{market}")
        for product in tracked:
            count = int(rng.integers(20, 400) * MARKET_WEIGHT.get(market, 0.05) * 4)
            stars = float(rng.uniform(4.0, 4.6))
            for end in ends:
                if product.launch is not None and product.launch > end:
                    continue
                count += int(count * rng.uniform(0.02, 0.08)) + 1
                stars = min(4.9, max(3.5, stars + float(rng.normal(0, 0.04))))
                rows.append(
                    {
                        "snapshot_date": end,
                        "account": account,
                        "marketplace": market,
                        "asin": product.asin,
                        "sku": product.sku,
                        "ratings_count": count,
                        "avg_rating": round(stars, 1),
                    }
                )
    return rows
