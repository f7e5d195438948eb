from __future__ import annotations

import csv
import io

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citycoop
from _shared import reads_or_refuses
from citycoop import City, Coordinates, Money, PolicyExport, Text
from citycoop import strategies as cst
from citycoop.io import csv as ccsv

LIMA = City("Lima", "PE", "America/Lima")


def cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def text_of(rows: list[dict[str, str]]) -> str:
    """The CSV text of rows of cells (as :func:`cells` reads them), header first."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ccsv.COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


class TestRoundTrip:
    """Writing then reading gives the same cases back."""

    def test_seoul(self, tmp_path):
        cases = citycoop.datasets.seoul().exports
        path = tmp_path / "cases.csv"
        ccsv.write_exports(cases, path)
        assert ccsv.read_exports(path) == cases

    @settings(max_examples=60)
    @given(st.lists(cst.policy_exports(), max_size=5))
    def test_drawn_cases(self, cases):
        """Every field the writer writes, budgets' value dates and sources and free text included."""
        assert ccsv.loads_exports(ccsv.dumps_exports(cases)) == tuple(cases)

    def test_budget_value_date_and_source(self):
        budget = citycoop.Budget(
            citycoop.Period.year(2021),
            Money("7.1e8", "KRW"),
            "revised",
            value_date="2021-03-02",
            source="https://example.org/b;v=2",
        )
        case = PolicyExport("x", LIMA, "digital", budgets=[budget])
        written = ccsv.dumps_exports([case])
        assert cells(written)[0]["budgets"] == (
            "2021-01-01/2021-12-31 revised KRW 7.1E+8 2021-03-02 https://example.org/b;v=2"
        )
        assert ccsv.loads_exports(written)[0].budgets == (budget,)

    def test_digits_and_unknowns(self):
        case = PolicyExport(
            "x", LIMA, {"digital": "60.5", "water_supply": "39.5"}, value=Money("1.50", "USD")
        )
        again = ccsv.loads_exports(ccsv.dumps_exports([case]))[0]
        assert repr(again.value) == "Money('1.50', 'USD')"
        assert (
            ccsv.loads_exports(ccsv.dumps_exports([PolicyExport("y", LIMA, "digital")]))[0].value
            is None
        )


class TestFormulaInjection:
    """Cells that a spreadsheet would run are neutralized, and restored on reading."""

    @pytest.mark.parametrize(
        "text",
        ['=HYPERLINK("http://x")', "+1", "-1+2", "-A1", "@SUM(A1)", "\tx", "\rx", "'quoted", "'-1"],
    )
    def test_neutralized_and_restored(self, text):
        case = PolicyExport(text.strip() or "x", LIMA, "digital", note=text)
        written = ccsv.dumps_exports([case])
        row = cells(written)[0]
        assert row["note"] == "'" + text
        assert ccsv.loads_exports(written)[0].note == Text(text)

    @pytest.mark.parametrize("number", ["-5.00", "-1.5E+3", "-0"])
    def test_plain_numbers_are_not_prefixed(self, number):
        case = PolicyExport("x", LIMA, "digital", value=Money(number, "USD"), note=number)
        written = ccsv.dumps_exports([case])
        assert cells(written)[0]["value_amount"] == number
        assert cells(written)[0]["note"] == number
        again = ccsv.loads_exports(written)[0]
        assert again.value == Money(number, "USD")
        assert again.note == Text(number)

    def test_negative_latitude_is_not_prefixed(self):
        lima = City("Lima", "PE", "America/Lima", coordinates=Coordinates("-12.0464", "-77.0428"))
        written = ccsv.dumps_exports([PolicyExport("x", lima, "digital")])
        row = cells(written)[0]
        assert (row["recipient_latitude"], row["recipient_longitude"]) == ("-12.0464", "-77.0428")
        assert ccsv.loads_exports(written)[0].recipient == lima


