"""FBA customer returns: some shipped units come back, days or weeks later (often in a later month).

Return rates differ by product type; the delay after shipping is skewed (most within two weeks, a
tail beyond a month). Returns that would arrive after the demo period are not yet known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tradewind.demo.catalog import Catalog
from tradewind.demo.lines import SHIPPED, OrderLines
from tradewind.demo.scenario import DemoScenario

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Disposition:
    """A `detailed-disposition` with its share of returns, the reasons given, the status and what
    customers write."""

    name: str
    share: float
    reasons: tuple[tuple[str, float], ...]
    status: str
    comments: tuple[str, ...]


_RETURNED = "Unit returned to inventory"
DISPOSITIONS: tuple[Disposition, ...] = (
    Disposition(
        "SELLABLE",
        0.55,
        (
            ("UNWANTED_ITEM", 0.45),
            ("ORDERED_WRONG_ITEM", 0.2),
            ("NOT_AS_DESCRIBED", 0.2),
            ("FOUND_BETTER_PRICE", 0.15),
        ),
        _RETURNED,
        ("", "", "Bought by mistake", "Does not fit my space", "Colour is different from the picture"),
    ),
    Disposition(
        "CUSTOMER_DAMAGED",
        0.18,
        (("UNWANTED_ITEM", 0.5), ("NOT_COMPATIBLE", 0.5)),
        _RETURNED,
        ("", "Not what I needed"),
    ),
    Disposition(
        "DEFECTIVE",
        0.15,
        (("DEFECTIVE", 0.75), ("QUALITY_UNACCEPTABLE", 0.25)),
        _RETURNED,
        ("", "Stopped working after a week", "Poor quality"),
    ),
    Disposition("CARRIER_DAMAGED", 0.05, (("DAMAGED_BY_CARRIER", 1.0),), "Reimbursed", ("Arrived damaged",)),
    Disposition(
        "DAMAGED", 0.07, (("DAMAGED_BY_FC", 0.6), ("MISSING_PARTS", 0.4)), _RETURNED, ("", "Parts missing")
    ),
)


@dataclass(frozen=True)
class CustomerReturns:
    #: index of the returned order line
    line: IntArray
    #: local day of the return (scenario day index)
    day: IntArray
    #: local seconds of the return scan
    seconds: IntArray
    quantity: IntArray
    disposition: IntArray
    reason: list[str]
    comment: list[str]
    #: index into the marketplace's fulfilment centres
    center: IntArray
    lpn: list[str]

    @property
    def size(self) -> int:
        return int(self.line.size)


def build_returns(scenario: DemoScenario, catalog: Catalog, lines: OrderLines) -> CustomerReturns:
    rng = scenario.rng("returns")
    eligible = (lines.status == SHIPPED) & ~lines.merchant_fulfilled
    returned = eligible & (rng.random(lines.size) < catalog.return_rate[lines.sku])
    idx = np.nonzero(returned)[0]
    lag = 3 + np.round(rng.gamma(2.0, 6.0, idx.size)).astype(np.int64)
    day = lines.ship_day[idx] + lag
    keep = day < scenario.days
    idx, day = idx[keep], day[keep]
    n = idx.size
    qty = np.where((lines.quantity[idx] > 1) & (rng.random(n) < 0.5), lines.quantity[idx], 1)
    shares = np.array([x.share for x in DISPOSITIONS])
    disposition = rng.choice(len(DISPOSITIONS), size=n, p=shares / shares.sum())
    reasons = [""] * n
    comments = [""] * n
    for k, disposition_k in enumerate(DISPOSITIONS):
        options, said = disposition_k.reasons, disposition_k.comments
        rows = np.nonzero(disposition == k)[0]
        weights = np.array([w for _r, w in options])
        picks = rng.choice(len(options), size=rows.size, p=weights / weights.sum())
        for row, pick in zip(rows.tolist(), picks.tolist(), strict=True):
            reasons[row] = options[pick][0]
        for row, pick in zip(rows.tolist(), rng.integers(0, len(said), rows.size).tolist(), strict=True):
            comments[row] = said[pick]
    lpn_numbers = rng.choice(10**10, size=n, replace=False) if n else np.zeros(0, dtype=np.int64)
    return CustomerReturns(
        line=idx,
        day=day,
        seconds=rng.integers(8 * 3600, 20 * 3600, n),
        quantity=qty.astype(np.int64),
        disposition=disposition.astype(np.int64),
        reason=reasons,
        comment=comments,
        center=rng.integers(0, 1000, n),
        lpn=[f"LPN{int(x):010d}" for x in lpn_numbers],
    )
