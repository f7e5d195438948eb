"""How a rollup shows itself: plain records, its repr and its notebook table.

:class:`~citycoop.Rollup` keeps its data methods and hands display to these functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from citycoop._core.html import html_table
from citycoop._core.places import Country, Region
from citycoop._domain.activities import Participant
from citycoop._rollup.keys import (
    plain,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from citycoop._rollup.result import Group, Measure, Rollup


def records(result: Rollup) -> list[dict[str, object]]:
    """Plain rows of *result*: see :meth:`~citycoop.Rollup.to_records`."""
    rows: list[dict[str, object]] = []
    # A key that names a region, a country or an organisation in any row has a name
    # column in every row.
    named = [
        any(isinstance(group.key[index], Region | Country | Participant) for group in result.rows)
        for index in range(len(result.by))
    ]
    for group in result.rows:
        record: dict[str, object] = {}
        for name, value, with_name in zip(result.by, group.key, named, strict=True):
            record[name] = plain(value)
            if with_name:
                record[f"{name}_name"] = _name(value)
        record.update(
            count=group.count,
            unvalued=group.unvalued,
            cities=group.cities,
            countries=group.countries,
        )
        for measure in group.measures:
            record[measure.name] = measure.total
            record[f"{measure.name}_unknown"] = measure.unknown
        for money in group.totals:
            record[f"total_{money.currency}"] = money.amount
        if result.currency is not None:
            record[f"converted_{result.currency}"] = (
                None if group.converted is None else group.converted.amount
            )
            record["complete"] = group.complete
        if result.constant_prices is not None:
            record[f"constant_{result.currency}"] = (
                None if group.constant is None else group.constant.amount
            )
            record["constant_complete"] = group.constant_complete
        rows.append(record)
    return rows


def text(result: Rollup) -> str:
    """The repr of *result*: its first rows and its total, one line each."""
    lines = [f"<Rollup by {', '.join(result.by) or '(nothing)'}: {len(result.rows)} rows"]
    mixed = _mixed(result)
    lines.extend("  " + _row_text(result.by, group, mixed) for group in result.rows[:20])
    if len(result.rows) > 20:
        lines.append(f"  ... {len(result.rows) - 20} more")
    lines.append("  total: " + _row_text((), result.total, _mixed(result, total=True)) + ">")
    return "\n".join(lines)


def html(result: Rollup, rows: int) -> str:
    """A table of the first *rows* groups of *result* and its total, for Jupyter."""
    head = [*result.by, "count", "unvalued", "cities", "countries", *result.measures, "totals"]
    if result.currency is not None:
        head.append(f"total ({result.currency})")
    if result.constant_prices is not None:
        head.append(f"{result.currency} at {result.constant_prices.base_year} prices")

    def cells(group: Group, mixed: str = "") -> list[object]:
        key = group.key or ("Total", *([""] * (len(result.by) - 1)))
        values: list[object] = [
            *(_shown(k) for k in key),
            group.count,
            group.unvalued,
            group.cities,
            group.countries,
            *(_measure_text(m) for m in group.measures),
            "; ".join(format(m, ",f") for m in group.totals) or mixed,
        ]
        if result.currency is not None:
            converted = group.converted
            values.append(
                ""
                if converted is None
                else f"{converted:,f}{'' if group.complete else ' (incomplete)'}"
            )
        if result.constant_prices is not None:
            constant = group.constant
            values.append(
                ""
                if constant is None
                else f"{constant:,f}{'' if group.constant_complete else ' (incomplete)'}"
            )
        return values

    return html_table(
        head,
        [cells(group, _mixed(result)) for group in result.rows[:rows]],
        more=max(0, len(result.rows) - rows),
        last=cells(result.total, _mixed(result, total=True)),
    )


def _name(value: object) -> str | None:
    """The English name of a region or a country key, an organisation's first name.

    ``None`` for an unknown one, and for an organisation whose file names it by its
    identifier only.
    """
    if isinstance(value, Region):
        return value.name
    if isinstance(value, Country):
        return value.name("en")
    if isinstance(value, Participant) and value.name is not None:
        name = value.name.original
        return None if name == value.code else name
    return None


def _shown(value: object) -> object:
    """A key value for a table: a code with its name (a region, a country, an organisation)."""
    name = _name(value)
    return plain(value) if name is None else f"{plain(value)} {name}"


def _mixed(result: Rollup, *, total: bool = False) -> str:
    """What stands for the money of groups that would add transaction types, or ``""``."""
    if not result.mixed_types or (not total and "transaction_type" in result.by):
        return ""
    return "types not added: " + ", ".join(kind.value for kind in result.mixed_types)


def _row_text(by: Sequence[str], group: Group, mixed: str = "") -> str:
    key = ", ".join(f"{name}={plain(value)}" for name, value in zip(by, group.key, strict=True))
    totals = "; ".join(str(m) for m in group.totals) or mixed or "no values"
    converted = "" if group.converted is None else f" = {group.converted}"
    if group.constant is not None:
        converted += f" ({group.constant} at constant prices)"
    items = f"{group.count} item{'' if group.count == 1 else 's'}"
    measured = "".join(f", {m.name} {_measure_text(m)}" for m in group.measures)
    return (
        f"{key + ': ' if key else ''}{items} ({group.unvalued} unvalued){measured}, "
        f"{totals}{converted}"
    )


def _measure_text(measure: Measure) -> str:
    """A measure's total with its unit, and how many items did not know it."""
    total = measure.total
    if total is None:
        text = "unknown"
    elif hasattr(total, "units"):
        text = f"{total.magnitude:,} {total.units}"
    else:
        text = f"{total:,}"
    return text if not measure.unknown else f"{text} ({measure.unknown} unknown)"
