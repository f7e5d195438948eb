from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, settings

import citycoop
from citycoop import strategies as cst
from citycoop.io.iati import NAMESPACE, build, to_iati_xml

etree = pytest.importorskip("lxml.etree")


@pytest.fixture(scope="module")
def schema(reference: Path):
    return etree.XMLSchema(etree.parse(str(reference / "iati" / "iati-activities-schema.xsd")))


@pytest.fixture(scope="module")
def codes(reference: Path) -> dict[str, set[str]]:
    lists = {}
    for path in (reference / "iati" / "codelists").glob("*.xml"):
        tree = etree.parse(str(path))
        lists[path.stem] = {item.findtext("code") for item in tree.iter("codelist-item")}
    return lists


def check_codes(document, codes) -> None:
    """Every code the document uses exists in the official code lists."""
    uses = {
        "reporting-org/@type": ("OrganisationType", "reporting-org", "type"),
        "participating-org/@type": ("OrganisationType", "participating-org", "type"),
        "participating-org/@role": ("OrganisationRole", "participating-org", "role"),
        "activity-status": ("ActivityStatus", "activity-status", "code"),
        "activity-date": ("ActivityDateType", "activity-date", "type"),
        "recipient-country": ("Country", "recipient-country", "code"),
        "sector": ("Sector", "sector", "code"),
        "sector/@vocabulary": ("SectorVocabulary", "sector", "vocabulary"),
        "location-id": ("GeographicVocabulary", "location-id", "vocabulary"),
        "budget": ("BudgetType", "budget", "type"),
        "value": ("Currency", "value", "currency"),
        "transaction-type": ("TransactionType", "transaction-type", "code"),
        "category": ("DocumentCategory", "category", "code"),
        "description": ("DescriptionType", "description", "type"),
    }
    for what, (codelist, tag, attribute) in uses.items():
        for element in document.iter(tag):
            assert element.get(attribute) in codes[codelist], (what, element.get(attribute))
    for activity in document.iter("iati-activity"):
        currency = activity.get("default-currency")
        assert currency is None or currency in codes["Currency"]
        percentages = [Decimal(s.get("percentage")) for s in activity.iter("sector")]
        assert not percentages or sum(percentages) == 100
        countries = [Decimal(c.get("percentage")) for c in activity.iter("recipient-country")]
        assert not countries or sum(countries) == 100


class TestSeoul:
    """The embedded portfolio exports as valid IATI 2.03."""

    def test_validates(self, schema, codes):
        result = build(citycoop.datasets.seoul(), reporting_org="KR-SMG-EXAMPLE")
        document = etree.fromstring(result.xml)
        assert schema.validate(document), schema.error_log
        check_codes(document, codes)
        assert result.activities == 9
        assert len(result.skipped) == 8  # cases whose sources give no year

    def test_content(self):
        xml = to_iati_xml(
            citycoop.datasets.seoul(), reporting_org="KR-SMG-EXAMPLE", skip_undated=True
        )
        document = etree.fromstring(xml)
        lima = next(
            a
            for a in document.iter("iati-activity")
            if a.findtext("iati-identifier").endswith("mou-2021-lima")
        )
        assert (
            lima.find("activity-date").get("iso-date") == "2021-11-24"
        )  # 08:30 in Seoul is the 24th in UTC
        assert [c.get("code") for c in lima.iter("category")] == ["A09"] * 4
        assert [n.text for n in lima.find("recipient-country")] == ["Peru", "Perú", "페루"]
        assert {s.get("code") for s in lima.iter("sector")} == {"15130", "21012", "22040"}
        assert lima.findall(f"{{{NAMESPACE}}}focus")

    def test_undated_records_are_named(self):
        with pytest.raises(citycoop.ValidationError, match="Water quality"):
            to_iati_xml(citycoop.datasets.seoul(), reporting_org="KR-SMG-EXAMPLE")

    def test_identifiers_are_stable(self):
        first = to_iati_xml(citycoop.datasets.seoul(), reporting_org="X-1", skip_undated=True)
        assert first == to_iati_xml(
            citycoop.datasets.seoul(), reporting_org="X-1", skip_undated=True
        )

    @pytest.mark.parametrize("text", ["\x08", "a\x00b", "\ufffe"])
    def test_text_xml_cannot_carry_is_named(self, text):
        portfolio = citycoop.datasets.seoul()
        case = attrs.evolve(portfolio.exports[1], note=f"note {text}")
        hostile = attrs.evolve(portfolio, exports=[portfolio.exports[0], case])
        with pytest.raises(citycoop.ValidationError) as info:
            build(hostile, reporting_org="KR-SMG-EXAMPLE")
        assert info.value.field == "portfolio.exports[1].note"
        assert "text that XML can carry" in str(info.value)

    def test_budget_value_date(self):
        portfolio = citycoop.datasets.seoul()
        budget = citycoop.Budget(
            citycoop.Period.year(2021), citycoop.Money("5e6", "KRW"), value_date="2021-03-02"
        )
        case = attrs.evolve(
            portfolio.exports[0], budgets=[budget], value_date="2021-05-01", year=None
        )
        document = etree.fromstring(
            build(attrs.evolve(portfolio, exports=[case], mous=[]), reporting_org="X-1").xml
        )
        assert [v.get("value-date") for v in document.find(".//budget").iter("value")] == [
            "2021-03-02"
        ]

    def test_bad_reporting_org(self):
        with pytest.raises(citycoop.ValidationError, match="reporting_org"):
            to_iati_xml(citycoop.datasets.seoul(), reporting_org="has space")


