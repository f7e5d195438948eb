"""Writing a ``Portfolio`` in the TOML dataset format (see :func:`citycoop.io.toml.dumps_toml`).

The writer is the reader's inverse: every value the format holds is written, and
:func:`~citycoop.io.toml.loads_toml` reads the text back into an equal portfolio.
Cities, organisations and officials are written once each, in tables keyed by a name
made from theirs (``seoul``, ``seoul_metropolitan_government``), and referred to by
that key everywhere else. Exact numbers (amounts, percentages, hours, coordinates)
are written as text or whole numbers, never as TOML floats.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, cast

from citycoop._core.errors import ValidationError
from citycoop._core.money import Money
from citycoop._core.text import UNDETERMINED, Text, texts_of
from citycoop._core.time import Period

if TYPE_CHECKING:
    from collections.abc import Hashable, Mapping

    from citycoop._core.places import City
    from citycoop._domain.agreements import MOU, Venue
    from citycoop._domain.budgets import Budget
    from citycoop._domain.exports import PolicyExport, PolicyRequest
    from citycoop._domain.horizons import StrategyHorizon
    from citycoop._domain.parties import Official, Organisation
    from citycoop._domain.portfolio import Portfolio, ReportedFigures
    from citycoop._domain.training import TrainingTrack

__all__ = ["document_of", "toml_text"]

_BARE: Final = re.compile(r"[A-Za-z0-9_-]+")
_NOT_KEY: Final = re.compile(r"[^a-z0-9]+")
_ESCAPES: Final = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n"}
_ESCAPES.update({"\f": "\\f", "\r": "\\r"})
#: Tables written inline (one line) where they stand: small, scalar-only values.
_INLINE: Final = frozenset({"focus", "funding", "venue"})


class _Inline(dict[str, str]):
    """A table written inline where it stands (a text's languages), never as a [table]."""


class _Keys:
    """One key per distinct object of a table, made from its name, unique in the table."""

    def __init__(self, fallback: str) -> None:
        self.fallback = fallback
        self.by_object: dict[Hashable, str] = {}
        self.rows: dict[str, dict[str, Any]] = {}

    def key(self, value: Hashable) -> str | None:
        """The key of *value*, or ``None`` when it is new (then :meth:`add` its row)."""
        return self.by_object.get(value)

    def add(self, value: Hashable, name: str, row: dict[str, Any]) -> str:
        base = _NOT_KEY.sub("_", name.lower()).strip("_") or self.fallback
        key, number = base, 1
        while key in self.rows:
            number += 1
            key = f"{base}_{number}"
        self.by_object[value] = key
        self.rows[key] = row
        return key


class _Document:
    """The dataset document of one portfolio, as plain TOML values."""

    def __init__(self, language: str | None) -> None:
        self.language = language
        self.cities = _Keys("city")
        self.organisations = _Keys("organisation")
        self.officials = _Keys("official")

    def text(self, text: Text) -> str | _Inline:
        """A plain string where the dataset's language (or none) says all, else a table."""
        pairs = text.items()
        if len(pairs) == 1 and pairs[0][0] == (self.language or UNDETERMINED):
            return pairs[0][1]
        return _Inline(pairs)

    def texts(self, texts: tuple[Text, ...]) -> list[str | _Inline]:
        return [self.text(text) for text in texts]

    def city(self, city: City) -> str:
        known = self.cities.key(city)
        if known is not None:
            return known
        row: dict[str, Any] = {
            "name": city.name,
            "country": city.country.code,
            "timezone": city.timezone,
        }
        _put(row, "population", city.population)
        if city.coordinates is not None:
            row["coordinates"] = [
                _exact(city.coordinates.latitude),
                _exact(city.coordinates.longitude),
            ]
        _put(row, "geonames_id", city.geonames_id)
        return self.cities.add(city, city.name, row)

    def organisation(self, organisation: Organisation) -> str:
        known = self.organisations.key(organisation)
        if known is not None:
            return known
        row: dict[str, Any] = {
            "name": self.text(organisation.name),
            "kind": organisation.kind.value,
        }
        if organisation.city is not None:
            row["city"] = self.city(organisation.city)
        if organisation.country is not None and (
            organisation.city is None or organisation.city.country != organisation.country
        ):
            row["country"] = organisation.country.code
        _put(row, "identifier", organisation.identifier)
        return self.organisations.add(organisation, str(organisation.name), row)

    def official(self, official: Official) -> str:
        known = self.officials.key(official)
        if known is not None:
            return known
        row = {
            "name": self.text(official.name),
            "title": self.text(official.title),
            "organisation": self.organisation(official.organisation),
        }
        return self.officials.add(official, str(official.name), row)

    def portfolio(self, portfolio: Portfolio) -> dict[str, Any]:
        owner = self.organisation(portfolio.owner)
        mous = [self.mou(mou) for mou in portfolio.mous]
        exports = [self.export(case) for case in portfolio.exports]
        requests = [self.request(request) for request in portfolio.requests]
        reported = [self.reported(figures) for figures in portfolio.reported]
        training = [self.training(track) for track in portfolio.training]
        document: dict[str, Any] = {"schema": ""}
        if self.language is not None:
            document["language"] = self.language
        document["owner"] = {"organisation": owner}
        document.update(
            (name, rows)
            for name, rows in (
                ("cities", self.cities.rows),
                ("organisations", self.organisations.rows),
                ("officials", self.officials.rows),
                ("mous", mous),
                ("exports", exports),
                ("requests", requests),
                ("reported", reported),
                ("training", training),
            )
            if rows
        )
        return document

    def mou(self, mou: MOU) -> dict[str, Any]:
        row: dict[str, Any] = {
            "title": self.text(mou.title),
            "parties": [self.organisation(party) for party in mou.parties],
        }
        if mou.signatories:
            row["signatories"] = [self.official(official) for official in mou.signatories]
        if mou.signed_at is not None:
            row["signed_at"] = mou.signed_at.isoformat()
        row["status"] = mou.status.value
        if mou.venue is not None:
            row["venue"] = self.venue(mou.venue)
        _put_all(row, "focus_areas", [area.value for area in mou.focus_areas])
        _put_all(row, "horizons", [self.horizon(horizon) for horizon in mou.horizons])
        _put_all(row, "training", [self.training(track) for track in mou.training])
        _put_all(row, "policies", self.texts(mou.policies))
        if mou.validity is not None:
            row["valid_from"] = mou.validity.start.isoformat()
            row["valid_until"] = mou.validity.end.isoformat()
        _put_all(row, "documents", list(mou.documents))
        _put(row, "identifier", mou.identifier)
        return row

    def venue(self, venue: Venue) -> str | dict[str, Any]:
        if venue.city is None:
            return "online"
        city = self.city(venue.city)
        return {"city": city, "online": True} if venue.online else city

    def training(self, track: TrainingTrack) -> dict[str, Any]:
        row: dict[str, Any] = {
            "topic": self.text(track.topic),
            "focus_area": track.focus_area.value,
        }
        if track.modality is not None:
            row["modality"] = track.modality.value
        if track.provider is not None:
            row["provider"] = self.organisation(track.provider)
        cohorts = [
            {
                "start": cohort.period.start.isoformat(),
                "end": cohort.period.end.isoformat(),
                "participants": cohort.participants,
                "hours": _hours(cohort),
            }
            for cohort in track.cohorts
        ]
        _put_all(row, "cohorts", cohorts)
        _put_all(row, "budgets", [_budget(budget) for budget in track.budgets])
        _put(row, "source", track.source)
        return row

    def export(self, case: PolicyExport) -> dict[str, Any]:
        shares = case.focus
        focus: str | dict[str, Any] = (
            shares[0].area.value
            if len(shares) == 1 and shares[0].percent == 100
            else {share.area.value: _exact(share.percent) for share in shares}
        )
        row: dict[str, Any] = {
            "policy": self.text(case.policy),
            "recipient": self.city(case.recipient),
            "focus": focus,
        }
        _put(row, "year", case.year)
        if case.value_date is not None:
            row["value_date"] = case.value_date.isoformat()
        if case.value is not None:
            row["value"] = _money(case.value)
        if case.funding is not None:
            funding: dict[str, Any] = {"kind": case.funding.kind.value}
            if case.funding.funder is not None:
                funding["funder"] = self.organisation(case.funding.funder)
            row["funding"] = funding
        row["status"] = case.status.value
        if case.implementer is not None:
            row["implementer"] = self.organisation(case.implementer)
        _put_all(row, "budgets", [_budget(budget) for budget in case.budgets])
        _put(row, "identifier", case.identifier)
        _put(row, "parent", case.parent)
        _put_all(row, "sources", list(case.sources))
        if case.note is not None:
            row["note"] = self.text(case.note)
        return row

    def request(self, request: PolicyRequest) -> dict[str, Any]:
        row: dict[str, Any] = {
            "city": self.city(request.city),
            "reported_on": request.reported_on.isoformat(),
            "topic": self.text(request.topic),
        }
        _put_all(row, "focus_areas", [area.value for area in request.focus_areas])
        _put_all(row, "sources", list(request.sources))
        return row

    def horizon(self, horizon: StrategyHorizon) -> dict[str, Any]:
        row: dict[str, Any] = {"term": horizon.term.value}
        if horizon.period is not None:
            row["start"] = horizon.period.start.isoformat()
            row["end"] = horizon.period.end.isoformat()
        _put_all(row, "objectives", self.texts(horizon.objectives))
        milestones = [
            {"name": self.text(m.name), "due": m.due.isoformat()} for m in horizon.milestones
        ]
        _put_all(row, "milestones", milestones)
        return row

    def reported(self, figures: ReportedFigures) -> dict[str, Any]:
        row: dict[str, Any] = {"as_of": figures.as_of.isoformat()}
        for key in ("cases", "policies"):
            _put(row, key, getattr(figures, key))
        if figures.value is not None:
            row["value"] = _money(figures.value)
        for key in ("cities", "countries"):
            _put(row, key, getattr(figures, key))
        row["approximate"] = figures.approximate
        row["scope"] = self.text(figures.scope)
        _put_all(row, "sources", list(figures.sources))
        return row


def _put(row: dict[str, Any], key: str, value: object) -> None:
    if value is not None:
        row[key] = value


def _put_all(row: dict[str, Any], key: str, values: list[Any]) -> None:
    if values:
        row[key] = values


def _exact(number: Decimal) -> int | str:
    """A whole number as a TOML integer, any other as its exact decimal text."""
    if number == number.to_integral_value():
        return int(number)
    return format(number.normalize(), "f")


def _hours(cohort: Any) -> int | str:
    """A cohort's hours (a quantity in hours) as an exact number."""
    return _exact(Decimal(str(cohort.hours.magnitude)))


def _money(money: Money) -> str:
    return f"{money.currency} {format(money.amount, 'f')}"


def _budget(budget: Budget) -> dict[str, Any]:
    period = budget.period
    row: dict[str, Any] = (
        {"year": period.start.year}
        if period == Period.year(period.start.year)
        else {"start": period.start.isoformat(), "end": period.end.isoformat()}
    )
    row["value"] = _money(budget.value)
    row["kind"] = budget.kind.value
    if budget.value_date is not None:
        row["value_date"] = budget.value_date.isoformat()
    _put(row, "source", budget.source)
    return row


def _language(portfolio: Portfolio) -> str | None:
    """The language most of the portfolio's texts are first written in (``None``: unstated)."""
    counts = Counter(text.language for text in texts_of(portfolio))
    if not counts:
        return None
    tag = counts.most_common(1)[0][0]
    return None if tag == UNDETERMINED else tag


def document_of(portfolio: Portfolio, schema: str) -> dict[str, Any]:
    """The dataset document of *portfolio*: plain TOML values, references by key.

    The document's ``language`` is the one most texts are first written in; those texts
    are plain strings, every other one a table of its languages.
    """
    document = _Document(_language(portfolio)).portfolio(portfolio)
    document["schema"] = schema
    return document


# --- TOML text ------------------------------------------------------------------------


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    out: list[str] = []
    for char in text:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _value(value: object, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        items = cast("list[object]", value)
        return "[" + ", ".join(_value(item, where) for item in items) + "]"
    if isinstance(value, dict):
        table = cast("dict[str, object]", value)
        pairs = ", ".join(f"{_key(k)} = {_value(v, where)}" for k, v in table.items())
        return "{ " + pairs + " }" if pairs else "{}"
    raise ValidationError(where, value, "a value the dataset format holds")  # pragma: no cover


def _is_tables(value: object) -> bool:
    """Whether *value* is written as tables of its own: a table, or an array of tables."""
    if isinstance(value, _Inline):
        return False
    if isinstance(value, dict):
        return True
    if not isinstance(value, list):
        return False
    items = cast("list[object]", value)
    return bool(items) and all(isinstance(i, dict) and not isinstance(i, _Inline) for i in items)


def _table(lines: list[str], path: str, table: Mapping[str, object], *, array: bool) -> None:
    """Write one table: its own values first, then its sub-tables and arrays of tables."""
    if path:
        if lines:
            lines.append("")
        lines.append(f"[[{path}]]" if array else f"[{path}]")
    nested: list[tuple[str, object]] = []
    for key, value in table.items():
        if key not in _INLINE and _is_tables(value):
            nested.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value, f'{path}.{key}' if path else key)}")
    for key, value in nested:
        inner = f"{path}.{_key(key)}" if path else _key(key)
        if isinstance(value, dict):
            table = cast("dict[str, object]", value)
            if all(isinstance(v, dict) for v in table.values()):  # a table of tables
                for name, row in cast("dict[str, dict[str, object]]", table).items():
                    _table(lines, f"{inner}.{_key(name)}", row, array=False)
            else:
                _table(lines, inner, table, array=False)
        else:
            for row in cast("list[dict[str, object]]", value):
                _table(lines, inner, row, array=True)


def toml_text(document: Mapping[str, Any]) -> str:
    """*document* as TOML text (its tables, arrays of tables and values, in order)."""
    lines: list[str] = []
    _table(lines, "", document, array=False)
    return "\n".join(lines) + "\n"
