from __future__ import annotations

import datetime as dt
import fnmatch
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citycoop
from _shared import ROOT
from citycoop import Money
from citycoop import strategies as cst
from citycoop.io import frames
from citycoop.io.csv import CsvError

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")


class TestExports:
    """Cases to a frame and back, exactly, with sensible dtypes."""

    def test_dtypes(self):
        case = citycoop.PolicyExport(
            "x",
            citycoop.City("Lima", "PE", "America/Lima"),
            "digital",
            value=citycoop.Money("1.50", "USD"),
            value_date="2021-11-25",
        )
        df = frames.exports_frame([case])
        assert str(df["year"].dtype) == "Int64"
        assert str(df["value_date"].dtype).startswith("datetime64")
        assert str(df["value_amount"].dtype) == "decimal128(38, 2)[pyarrow]"
        assert df.loc[0, "value_amount"] == Decimal("1.50")
        assert str(df.loc[0, "value_amount"]) == "1.50"

    @settings(max_examples=25)
    @given(st.lists(cst.policy_exports(), max_size=4))
    def test_round_trip(self, cases):
        assert frames.exports_from_frame(frames.exports_frame(cases)) == tuple(cases)

    def test_errors_name_row_and_column(self):
        df = frames.exports_frame(citycoop.datasets.seoul().exports)
        df.loc[1, "recipient_timezone"] = "Mars/Base"
        df.loc[3, "focus"] = "digital:10"
        with pytest.raises(CsvError) as info:
            frames.exports_from_frame(df)
        assert [p.split(":")[0] for p in info.value.problems] == [
            "row 1, column 'recipient_timezone'",
            "row 3, column 'focus'",
        ]

    def test_checking_stops_at_the_problem_limit(self):
        df = frames.exports_frame(citycoop.datasets.seoul().exports[:1])
        df = pd.concat([df] * 500, ignore_index=True)
        df["focus"] = "nowhere"
        with pytest.raises(CsvError) as info:
            frames.exports_from_frame(df)
        assert info.value.stopped
        assert len(info.value.problems) == 100
        assert info.value.problems[-1].startswith("row 99, column 'focus'")

    def test_only_the_required_columns(self):
        import numpy as np

        frame = pd.DataFrame(
            {
                "policy": ["Signals", "Poles"],
                "focus": ["public_transport", "digital:60;citizen_safety:40"],
                "recipient_name": ["Lima", "Quito"],
                "recipient_country": ["PE", "EC"],
                "recipient_timezone": ["America/Lima", "America/Guayaquil"],
                "year": [2007.0, np.nan],  # what pandas makes of a column with a gap
                "recipient_population": np.array([10_000_000, 2_800_000], dtype=np.int64),
                "value_amount": [Decimal("1.50"), None],
                "value_currency": ["USD", None],
                "my_own_column": ["kept out", "of the cases"],
            }
        )
        first, second = frames.exports_from_frame(frame)
        assert (first.year, second.year) == (2007, None)
        assert first.recipient.population == 10_000_000
        assert first.value == Money("1.50", "USD")
        assert second.value is None
        assert second.identifier is None

    @pytest.mark.parametrize(
        ("column", "value", "message"),
        [
            ("value_amount", 3703701.3, "is a float, and amounts are exact"),
            ("year", 2007.5, "2007.5 is not a whole number"),
        ],
    )
    def test_refused_floats(self, column, value, message):
        frame = frames.exports_frame(citycoop.datasets.seoul().exports[:2])
        frame[column] = frame[column].astype(object)
        frame.loc[1, column] = value
        if column == "value_amount":
            frame.loc[1, "value_currency"] = "USD"
        with pytest.raises(CsvError) as info:
            frames.exports_from_frame(frame)
        assert info.value.problems == (
            f"row 1, column {column!r}: {info.value.problems[0].split(': ', 1)[1]}",
        )
        assert message in info.value.problems[0]

    def test_missing_columns(self):
        with pytest.raises(CsvError, match="missing columns"):
            frames.exports_from_frame(pd.DataFrame({"policy": ["x"]}))

    @pytest.mark.parametrize(
        ("column", "value", "message"),
        [
            ("value_date", 20210115, "20210115 is a int; expected a date or ISO text"),
            ("value_date", "not a date", "'not a date' is not valid"),
            ("value_date", pd.Timestamp("2021-01-15 10:30"), "is not a day"),
            ("value_amount", np.float32(1.5), "is a float, and amounts are exact"),
            ("value_amount", Decimal("NaN"), "Money.amount"),
            ("value_amount", [1, 2], "a list is not one value"),
            ("year", np.float32(2007.5), "is not a whole number"),
            ("year", "2²21", "is not valid"),
        ],
    )
    def test_refused_cells(self, column, value, message):
        frame = frames.exports_frame(citycoop.datasets.seoul().exports[:2])
        frame[column] = frame[column].astype(object)
        frame.at[1, column] = value
        frame.loc[1, "value_currency"] = "USD"
        if column != "value_amount":
            frame.at[1, "value_amount"] = Decimal(5)
        with pytest.raises(CsvError) as info:
            frames.exports_from_frame(frame)
        (problem,) = info.value.problems
        assert problem.startswith(f"row 1, column {column!r}: ")
        assert message in problem

    def test_dates_and_timestamps_at_midnight_are_days(self):
        frame = frames.exports_frame(citycoop.datasets.seoul().exports[:2])
        frame["value_date"] = frame["value_date"].astype(object)
        frame.at[0, "value_date"] = pd.Timestamp("2021-01-15")
        frame.at[1, "value_date"] = np.datetime64("2021-01-16")
        frame["year"] = None
        first, second = frames.exports_from_frame(frame)
        assert (str(first.value_date), str(second.value_date)) == ("2021-01-15", "2021-01-16")

    def test_a_column_given_twice_and_not_a_frame(self):
        frame = frames.exports_frame(citycoop.datasets.seoul().exports[:2])
        twice = pd.concat([frame, frame[["year"]]], axis=1)
        with pytest.raises(CsvError, match=r"columns given twice \['year'\]"):
            frames.exports_from_frame(twice)
        with pytest.raises(citycoop.ValidationError, match="exports_from_frame.frame"):
            frames.exports_from_frame([1])  # type: ignore[arg-type]


