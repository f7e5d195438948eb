"""Rollups of MOUs, training cohorts and budgets (`_records`), and measures (`_rollups`)."""

from __future__ import annotations

from decimal import Decimal

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import citycoop
from _shared import LIMA, MML, RATES, ROOT, SMG, lima_mou
from citycoop import (
    Budget,
    City,
    Cohort,
    Money,
    Organisation,
    Period,
    PolicyExport,
    Portfolio,
    TrainingTrack,
    ValidationError,
    budget_records,
    cohort_records,
    mou_records,
    rollup,
)
from citycoop import strategies as cst
from citycoop._core.units import hours

EXAMPLES = ROOT / "examples"
BOGOTA = City("Bogotá", "CO", "America/Bogota")
BOGOTA_GOV = Organisation("Bogotá city government", "city_government", city=BOGOTA)


def _track(*cohorts: Cohort, budgets: tuple[Budget, ...] = (), modality=None) -> TrainingTrack:
    return TrainingTrack(
        "Smart mobility", "public_transport", modality=modality, cohorts=cohorts, budgets=budgets
    )


def _cohort(year: int, participants: int, hours_each: object) -> Cohort:
    return Cohort(Period.year(year), participants=participants, hours=hours_each)


class TestMOURecords:
    def test_partner_city_is_the_recipient(self):
        portfolio = Portfolio(SMG, mous=[lima_mou()])
        (record,) = mou_records(portfolio)
        assert record.recipient == LIMA
        assert record.partners == (LIMA,)
        assert (record.year, record.status.value) == (2021, "signed")
        assert record.value is None
        assert record.value_date is None

    def test_several_partners_or_none_give_no_one_recipient(self):
        three = citycoop.MOU("Three", [SMG, MML, BOGOTA_GOV])
        alone = citycoop.MOU(
            "Within Korea", [SMG, Organisation("KOTRA", "national_agency", country="KR")]
        )
        records = mou_records(Portfolio(SMG, mous=[three, alone]))
        by_title = {str(r.mou.title): r for r in records}
        assert by_title["Three"].recipient is None
        assert by_title["Three"].partners == (LIMA, BOGOTA)
        assert by_title["Within Korea"].recipient is None
        assert by_title["Within Korea"].partners == ()
        result = rollup(records, by="country")
        assert [(g.key, g.count, g.cities, g.countries) for g in result] == [((None,), 2, 0, 0)]

    def test_counts_by_region_year_status_and_focus_area(self):
        seoul = citycoop.datasets.seoul()
        result = rollup(mou_records(seoul), by=("region", "year", "focus_area"))
        assert result.total.count == len(seoul.mous) == 2
        areas = {g.key[0].value: g.count for g in rollup(mou_records(seoul), by="focus_area")}
        assert areas["citizen_safety"] == 2  # both MOUs name it
        # An MOU with three areas counts once in its region and year, not three times.
        assert [g.count for g in result.level(2)] == [1, 1]
        assert [g.count for g in result.level(1)] == [2]

    def test_an_mou_without_focus_areas_is_counted_with_no_area(self):
        result = rollup(
            mou_records(Portfolio(SMG, mous=[lima_mou(focus_areas=())])), by="focus_area"
        )
        assert [(g.key, g.count) for g in result] == [((None,), 1)]

    def test_refuses_what_is_not_a_portfolio(self):
        with pytest.raises(ValidationError, match=r"^mou_records\.portfolio: "):
            mou_records([lima_mou()])  # type: ignore[arg-type]


class TestCohortRecords:
    def test_one_record_per_cohort_and_one_for_a_track_without(self):
        mou = lima_mou(training=[_track(_cohort(2022, 12, 30), _cohort(2023, 10, "2.5"))])
        portfolio = Portfolio(SMG, mous=[mou], training=[_track()])
        records = cohort_records(portfolio)
        assert [(r.year, r.participants, r.recipient, r.mou) for r in records] == [
            (2022, 12, LIMA, mou),
            (2023, 10, LIMA, mou),
            (None, None, None, None),
        ]
        assert records[1].person_hours == hours(25)

    def test_participants_and_person_hours_are_summed_exactly(self):
        tracks = [
            _track(_cohort(2022, 3, "0.1"), _cohort(2022, 7, "0.1"), modality="online"),
            _track(_cohort(2022, 20, 35), modality="in_person"),
            _track(),
        ]
        records = cohort_records(Portfolio(SMG, training=tracks))
        result = rollup(records, by=("modality",), measures=("participants", "person_hours"))
        rows = {g.key[0]: g for g in result}
        online = rows[citycoop.Modality.ONLINE]
        assert online.measure("participants") == 10
        assert online.measure("person_hours") == hours(1)  # 0.3 + 0.7, not 0.9999999999999999
        assert rows[None].measures[0].total is None
        assert rows[None].measures[0].unknown == 1
        total = result.total
        assert total.measure("participants") == 30
        assert total.measure("person_hours") == hours(701)
        assert [m.unknown for m in total.measures] == [1, 1]
        assert total.measure("person_hours").to("day").magnitude == pytest.approx(701 / 24)

    def test_person_hours_add_to_a_users_quantity(self):
        records = cohort_records(Portfolio(SMG, training=[_track(_cohort(2022, 12, 4))]))
        summed = rollup(records, measures="person_hours").total.measure("person_hours")
        ureg = pint.get_application_registry()
        assert 10 * ureg.hour + summed == ureg.Quantity(58, "hour")

    def test_the_kyiv_example_programme(self):
        kyiv = citycoop.datasets.load_toml(EXAMPLES / "kyiv_programme.toml")
        result = rollup(cohort_records(kyiv), by="year", measures=("participants", "person_hours"))
        (row,) = result.rows
        assert row.key == (2023,)
        assert row.count == 3
        assert row.measure("participants") == 12 + 15 + 14
        assert row.measure("person_hours") == hours(
            Decimal(12 * 30 + 15 * 30) + 14 * Decimal("32.5")
        )


