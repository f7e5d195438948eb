r"""The TOML dataset format: a city's whole record in one file, read into a ``Portfolio``.

:func:`load_toml` reads a dataset file (the embedded Seoul data is one), so other cities
can keep their records the same way; :func:`dataset_schema` is its JSON Schema and
:data:`FORMAT` its tables and keys. A key the format does not have (a typo such as
``populaton``) is refused with its key path, never ignored:

>>> loads_toml('schema = "citycoop-dataset/1"\ncolour = "red"')
Traceback (most recent call last):
...
citycoop._core.errors.DataFileError: <string>, column '(top level)': unknown keys 'colour'; expected some of cities, exports, mous, officials, organisations, owner, reported, requests, schema, training

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
import tomllib
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

from citycoop._core.errors import CitycoopError, DataFileError, listed, show_value
from citycoop._core.files import MAX_BYTES, checked_max_bytes, read_bounded, source_name
from citycoop._core.money import Money
from citycoop._core.places import City, Coordinates
from citycoop._core.time import ISO_DATE, Period
from citycoop._domain.agreements import MOU, ONLINE, Venue
from citycoop._domain.budgets import Budget
from citycoop._domain.exports import Funding, PolicyExport, PolicyRequest
from citycoop._domain.horizons import Milestone, StrategyHorizon
from citycoop._domain.parties import Official, Organisation
from citycoop._domain.portfolio import Portfolio, ReportedFigures
from citycoop._domain.training import Cohort, TrainingTrack

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["FORMAT", "SCHEMA", "dataset_schema", "load_toml", "loads_toml"]

_T = TypeVar("_T")

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
    return _Builder(name, document).portfolio()


#: The keys each kind of table may hold; any other key is refused, never ignored.
# The dataset format, table by table: each key, what its value is, and whether it is
# required. The one source of the keys the reader allows, of dataset_schema() and of the
# table in the documentation.
_TEXT: Final = {"type": "string", "minLength": 1}
_TEXTS: Final = {"type": "array", "items": _TEXT}
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
        "name": (_TEXT, True),
        "kind": (_TEXT, True),
        "city": (_ref("cities"), False),
        "country": (_TEXT, False),
        "identifier": (_TEXT, False),
    },
    "official": {
        "name": (_TEXT, True),
        "title": (_TEXT, True),
        "organisation": (_ref("organisations"), True),
    },
    "request": {
        "city": (_ref("cities"), True),
        "reported_on": (_DATE, True),
        "topic": (_TEXT, False),
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
        "scope": (_TEXT, False),
        "sources": (_TEXTS, False),
    },
    "training": {
        "topic": (_TEXT, True),
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
        "title": (_TEXT, True),
        "parties": ({"type": "array", "items": _ref("organisations")}, True),
        "signatories": ({"type": "array", "items": _ref("officials")}, False),
        "signed_at": ({"type": "string", "description": "an instant with its offset"}, False),
        "status": (_TEXT, False),
        "venue": ({"type": "string", "description": "'online' or the key of a city"}, False),
        "focus_areas": (_TEXTS, False),
        "horizons": (_rows("horizon"), False),
        "training": (_rows("training"), False),
        "policies": (_TEXTS, False),
        "documents": (_TEXTS, False),
        "identifier": (_TEXT, False),
    },
    "horizon": {
        "term": (_TEXT, True),
        "start": (_DATE, False),
        "end": (_DATE, False),
        "objectives": (_TEXTS, False),
        "milestones": (_rows("milestone"), False),
    },
    "milestone": {"name": (_TEXT, True), "due": (_DATE, True)},
    "export": {
        "policy": (_TEXT, True),
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
        "note": (_TEXT, False),
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


class _Builder:
    """Resolves the references of a dataset document into citycoop objects."""

    def __init__(self, name: str, document: Mapping[str, Any]) -> None:
        self.name = name
        self.document = document

    def fail(self, where: str, problem: str) -> DataFileError:
        return DataFileError(self.name, None, where, problem)

    def build(self, where: str, make: Callable[[], _T]) -> _T:
        try:
            return make()
        except DataFileError:
            raise
        except CitycoopError as error:
            raise self.fail(where, str(error)) from None
        except KeyError as error:
            raise self.fail(where, f"lacks the required key {error}") from None
        except (TypeError, AttributeError) as error:
            raise self.fail(where, f"is malformed ({type(error).__name__}: {error})") from None

    def keys(self, where: str, row: Mapping[str, Any], kind: str) -> Mapping[str, Any]:
        """*row*, once it holds no key a *kind* table does not have (a typo loses nothing)."""
        unknown = sorted(set(row) - _KEYS[kind])
        if unknown:
            raise self.fail(
                where,
                f"unknown keys {listed(unknown)}; expected some of {', '.join(sorted(_KEYS[kind]))}",
            )
        return row

    def table(self, key: str) -> Mapping[str, Any]:
        value: object = self.document.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return cast("Mapping[str, Any]", value)

    def array(self, where: str, value: object) -> list[Mapping[str, Any]]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, "must be an array of tables")
        tables = cast("list[object]", value)
        if not all(isinstance(item, dict) for item in tables):
            raise self.fail(where, "must be an array of tables")
        return cast("list[Mapping[str, Any]]", tables)

    def each(self, name: str, make: Callable[[str, Mapping[str, Any]], _T]) -> list[_T]:
        """Build every row of the document's top-level array *name*, naming each row."""
        rows = self.array(name, self.document.get(name))
        return [make(f"{name}[{i}]", row) for i, row in enumerate(rows)]

    def rows(self, where: str, value: object, kind: str) -> list[tuple[str, Mapping[str, Any]]]:
        """The tables of a nested array, each checked for unknown keys, with its path."""
        return [
            (f"{where}[{i}]", self.keys(f"{where}[{i}]", row, kind))
            for i, row in enumerate(self.array(where, value))
        ]

    def ref(self, where: str, registry: Mapping[str, Any], key: object) -> Any:
        if not isinstance(key, str) or key not in registry:
            defined = listed(sorted(registry), 20, quoted=False)
            raise self.fail(where, f"{show_value(key)} names nothing defined ({defined})")
        return registry[key]

    def portfolio(self) -> Portfolio:
        schema = self.document.get("schema")
        if schema != SCHEMA:
            raise self.fail("schema", f"{show_value(schema)} is not the supported {SCHEMA!r}")
        self.keys("(top level)", self.document, "document")
        self.keys("owner", self.table("owner"), "owner")
        cities = {key: self.city(f"cities.{key}", row) for key, row in self.table("cities").items()}
        self.cities = cities
        self.organisations = organisations = {
            key: self.organisation(f"organisations.{key}", row)
            for key, row in self.table("organisations").items()
        }
        self.officials = {
            key: self.official(f"officials.{key}", row)
            for key, row in self.table("officials").items()
        }
        owner = self.ref(
            "owner.organisation", organisations, self.table("owner").get("organisation")
        )
        return self.build(
            "portfolio",
            lambda: Portfolio(
                owner,
                mous=self.each("mous", self.mou),
                exports=self.each("exports", self.export),
                requests=self.each("requests", self.request),
                reported=self.each("reported", self.reported),
                training=self.each("training", self.training),
            ),
        )

    def city(self, where: str, row: Mapping[str, Any]) -> City:
        def make() -> City:
            self.keys(where, row, "city")
            coordinates = row.get("coordinates")
            return City(
                row["name"],
                row["country"],
                row["timezone"],
                population=row.get("population"),
                coordinates=Coordinates(*coordinates) if coordinates is not None else None,
                geonames_id=row.get("geonames_id"),
            )

        return self.build(where, make)

    def organisation(self, where: str, row: Mapping[str, Any]) -> Organisation:
        def make() -> Organisation:
            self.keys(where, row, "organisation")
            return Organisation(
                row["name"],
                row["kind"],
                city=self.ref(f"{where}.city", self.cities, row["city"]) if "city" in row else None,
                country=row.get("country"),
                identifier=row.get("identifier"),
            )

        return self.build(where, make)

    def official(self, where: str, row: Mapping[str, Any]) -> Official:
        def make() -> Official:
            self.keys(where, row, "official")
            organisation = self.ref(
                f"{where}.organisation", self.organisations, row["organisation"]
            )
            return Official(row["name"], row["title"], organisation)

        return self.build(where, make)

    def request(self, where: str, row: Mapping[str, Any]) -> PolicyRequest:
        def make() -> PolicyRequest:
            self.keys(where, row, "request")
            return PolicyRequest(
                self.ref(f"{where}.city", self.cities, row["city"]),
                row["reported_on"],
                topic=row.get("topic", "smart city policy sharing"),
                focus_areas=row.get("focus_areas", []),
                sources=row.get("sources", []),
            )

        return self.build(where, make)

    def reported(self, where: str, row: Mapping[str, Any]) -> ReportedFigures:
        def make() -> ReportedFigures:
            self.keys(where, row, "reported")
            return ReportedFigures(
                row["as_of"],
                cases=row.get("cases"),
                policies=row.get("policies"),
                value=Money.parse(row["value"]) if "value" in row else None,
                cities=row.get("cities"),
                countries=row.get("countries"),
                approximate=row.get("approximate", False),
                scope=row.get("scope", "policy export cases"),
                sources=row.get("sources", []),
            )

        return self.build(where, make)

    def training(self, where: str, row: Mapping[str, Any]) -> TrainingTrack:
        self.keys(where, row, "training")
        return self.build(
            where,
            lambda: TrainingTrack(
                row["topic"],
                row["focus_area"],
                modality=row.get("modality"),
                provider=self.ref(f"{where}.provider", self.organisations, row["provider"])
                if "provider" in row
                else None,
                cohorts=[
                    Cohort(
                        Period(c["start"], c["end"]),
                        participants=c["participants"],
                        hours=c["hours"],
                    )
                    for _, c in self.rows(f"{where}.cohorts", row.get("cohorts"), "cohort")
                ],
                budgets=[
                    self.budget(b)
                    for _, b in self.rows(f"{where}.budgets", row.get("budgets"), "budget")
                ],
                source=row.get("source"),
            ),
        )

    @staticmethod
    def budget(row: Mapping[str, Any]) -> Budget:
        period = Period.year(row["year"]) if "year" in row else Period(row["start"], row["end"])
        return Budget(
            period,
            Money.parse(row["value"]),
            row.get("kind", "original"),
            value_date=row.get("value_date"),
            source=row.get("source"),
        )

    def mou(self, where: str, row: Mapping[str, Any]) -> MOU:
        self.keys(where, row, "mou")
        venue = row.get("venue")
        return self.build(
            where,
            lambda: MOU(
                row["title"],
                [self.ref(f"{where}.parties", self.organisations, p) for p in row["parties"]],
                signatories=[
                    self.ref(f"{where}.signatories", self.officials, s)
                    for s in row.get("signatories", [])
                ],
                signed_at=row.get("signed_at"),
                status=row.get("status", "proposed"),
                venue=None
                if venue is None
                else ONLINE
                if venue == "online"
                else Venue(city=self.ref(f"{where}.venue", self.cities, venue)),
                focus_areas=row.get("focus_areas", []),
                horizons=[
                    StrategyHorizon(
                        h["term"],
                        Period(h["start"], h["end"]) if "start" in h else None,
                        objectives=h.get("objectives", []),
                        milestones=[
                            Milestone(m["name"], m["due"])
                            for _, m in self.rows(
                                f"{place}.milestones", h.get("milestones"), "milestone"
                            )
                        ],
                    )
                    for place, h in self.rows(f"{where}.horizons", row.get("horizons"), "horizon")
                ],
                training=[
                    self.training(f"{where}.training[{i}]", t)
                    for i, t in enumerate(self.array(f"{where}.training", row.get("training")))
                ],
                policies=row.get("policies", []),
                documents=row.get("documents", []),
                identifier=row.get("identifier"),
            ),
        )

    def export(self, where: str, row: Mapping[str, Any]) -> PolicyExport:
        self.keys(where, row, "export")
        funding: Mapping[str, Any] | None = row.get("funding")
        if funding is not None:
            if not isinstance(funding, dict):
                raise self.fail(f"{where}.funding", "must be a table")
            self.keys(f"{where}.funding", funding, "funding")
        return self.build(
            where,
            lambda: PolicyExport(
                row["policy"],
                self.ref(f"{where}.recipient", self.cities, row["recipient"]),
                row["focus"],
                year=row.get("year"),
                value_date=row.get("value_date"),
                value=Money.parse(row["value"]) if "value" in row else None,
                funding=None
                if funding is None
                else Funding(
                    funding["kind"],
                    self.ref(f"{where}.funding.funder", self.organisations, funding["funder"])
                    if "funder" in funding
                    else None,
                ),
                status=row.get("status", "completed"),
                implementer=self.ref(f"{where}.implementer", self.organisations, row["implementer"])
                if "implementer" in row
                else None,
                budgets=[
                    self.budget(b)
                    for _, b in self.rows(f"{where}.budgets", row.get("budgets"), "budget")
                ],
                identifier=row.get("identifier"),
                parent=row.get("parent"),
                sources=row.get("sources", []),
                note=row.get("note"),
            ),
        )
