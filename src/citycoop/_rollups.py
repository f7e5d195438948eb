"""Rollups and reconciliation: pure, exact and streaming.

:func:`rollup` groups items (policy exports, or anything with the same attributes)
by keys, counts them, sums their values exactly per original currency and, when asked,
converts each (group, currency, rate) subtotal once and rounds each total once.
:func:`reconcile` compares what the records add up to with what was reported.

Nothing here reads a clock, touches a file or changes a global.
"""

from __future__ import annotations

import datetime as dt
import decimal
import html
import operator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from citycoop._budgets import Budget, effective_budgets
from citycoop._errors import MissingRateError, ValidationError
from citycoop._fx import CONVERSION, NARROWEST, Leg, RatePolicy, RateTable, convert, scale
from citycoop._money import (
    EXACT,
    Money,
    currency_info,
    normalize_currency,
    round_to_minor,
    sum_money,
)
from citycoop._portfolio import Portfolio, ReportedFigures
from citycoop._time import Period, to_date
from citycoop._validation import iterable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence


__all__ = [
    "BudgetTotal",
    "Conflict",
    "Group",
    "Reconciliation",
    "Rollup",
    "Split",
    "Unconverted",
    "budget_totals",
    "fiscal_year",
    "reconcile",
    "rollup",
]

_ZERO: Final = Decimal(0)


@attrs.frozen
class Split:
    """What a key returns when an item belongs to several groups in given proportions.

    ``parts`` pairs each group key with a weight (such as a percentage); the item's
    value is allocated exactly over the parts, to the currency's minor unit.

    .. versionadded:: 0.1.0
    """

    parts: tuple[tuple[object, Decimal], ...]


def _focus_area(item: Any) -> object:
    focus = item.focus
    if len(focus) == 1:
        return focus[0].area
    return Split(tuple((share.area, share.percent) for share in focus))


def _funding(item: Any) -> object:
    return None if item.funding is None else item.funding.kind


def _funder(item: Any) -> object:
    funding = item.funding
    return None if funding is None or funding.funder is None else funding.funder


def fiscal_year(start_month: object) -> Callable[[Any], object]:
    """A key: the fiscal year (named by its first calendar year) of an item's value date.

    >>> import pendulum
    >>> from types import SimpleNamespace
    >>> fiscal_year(4)(SimpleNamespace(value_date=pendulum.date(2022, 2, 1), year=2022))
    2021
    """
    if (
        isinstance(start_month, bool)
        or not isinstance(start_month, int)
        or not 1 <= start_month <= 12
    ):
        raise ValidationError("fiscal_year.start_month", start_month, "a month number from 1 to 12")

    def key(item: Any) -> object:
        day = item.value_date
        if day is None:
            return None
        return day.year if day.month >= start_month else day.year - 1

    key.__name__ = f"fiscal_year_{start_month:02d}"
    return key


#: Keys known by name that read an attribute path (any other name reads that attribute).
PATHS: Final[Mapping[str, str]] = {
    "country": "recipient.country",
    "city": "recipient",
    "region": "recipient.country.region",
    "sub_region": "recipient.country.sub_region",
}
#: Keys known by name that compute their value (and may split an item).
FUNCTIONS: Final[Mapping[str, Callable[[Any], object]]] = {
    "focus_area": _focus_area,
    "funding": _funding,
    "funder": _funder,
}


@attrs.frozen
class _Keys:
    """The ``by`` keys of one rollup, compiled into one getter.

    ``get(item)`` returns the raw key: ``()`` for no key, the value itself for one key,
    a tuple for several. ``may_split`` is set when a key function could return a
    :class:`Split`.
    """

    names: tuple[str, ...]
    get: Callable[[Any], Any]
    may_split: bool

    def as_tuple(self, raw: Any) -> tuple[object, ...]:
        count = len(self.names)
        return () if count == 0 else (raw,) if count == 1 else raw

    def from_tuple(self, key: tuple[object, ...]) -> Any:
        count = len(self.names)
        return () if count == 0 else key[0] if count == 1 else key


