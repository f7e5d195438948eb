"""Rollups of an ingested dataset (`columnar.rollup_transactions`, `rollup_budgets`).

Each is checked against the object path (`citycoop.rollup` of `transaction_records` or
`activity_budget_records`) on the same activities: on every real publisher file, and on
generated activities written as ingest writes them. A dataset keeps no locations, so
the object path is given the activities without them.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import citycoop
from citycoop import strategies as cst

pytest.importorskip("lxml")
pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

from citycoop import columnar
from citycoop.io import ingest as ingest_module
from citycoop.io._ingest_rows import (
    NotExactError,
    Rows,
    read_recipients,
    read_sectors,
    recipients_cell,
    sectors_cell,
)
from citycoop.io.iati import read_activities
from citycoop.io.ingest import ingest


def _cells(result: citycoop.Rollup) -> dict[object, tuple[object, ...]]:
    """What a rollup says of each group: counts, places and every total (by value)."""
    return {
        group.key: (
            group.count,
            group.unvalued,
            group.countries,
            group.cities,
            tuple(sorted(group.totals, key=str)),
            group.converted,
            group.constant,
            group.complete,
        )
        for group in result
    }


def _same(expected: citycoop.Rollup, got: citycoop.Rollup) -> None:
    assert _cells(got) == _cells(expected)
    assert got.unconverted == expected.unconverted
    assert _cells_of_total(got) == _cells_of_total(expected)


def _cells_of_total(result: citycoop.Rollup) -> tuple[object, ...]:
    total = result.total
    return (total.count, total.unvalued, tuple(sorted(total.totals, key=str)), total.converted)


@pytest.fixture(scope="module")
def real(reference, tmp_path_factory):
    """The real publisher files ingested, and their activities read without locations."""
    folder = reference / "data" / "iati-activities"
    out = tmp_path_factory.mktemp("real") / "dataset"
    report = ingest(folder, out, workers=1)
    activities = [
        attrs.evolve(activity, locations=())
        for entry in report.files
        if entry.error is None
        for activity in read_activities(folder / entry.file)
    ]
    return out, activities


KEYS = [
    ("country", "transaction_type"),
    ("year", "transaction_type"),
    ("region", "sub_region", "transaction_type"),
    ("focus_area", "transaction_type"),
    ("sector", "country", "transaction_type"),
    ("organisation", "status", "currency", "transaction_type"),
    ("transaction_type",),
]


class TestRealFiles:
    """Every real file: the same groups, counts and exact totals as the object path."""

    @pytest.mark.parametrize("by", KEYS)
    def test_transactions_as_recorded(self, real, by):
        out, activities = real
        expected = citycoop.rollup(citycoop.transaction_records(activities), by=by)
        _same(expected, columnar.rollup_transactions(out, by=by))

    @pytest.mark.parametrize(
        "by", [("country", "transaction_type"), ("focus_area", "transaction_type")]
    )
    def test_transactions_at_daily_rates(self, real, ecb, by):
        out, activities = real
        options = {"currency": "EUR", "rates": ecb, "missing": "omit"}
        expected = citycoop.rollup(citycoop.transaction_records(activities), by=by, **options)
        got = columnar.rollup_transactions(out, by=by, **options)
        _same(expected, got)
        assert all(group.converted is not None for group in got)

    def test_transactions_on_one_date_with_a_policy(self, real, ecb):
        out, activities = real
        options = {
            "currency": "KRW",
            "rates": ecb,
            "on": "2024-01-06",  # a Saturday: the policy finds the Friday's rate
            "policy": citycoop.RatePolicy.latest(max_age_days=4),
        }
        by = ("year", "transaction_type")
        expected = citycoop.rollup(citycoop.transaction_records(activities), by=by, **options)
        _same(expected, columnar.rollup_transactions(out, by=by, **options))

    def test_transactions_at_constant_prices(self, real, ecb, dac):
        out, activities = real
        options = {
            "currency": "USD",
            "rates": ecb,
            "prices": dac,
            "base_year": 2020,
            "missing": "omit",
        }
        by = ("country", "transaction_type")
        expected = citycoop.rollup(citycoop.transaction_records(activities), by=by, **options)
        got = columnar.rollup_transactions(out, by=by, **options)
        _same(expected, got)
        assert any(group.constant is not None for group in got)

    @pytest.mark.parametrize("by", [("year",), ("country",), ("focus_area", "status")])
    def test_budgets(self, real, by):
        out, activities = real
        expected = citycoop.rollup(citycoop.activity_budget_records(activities), by=by)
        _same(expected, columnar.rollup_budgets(out, by=by))

    def test_types_are_never_added_together(self, real):
        out, _ = real
        with pytest.raises(citycoop.ValidationError, match="transaction_type"):
            columnar.rollup_transactions(out, by="country")

    def test_threads_give_the_same_result(self, real):
        out, _ = real
        by = ("sector", "transaction_type")
        one = columnar.rollup_transactions(out, by=by)
        assert _cells(columnar.rollup_transactions(out, by=by, threads=2)) == _cells(one)


@st.composite
def _activities(draw: st.DrawFn) -> list[citycoop.Activity]:
    """Activities whose amounts a dataset holds (at most ten decimal places)."""
    found = draw(
        st.lists(cst.activities(), min_size=1, max_size=6, unique_by=lambda a: a.identifier)
    )
    kept = []
    for line, drawn in enumerate(found, start=2):  # as a file numbers them
        # A dataset keeps no locations, and a reporting organisation's name as recorded.
        name = drawn.reporting_org.name
        if name is not None:
            name = citycoop.Text({name.language: name.original})
        activity = attrs.evolve(
            drawn,
            line=line,
            locations=(),
            reporting_org=attrs.evolve(drawn.reporting_org, name=name),
        )
        try:
            Rows("generated.xml").add(activity)
        except NotExactError:
            continue
        kept.append(activity)
    return kept


def _written(activities: list[citycoop.Activity], out: Path) -> Path:
    """*activities* written as ingest writes one file's activities."""
    out.mkdir(parents=True)
    staging = out / ".parts"
    writer = ingest_module._Writer(staging, 0, "generated.xml")
    for activity in activities:
        writer.rows.add(activity)
    writer.flush()
    for task in ingest_module._compactions(staging, out):
        ingest_module._compact(task)
    shutil.rmtree(staging, ignore_errors=True)
    report = ingest_module.IngestReport(str(out), (ingest_module.FileReport("generated.xml"),))
    (out / "ingest-report.json").write_text(json.dumps(report.as_dict()), encoding="utf-8")
    return out


