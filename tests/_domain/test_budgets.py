"""Budgets (`_budgets`): a revised budget replaces its original, never adds to it."""

from __future__ import annotations

import pytest

from citycoop import Budget, BudgetKind, Money, Period, ValidationError
from citycoop._domain.budgets import effective_budgets

Y2021, Y2022 = Period.year(2021), Period.year(2022)


def test_revised_replaces_original_of_its_period():
    original = Budget(Y2021, Money(100, "KRW"))
    revised = Budget(Y2021, Money(80, "KRW"), "revised")
    other = Budget(Y2022, Money(50, "KRW"))
    assert effective_budgets((other, revised, original)) == (revised, other)


def test_two_of_a_kind_for_one_period_conflict():
    with pytest.raises(ValidationError, match="one original budget per period"):
        effective_budgets((Budget(Y2021, Money(1, "KRW")), Budget(Y2021, Money(2, "KRW"))))


def test_fields_are_checked():
    assert Budget(Y2021, Money(1, "KRW"), "Revised").kind is BudgetKind.REVISED
    with pytest.raises(ValidationError, match=r"^Budget\.value: "):
        Budget(Y2021, 100)  # type: ignore[arg-type]
