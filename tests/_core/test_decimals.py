"""The money context (`_decimals`): exact, or an error."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest

from citycoop._core.decimals import EXACT


def test_exact_sums_keep_every_digit():
    assert EXACT.add(Decimal("0.1"), Decimal("0.2")) == Decimal("0.3")
    big = Decimal("999999999999999999999.999999999999")
    assert EXACT.multiply(big, big).adjusted() == 41


@pytest.mark.parametrize(
    "operation",
    [
        lambda: EXACT.divide(Decimal(1), Decimal(3)),  # would round
        lambda: EXACT.divide(Decimal(1), Decimal(0)),
        lambda: EXACT.multiply(Decimal("1e999999"), Decimal(10)),  # would overflow
    ],
)
def test_every_lossy_result_is_an_error(operation):
    with pytest.raises(decimal.DecimalException):
        operation()
