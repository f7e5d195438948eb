"""Hypothesis strategies for every public citycoop type (extra ``hypothesis``).

Use them to property-test code that takes citycoop objects::

    from hypothesis import given
    from citycoop import strategies as cst

    @given(cst.policy_exports(currency="KRW"))
    def test_my_report(case): ...

Everything drawn passes citycoop's own validation; values come from real code lists
(ISO 4217 currencies, ISO 3166 countries with their UN M49 regions, IANA time zones that
CLDR assigns to each country). Parameters are checked when a strategy is first drawn
from, as Hypothesis's own strategies do, and bad ones raise
:class:`hypothesis.errors.InvalidArgument`.

The same strategies are registered for :func:`hypothesis.strategies.from_type` by
citycoop's Hypothesis plugin. pendulum and pint types are not registered globally; use
:func:`dates`, :func:`aware_datetimes` and :func:`hours` instead.

The module reads by layer: values (code lists, money, time, places, errors), then the
domain records, then the results of the function layer. Every strategy is built the same
way: a public function returns ``_lazy(build)``, and ``build`` checks the arguments and
composes the strategy with ``st.builds`` or, where one draw depends on another, an
``@st.composite`` function.

.. versionadded:: 0.1.0
"""

# st.builds passes drawn values to lambdas that pyright cannot type; every public
# strategy's own return type is declared.
# pyright: reportUnknownLambdaType=false, reportUnknownArgumentType=false

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pendulum

try:
    from hypothesis import reject
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError:  # name the extra that brings Hypothesis
    from citycoop._core.extras import require

    require("hypothesis", __name__)
    raise

from citycoop._core.errors import UnknownCodeError, ValidationError
from citycoop._core.money import (
    MAX_ADJUSTED_EXPONENT,
    CurrencyInfo,
    Money,
    currency_info,
    currency_table,
)
from citycoop._core.places import (
    City,
    Coordinates,
    Country,
    Region,
    m49_areas,
    m49_regions,
)
from citycoop._core.time import Period, valid_timezone
from citycoop._domain.activities import (
    Activity,
    ActivityStatus,
    CountryShare,
    Location,
    Narrative,
    OrgRole,
    Participant,
    PlannedDisbursement,
    RegionShare,
    SectorShare,
    Transaction,
    TransactionType,
)
from citycoop._domain.agreements import MOU, MOUStatus, Venue
from citycoop._domain.budgets import Budget, BudgetKind
from citycoop._domain.exports import (
    ExportStatus,
    FocusShare,
    Funding,
    FundingKind,
    PolicyExport,
    PolicyRequest,
)
from citycoop._domain.focus import FocusArea
from citycoop._domain.horizons import Milestone, StrategyHorizon, Term
from citycoop._domain.parties import Official, Organisation, OrgKind
from citycoop._domain.portfolio import Portfolio, ReportedFigures
from citycoop._domain.training import Cohort, Modality, TrainingTrack
from citycoop._fx.convert import Conversion, ConversionBatch, convert, convert_batch
from citycoop._fx.rates import Leg, Rate, RatePolicy
from citycoop._fx.table import RateTable
from citycoop._prices.index import PriceIndex
from citycoop._prices.values import Economy, IndexValue
from citycoop._rollup.keys import By, Split

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import pint
    from hypothesis.strategies import DrawFn, SearchStrategy

    from citycoop._prices.deflate import ConstantPrices, Deflation
    from citycoop._rollup.activity_records import (
        ActivityBudgetRecord,
        ActivityRecord,
        AreaShare,
        TransactionRecord,
    )
    from citycoop._rollup.budget_totals import BudgetTotal
    from citycoop._rollup.reconcile import Reconciliation
    from citycoop._rollup.records import BudgetRecord, CohortRecord, MOURecord
    from citycoop._rollup.result import Conflict, Group, Measure, Rollup, Unconverted
    from citycoop._rollup.timeline import Timeline, YearRow

__all__ = [
    "activities",
    "activity_budget_records",
    "activity_records",
    "area_shares",
    "aware_datetimes",
    "budget_records",
    "budget_totals",
    "budgets",
    "cities",
    "cohort_records",
    "cohorts",
    "conflicts",
    "constant_prices",
    "conversion_batches",
    "conversions",
    "coordinates",
    "countries",
    "country_shares",
    "currencies",
    "currency_infos",
    "dates",
    "deflations",
    "economies",
    "focus_areas",
    "focus_shares",
    "focus_splits",
    "fundings",
    "groups",
    "horizons",
    "hours",
    "index_values",
    "legs",
    "locations",
    "measures",
    "milestones",
    "money",
    "mou_records",
    "mous",
    "narratives",
    "officials",
    "organisations",
    "participants",
    "periods",
    "planned_disbursements",
    "policy_exports",
    "policy_requests",
    "portfolios",
    "price_indices",
    "rate_policies",
    "rate_tables",
    "rates",
    "reconciliations",
    "region_shares",
    "regions",
    "reported_figures",
    "rollups",
    "sector_shares",
    "splits",
    "timelines",
    "timezones",
    "training_tracks",
    "transaction_records",
    "transactions",
    "unconverted",
    "unknown_code_errors",
    "validation_errors",
    "venues",
    "year_rows",
]

_T = TypeVar("_T")

MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2060, 12, 31)
_NAME = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Lo"), exclude_characters="\x00"),
    min_size=1,
    max_size=12,
)
_NAMES = st.builds(
    lambda first, rest: f"{first} {rest}".strip(),
    _NAME,
    st.sampled_from(["", "City", "Metro", "Region"]),
)


# Free text as people type it, and as a spreadsheet or a parser might misread it.
_TEXT = st.one_of(
    st.sampled_from(
        ["=1+2", "-12.05", "+82 2 120", "@SUM(A1)", "'quoted", 'say "hi"', "a; b", "two\nlines"]
    ),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20).filter(str.strip),
)


