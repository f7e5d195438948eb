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
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, NoReturn, cast

from citycoop._core.currencies import normalize_currency
from citycoop._core.decimals import EXACT
from citycoop._core.errors import CitycoopError, CsvError, ValidationError
from citycoop._core.extras import require
from citycoop._core.money import MAX_ADJUSTED_EXPONENT, MAX_DECIMAL_PLACES
from citycoop._core.places import CITY_COLUMNS, City, Coordinates
from citycoop._core.validation import Arguments
from citycoop._domain.exports import ExportStatus
from citycoop._fx.rates import DEFAULT_POLICY, RatePolicy
from citycoop._rollup.keys import COLUMNAR_KEYS
from citycoop.io.csv import WHOLE_COLUMNS, cases_from_cells

if TYPE_CHECKING:
    from collections.abc import Mapping

    from distributed import Client

    from citycoop._domain.focus import FocusArea
    from citycoop._fx.table import RateTable
    from citycoop._prices.deflate import Method
    from citycoop._prices.index import PriceIndex
    from citycoop._rollup.keys import KeyName
    from citycoop._rollup.result import Rollup


require("columnar", __name__)

# After the check, so that a missing extra is named for this module.
from citycoop.io._dataset_rollup import BUDGET_KEYS as _BUDGET_KEYS  # noqa: E402
from citycoop.io._dataset_rollup import GLOB, MOST_THREADS, rollup_dataset  # noqa: E402
from citycoop.io._dataset_rollup import TRANSACTION_KEYS as _TRANSACTION_KEYS  # noqa: E402
from citycoop.io._dataset_rollup import DatasetKey as _DatasetKey  # noqa: E402
from citycoop.io.arrow import (  # noqa: E402
    check_schema,
    from_arrow,
    labelled_rows,
    open_parquet,
    pyarrow_module,
    to_arrow,
)

__all__ = [
    "BUDGET_KEYS",
    "KEYS",
    "MAX_THREADS",
    "TRANSACTION_KEYS",
    "DatasetKey",
    "from_arrow",
    "open_parquet",
    "rollup",
    "rollup_budgets",
    "rollup_transactions",
    "to_arrow",
]

#: The ``by`` keys a columnar rollup groups by.
KEYS: Final = COLUMNAR_KEYS
#: The ``by`` keys :func:`rollup_transactions` groups by.
TRANSACTION_KEYS: Final = _TRANSACTION_KEYS
#: The ``by`` keys :func:`rollup_budgets` groups by (a budget has no transaction type).
BUDGET_KEYS: Final = _BUDGET_KEYS
#: The arguments of :func:`rollup`, for the paths in its errors.
WHERE: Final = Arguments("columnar.rollup")

