"""The one HTML table that notebook views (``_repr_html_``) are written with."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


def html_table(
    head: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    more: int = 0,
    last: Sequence[object] | None = None,
) -> str:
    """A ``<table>``: one header row, the rows, "... N more" when cut, then *last* (a total).

    Every cell is escaped.

    >>> html_table(["a", "b"], [[1, "<x>"]], more=3)
    '<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>&lt;x&gt;</td></tr><tr><td colspan="2">... 3 more</td></tr></table>'
    """
    cells = ["".join(f"<th>{html.escape(str(h))}</th>" for h in head)]
    cells.extend("".join(f"<td>{html.escape(str(v))}</td>" for v in row) for row in rows)
    if more:
        cells.append(f'<td colspan="{len(head)}">... {more} more</td>')
    if last is not None:
        cells.append("".join(f"<td>{html.escape(str(v))}</td>" for v in last))
    return "<table>" + "".join(f"<tr>{row}</tr>" for row in cells) + "</table>"
