"""Conversion and rate look-up costs against hand-written baselines, in one run.

    python benchmarks/bench_fx.py path/to/ecb_eurofxref-hist.csv

(1) 15,000 (group, currency) subtotals, each with its own value date, converted and rounded
to cents, against a hand-written loop that looks each rate up in a dict and does Decimal
divide-and-quantize: with ``convert_batch(...).rounded_amounts()`` (a column of Decimals,
like the loop's), with ``convert_batch(...).rounded()`` (Money objects) and with one
``convert(...).rounded()`` call per subtotal.
(2) One ``RateTable.find`` in a table holding the whole ECB history, against the same
look-up in a table of 1,000 rates. The best of 5 runs is reported.
"""

from __future__ import annotations

import random
import sys
import timeit
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from citycoop import Money, Period, Rate, RatePolicy, RateTable, convert, convert_batch

if TYPE_CHECKING:
    from collections.abc import Callable

CODES = ["KRW", "PEN", "EUR", "JPY", "COP", "MNT", "UAH", "NZD", "CNY", "THB"]
YEARS = range(2010, 2025)


def best(function: Callable[[], object], number: int = 1) -> float:
    return min(timeit.repeat(function, number=number, repeat=5)) / number


def conversion() -> None:
    rng = random.Random(7)
    rates = RateTable(
        Rate("USD", code, Decimal(rng.randint(100, 300_000)) / 100, Period.year(year), "bench")
        for code in CODES
        for year in YEARS
    )
    subtotals = [
        (
            Money(Decimal(rng.randint(1, 10**11)) / 100, rng.choice(CODES)),
            date(rng.choice(YEARS), 6, 30),
        )
        for _ in range(15_000)
    ]
    by_pair = {(r.quote, r.period.start.year): r.value for r in rates.rates}
    cent = Decimal("0.01")

    def hand_written() -> None:
        for money, day in subtotals:
            (money.amount / by_pair[money.currency, day.year]).quantize(cent)

    def batch_column() -> None:
        convert_batch(subtotals, "USD", rates=rates).rounded_amounts()

    def batch_money() -> None:
        convert_batch(subtotals, "USD", rates=rates).rounded()

    def one_by_one() -> None:
        for money, day in subtotals:
            convert(money, "USD", on=day, rates=rates).rounded()

    one_by_one()  # the first pass fills the table's look-up cache; steady state is measured
    base = best(hand_written)
    print(f"convert 15,000 subtotals: hand-written loop {base * 1e3:.1f} ms")
    for name, function in (
        ("convert_batch(...).rounded_amounts()", batch_column),
        ("convert_batch(...).rounded()", batch_money),
        ("convert(...).rounded() per subtotal", one_by_one),
    ):
        ours = best(function)
        print(f"  {name:38} {ours * 1e3:5.1f} ms, ratio {ours / base:5.2f} (target <= 2)")


def lookup(ecb_path: str) -> None:
    ecb = RateTable.from_ecb_csv(ecb_path)
    start = date(2021, 1, 1)
    small = RateTable(
        Rate("EUR", "KRW", Decimal(1300) + i, Period.day(start + timedelta(days=i)), "bench")
        for i in range(1_000)
    )
    policy = RatePolicy.latest(max_age_days=4)
    days = [start + timedelta(days=i) for i in range(0, 1_000, 3)]

    def in_table(table: RateTable) -> float:
        def run() -> None:
            for day in days:
                table._legs("EUR", "KRW", day, policy)  # noqa: SLF001 - the uncached look-up

        return best(run, number=20) / len(days)

    big, little = in_table(ecb), in_table(small)
    print(
        f"rate look-up: full ECB table ({len(ecb):,} rates) {big * 1e6:.2f} us, "
        f"1,000-rate table {little * 1e6:.2f} us, ratio {big / little:.2f} (target <= 2)"
    )


if __name__ == "__main__":
    conversion()
    if len(sys.argv) > 1:
        lookup(sys.argv[1])
