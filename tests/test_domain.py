from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest

from citycoop import (
    MOU,
    ONLINE,
    Budget,
    BudgetKind,
    City,
    Cohort,
    Coordinates,
    Country,
    FocusArea,
    InvalidTransitionError,
    Milestone,
    Money,
    MOUStatus,
    Official,
    Organisation,
    Period,
    PolicyExport,
    Region,
    ReportedFigures,
    StrategyHorizon,
    TrainingTrack,
    UnknownCodeError,
    ValidationError,
    Venue,
)
from citycoop._budgets import effective_budgets
from citycoop._units import hours

SEOUL = City("Seoul", "KR", "Asia/Seoul")
LIMA = City("Lima", "PE", "America/Lima")
SMG = Organisation("Seoul Metropolitan Government", "city_government", city=SEOUL)
MML = Organisation("Metropolitan Municipality of Lima", "city_government", city=LIMA)
OH = Official("Oh Se-hoon", "Mayor of Seoul", SMG)
MUNOZ = Official("Jorge Muñoz Wells", "Mayor of Lima", MML)


def lima_mou(**changes) -> MOU:
    fields = {
        "signatories": [OH, MUNOZ],
        "signed_at": pendulum.datetime(2021, 11, 25, 8, 30, tz="Asia/Seoul"),
        "status": "signed",
        "venue": ONLINE,
        "focus_areas": ["citizen_safety", "public_transport", "digital"],
    }
    fields.update(changes)
    return MOU("Seoul-Lima", [SMG, MML], **fields)


class TestPlaces:
    """Countries, regions and cities validate their codes."""

    def test_country_regions(self):
        peru = Country("per")
        assert peru.code == "PE"
        assert peru.region == Region("019")
        assert peru.sub_region == Region("419")
        assert peru.intermediate_region == Region("005")
        assert Country("KR").intermediate_region is None
        assert Country("KR").name("ko") == "대한민국"

    @pytest.mark.parametrize("code", ["XX", "", 1, "KORR"])
    def test_unknown_country(self, code):
        with pytest.raises(UnknownCodeError, match="Country.code"):
            Country(code)

    def test_unknown_region(self):
        with pytest.raises(UnknownCodeError):
            Region("999")

    @pytest.mark.parametrize("zone", ["Mars/Base", "", "../etc/passwd", None, "Asia/Seoul "])
    def test_unknown_timezone(self, zone):
        with pytest.raises(UnknownCodeError, match="City.timezone"):
            City("X", "KR", zone)

    def test_city_checks(self):
        with pytest.raises(ValidationError, match="City.name"):
            City(" ", "KR", "Asia/Seoul")
        with pytest.raises(ValidationError, match="City.population"):
            City("X", "KR", "Asia/Seoul", population=-1)
        with pytest.raises(ValidationError, match="latitude"):
            Coordinates("91", "0")

    def test_from_geonames(self):
        row = {
            "Name": "Kyiv",
            "Country Code": "UA",
            "Population": "2797553",
            "Timezone": "Europe/Kyiv",
            "Latitude": "50.45466",
            "Longitude": "30.5238",
        }
        kyiv = City.from_geonames(row)
        assert kyiv.population == 2797553
        assert kyiv.region == Region("150")

    def test_m49_table_matches_reference(self, reference):
        import csv

        path = reference / "data" / "regions" / "country-codes_datasets.csv"
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        checked = 0
        for row in rows:
            if not row["Region Code"]:
                continue
            country = Country(row["ISO3166-1-Alpha-2"])
            assert country.alpha3 == row["ISO3166-1-Alpha-3"]
            assert country.region == Region(row["Region Code"].zfill(3))
            assert country.sub_region == Region(row["Sub-region Code"].zfill(3))
            checked += 1
        assert checked > 240

    def test_cities_from_reference(self, reference):
        import csv

        path = reference / "data" / "cities" / "geonames_cities15000_floodlink.csv"
        with path.open(encoding="utf-8") as handle:
            # Namibia's code is the string "NA"; the csv module keeps it as text.
            rows = [
                r for r in csv.DictReader(handle) if r["Country Code"] in {"PE", "UA", "MN", "NA"}
            ]
        cities = [City.from_geonames(r) for r in rows]
        assert any(c.name == "Ulan Bator" and c.timezone == "Asia/Ulaanbaatar" for c in cities)
        assert any(c.country == Country("NA") for c in cities)
        assert len(cities) == len(rows)


class TestPeriod:
    """Periods are inclusive calendar spans."""

    def test_end_before_start(self):
        with pytest.raises(ValidationError, match="Period.end"):
            Period("2021-12-01", "2021-11-30")

    def test_datetime_is_not_a_date(self):
        with pytest.raises(ValidationError, match="not a datetime"):
            Period(dt.datetime(2021, 1, 1), "2021-02-01")

    def test_month_and_year(self):
        assert Period.month(2024, 2).days == 29
        assert Period.year(2021).kind == "year"
        assert Period.fiscal_year(2021, 4) == Period("2021-04-01", "2022-03-31")
        assert pendulum.date(2021, 11, 25) in Period.month(2021, 11)


