"""What a report states, computed before a line of it is written.

:func:`compute` runs each computation once: the export rollup behind the summary, the
reconciliation against the latest reported figures, the deflation of the headline, and
one :func:`~citycoop.convert_batch` pass over every value the report shows in its
currency. The sections (``build``) only look results up and put them into words.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from citycoop._core.errors import MissingPriceError, MissingRateError
from citycoop._domain.budgets import effective_budgets
from citycoop._fx.convert import ConversionBatch, convert_batch
from citycoop._prices.deflate import Deflation, deflate, value_day
from citycoop._rollup.aggregate import rollup
from citycoop._rollup.reconcile import Reconciliation, reconcile

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from citycoop._core.money import Money
    from citycoop._domain.portfolio import Portfolio, ReportedFigures
    from citycoop._domain.training import TrainingTrack
    from citycoop._fx.convert import Conversion
    from citycoop._fx.rates import Leg, RatePolicy
    from citycoop._fx.table import RateTable
    from citycoop._prices.deflate import ConstantPrices
    from citycoop._rollup.result import Group

#: A value the report shows and the day it is converted at (``None``: it has no date).
Valued = tuple["Money", "dt.date | None"]


@attrs.frozen
class Computed:
    """Everything a report states about a portfolio, computed once.

    Attributes:
        summary: The grand total of the rollup of the export cases (counts, no money).
        latest: The latest reported figures, or ``None``.
        reconciliation: The portfolio against *latest* (``None`` without it).
        currency: The report's currency, or ``None`` (no currency, or no rates).
        conversions: Every value shown that a rate serves, converted once, in the order
            the report shows them (``None`` without a currency).
        position: Where each (value, day) sits in *conversions*.
        shown: Every value the report shows in its currency, in order, repeats included.
        constant: The price index, base year and method of the constant-price lines.
        headline_constant: The headline deflated into the report's currency at the base
            year's prices, or the error that stopped it (``None`` without both).
        legs: Every rate the shown values used, in the order the report first shows them.
    """

    summary: Group
    latest: ReportedFigures | None
    reconciliation: Reconciliation | None
    currency: str | None
    conversions: ConversionBatch | None
    position: Mapping[Valued, int]
    shown: tuple[Valued, ...]
    constant: ConstantPrices | None
    headline_constant: Deflation | MissingPriceError | MissingRateError | None
    legs: tuple[Leg, ...] = ()

    def conversion(self, money: Money, day: dt.date) -> Conversion | None:
        """The conversion of *money* at *day*, or ``None`` where no rate serves it."""
        index = self.position.get((money, day))
        if index is None or self.conversions is None:
            return None
        return self.conversions[index]


def track_budgets(track: TrainingTrack) -> Iterator[Valued]:
    """A track's budgets that count (revised beats original), as the report shows them."""
    for budget in effective_budgets(track.budgets):
        yield budget.value, budget.valued_on


def shown_values(portfolio: Portfolio) -> Iterator[Valued]:
    """Every value the report shows, in the order it shows them."""
    for mou in portfolio.mous:
        for track in mou.training:
            yield from track_budgets(track)
    for case in portfolio.exports:
        if case.value is not None:
            yield case.value, value_day(case)
    for track in portfolio.training:
        yield from track_budgets(track)
    for figures in portfolio.reported:
        if figures.value is not None:
            yield figures.value, figures.as_of


def compute(
    portfolio: Portfolio,
    *,
    currency: str | None,
    rates: RateTable | None,
    policy: RatePolicy,
    constant: ConstantPrices | None,
) -> Computed:
    """Compute what a report on *portfolio* states (pure: no clock, no files)."""
    latest = portfolio.latest_reported()
    target = currency if rates is not None else None
    shown: tuple[Valued, ...] = ()
    position: dict[Valued, int] = {}
    batch = None
    if target is not None and rates is not None:
        shown = tuple(
            (money, day) for money, day in shown_values(portfolio) if money.currency != target
        )
        # The headline is converted too (in the coverage section), even in the same currency.
        headline = () if latest is None or latest.value is None else ((latest.value, latest.as_of),)
        served: list[tuple[Money, dt.date]] = []
        for money, day in dict.fromkeys((*shown, *headline)):
            if day is None or not _served(rates, money.currency, target, day, policy):
                continue
            position[money, day] = len(served)
            served.append((money, day))
        batch = convert_batch(served, target, rates=rates, policy=policy)
    reconciliation = None
    if latest is not None:
        # A value no rate serves is listed, never a reason to abort the report.
        reconciliation = reconcile(
            portfolio,
            latest,
            rates=rates,
            policy=policy,
            missing="omit",
            prices=None if constant is None else constant.prices,
            base_year=None if constant is None else constant.base_year,
            method="deflate_then_convert" if constant is None else constant.method,
            economy=None if constant is None else constant.economy,
        )
    used: dict[Leg, None] = {}
    for money, day in shown:
        index = None if day is None else position.get((money, day))
        if index is not None and batch is not None:
            used.update(dict.fromkeys(batch.legs[index]))
    return Computed(
        summary=rollup(portfolio.exports).total,
        latest=latest,
        reconciliation=reconciliation,
        currency=target,
        conversions=batch,
        position=position,
        shown=shown,
        constant=constant,
        headline_constant=_headline_constant(latest, constant, target, rates),
        legs=tuple(used),
    )


def _served(rates: RateTable, code: str, target: str, day: dt.date, policy: RatePolicy) -> bool:
    try:
        rates.resolve(code, target, day, policy)
    except MissingRateError:
        return False
    return True


def _headline_constant(
    latest: ReportedFigures | None,
    constant: ConstantPrices | None,
    currency: str | None,
    rates: RateTable | None,
) -> Deflation | MissingPriceError | MissingRateError | None:
    """The headline at the base year's prices in the report's currency, or what stopped it."""
    if latest is None or latest.value is None or constant is None:
        return None
    if currency is None or rates is None:
        return None
    try:
        return deflate(
            latest.value,
            year=latest.as_of.year,
            base_year=constant.base_year,
            prices=constant.prices,
            currency=currency,
            rates=rates,
            method=constant.method,
            economy=constant.economy,
        )
    except (MissingPriceError, MissingRateError) as error:
        return error
