"""Progress of long reads and rollups: a callback of the caller's, or a tqdm bar.

A function that may run long takes ``progress=``: ``None`` (the default: nothing is
reported and nothing is added to the work), a callable ``progress(done, total)`` called
every :data:`EVERY` items and once at the end (``total`` is ``None`` where it is not
known beforehand, as for a generator), or ``True`` for a ``tqdm`` bar (``tqdm.auto``:
a widget in notebooks, text elsewhere; ``tqdm`` must be installed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any, Final, TypeVar

from citycoop._core.errors import ValidationError

__all__ = ["EVERY", "Progress", "counted"]

_T = TypeVar("_T")

#: What ``progress=`` takes: ``None``, ``True`` (a tqdm bar) or ``progress(done, total)``.
Progress = Callable[[int, int | None], object] | bool | None

#: How many items pass between two calls of a progress callback.
EVERY: Final = 4096


class _Bar:
    """A tqdm bar fed by the same calls a callback gets."""

    def __init__(self, what: str, total: int | None) -> None:
        import importlib

        from citycoop._core.extras import require

        require("progress", "progress=True")
        auto: Any = importlib.import_module("tqdm.auto")
        self.bar: Any = auto.tqdm(total=total, desc=what, unit=" items")

    def __call__(self, done: int, total: int | None) -> None:
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def counted(
    items: Iterable[_T],
    progress: Progress,
    *,
    what: str,
    field: str,
    total: int | None = None,
    every: int = EVERY,
) -> Iterable[_T]:
    """*items*, reporting how many have passed to *progress* (*items* itself when ``None``).

    *total* defaults to ``len(items)`` for a sized collection; *every* is how many items
    pass between two reports. *field* names the argument in the error for a *progress*
    that is neither ``None``, ``True`` nor callable.
    """
    if progress is None or progress is False:
        return items
    if total is None and isinstance(items, Sized):
        total = len(items)
    if progress is True:
        return _reported(items, _Bar(what, total), total, every)
    if not callable(progress):
        raise ValidationError(field, progress, "None, True (a tqdm bar) or progress(done, total)")
    return _reported(items, progress, total, every)


def _reported(
    items: Iterable[_T], report: Callable[[int, int | None], object], total: int | None, every: int
) -> Iterator[_T]:
    done = 0
    try:
        for item in items:
            yield item
            done += 1
            if not done % every:
                report(done, total)
        report(done, total if total is not None else done)
    finally:
        if isinstance(report, _Bar):
            report.close()
