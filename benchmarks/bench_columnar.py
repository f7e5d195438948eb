"""A columnar rollup of 10,000,000 cases read from Parquet, on one and on two threads.

    python benchmarks/bench_columnar.py [--rows 10000000] [--rounds 3]

Generated data, as in ``bench_rollup.py``: 30 currencies, 34 countries, value dates over
15 years, annual USD rates. The cases are written once to a Parquet file with the
columns of ``citycoop.columnar.to_arrow`` (not timed); then
``citycoop.columnar.rollup(open_parquet(path), by=("country", "year"), currency="USD",
rates=...)`` runs, reading the file, summing with DuckDB and converting and rounding
exactly in Python. The best of the rounds is reported for each thread count. Target:
at most 1.5 s on one thread. Needs the ``columnar`` extra and numpy.

Then the same rollup on one thread against a fair baseline: a bare DuckDB ``GROUP BY``
(country, year, currency) over the same file, each subtotal converted at its year's
rate and each (country, year) total rounded to the cent in Python, as a skilled user
would finish it. The two alternate over the rounds, their order rotating; every
group's total is checked equal first; the median of the per-round ratios is reported
with its range. Target: at most 1.3x.

Where polars is installed (it is never a citycoop dependency), the engines are compared
first: the same sums per (country, year, currency) from the same file, by DuckDB and by
polars, each in a fresh interpreter limited to one and then two threads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from _timing import interleaved, ratio
from bench_rollup import COUNTRIES, CURRENCIES, make_rates

from citycoop import columnar
from citycoop.io.csv import COLUMNS

ZERO = Decimal(0)
CENT = Decimal("0.01")


def write_cases(path: Path, rows: int) -> None:
    rng = np.random.default_rng(1)
    first = (dt.date(2010, 1, 1) - dt.date(1970, 1, 1)).days
    days = rng.integers(0, 15 * 365, rows).astype("int32") + first
    dates = pa.array(days, pa.date32())
    countries = rng.integers(0, len(COUNTRIES), rows).astype("int32")
    cents = pa.array(rng.integers(1, 10**11, rows), pa.int64())
    columns = {
        "recipient_name": pa.DictionaryArray.from_arrays(
            countries, pa.array([f"City {code}" for code in COUNTRIES])
        ),
        "recipient_country": pa.DictionaryArray.from_arrays(countries, pa.array(COUNTRIES)),
        "recipient_timezone": pa.DictionaryArray.from_arrays(
            np.zeros(rows, "int32"), pa.array(["UTC"])
        ),
        "value_currency": pa.DictionaryArray.from_arrays(
            rng.integers(0, len(CURRENCIES), rows).astype("int32"), pa.array(CURRENCIES)
        ),
        "value_date": dates,
        # Cents as an exact decimal with two places: the same digits, the scale moved.
        "value_amount": pa.Array.from_buffers(
            pa.decimal128(38, 2), rows, cents.cast(pa.decimal128(38, 0)).buffers()
        ),
        "year": pa.compute.year(dates).cast(pa.int64()),
        "status": pa.DictionaryArray.from_arrays(np.zeros(rows, "int32"), pa.array(["completed"])),
    }
    table = pa.table(
        {
            column: columns[column]
            if column in columns
            else pa.nulls(
                rows, pa.int64() if column.endswith(("population", "geonames_id")) else pa.string()
            )
            for column in COLUMNS
        }
    )
    pq.write_table(table, path)


ENGINE = """
import sys, time
engine, path = sys.argv[1], sys.argv[2]
if engine == "duckdb":
    import duckdb
    connection = duckdb.connect(config={"threads": int(sys.argv[3])})
    query = (
        "SELECT recipient_country, year(value_date), value_currency, count(*), "
        f"sum(value_amount) FROM read_parquet('{path}') GROUP BY ALL"
    )
    run = lambda: connection.execute(query).fetchall()
