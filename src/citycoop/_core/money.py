"""Exact money: :class:`Money`, and the sums and rounding of amounts.

Amounts are :class:`~decimal.Decimal` end to end. Arithmetic runs in a decimal
context that traps inexact results, so nothing is ever rounded silently; the only
rounding is the explicit :meth:`Money.rounded`.

Minor units come from ISO 4217 (the maintained ``iso4217`` package, list one) for
active codes, and from CLDR (through babel) for historic codes, which ISO 4217 list
three records without a minor unit. CLDR's *display* digits differ from ISO 4217
for some currencies (which ones depends on the CLDR release installed); citycoop
always rounds to the ISO 4217 digits.
"""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Final, Self

import attrs

from citycoop._core.currencies import CODE, currency_table, normalize_currency
from citycoop._core.decimals import EXACT, bounded
from citycoop._core.errors import (
    CurrencyMismatchError,
    InexactError,
    ValidationError,
)
from citycoop._core.validation import name_fields

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Money"]

#: Largest magnitude accepted, as a power of ten (amounts must be below 10**21).
MAX_ADJUSTED_EXPONENT: Final = 20
#: Most decimal places an amount may carry.
MAX_DECIMAL_PLACES: Final = 12

_STEPS: Final = tuple(Decimal(1).scaleb(-places) for places in range(5))
#: Per number of minor digits: a context in which rounding to that many digits fails
#: (InvalidOperation) when the result would have more than 21 integer digits.
_BOUNDED: Final = tuple(bounded(MAX_ADJUSTED_EXPONENT + 1, places) for places in range(len(_STEPS)))
_MAGNITUDE: Final = f"a magnitude below 10**{MAX_ADJUSTED_EXPONENT + 1}"
_ROUNDINGS: Final = frozenset(
    getattr(decimal, name) for name in dir(decimal) if name.startswith("ROUND_")
)


def to_decimal(value: object, field: str) -> Decimal:
    """Turn an ``int``, ``Decimal`` or decimal string into a finite, bounded Decimal.

    ``float`` is rejected: it cannot hold most decimal fractions exactly. Bounds are
    checked on the exponent before any arithmetic, so absurd inputs such as
    ``"1e999999999"`` are rejected at once.
    """
    if type(value) is Decimal:  # the common case first
        _check_bounds(value, field, value)
        return value
    if isinstance(value, float):
        raise ValidationError(
            field,
            value,
            f"an exact amount, not a float: write Decimal({str(value)!r}) or {str(value)!r}",
        )
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValidationError(field, value, "a Decimal, an int or a decimal string")
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if len(text) > 64:
            raise ValidationError(field, value, "a decimal string of at most 64 characters")
        try:
            number = Decimal(text, EXACT)  # the context only judges the string
        except decimal.InvalidOperation:
            raise ValidationError(field, value, "a decimal number such as '804.8e9'") from None
    else:
        number = Decimal(value)
    _check_bounds(number, field, value)
    return number


def _check_bounds(number: Decimal, field: str, shown: object) -> None:
    if not number.is_finite():
        raise ValidationError(field, shown, "a finite number (not NaN or infinity)")
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers have int exponents
    if exponent < -MAX_DECIMAL_PLACES:
        raise ValidationError(field, shown, f"at most {MAX_DECIMAL_PLACES} decimal places")
    if number.adjusted() > MAX_ADJUSTED_EXPONENT:
        raise ValidationError(field, shown, _MAGNITUDE)


def _amount(value: Decimal | int | str, field: str = "") -> Decimal:
    return to_decimal(value, field)


def _currency(value: str, field: str = "") -> str:
    return normalize_currency(value, field)


def _exact(result: Decimal) -> Decimal:
    """Bring an arithmetic result back into the representable range, exactly, or raise."""
    exponent = result.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -MAX_DECIMAL_PLACES:
        try:
            result = result.quantize(Decimal(1).scaleb(-MAX_DECIMAL_PLACES), context=EXACT)
        except decimal.Inexact:
            raise InexactError(
                f"{result} has more than {MAX_DECIMAL_PLACES} decimal places; "
                "round explicitly or use Money.allocate()"
            ) from None
    if result.adjusted() > MAX_ADJUSTED_EXPONENT:
        raise InexactError(f"{result} is beyond 10**{MAX_ADJUSTED_EXPONENT + 1}")
    return result


