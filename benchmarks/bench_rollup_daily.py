"""Rolling up cases with daily rates (the ECB file), against an earlier citycoop.

    python benchmarks/bench_rollup_daily.py --rates eurofxref-hist.csv --baseline OLD/src
        [--cases 300000] [--rounds 5]

OLD/src is the ``src`` folder of another checkout (for example ``git worktree add OLD
<commit>``). Each round runs this checkout's ``rollup`` and the baseline's, each in a
fresh interpreter on the same generated cases (value dates every day of 2010-2024,
weekends included, in 12 ECB currencies), rolled up by (country, year) into USD under
``RatePolicy.business_day()``; only the ``rollup`` call is timed. The median of the
per-round ratios is reported, with their range.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

WORKER = """
import datetime as dt, random, sys, time
from decimal import Decimal
from citycoop import City, FocusShare, Money, PolicyExport, RatePolicy, RateTable, rollup
rates = RateTable.from_file(sys.argv[1])
rng = random.Random(7)
countries = ["PE", "EC", "CO", "MN", "NZ", "VN", "PH", "TH", "ID", "IN", "JP", "GB"]
currencies = ["KRW", "JPY", "GBP", "CHF", "NZD", "PHP", "THB", "IDR", "INR", "BRL", "MXN", "CNY"]
cities = [City(f"City {c}", c, "UTC") for c in countries]
start = dt.date(2010, 1, 1)
days = [start + dt.timedelta(days=d) for d in range(15 * 365)]
focus = (FocusShare("digital"),)
cases = [
    PolicyExport("p", rng.choice(cities), focus,
                 value=Money(Decimal(rng.randint(1, 10**9)) / 100, rng.choice(currencies)),
                 value_date=rng.choice(days))
    for _ in range(int(sys.argv[2]))
]
policy = RatePolicy.business_day()
begin = time.perf_counter()
result = rollup(cases, by=("country", "year"), currency="USD", rates=rates, policy=policy)
print(time.perf_counter() - begin, result.total.converted)
"""


def run(src: Path, rates: str, cases: int) -> tuple[float, str]:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, rates, str(cases)],
        env={"PYTHONPATH": str(src), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, total = done.stdout.split(maxsplit=1)
    return float(seconds), total.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", required=True)
    parser.add_argument("--baseline", required=True, type=Path)
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    ours_src = HERE.parent / "src"
    ratios, ours_times, base_times = [], [], []
    for _ in range(arguments.rounds):
        ours, ours_total = run(ours_src, arguments.rates, arguments.cases)
        base, base_total = run(arguments.baseline, arguments.rates, arguments.cases)
        if ours_total != base_total:
            raise SystemExit(f"totals differ: {ours_total} != {base_total}")
        ours_times.append(ours)
        base_times.append(base)
        ratios.append(ours / base)
    print(f"{arguments.cases:,} cases, daily ECB rates, total {ours_total}")
    print(f"this checkout: {min(ours_times):.3f} s; baseline: {min(base_times):.3f} s")
    print(
        f"ratio {statistics.median(ratios):.2f} "
        f"(range {min(ratios):.2f}-{max(ratios):.2f}, target <= 0.75)"
    )


if __name__ == "__main__":
    main()
