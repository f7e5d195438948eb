"""Strategies for IATI activities of other publishers and their records."""

# st.builds passes drawn values to lambdas that pyright cannot type; every public
# strategy's own return type is declared.
# pyright: reportUnknownLambdaType=false, reportUnknownArgumentType=false

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import attrs
from hypothesis import strategies as st

from citycoop._core.money import Money
from citycoop._core.time import Period
from citycoop._domain.activities import (
    Activity,
    ActivityStatus,
    CountryShare,
    Location,
    OrgRole,
    Participant,
    PlannedDisbursement,
    RegionShare,
    SectorShare,
    Transaction,
    TransactionType,
)
from citycoop._domain.budgets import BudgetKind
from citycoop.strategies._base import NAMES, check, for_type, lazy, shared
from citycoop.strategies._domain import budget_key, budgets, whole_percents
from citycoop.strategies._values import (
    cities,
    coordinates,
    countries,
    currencies,
    dates,
    money,
    periods,
    texts,
)

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy

    from citycoop._core.places import City


# ---------------------------------------------------------------- domain: IATI activities


def _iati_codes(codelist: str) -> SearchStrategy[str]:
    from citycoop._domain.iati_codes import code_names

    return st.sampled_from(sorted(code_names(codelist)))


@for_type("Participant")
@shared
def participants(*, role: bool = True) -> SearchStrategy[Participant]:
    """Organisations as IATI names them: identifier, names, type code and (with *role*) role."""

    def build() -> SearchStrategy[Participant]:
        return st.builds(
            Participant,
            st.none() | st.from_regex(r"\A(XM-DAC|US-GOV|GB-CHC)-[1-9][0-9]{0,5}\Z"),
            st.none() | texts(),
            st.none() | _iati_codes("OrganisationType"),
            (st.none() | st.sampled_from(OrgRole)) if role else st.none(),
        )

    return lazy(build)


def _shares(draw: DrawFn, count: int) -> list[Decimal | None]:
    """Percentages for *count* shares: none for one share, else whole ones summing to 100."""
    if count == 1:
        return [draw(st.none() | st.just(Decimal(100)))]
    return [Decimal(p) for p in whole_percents(draw, count)]


@for_type("CountryShare")
@shared
def country_shares() -> SearchStrategy[CountryShare]:
    """A recipient country with or without a percentage."""

    def build() -> SearchStrategy[CountryShare]:
        return st.builds(CountryShare, countries(), st.none() | st.integers(0, 100).map(Decimal))

    return lazy(build)


@for_type("RegionShare")
@shared
def region_shares() -> SearchStrategy[RegionShare]:
    """A recipient region of the OECD DAC region list, with or without a percentage."""

    def build() -> SearchStrategy[RegionShare]:
        return st.builds(
            RegionShare,
            _iati_codes("Region"),
            st.just("1"),
            st.none() | st.integers(0, 100).map(Decimal),
        )

    return lazy(build)


@for_type("SectorShare")
@shared
def sector_shares(vocabulary: str | None = None) -> SearchStrategy[SectorShare]:
    """Sectors: OECD DAC 5-digit codes (vocabulary 1) or a publisher's own codes (99)."""

    def build() -> SearchStrategy[SectorShare]:
        check(vocabulary in (None, "1", "99"), f"vocabulary={vocabulary!r} must be '1' or '99'")
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

    return lazy(build)


@for_type("Location")
@shared
def locations() -> SearchStrategy[Location]:
    """Places an activity names: a city, or a name with or without coordinates."""

    def build() -> SearchStrategy[Location]:
        named = st.builds(
            Location,
            st.none() | NAMES,
            coordinates=st.none() | coordinates(),
            geonames_id=st.none() | st.integers(1, 10**7),
        )

        def of_city(c: City) -> Location:
            return Location(c.name, city=c, geonames_id=c.geonames_id, coordinates=c.coordinates)

        city = cities().map(of_city)
        return named | city

    return lazy(build)


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


@for_type("Transaction")
@shared
def transactions(currency: str | None = None) -> SearchStrategy[Transaction]:
    """Transactions with a value date, sometimes with their own countries and sectors."""

    def build() -> SearchStrategy[Transaction]:
        # Built once, drawn from many times: Hypothesis checks each strategy object once.
        days = dates()
        geography = st.just(((), ())) | _geography()
        kinds = st.sampled_from(TransactionType)
        values = money(currency)
        parties = st.none() | participants(role=False)
        sectors = st.just(()) | _sectors()
        refs = st.none() | st.from_regex(r"\A[A-Z0-9]{4,12}\Z")

        @st.composite
        def draw_transaction(draw: DrawFn) -> Transaction:
            day = draw(days)
            places, regions = draw(geography)
            return Transaction(
                draw(kinds),
                day,
                draw(values),
                draw(days) if draw(st.booleans()) else day,
                provider=draw(parties),
                receiver=draw(parties),
                countries=places,
                regions=regions,
                sectors=draw(sectors),
                ref=draw(refs),
            )

        return draw_transaction()

    return lazy(build)


@for_type("PlannedDisbursement")
@shared
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

    return lazy(build)


def _disbursement_key(
    planned: PlannedDisbursement,
) -> tuple[Period, BudgetKind, Participant | None]:
    return (planned.period, planned.kind, planned.provider)


@for_type("Activity")
@shared
def activities(currency: str | None = None) -> SearchStrategy[Activity]:
    """IATI activities with organisations, places, sectors, transactions and budgets.

    Codes come from the IATI code lists; several countries, regions or sectors of one
    vocabulary carry percentages that sum to 100.
    """

    def build() -> SearchStrategy[Activity]:
        # Built once, drawn from many times: Hypothesis checks each strategy object once.
        identifiers = st.from_regex(r"\AXM-DAC-[1-9][0-9]{3}-[a-z0-9]{1,10}\Z")
        reporting = participants(role=False)
        titles = st.none() | texts()
        named = st.lists(participants(), max_size=3).map(tuple)
        statuses = st.none() | st.sampled_from(ActivityStatus)
        days = st.none() | dates()
        currencies_or_none = st.none() | currencies()
        places_at = st.lists(locations(), max_size=2).map(tuple)
        money_moved = st.lists(transactions(currency), max_size=3).map(tuple)
        planned = st.lists(budgets(currency), max_size=2, unique_by=budget_key).map(tuple)
        disbursed = st.lists(
            planned_disbursements(currency), max_size=2, unique_by=_disbursement_key
        ).map(tuple)

        @st.composite
        def draw_activity(draw: DrawFn) -> Activity:
            places, regions = draw(_geography())
            return Activity(
                draw(identifiers),
                reporting_org=draw(reporting),
                title=draw(titles),
                participants=draw(named),
                status=draw(statuses),
                planned_start=draw(days),
                actual_start=draw(days),
                planned_end=draw(days),
                default_currency=draw(currencies_or_none),
                countries=places,
                regions=regions,
                locations=draw(places_at),
                sectors=draw(_sectors()),
                transactions=draw(money_moved),
                budgets=draw(planned),
                planned_disbursements=draw(disbursed),
            )

        return draw_activity()

    return lazy(build)