class TestTexts:
    """Frames and Arrow tables carry a text's languages as CSV does: a column each."""

    CASE = citycoop.PolicyExport(
        {"en": "Smart poles", "ko": "스마트폴"},
        citycoop.City("Lima", "PE", "America/Lima"),
        "citizen_safety",
        note={"es": "Según la Municipalidad", "en": "As the municipality says"},
    )

    def test_a_frame_has_a_column_per_language(self):
        frame = frames.exports_frame([self.CASE])
        assert list(frame.columns[-3:]) == ["language", "policy@ko", "note@en"]
        assert frame.loc[0, "language"] == "en;note=es"
        assert frame.loc[0, "policy@ko"] == "스마트폴"
        assert frames.exports_from_frame(frame) == (self.CASE,)

    def test_an_arrow_table_too(self):
        from citycoop.io import arrow

        table = arrow.to_arrow([self.CASE])
        assert table.column("policy@ko").to_pylist() == ["스마트폴"]
        assert arrow.from_arrow(table) == (self.CASE,)
        bad = table.rename_columns([*table.column_names[:-2], "policy@ko_KR", "note@en"])
        with pytest.raises(CsvError, match="policy@ko_KR"):
            arrow.from_arrow(bad)

    def test_a_frame_without_language_reads_texts_in_no_stated_language(self):
        frame = frames.exports_frame([self.CASE]).drop(columns=["language", "note@en"])
        (case,) = frames.exports_from_frame(frame)
        assert case.policy == citycoop.Text({"und": "Smart poles", "ko": "스마트폴"})


