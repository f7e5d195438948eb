"""The timing helpers the benchmark scripts share."""

from __future__ import annotations

import gc
import statistics
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


def best(function: Callable[[], object], *, runs: int = 3) -> float:
    """The fastest of *runs* calls of *function*, in seconds, each after a full collection."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def once(function: Callable[[], object]) -> float:
    """One call of *function*, in seconds, after a full collection."""
    gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def interleaved(
    contenders: Mapping[str, Callable[[], object]], *, rounds: int = 7
) -> dict[str, list[float]]:
    """Time every contender once per round, in turn, so machine noise hits all alike.

    The order rotates each round, so that no contender always runs first (cold caches)
    or always after another (its garbage).
    """
    times: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for number in range(rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(once(contenders[name]))
    return times


def ratio(times: Mapping[str, list[float]], name: str, base: str) -> tuple[float, float, float]:
    """The median of the per-round ratios *name* / *base*, with the lowest and highest."""
    ratios = [ours / theirs for ours, theirs in zip(times[name], times[base], strict=True)]
    return statistics.median(ratios), min(ratios), max(ratios)
