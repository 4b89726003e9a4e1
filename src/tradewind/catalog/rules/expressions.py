"""Every expression parses in the catalog language."""

from __future__ import annotations

from tradewind.catalog.expressions import ExpressionError, parse
from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import Draft
from tradewind.catalog.rules._common import (
    issue,
    kpi_expressions,
    kpi_label,
    measure_expressions,
    measure_field,
)


def _try(text: str) -> str | None:
    try:
        parse(text)
    except ExpressionError as exc:
        return str(exc)
    return None


def check_expressions(draft: Draft) -> list[Issue]:
    out = []
    for ident, measure in draft.measures.items():
        for field, text in measure_expressions(measure):
            if error := _try(text):
                label = f"kpi {ident!r}" if ident in draft.kpis else f"measure {ident!r}"
                out.append(
                    issue(
                        draft, ident, f"{field} {text!r}: {error}", label, measure_field(draft, ident, field)
                    )
                )
    for kpi in draft.kpis.values():
        for field, text in kpi_expressions(kpi):
            if error := _try(text):
                out.append(issue(draft, kpi.id, f"{field} {text!r}: {error}", kpi_label(kpi), field))
    for name, fact in draft.facts.items():
        texts = [(f"columns.{k}", v) for k, v in fact.columns.items()] + [
            (f"dims.{k}", v) for k, v in fact.dims.items()
        ]
        for lname, lookup in fact.lookups.items():
            texts += [(f"lookups.{lname}.currency", lookup.currency)]
            if lookup.kind == "unit_price":
                texts += [
                    (f"lookups.{lname}.amount", lookup.amount),
                    (f"lookups.{lname}.quantity", lookup.quantity),
                ]
                if lookup.filter:
                    texts.append((f"lookups.{lname}.filter", lookup.filter))
        for field, text in texts:
            if error := _try(text):
                out.append(
                    issue(draft, f"fact:{name}", f"{field} {text!r}: {error}", f"fact {name!r}", field)
                )
    return out
