"""Charts of a portfolio (extra ``plot``, matplotlib).

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot, so no
global plotting state is touched and nothing needs a display; save it with
``figure.savefig("chart.png")``. In Jupyter a chart shows itself as the last expression
of a cell, without ``%matplotlib inline`` (the figure has a ``_repr_png_``).

Each takes ``locale=``: titles, axis labels and region names (CLDR's) are then in its
language. Korean needs a font with Hangul, which matplotlib does not ship: the ``plot``
extra brings one (NanumGothic, SIL Open Font License, from the ``koreanize-matplotlib``
package, whose font file is added to matplotlib's font list at first use without
importing the package or changing matplotlib's settings); else the first installed of
:data:`CJK_FONTS` is used, and where there is none, a :class:`MissingGlyphsWarning`
says which to install instead of drawing empty boxes. A chart with nothing to show says
so.

>>> import citycoop
>>> from citycoop import plot
>>> figure = plot.count_by_region_and_year(citycoop.datasets.seoul().exports)
>>> figure.axes[0].get_title()
'Export cases by region and year'
>>> spanish = plot.count_by_region_and_year(citycoop.datasets.seoul().exports, locale="es")
>>> spanish.axes[0].get_title(), spanish.axes[0].get_xlabel()
('Casos de exportación por región y año', 'año')

.. versionadded:: 0.1.0
"""

# matplotlib's annotations leave many Axes methods partially unknown to pyright.
# pyright: reportUnknownMemberType=false

from __future__ import annotations

import functools
import warnings
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from citycoop._core.errors import ValidationError
from citycoop._core.extras import require
from citycoop._core.formatting import cldr_locale, compact_money_text
from citycoop._core.locale import best_language, check_locale, words_of
from citycoop._fx.rates import DEFAULT_POLICY, RatePolicy
from citycoop._fx.table import RateTable
from citycoop._rollup.aggregate import rollup

if TYPE_CHECKING:
    from collections.abc import Iterable

    from matplotlib.figure import Figure

    from citycoop._domain.agreements import MOU
    from citycoop._domain.exports import PolicyExport


require("plot", __name__)

__all__ = [
    "CJK_FONTS",
    "MissingGlyphsWarning",
    "count_by_region_and_year",
    "mou_timeline",
    "value_by_region_and_year",
]

#: Fonts with Korean, Japanese and Chinese glyphs, tried in order (matplotlib's own
#: DejaVu Sans has none, and draws empty boxes instead).
CJK_FONTS: Final = (
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Source Han Sans K",
    "NanumGothic",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "AppleGothic",
    "UnDotum",
)


class MissingGlyphsWarning(UserWarning):
    """A chart's text needs glyphs that no installed font has (it would show empty boxes).

    The message names a font to install, such as Noto Sans CJK (Debian and Ubuntu:
    ``apt install fonts-noto-cjk``).

    .. versionadded:: 0.1.0
    """


def _say(locale: str, key: str, **values: object) -> str:
    return words_of(locale).words[key].format(**values)


def _cjk_font(installed: Iterable[str]) -> str | None:
    """The first of :data:`CJK_FONTS` among *installed* font names, or ``None``."""
    names = set(installed)
    return next((font for font in CJK_FONTS if font in names), None)


@functools.cache
def _packaged_font() -> str | None:
    """Register the Hangul font the ``plot`` extra brings (NanumGothic); its name, or ``None``.

    The font file comes from the ``koreanize-matplotlib`` package, which is found but not
    imported (importing it would change matplotlib's global settings); only the font is
    added to matplotlib's font list, once.
    """
    import importlib.util
    from pathlib import Path

    from matplotlib import font_manager

    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "NanumGothic.ttf"
    if not path.is_file():
        return None
    font_manager.fontManager.addfont(str(path))
    return str(font_manager.FontProperties(fname=str(path)).get_name())