class TestErrors:
    """Every bad row is reported at once, by line and column; nothing is returned."""

    def test_all_problems(self):
        rows = cells(ccsv.dumps_exports(citycoop.datasets.seoul().exports))
        rows[0]["value_amount"], rows[0]["value_currency"] = "abc", "KRW"
        rows[2]["recipient_timezone"] = "Mars/Base"
        rows[4]["focus"] = "digital:50"
        with pytest.raises(ccsv.CsvError) as info:
            ccsv.loads_exports(text_of(rows))
        problems = info.value.problems
        assert len(problems) == 3
        assert problems[0].startswith("line 2, column 'value_amount': Money.amount: 'abc'")
        assert problems[1].startswith("line 4, column 'recipient_timezone'")
        assert "Mars/Base" in problems[1]
        assert problems[2].startswith("line 6, column 'focus'")
        assert "sum to 100" in problems[2]

    def test_header_problems(self):
        with pytest.raises(ccsv.CsvError, match="missing columns"):
            ccsv.loads_exports("policy,focus\nx,digital\n")
        header = ",".join(ccsv.COLUMNS)
        with pytest.raises(ccsv.CsvError, match="unknown columns"):
            ccsv.loads_exports(header + ",extra\n")
        with pytest.raises(ccsv.CsvError, match="empty"):
            ccsv.loads_exports("")

    def test_checking_stops_at_the_problem_limit(self):
        bad_row = ",".join(["x"] * len(ccsv.COLUMNS))
        text = ",".join(ccsv.COLUMNS) + "\n" + (bad_row + "\n") * 10_000
        with pytest.raises(ccsv.CsvError) as info:
            ccsv.loads_exports(text)
        assert info.value.stopped
        assert len(info.value.problems) == ccsv.MAX_PROBLEMS
        assert info.value.problems[-1].startswith("line 101,")
        assert "at least 100 problems, checking stopped there" in str(info.value)

    def test_header_of_a_million_columns(self):
        header = ",".join(ccsv.COLUMNS) + "," + ",".join(f"c{i}" for i in range(10**6))
        with pytest.raises(ccsv.CsvError) as info:
            ccsv.loads_exports(header + "\n")
        assert "unknown columns ['c0'" in str(info.value)
        assert "and 999990 more" in str(info.value)
        assert len(str(info.value)) < 1000

    def test_columns_given_twice(self):
        header = ",".join(ccsv.COLUMNS) + ",note"
        with pytest.raises(ccsv.CsvError, match=r"columns given twice \['note'\]"):
            ccsv.loads_exports(header + "\n")

    def test_byte_order_mark_in_text(self):
        text = "\ufeff" + ccsv.dumps_exports(citycoop.datasets.seoul().exports)
        assert ccsv.loads_exports(text) == citycoop.datasets.seoul().exports

    def test_short_row(self):
        with pytest.raises(ccsv.CsvError, match="line 2: 2 cells"):
            ccsv.loads_exports(",".join(ccsv.COLUMNS) + "\nx,y\n")

    def test_lines_are_counted_in_the_file_not_in_records(self):
        rows = cells(ccsv.dumps_exports(citycoop.datasets.seoul().exports[:3]))
        rows[0]["note"] = "first line\nsecond line\nthird line"
        rows[1]["year"] = "2²21"
        with pytest.raises(ccsv.CsvError) as info:
            ccsv.loads_exports(text_of(rows))
        (problem,) = info.value.problems
        assert problem.startswith("line 5, column 'year': year: '2²21' is not valid")

    @pytest.mark.parametrize(
        ("column", "text"),
        [
            ("year", "2²21"),
            ("year", "④"),
            ("recipient_population", "1_000"),
            ("recipient_geonames_id", "٣٩٣٦٤٥٦"),
            ("recipient_population", "9" * 20),
            ("recipient_population", str(2**63)),
        ],
    )
    def test_whole_numbers_are_ascii_digits(self, column, text):
        (row,) = cells(ccsv.dumps_exports(citycoop.datasets.seoul().exports[:1]))
        row[column] = text
        with pytest.raises(ccsv.CsvError, match=f"line 2, column '{column}'"):
            ccsv.loads_exports(text_of([row]))

    def test_large_whole_numbers_round_trip(self):
        lima = City("Lima", "PE", "America/Lima", population=10**12, geonames_id=2**63 - 1)
        case = PolicyExport("p", lima, "digital")
        assert ccsv.loads_exports(ccsv.dumps_exports([case])) == (case,)
        with pytest.raises(citycoop.ValidationError, match="< 2\\*\\*63"):
            City("Lima", "PE", "America/Lima", population=2**63)

    def test_missing_file(self, tmp_path):
        with pytest.raises(ccsv.CsvError, match="cannot be read"):
            ccsv.read_exports(tmp_path / "nope.csv")

    @given(st.text(max_size=300))
    def test_arbitrary_text(self, text):
        document = ",".join(ccsv.COLUMNS) + "\n" + text
        outcome = reads_or_refuses(lambda: ccsv.loads_exports(document), ccsv.CsvError)
        assert isinstance(outcome, tuple | ccsv.CsvError)


