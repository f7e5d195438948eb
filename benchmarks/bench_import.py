"""Import time of citycoop against the packages ``import citycoop`` itself loads.

    python benchmarks/bench_import.py [--rounds 15]

``import citycoop`` loads attrs and pendulum and nothing heavier (cattrs, babel, pint
and iso4217 wait for first use), so the baseline is ``import attrs, pendulum``. Each
import runs in a fresh interpreter; within each round the baseline, citycoop and an
empty interpreter run in turn, and the median of the per-round ratios (start-up
subtracted) is reported with its range. Target: at most 1.4x.

Then the first use of hours (a ``Cohort`` and its ``person_hours``) in a fresh
interpreter, after ``import citycoop``: what pint's import and one application registry
cost, once. Target: at most 0.25 s, with one registry built (the exact, Decimal one is
built only for quantities in other units than hours).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def once(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    loaded = subprocess.run(
        [sys.executable, "-c", "import citycoop, sys; print(' '.join(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    heavy = [name for name in ("cattrs", "babel", "pint", "iso4217") if name in loaded]
    if heavy:
        raise SystemExit(f"import citycoop loads {heavy}; the baseline would be unfair")
    ratios, bases, ours = [], [], []
    for _ in range(rounds):
        empty = once("pass")
        base = once("import attrs, pendulum") - empty
        mine = once("import citycoop") - empty
        bases.append(base)
        ours.append(mine)
        ratios.append(mine / base)
    print(f"import attrs, pendulum: {statistics.median(bases) * 1000:6.1f} ms (median)")
    print(f"import citycoop:        {statistics.median(ours) * 1000:6.1f} ms (median)")
    print(
        f"ratio {statistics.median(ratios):.2f} "
        f"(range {min(ratios):.2f}-{max(ratios):.2f}, target <= 1.4)"
    )
    first_hours(rounds)


FIRST_HOURS = """
import time
import citycoop
from citycoop import Cohort, Period
period = Period("2022-03-07", "2022-03-11")
start = time.perf_counter()
Cohort(period, participants=20, hours=35).person_hours
took = time.perf_counter() - start
from citycoop._core import units
print(took, units._exact.cache_info().currsize)
"""


def first_hours(rounds: int) -> None:
    runs = []
    for _ in range(rounds):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_HOURS], check=True, capture_output=True, text=True
        )
        took, exact = done.stdout.split()
        if exact != "0":
            raise SystemExit("the exact registry was built for hours given as numbers")
        runs.append(float(took))
    print(
        f"first use of hours: {statistics.median(runs) * 1000:6.1f} ms (median; range "
        f"{min(runs) * 1000:.1f}-{max(runs) * 1000:.1f}; one registry; target <= 250 ms)"
    )


if __name__ == "__main__":
    main()
