"""Constant prices: a value recorded at one year's prices, at another year's prices.

:func:`deflate` returns a :class:`Deflation` that carries the result, the method, the
two index values and every rate it used, as :class:`~citycoop.Conversion` does for
exchange rates. The two methods:

``"deflate_then_convert"``
    value(base) = amount x I_own(base) / I_own(year), then converted at the base year's
    rate. I_own is the index of the money's own currency area (Korea's for won).
``"convert_then_deflate"``
    value(base) = amount x rate(year) x I_target(base) / I_target(year). I_target prices
    the target currency: the DAC's approach for donor flows, whose deflators price US
    dollars (pass ``economy="KOR"`` for Korea's).

Each result is one multiplication and one division of exact Decimals (50 significant
digits), with the two index values as published; rebasing an index changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Final, Literal, NamedTuple, cast, get_args

import attrs

from citycoop._core.currencies import normalize_currency
from citycoop._core.decimals import CONVERSION
from citycoop._core.errors import ValidationError
from citycoop._core.html import html_table
from citycoop._core.money import Money, round_to_minor
from citycoop._core.validation import Arguments, where
from citycoop._fx.rates import DEFAULT_POLICY, ONE, Leg, RatePolicy, factor, scale
from citycoop._fx.table import RateTable
from citycoop._prices.index import PriceIndex
from citycoop._prices.values import Economy, IndexValue, checked_year

__all__ = ["ConstantPrices", "Deflation", "Method", "deflate"]

DEFLATE: Final = Arguments("deflate")

#: How a value in one currency is brought to another year's prices in another currency.
Method = Literal["deflate_then_convert", "convert_then_deflate"]
METHODS: Final = get_args(Method)


def rate_day(year: int) -> dt.date:
    """The day whose rates convert a year's values: 1 July, mid-year.

    An annual rate (the World Bank's, the Federal Reserve's annual series) serves it as
    it serves every day of its year.
    """
    return dt.date(year, 7, 1)


def value_day(item: Any) -> dt.date | None:
    """The day an item's value is taken at: its value date, else 1 July of its year."""
    if item.value_date is not None:
        return item.value_date  # type: ignore[no-any-return]
    return None if item.year is None else rate_day(item.year)


@attrs.frozen
class Deflation:
    """The result of :func:`deflate` and where it came from.

    Attributes:
        source: The money as recorded, at *year*'s prices.
        year: The year whose prices *source* is in.
        base_year: The year whose prices the result is in.
        currency: The result's currency.
        amount: The result, unrounded (50 significant digits).
        method: ``"deflate_then_convert"`` or ``"convert_then_deflate"``.
        economy: The economy whose index was used, and the currency it prices.
        index: The two index values used, as published: *year*'s, then *base_year*'s.
        index_title: The index they come from (source and indicator).
        legs: The rates used (none when no conversion was needed), each with its period
            and source; they served :attr:`rates_on`.
        rates_on: 1 July of the year whose rates were used, or ``None``.

    .. versionadded:: 0.1.0
    """

    source: Money
    year: int
    base_year: int
    currency: str
    amount: Decimal
    method: Method
    economy: Economy
    index: tuple[IndexValue, IndexValue]
    index_title: str
    legs: tuple[Leg, ...] = ()
    rates_on: dt.date | None = None

    def rounded(self, rounding: str = ROUND_HALF_EVEN) -> Money:
        """The result rounded once to the currency's minor unit."""
        return round_to_minor(
            self.amount, self.currency, rounding, where(self, attrs.fields(Deflation).currency)
        )

    def describe(self) -> str:
        """One line saying what was deflated with which index values and rates."""
        first, second = self.index
        rates = "; ".join(map(str, self.legs)) or "no conversion"
        return (
            f"{self.source} at {self.year} prices -> {self.currency} {self.amount:f} at "
            f"{self.base_year} prices ({self.method}): {self.index_title} {first.economy} "
            f"{first.year} = {first.value}, {second.year} = {second.value}; {rates}"
        )

    def _repr_html_(self) -> str:
        """A small table for Jupyter: from, to, the method, the index values and rates."""
        first, second = self.index
        rows: list[tuple[str, str]] = [
            ("from", f"{self.source.currency} {self.source.amount:,f} ({self.year} prices)"),
            ("to", f"{self.currency} {self.rounded().amount:,f} ({self.base_year} prices)"),
            ("method", self.method),
            ("index", f"{self.index_title}, {first.economy}"),
            (str(first.year), str(first.value)),
            (str(second.year), str(second.value)),
            *(("rate", str(leg)) for leg in self.legs),
        ]
        return html_table(["", ""], rows)


