"""A city's whole cooperation record, and the headline figures it published."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from citycoop._agreements import MOU
from citycoop._errors import ValidationError
from citycoop._exports import PolicyExport, PolicyRequest
from citycoop._focus import FocusArea
from citycoop._money import Money
from citycoop._parties import Organisation
from citycoop._places import City, Country
from citycoop._time import to_date
from citycoop._training import TrainingTrack
from citycoop._validation import (
    instance_of,
    non_empty,
    optional_instance_of,
    optional_positive_int,
    to_tuple,
    tuple_of,
    urls,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["Portfolio", "ReportedFigures"]


def _as_of(value: dt.date | str) -> pendulum.Date:
    return to_date(value, "ReportedFigures.as_of")


def _some_figure(instance: ReportedFigures, _attribute: object, _value: Any) -> None:
    figures: tuple[object, ...] = (
        instance.cases,
        instance.policies,
        instance.value,
        instance.cities,
        instance.countries,
    )
    if all(figure is None for figure in figures):
        raise ValidationError("ReportedFigures", instance.as_of.isoformat(), "at least one figure")


@attrs.frozen
class ReportedFigures:
    """Headline numbers an organisation published about its own work, as of a date.

    Figures a source does not state stay ``None``. ``approximate`` records words such
    as "approximately" or "over".

    .. versionadded:: 0.1.0
    """

    as_of: pendulum.Date = attrs.field(converter=_as_of)
    cases: int | None = attrs.field(
        default=None, kw_only=True, validator=optional_positive_int("ReportedFigures.cases", 0)
    )
    policies: int | None = attrs.field(
        default=None, kw_only=True, validator=optional_positive_int("ReportedFigures.policies", 0)
    )
    value: Money | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of("ReportedFigures.value", Money, "Money"),
    )
    cities: int | None = attrs.field(
        default=None, kw_only=True, validator=optional_positive_int("ReportedFigures.cities", 0)
    )
    countries: int | None = attrs.field(
        default=None,
        kw_only=True,
        validator=[optional_positive_int("ReportedFigures.countries", 0), _some_figure],
    )
    approximate: bool = attrs.field(default=False, kw_only=True)
    scope: str = attrs.field(
        default="policy export cases", kw_only=True, validator=non_empty("ReportedFigures.scope")
    )
    sources: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=urls("ReportedFigures.sources")
    )


def _sorted(value: object, key: Callable[[Any], Any]) -> object:
    value = to_tuple(value)
    if isinstance(value, tuple):
        try:
            return tuple(sorted(value, key=key))
        except (AttributeError, TypeError):
            return value  # the validator names the bad item
    return value


def _mou_key(mou: Any) -> tuple[bool, str]:
    signed = mou.signed_at
    return (signed is None, "" if signed is None else signed.isoformat())


def _export_key(case: Any) -> tuple[bool, int]:
    year = case.year
    return (year is None, year or 0)


def _request_key(request: Any) -> pendulum.Date:
    day: pendulum.Date = request.reported_on
    return day


def _reported_key(figures: Any) -> pendulum.Date:
    day: pendulum.Date = figures.as_of
    return day


def _sorted_mous(value: object) -> object:
    return _sorted(value, _mou_key)


def _sorted_exports(value: object) -> object:
    return _sorted(value, _export_key)


def _sorted_requests(value: object) -> object:
    return _sorted(value, _request_key)


def _sorted_reported(value: object) -> object:
    return _sorted(value, _reported_key)


@attrs.frozen
class Portfolio:
    """Everything one city records of its cooperation, each collection oldest first.

    ``mous`` and ``exports`` are sorted by signing time and year (unknown last),
    ``requests`` and ``reported`` by date; ``training`` holds tracks that belong to
    no MOU, in the order given.

    .. versionadded:: 0.1.0
    """

    owner: Organisation = attrs.field(
        validator=instance_of("Portfolio.owner", Organisation, "an Organisation")
    )
    mous: tuple[MOU, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_sorted_mous,
        validator=tuple_of("Portfolio.mous", MOU, "an MOU"),
    )
    exports: tuple[PolicyExport, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_sorted_exports,
        validator=tuple_of("Portfolio.exports", PolicyExport, "a PolicyExport"),
    )
    requests: tuple[PolicyRequest, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_sorted_requests,
        validator=tuple_of("Portfolio.requests", PolicyRequest, "a PolicyRequest"),
    )
    reported: tuple[ReportedFigures, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_sorted_reported,
        validator=tuple_of("Portfolio.reported", ReportedFigures, "ReportedFigures"),
    )
    training: tuple[TrainingTrack, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=to_tuple,
        validator=tuple_of("Portfolio.training", TrainingTrack, "a TrainingTrack"),
    )

    def partner_cities(self) -> tuple[City, ...]:
        """Every partner city, each once, in first-seen order.

        Partners are MOU parties other than the owner's city, case recipients and
        requesting cities.
        """
        seen: dict[City, None] = {}
        home = self.owner.city
        for mou in self.mous:
            for city in mou.cities:
                if city != home:
                    seen.setdefault(city)
        for case in self.exports:
            seen.setdefault(case.recipient)
        for request in self.requests:
            seen.setdefault(request.city)
        return tuple(seen)

    def partner_countries(self) -> tuple[Country, ...]:
        """The countries of :meth:`partner_cities`, each once."""
        return tuple(dict.fromkeys(city.country for city in self.partner_cities()))

    def mous_with(self, place: City | Country | str) -> tuple[MOU, ...]:
        """MOUs that have a party in *place* (a city, a country, or a city name)."""
        return tuple(m for m in self.mous if any(_at(p.city, p.country, place) for p in m.parties))

    def exports_to(self, place: City | Country | str) -> tuple[PolicyExport, ...]:
        """Cases whose recipient is in *place* (a city, a country, or a city name)."""
        return tuple(c for c in self.exports if _at(c.recipient, c.recipient.country, place))

    def exports_in(self, area: FocusArea | str) -> tuple[PolicyExport, ...]:
        """Cases with any share in focus *area*."""
        wanted = FocusArea.parse(area, "area")
        return tuple(c for c in self.exports if wanted in c.focus_areas)

    def mous_in(self, area: FocusArea | str) -> tuple[MOU, ...]:
        """MOUs that cover focus *area*."""
        wanted = FocusArea.parse(area, "area")
        return tuple(m for m in self.mous if wanted in m.focus_areas)

    def latest_reported(self, on: pendulum.Date | None = None) -> ReportedFigures | None:
        """The newest reported figures (as of *on* or earlier, if given)."""
        candidates: Iterable[ReportedFigures] = self.reported
        if on is not None:
            candidates = [r for r in candidates if r.as_of <= on]
        return max(candidates, key=_reported_key, default=None)


def _at(city: City | None, country: Country | None, place: City | Country | str) -> bool:
    if isinstance(place, City):
        return city == place
    if isinstance(place, Country):
        return country == place
    if isinstance(place, str):
        return city is not None and city.name.casefold() == place.casefold()
    raise ValidationError("place", place, "a City, a Country or a city name")
