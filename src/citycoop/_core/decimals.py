"""Every decimal context citycoop computes in: the one home of precision and rounding.

:data:`EXACT` for sums of money (exact, or an error), :data:`CONVERSION` for chains of
rates (50 significant digits, rounded once at the end), and :func:`bounded` for rounding
an amount to its minor unit within the largest magnitude an amount may have.
"""

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

#: Context for conversion arithmetic: 50 significant digits, rounding once at the end.
CONVERSION: Final = decimal.Context(
    prec=50,
    rounding=ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def bounded(integer_digits: int, places: int) -> decimal.Context:
    """A context that rounds to *places* decimals within *integer_digits* integer digits.

    Rounding a larger amount in it fails (``InvalidOperation``) instead of losing digits.
    """
    return decimal.Context(prec=integer_digits + places, traps=[decimal.InvalidOperation])


#: Context for display arithmetic (compact forms divide, patterns quantize): wide, with
#: the standard traps, so a caller's narrow context never changes what is shown.
DISPLAY: Final = decimal.Context(prec=80, rounding=ROUND_HALF_EVEN)
