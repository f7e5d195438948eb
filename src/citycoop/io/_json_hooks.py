"""The cattrs hooks of citycoop's JSON: how each value becomes JSON and back.

One converter (:func:`base_converter`) with explicit hooks for Decimal, pendulum, pint,
places, code lists, cities and rate tables; every string is checked against the same
patterns the published JSON Schema states.
"""

# A JSON document is untyped data until it is checked, value by value, at run time.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, get_args, get_origin

import attrs
import pendulum

import citycoop
from citycoop._core.codes import CodeEnum
from citycoop._core.errors import ValidationError
from citycoop._core.places import City, Coordinates, Country, Region
from citycoop._core.text import Text, as_document, document_text
from citycoop._core.time import ISO_DATE
from citycoop._fx.table import RateTable
from citycoop.io._json_reading import DECIMAL_LENGTH, DECIMAL_PATTERN, READING, city_key

if TYPE_CHECKING:
    import cattrs

#: The format this version writes and reads.
SCHEMA: Final = "citycoop/1"

# What a JSON string must look like where the model expects a date or an instant (a
# decimal: DECIMAL_PATTERN). The loader and the published JSON Schema use the same patterns.
DATE_PATTERN: Final = f"^{ISO_DATE}$"
INSTANT_PATTERN: Final = (
    rf"^{ISO_DATE}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\.[0-9]{{1,6}})?(Z|[+-][0-9]{{2}}:[0-9]{{2}})$"
)


def _text(pattern: str, expected: str, max_length: int = DECIMAL_LENGTH) -> Any:
    """A hook passing a JSON string that matches *pattern* to the model, which converts it.

    Anything else (a JSON number where a decimal string belongs, ``"1_000"``, a date
    without dashes) is refused here, as the JSON Schema refuses it.
    """
    match = re.compile(pattern).fullmatch

    def structure(value: Any, _type: type) -> Any:
        if type(value) is not str or len(value) > max_length or match(value) is None:
            raise ValidationError("value", value, expected)
        return value

    return structure


_decimal_in = _text(DECIMAL_PATTERN, "a decimal string such as '804.8e9'")


def _place(value: Any, kind: type[Country | Region]) -> Country | Region:
    if isinstance(value, kind):
        return value
    pattern, expected = (
        ("[A-Z]{2}", "an ISO 3166 code") if kind is Country else (r"\d{3}", "an M49 code")
    )
    if type(value) is not str or re.fullmatch(pattern, value) is None:
        raise ValidationError("value", value, f"{expected} string")
    return kind(value)


def _code_out(member: CodeEnum) -> str:
    return member._value_  # the plain string (the documented sunder name; no property call)


def _code_in(value: Any, kind: type[CodeEnum]) -> CodeEnum:
    """A code exactly as written: a document holds ``"in_person"``, not ``"In Person"``."""
    if isinstance(value, kind):
        return value
    member = kind._value2member_map_.get(value) if type(value) is str else None
    if member is None:
        raise ValidationError("value", value, "one of " + ", ".join(kind))
    return member  # type: ignore[return-value]


def _strict(kind: type) -> Any:
    """JSON scalars of exactly *kind*: no silent ``int("5")`` or ``int(2021.7)``."""

    def structure(value: Any, _type: type) -> Any:
        if type(value) is not kind:
            raise ValidationError("value", value, f"a JSON {kind.__name__}")
        return value

    return structure


def _text_in(value: Any, _type: type) -> Text:
    return document_text(value, "value")


def _quantity_out(quantity: Any) -> dict[str, str]:
    return {"magnitude": str(quantity.magnitude), "unit": str(quantity.units)}


def _quantity_in(value: Any, _type: type) -> Any:
    from citycoop._core.units import quantity_in_hours

    if not isinstance(value, dict) or set(value) != {"magnitude", "unit"}:
        raise ValidationError("quantity", value, 'an object {"magnitude": "40", "unit": "hour"}')
    magnitude, unit = _decimal_in(value["magnitude"], str), value["unit"]
    if type(unit) is not str or len(unit) > 40:
        raise ValidationError("quantity.unit", unit, "a unit name of at most 40 characters")
    return quantity_in_hours(Decimal(magnitude), unit, "quantity")