class TestWritingIsAtomic:
    """A path is replaced only by a whole file: any failure leaves the old one."""

    def _good(self):
        return citycoop.datasets.seoul().exports

    def _failing(self):
        yield from self._good()[:2]
        message = "the caller's generator fails"
        raise RuntimeError(message)

    @pytest.mark.parametrize(
        "bad",
        ["generator", "not a case", "lone surrogate"],
    )
    def test_the_old_file_survives(self, tmp_path, bad):
        path = tmp_path / "cases.csv"
        ccsv.write_exports(self._good(), path)
        before = path.read_bytes()
        cases = {
            "generator": self._failing,
            "not a case": lambda: [*self._good()[:3], "oops"],
            "lone surrogate": lambda: [
                attrs.evolve(self._good()[0], policy="Smart \ud800 Station")
            ],
        }[bad]()
        with pytest.raises((RuntimeError, ccsv.CsvError, UnicodeEncodeError)):
            ccsv.write_exports(cases, path)
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["cases.csv"]  # no partial file left

    def test_a_new_file_and_a_replaced_one(self, tmp_path):
        path = tmp_path / "cases.csv"
        ccsv.write_exports(self._good()[:1], path)
        ccsv.write_exports(self._good(), path)
        assert ccsv.read_exports(path) == self._good()


class TestTexts:
    """A text's languages travel as columns: the original, ``language``, ``policy@ko``."""

    CASE = PolicyExport(
        {"en": "Smart poles", "ko": "스마트폴", "es": "Postes inteligentes"},
        LIMA,
        "citizen_safety",
        note="as recorded",
        implementer=citycoop.Organisation(
            {"ko": "서울시", "en": "SMG"}, "city_government", country="KR"
        ),
    )

    def test_a_column_per_language_and_the_row_language(self):
        written = ccsv.dumps_exports([self.CASE])
        row = cells(written)[0]
        assert written.splitlines()[0].endswith(",language,policy@es,policy@ko,implementer_name@en")
        assert row["policy"] == "Smart poles"
        assert (row["policy@ko"], row["policy@es"]) == ("스마트폴", "Postes inteligentes")
        # the implementer's name was first written in Korean, the note in no stated language
        assert row["language"] == "en;implementer_name=ko;note=und"
        assert ccsv.loads_exports(written) == (self.CASE,)

    @given(st.lists(cst.policy_exports(), max_size=3))
    @settings(max_examples=40)
    def test_drawn_texts_round_trip(self, cases):
        assert ccsv.loads_exports(ccsv.dumps_exports(cases)) == tuple(cases)

    def test_a_file_without_a_language_column_reads_as_not_stated(self):
        rows = cells(ccsv.dumps_exports([PolicyExport("Signals", LIMA, "digital")]))
        del rows[0]["language"]
        assert ccsv.loads_exports(text_of(rows))[0].policy == Text("Signals")

    @pytest.mark.parametrize(
        ("column", "cell", "problem"),
        [
            ("policy@ko", "x", None),
            ("note@ko", "메모", "a text in 'note' too"),
            ("language", "en;colour=ko", "expected a tag such as 'en'"),
            ("language", "english_uk", "BCP 47"),
            ("policy@en", "again", "a language other than 'en'"),
        ],
    )
    def test_bad_text_cells_are_named(self, column, cell, problem):
        rows = cells(ccsv.dumps_exports([PolicyExport("Signals", LIMA, "digital")]))
        rows[0]["language"] = "en"
        rows[0][column] = cell
        if problem is None:
            assert ccsv.loads_exports(text_of(rows))[0].policy.in_("ko").text == "x"
            return
        with pytest.raises(ccsv.CsvError) as info:
            ccsv.loads_exports(text_of(rows))
        assert info.value.problems[0].startswith("line 2, column ")
        assert problem in info.value.problems[0]

    @pytest.mark.parametrize("header", ["policy@ko_KR", "policy@x!", "policy@ko,policy@KO"])
    def test_bad_translation_columns_are_refused(self, header):
        text = ",".join(ccsv.COLUMNS) + "," + header + "\n"
        with pytest.raises(ccsv.CsvError):
            ccsv.loads_exports(text)
