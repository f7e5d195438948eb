"""Exact conversion that says which rates it used, one amount or a column of them.

:func:`convert` returns a :class:`Conversion` that carries the result and every rate it
used; :func:`convert_batch` converts many ``(money, value date)`` pairs into one
currency in one pass and returns a :class:`ConversionBatch`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import operator
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import repeat
from typing import TYPE_CHECKING, Final, cast, overload

import attrs
import pendulum

from citycoop._core.currencies import normalize_currency
from citycoop._core.decimals import CONVERSION
from citycoop._core.errors import ValidationError
from citycoop._core.html import html_table
from citycoop._core.money import Money, minor_step, quantize_minor, round_to_minor, trusted_money
from citycoop._core.time import to_date
from citycoop._core.validation import Arguments, instance_of, items, iterable, name_fields, where
from citycoop._fx.rates import DEFAULT_POLICY, ONE, Leg, Rate, RatePolicy, assumptions_of, scale
from citycoop._fx.table import Answer, RateTable

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["Conversion", "ConversionBatch", "convert", "convert_batch"]

CONVERT: Final = Arguments("convert")
CONVERT_BATCH: Final = Arguments("convert_batch")


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

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What the conversion assumes (a planning rate for a date no rate covers yet)."""
        return assumptions_of(self.legs)

    def rounded(self, rounding: str = ROUND_HALF_EVEN) -> Money:
        """The result rounded once to the target currency's minor unit."""
        field = where(self, attrs.fields(type(self)).currency)
        return round_to_minor(self.amount, self.currency, rounding, field)

    def _repr_html_(self) -> str:
        """A small table for Jupyter: from, to, the date, the path and each rate."""
        rows: list[tuple[str, str]] = [
            ("from", f"{self.source.currency} {self.source.amount:,f}"),
            ("to", f"{self.currency} {self.rounded().amount:,f} (exact {self.amount:,f})"),
            ("on", str(self.on)),
            ("path", " -> ".join(self.path)),
            *(("rate", str(leg)) for leg in self.legs),
        ]
        return html_table(["", ""], rows)

    def describe(self) -> str:
        """One line saying what was converted with which rates."""
        used = "; ".join(map(str, self.legs))
        return f"{self.source} -> {self.currency} {self.amount:f} on {self.on} via {'->'.join(self.path)}: {used or 'same currency'}"


