"""The rollup engine and its results: pure, exact and streaming.

:func:`rollup` groups items (policy exports, or anything with the same attributes)
by keys (see ``_grouping``), counts them, sums their values exactly per original
currency and, when asked, converts each (group, currency, rate) subtotal once and rounds
each total once. The :class:`Rollup` it returns is a value: it holds no part of the
engine, and :meth:`Rollup.level` is a pure function of it.

Nothing here reads a clock, touches a file or changes a global.
"""

from __future__ import annotations

import datetime as dt
import decimal
import operator
from collections.abc import Mapping  # resolved at run time: typing.get_type_hints(Rollup)
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple

import attrs

from citycoop._core.decimals import EXACT
from citycoop._core.errors import MissingPriceError, MissingRateError, ValidationError
from citycoop._core.html import html_table
from citycoop._core.money import (
    Money,
    currency_info,
    currency_totals,
    normalize_currency,
    round_to_minor,
)
from citycoop._core.places import Country, Region
from citycoop._core.time import to_date
from citycoop._core.units import quantity  # pyright: ignore[reportUnknownVariableType]
from citycoop._core.validation import iterable
from citycoop._domain.exports import PolicyExport
from citycoop._fx.rates import CONVERSION, NARROWEST, Leg, RatePolicy, scale
from citycoop._fx.table import RateTable
from citycoop._prices.deflate import (
    ConstantPrices,
    Method,
    PriceFactor,
    constant_factor,
    constant_prices,
)
from citycoop._prices.values import IndexValue
from citycoop._rollup.keys import (
    By,
    Keys,
    Split,
    compile_keys,
    expand,
    is_split,
    place_getter,
    plain,
    sort_key,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from citycoop._prices.index import PriceIndex


__all__ = ["Conflict", "Group", "Measure", "Rollup", "Unconverted", "rollup"]

#: How many recipient objects a rollup remembers by identity before it starts afresh.
_SEEN_LIMIT: Final = 1 << 16
_ZERO: Final = Decimal(0)


@attrs.frozen
class Measure:
    """The exact sum of one measured attribute over a group's items (see ``measures``).

    Attributes:
        name: The attribute summed, such as ``"participants"``.
        total: The sum of the known values (an int, a Decimal or a pint quantity), or
            ``None`` when no item of the group knows it.
        unknown: Items of the group whose value was ``None``: left out, never taken as 0.

    .. versionadded:: 0.1.0
    """

    name: str
    total: Any
    unknown: int


@attrs.frozen
class Group:
    """One row of a rollup.

    Attributes:
        key: The group's key values, one per ``by`` key (``()`` for the grand total).
        count: Items in the group (an item split over several groups counts in each).
        unvalued: Items whose value is unknown; counted, never summed as zero.
        cities: Distinct recipient cities (a recipient known only by its country is
            none).
        countries: Distinct recipient countries, of cities and of countries alike.
        totals: Exact totals per original currency, sorted by currency code.
        converted: The converted total rounded once to the minor unit, or ``None``.
        converted_exact: The converted total before that rounding.
        complete: ``False`` when a missing rate left a subtotal out of ``converted``.
        measures: One :class:`Measure` per name in the rollup's ``measures``, in order.
        constant: The total at the base year's prices (with ``prices``), rounded once.
        constant_exact: The same before rounding.
        constant_complete: ``False`` when a missing index value or rate left a
            subtotal out of ``constant``.

    .. versionadded:: 0.1.0
    """

    key: tuple[object, ...]
    count: int
    unvalued: int
    cities: int
    countries: int
    totals: tuple[Money, ...]
    converted: Money | None = None
    converted_exact: Decimal | None = None
    complete: bool = True
    measures: tuple[Measure, ...] = ()
    constant: Money | None = None
    constant_exact: Decimal | None = None
    constant_complete: bool = True

    def total(self, currency: str) -> Money:
        """The exact total in one original currency (zero if the group has none)."""
        code = normalize_currency(currency)
        return next((m for m in self.totals if m.currency == code), Money.zero(code))

    def measure(self, name: str) -> Any:
        """The sum of measure *name* over the group (``None`` if no item knows it)."""
        for measure in self.measures:
            if measure.name == name:
                return measure.total
        raise ValidationError(
            "Group.measure.name", name, f"one of {[m.name for m in self.measures]}"
        )


@attrs.frozen
class Unconverted:
    """A subtotal left out of a converted total because no rate served it.

    .. versionadded:: 0.1.0
    """

    key: tuple[object, ...]
    amount: Money
    on: dt.date
    reason: str


@attrs.frozen
class Conflict:
    """A parent item whose own value disagrees with the sum of its children's values.

    .. versionadded:: 0.1.0
    """

    parent: str
    parent_value: Money
    children_value: tuple[Money, ...]


class _Acc:
    """Mutable accumulator of one group, private to one rollup call."""

    __slots__ = ("cities", "count", "measured", "parts", "unvalued")

    def __init__(self) -> None:
        self.count = 0
        self.unvalued = 0
        self.cities: set[Any] = set()
        # bucket number (currency and the rates that serve it) -> exact sum
        self.parts: dict[int, Decimal] = {}
        # One _Sum per measure, once the rollup measures anything.
        self.measured: list[_Sum] | None = None

    def add(self, cell: _Cell) -> None:
        self.count += cell.count
        self.unvalued += cell.unvalued
        self.cities |= cell.cities
        parts = self.parts
        for part, amount in cell.parts:
            parts[part] = parts.get(part, _ZERO) + amount
        if cell.measured:
            if self.measured is None:
                self.measured = [_Sum() for _ in cell.measured]
            for mine, theirs in zip(self.measured, cell.measured, strict=True):
                mine.merge(theirs)

    def absorb(self, other: _Acc) -> None:
        """Add another accumulator's sums to this one (their cities are added apart)."""
        self.count += other.count
        self.unvalued += other.unvalued
        parts = self.parts
        for part, amount in other.parts.items():
            parts[part] = parts.get(part, _ZERO) + amount
        if other.measured is not None:
            if self.measured is None:
                self.measured = [_Sum() for _ in other.measured]
            for mine, theirs in zip(self.measured, other.measured, strict=True):
                mine.merge(theirs.freeze())

    def freeze(self) -> _Cell:
        measured = () if self.measured is None else tuple(m.freeze() for m in self.measured)
        return _Cell(
            self.count, self.unvalued, frozenset(self.cities), tuple(self.parts.items()), measured
        )


#: A measure's frozen sum: (exact sum or None, pint unit name or None, unknown count).
_Summed = tuple[Decimal | int | None, str | None, int]


class _Sum:
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
        self.join(number, unit, where, value)

    def join(self, number: Decimal | int, unit: str | None, where: str, shown: object) -> None:
        if self.number is None:
            self.number, self.unit = number, unit
            return
        if unit != self.unit:
            expected = "a plain number" if self.unit is None else f"a quantity in {self.unit}"
            raise ValidationError(where, shown, f"{expected}, as the measure's other values")
        self.number = self.number + number

    def merge(self, other: _Summed) -> None:
        number, unit, unknown = other
        self.unknown += unknown
        if number is not None:
            self.join(number, unit, "rollup.measures", number if unit is None else unit)

    def freeze(self) -> _Summed:
        return (self.number, self.unit, self.unknown)


def _measure(name: str, summed: _Summed) -> Measure:
    number, unit, unknown = summed
    total: Any = number
    if unit is not None and number is not None:
        total = quantity(Decimal(number), unit)  # pyright: ignore[reportUnknownVariableType]
    return Measure(name, total, unknown)


@attrs.frozen
class _Cell:
    """The frozen sums of one group, as a :class:`Rollup` keeps them."""

    count: int
    unvalued: int
    cities: frozenset[Any]
    #: (bucket number, exact sum) pairs.
    parts: tuple[tuple[int, Decimal], ...]
    #: One frozen sum per measure (empty when the rollup measures nothing).
    measured: tuple[_Summed, ...] = ()


class _Bucket(NamedTuple):
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
    #: A stable place among the buckets, whatever order the items came in.
    rank: int = 0

    @property
    def order(self) -> tuple[object, ...]:
        if self.legs is None:
            return (self.currency, 1, self.day or dt.date.min)
        return (
            self.currency,
            0,
            *((leg.rate.period.start, leg.rate.base, leg.rate.quote) for leg in self.legs),
        )


@attrs.frozen(eq=False)
class Rollup:
    """The result of :func:`rollup`: rows, a grand total, and the rates used.

    Iterating yields the finest-level :class:`Group` rows in key order (``None`` keys
    last). :meth:`level` gives subtotals by a prefix of the keys; :attr:`total` is the
    grand total.

    Attributes:
        by: The key names, in order.
        currency: The currency totals were converted into, or ``None``.
        rows: The groups, in key order.
        total: The grand total (a split item counts once).
        legs: Every rate a converted total used, in first-use order.
        unconverted: The subtotals no rate served (with ``missing="omit"``).
        conflicts: Parents whose own value disagrees with their children's.
        measures: The measured attributes, in the order of each group's
            :attr:`Group.measures`.
        constant_prices: The index, base year and method of :attr:`Group.constant`
            (``None`` without ``prices``).
        index_values: Every index value the constant totals used, in first-use order.
        undeflated: The subtotals left out of a constant total (a missing index value
            or rate, with ``missing="omit"``).

    .. versionadded:: 0.1.0
    """

    by: tuple[str, ...]
    currency: str | None
    rows: tuple[Group, ...]
    total: Group
    legs: tuple[Leg, ...]
    unconverted: tuple[Unconverted, ...]
    conflicts: tuple[Conflict, ...]
    measures: tuple[str, ...]
    constant_prices: ConstantPrices | None
    index_values: tuple[IndexValue, ...]
    undeflated: tuple[Unconverted, ...]
    # What levels are computed from, all immutable: each row's sums, the extra counts a
    # split item left above the rows, and the rate buckets with their stable rank.
    _cells: Mapping[tuple[object, ...], _Cell] = attrs.field(repr=False)
    _overcount: Mapping[int, Mapping[tuple[object, ...], tuple[int, int]]] = attrs.field(repr=False)
    _buckets: tuple[_Bucket, ...] = attrs.field(repr=False)

    def __iter__(self) -> Iterator[Group]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def level(self, depth: int) -> Rollup:
        """The same rollup grouped by the first *depth* keys only: subtotals.

        A pure function of this result: its rows are the subtotals, its
        :attr:`unconverted` lists the subtotals of that level that no rate served, and
        its :attr:`legs` the rates that level used. ``level(0)`` has the grand total as
        its one row; ``level(len(by))`` is this rollup. A split item counts once in
        each subtotal, as in :attr:`total`.

        .. versionchanged:: 0.1.0
           Returns a :class:`Rollup`, not a tuple of groups.
        """
        if type(depth) is not int or not 0 <= depth <= len(self.by):
            raise ValidationError(
                "Rollup.level.depth", depth, f"a whole number from 0 to {len(self.by)}"
            )
        if depth == len(self.by):
            return self
        cells = _merge(self._cells, depth, self._overcount)
        # The counts above the new rows are corrected for what the rows already took out.
        deeper = self._overcount.get(depth, {})
        overcount: dict[int, dict[tuple[object, ...], tuple[int, int]]] = {}
        for level, table in self._overcount.items():
            if level >= depth:
                continue
            adjusted = dict(table)
            for prefix, (count, blank) in deeper.items():
                above, above_blank = adjusted.get(prefix[:level], (0, 0))
                adjusted[prefix[:level]] = (above - count, above_blank - blank)
            overcount[level] = adjusted
        return _result(
            self.by[:depth],
            self.currency,
            cells,
            overcount,
            self._buckets,
            conflicts=self.conflicts,
            measures=self.measures,
            constant=self.constant_prices,
        )

    def to_records(self) -> list[dict[str, object]]:
        """Plain Python rows for notebooks and other tools (amounts stay Decimals).

        A country or region key gives its code and, in a ``<key>_name`` column, its
        English name (CLDR for countries, UN M49 for regions). With constant prices,
        ``constant_<currency>`` and ``constant_complete`` follow the converted total.
        Each measure gives its
        total (a number or a pint quantity, ``None`` if unknown) and, in a
        ``<measure>_unknown`` column, how many items did not know it.

        >>> import citycoop
        >>> row = citycoop.rollup(citycoop.datasets.seoul().exports, by="region").to_records()[1]
        >>> row["region"], row["region_name"], row["count"]
        ('009', 'Oceania', 2)
        """
        records: list[dict[str, object]] = []
        # A key that names a region or a country in any row has a name column in every row.
        named = [
            any(isinstance(group.key[index], Region | Country) for group in self.rows)
            for index in range(len(self.by))
        ]
        for group in self.rows:
            record: dict[str, object] = {}
            for name, value, with_name in zip(self.by, group.key, named, strict=True):
                record[name] = plain(value)
                if with_name:
                    record[f"{name}_name"] = _name(value)
            record.update(
                count=group.count,
                unvalued=group.unvalued,
                cities=group.cities,
                countries=group.countries,
            )
            for measure in group.measures:
                record[measure.name] = measure.total
                record[f"{measure.name}_unknown"] = measure.unknown
            for money in group.totals:
                record[f"total_{money.currency}"] = money.amount
            if self.currency is not None:
                record[f"converted_{self.currency}"] = (
                    None if group.converted is None else group.converted.amount
                )
                record["complete"] = group.complete
            if self.constant_prices is not None:
                record[f"constant_{self.currency}"] = (
                    None if group.constant is None else group.constant.amount
                )
                record["constant_complete"] = group.constant_complete
            records.append(record)
        return records

    def __repr__(self) -> str:
        lines = [f"<Rollup by {', '.join(self.by) or '(nothing)'}: {len(self.rows)} rows"]
        lines.extend("  " + _row_text(self.by, group) for group in self.rows[:20])
        if len(self.rows) > 20:
            lines.append(f"  ... {len(self.rows) - 20} more")
        lines.append("  total: " + _row_text((), self.total) + ">")
        return "\n".join(lines)

    def _repr_html_(self, rows: int = 50) -> str:
        """A table of the first *rows* groups and the total, for Jupyter.

        Amounts have grouped digits; a region or country key shows its name beside its
        code (``009 Oceania``).
        """
        head = [*self.by, "count", "unvalued", "cities", "countries", *self.measures, "totals"]
        if self.currency is not None:
            head.append(f"total ({self.currency})")
        if self.constant_prices is not None:
            head.append(f"{self.currency} at {self.constant_prices.base_year} prices")

        def cells(group: Group) -> list[object]:
            key = group.key or ("Total", *([""] * (len(self.by) - 1)))
            values: list[object] = [
                *(_shown(k) for k in key),
                group.count,
                group.unvalued,
                group.cities,
                group.countries,
                *(_measure_text(m) for m in group.measures),
                "; ".join(format(m, ",f") for m in group.totals),
            ]
            if self.currency is not None:
                converted = group.converted
                values.append(
                    ""
                    if converted is None
                    else f"{converted:,f}{'' if group.complete else ' (incomplete)'}"
                )
            if self.constant_prices is not None:
                constant = group.constant
                values.append(
                    ""
                    if constant is None
                    else f"{constant:,f}{'' if group.constant_complete else ' (incomplete)'}"
                )
            return values

        return html_table(
            head,
            [cells(group) for group in self.rows[:rows]],
            more=max(0, len(self.rows) - rows),
            last=cells(self.total),
        )


def _name(value: object) -> str | None:
    """The English name of a region or a country key (``None`` for an unknown one)."""
    if isinstance(value, Region):
        return value.name
    if isinstance(value, Country):
        return value.name("en")
    return None


def _shown(value: object) -> object:
    """A key value for a table: a region's or country's code with its English name."""
    name = _name(value)
    return plain(value) if name is None else f"{plain(value)} {name}"


def _row_text(by: Sequence[str], group: Group) -> str:
    key = ", ".join(f"{name}={plain(value)}" for name, value in zip(by, group.key, strict=True))
    totals = "; ".join(str(m) for m in group.totals) or "no values"
    converted = "" if group.converted is None else f" = {group.converted}"
    if group.constant is not None:
        converted += f" ({group.constant} at constant prices)"
    items = f"{group.count} item{'' if group.count == 1 else 's'}"
    measured = "".join(f", {m.name} {_measure_text(m)}" for m in group.measures)
    return (
        f"{key + ': ' if key else ''}{items} ({group.unvalued} unvalued){measured}, "
        f"{totals}{converted}"
    )


def _measure_text(measure: Measure) -> str:
    """A measure's total with its unit, and how many items did not know it."""
    total = measure.total
    if total is None:
        text = "unknown"
    elif hasattr(total, "units"):
        text = f"{total.magnitude:,} {total.units}"
    else:
        text = f"{total:,}"
    return text if not measure.unknown else f"{text} ({measure.unknown} unknown)"


def _merge(
    cells: Mapping[tuple[object, ...], _Cell],
    depth: int,
    overcount: Mapping[int, Mapping[tuple[object, ...], tuple[int, int]]],
) -> dict[tuple[object, ...], _Cell]:
    """Subtotals by the first *depth* key values; a split item counts once in each."""
    merged: dict[tuple[object, ...], _Acc] = {}
    for key, cell in cells.items():
        target = merged.get(key[:depth])
        if target is None:
            target = merged[key[:depth]] = _Acc()
        target.add(cell)
    for prefix, (count, unvalued) in overcount.get(depth, {}).items():
        merged[prefix].count -= count
        merged[prefix].unvalued -= unvalued
    return {key: acc.freeze() for key, acc in merged.items()}


def _total(
    key: tuple[object, ...],
    cell: _Cell,
    buckets: Sequence[_Bucket],
    pick: Callable[[_Bucket], tuple[Decimal, Decimal, tuple[object, ...]] | str],
    *,
    left_out: list[Unconverted],
    notes: dict[object, None],
    used: set[int],
) -> tuple[Decimal | None, bool]:
    """A group's subtotals times each bucket's factor (*pick*), one division per bucket.

    *pick* gives a bucket's numerator, denominator and notes (the rates and index values
    it uses, listed once each in *notes*), or why it has none: then the subtotal is
    appended to *left_out*, and the total is incomplete.
    """
    total = _ZERO
    complete = True
    any_part = False
    # Sorted by bucket rank, so that the 50-digit sum does not depend on item order.
    for number, amount in sorted(cell.parts, key=lambda part: buckets[part[0]].rank):
        bucket = buckets[number]
        picked = pick(bucket)
        if isinstance(picked, str):
            complete = False
            assert bucket.day is not None
            left_out.append(Unconverted(key, Money(amount, bucket.currency), bucket.day, picked))
            continue
        numerator, denominator, used_notes = picked
        if number not in used:  # each bucket's notes are listed once, in first-use order
            used.add(number)
            for note in used_notes:
                notes.setdefault(note)
        total = CONVERSION.add(total, scale(amount, numerator, denominator))
        any_part = True
    # Nothing converted is no total at all, never zero.
    return (total if any_part else None), complete


@attrs.frozen
class _Totals:
    """What the groups of one result gather as they are totalled: gaps and provenance."""

    target: str | None
    constant: ConstantPrices | None
    unconverted: list[Unconverted] = attrs.field(factory=list)
    undeflated: list[Unconverted] = attrs.field(factory=list)
    notes: dict[object, None] = attrs.field(factory=dict)  # legs and index values used
    converted_used: set[int] = attrs.field(factory=set)
    constant_used: set[int] = attrs.field(factory=set)

    def current(self, bucket: _Bucket) -> tuple[Decimal, Decimal, tuple[object, ...]] | str:
        if bucket.legs is None:
            return f"no {bucket.currency}->{self.target} rate"
        return bucket.numerator, bucket.denominator, bucket.legs

    @staticmethod
    def at_constant_prices(bucket: _Bucket) -> tuple[Decimal, Decimal, tuple[object, ...]] | str:
        factor = bucket.constant
        assert factor is not None
        return factor if isinstance(factor, str) else tuple(factor)  # type: ignore[return-value]


def _groups(
    cells: Mapping[tuple[object, ...], _Cell],
    buckets: Sequence[_Bucket],
    totals: _Totals,
    *,
    measures: tuple[str, ...],
) -> tuple[Group, ...]:
    groups: list[Group] = []
    currency = totals.target
    for key in sorted(cells, key=sort_key):
        cell = cells[key]
        # A group with no valued item has no total: unknown is not zero.
        exact, complete, constant_exact, constant_complete = None, True, None, True
        if currency is not None and cell.parts:
            exact, complete = _total(
                key,
                cell,
                buckets,
                totals.current,
                left_out=totals.unconverted,
                notes=totals.notes,
                used=totals.converted_used,
            )
            if totals.constant is not None:
                constant_exact, constant_complete = _total(
                    key,
                    cell,
                    buckets,
                    totals.at_constant_prices,
                    left_out=totals.undeflated,
                    notes=totals.notes,
                    used=totals.constant_used,
                )
        groups.append(
            Group(
                key,
                cell.count,
                cell.unvalued,
                *_place_counts(cell.cities),
                currency_totals((buckets[n].currency, amount) for n, amount in cell.parts),
                _rounded(exact, currency),
                exact,
                complete,
                tuple(
                    _measure(name, summed)
                    for name, summed in zip(
                        measures, cell.measured or [(None, None, 0)] * len(measures), strict=True
                    )
                ),
                _rounded(constant_exact, currency),
                constant_exact,
                constant_complete,
            )
        )
    return tuple(groups)


def _place_counts(recipients: frozenset[Any]) -> tuple[int, int]:
    """Distinct cities and countries among a group's recipients.

    A recipient is a city, a country (only the country known), ``None``, or a
    :class:`Split` over several of these (an item the keys did not split by place).
    """
    places: set[Any] = set()
    for recipient in recipients:
        if recipient.__class__ is Split:
            places.update(place for place, _ in recipient.parts)
        else:
            places.add(recipient)
    places.discard(None)
    countries = {place if place.__class__ is Country else place.country for place in places}
    return sum(1 for place in places if place.__class__ is not Country), len(countries)


def _rounded(exact: Decimal | None, currency: str | None) -> Money | None:
    if exact is None or currency is None:
        return None
    return round_to_minor(exact, currency, field="rollup.currency")


def _result(
    by: tuple[str, ...],
    currency: str | None,
    cells: Mapping[tuple[object, ...], _Cell],
    overcount: Mapping[int, Mapping[tuple[object, ...], tuple[int, int]]],
    buckets: tuple[_Bucket, ...],
    *,
    conflicts: tuple[Conflict, ...],
    measures: tuple[str, ...],
    constant: ConstantPrices | None,
) -> Rollup:
    """Convert, total and freeze: the :class:`Rollup` of rows *cells*."""
    totals = _Totals(currency, constant)
    rows = _groups(cells, buckets, totals, measures=measures)
    grand: Mapping[tuple[object, ...], _Cell] = (
        _merge(cells, 0, overcount) if cells else {(): _Acc().freeze()}
    )
    total = _groups(grand, buckets, totals, measures=measures)[0]
    return Rollup(
        by,
        currency,
        rows,
        total,
        tuple(note for note in totals.notes if isinstance(note, Leg)),
        tuple(dict.fromkeys(totals.unconverted)),
        conflicts,
        measures,
        constant,
        tuple(note for note in totals.notes if isinstance(note, IndexValue)),
        tuple(dict.fromkeys(totals.undeflated)),
        MappingProxyType(dict(cells)),
        MappingProxyType({level: MappingProxyType(dict(t)) for level, t in overcount.items()}),
        buckets,
    )


def rollup(
    items: Iterable[Any],
    by: By = (),
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    on: dt.date | str = "value_date",
    policy: RatePolicy = NARROWEST,
    missing: Literal["raise", "omit"] = "raise",
    measures: str | Sequence[str] = (),
    prices: PriceIndex | None = None,
    base_year: int | None = None,
    method: Method = "deflate_then_convert",
    economy: str | None = None,
) -> Rollup:
    """Group *items* by *by*, count them and total their values exactly.

    Args:
        items: Any iterable of policy exports, of the records of MOUs, training cohorts
            and budgets (:func:`~citycoop.mou_records`, :func:`~citycoop.cohort_records`,
            :func:`~citycoop.budget_records`), of IATI activities, transactions and
            budgets (:func:`~citycoop.activity_records`,
            :func:`~citycoop.transaction_records`,
            :func:`~citycoop.activity_budget_records`), or of other objects with
            ``value``, ``value_date``, ``recipient`` (a city, a country where only the
            country is known, a :class:`Split` over several of these, or ``None``) and
            the attributes the keys read; it is read once, so generators stream.
        by: Key names (:data:`KeyName`: ``"country"``, ``"city"``, ``"region"``,
            ``"sub_region"``, ``"year"``, ``"focus_area"``, ``"funding"``,
            ``"funder"``, ``"status"``, ``"modality"``, ``"currency"``, ``"sector"``,
            ``"transaction_type"``, ``"organisation"``) or key functions such as
            :func:`fiscal_year`, :func:`sector` or ``operator.attrgetter("policy")`` for
            any other attribute. An unknown name is a :class:`~citycoop.ValidationError`
            listing the valid ones, and a type error for mypy and pyright. A key may
            return a :class:`Split`; ``"focus_area"`` does for cases split over several
            areas, and the place keys for a recipient split over several places.
        currency: Convert totals into this currency (needs *rates*).
        rates: The rates to convert with.
        on: ``"value_date"`` converts each item at its own value date (the IATI
            rule); a date converts everything at that one reporting date.
        policy: Which rate serves a date.
        missing: ``"raise"`` (a missing rate raises :class:`~citycoop.MissingRateError`)
            or ``"omit"`` (the subtotal is left out, listed in
            :attr:`Rollup.unconverted`, and its group marked incomplete). Never zero.
        measures: Attributes to sum exactly in each group besides money, such as
            ``("participants", "person_hours")`` of :func:`~citycoop.cohort_records`:
            whole numbers, Decimals or pint quantities of one unit. ``None`` is
            unknown: counted in :attr:`Measure.unknown`, never added as zero. An item
            that a key splits over several groups cannot be measured (its share of a
            head count is not defined), and is refused.
        prices: A price index: each group also gets its total at *base_year*'s prices
            in *currency* (:attr:`Group.constant`), each value deflated from the year of
            its value date. Needs *currency*, *rates*, *base_year* and
            ``on="value_date"``.
        base_year: The year whose prices the constant totals are in.
        method: ``"deflate_then_convert"`` (each value's own currency index, then the
            base year's rate, on 1 July) or ``"convert_then_deflate"`` (each value
            converted at its value date, as for :attr:`Group.converted`, then deflated
            with the index of *currency*); see :func:`~citycoop.deflate`.
        economy: The economy whose index to use, where the index has several for a
            currency (the DAC deflators all price US dollars).

    Exact Decimals are summed per (group, currency, rates that serve the value date);
    each subtotal is converted once, and each converted total is rounded once, at the end.
    Memory grows with the groups and the distinct (currency, value date) pairs, not with
    the items; only items with an ``identifier`` or a ``parent`` are remembered, so that
    a parent's value can be taken out when its children arrive. Constant prices cost
    no more per item: each (currency, rates, year) subtotal is deflated once.

    >>> import citycoop
    >>> result = citycoop.rollup(citycoop.datasets.seoul().exports, by="country")
    >>> result.total.count, result.total.unvalued, len(result.rows)
    (15, 15, 11)

    .. versionadded:: 0.1.0
    """
    with decimal.localcontext(EXACT):  # sums of bounded amounts never round
        run = new_run(
            by,
            currency=currency,
            rates=rates,
            on=on,
            policy=policy,
            missing=missing,
            measures=measures,
            constant=None
            if prices is None
            else constant_prices(prices, base_year, method, economy, field="rollup"),
        )
        run.add_all(iterable(items, "rollup.items"))
        return run.result()


class _Run:
    """The mutable state of one rollup call: groups, rate buckets and hierarchy notes."""

    def __init__(
        self,
        keys: Keys,
        *,
        target: str | None,
        rates: RateTable | None,
        fixed: dt.date | None,
        policy: RatePolicy,
        missing: str,
        measures: tuple[str, ...] = (),
        constant: ConstantPrices | None = None,
    ) -> None:
        self.keys = keys
        self.measures = measures
        self.constant = constant
        self.measure_get: Callable[[Any], Any] | None = (
            operator.attrgetter(*measures) if measures else None
        )
        self.target = target
        self.rates = rates
        self.fixed = fixed
        self.per_item = target is not None and fixed is None
        self.policy = policy
        self.missing = missing
        self.accs: dict[Any, _Acc] = {}
        # Amounts are summed per (group, currency, bucket): a bucket is the chain of rates
        # that serves them, so dates that one annual rate serves share one subtotal.
        self.buckets: list[_Bucket] = []
        self.part_of: dict[str, dict[dt.date | None, int]] = {}  # currency -> day -> bucket
        # (currency, the identities of the rates used and their direction) -> part key
        self.parts_by_rates: dict[tuple[object, ...], int] = {}
        # Hierarchies: what identified items contributed, and what their children carried.
        self.identified: dict[str, list[tuple[Any, int, Decimal, Money]]] = {}
        self.children: dict[str, list[Money]] = {}
        self.overcount: dict[int, dict[tuple[object, ...], tuple[int, int]]] = {}
        # Keys read from the recipient ("country", "city", "region"...) are worked out
        # once per distinct recipient, at the end: during the loop a group is keyed by the
        # identity of one canonical recipient object (an int), and its cities are known.
        paths = keys.paths
        self.by_recipient = any(path.split(".")[0] == "recipient" for path in paths)
        others = [path for path in paths if path.split(".")[0] != "recipient"]
        self.other_get: Callable[[Any], Any] | None = (
            operator.attrgetter(*others) if others else None
        )
        self.single_other = len(others) == 1
        # For each key, in order: its getter on the recipient, or None for an item key.
        self.from_recipient: tuple[Callable[[Any], Any] | None, ...] = tuple(
            place_getter(tail) if head == "recipient" else None
            for head, _, tail in (path.partition(".") for path in paths)
        )
        self.canonical: dict[Any, Any] = {}  # recipient -> the one object that stands for it
        self.by_id: dict[int, Any] = {}  # id of a canonical recipient -> that recipient
        # id(recipient object) -> (that object, id of its canonical recipient); holding the
        # object keeps its id from being reused. Bounded: cleared when it grows too large.
        self.seen: dict[int, tuple[Any, int]] = {}
        # Groups of items whose recipient is a Split over several places, by group key.
        self.split_accs: dict[Any, _Acc] = {}

    def add_all(self, items: Iterable[Any]) -> None:
        """Read every item once. The common case (no split) is inlined for speed."""
        accs, part_of, get_key = self.accs, self.part_of, self.keys.get
        may_split, per_item, fixed = self.keys.may_split, self.per_item, self.fixed
        # With annual rates only, every day of a year is served alike: look the bucket up
        # by currency and year (a few small dictionaries), not by currency and day.
        yearly = per_item and self.rates is not None and self.rates._annual_only  # noqa: SLF001  # pyright: ignore[reportPrivateUsage]
        year_of: dict[str, dict[int, int]] = {}  # currency -> year -> part
        by_recipient, other_get, seen = self.by_recipient, self.other_get, self.seen
        measured = self.measure_get is not None
        position = -1
        try:
            for position, item in enumerate(items):
                value = item.value
                if by_recipient:
                    recipient = item.recipient
                    entry = seen.get(id(recipient))
                    if entry is None:
                        # A split is never seen (remembered), so only a miss can be one.
                        if recipient.__class__ is Split:
                            self.add_recipient_split(item, recipient, position)
                            continue
                        entry = self.see(recipient, position)
                    raw = entry[1] if other_get is None else (entry[1], other_get(item))
                else:
                    raw = get_key(item)
                    if may_split and is_split(raw, len(self.keys.names)):
                        self.add_split(item, raw, position)
                        continue
                acc = accs.get(raw)
                if acc is None:
                    acc = accs[raw] = _Acc()
                acc.count += 1
                if not by_recipient:
                    acc.cities.add(item.recipient)
                if measured:
                    self.measure(acc, item, position)
                if value is None:
                    acc.unvalued += 1
                    continue
                code = value.currency
                day = item.value_date if per_item else fixed
                part = -1
                if yearly and day is not None:
                    years = year_of.get(code)
                    if years is None:
                        years = year_of[code] = {}
                    part = years.get(day.year, -1)
                if part < 0:
                    by_day = part_of.get(code)
                    if by_day is None:
                        by_day = part_of[code] = {}
                    part = by_day.get(day, -1)
                    if part < 0:
                        part = self.new_part(code, day, position)
                        # A year whose first day no rate serves keeps the day-by-day look-up,
                        # so that each unconverted day is reported as before.
                        if yearly and day is not None and self.buckets[part].legs is not None:
                            year_of[code][day.year] = part
                parts = acc.parts
                parts[part] = parts.get(part, _ZERO) + value.amount
                if item.__class__ is PolicyExport:  # attribute loads beat getattr() calls
                    identifier, parent = item.identifier, item.parent
                else:
                    identifier = getattr(item, "identifier", None)
                    parent = getattr(item, "parent", None)
                if identifier is not None or parent is not None:
                    self.note_family(
                        identifier, parent, raw, part, amount=value.amount, value=value
                    )
        except AttributeError as error:
            raise ValidationError(
                f"rollup.items[{position}]",
                str(error),
                f"items with value, value_date, recipient, the keys {self.keys.names}"
                + (f" and the measures {self.measures}" if self.measures else ""),
            ) from None

    def measure(self, acc: _Acc, item: Any, position: int) -> None:
        """Add an item's measured attributes to its group's sums."""
        assert self.measure_get is not None
        values = self.measure_get(item)
        if len(self.measures) == 1:
            values = (values,)
        sums = acc.measured
        if sums is None:
            sums = acc.measured = [_Sum() for _ in self.measures]
        for name, total, value in zip(self.measures, sums, values, strict=True):
            total.add(value, f"rollup.items[{position}].{name}")

    def add_subtotal(
        self, item: Any, *, count: int, unvalued: int, currency: str | None, day: Any, amount: Any
    ) -> None:
        """Add *count* items summed by an engine (``citycoop.columnar``).

        They share every key, the recipient, the currency and the rate bucket: *item*
        stands for them (its ``recipient`` and the attributes the keys read), *amount* is
        their exact sum (``None`` if none had a value) and *day* is a day of their bucket
        (the value date, or any day of the year when the rates are annual).
        """
        if self.by_recipient:
            recipient = item.recipient
            entry = self.seen.get(id(recipient)) or self.see(recipient, None)
            raw = entry[1] if self.other_get is None else (entry[1], self.other_get(item))
        else:
            raw = self.keys.get(item)
        acc = self.accs.get(raw)
        if acc is None:
            acc = self.accs[raw] = _Acc()
        acc.count += count
        acc.unvalued += unvalued
        if not self.by_recipient:
            acc.cities.add(item.recipient)
        if amount is None or currency is None:
            return
        day = day if self.per_item else self.fixed
        part = self.part_of.get(currency, {}).get(day)
        if part is None:
            part = self.new_part(currency, day, None)
        acc.parts[part] = acc.parts.get(part, _ZERO) + amount

    def see(self, recipient: Any, position: int | None) -> tuple[Any, int]:
        """Note a recipient object met for the first time (or since the cache was cleared)."""
        try:
            canonical = self.canonical.setdefault(recipient, recipient)
        except TypeError:
            raise ValidationError(
                f"{_item(position)}.recipient", recipient, "a hashable recipient (a City)"
            ) from None
        self.by_id[id(canonical)] = canonical
        if len(self.seen) >= _SEEN_LIMIT:
            self.seen.clear()
        entry = self.seen[id(recipient)] = (recipient, id(canonical))
        return entry

    def key_of(self, raw: Any) -> Any:
        """The group key of a loop key made of a recipient's identity (and other keys)."""
        recipient_id, others = (raw, ()) if self.other_get is None else raw
        recipient = self.by_id[recipient_id]
        if self.single_other:
            others = (others,)
        rest = iter(others)
        values = [
            next(rest) if get is None else None if recipient is None else get(recipient)
            for get in self.from_recipient
        ]
        return values[0] if len(values) == 1 else tuple(values)

    def regroup(self) -> None:
        """Turn loop keys into group keys and give each group its cities.

        Loop keys that share a group key (two cities of one country) are merged.
        """
        merged: dict[Any, _Acc] = {}
        keys_of: dict[Any, Any] = {}
        for raw, acc in self.accs.items():
            key = keys_of[raw] = self.key_of(raw)
            recipient = self.by_id[raw if self.other_get is None else raw[0]]
            target = merged.get(key)
            if target is None:
                merged[key] = acc
                acc.cities.add(recipient)
                continue
            target.absorb(acc)
            target.cities.add(recipient)
        self.accs = merged
        for contributions in self.identified.values():
            contributions[:] = [
                (keys_of[raw], part, amount, value) for raw, part, amount, value in contributions
            ]

    def new_part(self, code: str, day: dt.date | None, position: int | None) -> int:
        """The part key for amounts of *code* dated *day*: find the rates that serve them."""
        legs: tuple[Leg, ...] | None = ()
        numerator = denominator = Decimal(1)
        if self.target is not None:
            if day is None:
                raise ValidationError(
                    f"{_item(position)}.value_date",
                    None,
                    "a value date for each valued item, or pass on=<reporting date>",
                )
            assert self.rates is not None
            try:
                legs, numerator, denominator, _, _ = self.rates._resolve(  # noqa: SLF001  # pyright: ignore[reportPrivateUsage]
                    code, self.target, day, self.policy
                )
            except MissingRateError:
                if self.missing == "raise":
                    raise
                legs = None
        # The table holds every rate, so a rate's identity names it during this call.
        chain: tuple[object, ...] | None = (
            None if legs is None else (code, *((id(leg.rate), leg.inverted) for leg in legs))
        )
        constant: PriceFactor | str | None = None
        if self.constant is not None:
            assert day is not None
            constant = self.price_factor(code, day, legs, (numerator, denominator))
            if chain is not None:  # deflated by its year: one bucket per year
                chain = (*chain, day.year)
        if chain is not None and chain in self.parts_by_rates:
            part = self.parts_by_rates[chain]
        else:
            part = len(self.buckets)
            self.buckets.append(_Bucket(code, legs, day, numerator, denominator, constant))
            if chain is not None:
                self.parts_by_rates[chain] = part
        self.part_of.setdefault(code, {})[day] = part
        return part

    def price_factor(
        self,
        code: str,
        day: dt.date,
        legs: tuple[Leg, ...] | None,
        converted: tuple[Decimal, Decimal],
    ) -> PriceFactor | str:
        """The factor into constant prices of amounts of *code* dated *day*, or why none."""
        constant, target, rates = self.constant, self.target, self.rates
        assert constant is not None
        assert target is not None
        assert rates is not None
        if legs is None and constant.method == "convert_then_deflate":
            return f"no {code}->{target} rate"  # (missing="omit": it was not raised)
        try:
            return constant_factor(
                constant, code, target, day.year, converted, rates=rates, policy=self.policy
            )
        except (MissingPriceError, MissingRateError) as error:
            if self.missing == "raise":
                raise
            return str(error)

    def note_family(
        self,
        identifier: str | None,
        parent: str | None,
        raw: Any,
        part: int,
        *,
        amount: Decimal,
        value: Money,
    ) -> None:
        """Remember what an item of a hierarchy contributed, to undo double counting later."""
        if parent is not None:
            self.children.setdefault(parent, []).append(value)
        if identifier is not None:
            self.identified.setdefault(identifier, []).append((raw, part, amount, value))

    def refuse_measures(self, position: int, shown: object, why: str) -> None:
        """Refuse to measure an item that lands in several groups: its share of a count is undefined."""
        if self.measures:
            raise ValidationError(
                f"rollup.items[{position}]",
                shown,
                f"one group per item when measuring {list(self.measures)} ({why})",
            )

    def allocated(
        self,
        item: Any,
        expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...],
        position: int,
    ) -> tuple[int | None, tuple[Decimal, ...]]:
        """The bucket of a split item's value and its exact part in each group (none without)."""
        value = item.value
        if value is None:
            return None, ()
        day = item.value_date if self.per_item else self.fixed
        part = self.part_of.get(value.currency, {}).get(day)
        if part is None:
            part = self.new_part(value.currency, day, position)
        return part, _allocate(value, expanded)

    def add_split(self, item: Any, raw: Any, position: int) -> None:
        """Add an item that a key splits over several groups, allocating its value exactly."""
        keys = self.keys
        self.refuse_measures(position, raw, "a key split the item over several groups")
        expanded = expand(keys.as_tuple(raw))
        value = item.value
        _note_overcount(self.overcount, expanded, len(keys.names), unvalued=value is None)
        part, allocations = self.allocated(item, expanded, position)
        identifier = getattr(item, "identifier", None)
        for index, (key, _) in enumerate(expanded):
            group = keys.from_tuple(key)
            acc = self.accs.get(group)
            if acc is None:
                acc = self.accs[group] = _Acc()
            acc.count += 1
            acc.cities.add(item.recipient)
            if value is None or part is None:
                acc.unvalued += 1
                continue
            acc.parts[part] = acc.parts.get(part, _ZERO) + allocations[index]
            self.note_family(identifier, None, group, part, amount=allocations[index], value=value)
        parent = getattr(item, "parent", None)
        if value is not None and parent is not None:
            self.children.setdefault(parent, []).append(value)

    def add_recipient_split(self, item: Any, recipient: Split, position: int) -> None:
        """Add an item whose recipient is a :class:`Split` over several places.

        Each place is keyed as a recipient is; places whose keys are alike (two cities of
        one country, when grouping by country) are one part. The value is allocated
        exactly over the parts, and the item counts once in each group.
        """
        keys = self.keys
        self.refuse_measures(position, recipient, "its recipient splits it over several groups")
        if getattr(item, "identifier", None) is not None or getattr(item, "parent", None):
            raise ValidationError(
                f"rollup.items[{position}].recipient",
                recipient,
                "one recipient for an item of a hierarchy (with an identifier or a parent)",
            )
        others = None if self.other_get is None else self.other_get(item)
        weights: dict[Any, Decimal] = {}
        places: dict[Any, list[Any]] = {}
        for place, weight in recipient.parts:
            entry = self.seen.get(id(place)) or self.see(place, position)
            key = self.key_of(entry[1] if others is None else (entry[1], others))
            weights[key] = weights.get(key, _ZERO) + weight
            places.setdefault(key, []).append(place)
        expanded = tuple((keys.as_tuple(key), weight) for key, weight in weights.items())
        value = item.value
        _note_overcount(self.overcount, expanded, len(keys.names), unvalued=value is None)
        part, allocations = self.allocated(item, expanded, position)
        for index, key in enumerate(weights):
            acc = self.split_accs.get(key)
            if acc is None:
                acc = self.split_accs[key] = _Acc()
            acc.count += 1
            acc.cities.update(places[key])
            if value is None or part is None:
                acc.unvalued += 1
                continue
            acc.parts[part] = acc.parts.get(part, _ZERO) + allocations[index]

    def result(self) -> Rollup:
        """Undo hierarchy double counting, rank the buckets, and build the result."""
        keys = self.keys
        if self.by_recipient:
            self.regroup()
            for key, acc in self.split_accs.items():
                target = self.accs.get(key)
                if target is None:
                    self.accs[key] = acc
                    continue
                target.absorb(acc)
                target.cities |= acc.cities
        rows_accs = {keys.as_tuple(raw): acc for raw, acc in self.accs.items()}
        conflicts = _resolve_hierarchy(rows_accs, keys, self.identified, self.children)
        buckets = self.buckets
        ordered = sorted(range(len(buckets)), key=lambda number: buckets[number].order)
        ranked = list(buckets)
        for position, number in enumerate(ordered):
            ranked[number] = buckets[number]._replace(rank=position)
        cells = {key: acc.freeze() for key, acc in rows_accs.items()}
        return _result(
            keys.names,
            self.target,
            cells,
            self.overcount,
            tuple(ranked),
            conflicts=conflicts,
            measures=self.measures,
            constant=self.constant,
        )


