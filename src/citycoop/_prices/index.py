"""Price indices: index values per economy and year, exact, rebased on demand.

A :class:`PriceIndex` holds the values of one indicator (a GDP deflator, a consumer
price index, the OECD DAC deflators) as published: Decimals from the file's text,
missing values missing. Rebasing never changes them; it changes what :meth:`value`
shows, and nothing a deflation computes, since every deflation uses the ratio of two
published values of one economy.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping  # resolved at run time: typing.get_type_hints
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Self

import attrs

from citycoop._core.currencies import normalize_currency
from citycoop._core.decimals import CONVERSION
from citycoop._core.errors import MissingPriceError, ValidationError
from citycoop._core.files import MAX_BYTES, Source
from citycoop._core.validation import items, name_fields, non_empty, strings, where
from citycoop._fx.files import WDI_ISSUERS
from citycoop._prices.values import Economy, IndexValue, check_year, checked_year

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["PriceIndex"]

_HUNDRED: Final = Decimal(100)


def _values(value: Iterable[IndexValue], field: str = "") -> tuple[IndexValue, ...]:
    return tuple(sorted(items(value, IndexValue, "an IndexValue", field), key=_order))


def _order(value: IndexValue) -> tuple[str, int]:
    return (value.economy, value.year)


def _economies(value: Iterable[Economy], field: str = "") -> tuple[Economy, ...]:
    return items(value, Economy, "an Economy", field)


def _optional_year(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_year(instance, attribute, value)


@attrs.frozen(repr=False, cache_hash=True, field_transformer=name_fields)
class PriceIndex:
    """Index values per economy and year, from one source, immutable and exact.

    Args:
        values: The published values (missing years are simply absent).
        economies: Every economy the values name, with the currency its index prices.
        source: Who published the values, such as ``"World Bank WDI"``.
        indicator: What they measure, such as ``"FP.CPI.TOTL"``.
        base_year: The year whose value is 100 for every economy, or ``None`` when
            the base varies by economy (the World Bank's GDP deflator). :meth:`rebased`
            sets it.
        omitted: What a loader deliberately left out, and why.

    >>> from citycoop import Economy, IndexValue, PriceIndex
    >>> index = PriceIndex(
    ...     [IndexValue("KOR", 2015, "109.82747242569"), IndexValue("KOR", 2021, "118.669872413341")],
    ...     economies=[Economy("KOR", "Korea, Rep.", "KRW")],
    ...     source="World Bank WDI",
    ...     indicator="FP.CPI.TOTL",
    ...     base_year=2010,
    ... )
    >>> index.rebased(2021).value("KOR", 2015)
    Decimal('92.548740629928470802469020528113930938501894330422')

    .. versionadded:: 0.1.0
    """

    values: tuple[IndexValue, ...] = attrs.field(converter=_values)
    economies: tuple[Economy, ...] = attrs.field(kw_only=True, converter=_economies)
    source: str = attrs.field(kw_only=True, validator=non_empty)
    indicator: str = attrs.field(kw_only=True, validator=non_empty)
    base_year: int | None = attrs.field(default=None, kw_only=True, validator=_optional_year)
    omitted: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=strings)
    # economy code -> (sorted years, values in the same order)
    _series: Mapping[str, tuple[tuple[int, ...], tuple[Decimal, ...]]] = attrs.field(
        init=False, eq=False
    )
    _by_code: Mapping[str, Economy] = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        fields = attrs.fields(PriceIndex)
        by_code: dict[str, Economy] = {}
        for position, economy in enumerate(self.economies):
            if economy.code in by_code:
                raise ValidationError(
                    f"{where(self, fields.economies)}[{position}]", economy.code, "each code once"
                )
            by_code[economy.code] = economy
        series: dict[str, tuple[list[int], list[Decimal]]] = {}
        for position, item in enumerate(self.values):
            if item.economy not in by_code:
                raise ValidationError(
                    f"{where(self, fields.values)}[{position}]",
                    item.economy,
                    "an economy listed in economies",
                )
            years, values = series.setdefault(item.economy, ([], []))
            if years and years[-1] == item.year:
                raise ValidationError(
                    f"{where(self, fields.values)}[{position}]",
                    f"{item.economy} {item.year}",
                    "one value per economy and year",
                )
            years.append(item.year)
            values.append(item.value)
        object.__setattr__(
            self,
            "_series",
            MappingProxyType({code: (tuple(y), tuple(v)) for code, (y, v) in series.items()}),
        )
        object.__setattr__(self, "_by_code", MappingProxyType(by_code))

    @property
    def title(self) -> str:
        """The source and the indicator, as errors and provenance name the index."""
        return f"{self.source} {self.indicator}"

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        base = "base varies" if self.base_year is None else f"{self.base_year} = 100"
        return (
            f"<PriceIndex {self.title} ({base}): {len(self.economies)} economies, "
            f"{len(self.values)} values>"
        )

    def economy(self, code: str) -> Economy:
        """The economy of *code* (``"KOR"``; a country's alpha-2 code works too)."""
        given: object = code
        if not isinstance(given, str):
            raise ValidationError("PriceIndex.economy.code", code, "an economy code such as 'KOR'")
        found = self._by_code.get(code)
        if found is None and len(code) == 2:
            found = self._by_code.get(_alpha3(code))
        if found is None:
            raise MissingPriceError(self.title, str(code), None, "the index has no such economy")
        return found

    def economy_for(self, currency: str) -> Economy:
        """The economy whose index prices *currency*.

        The one economy that prices it, or, when several do (the euro's members), the
        one that speaks for it (``EMU`` for EUR, ``USA`` for USD) if it has values.

        Raises:
            MissingPriceError: no economy of the index prices *currency*, or several do
                and none speaks for it (then name one).
        """
        code = normalize_currency(currency, "PriceIndex.economy_for.currency")
        pricing = [e for e in self.economies if e.currency == code and e.code in self._series]
        if len(pricing) == 1:
            return pricing[0]
        issuer = WDI_ISSUERS.get(code)
        chosen = next((e for e in pricing if e.code == issuer), None)
        if chosen is not None:
            return chosen
        if not pricing:
            raise MissingPriceError(
                self.title, code, None, f"no economy of the index prices {code}"
            )
        listed = ", ".join(e.code for e in pricing[:10]) + ("..." if len(pricing) > 10 else "")
        raise MissingPriceError(
            self.title,
            code,
            None,
            f"several economies price {code} ({listed}) and none speaks for it: name one "
            "(economy=...)",
        )

    def years(self, economy: str) -> tuple[int, ...]:
        """The years with a value for *economy*, in order."""
        return self._series.get(self.economy(economy).code, ((), ()))[0]

    def published(self, economy: str, year: int) -> Decimal:
        """The value as published (before any rebasing)."""
        code = self.economy(economy).code
        years, values = self._series.get(code, ((), ()))
        given: object = year
        position = bisect.bisect_left(years, year) if isinstance(given, int) else -1
        if 0 <= position < len(years) and years[position] == year:
            return values[position]
        raise MissingPriceError(self.title, code, year, _nearest(years, year))

    def value(self, economy: str, year: int) -> Decimal:
        """The value of *economy* in *year* at ``base_year`` = 100 (as published if none).

        Raises:
            MissingPriceError: no value for that year, or (rebased) for the base year.
        """
        published = self.published(economy, year)
        if self.base_year is None:
            return published
        base = self.published(economy, self.base_year)
        return CONVERSION.divide(CONVERSION.multiply(published, _HUNDRED), base)

    def rebased(self, year: int) -> Self:
        """The same index with *year* = 100; the published values do not change.

        An economy without a value in *year* keeps its values, and :meth:`value` raises
        :class:`~citycoop.MissingPriceError` for it, naming the base year.
        """
        return attrs.evolve(self, base_year=checked_year(year, "PriceIndex.rebased.year"))

    @classmethod
    def from_file(
        cls,
        source: Source,
        format: str | None = None,  # noqa: A002 - the word users know
        *,
        max_bytes: int = MAX_BYTES,
    ) -> PriceIndex:
        """Load a published price-index file, detecting its format unless *format* names it.

        Formats: ``"world_bank"`` (a WDI bulk CSV of any price indicator, such as
        ``NY.GDP.DEFL.ZS`` or ``FP.CPI.TOTL``, with or without its 4-line preamble and
        BOM) and ``"dac"`` (the OECD DAC deflator table as a CSV, one row per donor). A
        file (or a zip's member, unzipped) larger than *max_bytes* (64 MiB by default) is
        refused before it is held in memory.

        Raises:
            DataFileError: the file cannot be read, is larger than *max_bytes*, its format
                is unknown, or a row is malformed (naming the file, line and column).
        """
        from citycoop._prices.files import read_prices

        read = read_prices(source, format, max_bytes)
        return cls(
            read.values,
            economies=read.economies,
            source=read.source,
            indicator=read.indicator,
            base_year=read.base_year,
            omitted=read.omitted,
        )


def _alpha3(code: str) -> str:
    from citycoop._core.errors import CitycoopError
    from citycoop._core.places import Country

    try:
        return Country(code).alpha3
    except CitycoopError:
        return code


def _nearest(years: tuple[int, ...], year: object) -> str:
    """What an economy has instead of *year*: the nearest years with a value."""
    if not years:
        return "the economy has no values at all"
    if not isinstance(year, int) or isinstance(year, bool):
        return f"{year!r} is not a year"
    position = bisect.bisect_left(years, year)
    if position == len(years):
        return f"the latest year with a value is {years[-1]}"
    if position == 0:
        return f"the earliest year with a value is {years[0]}"
    return f"the nearest years with values are {years[position - 1]} and {years[position]}"
