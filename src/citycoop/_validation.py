"""Small reusable attrs validators that name the field in their errors."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from citycoop._errors import ValidationError

_SPACE = re.compile(r"\s")

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


def non_empty(field: str) -> Callable[[Any, Any, Any], None]:
    """A non-blank ``str``."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(field, value, "a non-empty string")

    return check


def whole_number(field: str, minimum: int) -> Callable[[Any, Any, Any], None]:
    """An ``int`` of at least *minimum* (``bool`` is not an int here)."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ValidationError(field, value, f"a whole number >= {minimum}")

    return check


def optional_positive_int(field: str, minimum: int) -> Callable[[Any, Any, Any], None]:
    """``None`` or an ``int`` of at least *minimum* (``bool`` is not an int here)."""
    inner = whole_number(field, minimum)

    def check(instance: object, attribute: object, value: object) -> None:
        if value is not None:
            inner(instance, attribute, value)

    return check


def instance_of(
    field: str, kind: type | tuple[type, ...], expected: str
) -> Callable[[Any, Any, Any], None]:
    """An instance of *kind*."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        if not isinstance(value, kind):
            raise ValidationError(field, value, expected)

    return check


def optional_instance_of(
    field: str, kind: type | tuple[type, ...], expected: str
) -> Callable[[Any, Any, Any], None]:
    """``None`` or an instance of *kind*."""
    inner = instance_of(field, kind, f"None or {expected}")

    def check(instance: object, attribute: object, value: object) -> None:
        if value is not None:
            inner(instance, attribute, value)

    return check


def tuple_of(
    field: str, kind: type | tuple[type, ...], expected: str
) -> Callable[[Any, Any, Any], None]:
    """A tuple whose every item is a *kind*; the bad item's index is named."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        if not isinstance(value, tuple):
            raise ValidationError(field, value, f"a tuple of {expected}")
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise ValidationError(f"{field}[{index}]", item, expected)

    return check


def measure(value: object, field: str, expected: str, shown: object = None) -> Decimal:
    """A finite Decimal from an int, a decimal string, a Decimal, or a float via its repr.

    Floats are accepted for measurements (degrees, hours), never for money.
    """
    if isinstance(value, float):
        value = repr(value)
    shown = value if shown is None else shown
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValidationError(field, shown, expected)
    try:
        number = Decimal(value)
    except ArithmeticError:
        raise ValidationError(field, shown, expected) from None
    if not number.is_finite():
        raise ValidationError(field, shown, expected)
    return number


def iterable(value: object, field: str) -> Iterator[Any]:
    """An iterator over *value*, or a :class:`ValidationError` naming *field*."""
    if isinstance(value, str | bytes | dict):
        raise ValidationError(field, value, "an iterable of items (a list, a tuple, a generator)")
    try:
        return iter(value)  # type: ignore[call-overload,no-any-return]
    except TypeError:
        raise ValidationError(
            field, value, "an iterable of items (a list, a tuple, a generator)"
        ) from None


def to_tuple(value: object) -> object:
    """Turn a list into a tuple; leave anything else for the validator to judge."""
    if isinstance(value, list):
        return tuple(value)
    return value


def urls(field: str) -> Callable[[Any, Any, Any], None]:
    """A tuple of http(s) URLs; the bad item's index is named."""
    items = tuple_of(field, str, "a URL string")

    def check(instance: object, attribute: object, value: object) -> None:
        items(instance, attribute, value)
        assert isinstance(value, tuple)
        for index, url in enumerate(value):
            if not url.startswith(("https://", "http://")) or len(url) < 11 or _SPACE.search(url):
                raise ValidationError(f"{field}[{index}]", url, "an http(s) URL")

    return check
