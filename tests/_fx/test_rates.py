"""Rates and rate policies (`_rates`): which rate serves a date."""

from __future__ import annotations

import re
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import DAY, LIMA, table
from citycoop import (
    MissingRateError,
    Money,
    Period,
    PolicyExport,
    Rate,
    RatePolicy,
    RateTable,
    ValidationError,
    convert,
)
from citycoop import strategies as cst


class TestRate:
    """Rates are positive, between two currencies, over a day, month or year."""

    def test_valid(self):
        rate = Rate("eur", "krw", "1337.04", DAY, "ECB")
        assert (rate.base, rate.quote, rate.value) == ("EUR", "KRW", Decimal("1337.04"))

    @pytest.mark.parametrize("value", ["0", "-1", "NaN", 1.5, "x"])
    def test_bad_values(self, value):
        with pytest.raises(ValidationError, match="Rate.value"):
            Rate("EUR", "KRW", value, DAY, "ECB")

    def test_same_currency(self):
        with pytest.raises(ValidationError, match="Rate.quote"):
            Rate("EUR", "EUR", 1, DAY, "ECB")

    def test_period_must_be_calendar(self):
        with pytest.raises(ValidationError, match="Rate.period"):
            Rate("EUR", "KRW", 1, Period("2021-01-05", "2021-02-04"), "x")

    def test_duplicates_rejected(self):
        with pytest.raises(ValidationError, match="one EUR->KRW rate per period"):
            RateTable([Rate("EUR", "KRW", 1, DAY, "a"), Rate("EUR", "KRW", 2, DAY, "b")])


class TestPolicy:
    """The policy picks the rate that serves a date, and says so."""

    def test_narrowest_prefers_month_over_year(self):
        legs = table().find("USD", "KRW", "2021-11-10")
        assert [leg.rate.source for leg in legs] == ["Fed"]
        legs = table().find("USD", "KRW", "2021-03-10")
        assert [leg.rate.source for leg in legs] == ["WDI"]

    def test_year_only_policy(self):
        legs = table().find("USD", "KRW", "2021-11-10", RatePolicy(("year",)))
        assert legs[0].rate.value == Decimal("1143.95166666667")

    def test_inverse(self):
        (leg,) = table().find("PEN", "USD", "2021-06-01")
        assert leg.inverted

    def test_triangulation_path(self):
        result = convert(Money("804.8e9", "KRW"), "PEN", on="2021-11-25", rates=table())
        assert result.path == ("KRW", "USD", "PEN")

    def test_latest_within_age(self):
        policy = RatePolicy.latest(max_age_days=3, allow_future=True)
        legs = table().find("EUR", "USD", "2021-11-27", policy)
        assert legs[0].rate.period == DAY
        with pytest.raises(MissingRateError, match="EUR->USD"):
            table().find("EUR", "USD", "2021-11-29", policy)

    def test_after_the_last_rate_only_when_allowed(self):
        """The table's last EUR->USD rate is of 2021-11-25."""
        for policy in (RatePolicy.latest(max_age_days=3), RatePolicy.latest(3660)):
            with pytest.raises(MissingRateError):
                table().find("EUR", "USD", "2021-11-26", policy)
        allowed = RatePolicy.latest(max_age_days=3, allow_future=True)
        assert table().find("EUR", "USD", "2021-11-28", allowed)[0].rate.period == DAY
        with pytest.raises(MissingRateError):  # allowed, but older than max_age_days
            table().find("EUR", "USD", "2021-11-29", allowed)
        assert table().find("EUR", "USD", "2030-01-01", RatePolicy.latest(3660, allow_future=True))

    def test_missing_is_an_error_not_zero(self):
        with pytest.raises(MissingRateError, match="no KRW->JPY rate serves 2021-11-25"):
            convert(Money(1, "KRW"), "JPY", on="2021-11-25", rates=table())

    def test_repeated_look_ups_agree(self):
        rates = table()
        first = rates.find("USD", "KRW", "2021-11-10")
        assert rates.find("usd", "krw", pendulum.date(2021, 11, 10)) == first
        assert rates.find("USD", "KRW", "2021-11-10") is first

    def test_bad_policy(self):
        with pytest.raises(ValidationError):
            RatePolicy(("weekly",))

    @pytest.mark.parametrize(
        ("make", "field"),
        [
            (lambda: RatePolicy(("day", "latest")), "RatePolicy.max_age_days: 0"),
            (lambda: RatePolicy(("day", "year"), max_age_days=3), "RatePolicy.max_age_days: 3"),
            (lambda: RatePolicy(("day",), allow_future=True), "RatePolicy.allow_future: True"),
            (lambda: RatePolicy.chain("latest", "day", max_age_days=3), "RatePolicy.steps"),
            (lambda: RatePolicy.business_day(0), "RatePolicy.max_age_days: 0"),
        ],
    )
    def test_a_policy_that_would_ignore_part_of_itself_is_refused(self, make, field):
        with pytest.raises(ValidationError, match=re.escape(field)):
            make()

    def test_business_day_serves_a_weekend_from_friday(self):
        rates = RateTable(
            [
                Rate("EUR", "USD", "1.1291", Period.day("2021-11-26"), "ECB"),
                Rate("EUR", "USD", "1.1309", Period.day("2021-11-29"), "ECB"),
            ]
        )
        friday = rates.find("EUR", "USD", "2021-11-26")
        assert rates.find("EUR", "USD", "2021-11-27", RatePolicy.business_day()) == friday
        with pytest.raises(MissingRateError):
            rates.find("EUR", "USD", "2021-11-27", RatePolicy.narrowest())


