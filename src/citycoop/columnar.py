"""Rollups over Arrow tables and Parquet files (extra ``columnar``).

The tables and files are those of :mod:`citycoop.io.arrow`
(:func:`~citycoop.io.arrow.to_arrow`, :func:`~citycoop.io.arrow.from_arrow` and
:func:`~citycoop.io.arrow.open_parquet`, importable from here too). :func:`rollup` rolls
up a table, or a Parquet file opened with :func:`~citycoop.io.arrow.open_parquet`,
without building a Python object per row: DuckDB sums the amounts exactly per group,
recipient, currency and rate bucket, and citycoop converts and rounds those subtotals
as :func:`citycoop.rollup` does, so the result is the same :class:`~citycoop.Rollup`,
with the same rates and the same list of what no rate served.

>>> import citycoop
>>> from citycoop import columnar
>>> table = columnar.to_arrow(citycoop.datasets.seoul().exports)
>>> table.num_rows, table.schema.field("value_amount").type
(15, Decimal128Type(decimal128(38, 0)))
>>> columnar.from_arrow(table) == citycoop.datasets.seoul().exports
True
>>> columnar.rollup(table, by="country").total.count
15

.. versionadded:: 0.1.0
"""

# pyarrow and duckdb ship partial type information; the values they return are checked here.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false, reportUnknownParameterType=false, reportMissingTypeStubs=false, reportAttributeAccessIssue=false

from __future__ import annotations

import datetime as dt
import decimal
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from citycoop._core.decimals import EXACT
from citycoop._core.errors import CsvError, ValidationError, show_value
from citycoop._core.extras import require
from citycoop._core.places import CITY_COLUMNS, City, Coordinates
from citycoop._core.validation import Arguments
from citycoop._domain.exports import ExportStatus
from citycoop._fx.rates import NARROWEST, RatePolicy
from citycoop._rollup.keys import COLUMNAR_KEYS
from citycoop.io.csv import COLUMNS

if TYPE_CHECKING:
    from citycoop._fx.table import RateTable
    from citycoop._rollup.keys import KeyName
    from citycoop._rollup.result import Rollup


require("columnar", __name__)

# After the check, so that a missing extra is named for this module.
from citycoop.io.arrow import from_arrow, open_parquet, pyarrow_module, to_arrow  # noqa: E402

__all__ = ["KEYS", "from_arrow", "open_parquet", "rollup", "to_arrow"]

#: The ``by`` keys a columnar rollup groups by.
KEYS: Final = COLUMNAR_KEYS
#: The arguments of :func:`rollup`, for the paths in its errors.
WHERE: Final = Arguments("columnar.rollup")

_CITY: Final = tuple(f"recipient_{column}" for column in CITY_COLUMNS)


class _SummedRow:
    """The cases one DuckDB row sums, as the rollup engine reads them: the attributes its keys read."""

    __slots__ = ("recipient", "status", "year")

    def __init__(self, recipient: City, year: int | None, status: ExportStatus | None) -> None:
        self.recipient = recipient
        self.year = year
        self.status = status


def rollup(
    source: Any,
    by: KeyName | tuple[KeyName, ...] | list[KeyName] = (),
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    on: dt.date | str = "value_date",
    policy: RatePolicy = NARROWEST,
    missing: Literal["raise", "omit"] = "raise",
    threads: int = 1,
) -> Rollup:
    """:func:`citycoop.rollup` over an Arrow table or an opened Parquet dataset.

    Gives the same :class:`~citycoop.Rollup` as ``citycoop.rollup(from_arrow(source),
    ...)`` for the keys in :data:`KEYS`, with DuckDB summing the rows on *threads*
    threads. Cases that name a ``parent`` need the hierarchy check of
    :func:`citycoop.rollup`, and focus-area, funding and funder keys may split a case:
    both are refused here, with a :class:`~citycoop.ValidationError`.
    """
    from citycoop._rollup.engine import new_run

    names = (by,) if isinstance(by, str) else tuple(by)
    for index, name in enumerate(names):
        if name not in KEYS:
            raise ValidationError(WHERE("by", index), name, f"one of {', '.join(KEYS)}")
    run = new_run(
        names, currency=currency, rates=rates, on=on, policy=policy, missing=missing, where=WHERE
    )
    connection = _connect(source, threads)
    parents = connection.execute("SELECT count(parent) FROM cases").fetchone()
    if parents is not None and parents[0]:
        raise ValidationError(
            WHERE("source"),
            f"{parents[0]} cases with a parent",
            "cases without parent (use citycoop.rollup on the objects for hierarchies)",
        )
    rows = _subtotals(connection, "year" if run.annual else "day" if run.per_item else "none")
    if run.annual:
        # A year no rate serves is summed day by day, so that each unconverted day is
        # listed as citycoop.rollup lists it.
        unserved = sorted(pair for pair in _pairs(rows) if not run.year_served(*pair))
        if unserved:
            rows = [
                r
                for r in rows
                if r[-5] is None or r[-4] is None or (r[-5], r[-4].year) not in unserved
            ]
            rows += _subtotals(connection, "day", only=unserved)
    with decimal.localcontext(EXACT):  # sums of bounded amounts never round
        cities: dict[tuple[Any, ...], City] = {}
        for row in rows:
            *city_cells, year, status, code, day, count, unvalued, amount = row
            city = cities.get(tuple(city_cells))
            if city is None:
                city = cities[tuple(city_cells)] = _city(city_cells)
            run.add_subtotal(
                _SummedRow(city, year, None if status is None else ExportStatus(status)),
                count=count,
                unvalued=unvalued,
                currency=code,
                day=day,
                amount=amount,
            )
        return run.result()


