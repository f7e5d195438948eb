"""Exact JSON for citycoop objects, with a versioned schema.

A document is ``{"schema": "citycoop/1", "type": "<TypeName>", "data": {...}}``. Amounts
and rates are decimal *strings*, so every digit (trailing zeros included) survives;
instants are ISO 8601 in UTC; cities keep their IANA time-zone names; durations keep
their unit; unknown values stay ``null``.

>>> import citycoop
>>> from citycoop.io import json as cjson
>>> text = cjson.dumps(citycoop.Money("804.80e9", "KRW"))
>>> text
'{"schema": "citycoop/1", "type": "Money", "data": {"amount": "8.0480E+11", "currency": "KRW"}}'
>>> cjson.loads(text).amount
Decimal('8.0480E+11')

Errors name the JSON path of every problem found (``$.data.exports[3].value.amount``).
Serialization uses one private cattrs converter with explicit hooks; the models know
nothing of JSON.

.. versionadded:: 0.1.0
"""

# A JSON document is untyped data until it is checked, value by value, at run time.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false

from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeVar, get_args, get_origin, overload

import attrs
import pendulum

import citycoop
from citycoop._core.codes import CodeEnum
from citycoop._core.errors import CitycoopError, ValidationError
from citycoop._core.errors import DocumentError as DocumentError  # noqa: PLC0414 - re-exported
from citycoop._core.places import City, Coordinates, Country, Region
from citycoop._fx.table import RateTable

if TYPE_CHECKING:
    from collections.abc import Generator

    import cattrs

__all__ = ["SCHEMA", "TYPES", "converter", "dumps", "json_schema", "loads"]

_T = TypeVar("_T")

#: The format this version writes and reads.
SCHEMA: Final = "citycoop/1"
#: Default limits for :func:`loads`.
MAX_BYTES: Final = 64 * 2**20
MAX_DEPTH: Final = 32
MAX_PROBLEMS: Final = 100

#: The types a document may hold, by name.
TYPES: Final = {
    cls.__name__: cls
    for cls in (
        citycoop.Budget,
        citycoop.City,
        citycoop.Cohort,
        citycoop.Coordinates,
        citycoop.Country,
        citycoop.FocusShare,
        citycoop.Funding,
        citycoop.Milestone,
        citycoop.MOU,
        citycoop.Money,
        citycoop.Official,
        citycoop.Organisation,
        citycoop.Period,
        citycoop.PolicyExport,
        citycoop.PolicyRequest,
        citycoop.Portfolio,
        citycoop.Rate,
        citycoop.RatePolicy,
        citycoop.RateTable,
        citycoop.Region,
        citycoop.ReportedFigures,
        citycoop.StrategyHorizon,
        citycoop.TrainingTrack,
        citycoop.Venue,
    )
}


# What a JSON string must look like where the model expects a decimal, a date or an
# instant. The loader and the published JSON Schema use the same patterns.
_DECIMAL_PATTERN: Final = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_DATE_PATTERN: Final = r"^\d{4}-\d{2}-\d{2}$"
_INSTANT_PATTERN: Final = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"
_DECIMAL_LENGTH: Final = 64


def _text(pattern: str, expected: str, max_length: int = _DECIMAL_LENGTH) -> Any:
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


_decimal_in = _text(_DECIMAL_PATTERN, "a decimal string such as '804.8e9'")


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
    return member.value


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


_CITY_FIELDS: Final = ("name", "country", "timezone", "population", "coordinates", "geonames_id")


def _city_in(value: Any, _type: type) -> City:
    """Cities repeat across a portfolio: build each distinct one once (they are immutable)."""
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
    converter = _converter()
    return {
        "rates": [converter.unstructure(rate) for rate in table.rates],
        "pivots": list(table.pivots),
        "omitted": list(table.omitted),
    }


class _Budget:
    """How many more failed items a document may show before checking stops."""

    __slots__ = ("left", "limit", "stopped")

    def __init__(self, problems: int) -> None:
        self.limit = problems
        self.left = problems
        self.stopped = False

    def spend(self) -> bool:
        """Count one failed item; true when checking must stop."""
        self.left -= 1
        if self.left <= 0:
            self.stopped = True
        return self.stopped


