"""Exact allocation (`_allocation`, through `Money.allocate`)."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import amounts
from citycoop import (
    Money,
    ValidationError,
)
from citycoop._core.allocation import allocate


class TestAllocate:
    """allocate() splits exactly."""

    def test_thirds(self):
        parts = Money("100.00", "USD").allocate([1, 1, 1])
        assert sum(parts) == Money("100.00", "USD")
        assert parts == (Money("33.34", "USD"), Money("33.33", "USD"), Money("33.33", "USD"))

    @given(amounts, st.lists(st.integers(0, 100), min_size=1, max_size=6).filter(any))
    def test_parts_add_up(self, a, weights):
        money = Money(a, "USD")
        assert sum(money.allocate(weights)) == money

    def test_bad_weights(self):
        with pytest.raises(ValidationError):
            Money(1, "USD").allocate([0, 0])
        with pytest.raises(ValidationError):
            Money(1, "USD").allocate([-1, 2])


def _reference(total: Decimal, weights: list[int | Decimal], step: Decimal) -> tuple[Decimal, ...]:
    """The largest remainder method written plainly with fractions, ties to the earlier part."""
    shares = [Fraction(total / step) * Fraction(w) / sum(map(Fraction, weights)) for w in weights]
    sign = -1 if total < 0 else 1
    shares = [abs(share) for share in shares]
    floors = [share.numerator // share.denominator for share in shares]
    left = abs(int(total / step)) - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for index in order[:left]:
        floors[index] += 1
    return tuple(step * sign * part for part in floors)


class TestAgainstFractions:
    """The whole-number method gives what the method written with fractions gives."""

    @given(
        st.integers(-(10**15), 10**15),
        st.lists(
            st.integers(0, 10**6)
            | st.decimals(0, 10**4, places=3, allow_nan=False, allow_infinity=False),
            min_size=1,
            max_size=7,
        ).filter(lambda ws: sum(ws) > 0),
        st.sampled_from([Decimal("0.01"), Decimal(1), Decimal("0.001"), Decimal("1E+2")]),
    )
    def test_same_parts(self, units, weights, step):
        total = step * units
        with localcontext() as context:
            context.prec = 100
            expected = _reference(total, weights, step)
        assert allocate(total, weights, step) == expected

    def test_decimal_weights_of_many_places(self):
        weights = [Decimal("1E-30"), Decimal("2E-30"), Decimal(0)]
        assert allocate(Decimal("1.00"), weights, Decimal("0.01")) == (
            Decimal("0.33"),
            Decimal("0.67"),
            Decimal("0.00"),
        )
