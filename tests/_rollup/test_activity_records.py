"""IATI activities as rollup items: exact splits by place and sector, budgets, rates."""

from __future__ import annotations

import operator
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citycoop
from citycoop import (
    Activity,
    City,
    Country,
    CountryShare,
    FocusArea,
    Location,
    Money,
    Participant,
    Period,
    PlannedDisbursement,
    Rate,
    RateTable,
    RegionShare,
    SectorShare,
    Split,
    Transaction,
    ValidationError,
    rollup,
)
from citycoop import strategies as cst

ORG = Participant("XM-EXAMPLE")
LIMA = City("Lima", "PE", "America/Lima")


def activity(**fields) -> Activity:
    fields.setdefault("reporting_org", ORG)
    return Activity(fields.pop("identifier", "XM-EXAMPLE-1"), **fields)


def paid(amount: str, day: str = "2021-03-01", currency: str = "USD", **fields) -> Transaction:
    return Transaction("disbursement", day, Money(amount, currency), day, **fields)


class TestRecipient:
    def test_one_country_a_city_or_nothing(self):
        assert citycoop.recipient_of(()) is None
        assert citycoop.recipient_of((CountryShare("PE"),)) == Country("PE")
        located = (Location("Lima", city=LIMA),)
        assert citycoop.recipient_of((CountryShare("PE"),), (), located) == LIMA
        # A city in another country than the recipient's is not the recipient.
        assert citycoop.recipient_of((CountryShare("EC"),), (), located) == Country("EC")
        assert citycoop.recipient_of((), (RegionShare("489"),)) is None

    def test_several_split_by_percentages(self):
        recipient = citycoop.recipient_of(
            (CountryShare("PE", 50), CountryShare("EC", 30)), (RegionShare("489", "1", 20),)
        )
        assert recipient == Split(
            ((Country("PE"), Decimal(50)), (Country("EC"), Decimal(30)), (None, Decimal(20)))
        )

    def test_a_split_counts_once_where_its_places_meet(self):
        # Peru and Ecuador are both in the Americas: one item, counted once there.
        item = activity(
            countries=[CountryShare("PE", 50), CountryShare("EC", 50)],
            transactions=[paid("0.03")],
        )
        records = list(citycoop.transaction_records([item]))
        by_region = rollup(records, by="region")
        (americas,) = by_region
        assert (americas.count, americas.countries, americas.cities) == (1, 2, 0)
        assert americas.total("USD") == Money("0.03", "USD")
        by_country = rollup(records, by="country")
        assert [(g.key[0].code, g.count, g.total("USD").amount) for g in by_country] == [
            ("EC", 1, Decimal("0.01")),
            ("PE", 1, Decimal("0.02")),
        ]
        assert by_country.total.count == 1
        assert by_country.total.countries == 2

    def test_split_recipient_with_a_key_function(self):
        # "country" beside a key function: the recipient is split by a function getter.
        item = activity(
            countries=[CountryShare("PE", 50), CountryShare("EC", 50)],
            sectors=[SectorShare("21020", "1", 50), SectorShare("72040", "1", 50)],
            transactions=[paid("1.00")],
        )
        result = rollup(citycoop.transaction_records([item]), by=("country", "focus_area"))
        assert len(result) == 4
        assert sum(g.total("USD").amount for g in result) == Decimal("1.00")
        assert result.total.count == 1
        assert result.level(1).total.count == 1
        assert [g.count for g in result.level(1)] == [1, 1]

    def test_cities_and_countries_counted_without_grouping_by_place(self):
        items = [
            activity(identifier="A", countries=[CountryShare("PE")], transactions=[paid("1")]),
            activity(
                identifier="B",
                countries=[CountryShare("PE")],
                locations=[Location("Lima", city=LIMA)],
                transactions=[paid("1")],
            ),
            activity(
                identifier="C",
                countries=[CountryShare("EC", 50), CountryShare("CO", 50)],
                transactions=[paid("1")],
            ),
        ]
        total = rollup(citycoop.transaction_records(items), by="year").total
        assert (total.count, total.cities, total.countries) == (3, 1, 3)

    def test_measures_refuse_a_split_recipient(self):
        item = activity(
            countries=[CountryShare("PE", 50), CountryShare("EC", 50)], transactions=[paid("1")]
        )
        records = list(citycoop.transaction_records([item]))
        with pytest.raises(ValidationError, match="recipient splits it"):
            rollup(records, by="country", measures="year")

    @settings(max_examples=60, deadline=None)
    @given(st.lists(cst.activities(), max_size=4), st.randoms(use_true_random=False))
    def test_exact_order_independent_and_additive(self, activities, random):
        every = list(citycoop.transaction_records(activities))
        for kind in {record.transaction_type for record in every}:  # types are never added
            records = [record for record in every if record.transaction_type is kind]
            self.check_exact_order_independent_and_additive(records, random)

    def check_exact_order_independent_and_additive(self, records, random):
        for by in ("country", ("region", "sector"), ("focus_area", "year")):
            result = rollup(records, by=by)
            assert result.total.count == len(records)
            expected = citycoop.rollup(records).total.totals
            assert result.total.totals == expected
            shuffled = list(records)
            random.shuffle(shuffled)
            again = rollup(shuffled, by=by)
            assert [(g.key, g.totals, g.count) for g in again] == [
                (g.key, g.totals, g.count) for g in result
            ]
            # Each group's total is the sum of the groups of two halves.
            half = len(records) // 2
            first, second = rollup(records[:half], by=by), rollup(records[half:], by=by)
            for group in result:
                for money in group.totals:
                    parts = [
                        g.total(money.currency).amount
                        for part in (first, second)
                        for g in part
                        if g.key == group.key
                    ]
                    assert sum(parts, Decimal(0)) == money.amount