_BUDGET: Final[contextvars.ContextVar[_Budget]] = contextvars.ContextVar("_BUDGET")


def _is_sequence(annotation: Any) -> bool:
    args = get_args(annotation)
    return get_origin(annotation) is tuple and len(args) == 2 and args[1] is Ellipsis


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
        budget = _BUDGET.get(None)
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
    converter = _converter()
    rates = converter.structure(value["rates"], tuple[citycoop.Rate, ...])
    codes = tuple[str, ...]
    pivots = converter.structure(value.get("pivots", ["USD", "EUR"]), codes)
    return RateTable(
        rates, pivots=pivots, omitted=converter.structure(value.get("omitted", []), codes)
    )


def converter() -> cattrs.Converter:
    """A new cattrs converter configured as citycoop's own, to extend with your hooks.

    It is a copy of the one :func:`dumps` and :func:`loads` use.

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
    return _converter().copy()


@functools.cache
def _converter() -> cattrs.Converter:
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
    converter.register_structure_hook(Decimal, _decimal_in)
    converter.register_structure_hook(
        pendulum.Date, _text(_DATE_PATTERN, "a date such as '2021-11-25'", 10)
    )
    converter.register_structure_hook(
        pendulum.DateTime,
        _text(
            _INSTANT_PATTERN, "an instant with its offset, such as '2021-11-24T23:30:00+00:00'", 40
        ),
    )
    for place in (Country, Region):  # a code, or the object itself
        converter.register_structure_hook(place, _place)
    # By class, so that code lists (string enums) never take the str hooks.
    converter.register_unstructure_hook(CodeEnum, _code_out)
    converter.register_structure_hook(CodeEnum, _code_in)
    for scalar in (str, int, bool):
        converter.register_structure_hook(scalar, _strict(scalar))
    converter.register_structure_hook_func(is_quantity, _quantity_in)
    converter.register_structure_hook(RateTable, _rate_table_in)
    converter.register_structure_hook(City, _city_in)
    converter.register_structure_hook_factory(_is_sequence, _sequence_factory)
    return converter


def _message(error: BaseException, kind: type | None) -> str:
    if isinstance(error, ValidationError) and error.field == "value":  # from a JSON-level check
        return f"{error.value!r} is not valid: expected {error.expected}"
    if isinstance(error, CitycoopError):
        return str(error)
    from cattrs.v import format_exception

    return format_exception(error, kind)


@contextlib.contextmanager
def _no_cycle_collection() -> Generator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    Parsing and structuring create no reference cycles, and on large documents the
    collector's repeated passes over young objects cost more than the work itself. The
    previous state is restored afterwards, on error too.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def dumps(value: object, *, indent: int | None = None) -> str:
    """Serialize a citycoop object (any type in :data:`TYPES`) to a JSON document."""
    name = type(value).__name__
    if TYPES.get(name) is not type(value):
        raise ValidationError("dumps.value", name, "one of " + ", ".join(sorted(TYPES)))
    with _no_cycle_collection():
        data = _converter().unstructure(value)
        return json.dumps(
            {"schema": SCHEMA, "type": name, "data": data}, indent=indent, ensure_ascii=False
        )


@overload
def loads(
    text: str | bytes,
    kind: type[_T],
    *,
    max_bytes: int = ...,
    max_depth: int = ...,
    max_problems: int = ...,
) -> _T: ...


@overload
def loads(
    text: str | bytes,
    kind: None = None,
    *,
    max_bytes: int = ...,
    max_depth: int = ...,
    max_problems: int = ...,
) -> Any: ...


def loads(
    text: str | bytes,
    kind: type[_T] | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_problems: int = MAX_PROBLEMS,
) -> _T | Any:
    """Read a JSON document written by :func:`dumps`.

    With *kind*, the result is typed as that class for type checkers, and a document
    holding another type is refused. A member given twice in one object (two
    ``"amount"`` members) is an error, not "the last one wins", and a JSON number where
    a decimal string belongs is refused, as the published :func:`json_schema` refuses it.

    Args:
        text: The document.
        kind: The expected type; by default the document's ``"type"``.
        max_bytes: Larger documents are refused before parsing.
        max_depth: More deeply nested documents are refused before structuring.
        max_problems: Checking stops once this many items have failed; the error then
            says so (``at least 100 problems, checking stopped there``), so that
            rejecting a hostile document costs time in proportion to its size.

    Raises:
        DocumentError: listing the problems found, each with its JSON path.

    >>> loads('{"schema": "citycoop/1", "type": "Money", "data": {"amount": 5, "currency": "EUR"}}')
    Traceback (most recent call last):
    ...
    citycoop._core.errors.DocumentError: invalid citycoop document: 1 problem: $.data.amount: 5 is not valid: expected a decimal string such as '804.8e9'
    """
    if len(text) > max_bytes:
        raise DocumentError(
            [f"$: the document has {len(text):,} bytes, more than max_bytes={max_bytes:,}"]
        )
    budget = _Budget(max_problems)
    token = _BUDGET.set(budget)
    try:
        with _no_cycle_collection():
            return _load(text, kind, max_depth, budget)
    finally:
        _BUDGET.reset(token)


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's members, refusing a name given twice."""
    members = dict(pairs)
    if len(members) != len(pairs):
        seen: set[str] = set()
        twice = next(name for name, _ in pairs if name in seen or seen.add(name))  # type: ignore[func-returns-value]
        raise _DuplicateMemberError(twice)
    return members