def price_factor(
    prices: PriceIndex, economy: Economy, year: int, base_year: int
) -> tuple[Decimal, Decimal, tuple[IndexValue, IndexValue]]:
    """I(base) and I(year) of *economy*, as published, and the two values as provenance."""
    at_year = prices.published(economy.code, year)
    at_base = prices.published(economy.code, base_year)
    return (
        at_base,
        at_year,
        (IndexValue(economy.code, year, at_year), IndexValue(economy.code, base_year, at_base)),
    )


def choose_economy(prices: PriceIndex, currency: str, economy: str | None, field: str) -> Economy:
    """The economy whose index prices *currency*: the one named, or the index's own."""
    if economy is None:
        return prices.economy_for(currency)
    chosen = prices.economy(economy)
    if chosen.currency != currency:
        raise ValidationError(
            field,
            economy,
            f"an economy whose index prices {currency} ({chosen.code}'s prices {chosen.currency})",
        )
    return chosen


def check_method(method: object, field: str) -> Method:
    if method not in METHODS:
        raise ValidationError(field, method, f"one of {', '.join(METHODS)}")
    return cast("Method", method)


def deflate(
    money: Money,
    *,
    year: int,
    base_year: int,
    prices: PriceIndex,
    currency: str | None = None,
    rates: RateTable | None = None,
    method: Method = "deflate_then_convert",
    economy: str | None = None,
    policy: RatePolicy = DEFAULT_POLICY,
) -> Deflation:
    """The value of *money*, recorded at *year*'s prices, at *base_year*'s prices.

    Args:
        money: The value as recorded.
        year: The year whose prices it is in (its value date's year).
        base_year: The year whose prices the result is in (``2021`` for constant 2021 USD).
        prices: The price index.
        currency: The result's currency (default: the money's own); another one needs
            *rates*.
        rates: The exchange rates, for a result in another currency.
        method: ``"deflate_then_convert"`` (deflate with the index of the money's own
            currency area, then convert at the base year's rate) or
            ``"convert_then_deflate"`` (convert at the year's rate, then deflate with the
            index of the result's currency: the DAC's approach for donor flows).
        economy: The economy whose index to use (``"KOR"``), when the index has several
            for the currency (the DAC deflators all price US dollars) or to choose
            another; it must price the currency it deflates.
        policy: Which rates serve a year: the rates that serve its 1 July under this
            policy; an annual rate serves it.

    >>> from citycoop import Economy, IndexValue, Money, PriceIndex
    >>> cpi = PriceIndex(
    ...     [IndexValue("KOR", 2015, "109.82747242569"), IndexValue("KOR", 2021, "118.669872413341")],
    ...     economies=[Economy("KOR", "Korea, Rep.", "KRW")],
    ...     source="World Bank WDI", indicator="FP.CPI.TOTL",
    ... )
    >>> result = deflate(Money("1e9", "KRW"), year=2015, base_year=2021, prices=cpi)
    >>> result.rounded()
    Money('1080511732', 'KRW')

    Raises:
        MissingPriceError: the index has no value for the economy in *year* or
            *base_year*, or no economy that prices the currency; never 1.
        MissingRateError: no rate serves a conversion.

    .. versionadded:: 0.1.0
    """
    if not isinstance(money, Money):
        raise ValidationError(DEFLATE("money"), money, "Money")
    if not isinstance(prices, PriceIndex):
        raise ValidationError(DEFLATE("prices"), prices, "a PriceIndex")
    year = checked_year(year, DEFLATE("year"))
    base_year = checked_year(base_year, DEFLATE("base_year"))
    chosen_method = check_method(method, DEFLATE("method"))
    target = (
        money.currency if currency is None else normalize_currency(currency, DEFLATE("currency"))
    )
    legs: tuple[Leg, ...] = ()
    rates_on: dt.date | None = None
    numerator = denominator = ONE
    if target != money.currency:
        if not isinstance(rates, RateTable):
            raise ValidationError(DEFLATE("rates"), rates, f"a RateTable to convert into {target}")
        rates_on = rate_day(base_year if chosen_method == "deflate_then_convert" else year)
        legs = rates.find(money.currency, target, rates_on, policy)
        numerator, denominator = factor(legs)
    deflated = money.currency if chosen_method == "deflate_then_convert" else target
    chosen = choose_economy(prices, deflated, economy, DEFLATE("economy"))
    at_base, at_year, used = price_factor(prices, chosen, year, base_year)
    amount = scale(
        money.amount,
        CONVERSION.multiply(numerator, at_base),
        CONVERSION.multiply(denominator, at_year),
    )
    return Deflation(
        money,
        year,
        base_year,
        target,
        amount,
        chosen_method,
        chosen,
        used,
        prices.title,
        legs,
        rates_on,
    )


