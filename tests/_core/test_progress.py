"""Progress of long reads and rollups (`citycoop._core.progress`)."""

from __future__ import annotations

import io
import sys

import pytest

import citycoop
from citycoop import ValidationError
from citycoop._core.progress import EVERY, counted


class TestCounted:
    def test_none_adds_nothing(self):
        items = [1, 2, 3]
        assert counted(items, None, what="x", field="f") is items

    def test_a_callback_hears_every_so_often_and_at_the_end(self):
        calls: list[tuple[int, int | None]] = []
        items = list(range(2 * EVERY + 5))
        seen = list(counted(items, lambda d, t: calls.append((d, t)), what="x", field="f"))
        assert seen == items
        assert calls == [(EVERY, len(items)), (2 * EVERY, len(items)), (len(items), len(items))]

    def test_a_generator_has_no_total_until_its_end(self):
        calls: list[tuple[int, int | None]] = []
        stream = (i for i in range(10))
        assert list(
            counted(stream, lambda d, t: calls.append((d, t)), what="x", field="f", every=4)
        ) == list(range(10))
        assert calls == [(4, None), (8, None), (10, 10)]

    def test_a_bad_progress_names_the_argument(self):
        with pytest.raises(ValidationError, match=r"rollup\.progress"):
            citycoop.rollup([], progress="yes")

    def test_true_shows_a_tqdm_bar(self, capsys):
        pytest.importorskip("tqdm")
        assert list(counted(range(5), progress=True, what="things", field="f", every=2)) == list(
            range(5)
        )
        shown = capsys.readouterr().err
        assert "things" in shown
        assert "5/5" in shown

    def test_true_without_tqdm_names_the_extra(self, monkeypatch):
        monkeypatch.setitem(sys.modules, "tqdm", None)
        with pytest.raises(
            ImportError, match=r'progress=True needs tqdm, from the extra "progress"'
        ):
            counted(range(3), progress=True, what="x", field="f")


class TestWhereItIsOffered:
    def test_rollup(self):
        cases = citycoop.datasets.seoul().exports
        calls: list[tuple[int, int | None]] = []
        with_progress = citycoop.rollup(
            cases, by="country", progress=lambda d, t: calls.append((d, t))
        )
        without = citycoop.rollup(cases, by="country")
        assert (with_progress.rows, with_progress.total) == (without.rows, without.total)
        assert calls == [(len(cases), len(cases))]

    def test_rate_files(self):
        text = "Date,USD,JPY,\n" + "".join(f"2021-01-{d:02},1.2,130,\n" for d in range(1, 29))
        calls: list[tuple[int, int | None]] = []
        table = citycoop.RateTable.from_file(
            io.StringIO(text), progress=lambda d, t: calls.append((d, t))
        )
        assert len(table) == 56
        assert calls == [(29, 29)]  # the header and 28 days: fewer than one report's worth

    def test_iati_files(self):
        from citycoop.io.iati import read_activities

        document = (
            b"""<iati-activities version="2.03">"""
            + b"".join(
                f"""<iati-activity><iati-identifier>XM-TEST-{n}</iati-identifier>
            <reporting-org ref="XM-TEST" type="10"/><title><narrative>W</narrative></title>
            <description><narrative>W</narrative></description>
            <participating-org role="1" ref="XM-TEST"/><activity-status code="2"/>
            <activity-date type="1" iso-date="2020-01-01"/></iati-activity>""".encode()
                for n in range(3)
            )
            + b"</iati-activities>"
        )
        calls: list[tuple[int, int | None]] = []
        activities = list(read_activities(document, progress=lambda d, t: calls.append((d, t))))
        assert len(activities) == 3
        assert calls == [(3, 3)]
