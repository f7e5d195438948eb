"""Many IATI files into a partitioned Parquet dataset (`citycoop.io.ingest`)."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

import citycoop
from citycoop.io import ingest as ingest_module
from citycoop.io.iati import read_activities
from citycoop.io.ingest import ingest

pa = pytest.importorskip("pyarrow")
ds = pytest.importorskip("pyarrow.dataset")
pytest.importorskip("lxml")

ACTIVITY = """
<iati-activity default-currency="USD" xml:lang="en">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="XM-TEST" type="10"><narrative>Test</narrative></reporting-org>
  <title><narrative>Water</narrative></title>
  <description><narrative>Water</narrative></description>
  <participating-org role="1" type="10" ref="XM-TEST"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/>
  {countries}
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-05-01"/>
    <value value-date="2021-05-01">{value}</value></transaction>
</iati-activity>"""


def _file(folder: Path, name: str, *activities: str) -> Path:
    path = folder / name
    path.write_text(
        '<iati-activities version="2.03">' + "".join(activities) + "</iati-activities>",
        encoding="utf-8",
    )
    return path


def _activity(identifier: str, value: str = "100.50", countries: str = "") -> str:
    countries = countries or '<recipient-country code="PE"/>'
    return ACTIVITY.format(identifier=identifier, value=value, countries=countries)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _table(out: Path, name: str):
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table()


@pytest.fixture(scope="module")
def ingested(reference, tmp_path_factory):
    """The reference folder, ingested in one process and by a pool of two."""
    folder = reference / "data" / "iati-activities"
    alone = tmp_path_factory.mktemp("alone") / "out"
    pooled = tmp_path_factory.mktemp("pooled") / "out"
    return (
        folder,
        (alone, ingest(folder, alone, workers=1)),
        (pooled, ingest(folder, pooled, workers=2)),
    )


class TestRealFiles:
    """Every real publisher file, through a pool and in one process: the same bytes."""

    def test_a_pool_writes_what_one_process_writes_byte_for_byte(self, ingested):
        _, (alone, first), (pooled, second) = ingested
        assert first.files == second.files
        assert _files(alone) == _files(pooled)

    def test_files_that_are_not_activity_files_fail_by_name(self, ingested):
        _, (_, report), _ = ingested
        failed = {f.file: f.error for f in report.failed}
        assert set(failed) == {"CAF-OrganizationFile.xml", "ares-org.xml"}
        assert failed["ares-org.xml"].startswith(
            "ares-org.xml, line 2, column 'iati-organisations'"
        )
        written = json.loads((ingested[1][0] / "ingest-report.json").read_text(encoding="utf-8"))
        assert written == report.as_dict()
        assert written["failed"] == 2

    def test_every_value_is_the_object_paths_to_the_cent(self, ingested):
        folder, (out, report), _ = ingested
        expected: Counter[tuple[str, str, str]] = Counter()
        counts: Counter[str] = Counter()
        for entry in report.files:
            if entry.error is not None:
                continue
            for activity in read_activities(folder / entry.file):
                counts[entry.file] += 1
                for transaction in activity.transactions:
                    key = (entry.file, transaction.type.code, transaction.value.currency)
                    expected[key] += transaction.value.amount
        assert {f.file: f.activities for f in report.files if f.error is None} == counts
        table = _table(out, "transactions")
        got: Counter[tuple[str, str, str]] = Counter()
        for row in table.select(["file", "type", "currency", "value"]).to_pylist():
            got[row["file"], row["type"], row["currency"]] += row["value"]
        assert got == expected
        assert table.num_rows == report.transactions
        assert table.schema.field("value").type == pa.decimal128(38, 10)
        assert pa.types.is_date32(table.schema.field("date").type)

    def test_partitions_are_year_and_country(self, ingested):
        _, (out, _), _ = ingested
        years = {p.name for p in (out / "transactions").iterdir()}
        assert all(name.startswith("year=") for name in years)
        countries = {p.name for p in (out / "transactions").glob("year=*/*")}
        assert "country=EC" in countries


class TestOneFile:
    def test_a_transaction_with_several_countries_is_in_multi_with_its_shares(self, tmp_path):
        several = '<recipient-country code="PE" percentage="60"/><recipient-country code="EC" percentage="40"/>'
        _file(tmp_path, "a.xml", _activity("XM-1", countries=several))
        report = ingest(tmp_path, tmp_path / "out", workers=1)
        assert (report.activities, report.transactions) == (1, 1)
        assert (tmp_path / "out/transactions/year=2021/country=multi").is_dir()
        shares = _table(tmp_path / "out", "shares").to_pylist()
        assert [(s["kind"], s["code"], s["percentage"]) for s in shares] == [
            ("country", "PE", Decimal(60)),
            ("country", "EC", Decimal(40)),
        ]
        (activity,) = _table(tmp_path / "out", "activities").to_pylist()
        assert (activity["file"], activity["line"], activity["title_language"]) == (
            "a.xml",
            2,
            "en",
        )

    def test_a_value_the_tables_cannot_hold_leaves_its_activity_out(self, tmp_path):
        _file(tmp_path, "a.xml", _activity("XM-1"), _activity("XM-2", value="1.00000000001"))
        report = ingest(tmp_path, tmp_path / "out", workers=1)
        (entry,) = report.files
        assert entry.activities == 1
        (skipped,) = entry.skipped
        assert skipped.identifier == "XM-2"
        assert "more than 10 decimal places" in skipped.reason

    def test_a_bad_activity_is_listed_or_fails_its_file(self, tmp_path):
        bad = _activity("XM-2").replace('code="3"', 'code="99"')
        _file(tmp_path, "a.xml", _activity("XM-1"), bad)
        skipping = ingest(tmp_path, tmp_path / "skip", workers=1)
        (entry,) = skipping.files
        assert (entry.activities, len(entry.skipped)) == (1, 1)
        assert "TransactionType" in entry.skipped[0].reason
        raising = ingest([tmp_path / "a.xml"], tmp_path / "raise", workers=1, invalid="raise")
        (failed,) = raising.failed
        assert "XM-2" in failed.error
        assert not (tmp_path / "raise" / "transactions").exists()  # nothing of it is kept

    def test_a_file_broken_midway_leaves_no_rows(self, tmp_path, monkeypatch):
        monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 2)  # parts are written, then removed
        good = _file(tmp_path, "good.xml", _activity("XM-1"))
        text = "".join(_activity(f"XM-B{n}") for n in range(5))
        broken = tmp_path / "broken.xml"
        broken.write_text(
            '<iati-activities version="2.03">' + text + "<iati-activ", encoding="utf-8"
        )
        report = ingest([good, broken], tmp_path / "out", workers=1)
        assert [f.error is None for f in report.files] == [True, False]
        assert "not well-formed XML" in report.files[1].error
        files = {r["file"] for r in _table(tmp_path / "out", "activities").to_pylist()}
        assert files == {str(good)}
        assert not (tmp_path / "out" / ".parts").exists()  # the workers' parts are gone

    def test_chunks_give_the_same_rows(self, tmp_path, monkeypatch):
        _file(tmp_path, "a.xml", *(_activity(f"XM-{n}", value=f"{n}.25") for n in range(7)))
        whole = ingest(tmp_path, tmp_path / "whole", workers=1)
        monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 3)
        chunked = ingest(tmp_path, tmp_path / "chunked", workers=1)
        # The parts of each chunk are joined into one file a partition, as a whole file's.
        assert sorted(
            p.relative_to(tmp_path / "chunked") for p in (tmp_path / "chunked").rglob("*.parquet")
        ) == sorted(
            p.relative_to(tmp_path / "whole") for p in (tmp_path / "whole").rglob("*.parquet")
        )
        assert (
            _table(tmp_path / "chunked", "transactions").to_pylist()
            == _table(tmp_path / "whole", "transactions").to_pylist()
        )
        assert whole.transactions == chunked.transactions == 7
        values = sorted(
            r["value"] for r in _table(tmp_path / "chunked", "transactions").to_pylist()
        )
        assert values == [Decimal(f"{n}.25") for n in range(7)]

    def test_each_partition_is_one_file_of_row_groups(self, tmp_path, monkeypatch):
        pq = pytest.importorskip("pyarrow.parquet")
        monkeypatch.setattr(ingest_module, "ROW_GROUP_ROWS", 2)
        monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 3)
        _file(tmp_path, "a.xml", *(_activity(f"XM-{n}") for n in range(7)))
        ingest(tmp_path, tmp_path / "out", workers=1)
        (part,) = (tmp_path / "out" / "transactions").rglob("*.parquet")
        assert part.name == "part-0.parquet"
        metadata = pq.ParquetFile(part).metadata
        sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
        assert sizes == [2, 2, 2, 1]
        identifiers = [
            r["identifier"] for r in _table(tmp_path / "out", "transactions").to_pylist()
        ]
        assert identifiers == [f"XM-{n}" for n in range(7)]  # in file order

    def test_progress_counts_files(self, tmp_path):
        for name in ("a.xml", "b.xml"):
            _file(tmp_path, name, _activity(f"XM-{name}"))
        calls = []
        ingest(
            tmp_path,
            tmp_path / "out",
            workers=1,
            progress=lambda done, total: calls.append((done, total)),
        )
        assert calls[-1] == (2, 2)


class TestArguments:
    @pytest.mark.parametrize(
        ("arguments", "field"),
        [
            ({"workers": 0}, "ingest.workers"),
            ({"workers": True}, "ingest.workers"),
            ({"invalid": "ignore"}, "ingest.invalid"),
        ],
    )
    def test_bad_options_are_named(self, tmp_path, arguments, field):
        _file(tmp_path, "a.xml", _activity("XM-1"))
        with pytest.raises(citycoop.ValidationError) as info:
            ingest(tmp_path, tmp_path / "out", **arguments)
        assert info.value.field == field

    def test_a_folder_with_files_in_it_is_refused(self, tmp_path):
        _file(tmp_path, "a.xml", _activity("XM-1"))
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "old.parquet").write_bytes(b"")
        with pytest.raises(citycoop.ValidationError, match="ingest.out_dir"):
            ingest(tmp_path, tmp_path / "out")

    def test_missing_sources_are_named(self, tmp_path):
        with pytest.raises(citycoop.ValidationError, match=r"ingest\.source: "):
            ingest(tmp_path / "nowhere", tmp_path / "out")
        with pytest.raises(citycoop.ValidationError, match=r"ingest\.source\[0\]"):
            ingest([tmp_path / "nowhere.xml"], tmp_path / "out")
