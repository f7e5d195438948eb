from __future__ import annotations

import struct
import warnings

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
        assert figure.texts[0].get_text() == "cases without a year, not shown: 8"

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
        assert (width, height) == (800, 260)
        assert [t.get_text() for t in figure.axes[0].get_yticklabels()][-1].startswith("Seoul-Lima")

    def test_a_chart_shows_itself_in_jupyter(self):
        figure = plot.count_by_region_and_year(citycoop.datasets.seoul().exports)
        assert figure._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"

    def test_money_axes_read_as_compact_currency(self):
        lima = citycoop.City("Lima", "PE", "America/Lima")
        rates = RateTable([Rate("USD", "KRW", 1, Period.year(2021), "test")])
        cases = [
            PolicyExport(
                "a", lima, "digital", value=Money("804.8e9", "KRW"), value_date="2021-03-01"
            )
        ]
        for locale, expected in (("en", "₩800B"), ("ko", "₩8,000억")):
            with warnings.catch_warnings():  # this machine may lack a font with Hangul
                warnings.simplefilter("ignore", plot.MissingGlyphsWarning)
                figure = plot.value_by_region_and_year(
                    cases, currency="KRW", rates=rates, locale=locale
                )
            figure.canvas.draw()
            axis = figure.axes[0].yaxis
            labels = [label.get_text() for label in axis.get_ticklabels()]
            assert expected in labels
            assert axis.get_offset_text().get_text() == ""  # no "1e11" above the axis

    def test_timeline_labels_never_overlap(self):
        from citycoop import MOU

        seoul = citycoop.datasets.seoul()
        owner, partner = seoul.mous[0].parties[:2]
        long_title = "Memorandum of understanding on smart city cooperation " * 3
        mous = [
            *seoul.mous,
            *(
                MOU(
                    f"{long_title}{index}",
                    [owner, partner],
                    status="signed",
                    signed_at=f"{year}-06-01T00:00:00+00:00",
                    validity=Period(f"{year}-06-01", f"{year + 40}-05-31"),
                )
                for index, year in enumerate(range(1990, 2030, 4))
            ),
        ]
        figure = plot.mou_timeline(mous)
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        renderer = canvas.get_renderer()
        axes = figure.axes[0]
        for labels in (axes.get_yticklabels(), axes.get_xticklabels()):
            boxes = [label.get_window_extent(renderer) for label in labels if label.get_text()]
            assert len(boxes) > 1
            for index, box in enumerate(boxes):
                assert not any(box.overlaps(other) for other in boxes[index + 1 :])

    def test_no_pyplot_state(self):
        import sys

        plot.count_by_region_and_year(citycoop.datasets.seoul().exports)
        assert "matplotlib.pyplot" not in sys.modules


class TestLanguages:
    """Charts speak the reader's language, and say when a font would show empty boxes."""

    def charts(self, locale):
        seoul = citycoop.datasets.seoul()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", plot.MissingGlyphsWarning)
            return (
                plot.count_by_region_and_year(seoul.exports, locale=locale),
                plot.mou_timeline(seoul.mous, locale=locale),
            )

    def test_titles_axes_and_regions_in_korean_and_spanish(self):
        counts, timeline = self.charts("ko")
        axes = counts.axes[0]
        assert axes.get_title() == "지역·연도별 정책 수출 사례"
        assert (axes.get_xlabel(), axes.get_ylabel()) == ("연도", "사례")
        assert "아시아" in {t.get_text() for t in axes.get_legend().get_texts()}
        assert counts.texts[0].get_text().startswith("연도 미공개 사례")
        assert timeline.axes[0].get_title().startswith("업무협약(MOU)")
        spanish, _ = self.charts("es")
        assert spanish.axes[0].get_title() == "Casos de exportación por región y año"

    def test_a_chart_with_nothing_to_show_says_so(self):
        figure = plot.count_by_region_and_year([])
        axes = figure.axes[0]
        assert [t.get_text() for t in axes.texts] == ["no values to show"]
        assert list(axes.get_yticks()) == []

    def test_a_missing_font_is_a_warning_not_boxes(self, monkeypatch):
        from matplotlib import font_manager

        monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
        monkeypatch.setattr(plot, "_packaged_font", lambda: None)  # as without the extra's font
        with pytest.warns(plot.MissingGlyphsWarning, match="fonts-noto-cjk"):
            plot.count_by_region_and_year([], locale="ko")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            plot.count_by_region_and_year([], locale="es")  # Latin glyphs: no warning

    def test_an_installed_cjk_font_is_used(self, monkeypatch):
        from matplotlib import font_manager

        fake = font_manager.FontEntry(name="NanumGothic")
        monkeypatch.setattr(font_manager.fontManager, "ttflist", [fake])
        monkeypatch.setattr(plot, "_packaged_font", lambda: None)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            figure = plot.count_by_region_and_year([], locale="ko")
        assert figure.axes[0].title.get_fontfamily()[0] == "NanumGothic"


class TestRendering:
    """Every chart, in every language, renders with no missing glyph (the plot extra's font)."""

    @pytest.mark.parametrize("locale", ["en", "es", "ko"])
    def test_every_chart_renders_every_glyph(self, locale, tmp_path):
        pytest.importorskip("koreanize_matplotlib")
        seoul = citycoop.datasets.seoul()
        lima = citycoop.City("Lima", "PE", "America/Lima")
        rates = RateTable([Rate("USD", "KRW", 1100, Period.year(2021), "test")])
        cases = [
            PolicyExport(
                "a", lima, "digital", value=Money("804.8e9", "KRW"), value_date="2021-03-01"
            )
        ]
        charts = {
            "counts": plot.count_by_region_and_year(seoul.exports, locale=locale),
            "values": plot.value_by_region_and_year(
                cases, currency="KRW", rates=rates, locale=locale
            ),
            "timeline": plot.mou_timeline(seoul.mous, locale=locale),
            "empty": plot.count_by_region_and_year([], locale=locale),
        }
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # matplotlib warns of each glyph a font lacks
            for name, figure in charts.items():
                path = tmp_path / f"{name}.{locale}.png"
                figure.savefig(path)
                assert png_size(path)[0] == 800
        if locale == "ko":
            title = charts["counts"].axes[0].title
            assert title.get_fontfamily()[0] == "NanumGothic"
            figure = charts["values"]
            figure.canvas.draw()
            ticks = [label.get_text() for label in figure.axes[0].yaxis.get_ticklabels()]
            assert "₩8,000억" in ticks  # grouped, as Korean readers write it
