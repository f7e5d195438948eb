"""Reconciliation: what the records add up to against what was reported."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import attrs

from citycoop._errors import ValidationError
from citycoop._money import Money
from citycoop._portfolio import Portfolio, ReportedFigures
from citycoop._rate_table import RateTable
from citycoop._rates import CONVERSION, NARROWEST, Leg, RatePolicy
from citycoop._rollups import Unconverted, rollup
from citycoop._validation import iterable

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pendulum

    from citycoop._exports import PolicyExport

__all__ = ["Reconciliation", "reconcile"]


@attrs.frozen
class Reconciliation:
    """What the records add up to against what was reported.

    Each ``*_coverage`` is computed / reported as an exact :class:`~decimal.Decimal`
    (``None`` when the report does not state the figure).

    ``value`` is the recorded cases' total in the reported currency, or ``None`` when
    no case states a value or (with ``missing="omit"``) a value could not be converted;
    ``unconverted`` then lists each such value with its date and reason. A partial sum
    is never given as the total.

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
    policy: RatePolicy = NARROWEST,
    missing: Literal["raise", "omit"] = "raise",
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

    .. versionadded:: 0.1.0
    """
    if not isinstance(reported, ReportedFigures):
        raise ValidationError("reconcile.reported", reported, "ReportedFigures")
    cases = items.exports if isinstance(items, Portfolio) else iterable(items, "reconcile.items")
    as_of = reported.as_of
    try:
        counted = [c for c in cases if _on_or_before(c, as_of)]
    except (AttributeError, TypeError):
        raise ValidationError(
            "reconcile.items", items, "policy export cases (with a year)"
        ) from None
    currency = reported.value.currency if reported.value is not None else None
    valued = [c for c in counted if c.value is not None]
    value: Money | None = None
    legs: tuple[Leg, ...] = ()
    unconverted: tuple[Unconverted, ...] = ()
    if currency is not None and valued:
        table = rates if rates is not None else RateTable(())
        result = rollup(
            valued, currency=currency, rates=table, on=as_of, policy=policy, missing=missing
        )
        unconverted = result.unconverted
        value = result.total.converted if result.total.complete else None
        legs = result.legs
    return Reconciliation(
        reported,
        len(counted),
        len({c.recipient for c in counted}),
        len({c.recipient.country for c in counted}),
        len(valued),
        value,
        legs,
        unconverted,
    )