def _localized(figure: Figure, locale: str, *, depth: int = 4) -> Figure:
    """Give *figure*'s text a font with the locale's glyphs, or warn that none is installed."""
    if best_language(locale, ("ko", "ja", "zh")) is None:
        return figure
    from matplotlib import font_manager

    _packaged_font()
    font = _cjk_font(entry.name for entry in font_manager.fontManager.ttflist)
    if font is None:
        warnings.warn(
            f"no installed font has the glyphs of {locale!r}, so the chart's text would "
            "show as empty boxes: install Noto Sans CJK (apt install fonts-noto-cjk) or "
            f"another of {', '.join(CJK_FONTS)}",
            MissingGlyphsWarning,
            stacklevel=depth,  # the caller of the public chart function
        )
        return figure
    from matplotlib.text import Text

    family = [font, "DejaVu Sans"]
    for text in figure.findobj(Text):
        if isinstance(text, Text):
            text.set_fontfamily(family)
    for axes in figure.axes:
        axes.tick_params(labelfontfamily=font)
    return figure


def _figure(width: float = 8, height: float = 4.5) -> Figure:
    from matplotlib.figure import Figure

    class Chart(Figure):
        """A figure that Jupyter shows as a PNG image, whatever the matplotlib backend."""

        def _repr_png_(self) -> bytes:
            import io

            buffer = io.BytesIO()
            self.savefig(buffer, format="png")
            return buffer.getvalue()

    Chart.__module__ = __name__
    return Chart(figsize=(width, height), dpi=100, layout="constrained")


def _stacked(
    title: str,
    ylabel: str,
    table: dict[tuple[int, str], Decimal | int],
    *,
    left_out: int = 0,
    currency: str | None = None,
    locale: str = "en",
) -> Figure:
    figure = _figure()
    axes = figure.add_subplot()
    if not table:  # nothing to draw: say so, rather than an empty frame with odd ticks
        axes.set_title(title)
        axes.text(0.5, 0.5, _say(locale, "chart_empty"), ha="center", transform=axes.transAxes)
        axes.set_xticks([])
        axes.set_yticks([])
        return _localized(figure, locale)
    years = sorted({year for year, _ in table})
    regions = sorted({region for _, region in table})
    bottom = [0.0] * len(years)
    for region in regions:
        # Plot coordinates are floats; the exact figures stay in the rollup.
        heights = [float(table.get((year, region), 0)) for year in years]
        axes.bar([str(y) for y in years], heights, bottom=bottom, label=region)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_title(title)
    axes.set_xlabel(_say(locale, "chart_year"))
    axes.set_ylabel(ylabel)
    if regions:
        axes.legend(fontsize="small")
    if currency is not None:
        _money_axis(axes, currency, locale)
    elif all(isinstance(value, int) for value in table.values()):
        from matplotlib.ticker import MaxNLocator

        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    if left_out:
        figure.text(0.01, 0.01, _say(locale, "chart_left_out", n=left_out), fontsize="small")
    return _localized(figure, locale)


def _money_axis(axes: Any, currency: str, locale: str) -> None:
    """Tick labels in the locale's compact currency format (``₩800B``), never an offset."""
    from matplotlib.ticker import FuncFormatter

    def label(value: float, _position: object) -> str:
        return compact_money_text(float(value), currency, locale)

    axes.yaxis.set_major_formatter(FuncFormatter(label))


def _region_name(region: Any, locale: str) -> str:
    """A region's name: UN M49's English one, or CLDR's in another language where it has one."""
    if region is None:
        return _say(locale, "chart_unknown_region")
    if best_language(locale, ("en",)) is None:
        names: Any = cldr_locale(locale).territories
        localized: object = names.get(region.code)
        if localized:
            return str(localized)
    return str(region.name)


