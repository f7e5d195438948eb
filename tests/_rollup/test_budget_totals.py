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

    def test_each_budget_at_its_value_date(self, ecb):
        from citycoop import Budget, budget_totals

        year = Period.year(2021)
        on_start = Budget(year, Money("1000", "EUR"))
        dated = Budget(year, Money("1000", "EUR"), "original", value_date="2021-03-02")
        one = PolicyExport("x", CITIES[0], "digital", budgets=[on_start])
        two = PolicyExport("y", CITIES[0], "digital", budgets=[dated])
        (row,) = budget_totals([one, two], currency="USD", rates=ecb)
        # 1 January 2021 is a holiday: the last business day, 31 December 2020, serves it.
        first = citycoop.convert(Money("1000", "EUR"), "USD", on="2020-12-31", rates=ecb)
        second = citycoop.convert(Money("1000", "EUR"), "USD", on="2021-03-02", rates=ecb)
        assert row.converted == Money(first.amount + second.amount, "USD").rounded()
        assert first.amount != second.amount

    def test_default_policy_serves_non_business_days(self, ecb):
        from citycoop import Budget, RatePolicy, budget_totals

        case = PolicyExport(
            "x", CITIES[0], "digital", budgets=[Budget(Period.year(2022), Money("10", "EUR"))]
        )
        (row,) = budget_totals([case], currency="USD", rates=ecb)  # 2022-01-01, a Saturday
        served = citycoop.convert(Money("10", "EUR"), "USD", on="2021-12-31", rates=ecb)
        assert row.converted == Money(served.amount, "USD").rounded()
        with pytest.raises(citycoop.MissingRateError, match="2022-01-01"):
            budget_totals([case], currency="USD", rates=ecb, policy=RatePolicy.exact_day())

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
