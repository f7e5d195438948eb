"""Budgets: planned money over a period, original or revised."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

import attrs
import pendulum

from citycoop._core.codes import CodeEnum
from citycoop._core.errors import ValidationError
from citycoop._core.money import Money
from citycoop._core.time import Period, optional_date_field
from citycoop._core.validation import instance_of, items, name_fields, optional_url

if TYPE_CHECKING:
    from citycoop._domain.activities import PlannedDisbursement

__all__ = ["Budget", "BudgetKind"]


#: What follows the revised-beats-original rule: a budget or an IATI planned disbursement.
_Revisable = TypeVar("_Revisable", "Budget", "PlannedDisbursement")


class BudgetKind(CodeEnum):
    """Whether a budget is the one first set, or a later revision of it.

    .. versionadded:: 0.1.0
    """

    ORIGINAL = "original"
    REVISED = "revised"


def _kind(value: BudgetKind | str, field: str = "") -> BudgetKind:
    return BudgetKind.parse(value, field)


@attrs.frozen(field_transformer=name_fields)
class Budget:
    """Money planned for a period. A revised budget replaces the original of its period.

    *value_date* is the day whose exchange rate values the budget in another currency
    (IATI's ``value-date``); without one, :attr:`valued_on` is the period's first day.
    *source* is an http(s) URL.

    >>> from citycoop import Money, Period
    >>> budget = Budget(Period.year(2017), Money("690e6", "KRW"))
    >>> budget
    Budget(period=Period('2017-01-01', '2017-12-31'), value=Money('690000000', 'KRW'), kind=<BudgetKind.ORIGINAL: 'original'>, value_date=None, source=None)
    >>> budget.valued_on
    Date(2017, 1, 1)
    >>> Budget(Period.year(2017), Money("690e6", "KRW"), value_date="2017-01-02").valued_on
    Date(2017, 1, 2)

    .. versionadded:: 0.1.0
    """

    period: Period = attrs.field(validator=instance_of(Period, "a Period"))
    value: Money = attrs.field(validator=instance_of(Money, "Money"))
    kind: BudgetKind = attrs.field(default=BudgetKind.ORIGINAL, converter=_kind)
    value_date: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=optional_date_field
    )
    source: str | None = attrs.field(default=None, kw_only=True, validator=optional_url)

    @property
    def valued_on(self) -> pendulum.Date:
        """The value date, or the period's first day where none is given."""
        return self.period.start if self.value_date is None else self.value_date


def budgets_field(value: Iterable[Budget], field: str = "") -> tuple[Budget, ...]:
    """Converter of a tuple-of-budgets field."""
    return items(value, Budget, "a Budget", field)


def revised_else_original(
    items: Iterable[_Revisable],
    key: Callable[[_Revisable], object],
    noun: str,
    field: str,
) -> list[_Revisable]:
    """Per *key*, the revised item where one exists, else the original: the one rule.

    Budgets and IATI planned disbursements both follow it. Two items of one kind for one
    key are a conflict, not a sum: a :class:`ValidationError` naming *field*.
    """
    chosen: dict[object, _Revisable] = {}
    for item in items:
        current = chosen.get(key(item))
        if current is None or (current.kind, item.kind) == (
            BudgetKind.ORIGINAL,
            BudgetKind.REVISED,
        ):
            chosen[key(item)] = item
        elif current.kind == item.kind:
            raise ValidationError(
                field, item, f"one {item.kind} {noun} per period; {item.period} has two"
            )
    return list(chosen.values())


def effective_budgets(budgets: tuple[Budget, ...]) -> tuple[Budget, ...]:
    """The budgets that count: per period, the revised one where it exists, else the original.

    Two budgets of the same kind for the same period are a conflict, not a sum.
    """
    chosen = revised_else_original(budgets, lambda b: b.period, "budget", "budgets")
    return tuple(sorted(chosen, key=lambda b: b.period))