_CITY_FIELDS: Final = tuple(field.name for field in attrs.fields(City))


def _city_in(value: Any, _type: type) -> City:
    """Cities repeat across a portfolio: build each distinct one once (they are immutable).

    Within one document, a city is found by its JSON object; across documents, by its
    checked fields.
    """
    reading = READING.get(None)
    key = None if reading is None else city_key(value)
    if key is None:
        return _checked_city(value)
    try:
        city = reading.cities.get(key)  # type: ignore[union-attr]
    except TypeError:  # an unhashable (so invalid) member: checked below
        return _checked_city(value)
    if city is None:
        city = reading.cities[key] = _checked_city(value)  # type: ignore[union-attr]
    return city


def _checked_city(value: Any) -> City:
    if (
        not isinstance(value, dict)
        or not set(value) <= set(_CITY_FIELDS)
        or not {"name", "country", "timezone"} <= set(value)
    ):
        raise ValidationError(
            "City",
            value,
            f"an object with name, country, timezone and optionally {_CITY_FIELDS[3:]}",
        )
    coordinates = value.get("coordinates")
    if coordinates is not None and (
        type(coordinates) is not dict or set(coordinates) != {"latitude", "longitude"}
    ):
        raise ValidationError(
            "City.coordinates", coordinates, "null or an object with latitude and longitude"
        )
    flat = [value.get(name) for name in _CITY_FIELDS]
    for name, item in zip(("name", "timezone"), (flat[0], flat[2]), strict=True):
        if type(item) is not str:
            raise ValidationError(f"City.{name}", item, "a JSON string")
    flat[1] = _place(flat[1], Country)
    for name, item in zip(("population", "geonames_id"), (flat[3], flat[5]), strict=True):
        if item is not None and type(item) is not int:
            raise ValidationError(f"City.{name}", item, "null or a JSON integer")
    if coordinates is not None:
        flat[4] = (
            _decimal_in(coordinates["latitude"], str),
            _decimal_in(coordinates["longitude"], str),
        )
    try:
        # The types go into the key too, so that true never stands in for 1.
        key = tuple((item, type(item)) for item in flat)
        return _city(key)
    except TypeError:  # an unhashable (so invalid) value: let the model say what is wrong
        return _make_city(*flat)


@functools.lru_cache(maxsize=16_384)
def _city(key: tuple[tuple[Any, type], ...]) -> City:
    return _make_city(*(item for item, _ in key))


def _make_city(*fields: Any) -> City:
    name, country, timezone, population, coordinates, geonames_id = fields
    return City(
        name,
        country,
        timezone,
        population=population,
        coordinates=None if coordinates is None else Coordinates(*coordinates),
        geonames_id=geonames_id,
    )


def _rate_table_out(table: RateTable) -> dict[str, Any]:
    converter = base_converter()
    return {
        "rates": [converter.unstructure(rate) for rate in table.rates],
        "pivots": list(table.pivots),
        "omitted": list(table.omitted),
    }


def _is_sequence(annotation: Any) -> bool:
    args = get_args(annotation)
    return get_origin(annotation) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_optional(annotation: Any) -> bool:
    args = get_args(annotation)
    return len(args) == 2 and type(None) in args


def _sequence_out(annotation: Any, converter: cattrs.Converter) -> Any:
    """Unstructure ``tuple[T, ...]`` as a list, with *T*'s hook looked up once."""
    unstructure_item = converter.get_unstructure_hook(get_args(annotation)[0])

    def unstructure(value: tuple[Any, ...]) -> list[Any]:
        return [unstructure_item(item) for item in value]

    return unstructure


