"""Items that split or nest: the counts a split item adds above the rows, and parents.

A split item lands in several groups but counts once in each subtotal above them
(:func:`note_overcount`); a parent's value is taken out where its children carry values
(:func:`resolve_hierarchy`), so that values are counted at the lowest level.
"""

from __future__ import annotations

from collections.abc import Mapping  # resolved at run time: typing.get_type_hints(Rollup)
from decimal import Decimal
from typing import Any

from citycoop._core.money import Money, currency_totals
from citycoop._rollup.keys import (
    Keys,
)
from citycoop._rollup.result import Conflict
from citycoop._rollup.sums import Accumulator


def note_overcount(
    overcount: dict[int, dict[tuple[object, ...], tuple[int, int]]],
    expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...],
    depth: int,
    *,
    unvalued: bool,
    items: int = 1,
) -> None:
    """Record how many extra times a split item lands in each subtotal above the rows.

    *items* alike items (split alike) count as many times as one.
    """
    add_overcount(overcount, overcount_of(expanded, depth), depth, unvalued=unvalued, items=items)


#: (level, key prefix, extra times): a split item's landings in one subtotal beyond one.
Overcount = tuple[tuple[int, tuple[object, ...], int], ...]


def overcount_of(
    expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...], depth: int
) -> Overcount:
    """Where an item split into *expanded* groups lands more than once above the rows."""
    extra: list[tuple[int, tuple[object, ...], int]] = []
    for level in range(depth):
        seen: dict[tuple[object, ...], int] = {}
        for key, _ in expanded:
            seen[key[:level]] = seen.get(key[:level], 0) + 1
        extra += [(level, prefix, times - 1) for prefix, times in seen.items() if times > 1]
    return tuple(extra)


def add_overcount(
    overcount: dict[int, dict[tuple[object, ...], tuple[int, int]]],
    extra: Overcount,
    depth: int,
    *,
    unvalued: bool,
    items: int,
) -> None:
    """Add what :func:`overcount_of` found for *items* alike items."""
    for level in range(depth):
        overcount.setdefault(level, {})
    for level, prefix, times in extra:
        table = overcount[level]
        count, blank = table.get(prefix, (0, 0))
        more = times * items
        table[prefix] = (count + more, blank + (more if unvalued else 0))


def resolve_hierarchy(
    accs: dict[tuple[object, ...], Accumulator],
    keys: Keys,
    identified: Mapping[str, list[tuple[Any, int, Decimal, Money]]],
    children: Mapping[str, list[Money]],
) -> tuple[Conflict, ...]:
    """Count values at the lowest level: drop a parent's value where its children carry values."""
    conflicts: list[Conflict] = []
    for parent, child_values in children.items():
        contributions = identified.get(parent)
        if not contributions:
            continue
        parent_value = contributions[0][3]
        for raw, part, amount, _ in contributions:
            acc = accs[keys.as_tuple(raw)]
            take_out(acc, part, amount)
            acc.unvalued += 1  # the parent still counts; its value lives in its children
        children_total = currency_totals((m.currency, m.amount) for m in child_values)
        if children_total != (parent_value,):
            conflicts.append(Conflict(parent, parent_value, children_total))
    return tuple(conflicts)


def take_out(acc: Accumulator, part: int, amount: Decimal) -> None:
    left = acc.parts[part] - amount
    if left:
        acc.parts[part] = left
    else:
        del acc.parts[part]
