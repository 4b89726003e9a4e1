"""Target amounts as integers in minor units (cents for money, whole units for counts), and the one
rounding rule every split uses: largest remainder.

Money targets are never floats: a plan that does not add up to the cent is a plan nobody trusts. Every
split takes an integer amount and non-negative weights (exact `Fraction`s) and returns integers that sum
to the amount exactly and are never negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from tradewind.core.errors import TradewindError


class PlanError(TradewindError):
    """A plan cannot be made, changed or read as asked; the message says what to change."""


def scale_for(unit: str) -> int:
    """Minor units per unit: 100 for money (cents), 1 for counts (whole units)."""
    return 100 if unit == "money" else 1


def to_minor(value: Decimal | int | float | str, scale: int, *, what: str = "amount") -> int:
    """`12000000` -> 1200000000 cents. More decimals than the unit has is an error, not a rounding."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise PlanError(f"{what} {value!r} is not a number") from None
    if not number.is_finite():
        raise PlanError(f"{what} {value!r} is not a number")
    minor = number * scale
    if minor != minor.to_integral_value():
        places = "2 decimals" if scale == 100 else "no decimals"
        raise PlanError(f"{what} {value} has more decimals than it can have ({places})")
    if minor < 0:
        raise PlanError(f"{what} {value} is negative; targets are never negative")
    return int(minor)


def from_minor(minor: int, scale: int) -> Decimal:
    if scale == 1:
        return Decimal(minor)
    return (Decimal(minor) / scale).quantize(Decimal(1) / scale)


def format_minor(minor: int, scale: int) -> str:
    return f"{from_minor(minor, scale):,}"


def largest_remainder(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Split `total` (an integer >= 0) in proportion to `weights` (>= 0, not all 0).

    Each part gets the floor of its exact quota; the units left over go one each to the parts with the
    largest remainders. Ties go to the larger weight, then to the earlier part, so the split depends
    only on the order the caller gives (which is always a sorted order of keys).
    """
    if total < 0:
        raise PlanError(f"cannot split a negative amount ({total})")
    if any(w < 0 for w in weights):
        raise PlanError("cannot split by a negative weight")
    if not weights:
        if total:
            raise PlanError(f"nothing to split {total} over")
        return []
    if all(w.denominator == 1 for w in weights):
        return _largest_remainder_int(total, [w.numerator for w in weights])
    whole = sum(weights, Fraction(0))
    if whole == 0:
        if total:
            raise PlanError(f"cannot split {total} over weights that are all zero")
        return [0] * len(weights)
    quotas = [Fraction(total) * w / whole for w in weights]
    parts = [q.numerator // q.denominator for q in quotas]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), -weights[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def _largest_remainder_int(total: int, weights: list[int]) -> list[int]:
    """The same split for whole-number weights (a re-spread by current amounts), in integers only."""
    whole = sum(weights)
    if whole == 0:
        if total:
            raise PlanError(f"cannot split {total} over weights that are all zero")
        return [0] * len(weights)
    parts = [total * w // whole for w in weights]
    rests = [total * w - p * whole for w, p in zip(weights, parts, strict=True)]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-rests[i], -weights[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts
