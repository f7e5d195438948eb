"""Loading the ECB's whole rate history: ``RateTable.from_file`` against a hand loop.

    python benchmarks/bench_rate_file.py path/to/eurofxref-hist.csv [--rounds 7]

The baseline is what a skilled user writes for the same job: ``csv.reader``,
``date.fromisoformat`` and ``Decimal`` into a dict keyed by (currency, day), skipping
the ``N/A`` gaps. citycoop does more (it checks every cell as text, refuses repeated
dates and columns, and builds a validated ``Rate`` per cell, each naming its source and
day), and its table answers look-ups the dict does not. Both read the same bytes; the
values are checked equal, one by one, before timing. Contenders run interleaved, in a
rotating order, and the median of the per-round ratios is reported. Then the memory a
loaded table holds, and the peak while reading (tracemalloc), against the file's size.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import tracemalloc
from decimal import Decimal
from pathlib import Path

from _timing import interleaved, ratio

from citycoop import RateTable


def hand_loop(text: str) -> dict[tuple[str, dt.date], Decimal]:
    values: dict[tuple[str, dt.date], Decimal] = {}
    rows = csv.reader(io.StringIO(text))
    header = next(rows)
    for row in rows:
        day = dt.date.fromisoformat(row[0])
        for name, cell in zip(header[1:], row[1:], strict=False):
            if cell and cell != "N/A":
                values[name, day] = Decimal(cell)
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    text = args.path.read_text(encoding="utf-8")

    table = RateTable.from_file(io.StringIO(text))
    expected = hand_loop(text)
    got = {(rate.quote, rate.period.start): rate.value for rate in table.rates}
    assert got == expected, "the two readers disagree"
    print(f"{len(got):,} rates, equal value by value")

    times = interleaved(
        {
            "citycoop": lambda: RateTable.from_file(io.StringIO(text)),
            "hand loop": lambda: hand_loop(text),
        },
        rounds=args.rounds,
    )
    for name, runs in times.items():
        print(f"{name:>10}: median {sorted(runs)[len(runs) // 2]:.3f} s")
    middle, low, high = ratio(times, "citycoop", "hand loop")
    print(f"citycoop / hand loop: {middle:.2f}x (rounds {low:.2f}x to {high:.2f}x)")

    size = len(text.encode("utf-8"))
    tracemalloc.start()
    kept = RateTable.from_file(io.StringIO(text))
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory: file {size / 2**20:.1f} MiB; table held {held / 2**20:.1f} MiB "
        f"({held / size:.1f}x the file), peak while reading {peak / 2**20:.1f} MiB "
        f"({peak / size:.1f}x); {len(kept):,} rates"
    )


if __name__ == "__main__":
    main()