class TestSectors:
    def test_sector_key_and_other_vocabularies(self):
        item = activity(
            sectors=[
                SectorShare("11", "99"),
                SectorShare("21020", "1", 60),
                SectorShare("21030", "1", 40),
            ],
            transactions=[paid("10")],
        )
        records = list(citycoop.transaction_records([item]))
        assert [g.key for g in rollup(records, by="sector")] == [("21020",), ("21030",)]
        assert [g.key for g in rollup(records, by=citycoop.sector("99"))] == [("11",)]
        assert [g.key for g in rollup(records, by=citycoop.sector("2"))] == [(None,)]
        (group,) = rollup(records, by="focus_area")  # two codes of one area: one part
        assert group.key == (FocusArea.PUBLIC_TRANSPORT,)
        assert group.total("USD") == Money(10, "USD")

    def test_a_publishers_own_codes_mapped_to_focus_areas(self):
        item = activity(sectors=[SectorShare("11", "99")], transactions=[paid("10")])
        records = citycoop.transaction_records(
            [item], vocabulary="99", focus_areas={"11": "public_transport"}
        )
        assert [g.key for g in rollup(records, by="focus_area")] == [(FocusArea.PUBLIC_TRANSPORT,)]
        with pytest.raises(ValidationError, match="focus_areas"):
            list(citycoop.transaction_records([item], focus_areas={"11": "roads"}))

    def test_for_sector_maps_every_primary_code_back(self):
        for area in FocusArea:
            assert FocusArea.for_sector(area.sectors[0]) is area
        assert all(
            FocusArea.for_sector(code) in FocusArea for area in FocusArea for code in area.sectors
        )


class TestBudgetsAndRates:
    def test_revised_else_original_and_planned_disbursements(self):
        year = Period.year(2021)
        item = activity(
            countries=[CountryShare("PE")],
            budgets=[
                citycoop.Budget(year, Money(100, "EUR")),
                citycoop.Budget(year, Money(120, "EUR"), "revised"),
                citycoop.Budget(Period.year(2022), Money(50, "EUR")),
            ],
            planned_disbursements=[
                PlannedDisbursement(year, Money(10, "EUR")),
                PlannedDisbursement(year, Money(12, "EUR"), "revised"),
            ],
        )
        budgets = list(citycoop.activity_budget_records([item]))
        assert [b.value.amount for b in budgets] == [120, 50]
        assert [b.kind.value for b in budgets] == ["revised", "original"]
        planned = list(citycoop.activity_budget_records([item], planned_disbursements=True))
        assert [p.value.amount for p in planned] == [12]
        result = rollup(budgets, by="year")
        assert [g.total("EUR").amount for g in result] == [120, 50]

    def test_converted_at_each_value_date_never_zero(self):
        rates = RateTable([Rate("USD", "KRW", "1100", Period.day("2021-03-01"), "test")])
        item = activity(
            countries=[CountryShare("PE")],
            transactions=[paid("2"), paid("3", day="2021-03-02")],
        )
        records = list(citycoop.transaction_records([item]))
        with pytest.raises(citycoop.MissingRateError):
            rollup(records, currency="KRW", rates=rates, policy=citycoop.RatePolicy.exact_day())
        result = rollup(
            records,
            currency="KRW",
            rates=rates,
            policy=citycoop.RatePolicy.exact_day(),
            missing="omit",
        )
        assert result.total.converted == Money(2200, "KRW")
        assert not result.total.complete
        assert result.unconverted
        assert [leg.rate.source for leg in result.legs] == ["test"]

    def test_activities_count_without_money(self):
        items = [
            activity(identifier="A", countries=[CountryShare("PE")], actual_start="2020-05-01"),
            activity(identifier="B", countries=[CountryShare("PE")]),
        ]
        result = rollup(citycoop.activity_records(items), by=("country", "year"))
        assert [(g.key[1], g.count, g.unvalued) for g in result] == [(2020, 1, 1), (None, 1, 1)]
        by_org = rollup(citycoop.activity_records(items), by="organisation")
        assert [(g.key[0].code, g.count) for g in by_org] == [("XM-EXAMPLE", 2)]
        by_status = rollup(citycoop.activity_records(items), by=operator.attrgetter("status"))
        assert by_status.total.count == 2

    def test_an_activity_takes_the_places_its_transactions_all_name(self):
        same = activity(
            identifier="A",
            transactions=[
                paid("1", countries=[CountryShare("EC")]),
                paid("2", countries=[CountryShare("EC")]),
            ],
        )
        mixed = activity(
            identifier="B",
            transactions=[
                paid("1", countries=[CountryShare("EC")]),
                paid("2", countries=[CountryShare("PE")]),
            ],
        )
        records = list(citycoop.activity_records([same, mixed]))
        assert [r.recipient for r in records] == [Country("EC"), None]

    def test_not_activities(self):
        with pytest.raises(ValidationError, match=r"transaction_records.activities\[0\]"):
            list(citycoop.transaction_records(["XM-1"]))