class TestOneDefault:
    """One documented default policy everywhere: the business day's."""

    def test_every_function_defaults_to_business_day(self):
        import inspect

        import citycoop
        from citycoop import budget_totals, columnar, plot

        functions = {
            "convert": citycoop.convert,
            "convert_batch": citycoop.convert_batch,
            "RateTable.find": citycoop.RateTable.find,
            "rollup": citycoop.rollup,
            "columnar.rollup": columnar.rollup,
            "budget_totals": budget_totals,
            "deflate": citycoop.deflate,
            "reconcile": citycoop.reconcile,
            "timeline": citycoop.timeline,
            "report": citycoop.report,
            "plot.value_by_region_and_year": plot.value_by_region_and_year,
        }
        defaults = {
            name: inspect.signature(function).parameters["policy"].default
            for name, function in functions.items()
        }
        assert defaults == dict.fromkeys(functions, RatePolicy.business_day())

    def test_a_weekend_of_a_daily_file_is_served_by_default(self, ecb):
        from citycoop import Money, convert, rollup

        served = convert(Money(1, "USD"), "KRW", on="2013-03-31", rates=ecb)  # Easter Sunday
        assert {leg.rate.period.start.isoformat() for leg in served.legs} == {"2013-03-28"}
        case = PolicyExport(
            "Signals", LIMA, "digital", value=Money(1, "USD"), value_date="2013-03-31"
        )
        assert rollup([case], currency="KRW", rates=ecb).total.converted == served.rounded()

    def test_a_missing_rate_names_the_fix(self):
        rates = RateTable([Rate("EUR", "USD", "1.1206", DAY, "ECB")])
        with pytest.raises(MissingRateError) as narrow:
            rates.find("EUR", "USD", "2021-11-28", RatePolicy.narrowest())
        assert "Fix: RatePolicy.business_day()" in str(narrow.value)
        assert 'missing="omit"' in str(narrow.value)
        with pytest.raises(MissingRateError) as late:
            rates.find("EUR", "USD", "2022-11-28")
        assert "RatePolicy.business_day()" not in str(late.value)  # it already has the step
        assert str(late.value).endswith(
            'Fix: in a rollup, missing="omit" leaves the amount out and says so'
        )


