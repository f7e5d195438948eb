"""Strategies for the records a rollup groups: of MOUs, cohorts, budgets and IATI activities."""

# st.builds passes drawn values to lambdas that pyright cannot type; every public
# strategy's own return type is declared.
# pyright: reportUnknownLambdaType=false, reportUnknownArgumentType=false

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import attrs
from hypothesis import strategies as st

from citycoop._domain.agreements import MOU
from citycoop._domain.budgets import Budget
from citycoop._domain.exports import (
    PolicyExport,
)
from citycoop._domain.parties import Organisation
from citycoop._domain.portfolio import Portfolio
from citycoop._domain.training import TrainingTrack
from citycoop.strategies._base import for_type, lazy, shared
from citycoop.strategies._domain import (
    budgets,
    mous,
    organisations,
    policy_exports,
    training_tracks,
)
from citycoop.strategies._iati import activities, transactions
from citycoop.strategies._values import (
    focus_areas,
)

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from citycoop._domain.activities import Activity, Transaction
    from citycoop._rollup.activity_records import (
        ActivityBudgetRecord,
        ActivityRecord,
        AreaShare,
        TransactionRecord,
    )
    from citycoop._rollup.records import BudgetRecord, CohortRecord, MOURecord


@for_type("MOURecord")
@shared
def mou_records() -> SearchStrategy[MOURecord]:
    """Rollup records of drawn MOUs, with one partner city, several or none."""

    def build() -> SearchStrategy[MOURecord]:
        from citycoop._rollup.records import mou_records as records_of

        def record(owner: Organisation, mou: MOU) -> MOURecord:
            return records_of(Portfolio(owner, mous=[mou]))[0]

        return st.builds(record, organisations("city_government"), mous())

    return lazy(build)


@for_type("CohortRecord")
@shared
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

    return lazy(build)


@for_type("AreaShare")
@shared
def area_shares() -> SearchStrategy[AreaShare]:
    """A focus area's (or no area's) share of an IATI item."""

    def build() -> SearchStrategy[AreaShare]:
        from citycoop._rollup.activity_records import AreaShare

        return st.builds(AreaShare, st.none() | focus_areas(), st.integers(0, 100).map(Decimal))

    return lazy(build)


@for_type("ActivityRecord")
@shared
def activity_records() -> SearchStrategy[ActivityRecord]:
    """Rollup records of drawn activities."""

    def build() -> SearchStrategy[ActivityRecord]:
        from citycoop._rollup.activity_records import activity_records as records_of

        def record(activity: Activity) -> ActivityRecord:
            return next(iter(records_of([activity])))

        return activities().map(record)

    return lazy(build)


@for_type("TransactionRecord")
@shared
def transaction_records() -> SearchStrategy[TransactionRecord]:
    """Rollup records of a drawn transaction of a drawn activity."""

    def build() -> SearchStrategy[TransactionRecord]:
        from citycoop._rollup.activity_records import transaction_records as records_of

        def record(activity: Activity, transaction: Transaction) -> TransactionRecord:
            return next(iter(records_of([attrs.evolve(activity, transactions=[transaction])])))

        return st.builds(record, activities(), transactions())

    return lazy(build)


@for_type("ActivityBudgetRecord")
@shared
def activity_budget_records() -> SearchStrategy[ActivityBudgetRecord]:
    """Rollup records of a drawn budget of a drawn activity."""

    def build() -> SearchStrategy[ActivityBudgetRecord]:
        from citycoop._rollup.activity_records import activity_budget_records as records_of

        def record(activity: Activity, budget: Budget) -> ActivityBudgetRecord:
            return next(iter(records_of([attrs.evolve(activity, budgets=[budget])])))

        return st.builds(record, activities(), budgets())

    return lazy(build)


@for_type("BudgetRecord")
@shared
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

    return lazy(build)
