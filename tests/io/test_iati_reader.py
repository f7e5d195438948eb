"""Reading IATI activity files: real files, hostile input, and citycoop's own output."""

from __future__ import annotations

import http.server
import io
import subprocess
import sys
import threading
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

import citycoop
from _shared import LIMA, ROOT, SMG
from citycoop import (
    Activity,
    ActivityStatus,
    Country,
    FocusArea,
    IatiError,
    OrgRole,
    TransactionType,
)
from citycoop import strategies as cst
from citycoop.io.iati import build, read_activities, to_iati_xml

etree = pytest.importorskip("lxml.etree")

ACTIVITY_FILES = [
    "usaid-ec.xml",
    "CAF-ActivityFile-2025-10-10.xml",
    "acfspain-pe.xml",
    "acfspain-co.xml",
]
ORGANISATION_FILES = ["CAF-OrganizationFile.xml", "ares-org.xml"]


@pytest.fixture(scope="module")
def folder(reference: Path) -> Path:
    return reference / "data" / "iati-activities"


def _xpath_totals(path: Path) -> dict[tuple[str, int, str], Decimal]:
    """Commitments and disbursements per (type, year, currency), read with plain XPath."""
    tree = etree.parse(str(path))
    totals: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    for transaction in tree.xpath("//iati-activity/transaction"):
        kind = transaction.xpath("string(transaction-type/@code)")
        if kind not in ("2", "3"):
            continue
        year = int(transaction.xpath("string(transaction-date/@iso-date)")[:4])
        currency = transaction.xpath("string(value/@currency)") or transaction.xpath(
            "string(../@default-currency)"
        )
        totals[kind, year, currency] += Decimal(transaction.xpath("string(value)").strip())
    return dict(totals)


class TestRealFiles:
    """Every activity file of the reference data, against counts taken with plain lxml."""

    @pytest.mark.parametrize("name", ACTIVITY_FILES)
    def test_counts(self, folder, name):
        tree = etree.parse(str(folder / name))
        stream = read_activities(folder / name)
        activities = list(stream)
        assert stream.skipped == ()
        assert len(activities) == int(tree.xpath("count(//iati-activity)"))
        assert sum(len(a.transactions) for a in activities) == int(
            tree.xpath("count(//iati-activity/transaction)")
        )
        assert sum(len(a.budgets) for a in activities) == int(
            tree.xpath("count(//iati-activity/budget)")
        )
        assert sum(len(a.planned_disbursements) for a in activities) == int(
            tree.xpath("count(//iati-activity/planned-disbursement)")
        )
        identifiers = [i.strip() for i in tree.xpath("//iati-activity/iati-identifier/text()")]
        assert [a.identifier for a in activities] == identifiers

    @pytest.mark.parametrize("name", ACTIVITY_FILES)
    def test_commitments_and_disbursements_per_year_to_the_cent(self, folder, name):
        expected = _xpath_totals(folder / name)
        activities = list(read_activities(folder / name))
        read: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
        for activity in activities:
            for t in activity.transactions:
                if t.type.code in ("2", "3"):
                    read[t.type.code, t.date.year, t.value.currency] += t.value.amount
        assert dict(read) == expected
        records = [
            r
            for r in citycoop.transaction_records(activities)
            if r.transaction_type.code in ("2", "3")
        ]
        result = citycoop.rollup(records, by=("transaction_type", "year"))
        rolled = {
            (group.key[0].code, group.key[1], money.currency): money.amount
            for group in result
            for money in group.totals
        }
        assert rolled == expected

    def test_usaid(self, folder):
        activities = list(read_activities(folder / "usaid-ec.xml"))
        first = activities[0]
        assert first.reporting_org.ref == "US-GOV-1"
        assert first.reporting_org.kind == "10"
        assert {p.role for p in first.participants} <= set(OrgRole)
        assert all(a.default_currency == "USD" for a in activities)
        # Countries are given per transaction only, and the transaction's win.
        assert all(not a.countries for a in activities)
        records = list(citycoop.transaction_records(activities))
        assert {r.recipient for r in records} == {Country("EC")}
        result = citycoop.rollup(records, by=("country", "transaction_type"))
        assert {g.key[0] for g in result} == {Country("EC")}
        assert result.total.countries == 1
        assert result.total.cities == 0

    def test_caf_peru(self, folder):
        activities = list(read_activities(folder / "CAF-ActivityFile-2025-10-10.xml"))
        peru = [a for a in activities if Country("PE") in {c.country for c in a.countries}]
        records = list(citycoop.transaction_records(peru))
        result = citycoop.rollup(records, by="transaction_type")
        tree = etree.parse(str(folder / "CAF-ActivityFile-2025-10-10.xml"))
        for code, group in ((g.key[0].code, g) for g in result):
            values = tree.xpath(
                "//iati-activity[recipient-country/@code='PE']"
                f"/transaction[transaction-type/@code='{code}']/value/text()"
            )
            assert group.total("USD").amount == sum((Decimal(v) for v in values), Decimal(0))
        # Regions without a country (CAF reports twelve) are kept, not dropped.
        regional = [a for a in activities if a.regions and not a.countries]
        assert len(regional) == int(tree.xpath("count(//iati-activity[recipient-region])"))
        by_country = citycoop.rollup(citycoop.activity_records(activities), by="country")
        none_group = next(g for g in by_country if g.key == (None,))
        assert none_group.count == len(regional)

    def test_action_against_hunger_budgets_in_their_own_currency(self, folder):
        (peru,) = read_activities(folder / "acfspain-pe.xml")
        assert peru.default_currency == "EUR"
        (budget,) = peru.budgets
        assert budget.value == citycoop.Money(250000, "GBP")
        assert str(budget.period) == "2017-03-24 to 2017-05-08" or budget.period.start.year == 2017
        assert peru.sectors[0].vocabulary == "99"
        assert peru.status is ActivityStatus.FINALISATION

    @pytest.mark.parametrize("name", ORGANISATION_FILES)
    def test_organisation_files_are_refused_by_name(self, folder, name):
        with pytest.raises(IatiError, match="organisation file"):
            list(read_activities(folder / name))

    def test_sources_of_every_kind(self, folder):
        path = folder / "acfspain-co.xml"
        data = path.read_bytes()
        from_path = list(read_activities(path))
        assert list(read_activities(str(path))) == from_path
        assert list(read_activities(data)) == from_path
        with path.open("rb") as handle:
            assert list(read_activities(handle)) == from_path
        assert list(read_activities(io.BytesIO(data))) == from_path


