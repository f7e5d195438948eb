"""The rollup engine: one :class:`Run` per call reads items and sums them exactly.

A run keys each item (:meth:`Run.loop_key`), finds the bucket of rates that serves its
currency and value date (:meth:`Run.bucket`), and adds its amount to that group's sums
(``sums.Accumulator``). The columnar path (``citycoop.columnar``) adds DuckDB's subtotals
through the same two methods (:meth:`Run.add_subtotal`), and asks :meth:`Run.year_served`
instead of applying the annual-rate rule itself. :meth:`Run.result` hands the frozen sums
to ``result.build_result``, which converts each subtotal once.

Maintainer's note: :meth:`Run.add_all` inlines ``loop_key`` and ``bucket`` for the
common case (one group per item), because a method call per item costs about a tenth of
the loop (``benchmarks/bench_rollup.py``). The two copies must change together: the key
(a recipient's canonical identity, then the other keys) and the bucket index
(``part_of`` by currency and day, ``by_year`` by currency and year where every day of
a year is served alike: see :meth:`Run.new_part`). Split items leave the inlined loop for :meth:`Run.add_split` and
``splits.add_recipient_split``, which call the methods; ``add_split`` plans each
distinct split once (``splits.SplitPlan``).

Nothing here reads a clock, touches a file or changes a global.
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from citycoop._core.errors import MissingPriceError, MissingRateError, ValidationError
from citycoop._core.money import Money
from citycoop._core.validation import Arguments
from citycoop._domain.activities import TransactionType
from citycoop._domain.exports import PolicyExport
from citycoop._fx.rates import Leg, RatePolicy
from citycoop._fx.table import RateTable
from citycoop._prices.deflate import ConstantPrices, PriceFactor, constant_factor
from citycoop._rollup.activity_records import TransactionRecord
from citycoop._rollup.hierarchy import add_overcount, resolve_hierarchy
from citycoop._rollup.keys import (
    ROLLUP,
    Keys,
    Split,
    is_split,
    place_getter,
)
from citycoop._rollup.records import RECORDS_OF
from citycoop._rollup.result import Rollup, build_result
from citycoop._rollup.splits import (
    SplitPlan,
    add_recipient_split,
    remembered_plan,
    split_amounts,
)
from citycoop._rollup.sums import ZERO, Accumulator, Bucket, MeasureSum

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


#: How many recipient objects a rollup remembers by identity before it starts afresh.
_SEEN_LIMIT: Final = 1 << 16


class Run:
    """The mutable state of one rollup call: groups, rate buckets and hierarchy notes."""

    def __init__(
        self,
        keys: Keys,
        *,
        target: str | None,
        rates: RateTable | None,
        fixed: dt.date | None,
        policy: RatePolicy,
        missing: str,
        measures: tuple[str, ...] = (),
        constant: ConstantPrices | None = None,
        where: Arguments = ROLLUP,
    ) -> None:
        self.keys = keys
        self.where = where
        self.measures = measures
        self.constant = constant
        self.measure_get: Callable[[Any], Any] | None = (
            operator.attrgetter(*measures) if measures else None
        )
        self.target = target
        self.rates = rates
        self.fixed = fixed
        self.per_item = target is not None and fixed is None
        self.policy = policy
        self.missing = missing
        self.accs: dict[Any, Accumulator] = {}
        # Amounts are summed per (group, currency, bucket): a bucket is the chain of rates
        # that serves them, so dates that one annual rate serves share one subtotal.
        self.buckets: list[Bucket] = []
        self.part_of: dict[str, dict[dt.date | None, int]] = {}  # currency -> day -> bucket
        # Where every day of a year is served alike, buckets are also indexed by currency
        # and year (see new_part): with annual rates only, or by a pair's (by_year_pair).
        self.annual = self.per_item and rates is not None and rates.annual_only
        self.by_year: dict[str, dict[int, int]] = {}  # currency -> year -> bucket
        self.annual_pairs: dict[str, bool] = {}  # currency -> by_year_pair(currency)
        # (currency, the identities of the rates used and their direction) -> part key
        self.parts_by_rates: dict[tuple[object, ...], int] = {}
        # Hierarchies: what identified items contributed, and what their children carried.
        self.identified: dict[str, list[tuple[Any, int, Decimal, Money]]] = {}
        self.children: dict[str, list[Money]] = {}
        self.overcount: dict[int, dict[tuple[object, ...], tuple[int, int]]] = {}
        # Keys read from the recipient ("country", "city", "region"...) are worked out
        # once per distinct recipient, at the end: during the loop a group is keyed by the
        # identity of one canonical recipient object (an int), and its cities are known.
        paths = keys.paths
        self.by_recipient = any(path.split(".")[0] == "recipient" for path in paths)
        others = [path for path in paths if path.split(".")[0] != "recipient"]
        self.other_get: Callable[[Any], Any] | None = (
            operator.attrgetter(*others) if others else None
        )
        self.single_other = len(others) == 1
        # For each key, in order: its getter on the recipient, or None for an item key.
        self.from_recipient: tuple[Callable[[Any], Any] | None, ...] = tuple(
            place_getter(tail) if head == "recipient" else None
            for head, _, tail in (path.partition(".") for path in paths)
        )
        self.canonical: dict[Any, Any] = {}  # recipient -> the one object that stands for it
        self.by_id: dict[int, Any] = {}  # id of a canonical recipient -> that recipient
        # id(recipient object) -> (that object, id of its canonical recipient); holding the
        # object keeps its id from being reused. Bounded: cleared when it grows too large.
        self.seen: dict[int, tuple[Any, int]] = {}
        self.plans: dict[Any, SplitPlan] = {}  # a split's key values -> its plan
        # Groups of items whose recipient is a Split over several places, by group key.
        self.split_accs: dict[Any, Accumulator] = {}
        # The transaction types of valued transaction records: never added together.
        self.kinds: set[TransactionType] = set()

    def add_all(self, items: Iterable[Any]) -> None:
        """Read every item once. The common case (no split) is inlined for speed."""
        accs, part_of, get_key = self.accs, self.part_of, self.keys.get
        may_split, per_item, fixed = self.keys.may_split, self.per_item, self.fixed
        # Inlined copies of loop_key() and bucket(): see the maintainer's note above.
        year_of = self.by_year
        by_recipient, other_get, seen = self.by_recipient, self.other_get, self.seen
        measured = self.measure_get is not None
        position = -1
        item: Any = None
        try:
            for position, item in enumerate(items):
                value = item.value
                if by_recipient:
                    recipient = item.recipient
                    entry = seen.get(id(recipient))
                    if entry is None:
                        # A split is never seen (remembered), so only a miss can be one.
                        if recipient.__class__ is Split:
                            add_recipient_split(self, item, recipient, position)
                            continue
                        entry = self.see(recipient, position)
                    raw = entry[1] if other_get is None else (entry[1], other_get(item))
                else:
                    raw = get_key(item)
                    if may_split and is_split(raw, len(self.keys.names)):
                        self.add_split(item, raw, position)
                        continue
                acc = accs.get(raw)
                if acc is None:
                    acc = accs[raw] = Accumulator()
                acc.count += 1
                if not by_recipient:
                    acc.cities.add(item.recipient)
                if measured:
                    self.measure(acc, item, position)
                if value is None:
                    acc.unvalued += 1
                    continue
                code = value.currency
                day = item.value_date if per_item else fixed
                part = -1
                if day is not None:  # by_year holds nothing unless per_item
                    years = year_of.get(code)
                    if years is not None:
                        part = years.get(day.year, -1)
                if part < 0:
                    by_day = part_of.get(code)
                    if by_day is None:
                        by_day = part_of[code] = {}
                    part = by_day.get(day, -1)
                    if part < 0:
                        part = self.new_part(code, day, position)
                parts = acc.parts
                parts[part] = parts.get(part, ZERO) + value.amount
                if item.__class__ is PolicyExport:  # attribute loads beat getattr() calls
                    identifier, parent = item.identifier, item.parent
                else:
                    identifier = getattr(item, "identifier", None)
                    parent = getattr(item, "parent", None)
                    if item.__class__ is TransactionRecord:  # note_kind(), inlined
                        self.kinds.add(item.transaction.type)
                if identifier is not None or parent is not None:
                    self.note_family(
                        identifier, parent, raw, part, amount=value.amount, value=value
                    )
        except AttributeError as error:
            hint = RECORDS_OF.get(item.__class__)
            raise ValidationError(
                self.where("items", position),
                str(error),
                f"items with value, value_date, recipient, the keys {self.keys.names}"
                + (f" and the measures {self.measures}" if self.measures else "")
                + ("" if hint is None else f" (use {hint})"),
            ) from None

    def measure(self, acc: Accumulator, item: Any, position: int) -> None:
        """Add an item's measured attributes to its group's sums."""
        assert self.measure_get is not None
        values = self.measure_get(item)
        if len(self.measures) == 1:
            values = (values,)
        sums = acc.measured
        if sums is None:
            sums = acc.measured = [MeasureSum() for _ in self.measures]
        for name, total, value in zip(self.measures, sums, values, strict=True):
            total.add(value, f"{self.where('items', position)}.{name}")

    def add_subtotal(
        self, item: Any, *, count: int, unvalued: int, currency: str | None, day: Any, amount: Any
    ) -> None:
        """Add *count* items summed by an engine (``citycoop.columnar``).

        They share every key, the recipient, the currency and the rate bucket: *item*
        stands for them (its ``recipient`` and the attributes the keys read), *amount* is
        their exact sum (``None`` if none had a value) and *day* is a day of their bucket
        (the value date, or any day of the year when the rates are annual).
        """
        acc = self.accumulator(self.loop_key(item, None), item.recipient)
        acc.count += count
        acc.unvalued += unvalued
        if amount is None or currency is None:
            return
        part = self.bucket(currency, day if self.per_item else self.fixed, None)
        acc.parts[part] = acc.parts.get(part, ZERO) + amount

    def loop_key(self, item: Any, position: int | None) -> Any:
        """The key an item is summed under during the loop (an item no key splits).

        Grouping by a place, it is the identity of the item's canonical recipient (with
        the other keys' values); the group keys are worked out once per recipient at the
        end (:meth:`regroup`).
        """
        if not self.by_recipient:
            return self.keys.get(item)
        recipient = item.recipient
        entry = self.seen.get(id(recipient)) or self.see(recipient, position)
        return entry[1] if self.other_get is None else (entry[1], self.other_get(item))

    def accumulator(self, raw: Any, recipient: Any) -> Accumulator:
        """The sums of the group keyed *raw* in the loop, with *recipient* among its places."""
        acc = self.accs.get(raw)
        if acc is None:
            acc = self.accs[raw] = Accumulator()
        if not self.by_recipient:  # by recipient, a group's places are known at the end
            acc.cities.add(recipient)
        return acc

    def bucket(self, code: str, day: dt.date | None, position: int | None) -> int:
        """The bucket of amounts in *code* dated *day*: the one index of rates served."""
        if day is not None:
            part = self.by_year.get(code, {}).get(day.year)
            if part is not None:
                return part
        part = self.part_of.get(code, {}).get(day)
        if part is None:
            part = self.new_part(code, day, position)
        return part

    def year_served(self, code: str, year: int) -> bool:
        """Whether, with annual rates only, a rate serves amounts in *code* all through *year*.

        The columnar path asks this to sum a served year in one subtotal and the days of
        an unserved one apart, so that each unconverted day is listed as here.
        """
        assert self.annual
        try:
            part = self.bucket(code, dt.date(year, 1, 1), None)
        except MissingRateError:
            return False
        return self.buckets[part].legs is not None

    def see(self, recipient: Any, position: int | None) -> tuple[Any, int]:
        """Note a recipient object met for the first time (or since the cache was cleared)."""
        try:
            canonical = self.canonical.setdefault(recipient, recipient)
        except TypeError:
            raise ValidationError(
                f"{self.where.item(position)}.recipient", recipient, "a hashable recipient (a City)"
            ) from None
        self.by_id[id(canonical)] = canonical
        if len(self.seen) >= _SEEN_LIMIT:
            self.seen.clear()
        entry = self.seen[id(recipient)] = (recipient, id(canonical))
        return entry

    def key_of(self, raw: Any) -> Any:
        """The group key of a loop key made of a recipient's identity (and other keys)."""
        recipient_id, others = (raw, ()) if self.other_get is None else raw
        recipient = self.by_id[recipient_id]
        if self.single_other:
            others = (others,)
        rest = iter(others)
        values = [
            next(rest) if get is None else None if recipient is None else get(recipient)
            for get in self.from_recipient
        ]
        return values[0] if len(values) == 1 else tuple(values)

    def regroup(self) -> None:
        """Turn loop keys into group keys and give each group its cities.

        Loop keys that share a group key (two cities of one country) are merged.
        """
        merged: dict[Any, Accumulator] = {}
        keys_of: dict[Any, Any] = {}
        for raw, acc in self.accs.items():
            key = keys_of[raw] = self.key_of(raw)
            recipient = self.by_id[raw if self.other_get is None else raw[0]]
            target = merged.get(key)
            if target is None:
                merged[key] = acc
                acc.cities.add(recipient)
                continue
            target.add(acc)
            target.cities.add(recipient)
        self.accs = merged
        for contributions in self.identified.values():
            contributions[:] = [
                (keys_of[raw], part, amount, value) for raw, part, amount, value in contributions
            ]

    def new_part(self, code: str, day: dt.date | None, position: int | None) -> int:
        """The part key for amounts of *code* dated *day*: find the rates that serve them."""
        legs: tuple[Leg, ...] | None = ()
        numerator = denominator = Decimal(1)
        # An amount already in the target currency needs no rate, and no date to find one
        # by (unless constant prices deflate it by its year).
        if self.target is not None and (code != self.target or self.constant is not None):
            if day is None:
                raise ValidationError(
                    f"{self.where.item(position)}.value_date",
                    None,
                    "a value date for each valued item, or pass on=<reporting date>",
                )
            if self.rates is None:  # checked in new_run when constant prices need it
                raise ValidationError(
                    self.where("rates"), None, f"a RateTable to convert {code} into {self.target}"
                )
            try:
                legs, numerator, denominator, _, _ = self.rates.resolve(
                    code, self.target, day, self.policy
                )
            except MissingRateError:
                if self.missing == "raise":
                    raise
                legs = None
        # The table holds every rate, so a rate's identity names it during this call.
        chain: tuple[object, ...] | None = (
            None if legs is None else (code, *((id(leg.rate), leg.inverted) for leg in legs))
        )
        constant: PriceFactor | str | None = None
        if self.constant is not None:
            assert day is not None
            constant = self.price_factor(code, day, legs, (numerator, denominator))
            if chain is not None:  # deflated by its year: one bucket per year
                chain = (*chain, day.year)
        if chain is not None and chain in self.parts_by_rates:
            part = self.parts_by_rates[chain]
        else:
            part = len(self.buckets)
            self.buckets.append(Bucket(code, legs, day, numerator, denominator, constant))
            if chain is not None:
                self.parts_by_rates[chain] = part
        self.part_of.setdefault(code, {})[day] = part
        # Every day of a year is served alike with annual rates only, or with one direct
        # rate of a pair that has annual rates only. A year whose first day met no rate
        # keeps the day-by-day look-up, so that each unconverted day is reported.
        if (
            self.per_item
            and day is not None
            and legs is not None
            and (self.annual or not legs or (len(legs) == 1 and self.by_year_pair(code)))
        ):
            self.by_year.setdefault(code, {}).setdefault(day.year, part)
        return part

    def by_year_pair(self, code: str) -> bool:
        """Whether amounts in *code* meet the target by a pair with annual rates only."""
        known = self.annual_pairs.get(code)
        if known is None:
            rates, target = self.rates, self.target
            known = rates is not None and target is not None and rates.served_by_year(code, target)
            self.annual_pairs[code] = known
        return known

    def price_factor(
        self,
        code: str,
        day: dt.date,
        legs: tuple[Leg, ...] | None,
        converted: tuple[Decimal, Decimal],
    ) -> PriceFactor | str:
        """The factor into constant prices of amounts of *code* dated *day*, or why none."""
        constant, target, rates = self.constant, self.target, self.rates
        assert constant is not None
        assert target is not None
        assert rates is not None
        if legs is None and constant.method == "convert_then_deflate":
            return f"no {code}->{target} rate"  # (missing="omit": it was not raised)
        try:
            return constant_factor(
                constant,
                code,
                target,
                day.year,
                converted,
                rates=rates,
                policy=self.policy,
                where=self.where,
            )
        except (MissingPriceError, MissingRateError) as error:
            if self.missing == "raise":
                raise
            return str(error)

    def note_family(
        self,
        identifier: str | None,
        parent: str | None,
        raw: Any,
        part: int,
        *,
        amount: Decimal,
        value: Money,
    ) -> None:
        """Remember what an item of a hierarchy contributed, to undo double counting later."""
        if parent is not None:
            self.children.setdefault(parent, []).append(value)
        if identifier is not None:
            self.identified.setdefault(identifier, []).append((raw, part, amount, value))

    def refuse_measures(self, position: int | None, shown: object, why: str) -> None:
        """Refuse to measure an item that lands in several groups: its share of a count is undefined."""
        if self.measures:
            raise ValidationError(
                self.where.item(position),
                shown,
                f"one group per item when measuring {list(self.measures)} ({why})",
            )

    def allocated(
        self,
        item: Any,
        expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...],
        position: int | None,
        plan: SplitPlan | None = None,
    ) -> tuple[int | None, tuple[Decimal, ...]]:
        """The bucket of a split item's value and its exact part in each group (none without)."""
        value = item.value
        if value is None:
            return None, ()
        day = item.value_date if self.per_item else self.fixed
        return self.bucket(value.currency, day, position), split_amounts(value, expanded, plan)

    def note_kind(self, item: Any) -> None:
        """Remember a valued transaction's type: types are never added together."""
        if item.__class__ is TransactionRecord:
            self.kinds.add(item.transaction.type)

    def add_alike(self, item: Any, items: int) -> None:
        """Add *items* items alike in every key, recipient, value and value date (an engine's).

        *item* stands for them. Split items are allocated as one, and each group gets the
        allocation *items* times, exactly as :meth:`add_all` adds them one by one. A
        valued item's transaction type is noted from its ``transaction_type``.
        """
        if item.value is not None:
            kind = getattr(item, "transaction_type", None)
            if kind is not None:
                self.kinds.add(kind)
        if self.by_recipient and item.recipient.__class__ is Split:
            add_recipient_split(self, item, item.recipient, None, items)
            return
        if not self.by_recipient:
            raw = self.keys.get(item)
            if self.keys.may_split and is_split(raw, len(self.keys.names)):
                self.add_split(item, raw, None, items)
                return
        value = item.value
        self.add_subtotal(
            item,
            count=items,
            unvalued=items if value is None else 0,
            currency=None if value is None else value.currency,
            day=item.value_date,
            amount=None if value is None else value.amount * items,
        )

    def add_split(self, item: Any, raw: Any, position: int | None, items: int = 1) -> None:
        """Add an item that a key splits over several groups, allocating its value exactly.

        *items* alike items are added at once (:meth:`add_alike`).
        """
        self.refuse_measures(position, raw, "a key split the item over several groups")
        plan = remembered_plan(self.plans, self.keys, raw)
        value = item.value
        add_overcount(
            self.overcount,
            plan.overcount,
            len(self.keys.names),
            unvalued=value is None,
            items=items,
        )
        part, allocations = self.allocated(item, plan.expanded, position, plan)
        identifier = getattr(item, "identifier", None)
        if value is not None:
            self.note_kind(item)
        for index, group in enumerate(plan.groups):
            acc = self.accs.get(group)
            if acc is None:
                acc = self.accs[group] = Accumulator()
            acc.count += items
            acc.cities.add(item.recipient)
            if value is None or part is None:
                acc.unvalued += items
                continue
            acc.parts[part] = acc.parts.get(part, ZERO) + allocations[index] * items
            self.note_family(identifier, None, group, part, amount=allocations[index], value=value)
        parent = getattr(item, "parent", None)
        if value is not None and parent is not None:
            self.children.setdefault(parent, []).append(value)

    def result(self) -> Rollup:
        """Undo hierarchy double counting, order the buckets, and build the result."""
        keys = self.keys
        kinds = tuple(sorted(self.kinds, key=lambda kind: kind.value))
        if len(kinds) > 1 and "transaction_type" not in keys.names:
            raise ValidationError(
                self.where("by"),
                keys.names,
                "a 'transaction_type' key: the transactions are of several types ("
                + ", ".join(kind.value for kind in kinds)
                + "), which are never added together (or roll up one type only)",
            )
        if self.by_recipient:
            self.regroup()
            for key, acc in self.split_accs.items():
                target = self.accs.get(key)
                if target is None:
                    self.accs[key] = acc
                    continue
                target.add(acc)
        rows_accs = {keys.as_tuple(raw): acc for raw, acc in self.accs.items()}
        conflicts = resolve_hierarchy(rows_accs, keys, self.identified, self.children)
        # Buckets numbered in a stable order, whatever order the items came in; every
        # group's parts follow the new numbers.
        buckets = self.buckets
        orders = [bucket.order for bucket in buckets]
        ordered = sorted(range(len(buckets)), key=orders.__getitem__)
        renumber = [0] * len(buckets)
        for position, number in enumerate(ordered):
            renumber[number] = position
        ranked = tuple(buckets[number] for number in ordered)
        cells = {key: acc.freeze(renumber) for key, acc in rows_accs.items()}
        return build_result(
            keys.names,
            self.target,
            cells,
            self.overcount,
            ranked,
            conflicts=conflicts,
            measures=self.measures,
            constant=self.constant,
            mixed_types=kinds if len(kinds) > 1 else (),
        )