class _DuplicateMemberError(ValueError):
    def __init__(self, name: str) -> None:
        shown = name if len(name) <= 80 else f"{name[:77]}..."
        super().__init__(f"the member {shown!r} is given twice in one object")


def _load(text: str | bytes, kind: type | None, max_depth: int, budget: _Budget) -> Any:
    try:
        document = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_members,
        )
    except RecursionError:
        raise DocumentError([f"$: nested deeper than max_depth={max_depth}"]) from None
    except _DuplicateMemberError as error:
        raise DocumentError([f"$: {error}"]) from None
    except ValueError as error:  # JSONDecodeError, or an over-long integer literal
        raise DocumentError([f"$: not valid JSON ({error})"]) from None
    _check_depth(document, max_depth)
    if not isinstance(document, dict):
        raise DocumentError(["$: expected an object with schema, type and data"])
    schema = document.get("schema")
    if schema != SCHEMA:
        raise DocumentError(
            [f"$.schema: {schema!r} is not a supported version (this reads {SCHEMA!r})"]
        )
    name = document.get("type")
    if name not in TYPES:
        raise DocumentError([f"$.type: {name!r} is not one of {', '.join(sorted(TYPES))}"])
    target = TYPES[name]
    if kind is not None and kind is not target:
        raise DocumentError(
            [f"$.type: the document holds a {name}, not a {getattr(kind, '__name__', kind)}"]
        )
    extra = set(document) - {"schema", "type", "data"}
    if extra or "data" not in document:
        raise DocumentError([f"$: expected exactly schema, type and data (extra: {sorted(extra)})"])
    import cattrs

    try:
        return _converter().structure(document["data"], target)
    except (cattrs.ClassValidationError, cattrs.IterableValidationError) as error:
        problems = [
            _path_first(problem) for problem in cattrs.transform_error(error, "$.data", _message)
        ]
        shown = problems[: max(1, budget.limit)]
        raise DocumentError(shown, len(problems) - len(shown), stopped=budget.stopped) from None
    except CitycoopError as error:
        raise DocumentError([f"$.data: {error}"]) from None
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise DocumentError([f"$.data: {_message(error, target)}"]) from None


