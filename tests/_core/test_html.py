"""The notebook table (`_html`): escaped cells and a count of rows left out."""

from __future__ import annotations

from html.parser import HTMLParser

from citycoop._core.html import html_table


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._open = False

    def handle_starttag(self, tag, _attrs):
        self._open = tag in ("td", "th")
        if self._open:
            self.cells.append("")

    def handle_endtag(self, _tag):
        self._open = False

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def test_cells_are_escaped_and_read_back():
    table = html_table(["name", "<b>"], [["Seoul & Lima", "<script>x</script>"]])
    assert "<script>" not in table
    parser = _Cells()
    parser.feed(table)
    assert parser.cells == ["name", "<b>", "Seoul & Lima", "<script>x</script>"]


def test_more_rows_are_counted():
    assert "3 more" in html_table(["a"], [[1]], more=3)
    assert "more" not in html_table(["a"], [[1]])


class TestNotebookViews:
    """Money, conversions and portfolios show a compact summary in Jupyter."""

    def test_money(self):
        import citycoop

        assert citycoop.Money("804.8e9", "KRW")._repr_html_() == "<span>KRW 804,800,000,000</span>"
        assert citycoop.Money("-1234.5", "USD")._repr_html_() == "<span>USD -1,234.5</span>"

    def test_conversion(self):
        import citycoop
        from citycoop import Money, Period, Rate, RateTable

        table = RateTable(
            [
                Rate("EUR", "USD", "1.1223", Period.day("2021-11-25"), "ECB"),
                Rate("EUR", "KRW", "1337.04", Period.day("2021-11-25"), "ECB"),
            ]
        )
        view = citycoop.convert(
            Money("804.8e9", "KRW"), "USD", on="2021-11-25", rates=table
        )._repr_html_()
        assert "<td>from</td><td>KRW 804,800,000,000</td>" in view
        assert "<td>to</td><td>USD 675,542,272.48 (exact 675,542,272.4824" in view
        assert "<td>path</td><td>KRW -&gt; EUR -&gt; USD</td>" in view
        assert view.count("<td>rate</td>") == 2

    def test_portfolio_is_a_summary(self):
        import citycoop

        portfolio = citycoop.datasets.seoul()
        view = portfolio._repr_html_()
        assert "<td>export cases</td><td>15 (0 with a value)</td>" in view
        assert "<td>reported 2021-11-24</td><td>89 cases, about KRW 804,800,000,000</td>" in view
        assert len(view) < 1000  # a summary, not the whole record

    def test_rollup_is_a_summary_with_names_and_grouped_digits(self):
        import citycoop
        from citycoop import City, Money, PolicyExport, rollup

        cities = [City(f"Town {n}", "NZ", "Pacific/Auckland") for n in range(60)]
        cases = [
            PolicyExport("Cards", city, "digital", value=Money("1234567.5", "NZD"), year=2007)
            for city in cities
        ]
        view = rollup(cases, by="city")._repr_html_()
        assert view.count("<tr>") == 1 + 50 + 1 + 1  # head, 50 groups, "... 10 more", total
        assert '<td colspan="6">... 10 more</td>' in view
        assert view.endswith(
            "<td>Total</td><td>60</td><td>0</td><td>60</td><td>1</td><td>NZD 74,074,050.0</td></tr></table>"
        )
        regions = rollup(citycoop.datasets.seoul().exports, by=("region", "country"))._repr_html_()
        assert "<td>009 Oceania</td><td>NZ New Zealand</td>" in regions
