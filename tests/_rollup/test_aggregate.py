"""rollup() at constant prices: totals, provenance and refusals (`_rollup/aggregate.py`)."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import price_index
from citycoop import (
    City,
    MissingPriceError,
    Money,
    Period,
    PolicyExport,
    Rate,
    RateTable,
    ValidationError,
    deflate,
    rollup,
)

LIMA = City("Lima", "PE", "America/Lima")
SEOUL = City("Seoul", "KR", "Asia/Seoul")
ANNUAL = RateTable(
    [
        Rate("USD", code, value, Period.year(year), "WDI")
        for code, values in (
            ("KRW", ("1131.16", "1160.5", "1143.95")),
            ("PEN", ("3.19", "3.37", "3.88")),
        )
        for year, value in zip((2015, 2016, 2021), values, strict=True)
    ]
)
LEVELS = {
    ("KOR", 2015): "100",
    ("KOR", 2016): "101.5",
    ("KOR", 2021): "107.2",
    ("PER", 2015): "100",
    ("PER", 2016): "103.6",
    ("PER", 2021): "115.9",
    ("USA", 2015): "100",
    ("USA", 2016): "101.3",
    ("USA", 2021): "115.6",
}


def _cases():
    return [
        PolicyExport("Cards", SEOUL, "digital", value=Money("5e8", "KRW"), value_date="2015-03-02"),
        PolicyExport(
            "Signals", LIMA, "digital", value=Money("2e6", "PEN"), value_date="2016-05-10"
        ),
        PolicyExport(
            "CCTV", LIMA, "citizen_safety", value=Money("1e6", "PEN"), value_date="2016-09-01"
        ),
        PolicyExport("Study", LIMA, "digital", value_date="2016-01-04"),
    ]


class TestRollupAtConstantPrices:
    @pytest.mark.parametrize("method", ["deflate_then_convert", "convert_then_deflate"])
    def test_totals_are_the_sum_of_each_deflation(self, method):
        index = price_index(LEVELS)
        result = rollup(
            _cases(),
            by="country",
            currency="USD",
            rates=ANNUAL,
            prices=index,
            base_year=2021,
            method=method,
        )
        each = [
            deflate(
                case.value,
                year=case.value_date.year,
                base_year=2021,
                prices=index,
                currency="USD",
                rates=ANNUAL,
                method=method,
            )
            for case in _cases()
            if case.value is not None
        ]
        with decimal.localcontext(prec=60):
            expected = sum((d.amount for d in each), Decimal(0))
            assert abs(result.total.constant_exact - expected) < Decimal("1e-30")
        assert result.total.constant == Money(expected.quantize(Decimal("0.01")), "USD")
        assert result.total.constant_complete
        assert result.constant_prices.base_year == 2021
        used = {(v.economy, v.year) for v in result.index_values}
        own = {"deflate_then_convert": {"KOR", "PER"}, "convert_then_deflate": {"USA"}}[method]
        assert {economy for economy, _ in used} == own
        assert (own.pop(), 2021) in used
        peru = next(g for g in result if g.key[0].code == "PE")
        assert peru.count == 3  # the case without a value counts, and adds nothing
        assert peru.constant != peru.converted  # prices rose from 2016 to 2021

    def test_the_base_year_rate_is_listed_for_deflate_then_convert(self):
        result = rollup(
            _cases(), currency="USD", rates=ANNUAL, prices=price_index(LEVELS), base_year=2021
        )
        assert Period.year(2021) in {leg.rate.period for leg in result.legs}
        assert result.level(0).total.constant == result.total.constant

    def test_a_missing_index_value_raises_or_is_listed(self):
        index = price_index({k: v for k, v in LEVELS.items() if k != ("PER", 2016)})
        with pytest.raises(MissingPriceError, match="PER in 2016: the nearest years"):
            rollup(_cases(), currency="USD", rates=ANNUAL, prices=index, base_year=2021)
        result = rollup(
            _cases(),
            by="country",
            currency="USD",
            rates=ANNUAL,
            prices=index,
            base_year=2021,
            missing="omit",
        )
        assert not result.total.constant_complete
        assert result.total.complete  # the current-price total is whole
        assert {u.amount.currency for u in result.undeflated} == {"PEN"}
        assert "PER in 2016" in result.undeflated[0].reason
        peru = next(g for g in result if g.key[0].code == "PE")
        assert peru.constant is None  # nothing deflated: no total, never zero
        records = result.to_records()
        assert records[0]["constant_USD"] is not None
        assert records[0]["constant_complete"] is True
        assert "at 2021 prices" in result._repr_html_()

    def test_arguments_are_checked(self):
        index = price_index(LEVELS)
        with pytest.raises(ValidationError, match=r"rollup\.prices: .* currency=<code>"):
            rollup(_cases(), prices=index, base_year=2021)
        with pytest.raises(ValidationError, match=r"rollup\.prices: .* on='value_date'"):
            rollup(
                _cases(),
                currency="USD",
                rates=ANNUAL,
                on="2021-11-24",
                prices=index,
                base_year=2021,
            )
        with pytest.raises(ValidationError, match=r"rollup\.base_year"):
            rollup(_cases(), currency="USD", rates=ANNUAL, prices=index)
        with pytest.raises(ValidationError, match=r"rollup\.prices: "):
            rollup(_cases(), currency="USD", rates=ANNUAL, prices={"KOR": 1}, base_year=2021)  # type: ignore[arg-type]

    @given(st.lists(st.sampled_from(_cases()), max_size=12), st.randoms())
    def test_order_does_not_change_constant_totals(self, cases, rnd):
        shuffled = list(cases)
        rnd.shuffle(shuffled)
        first, second = (
            rollup(
                items,
                by="country",
                currency="USD",
                rates=ANNUAL,
                prices=price_index(LEVELS),
                base_year=2021,
            )
            for items in (cases, shuffled)
        )
        assert first.rows == second.rows
        assert first.total == second.total


class TestRatesOnlyWhenNeeded:
    """No amount in another currency, no rates needed: none are asked for."""

    def test_nothing_to_convert(self):
        lima = City("Lima", "PE", "America/Lima")
        unvalued = PolicyExport("p", lima, "digital")
        in_won = PolicyExport("q", lima, "digital", value=Money(5, "KRW"))  # no value date
        result = rollup([unvalued, in_won], by="country", currency="KRW")
        assert result.total.converted == Money(5, "KRW")
        assert result.total.count == 2
        assert result.legs == ()

    def test_an_amount_in_another_currency_names_the_missing_table(self):
        lima = City("Lima", "PE", "America/Lima")
        in_soles = PolicyExport(
            "p", lima, "digital", value=Money(5, "PEN"), value_date="2021-01-04"
        )
        with pytest.raises(ValidationError, match=r"^rollup\.rates: .*convert PEN into KRW"):
            rollup([in_soles], currency="KRW")