def _path_first(problem: str) -> str:
    """Turn cattrs's ``message @ $.path`` into citycoop's ``$.path: message``."""
    message, _, path = problem.rpartition(" @ ")
    return f"{path}: {message}" if message else problem


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _check_depth(document: Any, limit: int) -> None:
    """Refuse documents nested deeper than *limit*, walking containers only."""
    level = [document] if isinstance(document, dict | list) else []
    depth = 1
    while level:
        if depth > limit:
            raise DocumentError([f"$: nested deeper than max_depth={limit}"])
        level = [
            child
            for node in level
            for child in (node.values() if type(node) is dict else node)
            if type(child) is dict or type(child) is list
        ]
        depth += 1


# ------------------------------------------------------------------ JSON Schema

_DECIMAL = {"type": "string", "pattern": _DECIMAL_PATTERN, "maxLength": _DECIMAL_LENGTH}
_LEAVES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    bool: {"type": "boolean"},
    Decimal: _DECIMAL,
    pendulum.Date: {"type": "string", "format": "date", "pattern": _DATE_PATTERN},
    pendulum.DateTime: {"type": "string", "format": "date-time", "pattern": _INSTANT_PATTERN},
    Country: {"type": "string", "pattern": "^[A-Z]{2}$"},
    Region: {"type": "string", "pattern": r"^\d{3}$"},
}


def json_schema(kind: type = citycoop.Portfolio) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for documents holding a *kind* (default: Portfolio).

    Every citycoop type is in ``$defs``; *kind* is the document's ``data``.
    """
    import pint

    _converter()  # resolves the forward references the schema walks
    definitions: dict[str, Any] = {}
    leaves = {
        **_LEAVES,
        pint.Quantity: {
            "type": "object",
            "properties": {"magnitude": _DECIMAL, "unit": {"type": "string", "maxLength": 40}},
            "required": ["magnitude", "unit"],
            "additionalProperties": False,
        },
    }

    def ref(annotation: Any) -> dict[str, Any]:  # noqa: PLR0911 - one return per kind of type
        origin = get_origin(annotation)
        if annotation in leaves:
            return leaves[annotation]
        if origin is not None and origin in leaves:
            return leaves[origin]
        if origin is tuple:
            return {"type": "array", "items": ref(get_args(annotation)[0])}
        if origin is not None and type(None) in get_args(annotation):
            others = [a for a in get_args(annotation) if a is not type(None)]
            return {"anyOf": [ref(others[0]), {"type": "null"}]}
        if (
            isinstance(annotation, type)
            and issubclass(annotation, str)
            and hasattr(annotation, "__members__")
        ):
            return {"type": "string", "enum": [member.value for member in annotation]}  # type: ignore[attr-defined]
        if annotation is RateTable:
            definitions.setdefault(
                "RateTable",
                {
                    "type": "object",
                    "properties": {
                        "rates": {"type": "array", "items": ref(citycoop.Rate)},
                        "pivots": {"type": "array", "items": {"type": "string"}},
                        "omitted": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["rates"],
                    "additionalProperties": False,
                },
            )
            return {"$ref": "#/$defs/RateTable"}
        if attrs.has(annotation):
            name = annotation.__name__
            if name not in definitions:
                definitions[name] = {}  # placeholder against cycles
                attrs.resolve_types(annotation, localns={"pint": pint, "Any": Any})
                fields = [f for f in attrs.fields(annotation) if f.init]
                definitions[name] = {
                    "type": "object",
                    "properties": {f.alias or f.name: ref(f.type) for f in fields},
                    "required": [f.alias or f.name for f in fields if f.default is attrs.NOTHING],
                    "additionalProperties": False,
                }
            return {"$ref": f"#/$defs/{name}"}
        raise ValidationError("json_schema", annotation, "a citycoop type")

    data = ref(kind)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://citycoop.invalid/schema/{SCHEMA}/{kind.__name__}",
        "title": f"citycoop {kind.__name__} document",
        "type": "object",
        "properties": {
            "schema": {"const": SCHEMA},
            "type": {"const": kind.__name__},
            "data": data,
        },
        "required": ["schema", "type", "data"],
        "additionalProperties": False,
        "$defs": definitions,
    }