def _no_key(_item: Any) -> tuple[()]:
    return ()


def _compile(
    by: str | Callable[[Any], object] | Sequence[str | Callable[[Any], object]],
) -> _Keys:
    entries = (by,) if isinstance(by, str) or callable(by) else tuple(iterable(by, "rollup.by"))
    names: list[str] = []
    paths: list[str] = []
    functions: list[Callable[[Any], object]] = []
    for index, key in enumerate(entries):
        if isinstance(key, str) and key in FUNCTIONS:
            function = FUNCTIONS[key]
        elif isinstance(key, str):
            if not key.replace("_", "a").replace(".", "a").isalnum():
                raise ValidationError(f"rollup.by[{index}]", key, "an attribute name")
            path = PATHS.get(key, key)
            paths.append(path)
            function = operator.attrgetter(path)
        elif callable(key):
            function = key
        else:
            raise ValidationError(f"rollup.by[{index}]", key, "an attribute name or a key function")
        names.append(key if isinstance(key, str) else getattr(key, "__name__", f"key{index}"))
        functions.append(function)
    if not functions:
        return _Keys((), _no_key, may_split=False)
    if len(paths) == len(functions):  # plain attributes: one C-level getter, never a split
        return _Keys(tuple(names), operator.attrgetter(*paths), may_split=False)
    if len(functions) == 1:
        return _Keys(tuple(names), functions[0], may_split=True)
    chosen = tuple(functions)

    def get(item: Any) -> tuple[object, ...]:
        return tuple(function(item) for function in chosen)

    return _Keys(tuple(names), get, may_split=True)