def _lazy(build: Callable[[], SearchStrategy[_T]]) -> SearchStrategy[_T]:
    """Defer building (and checking the arguments of) a strategy until it is drawn from."""
    return st.deferred(build)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidArgument(message)


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


def currencies(*, active: bool = True) -> SearchStrategy[str]:
    """ISO 4217 codes with a minor unit: active ones, or historic ones too.

    Fund codes such as CHE are left out; ``active=False`` adds historic codes.
    """

    def build() -> SearchStrategy[str]:
        _check(isinstance(active, bool), f"active={active!r} must be a bool")
        if active:
            return st.sampled_from(_active_codes())
        return st.sampled_from(
            sorted(code for code, info in currency_table().items() if info.minor_units is not None)
        )

    return _lazy(build)


def currency_infos(*, active: bool = True) -> SearchStrategy[CurrencyInfo]:
    """What citycoop knows of drawn currencies."""

    def build() -> SearchStrategy[CurrencyInfo]:
        return currencies(active=active).map(currency_info)

    return _lazy(build)


def timezones(country: str | Country | None = None) -> SearchStrategy[str]:
    """IANA time-zone names; with *country*, the zones CLDR assigns to it."""

    def build() -> SearchStrategy[str]:
        table = _zones_by_country()
        if country is None:
            return st.sampled_from(sorted({zone for zones in table.values() for zone in zones}))
        code = Country(country).code if not isinstance(country, Country) else country.code
        return st.sampled_from(table.get(code, ("UTC",)))

    return _lazy(build)


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
            _check(bool(codes), f"no country lies in region {wanted.code}")
        return st.sampled_from(codes).map(Country)

    return _lazy(build)


def regions() -> SearchStrategy[Region]:
    """UN M49 regions, from the world to intermediate regions."""
    return _lazy(lambda: st.sampled_from(sorted(m49_regions())).map(Region))


def focus_areas() -> SearchStrategy[FocusArea]:
    """Focus areas."""

    def build() -> SearchStrategy[FocusArea]:
        return st.sampled_from(FocusArea)

    return _lazy(build)


