"""The report (`_report`): sections built from a portfolio, rendered in four formats."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

import citycoop
from citycoop import ValidationError
from citycoop._report import FORMATS, build_report


@pytest.fixture(scope="module")
def report():
    return build_report(citycoop.datasets.seoul())


def test_sections_and_facts(report):
    titles = [section.title for section in report.sections]
    assert titles[:5] == [
        "MOUs",
        "Policy export cases",
        "Requests",
        "Training programmes",
        "Reported figures over time",
    ]
    assert titles[5].startswith("Coverage of the")
    assert report.facts["mous"] == len(citycoop.datasets.seoul().mous)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_the_title(report, fmt):
    assert report.title in report.render(fmt)


def test_json_is_a_document(report):
    document = json.loads(report.render("json"))
    assert document["locale"] == "en"
    assert [s["title"] for s in document["sections"]] == [s.title for s in report.sections]


def test_html_parses_and_escapes(report):
    seen: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, _attrs):
            seen.append(tag)

    Tags().feed(report.render("html"))
    assert {"html", "h1", "ul", "li"} <= set(seen)
    assert "script" not in seen


def test_unknown_format(report):
    with pytest.raises(ValidationError, match=r"^format: 'pdf'"):
        report.render("pdf")


def test_build_is_pure():
    portfolio = citycoop.datasets.seoul()
    assert build_report(portfolio) == build_report(portfolio)
