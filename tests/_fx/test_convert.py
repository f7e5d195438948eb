"""Conversion (`_convert`): one amount or a column of them, saying which rates."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import DAY, table
from citycoop import (
    ConversionBatch,
    MissingRateError,
    Money,
    Rate,
    RateTable,
    ValidationError,
    convert,
    convert_batch,
)
from citycoop import strategies as cst


class TestConvert:
    """Conversion is exact until rounded once, and carries its provenance."""

    def test_same_currency(self):
        result = convert(Money("5.00", "USD"), "USD", on="2021-11-25", rates=table())
        assert result.amount == Decimal("5.00")
        assert result.legs == ()

    def test_direct_pair_before_triangulation(self):
        # A direct monthly rate is preferred to a daily path through a pivot.
        result = convert(Money("804.8e9", "KRW"), "USD", on="2021-11-25", rates=table())
        assert result.rounded() == Money("679695285.71", "USD")
        assert "Fed" in result.describe()

    def test_rounded_once(self):
        ecb_only = RateTable([r for r in table().rates if r.source == "ECB"])
        result = convert(Money("804.8e9", "KRW"), "USD", on="2021-11-25", rates=ecb_only)
        assert result.path == ("KRW", "EUR", "USD")
        assert result.rounded() == Money("675542272.48", "USD")
        assert result.amount != result.rounded().amount

    def test_rejects_wrong_inputs(self):
        with pytest.raises(ValidationError):
            convert(1, "USD", on="2021-11-25", rates=table())  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            convert(Money(1, "USD"), "KRW", on=pendulum.datetime(2021, 1, 1), rates=table())

    @given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e12"), places=2))
    def test_round_trip_within_one_minor_unit(self, amount):
        money = Money(amount, "USD")
        there = convert(money, "PEN", on="2021-06-01", rates=table()).rounded()
        back = convert(there, "USD", on="2021-06-01", rates=table()).rounded()
        # one PEN cent is worth about a quarter of a US cent, so one cent either way bounds it
        assert abs(back.amount - money.amount) <= Decimal("0.01")

    def test_errors_name_the_argument(self):
        money = Money(1, "USD")
        with pytest.raises(ValidationError, match=r"^convert\.to: 'XYZ'"):
            convert(money, "XYZ", on="2021-11-25", rates=table())
        with pytest.raises(ValidationError, match=r"^convert\.on: '25/11/2021'"):
            convert(money, "KRW", on="25/11/2021", rates=table())
        with pytest.raises(ValidationError, match=r"^convert\.policy: 'latest'"):
            convert(money, "KRW", on="2021-11-25", rates=table(), policy="latest")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"^convert\.on: \['2021-11-25'\]"):
            convert(money, "KRW", on=["2021-11-25"], rates=table())

    def test_the_same_question_asked_differently(self):
        # Answers are remembered per question as asked; each spelling gets the same answer.
        rates = table()
        money = Money("804.8e9", "KRW")
        answers = {
            convert(money, to, on=on, rates=rates)
            for to in ("USD", "usd")
            for on in ("2021-11-25", pendulum.date(2021, 11, 25), dt.date(2021, 11, 25))
        }
        assert len(answers) == 1
        (answer,) = answers
        assert type(answer.on) is pendulum.Date
        assert answer.currency == "USD"

    def test_a_result_too_large_to_round_is_named(self):
        # Two extreme legs: 1e20 EUR -> 1e50 USD -> 1e80 KRW, beyond any rounding context.
        rates = RateTable(
            [Rate("USD", "KRW", "1e30", DAY, "x"), Rate("USD", "EUR", "1e-30", DAY, "x")]
        )
        result = convert(Money("1e20", "EUR"), "KRW", on=DAY.start, rates=rates)
        assert result.amount == Decimal("1e80")
        with pytest.raises(ValidationError, match=r"Money\.amount: .* below 10\*\*21"):
            result.rounded()

    def test_a_missing_rate_is_asked_again(self):
        rates = table()
        for _ in range(2):  # a failure is never remembered as an answer
            with pytest.raises(MissingRateError, match="PEN"):
                convert(Money(1, "PEN"), "KRW", on="2020-06-01", rates=rates)


class TestConvertBatch:
    """A batch converts each amount exactly as convert() would, looking rates up once."""

    def pairs(self) -> list[tuple[Money, object]]:
        return [
            (Money("804.8e9", "KRW"), "2021-11-25"),
            (Money("250000", "EUR"), dt.date(2021, 11, 25)),
            (Money("1000000", "PEN"), pendulum.date(2021, 6, 1)),
            (Money("5.00", "USD"), "2021-11-25"),
        ]

    def test_each_item_as_convert_gives_it(self):
        rates = table()
        batch = convert_batch(self.pairs(), "USD", rates=rates)
        singles = [convert(m, "USD", on=on, rates=rates) for m, on in self.pairs()]
        assert list(batch) == singles
        assert batch[-1] == singles[-1]
        assert batch.rounded() == tuple(c.rounded() for c in singles)
        assert batch.rounded_amounts() == tuple(c.rounded().amount for c in singles)
        assert len(batch) == 4
        assert batch.rates == tuple(dict.fromkeys(r for c in singles for r in c.rates))

    def test_total_is_rounded_once(self):
        pairs = [(Money("0.004", "USD"), "2021-11-25")] * 3  # 0.012: each rounds to 0.00
        batch = convert_batch(pairs, "USD", rates=table())
        assert batch.rounded_amounts() == (Decimal("0.00"),) * 3
        assert batch.total() == Money("0.01", "USD")
        assert convert_batch([], "usd", rates=table()).total() == Money(0, "USD")

    def test_lists_and_generators(self):
        rates = table()
        as_lists = convert_batch(([m, on] for m, on in self.pairs()), "USD", rates=rates)
        assert as_lists == convert_batch(self.pairs(), "USD", rates=rates)

    def test_records(self):
        records = convert_batch(self.pairs(), "USD", rates=table()).to_records()
        assert records[1] == {
            "amount": Decimal(250000),
            "currency": "EUR",
            "on": dt.date(2021, 11, 25),
            "converted_USD": Decimal("280575.00"),
            "exact_USD": Decimal("280575.0000"),
            "path": "EUR->USD",
            "rates": "1 EUR = 1.1223 USD (2021-11-25/2021-11-25, ECB)",
        }
        assert type(records[1]["on"]) is dt.date
        assert [r["path"] for r in records] == ["KRW->USD", "EUR->USD", "PEN->USD", "USD"]
        assert records[3]["rates"] == ""

    def test_slices_are_batches(self):
        batch = convert_batch(self.pairs(), "USD", rates=table())
        tail = batch[1:]
        assert isinstance(tail, ConversionBatch)
        assert list(tail) == list(batch)[1:]
        assert batch[::-1].sources == batch.sources[::-1]
        assert len(batch[10:]) == 0

    def test_html_for_notebooks(self):
        batch = convert_batch(self.pairs() * 10, "USD", rates=table())
        page = batch._repr_html_(rows=3)
        assert page.count("<tr>") == 1 + 3 + 1  # head, three rows, "... 37 more"
        assert "<td>KRW 804,800,000,000</td><td>2021-11-25</td><td>KRW-&gt;USD</td>" in page
        assert "37 more" in page
        assert "more" not in batch[:3]._repr_html_(rows=3)

    def test_repr(self):
        batch = convert_batch(self.pairs(), "USD", rates=table())
        assert repr(batch) == "<ConversionBatch: 4 amounts into USD, 3 rates used>"

    @pytest.mark.parametrize(
        ("item", "field"),
        [
            (Money(1, "USD"), r"convert_batch\.items\[1\]: Money"),
            ((1, "2021-11-25"), r"convert_batch\.items\[1\]\[0\]: 1"),
            ((Money(1, "USD"), "soon"), r"convert_batch\.items\[1\]\.on: 'soon'"),
            ((Money(1, "USD"), ["2021-11-25"]), r"convert_batch\.items\[1\]\.on: \["),
            ((Money(1, "USD"), "2021-11-25", "extra"), r"convert_batch\.items\[1\]: \("),
        ],
    )
    def test_bad_items_are_named(self, item, field):
        with pytest.raises(ValidationError, match=field):
            convert_batch([(Money(1, "EUR"), "2021-11-25"), item], "USD", rates=table())

    def test_bad_arguments(self):
        with pytest.raises(ValidationError, match=r"convert_batch\.items"):
            convert_batch(Money(1, "USD"), "USD", rates=table())  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"convert_batch\.to"):
            convert_batch([], "dollars", rates=table())
        with pytest.raises(ValidationError, match=r"convert_batch\.rates"):
            convert_batch([], "USD", rates={})  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"convert_batch\.policy"):
            convert_batch([], "USD", rates=table(), policy=None)  # type: ignore[arg-type]

    def test_missing_rate_raises(self):
        with pytest.raises(MissingRateError, match="PEN"):
            convert_batch([(Money(1, "PEN"), "2020-06-01")], "KRW", rates=table())

    def test_amounts_beyond_money_bounds_are_named(self):
        rates = RateTable([Rate("USD", "KRW", "1e6", DAY, "test")])
        batch = convert_batch(
            [(Money(1, "USD"), DAY.start), (Money("1e20", "USD"), DAY.start)], "KRW", rates=rates
        )
        assert batch.amounts[1] == Decimal("1e26")
        with pytest.raises(ValidationError, match=r"ConversionBatch\.amounts\[1\]: .*10\*\*21"):
            batch.rounded_amounts()
        with pytest.raises(ValidationError, match="10\\*\\*21"):
            batch.rounded()

    def test_constructor_checks_its_fields(self):
        batch = convert_batch(self.pairs(), "USD", rates=table())
        fields = attrs.asdict(batch, recurse=False)
        assert ConversionBatch(**fields) == batch
        with pytest.raises(ValidationError, match="one of each per converted amount"):
            ConversionBatch(**{**fields, "amounts": batch.amounts[:-1]})
        with pytest.raises(ValidationError, match=r"ConversionBatch\.legs\[0\]\[0\]: 'rate'"):
            ConversionBatch(**{**fields, "legs": (("rate",), *batch.legs[1:])})
        with pytest.raises(ValidationError, match=r"ConversionBatch\.on\[2\]"):
            ConversionBatch(**{**fields, "on": (*batch.on[:2], "June", batch.on[3])})
        with pytest.raises(ValidationError, match="ConversionBatch index"):
            batch[4]
        with pytest.raises(
            ValidationError, match="ConversionBatch index: '0' .* an int or a slice"
        ):
            batch["0"]  # type: ignore[call-overload]

    @given(data=st.data())
    def test_drawn_items_convert_as_convert_does(self, data):
        days = (dt.date(2021, 11, 25), dt.date(2021, 11, 26))
        codes = ("KRW", "PEN", "EUR", "JPY")
        rates = data.draw(cst.rate_tables(codes, days))
        pairs = data.draw(
            st.lists(st.tuples(cst.money(st.sampled_from([*codes, "USD"])), st.sampled_from(days)))
        )
        to = data.draw(st.sampled_from([*codes, "USD"]))
        batch = convert_batch(iter(pairs), to, rates=rates)  # any iterable, read once
        assert list(batch) == [convert(m, to, on=day, rates=rates) for m, day in pairs]

    @given(cst.conversion_batches(max_size=8))
    def test_drawn_batches_agree_with_convert(self, batch):
        for conversion, source, amount in zip(batch, batch.sources, batch.amounts, strict=True):
            assert conversion.source == source
            assert conversion.amount == amount
            assert conversion.path[0] == source.currency
            assert conversion.path[-1] == batch.currency
        with decimal.localcontext(prec=100):  # the sum of up to 8 50-digit amounts, exactly
            exact = sum(batch.amounts, Decimal(0))
        total = batch.total()
        assert total.currency == batch.currency
        half_a_minor_unit = Decimal(1).scaleb(-(total.minor_units or 0)) / 2
        assert abs(total.amount - exact) <= half_a_minor_unit
