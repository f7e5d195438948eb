"""Calendar dates, aware instants and inclusive periods.

Instants are time-zone-aware :class:`pendulum.DateTime` values stored in UTC; a
naive datetime is an error, never a guess. Calendar dates are :class:`pendulum.Date`.
Month and year arithmetic is done on calendar fields, never with
``Duration(months=...)``.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Final, Self

import attrs
import pendulum

from citycoop._core.errors import UnknownCodeError, ValidationError
from citycoop._core.validation import name_fields, where

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Period"]

#: An ISO 8601 calendar date as text, ASCII digits only: the one pattern every reader
#: and published schema checks dates with.
ISO_DATE: Final = "[0-9]{4}-[0-9]{2}-[0-9]{2}"


def to_date(value: object, field: str) -> pendulum.Date:
    """Coerce a ``date`` or an ISO ``YYYY-MM-DD`` string into a :class:`pendulum.Date`.

    A ``datetime`` is rejected: it is an instant, and its date depends on a time zone.
    """
    if type(value) is pendulum.Date:  # the common case first
        return value
    if isinstance(value, dt.datetime):
        raise ValidationError(field, value, "a calendar date, not a datetime (take .date() first)")
    if isinstance(value, pendulum.Date):
        return value
    if isinstance(value, dt.date):
        return _shared_date(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, value, "an ISO date such as '2021-11-25'") from None
        return _shared_date(parsed.year, parsed.month, parsed.day)
    raise ValidationError(field, value, "a date or an ISO date string")


@functools.lru_cache(maxsize=1 << 16)
def _shared_date(year: int, month: int, day: int) -> pendulum.Date:
    """One immutable :class:`pendulum.Date` per recent calendar day.

    Records dated the same day share one object: it saves memory, and dictionaries
    keyed by dates (a rollup's rate buckets) find a shared key by identity.
    """
    return pendulum.Date(year, month, day)


def aware(value: object, field: str) -> pendulum.DateTime:
    """Coerce an aware ``datetime`` or ISO string with an offset into UTC pendulum time.

    Naive values are rejected: citycoop never guesses a time zone.
    """
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                field, value, "an ISO datetime with an offset, such as '2021-11-25T08:30+09:00'"
            ) from None
    if not isinstance(value, dt.datetime):
        raise ValidationError(field, value, "a time-zone-aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            field, value, "a time-zone-aware datetime (naive times are ambiguous)"
        )
    _check_exists(value, field)
    return pendulum.instance(value).in_timezone("UTC")


def _check_exists(value: dt.datetime, field: str) -> None:
    """Refuse a wall time that its zone skips (clocks moving forward, as in a DST gap).

    Python (PEP 495) would map such a time to an instant an hour away from what it says;
    a signing time is better refused than moved. Ambiguous times (clocks moving back)
    exist twice and follow ``fold``.
    """
    zone = value.tzinfo
    back = value.astimezone(dt.UTC).astimezone(zone)
    if back.replace(tzinfo=None, fold=0) != value.replace(tzinfo=None, fold=0):
        name = getattr(zone, "key", None) or getattr(zone, "name", None) or str(zone)
        raise ValidationError(
            field,
            value.replace(tzinfo=None).isoformat(),
            f"a local time that exists in {name} (clocks skip it: it falls in the gap "
            f"when they move forward; {back.replace(tzinfo=None).isoformat()} is the same "
            "instant on the new clock)",
        )


@functools.cache
def zone_names() -> frozenset[str]:
    """Every IANA time-zone name citycoop accepts: the ``tzdata`` package's list.

    One source on every machine: a name the system's own zone files hold besides
    (``posix/Asia/Seoul``, ``right/UTC``) is not a zone here, wherever it runs.
    """
    from importlib.resources import files

    return frozenset(files("tzdata").joinpath("zones").read_text(encoding="utf-8").split())


def _known_timezone(name: str) -> bool:
    return name in zone_names()


def valid_timezone(name: object, field: str = "timezone") -> str:
    """Return *name* if it is an IANA time-zone name, else raise :class:`UnknownCodeError`.

    The names are those of :func:`zone_names` (the ``tzdata`` package), whatever zone
    files the machine has; ``UTC`` and names with a ``/`` (``Asia/Seoul``), not
    abbreviations such as ``EST``.
    """
    if (
        isinstance(name, str)
        and 0 < len(name) <= 64
        and "/" in name
        and ".." not in name
        and not name.startswith("/")
        and _known_timezone(name)
    ):
        return name
    if name == "UTC":
        return "UTC"
    raise UnknownCodeError(field, name, "IANA time-zone")


def date_field(value: dt.date | str, field: str = "") -> pendulum.Date:
    """Converter of a date field (see :mod:`citycoop._core.validation`)."""
    return to_date(value, field)


def optional_date_field(value: dt.date | str | None, field: str = "") -> pendulum.Date | None:
    """Converter of an optional date field."""
    return None if value is None else to_date(value, field)


def _end_after_start(
    instance: Period, attribute: attrs.Attribute[pendulum.Date], value: pendulum.Date
) -> None:
    if value < instance.start:
        raise ValidationError(
            where(instance, attribute), str(value), f"a date on or after start {instance.start}"
        )


@attrs.frozen(order=True, repr=False, cache_hash=True, field_transformer=name_fields)
class Period:
    """An inclusive span of calendar days: *start* to *end*, both included.

    >>> p = Period.month(2021, 11)
    >>> p
    Period('2021-11-01', '2021-11-30')
    >>> p.days, pendulum.date(2021, 11, 25) in p
    (30, True)

    .. versionadded:: 0.1.0
    """

    start: pendulum.Date = attrs.field(converter=date_field)
    end: pendulum.Date = attrs.field(converter=date_field, validator=_end_after_start)

    @classmethod
    def day(cls, day: object) -> Self:
        """The one-day period of *day*."""
        date = to_date(day, "Period.day")
        return cls(date, date)

    @classmethod
    def month(cls, year: int, month: int) -> Self:
        """The calendar month *month* of *year*."""
        _check_year(year)
        number: object = month
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 12:
            raise ValidationError("Period.month", month, "a month number from 1 to 12")
        start = pendulum.Date(year, month, 1)
        return cls(start, start.end_of("month"))

    @classmethod
    def year(cls, year: int) -> Self:
        """The calendar year *year*."""
        _check_year(year)
        return cls(pendulum.Date(year, 1, 1), pendulum.Date(year, 12, 31))

    @classmethod
    def fiscal_year(cls, year: int, start_month: int) -> Self:
        """The twelve months starting on the first of *start_month* in *year*."""
        first = cls.month(year, start_month).start
        last_year, last_month = (year, start_month - 1) if start_month > 1 else (year - 1, 12)
        return cls(first, cls.month(last_year + 1, last_month).end)

    @property
    def days(self) -> int:
        """Number of days in the period, both ends included."""
        return (self.end - self.start).in_days() + 1

    @property
    def kind(self) -> str:
        """``"day"``, ``"month"``, ``"year"`` for calendar-aligned periods, else ``"span"``."""
        if self.start == self.end:
            return "day"
        if self.start.day == 1 and self.end == self.start.end_of("month"):
            return "month"
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) and (
            self.start.year == self.end.year
        ):
            return "year"
        return "span"

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            return False
        return self.start <= day <= self.end

    def contains(self, other: Period) -> bool:
        """Whether *other* lies wholly inside this period."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def years(self) -> Iterator[int]:
        """The calendar years the period touches."""
        return iter(range(self.start.year, self.end.year + 1))

    def __repr__(self) -> str:
        return f"Period({self.start.isoformat()!r}, {self.end.isoformat()!r})"

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def _check_year(year: object) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9998:
        raise ValidationError("Period.year", year, "a year from 1 to 9998")
