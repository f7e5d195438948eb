"""Reconciliation (`_reconcile`): recorded against reported figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

import citycoop
from _shared import CITIES
from citycoop import (
    Money,
    PolicyExport,
    ReportedFigures,
    reconcile,
)


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

    def test_dates_not_years_decide(self):
        """A case valued after ``as_of`` in the same year is not yet part of the report."""
        reported = ReportedFigures("2021-11-24", cases=3)
        items = [
            PolicyExport("before", CITIES[0], "digital", value_date="2021-11-24"),
            PolicyExport("after", CITIES[0], "digital", value_date="2021-11-25"),
            PolicyExport("same year", CITIES[0], "digital", year=2021),
            PolicyExport("undated", CITIES[0], "digital"),
        ]
        assert reconcile(items, reported).cases == 3

    def test_seoul_headline(self):

        portfolio = citycoop.datasets.seoul()
        result = reconcile(portfolio, portfolio.latest_reported())
        assert result.reported.cases == 89
        assert result.cases == 12
        assert result.value is None  # no recorded case states a value


class TestMissingRates:
    """With missing="omit", what no rate serves is listed and the total is left unknown."""

    def test_omit_lists_and_never_sums_partially(self):
        import attrs

        from citycoop import MissingRateError, Money, reconcile

        portfolio = citycoop.datasets.seoul()
        cases = list(portfolio.exports)
        cases[0] = attrs.evolve(cases[0], value=Money("1e6", "USD"))
        cases[1] = attrs.evolve(cases[1], value=Money("2e9", "KRW"))
        latest = portfolio.latest_reported()
        with pytest.raises(MissingRateError, match="USD->KRW"):
            reconcile(cases, latest)
        result = reconcile(cases, latest, missing="omit")
        assert result.value is None
        assert result.value_coverage is None
        assert [(u.amount, str(u.on), u.reason) for u in result.unconverted] == [
            (Money("1e6", "USD"), "2021-11-24", "no USD->KRW rate")
        ]
        only_krw = reconcile(cases[1:], latest, missing="omit")
        assert only_krw.value == Money("2e9", "KRW")
        assert only_krw.unconverted == ()


class TestAtConstantPrices:
    """reconcile(..., prices=, base_year=) states both sides at the base year's prices."""

    def _index(self):
        from citycoop import Economy, IndexValue, PriceIndex

        return PriceIndex(
            [
                IndexValue("KOR", year, level)
                for year, level in ((2019, 95), (2020, 100), (2021, 110))
            ],
            economies=[Economy("KOR", "Korea", "KRW")],
            source="test",
            indicator="prices",
        )

    def _reported(self):
        from citycoop import Money, ReportedFigures

        return ReportedFigures("2021-11-24", cases=3, value=Money("1e9", "KRW"))

    def test_year_only_cases_and_the_headline(self):
        from citycoop import City, Money, PolicyExport, reconcile

        seoul_partner = City("Lima", "PE", "America/Lima")
        cases = [
            PolicyExport(
                "a", seoul_partner, "digital", value=Money(950, "KRW"), value_date="2019-03-01"
            ),
            PolicyExport("b", seoul_partner, "digital", value=Money(1000, "KRW"), year=2020),
        ]
        result = reconcile(cases, self._reported(), prices=self._index(), base_year=2021)
        # 950 x 110/95 + 1000 x 110/100, each from its own year.
        assert result.constant_value == Money(2200, "KRW")
        assert result.value == Money(1950, "KRW")  # current prices, unchanged
        assert result.reported_constant.rounded() == Money("1e9", "KRW")  # 2021 is the base
        assert {(v.year, v.value) for v in result.index_values} == {
            (2019, 95),
            (2020, 100),
            (2021, 110),
        }
        assert result.undeflated == ()

    def test_a_case_without_date_or_year_is_listed(self):
        from citycoop import City, Money, PolicyExport, reconcile

        case = PolicyExport(
            "a", City("Lima", "PE", "America/Lima"), "digital", value=Money(1, "KRW")
        )
        result = reconcile([case], self._reported(), prices=self._index(), base_year=2020)
        assert result.constant_value is None
        assert result.undeflated[0].reason == "no value date or year to deflate from"
        assert result.reported_constant.rounded() == Money(909090909, "KRW")  # 1e9 x 100/110

    def test_missing_values_raise_or_are_kept(self):
        from citycoop import MissingPriceError, reconcile

        with pytest.raises(MissingPriceError, match="KOR in 2030"):
            reconcile([], self._reported(), prices=self._index(), base_year=2030)
        result = reconcile(
            [], self._reported(), prices=self._index(), base_year=2030, missing="omit"
        )
        assert result.reported_constant is None
        assert result.reported_constant_missing.year == 2030