_CITY: Final = tuple(f"recipient_{column}" for column in CITY_COLUMNS)
#: A case's status as the readers see it: blank is none, and none is completed.
_STATUS: Final = "coalesce(nullif(status, ''), 'completed')"
_WHOLE: Final = WHOLE_COLUMNS


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
    policy: RatePolicy = DEFAULT_POLICY,
    missing: Literal["raise", "omit"] = "raise",
    threads: int = 1,
) -> Rollup:
    """:func:`citycoop.rollup` over an Arrow table or an opened Parquet dataset.

    Gives the same :class:`~citycoop.Rollup` as ``citycoop.rollup(from_arrow(source),
    ...)`` for the keys in :data:`KEYS`, with DuckDB summing the rows on *threads*
    threads (1 to :data:`MAX_THREADS`). Cases that name a ``parent`` need the hierarchy
    check of :func:`citycoop.rollup`, and focus-area, funding and funder keys may split
    a case: both are refused here, with a :class:`~citycoop.ValidationError`.

    The columns a rollup reads (status, year, value date, amount, currency, recipient)
    are checked as :func:`~citycoop.io.arrow.from_arrow` checks them, and a bad row
    raises the same :class:`~citycoop.CsvError`, naming it as ``row N``; the other
    columns are not read.
    """
    from citycoop._rollup.start import new_run

    names = (by,) if isinstance(by, str) else tuple(by)
    for index, name in enumerate(names):
        if name not in KEYS:
            raise ValidationError(WHERE("by", index), name, f"one of {', '.join(KEYS)}")
    run = new_run(
        names, currency=currency, rates=rates, on=on, policy=policy, missing=missing, where=WHERE
    )
    connection = _connect(source, threads)
    parents = connection.execute("SELECT count(nullif(parent, '')) FROM cases").fetchone()
    if parents is not None and parents[0]:
        raise ValidationError(
            WHERE("source"),
            f"{parents[0]} cases with a parent",
            "cases without parent (use citycoop.rollup on the objects for hierarchies)",
        )
    _prepare(connection, source.schema)
    # The status is summed by only where it is a key; else its distinct values are read
    # apart (a column scan, far cheaper than one more key to group by).
    keyed = "status" in names
    bucket = "year" if run.annual else "day" if run.per_item else "none"
    rows = _subtotals(connection, bucket, status=keyed)
    judged = _Judged(rows)
    if not keyed:
        judged.judge_statuses(connection)
    if judged.bad:
        _refuse(source, judged)
    if run.annual:
        # A year no rate serves is summed day by day, so that each unconverted day is
        # listed as citycoop.rollup lists it.
        unserved = sorted(
            (raw, day.year)
            for raw, day in {(r[-6], r[-5]) for r in rows if r[-6] is not None and r[-5]}
            if not run.year_served(judged.codes[raw], day.year)
        )
        if unserved:
            rows = [
                r
                for r in rows
                if r[-6] is None or r[-5] is None or (r[-6], r[-5].year) not in unserved
            ]
            rows += _subtotals(connection, "day", only=unserved, status=keyed)
    with decimal.localcontext(EXACT):  # sums of bounded amounts never round
        for row in rows:
            *city_cells, year, status, code, day, count, unvalued, amount, _ = row
            run.add_subtotal(
                _SummedRow(judged.cities[tuple(city_cells)], year, judged.statuses.get(status)),
                count=count,
                unvalued=unvalued,
                currency=None if code is None else judged.codes[code],
                day=day,
                amount=amount,
            )
        return run.result()


def rollup_transactions(
    dataset: str | os.PathLike[str],
    by: DatasetKey | tuple[DatasetKey, ...] | list[DatasetKey] = (),
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    on: dt.date | str = "value_date",
    policy: RatePolicy = DEFAULT_POLICY,
    missing: Literal["raise", "omit"] = "raise",
    prices: PriceIndex | None = None,
    base_year: int | None = None,
    method: Method = "deflate_then_convert",
    economy: str | None = None,
    vocabulary: str = "1",
    focus_areas: Mapping[str, FocusArea | str] | None = None,
    threads: int = 1,
    client: Client | None = None,
) -> Rollup:
    """:func:`citycoop.rollup` of the transactions of a dataset :func:`~citycoop.io.ingest.ingest` wrote.

    Gives the totals, counts and rates that ``citycoop.rollup(transaction_records(
    activities), ...)`` gives for the same activities, with the same arguments (see
    :func:`citycoop.rollup`; *vocabulary* and *focus_areas* as for
    :func:`~citycoop.transaction_records`): DuckDB sums the rows on *threads* threads,
    and a row that a key splits over several countries or sectors is allocated exactly
    as the object path allocates it. Transactions of several types are never added
    together: group by ``"transaction_type"`` or the rollup refuses them.

    With a Dask *client* (a ``distributed.Client``, extra ``dask``), the partitions are
    summed by tasks on the cluster (a few a worker thread) and the partial sums are added
    up exactly here: the result is the same. The workers must see the dataset under the same path.

    The keys are those of :data:`TRANSACTION_KEYS`. A dataset keeps no locations, so a
    recipient is its country (an activity's one city is not known, and ``"city"`` is
    refused), and an organisation is the reporting organisation's ``ref``, name (its
    original text) and type.

    Raises:
        ValidationError: a bad argument, or a folder that is not an ingested dataset.
        DataFileError: a row the dataset should not hold (an unknown currency or code,
            two budgets of one kind for one period).

    .. versionadded:: 0.1.0
    """
    return rollup_dataset(
        dataset,
        "transactions",
        by,
        currency=currency,
        rates=rates,
        on=on,
        policy=policy,
        missing=missing,
        prices=prices,
        base_year=base_year,
        method=method,
        economy=economy,
        vocabulary=vocabulary,
        focus_areas=focus_areas,
        threads=threads,
        client=client,
        where=_TRANSACTIONS,
    )


