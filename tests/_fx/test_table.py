"""The rate table (`_rate_table`) on real published files."""

from __future__ import annotations

from decimal import Decimal

import pytest

from citycoop import (
    MissingRateError,
    Money,
    Period,
    Rate,
    RatePolicy,
    RateTable,
    ValidationError,
    convert,
)


class TestRealFiles:
    """The loaders reproduce the published spot values."""

    def test_world_bank(self, wdi):
        def value(quote, year):
            (leg,) = wdi.find("USD", quote, f"{year}-06-30", RatePolicy(("year",)))
            return leg.rate.value

        assert value("KRW", 2021) == Decimal("1143.95166666667")
        assert value("PEN", 2021) == Decimal("3.88055413137587")
        assert value("UAH", 2022) == Decimal("32.3423016")
        assert value("EUR", 2021) == Decimal("0.84549413889045")
        assert value("COP", 2021) == Decimal("3744.24416666667")
        assert value("MNT", 2021) == Decimal("2849.2886145414")
        assert any(note.startswith("BTN") for note in wdi.omitted)

    def test_ecb_cross_rate(self, ecb):
        result = convert(Money(1, "USD"), "KRW", on="2021-11-25", rates=ecb)
        assert result.path == ("USD", "EUR", "KRW")
        assert result.amount.quantize(Decimal("0.01")) == Decimal("1191.34")

    def test_fed(self, fx):
        annual = RateTable.from_fed_h10_csv(fx / "fed_h10_annual.csv")
        monthly = RateTable.from_fed_h10_csv(fx / "fed_h10_monthly.csv")
        assert annual.find("USD", "KRW", "2021-05-05")[0].rate.value == Decimal("1144.8911")
        assert annual.find("USD", "EUR", "2021-05-05")[0].rate.value == Decimal("0.8453")
        (leg,) = monthly.find("USD", "KRW", "2021-11-25")
        assert (leg.rate.value, leg.rate.period) == (Decimal("1184.0600"), Period.month(2021, 11))

    def test_weekend_needs_latest(self, ecb):
        with pytest.raises(MissingRateError):
            ecb.find("EUR", "KRW", "2021-11-27", RatePolicy.exact_day())
        (leg,) = ecb.find("EUR", "KRW", "2021-11-27", RatePolicy.latest(max_age_days=4))
        assert leg.rate.period == Period.day("2021-11-26")


class TestMissingRateMessages:
    """A missing rate says what is missing and what the table has nearby."""

    TABLE = RateTable(
        [Rate("EUR", "USD", "1.12", Period.day(f"2021-11-2{d}"), "ECB") for d in (4, 5, 6)]
        + [Rate("USD", "KRW", "1190", Period.year(2020), "WB")]
        + [Rate("USD", "PEN", "3.9", Period.month(2021, 10), "Fed")]
    )

    @pytest.mark.parametrize(
        ("source", "target", "on", "policy", "message"),
        [
            ("COP", "USD", "2021-11-25", None, "COP not in the table"),
            ("EUR", "CHF", "2021-11-25", None, "CHF not in the table"),
            (
                "EUR", "USD", "2021-11-28", RatePolicy.exact_day(),
                "EUR->USD: nearest daily rates 2021-11-26 before, none after",
            ),
            (
                "EUR", "KRW", "2021-11-25", None,
                "EUR->KRW: no rate for this pair; USD->KRW: nearest annual rates 2020 before, none after",
            ),
            ("USD", "PEN", "2021-06-15", None, "USD->PEN: nearest monthly rates none before, 2021-10 after"),
        ],
    )  # fmt: skip
    def test_names_the_missing_leg(self, source, target, on, policy, message):
        with pytest.raises(MissingRateError) as info:
            convert(
                Money(1, source), target, on=on, rates=self.TABLE,
                policy=policy or RatePolicy.narrowest(),
            )  # fmt: skip
        assert message in str(info.value)
        assert str(info.value).startswith(f"no {source}->{target} rate serves {on}")


