"""What reading one JSON document keeps: its problem budget and the values it built.

Shared by the cattrs hooks and the export cases read from known values.
"""

# A JSON document is untyped data until it is checked, value by value, at run time.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import pendulum

    from citycoop._core.places import City

# What a JSON string must look like where the model expects a decimal. The loader and
# the published JSON Schema use the same pattern.
DECIMAL_PATTERN: Final = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
DECIMAL_LENGTH: Final = 64


class Reading:
    """What :func:`~citycoop.io.json.loads` keeps while reading one document.

    How many more failed items it may show before checking stops, and the values it
    has already built, by the JSON that gave them: a document repeats its cities, focus
    splits, dates and sources, and each is immutable, so each is built once.
    """

    __slots__ = ("cities", "currencies", "dates", "left", "limit", "shares", "sources", "stopped")

    def __init__(self, problems: int) -> None:
        self.limit = problems
        self.left = problems
        self.stopped = False
        self.cities: dict[tuple[Any, ...], City] = {}
        self.shares: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.dates: dict[str, pendulum.Date] = {}
        self.sources: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.currencies: dict[str, str] = {}

    def spend(self) -> bool:
        """Count one failed item; true when checking must stop."""
        self.left -= 1
        if self.left <= 0:
            self.stopped = True
        return self.stopped


READING: Final[contextvars.ContextVar[Reading]] = contextvars.ContextVar("READING")


_WHOLE_OR_NONE: Final = (int, type(None))


def city_key(value: Any) -> tuple[Any, ...] | None:
    """A key for a city's JSON object that no differently typed object shares, or ``None``.

    Strings equal only strings, but ``true`` and ``1.0`` equal ``1``: an object whose
    whole numbers are not JSON integers gets no key. The key may still be unhashable.
    """
    if type(value) is not dict:
        return None
    get = value.get
    if type(get("population")) not in _WHOLE_OR_NONE or type(get("geonames_id")) not in (
        _WHOLE_OR_NONE
    ):
        return None
    coordinates = get("coordinates")
    if coordinates is None:
        return tuple(value.items())
    if type(coordinates) is not dict:
        return None
    return tuple(
        (name, tuple(coordinates.items()) if item is coordinates else item)
        for name, item in value.items()
    )
