"""The dated VAT table: one rate per country and start date."""

from __future__ import annotations

from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import Draft


def check_vat_rates(draft: Draft) -> list[Issue]:
    seen: set[tuple[str, str]] = set()
    out = []
    for rate in draft.vat_rates:
        key = (rate.country, rate.valid_from)
        if key in seen:
            out.append(
                Issue(
                    "vat_rates.yaml", None, f"two rates for {rate.country} from {rate.valid_from}", "vat rate"
                )
            )
        seen.add(key)
    return out
