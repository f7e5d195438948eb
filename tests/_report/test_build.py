"""The report (`_report`): sections built from a portfolio, rendered in four formats."""

from __future__ import annotations

import decimal
import json
from html.parser import HTMLParser

import attrs
import pytest

import citycoop
from citycoop import ValidationError
from citycoop._report.build import build_report
from citycoop._report.model import FORMATS


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


def _every_code_portfolio():
    """A portfolio that shows every status, term, focus area and modality, in Korean data."""
    import pendulum

    from citycoop import (
        MOU,
        Budget,
        City,
        Cohort,
        ExportStatus,
        FocusArea,
        Modality,
        Money,
        MOUStatus,
        Organisation,
        Period,
        PolicyExport,
        Portfolio,
        ReportedFigures,
        StrategyHorizon,
        Term,
        TrainingTrack,
    )

    seoul = City("Seoul", "KR", "Asia/Seoul")
    lima = City("Lima", "PE", "America/Lima")
    home = Organisation("서울특별시", "city_government", city=seoul)
    partner = Organisation("리마 광역시", "city_government", city=lima)
    signed_at = pendulum.datetime(2021, 11, 25, 8, 30, tz="Asia/Seoul")
    tracks = [
        TrainingTrack(
            "스마트 교통 교육",
            "public_transport",
            modality=modality,
            cohorts=[Cohort(Period.year(2022), participants=10, hours=8)],
            budgets=[
                Budget(Period.year(2022), Money("1e6", "KRW")),
                Budget(Period.year(2022), Money("2e6", "KRW"), "revised"),
            ],
        )
        for modality in Modality
    ]
    mous = [
        MOU(
            "서울-리마 협약",
            [home, partner],
            status=status,
            signed_at=None if status is MOUStatus.PROPOSED else signed_at,
            focus_areas=list(FocusArea),
            horizons=[StrategyHorizon(term, objectives=["목표"]) for term in Term],
            training=tracks,
        )
        for status in MOUStatus
    ]
    exports = [
        PolicyExport(
            "교통 신호 개선",
            lima,
            area,
            status=status,
            value=Money("1e8", "KRW"),
            value_date="2021-06-01",
        )
        for status, area in zip(ExportStatus, FocusArea, strict=False)
    ]
    reported = [
        ReportedFigures(
            "2021-11-24",
            cases=89,
            policies=1,
            value=Money("804.8e9", "KRW"),
            cities=1,
            countries=34,
            approximate=True,
            scope="정책 수출 사례",
        )
    ]
    return Portfolio(home, mous=mous, exports=exports, reported=reported, training=tracks)


def _strings(value: object) -> list[str]:
    """Every string value in a JSON document (its keys are the format's, not words)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@pytest.mark.parametrize("locale", ["ko", "es"])
def test_no_english_word_in_a_korean_or_spanish_report(locale):
    """Every word the report adds comes from the locale table, in every format."""
    import re

    from citycoop import Economy, IndexValue, Period, PriceIndex, Rate, RateTable
    from citycoop._core.locale import words_of as table_of
    from citycoop._core.validation import Arguments
    from citycoop._prices.deflate import constant_prices

    def words_of(language: str) -> set[str]:
        table = table_of(language)
        tables = [table.words, *table.counts.values(), *table.codes.values()]
        found: set[str] = set()
        for table in tables:
            for text in table.values():
                without_placeholders = re.sub(r"\{[a-z_]+\}", " ", text)
                found |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", without_placeholders)}
        return found

    # English words of the tables, but for those the locale writes alike ("digital", "ODA").
    english = words_of("en") - words_of(locale)
    rates = RateTable([Rate("USD", "KRW", "1143.95", Period.year(2021), "한국은행")])
    prices = PriceIndex(
        [IndexValue("KOR", 2021, 100), IndexValue("KOR", 2015, 92)],
        economies=[Economy("KOR", "대한민국", "KRW")],
        source="통계청",
        indicator="소비자물가지수",
    )
    report = build_report(
        _every_code_portfolio(),
        locale=locale,
        currency="USD",
        rates=rates,
        constant=constant_prices(
            prices, 2015, "convert_then_deflate", None, where=Arguments("test")
        ),
    )
    for fmt in FORMATS:
        text = report.render(fmt)
        if fmt == "html":  # the words a reader sees: no style sheet, no markup
            text = re.sub(r"<style>.*?</style>", " ", text, flags=re.DOTALL)
            text = re.sub(r"<[^>]+>", " ", text)
        if fmt == "json":
            document = json.loads(text)
            text = " ".join(_strings([document["title"], document["sections"]]))  # no keys
        words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}
        found = words & english
        assert not found, (fmt, sorted(found))


def test_a_revised_budget_is_the_one_shown_and_says_so():
    from citycoop import Budget, Money, Period, Portfolio, TrainingTrack

    track = TrainingTrack(
        "Smart transport operations",
        "public_transport",
        modality="online",
        budgets=[
            Budget(Period.year(2023), Money("1250000", "UAH")),
            Budget(Period.year(2023), Money("1400000", "UAH"), "revised"),
            Budget(Period.year(2024), Money("900000", "UAH")),
        ],
    )
    seoul = citycoop.datasets.seoul()
    portfolio = Portfolio(seoul.owner, training=[track])
    (line,) = next(
        s for s in build_report(portfolio).sections if s.title == "Training programmes"
    ).lines
    assert line == (
        "Smart transport operations [online] "
        "(budget 2023: UAH\u00a01,400,000.00 (revised), 2024: UAH\u00a0900,000.00)"
    )


def _hostile_portfolio():
    """Seoul's records with markup in the user data, and a source on the first case."""
    import attrs

    seoul = citycoop.datasets.seoul()
    cases = list(seoul.exports)
    cases[0] = attrs.evolve(
        cases[0],
        policy="<script>alert(1)</script> *bold* _it_ [link](x) | pipe",
        sources=["https://example.org/case?a=1&b=2"],
    )
    return attrs.evolve(seoul, exports=cases)


