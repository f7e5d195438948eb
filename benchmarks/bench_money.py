"""Money arithmetic against py-moneyed's, on the same amounts.

    python benchmarks/bench_money.py [--count 200000] [--rounds 7]

Needs py-moneyed in the benchmark environment (it is never a citycoop dependency).
(1) ``a + b`` over pairs; (2) ``sum()`` of a list; (3) ``a < b`` over pairs; (4) memory
per object (tracemalloc, building a list of them). Contenders alternate within each of
the rounds; the median of the per-round ratios citycoop / py-moneyed is reported, with
its range. Target: at most 1.0x on each.
"""

from __future__ import annotations

import argparse
import random
import tracemalloc
from decimal import Decimal

from _timing import interleaved, ratio

from citycoop import Money


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=7)
    arguments = parser.parse_args()
    import moneyed

    rng = random.Random(5)
    amounts = [Decimal(rng.randint(1, 10**9)) / 100 for _ in range(arguments.count)]
    ours = [Money(amount, "EUR") for amount in amounts]
    theirs = [moneyed.Money(amount, "EUR") for amount in amounts]
    ours_pairs = list(zip(ours, reversed(ours), strict=True))
    theirs_pairs = list(zip(theirs, reversed(theirs), strict=True))
    assert sum(ours).amount == sum(theirs).amount  # type: ignore[attr-defined]

    checks = {
        "a + b": (
            lambda: [a + b for a, b in ours_pairs],
            lambda: [a + b for a, b in theirs_pairs],
        ),
        "sum()": (lambda: sum(ours), lambda: sum(theirs)),
        "a < b": (
            lambda: [a < b for a, b in ours_pairs],
            lambda: [a < b for a, b in theirs_pairs],
        ),
    }
    print(f"{arguments.count:,} amounts, {arguments.rounds} rounds")
    for name, (mine, other) in checks.items():
        times = interleaved({"citycoop": mine, "py-moneyed": other}, rounds=arguments.rounds)
        median, low, high = ratio(times, "citycoop", "py-moneyed")
        print(
            f"{name:6} citycoop {min(times['citycoop']):.3f} s, py-moneyed "
            f"{min(times['py-moneyed']):.3f} s: {median:.2f}x ({low:.2f}-{high:.2f}, target <= 1.0)"
        )
    for label, make in (
        ("citycoop", lambda a: Money(a, "EUR")),
        ("py-moneyed", lambda a: moneyed.Money(a, "EUR")),
    ):
        tracemalloc.start()
        kept = [make(amount) for amount in amounts]
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        print(f"memory {label:10} {size / len(kept):.0f} bytes per object (list included)")


if __name__ == "__main__":
    main()
