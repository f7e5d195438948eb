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
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from citycoop._errors import MissingRateError, ValidationError
from citycoop._fx import CONVERSION, NARROWEST, Leg, RatePolicy, RateTable, apply
from citycoop._money import EXACT, Money, currency_info, normalize_currency, round_to_minor
from citycoop._portfolio import Portfolio
from citycoop._time import to_date

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from citycoop._portfolio import ReportedFigures

__all__ = [
    "Conflict",
    "Group",
    "Reconciliation",
    "Rollup",
    "Split",
    "Unconverted",
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


def _attr(name: str) -> Callable[[Any], object]:
    def key(item: Any) -> object:
        try:
            return getattr(item, name)
        except AttributeError:
            raise ValidationError(
                f"rollup.by[{name!r}]", type(item).__name__, f"items with an attribute {name!r}"
            ) from None

    key.__name__ = name
    return key


def _country(item: Any) -> object:
    return item.recipient.country


def _city(item: Any) -> object:
    return item.recipient


def _region(item: Any) -> object:
    return item.recipient.country.region


def _sub_region(item: Any) -> object:
    return item.recipient.country.sub_region


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


def _term(item: Any) -> object:
    return item.term


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


#: Keys known by name; any other name reads that attribute.
KEYS: Final[Mapping[str, Callable[[Any], object]]] = {
    "country": _country,
    "city": _city,
    "region": _region,
    "sub_region": _sub_region,
    "focus_area": _focus_area,
    "funding": _funding,
    "funder": _funder,
    "term": _term,
}


def _resolve(
    by: str | Callable[[Any], object] | Sequence[str | Callable[[Any], object]],
) -> tuple[tuple[str, Callable[[Any], object]], ...]:
    items = (by,) if isinstance(by, str) or callable(by) else tuple(by)
    resolved = []
    for index, key in enumerate(items):
        if isinstance(key, str):
            resolved.append((key, KEYS.get(key) or _attr(key)))
        elif callable(key):
            resolved.append((getattr(key, "__name__", f"key{index}"), key))
        else:
            raise ValidationError(f"rollup.by[{index}]", key, "an attribute name or a key function")
    return tuple(resolved)


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
    """Mutable accumulator of one finest-level group, private to one rollup call."""

    __slots__ = ("cities", "count", "countries", "parts", "unvalued")

    def __init__(self) -> None:
        self.count = 0
        self.unvalued = 0
        self.cities: set[object] = set()
        self.countries: set[object] = set()
        # (currency, rate date or None) -> exact sum
        self.parts: dict[tuple[str, dt.date | None], Decimal] = {}

    def merge(self, other: _Acc) -> None:
        self.count += other.count
        self.unvalued += other.unvalued
        self.cities |= other.cities
        self.countries |= other.countries
        for part, amount in other.parts.items():
            self.parts[part] = self.parts.get(part, _ZERO) + amount


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
        merged: dict[tuple[object, ...], _Acc] = {}
        for key, acc in self._accs.items():
            merged.setdefault(key[:depth], _Acc()).merge(acc)
        # An item split over several rows of one subtotal counts once in it.
        for prefix, (count, unvalued) in self._overcount.get(depth, {}).items():
            merged[prefix].count -= count
            merged[prefix].unvalued -= unvalued
        return _groups(merged, self.currency, self._convert)

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


def _groups(
    accs: Mapping[tuple[object, ...], _Acc],
    currency: str | None,
    convert: Callable[[tuple[object, ...], _Acc], tuple[Decimal | None, bool]],
) -> tuple[Group, ...]:
    groups = []
    for key in sorted(accs, key=_sort_key):
        acc = accs[key]
        sums: dict[str, Decimal] = {}
        for (code, _), amount in acc.parts.items():
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
                len(acc.countries),
                tuple(Money(sums[c], c) for c in sorted(sums)),
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

    Exact Decimals are summed per (group, currency, value date); each subtotal is
    converted once, and each converted total is rounded once, at the end.

    .. versionadded:: 0.1.0
    """
    with decimal.localcontext(EXACT):  # sums of bounded amounts never round
        return _rollup(
            items, by, currency=currency, rates=rates, on=on, policy=policy, missing=missing
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
    keys = _resolve(by)
    target = None if currency is None else normalize_currency(currency, "rollup.currency")
    if target is not None and currency_info(target).minor_units is None:
        raise ValidationError("rollup.currency", target, "a currency with a minor unit to round to")
    if target is not None and not isinstance(rates, RateTable):
        raise ValidationError("rollup.rates", rates, "a RateTable to convert into " + target)
    if missing not in ("raise", "omit"):
        raise ValidationError("rollup.missing", missing, "'raise' or 'omit'")
    fixed: dt.date | None = None
    if on != "value_date":
        fixed = to_date(on, "rollup.on")
    per_item_date = target is not None and fixed is None

    accs: dict[tuple[object, ...], _Acc] = {}
    # Hierarchies: parents' contributions, and what their children carried.
    identified: dict[
        str, list[tuple[tuple[object, ...], tuple[str, dt.date | None], Decimal, Money]]
    ] = {}
    children: dict[str, list[Money]] = {}
    single_key = len(keys) == 1
    key_functions = tuple(function for _, function in keys)
    grand = _Acc()
    overcount: dict[int, dict[tuple[object, ...], tuple[int, int]]] = {}

    for position, item in enumerate(items):
        try:
            value = item.value
            recipient = item.recipient
        except AttributeError:
            raise ValidationError(
                f"rollup.items[{position}]", type(item).__name__, "items with value and recipient"
            ) from None
        if single_key:
            raw = key_functions[0](item)
            expanded = _expand((raw,))
        elif keys:
            expanded = _expand(tuple(function(item) for function in key_functions))
        else:
            expanded = (((), None),)
        day: dt.date | None = None
        if value is not None and per_item_date:
            day = item.value_date
            if day is None:
                raise ValidationError(
                    f"rollup.items[{position}].value_date",
                    None,
                    "a value date for each valued item, or pass on=<reporting date>",
                )
        identifier = getattr(item, "identifier", None)
        parent = getattr(item, "parent", None)
        if value is not None and parent is not None:
            children.setdefault(parent, []).append(value)
        allocations = _allocate(value, expanded) if value is not None else None
        country = recipient.country
        grand.count += 1
        grand.cities.add(recipient)
        grand.countries.add(country)
        if value is None:
            grand.unvalued += 1
        else:
            whole = (value.currency, day)
            grand.parts[whole] = grand.parts.get(whole, _ZERO) + value.amount
            if len(expanded) > 1:
                _note_overcount(overcount, expanded, len(keys), unvalued=False)
        if value is None and len(expanded) > 1:
            _note_overcount(overcount, expanded, len(keys), unvalued=True)
        for index, (key, _) in enumerate(expanded):
            acc = accs.get(key)
            if acc is None:
                acc = accs[key] = _Acc()
            acc.count += 1
            acc.cities.add(recipient)
            acc.countries.add(country)
            if value is None:
                acc.unvalued += 1
                continue
            assert allocations is not None
            part = (value.currency, day)
            amount = allocations[index]
            acc.parts[part] = acc.parts.get(part, _ZERO) + amount
            if identifier is not None:
                identified.setdefault(identifier, []).append((key, part, amount, value))

    conflicts = _resolve_hierarchy(accs, grand, identified, children)

    legs_used: dict[Leg, None] = {}
    unconverted: list[Unconverted] = []
    memo: dict[tuple[str, dt.date], tuple[Leg, ...] | None] = {}

    def convert_acc(key: tuple[object, ...], acc: _Acc) -> tuple[Decimal | None, bool]:
        assert target is not None
        assert rates is not None
        total = _ZERO
        complete = True
        # Sorted, so that the 50-digit sum does not depend on the order items came in.
        for (code, day), amount in sorted(acc.parts.items(), key=_part_order):
            when = fixed if fixed is not None else day
            assert when is not None
            memo_key = (code, when)
            if memo_key not in memo:
                try:
                    memo[memo_key] = rates.find(code, target, when, policy)
                except MissingRateError:
                    if missing == "raise":
                        raise
                    memo[memo_key] = None
            legs = memo[memo_key]
            if legs is None:
                complete = False
                unconverted.append(
                    Unconverted(key, Money(amount, code), when, f"no {code}->{target} rate")
                )
                continue
            for leg in legs:
                legs_used.setdefault(leg)
            total = CONVERSION.add(total, apply(amount, legs))
        return total, complete

    rows = _groups(accs, target, convert_acc)
    total = _groups({(): grand}, target, convert_acc)[0]
    return Rollup(
        tuple(name for name, _ in keys),
        target,
        rows,
        total,
        tuple(legs_used),
        tuple(dict.fromkeys(unconverted)),
        conflicts,
        accs,
        overcount,
        convert_acc,
    )


def _part_order(entry: tuple[tuple[str, dt.date | None], Decimal]) -> tuple[str, dt.date]:
    (code, day), _ = entry
    return (code, day or dt.date.min)


def _note_overcount(
    overcount: dict[int, dict[tuple[object, ...], tuple[int, int]]],
    expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...],
    depth: int,
    *,
    unvalued: bool,
) -> None:
    """Record how many extra times a split item lands in each subtotal above the rows."""
    for level in range(1, depth):
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
    if not any(isinstance(value, Split) for value in raw):
        return ((raw, None),)
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
    return tuple((key, weight) for key, weight in combos)


def _allocate(
    value: Money, expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...]
) -> tuple[Decimal, ...]:
    if len(expanded) == 1:
        return (value.amount,)
    return tuple(
        part.amount for part in value.allocate([weight or Decimal(0) for _, weight in expanded])
    )


def _resolve_hierarchy(
    accs: dict[tuple[object, ...], _Acc],
    grand: _Acc,
    identified: Mapping[
        str, list[tuple[tuple[object, ...], tuple[str, dt.date | None], Decimal, Money]]
    ],
    children: Mapping[str, list[Money]],
) -> tuple[Conflict, ...]:
    """Count values at the lowest level: drop a parent's value where its children carry values."""
    conflicts = []
    for parent, child_values in children.items():
        contributions = identified.get(parent)
        if not contributions:
            continue
        parent_value = contributions[0][3]
        for key, part, amount, _ in contributions:
            _take(accs[key], part, amount)
            accs[key].unvalued += 1  # the parent still counts; its value lives in its children
        _take(grand, (parent_value.currency, contributions[0][1][1]), parent_value.amount)
        grand.unvalued += 1
        sums: dict[str, Decimal] = {}
        for money in child_values:
            sums[money.currency] = sums.get(money.currency, _ZERO) + money.amount
        children_total = tuple(Money(sums[c], c) for c in sorted(sums))
        if children_total != (parent_value,):
            conflicts.append(Conflict(parent, parent_value, children_total))
    return tuple(conflicts)


def _take(acc: _Acc, part: tuple[str, dt.date | None], amount: Decimal) -> None:
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
    cases: Iterable[Any] = items.exports if isinstance(items, Portfolio) else items
    as_of = reported.as_of
    counted = [c for c in cases if c.year is None or c.year <= as_of.year]
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
