"""Row expressions name only columns the fact has (checked when the fact schema is given), its
virtual columns, its look-ups, or the row built-ins the engine provides."""

from __future__ import annotations

from tradewind.catalog.expressions import ExpressionError, parse
from tradewind.catalog.issues import Issue
from tradewind.catalog.loader import Draft
from tradewind.catalog.models import FactDef, UnitPriceLookup
from tradewind.catalog.rules._common import issue, measure_expressions, measure_field

#: Row-level names the engine provides: the standard VAT rate of the row's country at its date (facts
#: with `vat_country`) and whether the SKU is active (snapshot facts with `activity`).
ROW_BUILTINS = {"standard_vat_rate": "vat_country", "active": "activity"}


def row_names(draft: Draft, fact: FactDef) -> set[str] | None:
    columns = draft.fact_columns.get(fact.name)
    if columns is None:
        return None
    names = set(columns) | set(fact.columns)
    for lname in fact.lookups:
        names |= {lname, f"{lname}_currency"}
    if fact.vat_country:
        names.add("standard_vat_rate")
    if fact.activity:
        names.add("active")
    return names


def _unknown(text: str, names: set[str]) -> list[str]:
    try:
        return sorted(parse(text).names() - names)
    except ExpressionError:
        return []


def check_columns(draft: Draft) -> list[Issue]:
    out = []
    for ident, measure in draft.measures.items():
        fact = draft.facts.get(measure.fact)
        names = row_names(draft, fact) if fact else None
        if names is None:
            continue
        for field, text in measure_expressions(measure):
            for bad in _unknown(text, names):
                label = f"kpi {ident!r}" if ident in draft.kpis else f"measure {ident!r}"
                out.append(
                    issue(
                        draft,
                        ident,
                        f"{field}: {measure.fact} has no column {bad!r}",
                        label,
                        measure_field(draft, ident, field),
                    )
                )
    for name, fact in draft.facts.items():
        names = row_names(draft, fact)
        if names is None:
            continue
        key, label = f"fact:{name}", f"fact {name!r}"
        texts = [*fact.columns.values(), *fact.dims.values()]
        texts += [c for c in (fact.date, fact.currency, fact.vat_country) if c]
        texts += list(fact.date_range or ())
        for text in texts:
            for bad in _unknown(text, names):
                out.append(issue(draft, key, f"{name} has no column {bad!r} (in {text!r})", label))
        earlier: set[str] = set()
        for lname, lookup in fact.lookups.items():
            fallback_for = lookup.fallback_for if isinstance(lookup, UnitPriceLookup) else None
            if fallback_for is not None and fallback_for not in earlier:
                message = f"lookups.{lname}.fallback_for: {fallback_for!r} is not a look-up defined before it"
                out.append(issue(draft, key, message, label))
            earlier.add(lname)
            source_fact = draft.facts.get(lookup.source)
            source_names = (row_names(draft, source_fact) if source_fact else None) or set(
                draft.fact_columns.get(lookup.source, ())
            )
            for col in lookup.match:
                if col not in names or col not in source_names:
                    out.append(
                        issue(
                            draft, key, f"lookups.{lname}.match: {col!r} is not a column of both facts", label
                        )
                    )
    return out
