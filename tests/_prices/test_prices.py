"""Price indices (`_prices`, `_price_files`) and constant prices (`_deflate`)."""

from __future__ import annotations

import decimal
import io
import pickle
import zipfile
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from _shared import ROOT
from citycoop import (
    City,
    DataFileError,
    Economy,
    IndexValue,
    MissingPriceError,
    Money,
    Period,
    PolicyExport,
    PriceIndex,
    Rate,
    RateTable,
    ValidationError,
    deflate,
    rollup,
)

GDP = "API_NY.GDP.DEFL.ZS_DS2_en_csv_v2_10405103.csv"
CPI = "API_FP.CPI.TOTL_DS2_en_csv_v2_129887.csv"


class TestRealFiles:
    """Values as the files print them (spot values computed by hand from the files)."""

    def test_gdp_deflator(self, gdp_deflator):
        assert gdp_deflator.indicator == "NY.GDP.DEFL.ZS"
        assert gdp_deflator.source == "World Bank WDI (updated 2019-01-30)"
        assert gdp_deflator.base_year is None  # the base year varies by country
        assert gdp_deflator.published("KOR", 2015) == Decimal("106.635967848939")
        assert gdp_deflator.published("KOR", 2017) == Decimal("111.208465732512")
        assert gdp_deflator.published("UKR", 2017) == Decimal("295.288034821758")
        assert gdp_deflator.economy("KOR") == Economy("KOR", "Korea, Rep.", "KRW")
        assert gdp_deflator.economy("KR") == gdp_deflator.economy("KOR")
        assert "ARB: a World Bank aggregate, not a territory" in gdp_deflator.omitted
        assert gdp_deflator.years("EMU") == ()  # listed, with no value in any year

    def test_consumer_prices(self, cpi):
        assert cpi.indicator == "FP.CPI.TOTL"
        assert cpi.base_year == 2010  # "(2010 = 100)", and every 2010 value is 100
        assert cpi.value("KOR", 2021) == Decimal("118.669872413341")
        assert cpi.value("PER", 2021) == Decimal("138.576404455789")
        assert cpi.value("UKR", 2022) == Decimal("380.31822898651")
        assert cpi.years("UKR")[0] == 1992

    def test_dac_deflators(self, dac):
        assert dac.base_year == 2020
        assert dac.economy("KOR") == Economy("KOR", "Korea", "USD")
        assert dac.economy("DAC").name == "TOTAL DAC"
        assert dac.published("KOR", 2021) == Decimal("105.133237")
        assert dac.published("USA", 2015) == Decimal("92.118761")
        assert dac.published("DAC", 2021) == Decimal("105.81677400000001")
        assert dac.published("KOR", 1980) == Decimal("41.93143")
        # pandas wrote Korea's missing early years as 0.0: missing, never zero.
        with pytest.raises(MissingPriceError, match="nearest years with values are 1980 and"):
            dac.published("KOR", 1984)
        assert "KOR: 22 years written as 0 (no value)" in dac.omitted
        assert any("a note, not a donor" in note for note in dac.omitted)

    def test_without_preamble_or_bom_and_zipped(self, price_files):
        text = (price_files / CPI).read_text(encoding="utf-8-sig")
        bare = text[text.index('"Country Name"') :]
        full = PriceIndex.from_file(price_files / CPI)
        plain = PriceIndex.from_file(io.StringIO(bare))
        assert plain.values == full.values
        assert plain.source == "World Bank WDI"  # no preamble, no update date
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as handle:
            handle.writestr(CPI, text.encode("utf-8-sig"))
        assert PriceIndex.from_file(io.BytesIO(archive.getvalue())).values == full.values

    def test_an_exchange_rate_file_is_not_a_price_index(self, fx):
        with pytest.raises(DataFileError, match="exchange-rate series, not a price index"):
            PriceIndex.from_file(fx / "wdi_API_PA.NUS.FCRF_DS2_en_csv_v2_58.csv")

    def test_the_euro_needs_an_economy_named(self, cpi):
        with pytest.raises(MissingPriceError, match=r"several economies price EUR \(AUT, BEL"):
            cpi.economy_for("EUR")
        assert cpi.economy_for("USD").code == "USA"
        assert cpi.economy_for("KRW").code == "KOR"


HEADER = '"Country Name","Country Code","Indicator Name","Indicator Code","2020","2021",\n'


class TestBrokenFiles:
    @pytest.mark.parametrize(
        ("row", "message"),
        [
            (
                '"Korea","KOR","CPI (2010 = 100)","FP.CPI.TOTL","1_000","",',
                r"line 2, column '2020': '1_000' is not a number",
            ),
            (
                '"Korea","KOR","CPI (2010 = 100)","FP.CPI.TOTL","0","",',
                "is not a positive index value",
            ),
            (
                '"Korea","KOR","CPI (2010 = 100)","FP.CPI.TOTL","1",\n"Korea","KOR","x","FP.CPI.TOTL","",""',
                "'KOR' repeats line 2",
            ),
            (
                '"Korea","KOR","CPI","FP.CPI.TOTL","1","",\n"Peru","PER","GDP","NY.GDP.DEFL.ZS","",""',
                "differs from 'FP.CPI.TOTL' on line 2",
            ),
            ('"Korea","KOR"', "has 2 cells"),
        ],
    )
    def test_named_by_line_and_column(self, row, message):
        with pytest.raises(DataFileError, match=message):
            PriceIndex.from_file(io.StringIO(HEADER + row + "\n"), format="world_bank")

    def test_unknown_format_and_unknown_file(self):
        with pytest.raises(DataFileError, match="not a price-index format"):
            PriceIndex.from_file(io.StringIO(HEADER), format="imf")
        with pytest.raises(DataFileError, match="is not a known price-index file"):
            PriceIndex.from_file(io.StringIO("a,b\n1,2\n"))

    def test_an_unknown_donor_is_listed_not_dropped_silently(self):
        table = ",2019,2020\nAtlantis,90,100\nKorea,95,100\n"
        index = PriceIndex.from_file(io.StringIO(table))
        assert [e.code for e in index.economies] == ["KOR"]
        assert index.omitted == ("line 2: 'Atlantis' is not a donor citycoop knows",)
        assert index.base_year == 2020