def _optional_out(annotation: Any, converter: cattrs.Converter) -> Any:
    """Unstructure ``T | None`` with *T*'s hook looked up once.

    The domain's classes are final in practice: no subclass needs a hook of its own.
    """
    kind = next(arg for arg in get_args(annotation) if arg is not type(None))
    unstructure_value = converter.get_unstructure_hook(kind)

    def unstructure(value: Any) -> Any:
        return None if value is None else unstructure_value(value)

    return unstructure


def _export_out(_kind: Any, converter: cattrs.Converter) -> Any:
    """Unstructure a ``PolicyExport`` in one function, as cattrs would.

    cattrs' generated function calls a hook per optional field; this one tests for
    ``None`` in place (a portfolio holds many cases). A test checks it against cattrs'
    own on drawn cases.
    """
    from citycoop._domain.budgets import Budget
    from citycoop._domain.exports import Funding
    from citycoop._domain.parties import Organisation

    text, city = converter.get_unstructure_hook(Text), converter.get_unstructure_hook(City)
    money = converter.get_unstructure_hook(citycoop.Money)
    funding_of = converter.get_unstructure_hook(Funding)
    organisation = converter.get_unstructure_hook(Organisation)
    budget = converter.get_unstructure_hook(Budget)

    def unstructure(case: Any) -> dict[str, Any]:
        value_date, value, funding = case.value_date, case.value, case.funding
        implementer, note = case.implementer, case.note
        return {
            "policy": text(case.policy),
            "recipient": city(case.recipient),
            "focus": [{"area": s.area._value_, "percent": str(s.percent)} for s in case.focus],
            "year": case.year,
            "value_date": None if value_date is None else value_date.isoformat(),
            "value": None if value is None else money(value),
            "funding": None if funding is None else funding_of(funding),
            "status": case.status._value_,
            "implementer": None if implementer is None else organisation(implementer),
            "budgets": [budget(item) for item in case.budgets],
            "identifier": case.identifier,
            "parent": case.parent,
            "sources": list(case.sources),
            "note": None if note is None else text(note),
        }

    return unstructure


def _sequence_factory(annotation: Any, converter: cattrs.Converter) -> Any:
    """Structure ``tuple[T, ...]`` from a JSON array, item by item, within the budget.

    Like cattrs's own hook it reports every failed item with its index, but it stops at
    the document's problem limit, so that rejecting a million bad items costs about as
    much as rejecting a hundred. cattrs passes the converter in use, so that a copy made
    by :func:`converter` structures items with its own hooks.
    """
    from cattrs.errors import IterableValidationError, IterableValidationNote

    kind = get_args(annotation)[0]
    structure_item = converter.get_structure_hook(kind)

    def structure(value: Any, _type: type) -> tuple[Any, ...]:
        if type(value) is not list:
            raise ValidationError("value", value, "a JSON array")
        budget = READING.get(None)
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(structure_item(item, kind))
            except Exception as error:  # noqa: BLE001 - reported with its index, as cattrs does
                note = IterableValidationNote(
                    f"Structuring {annotation} @ index {index}", index, kind
                )
                error.__notes__ = [*getattr(error, "__notes__", []), note]
                errors.append(error)
                if budget is not None and budget.spend():
                    break
        if errors:
            # cattrs defines __new__(message, excs, cl); pyright reads ExceptionGroup's __init__.
            message = f"While structuring {annotation!r}"
            raise IterableValidationError(message, errors, annotation)  # pyright: ignore[reportCallIssue]
        return tuple(items)

    return structure


_RATE_TABLE_FIELDS: Final = frozenset({"rates", "pivots", "omitted"})


def _rate_table_in(value: Any, _type: type) -> RateTable:
    if type(value) is not dict or "rates" not in value or not set(value) <= _RATE_TABLE_FIELDS:
        raise ValidationError(
            "RateTable", value, "an object with rates and optionally pivots and omitted"
        )
    converter = base_converter()
    rates = converter.structure(value["rates"], tuple[citycoop.Rate, ...])
    codes = tuple[str, ...]
    pivots = converter.structure(value.get("pivots", ["USD", "EUR"]), codes)
    return RateTable(
        rates, pivots=pivots, omitted=converter.structure(value.get("omitted", []), codes)
    )