class TestOtherFrames:
    """MOUs, training tracks and rollups as frames."""

    def test_mous(self):
        df = frames.mous_frame(citycoop.datasets.seoul().mous)
        assert isinstance(df["signed_at"].dtype, pd.DatetimeTZDtype)
        assert str(df["signed_at"].dtype.tz) == "UTC"
        assert df.loc[1, "signed_at"] == pd.Timestamp("2021-11-24T23:30:00Z")
        assert df.loc[1, "partner_countries"] == "PE"

    def test_training(self):
        from citycoop._core.units import hours

        track = citycoop.TrainingTrack(
            "t",
            "capacity_building",
            cohorts=[
                citycoop.Cohort(
                    citycoop.Period.day("2022-01-03"), participants=4, hours=hours("7.5")
                )
            ],
        )
        df = frames.training_frame([track])
        assert df.loc[0, "person_hours"] == Decimal(30)

    def test_rollup(self):
        cases = citycoop.datasets.seoul().exports
        df = frames.rollup_frame(citycoop.rollup(cases, by="country"))
        assert list(df.columns[:3]) == ["country", "country_name", "count"]
        assert df["count"].sum() == len(cases)

    def test_rollup_keys_keep_their_types(self):
        cases = citycoop.datasets.seoul().exports
        df = frames.rollup_frame(citycoop.rollup(cases, by=("region", "year")))
        assert str(df["year"].dtype) == "Int64"
        assert str(df["count"].dtype) == "int64"
        assert set(df["region_name"]) <= {"Americas", "Oceania", "Asia", "Africa", "Europe"}
        assert list(df.columns[:4]) == ["region", "region_name", "year", "count"]
        empty = frames.rollup_frame(citycoop.rollup([], by=("country", "year")))
        assert list(empty.columns[:2]) == ["country", "year"]


