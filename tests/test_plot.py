from __future__ import annotations

import struct

import pytest

import citycoop
from citycoop import Money, Period, PolicyExport, Rate, RateTable

pytest.importorskip("matplotlib")
from citycoop import plot


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


class TestCharts:
    """Charts render headless to PNG files of the expected size."""

    def test_counts(self, tmp_path):
        figure = plot.count_by_region_and_year(citycoop.datasets.seoul().exports)
        path = tmp_path / "counts.png"
        figure.savefig(path)
        assert png_size(path) == (800, 450)
        labels = {t.get_text() for t in figure.axes[0].get_legend().get_texts()}
        assert labels == {"Americas", "Asia", "Oceania"}
        assert figure.texts[0].get_text() == "8 case(s) without a year not shown"

    def test_values(self, tmp_path):
        lima = citycoop.City("Lima", "PE", "America/Lima")
        rates = RateTable([Rate("USD", "KRW", 1100, Period.year(2021), "test")])
        cases = [
            PolicyExport("a", lima, "digital", value=Money(1100, "KRW"), value_date="2021-03-01"),
            PolicyExport("b", lima, "digital", value_date="2021-04-01"),
        ]
        figure = plot.value_by_region_and_year(cases, currency="USD", rates=rates)
        bars = figure.axes[0].patches
        assert [bar.get_height() for bar in bars] == [1.0]
        path = tmp_path / "values.png"
        figure.savefig(path)
        assert path.stat().st_size > 1000

    def test_timeline(self, tmp_path):
        figure = plot.mou_timeline(citycoop.datasets.seoul().mous)
        path = tmp_path / "timeline.png"
        figure.savefig(path)
        width, height = png_size(path)
        assert (width, height) == (800, 220)
        assert [t.get_text() for t in figure.axes[0].get_yticklabels()][-1].startswith("Seoul-Lima")

    def test_no_pyplot_state(self):
        import sys

        plot.count_by_region_and_year(citycoop.datasets.seoul().exports)
        assert "matplotlib.pyplot" not in sys.modules