@attrs.frozen
class Group:
    """One row of a rollup.

    Attributes:
        key: The group's key values, one per ``by`` key (``()`` for the grand total).
        count: Items in the group (an item split over several groups counts in each).
        unvalued: Items whose value is unknown; counted, never summed as zero.
        cities: Distinct recipient cities.
        countries: Distinct recipient countries.
        totals: Exact totals per original currency, sorted by currency code.
        converted: The converted total rounded once to the minor unit, or ``None``.
        converted_exact: The converted total before that rounding.
        complete: ``False`` when a missing rate left a subtotal out of ``converted``.

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

    def total(self, currency: str) -> Money:
        """The exact total in one original currency (zero if the group has none)."""
        code = normalize_currency(currency)
        return next((m for m in self.totals if m.currency == code), Money.zero(code))


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

    __slots__ = ("cities", "count", "parts", "unvalued")

    def __init__(self) -> None:
        self.count = 0
        self.unvalued = 0
        self.cities: set[Any] = set()
        # bucket number (currency and the rates that serve it) -> exact sum
        self.parts: dict[int, Decimal] = {}

    def merge(self, other: _Acc) -> None:
        self.count += other.count
        self.unvalued += other.unvalued
        self.cities |= other.cities
        for part, amount in other.parts.items():
            self.parts[part] = self.parts.get(part, _ZERO) + amount


class _Bucket:
    """Amounts of one currency that one chain of rates converts (or that none serves)."""

    __slots__ = ("currency", "day", "denominator", "legs", "numerator", "order")

    def __init__(
        self,
        currency: str,
        legs: tuple[Leg, ...] | None,
        day: dt.date | None,
        numerator: Decimal = _ZERO,
        denominator: Decimal = _ZERO,
    ) -> None:
        self.currency = currency
        self.legs = legs
        self.day = day
        self.numerator = numerator
        self.denominator = denominator
        # A stable order, whatever order the items came in.
        if legs is None:
            self.order: tuple[object, ...] = (currency, 1, day or dt.date.min)
        else:
            self.order = (
                currency,
                0,
                *((leg.rate.period.start, leg.rate.base, leg.rate.quote) for leg in legs),
            )


@attrs.frozen(eq=False)
class Rollup:
    """The result of :func:`rollup`: rows, a grand total, and the rates used.

    Iterating yields the finest-level :class:`Group` rows in key order (``None`` keys
    last). :meth:`level` gives subtotals by a prefix of the keys; :attr:`total` is the
    grand total.

    .. versionadded:: 0.1.0
    """

    by: tuple[str, ...]
    currency: str | None
    rows: tuple[Group, ...]
    total: Group
    legs: tuple[Leg, ...]
    unconverted: tuple[Unconverted, ...]
    conflicts: tuple[Conflict, ...]
    _accs: Mapping[tuple[object, ...], _Acc] = attrs.field(repr=False)
    _overcount: Mapping[int, Mapping[tuple[object, ...], tuple[int, int]]] = attrs.field(repr=False)
    _convert: Callable[[tuple[object, ...], _Acc], tuple[Decimal | None, bool]] = attrs.field(
        repr=False
    )
    _buckets: Sequence[_Bucket] = attrs.field(repr=False)

    def __iter__(self) -> Iterator[Group]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def level(self, depth: object) -> tuple[Group, ...]:
        """Subtotals grouped by the first *depth* keys (0 gives the grand total alone)."""
        if isinstance(depth, bool) or not isinstance(depth, int) or not 0 <= depth <= len(self.by):
            raise ValidationError(
                "Rollup.level.depth", depth, f"a whole number from 0 to {len(self.by)}"
            )
        if depth == 0:
            return (self.total,)
        if depth == len(self.by):
            return self.rows
        merged = _merge(self._accs, depth, self._overcount)
        return _groups(merged, self._buckets, self.currency, self._convert)

    def to_records(self) -> list[dict[str, object]]:
        """Plain Python rows for notebooks and other tools (amounts stay Decimals)."""
        records = []
        for group in self.rows:
            record: dict[str, object] = {
                name: _plain(value) for name, value in zip(self.by, group.key, strict=True)
            }
            record.update(
                count=group.count,
                unvalued=group.unvalued,
                cities=group.cities,
                countries=group.countries,
            )
            for money in group.totals:
                record[f"total_{money.currency}"] = money.amount
            if self.currency is not None:
                record[f"converted_{self.currency}"] = (
                    None if group.converted is None else group.converted.amount
                )
                record["complete"] = group.complete
            records.append(record)
        return records

    def __repr__(self) -> str:
        lines = [f"<Rollup by {', '.join(self.by) or '(nothing)'}: {len(self.rows)} rows"]
        lines.extend("  " + _row_text(self.by, group) for group in self.rows[:20])
        if len(self.rows) > 20:
            lines.append(f"  ... {len(self.rows) - 20} more")
        lines.append("  total: " + _row_text((), self.total) + ">")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = [*self.by, "count", "unvalued", "cities", "countries", "totals"]
        if self.currency is not None:
            head.append(f"total ({self.currency})")
        cells = ["".join(f"<th>{html.escape(h)}</th>" for h in head)]
        for group in (*self.rows, self.total):
            key = group.key or ("Total", *([""] * (len(self.by) - 1)))
            values = [
                *(_plain(k) for k in key),
                group.count,
                group.unvalued,
                group.cities,
                group.countries,
                "; ".join(str(m) for m in group.totals),
            ]
            if self.currency is not None:
                values.append(
                    ""
                    if group.converted is None
                    else f"{group.converted}{'' if group.complete else ' (incomplete)'}"
                )
            cells.append("".join(f"<td>{html.escape(str(v))}</td>" for v in values))
        return "<table>" + "".join(f"<tr>{row}</tr>" for row in cells) + "</table>"


def _plain(value: object) -> object:
    if hasattr(value, "code") and not isinstance(value, str):
        return value.code
    if hasattr(value, "name") and hasattr(value, "country"):
        return value.name
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), str):
        return value.value
    return value


def _row_text(by: Sequence[str], group: Group) -> str:
    key = ", ".join(f"{name}={_plain(value)}" for name, value in zip(by, group.key, strict=True))
    totals = "; ".join(str(m) for m in group.totals) or "no values"
    converted = "" if group.converted is None else f" = {group.converted}"
    return f"{key + ': ' if key else ''}{group.count} items ({group.unvalued} unvalued), {totals}{converted}"


def _sort_key(key: tuple[object, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, str(_plain(value))) for value in key)


def _merge(
    accs: Mapping[tuple[object, ...], _Acc],
    depth: int,
    overcount: Mapping[int, Mapping[tuple[object, ...], tuple[int, int]]],
) -> dict[tuple[object, ...], _Acc]:
    """Subtotals by the first *depth* key values; a split item counts once in each."""
    merged: dict[tuple[object, ...], _Acc] = {}
    for key, acc in accs.items():
        target = merged.get(key[:depth])
        if target is None:
            target = merged[key[:depth]] = _Acc()
        target.merge(acc)
    for prefix, (count, unvalued) in overcount.get(depth, {}).items():
        merged[prefix].count -= count
        merged[prefix].unvalued -= unvalued
    return merged


def _groups(
    accs: Mapping[tuple[object, ...], _Acc],
    buckets: Sequence[_Bucket],
    currency: str | None,
    convert: Callable[[tuple[object, ...], _Acc], tuple[Decimal | None, bool]],
) -> tuple[Group, ...]:
    groups = []
    for key in sorted(accs, key=_sort_key):
        acc = accs[key]
        sums: dict[str, Decimal] = {}
        for number, amount in acc.parts.items():
            code = buckets[number].currency
            sums[code] = sums.get(code, _ZERO) + amount
        # A group with no valued item has no total: unknown is not zero.
        exact, complete = convert(key, acc) if currency is not None and acc.parts else (None, True)
        converted = None
        if exact is not None and currency is not None:
            converted = round_to_minor(exact, currency, field="rollup.currency")
        groups.append(
            Group(
                key,
                acc.count,
                acc.unvalued,
                len(acc.cities),
                len({city.country for city in acc.cities}),
                tuple(sum_money(sums[c], c) for c in sorted(sums)),
                converted,
                exact,
                complete,
            )
        )
    return tuple(groups)


def rollup(
    items: Iterable[Any],
    by: str | Callable[[Any], object] | Sequence[str | Callable[[Any], object]] = (),
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    on: dt.date | str = "value_date",
    policy: RatePolicy = NARROWEST,
    missing: Literal["raise", "omit"] = "raise",
) -> Rollup:
    """Group *items* by *by*, count them and total their values exactly.

    Args:
        items: Any iterable of policy exports (or objects with ``value``,
            ``value_date``, ``recipient`` and the attributes the keys read); it is
            read once, so generators stream.
        by: Key names (``"country"``, ``"city"``, ``"region"``, ``"sub_region"``,
            ``"year"``, ``"focus_area"``, ``"funding"``, ``"funder"``, ``"status"``,
            ``"term"`` or any attribute name) or key functions such as
            :func:`fiscal_year`. A key may return a :class:`Split`; ``"focus_area"``
            does for cases split over several areas.
        currency: Convert totals into this currency (needs *rates*).
        rates: The rates to convert with.
        on: ``"value_date"`` converts each item at its own value date (the IATI
            rule); a date converts everything at that one reporting date.
        policy: Which rate serves a date.
        missing: ``"raise"`` (a missing rate raises :class:`~citycoop.MissingRateError`)
            or ``"omit"`` (the subtotal is left out, listed in
            :attr:`Rollup.unconverted`, and its group marked incomplete). Never zero.

    Exact Decimals are summed per (group, currency, rates that serve the value date);
    each subtotal is converted once, and each converted total is rounded once, at the end.
    Memory grows with the groups and the distinct (currency, value date) pairs, not with
    the items; only items with an ``identifier`` or a ``parent`` are remembered, so that
    a parent's value can be taken out when its children arrive.

    >>> import citycoop
    >>> result = citycoop.rollup(citycoop.datasets.seoul().exports, by="country")
    >>> result.total.count, result.total.unvalued, len(result.rows)
    (15, 15, 11)

    .. versionadded:: 0.1.0
    """
    with decimal.localcontext(EXACT):  # sums of bounded amounts never round
        return _rollup(
            items, by, currency=currency, rates=rates, on=on, policy=policy, missing=missing
        )


class _Run:
    """The mutable state of one rollup call: groups, rate buckets and hierarchy notes."""

    def __init__(
        self,
        keys: _Keys,
        *,
        target: str | None,
        rates: RateTable | None,
        fixed: dt.date | None,
        policy: RatePolicy,
        missing: str,
    ) -> None:
        self.keys = keys
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
        self.legs_used: dict[Leg, None] = {}
        self.noted: set[int] = set()  # buckets whose legs are in legs_used
        self.rank: list[int] = []  # bucket number -> its place in a stable order
        self.unconverted: list[Unconverted] = []

    def add_all(self, items: Iterable[Any]) -> None:
        """Read every item once. The common case (no split) is inlined for speed."""
        accs, part_of, get_key = self.accs, self.part_of, self.keys.get
        may_split, per_item, fixed = self.keys.may_split, self.per_item, self.fixed
        position = -1
        try:
            for position, item in enumerate(items):
                value = item.value
                raw = get_key(item)
                if may_split and _is_split(raw, len(self.keys.names)):
                    self.add_split(item, raw, position)
                    continue
                acc = accs.get(raw)
                if acc is None:
                    acc = accs[raw] = _Acc()
                acc.count += 1
                acc.cities.add(item.recipient)
                if value is None:
                    acc.unvalued += 1
                    continue
                code = value.currency
                by_day = part_of.get(code)
                if by_day is None:
                    by_day = part_of[code] = {}
                day = item.value_date if per_item else fixed
                part = by_day.get(day)
                if part is None:
                    part = self.new_part(code, day, position)
                parts = acc.parts
                parts[part] = parts.get(part, _ZERO) + value.amount
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
                f"items with value, value_date, recipient and the keys {self.keys.names}",
            ) from None

    def new_part(self, code: str, day: dt.date | None, position: int) -> int:
        """The part key for amounts of *code* dated *day*: find the rates that serve them."""
        legs: tuple[Leg, ...] | None = ()
        numerator = denominator = Decimal(1)
        if self.target is not None:
            if day is None:
                raise ValidationError(
                    f"rollup.items[{position}].value_date",
                    None,
                    "a value date for each valued item, or pass on=<reporting date>",
                )
            assert self.rates is not None
            try:
                legs, numerator, denominator, _, _ = self.rates._resolve(  # noqa: SLF001
                    code, self.target, day, self.policy
                )
            except MissingRateError:
                if self.missing == "raise":
                    raise
                legs = None
        # The table holds every rate, so a rate's identity names it during this call.
        chain = None if legs is None else (code, *((id(leg.rate), leg.inverted) for leg in legs))
        if chain is not None and chain in self.parts_by_rates:
            part = self.parts_by_rates[chain]
        else:
            part = len(self.buckets)
            self.buckets.append(_Bucket(code, legs, day, numerator, denominator))
            if chain is not None:
                self.parts_by_rates[chain] = part
        self.part_of.setdefault(code, {})[day] = part
        return part

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

    def add_split(self, item: Any, raw: Any, position: int) -> None:
        """Add an item that a key splits over several groups, allocating its value exactly."""
        keys = self.keys
        expanded = _expand(keys.as_tuple(raw))
        value = item.value
        _note_overcount(self.overcount, expanded, len(keys.names), unvalued=value is None)
        part = None
        allocations: tuple[Decimal, ...] = ()
        if value is not None:
            allocations = _allocate(value, expanded)
            day = item.value_date if self.per_item else self.fixed
            part = self.part_of.get(value.currency, {}).get(day)
            if part is None:
                part = self.new_part(value.currency, day, position)
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

    def convert(self, key: tuple[object, ...], acc: _Acc) -> tuple[Decimal | None, bool]:
        """Convert a group's subtotals, one multiplication and division per bucket."""
        total = _ZERO
        complete = True
        converted_any = False
        buckets = self.buckets
        if len(self.rank) != len(buckets):  # buckets are all known once items are read
            ordered = sorted(range(len(buckets)), key=lambda number: buckets[number].order)
            self.rank = [0] * len(buckets)
            for position, number in enumerate(ordered):
                self.rank[number] = position
        rank = self.rank
        # Sorted by bucket, so that the 50-digit sum does not depend on item order.
        for number, amount in sorted(acc.parts.items(), key=lambda part: rank[part[0]]):
            bucket = buckets[number]
            code = bucket.currency
            if bucket.legs is None:
                complete = False
                assert bucket.day is not None
                reason = f"no {code}->{self.target} rate"
                self.unconverted.append(Unconverted(key, Money(amount, code), bucket.day, reason))
                continue
            if number not in self.noted:  # list each rate once, in order of first use
                self.noted.add(number)
                for leg in bucket.legs:
                    self.legs_used.setdefault(leg)
            total = CONVERSION.add(total, scale(amount, bucket.numerator, bucket.denominator))
            converted_any = True
        # Nothing converted is no total at all, never zero.
        return (total if converted_any else None), complete

    def result(self) -> Rollup:
        """Undo hierarchy double counting, convert, and build the :class:`Rollup`."""
        keys, target = self.keys, self.target
        rows_accs = {keys.as_tuple(raw): acc for raw, acc in self.accs.items()}
        conflicts = _resolve_hierarchy(rows_accs, keys, self.identified, self.children)
        rows = _groups(rows_accs, self.buckets, target, self.convert)
        grand: dict[tuple[object, ...], _Acc] = (
            _merge(rows_accs, 0, self.overcount) if rows_accs else {(): _Acc()}
        )
        total = _groups(grand, self.buckets, target, self.convert)[0]
        return Rollup(
            keys.names,
            target,
            rows,
            total,
            tuple(self.legs_used),
            tuple(dict.fromkeys(self.unconverted)),
            conflicts,
            rows_accs,
            self.overcount,
            self.convert,
            self.buckets,
        )


