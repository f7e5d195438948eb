"""The JSON Schema of citycoop's documents, derived from the attrs classes."""

# A JSON document is untyped data until it is checked, value by value, at run time.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false

from __future__ import annotations

from decimal import Decimal
from typing import Any, get_args, get_origin

import attrs
import pendulum

import citycoop
from citycoop._core.errors import ValidationError
from citycoop._core.places import Country, Region
from citycoop._core.text import TAG_PATTERN, Text
from citycoop._fx.table import RateTable
from citycoop.io._json_hooks import (
    DATE_PATTERN,
    DECIMAL_LENGTH,
    DECIMAL_PATTERN,
    INSTANT_PATTERN,
    SCHEMA,
    base_converter,
)

_DECIMAL = {"type": "string", "pattern": DECIMAL_PATTERN, "maxLength": DECIMAL_LENGTH}
_LEAVES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    bool: {"type": "boolean"},
    Decimal: _DECIMAL,
    pendulum.Date: {"type": "string", "format": "date", "pattern": DATE_PATTERN},
    pendulum.DateTime: {"type": "string", "format": "date-time", "pattern": INSTANT_PATTERN},
    Country: {"type": "string", "pattern": "^[A-Z]{2}$"},
    Region: {"type": "string", "pattern": r"^\d{3}$"},
    Text: {
        "anyOf": [
            {"type": "string"},
            {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": TAG_PATTERN},
                "additionalProperties": {"type": "string"},
            },
        ]
    },
}


def json_schema(kind: type = citycoop.Portfolio) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for documents holding a *kind* (default: Portfolio).

    Every citycoop type is in ``$defs``; *kind* is the document's ``data``.
    """
    import pint

    base_converter()  # resolves the forward references the schema walks
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
