"""Strategies for rates, rate tables, conversions, price indices and deflations."""

# st.builds passes drawn values to lambdas that pyright cannot type; every public
# strategy's own return type is declared.
# pyright: reportUnknownLambdaType=false, reportUnknownArgumentType=false

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from citycoop._core.currencies import currency_table
from citycoop._core.time import Period
from citycoop._fx.convert import Conversion, ConversionBatch, convert, convert_batch
from citycoop._fx.rates import Leg, Rate, RatePolicy
from citycoop._fx.table import RateTable
from citycoop._prices.index import PriceIndex
from citycoop._prices.values import Economy, IndexValue
from citycoop.strategies._base import check, for_type, lazy, shared
from citycoop.strategies._values import countries, currencies, money, periods

if TYPE_CHECKING:
    from collections.abc import Sequence

    from hypothesis.strategies import DrawFn, SearchStrategy

    from citycoop._prices.deflate import ConstantPrices, Deflation


# ---------------------------------------------------------------- functions: rates and conversions


@for_type("Rate")
@shared
def rates(
    base: str | None = None,
    quote: str | None = None,
    *,
    kind: str | None = None,
) -> SearchStrategy[Rate]:
    """Exchange rates between two distinct currencies over a day, month or year."""

    def build() -> SearchStrategy[Rate]:
        check(base is None or quote is None or base != quote, "base and quote must differ")
        bases = currencies() if base is None else st.just(base)
        pairs = bases.flatmap(
            lambda b: st.tuples(
                st.just(b),
                (currencies() if quote is None else st.just(quote)).filter(lambda q: q != b),
            )
        )
        values = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(100_000), places=4)
        kinds = st.sampled_from(["day", "month", "year"]) if kind is None else st.just(kind)

        def rate(pair: tuple[str, str], value: Decimal, period: Period) -> Rate:
            return Rate(pair[0], pair[1], value, period, "hypothesis")

        return st.builds(rate, pairs, values, kinds.flatmap(lambda k: periods(kind=k)))

    return lazy(build)


@for_type("Leg")
@shared
def legs() -> SearchStrategy[Leg]:
    """Conversion legs: a rate used as published or inverted, some served as planning rates."""

    def build() -> SearchStrategy[Leg]:
        return st.builds(Leg, rates(), st.booleans()) | st.builds(
            Leg, rates(kind="year"), st.booleans(), planning=st.just(value=True)
        )

    return lazy(build)


@for_type("RatePolicy")
@shared
def rate_policies() -> SearchStrategy[RatePolicy]:
    """Rate policies: narrowest, exact day, latest within an age, business day, or planning."""

    def build() -> SearchStrategy[RatePolicy]:
        return st.one_of(
            st.just(RatePolicy.narrowest()),
            st.just(RatePolicy.exact_day()),
            st.builds(RatePolicy.latest, st.integers(1, 10)),
            st.builds(RatePolicy.business_day, st.integers(1, 10)),
            st.builds(RatePolicy.planning, st.integers(1, 10)),
        )

    return lazy(build)


@for_type("RateTable")
@shared
def rate_tables(
    currencies_: Sequence[str] = ("KRW", "EUR", "PEN"),
    days: Sequence[dt.date] = (dt.date(2021, 11, 25),),
    *,
    base: str = "USD",
) -> SearchStrategy[RateTable]:
    """Tables with a daily *base*->currency rate for every currency and every day given.

    Conversions between any of those currencies (and *base*) on those days never miss a
    rate: direct, inverted or through *base*.
    """

    def build() -> SearchStrategy[RateTable]:
        check(len(set(days)) == len(days), "days must be distinct")
        codes = [c for c in dict.fromkeys(currencies_) if c != base]
        check(bool(codes), "give at least one currency other than base")
        values = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10_000), places=3)
        cells = st.lists(values, min_size=len(codes) * len(days), max_size=len(codes) * len(days))

        def table(numbers: list[Decimal]) -> RateTable:
            return RateTable(
                (
                    Rate(base, code, numbers[i * len(days) + j], Period.day(day), "hypothesis")
                    for i, code in enumerate(codes)
                    for j, day in enumerate(days)
                ),
                pivots=(base,),
            )

        return cells.map(table)

    return lazy(build)


@for_type("Economy")
@shared
def economies(currency: str | None = None) -> SearchStrategy[Economy]:
    """Economies of a price index: a country's alpha-3 code and the currency it prices."""

    def build() -> SearchStrategy[Economy]:
        return countries().flatmap(
            lambda country: st.builds(
                Economy,
                st.just(country.alpha3),
                st.just(country.name("en")),
                currencies() if currency is None else st.just(currency),
            )
        )

    return lazy(build)


