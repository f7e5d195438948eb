"""Reconciliation (`_reconcile`): recorded against reported figures."""

from __future__ import annotations

from decimal import Decimal

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
    ReportedFigures,
    reconcile,
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


class TestReconcile:
    """Reconciliation compares recorded cases with reported figures."""

    def test_coverage(self):
        items = [
            PolicyExport("a", CITIES[0], "digital", year=2020, value=Money(1100, "KRW")),
            PolicyExport("b", CITIES[1], "digital", year=2030),
        ]
        reported = ReportedFigures(
            "2021-11-24", cases=4, value=Money(2200, "KRW"), cities=2, countries=2
        )
        result = reconcile(items, reported)
        assert (result.cases, result.cities) == (1, 1)
        assert result.case_coverage == Decimal("0.25")
        assert result.value == Money(1100, "KRW")
        assert result.value_coverage == Decimal("0.5")
        assert result.differences()["cases"] == -3

    def test_seoul_headline(self):

        portfolio = citycoop.datasets.seoul()
        result = reconcile(portfolio, portfolio.latest_reported())
        assert result.reported.cases == 89
        assert result.cases == 12
        assert result.value is None  # no recorded case states a value
