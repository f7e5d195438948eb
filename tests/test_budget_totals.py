"""Budget totals (`_budget_totals`): per period, revised over original."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import strategies as st

import citycoop
from citycoop import (
    City,
    FocusArea,
    Money,
    Period,
    PolicyExport,
    Rate,
    RateTable,
    ValidationError,
)

CITIES = (
    City("Lima", "PE", "America/Lima"),
    City("Bogotá", "CO", "America/Bogota"),
    City("Kyiv", "UA", "Europe/Kyiv"),
    City("Auckland", "NZ", "Pacific/Auckland"),
)
RATES = RateTable(
    [
        Rate("USD", code, value, Period.year(year), "test")
        for year in (2020, 2021)
        for code, value in (("KRW", "1100"), ("PEN", "3.5"), ("EUR", "0.8"))
    ]
)

cases = st.builds(
    PolicyExport,
    st.just("policy"),
    st.sampled_from(CITIES),
    st.sampled_from(
        [FocusArea.DIGITAL, FocusArea.PUBLIC_TRANSPORT, {"digital": 60, "water_supply": 40}]
    ),
    value_date=st.dates(
        min_value=__import__("datetime").date(2020, 1, 1),
        max_value=__import__("datetime").date(2021, 12, 31),
    ),
    value=st.none()
    | st.builds(
        Money,
        st.decimals(min_value=0, max_value=Decimal("1e9"), places=2),
        st.sampled_from(["USD", "KRW", "PEN", "EUR"]),
    ),
)


def totals(result):
    return {(g.key, m.currency): m.amount for g in result for m in g.totals}


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
