"""JSON round trip of a 100,000-case portfolio against plain json on the same data.

    python benchmarks/bench_json.py [--cases 100000]

(a) ``citycoop.io.json.dumps`` + ``loads`` of a Portfolio (validated objects back);
(b) ``json.dumps`` + ``json.loads`` of the same document as plain dicts and strings.
Best of 3 runs. Target: (a) at most 4x (b).
"""

from __future__ import annotations

import argparse
import json
import random
from decimal import Decimal

from _timing import best

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

    ours = best(lambda: cjson.loads(cjson.dumps(value)))
    base = best(lambda: json.loads(json.dumps(plain)))
    size = len(cjson.dumps(value)) / 2**20
    print(f"{count:,} cases, {size:.1f} MiB of JSON")
    print(f"(a) citycoop dumps+loads: {ours:.2f} s")
    print(f"(b) json dumps+loads:     {base:.2f} s")
    print(f"ratio {ours / base:.2f} (target <= 4)")


if __name__ == "__main__":
    main()
