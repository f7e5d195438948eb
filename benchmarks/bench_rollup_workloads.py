"""``rollup`` on several workloads, each against a skilled hand loop keyed by codes.

    python benchmarks/bench_rollup_workloads.py [--cases 200000] [--rounds 7]

Every workload rolls generated export cases (30 currencies, 34 countries, value dates
over 15 years) into USD, and a hand-written loop computes the same table: per group, the
exact sum of every value converted at the rate that serves its date, rounded to the cent
once. The loops key groups by codes (``case.recipient.country.code``, a city's name and
country code), never by objects whose hash is a Python function, hoist their methods and
share one zero; they do no work ``rollup`` skips. Workloads:

- ``shared``: 34 cities shared by all cases; by (country, year); annual rates.
- ``anew``: each case's city built anew, as a CSV or JSON reader gives them (equal, not
  identical); by (country, year); annual rates.
- ``daily``: half the currencies with daily rates on every value date, half annual; by
  (country, year).
- ``city-focus``: by (city, focus area); a third of the cases split 60/40 between two
  focus areas, each part exact to the cent (the loop splits with ``case.split_value()``,
  as ``rollup`` does).

Each workload's two contenders alternate over the rounds, their order rotating; the
median of the per-round ratios is reported with its range. Before timing, every group's
converted total is checked equal, value by value. Target: at most 1.3x on every workload.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from _timing import interleaved, ratio
from bench_rollup import COUNTRIES, CURRENCIES

from citycoop import City, FocusShare, Money, Period, PolicyExport, Rate, RateTable, rollup

if TYPE_CHECKING:
    from collections.abc import Callable

YEARS = range(2010, 2025)
# Value dates: Wednesdays, so that a daily rate is published on each of them.
DAYS = [
    day
    for year in YEARS
    for day in (dt.date(year, 1, 1) + dt.timedelta(days=d) for d in range(365))
    if day.weekday() == 2
]
DAILY = frozenset(CURRENCIES[::2])
CENT = Decimal("0.01")
ZERO = Decimal(0)


def annual_rates(rng: random.Random) -> dict[tuple[str, int], Decimal]:
    return {(c, y): Decimal(rng.randint(50, 5_000_000)) / 1000 for c in CURRENCIES for y in YEARS}


def daily_rates(rng: random.Random) -> dict[tuple[str, dt.date], Decimal]:
    return {(c, d): Decimal(rng.randint(50, 5_000_000)) / 1000 for c in DAILY for d in DAYS}


def table_of(
    annual: dict[tuple[str, int], Decimal], daily: dict[tuple[str, dt.date], Decimal]
) -> RateTable:
    rates = [Rate("USD", c, v, Period.year(y), "bench") for (c, y), v in annual.items()]
    rates += [Rate("USD", c, v, Period.day(d), "bench") for (c, d), v in daily.items()]
    return RateTable(rates)


def generate(count: int, *, anew: bool, split: bool, seed: int = 1) -> list[PolicyExport]:
    rng = random.Random(seed)
    shared = [City(f"City {code}", code, "UTC") for code in COUNTRIES]
    one = (FocusShare("public_transport"),)
    two = (FocusShare("public_transport", 60), FocusShare("digital", 40))
    cases = []
    for number in range(count):
        city = rng.choice(shared)
        cases.append(
            PolicyExport(
                "policy",
                City(city.name, city.country, "UTC") if anew else city,
                two if split and number % 3 == 0 else one,
                value=Money(Decimal(rng.randint(1, 10**9)) / 100, rng.choice(CURRENCIES)),
                value_date=rng.choice(DAYS),
            )
        )
    return cases


#: What a group gives: count, unvalued, distinct cities, distinct countries, the exact
#: totals by currency, and the converted total rounded once.
Row = tuple[int, int, int, int, tuple[tuple[str, Decimal], ...], Decimal]


def city_code(city: City) -> tuple[object, ...]:
    """A city by value, from its codes (what makes two cities equal)."""
    place = city.coordinates
    return (
        city.name,
        city.country.code,
        city.timezone,
        city.population,
        None if place is None else (place.latitude, place.longitude),
        city.geonames_id,
    )


def finish(
    sums: dict[tuple[Any, ...], Decimal],
    groups: dict[Any, list[Any]],
    rate: Callable[[str, Any], Decimal | None],
    items: tuple[int, int],
) -> tuple[dict[Any, Row], int]:
    """Each group's row from its exact subtotals (group, currency, rate served), the
    total's (*items*: the items and the unvalued ones, each counted once), and the number
    of rates used."""
    totals: dict[Any, dict[str, Decimal]] = {}
    converted: dict[Any, Decimal] = {}
    used = set()
    for (*group_key, currency, served), amount in sums.items():
        group = tuple(group_key)
        by_currency = totals.setdefault(group, {})
        by_currency[currency] = by_currency.get(currency, ZERO) + amount
        factor = rate(currency, served)
        if factor is not None:
            used.add((currency, served))
        value = amount if factor is None else amount / factor
        converted[group] = converted.get(group, ZERO) + value
    rows: dict[Any, Row] = {}
    everywhere: dict[int, City] = {}
    for group, (count, unvalued, cities) in groups.items():
        everywhere.update(cities)
        rows[group] = _row(count, unvalued, cities, totals[group], converted[group])
    # The grand total, as a rollup gives it beside its rows.
    grand: dict[str, Decimal] = {}
    for by_currency in totals.values():
        for currency, amount in by_currency.items():
            grand[currency] = grand.get(currency, ZERO) + amount
    rows["total"] = _row(
        *items,
        everywhere,
        grand,
        sum(converted.values(), ZERO),
    )
    return rows, len(used)


def _row(
    count: int, unvalued: int, cities: dict[int, City], totals: dict[str, Decimal], exact: Decimal
) -> Row:
    distinct = {city_code(city) for city in cities.values()}
    return (
        count,
        unvalued,
        len(distinct),
        len({code[1] for code in distinct}),
        tuple(sorted(totals.items())),
        exact.quantize(CENT),
    )


def by_country_year(
    data: list[PolicyExport],
    annual: dict[tuple[str, int], Decimal],
    daily: dict[tuple[str, dt.date], Decimal],
) -> tuple[dict[Any, Row], int]:
    """Exact sums per (country code, year, currency, rate), converted, rounded once."""
    sums: dict[tuple[Any, ...], Decimal] = {}
    groups: dict[tuple[str, int], list[Any]] = {}
    get = sums.get
    daily_currencies = DAILY if daily else frozenset()
    for case in data:
        city = case.recipient
        day = case.value_date
        group_key = (city.country.code, day.year)
        group = groups.get(group_key)
        if group is None:
            group = groups[group_key] = [0, 0, {}]
        group[0] += 1
        group[2][id(city)] = city  # distinct objects now, distinct values at the end
        value = case.value
        if value is None:
            group[1] += 1
            continue
        currency = value.currency
        served = day if currency in daily_currencies else day.year  # the rate serving it
        key = (*group_key, currency, served)
        sums[key] = get(key, ZERO) + value.amount

    def rate(currency: str, served: Any) -> Decimal | None:
        if currency == "USD":
            return None
        return daily[currency, served] if currency in daily_currencies else annual[currency, served]

    counted = sum(group[0] for group in groups.values())
    unvalued = sum(group[1] for group in groups.values())
    return finish(sums, groups, rate, (counted, unvalued))


def by_city_focus(
    data: list[PolicyExport], annual: dict[tuple[str, int], Decimal]
) -> tuple[dict[Any, Row], int]:
    sums: dict[tuple[Any, ...], Decimal] = {}
    groups: dict[tuple[str, str, str], list[Any]] = {}
    get = sums.get
    unvalued = 0
    for case in data:
        city = case.recipient
        year = case.value_date.year
        value = case.value
        if value is None:
            unvalued += 1
        parts = (
            ((case.focus[0].area, value),) if len(case.focus) == 1 else tuple(case.split_value())
        )
        for area, part in parts:
            group_key = (city.name, city.country.code, area.value)
            group = groups.get(group_key)
            if group is None:
                group = groups[group_key] = [0, 0, {}]
            group[0] += 1
            group[2][id(city)] = city
            if part is None:
                group[1] += 1
                continue
            key = (*group_key, part.currency, year)
            sums[key] = get(key, ZERO) + part.amount

    def rate(currency: str, year: Any) -> Decimal | None:
        return None if currency == "USD" else annual[currency, year]

    # A split case counts once in the total.
    return finish(sums, groups, rate, (len(data), unvalued))


def rolled(
    result: Any, key: Callable[[tuple[Any, ...]], tuple[Any, ...]]
) -> tuple[dict[Any, Row], int]:
    """A rollup's rows and total as the loops give them, and the number of rates used."""

    def row(group: Any) -> Row:
        return (
            group.count,
            group.unvalued,
            group.cities,
            group.countries,
            tuple((money.currency, money.amount) for money in group.totals),
            group.converted.amount,
        )

    rows = {key(group.key): row(group) for group in result}
    rows["total"] = row(result.total)
    return rows, len(result.legs)