def test_html_is_a_valid_html5_document_with_links_tables_and_nested_lists():
    html5lib = pytest.importorskip("html5lib")
    page = build_report(_hostile_portfolio(), locale="es").render("html")
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    assert tree.get("lang") == "es"
    assert tree.find("head/style") is not None
    tables = tree.findall(".//table")
    assert len(tables) == 2  # the cases and the reported figures
    first_case = tables[0].find("tbody/tr/td/a")
    assert first_case.get("href") == "https://example.org/case?a=1&b=2"
    assert first_case.text == "2007"
    cells = [td.text for td in tables[0].findall("tbody/tr")[0].findall("td")]
    assert cells[2].startswith("<script>")  # escaped text, not an element
    assert tree.find(".//script") is None
    nested = tree.findall(".//section/ul/li/ul/li")  # details under the MOU they belong to
    assert nested
    links = [a.get("href") for a in tree.findall(".//section/ul/li/a")]
    assert "https://www.news1.kr/articles/?4102947" in links  # an MOU's first document
    seoul = citycoop.datasets.seoul()
    for record in (*seoul.requests, *seoul.training):
        sources = record.sources if hasattr(record, "sources") else (record.source,)
        source = next((url for url in sources if url is not None), None)
        if source is not None:
            assert source in links  # every request and training track links its source


def test_markdown_escapes_user_data_and_uses_tables():
    page = build_report(_hostile_portfolio()).render("markdown")
    row = next(line for line in page.splitlines() if "alert" in line)
    assert row.startswith("| [2007](<https://example.org/case?a=1&b=2>) |")
    assert "\\<script\\>alert(1)\\</script\\> \\*bold\\* \\_it\\_ \\[link\\](x) \\| pipe" in row
    assert "| year | city | policy | focus areas | status | value |" in page
    assert "| date | cases | policies | value | cities | countries | what is counted |" in page


def test_json_is_structured_and_valid_against_the_shipped_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from citycoop import Period, Rate, RateTable

    rates = RateTable([Rate("EUR", "KRW", "1331.51", Period.day("2021-11-24"), "ECB")])
    for locale in ("en", "ko", "es"):
        report = build_report(_hostile_portfolio(), locale=locale, currency="EUR", rates=rates)
        document = json.loads(report.render("json"))
        jsonschema.Draft202012Validator(
            citycoop.report_schema(), format_checker=jsonschema.FormatChecker()
        ).validate(document)
        cases = next(
            s for s in document["sections"] if "table" in s and len(s["table"]["head"]) == 6
        )
        assert cases["table"]["links"][0] == "https://example.org/case?a=1&b=2"
        mous = document["sections"][0]
        assert mous["items"][0]["details"]  # details belong to their item, not indented text
        assert document["facts"]["cases_reported"] == 89
        assert document["facts"]["reported_value_converted"]["currency"] == "EUR"
        assert document["facts"]["rates_used"] == [
            {
                "base": "EUR",
                "quote": "KRW",
                "value": "1331.51",
                "start": "2021-11-24",
                "end": "2021-11-24",
                "source": "ECB",
                "inverted": True,
                "planning": False,
                "file": None,  # no rate file given
            }
        ]


def test_empty_sections_are_left_out():
    from citycoop import Portfolio

    seoul = citycoop.datasets.seoul()
    titles = [s.title for s in build_report(Portfolio(seoul.owner)).sections]
    assert titles == []
    only_cases = build_report(Portfolio(seoul.owner, exports=seoul.exports)).sections
    assert [s.title for s in only_cases] == ["Policy export cases"]


def test_with_a_currency_every_value_is_converted_and_every_rate_listed():
    from citycoop import Period, Rate, RateTable

    rates = RateTable([Rate("USD", "KRW", "1160.7675", Period.year(2016), "WDI")])
    report = build_report(
        citycoop.datasets.seoul(), currency="USD", rates=rates, rates_name="rates.csv"
    )
    text = report.render()
    # The 2016 budget converts (688,000,000 / 1,160.7675); 2017 has no rate: said, not 0.
    assert "2016: ₩688,000,000 (≈ $592,711.29)" in text
    assert "2017: ₩690,000,000 (no KRW->USD rate)" in text
    rates_used = report.sections[-1]
    assert rates_used.title == "Rates used"
    assert rates_used.lines[0].startswith("1 USD = 1,160.7675 KRW (Jan 1, 2016 – Dec 31, 2016, WDI")
    assert "  ₩690,000,000: no KRW->USD rate serves Jan 1, 2017" in rates_used.lines
    assert rates_used.lines[-1] == "rates from rates.csv"
    # The headline in the reported figures, too (no 2021 rate here: said so).
    assert "about ₩804.8B (₩804,800,000,000) (no KRW->USD rate)" in text


