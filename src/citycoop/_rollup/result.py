"""The frozen results of a rollup: rows, measures, gaps, conflicts, and the totalling step.

:func:`build_result` turns the engine's frozen sums into a :class:`Rollup`: it converts
each (group, bucket) subtotal once, rounds each total once and lists the rates used.
:meth:`Rollup.level` is a pure function of a result, built the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping  # resolved at run time: typing.get_type_hints(Rollup)
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from citycoop._core.currencies import normalize_currency
from citycoop._core.decimals import CONVERSION
from citycoop._core.errors import ValidationError
from citycoop._core.money import Money, currency_totals, round_to_minor
from citycoop._core.places import Country
from citycoop._core.units import quantity  # pyright: ignore[reportUnknownVariableType]
from citycoop._domain.activities import TransactionType
from citycoop._fx.rates import ONE, Leg, assumptions_of
from citycoop._prices.deflate import (
    ConstantPrices,
)
from citycoop._prices.values import IndexValue
from citycoop._rollup import views
from citycoop._rollup.keys import (
    ROLLUP,
    Split,
    sort_key,
)
from citycoop._rollup.sums import ZERO, Accumulator, Bucket, FrozenSums, SummedMeasure

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence


__all__ = ["Conflict", "Group", "Measure", "Rollup", "Unconverted"]


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
        key: The group's key values, one per ``by`` key (``()`` for the grand total):
            a :class:`~citycoop.Country`, :class:`~citycoop.Region` or
            :class:`~citycoop.City` for the place keys, an ``int`` for ``"year"``, a code
            list member (:class:`~citycoop.FocusArea`, ...) for the others, or what a key
            function returns; ``None`` where an item has no value for the key. Typed
            ``Any``, so that ``g.key[0].code`` reads to mypy and pyright as it runs.
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

    key: tuple[Any, ...]
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


def measure_of(name: str, summed: SummedMeasure) -> Measure:
    number, unit, unknown = summed
    total: Any = number
    if unit is not None and number is not None:
        total = quantity(Decimal(number), unit)  # pyright: ignore[reportUnknownVariableType]
    return Measure(name, total, unknown)


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
        mixed_types: The transaction types of transaction records that a group above
            the ``"transaction_type"`` key would add together, or ``()``. Those groups
            (the grand total; a :meth:`level` above that key) carry no money: their
            ``totals`` are empty and their converted and constant totals ``None``,
            because commitments, disbursements and the other types are never added.

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
    # split item left above the rows, and the rate buckets in their stable order.
    _cells: Mapping[tuple[object, ...], FrozenSums] = attrs.field(repr=False)
    _overcount: Mapping[int, Mapping[tuple[object, ...], tuple[int, int]]] = attrs.field(repr=False)
    _buckets: tuple[Bucket, ...] = attrs.field(repr=False)
    mixed_types: tuple[TransactionType, ...] = attrs.field(default=(), kw_only=True)

    def __iter__(self) -> Iterator[Group]:
        return iter(self.rows)

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What the converted totals assume (planning rates, :meth:`RatePolicy.planning`)."""
        return assumptions_of(self.legs)

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
        cells = merge_levels(self._cells, depth, self._overcount)
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
        return build_result(
            self.by[:depth],
            self.currency,
            cells,
            overcount,
            self._buckets,
            conflicts=self.conflicts,
            measures=self.measures,
            constant=self.constant_prices,
            mixed_types=self.mixed_types,
        )

    def to_records(self) -> list[dict[str, object]]:
        """Plain Python rows for notebooks and other tools (amounts stay Decimals).

        A country or region key gives its code and, in a ``<key>_name`` column, its
        English name (CLDR for countries, UN M49 for regions); an organisation key its
        IATI identifier and its first name (``None`` where the file gives only the
        identifier). With constant prices,
        ``constant_<currency>`` and ``constant_complete`` follow the converted total.
        Each measure gives its
        total (a number or a pint quantity, ``None`` if unknown) and, in a
        ``<measure>_unknown`` column, how many items did not know it.

        >>> import citycoop
        >>> row = citycoop.rollup(citycoop.datasets.seoul().exports, by="region").to_records()[1]
        >>> row["region"], row["region_name"], row["count"]
        ('009', 'Oceania', 2)
        """
        return views.records(self)

    def __repr__(self) -> str:
        return views.text(self)

    def _repr_html_(self, rows: int = 50) -> str:
        """A table of the first *rows* groups and the total, for Jupyter.

        Amounts have grouped digits; a region or country key shows its name beside its
        code (``009 Oceania``).
        """
        return views.html(self, rows)


