"""Strategies for the domain: parties, MOUs, horizons, training, exports, portfolios, records."""

# st.builds passes drawn values to lambdas that pyright cannot type; every public
# strategy's own return type is declared.
# pyright: reportUnknownLambdaType=false, reportUnknownArgumentType=false

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from citycoop._core.places import (
    City,
)
from citycoop._core.time import Period
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
from citycoop.strategies._base import MAX_DATE, MIN_DATE, NAMES, TEXT, check, for_type, lazy, shared
from citycoop.strategies._values import (
    aware_datetimes,
    cities,
    dates,
    focus_areas,
    hours,  # pyright: ignore[reportUnknownVariableType]  # pint's Quantity is generic
    money,
    periods,
    texts,
)

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy


# ---------------------------------------------------------------- domain


@for_type("Organisation")
@shared
def organisations(
    kind: OrgKind | str | None = None, *, city: City | None = None
) -> SearchStrategy[Organisation]:
    """Organisations with a home city (and so a country)."""

    def build() -> SearchStrategy[Organisation]:
        kinds = st.sampled_from(OrgKind) if kind is None else st.just(OrgKind.parse(kind, "kind"))
        homes = cities() if city is None else st.just(city)
        return st.builds(Organisation, texts(), kinds, city=homes)

    return lazy(build)


@for_type("Official")
@shared
def officials(organisation: Organisation | None = None) -> SearchStrategy[Official]:
    """Officials of *organisation* (or of any drawn organisation)."""

    def build() -> SearchStrategy[Official]:
        orgs = organisations() if organisation is None else st.just(organisation)
        return st.builds(
            Official, NAMES, st.sampled_from(["Mayor", "Deputy Mayor", "Director"]), orgs
        )

    return lazy(build)


@for_type("Venue")
@shared
def venues() -> SearchStrategy[Venue]:
    """Online, in a city, or both."""

    def build() -> SearchStrategy[Venue]:
        return st.one_of(
            st.just(Venue(online=True)),
            st.builds(Venue, online=st.booleans(), city=cities()),
        )

    return lazy(build)


def whole_percents(draw: DrawFn, parts: int) -> list[int]:
    """*parts* positive whole percentages that sum to 100."""
    cuts = sorted(
        draw(st.lists(st.integers(1, 99), min_size=parts - 1, max_size=parts - 1, unique=True))
    )
    bounds = [0, *cuts, 100]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


@for_type("FocusShare")
@shared
def focus_shares() -> SearchStrategy[FocusShare]:
    """One focus area's share of a case, in whole percent."""

    def build() -> SearchStrategy[FocusShare]:
        return st.builds(FocusShare, focus_areas(), st.integers(1, 100))

    return lazy(build)


@shared
def focus_splits(max_areas: int = 3) -> SearchStrategy[tuple[FocusShare, ...]]:
    """Focus splits over distinct areas whose whole-number percentages sum to 100."""

    def build() -> SearchStrategy[tuple[FocusShare, ...]]:
        @st.composite
        def draw_split(draw: DrawFn) -> tuple[FocusShare, ...]:
            check(
                1 <= max_areas <= len(FocusArea),
                f"max_areas={max_areas} must be from 1 to {len(FocusArea)}",
            )
            areas = draw(st.lists(focus_areas(), min_size=1, max_size=max_areas, unique=True))
            percents = whole_percents(draw, len(areas))
            return tuple(
                FocusShare(area, percent) for area, percent in zip(areas, percents, strict=True)
            )

        return draw_split()

    return lazy(build)


@for_type("Milestone")
@shared
def milestones(period: Period | None = None) -> SearchStrategy[Milestone]:
    """Milestones, dated within *period* if given."""

    def build() -> SearchStrategy[Milestone]:
        days = dates() if period is None else dates(period.start, period.end)
        return st.builds(Milestone, NAMES, days)

    return lazy(build)


@for_type("StrategyHorizon")
@shared
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
                objectives=draw(st.lists(NAMES, max_size=2)),
                milestones=draw(st.lists(milestones(period), max_size=2)),
            )

        return draw_horizon()

    return lazy(build)


@for_type("Cohort")
@shared
def cohorts() -> SearchStrategy[Cohort]:
    """Training cohorts."""

    def build() -> SearchStrategy[Cohort]:
        return st.builds(Cohort, periods(), participants=st.integers(0, 500), hours=hours())

    return lazy(build)


@for_type("Budget")
@shared
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

    return lazy(build)


@for_type("TrainingTrack")
@shared
def training_tracks() -> SearchStrategy[TrainingTrack]:
    """Training tracks, with or without modality, cohorts and budgets."""

    def build() -> SearchStrategy[TrainingTrack]:
        return st.builds(
            TrainingTrack,
            NAMES,
            focus_areas(),
            modality=st.none() | st.sampled_from(Modality),
            cohorts=st.lists(cohorts(), max_size=2),
            budgets=st.lists(budgets(), max_size=2, unique_by=budget_key),
        )

    return lazy(build)


@for_type("Funding")
@shared
def fundings() -> SearchStrategy[Funding]:
    """Funding kinds, with or without a funder."""

    def build() -> SearchStrategy[Funding]:
        return st.builds(Funding, st.sampled_from(FundingKind), st.none() | organisations())

    return lazy(build)