class TestBudgetRecords:
    def test_revised_else_original_per_holder_and_period(self):
        original = Budget(Period.year(2022), Money(100, "USD"))
        revised = Budget(Period.year(2022), Money(120, "USD"), "revised")
        other_year = Budget(Period.year(2023), Money(50, "USD"))
        case = PolicyExport("Signals", LIMA, "public_transport", budgets=[original, revised])
        track = _track(budgets=(original, other_year))
        records = budget_records(Portfolio(SMG, exports=[case], mous=[lima_mou(training=[track])]))
        assert [(r.budget, r.holder, r.recipient) for r in records] == [
            (revised, case, LIMA),
            (original, track, LIMA),
            (other_year, track, LIMA),
        ]
        result = rollup(records, by=("year", "currency"))
        assert [(g.key, g.total("USD")) for g in result] == [
            ((2022, "USD"), Money(220, "USD")),
            ((2023, "USD"), Money(50, "USD")),
        ]

    def test_converted_at_each_value_date(self):
        budget = Budget(Period.year(2021), Money(1100, "KRW"), value_date="2021-06-30")
        case = PolicyExport("Signals", LIMA, "digital", budgets=[budget])
        result = rollup(budget_records(Portfolio(SMG, exports=[case])), currency="USD", rates=RATES)
        assert result.total.converted == Money("1.00", "USD")
        assert {leg.rate.period for leg in result.legs} == {Period.year(2021)}

    def test_a_case_budget_splits_over_the_case_focus(self):
        budget = Budget(Period.year(2021), Money("100.01", "USD"))
        case = PolicyExport("Signals", LIMA, {"digital": 60, "water_supply": 40}, budgets=[budget])
        result = rollup(budget_records(Portfolio(SMG, exports=[case])), by="focus_area")
        assert sum(g.total("USD").amount for g in result) == Decimal("100.01")
        assert result.total.count == 1

    def test_two_budgets_of_one_kind_for_a_period_are_refused(self):
        twice = [Budget(Period.year(2021), Money(1, "USD"))] * 2
        case = PolicyExport("Signals", LIMA, "digital", budgets=twice)
        with pytest.raises(ValidationError, match="one original budget per period"):
            budget_records(Portfolio(SMG, exports=[case]))


