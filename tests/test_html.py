"""The notebook table (`_html`): escaped cells and a count of rows left out."""

from __future__ import annotations

from html.parser import HTMLParser

from citycoop._html import html_table


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
