"""Exact allocation of an amount into proportional parts (largest remainder method)."""

from __future__ import annotations

import decimal
from decimal import Decimal
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
    return allocate_whole(total, whole_weights(weights), step)


def whole_weights(weights: Sequence[int | Decimal]) -> tuple[int, ...]:
    """*weights* as whole numbers in the same proportions, checked (for :func:`allocate_whole`)."""
    if not weights:
        raise ValidationError("weights", weights, "at least one weight")
    integers = _integer_weights(weights)
    if sum(integers) == 0:
        raise ValidationError("weights", weights, "weights whose sum is positive")
    return tuple(integers)


def allocate_whole(total: Decimal, integers: Sequence[int], step: Decimal) -> tuple[Decimal, ...]:
    """:func:`allocate` by weights that :func:`whole_weights` gave (worked out once for many)."""
    whole = sum(integers)
    try:
        units = EXACT.divide(total, step)
        if units != units.to_integral_value():
            raise decimal.Inexact  # noqa: TRY301 - one refusal for both ways of not dividing
    except decimal.Inexact:
        raise ValidationError("total", total, f"a multiple of {step}") from None
    sign = -1 if units < 0 else 1
    count = abs(int(units))
    # Share i is count * w_i / whole: its floor and remainder in whole numbers, exactly;
    # comparing remainders over the one denominator compares the fractional parts.
    floors: list[int] = []
    remainders: list[int] = []
    for weight in integers:
        floor, remainder = divmod(count * weight, whole)
        floors.append(floor)
        remainders.append(remainder)
    left = count - sum(floors)
    if left:
        order = sorted(range(len(floors)), key=lambda i: (-remainders[i], i))
        for index in order[:left]:
            floors[index] += 1
    return tuple(EXACT.multiply(step, Decimal(sign * part)) for part in floors)


def _integer_weights(weights: Sequence[int | Decimal]) -> list[int]:
    """*weights* as whole numbers in the same proportions (scaled by one power of ten)."""
    exponents: list[int] = []
    for index, weight in enumerate(weights):
        if isinstance(weight, bool) or not isinstance(weight, int | Decimal):
            raise ValidationError(f"weights[{index}]", weight, "an int or a Decimal")
        if isinstance(weight, Decimal):
            if not weight.is_finite() or weight < 0:
                raise ValidationError(f"weights[{index}]", weight, "a finite weight >= 0")
            exponent = weight.as_tuple().exponent
            assert isinstance(exponent, int)
            exponents.append(exponent)
        elif weight < 0:
            raise ValidationError(f"weights[{index}]", weight, "a finite weight >= 0")
    shift = -min(0, *exponents) if exponents else 0
    if not shift:  # whole weights (60 and 40 percent): as they are
        return [int(weight) for weight in weights]
    scale = 10**shift
    return [
        int(weight.scaleb(shift, EXACT)) if isinstance(weight, Decimal) else weight * scale
        for weight in weights
    ]