def merge_levels(
    cells: Mapping[tuple[object, ...], FrozenSums],
    depth: int,
    overcount: Mapping[int, Mapping[tuple[object, ...], tuple[int, int]]],
) -> dict[tuple[object, ...], FrozenSums]:
    """Subtotals by the first *depth* key values; a split item counts once in each."""
    merged: dict[tuple[object, ...], Accumulator] = {}
    for key, cell in cells.items():
        target = merged.get(key[:depth])
        if target is None:
            target = merged[key[:depth]] = Accumulator()
        target.add(cell)
    for prefix, (count, unvalued) in overcount.get(depth, {}).items():
        merged[prefix].count -= count
        merged[prefix].unvalued -= unvalued
    return {key: acc.freeze() for key, acc in merged.items()}


#: A bucket's factor (numerator, denominator and the notes it uses), or why it has none.
Factor = tuple[Decimal, Decimal, tuple[object, ...]] | str


def _total(
    key: tuple[object, ...],
    cell: FrozenSums,
    buckets: Sequence[Bucket],
    factors: Sequence[Factor],
    *,
    left_out: list[Unconverted],
    notes: dict[object, object],
    used: set[int],
) -> tuple[Decimal | None, bool]:
    """A group's subtotals times each bucket's factor, one division per bucket.

    Where a bucket has no factor, the subtotal is appended to *left_out* and the total is
    incomplete. Each bucket's notes (the rates and index values it uses) are listed once
    in *notes*. The parts come in bucket order, so that the 50-digit sum does not depend
    on item order.
    """
    total = ZERO
    complete = True
    any_part = False
    add, multiply, divide = CONVERSION.add, CONVERSION.multiply, CONVERSION.divide
    for number, amount in cell.parts:
        picked = factors[number]
        if isinstance(picked, str):
            complete = False
            bucket = buckets[number]
            assert bucket.day is not None
            left_out.append(Unconverted(key, Money(amount, bucket.currency), bucket.day, picked))
            continue
        numerator, denominator, used_notes = picked
        if number not in used:  # each bucket's notes are listed once, in first-use order
            used.add(number)
            for note in used_notes:
                # A rate table gives one Leg per rate and direction (RateTable._leg):
                # legs are told apart by identity, without hashing them.
                notes.setdefault(id(note) if note.__class__ is Leg else note, note)
        # scale(), inlined: a factor of ONE is skipped (see there).
        product = amount if numerator is ONE else multiply(amount, numerator)
        total = add(total, product if denominator is ONE else divide(product, denominator))
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
    #: The legs and index values used, in first-use order (keyed as _total keys them).
    notes: dict[object, object] = attrs.field(factory=dict)
    converted_used: set[int] = attrs.field(factory=set)
    constant_used: set[int] = attrs.field(factory=set)
    #: Per bucket, in current and in constant prices (worked out once a result).
    factors: dict[str, list[Factor]] = attrs.field(factory=dict)

    def current(self, buckets: Sequence[Bucket]) -> list[Factor]:
        factors = self.factors.get("current")
        if factors is None:
            factors = self.factors["current"] = [
                f"no {bucket.currency}->{self.target} rate"
                if bucket.legs is None
                else (bucket.numerator, bucket.denominator, bucket.legs)
                for bucket in buckets
            ]
        return factors

    def at_constant_prices(self, buckets: Sequence[Bucket]) -> list[Factor]:
        factors = self.factors.get("constant")
        if factors is None:
            factors = self.factors["constant"] = [_constant(bucket) for bucket in buckets]
        return factors