class TestLongerPaths:
    """A conversion goes through as many legs as the table needs, choosing one way only."""

    DAY = Period.day("2021-11-25")
    TABLE = RateTable(
        [
            Rate("USD", "UAH", "27.2859", Period.year(2021), "World Bank"),
            Rate("EUR", "USD", "1.1223", DAY, "ECB"),
            Rate("EUR", "KRW", "1337.04", DAY, "ECB"),
        ]
    )

    def test_three_legs(self):
        import decimal

        result = convert(Money("1000000", "UAH"), "KRW", on="2021-11-25", rates=self.TABLE)
        assert result.path == ("UAH", "USD", "EUR", "KRW")
        with decimal.localcontext(prec=50):
            by_hand = Decimal(1000000) / Decimal("27.2859") / Decimal("1.1223") * Decimal("1337.04")
        assert result.rounded().amount == by_hand.quantize(Decimal(1))  # KRW has no minor unit

    def test_the_choice_does_not_depend_on_rate_order(self):
        rates = [
            *self.TABLE.rates,
            Rate("GBP", "UAH", "37.0", Period.year(2021), "other"),
            Rate("GBP", "KRW", "1590", Period.year(2021), "other"),
        ]
        forward = convert(Money(1, "UAH"), "KRW", on="2021-11-25", rates=RateTable(rates))
        backward = convert(Money(1, "UAH"), "KRW", on="2021-11-25", rates=RateTable(rates[::-1]))
        assert forward.path == backward.path == ("UAH", "GBP", "KRW")  # two legs beat three

    def test_no_path(self):
        lonely = RateTable([*self.TABLE.rates, Rate("CHF", "JPY", "120", self.DAY, "x")])
        with pytest.raises(MissingRateError, match="no UAH->JPY rate"):
            convert(Money(1, "UAH"), "JPY", on="2021-11-25", rates=lonely)


class TestOnly:
    """`RateTable.only` keeps the rates between the named currencies, nothing else."""

    def test_keeps_pairs_inside_the_set(self):
        day = Period.year(2023)
        wdi = RateTable(
            [
                Rate("USD", "UAH", "36.57", day, "WDI"),
                Rate("USD", "KRW", "1305.66", day, "WDI"),
                Rate("EUR", "UAH", "39.5", day, "other"),
            ],
            pivots=("USD",),
            omitted=("note",),
        )
        kept = wdi.only("usd", "UAH")
        assert [(r.base, r.quote) for r in kept.rates] == [("USD", "UAH")]
        assert kept.pivots == ("USD",)
        assert kept.omitted == ("note",)
        assert len(wdi.only()) == 0

    def test_routes_a_currency_through_the_chosen_source(self, ecb, wdi):
        table = ecb | wdi.only("USD", "UAH")
        conversion = convert(
            Money(1_250_000, "UAH"),
            "KRW",
            on="2023-01-02",
            rates=table,
            policy=RatePolicy.business_day(),
        )
        assert conversion.path == ("UAH", "USD", "EUR", "KRW")
        assert "World Bank" in conversion.legs[0].rate.source
        assert {leg.rate.source for leg in conversion.legs[1:]} == {ecb.rates[0].source}

    def test_unknown_codes_are_named(self):
        with pytest.raises(ValidationError, match=r"RateTable\.only\.currencies\[1\]"):
            RateTable([]).only("USD", "XX1")


class TestMemo:
    """A long-lived shared table remembers a bounded number of answers."""

    def test_the_memo_is_bounded_and_answers_stay_the_same(self, monkeypatch):
        from citycoop._fx import table as module

        monkeypatch.setattr(module, "MEMO_LIMIT", 8)
        rates = RateTable([Rate("USD", "KRW", "1143.95", Period.year(2021), "BOK")])
        days = [f"2021-01-{day:02d}" for day in range(1, 29)]
        first = [rates.find("USD", "KRW", day) for day in days]
        assert len(rates._memo) <= 8
        assert [rates.find("USD", "KRW", day) for day in days] == first


