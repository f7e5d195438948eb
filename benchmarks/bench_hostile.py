"""Rejecting hostile JSON documents of about 10 MB, against parsing them with json.loads.

    python benchmarks/bench_hostile.py [--megabytes 10] [--rounds 7]

Each document is a Portfolio whose ``exports`` array holds about a million wrong items:
numbers, small objects or strings. (a) ``citycoop.io.json.loads`` rejecting it (its
error lists the first 100 problems and says that checking stopped there); (b)
``json.loads`` parsing the same text, with the garbage collector paused as citycoop
pauses it. Contenders alternate within each round; the median of the per-round ratios
is reported with its range. Target: (a) at most 3x (b).
"""

from __future__ import annotations

import argparse
import gc
import json

from _timing import interleaved, ratio

from citycoop.io import json as cjson

ITEMS = {"numbers": "1", "objects": '{"x": 1}', "strings": '"case"'}


def document(item: str, megabytes: float) -> str:
    head = (
        '{"schema": "citycoop/1", "type": "Portfolio", "data": {"owner": '
        '{"name": "Seoul Metropolitan Government", "kind": "city_government", "country": "KR"}, '
        '"exports": ['
    )
    count = int(megabytes * 2**20) // (len(item) + 2)
    return head + ", ".join([item] * count) + "]}}"


def reject(text: str) -> None:
    try:
        cjson.loads(text)
    except cjson.DocumentError as error:
        if not error.stopped or len(str(error)) > 4000:
            raise SystemExit(f"unexpected error: {str(error)[:200]}") from None
    else:
        raise SystemExit("the hostile document was accepted")


def parse(text: str) -> None:
    gc.disable()
    try:
        json.loads(text)
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=7)
    arguments = parser.parse_args()
    reject(document("1", 0.01))  # build the converter's hooks before timing
    for name, item in ITEMS.items():
        text = document(item, arguments.megabytes)
        times = interleaved(
            {"citycoop": lambda text=text: reject(text), "json": lambda text=text: parse(text)},
            rounds=arguments.rounds,
        )
        median, low, high = ratio(times, "citycoop", "json")
        print(
            f"{name:8} {len(text) / 2**20:5.1f} MiB: (a) reject {min(times['citycoop']):.3f} s, "
            f"(b) json.loads {min(times['json']):.3f} s; ratio {median:.2f} "
            f"(range {low:.2f}-{high:.2f}, target <= 3)"
        )


if __name__ == "__main__":
    main()