def new_run(
    by: By,
    *,
    currency: str | None,
    rates: RateTable | None,
    on: dt.date | str,
    policy: RatePolicy,
    missing: str,
    measures: str | Sequence[str] = (),
    constant: ConstantPrices | None = None,
) -> _Run:
    """The state of one rollup, its arguments checked (for :func:`rollup` and engines)."""
    keys = compile_keys(by)
    names = (
        (measures,) if isinstance(measures, str) else tuple(iterable(measures, "rollup.measures"))
    )
    for index, name in enumerate(names):
        if not isinstance(name, str) or not name.isidentifier():
            raise ValidationError(f"rollup.measures[{index}]", name, "an attribute name")
    if len(set(names)) != len(names):
        raise ValidationError("rollup.measures", list(names), "each attribute once")
    target = None if currency is None else normalize_currency(currency, "rollup.currency")
    if target is not None and currency_info(target).minor_units is None:
        raise ValidationError("rollup.currency", target, "a currency with a minor unit to round to")
    if target is not None and not isinstance(rates, RateTable):
        raise ValidationError("rollup.rates", rates, "a RateTable to convert into " + target)
    if missing not in ("raise", "omit"):
        raise ValidationError("rollup.missing", missing, "'raise' or 'omit'")
    fixed = None if on == "value_date" else to_date(on, "rollup.on")
    if constant is not None and (target is None or fixed is not None):
        raise ValidationError(
            "rollup.prices",
            constant.prices.title,
            "constant prices with currency=<code>, rates and on='value_date' "
            "(each value is deflated from the year of its value date)",
        )
    return _Run(
        keys,
        target=target,
        rates=rates,
        fixed=fixed,
        policy=policy,
        missing=missing,
        measures=names,
        constant=constant,
    )


