"""Physical quantities: hours on pint's application registry, converted exactly.

Every duration that enters a citycoop object is rebuilt on the registry that
:func:`pint.get_application_registry` gives when the object is built (pint's default, or
one the user set with :func:`pint.set_application_registry`), in hours. So a user's own
quantities mix with citycoop's: ``10 * ureg.hour + track.person_hours`` works.

Conversions into hours are exact (a private registry with :class:`~decimal.Decimal`
factors does them); the result's magnitude is an ``int`` when the number of hours is
whole, which every registry converts cleanly (``48 hours`` is ``2.0 day`` on a float
registry, ``2 day`` on a Decimal one). A fraction of an hour takes the registry's own
number type: a float on pint's default registry, a ``Decimal`` on a registry made with
``non_int_type=Decimal``. Money never goes through pint.
"""

# pint builds its Quantity classes at run time, so pyright cannot know their members.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false, reportUnknownParameterType=false

from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from citycoop._core.errors import ValidationError
from citycoop._core.validation import measure

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pint

__all__ = ["hours", "quantity", "registry", "sum_hours", "to_hours"]


class LazyModule:
    """A module imported on its first attribute look-up.

    Annotations such as ``pint.Quantity[Any]`` then resolve in
    :func:`typing.get_type_hints` without ``import citycoop`` paying for pint.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self._name), attribute)


def registry() -> pint.UnitRegistry[Any]:
    """The registry new quantities are built on: pint's application registry, now.

    >>> import pint
    >>> registry() is pint.get_application_registry().get()
    True
    """
    import pint

    current: pint.UnitRegistry[Any] = pint.get_application_registry().get()  # type: ignore[no-untyped-call]  # pyright: ignore[reportAssignmentType] - a LazyRegistry becomes a UnitRegistry on first use
    return current


@functools.cache
def _exact() -> pint.UnitRegistry[Any]:
    """A private registry with Decimal factors, for exact conversion into hours."""
    import pint

    units: pint.UnitRegistry[Any] = pint.UnitRegistry(
        non_int_type=Decimal,  # pyright: ignore[reportArgumentType] - pint types it as float
        cache_folder=None,
    )
    return units


def hours(value: int | str | Decimal) -> pint.Quantity[Any]:
    """A duration of *value* hours on the application registry.

    >>> hours(40)
    <Quantity(40, 'hour')>
    >>> hours(48).to("day")
    <Quantity(2.0, 'day')>
    """
    return to_hours(value, "hours")


def quantity_in_hours(magnitude: Decimal, unit: str, field: str) -> pint.Quantity[Any]:
    """*magnitude* *unit* (a unit of time named by text) in hours, converted exactly."""
    try:
        number: object = _exact().Quantity(magnitude, unit).to("hour").magnitude
    except Exception:  # noqa: BLE001 - pint raises many unrelated types for bad units
        raise ValidationError(f"{field}.unit", unit, "a unit of time such as 'hour'") from None
    return to_hours(number, field)


def to_hours(value: object, field: str) -> pint.Quantity[Any]:
    """Coerce a number (hours) or a pint time quantity into hours on :func:`registry`.

    Quantities from any registry are accepted and converted exactly. Negative or
    non-finite durations are rejected.
    """
    given: Any = value
    if hasattr(given, "magnitude") and hasattr(given, "units"):
        try:
            in_hours = str(given.units) == "hour"
        except Exception:  # noqa: BLE001 - an object that only looks like a quantity
            in_hours = False
    else:
        in_hours = False
    if in_hours:
        magnitude: object = given.magnitude  # already in hours: no conversion to make
    elif hasattr(given, "magnitude") and hasattr(given, "units"):
        try:
            text = f"{given.magnitude} {given.units}"
            magnitude = _exact().Quantity(text).to("hour").magnitude
        except Exception:  # noqa: BLE001 - pint raises many unrelated types
            raise ValidationError(field, value, "a duration such as 40 hours") from None
    else:
        magnitude = value
    number = measure(magnitude, field, "a number of hours or a pint duration", shown=value)
    if number < 0 or number.adjusted() > 12:
        raise ValidationError(field, value, "a finite, non-negative number of hours below 10**13")
    units = registry()
    result: pint.Quantity[Any] = units.Quantity(_magnitude(number, units), "hour")  # pyright: ignore[reportAssignmentType]
    return result


def sum_hours(terms: Iterable[tuple[pint.Quantity[Any], int]]) -> pint.Quantity[Any]:
    """The exact sum of (duration in hours, times) pairs, in hours on :func:`registry`.

    Magnitudes are added as decimals, whatever registry or number type each came in,
    so a float registry gives the same clean total a Decimal one does.
    """
    total = Decimal(0)
    for term, times in terms:
        total += Decimal(str(term.magnitude)) * times
    return quantity(total, "hour")


def quantity(magnitude: Decimal, unit: str) -> pint.Quantity[Any]:
    """*magnitude* *unit* on :func:`registry`, the magnitude an int where it is whole."""
    units = registry()
    result: pint.Quantity[Any] = units.Quantity(_magnitude(magnitude, units), unit)  # pyright: ignore[reportAssignmentType]
    return result


def _magnitude(number: Decimal, units: pint.UnitRegistry[Any]) -> int | Decimal | float:
    """Whole hours as an int; a fraction in the registry's own number type."""
    if number == number.to_integral_value():
        return int(number)
    if units.non_int_type is Decimal:
        return number.normalize()
    return float(number)