def _rollup(
    items: Iterable[Any],
    by: str | Callable[[Any], object] | Sequence[str | Callable[[Any], object]],
    *,
    currency: str | None,
    rates: RateTable | None,
    on: dt.date | str,
    policy: RatePolicy,
    missing: str,
) -> Rollup:
    keys = _compile(by)
    items = iterable(items, "rollup.items")
    target = None if currency is None else normalize_currency(currency, "rollup.currency")
    if target is not None and currency_info(target).minor_units is None:
        raise ValidationError("rollup.currency", target, "a currency with a minor unit to round to")
    if target is not None and not isinstance(rates, RateTable):
        raise ValidationError("rollup.rates", rates, "a RateTable to convert into " + target)
    if missing not in ("raise", "omit"):
        raise ValidationError("rollup.missing", missing, "'raise' or 'omit'")
    fixed = None if on == "value_date" else to_date(on, "rollup.on")
    run = _Run(keys, target=target, rates=rates, fixed=fixed, policy=policy, missing=missing)
    run.add_all(items)
    return run.result()


def _is_split(raw: Any, count: int) -> bool:
    if count == 1:
        return type(raw) is Split
    return any(type(value) is Split for value in raw)


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


def _expand(raw: tuple[object, ...]) -> tuple[tuple[tuple[object, ...], Decimal | None], ...]:
    """Turn key values (some of which may be splits) into (group key, weight) pairs."""
    combos: list[tuple[tuple[object, ...], Decimal]] = [((), Decimal(1))]
    for value in raw:
        if isinstance(value, Split):
            combos = [
                ((*key, part), CONVERSION.multiply(weight, share))
                for key, weight in combos
                for part, share in value.parts
            ]
        else:
            combos = [((*key, value), weight) for key, weight in combos]
    return tuple(combos)