def converter() -> cattrs.Converter:
    """A new cattrs converter configured as citycoop's own, to extend with your hooks.

    It is a copy of the one :func:`~citycoop.io.json.dumps` and
    :func:`~citycoop.io.json.loads` use.

    It unstructures amounts, dates and instants to strings, countries and regions to
    their codes and quantities to ``{"magnitude", "units"}``, and structures them back
    through citycoop's validating constructors.

    >>> from citycoop import Money
    >>> c = converter()
    >>> c.unstructure(Money("804.8e9", "KRW"))
    {'amount': '8.048E+11', 'currency': 'KRW'}
    >>> c.structure({"amount": "1.50", "currency": "usd"}, Money)
    Money('1.50', 'USD')

    .. versionadded:: 0.1.0
    """
    return base_converter().copy()


@functools.cache
def base_converter() -> cattrs.Converter:
    import cattrs
    import pint

    from citycoop._domain.training import Cohort

    attrs.resolve_types(Cohort, localns={"pint": pint, "Any": Any})
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_unstructure_hook(pendulum.Date, lambda d: d.isoformat())
    converter.register_unstructure_hook(pendulum.DateTime, lambda t: t.isoformat())
    converter.register_unstructure_hook(Country, lambda c: c.code)
    converter.register_unstructure_hook(Region, lambda r: r.code)

    def is_quantity(annotation: Any) -> bool:
        origin = get_origin(annotation) or annotation
        return isinstance(origin, type) and issubclass(origin, pint.Quantity)

    converter.register_unstructure_hook_func(is_quantity, _quantity_out)
    converter.register_unstructure_hook(RateTable, _rate_table_out)
    converter.register_unstructure_hook(Text, as_document)
    converter.register_structure_hook(Text, _text_in)
    converter.register_structure_hook(Decimal, _decimal_in)
    converter.register_structure_hook(
        pendulum.Date, _text(DATE_PATTERN, "a date such as '2021-11-25'", 10)
    )
    converter.register_structure_hook(
        pendulum.DateTime,
        _text(
            INSTANT_PATTERN, "an instant with its offset, such as '2021-11-24T23:30:00+00:00'", 40
        ),
    )
    for place in (Country, Region):  # a code, or the object itself
        converter.register_structure_hook(place, _place)
    # By class, so that code lists (string enums) never take the str hooks.
    converter.register_unstructure_hook(CodeEnum, _code_out)
    # Each field's hook found once, not per value (the latest registration wins, so the
    # more particular hooks below come after these).
    converter.register_unstructure_hook_factory(_is_sequence, _sequence_out)
    converter.register_unstructure_hook_factory(_is_optional, _optional_out)
    # Written as they are: optional scalars, and tuples of strings as lists (the JSON
    # shape). cattrs inlines a field whose hook is its identity function.
    from cattrs.fns import identity

    plain = {str | None, int | None, bool | None}
    converter.register_unstructure_hook_func(lambda kind: kind in plain, identity)
    converter.register_unstructure_hook_func(lambda kind: kind == tuple[str, ...], list)
    converter.register_unstructure_hook_factory(
        lambda kind: kind is citycoop.PolicyExport, _export_out
    )
    converter.register_structure_hook(CodeEnum, _code_in)
    for scalar in (str, int, bool):
        converter.register_structure_hook(scalar, _strict(scalar))
    converter.register_structure_hook_func(is_quantity, _quantity_in)
    converter.register_structure_hook(RateTable, _rate_table_in)
    converter.register_structure_hook(City, _city_in)
    from citycoop.io._json_exports import export_hook

    converter.register_structure_hook_factory(
        lambda kind: kind is citycoop.PolicyExport, export_hook
    )
    converter.register_structure_hook_factory(_is_sequence, _sequence_factory)
    return converter
