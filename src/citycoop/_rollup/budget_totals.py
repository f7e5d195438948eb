"""Budget totals: what the budgets of cases and training tracks add up to, per period."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from citycoop._core.currencies import normalize_currency
from citycoop._core.decimals import CONVERSION
from citycoop._core.errors import ValidationError
from citycoop._core.money import Money, currency_totals, round_to_minor
from citycoop._core.time import Period
from citycoop._core.validation import Arguments, iterable
from citycoop._domain.budgets import Budget, effective_budgets
from citycoop._fx.convert import convert
from citycoop._fx.rates import DEFAULT_POLICY, RatePolicy
from citycoop._fx.table import RateTable

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["BudgetTotal", "budget_totals"]

BUDGET_TOTALS: Final = Arguments("budget_totals")

_ZERO: Final = Decimal(0)
#: The default policy of :func:`budget_totals`: budgets are often valued on a 1 January.


@attrs.frozen
class BudgetTotal:
    """What the budgets of one period add up to.

    Attributes:
        period: The budget period.
        budgets: The budgets that count (per holder, the revised one where it exists).
        totals: Exact totals per currency.
        converted: The total in the requested currency (each budget converted at its
            value date, the period's first day where it has none; the sum rounded once),
            or ``None``.

    .. versionadded:: 0.1.0
    """

    period: Period
    budgets: tuple[Budget, ...]
    totals: tuple[Money, ...]
    converted: Money | None = None


def budget_totals(
    holders: Iterable[Any],
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    policy: RatePolicy = DEFAULT_POLICY,
) -> tuple[BudgetTotal, ...]:
    """Add up the budgets of cases and training tracks, period by period.

    For each holder, a period counts its revised budget where one exists, else the
    original, never both (two budgets of the same kind for one period are an error).
    Totals are exact per currency. With *currency*, each budget is converted at its
    :attr:`~citycoop.Budget.valued_on` date (its value date, else the period's first
    day) and each period's total is rounded once. The default *policy*,
    ``RatePolicy.business_day()``, serves a 1 January or a weekend from the last daily
    rate at most four days before it, and falls back to monthly and annual rates.

    .. versionadded:: 0.1.0
    """
    target = None if currency is None else normalize_currency(currency, BUDGET_TOTALS("currency"))
    if target is not None and not isinstance(rates, RateTable):
        raise ValidationError(
            BUDGET_TOTALS("rates"), rates, "a RateTable to convert into " + target
        )
    chosen: dict[Period, list[Budget]] = {}
    for position, holder in enumerate(iterable(holders, BUDGET_TOTALS("holders"))):
        budgets = getattr(holder, "budgets", None)
        if not isinstance(budgets, tuple):
            raise ValidationError(
                BUDGET_TOTALS("holders", position), type(holder).__name__, "items with budgets"
            )
        for budget in effective_budgets(budgets):  # pyright: ignore[reportUnknownArgumentType]
            chosen.setdefault(budget.period, []).append(budget)
    rows: list[BudgetTotal] = []
    for period in sorted(chosen):
        totals = currency_totals((b.value.currency, b.value.amount) for b in chosen[period])
        converted = None
        if target is not None:
            assert rates is not None
            exact = _ZERO
            for budget in chosen[period]:
                exact = CONVERSION.add(
                    exact,
                    convert(
                        budget.value, target, on=budget.valued_on, rates=rates, policy=policy
                    ).amount,
                )
            converted = round_to_minor(exact, target, field=BUDGET_TOTALS("currency"))
        rows.append(BudgetTotal(period, tuple(chosen[period]), totals, converted))
    return tuple(rows)
