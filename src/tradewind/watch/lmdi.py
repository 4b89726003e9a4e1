"""Additive LMDI (log-mean Divisia index, method I): split the change of V = Σᵢ Πₖ xₖᵢ into one effect
per factor k that add up to the change exactly.

For a segment i with V⁰ᵢ, V¹ᵢ > 0 the weight is the logarithmic mean L(V¹ᵢ, V⁰ᵢ) = (V¹ − V⁰)/(ln V¹ − ln V⁰),
and factor k's effect is L × ln(x¹ₖᵢ / x⁰ₖᵢ). Because Σₖ ln(x¹ₖ/x⁰ₖ) = ln(V¹/V⁰), the effects of a
segment add up to V¹ᵢ − V⁰ᵢ (Ang 2005). Two cases fall outside the identity and are kept visible rather
than smeared over the factors:

- a factor without a value (a plan with a GMV target but no sessions target) is not split: whatever the
  measured factors do not explain lands in the `residual` term, computed as the segment's change minus
  the measured effects, so the sum stays exact;
- a segment that is zero in one period (a new or discontinued SKU), or flagged irregular by the caller
  (no traffic report), contributes its whole change to a term of its own.

Effects are then rounded to cents so that the rounded effects add up to the rounded change (largest
remainder), which is what a reader checks with a calculator.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ENTERED_OR_LEFT = "entered_or_left"


@dataclass(frozen=True)
class Segment:
    key: str
    base: float
    current: float
    #: factor → (base value, current value), or None where the factor is not measured for this segment.
    factors: Mapping[str, tuple[float, float] | None]
    #: A term name when the segment cannot be split at all (its whole change goes there).
    irregular: str | None = None


@dataclass(frozen=True)
class Decomposition:
    base: float
    current: float
    #: term → effect (unrounded), factors first in the order given, then residual and irregular terms.
    effects: dict[str, float]
    #: segment key → term → effect.
    by_segment: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def change(self) -> float:
        return self.current - self.base

    def rounded(self) -> dict[str, float]:
        return round_preserving_sum(self.effects, self.change)


def log_mean(a: float, b: float) -> float:
    """L(a, b) = (a − b) / (ln a − ln b), and a when a = b; a, b > 0."""
    if a <= 0 or b <= 0:
        raise ValueError("the logarithmic mean needs positive values")
    if math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0):
        return (a + b) / 2  # the limit; avoids 0/0 and the cancellation just before it
    return (a - b) / (math.log(a) - math.log(b))


def decompose(segments: Sequence[Segment], factors: Sequence[str], residual: str) -> Decomposition:
    effects: dict[str, float] = {k: 0.0 for k in factors}
    effects[residual] = 0.0
    per_segment: dict[str, dict[str, float]] = {}
    for seg in segments:
        change = seg.current - seg.base
        if seg.base == 0 and seg.current == 0:
            continue
        parts: dict[str, float] = {}
        if seg.irregular is not None:
            parts[seg.irregular] = change
        elif seg.base <= 0 or seg.current <= 0:
            parts[ENTERED_OR_LEFT] = change
        else:
            weight = log_mean(seg.current, seg.base)
            explained = 0.0
            for k in factors:
                pair = seg.factors.get(k)
                if pair is None:
                    continue
                x0, x1 = pair
                if x0 <= 0 or x1 <= 0:
                    continue  # cannot take its log: left to the residual
                parts[k] = weight * math.log(x1 / x0)
                explained += parts[k]
            # The segment's change minus what the measured factors explain: exact by construction.
            parts[residual] = change - explained
        for term, value in parts.items():
            effects[term] = effects.get(term, 0.0) + value
        per_segment[seg.key] = parts
    base = sum(s.base for s in segments)
    current = sum(s.current for s in segments)
    return Decomposition(base, current, effects, per_segment)


def round_preserving_sum(values: Mapping[str, float], total: float) -> dict[str, float]:
    """Round each value to cents so that the rounded values add up to `total` rounded to cents."""
    target = round(total * 100)
    floors = {k: math.floor(v * 100) for k, v in values.items()}
    remainders = sorted(values, key=lambda k: (-(values[k] * 100 - floors[k]), k))
    short = target - sum(floors.values())
    cents = dict(floors)
    if values and short:
        order = remainders if short > 0 else list(reversed(remainders))
        step = 1 if short > 0 else -1
        for i in range(abs(short)):
            cents[order[i % len(order)]] += step
    return {k: cents[k] / 100 for k in values}