def _one_transaction(out: Path) -> Path:
    """A dataset of one activity with one transaction of USD 1."""
    activity = citycoop.Activity(
        "XM-EXAMPLE-1",
        reporting_org=citycoop.Participant("XM-EXAMPLE"),
        transactions=[
            citycoop.Transaction(
                "disbursement", "2024-03-01", citycoop.Money("1", "USD"), "2024-03-01"
            )
        ],
    )
    return _written([activity], out)


GENERATED = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestGenerated:
    """Generated activities: several countries, regions and sectors, with percentages."""

    @GENERATED
    @given(
        activities=_activities(),
        by=st.sampled_from(
            [
                ("country", "transaction_type"),
                ("region", "transaction_type"),
                ("focus_area", "country", "transaction_type"),
                ("sector", "transaction_type"),
                ("organisation", "currency", "transaction_type"),
            ]
        ),
    )
    def test_transactions(self, activities, by):
        with tempfile.TemporaryDirectory() as folder:
            out = _written(activities, Path(folder) / "dataset")
            expected = citycoop.rollup(citycoop.transaction_records(activities), by=by)
            _same(expected, columnar.rollup_transactions(out, by=by))

    @GENERATED
    @given(activities=_activities(), by=st.sampled_from([("country",), ("sector", "year")]))
    def test_budgets(self, activities, by):
        with tempfile.TemporaryDirectory() as folder:
            out = _written(activities, Path(folder) / "dataset")
            expected = citycoop.rollup(citycoop.activity_budget_records(activities), by=by)
            _same(expected, columnar.rollup_budgets(out, by=by))

    @given(
        countries=st.lists(cst.country_shares(), max_size=3).map(tuple),
        regions=st.lists(cst.region_shares(), max_size=2).map(tuple),
        sectors=st.lists(cst.sector_shares(), max_size=3).map(tuple),
    )
    def test_cells_read_back_to_their_shares(self, countries, regions, sectors):
        assert read_recipients(recipients_cell(countries, regions)) == (countries, regions)
        assert read_sectors(sectors_cell(sectors)) == sectors


