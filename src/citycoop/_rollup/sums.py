"""What one rollup call accumulates: a group's running sums, a measure's, the rate buckets.

These are the engine's working parts, shared by the object path (``engine``), the columnar
path (``citycoop.columnar``) and the frozen result (``result``): an :class:`Accumulator`
per group while items are read, frozen into :class:`FrozenSums` that a
:class:`~citycoop.Rollup` keeps, and one :class:`Bucket` per currency and chain of rates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Final, NamedTuple

import attrs

from citycoop._core.errors import ValidationError
from citycoop._fx.rates import Leg
from citycoop._prices.deflate import (
    PriceFactor,
)
from citycoop._rollup.keys import ROLLUP

ZERO: Final = Decimal(0)


class Accumulator:
    """Mutable accumulator of one group, private to one rollup call."""

    __slots__ = ("cities", "count", "measured", "parts", "unvalued")

    def __init__(self) -> None:
        self.count = 0
        self.unvalued = 0
        self.cities: set[Any] = set()
        # bucket number (currency and the rates that serve it) -> exact sum
        self.parts: dict[int, Decimal] = {}
        # One MeasureSum per measure, once the rollup measures anything.
        self.measured: list[MeasureSum] | None = None

    def add(self, other: Accumulator | FrozenSums) -> None:
        """Add another group's sums to these: counts, places, amounts per bucket, measures.

        The one way sums are added, whether the other group is still being read (a loop
        key merged into its group key) or frozen (rows merged into a subtotal).
        """
        sums = other.freeze() if isinstance(other, Accumulator) else other
        self.count += sums.count
        self.unvalued += sums.unvalued
        self.cities |= sums.cities
        parts = self.parts
        for part, amount in sums.parts:
            parts[part] = parts.get(part, ZERO) + amount
        if sums.measured:
            if self.measured is None:
                self.measured = [MeasureSum() for _ in sums.measured]
            for mine, theirs in zip(self.measured, sums.measured, strict=True):
                mine.add_summed(theirs)

    def freeze(self, renumber: list[int] | None = None) -> FrozenSums:
        """The frozen sums, their parts in bucket order (numbers mapped by *renumber* first)."""
        measured = () if self.measured is None else tuple(m.freeze() for m in self.measured)
        items = self.parts.items()
        parts = sorted(items) if renumber is None else sorted([(renumber[n], a) for n, a in items])
        return FrozenSums(self.count, self.unvalued, frozenset(self.cities), tuple(parts), measured)


#: A measure's frozen sum: (exact sum or None, pint unit name or None, unknown count).
SummedMeasure = tuple[Decimal | int | None, str | None, int]


class MeasureSum:
    """The exact running sum of one measure: whole numbers and Decimals, or quantities.

    A quantity's magnitude is summed as a Decimal (a float's shortest repr is exact), in
    the one unit every value of the measure must share.
    """

    __slots__ = ("number", "unit", "unknown")

    def __init__(self) -> None:
        self.number: Decimal | int | None = None
        self.unit: str | None = None
        self.unknown = 0

    def add(self, value: Any, where: str) -> None:
        if value is None:
            self.unknown += 1
            return
        units = getattr(value, "units", None)
        if units is not None and hasattr(value, "magnitude"):
            unit: str | None = str(units)
            number: Decimal | int = Decimal(str(value.magnitude))
        elif isinstance(value, int | Decimal) and not isinstance(value, bool):
            unit, number = None, value
        else:
            raise ValidationError(
                where, value, "a whole number, a Decimal, a pint quantity or None (unknown)"
            )
        self._add_number(number, unit, where, value)

    def _add_number(
        self, number: Decimal | int, unit: str | None, where: str, shown: object
    ) -> None:
        if self.number is None:
            self.number, self.unit = number, unit
            return
        if unit != self.unit:
            expected = "a plain number" if self.unit is None else f"a quantity in {self.unit}"
            raise ValidationError(where, shown, f"{expected}, as the measure's other values")
        self.number = self.number + number

    def add_summed(self, other: SummedMeasure) -> None:
        """Add another frozen sum of the same measure."""
        number, unit, unknown = other
        self.unknown += unknown
        if number is not None:
            self._add_number(number, unit, ROLLUP("measures"), number if unit is None else unit)

    def freeze(self) -> SummedMeasure:
        return (self.number, self.unit, self.unknown)


@attrs.frozen
class FrozenSums:
    """The frozen sums of one group, as a :class:`Rollup` keeps them."""

    count: int
    unvalued: int
    cities: frozenset[Any]
    #: (bucket number, exact sum) pairs, by bucket number: a result numbers its buckets
    #: in their stable order (``Bucket.order``), so the parts come in that order.
    parts: tuple[tuple[int, Decimal], ...]
    #: One frozen sum per measure (empty when the rollup measures nothing).
    measured: tuple[SummedMeasure, ...] = ()


class Bucket(NamedTuple):
    """Amounts of one currency that one chain of rates converts, or that none serves.

    ``legs`` is ``None`` where no rate serves them; ``day`` is then their value date.
    """

    currency: str
    legs: tuple[Leg, ...] | None
    day: dt.date | None
    numerator: Decimal
    denominator: Decimal
    #: The factor into constant prices, or why there is none (``None`` without prices).
    constant: PriceFactor | str | None = None

    @property
    def order(self) -> tuple[object, ...]:
        """A stable place among the buckets, whatever order the items came in."""
        legs = self.legs
        if legs is None:
            return (self.currency, 1, self.day or dt.date.min)
        if len(legs) == 1:  # the common case, without a generator
            rate = legs[0].rate
            return (self.currency, 0, (rate.period.start, rate.base, rate.quote))
        return (
            self.currency,
            0,
            *[(leg.rate.period.start, leg.rate.base, leg.rate.quote) for leg in legs],
        )
