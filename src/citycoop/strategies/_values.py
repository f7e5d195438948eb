"""Strategies for values: code lists, money, dates and periods, hours, places, errors."""

# st.builds passes drawn values to lambdas that pyright cannot type; every public
# strategy's own return type is declared.
# pyright: reportUnknownLambdaType=false, reportUnknownArgumentType=false

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pendulum
from hypothesis import strategies as st

from citycoop._core.currencies import CurrencyInfo, currency_info, currency_table
from citycoop._core.errors import UnknownCodeError, ValidationError
from citycoop._core.money import MAX_ADJUSTED_EXPONENT, Money
from citycoop._core.places import (
    City,
    Coordinates,
    Country,
    Region,
    m49_areas,
    m49_regions,
)
from citycoop._core.text import LocalText, Text
from citycoop._core.time import Period, valid_timezone
from citycoop._domain.focus import FocusArea
from citycoop._domain.training import Cohort
from citycoop.strategies._base import MAX_DATE, MIN_DATE, NAMES, check, for_type, lazy, shared

if TYPE_CHECKING:
    from collections.abc import Callable

    import pint
    from hypothesis.strategies import DrawFn, SearchStrategy


# ---------------------------------------------------------------- values: code lists


#: ISO 4217 fund codes (units of account, not currencies cases are paid in).
_FUNDS = frozenset({"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW"})


@functools.cache
def _active_codes() -> tuple[str, ...]:
    return tuple(
        sorted(
            code
            for code, info in currency_table().items()
            if info.active and info.minor_units is not None and code not in _FUNDS
        )
    )


@functools.cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    from babel.core import get_global

    zones: dict[str, list[str]] = {}
    for zone, territory in get_global("zone_territories").items():
        try:
            valid_timezone(zone)
        except ValueError:
            continue
        zones.setdefault(territory, []).append(zone)
    return {territory: tuple(sorted(names)) for territory, names in zones.items()}


@shared
def currencies(*, active: bool = True) -> SearchStrategy[str]:
    """ISO 4217 codes with a minor unit: active ones, or historic ones too.

    Fund codes such as CHE are left out; ``active=False`` adds historic codes.
    """

    def build() -> SearchStrategy[str]:
        check(isinstance(active, bool), f"active={active!r} must be a bool")
        if active:
            return st.sampled_from(_active_codes())
        return st.sampled_from(
            sorted(code for code, info in currency_table().items() if info.minor_units is not None)
        )

    return lazy(build)


@for_type("CurrencyInfo")
@shared
def currency_infos(*, active: bool = True) -> SearchStrategy[CurrencyInfo]:
    """What citycoop knows of drawn currencies."""

    def build() -> SearchStrategy[CurrencyInfo]:
        return currencies(active=active).map(currency_info)

    return lazy(build)


@shared
def timezones(country: str | Country | None = None) -> SearchStrategy[str]:
    """IANA time-zone names; with *country*, the zones CLDR assigns to it."""

    def build() -> SearchStrategy[str]:
        table = _zones_by_country()
        if country is None:
            return st.sampled_from(sorted({zone for zones in table.values() for zone in zones}))
        code = Country(country).code if not isinstance(country, Country) else country.code
        return st.sampled_from(table.get(code, ("UTC",)))

    return lazy(build)


@for_type("Country")
@shared
def countries(*, region: str | Region | None = None) -> SearchStrategy[Country]:
    """ISO 3166-1 countries, optionally within one UN M49 *region* (any level)."""

    def build() -> SearchStrategy[Country]:
        codes = sorted(m49_areas())
        if region is not None:
            wanted = region if isinstance(region, Region) else Region(region)
            codes = [
                code
                for code in codes
                if m49_areas()[code].region
                and wanted in Region(m49_areas()[code].region).ancestors()
            ]
            check(bool(codes), f"no country lies in region {wanted.code}")
        return st.sampled_from(codes).map(Country)

    return lazy(build)


