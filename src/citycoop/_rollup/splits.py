"""Items split over several groups, by a key or by their recipient.

An item that a key splits (a case over two focus areas) lands in several groups with its
value allocated exactly. Many items are split alike (every case of one city split 60/40),
so a rollup works out, once per distinct split, the groups it lands in, its weights as
whole numbers and where it counts more than once above the rows (:class:`SplitPlan`),
and each item then only allocates its own value. An item whose recipient is a
:class:`~citycoop.Split` over several places is keyed place by place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, NamedTuple

from citycoop._core.allocation import allocate_whole, whole_weights
from citycoop._core.errors import ValidationError
from citycoop._core.money import Money, allocation_step
from citycoop._rollup.hierarchy import Overcount, note_overcount, overcount_of
from citycoop._rollup.keys import expand
from citycoop._rollup.sums import ZERO, Accumulator

if TYPE_CHECKING:
    from decimal import Decimal

    from citycoop._rollup.engine import Run
    from citycoop._rollup.keys import Keys, Split


class SplitPlan(NamedTuple):
    """One distinct split: the groups an item lands in, by weight."""

    #: (group key as a tuple, weight) pairs, as ``keys.expand`` gives them.
    expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...]
    #: The loop key of each group, in the same order.
    groups: tuple[Any, ...]
    #: The weights as whole numbers, or ``None`` where allocation refuses them.
    weights: tuple[int, ...] | None
    overcount: Overcount


def split_plan(keys: Keys, raw: Any) -> SplitPlan:
    """The plan of items whose keys gave *raw* (one of them a :class:`Split`)."""
    expanded = expand(keys.as_tuple(raw))
    try:
        weights: tuple[int, ...] | None = whole_weights([weight or ZERO for _, weight in expanded])
    except ValidationError:  # refused when an item has a value to allocate
        weights = None
    return SplitPlan(
        expanded,
        tuple(keys.from_tuple(key) for key, _ in expanded),
        weights,
        overcount_of(expanded, len(keys.names)),
    )


#: How many distinct splits a rollup remembers before it starts afresh.
PLANS_LIMIT: Final = 100_000


def remembered_plan(plans: dict[Any, SplitPlan], keys: Keys, raw: Any) -> SplitPlan:
    """The plan of a split met before (in *plans*), or a new one, remembered within a bound."""
    try:
        plan = plans.get(raw)
    except TypeError:  # an unhashable key value: planned each time
        return split_plan(keys, raw)
    if plan is None:
        if len(plans) >= PLANS_LIMIT:
            plans.clear()
        plan = plans[raw] = split_plan(keys, raw)
    return plan


def split_amounts(
    value: Money,
    expanded: tuple[tuple[tuple[object, ...], Decimal | None], ...],
    plan: SplitPlan | None = None,
) -> tuple[Decimal, ...]:
    """*value*'s exact part in each group, as :meth:`Money.allocate` splits it."""
    weights = None if plan is None else plan.weights
    if weights is None:  # Money.allocate says what is wrong with the weights
        parts = value.allocate([weight or ZERO for _, weight in expanded])
        return tuple(part.amount for part in parts)
    amount = value.amount
    return allocate_whole(amount, weights, allocation_step(amount, value.currency))


def add_recipient_split(
    run: Run, item: Any, recipient: Split, position: int | None, items: int = 1
) -> None:
    """Add an item whose recipient is a :class:`Split` over several places.

    Each place is keyed as a recipient is; places whose keys are alike (two cities of
    one country, when grouping by country) are one part. The value is allocated
    exactly over the parts, and the item counts once in each group (*items* alike
    items, *items* times: :meth:`~citycoop._rollup.engine.Run.add_alike`).
    """
    keys = run.keys
    run.refuse_measures(position, recipient, "its recipient splits it over several groups")
    if getattr(item, "identifier", None) is not None or getattr(item, "parent", None):
        expected = "one recipient for an item of a hierarchy (with an identifier or a parent)"
        raise ValidationError(f"{run.where.item(position)}.recipient", recipient, expected)
    others = None if run.other_get is None else run.other_get(item)
    weights: dict[Any, Decimal] = {}
    places: dict[Any, list[Any]] = {}
    for place, weight in recipient.parts:
        entry = run.seen.get(id(place)) or run.see(place, position)
        key = run.key_of(entry[1] if others is None else (entry[1], others))
        weights[key] = weights.get(key, ZERO) + weight
        places.setdefault(key, []).append(place)
    expanded = tuple((keys.as_tuple(key), weight) for key, weight in weights.items())
    value = item.value
    if value is not None:
        run.note_kind(item)
    note_overcount(run.overcount, expanded, len(keys.names), unvalued=value is None, items=items)
    part, allocations = run.allocated(item, expanded, position)
    for index, key in enumerate(weights):
        acc = run.split_accs.setdefault(key, Accumulator())
        acc.count += items
        acc.cities.update(places[key])
        if value is None or part is None:
            acc.unvalued += items
            continue
        acc.parts[part] = acc.parts.get(part, ZERO) + allocations[index] * items
