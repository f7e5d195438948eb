"""JSON: citycoop's ``loads`` and ``dumps`` of a 100,000-case portfolio, each against plain json.

    python benchmarks/bench_json.py [--cases 100000] [--rounds 5]

loads: (a) ``citycoop.io.json.loads`` of the document (validated objects back) against
(b) ``json.loads`` of the same text (dicts and strings), the garbage collector paused in
(b) as ``loads`` pauses it. dumps: (a) ``citycoop.io.json.dumps`` of the portfolio
against (b) ``json.dumps`` of the same document as plain dicts and strings. Each pair
alternates over the rounds, its order rotating; the median of the per-round ratios is
reported with its range. Outputs are checked first: ``loads`` gives the portfolio back,
and both ``dumps`` write text that parses to the same document. Targets: loads at most
3x, dumps at most 2x.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
from decimal import Decimal

from _timing import interleaved, ratio

from citycoop import City, FocusShare, Money, Organisation, PolicyExport, Portfolio
from citycoop.io import json as cjson

COUNTRIES = ["PE", "EC", "CO", "MN", "NZ", "VN", "PH", "TH", "KH", "LK", "MZ", "IN", "UA"]
CURRENCIES = ["KRW", "USD", "EUR", "PEN", "COP", "MNT", "NZD"]


def portfolio(count: int) -> Portfolio:
    rng = random.Random(3)
    cities = [
        City(f"City {code}", code, "UTC", population=rng.randint(10**4, 10**7))
        for code in COUNTRIES
    ]
    owner = Organisation(
        "Seoul Metropolitan Government", "city_government", city=City("Seoul", "KR", "Asia/Seoul")
    )
    cases = [
        PolicyExport(
            f"Policy {i}",
            rng.choice(cities),
            (FocusShare("public_transport", 60), FocusShare("digital", 40)),
            value=Money(Decimal(rng.randint(1, 10**9)) / 100, rng.choice(CURRENCIES)),
            value_date=f"{rng.randint(2010, 2024)}-06-{rng.randint(10, 28)}",
            identifier=f"case-{i}",
            sources=("https://example.org/case",),
        )
        for i in range(count)
    ]
    return Portfolio(owner, exports=cases)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    count, rounds = arguments.cases, arguments.rounds
    value = portfolio(count)
    text = cjson.dumps(value)
    plain = json.loads(text)
    assert cjson.loads(text) == value  # the same portfolio back
    assert json.loads(json.dumps(plain)) == plain == json.loads(cjson.dumps(value))

    def json_loads() -> object:
        gc.disable()
        try:
            return json.loads(text)
        finally:
            gc.enable()

    print(f"{count:,} cases, {len(text) / 2**20:.1f} MiB of JSON; {rounds} rounds, order rotating")
    for name, ours, theirs, target in (
        ("loads", lambda: cjson.loads(text), json_loads, 3),
        ("dumps", lambda: cjson.dumps(value), lambda: json.dumps(plain), 2),
    ):
        times = interleaved({"citycoop": ours, "json": theirs}, rounds=rounds)
        median, low, high = ratio(times, "citycoop", "json")
        print(
            f"{name}: (a) citycoop {statistics.median(times['citycoop']):.3f} s,"
            f" (b) json {statistics.median(times['json']):.3f} s;"
            f" ratio {median:.2f} (range {low:.2f}-{high:.2f}, target <= {target})"
        )


if __name__ == "__main__":
    main()
