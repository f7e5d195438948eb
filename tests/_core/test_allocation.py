"""Exact allocation (`_allocation`, through `Money.allocate`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import amounts
from citycoop import (
    Money,
    ValidationError,
)


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