@for_type("Region")
def regions() -> SearchStrategy[Region]:
    """UN M49 regions, from the world to intermediate regions."""
    return lazy(lambda: st.sampled_from(sorted(m49_regions())).map(Region))


@shared
def focus_areas() -> SearchStrategy[FocusArea]:
    """Focus areas."""

    def build() -> SearchStrategy[FocusArea]:
        return st.sampled_from(FocusArea)

    return lazy(build)


# ---------------------------------------------------------------- values: money, time, quantities, places


@for_type("Money")
@shared
def money(
    currency: str | SearchStrategy[str] | None = None,
    *,
    min_value: Decimal | int | str | None = None,
    max_value: Decimal | int | str | None = None,
) -> SearchStrategy[Money]:
    """Money in *currency* (a code, a strategy of codes, or any active code).

    Amounts have the currency's ISO 4217 decimal places and lie between *min_value* and
    *max_value* (default 0 to 10**15).
    """

    def build() -> SearchStrategy[Money]:
        low = Decimal(0 if min_value is None else min_value)
        high = Decimal(10**15 if max_value is None else max_value)
        check(low <= high, f"min_value={low} must not exceed max_value={high}")
        check(
            max(abs(low), abs(high)).adjusted() <= MAX_ADJUSTED_EXPONENT,
            "bounds must stay below 10**21",
        )
        codes = (
            currencies()
            if currency is None
            else currency
            if not isinstance(currency, str)
            else st.just(currency_info(currency).code)
        )

        @functools.cache  # one strategy per code, checked by Hypothesis once
        def amounts(code: str) -> SearchStrategy[Money]:
            places = currency_info(code).minor_units or 0

            def in_code(amount: Decimal) -> Money:
                return Money(amount, code)

            return st.decimals(
                min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False
            ).map(in_code)

        return codes.flatmap(amounts)

    return lazy(build)


# Named functions, not lambdas, for what strategies map or build with: Hypothesis
# describes the function at every draw, and older releases read a lambda's source to
# do so (about half a millisecond each).


def _pendulum_date(day: dt.date) -> pendulum.Date:
    return pendulum.Date(day.year, day.month, day.day)


def _month_of(day: dt.date) -> Period:
    return Period.month(day.year, day.month)


def _year_of(day: dt.date) -> Period:
    return Period.year(day.year)


def _spanning(pair: tuple[pendulum.Date, pendulum.Date]) -> Period:
    return Period(min(pair), max(pair))


@shared
def dates(
    min_value: dt.date = MIN_DATE, max_value: dt.date = MAX_DATE
) -> SearchStrategy[pendulum.Date]:
    """Calendar dates as :class:`pendulum.Date`."""

    def build() -> SearchStrategy[pendulum.Date]:
        check(
            min_value <= max_value, f"min_value={min_value} must not be after max_value={max_value}"
        )
        return st.dates(min_value, max_value).map(_pendulum_date)

    return lazy(build)


@functools.lru_cache(maxsize=1024)
def _offset_changes(zone: str, first: int, last: int) -> SearchStrategy[dt.datetime] | None:
    """The local wall times (naive) at which *zone*'s UTC offset changes, *first* to *last*.

    One strategy per zone (``None`` for a zone whose offset never changes).
    """
    from zoneinfo import ZoneInfo

    info = ZoneInfo(zone)
    utc = dt.UTC
    start = dt.datetime(first, 1, 1, tzinfo=utc)
    end = dt.datetime(min(last, 2100), 12, 31, tzinfo=utc)
    changes: list[dt.datetime] = []
    step = dt.timedelta(days=7)
    here = start
    offset = here.astimezone(info).utcoffset()
    while here < end:
        ahead = here + step
        if ahead.astimezone(info).utcoffset() != offset:
            low, high = here, ahead  # the change lies in (low, high]: find its minute
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(info).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            changes.append(high.astimezone(info).replace(tzinfo=None, second=0, microsecond=0))
            offset = ahead.astimezone(info).utcoffset()
        here = ahead
    return st.sampled_from(changes) if changes else None


