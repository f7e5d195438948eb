"""Drawing citycoop values with ``st.from_type``, against plain ``st.builds`` of look-alikes.

    python benchmarks/bench_strategies.py [--examples 100] [--rounds 5]

For every public class citycoop registers with Hypothesis, a test with Hypothesis'
default settings (its database off, health checks not raised so that every class is
measured) draws ``st.from_type(cls)`` for *examples* examples; the time per example is
the test's time over the examples it ran. Five classes also have a baseline: a plain
attrs class of a similar shape (the same fields, no validation) drawn with
``st.builds``, the way a skilled user would write it. Contenders alternate, in an order
that rotates each round; the median per example (with its range) and the median of the
per-round ratios are reported.

Targets (2 cores): Money <= 0.5 ms, City <= 1 ms, PolicyExport <= 5 ms, MOU <= 8 ms,
Portfolio <= 40 ms, every other class <= 10 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
from decimal import Decimal
from typing import Any

import attrs
from _timing import interleaved
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import citycoop
from citycoop.strategies._base import FOR_TYPE

TARGETS = {"Money": 0.5, "City": 1.0, "PolicyExport": 5.0, "MOU": 8.0, "Portfolio": 40.0}
OTHERS = 10.0


@attrs.frozen
class PlainMoney:
    amount: Decimal
    currency: str


@attrs.frozen
class PlainCity:
    name: str
    country: str
    timezone: str
    population: int | None
    coordinates: tuple[Decimal, Decimal] | None
    geonames_id: int | None


@attrs.frozen
class PlainOrganisation:
    name: str
    kind: str
    city: PlainCity | None


@attrs.frozen
class PlainCase:
    policy: str
    recipient: PlainCity
    focus: tuple[tuple[str, int], ...]
    value_date: dt.date
    value: PlainMoney | None
    status: str
    implementer: PlainOrganisation | None
    note: str | None


@attrs.frozen
class PlainMOU:
    title: str
    parties: tuple[PlainOrganisation, ...]
    signed_at: dt.datetime | None
    focus_areas: tuple[str, ...]
    documents: tuple[str, ...]


@attrs.frozen
class PlainPortfolio:
    owner: PlainOrganisation
    mous: tuple[PlainMOU, ...]
    exports: tuple[PlainCase, ...]


def baselines() -> dict[str, st.SearchStrategy[Any]]:
    """Plain ``st.builds`` strategies of the look-alikes, as a skilled user writes them."""
    names = st.text(min_size=1, max_size=12)
    codes = st.sampled_from(["USD", "KRW", "EUR", "PEN", "JPY", "UAH"])
    money = st.builds(PlainMoney, st.decimals(-(10**12), 10**12, places=2), codes)
    coordinates = st.tuples(st.decimals(-90, 90, places=5), st.decimals(-180, 180, places=5))
    city = st.builds(
        PlainCity,
        names,
        st.sampled_from(["KR", "PE", "EC", "UA"]),
        st.sampled_from(["Asia/Seoul", "America/Lima", "America/Guayaquil", "Europe/Kyiv"]),
        st.none() | st.integers(0, 40_000_000),
        st.none() | coordinates,
        st.none() | st.integers(1, 13_000_000),
    )
    organisation = st.builds(
        PlainOrganisation, names, st.sampled_from(["city", "agency"]), st.none() | city
    )
    areas = st.sampled_from(["digital", "public_transport", "citizen_safety"])
    case = st.builds(
        PlainCase,
        names,
        city,
        st.lists(st.tuples(areas, st.integers(1, 100)), min_size=1, max_size=3).map(tuple),
        st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)),
        st.none() | money,
        st.sampled_from(["completed", "in_progress"]),
        st.none() | organisation,
        st.none() | st.text(max_size=20),
    )
    mou = st.builds(
        PlainMOU,
        names,
        st.lists(organisation, min_size=2, max_size=3).map(tuple),
        st.none() | st.datetimes(timezones=st.just(dt.UTC)),
        st.lists(areas, max_size=3, unique=True).map(tuple),
        st.lists(st.just("https://example.org/mou.pdf"), max_size=2).map(tuple),
    )
    portfolio = st.builds(
        PlainPortfolio,
        organisation,
        st.lists(mou, max_size=5).map(tuple),
        st.lists(case, max_size=5).map(tuple),
    )
    return {
        "Money": money,
        "City": city,
        "PolicyExport": case,
        "MOU": mou,
        "Portfolio": portfolio,
    }


def drawing(strategy: st.SearchStrategy[Any], examples: int, ran: list[int]) -> Any:
    """A function running a default-settings test that draws from *strategy*."""

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def test(value: object) -> None:
        assert value is not None  # every drawn value is a real object
        ran[0] += 1

    def run() -> None:
        ran[0] = 0
        test()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=None)
    arguments = parser.parse_args()
    kinds = {name: getattr(citycoop, name) for name in sorted(FOR_TYPE) if hasattr(citycoop, name)}
    if arguments.only:
        kinds = {name: kinds[name] for name in arguments.only}
    plain = baselines()
    counts: dict[str, list[int]] = {}
    contenders: dict[str, Any] = {}
    for name, kind in kinds.items():
        counts[name] = [0]
        contenders[name] = drawing(st.from_type(kind), arguments.examples, counts[name])
        if name in plain:
            counts[f"plain {name}"] = [0]
            contenders[f"plain {name}"] = drawing(
                plain[name], arguments.examples, counts[f"plain {name}"]
            )
    # Warm up once: the first draw of a type builds citycoop's tables (CLDR, code lists).
    for run in contenders.values():
        run()
    per_example: dict[str, list[float]] = {name: [] for name in contenders}
    for number in range(arguments.rounds):
        # interleaved() rotates by round number: shift the order here the same way.
        names = list(contenders)
        shift = number % len(names)
        rotated = {name: contenders[name] for name in names[shift:] + names[:shift]}
        times = interleaved(rotated, rounds=1)
        for name, (seconds,) in times.items():
            per_example[name].append(seconds / max(counts[name][0], 1) * 1000)
    print(
        f"{len(kinds)} classes, {arguments.examples} examples, {arguments.rounds} rounds (ms per example)"
    )
    missed = []
    for name in kinds:
        values = per_example[name]
        median = statistics.median(values)
        target = TARGETS.get(name, OTHERS)
        line = f"{name:24s} {median:7.2f} ms ({min(values):.2f}-{max(values):.2f}; target <= {target:g})"
        if f"plain {name}" in per_example:
            base = per_example[f"plain {name}"]
            ratios = [ours / theirs for ours, theirs in zip(values, base, strict=True)]
            line += (
                f"  plain st.builds {statistics.median(base):.2f} ms,"
                f" ratio {statistics.median(ratios):.1f}x ({min(ratios):.1f}-{max(ratios):.1f})"
            )
        if median > target:
            missed.append(name)
        print(line)
    print("every target met" if not missed else f"targets missed: {', '.join(missed)}")


if __name__ == "__main__":
    main()
