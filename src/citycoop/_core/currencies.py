"""Currency codes: every ISO 4217 code, active or historic, with its minor units.

Minor units come from ISO 4217 (the maintained ``iso4217`` package, list one) for
active codes, and from CLDR (through babel) for historic codes, which ISO 4217 list
three records without a minor unit. CLDR's *display* digits differ from ISO 4217
for some currencies (which ones depends on the CLDR release installed); citycoop
always rounds to the ISO 4217 digits.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final

import attrs

from citycoop._core.errors import UnknownCodeError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["CurrencyInfo", "currency_info"]

#: What a currency code looks like before it is looked up: three letters.
CODE: Final = re.compile(r"[A-Za-z]{3}")


@attrs.frozen
class CurrencyInfo:
    """What citycoop knows of one ISO 4217 currency code.

    Attributes:
        code: The three-letter code, upper case.
        minor_units: Digits after the decimal point (ISO 4217 for active codes,
            CLDR for historic ones); ``None`` where none apply (gold, SDR, ...).
        active: Whether the code is on ISO 4217 list one today.
        numeric: The ISO 4217 numeric code, where known.

    .. versionadded:: 0.1.0
    """

    code: str
    minor_units: int | None
    active: bool
    numeric: str | None = None

    def name(self, locale: str = "en") -> str:
        """The currency's name in *locale*, from CLDR."""
        from babel.numbers import get_currency_name

        return get_currency_name(self.code, locale=locale)

    def symbol(self, locale: str = "en") -> str:
        """The currency's symbol in *locale*, from CLDR."""
        from babel.numbers import get_currency_symbol

        return get_currency_symbol(self.code, locale=locale)


@functools.cache
def currency_table() -> Mapping[str, CurrencyInfo]:
    """Every ISO 4217 currency by code, built once on first use (keeps ``import citycoop`` cheap).

    The internal seam for code that needs the whole list, such as the strategies.
    """
    import iso4217
    from babel.core import get_global
    from babel.numbers import get_currency_precision

    table: dict[str, CurrencyInfo] = {}
    for code in get_global("all_currencies"):
        if CODE.fullmatch(code):
            table[code] = CurrencyInfo(code, get_currency_precision(code), active=False)
    for entry in iso4217.Currency:
        table[entry.code] = CurrencyInfo(
            entry.code, entry.exponent, active=True, numeric=f"{entry.number:03d}"
        )
    return table


def currency_info(code: str) -> CurrencyInfo:
    """Look up a currency code (any case).

    >>> currency_info("krw").minor_units
    0
    >>> currency_info("IQD").minor_units  # ISO 4217 says 3; CLDR displays 0
    3

    Raises:
        UnknownCodeError: *code* is neither an active nor a historic ISO 4217 code.

    .. versionadded:: 0.1.0
    """
    return currency_table()[normalize_currency(code)]


def normalize_currency(code: object, field: str = "currency") -> str:
    """Return *code* as a known upper-case ISO 4217 code, or raise :class:`UnknownCodeError`."""
    if type(code) is str and code in currency_table():  # the common case: already a code
        return code
    if isinstance(code, str) and CODE.fullmatch(code):
        upper = code.upper()
        if upper in currency_table():
            return upper
    raise UnknownCodeError(field, code, "ISO 4217 currency")
