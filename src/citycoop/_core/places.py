"""Places: UN M49 regions, ISO 3166-1 countries and cities.

The country and region table is the UN M49 standard ("Standard country or area codes
for statistical use", https://unstats.un.org/unsd/methodology/m49/), kept in
``citycoop/_data/``: ISO 3166-1 alpha-2, alpha-3 and numeric codes of every country or
area, each with its most specific M49 region, and the M49 region tree. One code is added
that M49 lacks: ``XK`` (Kosovo, alpha-3 ``XKX``), the user-assigned ISO 3166 code that
IATI's Country code list and the European Commission use; it has no M49 region, so its
region is unknown (``None``), as Antarctica's is.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Self

import attrs
import pendulum

from citycoop._core.errors import UnknownCodeError, ValidationError
from citycoop._core.time import valid_timezone
from citycoop._core.validation import (
    measure,
    name_fields,
    non_empty,
    optional_instance_of,
    optional_whole_number,
    whole_text,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["City", "Coordinates", "Country", "Region"]


@attrs.frozen
class M49Area:
    alpha2: str
    alpha3: str
    numeric: str
    region: str


def _read(name: str) -> list[dict[str, str]]:
    import csv  # the code tables are read on first use: import citycoop skips these
    import io
    from importlib.resources import files

    text = files("citycoop").joinpath("_data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.cache
def m49_areas() -> Mapping[str, M49Area]:
    """Every UN M49 area (country or territory) by its alpha-2 code, read once.

    The internal seam for code that needs the whole list, such as the strategies.
    """
    return {
        row["alpha2"]: M49Area(row["alpha2"], row["alpha3"], row["numeric"], row["m49_region"])
        for row in _read("m49_areas.csv")
    }


@functools.cache
def _alpha3() -> Mapping[str, str]:
    return {area.alpha3: code for code, area in m49_areas().items()}


@functools.cache
def m49_regions() -> Mapping[str, tuple[str, str]]:
    """Every UN M49 region code with its (English name, parent code), read once."""
    return {row["code"]: (row["name"], row["parent"]) for row in _read("m49_regions.csv")}


def _region_code(value: str | int, field: str = "") -> str:
    code: object = value
    if isinstance(code, int) and not isinstance(code, bool):
        code = f"{code:03d}"
    if isinstance(code, str) and code.zfill(3) in m49_regions():
        return code.zfill(3)
    raise UnknownCodeError(field, value, "UN M49 region")


@attrs.frozen(repr=False, cache_hash=True, field_transformer=name_fields)
class Region:
    """A UN M49 region, such as ``Region("419")``, Latin America and the Caribbean.

    >>> Region("005").name, Region("005").parent
    ('South America', Region('419'))

    .. versionadded:: 0.1.0
    """

    code: str = attrs.field(converter=_region_code)

    @property
    def name(self) -> str:
        """The English M49 name."""
        return m49_regions()[self.code][0]

    @property
    def parent(self) -> Region | None:
        """The enclosing region; ``None`` for the world (``001``)."""
        parent = m49_regions()[self.code][1]
        return Region(parent) if parent else None

    @property
    def level(self) -> int:
        """0 for the world, 1 for continents, 2 for sub-regions, 3 for intermediate ones."""
        parent = self.parent
        return 0 if parent is None else parent.level + 1

    def ancestors(self) -> tuple[Region, ...]:
        """This region and every region enclosing it, the world last."""
        chain: list[Region] = [self]
        while (parent := chain[-1].parent) is not None:
            chain.append(parent)
        return tuple(chain)

    def __repr__(self) -> str:
        return f"Region({self.code!r})"

    def __str__(self) -> str:
        return self.name


def _country_code(value: str, field: str = "") -> str:
    if isinstance(value, str):
        upper = value.strip().upper()
        if len(upper) == 2 and upper in m49_areas():
            return upper
        if len(upper) == 3 and upper in _alpha3():
            return _alpha3()[upper]
    raise UnknownCodeError(field, value, "ISO 3166-1 country")


@attrs.frozen(repr=False, cache_hash=True, field_transformer=name_fields)
class Country:
    """An ISO 3166-1 country or area, by its alpha-2 code (alpha-3 is accepted too).

    >>> pe = Country("PE")
    >>> pe.alpha3, pe.region.name, pe.sub_region.name, pe.intermediate_region.name
    ('PER', 'Americas', 'Latin America and the Caribbean', 'South America')
    >>> pe.name("ko"), pe.name("es")
    ('페루', 'Perú')

    .. versionadded:: 0.1.0
    """

    code: str = attrs.field(converter=_country_code)

    @property
    def alpha3(self) -> str:
        """The ISO 3166-1 alpha-3 code."""
        return m49_areas()[self.code].alpha3

    @property
    def numeric(self) -> str:
        """The ISO 3166-1 numeric code, zero-padded (also its M49 code).

        ``XK`` has none: its numeric code is ``""``.
        """
        return m49_areas()[self.code].numeric

    def _level(self, level: int) -> Region | None:
        code = m49_areas()[self.code].region
        if not code:
            return None
        for region in Region(code).ancestors():
            if region.level == level:
                return region
        return None

    @property
    def region(self) -> Region | None:
        """The M49 continental region (Africa, Americas, Asia, Europe, Oceania)."""
        return self._level(1)

    @property
    def sub_region(self) -> Region | None:
        """The M49 sub-region, such as Eastern Asia or Latin America and the Caribbean."""
        return self._level(2)

    @property
    def intermediate_region(self) -> Region | None:
        """The M49 intermediate region (South America, Caribbean, ...), where there is one."""
        return self._level(3)

    def name(self, locale: str = "en") -> str:
        """The country's name in *locale*, from CLDR."""
        from babel import Locale

        names: Mapping[str, str] = Locale.parse(locale).territories  # pyright: ignore[reportUnknownMemberType]
        return str(names.get(self.code, self.code))  # pyright: ignore[reportUnknownArgumentType, reportUnknownMemberType]

    def __repr__(self) -> str:
        return f"Country({self.code!r})"

    def __str__(self) -> str:
        return self.code


