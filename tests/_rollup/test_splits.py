"""Items split alike share one plan; each still gets its own exact allocation."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citycoop
from citycoop import strategies as cst
from citycoop._rollup import splits


def _by_split_value(cases: list[citycoop.PolicyExport]) -> dict[tuple[object, ...], object]:
    """Per (city, area): the parts count and the exact totals, as each case splits itself."""
    groups: dict[tuple[object, ...], tuple[int, dict[str, Decimal]]] = {}
    for case in cases:
        areas = case.focus_areas
        parts = dict(case.split_value())
        for area in areas:
            count, totals = groups.get((case.recipient, area), (0, {}))
            part = parts.get(area)
            if part is not None:
                totals = {
                    **totals,
                    part.currency: totals.get(part.currency, Decimal(0)) + part.amount,
                }
            groups[case.recipient, area] = (count + 1, totals)
    return {key: (count, tuple(sorted(totals.items()))) for key, (count, totals) in groups.items()}


def _rolled(cases: list[citycoop.PolicyExport]) -> dict[tuple[object, ...], object]:
    result = citycoop.rollup(cases, by=("city", "focus_area"))
    return {
        group.key: (group.count, tuple((m.currency, m.amount) for m in group.totals))
        for group in result
    }


class TestSplitPlans:
    @settings(max_examples=100)
    @given(st.lists(cst.policy_exports(), min_size=1, max_size=6), st.integers(2, 4))
    def test_cases_split_alike_are_allocated_as_each_splits_its_value(self, cases, times):
        repeated = cases * times  # later cases split as earlier ones: their plan is reused
        assert _rolled(repeated) == _by_split_value(repeated)

    @given(st.lists(cst.policy_exports(), min_size=2, max_size=6))
    def test_a_rollup_past_its_bound_on_plans_gives_the_same(self, cases):
        expected = _rolled(cases * 2)
        with mock.patch.object(splits, "PLANS_LIMIT", 1):
            assert _rolled(cases * 2) == expected

    def test_weights_that_allocation_refuses_are_refused_as_before(self):
        lima = citycoop.City("Lima", "PE", "America/Lima")

        def nothing(_item: object) -> citycoop.Split:
            return citycoop.Split((("a", Decimal(0)), ("b", Decimal(0))))

        case = citycoop.PolicyExport("Bus", lima, "digital", value=citycoop.Money(10, "USD"))
        with pytest.raises(citycoop.ValidationError) as by_money:
            citycoop.Money(10, "USD").allocate([Decimal(0), Decimal(0)])
        with pytest.raises(citycoop.ValidationError) as by_rollup:
            citycoop.rollup([case, case], by=(nothing,))
        assert str(by_rollup.value) == str(by_money.value)

    def test_a_split_is_planned_once_for_every_case_split_alike(self):
        lima = citycoop.City("Lima", "PE", "America/Lima")
        cases = [
            citycoop.PolicyExport(
                "Bus",
                lima,
                {"public_transport": 60, "digital": 40},
                value=citycoop.Money(n, "USD"),
                year=2021,
            )
            for n in range(1, 6)
        ]
        with mock.patch.object(splits, "split_plan", wraps=splits.split_plan) as planned:
            result = citycoop.rollup(cases, by=("city", "focus_area"))
        assert planned.call_count == 1
        assert [row.totals for row in result] == [
            (citycoop.Money("6", "USD"),),
            (citycoop.Money("9", "USD"),),
        ]


class TestRatesListed:
    """A rollup lists each rate it used once, whatever the groups and buckets that used it."""

    @given(st.lists(cst.policy_exports(), min_size=1, max_size=8), st.booleans())
    def test_each_rate_once(self, cases, daily):
        rates = [
            citycoop.Rate("USD", code, "2", citycoop.Period.year(year), "annual")
            for code in ("KRW", "EUR", "PEN", "COP")
            for year in range(2000, 2031)
        ]
        if daily:  # beside the annual ones, for one currency
            rates += [
                citycoop.Rate("USD", "KRW", "3", citycoop.Period.day(case.value_date), "daily")
                for case in cases
                if case.value_date is not None
            ]
        table = citycoop.RateTable(list({(r.quote, r.period): r for r in rates}.values()))
        result = citycoop.rollup(
            cases, by=("city", "focus_area"), currency="USD", rates=table, missing="omit"
        )
        assert len(result.legs) == len(set(result.legs))
        again = citycoop.rollup(
            cases[::-1], by=("country",), currency="USD", rates=table, missing="omit"
        )
        assert set(again.legs) == set(result.legs)
