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
from typing import TYPE_CHECKING, Any, Final

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
from citycoop.io.csv import MAX_PROBLEMS, CellError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["Row", "each_row", "read_rows"]

#: One frame row as the scalar functions take it: its label and its cells, or ``None``
#: for a row without an amount (its results are gaps).
Row = tuple[object, Money | None, object]


def is_gap(pd: Any, value: Any) -> bool:
    """Whether a frame cell is missing: ``None``, ``pd.NA``, ``pd.NaT`` or a float NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return bool(pd.api.types.is_float(value) and value != value)  # noqa: PLR0124 - NaN


#: Why a float amount is refused, wherever a frame gives one.
FLOAT_AMOUNT: Final = (
    "is a float, and amounts are exact: hold them as Decimal values, whole numbers or text"
)


def day_cell(pd: Any, value: Any, column: str) -> dt.date | str:
    """A frame cell as a day: a date, a timestamp at midnight without a zone, or ISO text.

    Raises:
        CellError: naming *column*, for anything else (a number such as ``20210115``).
    """
    if getattr(getattr(value, "dtype", None), "kind", None) == "M":  # numpy.datetime64
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):  # pandas' Timestamp included
        if value.time() != dt.time() or value.tzinfo is not None:
            raise CellError(column, f"{show_value(str(value))} is not a day")
        return value.date()
    if isinstance(value, dt.date | str):
        return value
    raise CellError(
        column, f"{show_value(value)} is a {type(value).__name__}; expected a date or ISO text"
    )


def _amount(pd: Any, value: Any, column: str) -> Decimal | None:
    if is_gap(pd, value):
        return None
    if pd.api.types.is_float(value):
        raise CellError(column, f"{value!r} {FLOAT_AMOUNT}")
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        if not pd.api.types.is_integer(value):  # numpy integers are whole numbers
            raise CellError(column, f"{show_value(value)} is not an amount")
        value = int(value)
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise CellError(column, f"{show_value(value)} is not a number") from None
    if not number.is_finite():
        raise CellError(column, f"{show_value(value)} is not a finite amount")
    return number


def _money(pd: Any, number: Decimal, code: Any, column: str) -> Money:
    if is_gap(pd, code):
        raise CellError(column, "no currency for an amount")
    if not isinstance(code, str):
        raise CellError(column, f"{show_value(code)} is not a currency")
    try:
        return Money(number, code)
    except CitycoopError as error:
        raise CellError(column, str(error)) from None


def _date(pd: Any, value: Any, column: str) -> object:
    if is_gap(pd, value):
        raise CellError(column, "no date for an amount")
    return day_cell(pd, value, column)


def _year(pd: Any, value: Any, column: str) -> object:
    if is_gap(pd, value):
        raise CellError(column, "no year for an amount")
    if pd.api.types.is_float(value):
        if not float(value).is_integer():
            raise CellError(column, f"{value!r} is not a year")
        return int(value)
    if isinstance(value, str):
        try:
            return whole_text(value.strip(), column)
        except CitycoopError as error:
            raise CellError(column, str(error)) from None
    if pd.api.types.is_integer(value) and not isinstance(value, bool):
        return int(value)
    raise CellError(column, f"{show_value(value)} is not a year")


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
    :class:`~citycoop.CsvError` naming each bad row and its column (``row 3, column
    'currency': ...``), as ``exports_from_frame`` names them; checking stops after
    :data:`~citycoop.io.csv.MAX_PROBLEMS` bad rows (``CsvError.stopped``).
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
            rows.append((label, _money(pd, number, code, currency), reader(pd, moment, when)))
        except CellError as error:
            problems.append(f"row {show_value(label)}, column {error.column!r}: {error}")
            if len(problems) >= MAX_PROBLEMS:
                raise CsvError("<frame>", problems, stopped=True) from None
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