@for_type("MOU")
@shared
def mous(status: MOUStatus | str | None = None, *, max_parties: int = 3) -> SearchStrategy[MOU]:
    """MOUs in *status* (or any), with two to *max_parties* distinct parties."""

    def build() -> SearchStrategy[MOU]:
        check(max_parties >= 2, f"max_parties={max_parties} must be at least 2")
        # Built once, drawn from many times: Hypothesis checks each strategy object once.
        statuses = (
            st.sampled_from(MOUStatus)
            if status is None
            else st.just(MOUStatus.parse(status, "status"))
        )
        parties = st.lists(
            organisations(), min_size=2, max_size=max_parties, unique_by=_organisation_name
        )
        signing = aware_datetimes()
        maybe_venue = st.none() | venues()
        areas = st.lists(focus_areas(), max_size=3, unique=True)
        mou_horizons = st.lists(horizons(), max_size=2)
        tracks = st.lists(training_tracks(), max_size=1)
        validity = st.none() | periods()
        documents = st.lists(
            st.sampled_from(["https://example.org/mou.pdf", "https://example.org/press"]),
            max_size=2,
        )

        @st.composite
        def draw_mou(draw: DrawFn) -> MOU:
            chosen = draw(statuses)
            signers = draw(parties)
            signatories = [
                Official(draw(NAMES), "Mayor", party) for party in signers if draw(st.booleans())
            ]
            signed = chosen not in (MOUStatus.PROPOSED, MOUStatus.TERMINATED) or (
                chosen is MOUStatus.TERMINATED and draw(st.booleans())
            )
            return MOU(
                draw(texts()),
                signers,
                signatories=signatories,
                signed_at=draw(signing) if signed else None,
                status=chosen,
                venue=draw(maybe_venue),
                focus_areas=draw(areas),
                horizons=draw(mou_horizons),
                training=draw(tracks),
                validity=draw(validity),
                documents=draw(documents),
            )

        return draw_mou()

    return lazy(build)


def _organisation_name(organisation: Organisation) -> str:
    return organisation.name.original


@for_type("PolicyExport")
@shared
def policy_exports(
    currency: str | None = None,
    *,
    valued: bool | None = None,
    min_date: dt.date = MIN_DATE,
    max_date: dt.date = MAX_DATE,
) -> SearchStrategy[PolicyExport]:
    """Export cases; *valued* forces a known (True) or unknown (False) value."""

    def build() -> SearchStrategy[PolicyExport]:
        # Built once, drawn from many times: Hypothesis checks each strategy object once.
        has_values = st.booleans() if valued is None else st.just(valued)
        days = dates(min_date, max_date)
        values = money(currency)
        maybe_funding = st.none() | fundings()
        statuses = st.sampled_from(ExportStatus)
        implementers = st.none() | organisations()
        case_budgets = st.lists(budgets(), max_size=2, unique_by=budget_key)
        identifiers = st.none() | TEXT
        notes = st.none() | texts(TEXT)
        sources = st.lists(st.just("https://example.org/case"), max_size=1)

        @st.composite
        def draw_case(draw: DrawFn) -> PolicyExport:
            has_value = draw(has_values)
            day = draw(days)
            return PolicyExport(
                draw(texts()),
                draw(cities()),
                draw(focus_splits()),
                value_date=day,
                value=draw(values) if has_value else None,
                funding=draw(maybe_funding),
                status=draw(statuses),
                implementer=draw(implementers),
                budgets=draw(case_budgets),
                identifier=draw(identifiers),
                note=draw(notes),
                sources=draw(sources),
            )

        return draw_case()

    return lazy(build)


def budget_key(budget: Budget) -> tuple[Period, BudgetKind]:
    """What no two budgets of one record share: their period and kind."""
    return (budget.period, budget.kind)


@for_type("PolicyRequest")
@shared
def policy_requests() -> SearchStrategy[PolicyRequest]:
    """Policy requests."""

    def build() -> SearchStrategy[PolicyRequest]:
        return st.builds(
            PolicyRequest,
            cities(),
            dates(),
            focus_areas=st.lists(focus_areas(), max_size=2, unique=True),
        )

    return lazy(build)


@for_type("ReportedFigures")
@shared
def reported_figures(currency: str | None = None) -> SearchStrategy[ReportedFigures]:
    """Reported headline figures; at least the case count is stated."""

    def build() -> SearchStrategy[ReportedFigures]:
        counts = st.none() | st.integers(0, 10_000)
        return st.builds(
            ReportedFigures,
            dates(),
            cases=st.integers(0, 10_000),
            value=st.none() | money(currency),
            cities=counts,
            countries=counts,
            approximate=st.booleans(),
        )

    return lazy(build)


@for_type("Portfolio")
@shared
def portfolios(*, max_items: int = 5) -> SearchStrategy[Portfolio]:
    """Portfolios with up to *max_items* MOUs, cases, requests, figures and tracks each."""

    def build() -> SearchStrategy[Portfolio]:
        check(max_items >= 0, "max_items must be >= 0")
        return st.builds(
            Portfolio,
            organisations("city_government"),
            mous=st.lists(mous(), max_size=max_items),
            exports=st.lists(policy_exports(), max_size=max_items),
            requests=st.lists(policy_requests(), max_size=max_items),
            reported=st.lists(reported_figures(), max_size=max_items),
            training=st.lists(training_tracks(), max_size=max_items),
        )

    return lazy(build)
