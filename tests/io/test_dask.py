"""The Dask path: ingest and rollups on a local cluster of processes match the local pool."""

from __future__ import annotations

import pytest

import citycoop

pytest.importorskip("lxml")
pytest.importorskip("duckdb")
distributed = pytest.importorskip("distributed")

from citycoop import columnar  # noqa: E402
from citycoop.io.ingest import ingest  # noqa: E402


def _files(folder):
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _same(one, two) -> bool:
    """Two rollups alike: every group, the total and what was not converted."""
    return (one.rows, one.total, one.unconverted) == (two.rows, two.total, two.unconverted)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as connected:
        yield connected


@pytest.fixture(scope="module")
def datasets(reference, client, tmp_path_factory):
    folder = reference / "data" / "iati-activities"
    pooled = tmp_path_factory.mktemp("pool") / "dataset"
    spread = tmp_path_factory.mktemp("dask") / "dataset"
    return (
        ingest(folder, pooled, workers=2),
        pooled,
        ingest(folder, spread, client=client),
        spread,
    )


def test_ingest_on_a_cluster_writes_what_the_pool_writes(datasets):
    pool_report, pooled, dask_report, spread = datasets
    assert dask_report.files == pool_report.files
    assert _files(spread) == _files(pooled)


@pytest.mark.parametrize(
    "by", [("country", "transaction_type"), ("focus_area", "year", "transaction_type")]
)
def test_a_rollup_on_a_cluster_is_the_local_one(datasets, client, ecb, by):
    _, pooled, _, _ = datasets
    options = {"currency": "EUR", "rates": ecb, "missing": "omit"}
    here = columnar.rollup_transactions(pooled, by=by, **options)
    there = columnar.rollup_transactions(pooled, by=by, client=client, **options)
    assert _same(there, here)


def test_budgets_on_a_cluster(datasets, client):
    _, pooled, _, _ = datasets
    here = columnar.rollup_budgets(pooled, by=("country", "year"))
    assert _same(columnar.rollup_budgets(pooled, by=("country", "year"), client=client), here)


def test_anything_but_a_client_is_refused(tmp_path):
    with pytest.raises(citycoop.ValidationError, match=r"ingest\.client"):
        ingest(tmp_path, tmp_path / "out", client="tcp://127.0.0.1:8786")


def test_a_client_and_workers_are_refused(tmp_path, client):
    (tmp_path / "a.xml").write_text("<iati-activities/>", encoding="utf-8")
    with pytest.raises(citycoop.ValidationError, match=r"ingest\.client"):
        ingest(tmp_path, tmp_path / "out", workers=2, client=client)


def test_progress_counts_the_files_read_on_a_cluster(tmp_path, client):
    for name in ("a.xml", "b.xml", "c.xml"):
        (tmp_path / name).write_text(
            '<iati-activities version="2.03"></iati-activities>', encoding="utf-8"
        )
    calls: list[tuple[int, int | None]] = []
    report = ingest(
        tmp_path,
        tmp_path / "out",
        client=client,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert [entry.file for entry in report.files] == ["a.xml", "b.xml", "c.xml"]
    assert calls[-1] == (3, 3)