def rollup_budgets(
    dataset: str | os.PathLike[str],
    by: DatasetKey | tuple[DatasetKey, ...] | list[DatasetKey] = (),
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    on: dt.date | str = "value_date",
    policy: RatePolicy = DEFAULT_POLICY,
    missing: Literal["raise", "omit"] = "raise",
    prices: PriceIndex | None = None,
    base_year: int | None = None,
    method: Method = "deflate_then_convert",
    economy: str | None = None,
    vocabulary: str = "1",
    focus_areas: Mapping[str, FocusArea | str] | None = None,
    threads: int = 1,
    client: Client | None = None,
) -> Rollup:
    """:func:`citycoop.rollup` of the budgets of a dataset :func:`~citycoop.io.ingest.ingest` wrote.

    As :func:`rollup_transactions`, for ``citycoop.rollup(activity_budget_records(
    activities), ...)``: per activity and period the revised budget counts where one
    exists, else the original, each valued at its value date (else its period's first
    day) and counted in the year its period starts. The keys are those of
    :data:`BUDGET_KEYS`.

    .. versionadded:: 0.1.0
    """
    return rollup_dataset(
        dataset,
        "budgets",
        by,
        currency=currency,
        rates=rates,
        on=on,
        policy=policy,
        missing=missing,
        prices=prices,
        base_year=base_year,
        method=method,
        economy=economy,
        vocabulary=vocabulary,
        focus_areas=focus_areas,
        threads=threads,
        client=client,
        where=_BUDGETS,
    )


_TRANSACTIONS: Final = Arguments("columnar.rollup_transactions")
_BUDGETS: Final = Arguments("columnar.rollup_budgets")
#: A key a rollup of an ingested dataset groups by (one of :data:`TRANSACTION_KEYS`).
DatasetKey = _DatasetKey

#: The most threads :func:`rollup` asks DuckDB for.
MAX_THREADS: Final = MOST_THREADS


def _connect(source: Any, threads: int) -> Any:
    pa = pyarrow_module()
    import duckdb
    import pyarrow.dataset as ds
    import pyarrow.fs

    if not isinstance(source, pa.Table | ds.Dataset):
        raise ValidationError(
            WHERE("source"), type(source).__name__, "a pyarrow.Table or open_parquet(path)"
        )
    check_schema(source.schema)
    if type(threads) is not int or not 1 <= threads <= MAX_THREADS:
        raise ValidationError(WHERE("threads"), threads, f"a whole number from 1 to {MAX_THREADS}")
    connection = duckdb.connect(config={"threads": threads})
    if (
        isinstance(source, ds.FileSystemDataset)
        and isinstance(source.format, ds.ParquetFileFormat)
        and isinstance(source.filesystem, pyarrow.fs.LocalFileSystem)
    ):
        files = [str(Path(name).absolute()) for name in source.files]
        if not any(GLOB.intersection(name) for name in files):
            # DuckDB's own Parquet reader is about twice as fast as scanning through Arrow;
            # it reads a name as a pattern, so names with pattern characters go through Arrow.
            connection.read_parquet(files).create_view("cases")
            return connection
    connection.register("cases", _groupable(source))
    return connection