def _factor(value: object, operation: str) -> Decimal:
    if isinstance(value, Money):
        raise TypeError(f"cannot {operation} Money by Money; use a plain number")
    return to_decimal(value, f"Money {operation} operand")


def minor_step(
    currency: str, rounding: object, field: str = "currency"
) -> tuple[Decimal, decimal.Context]:
    """The minor unit of a normalized *currency* and a context that rounds within bounds.

    The step is ``Decimal('0.01')`` for USD. Quantizing to that step in that context
    raises :class:`decimal.InvalidOperation` exactly when the result would reach 10**21 in
    magnitude: the context's precision is 21 digits plus the minor unit's. Also checks
    that *rounding* is one of the :mod:`decimal` ``ROUND_*`` constants.
    """
    if not isinstance(rounding, str) or rounding not in _ROUNDINGS:
        raise ValidationError("rounding", rounding, "one of the decimal module's ROUND_* constants")
    units = currency_table()[currency].minor_units
    if units is None:
        raise ValidationError(field, currency, "a currency with a minor unit to round to")
    return _STEPS[units], _BOUNDED[units]


def quantize_minor(
    amount: Decimal, step: tuple[Decimal, decimal.Context], rounding: str, field: str
) -> Decimal:
    """*amount* rounded to a :func:`minor_step`, within Money's bounds.

    Raises:
        ValidationError: naming *field*, if the result would reach 10**21 in magnitude.
    """
    try:
        rounded = amount.quantize(step[0], rounding, step[1])
    except decimal.InvalidOperation:
        raise ValidationError(field, amount, _MAGNITUDE) from None
    # A negative amount that rounds to zero is zero, not "-0.00".
    return rounded.copy_abs() if rounded.is_zero() else rounded


def round_to_minor(
    amount: Decimal, currency: str, rounding: str = ROUND_HALF_EVEN, field: str = "currency"
) -> Money:
    """*amount* (any precision) rounded once to the minor unit of a normalized *currency*.

    The one place where citycoop rounds money: :meth:`Money.rounded`, conversions and
    rollups all come here.
    """
    value = quantize_minor(amount, minor_step(currency, rounding, field), rounding, "Money.amount")
    return trusted_money(value, currency)


def sum_money(amount: Decimal, currency: str) -> Money:
    """Money holding an exact sum of Money amounts in a known *currency*.

    Such a sum is finite and has at most 12 decimal places; only its magnitude is checked.
    """
    if amount.adjusted() > MAX_ADJUSTED_EXPONENT:
        raise ValidationError("Money.amount", amount, _MAGNITUDE)
    return trusted_money(amount, currency)


def currency_totals(amounts: Iterable[tuple[str, Decimal]]) -> tuple[Money, ...]:
    """Exact totals of ``(currency, amount)`` pairs, one per currency, sorted by code.

    The one place citycoop adds amounts per currency. Amounts are exact (no rounding);
    a total beyond Money's bounds is refused.

    >>> currency_totals([("USD", Decimal("1.5")), ("KRW", Decimal(7)), ("USD", Decimal(2))])
    (Money('7', 'KRW'), Money('3.5', 'USD'))
    """
    sums: dict[str, Decimal] = {}
    add = EXACT.add
    for code, amount in amounts:
        previous = sums.get(code)
        sums[code] = amount if previous is None else add(previous, amount)
    return tuple(sum_money(sums[code], code) for code in sorted(sums))


_ADD: Final = EXACT.add
_SUBTRACT: Final = EXACT.subtract
_NEW: Final = object.__new__
_SET: Final = object.__setattr__


def _bounded(amount: Decimal, currency: str) -> Money:
    """Money holding the exact sum or difference of two Money amounts, if not too large."""
    if amount.adjusted() > MAX_ADJUSTED_EXPONENT:
        raise InexactError(f"{amount} is beyond 10**{MAX_ADJUSTED_EXPONENT + 1}")
    return trusted_money(amount, currency)


