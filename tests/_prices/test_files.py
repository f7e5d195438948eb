"""Price-index files: the World Bank and OECD DAC readers (`_prices/files.py`)."""

from __future__ import annotations

import io
import time
import zipfile
from decimal import Decimal

import pytest

from citycoop import (
    DataFileError,
    Economy,
    MissingPriceError,
    PriceIndex,
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

    @pytest.mark.parametrize(
        ("header", "message"),
        [
            (",2019,2020,2019", r"line 1, column '2019': repeats column 2"),
            (",2019,٢٠٢٠", "column '٢٠٢٠': is not a year column"),
            (",2019,Notes", "column 'Notes': is not a year column"),
            (",Unnamed: 1,", "the header has no year columns"),
        ],
    )
    def test_a_dac_header_names_each_year_once(self, header, message):
        with pytest.raises(DataFileError, match=message):
            PriceIndex.from_file(io.StringIO(header + "\nKorea,95,100,100\n"), format="dac")

    def test_a_wide_dac_header_over_short_rows_in_linear_time(self):
        header = "," + ",".join(str(1000 + year) for year in range(2000)) + "," * 80_000
        rows = "".join(f"Nowhere {line},{100 + line % 5}\n" for line in range(8000))
        began = time.process_time()
        index = PriceIndex.from_file(io.StringIO(header + "\n" + rows + "Korea,100\n"))
        assert len(index.omitted) == 8000
        assert index.base_year == 1000
        assert time.process_time() - began < 3  # was 20 s: every row walked every column

    def test_an_unknown_donor_is_listed_not_dropped_silently(self):
        table = ",2019,2020\nAtlantis,90,100\nKorea,95,100\n"
        index = PriceIndex.from_file(io.StringIO(table))
        assert [e.code for e in index.economies] == ["KOR"]
        assert index.omitted == ("line 2: 'Atlantis' is not a donor citycoop knows",)
        assert index.base_year == 2020