def _prepare(connection: Any, schema: Any) -> None:
    """The view ``checked``: the cases as the readers see their cells, and ``suspect``.

    A blank text is no text, the status defaults to completed, a missing year is the
    value date's, and ``suspect`` marks a row that breaks a rule of the columns read
    (a value without a currency or the reverse, a year outside 1900 to 2200 or not the
    value date's, an amount with more than 12 decimal places or of 10**21 or more).
    """
    pa = pyarrow_module()
    amount = schema.field("value_amount").type
    rules = [
        "(value_amount IS NULL) <> (value_currency IS NULL)",
        "year NOT BETWEEN 1900 AND 2200",
        "year <> year(value_date)",
    ]
    if pa.types.is_decimal(amount):
        if amount.scale > MAX_DECIMAL_PLACES:  # from_arrow reads each such amount's places
            rules.append("value_amount IS NOT NULL")
        if amount.precision - amount.scale > MAX_ADJUSTED_EXPONENT + 1:
            limit = f"CAST('1{'0' * (MAX_ADJUSTED_EXPONENT + 1)}' AS DECIMAL({amount.precision}, {amount.scale}))"
            rules.append(f"abs(value_amount) >= {limit}")
    texts = ", ".join(f"nullif({c}, '') AS {c}" for c in _CITY if c not in _WHOLE)
    connection.execute(
        f"""
        CREATE VIEW read AS SELECT * REPLACE (
            {texts},
            {_STATUS} AS status,
            nullif(value_currency, '') AS value_currency,
            CAST(value_date AS DATE) AS value_date,
            coalesce(year, year(CAST(value_date AS DATE))) AS year
        ) FROM cases
        """  # noqa: S608 - fixed column names only
    )
    connection.execute(
        f"""
        CREATE VIEW checked AS SELECT *, coalesce({" OR ".join(f"({r})" for r in rules)}, false)
            AS suspect FROM read
        """  # noqa: S608 - fixed column names only
    )


