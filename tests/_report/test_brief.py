"""citycoop.report: the report in Python, for the whole portfolio or one partner."""

from __future__ import annotations

import pytest

import citycoop
from _shared import run
from citycoop import ValidationError

SEOUL = citycoop.datasets.seoul()


class TestReport:
    def test_the_whole_portfolio_is_what_the_command_line_prints(self):
        assert citycoop.report(SEOUL).render("text") == run().stdout
        assert (
            citycoop.report(SEOUL, locale="ko").render("markdown")
            == run("--locale", "ko", "--format", "markdown").stdout
        )

    @pytest.mark.parametrize(
        ("locale", "title", "untranslated"),
        [
            ("en", "Cooperation of Seoul Metropolitan Government with Lima, Peru", 0),
            ("ko", "서울시 – 리마, 페루 협력", 9),
            ("es", "Cooperación de Seoul Metropolitan Government con Lima, Perú", 15),
        ],
    )
    def test_a_partner_city(self, locale, title, untranslated):
        briefing = citycoop.report(SEOUL, locale=locale, partner="lima")
        assert briefing.title == title
        assert briefing.facts == {"mous": 1, "exports": 1, "untranslated_texts": untranslated}
        text = briefing.render("text")
        mou = SEOUL.mous[-1].title.in_(locale)
        assert mou.text in text
        assert mou.fell_back is (locale == "es")  # no source gives it in Spanish
        assert "Bogotá" not in text
        assert "보고타" not in text
        assert citycoop.report(SEOUL, locale=locale, partner="Lima").render("text") == text

    def test_a_partner_country_by_code(self):
        by_alpha2 = citycoop.report(SEOUL, partner="PE")
        assert by_alpha2.title == "Cooperation of Seoul Metropolitan Government with Peru"
        assert citycoop.report(SEOUL, partner="per").render("json") == by_alpha2.render("json")

    def test_a_briefing_leaves_out_city_wide_figures(self):
        whole = citycoop.report(SEOUL)
        briefing = citycoop.report(SEOUL, partner="Lima")
        titles = {section.title for section in briefing.sections}
        assert "Reported figures over time" in {s.title for s in whole.sections}
        assert "Reported figures over time" not in titles
        assert "Training programmes" not in titles
        assert "cases_reported" in whole.facts
        assert "cases_reported" not in briefing.facts

    @pytest.mark.parametrize("partner", ["Atlantis", "", "  ", 42, "ZZ"])
    def test_an_unknown_partner_is_refused(self, partner):
        with pytest.raises(ValidationError, match=r"^report\.partner"):
            citycoop.report(SEOUL, partner=partner)  # type: ignore[arg-type]

    def test_arguments(self):
        with pytest.raises(ValidationError, match=r"^report\.portfolio"):
            citycoop.report(SEOUL.exports)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"^report\.base_year"):
            citycoop.report(SEOUL, base_year=2021)

    def test_the_command_line_briefs_on_a_partner(self):
        done = run("--partner", "Lima", "--format", "markdown")
        assert done.returncode == 0, done.stderr
        assert done.stdout == citycoop.report(SEOUL, partner="Lima").render("markdown")
        refused = run("--partner", "Atlantis")
        assert refused.returncode == 1
        assert refused.stderr.startswith("citycoop: report.partner: 'Atlantis'")

    def test_a_code_no_record_is_in_is_tried_as_a_city(self):
        pe = citycoop.City("Pe", "KR", "Asia/Seoul")
        case = citycoop.PolicyExport("Signals", pe, "digital")
        portfolio = citycoop.Portfolio(SEOUL.owner, exports=[case])
        briefing = citycoop.report(portfolio, partner="PE")
        assert briefing.title.endswith("with Pe, South Korea")


class TestPlanningRates:
    """A report that converts at a planning rate says so, in its language and in JSON."""

    def test_marked_in_every_format(self):
        import json

        from citycoop import City, Money, Period, PolicyExport, Portfolio, Rate, RatePolicy

        seoul = citycoop.datasets.seoul()
        kyiv = City("Kyiv", "UA", "Europe/Kyiv")
        draft = PolicyExport(
            "Draft", kyiv, "digital", value=Money("1e6", "UAH"), value_date="2026-06-30"
        )
        rates = citycoop.RateTable(
            [
                Rate("USD", "UAH", "40.15", Period.year(2024), "World Bank WDI"),
                Rate("USD", "KRW", "1364.0", Period.year(2024), "World Bank WDI"),
            ]
        )
        portfolio = Portfolio(seoul.owner, exports=(draft,))
        words = {"en": "planning rate for a later date", "ko": "이후 날짜의 계획 환율"}
        for locale, word in words.items():
            report = citycoop.report(
                portfolio, locale=locale, currency="KRW", rates=rates, policy=RatePolicy.planning()
            )
            assert word in report.render("text")
        document = json.loads(report.render("json"))
        assert [leg["planning"] for leg in document["facts"]["rates_used"]] == [True, True]
        plain = citycoop.report(portfolio, locale="en", currency="KRW", rates=rates)
        assert "planning rate" not in plain.render("text")  # not served: listed as unconverted


class TestNothingRawReachesTheReader:
    """Zone ids and ISO intervals are for machines: the report says dates in words."""

    def test_horizons_and_signing_times(self):
        import attrs

        from citycoop import MOU, Period, Portfolio, StrategyHorizon

        seoul = citycoop.datasets.seoul()
        lima = seoul.mous_with("Lima")[0]
        mou = attrs.evolve(
            lima, horizons=[StrategyHorizon("mid", Period("2026-01-01", "2027-12-31"))]
        )
        assert isinstance(mou, MOU)
        portfolio = Portfolio(seoul.owner, mous=[mou])
        korean = citycoop.report(portfolio, locale="ko").render("text")
        english = citycoop.report(portfolio, locale="en").render("text")
        for text in (korean, english):
            assert "2026-01-01/2027-12-31" not in text
            assert "Asia/Seoul" not in text
            assert "America/Lima" not in text
        assert "2026. 1. 1. – 2027. 12. 31." in korean
        assert "Jan 1, 2026 – Dec 31, 2027" in english
