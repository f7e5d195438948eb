"""The rates of one directed currency pair, indexed for look-up by date.

A :class:`Series` holds a pair's daily, monthly and annual rates. Daily rates read from
a large file are held as values (a checked ``Decimal`` per day) and become
:class:`~citycoop.Rate` objects the first time they are served, then stay so: a table
of the ECB's whole history builds only the rates it is asked for, while every rate it
serves still names its source and day.
"""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from citycoop._core.time import Period
from citycoop._fx.rates import Rate, RatePolicy, checked_rate

__all__ = ["Series", "built"]


class Series:
    """The rates of one directed pair, indexed for constant- or log-time look-up.

    *base*, *quote* and *source* are what a daily value held without its ``Rate``
    becomes one with (see :meth:`day`).
    """

    __slots__ = ("base", "day_dates", "days", "last_day", "months", "quote", "source", "years")

    def __init__(self, base: str, quote: str, source: str = "") -> None:
        self.base = base
        self.quote = quote
        self.source = source
        self.days: dict[dt.date, Rate | Decimal] = {}
        self.months: dict[tuple[int, int], Rate] = {}
        self.years: dict[int, Rate] = {}
        self.day_dates: list[dt.date] = []
        self.last_day: dt.date | None = None

    def add(self, rate: Rate) -> Rate | Decimal | None:
        """Add *rate*; what its period held already (a conflict), else *rate* itself."""
        period = rate.period
        kind = period.kind
        if kind == "day":
            return self.days.setdefault(period.start, rate)
        if kind == "month":
            return self.months.setdefault((period.start.year, period.start.month), rate)
        return self.years.setdefault(period.start.year, rate)

    def merged(self, other: Series) -> Series | None:
        """A new series holding both's rates, or ``None`` where a period is in both."""
        if (
            self.days.keys() & other.days.keys()
            or self.months.keys() & other.months.keys()
            or self.years.keys() & other.years.keys()
        ):
            return None
        both = Series(self.base, self.quote, self.source)
        if self.source == other.source:  # values held without their Rate stay so
            both.days = {**self.days, **other.days}
        else:  # each value becomes its Rate, with the source of the series it came from
            both.days = {day: part.day(day) for part in (self, other) for day in part.days}  # type: ignore[misc]
        both.months = {**self.months, **other.months}
        both.years = {**self.years, **other.years}
        both.seal()
        return both

    def seal(self) -> None:
        """Index the dates once every rate is in."""
        self.day_dates = sorted(self.days)
        ends: list[dt.date] = [
            rate.period.end for kind in (self.months, self.years) for rate in kind.values()
        ]
        if self.day_dates:
            ends.append(self.day_dates[-1])
        self.last_day = max(ends, default=None)

    def day(self, on: dt.date) -> Rate | None:
        """The daily rate of *on*, built from its value the first time it is asked for."""
        found = self.days.get(on)
        if found is None or found.__class__ is not Decimal:
            return found  # type: ignore[return-value]
        assert isinstance(found, Decimal)
        rate = checked_rate(self.base, self.quote, found, Period.day(on), self.source)
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


def built(ref: Rate | tuple[Series, dt.date]) -> Rate:
    """The Rate *ref* names: itself, or the one its series builds for the day."""
    if isinstance(ref, Rate):
        return ref
    series, day = ref
    rate = series.day(day)
    assert rate is not None
    return rate
