"""Exchange rates, the policies that choose them, and how a chain of rates combines.

A :class:`Rate` says that one unit of *base* is worth *value* units of *quote* over a
day, a calendar month or a calendar year, according to a named source. A
:class:`RatePolicy` decides which rate serves a value date. A :class:`Leg` is one rate
used as published or inverted; :func:`factor` and :func:`scale` apply a chain of legs
exactly.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final, Self

import attrs

from citycoop._core.currencies import normalize_currency
from citycoop._core.decimals import CONVERSION
from citycoop._core.errors import ValidationError
from citycoop._core.money import to_decimal
from citycoop._core.time import Period
from citycoop._core.validation import name_fields, non_empty, where

__all__ = ["Leg", "Rate", "RatePolicy"]


_KINDS: Final = ("day", "month", "year")
#: The factor of a conversion side with no rate; :func:`scale` skips it.
ONE: Final = Decimal(1)


def _rate_value(value: Decimal | int | str, field: str = "") -> Decimal:
    if isinstance(value, float):
        return to_decimal(value, field)  # raises with a hint
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValidationError(field, value, "a positive Decimal, int or decimal string")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except decimal.InvalidOperation:
        raise ValidationError(field, value, "a positive decimal number") from None
    if not number.is_finite() or number <= 0 or not -30 <= number.adjusted() <= 30:
        raise ValidationError(field, value, "a finite positive number from 1e-30 to 1e30")
    return number


def _currency(value: str, field: str = "") -> str:
    return normalize_currency(value, field)


def _distinct(instance: Rate, attribute: attrs.Attribute[Any], value: str) -> None:
    if value == instance.base:
        raise ValidationError(
            where(instance, attribute), value, f"a currency other than the base {instance.base}"
        )


def _calendar_period(instance: Rate, attribute: attrs.Attribute[Any], value: Period) -> None:
    if not isinstance(value, Period):
        raise ValidationError(where(instance, attribute), value, "a Period")
    if value.kind not in _KINDS:
        raise ValidationError(
            where(instance, attribute), str(value), "a day, a calendar month or a calendar year"
        )


def _annual_if_planning(instance: Leg, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(where(instance, attribute), value, "True or False")
    rate: object = instance.rate
    if value and not (isinstance(rate, Rate) and rate.period.kind == "year"):
        raise ValidationError(
            where(instance, attribute), value, "False for a rate that is not an annual one"
        )


@attrs.frozen(cache_hash=True, field_transformer=name_fields)
class Rate:
    """One unit of *base* is worth *value* units of *quote* over *period*.

    >>> Rate("EUR", "KRW", "1337.04", Period.day("2021-11-25"), "ECB")
    Rate(base='EUR', quote='KRW', value=Decimal('1337.04'), period=Period('2021-11-25', '2021-11-25'), source='ECB')

    .. versionadded:: 0.1.0
    """

    base: str = attrs.field(converter=_currency)
    quote: str = attrs.field(converter=_currency, validator=_distinct)
    value: Decimal = attrs.field(converter=_rate_value)
    period: Period = attrs.field(validator=_calendar_period)
    source: str = attrs.field(validator=non_empty)


@functools.cache
def _is_code(code: str) -> bool:
    """Whether *code* is a currency code as :class:`Rate` keeps it (normalized, known)."""
    try:
        return normalize_currency(code) == code
    except ValidationError:
        return False


def checked_rate(base: str, quote: str, value: Decimal, period: Period, source: str) -> Rate:
    """The :class:`Rate` ``Rate(base, quote, value, period, source)``, built fast for readers.

    A rate file's reader checks each date once per row (one calendar :class:`Period`
    for every cell of it) and each number as text; what is left per cell is checked
    here in a few comparisons, and the fields are set as ``Rate.__init__`` sets them.
    Anything else (an unknown or unnormalized code, a value out of range, a period that
    is not a calendar day, month or year) goes through ``Rate(...)`` itself, which
    raises its own :class:`~citycoop.ValidationError`; so the result is always a Rate
    that ``Rate(...)`` would have built, equal to it (a property test checks this).
    """
    if (
        base != quote
        and _is_code(base)
        and _is_code(quote)
        and value.__class__ is Decimal
        and value.is_finite()
        and value > 0
        and -30 <= value.adjusted() <= 30
        and period.__class__ is Period
        and period.kind in _KINDS
        and source.__class__ is str
        and source.strip()
    ):
        rate = object.__new__(Rate)
        put = object.__setattr__
        put(rate, "base", base)
        put(rate, "quote", quote)
        put(rate, "value", value)
        put(rate, "period", period)
        put(rate, "source", source)
        put(rate, "_attrs_cached_hash", None)
        return rate
    return Rate(base, quote, value, period, source)


@attrs.frozen
class Leg:
    """One step of a conversion: a rate, used as published or inverted.

    .. versionadded:: 0.1.0
    """

    rate: Rate
    inverted: bool = False
    #: Served by the ``"planning"`` step for a date after the pair's last rate: an
    #: assumption, not a published rate of that date.
    planning: bool = attrs.field(default=False, kw_only=True, validator=_annual_if_planning)

    @property
    def assumption(self) -> str | None:
        """What this leg assumes, or ``None`` for a rate of its own date.

        >>> from citycoop import Leg, Period, Rate
        >>> rate = Rate("USD", "UAH", "40.1", Period.year(2024), "World Bank WDI")
        >>> print(Leg(rate, planning=True).assumption)
        planning rate: USD->UAH 2024 annual average, World Bank WDI
        >>> Leg(rate).assumption is None
        True
        """
        if not self.planning:
            return None
        rate = self.rate
        return (
            f"planning rate: {rate.base}->{rate.quote} {rate.period.start.year} annual average,"
            f" {rate.source}"
        )

    @property
    def from_currency(self) -> str:
        """The currency this leg converts from.

        >>> from citycoop import Leg, Period, Rate
        >>> rate = Rate("EUR", "KRW", "1337.04", Period.day("2021-11-25"), "ECB")
        >>> Leg(rate).from_currency, Leg(rate, inverted=True).from_currency
        ('EUR', 'KRW')
        """
        return self.rate.quote if self.inverted else self.rate.base

    @property
    def to_currency(self) -> str:
        """The currency this leg converts into."""
        return self.rate.base if self.inverted else self.rate.quote

    def __str__(self) -> str:
        """The rate as a sentence, with its period, source and direction.

        >>> from citycoop import Leg, Period, Rate
        >>> print(Leg(Rate("EUR", "KRW", "1337.04", Period.day("2021-11-25"), "ECB"), inverted=True))
        1 EUR = 1337.04 KRW (2021-11-25/2021-11-25, ECB, inverted)
        """
        rate = self.rate
        direction = ", inverted" if self.inverted else ""
        planning = ", planning rate for a later date" if self.planning else ""
        return (
            f"1 {rate.base} = {rate.value} {rate.quote}"
            f" ({rate.period}, {rate.source}{direction}{planning})"
        )


def assumptions_of(legs: Iterable[Leg]) -> tuple[str, ...]:
    """What the planning legs among *legs* assume, once each, in order."""
    return tuple(dict.fromkeys(leg.assumption for leg in legs if leg.assumption is not None))


_STEPS: Final = ("day", "month", "year", "latest", "planning")


def _steps(given: Iterable[str], field: str = "") -> tuple[str, ...]:
    value: object = given
    if isinstance(value, list):
        value = tuple(value)
    if not isinstance(value, tuple) or not value or any(step not in _STEPS for step in value):
        raise ValidationError(field, value, f"a non-empty sequence of {_STEPS}")
    if len(set(value)) != len(value):
        raise ValidationError(field, value, "each step once")
    return value


def _max_age(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3660:
        raise ValidationError(
            where(instance, attribute), value, "a whole number of days from 0 to 3660"
        )


@attrs.frozen(cache_hash=True, field_transformer=name_fields)
class RatePolicy:
    """Which rate serves a value date: steps tried in order until one serves.

    Steps: ``"day"`` (a daily rate for that very day), ``"month"`` (the calendar month's
    rate), ``"year"`` (the calendar year's rate) and ``"latest"`` (the latest daily rate
    on or before the date, at most *max_age_days* older). A date after the last daily
    rate of a pair is not served by ``"latest"`` unless *allow_future* is set, and then
    only within *max_age_days* of that rate. A policy that would ignore part of what it
    says is refused: ``"latest"`` with ``max_age_days=0``, ``max_age_days`` or
    ``allow_future`` without ``"latest"``, and ``"day"`` after ``"latest"``.

    >>> RatePolicy.narrowest().steps
    ('day', 'month', 'year')
    >>> RatePolicy.latest(max_age_days=4).steps
    ('day', 'latest')

    .. versionadded:: 0.1.0
    """

    steps: tuple[str, ...] = attrs.field(converter=_steps)
    max_age_days: int = attrs.field(default=0, kw_only=True, validator=_max_age)
    allow_future: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        """Refuse a policy that would silently ignore part of what it says."""
        fields = attrs.fields(type(self))
        latest = "latest" in self.steps
        if latest and self.max_age_days == 0:
            raise ValidationError(
                where(self, fields.max_age_days),
                0,
                "at least 1 with the 'latest' step (0 serves only the day itself, as 'day' does)",
            )
        if not latest and self.max_age_days:
            raise ValidationError(
                where(self, fields.max_age_days), self.max_age_days, "0 without a 'latest' step"
            )
        if not latest and self.allow_future:
            raise ValidationError(
                where(self, fields.allow_future), self.allow_future, "False without a 'latest' step"
            )
        if "planning" in self.steps and self.steps[-1] != "planning":
            raise ValidationError(
                where(self, fields.steps),
                self.steps,
                "'planning' last (it serves only dates after every published rate of a pair)",
            )
        if latest and "day" in self.steps[self.steps.index("latest") :]:
            raise ValidationError(
                where(self, fields.steps),
                self.steps,
                "'day' before 'latest' ('latest' already serves the day's own rate)",
            )

    @classmethod
    def narrowest(cls) -> Self:
        """The narrowest period that contains the date: day, then month, then year."""
        return cls(("day", "month", "year"))

    @classmethod
    def exact_day(cls) -> Self:
        """Only a daily rate of the value date itself."""
        return cls(("day",))

    @classmethod
    def latest(cls, max_age_days: int, *, allow_future: bool = False) -> Self:
        """The latest daily rate on or before the date, at most *max_age_days* old."""
        return cls(("day", "latest"), max_age_days=max_age_days, allow_future=allow_future)

    @classmethod
    def business_day(cls, max_age_days: int = 4) -> Self:
        """A daily rate, else the latest one at most *max_age_days* earlier, else month, else year.

        Serves a weekend or holiday from the last business day before it (a 1 January from
        31 December), and a table of monthly or annual rates as :meth:`narrowest` does.

        >>> RatePolicy.business_day().steps
        ('day', 'latest', 'month', 'year')
        >>> RatePolicy.business_day().max_age_days
        4
        """
        return cls(("day", "latest", "month", "year"), max_age_days=max_age_days)

    @classmethod
    def planning(cls, max_age_days: int = 4) -> Self:
        """:meth:`business_day`, and for a date after a pair's last rate, its latest annual rate.

        For budgets of years no file covers yet (a 2026 budget in UAH when the World Bank
        series ends in 2024). Every leg so served is marked: :attr:`Leg.planning`, its
        :attr:`Leg.assumption` ("planning rate: USD->UAH 2024 annual average, World Bank
        WDI ..."), and the ``assumptions`` of conversions and rollups. Only an annual rate
        serves a later date; a pair with daily or monthly rates alone is not served.

        >>> RatePolicy.planning().steps
        ('day', 'latest', 'month', 'year', 'planning')
        """
        return cls(("day", "latest", "month", "year", "planning"), max_age_days=max_age_days)

    @classmethod
    def chain(cls, *steps: str, max_age_days: int = 0, allow_future: bool = False) -> Self:
        """An explicit fallback chain, e.g. ``chain("day", "latest", "month", "year")``."""
        return cls(steps, max_age_days=max_age_days, allow_future=allow_future)


NARROWEST: Final = RatePolicy.narrowest()
#: The policy every function uses unless told otherwise: :meth:`RatePolicy.business_day`.
DEFAULT_POLICY: Final = RatePolicy.business_day()


def factor(legs: tuple[Leg, ...]) -> tuple[Decimal, Decimal]:
    """The exact numerator and denominator that a chain of legs multiplies by.

    A side with no leg is the constant ``ONE``, which :func:`scale` skips.
    """
    numerator = denominator = ONE
    for leg in legs:
        if leg.inverted:
            denominator = CONVERSION.multiply(denominator, leg.rate.value)
        else:
            numerator = CONVERSION.multiply(numerator, leg.rate.value)
    return numerator, denominator


def scale(amount: Decimal, numerator: Decimal, denominator: Decimal) -> Decimal:
    """*amount* times the legs' combined factor (see :func:`factor`), dividing once.

    Amounts have at most 33 significant digits, so skipping a factor of ``ONE`` changes
    nothing.
    """
    product = amount if numerator is ONE else CONVERSION.multiply(amount, numerator)
    return product if denominator is ONE else CONVERSION.divide(product, denominator)
