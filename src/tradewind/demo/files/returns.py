"""FBA customer returns (GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA, report-formats §3.3), per account.

Tab-separated, `return-date` an ISO instant with offset. The file has no marketplace column: the
importer finds each return's marketplace through its order, so the orders are imported first.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tradewind.demo.catalog import TITLE_LANGUAGE
from tradewind.demo.family import DemoFile, FileFamily
from tradewind.demo.files.orders import period_name
from tradewind.demo.formats import iso_utc_list, tsv_text, write_bytes
from tradewind.demo.lines import local_to_utc
from tradewind.demo.markets import MARKETS, markets_of
from tradewind.demo.returns import DISPOSITIONS
from tradewind.demo.world import World
from tradewind.ingest.spec import ImportOptions

HEADER = (
    "return-date order-id sku asin fnsku product-name quantity fulfillment-center-id detailed-disposition "
    "reason status license-plate-number customer-comments"
).split()


def write(world: World, folder: Path) -> list[DemoFile]:
    scenario = world.scenario
    catalog = world.catalog
    lines = world.lines
    ret = world.returns
    market_of = lines.market[ret.line]
    instants = np.zeros(ret.size, dtype=np.int64)
    for k, profile in enumerate(MARKETS):
        idx = np.nonzero(market_of == k)[0]
        if idx.size:
            instants[idx] = local_to_utc(profile.timezone, scenario.start, ret.day[idx], ret.seconds[idx])
    stamps = iso_utc_list(instants)
    files: list[DemoFile] = []
    accounts = dict.fromkeys(m.account for m in MARKETS)
    for account in accounts:
        codes = [MARKETS.index(m) for m in markets_of(account)]
        mine = np.isin(market_of, codes)
        for first, last in scenario.periods(scenario.size.cadence.returns_months):
            lo, hi = scenario.day_index(first), scenario.day_index(last)
            idx = np.nonzero(mine & (ret.day >= lo) & (ret.day <= hi))[0]
            idx = idx[np.argsort(instants[idx], kind="stable")]
            rows = []
            for r in idx.tolist():
                line = int(ret.line[r])
                s = int(lines.sku[line])
                profile = MARKETS[int(market_of[r])]
                centers = profile.fulfillment_centers
                disposition = DISPOSITIONS[int(ret.disposition[r])]
                rows.append(
                    (
                        stamps[r],
                        lines.order_id(line),
                        catalog.sku[s],
                        catalog.asin[s],
                        catalog.fnsku[s],
                        catalog.titles[TITLE_LANGUAGE[profile.code]][s],
                        str(int(ret.quantity[r])),
                        centers[int(ret.center[r]) % len(centers)],
                        disposition.name,
                        ret.reason[r],
                        disposition.status,
                        ret.lpn[r],
                        ret.comment[r],
                    )
                )
            if not rows:  # Seller Central offers no file for a period without returns
                continue
            name = f"FBA-Customer-Returns_{account}_{period_name(first, last)}.txt"
            path = write_bytes(folder / name, tsv_text(HEADER, rows).encode("utf-8"))
            files.append(DemoFile(path, "returns", ImportOptions(account=account)))
    return files


FAMILY = FileFamily("returns", "returns", write, "FBA customer returns, per account")
