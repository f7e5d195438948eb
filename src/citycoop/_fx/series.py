"""The rates of one directed currency pair, indexed for look-up by date.

A :class:`Series` holds a pair's daily, monthly and annual rates. Daily rates read from
a large file are held as the file's text (checked when read; one string per pair, with
the end of each value) and become :class:`~citycoop.Rate` objects the first time they
are served, then stay so: a table of the ECB's whole history builds only the rates it
is asked for, holds a few bytes per value, and every rate it serves still names its
source and day. A :class:`Layout` says in which order a file gave its rates.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from array import array
from collections.abc import Iterator
from decimal import Decimal

from citycoop._core.time import Period
from citycoop._fx.rates import Rate, RatePolicy, checked_rate

__all__ = ["Layout", "Series"]


class Series:
    """The rates of one directed pair, indexed for constant- or log-time look-up.

    *base*, *quote* and *source* are what a value held as text becomes a Rate with
    (see :meth:`hold` and :meth:`day`).
    """

    __slots__ = (
        "base",
        "day_dates",
        "days",
        "held_days",
        "held_ends",
        "held_text",
        "last_day",
        "months",
        "quote",
        "source",
        "years",
    )

    def __init__(self, base: str, quote: str, source: str = "") -> None:
        self.base = base
        self.quote = quote
        self.source = source
        self.days: dict[dt.date, Rate] = {}
        self.months: dict[tuple[int, int], Rate] = {}
        self.years: dict[int, Rate] = {}
        # Daily values held as text, by ascending day: day i's text ends at held_ends[i].
        self.held_days: list[dt.date] = []
        self.held_text = ""
        self.held_ends: array[int] = array("I")
        self.day_dates: list[dt.date] = []
        self.last_day: dt.date | None = None

    def add(self, rate: Rate) -> Rate | None:
        """Add *rate*; what its period held already (a conflict), else *rate* itself."""
        period = rate.period
        kind = period.kind
        if kind == "day":
            return self.days.setdefault(period.start, rate)
        if kind == "month":
            return self.months.setdefault((period.start.year, period.start.month), rate)
        return self.years.setdefault(period.start.year, rate)

    def hold(self, days: list[dt.date], texts: list[str]) -> None:
        """Hold daily values as checked text (each a positive decimal in range), any order."""
        pairs = sorted(zip(days, texts, strict=True)) if days != sorted(days) else None
        if pairs is not None:
            days = [day for day, _ in pairs]
            texts = [text for _, text in pairs]
        self.held_days = days
        self.held_text = "".join(texts)
        self.held_ends = array("I", itertools.accumulate(map(len, texts)))

    def _held(self) -> Iterator[tuple[dt.date, str]]:
        starts = itertools.chain((0,), self.held_ends)
        for day, start, end in zip(self.held_days, starts, self.held_ends, strict=False):
            yield day, self.held_text[start:end]

    def merged(self, other: Series) -> Series | None:
        """A new series holding both's rates, or ``None`` where a period is in both."""
        if (
            set(self.day_dates) & set(other.day_dates)
            or self.months.keys() & other.months.keys()
            or self.years.keys() & other.years.keys()
        ):
            return None
        both = Series(self.base, self.quote, self.source)
        if self.source == other.source:  # values held as text stay so
            both.days = {**self.days, **other.days}
            held = sorted(itertools.chain(self._held(), other._held()))
            both.hold([day for day, _ in held], [text for _, text in held])
        else:  # each value becomes its Rate, with the source of the series it came from
            both.days = {day: part.rate(day) for part in (self, other) for day in part.day_dates}
        both.months = {**self.months, **other.months}
        both.years = {**self.years, **other.years}
        both.seal()
        return both

    def seal(self) -> None:
        """Index the dates once every rate is in."""
        self.day_dates = sorted(itertools.chain(self.days, self.held_days))
        ends: list[dt.date] = [
            rate.period.end for kind in (self.months, self.years) for rate in kind.values()
        ]
        if self.day_dates:
            ends.append(self.day_dates[-1])
        self.last_day = max(ends, default=None)

    def rate(self, on: dt.date) -> Rate:
        """The daily rate of *on*, which the series holds (see :meth:`day`)."""
        found = self.day(on)
        assert found is not None
        return found

    def day(self, on: dt.date) -> Rate | None:
        """The daily rate of *on*, built from its text the first time it is asked for."""
        found = self.days.get(on)
        if found is not None or not self.held_days:
            return found
        days = self.held_days
        index = bisect.bisect_left(days, on)
        if index == len(days) or days[index] != on:
            return None
        start = self.held_ends[index - 1] if index else 0
        value = Decimal(self.held_text[start : self.held_ends[index]])
        rate = checked_rate(self.base, self.quote, value, Period.day(on), self.source)
        self.days[on] = rate
        return rate

    def serve(self, on: dt.date, policy: RatePolicy) -> Rate | None:
        """The rate that serves *on* under *policy*, or ``None``."""
        for step in policy.steps:
            found: Rate | None
            if step == "day":
                found = self.day(on)
            elif step == "month":
                found = self.months.get((on.year, on.month))
            elif step == "year":
                found = self.years.get(on.year)
            elif step == "planning":
                found = self._planning(on)
            else:
                found = self._latest(on, policy)
            if found is not None:
                return found
        return None

    def _planning(self, on: dt.date) -> Rate | None:
        """The latest annual rate, for a date after every rate of the pair."""
        if self.last_day is None or on <= self.last_day or not self.years:
            return None
        return self.years[max(self.years)]

    def _latest(self, on: dt.date, policy: RatePolicy) -> Rate | None:
        dates = self.day_dates
        index = bisect.bisect_right(dates, on)
        if index == 0:
            return None
        best = dates[index - 1]
        if index == len(dates) and on > best and not policy.allow_future:
            return None  # after the pair's last published rate
        # Ordinals, not ``on - best``: pendulum dates subtract into Interval objects.
        if on.toordinal() - best.toordinal() > policy.max_age_days:
            return None
        return self.day(best)


class Layout:
    """The order in which a file gave its daily rates: row by row, column by column.

    *rows* are the days in the file's order, *columns* the series in the header's; a
    rate stands where its series holds the row's day. Iterating builds each Rate.
    """

    __slots__ = ("columns", "count", "rows")

    def __init__(self, rows: tuple[dt.date, ...], columns: tuple[Series, ...]) -> None:
        self.rows = rows
        self.columns = columns
        self.count = sum(len(series.day_dates) for series in columns)

    def __iter__(self) -> Iterator[Rate]:
        for day in self.rows:
            for series in self.columns:
                rate = series.day(day)
                if rate is not None:
                    yield rate

    def __len__(self) -> int:
        return self.count

    def only(self, wanted: frozenset[str]) -> Layout:
        """The same rows, with the columns between *wanted* currencies only."""
        kept = tuple(s for s in self.columns if s.base in wanted and s.quote in wanted)
        return Layout(self.rows, kept)
