"""Arrow tables, Parquet files and rollups over them (`citycoop.columnar`)."""

from __future__ import annotations

import decimal
from decimal import Decimal

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
        with pytest.raises(ValidationError, match="from 1 to 256"):
            columnar.rollup(table, threads=10**9)
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
        with pytest.raises(CsvError, match=r"row 0, column 'value_amount'.*X'\) OR 1=1"):
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
        lima = citycoop.City("Lima", "PE", "America/Lima")
        valued = PolicyExport("p", lima, "digital", value=Money(5, "PEN"), value_date="2021-01-04")
        table = columnar.to_arrow([*citycoop.datasets.seoul().exports, valued])
        with pytest.raises(ValidationError, match=path):
            columnar.rollup(table, **options)


#: Cells a hostile table puts in the columns a rollup reads.
HOSTILE: dict[str, list[object]] = {
    "value_currency": ["ZZZ", "usd", "", None, "US", "USD ", "X') OR 1=1 --", "ǆsd"],
    "status": ["bogus", "", None, "COMPLETED", "planned", "in_progress"],
    "year": [None, 1899, 1900, 2020, 2021, 2200, 2201, -1],
    "recipient_timezone": ["Mars/Base", "", None, "UTC", "America/Lima"],
    "recipient_country": ["ZZ", "pe", "", None, "XK"],
    "recipient_population": [None, 0, -1, 10**12, 2**63 - 1],
    "recipient_latitude": ["91", "abc", "", None, "-12.05"],
}


def _column_type(table, column):
    kind = table.schema.field(column).type
    return kind.value_type if pa.types.is_dictionary(kind) else kind


@st.composite
def hostile_tables(draw):
    """A table of valid cases with some cells of the columns a rollup reads replaced."""
    cases = draw(differential_cases())
    table = columnar.to_arrow(cases)
    for _ in range(draw(st.integers(0, 3)) if table.num_rows else 0):
        column = draw(st.sampled_from(sorted(HOSTILE)))
        index = table.column_names.index(column)
        cells = table.column(index).to_pylist()
        row = draw(st.integers(0, len(cells) - 1))
        cells[row] = draw(st.sampled_from(HOSTILE[column]))
        table = table.set_column(index, column, pa.array(cells, _column_type(table, column)))
    if table.num_rows and draw(st.booleans()):
        index = table.column_names.index("value_amount")
        cells = table.column(index).to_pylist()
        row = draw(st.integers(0, len(cells) - 1))
        scale = draw(st.sampled_from([2, 12, 13, 16]))
        big = [Decimal("1E+21"), Decimal("-999999999999999999999.99")] if scale < 16 else []
        cells[row] = draw(st.sampled_from([None, Decimal(-5), Decimal("0.000000000001"), *big]))
        kind = pa.decimal128(38, scale)
        with decimal.localcontext(decimal.Context(prec=60)):
            step = Decimal(1).scaleb(-scale)
            cells = [None if c is None else c.quantize(step) for c in cells]
        table = table.set_column(index, "value_amount", pa.array(cells, kind))
    return table


def outcome(compute):
    """A rollup, or the type and message of the citycoop error that refused it."""
    try:
        return compute()
    except citycoop.CitycoopError as error:
        return type(error), str(error)


