"""The one timing helper the benchmark scripts share."""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def best(function: Callable[[], object], *, runs: int = 3) -> float:
    """The fastest of *runs* calls of *function*, in seconds, each after a full collection."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)