# ---------------------------------------------------------------- values: money, time, quantities, places


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
        _check(low <= high, f"min_value={low} must not exceed max_value={high}")
        _check(
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

        def amounts(code: str) -> SearchStrategy[Money]:
            places = currency_info(code).minor_units or 0
            return st.decimals(
                min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False
            ).map(lambda amount: Money(amount, code))

        return codes.flatmap(amounts)

    return _lazy(build)


def dates(
    min_value: dt.date = MIN_DATE, max_value: dt.date = MAX_DATE
) -> SearchStrategy[pendulum.Date]:
    """Calendar dates as :class:`pendulum.Date`."""

    def build() -> SearchStrategy[pendulum.Date]:
        _check(
            min_value <= max_value, f"min_value={min_value} must not be after max_value={max_value}"
        )
        return st.dates(min_value, max_value).map(lambda d: pendulum.Date(d.year, d.month, d.day))

    return _lazy(build)


def aware_datetimes(
    min_value: dt.datetime = dt.datetime(1990, 1, 1),  # noqa: DTZ001 - naive bounds, as st.datetimes takes
    max_value: dt.datetime = dt.datetime(2060, 12, 31),  # noqa: DTZ001 - naive bounds, as st.datetimes takes
    *,
    timezone: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[pendulum.DateTime]:
    """Time-zone-aware pendulum datetimes (local wall times in real zones), whole minutes."""

    def build() -> SearchStrategy[pendulum.DateTime]:
        _check(min_value <= max_value, "min_value must not be after max_value")
        zones = (
            timezones()
            if timezone is None
            else st.just(timezone)
            if isinstance(timezone, str)
            else timezone
        )

        def make(naive: dt.datetime, zone: str) -> pendulum.DateTime:
            return pendulum.instance(naive.replace(second=0, microsecond=0), tz=zone)

        return st.builds(make, st.datetimes(min_value, max_value), zones)

    return _lazy(build)


def periods(
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
    *,
    kind: str | None = None,
) -> SearchStrategy[Period]:
    """Periods within the bounds: any span, or one ``"day"``, ``"month"`` or ``"year"``."""

    def build() -> SearchStrategy[Period]:
        _check(
            kind in (None, "day", "month", "year"),
            f"kind={kind!r} must be None, 'day', 'month' or 'year'",
        )
        _check(min_value <= max_value, "min_value must not be after max_value")
        days = dates(min_value, max_value)
        if kind == "day":
            return days.map(Period.day)
        if kind == "month":
            return days.map(lambda d: Period.month(d.year, d.month)).filter(
                lambda p: min_value <= p.start and p.end <= max_value
            )
        if kind == "year":
            return days.map(lambda d: Period.year(d.year)).filter(
                lambda p: min_value <= p.start and p.end <= max_value
            )
        return st.tuples(days, days).map(lambda pair: Period(min(pair), max(pair)))

    return _lazy(build)


def hours(max_value: int = 2_000) -> SearchStrategy[pint.Quantity[Any]]:  # pyright: ignore[reportUnknownMemberType, reportUnknownParameterType]
    """Durations in citycoop's pint registry, in whole or half hours."""

    def build() -> SearchStrategy[pint.Quantity[Any]]:  # pyright: ignore[reportUnknownMemberType, reportUnknownParameterType]
        from citycoop._core.units import hours as make  # pyright: ignore[reportUnknownVariableType]

        _check(max_value >= 0, "max_value must be >= 0")
        return st.integers(0, max_value * 2).map(lambda halves: make(Decimal(halves) / 2))  # pyright: ignore[reportUnknownVariableType]

    return _lazy(build)  # pyright: ignore[reportUnknownVariableType]


def coordinates() -> SearchStrategy[Coordinates]:
    """WGS84 coordinates with five decimal places."""

    def build() -> SearchStrategy[Coordinates]:
        degrees = st.decimals(places=5, allow_nan=False, allow_infinity=False)
        return st.builds(
            Coordinates,
            degrees.filter(lambda d: -90 <= d <= 90),
            degrees.filter(lambda d: -180 <= d <= 180),
        )

    return _lazy(build)


def cities(country: str | Country | SearchStrategy[Country] | None = None) -> SearchStrategy[City]:
    """Cities with a time zone of their country, and sometimes population and coordinates."""

    def build() -> SearchStrategy[City]:
        @st.composite
        def draw_city(draw: DrawFn) -> City:
            if country is None:
                chosen = draw(countries())
            elif isinstance(country, Country | str):
                chosen = Country(country) if isinstance(country, str) else country
            else:
                chosen = draw(country)
            return City(
                draw(_NAMES),
                chosen,
                draw(timezones(chosen)),
                population=draw(st.none() | st.integers(0, 40_000_000)),
                coordinates=draw(st.none() | coordinates()),
                geonames_id=draw(st.none() | st.integers(1, 13_000_000)),
            )

        return draw_city()

    return _lazy(build)


# ---------------------------------------------------------------- values: errors


def validation_errors() -> SearchStrategy[ValidationError]:
    """The errors citycoop raises for malformed values, drawn from real refusals."""

    def build() -> SearchStrategy[ValidationError]:
        def refused(make: Callable[[], object]) -> ValidationError:
            try:
                make()
            except ValidationError as error:
                return error
            raise AssertionError(make)  # pragma: no cover - every maker below is refused

        not_amounts = st.sampled_from(["", "1.2.3", "NaN", "-Infinity", "1e999999", "one"])
        return st.one_of(
            not_amounts.map(lambda text: refused(lambda: Money(text, "USD"))),
            st.integers(-1000, -1).map(
                lambda n: refused(lambda: Cohort(Period.year(2021), participants=n, hours=1))
            ),
            dates().map(lambda day: refused(lambda: Period(day, day.subtract(days=1)))),
            unknown_code_errors(),
        )

    return _lazy(build)


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

    return _lazy(build)


# ---------------------------------------------------------------- domain


def organisations(
    kind: OrgKind | str | None = None, *, city: City | None = None
) -> SearchStrategy[Organisation]:
    """Organisations with a home city (and so a country)."""

    def build() -> SearchStrategy[Organisation]:
        kinds = st.sampled_from(OrgKind) if kind is None else st.just(OrgKind.parse(kind, "kind"))
        homes = cities() if city is None else st.just(city)
        return st.builds(
            lambda name, k, home: Organisation(name, k, city=home), _NAMES, kinds, homes
        )

    return _lazy(build)


def officials(organisation: Organisation | None = None) -> SearchStrategy[Official]:
    """Officials of *organisation* (or of any drawn organisation)."""

    def build() -> SearchStrategy[Official]:
        orgs = organisations() if organisation is None else st.just(organisation)
        return st.builds(
            Official, _NAMES, st.sampled_from(["Mayor", "Deputy Mayor", "Director"]), orgs
        )

    return _lazy(build)


def venues() -> SearchStrategy[Venue]:
    """Online, in a city, or both."""

    def build() -> SearchStrategy[Venue]:
        return st.one_of(
            st.just(Venue(online=True)),
            st.builds(
                lambda city, online: Venue(online=online, city=city), cities(), st.booleans()
            ),
        )

    return _lazy(build)


def _whole_percents(draw: DrawFn, parts: int) -> list[int]:
    """*parts* positive whole percentages that sum to 100."""
    cuts = sorted(
        draw(st.lists(st.integers(1, 99), min_size=parts - 1, max_size=parts - 1, unique=True))
    )
    bounds = [0, *cuts, 100]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def focus_shares() -> SearchStrategy[FocusShare]:
    """One focus area's share of a case, in whole percent."""

    def build() -> SearchStrategy[FocusShare]:
        return st.builds(FocusShare, focus_areas(), st.integers(1, 100))

    return _lazy(build)


def focus_splits(max_areas: int = 3) -> SearchStrategy[tuple[FocusShare, ...]]:
    """Focus splits over distinct areas whose whole-number percentages sum to 100."""

    def build() -> SearchStrategy[tuple[FocusShare, ...]]:
        @st.composite
        def draw_split(draw: DrawFn) -> tuple[FocusShare, ...]:
            _check(
                1 <= max_areas <= len(FocusArea),
                f"max_areas={max_areas} must be from 1 to {len(FocusArea)}",
            )
            areas = draw(st.lists(focus_areas(), min_size=1, max_size=max_areas, unique=True))
            percents = _whole_percents(draw, len(areas))
            return tuple(
                FocusShare(area, percent) for area, percent in zip(areas, percents, strict=True)
            )

        return draw_split()

    return _lazy(build)


def milestones(period: Period | None = None) -> SearchStrategy[Milestone]:
    """Milestones, dated within *period* if given."""

    def build() -> SearchStrategy[Milestone]:
        days = dates() if period is None else dates(period.start, period.end)
        return st.builds(Milestone, _NAMES, days)

    return _lazy(build)


def horizons(term: Term | str | None = None) -> SearchStrategy[StrategyHorizon]:
    """Strategy horizons, with or without a period; milestones always fall inside it."""

    def build() -> SearchStrategy[StrategyHorizon]:
        @st.composite
        def draw_horizon(draw: DrawFn) -> StrategyHorizon:
            chosen = draw(st.sampled_from(Term)) if term is None else Term.parse(term, "term")
            period = draw(st.none() | periods())
            return StrategyHorizon(
                chosen,
                period,
                objectives=draw(st.lists(_NAMES, max_size=2)),
                milestones=draw(st.lists(milestones(period), max_size=2)),
            )

        return draw_horizon()

    return _lazy(build)


def cohorts() -> SearchStrategy[Cohort]:
    """Training cohorts."""

    def build() -> SearchStrategy[Cohort]:
        return st.builds(
            lambda period, participants, duration: Cohort(
                period, participants=participants, hours=duration
            ),
            periods(),
            st.integers(0, 500),
            hours(),
        )

    return _lazy(build)


def budgets(currency: str | None = None) -> SearchStrategy[Budget]:
    """Budgets over a year, original or revised, sometimes with a value date and a source."""

    def build() -> SearchStrategy[Budget]:
        @st.composite
        def draw_budget(draw: DrawFn) -> Budget:
            period = draw(periods(kind="year"))
            return Budget(
                period,
                draw(money(currency)),
                draw(st.sampled_from(BudgetKind)),
                value_date=draw(st.none() | dates(period.start, period.end)),
                source=draw(st.none() | st.just("https://example.org/budget?id=1;v=2")),
            )

        return draw_budget()

    return _lazy(build)


def training_tracks() -> SearchStrategy[TrainingTrack]:
    """Training tracks, with or without modality, cohorts and budgets."""

    def build() -> SearchStrategy[TrainingTrack]:
        return st.builds(
            lambda topic, area, modality, tracks, money_budgets: TrainingTrack(
                topic, area, modality=modality, cohorts=tracks, budgets=money_budgets
            ),
            _NAMES,
            focus_areas(),
            st.none() | st.sampled_from(Modality),
            st.lists(cohorts(), max_size=2),
            st.lists(budgets(), max_size=2, unique_by=lambda b: (b.period, b.kind)),
        )

    return _lazy(build)


def fundings() -> SearchStrategy[Funding]:
    """Funding kinds, with or without a funder."""

    def build() -> SearchStrategy[Funding]:
        return st.builds(Funding, st.sampled_from(FundingKind), st.none() | organisations())

    return _lazy(build)


@st.composite
def _mou(draw: DrawFn, status: MOUStatus | None, max_parties: int) -> MOU:
    chosen = draw(st.sampled_from(MOUStatus)) if status is None else status
    parties = draw(
        st.lists(organisations(), min_size=2, max_size=max_parties, unique_by=lambda o: o.name)
    )
    signatories = [
        Official(draw(_NAMES), "Mayor", party) for party in parties if draw(st.booleans())
    ]
    signed = chosen not in (MOUStatus.PROPOSED, MOUStatus.TERMINATED) or (
        chosen is MOUStatus.TERMINATED and draw(st.booleans())
    )
    return MOU(
        draw(_NAMES),
        parties,
        signatories=signatories,
        signed_at=draw(aware_datetimes()) if signed else None,
        status=chosen,
        venue=draw(st.none() | venues()),
        focus_areas=draw(st.lists(focus_areas(), max_size=3, unique=True)),
        horizons=draw(st.lists(horizons(), max_size=2)),
        training=draw(st.lists(training_tracks(), max_size=1)),
        validity=draw(st.none() | periods()),
        documents=draw(
            st.lists(
                st.sampled_from(["https://example.org/mou.pdf", "https://example.org/press"]),
                max_size=2,
            )
        ),
    )


def mous(status: MOUStatus | str | None = None, *, max_parties: int = 3) -> SearchStrategy[MOU]:
    """MOUs in *status* (or any), with two to *max_parties* distinct parties."""

    def build() -> SearchStrategy[MOU]:
        _check(max_parties >= 2, f"max_parties={max_parties} must be at least 2")
        return _mou(None if status is None else MOUStatus.parse(status, "status"), max_parties)

    return _lazy(build)


def policy_exports(
    currency: str | None = None,
    *,
    valued: bool | None = None,
    min_date: dt.date = MIN_DATE,
    max_date: dt.date = MAX_DATE,
) -> SearchStrategy[PolicyExport]:
    """Export cases; *valued* forces a known (True) or unknown (False) value."""

    def build() -> SearchStrategy[PolicyExport]:
        @st.composite
        def draw_case(draw: DrawFn) -> PolicyExport:
            has_value = draw(st.booleans()) if valued is None else valued
            day = draw(dates(min_date, max_date))
            return PolicyExport(
                draw(_NAMES),
                draw(cities()),
                draw(focus_splits()),
                value_date=day,
                value=draw(money(currency)) if has_value else None,
                funding=draw(st.none() | fundings()),
                status=draw(st.sampled_from(ExportStatus)),
                implementer=draw(st.none() | organisations()),
                budgets=draw(
                    st.lists(budgets(), max_size=2, unique_by=lambda b: (b.period, b.kind))
                ),
                identifier=draw(st.none() | _TEXT),
                note=draw(st.none() | _TEXT),
                sources=draw(st.lists(st.just("https://example.org/case"), max_size=1)),
            )

        return draw_case()

    return _lazy(build)


def policy_requests() -> SearchStrategy[PolicyRequest]:
    """Policy requests."""

    def build() -> SearchStrategy[PolicyRequest]:
        return st.builds(
            lambda city, day, areas: PolicyRequest(city, day, focus_areas=areas),
            cities(),
            dates(),
            st.lists(focus_areas(), max_size=2, unique=True),
        )

    return _lazy(build)


def reported_figures(currency: str | None = None) -> SearchStrategy[ReportedFigures]:
    """Reported headline figures; at least the case count is stated."""

    def build() -> SearchStrategy[ReportedFigures]:
        counts = st.none() | st.integers(0, 10_000)
        return st.builds(
            lambda as_of, cases, value, cities_, countries_, approximate: ReportedFigures(
                as_of,
                cases=cases,
                value=value,
                cities=cities_,
                countries=countries_,
                approximate=approximate,
            ),
            dates(),
            st.integers(0, 10_000),
            st.none() | money(currency),
            counts,
            counts,
            st.booleans(),
        )

    return _lazy(build)


def portfolios(*, max_items: int = 5) -> SearchStrategy[Portfolio]:
    """Portfolios with up to *max_items* MOUs, cases, requests, figures and tracks each."""

    def build() -> SearchStrategy[Portfolio]:
        _check(max_items >= 0, "max_items must be >= 0")
        return st.builds(
            lambda owner, mou_list, cases, requests, reported, tracks: Portfolio(
                owner,
                mous=mou_list,
                exports=cases,
                requests=requests,
                reported=reported,
                training=tracks,
            ),
            organisations("city_government"),
            st.lists(mous(), max_size=max_items),
            st.lists(policy_exports(), max_size=max_items),
            st.lists(policy_requests(), max_size=max_items),
            st.lists(reported_figures(), max_size=max_items),
            st.lists(training_tracks(), max_size=max_items),
        )

    return _lazy(build)


def mou_records() -> SearchStrategy[MOURecord]:
    """Rollup records of drawn MOUs, with one partner city, several or none."""

    def build() -> SearchStrategy[MOURecord]:
        from citycoop._rollup.records import mou_records as records_of

        return st.builds(
            lambda owner, mou: records_of(Portfolio(owner, mous=[mou]))[0],
            organisations("city_government"),
            mous(),
        )

    return _lazy(build)


def cohort_records() -> SearchStrategy[CohortRecord]:
    """Rollup records of the cohorts of drawn training tracks (of an MOU or not)."""

    def build() -> SearchStrategy[CohortRecord]:
        from citycoop._rollup.records import cohort_records as records_of

        def records(owner: Organisation, mou: MOU, track: TrainingTrack, own: bool) -> Portfolio:
            if own:
                return Portfolio(owner, training=[track])
            return Portfolio(owner, mous=[attrs.evolve(mou, training=[track])])

        return st.builds(
            records, organisations("city_government"), mous(), training_tracks(), st.booleans()
        ).flatmap(lambda portfolio: st.sampled_from(records_of(portfolio)))

    return _lazy(build)


def area_shares() -> SearchStrategy[AreaShare]:
    """A focus area's (or no area's) share of an IATI item."""

    def build() -> SearchStrategy[AreaShare]:
        from citycoop._rollup.activity_records import AreaShare

        return st.builds(AreaShare, st.none() | focus_areas(), st.integers(0, 100).map(Decimal))

    return _lazy(build)


def activity_records() -> SearchStrategy[ActivityRecord]:
    """Rollup records of drawn activities."""

    def build() -> SearchStrategy[ActivityRecord]:
        from citycoop._rollup.activity_records import activity_records as records_of

        return activities().map(lambda activity: next(iter(records_of([activity]))))

    return _lazy(build)


def transaction_records() -> SearchStrategy[TransactionRecord]:
    """Rollup records of a drawn transaction of a drawn activity."""

    def build() -> SearchStrategy[TransactionRecord]:
        from citycoop._rollup.activity_records import transaction_records as records_of

        return st.builds(
            lambda activity, transaction: next(
                iter(records_of([attrs.evolve(activity, transactions=[transaction])]))
            ),
            activities(),
            transactions(),
        )

    return _lazy(build)


def activity_budget_records() -> SearchStrategy[ActivityBudgetRecord]:
    """Rollup records of a drawn budget of a drawn activity."""

    def build() -> SearchStrategy[ActivityBudgetRecord]:
        from citycoop._rollup.activity_records import activity_budget_records as records_of

        return st.builds(
            lambda activity, budget: next(
                iter(records_of([attrs.evolve(activity, budgets=[budget])]))
            ),
            activities(),
            budgets(),
        )

    return _lazy(build)


def budget_records() -> SearchStrategy[BudgetRecord]:
    """Rollup records of a drawn budget of a case or of a training track."""

    def build() -> SearchStrategy[BudgetRecord]:
        from citycoop._rollup.records import budget_records as records_of

        def record(
            owner: Organisation,
            budget: Budget,
            case: PolicyExport,
            track: TrainingTrack,
            of_case: bool,
        ) -> BudgetRecord:
            if of_case:
                portfolio = Portfolio(owner, exports=[attrs.evolve(case, budgets=[budget])])
            else:
                portfolio = Portfolio(owner, training=[attrs.evolve(track, budgets=[budget])])
            return records_of(portfolio)[0]

        return st.builds(
            record,
            organisations("city_government"),
            budgets(),
            policy_exports(),
            training_tracks(),
            st.booleans(),
        )

    return _lazy(build)


# ---------------------------------------------------------------- domain: IATI activities


def _iati_codes(codelist: str) -> SearchStrategy[str]:
    from citycoop._domain.iati_codes import code_names

    return st.sampled_from(sorted(code_names(codelist)))


def narratives() -> SearchStrategy[Narrative]:
    """Texts with or without a language."""

    def build() -> SearchStrategy[Narrative]:
        return st.builds(Narrative, _NAMES, st.none() | st.sampled_from(("en", "es", "ko", "fr")))

    return _lazy(build)


def participants(*, role: bool = True) -> SearchStrategy[Participant]:
    """Organisations as IATI names them: identifier, names, type code and (with *role*) role."""

    def build() -> SearchStrategy[Participant]:
        return st.builds(
            Participant,
            st.none() | st.from_regex(r"\A(XM-DAC|US-GOV|GB-CHC)-[1-9][0-9]{0,5}\Z"),
            st.lists(narratives(), max_size=2).map(tuple),
            st.none() | _iati_codes("OrganisationType"),
            (st.none() | st.sampled_from(OrgRole)) if role else st.none(),
        )

    return _lazy(build)


def _shares(draw: DrawFn, count: int) -> list[Decimal | None]:
    """Percentages for *count* shares: none for one share, else whole ones summing to 100."""
    if count == 1:
        return [draw(st.none() | st.just(Decimal(100)))]
    return [Decimal(p) for p in _whole_percents(draw, count)]


def country_shares() -> SearchStrategy[CountryShare]:
    """A recipient country with or without a percentage."""

    def build() -> SearchStrategy[CountryShare]:
        return st.builds(CountryShare, countries(), st.none() | st.integers(0, 100).map(Decimal))

    return _lazy(build)


def region_shares() -> SearchStrategy[RegionShare]:
    """A recipient region of the OECD DAC region list, with or without a percentage."""

    def build() -> SearchStrategy[RegionShare]:
        return st.builds(
            RegionShare,
            _iati_codes("Region"),
            st.just("1"),
            st.none() | st.integers(0, 100).map(Decimal),
        )

    return _lazy(build)


def sector_shares(vocabulary: str | None = None) -> SearchStrategy[SectorShare]:
    """Sectors: OECD DAC 5-digit codes (vocabulary 1) or a publisher's own codes (99)."""

    def build() -> SearchStrategy[SectorShare]:
        _check(vocabulary in (None, "1", "99"), f"vocabulary={vocabulary!r} must be '1' or '99'")
        dac = st.builds(SectorShare, _iati_codes("Sector"), st.just("1"))
        own = st.builds(SectorShare, st.from_regex(r"\A[1-9][0-9]{0,3}\Z"), st.just("99"))
        drawn = dac if vocabulary == "1" else own if vocabulary == "99" else dac | own

        def with_percent(share: SectorShare, percent: Decimal | None) -> SectorShare:
            return attrs.evolve(share, percent=percent)

        return st.builds(
            with_percent,
            drawn,
            st.none() | st.integers(0, 100).map(Decimal),
        )

    return _lazy(build)


def locations() -> SearchStrategy[Location]:
    """Places an activity names: a city, or a name with or without coordinates."""

    def build() -> SearchStrategy[Location]:
        named = st.builds(
            lambda name, place, geonames: Location(name, coordinates=place, geonames_id=geonames),
            st.none() | _NAMES,
            st.none() | coordinates(),
            st.none() | st.integers(1, 10**7),
        )
        city = cities().map(
            lambda c: Location(c.name, city=c, geonames_id=c.geonames_id, coordinates=c.coordinates)
        )
        return named | city

    return _lazy(build)


@st.composite
def _geography(draw: DrawFn) -> tuple[tuple[CountryShare, ...], tuple[RegionShare, ...]]:
    """Recipient countries and regions whose percentages (where several) sum to 100."""
    places = draw(st.lists(countries(), max_size=2, unique=True))
    regions = draw(st.lists(_iati_codes("Region"), max_size=1))
    percents = _shares(draw, len(places) + len(regions)) if places or regions else []
    return (
        tuple(CountryShare(c, p) for c, p in zip(places, percents, strict=False)),
        tuple(
            RegionShare(r, "1", p) for r, p in zip(regions, percents[len(places) :], strict=True)
        ),
    )


@st.composite
def _sectors(draw: DrawFn) -> tuple[SectorShare, ...]:
    """Sectors of one or two vocabularies, each vocabulary's percentages summing to 100."""
    found: list[SectorShare] = []
    for vocabulary in draw(st.lists(st.sampled_from(("1", "99")), max_size=2, unique=True)):
        shares = draw(
            st.lists(sector_shares(vocabulary), min_size=1, max_size=2, unique_by=lambda s: s.code)
        )
        percents = _shares(draw, len(shares))
        found.extend(
            attrs.evolve(share, percent=p) for share, p in zip(shares, percents, strict=True)
        )
    return tuple(found)


def transactions(currency: str | None = None) -> SearchStrategy[Transaction]:
    """Transactions with a value date, sometimes with their own countries and sectors."""

    def build() -> SearchStrategy[Transaction]:
        @st.composite
        def draw_transaction(draw: DrawFn) -> Transaction:
            day = draw(dates())
            places, regions = draw(st.just(((), ())) | _geography())
            return Transaction(
                draw(st.sampled_from(TransactionType)),
                day,
                draw(money(currency)),
                draw(st.just(day) | dates()),
                provider=draw(st.none() | participants(role=False)),
                receiver=draw(st.none() | participants(role=False)),
                countries=places,
                regions=regions,
                sectors=draw(st.just(()) | _sectors()),
                ref=draw(st.none() | st.from_regex(r"\A[A-Z0-9]{4,12}\Z")),
            )

        return draw_transaction()

    return _lazy(build)


def planned_disbursements(currency: str | None = None) -> SearchStrategy[PlannedDisbursement]:
    """Planned disbursements over a quarter or a year."""

    def build() -> SearchStrategy[PlannedDisbursement]:
        def planned(
            period: Period, value: Money, kind: BudgetKind, provider: Participant | None
        ) -> PlannedDisbursement:
            return PlannedDisbursement(
                period, value, kind, value_date=period.start, provider=provider
            )

        return st.builds(
            planned,
            periods(kind="year"),
            money(currency),
            st.sampled_from(BudgetKind),
            st.none() | participants(role=False),
        )

    return _lazy(build)


def activities(currency: str | None = None) -> SearchStrategy[Activity]:
    """IATI activities with organisations, places, sectors, transactions and budgets.

    Codes come from the IATI code lists; several countries, regions or sectors of one
    vocabulary carry percentages that sum to 100.
    """

    def build() -> SearchStrategy[Activity]:
        @st.composite
        def draw_activity(draw: DrawFn) -> Activity:
            places, regions = draw(_geography())
            start = draw(st.none() | dates())
            return Activity(
                draw(st.from_regex(r"\AXM-DAC-[1-9][0-9]{3}-[a-z0-9]{1,10}\Z")),
                reporting_org=draw(participants(role=False)),
                title=tuple(draw(st.lists(narratives(), max_size=2))),
                participants=tuple(draw(st.lists(participants(), max_size=3))),
                status=draw(st.none() | st.sampled_from(ActivityStatus)),
                planned_start=start,
                actual_start=draw(st.none() | dates()),
                planned_end=draw(st.none() | dates()),
                default_currency=draw(st.none() | currencies()),
                countries=places,
                regions=regions,
                locations=tuple(draw(st.lists(locations(), max_size=2))),
                sectors=draw(_sectors()),
                transactions=tuple(draw(st.lists(transactions(currency), max_size=3))),
                budgets=tuple(
                    draw(
                        st.lists(
                            budgets(currency), max_size=2, unique_by=lambda b: (b.period, b.kind)
                        )
                    )
                ),
                planned_disbursements=tuple(
                    draw(
                        st.lists(
                            planned_disbursements(currency),
                            max_size=2,
                            unique_by=lambda p: (p.period, p.kind, p.provider),
                        )
                    )
                ),
            )

        return draw_activity()

    return _lazy(build)


# ---------------------------------------------------------------- functions: rates and conversions


def rates(
    base: str | None = None,
    quote: str | None = None,
    *,
    kind: str | None = None,
) -> SearchStrategy[Rate]:
    """Exchange rates between two distinct currencies over a day, month or year."""

    def build() -> SearchStrategy[Rate]:
        _check(base is None or quote is None or base != quote, "base and quote must differ")
        bases = currencies() if base is None else st.just(base)
        pairs = bases.flatmap(
            lambda b: st.tuples(
                st.just(b),
                (currencies() if quote is None else st.just(quote)).filter(lambda q: q != b),
            )
        )
        values = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(100_000), places=4)
        kinds = st.sampled_from(["day", "month", "year"]) if kind is None else st.just(kind)
        return st.builds(
            lambda pair, value, period: Rate(pair[0], pair[1], value, period, "hypothesis"),
            pairs,
            values,
            kinds.flatmap(lambda k: periods(kind=k)),
        )

    return _lazy(build)


def legs() -> SearchStrategy[Leg]:
    """Conversion legs: a rate used as published or inverted."""

    def build() -> SearchStrategy[Leg]:
        return st.builds(Leg, rates(), st.booleans())

    return _lazy(build)


def rate_policies() -> SearchStrategy[RatePolicy]:
    """Rate policies: narrowest, exact day, latest within an age, or business day."""

    def build() -> SearchStrategy[RatePolicy]:
        return st.one_of(
            st.just(RatePolicy.narrowest()),
            st.just(RatePolicy.exact_day()),
            st.builds(RatePolicy.latest, st.integers(1, 10)),
            st.builds(RatePolicy.business_day, st.integers(1, 10)),
        )

    return _lazy(build)


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
        _check(len(set(days)) == len(days), "days must be distinct")
        codes = [c for c in dict.fromkeys(currencies_) if c != base]
        _check(bool(codes), "give at least one currency other than base")
        values = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10_000), places=3)
        cells = st.lists(values, min_size=len(codes) * len(days), max_size=len(codes) * len(days))
        return cells.map(
            lambda numbers: RateTable(
                (
                    Rate(base, code, numbers[i * len(days) + j], Period.day(day), "hypothesis")
                    for i, code in enumerate(codes)
                    for j, day in enumerate(days)
                ),
                pivots=(base,),
            )
        )

    return _lazy(build)


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

    return _lazy(build)


