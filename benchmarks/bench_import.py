"""Import time of citycoop against its own heavy dependencies, measured in one run.

    python benchmarks/bench_import.py

Each import runs in a fresh interpreter; the median of several runs is reported.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15


def measure(statement: str) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    empty = measure("pass")
    base = measure("import attrs, cattrs, pendulum, babel.numbers") - empty
    ours = measure("import citycoop") - empty
    print(f"interpreter start-up:                          {empty * 1000:7.1f} ms")
    print(f"import attrs, cattrs, pendulum, babel.numbers: {base * 1000:7.1f} ms")
    print(f"import citycoop:                               {ours * 1000:7.1f} ms")
    print(f"ratio: {ours / base:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
