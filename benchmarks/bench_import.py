"""Import time of citycoop against the packages ``import citycoop`` itself loads.

    python benchmarks/bench_import.py [--rounds 15]

``import citycoop`` loads attrs and pendulum and nothing heavier (cattrs, babel, pint
and iso4217 wait for first use), so the baseline is ``import attrs, pendulum``. Each
import runs in a fresh interpreter; within each round the baseline, citycoop and an
empty interpreter run in turn, and the median of the per-round ratios (start-up
subtracted) is reported with its range. Target: at most 1.4x.
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


if __name__ == "__main__":
    main()
