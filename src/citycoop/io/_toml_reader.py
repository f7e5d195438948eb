"""Reading the TOML dataset format: a parsed document into a ``Portfolio``.

:class:`Builder` resolves the references of a document (cities, organisations and
officials by key) and builds the records, naming the key path of any problem. The
format itself (its tables and keys) is :data:`citycoop.io.toml.FORMAT`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from citycoop._core.errors import CitycoopError, DataFileError, listed, show_value
from citycoop._core.money import Money
from citycoop._core.places import City, Coordinates
from citycoop._core.text import language_tag
from citycoop._core.time import Period
from citycoop._domain.agreements import MOU, ONLINE, Venue
from citycoop._domain.budgets import Budget
from citycoop._domain.exports import Funding, PolicyExport, PolicyRequest
from citycoop._domain.horizons import Milestone, StrategyHorizon
from citycoop._domain.parties import Official, Organisation
from citycoop._domain.portfolio import Portfolio, ReportedFigures
from citycoop._domain.training import Cohort, TrainingTrack

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["Builder"]

_T = TypeVar("_T")


class Builder:
    """Resolves the references of a dataset document into citycoop objects."""

    def __init__(
        self,
        name: str,
        document: Mapping[str, Any],
        *,
        schema: str,
        keys: Mapping[str, frozenset[str]],
    ) -> None:
        self.name = name
        self.document = document
        self.language: str | None = None
        self.schema = schema
        self.allowed = keys

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
        unknown = sorted(set(row) - self.allowed[kind])
        if unknown:
            raise self.fail(
                where,
                f"unknown keys {listed(unknown)}; expected some of {', '.join(sorted(self.allowed[kind]))}",
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

    def text(self, value: object) -> Any:
        """*value*, a plain string being tagged with the dataset's ``language`` if given."""
        if self.language is not None and isinstance(value, str):
            return {self.language: value}
        return value

    def texts(self, values: object) -> Any:
        if self.language is None or not isinstance(values, list):
            return values
        return [self.text(value) for value in cast("list[object]", values)]

    def ref(self, where: str, registry: Mapping[str, Any], key: object) -> Any:
        if not isinstance(key, str) or key not in registry:
            defined = listed(sorted(registry), 20, quoted=False)
            raise self.fail(where, f"{show_value(key)} names nothing defined ({defined})")
        return registry[key]

    def portfolio(self) -> Portfolio:
        schema = self.document.get("schema")
        if schema != self.schema:
            raise self.fail("schema", f"{show_value(schema)} is not the supported {self.schema!r}")
        self.keys("(top level)", self.document, "document")
        if "language" in self.document:
            self.language = self.build(
                "language", lambda: language_tag(self.document["language"], "language", strict=True)
            )
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
                self.text(row["name"]),
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
            return Official(self.text(row["name"]), self.text(row["title"]), organisation)

        return self.build(where, make)

    def request(self, where: str, row: Mapping[str, Any]) -> PolicyRequest:
        def make() -> PolicyRequest:
            self.keys(where, row, "request")
            return PolicyRequest(
                self.ref(f"{where}.city", self.cities, row["city"]),
                row["reported_on"],
                topic=self.text(row.get("topic", "smart city policy sharing")),
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
                scope=self.text(row.get("scope", "policy export cases")),
                sources=row.get("sources", []),
            )

        return self.build(where, make)

    def training(self, where: str, row: Mapping[str, Any]) -> TrainingTrack:
        self.keys(where, row, "training")
        return self.build(
            where,
            lambda: TrainingTrack(
                self.text(row["topic"]),
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
                self.text(row["title"]),
                [self.ref(f"{where}.parties", self.organisations, p) for p in row["parties"]],
                signatories=[
                    self.ref(f"{where}.signatories", self.officials, s)
                    for s in row.get("signatories", [])
                ],
                signed_at=row.get("signed_at"),
                status=row.get("status", "proposed"),
                venue=self.venue(f"{where}.venue", venue),
                focus_areas=row.get("focus_areas", []),
                horizons=[
                    StrategyHorizon(
                        h["term"],
                        Period(h["start"], h["end"]) if "start" in h else None,
                        objectives=self.texts(h.get("objectives", [])),
                        milestones=[
                            Milestone(self.text(m["name"]), m["due"])
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
                policies=self.texts(row.get("policies", [])),
                validity=Period(row["valid_from"], row["valid_until"])
                if "valid_from" in row or "valid_until" in row
                else None,
                documents=row.get("documents", []),
                identifier=row.get("identifier"),
            ),
        )

    def venue(self, where: str, venue: object) -> Venue | None:
        if venue is None:
            return None
        if venue == "online":
            return ONLINE
        if isinstance(venue, dict):
            both = cast("Mapping[str, Any]", venue)
            if set(both) != {"city", "online"} or both["online"] is not True:
                raise self.fail(
                    where, "must be 'online', a city's key, or { city = ..., online = true }"
                )
            return Venue(online=True, city=self.ref(f"{where}.city", self.cities, both["city"]))
        return Venue(city=self.ref(where, self.cities, venue))

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
                self.text(row["policy"]),
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
                note=self.text(row.get("note")),
            ),
        )