class TestIdentifiers:
    def test_two_records_never_share_an_identifier(self):
        city = citycoop.City("Lima", "PE", "America/Lima")
        first = citycoop.PolicyExport("a", city, "digital", year=2020, identifier="case-2")
        second = citycoop.PolicyExport("b", city, "digital", year=2021)  # position 2
        portfolio = citycoop.Portfolio(citycoop.datasets.seoul().owner, exports=[first, second])
        with pytest.raises(citycoop.ValidationError) as caught:
            build(portfolio, reporting_org="XM-TEST")
        assert caught.value.field == "portfolio.exports[1].identifier"
        assert caught.value.value == "XM-TEST-case-2"
        assert "portfolio.exports[0] has it too" in str(caught.value)
        again = attrs.evolve(second, identifier="b-1")
        built = build(attrs.evolve(portfolio, exports=[first, again]), reporting_org="XM-TEST")
        assert built.activities == 2


class TestDrawn:
    """Any drawn portfolio exports as valid IATI."""

    @settings(max_examples=25)
    @given(cst.portfolios(max_items=3))
    def test_validates(self, schema, codes, portfolio):
        # IATI's currency list lags ISO 4217 (XAD, XCG and ZWG are newer than it).
        used = {c.value.currency for c in portfolio.exports if c.value is not None}
        used |= {b.value.currency for c in portfolio.exports for b in c.budgets}
        used |= {b.value.currency for m in portfolio.mous for t in m.training for b in t.budgets}
        assume(used <= codes["Currency"])
        refused = None
        try:
            result = build(portfolio, reporting_org="XM-TEST")
        except citycoop.ValidationError as error:
            refused = error
        if refused is not None and "an IATI identifier no other record has" in str(refused):
            # Two records that would share an identifier; the error names both.
            assert refused.field.endswith(".identifier")
            assert refused.value.startswith("XM-TEST-")
            assert re.search(r"\(portfolio\.(exports|mous)\[\d+\] has it too", str(refused))
            return
        if refused is not None and "without white space at either end" in str(refused):
            # An identifier XML readers would trim: refused, naming the record.
            assert refused.field.endswith(".identifier")
            assert refused.value != refused.value.strip(" \t\n\r")
            return
        if refused is not None:
            # Otherwise only text XML cannot carry is refused, and the error names where.
            assert "text that XML can carry" in str(refused)
            assert any(ord(c) < 32 and c not in "\t\n\r" for c in refused.value), refused
            assert refused.field.startswith("portfolio.")
            return
        document = etree.fromstring(result.xml)
        if result.activities:
            assert schema.validate(document), schema.error_log
        check_codes(document, codes)
        identifiers = document.xpath("//iati-identifier/text()")
        assert len(set(identifiers)) == len(identifiers)


class TestIdentifierWhiteSpace:
    """An identifier that an IATI reader would change is refused, naming its record."""

    @pytest.mark.parametrize("identifier", ["0 ", " 0", "0\n", "\t0"])
    def test_white_space_at_either_end(self, identifier):
        seoul = citycoop.datasets.seoul()
        case = attrs.evolve(seoul.exports[2], identifier=identifier)
        portfolio = citycoop.Portfolio(seoul.owner, exports=[seoul.exports[0], case])
        with pytest.raises(citycoop.ValidationError, match=r"^portfolio\.exports\[1\]\.identifier"):
            build(portfolio, reporting_org="XM-TEST-CITY")

    def test_a_no_break_space_inside_or_at_the_end_is_kept(self):
        seoul = citycoop.datasets.seoul()
        case = attrs.evolve(seoul.exports[0], identifier="case\xa01\xa0")
        export = build(citycoop.Portfolio(seoul.owner, exports=[case]), reporting_org="XM-T")
        assert b"XM-T-case\xc2\xa01\xc2\xa0</iati-identifier>" in export.xml