def _degrees(value: object, field: str, limit: int) -> Decimal:
    """Exact decimal degrees within +-*limit* (floats are read through their repr)."""
    number = measure(value, field, "a number of decimal degrees")
    if not -limit <= number <= limit:
        raise ValidationError(field, value, f"decimal degrees from -{limit} to {limit}")
    return number


def _latitude(value: Decimal | float | str, field: str = "") -> Decimal:
    return _degrees(value, field, 90)


def _longitude(value: Decimal | float | str, field: str = "") -> Decimal:
    return _degrees(value, field, 180)


@attrs.frozen(cache_hash=True, field_transformer=name_fields)
class Coordinates:
    """WGS84 latitude and longitude in decimal degrees, kept exactly as given.

    .. versionadded:: 0.1.0
    """

    latitude: Decimal = attrs.field(converter=_latitude)
    longitude: Decimal = attrs.field(converter=_longitude)


def country_field(value: Country | str, field: str = "") -> Country:
    """Converter of a country field: a :class:`Country` or its code."""
    if isinstance(value, Country):
        return value
    try:
        return Country(value)
    except UnknownCodeError:  # name the field that holds the code, not Country.code
        raise UnknownCodeError(field, value, "ISO 3166-1 country") from None


def optional_country(value: Country | str | None, field: str = "") -> Country | None:
    """Converter of an optional country field: a :class:`Country` or its code."""
    return None if value is None else country_field(value, field)


def _timezone(value: str, field: str = "") -> str:
    return valid_timezone(value, field)


@attrs.frozen(cache_hash=True, field_transformer=name_fields)
class City:
    """A city: name, country, IANA time zone and, where known, population and place.

    >>> lima = City("Lima", "PE", "America/Lima", population=7737002, geonames_id=3936456)
    >>> lima.country.name()
    'Peru'

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(validator=non_empty)
    country: Country = attrs.field(converter=country_field)
    timezone: str = attrs.field(converter=_timezone)
    population: int | None = attrs.field(
        default=None, kw_only=True, validator=optional_whole_number(0)
    )
    coordinates: Coordinates | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of(Coordinates, "Coordinates"),
    )
    geonames_id: int | None = attrs.field(
        default=None, kw_only=True, validator=optional_whole_number(1)
    )

    @classmethod
    def from_geonames(cls, row: Mapping[str, str], *, geonames_id: int | None = None) -> Self:
        """Build a city from a GeoNames ``cities15000`` row.

        *row* has the columns ``Name``, ``Country Code``, ``Timezone`` and, optionally,
        ``Population``, ``Latitude`` and ``Longitude``.
        """
        try:
            name, country, timezone = row["Name"], row["Country Code"], row["Timezone"]
        except KeyError as missing:
            raise ValidationError(
                f"{cls.__name__}.from_geonames", dict(row), f"a column {missing}"
            ) from None
        population = row.get("Population") or None
        lat, lon = row.get("Latitude"), row.get("Longitude")
        return cls(
            name,
            country,
            timezone,
            population=(
                None if population is None else whole_text(population, f"{cls.__name__}.population")
            ),
            coordinates=Coordinates(lat, lon) if lat and lon else None,
            geonames_id=geonames_id,
        )

    @property
    def region(self) -> Region | None:
        """The M49 continental region of the city's country."""
        return self.country.region

    def local(self, instant: pendulum.DateTime) -> pendulum.DateTime:
        """*instant* as the city's clocks show it."""
        return instant.in_timezone(self.timezone)

    def __str__(self) -> str:
        return f"{self.name}, {self.country.code}"


def folded(name: str) -> str:
    """A name without accents or case, to compare spellings of one place."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.cache
def zone_of(country: str, name: str) -> str | None:
    """The IANA time zone of a city *name* in *country* (alpha-2), from CLDR, if one fits.

    The country's one zone, or, in a country with several, the zone whose CLDR exemplar
    city is *name* (accents and case aside); otherwise ``None``.
    """
    from babel.core import get_global
    from babel.dates import get_timezone_location

    zones: list[str] = list(get_global("territory_zones").get(country, ()))  # pyright: ignore[reportUnknownArgumentType, reportUnknownMemberType]
    if len(zones) == 1:
        return zones[0]
    wanted = folded(name)
    for zone in zones:
        try:
            exemplar = get_timezone_location(zone, "en", return_city=True)
        except LookupError:
            continue
        if folded(exemplar) == wanted:
            return zone
    return None


#: A city as flat columns (CSV, Arrow, DataFrames): its fields in order, the coordinates
#: as latitude and longitude. JSON and TOML keep the fields themselves.
CITY_COLUMNS: Final = tuple(
    column
    for field in attrs.fields(City)
    for column in (("latitude", "longitude") if field.name == "coordinates" else (field.name,))
)