class TestRefusals:
    def test_a_folder_that_is_not_a_dataset_is_named(self, tmp_path):
        with pytest.raises(citycoop.ValidationError, match=r"rollup_transactions\.dataset"):
            columnar.rollup_transactions(tmp_path)

    @pytest.mark.parametrize(
        ("by", "why"),
        [
            ("city", "keeps no locations"),
            ("modality", "one of country"),
            (("year", "funder"), "one of country"),
        ],
    )
    def test_keys_it_cannot_group_by_are_named(self, real, by, why):
        out, _ = real
        with pytest.raises(citycoop.ValidationError, match=why):
            columnar.rollup_transactions(out, by=by)

    def test_budgets_have_no_transaction_type(self, real):
        out, _ = real
        with pytest.raises(citycoop.ValidationError, match=r"rollup_budgets\.by\[0\]"):
            columnar.rollup_budgets(out, by="transaction_type")

    @pytest.mark.parametrize(
        ("options", "field"),
        [
            ({"threads": 0}, "threads"),
            ({"vocabulary": ""}, "vocabulary"),
            ({"currency": "XYZ"}, "currency"),
            ({"missing": "skip"}, "missing"),
        ],
    )
    def test_bad_options_are_named(self, real, options, field):
        out, _ = real
        with pytest.raises(citycoop.CitycoopError, match=rf"rollup_transactions\.{field}"):
            columnar.rollup_transactions(out, by="transaction_type", **options)

    def test_a_missing_rate_is_raised(self, real, ecb):
        out, _ = real
        with pytest.raises(citycoop.MissingRateError):
            columnar.rollup_transactions(
                out, by="transaction_type", currency="EUR", rates=ecb, on="1990-01-01"
            )

    def test_two_original_budgets_for_one_period_are_refused(self, tmp_path):
        activity = citycoop.Activity(
            "XM-EXAMPLE-1",
            reporting_org=citycoop.Participant("XM-EXAMPLE"),
            budgets=[
                citycoop.Budget(
                    citycoop.Period("2021-01-01", "2021-12-31"), citycoop.Money(10, "USD")
                ),
                citycoop.Budget(
                    citycoop.Period("2021-01-01", "2021-12-31"), citycoop.Money(20, "USD")
                ),
            ],
        )
        with pytest.raises(citycoop.ValidationError):
            list(citycoop.activity_budget_records([activity]))
        out = _written([activity], tmp_path / "dataset")
        with pytest.raises(citycoop.DataFileError, match="two original budgets"):
            columnar.rollup_budgets(out)

    def test_an_unknown_currency_in_the_dataset_is_named(self, tmp_path):
        pq = pytest.importorskip("pyarrow.parquet")
        out = _one_transaction(tmp_path / "dataset")
        (part,) = (out / "transactions").rglob("*.parquet")
        table = pq.read_table(part)
        column = table.schema.get_field_index("currency")
        import pyarrow as pa

        pq.write_table(table.set_column(column, "currency", pa.array(["ZZZ"])), part)
        with pytest.raises(citycoop.DataFileError, match="'ZZZ' is not a currency"):
            columnar.rollup_transactions(out)

    def test_a_broken_part_is_named(self, real, tmp_path):
        out, _ = real
        copy = tmp_path / "dataset"
        shutil.copytree(out, copy)
        part = next((copy / "transactions").rglob("*.parquet"))
        part.write_bytes(b"PAR1 not a Parquet file")
        with pytest.raises(citycoop.DataFileError, match="not a dataset citycoop.io.ingest wrote"):
            columnar.rollup_transactions(copy, by="transaction_type")

    def test_a_table_without_a_column_read_is_named(self, tmp_path):
        pq = pytest.importorskip("pyarrow.parquet")
        out = _one_transaction(tmp_path / "dataset")
        (part,) = (out / "transactions").rglob("*.parquet")
        pq.write_table(pq.read_table(part).drop_columns(["recipients"]), part)
        with pytest.raises(citycoop.DataFileError, match="recipients"):
            columnar.rollup_transactions(out)

    def test_an_empty_dataset_rolls_up_to_nothing(self, tmp_path):
        out = _written([], tmp_path / "dataset")
        result = columnar.rollup_transactions(out, by="country")
        assert (len(result.rows), result.total.count) == (0, 0)
        assert result.total.totals == ()


def test_amounts_lose_no_digit(tmp_path):
    """An amount with ten decimal places comes back whole, without trailing zeros."""
    activity = citycoop.Activity(
        "XM-EXAMPLE-1",
        reporting_org=citycoop.Participant("XM-EXAMPLE"),
        transactions=[
            citycoop.Transaction(
                "disbursement", "2024-03-01", citycoop.Money("0.0000000001", "USD"), "2024-03-01"
            ),
            citycoop.Transaction(
                "disbursement", "2024-03-02", citycoop.Money("5", "USD"), "2024-03-02"
            ),
        ],
    )
    out = _written([activity], tmp_path / "dataset")
    (total,) = columnar.rollup_transactions(out).total.totals
    assert total.amount.as_tuple() == Decimal("5.0000000001").as_tuple()


def test_cells_are_written_as_the_ingest_docs_say():
    countries = (citycoop.CountryShare("PE", 60), citycoop.CountryShare("EC", 40))
    regions = (citycoop.RegionShare("489"),)
    assert recipients_cell(countries, regions) == "PE=60;EC=40;@1:489"
    sectors = (citycoop.SectorShare("15110", percent=50), citycoop.SectorShare("43030", percent=50))
    assert sectors_cell(sectors) == "1:15110=50;1:43030=50"
    odd = (citycoop.SectorShare("a;b=c:d@e%", "99"),)
    assert sectors_cell(odd) == "99:a%3Bb%3Dc%3Ad%40e%25"
    assert read_sectors(sectors_cell(odd)) == odd


def test_every_dataset_key_is_a_rollup_key_of_the_same_name():
    """A dataset key means what the object path's key of that name means."""
    import typing

    from citycoop._rollup.keys import KEY_TABLE

    assert set(columnar.TRANSACTION_KEYS) <= set(typing.get_args(citycoop.KeyName))
    assert set(columnar.TRANSACTION_KEYS) <= {key.name for key in KEY_TABLE}
    assert set(columnar.BUDGET_KEYS) == set(columnar.TRANSACTION_KEYS) - {"transaction_type"}