def _allocate(
    value: Money, expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...]
) -> tuple[Decimal, ...]:
    return tuple(
        part.amount for part in value.allocate([weight or _ZERO for _, weight in expanded])
    )


def _resolve_hierarchy(
    accs: dict[tuple[object, ...], _Acc],
    keys: _Keys,
    identified: Mapping[str, list[tuple[Any, int, Decimal, Money]]],
    children: Mapping[str, list[Money]],
) -> tuple[Conflict, ...]:
    """Count values at the lowest level: drop a parent's value where its children carry values."""
    conflicts = []
    for parent, child_values in children.items():
        contributions = identified.get(parent)
        if not contributions:
            continue
        parent_value = contributions[0][3]
        for raw, part, amount, _ in contributions:
            acc = accs[keys.as_tuple(raw)]
            _take(acc, part, amount)
            acc.unvalued += 1  # the parent still counts; its value lives in its children
        sums: dict[str, Decimal] = {}
        for money in child_values:
            sums[money.currency] = sums.get(money.currency, _ZERO) + money.amount
        children_total = tuple(Money(sums[c], c) for c in sorted(sums))
        if children_total != (parent_value,):
            conflicts.append(Conflict(parent, parent_value, children_total))
    return tuple(conflicts)


def _take(acc: _Acc, part: int, amount: Decimal) -> None:
    left = acc.parts[part] - amount
    if left:
        acc.parts[part] = left
    else:
        del acc.parts[part]


