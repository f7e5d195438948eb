"""Who cooperates: organisations and the officials who sign for them."""

from __future__ import annotations

from typing import Any

import attrs

from citycoop._core.codes import CodeEnum
from citycoop._core.errors import ValidationError
from citycoop._core.places import City, Country, optional_country
from citycoop._core.text import Text, text_field
from citycoop._core.validation import (
    instance_of,
    name_fields,
    optional_instance_of,
    optional_text,
    where,
)

__all__ = ["Official", "OrgKind", "Organisation"]


class OrgKind(CodeEnum):
    """The kind of an organisation.

    .. versionadded:: 0.1.0
    """

    CITY_GOVERNMENT = "city_government"
    NATIONAL_GOVERNMENT = "national_government"
    NATIONAL_AGENCY = "national_agency"
    PUBLIC_AGENCY = "public_agency"
    MULTILATERAL_BANK = "multilateral_bank"
    MULTILATERAL = "multilateral"
    COMPANY = "company"
    UNIVERSITY = "university"
    NGO = "ngo"


def _kind(value: OrgKind | str, field: str = "") -> OrgKind:
    return OrgKind.parse(value, field)


def _home_country(
    instance: Organisation, attribute: attrs.Attribute[Any], value: Country | None
) -> None:
    if value is None and instance.city is None:
        raise ValidationError(
            where(instance, attribute), value, "a country, or a city to take it from"
        )
    if value is not None and instance.city is not None and value != instance.city.country:
        raise ValidationError(
            where(instance, attribute), value, f"the country of its city {instance.city}"
        )


@attrs.frozen(cache_hash=True, field_transformer=name_fields)
class Organisation:
    """An organisation that cooperates, such as a city government or a bank.

    Give its home *city*, its *country*, or both (they must agree); the country is
    taken from the city where only the city is given.

    >>> from citycoop import City
    >>> seoul = City("Seoul", "KR", "Asia/Seoul")
    >>> smg = Organisation("Seoul Metropolitan Government", "city_government", city=seoul)
    >>> smg.country
    Country('KR')

    .. versionadded:: 0.1.0
    """

    name: Text = attrs.field(converter=text_field)
    kind: OrgKind = attrs.field(converter=_kind)
    city: City | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of(City, "a City"),
    )
    country: Country | None = attrs.field(
        default=None, kw_only=True, converter=optional_country, validator=_home_country
    )
    identifier: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_text("a non-empty identifier"),
    )

    def __attrs_post_init__(self) -> None:
        if self.country is None and self.city is not None:
            object.__setattr__(self, "country", self.city.country)

    @property
    def timezone(self) -> str | None:
        """The IANA time zone of the home city, where one is known."""
        return self.city.timezone if self.city is not None else None

    def __str__(self) -> str:
        return str(self.name)


@attrs.frozen(cache_hash=True, field_transformer=name_fields)
class Official:
    """A person who acts for an organisation, such as a mayor who signs an MOU.

    .. versionadded:: 0.1.0
    """

    name: Text = attrs.field(converter=text_field)
    title: Text = attrs.field(converter=text_field)
    organisation: Organisation = attrs.field(validator=instance_of(Organisation, "an Organisation"))

    def __str__(self) -> str:
        return f"{self.title} {self.name} ({self.organisation})"