def _pairs(rows: list[tuple[Any, ...]]) -> set[tuple[str, int]]:
    """The (currency, year) pairs of valued subtotals."""
    return {(row[-5], row[-4].year) for row in rows if row[-5] is not None and row[-4]}


def _connect(source: Any, threads: int) -> Any:
    pa = pyarrow_module()
    import duckdb
    import pyarrow.dataset as ds

    if not isinstance(source, pa.Table | ds.Dataset):
        raise ValidationError(
            WHERE("source"), type(source).__name__, "a pyarrow.Table or open_parquet(path)"
        )
    absent = [c for c in COLUMNS if c not in source.schema.names]
    if absent:
        raise CsvError("<arrow>", [f"missing columns {absent}"])
    if type(threads) is not int or threads < 1:
        raise ValidationError(WHERE("threads"), threads, "a whole number of at least 1")
    connection = duckdb.connect(config={"threads": threads})
    if isinstance(source, ds.FileSystemDataset) and isinstance(source.format, ds.ParquetFileFormat):
        # DuckDB's own Parquet reader is about twice as fast as scanning through Arrow.
        connection.read_parquet(list(source.files)).create_view("cases")
    else:
        connection.register("cases", _groupable(source))
    return connection


def _groupable(table: Any) -> Any:
    """*table* with each all-null dictionary column as plain text.

    DuckDB releases before 2.0 crash when grouping by such a column.
    """
    pa = pyarrow_module()
    if not isinstance(table, pa.Table):
        return table
    for index, field in enumerate(table.schema):
        column = table.column(index)
        if pa.types.is_dictionary(field.type) and column.null_count == len(column):
            table = table.set_column(index, field.name, pa.nulls(len(column), pa.string()))
    return table


def _subtotals(
    connection: Any, bucket: str, only: list[tuple[str, int]] | None = None
) -> list[tuple[Any, ...]]:
    """Exact sums and counts per recipient, year, status, currency and rate bucket.

    *bucket* is ``"day"`` (the value date), ``"year"`` (a representative day of the
    value date's year: its first) or ``"none"`` (a fixed conversion date).
    """
    day = {
        "day": "value_date",
        "year": "min(value_date)",
        "none": "NULL::DATE",
    }[bucket]
    group = {"day": ", value_date", "year": ", year(value_date)", "none": ""}[bucket]
    # The currency codes come from the data: they are passed as parameters, never spliced.
    pairs = only or []
    where = " OR ".join(["(value_currency = ? AND year(value_date) = ?)"] * len(pairs))
    query = f"""
        SELECT {", ".join(_CITY)}, year, status, value_currency, {day},
               count(*), count(*) - count(value_amount), sum(value_amount)
        FROM cases {f"WHERE {where}" if where else ""}
        GROUP BY {", ".join(_CITY)}, year, status, value_currency{group}
    """  # noqa: S608 - fixed column names and placeholders only
    parameters = [value for pair in pairs for value in pair]
    return [tuple(row) for row in connection.execute(query, parameters).fetchall()]


def _city(cells: list[Any]) -> City:
    name, country, timezone, population, latitude, longitude, geonames_id = cells
    coordinates = None
    if latitude is not None or longitude is not None:
        coordinates = Coordinates(cast("Any", latitude), longitude)
    try:
        return City(
            name,
            country,
            timezone,
            population=population,
            coordinates=coordinates,
            geonames_id=geonames_id,
        )
    except ValidationError as error:
        raise CsvError("<arrow>", [f"recipient {show_value(name)}: {error}"]) from None