class TestDocumentedDtypes:
    """Every frame's columns have the dtype the interoperability guide's table gives."""

    ROOT = ROOT

    def rules(self) -> list[tuple[list[str], str]]:
        page = (self.ROOT / "docs" / "interop.md").read_text(encoding="utf-8")
        section = page.split("| columns | dtype |", 1)[1].split("\n\n", 1)[0]
        rules = []
        for line in section.splitlines()[2:]:
            columns, dtype = line.strip("|").split(" | ", 1)
            patterns = [
                p.replace("<CUR>", "[A-Z][A-Z][A-Z]") for p in re.findall(r"`([^`]+)`", columns)
            ]
            rules.append((patterns, re.findall(r"`([^`]+)`", dtype)[0]))
        return rules

    def expected(self, column: str) -> tuple[int, str]:
        """The number of the table row that covers *column*, and its dtype."""
        for number, (patterns, dtype) in enumerate(self.rules()):
            if not patterns or any(fnmatch.fnmatchcase(column, p) for p in patterns):
                return number, dtype
        raise AssertionError(column)

    def frames(self):
        seoul = citycoop.datasets.seoul()
        kyiv = citycoop.datasets.load_toml(self.ROOT / "examples" / "kyiv_programme.toml")
        rates = citycoop.RateTable(
            [citycoop.Rate("USD", "UAH", "36.57", citycoop.Period.year(2023), "test")]
        )
        budget = kyiv.mous[0].training[0].budgets[0]
        batch = citycoop.convert_batch([(budget.value, budget.valued_on)], "USD", rates=rates)
        records = citycoop.cohort_records(kyiv) + citycoop.cohort_records(seoul)
        return {
            "exports": frames.exports_frame(seoul.exports + kyiv.exports),
            "mous": frames.mous_frame(seoul.mous + kyiv.mous),
            "training": frames.training_frame(kyiv.mous[0].training + seoul.mous[0].training),
            "conversions": frames.conversions_frame(batch),
            "rollup": frames.rollup_frame(
                citycoop.rollup(
                    records,
                    by=("region", "modality", "year"),
                    measures=("participants", "person_hours"),
                )
            ),
            "rollup of nothing known": frames.rollup_frame(
                citycoop.rollup(
                    citycoop.cohort_records(seoul),
                    by="year",
                    measures=("participants", "person_hours"),
                )
            ),
            "IATI rollup": frames.rollup_frame(
                citycoop.rollup(
                    citycoop.transaction_records(
                        [
                            citycoop.Activity(
                                "XM-EXAMPLE-1",
                                reporting_org=citycoop.Participant("XM-EXAMPLE"),
                                countries=[
                                    citycoop.CountryShare("UA", 50),
                                    citycoop.CountryShare("PE", 50),
                                ],
                                sectors=[citycoop.SectorShare("21020")],
                                transactions=[
                                    citycoop.Transaction(
                                        "disbursement",
                                        "2023-05-01",
                                        citycoop.Money("7.01", "USD"),
                                        "2023-05-01",
                                    )
                                ],
                            )
                        ]
                    ),
                    by=("country", "sector", "transaction_type", "organisation"),
                    currency="USD",
                    rates=rates,
                )
            ),
            "money rollup": frames.rollup_frame(
                citycoop.rollup(
                    citycoop.budget_records(kyiv), by="country", currency="USD", rates=rates
                )
            ),
            "constant-price rollup": frames.rollup_frame(
                citycoop.rollup(
                    citycoop.budget_records(kyiv),
                    by="country",
                    currency="USD",
                    rates=rates,
                    prices=citycoop.PriceIndex(
                        [
                            citycoop.IndexValue("USA", 2021, 100),
                            citycoop.IndexValue("USA", 2023, 108),
                        ],
                        economies=[citycoop.Economy("USA", "United States", "USD")],
                        source="test",
                        indicator="prices",
                    ),
                    base_year=2021,
                    method="convert_then_deflate",
                )
            ),
        }

    def test_every_column_has_its_documented_dtype(self):
        checked = set()
        for name, frame in self.frames().items():
            for column in frame.columns:
                series = frame[column]
                number, expected = self.expected(str(column))
                checked.add(number)
                values = [v for v in series.tolist() if v is not None]
                where = (name, column, series.dtype, values[:3])
                if name == "rollup of nothing known" and column in ("participants", "person_hours"):
                    assert series.dtype == object, where
                    assert not values, where
                    continue
                if number == 0:  # money
                    assert str(series.dtype).startswith("decimal128(38, "), where
                    assert str(series.dtype).endswith(")[pyarrow]"), where
                    assert all(isinstance(v, Decimal) for v in series.dropna().tolist()), where
                elif number == 1:  # unrounded amounts and exact magnitudes
                    assert series.dtype == object, where
                    assert all(isinstance(v, Decimal | int) for v in values), where
                elif expected == "object":  # text
                    assert series.dtype == object, where
                    assert all(isinstance(v, str) for v in values), where
                elif expected == "datetime64":
                    assert series.dtype.kind == "M", where
                    assert series.dt.tz is None or column == "signed_at", where
                    if column == "signed_at":
                        assert str(series.dt.tz) == "UTC", where
                else:
                    assert str(series.dtype) == expected, where
        assert checked == set(range(len(self.rules())))  # every row of the table is used

    def test_coordinates_round_trip_through_floats(self):
        seoul = citycoop.datasets.seoul()
        frame = frames.exports_frame(seoul.exports)
        assert frame["recipient_latitude"].iloc[0] == pytest.approx(-41.28664)
        frame.loc[0, "recipient_longitude"] = 0.00001
        case = frames.exports_from_frame(frame)[0]
        assert case.recipient.coordinates.longitude == Decimal("0.00001")


#: What pandas itself does with Arrow decimals: plots and min_count from pandas 3.1.
PANDAS_3_1 = pytest.mark.skipif(
    tuple(int(part) for part in pd.__version__.split(".")[:2]) < (3, 1),
    reason="pandas before 3.1 neither plots Arrow decimals nor honours min_count on them",
)


