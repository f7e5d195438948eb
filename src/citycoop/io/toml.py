r"""The TOML dataset format: a city's whole record in one file, read into a ``Portfolio``.

:func:`load_toml` reads a dataset file (the embedded Seoul data is one), so other cities
can keep their records the same way; :func:`dataset_schema` is its JSON Schema and
:data:`FORMAT` its tables and keys. A key the format does not have (a typo such as
``populaton``) is refused with its key path, never ignored:

>>> loads_toml('schema = "citycoop-dataset/1"\ncolour = "red"')
Traceback (most recent call last):
...
citycoop._core.errors.DataFileError: <string>, column '(top level)': unknown keys 'colour'; expected some of cities, exports, language, mous, officials, organisations, owner, reported, requests, schema, training

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
import tomllib
from typing import TYPE_CHECKING, Any, Final

from citycoop._core.errors import DataFileError, ValidationError
from citycoop._core.files import MAX_BYTES, checked_max_bytes, read_bounded, replacing, source_name
from citycoop._core.text import TAG_PATTERN
from citycoop._core.time import ISO_DATE
from citycoop._domain.portfolio import Portfolio
from citycoop.io._toml_reader import Builder
from citycoop.io._toml_writer import document_of, toml_text

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "FORMAT",
    "SCHEMA",
    "dataset_schema",
    "dumps_toml",
    "load_toml",
    "loads_toml",
    "write_toml",
]


#: The dataset format this version reads.
SCHEMA = "citycoop-dataset/1"


def load_toml(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Portfolio:
    """Read a dataset file; any problem raises :class:`~citycoop.DataFileError`.

    A file larger than *max_bytes* (64 MiB by default) is refused before it is read.
    """
    name = source_name(path)
    data = read_bounded(path, name, checked_max_bytes(max_bytes))
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise DataFileError(name, None, None, f"cannot be read: {error}") from None
    return loads_toml(text, name=name)


def loads_toml(text: str, *, name: str = "<string>") -> Portfolio:
    """Build a portfolio from dataset text; errors name the file and the key path."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(name, None, None, f"is not valid TOML: {error}") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise DataFileError(name, None, None, "is nested too deeply to read") from None
    return Builder(name, document, schema=SCHEMA, keys=_KEYS).portfolio()


def dumps_toml(portfolio: Portfolio) -> str:
    """*portfolio* as dataset text, which :func:`loads_toml` reads back into an equal one.

    Cities, organisations and officials are written once each, keyed by their names
    (``seoul``, ``seoul_metropolitan_government``); amounts, percentages, hours and
    coordinates are exact (text or whole numbers, never floats). ``language`` is the
    language most texts are first written in; those are plain strings, and every other
    text is a table of its languages (``{ en = "...", ko = "..." }``).

    >>> import citycoop
    >>> seoul = citycoop.datasets.seoul()
    >>> text = dumps_toml(seoul)
    >>> text.splitlines()[:4]
    ['schema = "citycoop-dataset/1"', 'language = "en"', '', '[owner]']
    >>> loads_toml(text) == seoul
    True

    Raises:
        ValidationError: *portfolio* is not a :class:`~citycoop.Portfolio`.

    .. versionadded:: 0.1.0
    """
    if not isinstance(portfolio, Portfolio):
        raise ValidationError("dumps_toml.portfolio", type(portfolio).__name__, "a Portfolio")
    return toml_text(document_of(portfolio, SCHEMA))


def write_toml(portfolio: Portfolio, path: str | os.PathLike[str]) -> None:
    """Write :func:`dumps_toml`'s text to *path*, replacing the file only once it is whole.

    A failure (a bad value, a full disk) leaves the old file as it was and no partial one.

    .. versionadded:: 0.1.0
    """
    text = dumps_toml(portfolio)
    with replacing(path) as handle:
        handle.write(text)


#: The keys each kind of table may hold; any other key is refused, never ignored.
# The dataset format, table by table: each key, what its value is, and whether it is
# required. The one source of the keys the reader allows, of dataset_schema() and of the
# table in the documentation.
_TEXT: Final = {"type": "string", "minLength": 1}
_TEXTS: Final = {"type": "array", "items": _TEXT}
# A human text: a string (in the dataset's `language`), or a table of BCP 47 tags to
# strings, the first being the original: { en = "Smart City MOU", ko = "..." }.
_HUMAN: Final = {
    "anyOf": [
        _TEXT,
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": TAG_PATTERN},
            "additionalProperties": _TEXT,
        },
    ],
    "description": "a string, or a table of BCP 47 language tags to strings",
}
_HUMANS: Final = {"type": "array", "items": _HUMAN}
_WHOLE: Final = {"type": "integer"}
_DATE: Final = {"type": "string", "pattern": f"^{ISO_DATE}$"}
_MONEY: Final = {"type": "string", "description": "an amount and its currency: 'KRW 804.8e9'"}
_NUMBER: Final = {"type": ["string", "number"]}


def _ref(table: str) -> dict[str, Any]:
    return {"type": "string", "description": f"the key of an entry of [{table}]"}


