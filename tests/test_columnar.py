"""Arrow tables, Parquet files and rollups over them (`citycoop.columnar`)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citycoop
from _shared import differential_cases, rollup_options
from citycoop import CsvError, MissingRateError, Money, PolicyExport, ValidationError
from citycoop import strategies as cst

pa = pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")
from citycoop import columnar  # noqa: E402 - after the extras are known to be installed


def same(got, expected) -> None:
    """Two rollups say the same: rows, total, rates used, what was not converted."""
    assert got.by == expected.by
    assert got.rows == expected.rows
    assert got.total == expected.total
    assert got.legs == expected.legs
    assert got.unconverted == expected.unconverted


class TestArrow:
    """Cases to Arrow and back: equal, with exact amounts and encoded keys."""

    @settings(max_examples=40)
    @given(st.lists(cst.policy_exports(), max_size=5))
    def test_round_trip(self, cases):
        assert columnar.from_arrow(columnar.to_arrow(cases)) == tuple(cases)

    def test_types(self):
        cases = [
            PolicyExport(
                "x", citycoop.City("Lima", "PE", "America/Lima"), "digital",
                value=Money("1.125", "USD"), value_date="2021-11-25",
            ),
            PolicyExport("y", citycoop.City("Lima", "PE", "America/Lima"), "digital"),
        ]  # fmt: skip
        table = columnar.to_arrow(cases)
        schema = table.schema
        assert schema.field("value_amount").type == pa.decimal128(38, 3)
        assert schema.field("value_date").type == pa.date32()
        assert schema.field("year").type == pa.int64()
        assert pa.types.is_dictionary(schema.field("recipient_name").type)
        assert schema.field("note").type == pa.string()  # all null: plain text
        assert table.column("value_amount").to_pylist()[0] == Money("1.125", "USD").amount

    def test_parquet(self, tmp_path):
        import pyarrow.parquet as pq

        cases = citycoop.datasets.seoul().exports
        pq.write_table(columnar.to_arrow(cases), tmp_path / "cases.parquet")
        dataset = columnar.open_parquet(tmp_path / "cases.parquet")
        assert columnar.from_arrow(dataset.to_table()) == cases
        same(columnar.rollup(dataset, by="country"), citycoop.rollup(cases, by="country"))

    def test_bad_rows_are_named(self):
        table = columnar.to_arrow(citycoop.datasets.seoul().exports)
        column = table.column_names.index("recipient_timezone")
        broken = table.set_column(
            column, "recipient_timezone", pa.array(["Mars/Base"] * table.num_rows)
        )
        with pytest.raises(CsvError, match=r"row 0, column 'recipient_timezone'"):
            columnar.from_arrow(broken)
        with pytest.raises(CsvError, match="missing columns"):
            columnar.from_arrow(table.drop_columns(["policy"]))
        with pytest.raises(CsvError, match="cannot be read as Parquet"):
            columnar.open_parquet("/nonexistent/cases.parquet")


class TestRollup:
    """A columnar rollup is the object rollup, computed by DuckDB and citycoop."""

    @settings(max_examples=120)
    @given(differential_cases(), rollup_options())
    def test_equal_to_the_object_rollup(self, cases, options):
        expected = citycoop.rollup(cases, missing="omit", **options)
        got = columnar.rollup(columnar.to_arrow(cases), missing="omit", **options)
        same(got, expected)

    def test_all_null_dictionary_columns(self):
        """A table from elsewhere may encode an all-null column; it groups all the same."""
        lima = citycoop.City("Lima", "PE", "America/Lima")  # no coordinates
        cases = [PolicyExport("p", lima, "digital", value=Money(5, "PEN"), value_date="2021-01-04")]
        table = columnar.to_arrow(cases)
        index = table.column_names.index("recipient_latitude")
        encoded = table.set_column(
            index,
            "recipient_latitude",
            pa.array([None] * table.num_rows, pa.string()).dictionary_encode(),
        )
        same(columnar.rollup(encoded, by="city"), citycoop.rollup(cases, by="city"))

    def test_missing_rate_raises_by_default(self):
        cases = [
            PolicyExport(
                "x", citycoop.City("Lima", "PE", "America/Lima"), "digital",
                value=Money("5", "PEN"), value_date="2021-11-25",
            )
        ]  # fmt: skip
        with pytest.raises(MissingRateError):
            columnar.rollup(columnar.to_arrow(cases), currency="USD", rates=citycoop.RateTable(()))

    def test_refused_inputs(self):
        cases = citycoop.datasets.seoul().exports
        table = columnar.to_arrow(cases)
        with pytest.raises(ValidationError, match=r"rollup.by\[0\]"):
            columnar.rollup(table, by="focus_area")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="rollup.source"):
            columnar.rollup(list(cases))
        with pytest.raises(ValidationError, match="rollup.threads"):
            columnar.rollup(table, threads=0)
        child = PolicyExport("c", cases[0].recipient, "digital", parent="p-1")
        with pytest.raises(ValidationError, match="with a parent"):
            columnar.rollup(columnar.to_arrow([child]))

    def test_hostile_currency_text_is_data_not_sql(self):
        lima = citycoop.City("Lima", "PE", "America/Lima")
        table = columnar.to_arrow(
            [PolicyExport("p", lima, "digital", value=Money(5, "PEN"), value_date="2021-01-04")]
        )
        column = table.column_names.index("value_currency")
        hostile = table.set_column(column, "value_currency", pa.array(["X') OR 1=1 --"]))
        rates = citycoop.RateTable(
            [citycoop.Rate("USD", "KRW", "1190", citycoop.Period.year(2021), "WB")]
        )
        with pytest.raises(ValidationError, match=r"X'\) OR 1=1"):
            columnar.rollup(hostile, currency="USD", rates=rates, missing="omit")

    def test_a_value_without_a_date_names_the_source(self):
        lima = citycoop.City("Lima", "PE", "America/Lima")
        undated = PolicyExport("p", lima, "digital", value=Money(5, "PEN"))
        rates = citycoop.RateTable(
            [citycoop.Rate("USD", "PEN", "3.9", citycoop.Period.year(2021), "WB")]
        )
        with pytest.raises(ValidationError, match=r"rollup\.items\[0\]\.value_date"):
            citycoop.rollup([undated], currency="USD", rates=rates)
        with pytest.raises(ValidationError, match=r"rollup\.source\.value_date"):
            columnar.rollup(columnar.to_arrow([undated]), currency="USD", rates=rates)


class TestErrorPaths:
    """The columnar rollup's errors name its own arguments, not citycoop.rollup's."""

    @pytest.mark.parametrize(
        ("options", "path"),
        [
            ({"by": ["country", "colour"]}, r"^columnar\.rollup\.by\[1\]"),
            ({"currency": "USD"}, r"^columnar\.rollup\.rates"),
            ({"missing": "ignore"}, r"^columnar\.rollup\.missing"),
            ({"on": "someday"}, r"^columnar\.rollup\.on"),
            ({"threads": 0}, r"^columnar\.rollup\.threads"),
        ],
    )
    def test_paths(self, options, path):
        table = columnar.to_arrow(citycoop.datasets.seoul().exports)
        with pytest.raises(ValidationError, match=path):
            columnar.rollup(table, **options)