@attrs.frozen
class Reconciliation:
    """What the records add up to against what was reported.

    Each ``*_coverage`` is computed / reported as an exact :class:`~decimal.Decimal`
    (``None`` when the report does not state the figure).

    .. versionadded:: 0.1.0
    """

    reported: ReportedFigures
    cases: int
    cities: int
    countries: int
    valued_cases: int
    value: Money | None
    conversions: tuple[Leg, ...]

    @staticmethod
    def _ratio(computed: int | Decimal, reported: int | Decimal | None) -> Decimal | None:
        if reported is None or reported == 0:
            return None
        return CONVERSION.divide(Decimal(computed), Decimal(reported))

    @property
    def case_coverage(self) -> Decimal | None:
        """Recorded cases / reported cases."""
        return self._ratio(self.cases, self.reported.cases)

    @property
    def city_coverage(self) -> Decimal | None:
        """Distinct recorded cities / reported cities."""
        return self._ratio(self.cities, self.reported.cities)

    @property
    def country_coverage(self) -> Decimal | None:
        """Distinct recorded countries / reported countries."""
        return self._ratio(self.countries, self.reported.countries)

    @property
    def value_coverage(self) -> Decimal | None:
        """Recorded value (converted into the reported currency) / reported value."""
        if self.value is None or self.reported.value is None:
            return None
        return self._ratio(self.value.amount, self.reported.value.amount)

    def differences(self) -> dict[str, int | Money | None]:
        """Computed minus reported, per figure (``None`` where either side is unknown)."""
        reported = self.reported
        value_gap = None
        if self.value is not None and reported.value is not None:
            value_gap = self.value - reported.value
        return {
            "cases": None if reported.cases is None else self.cases - reported.cases,
            "cities": None if reported.cities is None else self.cities - reported.cities,
            "countries": None
            if reported.countries is None
            else self.countries - reported.countries,
            "value": value_gap,
        }