@for_type("IndexValue")
@shared
def index_values(economy: str = "KOR") -> SearchStrategy[IndexValue]:
    """Single index values of *economy*."""

    def build() -> SearchStrategy[IndexValue]:
        return st.builds(IndexValue, st.just(economy), st.integers(1960, 2030), _index_levels())

    return lazy(build)


def _index_levels() -> SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal("0.5"), max_value=Decimal(2000), places=6)


@for_type("PriceIndex")
@shared
def price_indices(
    min_year: int = 2000, max_year: int = 2025, *, max_economies: int = 3
) -> SearchStrategy[PriceIndex]:
    """Price indices whose every economy has a value in every year from *min_year* to *max_year*.

    Deflations between any two of those years never miss a value.
    """

    def build() -> SearchStrategy[PriceIndex]:
        check(min_year <= max_year, f"min_year={min_year} must not exceed max_year={max_year}")
        check(max_economies >= 1, "max_economies must be at least 1")
        years = range(min_year, max_year + 1)

        @st.composite
        def draw_index(draw: DrawFn) -> PriceIndex:
            chosen = draw(
                st.lists(
                    economies(), min_size=1, max_size=max_economies, unique_by=lambda e: e.code
                )
            )
            values = [
                IndexValue(economy.code, year, draw(_index_levels()))
                for economy in chosen
                for year in years
            ]
            return PriceIndex(
                values, economies=chosen, source="hypothesis", indicator="drawn prices"
            )

        return draw_index()

    return lazy(build)


@for_type("Deflation")
@shared
def deflations() -> SearchStrategy[Deflation]:
    """Deflations of drawn money by a drawn index, in its own currency."""

    def build() -> SearchStrategy[Deflation]:
        from citycoop._prices.deflate import deflate

        @st.composite
        def draw_deflation(draw: DrawFn) -> Deflation:
            index = draw(price_indices(2010, 2021, max_economies=1))
            economy = index.economies[0]
            year, base = draw(st.integers(2010, 2021)), draw(st.integers(2010, 2021))
            amount = draw(money(economy.currency, max_value=Decimal(10**9)))
            return deflate(amount, year=year, base_year=base, prices=index)

        return draw_deflation()

    return lazy(build)


@for_type("ConstantPrices")
@shared
def constant_prices() -> SearchStrategy[ConstantPrices]:
    """The constant-price settings of a rollup: a drawn index, base year and method."""

    def build() -> SearchStrategy[ConstantPrices]:
        from citycoop._prices.deflate import METHODS, ConstantPrices

        return st.builds(
            ConstantPrices,
            price_indices(2010, 2021),
            st.integers(2010, 2021),
            st.sampled_from(METHODS),
        )

    return lazy(build)


@st.composite
def _conversion(draw: DrawFn, target: str | None) -> Conversion:
    day = dt.date(2021, 11, 25)
    amount = draw(money(min_value=0, max_value=10**12))
    to = draw(currencies()) if target is None else target
    table = draw(rate_tables((amount.currency, to, "EUR"), (day,)))
    return convert(amount, to, on=day, rates=table)


@for_type("Conversion")
@shared
def conversions(to: str | None = None) -> SearchStrategy[Conversion]:
    """Conversions of drawn amounts with drawn daily rates (into *to*, or any currency)."""

    def build() -> SearchStrategy[Conversion]:
        return _conversion(to)

    return lazy(build)


@for_type("ConversionBatch")
@shared
def conversion_batches(
    to: str | None = None, *, max_size: int = 5
) -> SearchStrategy[ConversionBatch]:
    """Batches of up to *max_size* drawn amounts converted with drawn daily rates.

    Amounts are dated on one of two days; the target is *to*, or any currency.
    """

    def build() -> SearchStrategy[ConversionBatch]:
        check(max_size >= 0, f"max_size={max_size} must be >= 0")
        check(
            to is None or to in currency_table(), f"to={to!r} must be an upper-case ISO 4217 code"
        )
        days = (dt.date(2021, 11, 25), dt.date(2021, 11, 26))

        @st.composite
        def draw_batch(draw: DrawFn) -> ConversionBatch:
            target = draw(currencies()) if to is None else to
            pairs = draw(
                st.lists(
                    st.tuples(money(min_value=0, max_value=10**12), st.sampled_from(days)),
                    max_size=max_size,
                )
            )
            codes = sorted({amount.currency for amount, _ in pairs} | {target, "EUR"})
            table = draw(rate_tables(codes, days))
            return convert_batch(pairs, target, rates=table)

        return draw_batch()

    return lazy(build)
