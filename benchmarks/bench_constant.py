"""Rolling up at constant prices against the same rollup at current prices.

    python benchmarks/bench_constant.py --rates wdi_API_PA.NUS.FCRF_....csv \
        --prices API_FP.CPI.TOTL_....csv [--cases 1000000] [--rounds 5]

One million generated cases (value dates in 2005-2021, five currencies the World Bank
table and the CPI file both cover) are rolled up by (country, year) into USD with the
World Bank's annual rates: the contender also asks for constant 2021 prices (the CPI
file, ``"deflate_then_convert"``), the baseline does not. The two alternate over rounds
in one interpreter, on the same cases; the median of the per-round ratios is reported,
with their range. Target: at most 1.3x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from decimal import Decimal

from _timing import interleaved, ratio

from citycoop import City, FocusShare, Money, PolicyExport, PriceIndex, RateTable, rollup


def cases(count: int) -> list[PolicyExport]:
    rng = random.Random(7)
    places = {"KRW": "KR", "PEN": "PE", "COP": "CO", "MNT": "MN", "PHP": "PH"}
    cities = {code: City(f"City {country}", country, "UTC") for code, country in places.items()}
    start = dt.date(2005, 1, 1)
    days = [start + dt.timedelta(days=d) for d in range(17 * 365)]
    focus = (FocusShare("digital"),)
    made = []
    for _ in range(count):
        code = rng.choice(list(places))
        made.append(
            PolicyExport(
                "p",
                cities[code],
                focus,
                value=Money(Decimal(rng.randint(1, 10**9)) / 100, code),
                value_date=rng.choice(days),
            )
        )
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", required=True)
    parser.add_argument("--prices", required=True)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    rates = RateTable.from_file(arguments.rates)
    prices = PriceIndex.from_file(arguments.prices)
    items = cases(arguments.cases)
    by = ("country", "year")

    def current() -> object:
        return rollup(items, by=by, currency="USD", rates=rates)

    def constant() -> object:
        return rollup(items, by=by, currency="USD", rates=rates, prices=prices, base_year=2021)

    check = rollup(items, by=by, currency="USD", rates=rates, prices=prices, base_year=2021)
    assert check.total.constant_complete, check.undeflated[:3]
    times = interleaved({"constant": constant, "current": current}, rounds=arguments.rounds)
    median, low, high = ratio(times, "constant", "current")
    print(f"{arguments.cases:,} cases; current total {check.total.converted}")
    print(f"constant 2021 prices: {check.total.constant} ({len(check.index_values)} index values)")
    print(
        f"current prices: {min(times['current']):.3f} s; "
        f"constant prices: {min(times['constant']):.3f} s (best of {arguments.rounds})"
    )
    print(f"constant / current: median {median:.2f}x (range {low:.2f}-{high:.2f}); target <= 1.3x")


if __name__ == "__main__":
    main()
