"""Converting and deflating columns of a pandas frame (see :func:`citycoop.io.frames.convert_frame`).

Each row is read as :func:`citycoop.convert` or :func:`citycoop.deflate` would take it
(an exact amount, its currency, its date or year), every row is checked before any is
converted, and the results are those functions' own, rounded once per row.
"""

# pandas ships no type information of its own (pandas-stubs is a separate project).
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from citycoop._core.errors import (
    CitycoopError,
    CsvError,
    MissingPriceError,
    MissingRateError,
    ValidationError,
    show_value,
)
from citycoop._core.money import Money
from citycoop._core.validation import Arguments, whole_text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["Row", "each_row", "read_rows"]

#: One frame row as the scalar functions take it: its label and its cells, or ``None``
#: for a row without an amount (its results are gaps).
Row = tuple[object, Money | None, object]


def _amount(pd: Any, value: Any, column: str) -> Decimal | None:
    if value is None or value is pd.NA:
        return None
    if pd.api.types.is_float(value):
        if value != value:  # noqa: PLR0124 - NaN, pandas' gap in a float column
            return None
        raise CitycoopError(
            f"column {column!r}: {value!r} is a float, and amounts are exact: "
            "hold them as Decimal values, whole numbers or text"
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        if not pd.api.types.is_integer(value):  # numpy integers are whole numbers
            raise CitycoopError(f"column {column!r}: {show_value(value)} is not an amount")
        value = int(value)
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise CitycoopError(f"column {column!r}: {show_value(value)} is not a number") from None
    if not number.is_finite():
        raise CitycoopError(f"column {column!r}: {show_value(value)} is not a finite amount")
    return number


def _code(pd: Any, value: Any, column: str) -> str:
    if value is None or value is pd.NA or (pd.api.types.is_float(value) and value != value):  # noqa: PLR0124
        raise CitycoopError(f"column {column!r}: no currency for an amount")
    if not isinstance(value, str):
        raise CitycoopError(f"column {column!r}: {show_value(value)} is not a currency")
    return value


def _date(pd: Any, value: Any, column: str) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        raise CitycoopError(f"column {column!r}: no date for an amount")
    if getattr(getattr(value, "dtype", None), "kind", None) == "M":  # numpy.datetime64
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):  # pandas' Timestamp included
        if value.time() != dt.time() or value.tzinfo is not None:
            raise CitycoopError(f"column {column!r}: {show_value(str(value))} is not a day")
        return value.date()
    if isinstance(value, dt.date | str):
        return value
    raise CitycoopError(f"column {column!r}: {show_value(value)} is not a date or ISO text")


def _year(pd: Any, value: Any, column: str) -> object:
    if value is None or value is pd.NA:
        raise CitycoopError(f"column {column!r}: no year for an amount")
    if pd.api.types.is_float(value):
        if value != value or not float(value).is_integer():  # noqa: PLR0124 - NaN
            raise CitycoopError(f"column {column!r}: {value!r} is not a year")
        return int(value)
    if isinstance(value, str):
        return whole_text(value.strip(), column)
    if pd.api.types.is_integer(value) and not isinstance(value, bool):
        return int(value)
    raise CitycoopError(f"column {column!r}: {show_value(value)} is not a year")


def read_rows(
    pd: Any,
    frame: Any,
    *,
    where: Arguments,
    amount: str,
    currency: str,
    when: str,
    kind: str,
) -> list[Row]:
    """Every row as ``(label, money or None, date or year)``, all checked first.

    *kind* is ``"date"`` or ``"year"``: what the *when* column holds. Problems are one
    :class:`~citycoop.CsvError` naming each bad row (``<frame>``, ``row 3: ...``).
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError(where("frame"), type(frame).__name__, "a pandas.DataFrame")
    missing = [c for c in (amount, currency, when) if c not in frame.columns]
    if missing:
        raise CsvError("<frame>", [f"missing columns {missing}"])
    reader: Callable[[Any, Any, str], object] = _date if kind == "date" else _year
    rows: list[Row] = []
    problems: list[str] = []
    for label, value, code, moment in zip(
        frame.index, frame[amount], frame[currency], frame[when], strict=True
    ):
        try:
            number = _amount(pd, value, amount)
            if number is None:
                rows.append((label, None, None))
                continue
            rows.append((label, Money(number, _code(pd, code, currency)), reader(pd, moment, when)))
        except CitycoopError as error:
            problems.append(f"row {show_value(label)}: {error}")
    if problems:
        raise CsvError("<frame>", problems)
    return rows


def each_row(rows: list[Row], convert: Callable[[Money, object], Any]) -> Iterator[Any]:
    """*convert* of each valued row (``None`` for the others); a missing rate names its row."""
    for label, money, moment in rows:
        if money is None:
            yield None
            continue
        try:
            yield convert(money, moment)
        except MissingRateError as error:
            reason = f"row {show_value(label)}" + (f": {error.reason}" if error.reason else "")
            raise MissingRateError(error.base, error.quote, error.on, reason) from None
        except MissingPriceError as error:
            reason = f"row {show_value(label)}" + (f": {error.reason}" if error.reason else "")
            raise MissingPriceError(error.index, error.economy, error.year, reason) from None