class TestExactColumns:
    """Money columns are exact and usable: sums, group sums and plots need no floats."""

    def cases(self):
        lima = citycoop.City("Lima", "PE", "America/Lima")
        quito = citycoop.City("Quito", "EC", "America/Guayaquil")
        return [
            citycoop.PolicyExport("a", lima, "digital", value=citycoop.Money("0.10", "USD")),
            citycoop.PolicyExport("b", lima, "digital", value=citycoop.Money("0.20", "USD")),
            citycoop.PolicyExport("c", quito, "digital"),
        ]

    def test_sum_and_group_sum_are_exact(self):
        df = frames.exports_frame(self.cases())
        assert df["value_amount"].sum() == Decimal("0.30")  # 0.1 + 0.2 in floats is not
        by_country = df.groupby("recipient_country")["value_amount"].sum()
        assert by_country.to_dict()["PE"] == Decimal("0.30")

    @PANDAS_3_1
    def test_a_group_without_amounts_stays_unknown(self):
        df = frames.exports_frame(self.cases())
        by_country = df.groupby("recipient_country")["value_amount"].sum(min_count=1)
        assert by_country.isna().to_dict() == {"EC": True, "PE": False}

    @PANDAS_3_1
    def test_plots_without_astype(self):
        pytest.importorskip("matplotlib")
        import matplotlib as mpl

        mpl.use("Agg")
        axes = frames.exports_frame(self.cases()).plot(y="value_amount")
        assert len(axes.lines) == 1

    def test_too_many_digits_stay_decimals(self):
        import pandas as pd

        long = Decimal("1." + "1" * 40)
        column = frames.exact_column(pd, [long, None])
        assert column.dtype == object
        assert column.tolist() == [long, None]
        fits = frames.exact_column(pd, [Decimal("12.5"), 3, None])
        assert str(fits.dtype) == "decimal128(38, 1)[pyarrow]"
        assert fits.tolist()[:2] == [Decimal("12.5"), Decimal("3.0")]


DAYS = (dt.date(2021, 11, 25), dt.date(2021, 11, 26), dt.date(2022, 3, 2))
CODES = ("KRW", "EUR", "PEN")


class TestConvertFrame:
    """convert_frame gives each row exactly what convert gives it, with its rates."""

    @settings(max_examples=40, deadline=None)
    @given(
        rates=cst.rate_tables(CODES, DAYS),
        rows=st.lists(
            st.tuples(st.none() | cst.money(st.sampled_from(CODES)), st.sampled_from(DAYS)),
            max_size=6,
        ),
        as_text=st.booleans(),
    )
    def test_differential_against_convert(self, rates, rows, as_text):
        frame = pd.DataFrame(
            {
                "amount": [
                    None if m is None else (str(m.amount) if as_text else m.amount) for m, _ in rows
                ],
                "currency": [None if m is None else m.currency for m, _ in rows],
                "date": [pd.Timestamp(day) if as_text else day for _, day in rows],
                "note": ["kept"] * len(rows),
            }
        )
        out = frames.convert_frame(frame, to="USD", rates=rates)
        assert out["note"].tolist() == ["kept"] * len(rows)
        assert "converted_USD" not in frame.columns  # the input is left as it was
        for (money, day), got, used in zip(
            rows, out["converted_USD"].tolist(), out["converted_USD_rates"].tolist(), strict=True
        ):
            if money is None:
                assert got is pd.NA
                assert used is None
                continue
            expected = citycoop.convert(money, "USD", on=day, rates=rates)
            assert got == expected.rounded().amount
            assert used == "; ".join(map(str, expected.legs))

    def test_bad_rows_are_named_together(self):
        frame = pd.DataFrame(
            {
                "amount": [Decimal(1), 1.5, Decimal(2), Decimal(3)],
                "currency": ["USD", "USD", None, "ZZZ"],
                "date": ["2021-11-25"] * 4,
            }
        )
        rates = citycoop.RateTable(
            [citycoop.Rate("USD", "KRW", "1100", citycoop.Period.year(2021), "test")]
        )
        with pytest.raises(CsvError) as caught:
            frames.convert_frame(frame, to="KRW", rates=rates)
        problems = caught.value.problems
        assert [p.split(":", 1)[0] for p in problems] == [
            "row 1, column 'amount'",
            "row 2, column 'currency'",
            "row 3, column 'currency'",
        ]  # as exports_from_frame names them
        assert "is a float, and amounts are exact" in problems[0]
        assert problems[1].endswith(": no currency for an amount")
        assert "'ZZZ'" in problems[2]

    def test_checking_stops_after_the_problem_limit(self):
        from citycoop.io.csv import MAX_PROBLEMS

        frame = pd.DataFrame(
            {"amount": [0.5] * (MAX_PROBLEMS + 50), "currency": "USD", "date": "2021-11-25"}
        )
        with pytest.raises(CsvError) as caught:
            frames.convert_frame(frame, to="KRW", rates=citycoop.RateTable([]))
        assert caught.value.stopped
        assert len(caught.value.problems) == MAX_PROBLEMS

    def test_a_missing_rate_names_its_row(self):
        frame = pd.DataFrame(
            {
                "amount": [Decimal(1), Decimal(1)],
                "currency": ["USD", "USD"],
                "date": ["2021-11-25", "2023-01-05"],
            },
            index=["a", "b"],
        )
        rates = citycoop.RateTable(
            [citycoop.Rate("USD", "KRW", "1100", citycoop.Period.year(2021), "test")]
        )
        with pytest.raises(citycoop.MissingRateError, match=r"2023-01-05: row 'b'"):
            frames.convert_frame(frame, to="KRW", rates=rates)

    def test_arguments_are_checked(self):
        with pytest.raises(citycoop.ValidationError, match=r"convert_frame\.frame"):
            frames.convert_frame([], to="USD", rates=citycoop.RateTable([]))
        with pytest.raises(citycoop.ValidationError, match=r"convert_frame\.rates"):
            frames.convert_frame(pd.DataFrame(), to="USD", rates=None)
        with pytest.raises(CsvError, match="missing columns"):
            frames.convert_frame(pd.DataFrame({"x": [1]}), to="USD", rates=citycoop.RateTable([]))