else:
    import polars as pl
    run = lambda: (
        pl.scan_parquet(path)
        .group_by("recipient_country", pl.col("value_date").dt.year(), "value_currency")
        .agg(pl.len(), pl.col("value_amount").sum())
        .collect()
    )
times = []
for _ in range(3):
    start = time.perf_counter()
    run()
    times.append(time.perf_counter() - start)
print(min(times))
"""


def compare_engines(path: Path) -> None:
    if importlib.util.find_spec("polars") is None:
        print("engines: polars is not installed; comparison skipped")
        return
    for threads in (1, 2):
        results = {}
        for engine in ("duckdb", "polars"):
            environment = {**os.environ, "POLARS_MAX_THREADS": str(threads)}
            done = subprocess.run(
                [sys.executable, "-c", ENGINE, engine, str(path), str(threads)],
                env=environment,
                capture_output=True,
                text=True,
                check=True,
            )
            results[engine] = float(done.stdout)
        print(
            f"engines, {threads} thread{'s' if threads > 1 else ''}: duckdb "
            f"{results['duckdb']:.3f} s, polars {results['polars']:.3f} s (best of 3)"
        )


def bare_duckdb(
    path: Path, by_pair: dict[tuple[str, int], Decimal]
) -> dict[tuple[str, int], Decimal]:
    """The fair baseline: DuckDB's sums per (country, year, currency), finished exactly."""
    import duckdb

    connection = duckdb.connect(config={"threads": 1})
    rows = connection.execute(
        "SELECT recipient_country, year(value_date), value_currency, sum(value_amount) "  # noqa: S608 - the path of a file made here
        f"FROM read_parquet('{path}') GROUP BY ALL"
    ).fetchall()
    totals: dict[tuple[str, int], Decimal] = {}
    with decimal.localcontext(prec=60):
        for country, year, currency, amount in rows:
            key = (country, year)
            totals[key] = totals.get(key, ZERO) + amount / by_pair[currency, year]
    return {key: total.quantize(CENT) for key, total in totals.items()}


def against_duckdb(
    path: Path, rates: object, by_pair: dict[tuple[str, int], Decimal], rounds: int
) -> None:
    def ours() -> object:
        return columnar.rollup(
            columnar.open_parquet(path), by=("country", "year"), currency="USD", rates=rates
        )

    def theirs() -> object:
        return bare_duckdb(path, by_pair)

    result: Any = ours()
    got = {(g.key[0].code, g.key[1]): g.converted.amount for g in result}
    assert got == theirs(), "the totals differ"
    times = interleaved({"citycoop": ours, "duckdb": theirs}, rounds=rounds)
    median, low, high = ratio(times, "citycoop", "duckdb")
    print(
        f"1 thread against a bare DuckDB GROUP BY finished exactly: citycoop"
        f" {statistics.median(times['citycoop']):.3f} s, baseline"
        f" {statistics.median(times['duckdb']):.3f} s; ratio {median:.2f}"
        f" (range {low:.2f}-{high:.2f}; {len(got)} groups equal; target <= 1.3)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    rates, by_pair = make_rates(random.Random(0))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.parquet"
        write_cases(path, arguments.rows)
        size = path.stat().st_size / 2**20
        print(f"{arguments.rows:,} rows, {size:.0f} MiB of Parquet")
        compare_engines(path)
        for threads in (1, 2):
            times = []
            for _ in range(arguments.rounds):
                start = time.perf_counter()
                result = columnar.rollup(
                    columnar.open_parquet(path),
                    by=("country", "year"),
                    currency="USD",
                    rates=rates,
                    threads=threads,
                )
                times.append(time.perf_counter() - start)
            print(
                f"{threads} thread{'s' if threads > 1 else ''}: {min(times):.3f} s "
                f"(best of {arguments.rounds}; {len(result.rows)} groups, total "
                f"{result.total.converted}; target <= 1.5 s on one thread)"
            )
        against_duckdb(path, rates, by_pair, max(arguments.rounds, 5))


if __name__ == "__main__":
    main()
