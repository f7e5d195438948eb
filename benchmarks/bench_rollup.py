"""Rolling up a million export cases, against what a user would otherwise write.

    python benchmarks/bench_rollup.py [--cases 1000000]

Generated data: CASES policy exports in 30 currencies, recipients in 34 countries, value
dates over 15 years, annual USD rates. Each contender rolls up by (country, year) into USD:

(a) ``citycoop.rollup(cases, by=("country", "year"), currency="USD", rates=...)``;
(b) a hand-written loop summing Decimal amounts into a dict keyed by (country, year,
    currency), then converting each subtotal with that year's rate;
(c) the same sums with pint quantities (one unit per currency);
(d) the same sums with py-moneyed ``Money`` objects;
(e) a hand-written loop that computes what ``rollup`` reports for this data: per group the
    count, the items without a value, the distinct cities and countries, and sums per
    rate that serves each value date, each converted once and the total rounded once.
(f) loop (b) that also keeps each group's distinct cities (one set insertion per case):
    a floor for anything that reports distinct cities per group.

(c) and (d) run only where pint and py-moneyed are installed (they are never citycoop
dependencies for this purpose); each runs 3 times and the best time is reported. (a), (b),
(e) and (f) alternate over 5 rounds; the median of the per-round ratios is reported, with
their range. The hand-written loops are written as a skilled user writes them: methods
hoisted out of the loop, one shared zero.
A second part measures peak memory (tracemalloc) of ``rollup`` over a generator of cases,
at two sizes, to show that it grows with the number of groups, not of items.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
import tracemalloc
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from _timing import best, interleaved, ratio

from citycoop import City, FocusShare, Money, Period, PolicyExport, Rate, RateTable, rollup

if TYPE_CHECKING:
    from collections.abc import Iterator

CURRENCIES = [
    "KRW", "PEN", "COP", "MNT", "NZD", "EUR", "JPY", "CNY", "THB", "VND", "PHP", "IDR", "INR",
    "LKR", "KHR", "MZN", "ETB", "BDT", "AZN", "MYR", "BRL", "MXN", "CLP", "ARS", "UAH", "KZT",
    "UZS", "TRY", "EGP", "GBP",
]  # fmt: skip
COUNTRIES = [
    "PE", "EC", "CO", "MN", "NZ", "VN", "PH", "TH", "ID", "IN", "LK", "KH", "MZ", "ET", "BD",
    "AZ", "MY", "BR", "MX", "CL", "AR", "UA", "KZ", "UZ", "TR", "EG", "GB", "FR", "DE", "JP",
    "CN", "KE", "GH", "RW",
]  # fmt: skip
TIMEZONE = "UTC"
YEARS = range(2010, 2025)
ROUNDS = 5


def make_rates(rng: random.Random) -> tuple[RateTable, dict[tuple[str, int], Decimal]]:
    rates = [
        Rate("USD", code, Decimal(rng.randint(50, 5_000_000)) / 1000, Period.year(year), "bench")
        for code in CURRENCIES
        for year in YEARS
    ]
    return RateTable(rates), {(r.quote, r.period.start.year): r.value for r in rates}


def cases(count: int, seed: int = 1) -> Iterator[PolicyExport]:
    rng = random.Random(seed)
    cities = [City(f"City {code}", code, TIMEZONE) for code in COUNTRIES]
    focus = (FocusShare("public_transport"),)
    days = [dt.date(year, 1, 1) + dt.timedelta(days=d) for year in YEARS for d in range(0, 365, 7)]
    for _ in range(count):
        yield PolicyExport(
            "policy",
            rng.choice(cities),
            focus,
            value=Money(Decimal(rng.randint(1, 10**9)) / 100, rng.choice(CURRENCIES)),
            value_date=rng.choice(days),
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    count = parser.parse_args().cases
    table, by_pair = make_rates(random.Random(0))
    compare(count, table, by_pair)  # frees its million cases before memory is measured
    for size in (count // 10, count):
        gc.collect()
        tracemalloc.start()
        rollup(cases(size, seed=2), by=("country", "year"), currency="USD", rates=table)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"peak traced memory, rollup over a generator of {size:,} cases: {peak / 2**20:.1f} MiB"
        )


def compare(count: int, table: RateTable, by_pair: dict[tuple[str, int], Decimal]) -> None:
    start = time.perf_counter()
    data = list(cases(count))
    print(f"generated {count:,} cases in {time.perf_counter() - start:.1f} s")
    cent = Decimal("0.01")
    zero = Decimal(0)

    def citycoop() -> object:
        return rollup(data, by=("country", "year"), currency="USD", rates=table)

    def hand_written() -> object:
        sums: dict[tuple[object, int, str], Decimal] = {}
        get = sums.get
        for case in data:
            value = case.value
            key = (case.recipient.country, case.value_date.year, value.currency)
            sums[key] = get(key, zero) + value.amount
        totals: dict[tuple[object, int], Decimal] = {}
        for (country, year, currency), amount in sums.items():
            usd = amount / by_pair[currency, year]
            totals[country, year] = totals.get((country, year), zero) + usd
        return {key: value.quantize(cent) for key, value in totals.items()}

    def same_work() -> object:
        # What a rollup row reports, written by someone who knows the rates are annual.
        groups: dict[tuple[object, int | None], list[Any]] = {}
        get = groups.get
        for case in data:
            recipient = case.recipient
            key = (recipient.country, case.year)
            group = get(key)
            if group is None:
                group = groups[key] = [0, 0, set(), {}]
            group[0] += 1
            group[2].add(recipient)
            value = case.value
            if value is None:
                group[1] += 1
                continue
            sums = group[3]
            served = (value.currency, case.value_date.year)  # the rate that serves the day
            sums[served] = sums.get(served, zero) + value.amount
        rows = {}
        for key, (items, unvalued, cities, sums) in groups.items():
            usd = sum((amount / by_pair[served] for served, amount in sums.items()), zero)
            countries = {city.country for city in cities}
            rows[key] = (items, unvalued, len(cities), len(countries), usd.quantize(cent))
        return rows

    def with_cities() -> object:
        sums: dict[tuple[object, int, str], Decimal] = {}
        get = sums.get
        seen: set[tuple[tuple[object, int, str], City]] = set()
        add = seen.add
        for case in data:
            value = case.value
            key = (case.recipient.country, case.value_date.year, value.currency)
            sums[key] = get(key, zero) + value.amount
            add((key, case.recipient))
        totals: dict[tuple[object, int], Decimal] = {}
        for (country, year, currency), amount in sums.items():
            usd = amount / by_pair[currency, year]
            totals[country, year] = totals.get((country, year), zero) + usd
        return {key: value.quantize(cent) for key, value in totals.items()}, len(seen)

    ours = citycoop()
    assert len(hand_written()) == len(ours) == len(same_work())  # type: ignore[arg-type]

    names = {
        "(a) citycoop rollup": citycoop,
        "(b) hand-written loop": hand_written,
        "(e) hand-written, same work": same_work,
        "(f) (b) + distinct cities": with_cities,
    }
    times = interleaved(names, rounds=ROUNDS)
    extra: dict[str, float] = {}
    run_pint(data, extra)
    run_moneyed(data, extra)
    print(f"{ROUNDS} rounds, contenders alternating; median of per-round ratios (range)")
    for name in names:
        median, low, high = ratio(times, name, "(b) hand-written loop")
        print(f"{name:28} {min(times[name]):8.3f} s   {median:5.2f}x (b) ({low:.2f}-{high:.2f})")
    base = min(times["(b) hand-written loop"])
    for name, seconds in extra.items():
        print(f"{name:28} {seconds:8.3f} s   {seconds / base:5.2f}x (b) (best of 3)")
    median, low, high = ratio(times, "(a) citycoop rollup", "(e) hand-written, same work")
    print(f"(a) against (e), the same work by hand: {median:.2f}x ({low:.2f}-{high:.2f})")
    print("targets: (a) <= 1.3x (b), stretch 1.0x; (a) <= 0.5x (e)")


def run_pint(data: list[PolicyExport], results: dict[str, float]) -> None:
    try:
        import pint
    except ImportError:
        print("(c) skipped: pint is not installed")
        return
    units = pint.UnitRegistry(non_int_type=Decimal)
    for code in CURRENCIES:
        units.define(f"{code}_money = [{code.lower()}_money]")
    quantities = [
        (
            c.recipient.country,
            c.value_date.year,
            units.Quantity(c.value.amount, f"{c.value.currency}_money"),
        )
        for c in data
    ]

    def with_pint() -> object:
        sums: dict[tuple[object, int, str], object] = {}
        for country, year, quantity in quantities:
            key = (country, year, str(quantity.units))
            sums[key] = sums[key] + quantity if key in sums else quantity  # type: ignore[operator]
        return sums

    results["(c) pint quantities"] = best(with_pint)


def run_moneyed(data: list[PolicyExport], results: dict[str, float]) -> None:
    try:
        import moneyed
    except ImportError:
        print("(d) skipped: py-moneyed is not installed")
        return
    monies = [
        (c.recipient.country, c.value_date.year, moneyed.Money(c.value.amount, c.value.currency))
        for c in data
    ]

    def with_moneyed() -> object:
        sums: dict[tuple[object, int, str], moneyed.Money] = {}
        for country, year, money in monies:
            key = (country, year, money.currency.code)
            sums[key] = sums[key] + money if key in sums else money
        return sums

    results["(d) py-moneyed Money"] = best(with_moneyed)


if __name__ == "__main__":
    main()
