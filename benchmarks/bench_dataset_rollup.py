"""A rollup of 10,000,000 ingested transactions by (country, year, type) into USD at daily ECB rates.

    python benchmarks/bench_dataset_rollup.py --source shared/data/iati-activities \\
        --ecb shared/data/fx/ecb_eurofxref-hist.csv [--rows 10000000] [--rounds 5]

The real publisher files under ``--source`` are ingested (``citycoop.io.ingest``, not
timed), and their transactions are repeated until the dataset holds ``--rows`` rows,
laid out as ingest lays them out (partitioned by year and country, one file a partition,
row groups of ``ROW_GROUP_ROWS`` rows) (those valued before the
ECB file's first day or after its last are left out). Each repetition is given one
of six currencies the ECB file quotes (the real files are all in US dollars), so that
every subtotal needs a daily rate; a weekend's value date takes the latest rate of the
four days before (``RatePolicy.latest(max_age_days=4)``).

``citycoop.columnar.rollup_transactions(dataset, by=("country", "year",
"transaction_type"), currency="USD", rates=ecb, policy=...)`` runs on one thread
against a fair baseline: a bare DuckDB ``GROUP BY`` (country, year, type, currency,
value date) over the same files, each subtotal converted exactly at the rate that
citycoop's table finds for it (``RateTable.resolve``) and each group's total rounded
to the cent once, as a skilled user would finish it. The real files split no
transaction over several countries, so the baseline may key by the ``country``
partition. The two alternate over the rounds, their order rotating; every group's total
is checked equal first; the median of the per-round ratios is reported with its range.
Target: at most 1.5 s on one thread. With ``--dask``, the same rollup on a local Dask
cluster of two worker processes (a few tasks a worker, the partial sums added up exactly)
runs against the local one-thread run, its totals checked equal first.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import decimal
import json
import shutil
import statistics
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
from _timing import interleaved, ratio

import citycoop
from citycoop import columnar
from citycoop.io.ingest import ROW_GROUP_ROWS, ingest

CENT = Decimal("0.01")
ZERO = Decimal(0)
BY = ("country", "year", "transaction_type")
POLICY = citycoop.RatePolicy.latest(max_age_days=4)


def ecb_days(path: Path) -> tuple[dt.date, dt.date]:
    """The first and last day of the ECB file."""
    with path.open(encoding="utf-8") as file:
        days = [dt.date.fromisoformat(row[0]) for row in csv.reader(file) if row[0][:1].isdigit()]
    return min(days), max(days)


def build(
    source: Path, out: Path, rows: int, currencies: list[str], days: tuple[dt.date, dt.date]
) -> None:
    """Ingest *source*, then repeat its transactions to *rows* rows, a currency a repetition."""
    real = out.parent / "real"
    report = ingest(source, real, workers=1)
    shutil.copytree(real / "activities", out / "activities")
    shutil.copy(real / "ingest-report.json", out / "ingest-report.json")
    # Transactions valued outside the file's days are left out.
    first, last = days
    table = ds.dataset(real / "transactions", partitioning="hive").to_table(
        filter=(ds.field("value_date") >= pa.scalar(first, pa.date32()))
        & (ds.field("value_date") <= pa.scalar(last, pa.date32()))
    )
    table = table.cast(
        table.schema.set(table.schema.get_field_index("country"), pa.field("country", pa.string()))
    )
    count = table.num_rows
    repeats = -(-rows // count)
    indices = np.tile(np.arange(count), repeats)[:rows]
    block = np.repeat(np.arange(repeats), count)[:rows] % len(currencies)
    grown = table.take(pa.array(indices))
    grown = grown.set_column(
        grown.schema.get_field_index("currency"),
        "currency",
        pa.DictionaryArray.from_arrays(pa.array(block.astype("int32")), pa.array(currencies)),
    )
    ds.write_dataset(
        grown,
        out / "transactions",
        format="parquet",
        partitioning=["year", "country"],
        partitioning_flavor="hive",
        # As ingest lays a dataset out: one file a partition, row groups of ROW_GROUP_ROWS.
        basename_template="part-{i}.parquet",
        min_rows_per_group=ROW_GROUP_ROWS,
        max_rows_per_group=ROW_GROUP_ROWS,
    )
    print(
        f"{rows:,} transaction rows from {count:,} of the {report.transactions:,} real ones"
        f" ({len(currencies)} currencies)"
    )


def bare_duckdb(out: Path, ecb: Any) -> dict[tuple[str | None, int, str], Decimal]:
    """The fair baseline: DuckDB's exact sums per day and currency, converted and rounded once."""
    import duckdb

    connection = duckdb.connect(config={"threads": 1})
    rows = connection.execute(
        "SELECT country, year, type, currency, value_date, sum(value) FROM read_parquet("
        "?, hive_partitioning = true) GROUP BY ALL",
        [f"{out.as_posix()}/transactions/**/*.parquet"],
    ).fetchall()
    factors: dict[tuple[str, Any], tuple[Decimal, Decimal]] = {}
    totals: dict[tuple[str | None, int, str], Decimal] = {}
    with decimal.localcontext(prec=80):
        for country, year, kind, code, day, amount in rows:
            factor = factors.get((code, day))
            if factor is None:
                _, numerator, denominator, _, _ = ecb.resolve(code, "USD", day, POLICY)
                factor = factors[code, day] = (numerator, denominator)
            key = (None if country == "none" else country, year, kind)
            totals[key] = totals.get(key, ZERO) + amount * factor[0] / factor[1]
    return {key: total.quantize(CENT) for key, total in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--ecb", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dask", action="store_true", help="also on a local Dask cluster")
    arguments = parser.parse_args()
    ecb = citycoop.RateTable.from_ecb_csv(arguments.ecb)
    currencies = ["EUR", "KRW", "JPY", "GBP", "CHF", "SEK"]  # quoted by the ECB since 1999
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "dataset"
        build(arguments.source, out, arguments.rows, currencies, ecb_days(arguments.ecb))

        def ours() -> object:
            return columnar.rollup_transactions(
                out, by=BY, currency="USD", rates=ecb, policy=POLICY, threads=1
            )

        def theirs() -> object:
            return bare_duckdb(out, ecb)

        result: Any = ours()
        got = {
            (None if g.key[0] is None else g.key[0].code, g.key[1], g.key[2].code): (
                g.converted.amount
            )
            for g in result
        }
        assert got == theirs(), "the totals differ"
        times = interleaved({"citycoop": ours, "duckdb": theirs}, rounds=arguments.rounds)
        median, low, high = ratio(times, "citycoop", "duckdb")
        print(
            json.dumps(
                {
                    "rows": arguments.rows,
                    "groups": len(got),
                    "citycoop_s": round(statistics.median(times["citycoop"]), 3),
                    "citycoop_best_s": round(min(times["citycoop"]), 3),
                    "baseline_s": round(statistics.median(times["duckdb"]), 3),
                    "ratio": round(median, 2),
                    "range": [round(low, 2), round(high, 2)],
                }
            )
        )

        if arguments.dask:
            against_dask(out, ecb, ours, arguments.rounds)


def against_dask(out: Path, ecb: Any, ours: Any, rounds: int) -> None:
    """The rollup summed by partition on a local Dask cluster, against one local run."""
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):

        def spread() -> object:
            return columnar.rollup_transactions(
                out, by=BY, currency="USD", rates=ecb, policy=POLICY, client=client
            )

        here: Any = ours()
        there: Any = spread()
        assert (there.rows, there.total) == (here.rows, here.total), "the totals differ"
        times = interleaved({"dask": spread, "citycoop": ours}, rounds=rounds)
        median, low, high = ratio(times, "dask", "citycoop")
        print(
            json.dumps(
                {
                    "dask_2_workers_s": round(statistics.median(times["dask"]), 3),
                    "local_1_thread_s": round(statistics.median(times["citycoop"]), 3),
                    "ratio": round(median, 2),
                    "range": [round(low, 2), round(high, 2)],
                }
            )
        )


if __name__ == "__main__":
    main()