class TestMeasures:
    def _records(self):
        tracks = [_track(_cohort(2022, 3, 2)), _track(_cohort(2023, 4, 1))]
        return cohort_records(Portfolio(SMG, training=tracks))

    def test_records_html_text_and_levels_show_measures(self):
        result = rollup(self._records(), by="year", measures=("participants", "person_hours"))
        records = result.to_records()
        assert records[0]["participants"] == 3
        assert records[0]["person_hours"] == hours(6)
        assert records[0]["person_hours_unknown"] == 0
        assert "person_hours 6 hour" in repr(result)
        assert "<th>participants</th>" in result._repr_html_()
        assert result.level(0).rows[0].measure("participants") == 7

    def test_frames_give_int64_counts_and_exact_magnitudes(self):
        pytest.importorskip("pandas")
        from citycoop.io import frames

        records = [*self._records(), *cohort_records(Portfolio(SMG, training=[_track()]))]
        frame = frames.rollup_frame(
            rollup(records, by="year", measures=("participants", "person_hours"))
        )
        assert str(frame["participants"].dtype) == "Int64"
        assert str(frame["year"].dtype) == "Int64"
        assert frame["person_hours"].dtype == object
        assert frame["person_hours"].tolist()[:2] == [6, 4]

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(1.5, "a whole number, a Decimal"), (True, "a whole number, a Decimal"), ("3", "a whole")],
    )
    def test_values_that_are_not_exact_are_refused(self, value, expected):
        class Item:
            recipient = LIMA
            value_date = None
            year = 2021

        item = Item()
        item.value = None  # type: ignore[attr-defined]
        item.size = value  # type: ignore[attr-defined]
        with pytest.raises(ValidationError, match=rf"^rollup\.items\[0\]\.size: .*{expected}"):
            rollup([item], by="year", measures="size")

    def test_units_and_plain_numbers_do_not_mix(self):
        records = self._records()
        ureg = pint.get_application_registry()

        class Item:
            recipient = LIMA
            value = None
            value_date = None
            year = 2022
            person_hours = ureg.Quantity(2, "day")

        with pytest.raises(ValidationError, match=r"a quantity in hour, as the measure"):
            rollup([*records, Item()], by="year", measures="person_hours")

    def test_a_split_item_cannot_be_measured(self):
        mou = lima_mou()
        with pytest.raises(ValidationError, match=r"^rollup\.items\[0\]: .*one group per item"):
            rollup(mou_records(Portfolio(SMG, mous=[mou])), by="focus_area", measures="year")

    @pytest.mark.parametrize("measures", [["participants", "participants"], ["no such"], [3]])
    def test_bad_measure_names(self, measures):
        with pytest.raises(ValidationError, match=r"^rollup\.measures"):
            rollup(self._records(), measures=measures)

    def test_an_attribute_the_items_lack_is_named(self):
        with pytest.raises(ValidationError, match=r"measures \('nothing',\)"):
            rollup(self._records(), measures="nothing")


def _records_of(portfolio: Portfolio):
    return (
        ("mou", mou_records(portfolio), ("region", "year", "status", "focus_area"), ()),
        (
            "cohort",
            cohort_records(portfolio),
            ("focus_area", "modality", "year"),
            ("participants", "person_hours"),
        ),
        ("budget", budget_records(portfolio), ("year", "currency"), ()),
    )


def _sums(group):
    return (
        group.count,
        group.unvalued,
        group.totals,
        [(m.total, m.unknown) for m in group.measures],
    )


class TestRecordProperties:
    """Order does not matter, and rolling up A + B adds the rollups of A and of B."""

    @given(cst.portfolios(max_items=3), st.randoms())
    def test_order_independence(self, portfolio, rnd):
        for _, records, by, measures in _records_of(portfolio):
            shuffled = list(records)
            rnd.shuffle(shuffled)
            first = rollup(records, by=by, measures=measures)
            second = rollup(shuffled, by=by, measures=measures)
            assert first.rows == second.rows
            assert first.total == second.total

    @given(cst.portfolios(max_items=3), st.data())
    def test_a_plus_b_is_the_sum_of_rollups(self, portfolio, data):
        for _, records, by, measures in _records_of(portfolio):
            cut = data.draw(st.integers(0, len(records)))
            whole, left, right = (
                rollup(part, by=by[-1:], measures=measures)
                for part in (records, records[:cut], records[cut:])
            )
            for group in whole:
                parts = [g for r in (left, right) for g in r if g.key == group.key]
                assert group.count == sum(g.count for g in parts)
                assert group.unvalued == sum(g.unvalued for g in parts)
                for money in group.totals:
                    assert money.amount == sum(g.total(money.currency).amount for g in parts)
                for index, measure in enumerate(group.measures):
                    known = [g.measures[index].total for g in parts]
                    known = [k for k in known if k is not None]
                    assert measure.unknown == sum(g.measures[index].unknown for g in parts)
                    assert (measure.total is None) == (not known)
                    if known:
                        assert measure.total == sum(known[1:], known[0])
            assert whole.total.count == left.total.count + right.total.count


class TestRecordsHint:
    """Rolling up a record that holds no value names the function that makes one."""

    @pytest.mark.parametrize(
        ("items", "hint"),
        [
            (lambda p: p.mous, "(use citycoop.mou_records(portfolio))"),
            (lambda p: p.training, "citycoop.cohort_records(portfolio)"),
            (lambda p: [p], "portfolio.exports"),
            (lambda p: [b for t in p.training for b in t.budgets], "budget_records(portfolio)"),
        ],
    )
    def test_names_the_records_function(self, items, hint):
        portfolio = citycoop.datasets.seoul()
        with pytest.raises(citycoop.ValidationError, match=r"rollup\.items\[0\]") as caught:
            citycoop.rollup(items(portfolio), by="country")
        assert hint in str(caught.value)

    def test_no_hint_for_an_unknown_object(self):
        with pytest.raises(citycoop.ValidationError) as caught:
            citycoop.rollup([object()], by="country")
        assert "(use" not in str(caught.value)