class TestComputedOnce:
    """The report renders computed results: one conversion pass, the rollup's own figures."""

    @staticmethod
    def _rates():
        from citycoop import Period, Rate, RateTable

        return RateTable(
            [
                Rate("USD", "KRW", "1143.95", Period.year(2021), "BOK"),
                Rate("USD", "KRW", "1291.95", Period.year(2022), "BOK"),
                Rate("USD", "PEN", "3.88", Period.year(2021), "BCRP"),
            ]
        )

    def test_one_batch_converts_each_shown_value_once(self, monkeypatch):
        from citycoop._report import compute

        calls = []
        real = compute.convert_batch

        def counting(items, to, **options):
            items = list(items)
            calls.append(items)
            return real(items, to, **options)

        monkeypatch.setattr(compute, "convert_batch", counting)
        portfolio = _every_code_portfolio()
        build_report(portfolio, currency="USD", rates=self._rates())
        assert len(calls) == 1
        (items,) = calls
        assert len(items) == len(set(items))  # each (value, day) converted once
        assert items  # the portfolio has values in won and soles

    def test_the_recorded_total_is_the_rollups_converted_total(self):
        from citycoop._report.compute import compute

        portfolio = _every_code_portfolio()
        rates = self._rates()
        done = compute(
            portfolio,
            currency="USD",
            rates=rates,
            policy=citycoop.RatePolicy.narrowest(),
            constant=None,
        )
        latest = portfolio.latest_reported()
        assert done.reconciliation is not None
        assert latest is not None
        assert latest.value is not None
        expected = citycoop.rollup(
            portfolio.exports,
            currency=latest.value.currency,
            rates=rates,
            missing="omit",
        ).total.converted
        assert done.reconciliation.value == expected

    def test_a_value_no_rate_serves_is_said_in_place_and_listed(self):
        from citycoop import Period, Rate, RateTable

        rates = RateTable([Rate("USD", "EUR", "0.85", Period.year(2021), "ECB")])
        report = build_report(_every_code_portfolio(), currency="USD", rates=rates)
        text = report.render()
        assert "no KRW->USD rate" in text
        (last,) = [s for s in report.sections if s.title == "Rates used"]
        assert any("KRW->USD" in line for line in last.lines)


@pytest.mark.parametrize(
    "context",
    [decimal.Context(prec=3), decimal.Context(prec=9, Emax=10, Emin=-10)],
    ids=["prec3", "emax10"],
)
def test_the_report_whatever_the_callers_decimal_context(context):
    """Rollups, conversions, reconciliation and formatting run in citycoop's own contexts."""
    from citycoop import Period, Rate, RateTable

    rates = RateTable(
        [
            Rate("USD", "KRW", "1143.95", Period.year(2021), "BOK"),
            Rate("USD", "PEN", "3.88", Period.year(2021), "BCRP"),
        ]
    )
    seoul = citycoop.datasets.seoul()
    expected = build_report(seoul, locale="ko", currency="USD", rates=rates).render("json")
    with decimal.localcontext(context):
        got = build_report(seoul, locale="ko", currency="USD", rates=rates).render("json")
    assert got == expected


class TestForgedLinesAndLinks:
    """A URL or a line break in user data cannot forge markup or report lines."""

    @staticmethod
    def _forging():
        seoul = citycoop.datasets.seoul()
        case = attrs.evolve(
            seoul.exports[0],
            policy="Smart\nStation\r\n- forged line\u2028| forged | row |",
            sources=["https://a.example/>)<script>x</script>"],
        )
        return attrs.evolve(seoul, exports=[case, *seoul.exports[1:]])

    def test_markdown_urls_cannot_close_their_brackets(self):
        page = build_report(self._forging()).render("markdown")
        assert "<script>" not in page
        assert "(<https://a.example/%3E)%3Cscript%3Ex%3C/script%3E>)" in page

    @pytest.mark.parametrize("fmt", ["text", "markdown"])
    def test_a_line_break_in_a_name_stays_in_its_cell(self, fmt):
        page = build_report(self._forging()).render(fmt)
        assert not any(line.startswith(("- forged", "| forged")) for line in page.splitlines())
        (row,) = [line for line in page.splitlines() if "Smart" in line and "Station" in line]
        assert "forged line" in row

    def test_html_and_json_keep_the_text_escaped(self):
        page = build_report(self._forging()).render("html")
        assert "<script>" not in page
        document = json.loads(build_report(self._forging()).render("json"))
        rows = [r for s in document["sections"] if "table" in s for r in s["table"]["rows"]]
        assert any("Smart\nStation" in cell for row in rows for cell in row)
