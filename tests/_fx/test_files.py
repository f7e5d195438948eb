"""Rate files: one table of readers, format detection, and every kind of source."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citycoop import DataFileError, RateTable
from citycoop._fx.files import READERS, RateFile, read_rates

ECB = "Date,USD,KRW,\n2021-11-26,1.1261,1343.71,\n2021-11-25,1.1223,1337.04,\n"
FED = "Date,Country,Exchange rate\n2021-01-01,South Korea,1144.88\n"
WDI = (
    '"Data Source","World Development Indicators",\n\n"Last Updated Date","2024-06-28",\n\n'
    '"Country Name","Country Code","Indicator Name","Indicator Code","2020","2021",\n'
    '"Korea, Rep.","KOR","Official exchange rate","PA.NUS.FCRF","1180.27","1143.95",\n'
)


class TestReaders:
    """Every reader is one row of one table and returns the same shape."""

    def test_one_row_per_format(self):
        assert sorted(READERS) == ["ecb", "fed_h10", "world_bank"]

    @pytest.mark.parametrize(("fmt", "text"), [("ecb", ECB), ("fed_h10", FED), ("world_bank", WDI)])
    def test_each_detects_its_own_format_only(self, fmt, text):
        from citycoop._core.files import csv_head as _head

        head = _head("x.csv", text)
        assert [name for name, reader in READERS.items() if reader.detect(head)] == [fmt]

    @pytest.mark.parametrize("text", [ECB, FED, WDI])
    def test_every_reader_returns_a_rate_file(self, text):
        loaded = read_rates(io.StringIO(text))
        assert isinstance(loaded, RateFile)
        assert loaded.rates
        assert isinstance(loaded.omitted, tuple)


class TestFromFile:
    """RateTable.from_file reads paths, file objects and zip archives, detecting the format."""

    def test_path_text_and_bytes_agree(self, tmp_path):
        path = tmp_path / "eurofxref-hist.csv"
        path.write_text(ECB, encoding="utf-8")
        from_path = RateTable.from_file(path)
        assert from_path == RateTable.from_file(str(path))
        assert from_path == RateTable.from_file(io.StringIO(ECB))
        assert from_path == RateTable.from_file(io.BytesIO(b"\xef\xbb\xbf" + ECB.encode()))
        with path.open("rb") as handle:
            assert from_path == RateTable.from_file(handle)
        assert len(from_path) == 4

    def test_the_ecbs_own_zip(self, tmp_path):
        archive = tmp_path / "eurofxref-hist.zip"
        with zipfile.ZipFile(archive, "w") as handle:
            handle.writestr("eurofxref-hist.csv", ECB)
        assert RateTable.from_file(archive) == RateTable.from_file(io.StringIO(ECB))

    def test_a_zip_of_two_files_is_refused(self, tmp_path):
        archive = tmp_path / "two.zip"
        with zipfile.ZipFile(archive, "w") as handle:
            handle.writestr("a.csv", ECB)
            handle.writestr("b.csv", ECB)
        with pytest.raises(DataFileError, match=r"two\.zip: a zip archive must hold one CSV file"):
            RateTable.from_file(archive)

    def test_a_broken_zip_is_named(self):
        with pytest.raises(DataFileError, match="not a readable zip archive"):
            RateTable.from_file(io.BytesIO(b"PK\x03\x04 not really a zip"))

    def test_named_format_overrides_detection(self):
        with pytest.raises(DataFileError, match="header must be 'Date,Country,Exchange rate'"):
            RateTable.from_file(io.StringIO(ECB), "fed_h10")

    def test_unknown_format_name(self):
        with pytest.raises(
            DataFileError, match="'imf' is not a rate-file format; expected one of ecb"
        ):
            RateTable.from_file(io.StringIO(ECB), "imf")

    @pytest.mark.parametrize("text", ["", "a,b,c\n1,2,3\n", "\n\n"])
    def test_unrecognised_files_are_refused(self, text):
        with pytest.raises(DataFileError, match="is not a known rate file"):
            RateTable.from_file(io.StringIO(text))

    def test_binary_that_is_not_utf8(self):
        with pytest.raises(DataFileError, match="is not UTF-8 text"):
            RateTable.from_file(io.BytesIO(b"Date,USD\n\xff\xfe"))

    def test_omitted_rows_are_kept(self):
        table = RateTable.from_file(
            io.StringIO(WDI.replace("KOR", "WLD").replace("Korea, Rep.", "World"))
        )
        assert table.omitted == ("WLD: a World Bank aggregate, not a territory",)

    def test_named_class_methods_are_from_file(self, tmp_path):
        path = tmp_path / "h10.csv"
        path.write_text(FED, encoding="utf-8")
        assert RateTable.from_fed_h10_csv(path) == RateTable.from_file(path, "fed_h10")

    def test_real_files_detected(self, fx):
        assert RateTable.from_file(fx / "fed_h10_monthly.csv") == RateTable.from_fed_h10_csv(
            fx / "fed_h10_monthly.csv"
        )
        wdi = fx / "wdi_API_PA.NUS.FCRF_DS2_en_csv_v2_58.csv"
        assert RateTable.from_file(wdi) == RateTable.from_world_bank_csv(wdi)


class TestMalformedFiles:
    """A broken file raises an error naming file, line and column; nothing partial returns."""

    def test_ecb_bad_number(self, tmp_path):
        path = tmp_path / "ecb.csv"
        path.write_text("Date,USD,KRW,\n2021-11-26,1.1,1300,\n2021-11-25,1.12,abc,\n")
        with pytest.raises(
            DataFileError, match=r"ecb.csv, line 3, column 'KRW': 'abc' is not a number"
        ):
            RateTable.from_ecb_csv(path)

    def test_ecb_duplicate_date(self, tmp_path):
        path = tmp_path / "ecb.csv"
        path.write_text("Date,USD,\n2021-11-25,1.1,\n2021-11-25,1.2,\n")
        with pytest.raises(DataFileError, match="line 3.*repeats line 2"):
            RateTable.from_ecb_csv(path)

    def test_fed_missing_column(self, tmp_path):
        path = tmp_path / "fed.csv"
        path.write_text("Date,Country\n2021-01-01,Euro\n")
        with pytest.raises(DataFileError, match="header"):
            RateTable.from_fed_h10_csv(path)

    def test_fed_unknown_area(self, tmp_path):
        path = tmp_path / "fed.csv"
        path.write_text("Date,Country,Exchange rate\n2021-01-01,Atlantis,3\n")
        with pytest.raises(DataFileError, match="Atlantis"):
            RateTable.from_fed_h10_csv(path)

    def test_world_bank_preamble_and_bad_cell(self, tmp_path):
        path = tmp_path / "wdi.csv"
        header = '"Country Name","Country Code","Indicator Name","Indicator Code","2020","2021",\n'
        path.write_text(
            '"Data Source","World Development Indicators",\n\n'
            + header
            + '"Korea, Rep.","KOR","x","PA.NUS.FCRF","1180.3","1143.9",\n',
            encoding="utf-8-sig",
        )
        loaded = RateTable.from_world_bank_csv(path)
        assert len(loaded) == 2
        path.write_text(header + '"Korea, Rep.","KOR","x","PA.NUS.FCRF","1180.3","n/a",\n')
        with pytest.raises(DataFileError, match="line 2, column '2021'"):
            RateTable.from_world_bank_csv(path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(DataFileError, match="cannot be read"):
            RateTable.from_ecb_csv(tmp_path / "nope.csv")


JUNK = ["\ufeff", "²", "١", "1e999999999", "9" * 5000, "-1", "0", "NaN", ",", '"', "\x00", ""]
JUNK += ["2021-13-45", "99999", "1_000", " ", "\r", "1" * 100]


class TestHostileFiles:
    """Whatever a file holds, reading it raises DataFileError naming the place, or succeeds."""

    @pytest.mark.parametrize(
        ("fmt", "text", "match"),
        [
            ("ecb", "", "is empty"),
            ("fed_h10", "", "is empty"),
            ("world_bank", "", "no header line"),
            (None, "", "is not a known rate file"),
            (None, "\n\n\n", "is not a known rate file"),
            ("ecb", "Date,USD,\n2021-11-25,\ufeff1.1,\n", r"line 2, column 'USD'.*not a number"),
            ("ecb", "Date,USD,\n2021-11-25,1.1,\n\ufeff2021-11-24,1.2,\n", "line 3, column 'Date'"),
            ("ecb", "Date,USD,\n2021-11-25,١٫١,\n", "not a number"),
            ("ecb", "Date,USD,\n2021-11-25,1_000,\n", "not a number"),
            ("ecb", "Date,USD,\n2021-11-25,1e999999999,\n", "not a number"),
            ("ecb", "Date,USD,\n2021-11-25,9" + "9" * 200 + ",\n", "not a number"),
            ("ecb", "Date,USD,\n2021-11-25," + "9" * 10**6 + ",\n", "line 2: is not valid CSV"),
            ("world_bank", WDI.replace('"2021"', '"2²21"'), r"column '2²21': is not a year"),
            ("world_bank", WDI.replace('"2021"', '"99999"'), "is not a year column"),
            ("world_bank", WDI.replace('"2021"', '"2020"'), "repeats column 5"),
            ("ecb", "Date,USD,JPY,USD\n2021-11-25,1.1,130,1.2\n", r"line 1, column 'USD': repeats"),
        ],
    )
    def test_named_errors(self, fmt, text, match):
        with pytest.raises(DataFileError, match=match) as info:
            read_rates(io.StringIO(text), fmt)
        assert len(str(info.value)) < 3000

    def test_a_million_columns_in_linear_time(self):
        header = "Date," + ",".join(f"C{i}" for i in range(10**6)) + "\n"
        with pytest.raises(DataFileError, match="line 2"):
            read_rates(io.StringIO(header + "2021-11-25," + ",".join(["x"] * 10**6) + "\n"), "ecb")

    def test_a_wide_header_over_short_rows_in_linear_time(self):
        # 80,000 empty columns over 8,000 short rows: each row visits only its own cells.
        start = dt.date(2000, 1, 1)
        rows = "".join(f"{start + dt.timedelta(days)},1.1\n" for days in range(8000))
        text = "Date,USD" + "," * 80_000 + "\n" + rows
        began = time.process_time()
        assert len(read_rates(io.StringIO(text), "ecb").rates) == 8000
        assert time.process_time() - began < 3  # was 13 s: every row walked every column

    @settings(max_examples=300)
    @given(
        st.sampled_from([("ecb", ECB), ("fed_h10", FED), ("world_bank", WDI)]),
        st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(JUNK)), min_size=1, max_size=3),
        st.booleans(),
    )
    def test_mutated_files(self, sample, edits, detect):
        fmt, text = sample
        for position, junk in edits:
            at = position % (len(text) + 1)
            text = text[:at] + junk + text[at:]
        refused = None
        try:
            read_rates(io.StringIO(text), None if detect else fmt)
        except DataFileError as error:
            refused = error
        assert refused is None or len(str(refused)) < 3000
