"""CLDR formatting, the one home: money, numbers, percentages, dates and times.

:meth:`~citycoop.Money.format`, the report's words and the charts' axes all format here,
with one digit rule for money: at least the currency's ISO 4217 minor digits (where ISO
and CLDR disagree, ISO wins), and no digit of the amount rounded away. Babel (CLDR) gives
the patterns, symbols and names; it is imported on first use.
"""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from citycoop._core.currencies import currency_info
from citycoop._core.decimals import DISPLAY
from citycoop._core.errors import ValidationError

if TYPE_CHECKING:
    import datetime as dt

    from babel import Locale

__all__: list[str] = []

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _displayed(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run *function* in citycoop's display context, whatever context the caller set."""

    @functools.wraps(function)
    def in_display_context(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with decimal.localcontext(DISPLAY):
            return function(*args, **kwargs)

    return in_display_context


def cldr_locale(locale: object, field: str = "locale") -> Locale:
    """*locale* as a Babel locale, or a :class:`~citycoop.ValidationError` naming *field*."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale)  # type: ignore[arg-type]
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValidationError(field, locale, "a CLDR locale such as 'ko'") from None


@_displayed
def money_text(
    amount: Decimal, currency: str, locale: object, *, compact: bool = False, field: str = "locale"
) -> str:
    """*amount* of *currency* as a reader of *locale* writes it, by the one digit rule.

    With *compact*, a sum of a million or more reads compact first, the full amount after
    it in parentheses (``₩8,048억 (₩804,800,000,000)``).
    """
    from babel.numbers import format_compact_currency, format_currency

    known = cldr_locale(locale, field)
    digits = currency_info(currency).minor_units or 0
    pattern = known.currency_formats["standard"].pattern
    pattern = pattern.replace(".00", "." + "0" * digits if digits else "")
    text = format_currency(
        amount,
        currency,
        format=pattern,
        locale=known,
        currency_digits=False,
        decimal_quantization=False,
    )
    text = currency_spacing(text, currency, known)
    if compact and abs(amount) >= 1_000_000:
        short = format_compact_currency(amount, currency, locale=known, fraction_digits=1)
        return f"{currency_spacing(_grouped(short, known), currency, known)} ({text})"
    return text


def _grouped(text: str, known: Locale) -> str:
    """*text* with its long digit runs grouped: CLDR's Korean compact form writes ``8048억``.

    >>> from babel import Locale
    >>> _grouped("₩8048억", Locale.parse("ko")), _grouped("₩8.5억", Locale.parse("ko"))
    ('₩8,048억', '₩8.5억')
    """
    from babel.numbers import format_decimal

    return re.sub(
        r"(?<![\d.,])\d{4,}", lambda m: format_decimal(int(m.group()), locale=known), text
    )


@_displayed
def compact_money_text(value: float, currency: str, locale: object) -> str:
    """A chart axis's tick: *value* compact in *locale* (``₩800B``), with CLDR spacing."""
    from babel.numbers import format_compact_currency

    known = cldr_locale(locale)
    # Ticks are floats with binary noise (0.6000000000000001): twelve digits are plenty.
    text = format_compact_currency(
        float(f"{value:.12g}"), currency, locale=known, fraction_digits=1
    )
    return currency_spacing(_grouped(text, known), currency, known)


@_displayed
def number_text(value: int | Decimal, locale: object) -> str:
    """A number with the locale's grouping and decimal mark, every digit kept."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=cldr_locale(locale), decimal_quantization=False)


@_displayed
def percent_text(value: Decimal, locale: object) -> str:
    """A share in the locale's CLDR percent pattern, to a tenth of a percent."""
    from babel.numbers import format_percent

    # The locale's own pattern (es "13,5 %" with a no-break space); the tenth kept.
    return format_percent(
        value.quantize(Decimal("0.001")), locale=cldr_locale(locale), decimal_quantization=False
    )


def date_text(day: dt.date, locale: object) -> str:
    """A date in the locale's medium pattern (``25 Nov 2021``, ``2021. 11. 25.``)."""
    from babel.dates import format_date

    return format_date(day, "medium", locale=cldr_locale(locale))


def time_text(moment: Any, locale: object) -> str:
    """An instant as its own zone reads it: the weekday and date, then ``HH:mm``."""
    from babel.dates import format_skeleton, format_time

    known = cldr_locale(locale)
    day = format_skeleton("yMMMEd", moment, tzinfo=moment.tzinfo, locale=known)
    return f"{day} {format_time(moment, 'HH:mm', tzinfo=moment.tzinfo, locale=known)}"


def currency_spacing(text: str, currency: str, locale: object) -> str:
    """*text* with CLDR's currency spacing, which Babel does not apply.

    Every CLDR locale has the same rule: where the currency symbol's character next to
    the number is not a symbol character (the letters of ``UAH``) and the number's
    character next to it is a digit, a no-break space goes between them.
    """
    import unicodedata

    from babel.numbers import get_currency_symbol

    symbol = get_currency_symbol(currency, locale=locale)  # type: ignore[arg-type]
    at = text.find(symbol) if symbol else -1
    if at < 0:
        return text
    end = at + len(symbol)
    if (
        end < len(text)
        and text[end].isdigit()
        and not unicodedata.category(symbol[-1]).startswith("S")
    ):
        return f"{text[:end]}\u00a0{text[end:]}"
    if at > 0 and text[at - 1].isdigit() and not unicodedata.category(symbol[0]).startswith("S"):
        return f"{text[:at]}\u00a0{text[at:]}"
    return text
