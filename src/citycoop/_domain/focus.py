"""Focus areas of cooperation and their OECD DAC sector codes."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from citycoop._core.codes import CodeEnum
from citycoop._core.errors import ValidationError
from citycoop._core.validation import iterable

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["FocusArea"]


class FocusArea(CodeEnum):
    """What a cooperation is about, each mapped to OECD DAC 5-digit purpose codes.

    >>> FocusArea.PUBLIC_TRANSPORT.sectors
    ('21012', '21020', '21030')
    >>> FocusArea.parse("citizen safety")
    <FocusArea.CITIZEN_SAFETY: 'citizen_safety'>

    .. versionadded:: 0.1.0
    """

    CITIZEN_SAFETY = "citizen_safety"
    PUBLIC_TRANSPORT = "public_transport"
    DIGITAL = "digital"
    URBAN_PLANNING = "urban_planning"
    WATER_SUPPLY = "water_supply"
    E_GOVERNMENT = "e_government"
    ENVIRONMENT = "environment"
    CAPACITY_BUILDING = "capacity_building"
    EDUCATION = "education"
    HEALTH = "health"

    @property
    def sectors(self) -> tuple[str, ...]:
        """The OECD DAC 5-digit sector codes (IATI vocabulary 1) for this area."""
        return _SECTORS[self]

    @classmethod
    def for_sector(cls, code: str) -> FocusArea | None:
        """The focus area of an OECD DAC 5-digit sector code, or ``None`` if none lists it.

        A code that is one area's first (primary) code maps to that area, so the code
        each area is published under (:attr:`sectors` ``[0]``) reads back as the area;
        any other code maps to the first area that lists it.

        >>> FocusArea.for_sector("15110"), FocusArea.for_sector("22040")
        (<FocusArea.E_GOVERNMENT: 'e_government'>, <FocusArea.DIGITAL: 'digital'>)
        >>> FocusArea.for_sector("72040") is None
        True

        .. versionadded:: 0.1.0
        """
        return _BY_SECTOR.get(code)


# Codes from the OECD DAC purpose codes as published in the IATI Sector codelist.
_SECTORS: Mapping[FocusArea, tuple[str, ...]] = MappingProxyType(
    {
        FocusArea.CITIZEN_SAFETY: ("15130", "15132", "15133", "43060"),
        FocusArea.PUBLIC_TRANSPORT: ("21012", "21020", "21030"),
        FocusArea.DIGITAL: ("22040", "15110"),
        FocusArea.URBAN_PLANNING: ("43030", "43031", "43032"),
        FocusArea.WATER_SUPPLY: ("14010", "14020", "14021", "14022"),
        FocusArea.E_GOVERNMENT: ("15110", "22040"),
        FocusArea.ENVIRONMENT: ("41010", "41020"),
        FocusArea.CAPACITY_BUILDING: ("43081", "11430"),
        FocusArea.EDUCATION: ("11110",),
        FocusArea.HEALTH: ("12110",),
    }
)


def focus_area_field(value: FocusArea | str, field: str = "") -> FocusArea:
    """Converter of a focus-area field: a member, its code or its words."""
    return FocusArea.parse(value, field)


def focus_areas_field(value: Iterable[FocusArea | str], field: str = "") -> tuple[FocusArea, ...]:
    """Converter of a tuple-of-focus-areas field: each area once, a bad one named by index."""
    areas = tuple(
        FocusArea.parse(item, f"{field}[{i}]") for i, item in enumerate(iterable(value, field))
    )
    if len(set(areas)) != len(areas):
        raise ValidationError(field, [str(area) for area in areas], "each focus area once")
    return areas


def _by_sector() -> Mapping[str, FocusArea]:
    primary = {codes[0]: area for area, codes in _SECTORS.items()}
    others: dict[str, FocusArea] = {}
    for area, codes in _SECTORS.items():
        for code in codes[1:]:
            others.setdefault(code, area)
    return MappingProxyType({**others, **primary})


_BY_SECTOR: Mapping[str, FocusArea] = _by_sector()
