"""JSON round trip of a 100,000-case portfolio against plain json on the same data.

    python benchmarks/bench_json.py [--cases 100000]

(a) ``citycoop.io.json.dumps`` + ``loads`` of a Portfolio (validated objects back);
(b) ``json.dumps`` + ``json.loads`` of the same document as plain dicts and strings, with
the garbage collector paused as citycoop pauses it. The two alternate over 3 rounds; the
median of the per-round ratios is reported, with its range. Target: (a) at most 3x (b).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
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
    count = parser.parse_args().cases
    value = portfolio(count)
    plain = json.loads(cjson.dumps(value))
    assert cjson.loads(cjson.dumps(value)) == value

    def baseline() -> object:
        gc.disable()
        try:
            return json.loads(json.dumps(plain))
        finally:
            gc.enable()

    times = interleaved(
        {"citycoop": lambda: cjson.loads(cjson.dumps(value)), "json": baseline}, rounds=3
    )
    median, low, high = ratio(times, "citycoop", "json")
    size = len(cjson.dumps(value)) / 2**20
    print(f"{count:,} cases, {size:.1f} MiB of JSON; 3 rounds, contenders alternating")
    print(f"(a) citycoop dumps+loads: {min(times['citycoop']):.2f} s")
    print(f"(b) json dumps+loads (collector paused): {min(times['json']):.2f} s")
    print(f"ratio {median:.2f} (range {low:.2f}-{high:.2f}, target <= 3)")


if __name__ == "__main__":
    main()
