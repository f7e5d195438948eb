"""Export cases as Arrow tables and Parquet datasets (extra ``columnar``).

Millions of rows belong in columns, not in Python objects. :func:`to_arrow` writes cases
as an Arrow table with the columns of :data:`citycoop.io.csv.COLUMNS`: amounts are exact
``decimal128`` values, value dates ``date32``, counts ``int64`` and every text column is
dictionary-encoded; :func:`from_arrow` reads such a table back into validated cases.
Parquet files written from these tables (``pyarrow.parquet.write_table``) are read the
same way by Spark, DuckDB or BigQuery; :func:`open_parquet` opens them for
:func:`citycoop.columnar.rollup`. The same functions are importable from
:mod:`citycoop.columnar`.

>>> import citycoop
>>> from citycoop.io import arrow
>>> table = arrow.to_arrow(citycoop.datasets.seoul().exports)
>>> table.num_rows, table.schema.field("value_amount").type
(15, Decimal128Type(decimal128(38, 0)))
>>> arrow.from_arrow(table) == citycoop.datasets.seoul().exports
True

.. versionadded:: 0.1.0
"""

# pyarrow and duckdb ship partial type information; the values they return are checked here.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false, reportUnknownParameterType=false, reportMissingTypeStubs=false, reportAttributeAccessIssue=false

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any, Final

from citycoop._core.errors import CsvError, ValidationError
from citycoop._core.extras import require
from citycoop._core.validation import Arguments
from citycoop.io._csv_texts import given_translations, translation_columns, translations_of
from citycoop.io.csv import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    WHOLE_COLUMNS,
    cases_from_cells,
    cells_of,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    import pyarrow as pa

    from citycoop._domain.exports import PolicyExport

require("columnar", __name__)

__all__ = ["from_arrow", "open_parquet", "to_arrow"]

FROM_ARROW: Final = Arguments("from_arrow")


