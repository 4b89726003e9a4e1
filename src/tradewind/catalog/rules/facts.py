"""Fact definitions: dated exactly one way, sliced only by known dimensions."""

from __future__ import annotations

from tradewind.catalog.dimensions import DIMENSIONS
from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import Draft
from tradewind.catalog.rules._common import issue


def check_facts(draft: Draft) -> list[Issue]:
    out = []
    for name, fact in draft.facts.items():
        key, label = f"fact:{name}", f"fact {name!r}"
        if (fact.date is None) == (fact.date_range is None):
            out.append(issue(draft, key, "give exactly one of 'date' and 'date_range'", label))
        for dim in fact.dims:
            if dim not in DIMENSIONS or dim == "region":
                out.append(
                    issue(
                        draft,
                        key,
                        f"unknown dimension {dim!r} in dims (region comes from marketplace)",
                        label,
                    )
                )
        if fact.snapshot and fact.date_range:
            out.append(issue(draft, key, "a snapshot fact is dated by one 'date'", label))
        if fact.activity and not fact.snapshot:
            out.append(issue(draft, key, "'activity' needs a snapshot fact", label))
    if draft.product_dims is not None:
        for dim in draft.product_dims.dims:
            if dim not in DIMENSIONS:
                out.append(issue(draft, "product_dims", f"unknown dimension {dim!r}", "product_dims"))
    return out
