from __future__ import annotations

import contextlib
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citycoop
from citycoop import City, Money, PolicyExport
from citycoop import strategies as cst
from citycoop.io import csv as ccsv

LIMA = City("Lima", "PE", "America/Lima")


def cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


class TestRoundTrip:
    """Writing then reading gives the same cases back."""

    def test_seoul(self, tmp_path):
        cases = citycoop.datasets.seoul().exports
        path = tmp_path / "cases.csv"
        ccsv.write_exports(cases, path)
        assert ccsv.read_exports(path) == cases

    @settings(max_examples=40)
    @given(st.lists(cst.policy_exports(), max_size=5))
    def test_drawn_cases(self, cases):
        assert ccsv.loads_exports(ccsv.dumps_exports(cases)) == tuple(cases)

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
        "text", ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'quoted"]
    )
    def test_neutralized_and_restored(self, text):
        case = PolicyExport(text.strip() or "x", LIMA, "digital", note=text)
        written = ccsv.dumps_exports([case])
        row = cells(written)[0]
        assert row["note"] == "'" + text
        assert ccsv.loads_exports(written)[0].note == text

    def test_negative_amount_round_trip(self):
        case = PolicyExport("x", LIMA, "digital", value=Money("-5.00", "USD"))
        written = ccsv.dumps_exports([case])
        assert cells(written)[0]["value_amount"] == "'-5.00"
        assert ccsv.loads_exports(written)[0].value == Money("-5.00", "USD")


class TestErrors:
    """Every bad row is reported at once, by line and column; nothing is returned."""

    def test_all_problems(self):
        rows = cells(ccsv.dumps_exports(citycoop.datasets.seoul().exports))
        rows[0]["value_amount"], rows[0]["value_currency"] = "abc", "KRW"
        rows[2]["recipient_timezone"] = "Mars/Base"
        rows[4]["focus"] = "digital:50"
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=ccsv.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        with pytest.raises(ccsv.CsvError) as info:
            ccsv.loads_exports(buffer.getvalue())
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

    def test_short_row(self):
        with pytest.raises(ccsv.CsvError, match="line 2: 2 cells"):
            ccsv.loads_exports(",".join(ccsv.COLUMNS) + "\nx,y\n")

    def test_missing_file(self, tmp_path):
        with pytest.raises(ccsv.CsvError, match="cannot be read"):
            ccsv.read_exports(tmp_path / "nope.csv")

    @given(st.text(max_size=300))
    def test_arbitrary_text(self, text):
        with contextlib.suppress(ccsv.CsvError):
            ccsv.loads_exports(",".join(ccsv.COLUMNS) + "\n" + text)