def pyarrow_module() -> Any:
    """pyarrow, imported on first use, or an ``ImportError`` that names the extra."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - the extra is installed with the tests
        raise ImportError(
            'citycoop.io.arrow needs pyarrow: pip install "citycoop[columnar]"'
        ) from None
    return pa


def to_arrow(cases: Iterable[PolicyExport]) -> pa.Table:
    """An Arrow table of *cases*: one row a case, exact amounts, encoded text columns.

    The amount column's scale is the largest number of decimal places among the amounts,
    so every amount is stored exactly.
    """
    pa = pyarrow_module()
    columns: dict[str, list[Any]] = {column: [] for column in COLUMNS}
    versions: list[dict[str, str]] = []
    places = 0
    for case in cases:
        versions.append(translations_of(case))
        for column, cell in zip(COLUMNS, cells_of(case), strict=True):
            columns[column].append(cell or None)
        value = case.value
        amount = None if value is None else value.amount
        columns["value_amount"][-1] = amount
        if amount is not None:
            exponent = amount.as_tuple().exponent
            assert isinstance(exponent, int)
            places = max(places, -exponent)
        columns["value_date"][-1] = case.value_date
    for column in translation_columns(versions):
        columns[column] = [more.get(column) for more in versions]
    arrays: dict[str, Any] = {}
    for column, values in columns.items():
        if column == "value_amount":
            arrays[column] = pa.array(values, pa.decimal128(38, places))
        elif column == "value_date":
            arrays[column] = pa.array(values, pa.date32())
        elif column in WHOLE_COLUMNS:
            arrays[column] = pa.array([None if v is None else int(v) for v in values], pa.int64())
        elif any(value is not None for value in values):
            arrays[column] = pa.array(values, pa.string()).dictionary_encode()
        else:  # an all-null column stays plain text (DuckDB before 2.0 cannot group it)
            arrays[column] = pa.array(values, pa.string())
    return pa.table(arrays)


def check_schema(schema: pa.Schema, name: str = "<arrow>") -> None:
    """Refuse a schema whose columns :func:`from_arrow` cannot read exactly.

    Every column of :data:`citycoop.io.csv.COLUMNS` is there once (``language`` may be
    left out); ``value_amount`` is ``decimal128`` or an integer type (never a float),
    ``value_date`` a date, the whole number columns integers and the other columns text
    (plain or dictionary-encoded), translation columns (``policy@ko``) included.
    A column of nulls only (``pa.null()``) is always accepted.

    Raises:
        CsvError: listing each missing, repeated or mistyped column.
    """
    pa = pyarrow_module()
    types = pa.types
    names = schema.names
    missing = [c for c in COLUMNS if c not in names and c not in OPTIONAL_COLUMNS]
    if missing:
        raise CsvError(name, [f"missing columns {missing}"])
    problems = [f"column {c!r} is given twice" for c in COLUMNS if names.count(c) > 1]
    for column in (*COLUMNS, *given_translations(names, name)):
        kind = schema.field(column).type if names.count(column) == 1 else pa.null()
        if column == "value_amount":
            fits, expected = types.is_decimal128(kind) or types.is_integer(kind), _EXACT
        elif column == "value_date":
            fits, expected = types.is_date(kind), "a date (date32 or date64)"
        elif column in WHOLE_COLUMNS:
            fits, expected = types.is_integer(kind), "an integer type"
        else:
            value = kind.value_type if types.is_dictionary(kind) else kind
            fits = types.is_string(value) or types.is_large_string(value)
            expected = "text (string, large_string or a dictionary of strings)"
        if not (fits or types.is_null(kind)):
            problems.append(f"column {column!r} is {kind}; expected {expected}")
    if problems:
        raise CsvError(name, problems)


_EXACT = "an exact number type (decimal128 or an integer; never a float)"


def from_arrow(table: pa.Table) -> tuple[PolicyExport, ...]:
    """Cases back from a table shaped like :func:`to_arrow`'s, every row checked first.

    The table's schema is checked first: amounts are exact,
    dates are dates, whole numbers integers, text text.

    Raises:
        CsvError: naming each bad column, or each bad row and column (at most
            :data:`citycoop.io.csv.MAX_PROBLEMS`).
    """
    pa = pyarrow_module()
    if not isinstance(table, pa.Table):
        raise ValidationError(FROM_ARROW("table"), type(table).__name__, "a pyarrow.Table")
    check_schema(table.schema)
    names = table.schema.names
    columns = [*(c for c in COLUMNS if c in names), *given_translations(names, "<arrow>")]
    return cases_from_cells(labelled_rows(table.select(columns).to_batches()), "<arrow>")


def labelled_rows(
    batches: Iterable[pa.RecordBatch], rows: Callable[[pa.RecordBatch], Iterable[int]] | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """The cells of each row of *batches*, labelled ``row N`` (counted across batches).

    With *rows*, only the rows it names of each batch (indexes within the batch, in order).
    """
    pa = pyarrow_module()
    offset = 0
    for batch in batches:
        if rows is None:
            chosen: Iterable[int] = range(batch.num_rows)
            records = batch.to_pylist()
        else:
            chosen = list(rows(batch))
            records = batch.take(pa.array(chosen, pa.int64())).to_pylist() if chosen else []
        for index, record in zip(chosen, records, strict=True):
            cells = {column: _cell(value) for column, value in record.items()}
            yield f"row {offset + index}", cells
        offset += batch.num_rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def open_parquet(path: str | os.PathLike[str]) -> Any:
    """A Parquet file (or folder of files) as a ``pyarrow.dataset.Dataset`` to roll up.

    Nothing is read until :func:`citycoop.columnar.rollup` scans it, and then only the columns it needs.
    """
    pyarrow_module()
    import pyarrow.dataset as ds

    try:
        return ds.dataset(os.fspath(path), format="parquet")
    except (OSError, ValueError) as error:
        raise CsvError(os.fspath(path), [f"cannot be read as Parquet: {error}"]) from None
