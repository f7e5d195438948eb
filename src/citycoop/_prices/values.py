"""The values of price indices: economies and their index values in a year."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Final

import attrs

from citycoop._core.currencies import normalize_currency
from citycoop._core.errors import ValidationError
from citycoop._core.validation import name_fields, non_empty, where

__all__ = ["Economy", "IndexValue"]

_CODE: Final = re.compile(r"[A-Z][A-Z0-9]{1,9}")


def _code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or _CODE.fullmatch(value) is None:
        raise ValidationError(
            where(instance, attribute), value, "an economy code such as 'KOR' or 'EMU'"
        )


def _currency(value: str, field: str = "") -> str:
    return normalize_currency(value, field)


@attrs.frozen(field_transformer=name_fields)
class Economy:
    """An economy of a price index: its code, its name and the currency it prices.

    *code* is the World Bank's (ISO 3166-1 alpha-3 for a country, ``"EMU"`` for the euro
    area) or the publisher's own for an aggregate (``"DAC"``).

    .. versionadded:: 0.1.0
    """

    code: str = attrs.field(validator=_code)
    name: str = attrs.field(validator=non_empty)
    currency: str = attrs.field(converter=_currency)


def checked_year(value: object, field: str) -> int:
    """*value* if it is a year from 1000 to 9999, else a :class:`ValidationError`."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
        raise ValidationError(field, value, "a year from 1000 to 9999")
    return value


def check_year(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    checked_year(value, where(instance, attribute))


def _positive(value: object, field: str = "") -> Decimal:
    try:
        number = Decimal(value) if isinstance(value, str | int) else value
    except ArithmeticError:
        raise ValidationError(field, value, "a positive index value") from None
    if (
        isinstance(value, bool)
        or not isinstance(number, Decimal)
        or not number.is_finite()
        or number <= 0
    ):
        raise ValidationError(field, value, "a positive, finite index value")
    return number


@attrs.frozen(field_transformer=name_fields)
class IndexValue:
    """One value of a price index: an economy's index in a year.

    .. versionadded:: 0.1.0
    """

    economy: str = attrs.field(validator=_code)
    year: int = attrs.field(validator=check_year)
    value: Decimal = attrs.field(converter=_positive)

    def __str__(self) -> str:
        """The value as a phrase: economy, year and index value as published.

        >>> print(IndexValue("KOR", 2015, "94.2"))
        KOR 2015: 94.2
        """
        return f"{self.economy} {self.year}: {self.value}"