# ---------------------------------------------------------------- small documents


def _document(activity: str = "", *, version: str = "2.03", head: str = "") -> bytes:
    return (f'{head}<iati-activities version="{version}">{activity}</iati-activities>').encode()


def _activity(body: str = "", *, attributes: str = 'default-currency="USD"') -> str:
    return f"""
<iati-activity {attributes}>
  <iati-identifier>XM-TEST-1</iati-identifier>
  <reporting-org ref="XM-TEST" type="10"><narrative>Test</narrative></reporting-org>
  <title><narrative xml:lang="en">Water</narrative><narrative xml:lang="es">Agua</narrative></title>
  <description><narrative>Water</narrative></description>
  <participating-org role="1" type="10" ref="XM-TEST"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/>
  {body}
</iati-activity>"""


TRANSACTION = """
  <transaction>
    <transaction-type code="{type}"/>
    <transaction-date iso-date="2021-03-01"/>
    <value value-date="2021-03-01"{currency}>{value}</value>
  </transaction>"""


def _transaction(value: str = "100.50", kind: str = "3", currency: str = "") -> str:
    attribute = f' currency="{currency}"' if currency else ""
    return TRANSACTION.format(value=value, type=kind, currency=attribute)


class TestReading:
    def test_an_activity_in_full(self):
        body = (
            """
  <recipient-country code="PE" percentage="60"/>
  <recipient-country code="EC" percentage="40"/>
  <location><name><narrative>Lima</narrative></name>
    <location-id vocabulary="G1" code="3936456"/>
    <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>-12.04318 -77.02824</pos></point>
  </location>
  <sector vocabulary="1" code="21020" percentage="75"/>
  <sector vocabulary="1" code="72040" percentage="25"/>
  <budget type="1" status="2"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
    <value currency="EUR" value-date="2021-01-01">1000</value></budget>
  <budget type="2"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
    <value value-date="2021-06-01">1200</value></budget>
  <planned-disbursement type="1"><period-start iso-date="2021-01-01"/>
    <value value-date="2021-01-01">10</value></planned-disbursement>
"""
            + _transaction()
            + _transaction("7", "2", "EUR")
        )
        (activity,) = read_activities(_document(_activity(body)))
        assert activity.identifier == "XM-TEST-1"
        assert activity.title.in_("es").text == "Agua"
        assert activity.title.in_("ko") == citycoop.LocalText("Water", "en", "ko", fell_back=True)
        assert activity.planned_start == citycoop.Period.day("2020-01-01").start
        assert activity.participants_in("funding")[0].ref == "XM-TEST"
        (location,) = activity.locations
        assert location.geonames_id == 3936456
        assert location.city is None  # two recipient countries: which one is it in?
        first, second = activity.transactions
        assert first.type is TransactionType.DISBURSEMENT
        assert first.value == citycoop.Money("100.50", "USD")
        assert second.value == citycoop.Money(7, "EUR")
        original, revised = activity.budgets
        assert original.value.currency == "EUR"
        assert revised.kind.value == "revised"
        assert revised.value == citycoop.Money(1200, "USD")
        (planned,) = activity.planned_disbursements
        assert planned.period.start == planned.period.end
        # Split exactly by the country and sector percentages.
        records = list(citycoop.transaction_records([activity]))
        result = citycoop.rollup(records[:1], by=("country", "focus_area"))
        amounts = {(g.key[0].code, g.key[1]): g.total("USD").amount for g in result}
        assert sum(amounts.values()) == Decimal("100.50")
        # 100.50 x 60% x 75% = 45.225: the cent left over goes to the largest remainder.
        assert amounts == {
            ("PE", FocusArea.PUBLIC_TRANSPORT): Decimal("45.23"),
            ("PE", None): Decimal("15.07"),
            ("EC", FocusArea.PUBLIC_TRANSPORT): Decimal("30.15"),
            ("EC", None): Decimal("10.05"),
        }
        assert result.total.count == 1
        # Budgets: the revised one counts.
        (budget,) = citycoop.activity_budget_records([activity])
        assert budget.value == citycoop.Money(1200, "USD")

    def test_a_location_in_the_one_country_is_a_city(self):
        body = """<recipient-country code="PE"/>
  <location><name><narrative>Lima</narrative></name>
    <point srsName="x"><pos>-12.04318 -77.02824</pos></point></location>""" + _transaction()
        (activity,) = read_activities(_document(_activity(body)))
        city = activity.locations[0].city
        assert city is not None
        assert (city.name, city.country.code) == ("Lima", "PE")
        assert city.coordinates == citycoop.Coordinates("-12.04318", "-77.02824")
        (record,) = citycoop.transaction_records([activity])
        assert record.recipient == city
        result = citycoop.rollup([record], by="city")
        assert result.total.cities == 1

    def test_transaction_geography_and_sectors_win(self):
        body = """<recipient-country code="PE"/><sector vocabulary="1" code="21020"/>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-03-01"/>
    <value value-date="2021-03-01">10</value>
    <recipient-country code="EC"/><sector vocabulary="1" code="72040"/></transaction>"""
        (activity,) = read_activities(_document(_activity(body)))
        (record,) = citycoop.transaction_records([activity])
        assert record.recipient == Country("EC")
        assert [s.area for s in record.focus] == [None]
        assert citycoop.sector()(record) == "72040"

    @pytest.mark.parametrize("version", ["2.01", "2.02", "2.03"])
    def test_versions(self, version):
        stream = read_activities(_document(_activity(_transaction()), version=version))
        assert len(list(stream)) == 1
        assert stream.version == version

    def test_memory_stays_with_one_activity(self):
        # The parse tree holds the activity being read and what the parser has read
        # ahead of it (a buffer's worth), never the activities already given.
        count = 3000
        document = _document("".join(_activity(_transaction()) for _ in range(count)))
        stream = read_activities(document)
        sizes = []
        for number, _ in enumerate(stream):
            parsing = stream._activities.gi_yieldfrom
            root = parsing.gi_frame.f_locals["root"]
            assert len(root[0]) == 0  # the one just read, emptied; those before it gone
            assert len(root) <= count - number
            sizes.append(len(root))
        assert len(sizes) == count
        assert max(sizes) < count / 20


