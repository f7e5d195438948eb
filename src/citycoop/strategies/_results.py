"""Strategies for the results of the function layer: rollups, reconciliations, timelines."""

# st.builds passes drawn values to lambdas that pyright cannot type; every public
# strategy's own return type is declared.
# pyright: reportUnknownLambdaType=false, reportUnknownArgumentType=false

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from hypothesis import reject
from hypothesis import strategies as st

from citycoop._core.errors import ValidationError
from citycoop._domain.exports import (
    ExportStatus,
    FocusShare,
    PolicyExport,
)
from citycoop._domain.portfolio import Portfolio
from citycoop._domain.training import TrainingTrack
from citycoop._fx.table import RateTable
from citycoop._rollup.keys import By, Split
from citycoop.strategies._base import NAMES, for_type, lazy, shared
from citycoop.strategies._domain import (
    budget_key,
    budgets,
    focus_splits,
    policy_exports,
    portfolios,
    reported_figures,
)
from citycoop.strategies._fx import rate_tables
from citycoop.strategies._values import cities, currencies, dates, money

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy

    from citycoop._report.model import Report
    from citycoop._rollup.budget_totals import BudgetTotal
    from citycoop._rollup.reconcile import Reconciliation
    from citycoop._rollup.result import Conflict, Group, Measure, Rollup, Unconverted
    from citycoop._rollup.timeline import Timeline, YearRow


# ---------------------------------------------------------------- functions: rollups and their results


@for_type("Split")
@shared
def splits(max_areas: int = 3) -> SearchStrategy[Split]:
    """Focus-area splits as rollup keys return them."""

    def build() -> SearchStrategy[Split]:
        def split(shares: tuple[FocusShare, ...]) -> Split:
            return Split(tuple((s.area, s.percent) for s in shares))

        return focus_splits(max_areas).map(split)

    return lazy(build)


@shared
def _summed_cases() -> SearchStrategy[PolicyExport]:
    """Export cases holding what a rollup reads: recipient, focus, value, date, status.

    The fields no rollup key or total reads (budgets, implementer, notes) are left out,
    so that a drawn result costs the drawing of what it sums.
    """

    def build() -> SearchStrategy[PolicyExport]:
        return st.builds(
            PolicyExport,
            NAMES,
            cities(),
            focus_splits(),
            value_date=dates(),
            value=st.none() | money(),
            status=st.sampled_from(ExportStatus),
        )

    return lazy(build)


@for_type("Rollup")
@shared
def rollups(*, max_items: int = 8) -> SearchStrategy[Rollup]:
    """Rollups of drawn export cases by a drawn key, some converted into EUR."""

    def build() -> SearchStrategy[Rollup]:
        from citycoop._rollup.aggregate import rollup

        # Built once, drawn from many times: Hypothesis checks each strategy object once.
        many_cases = st.lists(_summed_cases(), max_size=max_items)
        choices: list[By] = [(), "country", ("region", "year"), "focus_area"]
        keys = st.sampled_from(choices)

        @st.composite
        def draw_rollup(draw: DrawFn) -> Rollup:
            cases = draw(many_cases)
            by = draw(keys)
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

    return lazy(build)


@for_type("Group")
@shared
def groups() -> SearchStrategy[Group]:
    """Rows and grand totals of drawn rollups."""

    def build() -> SearchStrategy[Group]:
        return rollups().flatmap(lambda result: st.sampled_from((result.total, *result.rows)))

    return lazy(build)


@for_type("Measure")
@shared
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

    return lazy(build)


@for_type("Unconverted")
@shared
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

    return lazy(build)


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


@for_type("Conflict")
@shared
def conflicts() -> SearchStrategy[Conflict]:
    """Parents whose value disagrees with their children's."""

    def build() -> SearchStrategy[Conflict]:
        return _conflict()

    return lazy(build)


@for_type("Reconciliation")
@shared
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

    return lazy(build)


@for_type("BudgetTotal")
@shared
def budget_totals() -> SearchStrategy[BudgetTotal]:
    """Per-period budget totals of drawn training tracks with budgets."""

    def build() -> SearchStrategy[BudgetTotal]:
        from citycoop._rollup.budget_totals import budget_totals as totals

        tracks = st.builds(
            TrainingTrack,
            NAMES,
            st.just("capacity_building"),
            budgets=st.lists(budgets("KRW"), min_size=1, max_size=3, unique_by=budget_key),
        )
        return st.lists(tracks, min_size=1, max_size=3).flatmap(
            lambda ts: st.sampled_from(totals(ts))
        )

    return lazy(build)


@for_type("Report")
@shared
def reports() -> SearchStrategy[Report]:
    """Reports on drawn portfolios, in every locale, some briefing on one partner."""

    def build() -> SearchStrategy[Report]:
        from citycoop._core.locale import LOCALES
        from citycoop._report.brief import report

        @st.composite
        def draw_report(draw: DrawFn) -> Report:
            portfolio = draw(portfolios(max_items=2))
            partners = [c.recipient.name for c in portfolio.exports]
            partner = draw(st.none() | st.sampled_from(partners)) if partners else None
            return report(portfolio, locale=draw(st.sampled_from(LOCALES)), partner=partner)

        return draw_report()

    return lazy(build)


@for_type("Timeline")
@shared
def timelines(*, max_items: int = 8) -> SearchStrategy[Timeline]:
    """Yearly timelines of drawn cases."""

    def build() -> SearchStrategy[Timeline]:
        from citycoop._rollup.timeline import timeline

        return st.lists(_summed_cases(), max_size=max_items).map(timeline)

    return lazy(build)


@for_type("YearRow")
@shared
def year_rows() -> SearchStrategy[YearRow]:
    """Rows of drawn timelines."""

    def build() -> SearchStrategy[YearRow]:
        from citycoop._rollup.timeline import timeline

        return st.lists(_summed_cases(), min_size=1, max_size=6).flatmap(
            lambda cases: st.sampled_from(timeline(cases).rows)
        )

    return lazy(build)
