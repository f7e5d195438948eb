"""Exchange rates and exact conversion that says which rates it used.

A :class:`Rate` says that one unit of *base* is worth *value* units of *quote* over a
day, a calendar month or a calendar year, according to a named source. A
:class:`RateTable` answers "which rate serves this pair on this date" under a
:class:`RatePolicy`, using a direct rate, its inverse, or a path through a pivot
currency. :func:`convert` returns a :class:`Conversion` that carries the result and
every rate it used. A missing rate raises :class:`~citycoop.MissingRateError`; it is
never zero.
"""

from __future__ import annotations

import bisect
import datetime as dt
import decimal
import functools
import html
import operator
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import repeat
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Self, overload

import attrs
import pendulum

from citycoop._errors import MissingRateError, ValidationError
from citycoop._money import (
    Money,
    minor_step,
    normalize_currency,
    quantize_minor,
    round_to_minor,
    to_decimal,
    trusted_money,
)
from citycoop._time import Period, to_date
from citycoop._validation import instance_of, iterable, non_empty, to_tuple, tuple_of

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator

__all__ = [
    "Conversion",
    "ConversionBatch",
    "Leg",
    "Rate",
    "RatePolicy",
    "RateTable",
    "convert",
    "convert_batch",
]

#: Context for conversion arithmetic: 50 significant digits, rounding once at the end.
CONVERSION: Final = decimal.Context(
    prec=50,
    rounding=ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

_KINDS: Final = ("day", "month", "year")
#: The factor of a conversion side with no rate; :func:`scale` skips it.
ONE: Final = Decimal(1)


def _rate_value(value: object) -> Decimal:
    if isinstance(value, float):
        return to_decimal(value, "Rate.value")  # raises with a hint
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValidationError("Rate.value", value, "a positive Decimal, int or decimal string")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except decimal.InvalidOperation:
        raise ValidationError("Rate.value", value, "a positive decimal number") from None
    if not number.is_finite() or number <= 0 or not -30 <= number.adjusted() <= 30:
        raise ValidationError("Rate.value", value, "a finite positive number from 1e-30 to 1e30")
    return number


def _base(value: object) -> str:
    return normalize_currency(value, "Rate.base")


def _quote(value: object) -> str:
    return normalize_currency(value, "Rate.quote")


def _distinct(instance: Rate, _attribute: object, value: str) -> None:
    if value == instance.base:
        raise ValidationError(
            "Rate.quote", value, f"a currency other than the base {instance.base}"
        )


def _calendar_period(_instance: object, _attribute: object, value: Period) -> None:
    instance_of("Rate.period", Period, "a Period")(None, None, value)
    if value.kind not in _KINDS:
        raise ValidationError(
            "Rate.period", str(value), "a day, a calendar month or a calendar year"
        )


@attrs.frozen(cache_hash=True)
class Rate:
    """One unit of *base* is worth *value* units of *quote* over *period*.

    >>> Rate("EUR", "KRW", "1337.04", Period.day("2021-11-25"), "ECB")
    Rate(base='EUR', quote='KRW', value=Decimal('1337.04'), period=Period('2021-11-25', '2021-11-25'), source='ECB')

    .. versionadded:: 0.1.0
    """

    base: str = attrs.field(converter=_base)
    quote: str = attrs.field(converter=_quote, validator=_distinct)
    value: Decimal = attrs.field(converter=_rate_value)
    period: Period = attrs.field(validator=_calendar_period)
    source: str = attrs.field(validator=non_empty("Rate.source"))


@attrs.frozen
class Leg:
    """One step of a conversion: a rate, used as published or inverted.

    .. versionadded:: 0.1.0
    """

    rate: Rate
    inverted: bool = False

    @property
    def from_currency(self) -> str:
        """The currency this leg converts from."""
        return self.rate.quote if self.inverted else self.rate.base

    @property
    def to_currency(self) -> str:
        """The currency this leg converts into."""
        return self.rate.base if self.inverted else self.rate.quote


_STEPS: Final = ("day", "month", "year", "latest")

#: What a rate table answers: legs, numerator, denominator, value date, target currency.
_Answer = tuple[tuple[Leg, ...], Decimal, Decimal, pendulum.Date, str]


def _steps(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        value = tuple(value)
    if not isinstance(value, tuple) or not value or any(step not in _STEPS for step in value):
        raise ValidationError("RatePolicy.steps", value, f"a non-empty sequence of {_STEPS}")
    if len(set(value)) != len(value):
        raise ValidationError("RatePolicy.steps", value, "each step once")
    return value


def _max_age(_instance: object, _attribute: object, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3660:
        raise ValidationError(
            "RatePolicy.max_age_days", value, "a whole number of days from 0 to 3660"
        )


@attrs.frozen(cache_hash=True)
class RatePolicy:
    """Which rate serves a value date: steps tried in order until one serves.

    Steps: ``"day"`` (a daily rate for that very day), ``"month"`` (the calendar month's
    rate), ``"year"`` (the calendar year's rate) and ``"latest"`` (the latest daily rate
    on or before the date, at most *max_age_days* older). A date after the last daily
    rate of a pair is not served by ``"latest"`` unless *allow_future* is set.

    >>> RatePolicy.narrowest().steps
    ('day', 'month', 'year')
    >>> RatePolicy.latest(max_age_days=4).steps
    ('day', 'latest')

    .. versionadded:: 0.1.0
    """

    steps: tuple[str, ...] = attrs.field(converter=_steps)
    max_age_days: int = attrs.field(default=0, kw_only=True, validator=_max_age)
    allow_future: bool = attrs.field(default=False, kw_only=True)

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
    def chain(cls, *steps: str, max_age_days: int = 0, allow_future: bool = False) -> Self:
        """An explicit fallback chain, e.g. ``chain("day", "latest", "month", "year")``."""
        return cls(steps, max_age_days=max_age_days, allow_future=allow_future)


NARROWEST: Final = RatePolicy.narrowest()


class _Series:
    """The rates of one directed pair, indexed for constant- or log-time lookup."""

    __slots__ = ("day_dates", "days", "months", "years")

    def __init__(self) -> None:
        self.days: dict[dt.date, Rate] = {}
        self.months: dict[tuple[int, int], Rate] = {}
        self.years: dict[int, Rate] = {}
        self.day_dates: list[dt.date] = []

    def add(self, rate: Rate) -> Rate | None:
        period = rate.period
        kind = period.kind
        if kind == "day":
            return self.days.setdefault(period.start, rate)
        if kind == "month":
            return self.months.setdefault((period.start.year, period.start.month), rate)
        return self.years.setdefault(period.start.year, rate)

    def seal(self) -> None:
        self.day_dates = sorted(self.days)

    def serve(self, on: dt.date, policy: RatePolicy) -> Rate | None:
        for step in policy.steps:
            found: Rate | None
            if step == "day":
                found = self.days.get(on)
            elif step == "month":
                found = self.months.get((on.year, on.month))
            elif step == "year":
                found = self.years.get(on.year)
            else:
                found = self._latest(on, policy)
            if found is not None:
                return found
        return None

    def _latest(self, on: dt.date, policy: RatePolicy) -> Rate | None:
        dates = self.day_dates
        index = bisect.bisect_right(dates, on)
        if index == 0:
            return None
        best = dates[index - 1]
        if index == len(dates) and on > best and policy.allow_future:
            return self.days[best]
        if (on - best).days > policy.max_age_days:
            return None
        return self.days[best]


def _rates(value: object) -> tuple[Rate, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("RateTable.rates", value, "an iterable of Rate")
    return tuple(value)


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("RateTable", value, "a sequence of strings")
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise ValidationError(f"RateTable[{index}]", item, "a string")
    return items


@attrs.frozen(repr=False, cache_hash=True)
class RateTable:
    """An immutable set of rates with lookup by pair and date.

    Two tables are equal when they hold the same rates, pivots and notes, in order.

    Lookups of a direct rate take constant time (a dictionary per pair and period
    kind); the ``"latest"`` step bisects the sorted daily dates. Two rates for the same
    pair and period are a conflict and rejected.

    Args:
        rates: The rates.
        pivots: Currencies tried, in order, to triangulate a pair no rate serves
            directly or inverted.
        omitted: Explanations of anything a loader deliberately left out.

    .. versionadded:: 0.1.0
    """

    rates: tuple[Rate, ...] = attrs.field(converter=_rates)
    pivots: tuple[str, ...] = attrs.field(default=("USD", "EUR"), kw_only=True, converter=_strings)
    omitted: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_strings)
    _index: Mapping[tuple[str, str], _Series] = attrs.field(init=False, eq=False)
    # Questions already answered, keyed as asked: (base, quote, on, policy). A private
    # cache of valid answers only; it never changes what a look-up returns.
    _memo: dict[tuple[object, ...], _Answer] = attrs.field(init=False, factory=dict, eq=False)

    def __attrs_post_init__(self) -> None:
        index: dict[tuple[str, str], _Series] = {}
        for position, rate in enumerate(self.rates):
            if not isinstance(rate, Rate):
                raise ValidationError(f"RateTable.rates[{position}]", rate, "a Rate")
            series = index.setdefault((rate.base, rate.quote), _Series())
            kept = series.add(rate)
            if kept is not rate:
                raise ValidationError(
                    f"RateTable.rates[{position}]",
                    rate,
                    f"one {rate.base}->{rate.quote} rate per period; {rate.period} already has "
                    f"{kept.value if kept else '?'} from {kept.source if kept else '?'}",
                )
        for series in index.values():
            series.seal()
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(
            self, "pivots", tuple(normalize_currency(p, "RateTable.pivots") for p in self.pivots)
        )

    def __len__(self) -> int:
        return len(self.rates)

    def __repr__(self) -> str:
        pairs = ", ".join(f"{b}/{q}" for b, q in sorted(self._index)[:6])
        more = "..." if len(self._index) > 6 else ""
        return f"<RateTable: {len(self.rates)} rates, pairs {pairs}{more}>"

    def __or__(self, other: RateTable) -> RateTable:
        """A table holding the rates of both (conflicting rates are an error)."""
        if not isinstance(other, RateTable):
            return NotImplemented
        return RateTable(
            self.rates + other.rates, pivots=self.pivots, omitted=self.omitted + other.omitted
        )

    @property
    def currencies(self) -> frozenset[str]:
        """Every currency that appears in a rate."""
        return frozenset(c for pair in self._index for c in pair)

    def find(
        self, base: str, quote: str, on: object, policy: RatePolicy = NARROWEST
    ) -> tuple[Leg, ...]:
        """The legs that convert *base* into *quote* on *on* under *policy*.

        A direct rate is preferred, then its inverse, then a path through each pivot
        currency in turn (each leg served under the same policy).

        Raises:
            MissingRateError: nothing serves the pair on that date.
        """
        return self._resolve(base, quote, on, policy)[0]

    def _resolve(
        self, base: object, quote: object, on: object, policy: object, field: str = ""
    ) -> _Answer:
        """Legs, their combined factor, the date and the target, remembered per question.

        Arguments are checked (errors name ``field`` + ``base``, ``on``, ...) unless the
        same question was answered before.
        """
        key = (base, quote, on, policy)
        try:
            return self._memo[key]
        except (KeyError, TypeError):  # TypeError: an unhashable argument, judged below
            pass
        day = to_date(on, field + "on")
        if not isinstance(policy, RatePolicy):
            raise ValidationError(field + "policy", policy, "a RatePolicy")
        source = normalize_currency(base, field + "base")
        target = normalize_currency(quote, field + "to" if field else "quote")
        legs = self._legs(source, target, day, policy)
        answer = (legs, *factor(legs), day, target)
        self._memo[key] = answer
        return answer

    def _legs(self, source: str, target: str, day: dt.date, policy: RatePolicy) -> tuple[Leg, ...]:
        if source == target:
            return ()
        leg = self._one_leg(source, target, day, policy)
        if leg is not None:
            return (leg,)
        for pivot in self.pivots:
            if pivot in (source, target):
                continue
            first = self._one_leg(source, pivot, day, policy)
            second = self._one_leg(pivot, target, day, policy) if first is not None else None
            if first is not None and second is not None:
                return (first, second)
        raise MissingRateError(source, target, day, f"policy steps {policy.steps}")

    def _one_leg(self, base: str, quote: str, on: dt.date, policy: RatePolicy) -> Leg | None:
        series = self._index.get((base, quote))
        if series is not None and (rate := series.serve(on, policy)) is not None:
            return Leg(rate)
        series = self._index.get((quote, base))
        if series is not None and (rate := series.serve(on, policy)) is not None:
            return Leg(rate, inverted=True)
        return None

    @classmethod
    def from_world_bank_csv(cls, path: str | os.PathLike[str]) -> RateTable:
        """Load World Bank WDI ``PA.NUS.FCRF`` (local currency per USD, annual average).

        Each row's currency is its territory's sole tender currency per CLDR at the end
        of the file's last year; euro-area members are served by the ``EMU`` row. Rows
        that cannot be read that way (aggregates, territories with two tender
        currencies, sharers that disagree with each other) are left out and listed in
        :attr:`omitted`.
        """
        from citycoop._rate_files import read_world_bank

        rates, omitted = read_world_bank(path)
        return cls(rates, omitted=omitted)

    @classmethod
    def from_fed_h10_csv(cls, path: str | os.PathLike[str]) -> RateTable:
        """Load Federal Reserve H.10 data (``Date, Country, Exchange rate``), annual or monthly.

        Every value is foreign currency per USD; the period is a year when every date of
        the file is a 1 January, else a month.
        """
        from citycoop._rate_files import read_fed_h10

        return cls(read_fed_h10(path))

    @classmethod
    def from_ecb_csv(cls, path: str | os.PathLike[str]) -> RateTable:
        """Load the ECB's ``eurofxref-hist.csv``: daily, currency per EUR, ``N/A`` for gaps."""
        from citycoop._rate_files import read_ecb

        return cls(read_ecb(path))


@attrs.frozen
class Conversion:
    """The result of :func:`convert` and where it came from.

    Attributes:
        source: The amount converted.
        currency: The target currency.
        amount: The converted amount, unrounded (50 significant digits).
        on: The value date whose rates were used.
        legs: The rates used, in path order, each with its period and source.
        policy: The rate policy that chose them.

    .. versionadded:: 0.1.0
    """

    source: Money
    currency: str
    amount: Decimal
    on: pendulum.Date
    legs: tuple[Leg, ...]
    policy: RatePolicy

    @property
    def path(self) -> tuple[str, ...]:
        """The currencies passed through, such as ``('KRW', 'EUR', 'USD')``."""
        return (self.source.currency, *(leg.to_currency for leg in self.legs))

    @property
    def rates(self) -> tuple[Rate, ...]:
        """The rates used."""
        return tuple(leg.rate for leg in self.legs)

    def rounded(self, rounding: str = ROUND_HALF_EVEN) -> Money:
        """The result rounded once to the target currency's minor unit."""
        return round_to_minor(self.amount, self.currency, rounding, "Conversion.currency")

    def describe(self) -> str:
        """One line saying what was converted with which rates."""
        used = "; ".join(
            f"1 {leg.rate.base} = {leg.rate.value} {leg.rate.quote} "
            f"({leg.rate.period}, {leg.rate.source}{', inverted' if leg.inverted else ''})"
            for leg in self.legs
        )
        return f"{self.source} -> {self.currency} {self.amount:f} on {self.on} via {'->'.join(self.path)}: {used or 'same currency'}"


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


def convert(
    money: Money,
    to: str,
    *,
    on: object,
    rates: RateTable,
    policy: RatePolicy = NARROWEST,
) -> Conversion:
    """Convert *money* into currency *to* with the rates that serve date *on*.

    >>> table = RateTable([
    ...     Rate("EUR", "USD", "1.1223", Period.day("2021-11-25"), "ECB"),
    ...     Rate("EUR", "KRW", "1337.04", Period.day("2021-11-25"), "ECB"),
    ... ])
    >>> result = convert(Money("804.8e9", "KRW"), "USD", on="2021-11-25", rates=table)
    >>> result.path, result.rounded()
    (('KRW', 'EUR', 'USD'), Money('675542272.48', 'USD'))

    Raises:
        MissingRateError: no rate (direct, inverted or through a pivot) serves the date.

    .. versionadded:: 0.1.0
    """
    if not isinstance(money, Money):
        raise ValidationError("convert.money", money, "Money")
    if not isinstance(rates, RateTable):
        raise ValidationError("convert.rates", rates, "a RateTable")
    # Checks `to`, `on` and `policy` the first time this question is asked of the table.
    legs, numerator, denominator, day, target = rates._resolve(  # noqa: SLF001
        money.currency, to, on, policy, "convert."
    )
    return Conversion(money, target, scale(money.amount, numerator, denominator), day, legs, policy)


def _batch_currency(value: object) -> str:
    return normalize_currency(value, "ConversionBatch.currency")


def _batch_days(value: object) -> tuple[pendulum.Date, ...]:
    days = to_tuple(value)
    if not isinstance(days, tuple):
        raise ValidationError("ConversionBatch.on", value, "a tuple of dates")
    return tuple(to_date(day, f"ConversionBatch.on[{index}]") for index, day in enumerate(days))


@attrs.frozen(repr=False)
class ConversionBatch:
    """Many amounts converted into one currency, each with the rates that serve its date.

    Built by :func:`convert_batch`. Item *i* of each field belongs to input *i*; indexing
    or iterating gives the matching :class:`Conversion`.

    Attributes:
        currency: The target currency.
        policy: The rate policy that chose the rates.
        sources: The amounts converted, in input order.
        amounts: Each converted amount, unrounded (50 significant digits).
        on: Each amount's value date.
        legs: The rates used for each amount, in path order.

    .. versionadded:: 0.1.0
    """

    currency: str = attrs.field(converter=_batch_currency)
    policy: RatePolicy = attrs.field(
        validator=instance_of("ConversionBatch.policy", RatePolicy, "a RatePolicy")
    )
    sources: tuple[Money, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of("ConversionBatch.sources", Money, "Money")
    )
    amounts: tuple[Decimal, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of("ConversionBatch.amounts", Decimal, "a Decimal")
    )
    on: tuple[pendulum.Date, ...] = attrs.field(converter=_batch_days)
    legs: tuple[tuple[Leg, ...], ...] = attrs.field(
        converter=to_tuple, validator=tuple_of("ConversionBatch.legs", tuple, "a tuple of Legs")
    )

    def __attrs_post_init__(self) -> None:
        for index, chain in enumerate(self.legs):
            for leg in chain:
                if not isinstance(leg, Leg):
                    raise ValidationError(f"ConversionBatch.legs[{index}]", leg, "a Leg")
        sizes = {len(self.sources), len(self.amounts), len(self.on), len(self.legs)}
        if len(sizes) > 1:
            raise ValidationError(
                "ConversionBatch",
                f"{len(self.sources)} sources, {len(self.amounts)} amounts, "
                f"{len(self.on)} dates, {len(self.legs)} leg chains",
                "one of each per converted amount",
            )

    def __len__(self) -> int:
        return len(self.sources)

    @overload
    def __getitem__(self, index: int) -> Conversion: ...

    @overload
    def __getitem__(self, index: slice) -> ConversionBatch: ...

    def __getitem__(self, index: int | slice) -> Conversion | ConversionBatch:
        """The conversion of input *index*, or a batch of the inputs a slice selects.

        Negative indexes count from the end.
        """
        if isinstance(index, slice):
            return _batch(
                self.currency,
                self.policy,
                sources=self.sources[index],
                amounts=self.amounts[index],
                on=self.on[index],
                legs=self.legs[index],
            )
        if isinstance(index, bool) or not isinstance(index, int):
            raise ValidationError("ConversionBatch index", index, "an int or a slice")
        if not -len(self) <= index < len(self):
            raise ValidationError("ConversionBatch index", index, f"below {len(self)} in magnitude")
        return Conversion(
            self.sources[index],
            self.currency,
            self.amounts[index],
            self.on[index],
            self.legs[index],
            self.policy,
        )

    def __iter__(self) -> Iterator[Conversion]:
        for index in range(len(self)):
            yield self[index]

    def __repr__(self) -> str:
        return (
            f"<ConversionBatch: {len(self)} amounts into {self.currency}, "
            f"{len(self.rates)} rates used>"
        )

    @property
    def rates(self) -> tuple[Rate, ...]:
        """Every rate used, once each, in order of first use."""
        return tuple(dict.fromkeys(leg.rate for chain in self.legs for leg in chain))

    def _repr_html_(self, rows: int = 20) -> str:
        """A table of the first *rows* amounts, for Jupyter."""
        head = ["amount", "on", "path", f"converted ({self.currency})"]
        cells = ["".join(f"<th>{html.escape(h)}</th>" for h in head)]
        for record in self[:rows].to_records():
            values = (
                f"{record['currency']} {record['amount']}",
                record["on"],
                record["path"],
                record[f"converted_{self.currency}"],
            )
            cells.append("".join(f"<td>{html.escape(str(v))}</td>" for v in values))
        if len(self) > rows:
            cells.append(f'<td colspan="4">... {len(self) - rows} more</td>')
        return "<table>" + "".join(f"<tr>{row}</tr>" for row in cells) + "</table>"

    def rounded_amounts(self, rounding: str = ROUND_HALF_EVEN) -> tuple[Decimal, ...]:
        """Each converted amount rounded once to the minor unit of :attr:`currency`.

        The column form of :meth:`rounded`, for tables and data frames.
        """
        step, bounded = minor_step(self.currency, rounding, "ConversionBatch.currency")
        try:  # one C-level pass; the context refuses results beyond Money's bounds
            return tuple(
                map(Decimal.quantize, self.amounts, repeat(step), repeat(rounding), repeat(bounded))
            )
        except decimal.InvalidOperation:  # find the amount and name it
            for index, amount in enumerate(self.amounts):
                quantize_minor(
                    amount, (step, bounded), rounding, f"ConversionBatch.amounts[{index}]"
                )
            raise  # pragma: no cover - the loop above raised

    def rounded(self, rounding: str = ROUND_HALF_EVEN) -> tuple[Money, ...]:
        """Each converted amount rounded once to the minor unit, as :class:`Money`."""
        currency = self.currency
        return tuple(trusted_money(amount, currency) for amount in self.rounded_amounts(rounding))

    def to_records(self, rounding: str = ROUND_HALF_EVEN) -> list[dict[str, object]]:
        """One plain row per amount, for notebooks and data frames (amounts stay Decimals).

        Each row holds the source ``amount``, ``currency`` and value date ``on``, the
        converted amount rounded once (``converted_USD`` for a batch into USD) and
        unrounded (``exact_USD``), and the ``path`` and ``rates`` used, as text.
        """
        converted, exact = f"converted_{self.currency}", f"exact_{self.currency}"
        return [
            {
                "amount": source.amount,
                "currency": source.currency,
                "on": dt.date(day.year, day.month, day.day),
                converted: rounded,
                exact: amount,
                "path": "->".join((source.currency, *(leg.to_currency for leg in legs))),
                "rates": "; ".join(
                    f"{leg.rate.base}/{leg.rate.quote} {leg.rate.value} ({leg.rate.period}, "
                    f"{leg.rate.source})"
                    for leg in legs
                ),
            }
            for source, amount, rounded, day, legs in zip(
                self.sources,
                self.amounts,
                self.rounded_amounts(rounding),
                self.on,
                self.legs,
                strict=True,
            )
        ]

    def total(self, rounding: str = ROUND_HALF_EVEN) -> Money:
        """The exact sum of the unrounded amounts, rounded once (zero for an empty batch)."""
        exact = functools.reduce(CONVERSION.add, self.amounts, Decimal(0))
        return round_to_minor(exact, self.currency, rounding, "ConversionBatch.currency")


def _pair(item: object, position: int) -> tuple[object, object]:
    """A ``(money, date)`` item given as another two-item sequence, or a named error."""
    if isinstance(item, tuple | list) and len(item) == 2:
        return item[0], item[1]
    raise ValidationError(f"convert_batch.items[{position}]", item, "a (Money, date) pair")


def convert_batch(
    items: Iterable[tuple[Money, object]],
    to: str,
    *,
    rates: RateTable,
    policy: RatePolicy = NARROWEST,
) -> ConversionBatch:
    """Convert many ``(money, value date)`` pairs into currency *to* in one pass.

    Each amount gets exactly what :func:`convert` would give it. The rates that serve
    one (currency, date) are looked up once per batch, so this is the fast way to
    convert a column of amounts.

    >>> table = RateTable([
    ...     Rate("EUR", "USD", "1.1223", Period.day("2021-11-25"), "ECB"),
    ...     Rate("EUR", "KRW", "1337.04", Period.day("2021-11-25"), "ECB"),
    ... ])
    >>> batch = convert_batch(
    ...     [(Money("804.8e9", "KRW"), "2021-11-25"), (Money(250_000, "EUR"), "2021-11-25")],
    ...     "USD",
    ...     rates=table,
    ... )
    >>> batch.rounded_amounts()
    (Decimal('675542272.48'), Decimal('280575.00'))
    >>> batch.total(), len(batch.rates)
    (Money('675822847.48', 'USD'), 2)

    Raises:
        ValidationError: an item is not a ``(Money, date)`` pair; the error names its index.
        MissingRateError: no rate serves an item's currency on its date.

    .. versionadded:: 0.1.0
    """
    if not isinstance(rates, RateTable):
        raise ValidationError("convert_batch.rates", rates, "a RateTable")
    if not isinstance(policy, RatePolicy):
        raise ValidationError("convert_batch.policy", policy, "a RatePolicy")
    target = normalize_currency(to, "convert_batch.to")
    sources: list[Money] = []
    amounts: list[Decimal] = []
    used: list[_Answer] = []  # the answer that served each item
    answers: dict[tuple[str, object], _Answer] = {}  # (currency, date as given) -> answer
    add_source, add_amount, add_used = sources.append, amounts.append, used.append
    with decimal.localcontext(CONVERSION):  # operators below round as scale() does
        for item in iterable(items, "convert_batch.items"):
            # The item's index is len(sources) throughout.
            money, on = (
                item if type(item) is tuple and len(item) == 2 else _pair(item, len(sources))
            )
            if type(money) is not Money and not isinstance(money, Money):
                raise ValidationError(f"convert_batch.items[{len(sources)}][0]", money, "Money")
            try:
                answer = answers[money.currency, on]
            except (KeyError, TypeError):  # TypeError: an unhashable date, judged by _resolve
                answer = rates._resolve(  # noqa: SLF001
                    money.currency, target, on, policy, f"convert_batch.items[{len(sources)}]."
                )
                answers[money.currency, on] = answer
            amount = money.amount
            if answer[1] is not ONE:
                amount = amount * answer[1]
            if answer[2] is not ONE:
                amount = amount / answer[2]
            add_source(money)
            add_amount(amount)
            add_used(answer)
    return _batch(
        target,
        policy,
        sources=tuple(sources),
        amounts=tuple(amounts),
        on=tuple(map(operator.itemgetter(3), used)),
        legs=tuple(map(operator.itemgetter(0), used)),
    )


def _batch(
    currency: str,
    policy: RatePolicy,
    *,
    sources: tuple[Money, ...],
    amounts: tuple[Decimal, ...],
    on: tuple[pendulum.Date, ...],
    legs: tuple[tuple[Leg, ...], ...],
) -> ConversionBatch:
    """A batch from fields already built and checked, skipping the validators."""
    batch = object.__new__(ConversionBatch)
    for name, value in (
        ("currency", currency),
        ("policy", policy),
        ("sources", sources),
        ("amounts", amounts),
        ("on", on),
        ("legs", legs),
    ):
        object.__setattr__(batch, name, value)
    return batch
