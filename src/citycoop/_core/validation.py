"""Validators and converters that take the name of their field from attrs.

No field name is typed by hand. Validators compute it from the ``attribute`` attrs
passes them (``Money.amount``), and only when they raise. Converters are plain,
typed functions whose last parameter is ``field: str = ""``; the field transformer
:func:`name_fields`, given to every ``@attrs.frozen`` class of the domain, binds that
parameter to the field's dotted name once, when the class is created.

mypy's attrs plugin only understands converters that are named functions with a
concrete first parameter, so each field type (a code list, a tuple of some class)
has its own small typed converter; none of them spells its field.

Why not ``attrs.Converter(..., takes_field=True)``: with mypy 2.4 a field whose
converter is an ``attrs.Converter`` (or a decorated function) is "Unsupported
converter" and its ``__init__`` parameter becomes ``Any``; pyright types the parameter
as the converter's *output*, so ``Money("1.5", "usd")`` would be refused by the checker.
Binding a plain function keeps both checkers typing every constructor by its input.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from citycoop._core.errors import ValidationError

__all__ = [
    "instance_of",
    "items",
    "iterable",
    "measure",
    "name_fields",
    "non_empty",
    "optional_instance_of",
    "optional_whole_number",
    "strings",
    "urls",
    "where",
    "whole_number",
]

T = TypeVar("T")
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

_SPACE = re.compile(r"\s")
_ITERABLE = "an iterable of items (a list, a tuple, a generator)"


def where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    """The dotted name of *attribute* on *instance*'s class, such as ``"Money.amount"``."""
    return f"{type(instance).__name__}.{attribute.name}"


def _takes_field(converter: Callable[..., object]) -> bool:
    code = getattr(converter, "__code__", None)
    if code is not None and not hasattr(converter, "__wrapped__"):
        # A plain function: its parameter names, as inspect.signature would give them
        # at a tenth of the cost (this runs for every field when the package loads).
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        return "field" in names
    try:
        parameters = inspect.signature(converter).parameters
    except (TypeError, ValueError):
        return False
    return "field" in parameters


def name_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """Bind each converter's ``field`` parameter to its field's dotted name (an attrs hook)."""
    named: list[attrs.Attribute[Any]] = []
    for field in fields:
        converter: Any = field.converter  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if callable(converter) and _takes_field(converter):
            name = f"{cls.__name__}.{field.alias or field.name}"  # a private field by its argument
            field = field.evolve(converter=functools.partial(converter, field=name))  # noqa: PLW2901
        named.append(field)
    return named


def non_empty(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-blank ``str``."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(where(instance, attribute), value, "a non-empty string")


#: The largest whole number a record holds: what every format stores (Arrow's and
#: pandas' 64-bit integers, JSON readers in other languages).
WHOLE_MAX: Final = 2**63 - 1
_WHOLE_TEXT: Final = re.compile(r"[0-9]{1,19}")


def _whole(value: object, minimum: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and minimum <= value <= WHOLE_MAX


def whole_number(minimum: int) -> Validator:
    """An ``int`` from *minimum* to :data:`WHOLE_MAX` (``bool`` is not an int here)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not _whole(value, minimum):
            raise ValidationError(
                where(instance, attribute), value, f"a whole number >= {minimum} and < 2**63"
            )

    return check


def optional_whole_number(minimum: int) -> Validator:
    """``None`` or an ``int`` from *minimum* to :data:`WHOLE_MAX` (``bool`` is not an int)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not _whole(value, minimum):
            raise ValidationError(
                where(instance, attribute),
                value,
                f"None or a whole number >= {minimum} and < 2**63",
            )

    return check


def whole_text(text: str, field: str) -> int:
    """The whole number *text* writes in ASCII digits (``2021``; not ``2²21``, ``④``, ``1_000``).

    Raises:
        ValidationError: naming *field*, for any other text (more than 19 digits included).
    """
    if _WHOLE_TEXT.fullmatch(text) is None:
        raise ValidationError(field, text, "a whole number in ASCII digits")
    return int(text)


def instance_of(kind: type | tuple[type, ...], expected: str) -> Validator:
    """An instance of *kind*."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise ValidationError(where(instance, attribute), value, expected)

    return check


def optional_text(expected: str) -> Validator:
    """``None`` or a non-blank ``str`` (an empty identifier or note is not "unknown")."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValidationError(where(instance, attribute), value, f"None or {expected}")

    return check


def optional_instance_of(kind: type | tuple[type, ...], expected: str) -> Validator:
    """``None`` or an instance of *kind*."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, kind):
            raise ValidationError(where(instance, attribute), value, f"None or {expected}")

    return check


def iterable(value: object, field: str) -> Iterator[Any]:
    """An iterator over *value*, or a :class:`ValidationError` naming *field*.

    Strings, bytes and mappings are refused: iterating them is almost always a mistake.
    """
    if isinstance(value, str | bytes | dict):
        raise ValidationError(field, value, _ITERABLE)
    try:
        return iter(value)  # type: ignore[call-overload,no-any-return]
    except TypeError:
        raise ValidationError(field, value, _ITERABLE) from None


def items(value: Iterable[T], kind: type[T], expected: str, field: str) -> tuple[T, ...]:
    """A tuple of *value*'s items, each a *kind*; a bad item is named by its index."""
    result: tuple[T, ...] = value if isinstance(value, tuple) else tuple(iterable(value, field))
    for index, item in enumerate(result):
        if not isinstance(item, kind):
            raise ValidationError(f"{field}[{index}]", item, expected)
    return result


def strings(value: Iterable[str], field: str = "") -> tuple[str, ...]:
    """Converter: a tuple of strings."""
    return items(value, str, "a string", field)


def _is_url(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.startswith(("https://", "http://"))
        and len(value) >= 11
        and _SPACE.search(value) is None
    )


def urls(value: Iterable[str], field: str = "") -> tuple[str, ...]:
    """Converter: a tuple of http(s) URLs; a bad item is named by its index."""
    result = items(value, str, "a URL string", field)
    for index, url in enumerate(result):
        if not _is_url(url):
            raise ValidationError(f"{field}[{index}]", url, "an http(s) URL")
    return result


def optional_url(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: ``None`` or one http(s) URL without spaces."""
    if value is not None and not _is_url(value):
        raise ValidationError(where(instance, attribute), value, "an http(s) URL")


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


@attrs.frozen
class Arguments:
    """Where a public function's arguments are, for the paths in its errors.

    One per function, so that a path is never typed by hand, and code shared by two
    functions (the object and the columnar rollup) names the one the caller called.

    >>> where = Arguments("rollup")
    >>> where("currency"), where("items", 3), where.item(None)
    ('rollup.currency', 'rollup.items[3]', 'rollup.source')
    >>> where.prefix, where.within("items", 3)
    ('rollup.', 'rollup.items[3].')
    """

    function: str

    def __call__(self, name: str, *index: int) -> str:
        """The path of argument *name* (``rollup.by``), or of one of its items (``[2]``)."""
        return f"{self.function}.{name}" + "".join(f"[{i}]" for i in index)

    def within(self, name: str, *index: int) -> str:
        """The prefix of the paths inside argument *name* (``convert_batch.items[2].``)."""
        return self(name, *index) + "."

    @property
    def prefix(self) -> str:
        """The prefix of this function's argument paths (``convert.``)."""
        return self.function + "."

    def item(self, position: int | None) -> str:
        """Where an item is: its place among the items, or the summed source (``None``)."""
        return self("source") if position is None else self("items", position)