class TestHostileTables:
    """Same table in, same Rollup out as the object path, or the same citycoop error."""

    @settings(max_examples=150)
    @given(hostile_tables(), rollup_options())
    def test_equal_to_the_object_rollup_or_the_same_error(self, table, options):
        expected = outcome(
            lambda: citycoop.rollup(columnar.from_arrow(table), missing="omit", **options)
        )
        got = outcome(lambda: columnar.rollup(table, missing="omit", **options))
        if isinstance(expected, tuple):
            assert got == expected
        else:
            same(got, expected)

    def test_a_parquet_file_gives_the_same_error(self, tmp_path):
        import pyarrow.parquet as pq

        table = columnar.to_arrow(citycoop.datasets.seoul().exports)
        index = table.column_names.index("value_currency")
        cells = table.column(index).to_pylist()
        cells[7] = "ZZZ"
        bad = table.set_column(index, "value_currency", pa.array(cells, pa.string()))
        pq.write_table(table, tmp_path / "a.parquet")
        pq.write_table(bad, tmp_path / "b.parquet")
        with pytest.raises(CsvError) as expected:
            columnar.from_arrow(columnar.open_parquet(tmp_path).to_table())
        with pytest.raises(CsvError) as got:
            columnar.rollup(columnar.open_parquet(tmp_path))
        assert str(got.value) == str(expected.value)
        assert f"row {table.num_rows + 7}, column 'value_amount'" in str(got.value)

    @pytest.mark.parametrize(
        ("column", "array", "message"),
        [
            ("value_amount", pa.array([1.5]), "'value_amount' is double; expected an exact"),
            ("value_amount", pa.array(["1.5"]), "'value_amount' is string; expected an exact"),
            ("value_date", pa.array(["2021-01-04"]), "'value_date' is string; expected a date"),
            ("year", pa.array(["2021"]), "'year' is string; expected an integer"),
            ("status", pa.array([1]), "'status' is int64; expected text"),
        ],
    )
    def test_columns_of_the_wrong_type(self, column, array, message):
        lima = citycoop.City("Lima", "PE", "America/Lima")
        case = PolicyExport("p", lima, "digital", value=Money(5, "PEN"), value_date="2021-01-04")
        table = columnar.to_arrow([case])
        table = table.set_column(table.column_names.index(column), column, array)
        for read in (columnar.from_arrow, columnar.rollup):
            with pytest.raises(CsvError, match=message):
                read(table)

    def test_rows_judged_bad_never_reach_the_sums(self, monkeypatch):
        """Were the row-by-row check to accept what the column checks refused, the
        rollup stops rather than sum it."""
        lima = citycoop.City("Lima", "PE", "America/Lima")
        case = PolicyExport("p", lima, "digital", value=Money(5, "PEN"), value_date="2021-01-04")
        table = columnar.to_arrow([case])
        index = table.column_names.index("value_currency")
        bad = table.set_column(index, "value_currency", pa.array(["ZZZ"]))
        monkeypatch.setattr(columnar, "cases_from_cells", lambda *_: ())
        with pytest.raises(CsvError, match=r"the values \['ZZZ'\] were judged bad, yet read"):
            columnar.rollup(bad)

    def test_a_column_given_twice(self):
        table = columnar.to_arrow(citycoop.datasets.seoul().exports)
        twice = table.append_column("status", table.column("status"))
        for read in (columnar.from_arrow, columnar.rollup):
            with pytest.raises(CsvError, match="column 'status' is given twice"):
                read(twice)


class TestParquetNames:
    """A Parquet file is read by its name, never as a pattern."""

    @pytest.mark.parametrize(
        ("names", "opened"),
        [
            (["x1.parquet", "x[1].parquet"], None),
            (["a*.parquet", "ab.parquet"], "a*.parquet"),
            (["a?.parquet", "ab.parquet"], "a?.parquet"),
            (["{a,b}.parquet", "a.parquet"], "{a,b}.parquet"),
        ],
    )
    def test_files_are_read_exactly(self, tmp_path, names, opened):
        import pyarrow.parquet as pq

        lima = citycoop.City("Lima", "PE", "America/Lima")
        for amount, name in enumerate(names, start=1):
            case = PolicyExport(
                "p", lima, "digital", value=Money(10**amount, "PEN"), value_date="2021-01-04"
            )
            pq.write_table(columnar.to_arrow([case]), tmp_path / name)
        dataset = columnar.open_parquet(tmp_path / opened if opened else tmp_path)
        expected = citycoop.rollup(columnar.from_arrow(dataset.to_table()))
        got = columnar.rollup(dataset)
        same(got, expected)
        assert got.total.count == (1 if opened else len(names))