class TestRatesBuiltWhenServed:
    """A large file's table builds a Rate only for the rates it serves, and answers as a
    table of Rate objects does (a differential test on the ECB's whole history)."""

    def test_loading_builds_one_rate_per_column(self, fx):
        from citycoop import Rate

        table = RateTable.from_file(fx / "ecb_eurofxref-hist.csv")
        series = list(table._index.values())
        built = [rate for one in series for rate in one.days.values()]
        assert all(isinstance(rate, Rate) for rate in built)
        assert len(built) == len(series)  # each column's first rate: its code is checked
        assert len(table) == sum(len(one.day_dates) for one in series)

    def test_same_answers_as_a_table_of_rate_objects(self, fx, wdi):
        import random

        from citycoop import RatePolicy

        lazy = RateTable.from_file(fx / "ecb_eurofxref-hist.csv")
        eager = RateTable(RateTable.from_file(fx / "ecb_eurofxref-hist.csv").rates)
        assert lazy._lazy
        assert not eager._lazy
        hryvnia = wdi.only("USD", "UAH")
        pairs = [
            (lazy, eager),
            (lazy | hryvnia, eager | hryvnia),
            (lazy.only("USD", "KRW", "JPY"), eager.only("USD", "KRW", "JPY")),
        ]
        policies = [
            RatePolicy.business_day(),
            RatePolicy.narrowest(),
            RatePolicy.exact_day(),
            RatePolicy.planning(),
            RatePolicy.latest(7, allow_future=True),
        ]
        rng = random.Random(7)  # noqa: S311 - reproducible queries, not secrets
        codes = ["USD", "KRW", "JPY", "GBP", "UAH", "EUR", "ISK"]
        for mine, theirs in pairs:
            for _ in range(300):
                base, quote = rng.sample(codes, 2)
                day = f"{rng.randint(1998, 2027)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
                policy = rng.choice(policies)
                assert answer(mine, base, quote, day, policy) == answer(
                    theirs, base, quote, day, policy
                )
            assert mine.rates == theirs.rates
            assert mine == theirs
            assert hash(mine) == hash(theirs)
            assert len(mine) == len(theirs)


def answer(table, base, quote, day, policy):
    """What *table* says of a question: its legs, or its missing-rate message."""
    from citycoop import MissingRateError

    try:
        return table.find(base, quote, day, policy)
    except MissingRateError as error:
        return str(error)


def test_a_table_read_from_a_file_evolves_as_any_table():
    import io

    import attrs

    table = RateTable.from_file(
        io.StringIO("Date,USD,JPY,\n2021-01-04,1.2,130,\n2021-01-05,1.3,131,\n")
    )
    assert attrs.evolve(table) == table
    narrowed = attrs.evolve(table, pivots=("EUR",))
    assert narrowed.pivots == ("EUR",)
    assert narrowed.rates == table.rates
    with pytest.raises(ValidationError, match=r"RateTable\.rates\[0\]"):  # named by its argument
        RateTable([1])


def test_holds_names_exactly_the_tables_own_rates():
    import io

    from citycoop import Rate

    table = RateTable.from_file(
        io.StringIO("Date,USD,JPY,\n2021-01-05,1.3,131,\n2021-01-04,1.2,130,\n")
    )
    first = table.rates[-1]
    assert table.holds(first)
    assert not table.holds(Rate(first.base, first.quote, first.value, first.period, "elsewhere"))
    assert not table.holds(Rate(first.base, first.quote, "9.9", first.period, first.source))
    annual = Rate("USD", "UAH", "36.57", Period.year(2023), "WDI")
    monthly = Rate("USD", "UAH", "36.6", Period.month(2023, 5), "WDI")
    assert RateTable([annual, monthly]).holds(monthly)
    assert (table | RateTable([annual])).holds(annual)
    assert not table.holds(annual)
    assert not table.holds("a rate")  # type: ignore[arg-type]


class TestServedByYear:
    def test_a_pair_with_a_daily_or_monthly_rate_either_way_is_not(self):
        annual = Rate("USD", "KRW", "1144.42", Period.year(2021), "WB")
        daily = Rate("KRW", "USD", "0.00087", Period.day("2021-11-25"), "daily")
        monthly = Rate("USD", "KRW", "1180", Period.month(2021, 11), "monthly")
        assert RateTable([annual]).served_by_year("USD", "KRW")
        assert not RateTable([annual, daily]).served_by_year("USD", "KRW")
        assert not RateTable([annual, monthly]).served_by_year("KRW", "USD")
        assert not RateTable([annual]).served_by_year("USD", "EUR")
