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

import gc
import json
from decimal import Decimal
from typing import Any, Final, TypeVar, overload

import citycoop
from citycoop._core.errors import MAX_PROBLEMS, CitycoopError, ValidationError
from citycoop._core.errors import DocumentError as DocumentError  # noqa: PLC0414 - re-exported
from citycoop._core.validation import Arguments
from citycoop.io._json_hooks import SCHEMA, base_converter, converter
from citycoop.io._json_reading import READING, Reading
from citycoop.io._json_schema import deepest, json_schema

__all__ = ["SCHEMA", "TYPES", "converter", "dumps", "json_schema", "loads"]

DUMPS: Final = Arguments("dumps")

_T = TypeVar("_T")

#: Default limits for :func:`loads`.
MAX_BYTES: Final = 64 * 2**20
MAX_DEPTH: Final = 32

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


def _message(error: BaseException, kind: type | None) -> str:
    if isinstance(error, ValidationError) and error.field == "value":  # from a JSON-level check
        return f"{error.value!r} is not valid: expected {error.expected}"
    if isinstance(error, CitycoopError):
        return str(error)
    from cattrs.v import format_exception

    return format_exception(error, kind)


class _NoCycleCollection:
    """Pause the cyclic garbage collector while building many acyclic objects.

    Parsing and structuring create no reference cycles, and on large documents the
    collector's repeated passes over young objects cost more than the work itself. The
    previous state is restored afterwards, on error too, as the last step: the
    collection the new objects are due comes at the caller's next allocation, as after
    ``json.loads`` with the collector paused.
    """

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *_exc: object) -> None:
        if self.was_enabled:
            gc.enable()


def dumps(value: object, *, indent: int | None = None) -> str:
    """Serialize a citycoop object (any type in :data:`TYPES`) to a JSON document.

    A document holds one citycoop object. Your own attrs classes that hold citycoop
    values go through :func:`converter` instead:
    ``json.dumps(converter().unstructure(value))``, and back with
    ``converter().structure(json.loads(text), YourClass)``.
    """
    name = type(value).__name__
    if TYPES.get(name) is not type(value):
        raise ValidationError(
            DUMPS("value"),
            name,
            "one of "
            + ", ".join(sorted(TYPES))
            + " (for your own classes holding citycoop values, use"
            " json.dumps(citycoop.io.json.converter().unstructure(value)))",
        )
    with _NoCycleCollection():
        if indent is None and type(value) is citycoop.Portfolio:
            # Cases written as text: the same bytes, without the cases' dictionaries.
            from citycoop.io._json_exports import portfolio_text

            return portfolio_text(value, base_converter(), SCHEMA)
        data = base_converter().unstructure(value)
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
        max_bytes: Larger documents are refused before parsing (text is counted in UTF-8
            bytes).
        max_depth: More deeply nested documents are refused, and the error says that
            first, whatever else is wrong with them.
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
    if not isinstance(text, str | bytes | bytearray):
        raise DocumentError(
            [f"$: expected the document's text (str or bytes), not {type(text).__name__}"]
        )
    if not isinstance(kind, type | None):
        raise DocumentError([f"$.type: expected a citycoop class such as Money, not {kind!r}"])
    # Bytes as they are, text in UTF-8: a limit in bytes either way (at most 4 per character).
    size = (
        len(text)
        if not isinstance(text, str) or len(text) * 4 <= max_bytes
        else len(text.encode("utf-8", "surrogatepass"))
    )
    if size > max_bytes:
        raise DocumentError(
            [f"$: the document has {size:,} bytes, more than max_bytes={max_bytes:,}"]
        )
    budget = Reading(max_problems)
    with _NoCycleCollection():
        token = READING.set(budget)
        try:
            return _load(text, kind, max_depth, budget)
        finally:
            READING.reset(token)


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


def _load(text: str | bytes, kind: type | None, max_depth: int, budget: Reading) -> Any:
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
    try:
        target = _target(document, kind)
    except DocumentError:
        _check_depth(document, max_depth)  # a document too deep says so first
        raise
    # No document of a type nests deeper than its schema lets it: when max_depth allows
    # that much, only a document that fails is walked (to say that it is too deep first).
    walked = max_depth < deepest(target)
    if walked:
        _check_depth(document, max_depth)
    try:
        return base_converter().structure(document["data"], target)
    except Exception as error:
        if not walked:
            _check_depth(document, max_depth)
        refusal = _refusal(error, target, budget)
        if refusal is error:
            raise
        raise refusal from None


def _target(document: Any, kind: type | None) -> type:
    """The type a document holds, as *kind* asks, or a DocumentError."""
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
    return target


def _refusal(error: Exception, target: type, budget: Reading) -> Exception:
    """The DocumentError for an error raised while structuring, or the error itself."""
    import cattrs

    if isinstance(error, cattrs.ClassValidationError | cattrs.IterableValidationError):
        problems = [
            _path_first(problem) for problem in cattrs.transform_error(error, "$.data", _message)
        ]
        shown = problems[: max(1, budget.limit)]
        return DocumentError(shown, len(problems) - len(shown), stopped=budget.stopped)
    if isinstance(error, CitycoopError):
        return DocumentError([f"$.data: {error}"])
    if isinstance(error, TypeError | ValueError | KeyError | AttributeError):
        return DocumentError([f"$.data: {_message(error, target)}"])
    return error


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