@attrs.frozen
class BudgetTotal:
    """What the budgets of one period add up to.

    Attributes:
        period: The budget period.
        budgets: The budgets that count (per holder, the revised one where it exists).
        totals: Exact totals per currency.
        converted: The total in the requested currency (converted at the period's
            first day, rounded once), or ``None``.

    .. versionadded:: 0.1.0
    """

    period: Period
    budgets: tuple[Budget, ...]
    totals: tuple[Money, ...]
    converted: Money | None = None


def budget_totals(
    holders: Iterable[Any],
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    policy: RatePolicy = NARROWEST,
) -> tuple[BudgetTotal, ...]:
    """Add up the budgets of cases and training tracks, period by period.

    For each holder, a period counts its revised budget where one exists, else the
    original, never both (two budgets of the same kind for one period are an error).
    Totals are exact per currency; with *currency*, each period's total is converted at
    its first day and rounded once.

    .. versionadded:: 0.1.0
    """
    target = None if currency is None else normalize_currency(currency, "budget_totals.currency")
    if target is not None and not isinstance(rates, RateTable):
        raise ValidationError("budget_totals.rates", rates, "a RateTable to convert into " + target)
    chosen: dict[Period, list[Budget]] = {}
    for position, holder in enumerate(iterable(holders, "budget_totals.holders")):
        budgets = getattr(holder, "budgets", None)
        if not isinstance(budgets, tuple):
            raise ValidationError(
                f"budget_totals.holders[{position}]", type(holder).__name__, "items with budgets"
            )
        for budget in effective_budgets(budgets):
            chosen.setdefault(budget.period, []).append(budget)
    rows = []
    for period in sorted(chosen):
        sums: dict[str, Decimal] = {}
        for budget in chosen[period]:
            sums[budget.value.currency] = EXACT.add(
                sums.get(budget.value.currency, _ZERO), budget.value.amount
            )
        totals = tuple(Money(sums[c], c) for c in sorted(sums))
        converted = None
        if target is not None:
            assert rates is not None
            exact = _ZERO
            for money in totals:
                exact = CONVERSION.add(
                    exact,
                    convert(money, target, on=period.start, rates=rates, policy=policy).amount,
                )
            converted = round_to_minor(exact, target, field="budget_totals.currency")
        rows.append(BudgetTotal(period, tuple(chosen[period]), totals, converted))
    return tuple(rows)


