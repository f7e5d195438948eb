"""Budgets (`_budgets`), reported figures and the portfolio (`_portfolio`)."""

from __future__ import annotations

import pytest

from citycoop import (
    Budget,
    BudgetKind,
    Money,
    Period,
    ReportedFigures,
    ValidationError,
)
from citycoop._domain.budgets import effective_budgets


class TestBudgetsAndReports:
    """A revised budget replaces the original; reports need a figure."""

    def test_revised_wins(self):
        original = Budget(Period.year(2017), Money("690e6", "KRW"))
        revised = Budget(Period.year(2017), Money("700e6", "KRW"), BudgetKind.REVISED)
        assert effective_budgets((original, revised)) == (revised,)
        assert effective_budgets((revised, original)) == (revised,)
        with pytest.raises(ValidationError):
            effective_budgets((original, original))

    def test_reported_needs_a_figure(self):
        with pytest.raises(ValidationError):
            ReportedFigures("2021-11-24")
