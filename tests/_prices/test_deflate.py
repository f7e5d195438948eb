"""Constant prices: deflate by hand and by its laws, and the how-to's quoted figures (`_prices/deflate.py`)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from _shared import ROOT, price_index
from citycoop import (
    MissingPriceError,
    Money,
    Period,
    Rate,
    RateTable,
    ValidationError,
    deflate,
)

GDP = "API_NY.GDP.DEFL.ZS_DS2_en_csv_v2_10405103.csv"
CPI = "API_FP.CPI.TOTL_DS2_en_csv_v2_129887.csv"


RATES = RateTable(
    [
        Rate("USD", "KRW", "1131.16", Period.year(2015), "WDI"),
        Rate("USD", "KRW", "1143.95", Period.year(2021), "WDI"),
    ]
)


class TestDeflate:
    def test_own_currency_by_hand_from_the_cpi_file(self, cpi):
        result = deflate(Money("1e9", "KRW"), year=2015, base_year=2021, prices=cpi)
        expected = Decimal("1e9") * Decimal("118.669872413341") / Decimal("109.82747242569")
        assert abs(result.amount - expected) < Decimal("1e-15")
        assert result.rounded() == Money("1080511732", "KRW")  # by hand: 1,080,511,731.65
        assert [(v.economy, v.year, v.value) for v in result.index] == [
            ("KOR", 2015, Decimal("109.82747242569")),
            ("KOR", 2021, Decimal("118.669872413341")),
        ]
        assert result.legs == ()
        assert "FP.CPI.TOTL KOR 2015 = 109.82747242569" in result.describe()

    def test_dac_approach_for_a_donor_flow(self, dac):
        """Convert at the year's rate, then deflate with the donor's USD deflator."""
        result = deflate(
            Money("1e9", "KRW"),
            year=2015,
            base_year=2021,
            prices=dac,
            currency="USD",
            rates=RATES,
            method="convert_then_deflate",
            economy="KOR",
        )
        expected = (
            Decimal("1e9") / Decimal("1131.16") * Decimal("105.133237") / Decimal("99.120345")
        )
        assert abs(result.amount - expected) < Decimal("1e-20")
        assert result.rounded() == Money("937676.85", "USD")
        assert result.rates_on.year == 2015
        assert result.legs[0].rate.period == Period.year(2015)

    def test_pydeflate_formula(self, gdp_deflator):
        """pydeflate's current-to-constant deflator, as its documentation and source state it:
        deflator = price_def x exchange_def / (10,000 x exchange_rate), each index with
        base year = 100, and constant = current / deflator (jm-rivera.github.io/pydeflate).
        It is method 1: deflate with the source's own index, convert at the base year's rate.
        """
        value = Decimal("1e9")
        p_year, p_base = gdp_deflator.published("KOR", 2015), gdp_deflator.published("KOR", 2017)
        rates = RateTable(
            [
                Rate("USD", "KRW", "1131.16", Period.year(2015), "WDI"),
                Rate("USD", "KRW", "1130.42", Period.year(2017), "WDI"),
            ]
        )
        usd_per_krw = {2015: 1 / Decimal("1131.16"), 2017: 1 / Decimal("1130.42")}
        price_def = p_year / p_base * 100
        exchange_def = usd_per_krw[2015] / usd_per_krw[2017] * 100
        deflator = price_def * exchange_def / (10_000 * usd_per_krw[2015])
        pydeflate_style = value / deflator
        ours = deflate(
            Money(value, "KRW"),
            year=2015,
            base_year=2017,
            prices=gdp_deflator,
            currency="USD",
            rates=rates,
        )
        assert abs(ours.amount - pydeflate_style) < Decimal("1e-18")
        assert ours.method == "deflate_then_convert"

    def test_errors(self, cpi):
        money = Money(1, "KRW")
        with pytest.raises(MissingPriceError, match="no World Bank WDI .* value for KOR in 2025"):
            deflate(money, year=2025, base_year=2021, prices=cpi)
        with pytest.raises(ValidationError, match=r"deflate\.method"):
            deflate(money, year=2015, base_year=2021, prices=cpi, method="pydeflate")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"deflate\.rates"):
            deflate(money, year=2015, base_year=2021, prices=cpi, currency="USD")
        with pytest.raises(ValidationError, match=r"deflate\.economy: 'USA' .* prices KRW"):
            deflate(money, year=2015, base_year=2021, prices=cpi, economy="USA")
        with pytest.raises(ValidationError, match=r"deflate\.year"):
            deflate(money, year="2015", base_year=2021, prices=cpi)  # type: ignore[arg-type]


_YEARS = st.integers(2000, 2010)
_LEVELS = st.decimals(min_value=Decimal(10), max_value=Decimal(500), places=6)
_AMOUNTS = st.decimals(min_value=Decimal(0), max_value=Decimal("1e12"), places=2)


class TestProperties:
    @given(_AMOUNTS, _YEARS, st.dictionaries(_YEARS, _LEVELS, min_size=1))
    def test_the_base_year_is_the_identity(self, amount, year, levels):
        index = price_index(
            {("KOR", y): str(v) for y, v in {**levels, year: levels.get(year, 100)}.items()}
        )
        result = deflate(Money(amount, "KRW"), year=year, base_year=year, prices=index)
        assert result.amount == amount

    @given(_AMOUNTS, _YEARS, _YEARS, _LEVELS, _LEVELS)
    def test_there_and_back(self, amount, a, b, level_a, level_b):
        """A to B and back: exact to 50 digits unrounded; rounded, within the two roundings."""
        assume(a != b)
        index = price_index({("KOR", a): str(level_a), ("KOR", b): str(level_b)})
        there = deflate(Money(amount, "KRW"), year=a, base_year=b, prices=index)
        back = deflate(there.rounded(), year=b, base_year=a, prices=index)
        # Each rounding to the won moves a value by half a won at most; the first one is
        # carried back at the ratio of the two index values.
        half = Decimal("0.5")
        assert abs(back.rounded().amount - amount) <= half * level_a / level_b + half
        if level_a <= level_b:
            assert abs(back.rounded().amount - amount) <= 1  # within one minor unit
        unrounded = deflate(Money(amount, "KRW"), year=a, base_year=b, prices=index).amount
        exact_back = unrounded * level_a / level_b
        assert abs(exact_back - amount) <= Decimal("1e-30") * (1 + amount)

    @given(_AMOUNTS, _YEARS, _YEARS, _YEARS, st.dictionaries(_YEARS, _LEVELS, min_size=11))
    def test_rebasing_changes_no_result(self, amount, year, base, new_base, levels):
        index = price_index({("KOR", y): str(v) for y, v in levels.items()}, base_year=None)
        money = Money(amount, "KRW")
        first = deflate(money, year=year, base_year=base, prices=index)
        again = deflate(money, year=year, base_year=base, prices=index.rebased(new_base))
        assert first.amount == again.amount

    @given(
        _AMOUNTS,
        st.tuples(_LEVELS, _LEVELS, _LEVELS, _LEVELS),
        st.decimals(min_value=Decimal(100), max_value=Decimal(2000), places=4),
    )
    def test_the_methods_agree_when_rates_move_with_prices(self, amount, levels, rate_2015):
        own_y, own_b, usd_y, usd_b = levels
        # Relative purchasing power holds: the rate moves with the two price levels.
        rate_2021 = rate_2015 * (own_b / own_y) / (usd_b / usd_y)
        index = price_index(
            {("KOR", 2015): own_y, ("KOR", 2021): own_b, ("USA", 2015): usd_y, ("USA", 2021): usd_b}
        )
        rates = RateTable(
            [
                Rate("USD", "KRW", rate_2015, Period.year(2015), "t"),
                Rate("USD", "KRW", rate_2021, Period.year(2021), "t"),
            ]
        )
        one, two = (
            deflate(
                Money(amount, "KRW"),
                year=2015,
                base_year=2021,
                prices=index,
                currency="USD",
                rates=rates,
                method=method,
            )
            for method in ("deflate_then_convert", "convert_then_deflate")
        )
        assert abs(one.amount - two.amount) <= Decimal("1e-20") * (1 + one.amount)


class TestTheHowToQuotesTheFiles:
    """The figures docs/howto-constant-prices.md copies are the files' own."""

    def test_quoted_values(self, reference, cpi, wdi):
        import re

        lxml = pytest.importorskip("lxml.etree")
        page = (ROOT / "docs" / "howto-constant-prices.md").read_text(encoding="utf-8")
        blocks = re.findall(r"```python\n(.*?)```", page, re.DOTALL)
        quoted: dict[str, object] = {}
        exec(blocks[0].split("cpi = PriceIndex(")[0], quoted)  # noqa: S102 - the project's own page
        exec(blocks[3].split("rates = RateTable(")[0], quoted)  # noqa: S102
        for code, years in quoted["CPI"].items():
            for year, value in years.items():
                assert cpi.published(code, year) == Decimal(value)
        annual = {r.period.start.year: r.value for r in wdi.rates if r.quote == "KRW"}
        for year, value in quoted["won_per_dollar"].items():
            assert annual[year] == Decimal(value)
        tree = lxml.parse(str(reference / "data" / "iati-activities" / "usaid-ec.xml"))
        by_year: dict[int, Decimal] = {}
        for transaction in tree.iter("transaction"):
            if transaction.find("transaction-type").get("code") != "3":
                continue
            year = int(transaction.find("transaction-date").get("iso-date")[:4])
            by_year[year] = by_year.get(year, Decimal(0)) + Decimal(transaction.findtext("value"))
        for year, value in quoted["disbursed"].items():
            assert by_year[year] == Decimal(value)
