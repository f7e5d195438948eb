"""Exact allocation of an amount into proportional parts (largest remainder method)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from citycoop._core.decimals import EXACT
from citycoop._core.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Sequence


def allocate(
    total: Decimal, weights: Sequence[int | Decimal], step: Decimal
) -> tuple[Decimal, ...]:
    """Split *total* into multiples of *step* proportional to *weights*.

    The parts add up to *total* exactly. Each part is the floor of its exact share;
    the steps left over go, one each, to the parts with the largest remainders (ties
    to the earlier part). *total* must be a multiple of *step*.
    """
    if not weights:
        raise ValidationError("weights", weights, "at least one weight")
    exact_weights: list[Fraction] = []
    for index, weight in enumerate(weights):
        if isinstance(weight, bool) or not isinstance(weight, int | Decimal):
            raise ValidationError(f"weights[{index}]", weight, "an int or a Decimal")
        if not Decimal(weight).is_finite() or weight < 0:
            raise ValidationError(f"weights[{index}]", weight, "a finite weight >= 0")
        exact_weights.append(Fraction(weight))
    whole = sum(exact_weights)
    if whole == 0:
        raise ValidationError("weights", weights, "weights whose sum is positive")
    units = Fraction(total) / Fraction(step)
    if units.denominator != 1:
        raise ValidationError("total", total, f"a multiple of {step}")
    sign = -1 if units < 0 else 1
    count = abs(units.numerator)
    shares = [count * weight / whole for weight in exact_weights]
    floors = [share.numerator // share.denominator for share in shares]
    left = count - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for index in order[:left]:
        floors[index] += 1
    return tuple(EXACT.multiply(step, Decimal(sign * part)) for part in floors)