def allocation_step(amount: Decimal, currency: str) -> Decimal:
    """The unit that :meth:`Money.allocate` splits *amount* into.

    The currency's minor unit, or the amount's own last digit where it has more places.
    """
    units = currency_table()[currency].minor_units or 0
    step = _STEPS[units] if units < len(_STEPS) else Decimal(1).scaleb(-units, EXACT)
    if EXACT.remainder(amount, step):
        step = Decimal(1).scaleb(amount.as_tuple().exponent, EXACT)  # type: ignore[arg-type]
    return step


def trusted_money(amount: Decimal, currency: str) -> Money:
    """Money from a bounded, finite Decimal and a known code, skipping the converters."""
    money = _NEW(Money)
    _SET(money, "amount", amount)
    _SET(money, "currency", currency)
    return money


@attrs.frozen(repr=False, order=False, field_transformer=name_fields)
class Money:
    """An exact amount in one currency.

    Args:
        amount: A :class:`~decimal.Decimal`, an ``int`` or a decimal string (never a
            ``float``); finite, below 10**21 in magnitude, at most 12 decimal places.
        currency: An ISO 4217 code (active or historic), any case.

    >>> Money("804.8e9", "krw")
    Money('804800000000', 'KRW')
    >>> Money("1.0", "USD") == Money("1.00", "USD")
    True
    >>> sum([Money("0.10", "USD"), Money("0.20", "USD")])
    Money('0.30', 'USD')
    >>> Money("2.675", "USD").rounded()
    Money('2.68', 'USD')

    Adding or comparing different currencies raises
    :class:`~citycoop.CurrencyMismatchError`; a result that would lose digits raises
    :class:`~citycoop.InexactError`.

    .. versionadded:: 0.1.0
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(converter=_currency)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse ``"KRW 804.8e9"`` or ``"804.8e9 KRW"``.

        >>> Money.parse("USD 250_000")
        Money('250000', 'USD')
        """
        if not isinstance(text, str):
            raise ValidationError("Money", text, "a string such as 'KRW 804.8e9'")
        parts = text.split()
        if len(parts) == 2:
            first, second = parts
            if CODE.fullmatch(first):
                return cls(second, first)
            if CODE.fullmatch(second):
                return cls(first, second)
        raise ValidationError("Money", text, "a currency code and an amount, e.g. 'KRW 804.8e9'")

    @classmethod
    def zero(cls, currency: str) -> Self:
        """Zero in *currency*."""
        return cls(0, currency)

    @property
    def minor_units(self) -> int | None:
        """The ISO 4217 minor units of this amount's currency."""
        return currency_table()[self.currency].minor_units

    def rounded(self, rounding: str = ROUND_HALF_EVEN) -> Money:
        """Round to the currency's minor unit (half-even unless *rounding* says otherwise).

        *rounding* is one of the :mod:`decimal` rounding constants.
        """
        return round_to_minor(self.amount, self.currency, rounding, "Money.currency")

    def allocate(
        self, weights: tuple[int | Decimal, ...] | list[int | Decimal]
    ) -> tuple[Money, ...]:
        """Split into parts proportional to *weights*, exact to the minor unit.

        The parts always add up to this amount. Remainders go to the parts with the
        largest fractional shares (largest remainder method), ties to the earlier part.

        >>> Money("100.00", "USD").allocate([1, 1, 1])
        (Money('33.34', 'USD'), Money('33.33', 'USD'), Money('33.33', 'USD'))
        """
        from citycoop._core.allocation import allocate  # import citycoop need not load it

        parts = allocate(self.amount, weights, allocation_step(self.amount, self.currency))
        return tuple(Money(part, self.currency) for part in parts)

    # Addition, subtraction and comparison are the hot paths of sums and sorts: the
    # result of adding two valid amounts is exact and keeps at most 12 decimal places,
    # so only its magnitude is checked, and the validating constructor is skipped.

    def __add__(self, other: object) -> Money:
        if type(other) is not Money and not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatchError("add", self.currency, other.currency)
        return _bounded(_ADD(self.amount, other.amount), self.currency)

    def __radd__(self, other: object) -> Money:
        # sum() starts from the int 0.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if type(other) is not Money and not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatchError("subtract", self.currency, other.currency)
        return _bounded(_SUBTRACT(self.amount, other.amount), self.currency)

    def __mul__(self, other: object) -> Money:
        if isinstance(other, Money):
            raise TypeError("cannot multiply Money by Money; multiply by a number")
        if not isinstance(other, int | Decimal | str | float):
            return NotImplemented
        factor = _factor(other, "multiply")
        try:
            product = EXACT.multiply(self.amount, factor)
        except decimal.Inexact:  # pragma: no cover - prec 80 holds any product of bounded inputs
            raise InexactError(f"{self.amount} * {factor} loses digits") from None
        return Money(_exact(product), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> Money:
        if isinstance(other, Money):
            raise TypeError("cannot divide Money by Money; divide by a number")
        if not isinstance(other, int | Decimal | str | float):
            return NotImplemented
        divisor = _factor(other, "divide")
        if not divisor:
            raise ValidationError("Money divide operand", other, "a non-zero divisor")
        try:
            quotient = EXACT.divide(self.amount, divisor)
        except decimal.Inexact:
            raise InexactError(
                f"{self.amount} / {divisor} is not exact; use Money.allocate() to split"
            ) from None
        return Money(_exact(quotient), self.currency)

    def __neg__(self) -> Money:
        # copy_negate and copy_abs are exact: the caller's decimal context never rounds them.
        return Money(self.amount.copy_negate(), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(self.amount.copy_abs(), self.currency)

    def __lt__(self, other: object) -> bool:
        if type(other) is not Money and not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatchError("compare", self.currency, other.currency)
        return self.amount < other.amount

    def __le__(self, other: object) -> bool:
        if type(other) is not Money and not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatchError("compare", self.currency, other.currency)
        return self.amount <= other.amount

    def __gt__(self, other: object) -> bool:
        if type(other) is not Money and not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatchError("compare", self.currency, other.currency)
        return self.amount > other.amount

    def __ge__(self, other: object) -> bool:
        if type(other) is not Money and not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatchError("compare", self.currency, other.currency)
        return self.amount >= other.amount

    def __repr__(self) -> str:
        # Plain digits, never scientific notation: Money('804800000000', 'KRW').
        return f"Money('{self.amount:f}', {self.currency!r})"

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:f}"

    def _repr_html_(self) -> str:
        """The amount with grouped digits, for Jupyter (``KRW 804,800,000,000``)."""
        import html

        return f"<span>{html.escape(self.currency)} {self.amount:,f}</span>"

    def __format__(self, spec: str) -> str:
        """The currency code and the amount formatted by a :class:`~decimal.Decimal` *spec*.

        ``format(money, ",.2f")`` gives ``'KRW 804,800,000,000.00'``; an empty *spec*
        gives :func:`str`.
        """
        if not spec:
            return str(self)
        try:
            return f"{self.currency} {self.amount:{spec}}"
        except ValueError:
            raise ValidationError("format spec", spec, "a Decimal format such as ',.2f'") from None

    def format(self, locale: str = "en") -> str:
        r"""The amount as a reader of *locale* writes it, from CLDR (Babel), every digit kept.

        The locale's currency symbol, grouping and decimal mark apply
        (:func:`babel.numbers.format_currency`), and CLDR's currency spacing: a no-break
        space between a symbol written in letters and the digits (``UAH 1,400,000.00``),
        none after a sign such as ``₩``. The digits follow the one rule of citycoop's
        formatting (the report and charts too): at least the currency's ISO 4217 minor
        digits, and no digit of the amount rounded away.

        >>> Money("804.8e9", "KRW").format("ko")
        '₩804,800,000,000'
        >>> Money("1.005", "USD").format("en")
        '$1.005'
        >>> Money("1400000", "UAH").format("en")
        'UAH\xa01,400,000.00'

        Raises:
            ValidationError: *locale* is not a locale CLDR knows.
        """
        from citycoop._core.formatting import money_text

        return money_text(self.amount, self.currency, locale, field="Money.format.locale")