class TestBadInput:
    """Every problem is a CitycoopError naming the line, the element and the activity."""

    @pytest.mark.parametrize(
        ("body", "element", "problem"),
        [
            (_transaction("12,5"), "transaction/value", "'12,5' is not a number"),
            (_transaction("1e999999"), "transaction/value", "is not a number"),  # xsd:decimal
            (_transaction("9" * 30), "transaction/value", "Money"),  # a number Money refuses
            (_transaction(kind="99"), "transaction/transaction-type/@code", "TransactionType"),
            (
                (
                    "<budget status='9'><period-start iso-date='2021-01-01'/>"
                    "<period-end iso-date='2021-12-31'/>"
                    "<value value-date='2021-01-01'>1</value></budget>"
                ),
                "budget/@status",
                "BudgetStatus",
            ),
            (_transaction(currency="XYZ"), "transaction/value/@currency", "ISO 4217"),
            ('<recipient-country code="QQ"/>', "recipient-country/@code", "Country"),
            ('<sector vocabulary="1" code="99999"/>', "sector/@code", "Sector"),
            ('<sector vocabulary="77" code="1"/>', "sector/@vocabulary", "SectorVocabulary"),
            (
                '<recipient-country code="PE" percentage="120"/>',
                "recipient-country/@percentage",
                "'120' is not a percentage",
            ),
            (
                (
                    "<budget><period-start iso-date='2021-02-01'/>"
                    "<period-end iso-date='2021-01-01'/>"
                    "<value value-date='2021-01-01'>1</value></budget>"
                ),
                "budget/period-end",
                "ends (2021-01-01) before it starts (2021-02-01)",
            ),
            (
                (
                    "<transaction><transaction-type code='3'/>"
                    "<transaction-date iso-date='2021-13-01'/>"
                    "<value value-date='2021-01-01'>1</value></transaction>"
                ),
                "transaction-date/@iso-date",
                "not a calendar date",
            ),
            (
                (
                    "<transaction><transaction-type code='3'/>"
                    "<transaction-date iso-date='2021-01-01'/><value>1</value></transaction>"
                ),
                "transaction/value/@value-date",
                "no value-date",
            ),
        ],
    )
    def test_named_with_activity_and_line(self, body, element, problem):
        document = _document(_activity(body))
        with pytest.raises(IatiError) as caught:
            list(read_activities(document))
        error = caught.value
        assert error.activity == "XM-TEST-1"
        assert error.column == element
        assert problem in error.problem
        assert error.line is not None
        line = document.decode().splitlines()[error.line - 1]
        assert element.split("/")[-1].lstrip("@").split("-")[0] in line or "<" in line
        assert "XM-TEST-1" in str(error)
        assert f"line {error.line}" in str(error)

    def test_an_unknown_default_currency(self):
        document = _document(_activity(attributes='default-currency="QQQ"'))
        with pytest.raises(IatiError, match="'QQQ' is not an ISO 4217 currency") as caught:
            list(read_activities(document))
        assert caught.value.column == "iati-activity/@default-currency"

    def test_no_currency_at_all(self):
        document = _document(_activity(_transaction(), attributes=""))
        with pytest.raises(IatiError, match="no currency, and the activity has no default"):
            list(read_activities(document))

    @pytest.mark.parametrize(
        "missing",
        [
            "reporting-org",
            "title",
            "description",
            "participating-org",
            "activity-status",
            "activity-date",
            "iati-identifier",
        ],
    )
    def test_a_missing_required_element(self, missing):
        text = _activity(_transaction())
        lines = [line for line in text.splitlines() if f"<{missing}" not in line]
        with pytest.raises(IatiError, match=f"no {missing}"):
            list(read_activities(_document("\n".join(lines))))

    def test_skipped_activities_are_listed_with_the_reason(self):
        good = _activity(_transaction())
        bad = _activity(_transaction("abc")).replace("XM-TEST-1", "XM-TEST-2")
        stream = read_activities(_document(good + bad + good), invalid="skip")
        assert len(list(stream)) == 2
        (skipped,) = stream.skipped
        assert skipped.identifier == "XM-TEST-2"
        assert "'abc' is not a number" in skipped.reason
        assert skipped.line is not None
        assert stream.done

    @pytest.mark.parametrize(
        ("document", "match"),
        [
            (b"<html><body/></html>", "not an IATI activity file"),
            (b'<iati-activities version="1.05"/>', "IATI version '1.05'"),
            (b"<iati-activities/>", "IATI version None"),
            (b"<iati-activities version='2.03'><iati-activity>", "not well-formed"),
            (b"", "not well-formed|no XML document"),
            (b"just text", "not well-formed"),
        ],
    )
    def test_not_an_iati_file(self, document, match):
        with pytest.raises(IatiError, match=match):
            list(read_activities(document, invalid="skip"))

    def test_bad_arguments(self):
        with pytest.raises(citycoop.ValidationError, match="invalid"):
            read_activities(b"", invalid="ignore")  # type: ignore[arg-type]
        with pytest.raises(citycoop.ValidationError, match="source"):
            read_activities(42)  # type: ignore[arg-type]
        with pytest.raises(citycoop.ValidationError, match=r"open the file with 'rb'"):
            read_activities(io.StringIO("<iati-activities/>"))  # type: ignore[arg-type]

        class Texts:
            def read(self, size=-1):  # noqa: ARG002 - a file object's signature
                return "<iati-activities/>"

        with pytest.raises(IatiError, match="gives str, not bytes"):
            list(read_activities(Texts()))  # type: ignore[arg-type]

    def test_billion_laughs_is_refused_without_expanding(self):
        entities = "".join(
            f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" * 1 if i else "lol"}'
            + ("&lol" + str(i - 1) + ";") * 9 * (i > 0)
            + '">'
            for i in range(10)
        )
        document = (
            f"<!DOCTYPE iati-activities [{entities}]>"
            '<iati-activities version="2.03">'
            + _activity("<title><narrative>&lol9;</narrative></title>")
            + "</iati-activities>"
        ).encode()
        with pytest.raises(IatiError, match="document type declaration"):
            list(read_activities(document))

    def test_external_entities_and_dtds_reach_no_network(self):
        requests: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'<!ENTITY secret "leaked">')

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_port}"
            for head in (
                f'<!DOCTYPE iati-activities SYSTEM "{url}/dtd">',
                f'<!DOCTYPE iati-activities [<!ENTITY % ext SYSTEM "{url}/ent"> %ext;]>',
                f'<!DOCTYPE iati-activities [<!ENTITY x SYSTEM "{url}/x">]>',
                '<!DOCTYPE iati-activities [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            ):
                document = _document(
                    _activity("<title><narrative>&x;</narrative></title>"), head=head
                )
                with pytest.raises(IatiError):
                    list(read_activities(document))
        finally:
            server.shutdown()
            server.server_close()
        assert requests == []

    def test_a_huge_text_node_is_refused(self):
        text = "x" * (10_000_001)
        document = _document(_activity(f"<title><narrative>{text}</narrative></title>"))
        with pytest.raises(IatiError):
            list(read_activities(document))


# ---------------------------------------------------------------- citycoop's own output


def _round_trip(portfolio):
    try:
        export = build(portfolio, reporting_org="XM-TEST-CITY")
    except citycoop.ValidationError:  # text XML cannot carry, or a shared identifier
        reject()
    return export, list(read_activities(export.xml))


class TestOwnOutput:
    """What citycoop writes, it reads back: every field IATI can carry."""

    def test_a_no_break_space_is_data_not_xml_white_space(self):
        """Only XML's own white space is trimmed; an identifier ending in U+00A0 keeps it."""
        seoul = citycoop.datasets.seoul()
        case = seoul.exports[0]
        case = attrs.evolve(case, identifier="0\xa0", policy="Smart\xa0Station")
        export = build(
            citycoop.Portfolio(seoul.owner, exports=[case]), reporting_org="XM-TEST-CITY"
        )
        (activity,) = read_activities(export.xml)
        assert activity.identifier == "XM-TEST-CITY-0\xa0"
        assert activity.title == citycoop.Text("Smart\xa0Station")

    @settings(max_examples=40, deadline=None)
    @given(cst.portfolios())
    def test_cases_round_trip(self, portfolio):
        export, activities = _round_trip(portfolio)
        written = [c for c in portfolio.exports if c.value_date is not None or c.year is not None]
        written = [c for c in written if c.value is None or c.value_date is not None]
        assert len(activities) == export.activities
        by_id: dict[str, list[Activity]] = {}
        for activity in activities:
            by_id.setdefault(activity.identifier, []).append(activity)
        for number, case in enumerate(portfolio.exports, start=1):
            if case not in written:
                continue
            found = by_id[f"XM-TEST-CITY-{case.identifier or f'case-{number}'}"]
            (activity,) = found
            assert activity.title == case.policy
            assert [c.country for c in activity.countries] == [case.recipient.country]
            (location,) = activity.locations
            assert location.name == case.recipient.name
            if location.city is not None:  # the time zone comes from CLDR, not the file
                assert location.city.country == case.recipient.country
                assert location.city.name == case.recipient.name
            assert location.geonames_id == case.recipient.geonames_id
            assert location.coordinates == case.recipient.coordinates
            assert sorted((s.focus_area, s.percent) for s in activity.sectors) == sorted(
                (share.area, share.percent) for share in case.focus
            )
            assert activity.budgets == tuple(
                attrs_without_source(budget) for budget in case.budgets
            )
            if case.value is not None:
                (transaction,) = activity.transactions
                assert transaction.value == case.value
                assert transaction.value_date == case.value_date
                assert transaction.type is TransactionType.OUTGOING_COMMITMENT
            else:
                assert activity.transactions == ()
            funders = activity.participants_in(OrgRole.FUNDING)
            if case.funding is not None and case.funding.funder is not None:
                assert funders[0].name == case.funding.funder.name
            else:
                assert funders == ()

    @settings(max_examples=25, deadline=None)
    @given(cst.portfolios())
    def test_mous_round_trip(self, portfolio):
        _, activities = _round_trip(portfolio)
        by_id: dict[str, list[Activity]] = {}
        for activity in activities:
            by_id.setdefault(activity.identifier, []).append(activity)
        for number, mou in enumerate(portfolio.mous, start=1):
            if mou.signed_at is None and mou.validity is None:
                continue
            found = by_id[f"XM-TEST-CITY-{mou.identifier or f'mou-{number}'}"]
            (activity,) = found
            assert activity.title == mou.title
            assert [p.name for p in activity.participants] == [
                portfolio.owner.name,
                *(p.name for p in mou.parties if p != portfolio.owner),
            ]
            if mou.signed_at is not None:
                assert activity.actual_start == mou.signed_at.date()
            if mou.validity is not None:
                assert activity.planned_end == mou.validity.end
            areas = {s.focus_area for s in activity.sectors}
            assert areas == set(mou.focus_areas)

    def test_seoul(self):
        seoul = citycoop.datasets.seoul()
        export = build(seoul, reporting_org="KR-SMG-EXAMPLE")
        activities = list(read_activities(export.xml))
        assert len(activities) == export.activities
        assert all(isinstance(a, Activity) for a in activities)


def attrs_without_source(budget):
    import attrs

    return attrs.evolve(budget, source=None, value_date=budget.valued_on)


class TestExampleAndHowTo:
    """The example script and the how-to page quote figures the files give."""

    def test_example_script(self, reference, folder):
        import os
        import re
        import subprocess
        import sys

        script = ROOT / "examples" / "iati_partners.py"
        done = subprocess.run(
            [sys.executable, str(script)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "CITYCOOP_REFERENCE_DATA": str(reference)},
        )
        out = done.stdout
        totals = _xpath_totals(folder / "usaid-ec.xml")
        for year in (2022, 2023, 2024):
            assert f"disbursement {year}: ${totals['3', year, 'USD']:,.2f}" in out
        tree = etree.parse(str(folder / "CAF-ActivityFile-2025-10-10.xml"))
        peru = tree.xpath(
            "//iati-activity[recipient-country/@code='PE']"
            "/transaction[transaction-type/@code='2']/value/text()"
        )
        committed = [
            Decimal(m.replace(",", ""))
            for m in re.findall(r"activit(?:y|ies), \$([\d,.]+) committed", out)
        ]
        assert sum(committed) == sum(Decimal(v) for v in peru)
        counts = [int(n) for n in re.findall(r"^  [^:]+: (\d+) activit", out, re.MULTILINE)]
        assert sum(counts) == int(
            tree.xpath("count(//iati-activity[recipient-country/@code='PE'])")
        )
        caf_ecuador = int(tree.xpath("count(//iati-activity[recipient-country/@code='EC'])"))
        usaid = len(etree.parse(str(folder / "usaid-ec.xml")).xpath("//iati-activity"))
        assert f"USAID and CAF {usaid + caf_ecuador} activities" in out

    def test_how_to_table(self, folder):
        page = ROOT / "docs" / "howto-iati.md"
        rows = [
            [cell.strip() for cell in line.strip("|").split("|")]
            for line in page.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and ".xml" in line
        ]
        assert len(rows) == 8
        for name, figure, value in rows:
            activities = list(read_activities(folder / name))
            records = list(citycoop.transaction_records(activities))
            if figure == "activities, transactions, budgets":
                counts = (
                    len(activities),
                    sum(len(a.transactions) for a in activities),
                    sum(len(a.budgets) for a in activities),
                )
                assert value == ", ".join(map(str, counts))
            elif figure.startswith("disbursements in 20"):
                year = int(figure[-4:])
                result = citycoop.rollup(
                    [r for r in records if r.transaction_type is TransactionType.DISBURSEMENT],
                    by="year",
                )
                (group,) = [g for g in result if g.key == (year,)]
                assert value == str(group.total("USD"))
            elif figure.endswith("in Peru"):
                kind = figure.split()[0]
                wanted = {
                    "commitments": TransactionType.OUTGOING_COMMITMENT,
                    "disbursements": TransactionType.DISBURSEMENT,
                }[kind]
                result = citycoop.rollup(
                    [r for r in records if r.transaction_type is wanted], by="country"
                )
                (group,) = [g for g in result if g.key == (Country("PE"),)]
                assert value == str(group.total("USD"))
            else:
                (activity,) = activities
                assert activity.default_currency == "EUR"
                assert value == str(activity.budgets[0].value)


class TestMutations:
    """Whatever is changed in a valid file, the reader reads it or raises IatiError."""

    BASE = _document(
        _activity(
            '<recipient-country code="PE" percentage="60"/>'
            '<recipient-region code="489" percentage="40"/>'
            '<sector vocabulary="1" code="21020"/>'
            "<location><name><narrative>Lima</narrative></name>"
            '<point srsName="x"><pos>-12.0 -77.0</pos></point></location>'
            "<budget type='1'><period-start iso-date='2021-01-01'/>"
            "<period-end iso-date='2021-12-31'/><value value-date='2021-01-01'>5</value></budget>"
            + _transaction()
        )
    )

    @settings(max_examples=300, deadline=None)
    @given(st.data())
    def test_mutated_values_and_elements(self, data):
        import re
        import warnings

        text = self.BASE.decode()
        values = list(re.finditer(r'"([^"]*)"|>([^<>]+)<', text))
        for _ in range(data.draw(st.integers(1, 3))):
            match = data.draw(st.sampled_from(values))
            group = 1 if match.group(1) is not None else 2
            start, end = match.span(group)
            replacement = data.draw(
                st.sampled_from(
                    ["", "0", "-1", "1e400", "abc", "99999", "2021-02-30", "ZZ", "1 2 3"]
                )
                | st.text(alphabet="0123456789.-eE ,", max_size=8)
            )
            text = text[:start] + replacement + text[end:]
            values = list(re.finditer(r'"([^"]*)"|>([^<>]+)<', text))
        tags = re.findall(r"<([a-z-]+)[ >/]", text)
        if data.draw(st.booleans()):
            tag = data.draw(st.sampled_from(tags))
            text = re.sub(rf"<{tag}[ >/].*?(</{tag}>|/>)", "", text, count=1, flags=re.DOTALL)
        try:
            with warnings.catch_warnings():  # percentages off 100: said, and read by the rule
                warnings.simplefilter("ignore", citycoop.DataWarning)
                activities = list(read_activities(text.encode()))
        except IatiError as error:
            problem = error
        else:
            problem = None
        if problem is not None:
            assert problem.line is not None or problem.activity is None
            return
        for activity in activities:
            list(citycoop.transaction_records([activity]))
            list(citycoop.activity_budget_records([activity]))


def test_conflicting_budgets_name_the_activity():
    budget = (
        "<budget type='1'><period-start iso-date='2021-01-01'/>"
        "<period-end iso-date='2021-12-31'/><value value-date='2021-01-01'>5</value></budget>"
    )
    (activity,) = read_activities(_document(_activity(budget + budget)))
    with pytest.raises(citycoop.ValidationError, match="activity 'XM-TEST-1'"):
        list(citycoop.activity_budget_records([activity]))


class TestKosovo:
    """XK is in IATI's Country list: its activities read, with no UN M49 region."""

    def test_an_activity_in_kosovo(self):
        body = '<recipient-country code="XK" percentage="100"/>' + _transaction()
        (activity,) = read_activities(_document(_activity(body)))
        (share,) = activity.countries
        assert share.country == citycoop.Country("XK")
        assert share.country.region is None
        (group,) = citycoop.rollup(citycoop.transaction_records([activity]), by="region")
        assert group.key == (None,)
        assert group.countries == 1


class TestWholeValues:
    """A value is read whole and as IATI writes it, or refused: never a prefix, never a guess."""

    @pytest.mark.parametrize("value", ["1_000", "١٠٠", "１００", "1e3", " 1 000"])
    def test_values_that_are_not_plain_decimals(self, value):
        with pytest.raises(IatiError, match="is not a number"):
            list(read_activities(_document(_activity(_transaction(value)))))

    def test_markup_inside_a_value(self):
        body = _transaction("111<b/>280.00")
        with pytest.raises(IatiError, match=r"holds markup \(<b>\)"):
            list(read_activities(_document(_activity(body))))

    def test_markup_inside_an_identifier(self):
        document = _document(_activity()).replace(b"XM-TEST-1<", b"XM-TEST<b/>-1<")
        with pytest.raises(IatiError, match=r"column 'iati-identifier'.*holds markup"):
            list(read_activities(document))

    def test_two_dates_of_one_type(self):
        body = '<activity-date type="1" iso-date="2021-01-01"/>'
        with pytest.raises(IatiError, match="a second activity-date of type 1"):
            list(read_activities(_document(_activity(body))))

    def test_a_skipped_reason_is_cut(self):
        body = '<activity-date type="1" iso-date="2021-01-01"/>'
        huge = _transaction("9" * 100_000)
        stream = read_activities(_document(_activity(huge + body)), invalid="skip")
        assert list(stream) == []
        (skipped,) = stream.skipped
        assert len(skipped.reason) <= 300


class TestLanguages:
    """Titles by BCP 47 matching, untagged narratives in the activity's language."""

    def test_untagged_narratives_are_in_the_activity_language(self):
        body = _activity(_transaction(), attributes='default-currency="USD" xml:lang="es"')
        body = body.replace(
            '<narrative xml:lang="en">Water</narrative><narrative xml:lang="es">Agua</narrative>',
            '<narrative xml:lang="EN">Water</narrative><narrative>Agua</narrative>',
        )
        (activity,) = read_activities(_document(body))
        assert activity.title.languages == ("en", "es")  # tags in their usual case
        assert activity.title.in_("es").text == "Agua"
        assert activity.title.in_("es-PE").text == "Agua"
        assert activity.title.in_("en").text == "Water"
        assert activity.title.in_("en-GB").text == "Water"
        none_in_french = activity.title.in_("fr")  # the first title, and it says so
        assert (none_in_french.text, none_in_french.fell_back) == ("Water", True)

    def test_without_a_default_the_language_is_not_said(self):
        body = _activity(_transaction()).replace(
            '<narrative xml:lang="es">Agua</narrative>', "<narrative>Agua</narrative>"
        )
        (activity,) = read_activities(_document(body))
        assert activity.title == citycoop.Text({"en": "Water", "und": "Agua"})
        assert activity.title.get("und") == "Agua"
        assert activity.title.in_("es").text == "Water"  # "und" is no language to match

    def test_a_regional_title_serves_its_language(self):
        body = _activity(_transaction()).replace('xml:lang="es"', 'xml:lang="es-PE"')
        (activity,) = read_activities(_document(body))
        assert activity.title.in_("es").text == "Agua"

    def test_two_narratives_in_one_language_are_refused(self):
        body = _activity(_transaction()).replace(
            '<narrative xml:lang="es">Agua</narrative>', '<narrative xml:lang="en">Agua</narrative>'
        )
        with pytest.raises(citycoop.IatiError, match="a second narrative in 'en'"):
            list(read_activities(_document(body)))

    def test_a_malformed_language_is_named(self):
        body = _activity(_transaction()).replace('xml:lang="es"', 'xml:lang="es--PE"')
        with pytest.raises(citycoop.IatiError, match="title/narrative/@xml:lang"):
            list(read_activities(_document(body)))

    @given(cst.texts())
    @settings(max_examples=30)
    def test_every_language_of_a_title_is_written_and_read_back(self, title):
        case = citycoop.PolicyExport(title, LIMA, "digital", year=2021)
        xml = to_iati_xml(citycoop.Portfolio(SMG, exports=[case]), reporting_org="XM-T")
        (activity,) = read_activities(xml)
        assert activity.title == title


class TestRepeatsReadOnce:
    """An organisation, sector or country met again is the same value read once, never
    one read under other circumstances (another activity language, a bad narrative).
    """

    def test_the_activity_language_is_part_of_an_organisation(self):
        english = _activity(_transaction(), attributes='default-currency="USD" xml:lang="en"')
        spanish = english.replace('xml:lang="en">', 'xml:lang="es">', 1).replace(
            "XM-TEST-1", "XM-TEST-2"
        )
        first, second = read_activities(_document(english + spanish))
        assert first.reporting_org.name == citycoop.Text({"en": "Test"})
        assert second.reporting_org.name == citycoop.Text({"es": "Test"})

    def test_a_repeat_with_markup_is_still_refused(self):
        good = _activity(_transaction())
        bad = good.replace(
            "<narrative>Test</narrative>", "<narrative>Te<b/>st</narrative>"
        ).replace("XM-TEST-1", "XM-TEST-2")
        stream = read_activities(_document(good + bad), invalid="skip")
        assert [a.identifier for a in stream] == ["XM-TEST-1"]
        (skipped,) = stream.skipped
        assert "markup" in skipped.reason

    def test_repeated_shares_are_equal_values(self):
        body = '<recipient-country code="PE"/><sector vocabulary="1" code="21020"/>'
        one = _activity(body + _transaction())
        two = one.replace("XM-TEST-1", "XM-TEST-2")
        first, second = read_activities(_document(one + two))
        assert first.countries == second.countries
        assert first.sectors == second.sectors


class TestForeignElements:
    """Elements the reader does not read are dropped as they end: memory holds one activity."""

    def test_an_activity_inside_a_foreign_element_is_refused(self):
        document = _document(f"<extra>{_activity(_transaction())}</extra>")
        with pytest.raises(IatiError, match="an iati-activity inside extra"):
            list(read_activities(document))

    def test_activities_among_foreign_elements_are_all_read(self):
        foreign = "<extra><a>1</a><b><c>2</c></b></extra>"
        document = _document((foreign + _activity(_transaction())) * 50 + foreign)
        assert len(list(read_activities(document))) == 50

    def test_memory_stays_flat_with_foreign_content(self, tmp_path):
        # 40 MB of foreign elements under the root and inside one foreign element cost
        # about 850 MB of memory when they were kept; dropped as they end, they cost none.
        path = tmp_path / "foreign.xml"
        child = "<extra><a>" + "x" * 60 + "</a><b><c>y</c></b></extra>\n"
        with path.open("w", encoding="utf-8") as handle:
            handle.write('<iati-activities version="2.03">')
            handle.write(child * 200_000)
            handle.write("<big>" + child * 200_000 + "</big>")
            handle.write(_activity(_transaction()))
            handle.write("</iati-activities>")
        script = (
            "import resource, sys\n"
            "from citycoop.io.iati import read_activities\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "count = len(list(read_activities(sys.argv[1])))\n"
            "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(count, (after - before) // 1024)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)],
            capture_output=True, text=True, check=True, timeout=300,
        )  # fmt: skip
        count, grown = map(int, done.stdout.split())
        assert count == 1
        assert grown < 60, f"reading grew by {grown} MiB"


class TestPercentages:
    """Recipient percentages that do not add up to 100: a warning, and the documented rule."""

    @staticmethod
    def read(shares: str) -> tuple[list[str], list[object]]:
        import warnings

        from citycoop import DataWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            activities = list(
                read_activities(_document(_activity(shares + _transaction("1000.01"))))
            )
        assert all(w.category is DataWarning for w in caught)
        return [str(w.message) for w in caught], activities

    def test_a_country_at_100_and_a_region_without_one(self):
        said, activities = self.read(
            '<recipient-country code="PE" percentage="100"/><recipient-region code="489"/>'
        )
        assert said == [
            (
                "<bytes>, line 2: XM-TEST-1: recipient percentages 100, none: the shares without"
                " one get nothing (the others reach 100)"
            )
        ]
        result = citycoop.rollup(list(citycoop.transaction_records(activities)), by="country")
        assert [(g.key[0], g.totals) for g in result] == [
            (Country("PE"), (citycoop.Money("1000.01", "USD"),))
        ]

    @pytest.mark.parametrize(
        ("shares", "rule"),
        [
            (
                (
                    '<recipient-country code="PE" percentage="60"/><recipient-country code="EC"/>'
                    '<recipient-region code="489"/>'
                ),
                "60, none, none: the shares without one share equally the 40 left",
            ),
            (
                '<recipient-country code="PE"/><recipient-country code="EC"/>',
                "none, none: the shares weigh alike",
            ),
            (
                (
                    '<recipient-country code="PE" percentage="60"/>'
                    '<recipient-country code="EC" percentage="20"/>'
                ),
                "60, 20: they add up to 80, and weigh in proportion",
            ),
            (
                (
                    '<recipient-country code="PE" percentage="0"/>'
                    '<recipient-country code="EC" percentage="0"/>'
                ),
                "0, 0: the shares weigh alike",
            ),
        ],
    )
    def test_each_rule_is_said(self, shares, rule):
        said, _ = self.read(shares)
        assert said == [f"<bytes>, line 2: XM-TEST-1: recipient percentages {rule}"]

    def test_percentages_that_add_up_say_nothing(self):
        said, _ = self.read(
            '<recipient-country code="PE" percentage="60"/><recipient-region code="489" percentage="40"/>'
        )
        assert said == []

    def test_a_transactions_own_shares_are_checked_too(self):
        import warnings

        from citycoop import DataWarning

        transaction = _transaction("5").replace(
            "<transaction-date",
            '<recipient-country code="PE" percentage="100"/><recipient-country code="EC"/>'
            "<transaction-date",
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error", DataWarning)
            with pytest.raises(DataWarning, match="XM-TEST-1 transaction 1: recipient percentages"):
                list(read_activities(_document(_activity(transaction))))
