"""A city's whole cooperation record, and the headline figures it published."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final

import attrs
import pendulum

from citycoop._core.errors import ValidationError
from citycoop._core.html import html_table
from citycoop._core.money import Money
from citycoop._core.places import City, Country
from citycoop._core.text import Text, text_field
from citycoop._core.time import date_field
from citycoop._core.validation import (
    instance_of,
    items,
    name_fields,
    optional_instance_of,
    optional_whole_number,
    urls,
)
from citycoop._domain.agreements import MOU
from citycoop._domain.exports import PolicyExport, PolicyRequest
from citycoop._domain.focus import FocusArea
from citycoop._domain.parties import Organisation
from citycoop._domain.training import TrainingTrack, tracks_field

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Portfolio", "ReportedFigures"]


def _some_figure(instance: ReportedFigures, _attribute: object, _value: Any) -> None:
    figures: tuple[object, ...] = (
        instance.cases,
        instance.policies,
        instance.value,
        instance.cities,
        instance.countries,
    )
    if all(figure is None for figure in figures):
        raise ValidationError(
            type(instance).__name__, instance.as_of.isoformat(), "at least one figure"
        )


@attrs.frozen(field_transformer=name_fields)
class ReportedFigures:
    """Headline numbers an organisation published about its own work, as of a date.

    Figures a source does not state stay ``None``. ``approximate`` records words such
    as "approximately" or "over".

    .. versionadded:: 0.1.0
    """

    as_of: pendulum.Date = attrs.field(converter=date_field)
    cases: int | None = attrs.field(default=None, kw_only=True, validator=optional_whole_number(0))
    policies: int | None = attrs.field(
        default=None, kw_only=True, validator=optional_whole_number(0)
    )
    value: Money | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of(Money, "Money"),
    )
    cities: int | None = attrs.field(default=None, kw_only=True, validator=optional_whole_number(0))
    countries: int | None = attrs.field(
        default=None,
        kw_only=True,
        validator=[optional_whole_number(0), _some_figure],
    )
    approximate: bool = attrs.field(default=False, kw_only=True)
    scope: Text = attrs.field(
        default=Text("policy export cases"), kw_only=True, converter=text_field
    )
    sources: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=urls)


def _mou_key(mou: MOU) -> tuple[bool, str]:
    signed = mou.signed_at
    return (signed is None, "" if signed is None else signed.isoformat())


#: Sorts after every year a case may hold (1900 to 2200).
_NO_YEAR: Final = 10_000


def _export_key(case: PolicyExport) -> int:
    """Year order, cases without a year last."""
    year = case.year
    return _NO_YEAR if year is None else year


def _sorted_mous(value: Iterable[MOU], field: str = "") -> tuple[MOU, ...]:
    return tuple(sorted(items(value, MOU, "an MOU", field), key=_mou_key))


def _sorted_exports(value: Iterable[PolicyExport], field: str = "") -> tuple[PolicyExport, ...]:
    return tuple(sorted(items(value, PolicyExport, "a PolicyExport", field), key=_export_key))


def _sorted_requests(value: Iterable[PolicyRequest], field: str = "") -> tuple[PolicyRequest, ...]:
    requests = items(value, PolicyRequest, "a PolicyRequest", field)
    return tuple(sorted(requests, key=attrgetter("reported_on")))


def _sorted_reported(
    value: Iterable[ReportedFigures], field: str = ""
) -> tuple[ReportedFigures, ...]:
    reported = items(value, ReportedFigures, "ReportedFigures", field)
    return tuple(sorted(reported, key=attrgetter("as_of")))


@attrs.frozen(field_transformer=name_fields)
class Portfolio:
    """Everything one city records of its cooperation, each collection oldest first.

    ``mous`` and ``exports`` are sorted by signing time and year (unknown last),
    ``requests`` and ``reported`` by date; ``training`` holds tracks that belong to
    no MOU, in the order given.

    .. versionadded:: 0.1.0
    """

    owner: Organisation = attrs.field(validator=instance_of(Organisation, "an Organisation"))
    mous: tuple[MOU, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_sorted_mous,
    )
    exports: tuple[PolicyExport, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_sorted_exports,
    )
    requests: tuple[PolicyRequest, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_sorted_requests,
    )
    reported: tuple[ReportedFigures, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_sorted_reported,
    )
    training: tuple[TrainingTrack, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=tracks_field,
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
        """Cases whose recipient is in *place* (a city, a country, or a city name).

        >>> import citycoop
        >>> seoul = citycoop.datasets.seoul()
        >>> len(seoul.exports_to("manila")), len(seoul.exports_to(citycoop.Country("NZ")))
        (2, 2)
        """
        return tuple(c for c in self.exports if _at(c.recipient, c.recipient.country, place))

    def exports_in(self, area: FocusArea | str) -> tuple[PolicyExport, ...]:
        """Cases with any share in focus *area*.

        >>> import citycoop
        >>> [c.recipient.name for c in citycoop.datasets.seoul().exports_in("urban_planning")]
        ['Phnom Penh']
        """
        wanted = FocusArea.parse(area, "area")
        return tuple(c for c in self.exports if wanted in c.focus_areas)

    def mous_in(self, area: FocusArea | str) -> tuple[MOU, ...]:
        """MOUs that cover focus *area*.

        >>> import citycoop
        >>> [str(m.title) for m in citycoop.datasets.seoul().mous_in(citycoop.FocusArea.CAPACITY_BUILDING)]
        ['Seoul-Guayaquil Smart City Cooperation MOU']
        """
        wanted = FocusArea.parse(area, "area")
        return tuple(m for m in self.mous if wanted in m.focus_areas)

    def _repr_html_(self) -> str:
        """A summary for Jupyter, not the full record: counts and the latest headline."""
        valued = sum(case.value is not None for case in self.exports)
        rows: list[tuple[str, object]] = [
            ("owner", self.owner.name),
            ("MOUs", len(self.mous)),
            ("export cases", f"{len(self.exports)} ({valued} with a value)"),
            ("requests", len(self.requests)),
            ("training tracks", len(self.training)),
        ]
        latest = self.latest_reported()
        if latest is not None:
            parts = [f"{latest.cases:,} cases" if latest.cases is not None else ""]
            if latest.value is not None:
                about = "about " if latest.approximate else ""
                parts.append(f"{about}{latest.value.currency} {latest.value.amount:,f}")
            rows.append((f"reported {latest.as_of}", ", ".join(p for p in parts if p)))
        return html_table(["", ""], rows)

    def latest_reported(self, on: pendulum.Date | None = None) -> ReportedFigures | None:
        """The newest reported figures (as of *on* or earlier, if given)."""
        candidates: Iterable[ReportedFigures] = self.reported
        if on is not None:
            candidates = [r for r in candidates if r.as_of <= on]
        return max(candidates, key=attrgetter("as_of"), default=None)


def _at(city: City | None, country: Country | None, place: City | Country | str) -> bool:
    if isinstance(place, City):
        return city == place
    if isinstance(place, Country):
        return country == place
    if isinstance(place, str):
        return city is not None and city.name.casefold() == place.casefold()
    raise ValidationError("place", place, "a City, a Country or a city name")
