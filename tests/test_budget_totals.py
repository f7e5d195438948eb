"""Budget totals (`_budget_totals`): per period, revised over original."""

from __future__ import annotations

import pytest

import citycoop
from _shared import CITIES, RATES
from citycoop import (
    Money,
    Period,
    PolicyExport,
    ValidationError,
)


class TestBudgets:
    """Budget totals count the revised budget of a period where one exists, never both."""

    def test_revised_replaces_original(self):
        from citycoop import Budget, TrainingTrack, budget_totals

        year = Period.year(2017)
        muap = TrainingTrack(
            "MUAP",
            "capacity_building",
            budgets=[
                Budget(year, Money("690e6", "KRW")),
                Budget(year, Money("700e6", "KRW"), "revised"),
                Budget(Period.year(2016), Money("688e6", "KRW")),
            ],
        )
        other = PolicyExport(
            "x", CITIES[0], "digital", budgets=[Budget(year, Money("10e6", "KRW"))]
        )
        rows = budget_totals([muap, other])
        assert [(r.period.start.year, r.totals) for r in rows] == [
            (2016, (Money("688e6", "KRW"),)),
            (2017, (Money("710e6", "KRW"),)),  # the revised 700e6, not 690e6 + 700e6
        ]
        assert len(rows[1].budgets) == 2
        assert all(r.converted is None for r in rows)
        with pytest.raises(citycoop.MissingRateError, match="2016-01-01"):
            budget_totals([muap], currency="USD", rates=RATES)  # RATES has no 2016 rate

    def test_converted_at_period_start(self):
        from citycoop import Budget, budget_totals

        case = PolicyExport(
            "x", CITIES[0], "digital", budgets=[Budget(Period.year(2021), Money(1100, "KRW"))]
        )
        (row,) = budget_totals([case], currency="USD", rates=RATES)
        assert row.converted == Money("1.00", "USD")

    def test_conflicting_budgets(self):
        from citycoop import Budget, budget_totals

        year = Period.year(2021)
        case = PolicyExport(
            "x",
            CITIES[0],
            "digital",
            budgets=[Budget(year, Money(1, "USD")), Budget(year, Money(2, "USD"))],
        )
        with pytest.raises(ValidationError, match="one original budget per period"):
            budget_totals([case])
        with pytest.raises(ValidationError, match="items with budgets"):
            budget_totals([object()])