def index_values(economy: str = "KOR") -> SearchStrategy[IndexValue]:
    """Single index values of *economy*."""

    def build() -> SearchStrategy[IndexValue]:
        return st.builds(IndexValue, st.just(economy), st.integers(1960, 2030), _index_levels())

    return _lazy(build)


def _index_levels() -> SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal("0.5"), max_value=Decimal(2000), places=6)


def price_indices(
    min_year: int = 2000, max_year: int = 2025, *, max_economies: int = 3
) -> SearchStrategy[PriceIndex]:
    """Price indices whose every economy has a value in every year from *min_year* to *max_year*.

    Deflations between any two of those years never miss a value.
    """

    def build() -> SearchStrategy[PriceIndex]:
        _check(min_year <= max_year, f"min_year={min_year} must not exceed max_year={max_year}")
        _check(max_economies >= 1, "max_economies must be at least 1")
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

    return _lazy(build)


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

    return _lazy(build)


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

    return _lazy(build)


@st.composite
def _conversion(draw: DrawFn, target: str | None) -> Conversion:
    day = dt.date(2021, 11, 25)
    amount = draw(money(min_value=0, max_value=10**12))
    to = draw(currencies()) if target is None else target
    table = draw(rate_tables((amount.currency, to, "EUR"), (day,)))
    return convert(amount, to, on=day, rates=table)