def convert(
    money: Money,
    to: str,
    *,
    on: object,
    rates: RateTable,
    policy: RatePolicy = DEFAULT_POLICY,
) -> Conversion:
    """Convert *money* into currency *to* with the rates that serve date *on*.

    >>> from citycoop import Money, Period, Rate, RateTable, convert
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
        raise ValidationError(CONVERT("money"), money, "Money")
    if not isinstance(rates, RateTable):
        raise ValidationError(CONVERT("rates"), rates, "a RateTable")
    # Checks `to`, `on` and `policy` the first time this question is asked of the table.
    legs, numerator, denominator, day, target = rates.resolve(
        money.currency, to, on, policy, CONVERT.prefix
    )
    return Conversion(money, target, scale(money.amount, numerator, denominator), day, legs, policy)


def _currency(value: str, field: str = "") -> str:
    return normalize_currency(value, field)


def _days(value: Iterable[dt.date | str], field: str = "") -> tuple[pendulum.Date, ...]:
    return tuple(
        to_date(day, f"{field}[{index}]") for index, day in enumerate(iterable(value, field))
    )


def _sources(value: Iterable[Money], field: str = "") -> tuple[Money, ...]:
    return items(value, Money, "Money", field)


def _amounts(value: Iterable[Decimal], field: str = "") -> tuple[Decimal, ...]:
    return items(value, Decimal, "a Decimal", field)


def _chains(value: Iterable[Iterable[Leg]], field: str = "") -> tuple[tuple[Leg, ...], ...]:
    return tuple(
        items(chain, Leg, "a Leg", f"{field}[{index}]")
        for index, chain in enumerate(iterable(value, field))
    )


@attrs.frozen(repr=False, field_transformer=name_fields)
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

    currency: str = attrs.field(converter=_currency)
    policy: RatePolicy = attrs.field(validator=instance_of(RatePolicy, "a RatePolicy"))
    sources: tuple[Money, ...] = attrs.field(converter=_sources)
    amounts: tuple[Decimal, ...] = attrs.field(converter=_amounts)
    on: tuple[pendulum.Date, ...] = attrs.field(converter=_days)
    legs: tuple[tuple[Leg, ...], ...] = attrs.field(converter=_chains)

    def __attrs_post_init__(self) -> None:
        sizes = {len(self.sources), len(self.amounts), len(self.on), len(self.legs)}
        if len(sizes) > 1:
            raise ValidationError(
                type(self).__name__,
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

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What the conversions assume (planning rates), once each, in order of first use."""
        return assumptions_of(leg for chain in self.legs for leg in chain)

    def _repr_html_(self, rows: int = 20) -> str:
        """A table of the first *rows* amounts, for Jupyter."""
        head = ["amount", "on", "path", f"converted ({self.currency})"]
        body = [
            (
                f"{record['currency']} {record['amount']:,f}",
                record["on"],
                record["path"],
                f"{record[f'converted_{self.currency}']:,f}",
            )
            for record in self[:rows].to_records()
        ]
        return html_table(head, body, more=max(0, len(self) - rows))

    def rounded_amounts(self, rounding: str = ROUND_HALF_EVEN) -> tuple[Decimal, ...]:
        """Each converted amount rounded once to the minor unit of :attr:`currency`.

        The column form of :meth:`rounded`, for tables and data frames.
        """
        step, bounded = minor_step(
            self.currency, rounding, where(self, attrs.fields(ConversionBatch).currency)
        )
        try:  # one C-level pass; the context refuses results beyond Money's bounds
            return tuple(
                map(Decimal.quantize, self.amounts, repeat(step), repeat(rounding), repeat(bounded))
            )
        except decimal.InvalidOperation:  # find the amount and name it
            for index, amount in enumerate(self.amounts):
                quantize_minor(
                    amount,
                    (step, bounded),
                    rounding,
                    f"{where(self, attrs.fields(ConversionBatch).amounts)}[{index}]",
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
                "rates": "; ".join(map(str, legs)),
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
        return round_to_minor(
            exact, self.currency, rounding, where(self, attrs.fields(ConversionBatch).currency)
        )


def _pair(item: object, position: int) -> tuple[object, object]:
    """A ``(money, date)`` item given as another two-item sequence, or a named error."""
    if isinstance(item, tuple | list):
        pair: tuple[object, ...] | list[object] = item  # pyright: ignore[reportUnknownVariableType]
        if len(pair) == 2:
            return pair[0], pair[1]
    raise ValidationError(CONVERT_BATCH("items", position), item, "a (Money, date) pair")


def convert_batch(
    items: Iterable[tuple[Money, object]],
    to: str,
    *,
    rates: RateTable,
    policy: RatePolicy = DEFAULT_POLICY,
) -> ConversionBatch:
    """Convert many ``(money, value date)`` pairs into currency *to* in one pass.

    Each amount gets exactly what :func:`convert` would give it. The rates that serve
    one (currency, date) are looked up once per batch, so this is the fast way to
    convert a column of amounts.

    >>> from citycoop import Money, Period, Rate, RateTable, convert_batch
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
        raise ValidationError(CONVERT_BATCH("rates"), rates, "a RateTable")
    if not isinstance(policy, RatePolicy):
        raise ValidationError(CONVERT_BATCH("policy"), policy, "a RatePolicy")
    target = normalize_currency(to, CONVERT_BATCH("to"))
    sources: list[Money] = []
    amounts: list[Decimal] = []
    used: list[Answer] = []  # the answer that served each item
    answers: dict[tuple[str, object], Answer] = {}  # (currency, date as given) -> answer
    add_source, add_amount, add_used = sources.append, amounts.append, used.append
    # Items are checked one by one below; the cast only tells the checker what they should be.
    given = cast("Iterator[tuple[Money, object]]", iterable(items, CONVERT_BATCH("items")))
    with decimal.localcontext(CONVERSION):  # operators below round as scale() does
        for item in given:
            # The item's index is len(sources) throughout.
            money, on = (
                item if type(item) is tuple and len(item) == 2 else _pair(item, len(sources))
            )
            if type(money) is not Money and not isinstance(money, Money):
                raise ValidationError(CONVERT_BATCH("items", len(sources), 0), money, "Money")
            try:
                answer = answers[money.currency, on]
            except (KeyError, TypeError):  # TypeError: an unhashable date, judged by resolve
                answer = rates.resolve(
                    money.currency, target, on, policy, CONVERT_BATCH.within("items", len(sources))
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
