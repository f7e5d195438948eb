"""The TOML dataset format (`citycoop.io.toml`)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from citycoop import DataFileError, ValidationError
from citycoop import strategies as cst
from citycoop.datasets import seoul
from citycoop.io.toml import dumps_toml, load_toml, loads_toml, write_toml


class TestHostileText:
    """What tomllib cannot parse is a DataFileError naming the file, never a bare error."""

    @pytest.mark.parametrize(
        "text",
        [
            "a = " + "[" * 100_000 + "]" * 100_000,
            "a = " + "{b = " * 100_000 + "1" + "}" * 100_000,
        ],
        ids=["arrays", "inline tables"],
    )
    def test_deep_nesting(self, text):
        with pytest.raises(DataFileError, match=r"^deep\.toml: .*(nested too deeply|not valid)"):
            loads_toml(text, name="deep.toml")

    def test_not_toml(self):
        with pytest.raises(DataFileError, match="is not valid TOML"):
            loads_toml("schema = ", name="broken.toml")


class TestWriter:
    """dumps_toml / write_toml: the reader's inverse, exact, atomic."""

    @settings(max_examples=60, deadline=None)
    @given(cst.portfolios())
    def test_any_portfolio_reads_back_equal(self, portfolio):
        text = dumps_toml(portfolio)
        assert loads_toml(text) == portfolio
        assert dumps_toml(loads_toml(text)) == text  # and writes the same text again

    def test_the_embedded_data_and_the_example_read_back_equal(self):
        from pathlib import Path

        from _shared import ROOT

        for portfolio in (seoul(), load_toml(Path(ROOT / "examples" / "kyiv_programme.toml"))):
            assert loads_toml(dumps_toml(portfolio)) == portfolio

    def test_what_the_format_added_for_it(self):
        from citycoop import MOU, City, Organisation, Period, Portfolio, Venue

        lima = City("Lima", "PE", "America/Lima")
        seoul_city = City("Seoul", "KR", "Asia/Seoul")
        smg = Organisation("Seoul Metropolitan Government", "city_government", city=seoul_city)
        mml = Organisation('Lima "MML"\n', "city_government", city=lima)
        mou = MOU(
            "Seoul-Lima",
            [smg, mml],
            signed_at="2021-11-25T08:30:00+09:00",
            status="signed",
            venue=Venue(online=True, city=lima),
            validity=Period("2021-11-25", "2024-11-24"),
        )
        portfolio = Portfolio(smg, mous=[mou])
        text = dumps_toml(portfolio)
        assert 'venue = { city = "lima", online = true }' in text
        assert 'valid_from = "2021-11-25"' in text
        assert 'name = "Lima \\"MML\\"\\n"' in text
        assert loads_toml(text) == portfolio

    def test_refuses_what_is_not_a_portfolio(self):
        with pytest.raises(ValidationError, match=r"dumps_toml\.portfolio"):
            dumps_toml([])

    def test_write_is_atomic(self, tmp_path, monkeypatch):
        from citycoop.io import _toml_writer

        path = tmp_path / "seoul.toml"
        write_toml(seoul(), path)
        assert load_toml(path) == seoul()
        before = path.read_bytes()

        def broken(_document):
            raise OSError("disk full")

        monkeypatch.setattr(_toml_writer, "toml_text", broken)
        monkeypatch.setattr("citycoop.io.toml.toml_text", broken)
        with pytest.raises(OSError, match="disk full"):
            write_toml(seoul(), path)
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["seoul.toml"]

    def test_a_bad_venue_is_refused_by_key_path(self):
        text = dumps_toml(seoul()).replace('venue = "online"', "venue = { city = 1 }", 1)
        with pytest.raises(DataFileError, match=r"mous\[0\]\.venue"):
            loads_toml(text)