def reconcile(
    items: Iterable[Any] | Portfolio,
    reported: ReportedFigures,
    *,
    rates: RateTable | None = None,
    policy: RatePolicy = NARROWEST,
) -> Reconciliation:
    """Compare recorded cases with reported figures.

    Only cases dated on or before the report's ``as_of`` count (cases without a year
    count too, since nothing says they are later). Values are converted into the
    reported currency at the reported date, with *rates* (needed only when a case's
    currency differs from the reported one).

    A portfolio may be passed instead of items; its ``exports`` are used.

    .. versionadded:: 0.1.0
    """
    if not isinstance(reported, ReportedFigures):
        raise ValidationError("reconcile.reported", reported, "ReportedFigures")
    cases = items.exports if isinstance(items, Portfolio) else iterable(items, "reconcile.items")
    as_of = reported.as_of
    try:
        counted = [c for c in cases if c.year is None or c.year <= as_of.year]
    except (AttributeError, TypeError):
        raise ValidationError(
            "reconcile.items", items, "policy export cases (with a year)"
        ) from None
    currency = reported.value.currency if reported.value is not None else None
    valued = [c for c in counted if c.value is not None]
    value: Money | None = None
    legs: tuple[Leg, ...] = ()
    if currency is not None and valued:
        table = rates if rates is not None else RateTable(())
        result = rollup(valued, currency=currency, rates=table, on=as_of, policy=policy)
        value = result.total.converted
        legs = result.legs
    return Reconciliation(
        reported,
        len(counted),
        len({c.recipient for c in counted}),
        len({c.recipient.country for c in counted}),
        len(valued),
        value,
        legs,
    )