class TestTransactionTypes:
    """Commitments, disbursements and the other types are never added together."""

    SPLIT = activity(
        countries=[CountryShare("PE", 50), CountryShare("EC", 50)],
        transactions=[
            paid("100"),
            Transaction("outgoing_commitment", "2021-01-01", Money("1000", "USD"), "2021-01-01"),
        ],
    )
    ONE = activity(
        identifier="XM-EXAMPLE-2", countries=[CountryShare("PE")], transactions=[paid("7")]
    )

    def records(self):
        return list(citycoop.transaction_records([self.SPLIT, self.ONE]))

    @pytest.mark.parametrize("by", [(), "country", ("year", "focus_area")])
    def test_refused_without_the_key(self, by):
        with pytest.raises(ValidationError, match="rollup.by") as caught:
            rollup(self.records(), by=by)
        assert "'transaction_type' key" in str(caught.value)
        assert "(disbursement, outgoing_commitment)" in str(caught.value)

    def test_with_the_key_each_type_totals_alone(self):
        result = rollup(self.records(), by=("transaction_type", "country"))
        assert [kind.value for kind in result.mixed_types] == [
            "disbursement",
            "outgoing_commitment",
        ]
        by_type = {g.key[0].value: g.totals for g in result.level(1)}
        assert by_type == {
            "disbursement": (Money("107", "USD"),),
            "outgoing_commitment": (Money("1000", "USD"),),
        }
        assert result.total.count == 3
        assert result.total.totals == ()
        assert result.total.converted is None
        assert result.level(0).rows[0].totals == ()
        assert "types not added: disbursement, outgoing_commitment" in repr(result)
        assert "types not added" in result._repr_html_()

    def test_a_level_above_the_key_carries_no_money(self):
        result = rollup(
            self.records(), by=("country", "transaction_type"), currency="USD", rates=RateTable([])
        )
        assert {g.key[1].value: g.converted for g in result if g.key[0] == Country("PE")} == {
            "disbursement": Money("57", "USD"),
            "outgoing_commitment": Money("500", "USD"),
        }
        countries = result.level(1)
        assert all(g.totals == () and g.converted is None for g in countries)
        assert [g.count for g in countries] == [2, 3]  # counted still (EC, PE)

    def test_one_type_totals_as_before(self):
        disbursed = [r for r in self.records() if r.transaction_type.value == "disbursement"]
        result = rollup(disbursed, by="country")
        assert result.mixed_types == ()
        assert result.total.totals == (Money("107", "USD"),)


class TestOrganisationNames:
    """An organisation key comes with the organisation's name, not its IATI ref alone."""

    def test_records_frames_and_tables_name_it(self):
        named = Participant("US-GOV-1", name="U.S. Agency for International Development")
        records = list(
            citycoop.transaction_records(
                [
                    activity(
                        reporting_org=named,
                        countries=[CountryShare("EC")],
                        transactions=[paid("5")],
                    ),
                    activity(
                        identifier="XM-EXAMPLE-2",
                        countries=[CountryShare("PE")],
                        transactions=[paid("7")],
                    ),
                ]
            )
        )
        result = rollup(records, by="organisation")
        assert [(r["organisation"], r["organisation_name"]) for r in result.to_records()] == [
            ("US-GOV-1", "U.S. Agency for International Development"),
            ("XM-EXAMPLE", None),  # the file names it by its identifier only
        ]
        assert "US-GOV-1 U.S. Agency for International Development" in result._repr_html_()
        pytest.importorskip("pandas")
        from citycoop.io.frames import rollup_frame

        frame = rollup_frame(result)
        assert frame["organisation_name"].tolist()[0] == "U.S. Agency for International Development"
