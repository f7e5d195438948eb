"""The JSON Schema of the report's JSON format, shipped with the package."""

from __future__ import annotations

import copy
from typing import Any, Final

from citycoop._core.locale import LOCALES

__all__ = ["report_schema"]


#: The JSON Schema of ``--format json``: the document :meth:`Report.render` writes.
REPORT_SCHEMA: Final[dict[str, Any]] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "citycoop report",
    "type": "object",
    "required": ["schema", "locale", "title", "facts", "sections"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": "citycoop-report/1"},
        "locale": {"enum": list(LOCALES)},
        "title": {"type": "string", "minLength": 1},
        "facts": {
            "type": "object",
            "required": ["mous", "exports"],
            "properties": {
                "mous": {"type": "integer", "minimum": 0},
                "exports": {"type": "integer", "minimum": 0},
                "cases_recorded": {"type": "integer", "minimum": 0},
                "cases_reported": {"type": "integer", "minimum": 0},
                "cities_recorded": {"type": "integer", "minimum": 0},
                "cities_reported": {"type": "integer", "minimum": 0},
                "countries_recorded": {"type": "integer", "minimum": 0},
                "countries_reported": {"type": "integer", "minimum": 0},
                "recorded_value": {"$ref": "#/$defs/amount"},
                "reported_value_converted": {"$ref": "#/$defs/amount"},
                "unconverted": {"type": "array", "items": {"type": "object"}},
                "constant_prices": {"type": "object"},
                "rates_file": {"type": "string"},
                "untranslated_texts": {"type": "integer", "minimum": 0},
                "rates_used": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": [
                            "base",
                            "quote",
                            "value",
                            "start",
                            "end",
                            "source",
                            "inverted",
                            "planning",
                            "file",
                        ],
                        "additionalProperties": False,
                        "properties": {
                            "base": {"type": "string", "pattern": "^[A-Z]{3}$"},
                            "quote": {"type": "string", "pattern": "^[A-Z]{3}$"},
                            "value": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"},
                            "start": {"type": "string", "format": "date"},
                            "end": {"type": "string", "format": "date"},
                            "source": {"type": "string"},
                            "inverted": {"type": "boolean"},
                            "planning": {"type": "boolean"},
                            "file": {"type": ["string", "null"]},
                        },
                    },
                },
            },
        },
        "sections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "items"],
                "additionalProperties": False,
                "properties": {
                    "title": {"type": "string", "minLength": 1},
                    "items": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["text", "details", "url"],
                            "additionalProperties": False,
                            "properties": {
                                "text": {"type": "string"},
                                "details": {"type": "array", "items": {"type": "string"}},
                                "url": {"type": ["string", "null"], "format": "uri"},
                            },
                        },
                    },
                    "table": {
                        "type": "object",
                        "required": ["head", "rows", "links"],
                        "additionalProperties": False,
                        "properties": {
                            "head": {"type": "array", "items": {"type": "string"}},
                            "rows": {
                                "type": "array",
                                "items": {"type": "array", "items": {"type": "string"}},
                            },
                            "links": {
                                "type": "array",
                                "items": {"type": ["string", "null"], "format": "uri"},
                            },
                        },
                    },
                },
            },
        },
    },
    "$defs": {
        "amount": {
            "type": "object",
            "required": ["currency", "amount"],
            "properties": {
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "amount": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
                "rates": {"type": "string"},
            },
        }
    },
}


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report that ``python -m citycoop --format json`` prints.

    >>> import citycoop
    >>> citycoop.report_schema()["properties"]["schema"]
    {'const': 'citycoop-report/1'}

    .. versionadded:: 0.1.0
    """
    return copy.deepcopy(REPORT_SCHEMA)
