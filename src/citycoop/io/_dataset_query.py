"""The DuckDB side of a rollup of an ingested dataset: exact sums of the rows alike.

A :class:`Query` says what the groups are keyed by; :func:`groups` runs it over some
of the table's files (all of them, or some partitions in a Dask task) and returns its
groups as plain tuples: the key cells, then the split value (or ``None``), the count,
the count without value and the exact sum. :func:`combined` adds up the groups of
several runs exactly, so partitions summed apart give what one run over all gives.
"""

# duckdb ships partial type information; the values it returns are checked by the caller.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false

from __future__ import annotations

import decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from citycoop._core.decimals import EXACT
from citycoop._core.errors import DataFileError

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["KEY_CELLS", "Query", "combined", "groups"]

#: The key cells at the start of every group, in order.
KEY_CELLS = 11
_ACTIVITY = (
    ", a.status, a.reporting_org_ref, a.reporting_org_name, a.reporting_org_name_language,"
    " a.reporting_org_type"
)


class Query(NamedTuple):
    """What a rollup's groups are keyed by (picklable: a Dask task carries it)."""

    table: str
    sectors: bool
    activity: bool
    per_item: bool
    dataset: str

    def columns(self) -> list[str]:
        """The key cells, in the order the stand-in records read them."""
        budget = self.table == "budgets"
        day = "coalesce(value_date, period_start)" if budget else "value_date"
        return [
            "recipients",  # always: a group counts its distinct countries
            "sectors" if self.sectors else "NULL",
            "year",
            "NULL" if budget else "type",
            "status" if self.activity else "NULL",
            "reporting_org_ref" if self.activity else "NULL",
            "reporting_org_name" if self.activity else "NULL",
            "reporting_org_name_language" if self.activity else "NULL",
            "reporting_org_type" if self.activity else "NULL",
            "currency",
            day if self.per_item else "NULL::DATE",
        ]

    def view(self) -> str:
        """The view ``rows``: the table's rows that count, with their activity's columns."""
        activity, joined = (_ACTIVITY, "JOIN activities a USING (file, line, identifier)")
        if not self.activity:
            activity = joined = ""
        if self.table == "transactions":
            return f"CREATE TEMP VIEW rows AS SELECT p.*{activity} FROM parts p {joined}"  # noqa: S608 - fixed column names only
        # Per activity and period the revised budget counts where one exists, else the original.
        return f"""
            CREATE TEMP VIEW rows AS SELECT * EXCLUDE (revised) FROM (
                SELECT p.*{activity}, bool_or(p.kind = 'revised') OVER (
                    PARTITION BY p.file, p.line, p.identifier, p.period_start, p.period_end
                ) AS revised
                FROM parts p {joined}
            ) WHERE kind = 'revised' OR NOT revised
        """  # noqa: S608 - fixed column names only

    def sums(self, *, split: bool) -> str:
        """The exact sums of the rows alike; with *split*, of the split rows, by value."""
        value, where = "NULL::DECIMAL(38, 10)", ""
        if split:
            value = "value"
            where = """WHERE recipients IN (SELECT cell FROM split_cells WHERE kind = 'r')
                OR sectors IN (SELECT cell FROM split_cells WHERE kind = 's')"""
        keyed = ", ".join(f"{column} AS k{index}" for index, column in enumerate(self.columns()))
        return f"""
            SELECT {keyed}, {value} AS each_value, count(*), count(*) - count(value), sum(value)
            FROM rows {where} GROUP BY ALL
        """  # noqa: S608 - fixed column names only


def groups(
    query: Query,
    parts: list[str],
    activities: list[str],
    split_cells: list[tuple[str, str]] | None,
    threads: int = 1,
) -> list[tuple[Any, ...]]:
    """The groups of *parts*: those no key splits, or (*split_cells* given) the split ones.

    Raises:
        DataFileError: two budgets of one kind for one period of an activity.
    """
    import duckdb

    connection = duckdb.connect(config={"threads": threads})
    try:
        return _groups(connection, query, parts, activities, split_cells)
    except duckdb.Error as error:  # a broken file, or a table without a column read here
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DataFileError(
            query.dataset, None, None, f"not a dataset citycoop.io.ingest wrote: {problem}"
        ) from None
    finally:
        connection.close()


def _groups(
    connection: Any,
    query: Query,
    parts: list[str],
    activities: list[str],
    split_cells: list[tuple[str, str]] | None,
) -> list[tuple[Any, ...]]:
    connection.read_parquet(parts, hive_partitioning=True).create_view("parts")
    if query.activity:
        if not activities:
            raise DataFileError(query.dataset, None, None, "it has no activities table")
        connection.read_parquet(activities).create_view("activities")
    if query.table == "budgets" and split_cells is None:
        _check_budgets(connection, query.dataset)
    connection.execute(query.view())
    if split_cells is None:
        return [tuple(row) for row in connection.execute(query.sums(split=False)).fetchall()]
    connection.execute("CREATE TEMP TABLE split_cells (kind VARCHAR, cell VARCHAR)")
    if split_cells:
        connection.executemany("INSERT INTO split_cells VALUES (?, ?)", split_cells)
    return [tuple(row) for row in connection.execute(query.sums(split=True)).fetchall()]


def combined(runs: Iterable[list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """The groups of several runs, those alike in key and split value added up exactly."""
    found: dict[tuple[Any, ...], list[Any]] = {}
    with decimal.localcontext(EXACT):
        for run in runs:
            for group in run:
                key = group[: KEY_CELLS + 1]
                count, unvalued, amount = group[KEY_CELLS + 1 :]
                sums = found.get(key)
                if sums is None:
                    found[key] = [count, unvalued, amount]
                    continue
                sums[0] += count
                sums[1] += unvalued
                if amount is not None:
                    sums[2] = amount if sums[2] is None else sums[2] + amount
    return [(*key, *sums) for key, sums in found.items()]


def _check_budgets(connection: Any, dataset: str) -> None:
    """Refuse two budgets of one kind for one period of an activity, as the object path does."""
    # In file order, a period's budgets clash where a second original comes before any
    # revised one, or a second revised one comes at all (as the object path reads them).
    clash = connection.execute(
        """
        SELECT file, line, identifier, period_start, period_end,
            CASE WHEN count(*) FILTER (WHERE kind = 'revised') > 1 THEN 'revised'
                 ELSE 'original' END
        FROM (
            SELECT *, min(number) FILTER (WHERE kind = 'revised') OVER (
                PARTITION BY file, line, identifier, period_start, period_end) AS first_revised
            FROM parts
        )
        GROUP BY file, line, identifier, period_start, period_end
        HAVING count(*) FILTER (WHERE kind = 'revised') > 1
            OR count(*) FILTER (WHERE kind = 'original'
                AND (first_revised IS NULL OR number < first_revised)) > 1
        ORDER BY file, line LIMIT 1
        """
    ).fetchone()
    if clash is not None:
        file, line, identifier, start, end, kind = clash
        raise DataFileError(
            f"{dataset}: {file}",
            line,
            "kind",
            f"activity {identifier!r} has two {kind} budgets for {start}/{end}; "
            "one of a kind per period counts, never a sum",
        )