def _rows(kind: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/$defs/{kind}"}}


def _table_of(kind: str) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": {"$ref": f"#/$defs/{kind}"}}


#: kind -> key -> (the JSON Schema of its value, required?)
FORMAT: Final[Mapping[str, Mapping[str, tuple[Mapping[str, Any], bool]]]] = {
    "document": {
        "schema": ({"const": SCHEMA}, True),
        "language": (
            {
                "type": "string",
                "pattern": TAG_PATTERN,
                "description": "the BCP 47 tag of the dataset's plain-string texts",
            },
            False,
        ),
        "owner": ({"$ref": "#/$defs/owner"}, True),
        "cities": (_table_of("city"), False),
        "organisations": (_table_of("organisation"), False),
        "officials": (_table_of("official"), False),
        "mous": (_rows("mou"), False),
        "exports": (_rows("export"), False),
        "requests": (_rows("request"), False),
        "reported": (_rows("reported"), False),
        "training": (_rows("training"), False),
    },
    "owner": {"organisation": (_ref("organisations"), True)},
    "city": {
        "name": (_TEXT, True),
        "country": (_TEXT, True),
        "timezone": (_TEXT, True),
        "population": (_WHOLE, False),
        "coordinates": ({"type": "array", "items": _NUMBER, "minItems": 2, "maxItems": 2}, False),
        "geonames_id": (_WHOLE, False),
    },
    "organisation": {
        "name": (_HUMAN, True),
        "kind": (_TEXT, True),
        "city": (_ref("cities"), False),
        "country": (_TEXT, False),
        "identifier": (_TEXT, False),
    },
    "official": {
        "name": (_HUMAN, True),
        "title": (_HUMAN, True),
        "organisation": (_ref("organisations"), True),
    },
    "request": {
        "city": (_ref("cities"), True),
        "reported_on": (_DATE, True),
        "topic": (_HUMAN, False),
        "focus_areas": (_TEXTS, False),
        "sources": (_TEXTS, False),
    },
    "reported": {
        "as_of": (_DATE, True),
        "cases": (_WHOLE, False),
        "policies": (_WHOLE, False),
        "value": (_MONEY, False),
        "cities": (_WHOLE, False),
        "countries": (_WHOLE, False),
        "approximate": ({"type": "boolean"}, False),
        "scope": (_HUMAN, False),
        "sources": (_TEXTS, False),
    },
    "training": {
        "topic": (_HUMAN, True),
        "focus_area": (_TEXT, True),
        "modality": (_TEXT, False),
        "provider": (_ref("organisations"), False),
        "cohorts": (_rows("cohort"), False),
        "budgets": (_rows("budget"), False),
        "source": (_TEXT, False),
    },
    "cohort": {
        "start": (_DATE, True),
        "end": (_DATE, True),
        "participants": (_WHOLE, True),
        "hours": (_NUMBER, True),
    },
    "budget": {
        "year": (_WHOLE, False),
        "start": (_DATE, False),
        "end": (_DATE, False),
        "value": (_MONEY, True),
        "kind": (_TEXT, False),
        "value_date": (_DATE, False),
        "source": (_TEXT, False),
    },
    "mou": {
        "title": (_HUMAN, True),
        "parties": ({"type": "array", "items": _ref("organisations")}, True),
        "signatories": ({"type": "array", "items": _ref("officials")}, False),
        "signed_at": ({"type": "string", "description": "an instant with its offset"}, False),
        "status": (_TEXT, False),
        "venue": (
            {
                "anyOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "properties": {"city": _ref("cities"), "online": {"type": "boolean"}},
                        "required": ["city", "online"],
                        "additionalProperties": False,
                    },
                ],
                "description": "'online', the key of a city, or both: { city = ..., online = true }",
            },
            False,
        ),
        "focus_areas": (_TEXTS, False),
        "horizons": (_rows("horizon"), False),
        "training": (_rows("training"), False),
        "policies": (_HUMANS, False),
        "valid_from": (_DATE, False),
        "valid_until": (_DATE, False),
        "documents": (_TEXTS, False),
        "identifier": (_TEXT, False),
    },
    "horizon": {
        "term": (_TEXT, True),
        "start": (_DATE, False),
        "end": (_DATE, False),
        "objectives": (_HUMANS, False),
        "milestones": (_rows("milestone"), False),
    },
    "milestone": {"name": (_HUMAN, True), "due": (_DATE, True)},
    "export": {
        "policy": (_HUMAN, True),
        "recipient": (_ref("cities"), True),
        "focus": (
            {
                "anyOf": [
                    _TEXT,
                    {"type": "object", "additionalProperties": _NUMBER, "minProperties": 1},
                ],
                "description": "a focus area, or areas and their percentages",
            },
            True,
        ),
        "year": (_WHOLE, False),
        "value_date": (_DATE, False),
        "value": (_MONEY, False),
        "funding": ({"$ref": "#/$defs/funding"}, False),
        "status": (_TEXT, False),
        "implementer": (_ref("organisations"), False),
        "budgets": (_rows("budget"), False),
        "identifier": (_TEXT, False),
        "parent": (_TEXT, False),
        "sources": (_TEXTS, False),
        "note": (_HUMAN, False),
    },
    "funding": {"kind": (_TEXT, True), "funder": (_ref("organisations"), False)},
}

_KEYS: Final[Mapping[str, frozenset[str]]] = {
    kind: frozenset(keys) for kind, keys in FORMAT.items()
}


def dataset_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of a dataset file, read as JSON.

    It gives the tables, their keys and the type of each value; :func:`loads_toml` also
    checks what a schema cannot say (a country code exists, a reference names an entry).

    >>> dataset_schema()["$defs"]["milestone"]["required"]
    ['name', 'due']
    """

    def table(kind: str) -> dict[str, Any]:
        keys = FORMAT[kind]
        return {
            "type": "object",
            "properties": {key: dict(value) for key, (value, _) in keys.items()},
            "required": [key for key, (_, required) in keys.items() if required],
            "additionalProperties": False,
        }

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://citycoop.invalid/schema/{SCHEMA}",
        "title": "citycoop dataset",
        **table("document"),
        "$defs": {kind: table(kind) for kind in FORMAT if kind != "document"},
    }