def _index(values: dict[tuple[str, int], str], base_year: int | None = None) -> PriceIndex:
    currencies = {"KOR": "KRW", "USA": "USD", "PER": "PEN"}
    return PriceIndex(
        [IndexValue(code, year, value) for (code, year), value in values.items()],
        economies=[Economy(code, code, currencies[code]) for code in {c for c, _ in values}],
        source="test",
        indicator="prices",
        base_year=base_year,
    )


class TestPriceIndex:
    def test_values_are_checked(self):
        with pytest.raises(ValidationError, match=r"IndexValue\.value: "):
            IndexValue("KOR", 2021, "0")
        with pytest.raises(ValidationError, match=r"IndexValue\.year: "):
            IndexValue("KOR", 21, "1")
        with pytest.raises(ValidationError, match="an economy listed in economies"):
            PriceIndex([IndexValue("KOR", 2021, 1)], economies=[], source="s", indicator="i")
        with pytest.raises(ValidationError, match="one value per economy and year"):
            _index({("KOR", 2021): "1"}).__class__(
                [IndexValue("KOR", 2021, 1), IndexValue("KOR", 2021, 2)],
                economies=[Economy("KOR", "Korea", "KRW")],
                source="s",
                indicator="i",
            )

    def test_missing_values_name_economy_year_and_nearest(self):
        index = _index({("KOR", 2015): "90", ("KOR", 2017): "95"})
        with pytest.raises(MissingPriceError) as caught:
            index.value("KOR", 2016)
        assert str(caught.value) == (
            "no test prices value for KOR in 2016: the nearest years with values are 2015 and 2017"
        )
        assert (caught.value.economy, caught.value.year) == ("KOR", 2016)
        assert pickle.loads(pickle.dumps(caught.value)).args == caught.value.args
        with pytest.raises(MissingPriceError, match="the latest year with a value is 2017"):
            index.value("KOR", 2030)
        with pytest.raises(MissingPriceError, match="the index has no such economy"):
            index.value("JPN", 2015)
        with pytest.raises(MissingPriceError, match="no economy of the index prices JPY"):
            index.economy_for("JPY")
        with pytest.raises(ValidationError, match=r"^PriceIndex\.economy\.code: "):
            index.value(["KOR"], 2015)  # type: ignore[arg-type]
        assert index.economy("KR").code == "KOR"

    def test_rebasing_sets_100_and_keeps_published_values(self):
        index = _index({("KOR", 2015): "90", ("KOR", 2021): "120"})
        rebased = index.rebased(2021)
        assert rebased.value("KOR", 2021) == 100
        assert rebased.value("KOR", 2015) == Decimal(75)
        assert rebased.published("KOR", 2015) == Decimal(90)
        with pytest.raises(MissingPriceError, match="in 2019"):
            index.rebased(2019).value("KOR", 2015)
        with pytest.raises(ValidationError, match=r"PriceIndex\.rebased\.year"):
            index.rebased("2021")  # type: ignore[arg-type]

    def test_an_index_is_an_immutable_value(self):
        one = _index({("KOR", 2015): "90"})
        two = _index({("KOR", 2015): "90.0"})
        assert one == two
        assert hash(one) == hash(two)
        assert "1 economies" in repr(one)


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
        index = _index(
            {("KOR", y): str(v) for y, v in {**levels, year: levels.get(year, 100)}.items()}
        )
        result = deflate(Money(amount, "KRW"), year=year, base_year=year, prices=index)
        assert result.amount == amount

    @given(_AMOUNTS, _YEARS, _YEARS, _LEVELS, _LEVELS)
    def test_there_and_back(self, amount, a, b, level_a, level_b):
        """A to B and back: exact to 50 digits unrounded; rounded, within the two roundings."""
        assume(a != b)
        index = _index({("KOR", a): str(level_a), ("KOR", b): str(level_b)})
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
        index = _index({("KOR", y): str(v) for y, v in levels.items()}, base_year=None)
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
        index = _index(
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
        index = _index(LEVELS)
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
            _cases(), currency="USD", rates=ANNUAL, prices=_index(LEVELS), base_year=2021
        )
        assert Period.year(2021) in {leg.rate.period for leg in result.legs}
        assert result.level(0).total.constant == result.total.constant

    def test_a_missing_index_value_raises_or_is_listed(self):
        index = _index({k: v for k, v in LEVELS.items() if k != ("PER", 2016)})
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
        index = _index(LEVELS)
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
                prices=_index(LEVELS),
                base_year=2021,
            )
            for items in (cases, shuffled)
        )
        assert first.rows == second.rows
        assert first.total == second.total


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
