"""Grouping keys: what a rollup groups items by.

A key is a name known here (``"country"``, ``"region"``, ``"focus_area"``, ...), any
attribute name, or a function of an item such as :func:`fiscal_year`. A key may return a
:class:`Split` to put an item in several groups in given proportions. :func:`compile_keys`
turns the ``by`` argument of a rollup into one getter.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from citycoop._core.decimals import CONVERSION
from citycoop._core.errors import ValidationError
from citycoop._core.places import Country
from citycoop._core.text import Text
from citycoop._core.validation import Arguments, iterable

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

_ZERO: Final = Decimal(0)
_HUNDRED: Final = Decimal(100)

__all__ = ["By", "KeyName", "Split", "fiscal_year", "sector"]

#: The arguments of :func:`citycoop.rollup`, for the paths in its errors.
ROLLUP: Final = Arguments("rollup")


@attrs.frozen
class Split:
    """What a key returns when an item belongs to several groups in given proportions.

    ``parts`` pairs each group key with a weight (such as a percentage); the item's
    value is allocated exactly over the parts, to the currency's minor unit.

    .. versionadded:: 0.1.0
    """

    parts: tuple[tuple[object, Decimal], ...]


def merged_weights(
    parts: Iterable[tuple[object, Decimal | None]],
) -> tuple[tuple[object, Decimal], ...]:
    """Weights summed per key, in first-seen order, missing weights completed by one rule.

    The rule (IATI's percentages): parts without a weight share equally what the given
    weights leave of 100; when none is given, all weigh alike; when the given ones reach
    100 (a country at 100 % beside a region without a percentage), the parts without a
    weight get nothing and are left out; when every weight is 0, all weigh alike. Two
    parts with one key (two codes of one area, two cities of one country) are one.

    >>> merged_weights([("PE", Decimal(100)), (None, None)])
    (('PE', Decimal('100')),)
    >>> merged_weights([("PE", Decimal(60)), ("EC", None), (None, None)])
    (('PE', Decimal('60')), ('EC', Decimal('20')), (None, Decimal('20')))
    >>> merged_weights([("PE", None), ("EC", None)])
    (('PE', Decimal('100')), ('EC', Decimal('100')))
    """
    listed = list(parts)
    missing = sum(1 for _, weight in listed if weight is None)
    given = sum((weight for _, weight in listed if weight is not None), _ZERO)
    if not missing and not given:  # every weight 0: nothing says which part weighs more
        listed = [(key, None) for key, _ in listed]
        missing = len(listed)
    if missing == len(listed):
        share = _HUNDRED
    else:
        share = max(_HUNDRED - given, _ZERO) / missing if missing else _ZERO
    merged: dict[object, Decimal] = {}
    for key, weight in listed:
        if weight is None and not share:
            continue
        merged[key] = merged.get(key, _ZERO) + (share if weight is None else weight)
    return tuple(merged.items())


def split_of(parts: Iterable[tuple[object, Decimal | None]]) -> object:
    """What a key returns for weighted parts: ``None`` for none, one key, or a :class:`Split`."""
    merged = merged_weights(parts)
    if not merged:
        return None
    return merged[0][0] if len(merged) == 1 else Split(merged)


def _focus_area(item: Any) -> object:
    focus = item.focus
    if len(focus) == 1:
        return focus[0].area
    if not focus:  # a record with no focus area (an MOU that names none)
        return None
    return Split(tuple((share.area, share.percent) for share in focus))


def _currency(item: Any) -> object:
    value = item.value
    return None if value is None else value.currency


def _funding(item: Any) -> object:
    return None if item.funding is None else item.funding.kind


def _funder(item: Any) -> object:
    funding = item.funding
    return None if funding is None or funding.funder is None else funding.funder


def sector(vocabulary: str = "1") -> Callable[[Any], object]:
    """A key: an item's sector codes in one *vocabulary*, split by their percentages.

    The ``"sector"`` key is ``sector("1")``, the OECD DAC 5-digit purpose codes; a
    publisher's own codes have their own vocabulary (``"99"``). An item with no sector in
    the vocabulary groups under ``None``; a sector given without a percentage weighs 100.

    >>> from types import SimpleNamespace
    >>> from citycoop import SectorShare
    >>> item = SimpleNamespace(sectors=(SectorShare("11", "99"), SectorShare("21020")))
    >>> sector("99")(item), sector()(item)
    ('11', '21020')

    .. versionadded:: 0.1.0
    """
    given: object = vocabulary
    if not isinstance(given, str) or not given.strip():
        raise ValidationError(
            Arguments("sector")("vocabulary"), vocabulary, "a sector vocabulary code"
        )

    def key(item: Any) -> object:
        return split_of(
            (share.code, share.percent) for share in item.sectors if share.vocabulary == vocabulary
        )

    key.__name__ = "sector" if vocabulary == "1" else f"sector_{vocabulary}"
    return key


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
        raise ValidationError(
            Arguments("fiscal_year")("start_month"), start_month, "a month number from 1 to 12"
        )

    def key(item: Any) -> object:
        day = item.value_date
        if day is None:
            return None
        return day.year if day.month >= start_month else day.year - 1

    key.__name__ = f"fiscal_year_{start_month:02d}"
    return key


#: The names a rollup groups by; any other grouping is a key function.
KeyName = Literal[
    "city",
    "country",
    "currency",
    "focus_area",
    "funder",
    "funding",
    "modality",
    "organisation",
    "region",
    "sector",
    "status",
    "sub_region",
    "transaction_type",
    "year",
]
#: A ``by`` argument: a key name or function, or a sequence of them.
By = KeyName | Callable[[Any], object] | Sequence[KeyName | Callable[[Any], object]]


@attrs.frozen
class KeySpec:
    """One grouping key known by name: what it reads and where it works.

    ``path`` is the attribute path it reads, or ``function`` computes its value (and may
    return a :class:`Split`); ``columnar`` says
    whether ``citycoop.columnar.rollup`` can group by it (a column of the cases table).
    """

    name: str
    path: str | None = None
    function: Callable[[Any], object] | None = None
    columnar: bool = False


#: Every key known by name: the one table from which the key lists are derived (a test
#: checks :data:`KeyName` against it, and the docs' list of keys).
KEY_TABLE: Final[tuple[KeySpec, ...]] = (
    KeySpec("city", path="recipient", columnar=True),
    KeySpec("country", path="recipient.country", columnar=True),
    KeySpec(
        "region",
        path="recipient.country.region",
        columnar=True,
    ),
    KeySpec(
        "sub_region",
        path="recipient.country.sub_region",
        columnar=True,
    ),
    KeySpec("status", path="status", columnar=True),
    KeySpec("year", path="year", columnar=True),
    KeySpec("modality", path="modality"),
    KeySpec("organisation", path="organisation"),
    KeySpec("transaction_type", path="transaction_type"),
    KeySpec("focus_area", function=_focus_area),
    KeySpec("currency", function=_currency),
    KeySpec("funding", function=_funding),
    KeySpec("funder", function=_funder),
    KeySpec("sector", function=sector("1")),
)
#: Keys known by name that read an attribute path.
PATHS: Final[Mapping[str, str]] = MappingProxyType(
    {key.name: key.path for key in KEY_TABLE if key.path is not None}
)
#: Keys known by name that compute their value (and may split an item).
FUNCTIONS: Final[Mapping[str, Callable[[Any], object]]] = MappingProxyType(
    {key.name: key.function for key in KEY_TABLE if key.function is not None}
)
#: The keys a columnar rollup groups by, sorted.
COLUMNAR_KEYS: Final = tuple(sorted(key.name for key in KEY_TABLE if key.columnar))


@attrs.frozen
class Keys:
    """The ``by`` keys of one rollup, compiled into one getter.

    ``get(item)`` returns the raw key: ``()`` for no key, the value itself for one key,
    a tuple for several. ``may_split`` is set when a key function could return a
    :class:`Split`. ``paths`` are the attribute paths ``get`` reads when every key is
    a named attribute key (empty otherwise).
    """

    names: tuple[str, ...]
    get: Callable[[Any], Any]
    may_split: bool
    paths: tuple[str, ...] = ()

    def as_tuple(self, raw: Any) -> tuple[object, ...]:
        count = len(self.names)
        return () if count == 0 else (raw,) if count == 1 else raw

    def from_tuple(self, key: tuple[object, ...]) -> Any:
        count = len(self.names)
        return () if count == 0 else key[0] if count == 1 else key


def _none(_value: Any) -> None:
    return None


def _same(value: Any) -> Any:
    return value


def place_getter(tail: str) -> Callable[[Any], object]:
    """A getter of attribute path *tail* on a recipient.

    A recipient is a city, a country (where only the country is known, as for an IATI
    activity), or ``None``. On a country, ``"country..."`` paths start from the country
    itself and the city (the empty path) is ``None``.
    """
    on_city: Callable[[Any], object] = operator.attrgetter(tail) if tail else _same
    on_country: Callable[[Any], object] = _none
    if tail == "country":
        on_country = _same
    elif tail.startswith("country."):
        on_country = operator.attrgetter(tail.removeprefix("country."))

    def get(place: Any) -> object:
        if place is None:
            return None
        if place.__class__ is Country:
            return on_country(place)
        return on_city(place)

    return get


def _path_getter(path: str) -> Callable[[Any], object]:
    """A getter of an attribute path; a path through the recipient reads it as a place.

    A recipient that is a :class:`Split` over several places gives a split of what the
    path reads on each (places that read alike, two cities of one country, are merged).
    """
    head, _, tail = path.partition(".")
    if head != "recipient":
        return operator.attrgetter(path)
    inner = place_getter(tail)

    def get(item: Any) -> object:
        recipient = item.recipient
        if recipient.__class__ is not Split:
            return inner(recipient)
        return split_of((inner(place), weight) for place, weight in recipient.parts)

    return get


def _no_key(_item: Any) -> tuple[()]:
    return ()


def compile_keys(by: By, where: Arguments = ROLLUP) -> Keys:
    """The ``by`` argument of a rollup as one getter; errors name *where*'s ``by``."""
    entries = (by,) if isinstance(by, str) or callable(by) else tuple(iterable(by, where("by")))
    names: list[str] = []
    paths: list[str] = []
    functions: list[Callable[[Any], object]] = []
    for index, key in enumerate(entries):
        if isinstance(key, str) and key in FUNCTIONS:
            function = FUNCTIONS[key]
        elif isinstance(key, str):
            path = PATHS.get(key)
            if path is None:
                raise ValidationError(
                    where("by", index),
                    key,
                    f"one of {', '.join(sorted((*PATHS, *FUNCTIONS)))}, or a key function "
                    "(such as operator.attrgetter for any other attribute)",
                )
            paths.append(path)
            function = _path_getter(path)
        elif callable(key):
            function = key
        else:
            raise ValidationError(where("by", index), key, "a key name or a key function")
        names.append(key if isinstance(key, str) else getattr(key, "__name__", f"key{index}"))
        functions.append(function)
    if not functions:
        return Keys((), _no_key, may_split=False)
    if len(paths) == len(functions):  # plain attributes: one C-level getter, never a split
        return Keys(tuple(names), operator.attrgetter(*paths), may_split=False, paths=tuple(paths))
    if len(functions) == 1:
        return Keys(tuple(names), functions[0], may_split=True)
    chosen = tuple(functions)

    def get(item: Any) -> tuple[object, ...]:
        return tuple(function(item) for function in chosen)

    return Keys(tuple(names), get, may_split=True)


def plain(value: object) -> object:
    """A key value as plain data: a code, a name as recorded, an enum's value, or itself."""
    if isinstance(value, str):
        return value
    if isinstance(value, Text):
        return value.original
    code: object = getattr(value, "code", None)
    if code is not None:
        return code
    if hasattr(value, "country"):
        name: object = getattr(value, "name", value)
        return name.original if isinstance(name, Text) else name
    text: object = getattr(value, "value", None)
    return text if isinstance(text, str) else value


def sort_key(key: tuple[object, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, str(plain(value))) for value in key)


def is_split(raw: Any, count: int) -> bool:
    if count == 1:
        return type(raw) is Split
    return any(type(value) is Split for value in raw)


def expand(raw: tuple[object, ...]) -> tuple[tuple[tuple[object, ...], Decimal | None], ...]:
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
