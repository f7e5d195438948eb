"""The report's four formats: each renders a :class:`~citycoop._report.model.Report` as is.

Every format escapes what user data may hold (HTML entities, Markdown markup); none
computes, converts or looks anything up.
"""

from __future__ import annotations

import html
import json
import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from citycoop._report.model import Report, Section, Table

#: The report's stylesheet: small, embedded, so the page travels as one file.
_STYLE: Final = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45}table{border-collapse:collapse;margin:.5rem 0}"
    "th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}"
)
#: Characters that mean something to Markdown, escaped wherever user data may hold them.
_MARKDOWN: Final = re.compile(r"([\\`*_{}\[\]<>|#!~])")
#: What may not stand inside a Markdown link destination in angle brackets.
_URL_BREAKERS: Final = re.compile(r"[<>\\\s\x00-\x1f\x7f]")


def text(report: Report) -> str:
    """The report as plain text: a title, then each section's table and lines."""
    parts = [_one_line(report.title), ""]
    for section in report.sections:
        parts.append(_one_line(section.title))
        if section.table is not None:
            parts.append("  " + " | ".join(_one_line(h) for h in section.table.head))
            parts += [
                "- " + " | ".join(_one_line(cell) for cell in row) for row in section.table.rows
            ]
        parts += [
            f"    {_one_line(line.strip())}" if _sub(line) else f"- {_one_line(line)}"
            for line in section.lines
        ]
        parts.append("")
    return "\n".join(parts)


def markdown(report: Report) -> str:
    """The report as Markdown, user data escaped, tables as pipe tables."""
    parts = [f"# {_md(report.title)}", ""]
    for section in report.sections:
        parts += [f"## {_md(section.title)}", ""]
        table = section.table
        if table is not None:
            parts.append("| " + " | ".join(_md(h) for h in table.head) + " |")
            parts.append("|" + "---|" * len(table.head))
            for row, url in zip(table.rows, _links(table), strict=True):
                cells = [_md(cell) for cell in row]
                if url is not None:
                    cells[0] = f"[{cells[0]}](<{_md_url(url)}>)"
                parts.append("| " + " | ".join(cells) + " |")
            parts.append("")
        links = dict(section.links)
        for index, line in enumerate(section.lines):
            text = _md(line.strip())
            if index in links:
                text = f"[{text}](<{_md_url(links[index])}>)"
            parts.append(f"  - {text}" if _sub(line) else f"- {text}")
        parts.append("")
    return "\n".join(parts)


def html_page(report: Report) -> str:
    """The report as one valid HTML5 page with its stylesheet."""
    escape = html.escape
    body = [f"<h1>{escape(report.title)}</h1>"]
    for section in report.sections:
        body.append(f"<section><h2>{escape(section.title)}</h2>")
        table = section.table
        if table is not None:
            head = "".join(f"<th>{escape(h)}</th>" for h in table.head)
            rows: list[str] = []
            for row, url in zip(table.rows, _links(table), strict=True):
                cells = [escape(cell) for cell in row]
                if url is not None:
                    cells[0] = f'<a href="{escape(url)}">{cells[0]}</a>'
                rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            body.append(
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            )
        body.append(_html_list(section))
        body.append("</section>")
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(report.locale)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(report.title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{''.join(body)}\n</body>\n</html>\n"
    )


def json_document(report: Report) -> str:
    """The report as the JSON document that ``report_schema()`` describes."""
    sections: list[dict[str, Any]] = []
    for section in report.sections:
        entry: dict[str, Any] = {"title": section.title, "items": _items(section)}
        if section.table is not None:
            entry["table"] = {
                "head": list(section.table.head),
                "rows": [list(row) for row in section.table.rows],
                "links": list(_links(section.table)),
            }
        sections.append(entry)
    document = {
        "schema": "citycoop-report/1",
        "locale": report.locale,
        "title": report.title,
        "facts": report.facts,
        "sections": sections,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


#: Format name -> renderer, in the order of ``FORMATS``.
RENDERERS: Final[Mapping[str, Callable[[Report], str]]] = MappingProxyType(
    {"text": text, "markdown": markdown, "html": html_page, "json": json_document}
)


def _links(table: Table) -> tuple[str | None, ...]:
    return table.links or (None,) * len(table.rows)


def _one_line(text: str) -> str:
    """*text* on one line: each line break (any Unicode one) a space.

    So user data never starts a report line or a table row of its own.
    """
    return " ".join(text.splitlines()) if text else text


def _md_url(url: str) -> str:
    """*url* safe inside a Markdown link's ``<...>``: what could end it, percent-encoded."""
    return _URL_BREAKERS.sub(lambda found: quote(found.group(), safe=""), url)


def _md(text: str) -> str:
    """User data made inert for Markdown: every character that could start markup escaped."""
    escaped = _MARKDOWN.sub(r"\\\1", _one_line(text))
    # A line may not start a heading, a list or a quote by accident.
    escaped = re.sub(r"^([-+=])", r"\\\1", escaped)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)


def _items(section: Section) -> list[dict[str, Any]]:
    """A section's lines as items, each with its details and link."""
    links = dict(section.links)
    items: list[dict[str, Any]] = []
    for index, line in enumerate(section.lines):
        if _sub(line) and items:
            items[-1]["details"].append(line.strip())
            continue
        items.append({"text": line.strip(), "details": [], "url": links.get(index)})
    return items


def _html_list(section: Section) -> str:
    """The lines as a list; details nest under the line they belong to."""
    if not section.lines:
        return ""
    out = ["<ul>"]
    for item in _items(section):
        text = html.escape(item["text"])
        if item["url"] is not None:
            text = f'<a href="{html.escape(item["url"])}">{text}</a>'
        details = "".join(f"<li>{html.escape(d)}</li>" for d in item["details"])
        out.append(f"<li>{text}" + (f"<ul>{details}</ul>" if details else "") + "</li>")
    out.append("</ul>")
    return "".join(out)


def _sub(line: str) -> bool:
    return line.startswith("  ")
