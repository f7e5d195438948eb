"""The rate table: which rate serves a currency pair on a date.

A :class:`RateTable` answers "which rate serves this pair on this date" under a
:class:`~citycoop.RatePolicy`, using a direct rate, its inverse, or a path through a
pivot currency. A missing rate raises :class:`~citycoop.MissingRateError`; it is never
zero.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final, Self

import attrs
import pendulum

from citycoop._core.currencies import normalize_currency
from citycoop._core.errors import MissingRateError, ValidationError
from citycoop._core.files import MAX_BYTES, Source
from citycoop._core.progress import Progress
from citycoop._core.time import to_date
from citycoop._core.validation import items, iterable, name_fields, strings
from citycoop._fx.rates import DEFAULT_POLICY, Leg, Rate, RatePolicy, factor
from citycoop._fx.series import Layout, Series

__all__ = ["RateTable"]

#: The longest chain of rates a conversion may take (UAH -> USD -> EUR -> KRW is three).
MAX_LEGS: Final = 4
#: How many answered questions a table remembers before it starts afresh.
MEMO_LIMIT: Final = 1 << 16

#: What a rate table answers: legs, numerator, denominator, value date, target currency.
Answer = tuple[tuple[Leg, ...], Decimal, Decimal, pendulum.Date, str]


#: A run of a table's rates in order: Rate objects, or a file's layout of held values.
Segment = tuple[Rate, ...] | Layout


class Pending:
    """The rates of a table read from a file, built when iterated (``attrs.evolve`` does)."""

    __slots__ = ("segments",)

    def __init__(self, segments: tuple[Segment, ...]) -> None:
        self.segments = segments

    def __iter__(self) -> Iterator[Rate]:
        return itertools.chain.from_iterable(self.segments)

    def __len__(self) -> int:
        return sum(len(segment) for segment in self.segments)


def _only(segment: Segment, wanted: frozenset[str]) -> Segment:
    if isinstance(segment, Layout):
        return segment.only(wanted)
    return tuple(r for r in segment if r.base in wanted and r.quote in wanted)


def _beyond(rate: Rate, on: dt.date) -> bool:
    """Whether *rate* serves *on* as a planning rate: an annual rate for a later date.

    (The ``"latest"`` step also serves later dates, but only with daily rates.)
    """
    period = rate.period
    return on > period.end and period.start != period.end


def _rates(value: Iterable[Rate], field: str = "") -> tuple[Rate, ...]:
    return items(value, Rate, "a Rate", field)


def _currencies(value: Iterable[str], field: str = "") -> tuple[str, ...]:
    return tuple(
        normalize_currency(code, f"{field}[{index}]")
        for index, code in enumerate(iterable(value, field))
    )


@attrs.frozen(repr=False, eq=False, field_transformer=name_fields)
class RateTable:
    """An immutable set of rates with lookup by pair and date.

    Two tables are equal when they hold the same rates, pivots and notes, in order.

    Lookups of a direct rate take constant time (a dictionary per pair and period
    kind); the ``"latest"`` step bisects the sorted daily dates. Two rates for the same
    pair and period are a conflict and rejected.

    Args:
        rates: The rates.
        pivots: Currencies tried, in order, to triangulate a pair no rate serves
            directly or inverted.
        omitted: Explanations of anything a loader deliberately left out.

    .. versionadded:: 0.1.0
    """

    # The rates; in a table read from a file, Pending until asked for (see ``_lazy``).
    _rates: tuple[Rate, ...] | Pending = attrs.field(converter=_rates, alias="rates")
    pivots: tuple[str, ...] = attrs.field(
        default=("USD", "EUR"), kw_only=True, converter=_currencies
    )
    omitted: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=strings)
    _index: Mapping[tuple[str, str], Series] = attrs.field(init=False, eq=False)
    # Questions already answered, keyed as asked: (base, quote, on, policy). A private
    # cache of valid answers only; it never changes what a look-up returns.
    _memo: dict[tuple[object, ...], Answer] = attrs.field(init=False, factory=dict, eq=False)
    # One Leg per (rate, direction), built on first use: answers share them.
    _leg_memo: dict[tuple[int, bool, bool], Leg] = attrs.field(init=False, factory=dict, eq=False)
    # Each currency's neighbours in the table, for paths of three or more legs.
    _neighbour_memo: dict[str, tuple[str, ...]] | None = attrs.field(
        init=False, default=None, eq=False
    )
    # Whether every rate is an annual one: then what serves a date depends on its year only.
    _annual_only: bool = attrs.field(init=False, default=False, eq=False)
    # A table read from a file holds its daily rates as text in its series; its rates
    # are Pending, built in the order the segments give when asked for.
    _lazy: bool = attrs.field(init=False, default=False, eq=False)
    _hash: int | None = attrs.field(init=False, default=None, eq=False)

    @property
    def rates(self) -> tuple[Rate, ...]:
        """Every rate, in the order given (a file's order for a table read from a file)."""
        held = self._rates
        if isinstance(held, Pending):
            built_rates = tuple(held)
            object.__setattr__(self, "_rates", built_rates)
            return built_rates
        return held

    def __eq__(self, other: object) -> bool:
        """Equal tables hold the same rates, pivots and notes, in order."""
        if not isinstance(other, RateTable):
            return NotImplemented
        return (self.rates, self.pivots, self.omitted) == (other.rates, other.pivots, other.omitted)

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash((self.rates, self.pivots, self.omitted)))
        assert self._hash is not None
        return self._hash

    @property
    def annual_only(self) -> bool:
        """Whether every rate covers a whole year, so that what serves a date depends on its year.

        Rollups use it to look rates up once per currency and year.

        >>> from citycoop import Period, Rate, RateTable
        >>> RateTable([Rate("USD", "KRW", "1144.42", Period.year(2021), "WB")]).annual_only
        True

        .. versionadded:: 0.1.0
        """
        return self._annual_only

    def __attrs_post_init__(self) -> None:
        index: dict[tuple[str, str], Series] = {}
        for position, rate in enumerate(self.rates):
            pair = (rate.base, rate.quote)
            series = index.get(pair)
            if series is None:
                series = index[pair] = Series(rate.base, rate.quote)
            kept = series.add(rate)
            if kept is not rate:
                raise ValidationError(
                    f"RateTable.rates[{position}]",
                    rate,
                    f"one {rate.base}->{rate.quote} rate per period; {rate.period} already has "
                    f"{getattr(kept, 'value', kept)} from {getattr(kept, 'source', '?')}",
                )
        self._seal(index)

    def _seal(self, index: dict[tuple[str, str], Series]) -> None:
        for series in index.values():
            series.seal()
        object.__setattr__(self, "_index", MappingProxyType(index))
        annual = all(not series.day_dates and not series.months for series in index.values())
        object.__setattr__(self, "_annual_only", annual)

    def served_by_year(self, base: str, quote: str) -> bool:
        """Whether the table holds rates between two currencies, all annual (either way).

        Then a direct rate between them serves every day of a year alike, and rollups
        look it up once a year.

        >>> from citycoop import Period, Rate, RateTable
        >>> table = RateTable([Rate("USD", "KRW", "1144.42", Period.year(2021), "WB")])
        >>> table.served_by_year("KRW", "USD"), table.served_by_year("KRW", "EUR")
        (True, False)

        .. versionadded:: 0.1.0
        """
        pairs = [self._index.get(pair) for pair in ((base, quote), (quote, base))]
        held = [series for series in pairs if series is not None]
        return bool(held) and not any(series.day_dates or series.months for series in held)

    @classmethod
    def _assembled(
        cls,
        index: dict[tuple[str, str], Series],
        segments: tuple[Segment, ...],
        *,
        pivots: tuple[str, ...] = ("USD", "EUR"),
        omitted: tuple[str, ...] = (),
    ) -> Self:
        """A table from series its reader built and checked, rates built when served.

        *index* maps each pair to its :class:`~citycoop._fx.series.Series`, no period
        twice; *segments* give the rates in the reader's order. *pivots* and
        *omitted* are taken as given (normalized codes, strings).
        """
        table = object.__new__(cls)
        values: dict[str, object] = {
            "_rates": Pending(segments),
            "pivots": pivots,
            "omitted": omitted,
            "_memo": {},
            "_leg_memo": {},
            "_neighbour_memo": None,
            "_lazy": True,
            "_hash": None,
        }
        sealed = {"_index", "_annual_only"}  # set by _seal
        for field in attrs.fields(cls):
            if field.name not in sealed:
                object.__setattr__(table, field.name, values[field.name])  # each field, or KeyError
        table._seal(index)
        return table

    def __len__(self) -> int:
        return len(self._rates)

    def __repr__(self) -> str:
        pairs = ", ".join(f"{b}/{q}" for b, q in sorted(self._index)[:6])
        more = "..." if len(self._index) > 6 else ""
        return f"<RateTable: {len(self)} rates, pairs {pairs}{more}>"

    def _segments(self) -> tuple[Segment, ...]:
        held = self._rates
        return held.segments if isinstance(held, Pending) else (held,)

    def __or__(self, other: RateTable) -> RateTable:
        """A table holding the rates of both (conflicting rates are an error)."""
        if not isinstance(other, RateTable):
            return NotImplemented
        omitted = self.omitted + other.omitted
        if not (self._lazy or other._lazy):
            return RateTable(self.rates + other.rates, pivots=self.pivots, omitted=omitted)
        index = dict(self._index)
        for pair, series in other._index.items():
            mine = index.get(pair)
            both = series if mine is None else mine.merged(series)
            if both is None:  # a period in both: the constructor names it
                return RateTable(self.rates + other.rates, pivots=self.pivots, omitted=omitted)
            index[pair] = both
        segments = self._segments() + other._segments()
        return RateTable._assembled(index, segments, pivots=self.pivots, omitted=omitted)

    def only(self, *currencies: str) -> RateTable:
        """A table of the rates between *currencies* only: to take some pairs from a source.

        The World Bank's table has a rate for nearly every currency; to convert hryvnias
        with it but won with the ECB's daily rates, keep its USD and UAH rates only:

        >>> from citycoop import Period, Rate
        >>> wdi = RateTable([
        ...     Rate("USD", "UAH", "36.57", Period.year(2023), "WDI"),
        ...     Rate("USD", "KRW", "1305.66", Period.year(2023), "WDI"),
        ... ])
        >>> [rate.quote for rate in wdi.only("USD", "UAH").rates]
        ['UAH']

        Pivots and notes are kept; a code that is not a currency is a
        :class:`~citycoop.ValidationError`.
        """
        wanted = frozenset(
            normalize_currency(code, f"RateTable.only.currencies[{index}]")
            for index, code in enumerate(currencies)
        )
        if not self._lazy:
            return RateTable(
                tuple(r for r in self.rates if r.base in wanted and r.quote in wanted),
                pivots=self.pivots,
                omitted=self.omitted,
            )
        index = {
            pair: series
            for pair, series in self._index.items()
            if pair[0] in wanted and pair[1] in wanted
        }
        segments = tuple(_only(segment, wanted) for segment in self._segments())
        return RateTable._assembled(index, segments, pivots=self.pivots, omitted=self.omitted)

    def holds(self, rate: Rate) -> bool:
        """Whether *rate* is one of the table's rates: its pair, period, value and source.

        >>> from citycoop import Period, Rate
        >>> rate = Rate("USD", "KRW", "1144.42", Period.year(2021), "WB")
        >>> RateTable([rate]).holds(rate), RateTable([]).holds(rate)
        (True, False)

        .. versionadded:: 0.1.0
        """
        given: object = rate
        if not isinstance(given, Rate):
            return False
        series = self._index.get((rate.base, rate.quote))
        if series is None:
            return False
        start = rate.period.start
        kind = rate.period.kind
        if kind == "day":
            found: Rate | None = series.day(start)
        elif kind == "month":
            found = series.months.get((start.year, start.month))
        else:
            found = series.years.get(start.year)
        return found == rate

    @property
    def currencies(self) -> frozenset[str]:
        """Every currency that appears in a rate."""
        return frozenset(c for pair in self._index for c in pair)

    def find(
        self, base: str, quote: str, on: object, policy: RatePolicy = DEFAULT_POLICY
    ) -> tuple[Leg, ...]:
        """The legs that convert *base* into *quote* on *on* under *policy*.

        A direct rate is preferred, then its inverse, then a path through each pivot
        currency in turn (each leg served under the same policy).

        Raises:
            MissingRateError: nothing serves the pair on that date.
        """
        return self.resolve(base, quote, on, policy)[0]

    def resolve(
        self, base: object, quote: object, on: object, policy: object, field: str = ""
    ) -> Answer:
        """What :meth:`find` answers, with the legs' combined factor, the date and the target.

        The seam that conversion and rollups use: the legs, the exact ``numerator`` and
        ``denominator`` the legs multiply into (an amount in *base* times
        ``numerator / denominator`` is in *quote*), the date as a date, and the target
        currency's code. Answers are remembered per question; arguments are checked
        (errors name *field* + ``base``, ``on``, ...) unless the same question was
        answered before.

        >>> from citycoop import Period, Rate, RatePolicy, RateTable
        >>> table = RateTable([Rate("EUR", "USD", "1.1223", Period.day("2021-11-25"), "ECB")])
        >>> legs, numerator, denominator, day, target = table.resolve(
        ...     "usd", "EUR", "2021-11-25", RatePolicy.narrowest()
        ... )
        >>> [leg.inverted for leg in legs], numerator, denominator, day.isoformat(), target
        ([True], Decimal('1'), Decimal('1.1223'), '2021-11-25', 'EUR')

        .. versionadded:: 0.1.0
        """
        key = (base, quote, on, policy)
        try:
            return self._memo[key]
        except (KeyError, TypeError):  # TypeError: an unhashable argument, judged below
            pass
        day = to_date(on, field + "on")
        if not isinstance(policy, RatePolicy):
            raise ValidationError(field + "policy", policy, "a RatePolicy")
        source = normalize_currency(base, field + "base")
        target = normalize_currency(quote, field + "to" if field else "quote")
        legs = self._legs(source, target, day, policy)
        answer = (legs, *factor(legs), day, target)
        memo = self._memo
        if len(memo) >= MEMO_LIMIT:  # a long-lived shared table stays bounded
            memo.clear()
        memo[key] = answer
        return answer

    def _legs(self, source: str, target: str, day: dt.date, policy: RatePolicy) -> tuple[Leg, ...]:
        if source == target:
            return ()
        leg = self._one_leg(source, target, day, policy)
        if leg is not None:
            return (leg,)
        for pivot in self.pivots:
            if pivot in (source, target):
                continue
            first = self._one_leg(source, pivot, day, policy)
            second = self._one_leg(pivot, target, day, policy) if first is not None else None
            if first is not None and second is not None:
                return (first, second)
        longer = self._longer_path(source, target, day, policy)
        if longer is not None:
            return longer
        raise MissingRateError(source, target, day, self._diagnosis(source, target, day, policy))

    def _longer_path(
        self, source: str, target: str, day: dt.date, policy: RatePolicy
    ) -> tuple[Leg, ...] | None:
        """The shortest chain of three or more legs (UAH -> USD -> EUR -> KRW), if any.

        The search is breadth first, to at most :data:`MAX_LEGS` legs. Among chains of
        one length the first found wins: from each currency the pivots are tried first,
        in their order, then the other currencies alphabetically, so the choice never
        depends on the order of the rates.
        """
        neighbours = self._neighbours()
        frontier: list[tuple[str, tuple[Leg, ...]]] = [(source, ())]
        seen = {source}
        for _ in range(MAX_LEGS):
            following: list[tuple[str, tuple[Leg, ...]]] = []
            for currency, legs in frontier:
                for other in neighbours.get(currency, ()):
                    if other in seen:
                        continue
                    leg = self._one_leg(currency, other, day, policy)
                    if leg is None:
                        continue
                    if other == target:
                        return (*legs, leg)
                    seen.add(other)
                    following.append((other, (*legs, leg)))
            frontier = following
        return None

    def _neighbours(self) -> dict[str, tuple[str, ...]]:
        """For each currency, those it shares a pair with: pivots first, then by code."""
        if self._neighbour_memo is None:
            linked: dict[str, set[str]] = {}
            for base, quote in self._index:
                linked.setdefault(base, set()).add(quote)
                linked.setdefault(quote, set()).add(base)
            order = {pivot: position for position, pivot in enumerate(self.pivots)}
            memo = {
                currency: tuple(sorted(others, key=lambda c: (order.get(c, len(order)), c)))
                for currency, others in linked.items()
            }
            object.__setattr__(self, "_neighbour_memo", memo)
            return memo
        return self._neighbour_memo

    def _diagnosis(self, source: str, target: str, day: dt.date, policy: RatePolicy) -> str:
        """Why nothing serves a pair on a day.

        Names the currencies the table lacks, or else each missing leg (direct, or through
        a pivot) with the nearest rates the table has for it.
        """
        parts = [f"policy steps {policy.steps}"]
        known = self.currencies
        absent = [code for code in (source, target) if code not in known]
        if absent:
            parts.append(f"{' and '.join(absent)} not in the table")
            return "; ".join(parts) + _fix(None)
        legs = [(source, target)] + [
            leg
            for pivot in self.pivots
            if pivot not in (source, target)
            for leg in ((source, pivot), (pivot, target))
        ]
        late = False
        for base, quote in dict.fromkeys(legs):
            if self._one_leg(base, quote, day, policy) is None:
                parts.append(f"{base}->{quote}: {self._nearest(base, quote, day)}")
                late = late or self._after_last(base, quote, day)
        return "; ".join(parts) + _fix(policy, late=late)

    def _after_last(self, base: str, quote: str, day: dt.date) -> bool:
        """Whether *day* is after every rate of a pair that has annual rates (planning's case)."""
        found = [
            (series.last_day, bool(series.years))
            for series in (self._index.get((base, quote)), self._index.get((quote, base)))
            if series is not None and series.last_day is not None
        ]
        return any(annual for _, annual in found) and all(day > end for end, _ in found)

    def _nearest(self, base: str, quote: str, day: dt.date) -> str:
        """The rates nearest to *day* that the table has for a pair, either direction."""
        series = [s for s in (self._index.get((base, quote)), self._index.get((quote, base))) if s]
        if not series:
            return "no rate for this pair"
        found: list[str] = []
        for kind, width, starts in (
            ("daily", 10, sorted({d for s in series for d in s.day_dates})),
            ("monthly", 7, sorted({dt.date(y, m, 1) for s in series for y, m in s.months})),
            ("annual", 4, sorted({dt.date(y, 1, 1) for s in series for y in s.years})),
        ):
            if not starts:
                continue
            index = bisect.bisect_right(starts, day)
            before = starts[index - 1].isoformat()[:width] if index else "none"
            after = starts[index].isoformat()[:width] if index < len(starts) else "none"
            found.append(f"nearest {kind} rates {before} before, {after} after")
        return "; ".join(found)

    def _one_leg(self, base: str, quote: str, on: dt.date, policy: RatePolicy) -> Leg | None:
        series = self._index.get((base, quote))
        if series is not None and (rate := series.serve(on, policy)) is not None:
            return self._leg(rate, inverted=False, planning=_beyond(rate, on))
        series = self._index.get((quote, base))
        if series is not None and (rate := series.serve(on, policy)) is not None:
            return self._leg(rate, inverted=True, planning=_beyond(rate, on))
        return None

    def _leg(self, rate: Rate, *, inverted: bool, planning: bool = False) -> Leg:
        """The table's one Leg for *rate* in that direction (the table keeps *rate* alive)."""
        key = (id(rate), inverted, planning)
        leg = self._leg_memo.get(key)
        if leg is None:
            leg = self._leg_memo[key] = Leg(rate, inverted=inverted, planning=planning)
        return leg

    @classmethod
    def from_file(
        cls,
        source: Source,
        format: str | None = None,  # noqa: A002 - the word users know
        *,
        max_bytes: int = MAX_BYTES,
        progress: Progress = None,
    ) -> Self:
        """Load a published rate file, detecting its format unless *format* names it.

        *source* is a path, a text or binary file object, or a zip archive holding one
        CSV file (the ECB's own ``eurofxref-hist.zip``). *format* is ``"ecb"``,
        ``"fed_h10"`` or ``"world_bank"``; each is described by the class method of that
        name below. Rows a reader deliberately leaves out are listed in ``omitted``.
        A file (or a zip's member, unzipped) larger than *max_bytes* (64 MiB by default)
        is refused before it is held in memory. *progress*, ``progress(rows, total)``, is
        called every 256 rows of the file and at the end; ``True`` shows a ``tqdm`` bar.

        Raises:
            DataFileError: the file cannot be read, is larger than *max_bytes*, its format
                is not recognised, or a row is malformed (the file, line and column are
                named).

        .. versionadded:: 0.1.0
        """
        from citycoop._fx.files import read_rates

        loaded = read_rates(source, format, max_bytes, progress)
        if loaded.series is not None:
            return cls._assembled(loaded.series, loaded.segments, omitted=loaded.omitted)
        return cls(loaded.eager, omitted=loaded.omitted)

    @classmethod
    def from_world_bank_csv(cls, path: Source) -> Self:
        """Load World Bank WDI ``PA.NUS.FCRF`` (local currency per USD, annual average).

        Each row's currency is its territory's sole tender currency per CLDR at the end
        of the file's last year; euro-area members are served by the ``EMU`` row. Rows
        that cannot be read that way (aggregates, territories with two tender
        currencies, sharers that disagree with each other) are left out and listed in
        ``omitted``.
        """
        return cls.from_file(path, "world_bank")

    @classmethod
    def from_fed_h10_csv(cls, path: Source) -> Self:
        """Load Federal Reserve H.10 data (``Date, Country, Exchange rate``), annual or monthly.

        Every value is foreign currency per USD; the period is a year when every date of
        the file is a 1 January, else a month.
        """
        return cls.from_file(path, "fed_h10")

    @classmethod
    def from_ecb_csv(cls, path: Source) -> Self:
        """Load the ECB's ``eurofxref-hist.csv``: daily, currency per EUR, ``N/A`` for gaps."""
        return cls.from_file(path, "ecb")


def _fix(policy: RatePolicy | None, *, late: bool = False) -> str:
    """What the caller can do about a missing rate, as the end of its message."""
    fixes = [] if policy is None or "latest" in policy.steps else [BUSINESS_DAY_FIX]
    if late and policy is not None and "planning" not in policy.steps:
        fixes.append(PLANNING_FIX)
    fixes.append(OMIT_FIX)
    return ". Fix: " + "; or ".join(fixes)


#: The fix a policy without a "latest" step is told of.
BUSINESS_DAY_FIX: Final = (
    "RatePolicy.business_day() serves a weekend or holiday from the latest earlier rate"
)
#: The fix a date after a pair's last rate is told of.
PLANNING_FIX: Final = (
    "RatePolicy.planning() serves a date after a pair's last rate from its latest annual"
    " rate, marked as an assumption"
)
#: The fix every missing rate is told of.
OMIT_FIX: Final = 'in a rollup, missing="omit" leaves the amount out and says so'