class TestPlanning:
    """RatePolicy.planning(): a later date served by the latest annual rate, always marked."""

    ANNUAL = RateTable(
        [
            Rate("USD", "UAH", "40.15", Period.year(2024), "World Bank WDI"),
            Rate("USD", "UAH", "36.57", Period.year(2023), "World Bank WDI"),
            Rate("USD", "KRW", "1364.0", Period.year(2024), "World Bank WDI"),
            Rate("EUR", "USD", "1.1206", DAY, "ECB"),
        ],
        pivots=("USD",),
    )

    def test_a_later_date_is_served_by_the_latest_annual_rate_and_marked(self):
        converted = convert(
            Money("1e6", "UAH"),
            "KRW",
            on="2026-06-30",
            rates=self.ANNUAL,
            policy=RatePolicy.planning(),
        )
        assert [leg.rate.period for leg in converted.legs] == [Period.year(2024)] * 2
        assert all(leg.planning for leg in converted.legs)
        assert converted.assumptions == (
            "planning rate: USD->UAH 2024 annual average, World Bank WDI",
            "planning rate: USD->KRW 2024 annual average, World Bank WDI",
        )
        assert "planning rate for a later date" in str(converted.legs[0])
        assert converted.rounded() == Money("33972603", "KRW")  # 1e6 / 40.15 * 1364

    def test_a_covered_date_is_no_assumption(self):
        converted = convert(
            Money(1, "UAH"), "USD", on="2023-06-30", rates=self.ANNUAL, policy=RatePolicy.planning()
        )
        assert converted.legs[0].rate.period == Period.year(2023)
        assert converted.assumptions == ()
        assert not converted.legs[0].planning

    def test_without_the_policy_a_later_date_is_missing_and_the_fix_is_named(self):
        with pytest.raises(MissingRateError) as caught:
            convert(Money(1, "UAH"), "USD", on="2026-06-30", rates=self.ANNUAL)
        assert "RatePolicy.planning() serves a date after a pair's last rate" in str(caught.value)

    def test_daily_rates_alone_serve_no_later_date(self):
        with pytest.raises(MissingRateError) as caught:
            convert(
                Money(1, "EUR"),
                "USD",
                on="2026-06-30",
                rates=self.ANNUAL,
                policy=RatePolicy.planning(),
            )
        assert "RatePolicy.planning()" not in str(caught.value)  # it cannot help here

    def test_rollups_and_batches_say_what_they_assume(self):
        from citycoop import City, convert_batch, rollup

        kyiv = City("Kyiv", "UA", "Europe/Kyiv")
        case = PolicyExport(
            "Draft", kyiv, "digital", value=Money("1e6", "UAH"), value_date="2026-06-30"
        )
        planning = RatePolicy.planning()
        result = rollup([case], by="country", currency="KRW", rates=self.ANNUAL, policy=planning)
        assert result.total.converted == Money("33972603", "KRW")
        assert (
            result.assumptions[0] == "planning rate: USD->UAH 2024 annual average, World Bank WDI"
        )
        batch = convert_batch(
            [(Money(1, "UAH"), "2026-01-01"), (Money(1, "UAH"), "2023-01-01")],
            "USD",
            rates=self.ANNUAL,
            policy=planning,
        )
        assert batch.assumptions == ("planning rate: USD->UAH 2024 annual average, World Bank WDI",)
        assert [
            record["rates"].endswith("planning rate for a later date)")
            for record in batch.to_records()
        ] == [True, False]

    def test_planning_comes_last_and_marks_only_annual_rates(self):
        from citycoop import Leg

        with pytest.raises(ValidationError, match="'planning' last"):
            RatePolicy.chain("day", "planning", "year")
        with pytest.raises(ValidationError, match="Leg.planning"):
            Leg(Rate("EUR", "USD", "1.1206", DAY, "ECB"), planning=True)


class TestCheckedRate:
    """The readers' fast path builds exactly the Rate that Rate(...) builds, or its error."""

    @given(
        cst.rates()
        | st.builds(
            lambda base, quote, value, period, source: (base, quote, value, period, source),
            st.sampled_from(["EUR", "eur", "ZZZ", "KRW", ""]),
            st.sampled_from(["KRW", "USD", "EUR", " usd"]),
            st.decimals(allow_nan=True, allow_infinity=True) | st.sampled_from([Decimal("1e40")]),
            st.sampled_from(
                [Period.day("2021-11-25"), Period.year(2021), Period("2021-01-01", "2021-01-05")]
            ),
            st.sampled_from(["ECB", "", " "]),
        )
    )
    def test_same_as_the_constructor(self, given_rate):
        from citycoop._fx.rates import checked_rate

        parts = (
            (
                given_rate.base,
                given_rate.quote,
                given_rate.value,
                given_rate.period,
                given_rate.source,
            )
            if isinstance(given_rate, Rate)
            else given_rate
        )
        try:
            expected = Rate(*parts)
        except ValidationError as error:
            refused = str(error)
        else:
            refused = None
        if refused is not None:
            with pytest.raises(ValidationError) as caught:
                checked_rate(*parts)
            assert str(caught.value) == refused
            return
        built = checked_rate(*parts)
        assert built == expected
        assert hash(built) == hash(expected)
        assert repr(built) == repr(expected)