class _Judged:
    """The distinct currencies, statuses and recipients of the subtotals, judged once."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.codes: dict[str, str] = {}
        self.cities: dict[tuple[Any, ...], City] = {}
        # Insertion-ordered sets: each bad value once, looked up in constant time.
        self.bad_codes: dict[str, None] = {}
        self.bad_statuses: dict[str, None] = {}
        self.bad_cities: dict[tuple[Any, ...], None] = {}
        self.suspects = 0
        self.statuses: dict[str, ExportStatus] = {}
        for row in rows:
            *city_cells, _, status, code, _, _, _, _, suspects = row
            self.suspects += suspects
            if code is not None and code not in self.codes and code not in self.bad_codes:
                try:
                    self.codes[code] = normalize_currency(code)
                except CitycoopError:
                    self.bad_codes[code] = None
            if status is not None:  # None: not summed by (judge_statuses)
                self.judge_status(status)
            cells = tuple(city_cells)
            if cells not in self.cities and cells not in self.bad_cities:
                city = _city(cells)
                if city is None:
                    self.bad_cities[cells] = None
                else:
                    self.cities[cells] = city

    def judge_status(self, status: str) -> None:
        if status not in self.statuses and status not in self.bad_statuses:
            try:
                self.statuses[status] = ExportStatus.parse(status)
            except CitycoopError:
                self.bad_statuses[status] = None

    def judge_statuses(self, connection: Any) -> None:
        """Judge the distinct statuses of the cases, as the view ``read`` gives them."""
        query = f"SELECT {_STATUS} FROM (SELECT DISTINCT status FROM cases) ORDER BY 1"  # noqa: S608 - fixed column names only
        for (status,) in connection.execute(query).fetchall():
            self.judge_status(status)

    @property
    def bad(self) -> bool:
        return bool(self.suspects or self.bad_codes or self.bad_statuses or self.bad_cities)


def _refuse(source: Any, judged: _Judged) -> NoReturn:
    """Raise the :class:`~citycoop.CsvError` that ``from_arrow`` raises for the bad rows.

    The rows are found batch by batch in the source's order and checked by the same
    code as :func:`~citycoop.io.arrow.from_arrow`, so each is named ``row N`` as there.
    """
    pa = pyarrow_module()
    import duckdb

    cities = pa.table(
        {c: [cells[i] for cells in judged.bad_cities] for i, c in enumerate(_CITY)},
        schema=pa.schema([(c, pa.int64() if c in _WHOLE else pa.string()) for c in _CITY]),
    )
    same = " AND ".join(f"b.{c} IS NOT DISTINCT FROM checked.{c}" for c in _CITY)
    query = f"""
        SELECT __row FROM checked
        WHERE suspect OR list_contains(?::VARCHAR[], value_currency)
           OR list_contains(?::VARCHAR[], status)
           OR EXISTS (SELECT 1 FROM bad_cities b WHERE {same})
        ORDER BY __row
    """  # noqa: S608 - fixed column names and placeholders only
    parameters = [list(judged.bad_codes), list(judged.bad_statuses)]

    def bad_rows(batch: Any) -> list[int]:
        connection = duckdb.connect(config={"threads": 1})
        numbered = pa.Table.from_batches([batch]).append_column(
            "__row", pa.array(range(batch.num_rows), pa.int64())
        )
        connection.register("cases", _groupable(numbered))
        connection.register("bad_cities", cities)
        _prepare(connection, source.schema)
        return [row[0] for row in connection.execute(query, parameters).fetchall()]

    if isinstance(source, pa.Table):
        batches = source.to_batches()
    else:
        batches = source.to_batches(use_threads=False)
    cases_from_cells(labelled_rows(batches, bad_rows), "<arrow>")
    # Every rule above is one the readers apply, so the rows it found raised just now;
    # were one to pass, the rollup stops rather than sum what it judged bad.
    judged_bad = [*judged.bad_codes, *judged.bad_statuses, *map(str, judged.bad_cities)]
    raise CsvError(
        "<arrow>",
        [f"{judged.suspects} rows and the values {judged_bad[:5]} were judged bad, yet read"],
    )


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
    connection: Any, bucket: str, only: list[tuple[str, int]] | None = None, *, status: bool
) -> list[tuple[Any, ...]]:
    """Exact sums and counts per recipient, year, status, currency and rate bucket.

    *bucket* is ``"day"`` (the value date), ``"year"`` (a representative day of the
    value date's year: its first) or ``"none"`` (a fixed conversion date). Without
    *status*, the status column is ``NULL`` and not summed by. The last column counts
    the suspect rows among those summed.
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
        SELECT {", ".join(_CITY)}, year, {"status" if status else "NULL"}, value_currency,
               {day}, count(*), count(*) - count(value_amount), sum(value_amount),
               count(*) FILTER (WHERE suspect)
        FROM checked {f"WHERE {where}" if where else ""}
        GROUP BY {", ".join(_CITY)}, year, {"status, " if status else ""}value_currency{group}
    """  # noqa: S608 - fixed column names and placeholders only
    parameters = [value for pair in pairs for value in pair]
    return [tuple(row) for row in connection.execute(query, parameters).fetchall()]


def _city(cells: tuple[Any, ...]) -> City | None:
    """The recipient the cells describe, or ``None`` if they describe none."""
    name, country, timezone, population, latitude, longitude, geonames_id = cells
    try:
        coordinates = None
        if latitude is not None or longitude is not None:
            coordinates = Coordinates(cast("Any", latitude), longitude)
        return City(
            name,
            country,
            timezone,
            population=population,
            coordinates=coordinates,
            geonames_id=geonames_id,
        )
    except CitycoopError:
        return None
