"""Physical quantities: the one pint registry citycoop owns, built on first use.

Quantities from two pint registries compare equal but hash differently, so every
quantity that enters a citycoop object is rebuilt in this registry, in a canonical
unit, with a :class:`~decimal.Decimal` magnitude. Money never goes through pint.
"""

# pint builds its Quantity classes at run time, so pyright cannot know their members.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false, reportUnknownParameterType=false

from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from citycoop._errors import ValidationError
from citycoop._validation import measure

if TYPE_CHECKING:
    import pint

__all__ = ["hours", "registry", "to_hours"]


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


@functools.cache
def registry() -> pint.UnitRegistry[Any]:
    """The citycoop unit registry (hours, person-hours, kilometres, counts)."""
    import pint

    units: pint.UnitRegistry[Any] = pint.UnitRegistry(
        non_int_type=Decimal,  # pyright: ignore[reportArgumentType] - pint types it as float
        cache_folder=None,
    )
    units.define("person = [headcount]")
    return units


def hours(value: int | str | Decimal) -> pint.Quantity[Any]:
    """A duration of *value* hours in the citycoop registry.

    >>> hours(40)
    <Quantity(40, 'hour')>
    """
    return to_hours(value, "hours")


def to_hours(value: object, field: str) -> pint.Quantity[Any]:
    """Coerce a number (hours) or a pint time quantity into canonical hours.

    Quantities from any registry are accepted; the result always belongs to
    :func:`registry`. Negative or non-finite durations are rejected.
    """
    units = registry()
    given: Any = value
    if hasattr(given, "magnitude") and hasattr(given, "units"):
        try:
            text = f"{given.magnitude} {given.units}"
            quantity: Any = units.Quantity(text).to("hour")
        except Exception:  # noqa: BLE001 - pint raises many unrelated types
            raise ValidationError(field, value, "a duration such as 40 hours") from None
        magnitude: object = quantity.magnitude
    else:
        magnitude = value
    number = measure(magnitude, field, "a number of hours or a pint duration", shown=value)
    if number < 0 or number.adjusted() > 12:
        raise ValidationError(field, value, "a finite, non-negative number of hours below 10**13")
    # Keep whole hours whole and strip the trailing zeros unit conversion leaves.
    number = (
        number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    )
    result: pint.Quantity[Any] = units.Quantity(number, "hour")  # pyright: ignore[reportAssignmentType]
    return result