class TestDeflateFrame:
    """deflate_frame gives each row exactly what deflate gives it, with what it used."""

    @settings(max_examples=40, deadline=None)
    @given(
        data=st.data(),
        index=cst.price_indices(2015, 2022, max_economies=1),
        base_year=st.integers(2015, 2022),
    )
    def test_differential_against_deflate(self, data, index, base_year):
        currency = index.economies[0].currency
        rows = data.draw(
            st.lists(
                st.tuples(st.none() | cst.money(currency), st.integers(2015, 2022)), max_size=5
            )
        )
        frame = pd.DataFrame(
            {
                "amount": [None if m is None else m.amount for m, _ in rows],
                "currency": [None if m is None else m.currency for m, _ in rows],
                "year": pd.array([y for _, y in rows], dtype="Int64"),
            }
        )
        valued = any(m is not None for m, _ in rows)
        to = None if valued and data.draw(st.booleans()) else currency  # its own, or named
        out = frames.deflate_frame(frame, prices=index, base_year=base_year, to=to)
        column = f"constant_{currency}_{base_year}"
        for (money, year), got, used in zip(
            rows, out[column].tolist(), out[f"{column}_used"].tolist(), strict=True
        ):
            if money is None:
                assert got is pd.NA
                continue
            expected = citycoop.deflate(money, year=year, base_year=base_year, prices=index)
            assert got == expected.rounded().amount
            assert used == f"{expected.index_title}: {expected.index[0]}, {expected.index[1]}"

    def test_several_currencies_need_a_target(self):
        frame = pd.DataFrame(
            {"amount": [Decimal(1), Decimal(2)], "currency": ["KRW", "USD"], "year": [2015, 2016]}
        )
        index = citycoop.PriceIndex(
            [citycoop.IndexValue("KOR", 2015, 100)],
            economies=[citycoop.Economy("KOR", "Korea", "KRW")],
            source="test",
            indicator="prices",
        )
        with pytest.raises(citycoop.ValidationError, match=r"deflate_frame\.to.*in KRW, USD"):
            frames.deflate_frame(frame, prices=index, base_year=2015)
        with pytest.raises(citycoop.MissingPriceError, match=r"in 2016: row 0: "):
            frames.deflate_frame(frame.iloc[:1].assign(year=[2016]), prices=index, base_year=2015)