@shared
def aware_datetimes(
    min_value: dt.datetime = dt.datetime(1990, 1, 1),  # noqa: DTZ001 - naive bounds, as st.datetimes takes
    max_value: dt.datetime = dt.datetime(2060, 12, 31),  # noqa: DTZ001 - naive bounds, as st.datetimes takes
    *,
    timezone: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[pendulum.DateTime]:
    """Time-zone-aware pendulum datetimes (local wall times in real zones), whole minutes."""

    def build() -> SearchStrategy[pendulum.DateTime]:
        check(min_value <= max_value, "min_value must not be after max_value")
        zones = (
            timezones()
            if timezone is None
            else st.just(timezone)
            if isinstance(timezone, str)
            else timezone
        )

        def make(naive: dt.datetime, zone: str) -> pendulum.DateTime:
            return pendulum.instance(naive.replace(second=0, microsecond=0), tz=zone)

        anywhere = st.builds(make, st.datetimes(min_value, max_value), zones)

        @st.composite
        def near_a_change(draw: DrawFn) -> pendulum.DateTime:
            # Wall times within 90 minutes of a change of the zone's UTC offset: the
            # daylight-saving gaps and repeated hours that uniform draws almost never hit.
            zone = draw(zones)
            changes = _offset_changes(zone, min_value.year, max_value.year)
            if changes is None:
                return draw(anywhere)
            change = draw(changes)
            naive = change + dt.timedelta(minutes=draw(st.integers(-90, 90)))
            return make(min(max(naive, min_value), max_value), zone)

        return st.one_of(anywhere, anywhere, anywhere, near_a_change())

    return lazy(build)


@for_type("Period")
@shared
def periods(
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
    *,
    kind: str | None = None,
) -> SearchStrategy[Period]:
    """Periods within the bounds: any span, or one ``"day"``, ``"month"`` or ``"year"``."""

    def build() -> SearchStrategy[Period]:
        check(
            kind in (None, "day", "month", "year"),
            f"kind={kind!r} must be None, 'day', 'month' or 'year'",
        )
        check(min_value <= max_value, "min_value must not be after max_value")
        days = dates(min_value, max_value)
        if kind == "day":
            return days.map(Period.day)
        if kind == "month":
            return days.map(_month_of).filter(lambda p: min_value <= p.start and p.end <= max_value)
        if kind == "year":
            return days.map(_year_of).filter(lambda p: min_value <= p.start and p.end <= max_value)
        return st.tuples(days, days).map(_spanning)

    return lazy(build)


@shared
def hours(max_value: int = 2_000) -> SearchStrategy[pint.Quantity[Any]]:  # pyright: ignore[reportUnknownMemberType, reportUnknownParameterType]
    """Durations in citycoop's pint registry, in whole or half hours."""

    def build() -> SearchStrategy[pint.Quantity[Any]]:  # pyright: ignore[reportUnknownMemberType, reportUnknownParameterType]
        from citycoop._core.units import hours as make  # pyright: ignore[reportUnknownVariableType]
        from citycoop._core.units import registry

        check(max_value >= 0, "max_value must be >= 0")
        # pint is imported and its application registry built now, while Hypothesis
        # checks the strategy, rather than inside the first draws, which its
        # slow-generation health check times (0.25-0.7 s, more on a busy machine).
        registry()

        def in_hours(halves: int) -> Any:
            return make(Decimal(halves) / 2)  # pyright: ignore[reportUnknownVariableType]

        return st.integers(0, max_value * 2).map(in_hours)

    return lazy(build)  # pyright: ignore[reportUnknownVariableType]


@for_type("Coordinates")
@shared
def coordinates() -> SearchStrategy[Coordinates]:
    """WGS84 coordinates with five decimal places."""

    def build() -> SearchStrategy[Coordinates]:
        def degrees(limit: int) -> SearchStrategy[Decimal]:
            # Bounded, not filtered: nothing drawn is thrown away.
            return st.decimals(min_value=-limit, max_value=limit, places=5)

        return st.builds(Coordinates, degrees(90), degrees(180))

    return lazy(build)


@for_type("City")
@shared
def cities(country: str | Country | SearchStrategy[Country] | None = None) -> SearchStrategy[City]:
    """Cities with a time zone of their country, and sometimes population and coordinates."""

    def build() -> SearchStrategy[City]:
        # Built once, drawn from many times: Hypothesis checks each strategy object once.
        chosen_countries = (
            countries()
            if country is None
            else st.just(Country(country) if isinstance(country, str) else country)
            if isinstance(country, Country | str)
            else country
        )
        populations = st.none() | st.integers(0, 40_000_000)
        places = st.none() | coordinates()
        ids = st.none() | st.integers(1, 13_000_000)

        @st.composite
        def draw_city(draw: DrawFn) -> City:
            chosen = draw(chosen_countries)
            return City(
                draw(NAMES),
                chosen,
                draw(timezones(chosen.code)),
                population=draw(populations),
                coordinates=draw(places),
                geonames_id=draw(ids),
            )

        return draw_city()

    return lazy(build)


# ---------------------------------------------------------------- values: errors


@for_type("ValidationError")
@shared
def validation_errors() -> SearchStrategy[ValidationError]:
    """The errors citycoop raises for malformed values, drawn from real refusals."""

    def build() -> SearchStrategy[ValidationError]:
        def refused(make: Callable[[], object]) -> ValidationError:
            try:
                make()
            except ValidationError as error:
                return error
            raise AssertionError(make)  # pragma: no cover - every maker below is refused

        def amount_error(text: str) -> ValidationError:
            return refused(lambda: Money(text, "USD"))

        def participants_error(n: int) -> ValidationError:
            return refused(lambda: Cohort(Period.year(2021), participants=n, hours=1))

        def period_error(day: pendulum.Date) -> ValidationError:
            return refused(lambda: Period(day, day.subtract(days=1)))

        not_amounts = st.sampled_from(["", "1.2.3", "NaN", "-Infinity", "1e999999", "one"])
        return st.one_of(
            not_amounts.map(amount_error),
            st.integers(-1000, -1).map(participants_error),
            dates().map(period_error),
            unknown_code_errors(),
        )

    return lazy(build)


@for_type("UnknownCodeError")
@shared
def unknown_code_errors() -> SearchStrategy[UnknownCodeError]:
    """The errors citycoop raises for codes no code list holds, drawn from real refusals."""

    def build() -> SearchStrategy[UnknownCodeError]:
        def refused(code: str) -> UnknownCodeError:
            try:
                Money(0, code)
            except UnknownCodeError as error:
                return error
            raise AssertionError(code)  # pragma: no cover - filtered below

        unknown = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)
        return unknown.filter(lambda code: code not in currency_table()).map(refused)

    return lazy(build)


#: Language tags drawn for texts: plain, with a region, with a script, unstated.
_TAGS: tuple[str, ...] = ("en", "ko", "es", "es-PE", "zh-Hant", "und")


@for_type("Text")
@shared
def texts(strings: SearchStrategy[str] | None = None) -> SearchStrategy[Text]:
    """Human texts: a plain string (language unstated), or one or two languages.

    *strings* draws each language's text (names such as ``"Lima Metro"`` by default).
    """

    def build() -> SearchStrategy[Text]:
        base = NAMES if strings is None else strings
        tagged = st.dictionaries(st.sampled_from(_TAGS), base, min_size=1, max_size=2)
        return st.one_of(base.map(Text), tagged.map(Text))

    return lazy(build)


@for_type("LocalText")
@shared
def local_texts() -> SearchStrategy[LocalText]:
    """Texts as found for a reader's language (some found, some fallen back)."""

    def build() -> SearchStrategy[LocalText]:
        return st.builds(Text.in_, texts(), st.sampled_from(_TAGS[:-1]))

    return lazy(build)
