"""The JSON Schema of citycoop's documents, derived from the attrs classes."""

# A JSON document is untyped data until it is checked, value by value, at run time.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false

from __future__ import annotations

import functools
import math
from decimal import Decimal
from typing import Any, get_args, get_origin

import attrs
import pendulum

import citycoop
from citycoop._core.errors import ValidationError
from citycoop._core.places import Country, Region
from citycoop._core.text import TAG_PATTERN, Text
from citycoop._fx.table import RateTable
from citycoop.io._json_hooks import DATE_PATTERN, INSTANT_PATTERN, SCHEMA, base_converter
from citycoop.io._json_reading import DECIMAL_LENGTH, DECIMAL_PATTERN

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


@functools.cache
def deepest(kind: type) -> float:
    """How deeply a document holding a *kind* can nest, counting its own object as 1.

    Read from :func:`json_schema`: an object or an array is one level more than its
    deepest member or item. ``inf`` where the schema leaves members or items open, or
    a type holds itself. The loader accepts no document its schema refuses, so no
    document it reads nests deeper than this.
    """
    schema = json_schema(kind)
    definitions: dict[str, Any] = schema.get("$defs", {})

    def depth(node: Any, trail: frozenset[str]) -> float:
        if not isinstance(node, dict):  # true (anything), or not a schema
            return math.inf
        if "$ref" in node:
            name = node["$ref"].rpartition("/")[2]
            return math.inf if name in trail else depth(definitions[name], trail | {name})
        if "anyOf" in node:
            return max(depth(option, trail) for option in node["anyOf"])
        if "const" in node or "enum" in node:
            values = node["enum"] if "enum" in node else [node["const"]]
            return 0.0 if not any(isinstance(v, dict | list) for v in values) else math.inf
        kinds = node.get("type")
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not kinds:
            return math.inf
        deepest_below = 0.0
        if "object" in kinds:
            extra = node.get("additionalProperties", True)
            members = [
                *node.get("properties", {}).values(),
                *([extra] if extra is not False else []),
            ]
            deepest_below = max([1 + depth(member, trail) for member in members], default=1)
        if "array" in kinds:
            deepest_below = max(deepest_below, 1 + depth(node.get("items", True), trail))
        return deepest_below

    return depth(schema, frozenset())
