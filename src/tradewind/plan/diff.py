"""What changed between two versions of a plan, kept with the new version (the audit trail's "what")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from tradewind.plan.model import Cell, LevelTarget

TOP_CHANGES = 10


def _by(cells: Iterable[Cell], key: Any) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for c in cells:
        out[key(c)] += c.amount
    return dict(out)


def diff(
    old_cells: Iterable[Cell],
    new_cells: Iterable[Cell],
    old_levels: Iterable[LevelTarget] = (),
    new_levels: Iterable[LevelTarget] = (),
) -> dict[str, Any]:
    """Totals, months and marketplaces that changed ([old, new] in minor units), how many cells were
    changed, added and removed, the largest cell changes, and the level targets added, removed, changed."""
    old = {c.path: c for c in old_cells}
    new = {c.path: c for c in new_cells}

    def changed(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, list[int]]:
        return {k: [a.get(k, 0), b.get(k, 0)] for k in sorted(set(a) | set(b)) if a.get(k, 0) != b.get(k, 0)}

    old_total = sum(c.amount for c in old.values())
    new_total = sum(c.amount for c in new.values())
    months = changed(_by(old.values(), lambda c: c.month), _by(new.values(), lambda c: c.month))
    markets = changed(
        _by(old.values(), lambda c: c.key[0] if c.key else ""),
        _by(new.values(), lambda c: c.key[0] if c.key else ""),
    )
    deltas = []
    for path in set(old) | set(new):
        a = old[path].amount if path in old else 0
        b = new[path].amount if path in new else 0
        if a != b:
            deltas.append((abs(b - a), "/".join(path), a, b))
    deltas.sort(key=lambda d: (-d[0], d[1]))
    held_changes = sorted("/".join(p) for p in set(old) & set(new) if old[p].held != new[p].held)
    old_t = {t.ident: t for t in old_levels}
    new_t = {t.ident: t for t in new_levels}
    return {
        "total": [old_total, new_total],
        "months": months,
        "marketplaces": markets,
        "cells_changed": sum(1 for p in set(old) & set(new) if old[p].amount != new[p].amount),
        "cells_added": len(set(new) - set(old)),
        "cells_removed": len(set(old) - set(new)),
        "holds_changed": held_changes[:TOP_CHANGES],
        "top": [[path, a, b] for _, path, a, b in deltas[:TOP_CHANGES]],
        "levels": {
            "added": [new_t[k].describe() for k in sorted(set(new_t) - set(old_t))],
            "removed": [old_t[k].describe() for k in sorted(set(old_t) - set(new_t))],
            "changed": [
                [old_t[k].describe(), new_t[k].describe()]
                for k in sorted(set(old_t) & set(new_t))
                if _level_value(old_t[k]) != _level_value(new_t[k])
            ],
        },
    }


def _level_value(t: LevelTarget) -> tuple[object, ...]:
    return (t.comparator, t.value, t.upper, t.owner, t.gate, t.kpi_version)


def is_empty(d: Mapping[str, Any]) -> bool:
    levels = d.get("levels", {})
    return (
        not d.get("cells_changed")
        and not d.get("cells_added")
        and not d.get("cells_removed")
        and not d.get("holds_changed")
        and not any(levels.get(k) for k in ("added", "removed", "changed"))
    )