class TestMOU:
    """MOUs validate parties, signatories, times and status changes."""

    def test_local_signing_times(self):
        times = lima_mou().local_signing_times()
        assert times[SMG].format("ddd D MMM YYYY HH:mm") == "Thu 25 Nov 2021 08:30"
        assert times[MML].format("ddd D MMM YYYY HH:mm") == "Wed 24 Nov 2021 18:30"
        assert lima_mou().signed_at.timezone_name == "UTC"
        assert times[SMG] == times[MML]

    def test_naive_datetime_rejected(self):
        with pytest.raises(ValidationError, match="MOU.signed_at.*naive"):
            lima_mou(signed_at=dt.datetime(2021, 11, 25, 8, 30))

    def test_duplicate_parties(self):
        with pytest.raises(ValidationError, match=r"MOU.parties\[1\]"):
            MOU("x", [SMG, SMG])

    def test_one_party(self):
        with pytest.raises(ValidationError, match="two or more"):
            MOU("x", [SMG])

    def test_signatory_of_no_party(self):
        stranger = Official("A", "Minister", Organisation("KOTRA", "national_agency", country="KR"))
        with pytest.raises(ValidationError, match=r"signatories\[0\]"):
            lima_mou(signatories=[stranger])

    def test_duplicate_focus(self):
        with pytest.raises(ValidationError, match="focus"):
            lima_mou(focus_areas=["digital", "digital"])

    def test_transitions(self):
        mou = lima_mou().with_status("active")
        assert mou.status is MOUStatus.ACTIVE
        assert mou.with_status("completed").status is MOUStatus.COMPLETED
        with pytest.raises(InvalidTransitionError, match="'completed' to 'active'"):
            mou.with_status("completed").with_status("active")
        proposed = MOU("x", [SMG, MML])
        with pytest.raises(ValidationError, match="signing time"):
            proposed.with_status("signed")
        signed = proposed.with_status("signed", signed_at="2021-11-25T08:30+09:00")
        assert signed.active_on(pendulum.date(2022, 1, 1))

    def test_evolve_without_changes_is_equal(self):
        mou = lima_mou()
        assert attrs.evolve(mou) == mou
        assert hash(attrs.evolve(mou)) == hash(mou)

    def test_venue(self):
        assert str(Venue(city=LIMA)) == "Lima, PE"
        with pytest.raises(ValidationError):
            Venue()


class TestHorizonsAndTraining:
    """Horizons hold milestones inside their period; training measures hours."""

    def test_milestone_outside_horizon(self):
        with pytest.raises(ValidationError, match=r"milestones\[0\].due"):
            StrategyHorizon("mid", Period.year(2022), milestones=[Milestone("Plan", "2023-01-01")])

    def test_unknown_term(self):
        with pytest.raises(UnknownCodeError):
            StrategyHorizon("medium")

    def test_person_hours(self):
        track = TrainingTrack(
            "Smart city",
            "capacity_building",
            modality="online",
            cohorts=[
                Cohort(Period.day("2022-03-07"), participants=20, hours=35),
                Cohort(Period.day("2022-09-05"), participants=10, hours=hours("7.5")),
            ],
        )
        assert track.person_hours == hours(775)
        assert track.participants == 30

    def test_negative_participants_and_hours(self):
        with pytest.raises(ValidationError, match="participants"):
            Cohort(Period.day("2022-03-07"), participants=-1, hours=1)
        with pytest.raises(ValidationError, match="hours"):
            Cohort(Period.day("2022-03-07"), participants=1, hours=-1)

    def test_foreign_registry_quantity(self):
        import pint

        other = pint.UnitRegistry()
        cohort = Cohort(
            Period.day("2022-03-07"), participants=2, hours=other.Quantity(90, "minute")
        )
        assert cohort.hours == hours("1.5")
        assert hash(cohort.hours) == hash(hours("1.5"))


class TestExports:
    """Export cases split exactly and keep unknown values unknown."""

    def test_split_must_sum_to_100(self):
        with pytest.raises(ValidationError, match="sum to 100"):
            PolicyExport("x", LIMA, {"public_transport": 60, "digital": 30})

    def test_split_allocates_exactly(self):
        case = PolicyExport(
            "x", LIMA, {"public_transport": 60, "digital": 40}, value=Money("0.05", "USD")
        )
        parts = dict(case.split_value())
        assert sum(parts.values()) == Money("0.05", "USD")
        assert parts[FocusArea.PUBLIC_TRANSPORT] == Money("0.03", "USD")

    def test_unknown_value_yields_nothing(self):
        assert list(PolicyExport("x", LIMA, "digital").split_value()) == []

    def test_value_date_sets_year(self):
        assert PolicyExport("x", LIMA, "digital", value_date="2021-11-25").year == 2021

    def test_bad_focus(self):
        with pytest.raises(UnknownCodeError, match="focus"):
            PolicyExport("x", LIMA, "astrology")

    def test_sectors_exist_in_iati(self, reference):
        import xml.etree.ElementTree as ET

        tree = ET.parse(reference / "iati" / "codelists" / "Sector.xml")  # noqa: S314 - trusted local file
        codes = {item.findtext("code") for item in tree.iter("codelist-item")}
        for area in FocusArea:
            assert set(area.sectors) <= codes, area


class TestBudgetsAndReports:
    """A revised budget replaces the original; reports need a figure."""

    def test_revised_wins(self):
        original = Budget(Period.year(2017), Money("690e6", "KRW"))
        revised = Budget(Period.year(2017), Money("700e6", "KRW"), BudgetKind.REVISED)
        assert effective_budgets((original, revised)) == (revised,)
        assert effective_budgets((revised, original)) == (revised,)
        with pytest.raises(ValidationError):
            effective_budgets((original, original))

    def test_reported_needs_a_figure(self):
        with pytest.raises(ValidationError):
            ReportedFigures("2021-11-24")