def count_by_region_and_year(cases: Iterable[PolicyExport], *, locale: str = "en") -> Figure:
    """Stacked bars: export cases per year, by UN M49 region (cases without a year left out).

    Titles, axes and region names are in *locale*'s language (``"ko"``, ``"es"``).
    """
    check_locale(locale)
    result = rollup(cases, by=("year", "region"))
    table: dict[tuple[int, str], Decimal | int] = {}
    left_out = 0
    for group in result:
        year, region = group.key
        if isinstance(year, int):
            table[year, _region_name(region, locale)] = group.count
        else:
            left_out += group.count
    return _stacked(
        _say(locale, "chart_cases"),
        _say(locale, "chart_count"),
        table,
        left_out=left_out,
        locale=locale,
    )


def value_by_region_and_year(
    cases: Iterable[PolicyExport],
    *,
    currency: str,
    rates: RateTable,
    policy: RatePolicy = DEFAULT_POLICY,
    locale: str = "en",
) -> Figure:
    """Stacked bars: case values per year and region, converted into *currency*.

    Cases without a value are not drawn (they are counted by the rollup, never drawn as
    zero); a missing rate raises :class:`~citycoop.MissingRateError`. The value axis
    reads in *locale*'s compact currency format (CLDR, through
    :func:`babel.numbers.format_compact_currency`: ``$1.2M``, ``US$120만``), with no
    ``1e8`` offset.
    """
    check_locale(locale)
    if not isinstance(rates, RateTable):
        raise ValidationError("rates", rates, "a RateTable")
    result = rollup(cases, by=("year", "region"), currency=currency, rates=rates, policy=policy)
    table: dict[tuple[int, str], Decimal | int] = {}
    for group in result:
        year, region = group.key
        if isinstance(year, int) and group.converted is not None:
            table[year, _region_name(region, locale)] = group.converted.amount
    target = result.currency or ""
    return _stacked(
        _say(locale, "chart_value", currency=target),
        target,
        table,
        currency=target,
        locale=locale,
    )


_EPOCH = 719163  # date(1970, 1, 1).toordinal(): matplotlib's day zero


def _day(value: Any) -> float:
    """A calendar date as matplotlib's day number."""
    return float(value.toordinal() - _EPOCH)


#: Characters per line of an MOU's title on the timeline.
_TITLE_WIDTH = 32


def mou_timeline(mous: Iterable[MOU], *, locale: str = "en") -> Figure:
    """A timeline: each MOU's signing (a dot), validity (a bar) and dated horizons (thin bars).

    The title is in *locale*'s language; MOU titles are as recorded.

    Long titles wrap, and each row is as tall as its title, so no two labels overlap;
    dates read in matplotlib's concise format, as many as fit.
    """
    import textwrap

    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    check_locale(locale)
    rows = list(mous)
    titles = [textwrap.fill(mou.title.in_(locale).text, _TITLE_WIDTH, max_lines=3) for mou in rows]
    lines = sum(title.count("\n") + 1 for title in titles)
    figure = _figure(8, 1.2 + 0.25 * max(lines, 1) + 0.2 * len(rows))
    axes = figure.add_subplot()
    for index, mou in enumerate(rows):
        if mou.validity is not None:
            start, end = _day(mou.validity.start), _day(mou.validity.end)
            axes.barh(index, end - start + 1, left=start, height=0.5, alpha=0.4)
        for offset, horizon in enumerate(h for h in mou.horizons if h.period is not None):
            assert horizon.period is not None
            start, end = _day(horizon.period.start), _day(horizon.period.end)
            axes.barh(index + 0.3 + 0.1 * offset, end - start + 1, left=start, height=0.08)
        if mou.signed_at is not None:
            axes.plot([_day(mou.signed_at.date())], [index], marker="o", color="black")
    axes.set_yticks(range(len(rows)), titles)
    axes.set_ylim(len(rows) - 0.5, -0.5)  # the first MOU on top, as in a table
    locator = AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.set_title(_say(locale, "chart_timeline"))
    return _localized(figure, locale, depth=3)