def _item(position: int | None) -> str:
    """Where an item is, for an error: its place among the items, or the summed source."""
    return "rollup.source" if position is None else f"rollup.items[{position}]"


def _note_overcount(
    overcount: dict[int, dict[tuple[object, ...], tuple[int, int]]],
    expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...],
    depth: int,
    *,
    unvalued: bool,
) -> None:
    """Record how many extra times a split item lands in each subtotal above the rows."""
    for level in range(depth):
        seen: dict[tuple[object, ...], int] = {}
        for key, _ in expanded:
            seen[key[:level]] = seen.get(key[:level], 0) + 1
        table = overcount.setdefault(level, {})
        for prefix, times in seen.items():
            if times > 1:
                count, blank = table.get(prefix, (0, 0))
                table[prefix] = (count + times - 1, blank + (times - 1 if unvalued else 0))


def _allocate(
    value: Money, expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...]
) -> tuple[Decimal, ...]:
    return tuple(
        part.amount for part in value.allocate([weight or _ZERO for _, weight in expanded])
    )


def _resolve_hierarchy(
    accs: dict[tuple[object, ...], _Acc],
    keys: Keys,
    identified: Mapping[str, list[tuple[Any, int, Decimal, Money]]],
    children: Mapping[str, list[Money]],
) -> tuple[Conflict, ...]:
    """Count values at the lowest level: drop a parent's value where its children carry values."""
    conflicts: list[Conflict] = []
    for parent, child_values in children.items():
        contributions = identified.get(parent)
        if not contributions:
            continue
        parent_value = contributions[0][3]
        for raw, part, amount, _ in contributions:
            acc = accs[keys.as_tuple(raw)]
            _take(acc, part, amount)
            acc.unvalued += 1  # the parent still counts; its value lives in its children
        children_total = currency_totals((m.currency, m.amount) for m in child_values)
        if children_total != (parent_value,):
            conflicts.append(Conflict(parent, parent_value, children_total))
    return tuple(conflicts)


def _take(acc: _Acc, part: int, amount: Decimal) -> None:
    left = acc.parts[part] - amount
    if left:
        acc.parts[part] = left
    else:
        del acc.parts[part]