class PriceFactor(NamedTuple):
    """What turns a sum of one currency and year into the base year's prices (and currency).

    The sum is multiplied by *numerator* and divided by *denominator*; *notes* are the
    index values and the rates that went into them, for the result's provenance.
    """

    numerator: Decimal
    denominator: Decimal
    notes: tuple[IndexValue | Leg, ...]


@attrs.frozen
class ConstantPrices:
    """How a rollup states its totals at constant prices: the index, base year and method.

    Built by :func:`~citycoop.rollup` from its ``prices``, ``base_year``, ``method`` and
    ``economy`` arguments.

    .. versionadded:: 0.1.0
    """

    prices: PriceIndex
    base_year: int
    method: Method
    economy: str | None = None


def constant_factor(
    constant: ConstantPrices,
    currency: str,
    target: str,
    year: int,
    converted: tuple[Decimal, Decimal],
    *,
    rates: RateTable,
    policy: RatePolicy,
    where: Arguments,
) -> PriceFactor:
    """The factor for amounts of *currency* at *year*'s prices, into *target* at constant prices.

    *converted* is the factor that converts them at their own date (for
    ``"convert_then_deflate"``); ``"deflate_then_convert"`` converts at the base year's
    rate (1 July) instead.

    Raises:
        MissingPriceError: an index value is missing.
        MissingRateError: no rate serves the base year (``"deflate_then_convert"``).
    """
    prices, base_year = constant.prices, constant.base_year
    if constant.method == "deflate_then_convert":
        economy = choose_economy(prices, currency, constant.economy, where("economy"))
        at_base, at_year, used = price_factor(prices, economy, year, base_year)
        legs = rates.find(currency, target, rate_day(base_year), policy)
        numerator, denominator = factor(legs)
        return PriceFactor(
            CONVERSION.multiply(numerator, at_base),
            CONVERSION.multiply(denominator, at_year),
            (*used, *legs),
        )
    economy = choose_economy(prices, target, constant.economy, where("economy"))
    at_base, at_year, used = price_factor(prices, economy, year, base_year)
    return PriceFactor(
        CONVERSION.multiply(converted[0], at_base),
        CONVERSION.multiply(converted[1], at_year),
        used,
    )


def constant_prices(
    prices: object, base_year: object, method: object, economy: object, *, where: Arguments
) -> ConstantPrices:
    """The checked constant-price arguments of a rollup (or of reconcile)."""
    if not isinstance(prices, PriceIndex):
        raise ValidationError(where("prices"), prices, "a PriceIndex")
    if economy is not None and not isinstance(economy, str):
        raise ValidationError(where("economy"), economy, "an economy code such as 'KOR'")
    return ConstantPrices(
        prices,
        checked_year(base_year, where("base_year")),
        check_method(method, where("method")),
        economy,
    )