def workloads(count: int) -> list[tuple[str, Callable[[], object], Callable[[], object], Any]]:
    rng = random.Random(0)
    annual = annual_rates(rng)
    daily = daily_rates(rng)
    yearly = table_of(annual, {})
    mixed = table_of(annual, daily)
    shared = generate(count, anew=False, split=False)
    anew = generate(count, anew=True, split=False, seed=2)
    split = generate(count, anew=False, split=True, seed=3)

    def country_year(key: tuple[Any, ...]) -> tuple[str, int]:
        return (key[0].code, key[1])

    def city_focus(key: tuple[Any, ...]) -> tuple[str, str, str]:
        return (key[0].name, key[0].country.code, key[1].value)

    return [
        (
            "shared",
            lambda: rollup(shared, by=("country", "year"), currency="USD", rates=yearly),
            lambda: by_country_year(shared, annual, {}),
            country_year,
        ),
        (
            "anew",
            lambda: rollup(anew, by=("country", "year"), currency="USD", rates=yearly),
            lambda: by_country_year(anew, annual, {}),
            country_year,
        ),
        (
            "daily",
            lambda: rollup(shared, by=("country", "year"), currency="USD", rates=mixed),
            lambda: by_country_year(shared, annual, daily),
            country_year,
        ),
        (
            "city-focus",
            lambda: rollup(split, by=("city", "focus_area"), currency="USD", rates=yearly),
            lambda: by_city_focus(split, annual),
            city_focus,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=7)
    arguments = parser.parse_args()
    print(f"{arguments.cases:,} cases a workload; {arguments.rounds} rounds, order rotating")
    for name, ours, theirs, key in workloads(arguments.cases):
        expected = theirs()
        got = rolled(ours(), key)
        assert got == expected, f"{name}: the outputs differ"
        groups = len(expected[0]) - 1
        times = interleaved({"rollup": ours, "loop": theirs}, rounds=arguments.rounds)
        median, low, high = ratio(times, "rollup", "loop")
        print(
            f"{name:11} rollup {statistics.median(times['rollup']):.3f} s,"
            f" loop {statistics.median(times['loop']):.3f} s:"
            f" {median:.2f}x ({low:.2f}-{high:.2f}); {groups} groups equal;"
            " target <= 1.3x"
        )


if __name__ == "__main__":
    main()