def _constant(bucket: Bucket) -> Factor:
    factor = bucket.constant
    assert factor is not None  # a rollup at constant prices gives every bucket one
    return factor if isinstance(factor, str) else tuple(factor)  # type: ignore[return-value]


def _groups(
    cells: Mapping[tuple[object, ...], FrozenSums],
    buckets: Sequence[Bucket],
    totals: _Totals,
    *,
    measures: tuple[str, ...],
) -> tuple[Group, ...]:
    groups: list[Group] = []
    currency = totals.target
    currencies = [bucket.currency for bucket in buckets]
    for key in sorted(cells, key=sort_key):
        cell = cells[key]
        # A group with no valued item has no total: unknown is not zero.
        exact, complete, constant_exact, constant_complete = None, True, None, True
        if currency is not None and cell.parts:
            exact, complete = _total(
                key,
                cell,
                buckets,
                totals.current(buckets),
                left_out=totals.unconverted,
                notes=totals.notes,
                used=totals.converted_used,
            )
            if totals.constant is not None:
                constant_exact, constant_complete = _total(
                    key,
                    cell,
                    buckets,
                    totals.at_constant_prices(buckets),
                    left_out=totals.undeflated,
                    notes=totals.notes,
                    used=totals.constant_used,
                )
        groups.append(
            Group(
                key,
                cell.count,
                cell.unvalued,
                *place_counts(cell.cities),
                currency_totals((currencies[n], amount) for n, amount in cell.parts),
                _rounded(exact, currency),
                exact,
                complete,
                tuple(
                    measure_of(name, summed)
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


def place_counts(recipients: frozenset[Any]) -> tuple[int, int]:
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
    return round_to_minor(exact, currency, field=ROLLUP("currency"))


def build_result(
    by: tuple[str, ...],
    currency: str | None,
    cells: Mapping[tuple[object, ...], FrozenSums],
    overcount: Mapping[int, Mapping[tuple[object, ...], tuple[int, int]]],
    buckets: tuple[Bucket, ...],
    *,
    conflicts: tuple[Conflict, ...],
    measures: tuple[str, ...],
    constant: ConstantPrices | None,
    mixed_types: tuple[TransactionType, ...] = (),
) -> Rollup:
    """Convert, total and freeze: the :class:`Rollup` of rows *cells*.

    With *mixed_types*, groups that do not reach the ``"transaction_type"`` key would add
    types together: they are counted, and carry no money.
    """
    totals = _Totals(currency, constant)
    moneyless = _Totals(None, None)
    typed = not mixed_types or "transaction_type" in by
    rows = _groups(cells, buckets, totals if typed else moneyless, measures=measures)
    if not typed:
        rows = tuple(attrs.evolve(row, totals=()) for row in rows)
    grand: Mapping[tuple[object, ...], FrozenSums] = (
        merge_levels(cells, 0, overcount) if cells else {(): Accumulator().freeze()}
    )
    if mixed_types:
        total = attrs.evolve(_groups(grand, buckets, moneyless, measures=measures)[0], totals=())
    else:
        total = _groups(grand, buckets, totals, measures=measures)[0]
    return Rollup(
        by,
        currency,
        rows,
        total,
        tuple(note for note in totals.notes.values() if isinstance(note, Leg)),
        tuple(dict.fromkeys(totals.unconverted)),
        conflicts,
        measures,
        constant,
        tuple(note for note in totals.notes.values() if isinstance(note, IndexValue)),
        tuple(dict.fromkeys(totals.undeflated)),
        MappingProxyType(dict(cells)),
        MappingProxyType({level: MappingProxyType(dict(t)) for level, t in overcount.items()}),
        buckets,
        mixed_types=mixed_types,
    )
