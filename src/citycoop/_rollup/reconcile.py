"""Reconciliation: what the records add up to against what was reported."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from citycoop._core.decimals import CONVERSION
from citycoop._core.errors import MissingPriceError, ValidationError
from citycoop._core.money import Money
from citycoop._core.validation import Arguments, iterable
from citycoop._domain.portfolio import Portfolio, ReportedFigures
from citycoop._fx.rates import DEFAULT_POLICY, Leg, RatePolicy
from citycoop._fx.table import RateTable
from citycoop._prices.deflate import (
    ConstantPrices,
    Deflation,
    Method,
    constant_prices,
    deflate,
    value_day,
)
from citycoop._prices.values import IndexValue
from citycoop._rollup.aggregate import rollup
from citycoop._rollup.result import Unconverted

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pendulum

    from citycoop._domain.exports import PolicyExport
    from citycoop._prices.index import PriceIndex

__all__ = ["Reconciliation", "reconcile"]

RECONCILE: Final = Arguments("reconcile")


@attrs.frozen
class Reconciliation:
    """What the records add up to against what was reported.

    Each ``*_coverage`` is computed / reported as an exact :class:`~decimal.Decimal`
    (``None`` when the report does not state the figure).

    ``value`` is the recorded cases' total in the reported currency, or ``None`` when
    no case states a value or (with ``missing="omit"``) a value could not be converted;
    ``unconverted`` then lists each such value with its date and reason. A partial sum
    is never given as the total.

    With a price index (``prices``), ``constant_value`` is the recorded total at the
    base year's prices (each case deflated from the year of its value date;
    ``undeflated`` lists what a missing index value left out, and the total is then
    ``None``), and ``reported_constant`` states the reported value at the base year's
    prices, taken as at the prices of the year of ``as_of`` (a headline adds up several
    years, so this is an approximation the report says it is). ``index_values`` lists
    the index values the recorded total used. With ``missing="omit"``,
    ``reported_constant_missing`` is the error that left ``reported_constant`` out.
    A case known by its year only is deflated from that year (and, where a rate is
    needed for it, converted at 1 July); one with neither a date nor a year is listed
    in ``undeflated``.

    .. versionadded:: 0.1.0
    """

    reported: ReportedFigures
    cases: int
    cities: int
    countries: int
    valued_cases: int
    value: Money | None
    conversions: tuple[Leg, ...]
    unconverted: tuple[Unconverted, ...] = ()
    constant_prices: ConstantPrices | None = None
    constant_value: Money | None = None
    reported_constant: Deflation | None = None
    index_values: tuple[IndexValue, ...] = ()
    undeflated: tuple[Unconverted, ...] = ()
    reported_constant_missing: MissingPriceError | None = attrs.field(default=None, eq=False)

    @staticmethod
    def _ratio(computed: int | Decimal, reported: int | Decimal | None) -> Decimal | None:
        if reported is None or reported == 0:
            return None
        return CONVERSION.divide(Decimal(computed), Decimal(reported))

    @property
    def case_coverage(self) -> Decimal | None:
        """Recorded cases / reported cases."""
        return self._ratio(self.cases, self.reported.cases)

    @property
    def city_coverage(self) -> Decimal | None:
        """Distinct recorded cities / reported cities."""
        return self._ratio(self.cities, self.reported.cities)

    @property
    def country_coverage(self) -> Decimal | None:
        """Distinct recorded countries / reported countries."""
        return self._ratio(self.countries, self.reported.countries)

    @property
    def value_coverage(self) -> Decimal | None:
        """Recorded value (converted into the reported currency) / reported value."""
        if self.value is None or self.reported.value is None:
            return None
        return self._ratio(self.value.amount, self.reported.value.amount)

    def differences(self) -> dict[str, int | Money | None]:
        """Computed minus reported, per figure (``None`` where either side is unknown)."""
        reported = self.reported
        value_gap = None
        if self.value is not None and reported.value is not None:
            value_gap = self.value - reported.value
        return {
            "cases": None if reported.cases is None else self.cases - reported.cases,
            "cities": None if reported.cities is None else self.cities - reported.cities,
            "countries": None
            if reported.countries is None
            else self.countries - reported.countries,
            "value": value_gap,
        }


def _on_or_before(case: PolicyExport, as_of: pendulum.Date) -> bool:
    day = case.value_date
    if day is not None:
        return day <= as_of
    return case.year is None or case.year <= as_of.year


def reconcile(
    items: Iterable[Any] | Portfolio,
    reported: ReportedFigures,
    *,
    rates: RateTable | None = None,
    policy: RatePolicy = DEFAULT_POLICY,
    missing: Literal["raise", "omit"] = "raise",
    prices: PriceIndex | None = None,
    base_year: int | None = None,
    method: Method = "deflate_then_convert",
    economy: str | None = None,
) -> Reconciliation:
    """Compare recorded cases with reported figures.

    Only cases dated on or before the report's ``as_of`` count: a case's ``value_date``
    is compared with ``as_of``; a case known only by its year counts if that year is not
    later than the year of ``as_of``; cases without a date or a year count too, since
    nothing says they are later. Values are converted into the
    reported currency at the reported date, with *rates* (needed only when a case's
    currency differs from the reported one). With ``missing="omit"``, a value no rate
    serves is listed in ``unconverted`` instead of raising, and ``value`` is ``None``.

    A portfolio may be passed instead of items; its ``exports`` are used.

    With *prices* and *base_year*, the recorded total and the reported value are also
    stated at the base year's prices (see :class:`Reconciliation`; *method* and
    *economy* as for :func:`~citycoop.rollup`). A missing index value raises
    :class:`~citycoop.MissingPriceError`, or with ``missing="omit"`` is listed.

    .. versionadded:: 0.1.0
    """
    if not isinstance(reported, ReportedFigures):
        raise ValidationError(RECONCILE("reported"), reported, "ReportedFigures")
    cases = items.exports if isinstance(items, Portfolio) else iterable(items, RECONCILE("items"))
    as_of = reported.as_of
    try:
        counted = [c for c in cases if _on_or_before(c, as_of)]
    except (AttributeError, TypeError):
        raise ValidationError(
            RECONCILE("items"), items, "policy export cases (with a year)"
        ) from None
    currency = reported.value.currency if reported.value is not None else None
    valued = [c for c in counted if c.value is not None]
    value: Money | None = None
    legs: tuple[Leg, ...] = ()
    unconverted: tuple[Unconverted, ...] = ()
    table = rates if rates is not None else RateTable(())
    if currency is not None and valued:
        result = rollup(
            valued, currency=currency, rates=table, on=as_of, policy=policy, missing=missing
        )
        unconverted = result.unconverted
        value = result.total.converted if result.total.complete else None
        legs = result.legs
    reconciled = Reconciliation(
        reported,
        len(counted),
        len({c.recipient for c in counted}),
        len({c.recipient.country for c in counted}),
        len(valued),
        value,
        legs,
        unconverted,
    )
    if prices is None:
        return reconciled
    constant = constant_prices(prices, base_year, method, economy, where=RECONCILE)
    return _at_constant_prices(
        reconciled, valued, constant, rates=table, policy=policy, missing=missing
    )


def _at_constant_prices(
    reconciled: Reconciliation,
    valued: list[Any],
    constant: ConstantPrices,
    *,
    rates: RateTable,
    policy: RatePolicy,
    missing: Literal["raise", "omit"],
) -> Reconciliation:
    """The reconciliation with the recorded total and the headline at constant prices."""
    reported = reconciled.reported
    if reported.value is None:
        return attrs.evolve(reconciled, constant_prices=constant)
    currency = reported.value.currency
    value: Money | None = None
    index_values: tuple[IndexValue, ...] = ()
    # A case known by its year only is taken at 1 July of that year; one with neither a
    # date nor a year cannot be deflated, and is listed.
    dated = [
        case if case.value_date is not None else attrs.evolve(case, value_date=value_day(case))
        for case in valued
        if case.value_date is not None or case.year is not None
    ]
    undated = tuple(
        Unconverted((), case.value, reported.as_of, "no value date or year to deflate from")
        for case in valued
        if case.value_date is None and case.year is None
    )
    if dated:
        result = rollup(
            dated,
            currency=currency,
            rates=rates,
            policy=policy,
            missing=missing,
            prices=constant.prices,
            base_year=constant.base_year,
            method=constant.method,
            economy=constant.economy,
        )
        total = result.total
        value = total.constant if total.constant_complete and not undated else None
        index_values = result.index_values
        undeflated = (*result.undeflated, *undated)
    else:
        undeflated = undated
    problem: MissingPriceError | None = None
    try:
        headline: Deflation | None = deflate(
            reported.value,
            year=reported.as_of.year,
            base_year=constant.base_year,
            prices=constant.prices,
            economy=constant.economy if constant.method == "deflate_then_convert" else None,
        )
    except MissingPriceError as error:
        if missing == "raise":
            raise
        headline, problem = None, error
    return attrs.evolve(
        reconciled,
        constant_prices=constant,
        constant_value=value,
        reported_constant=headline,
        index_values=index_values,
        undeflated=undeflated,
        reported_constant_missing=problem,
    )