def conversions(to: str | None = None) -> SearchStrategy[Conversion]:
    """Conversions of drawn amounts with drawn daily rates (into *to*, or any currency)."""

    def build() -> SearchStrategy[Conversion]:
        return _conversion(to)

    return _lazy(build)


def conversion_batches(
    to: str | None = None, *, max_size: int = 5
) -> SearchStrategy[ConversionBatch]:
    """Batches of up to *max_size* drawn amounts converted with drawn daily rates.

    Amounts are dated on one of two days; the target is *to*, or any currency.
    """

    def build() -> SearchStrategy[ConversionBatch]:
        _check(max_size >= 0, f"max_size={max_size} must be >= 0")
        _check(
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

    return _lazy(build)


# ---------------------------------------------------------------- functions: rollups and their results


def splits(max_areas: int = 3) -> SearchStrategy[Split]:
    """Focus-area splits as rollup keys return them."""

    def build() -> SearchStrategy[Split]:
        return focus_splits(max_areas).map(
            lambda shares: Split(tuple((s.area, s.percent) for s in shares))
        )

    return _lazy(build)


def rollups(*, max_items: int = 8) -> SearchStrategy[Rollup]:
    """Rollups of drawn export cases by a drawn key, some converted into EUR."""

    def build() -> SearchStrategy[Rollup]:
        @st.composite
        def draw_rollup(draw: DrawFn) -> Rollup:
            from citycoop._rollup.aggregate import rollup

            cases = draw(st.lists(policy_exports(), max_size=max_items))
            choices: list[By] = [(), "country", ("region", "year"), "focus_area"]
            by = draw(st.sampled_from(choices))
            if not draw(st.booleans()):
                return rollup(cases, by=by)
            days: list[dt.date] = sorted({c.value_date for c in cases if c.value_date is not None})
            days = days or [dt.date(2021, 11, 25)]
            codes = sorted({c.value.currency for c in cases if c.value is not None} | {"EUR"})
            table = draw(rate_tables(codes, days, base="USD"))
            try:
                return rollup(cases, by=by, currency="EUR", rates=table)
            except ValidationError:
                # An amount near 10**15 at an extreme drawn rate converts to more than
                # Money holds (10**21): rollup refuses it, and that draw is not a rollup.
                reject()

        return draw_rollup()

    return _lazy(build)


def groups() -> SearchStrategy[Group]:
    """Rows and grand totals of drawn rollups."""

    def build() -> SearchStrategy[Group]:
        return rollups().flatmap(lambda result: st.sampled_from((result.total, *result.rows)))

    return _lazy(build)


def measures() -> SearchStrategy[Measure]:
    """Measures of drawn training rollups: participants and person-hours, some unknown."""

    def build() -> SearchStrategy[Measure]:
        from citycoop._rollup.aggregate import rollup
        from citycoop._rollup.records import cohort_records as records_of

        def measured(portfolio: Portfolio) -> SearchStrategy[Measure]:
            result = rollup(
                records_of(portfolio), by="year", measures=("participants", "person_hours")
            )
            return st.sampled_from(
                [m for group in (result.total, *result.rows) for m in group.measures]
            )

        return portfolios(max_items=2).flatmap(measured)

    return _lazy(build)


def unconverted() -> SearchStrategy[Unconverted]:
    """Subtotals a rollup could not convert (no rate served them)."""

    def build() -> SearchStrategy[Unconverted]:
        from citycoop._rollup.aggregate import rollup

        def left_out(cases: list[PolicyExport]) -> SearchStrategy[Unconverted]:
            result = rollup(
                cases, by="country", currency="EUR", rates=RateTable(()), missing="omit"
            )
            return st.sampled_from(result.unconverted)

        return st.lists(policy_exports("KRW", valued=True), min_size=1, max_size=4).flatmap(
            left_out
        )

    return _lazy(build)


@st.composite
def _conflict(draw: DrawFn) -> Conflict:
    from citycoop._rollup.aggregate import rollup

    city = draw(cities())
    amounts = draw(
        st.lists(money("USD", min_value=1, max_value=10**9), min_size=2, max_size=3, unique=True)
    )
    parent = PolicyExport(
        "programme", city, "digital", identifier="p", value=amounts[0], value_date="2021-01-01"
    )
    kids = [
        PolicyExport(f"case {i}", city, "digital", parent="p", value=a, value_date="2021-01-01")
        for i, a in enumerate(amounts[1:])
    ]
    conflicts = rollup([parent, *kids]).conflicts
    assert conflicts  # the children's values differ from the parent's by construction
    return conflicts[0]


def conflicts() -> SearchStrategy[Conflict]:
    """Parents whose value disagrees with their children's."""

    def build() -> SearchStrategy[Conflict]:
        return _conflict()

    return _lazy(build)


def reconciliations() -> SearchStrategy[Reconciliation]:
    """Reconciliations of drawn cases against drawn figures reported in the cases' currency."""

    def build() -> SearchStrategy[Reconciliation]:
        @st.composite
        def draw_reconciliation(draw: DrawFn) -> Reconciliation:
            from citycoop._rollup.reconcile import reconcile

            code = draw(currencies())
            cases = draw(st.lists(policy_exports(code), max_size=6))
            return reconcile(cases, draw(reported_figures(code)))

        return draw_reconciliation()

    return _lazy(build)


def budget_totals() -> SearchStrategy[BudgetTotal]:
    """Per-period budget totals of drawn training tracks with budgets."""

    def build() -> SearchStrategy[BudgetTotal]:
        from citycoop._rollup.budget_totals import budget_totals as totals

        tracks = st.builds(
            lambda topic, money_budgets: TrainingTrack(
                topic, "capacity_building", budgets=money_budgets
            ),
            _NAMES,
            st.lists(
                budgets("KRW"), min_size=1, max_size=3, unique_by=lambda b: (b.period, b.kind)
            ),
        )
        return st.lists(tracks, min_size=1, max_size=3).flatmap(
            lambda ts: st.sampled_from(totals(ts))
        )

    return _lazy(build)


def timelines(*, max_items: int = 8) -> SearchStrategy[Timeline]:
    """Yearly timelines of drawn cases."""

    def build() -> SearchStrategy[Timeline]:
        from citycoop._rollup.timeline import timeline

        return st.lists(policy_exports(), max_size=max_items).map(timeline)

    return _lazy(build)


def year_rows() -> SearchStrategy[YearRow]:
    """Rows of drawn timelines."""

    def build() -> SearchStrategy[YearRow]:
        from citycoop._rollup.timeline import timeline

        return st.lists(policy_exports(), min_size=1, max_size=6).flatmap(
            lambda cases: st.sampled_from(timeline(cases).rows)
        )

    return _lazy(build)
