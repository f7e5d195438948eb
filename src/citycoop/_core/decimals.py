"""The decimal context that money arithmetic runs in: exact, or an error."""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_EVEN
from typing import Final

#: The context for money arithmetic: wide enough for any product of two valid
#: amounts, and trapping every signal that would lose digits.
EXACT: Final = decimal.Context(
    prec=80,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[
        decimal.InvalidOperation,
        decimal.DivisionByZero,
        decimal.Overflow,
        decimal.Underflow,
        decimal.Inexact,
    ],
)
