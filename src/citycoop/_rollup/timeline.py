"""Time queries: what is in force on a date, what ends within a span, and yearly timelines.

Pure functions over MOUs, strategy horizons and export cases; no clock is read: the
caller names the date.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

import attrs

from citycoop._core.decimals import CONVERSION
from citycoop._core.errors import ValidationError
from citycoop._core.money import Money, currency_totals, round_to_minor
from citycoop._core.time import Period, to_date
from citycoop._core.validation import Arguments, iterable
from citycoop._domain.portfolio import Portfolio
from citycoop._fx.rates import DEFAULT_POLICY, RatePolicy
from citycoop._fx.table import RateTable
from citycoop._rollup.aggregate import rollup
from citycoop._rollup.result import Group

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Iterator

__all__ = ["Timeline", "YearRow", "ending_within", "in_force", "timeline"]

TIMELINE: Final = Arguments("timeline")
IN_FORCE: Final = Arguments("in_force")
ENDING_WITHIN: Final = Arguments("ending_within")

_T = TypeVar("_T")
_D = TypeVar("_D", bound="_Dated")


class _Dated(Protocol):
    def active_on(self, day: Any) -> bool: ...  # pragma: no cover - a protocol


def in_force(items: Iterable[_D], on: object) -> tuple[_D, ...]:
    """The MOUs or strategy horizons in force on date *on*, in the order given.

    >>> import citycoop
    >>> [str(m.title) for m in citycoop.in_force(citycoop.datasets.seoul().mous, "2022-01-01")]
    ['Seoul-Guayaquil Smart City Cooperation MOU', 'Seoul-Lima Smart City Cooperation MOU']
    """
    day = to_date(on, IN_FORCE("on"))
    try:
        return tuple(item for item in iterable(items, IN_FORCE("items")) if item.active_on(day))
    except AttributeError:
        raise ValidationError(IN_FORCE("items"), items, "MOUs or strategy horizons") from None


def _end(item: Any) -> dt.date | None:
    period = getattr(item, "validity", None) or getattr(item, "period", None)
    return period.end if isinstance(period, Period) else None


def ending_within(items: Iterable[_T], span: Period) -> tuple[_T, ...]:
    """MOUs (by their validity) or horizons (by their period) whose last day falls in *span*.

    Items whose end is unknown are left out: nothing says they end then.
    """
    if not isinstance(span, Period):
        raise ValidationError(ENDING_WITHIN("span"), span, "a Period")
    return tuple(
        item
        for item in iterable(items, ENDING_WITHIN("items"))
        if (end := _end(item)) is not None and end in span
    )


@attrs.frozen
class YearRow:
    """One year of a :class:`Timeline`: that year's figures and the running totals.

    .. versionadded:: 0.1.0
    """

    year: int
    count: int
    cumulative_count: int
    totals: tuple[Money, ...]
    cumulative_totals: tuple[Money, ...]
    converted: Money | None = None
    cumulative_converted: Money | None = None


@attrs.frozen
class Timeline:
    """Yearly figures of export cases with running totals.

    ``undated`` is the group of cases without a year (``None`` if there is none): they
    are reported, never placed in a year they may not belong to.

    .. versionadded:: 0.1.0
    """

    rows: tuple[YearRow, ...]
    undated: Group | None
    currency: str | None

    def __iter__(self) -> Iterator[YearRow]:
        return iter(self.rows)


def timeline(
    cases: Iterable[Any] | Portfolio,
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    on: dt.date | str = "value_date",
    policy: RatePolicy = DEFAULT_POLICY,
) -> Timeline:
    """Cases per year, with cumulative counts and totals (converted if *currency* is given).

    Years without cases between the first and the last appear with zero cases, so that
    the running totals read as a continuous series. Converted running totals add the
    unrounded yearly figures and round once per row. A portfolio may be passed instead
    of cases; its ``exports`` are used, as :func:`reconcile` does.

    >>> import citycoop
    >>> first = timeline(citycoop.datasets.seoul()).rows[0]
    >>> first.year, first.count
    (2007, 2)

    .. versionadded:: 0.1.0
    """
    items = cases.exports if isinstance(cases, Portfolio) else cases
    result = rollup(items, by="year", currency=currency, rates=rates, on=on, policy=policy)
    by_year: dict[int, Group] = {}
    undated: Group | None = None
    for group in result:
        year = group.key[0]
        if isinstance(year, int):
            by_year[year] = group
        elif year is None:
            undated = group
        else:
            raise ValidationError(TIMELINE("cases"), year, "cases whose year is an int or None")
    rows: list[YearRow] = []
    count = 0
    running: tuple[Money, ...] = ()
    converted = Decimal(0)
    years = sorted(by_year)
    for year in range(years[0], years[-1] + 1) if years else ():
        found = by_year.get(year)
        totals = found.totals if found is not None else ()
        count += found.count if found is not None else 0
        running = currency_totals((m.currency, m.amount) for m in (*running, *totals))
        yearly: Money | None = None
        cumulative: Money | None = None
        if result.currency is not None:
            if found is not None and found.converted_exact is not None:
                converted = CONVERSION.add(converted, found.converted_exact)
                yearly = found.converted
            if running:
                cumulative = round_to_minor(converted, result.currency)
        rows.append(
            YearRow(
                year,
                found.count if found is not None else 0,
                count,
                totals,
                running,
                yearly,
                cumulative,
            )
        )
    return Timeline(tuple(rows), undated, result.currency)
