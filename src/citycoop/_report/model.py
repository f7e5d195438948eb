"""The report as data: a title and sections of localized lines and tables.

A :class:`Report` is what :func:`~citycoop._report.build.build_report` states; it renders
itself through ``render`` (text, Markdown, HTML or JSON) and computes nothing.
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from citycoop._core.errors import ValidationError
from citycoop._report import render

__all__ = ["Report"]

FORMATS: Final = ("text", "markdown", "html", "json")


@attrs.frozen
class Table:
    """Rows of a section with one column each per heading; a row may link to its source."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: One URL (or ``None``) per row: where the record comes from.
    links: tuple[str | None, ...] = ()


@attrs.frozen
class Section:
    """One part of the report: a heading, an optional table, and lines.

    A line indented by two spaces details the line above it. *links* pairs a line's
    index with the URL of the record it states.
    """

    title: str
    lines: tuple[str, ...]
    table: Table | None = None
    links: tuple[tuple[int, str], ...] = ()


@attrs.frozen
class Report:
    """A localized report, ready to render: what :func:`citycoop.report` returns.

    Attributes:
        locale: The language and formats it is written in.
        title: Its title.
        sections: Its parts, in order: each a ``title``, its ``lines``, an optional
            ``table`` (``head`` and ``rows``) and the ``links`` to the records' sources.
        facts: The figures it states, as plain values (what the JSON format carries).

    .. versionadded:: 0.1.0
    """

    locale: str
    title: str
    sections: tuple[Section, ...]
    facts: dict[str, Any] = attrs.field(eq=False)

    def render(self, fmt: str = "text") -> str:
        """The report as ``text``, ``markdown``, ``html`` or ``json``."""
        renderer = render.RENDERERS.get(fmt)
        if renderer is None:
            raise ValidationError("format", fmt, "one of " + ", ".join(FORMATS))
        return renderer(self)
