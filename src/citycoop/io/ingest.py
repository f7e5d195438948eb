"""Many IATI activity files into one partitioned Parquet dataset, read in parallel.

:func:`ingest` reads every file with :func:`citycoop.io.iati.read_activities`, one file
per task in a pool of processes (memory per worker is that of one file's rows at most
:data:`CHUNK_ROWS` at a time, and, joining the parts, of one row group of
:data:`ROW_GROUP_ROWS` rows), and writes four tables under *out_dir*:

- ``activities/``: one row an activity: identifier, reporting organisation (``ref``,
  name as recorded and its language, type), title (its original text and language),
  status code, the four activity dates, default currency;
- ``transactions/year=YYYY/country=CC/``: one row a transaction: its number within its
  activity, type code, date, ``value`` and ``currency``, value date, provider and
  receiver (``ref`` and name), ``ref``, and the ``recipients`` and ``sectors`` its money
  is split by (its own, else its activity's);
- ``budgets/year=YYYY/country=CC/``: one row a budget: its number, kind, period, value,
  currency, value date, and its activity's ``recipients`` and ``sectors``;
- ``shares/``: the recipient countries and regions and the sectors of each activity
  (``transaction`` empty) and transaction, with their percentages.

A ``recipients`` cell lists the shares in the file's order, ``;`` between them:
``PE=60;EC=40;@1:489`` is Peru at 60 %, Ecuador at 40 % and region 489 of vocabulary
1 without a percentage; a ``sectors`` cell is ``1:15110=50;1:43030=50`` (vocabulary,
code, percentage). :func:`citycoop.columnar.rollup_transactions` and
:func:`~citycoop.columnar.rollup_budgets` group by them.

Every row names its source: ``file`` and ``line`` (where its activity starts) and
``identifier``. Amounts and percentages are exact ``decimal128(38, 10)``; dates are
``date32``; codes and names are dictionary-encoded. A transaction's ``country``
partition is its one recipient country (its own, else its activity's), ``multi`` with
several (their percentages are in ``shares``) and ``none`` without; a budget's is its
activity's; ``year`` is the transaction date's or the budget period's start year.

Nothing is lost silently: ``ingest-report.json`` (and the :class:`IngestReport` returned) lists
for each file the activities, transactions and budgets written, the activities left out
with their line and reason, and a file that failed as a whole (not IATI, not well-formed)
with its reason; a failed file leaves no rows. An amount the tables cannot hold exactly
(more than ten decimal places) leaves its activity out, with that reason. The output is
the same, byte for byte, for the same input and options, whatever the number of workers:
files are numbered in sorted order, and once every file is read, the parts the workers
wrote of each table (or partition) are joined in file order into one file,
``part-0.parquet``, of row groups of :data:`ROW_GROUP_ROWS` rows (a few large files
read much faster than many small ones). ``ingest-report.json`` is written last: a
folder without it is not a finished dataset.

Read the dataset with DuckDB (``read_parquet('out/transactions/**/*.parquet',
hive_partitioning = true)``), pyarrow (``pyarrow.dataset.dataset(out / "transactions",
partitioning="hive")``) or pandas. Needs the ``iati`` and ``columnar`` extras.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import concurrent.futures
import importlib
import json
import multiprocessing
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from citycoop._core.errors import DataFileError, IatiError, ValidationError
from citycoop._core.extras import require
from citycoop._core.progress import Progress, counted
from citycoop._core.validation import Arguments
from citycoop.io._dask import check_client
from citycoop.io._iati_reader import Skipped
from citycoop.io._ingest_rows import PLACES, NotExactError, Rows
from citycoop.io.arrow import pyarrow_module

if TYPE_CHECKING:
    from collections.abc import Iterable

    from distributed import Client

__all__ = ["CHUNK_ROWS", "ROW_GROUP_ROWS", "FileReport", "IngestReport", "ingest"]

#: Rows a worker holds before it writes them out as one more part of each table.
CHUNK_ROWS: Final = 200_000
#: Rows in a row group of the dataset's files (DuckDB reads a few large groups fastest).
ROW_GROUP_ROWS: Final = 1 << 18
#: The folder, under the output, where the workers' parts wait to be joined.
_STAGING: Final = ".parts"
_PARTITIONED: Final = frozenset({"transactions", "budgets"})
_INGEST = Arguments("ingest")


@attrs.frozen
class FileReport:
    """What :func:`ingest` made of one file.

    ``skipped`` lists the activities left out, each with its line and reason; ``error``
    says why the whole file was left out (then nothing of it was written).

    .. versionadded:: 0.1.0
    """

    file: str
    activities: int = 0
    transactions: int = 0
    budgets: int = 0
    skipped: tuple[Skipped, ...] = ()
    error: str | None = None


@attrs.frozen
class IngestReport:
    """What :func:`ingest` wrote: one :class:`FileReport` a file, in file order.

    .. versionadded:: 0.1.0
    """

    out_dir: str
    files: tuple[FileReport, ...]

    @property
    def activities(self) -> int:
        """Activities written, over every file."""
        return sum(f.activities for f in self.files)

    @property
    def transactions(self) -> int:
        """Transactions written, over every file."""
        return sum(f.transactions for f in self.files)

    @property
    def budgets(self) -> int:
        """Budgets written, over every file."""
        return sum(f.budgets for f in self.files)

    @property
    def skipped(self) -> int:
        """Activities left out, over every file."""
        return sum(len(f.skipped) for f in self.files)

    @property
    def failed(self) -> tuple[FileReport, ...]:
        """The files left out as a whole."""
        return tuple(f for f in self.files if f.error is not None)

    def as_dict(self) -> dict[str, Any]:
        """The report as ``ingest-report.json`` holds it."""
        return {
            "files": [
                {
                    "file": f.file,
                    "activities": f.activities,
                    "transactions": f.transactions,
                    "budgets": f.budgets,
                    "skipped": [
                        {"identifier": s.identifier, "line": s.line, "reason": s.reason}
                        for s in f.skipped
                    ],
                    "error": f.error,
                }
                for f in self.files
            ],
            "activities": self.activities,
            "transactions": self.transactions,
            "budgets": self.budgets,
            "skipped": self.skipped,
            "failed": len(self.failed),
        }


def ingest(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    workers: int | None = None,
    invalid: Literal["skip", "raise"] = "skip",
    progress: Progress = None,
    client: Client | None = None,
) -> IngestReport:
    """Read IATI activity files into a partitioned Parquet dataset under *out_dir*.

    Args:
        source: A folder (every ``*.xml`` file under it, in sorted order, each named
            relative to it) or the files themselves (named as given).
        out_dir: A folder that does not exist or is empty.
        workers: Processes reading files at once (default: one a CPU, at most one a
            file); ``1`` reads in this process.
        invalid: ``"skip"`` leaves a bad activity out and lists it; ``"raise"`` leaves
            the whole file out at its first bad activity, naming it.
        progress: ``progress(files_done, files)``, or ``True`` for a bar.
        client: A Dask ``distributed.Client`` (extra ``dask``): the files are read, and
            the partitions joined, by tasks on its cluster instead of a local pool; the
            dataset is the same, byte for byte. Its workers must see *source* and
            *out_dir* under the same paths as this process (one machine, or a shared
            file system). Not with *workers*.

    Raises:
        ValidationError: a bad argument, a missing source, or a non-empty *out_dir*.

    .. versionadded:: 0.1.0
    """
    require("iati", "citycoop.io.ingest")
    require("columnar", "citycoop.io.ingest")
    if invalid not in ("skip", "raise"):
        raise ValidationError(_INGEST("invalid"), invalid, "'skip' or 'raise'")
    files = _files(source)
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValidationError(_INGEST("out_dir"), str(out_dir), "a folder that is new or empty")
    given: object = workers  # checked at run time, whatever the annotations say
    if given is not None and (isinstance(given, bool) or not isinstance(given, int) or given < 1):
        raise ValidationError(_INGEST("workers"), workers, "None or a whole number >= 1")
    if client is not None:
        check_client(client, _INGEST("client"))
        if workers is not None:
            raise ValidationError(_INGEST("client"), "a client and workers", "one of them")
    out.mkdir(parents=True, exist_ok=True)
    staging = out.absolute() / _STAGING
    tasks = [
        (index, str(path.absolute()), label, str(staging), invalid)
        for index, (path, label) in enumerate(files)
    ]
    count = min(workers or os.cpu_count() or 1, max(len(tasks), 1))

    def gathered(results: Iterable[FileReport]) -> list[FileReport]:
        field = _INGEST("progress")
        return list(
            counted(results, progress, what="files", field=field, total=len(tasks), every=1)
        )

    try:
        if client is not None:
            cluster: Any = client  # distributed's futures are typed loosely
            futures = cluster.map(_one_file, tasks, pure=False)
            reports = gathered(future.result() for future in futures)
            joins = cluster.map(_compact, _compactions(staging, out.absolute()), pure=False)
            for future in joins:
                future.result()
        elif count == 1:
            reports = gathered(map(_one_file, tasks))
            list(map(_compact, _compactions(staging, out)))
        else:
            context = multiprocessing.get_context("spawn")
            with concurrent.futures.ProcessPoolExecutor(count, mp_context=context) as pool:
                reports = gathered(pool.map(_one_file, tasks))
                list(pool.map(_compact, _compactions(staging, out)))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report = IngestReport(str(out_dir), tuple(reports))
    text = json.dumps(report.as_dict(), ensure_ascii=False, indent=1, sort_keys=True)
    (out / "ingest-report.json").write_text(text + "\n", encoding="utf-8")
    return report


def _compactions(staging: Path, out: Path) -> list[tuple[str, str]]:
    """One task a folder of parts: its parts in file order, and the one file they become."""
    folders = sorted({part.parent for part in staging.rglob("*.arrow")})
    return [
        (str(folder), str(out / folder.relative_to(staging) / "part-0.parquet"))
        for folder in folders
    ]


def _compact(task: tuple[str, str]) -> None:
    """Write a folder's parts, in file order, as one file of row groups of ROW_GROUP_ROWS rows.

    Memory holds at most one row group and one part.
    """
    pa = pyarrow_module()
    pq: Any = importlib.import_module("pyarrow.parquet")
    ipc: Any = importlib.import_module("pyarrow.ipc")

    source, target = task
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    writer: Any = None
    pending: list[Any] = []
    rows = 0
    try:
        for part in sorted(Path(source).glob("*.arrow")):
            with pa.OSFile(str(part), "rb") as stream:  # read whole: the file goes next
                table = ipc.open_file(stream).read_all()
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema)
            pending.append(table)
            rows += table.num_rows
            if rows >= ROW_GROUP_ROWS:
                whole = pa.concat_tables(pending)
                cut = rows - rows % ROW_GROUP_ROWS
                writer.write_table(whole.slice(0, cut), row_group_size=ROW_GROUP_ROWS)
                pending, rows = [whole.slice(cut)], rows - cut
        if writer is not None and rows:
            writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
    finally:
        if writer is not None:
            writer.close()


def _files(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> list[tuple[Path, str]]:
    """The files to read, each with the name its rows give as their source."""
    if isinstance(source, str | os.PathLike):
        folder = Path(source)
        if folder.is_dir():
            found = sorted(p for p in folder.rglob("*.xml") if p.is_file())
            return [(path, path.relative_to(folder).as_posix()) for path in found]
        if not folder.is_file():
            raise ValidationError(_INGEST("source"), str(source), "a folder or a file that exists")
        return [(folder, str(source))]
    paths: object = source
    if isinstance(paths, bytes):
        raise ValidationError(_INGEST("source"), paths, "a folder, or an iterable of paths")
    listed: list[tuple[Path, str]] = []
    try:
        for index, item in enumerate(source):
            named: object = item
            if not isinstance(named, str | os.PathLike) or not Path(item).is_file():
                raise ValidationError(_INGEST("source", index), item, "a file that exists")
            listed.append((Path(item), os.fspath(item)))
    except TypeError:
        raise ValidationError(
            _INGEST("source"), source, "a folder, or an iterable of paths"
        ) from None
    return listed


def _one_file(task: tuple[int, str, str, str, str]) -> FileReport:
    """Read one file and write its parts (in a worker): its report."""
    from citycoop.io.iati import read_activities

    index, path, label, out, invalid = task
    writer = _Writer(Path(out), index, label)
    activities = transactions = budgets = 0
    skipped: list[Skipped] = []
    try:
        stream = read_activities(path, invalid=invalid)  # type: ignore[arg-type]
        for activity in stream:
            try:
                added = writer.rows.add(activity)
            except NotExactError as error:
                if invalid == "raise":
                    raise IatiError(
                        label, activity.line, "value", str(error), activity.identifier
                    ) from None
                skipped.append(Skipped(activity.identifier, activity.line, str(error)))
                continue
            activities += 1
            transactions += added[0]
            budgets += added[1]
            if len(writer.rows) >= CHUNK_ROWS:
                writer.flush()
        writer.flush()
    except DataFileError as error:  # the file, or (with invalid="raise") one activity
        writer.remove()
        # Named by its label, as every row of it would be: the same on every machine.
        named = IatiError(
            label, error.line, error.column, error.problem, getattr(error, "activity", None)
        )
        return FileReport(label, error=str(named))
    return FileReport(label, activities, transactions, budgets, (*stream.skipped, *skipped))


class _Writer:
    """One file's parts: each table's rows, written a chunk at a time."""

    def __init__(self, out: Path, index: int, label: str) -> None:
        self.out = out
        self.index = index
        self.rows = Rows(label)
        self.chunk = 0
        self.written: list[Path] = []

    def flush(self) -> None:
        pa = pyarrow_module()

        if not len(self.rows):
            return
        for table, columns in self.rows.columns.items():
            if not columns["file"]:
                continue
            data = pa.table({name: _array(pa, name, values) for name, values in columns.items()})
            if table in _PARTITIONED:
                groups = _partitions(columns["year"], columns["country"])
                for (year, country), rows in groups.items():
                    part = data.take(pa.array(rows, pa.int64())).drop_columns(["year", "country"])
                    folder = self.out / table / f"year={year}" / f"country={country}"
                    self._write(part, folder)
            else:
                self._write(data, self.out / table)
        self.rows.clear()
        self.chunk += 1

    def _write(self, table: Any, folder: Path) -> None:
        # A part waits to be joined: Arrow's own format writes and reads it several
        # times faster than Parquet, and a file has many small parts.
        ipc: Any = importlib.import_module("pyarrow.ipc")
        pa = pyarrow_module()

        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"part-{self.index:06d}-{self.chunk:04d}.arrow"
        with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        self.written.append(path)

    def remove(self) -> None:
        """Remove what was written of this file (it failed: it leaves no rows)."""
        for path in self.written:
            path.unlink(missing_ok=True)
        self.rows.clear()


def _partitions(years: list[int], countries: list[str]) -> dict[tuple[int, str], list[int]]:
    groups: dict[tuple[int, str], list[int]] = {}
    for row, key in enumerate(zip(years, countries, strict=True)):
        groups.setdefault(key, []).append(row)
    return dict(sorted(groups.items()))


_DATES: Final = frozenset(
    {
        "planned_start",
        "actual_start",
        "planned_end",
        "actual_end",
        "date",
        "value_date",
        "period_start",
        "period_end",
    }
)
_AMOUNTS: Final = frozenset({"value", "percentage"})
_WHOLE: Final = frozenset({"line", "number", "transaction", "year"})
_PLAIN: Final = frozenset({"identifier", "title", "ref"})  # mostly distinct: not encoded


def _array(pa: Any, name: str, values: list[Any]) -> Any:
    if name in _DATES:
        return pa.array(values, pa.date32())
    if name in _AMOUNTS:
        return pa.array(values, pa.decimal128(38, PLACES))
    if name in _WHOLE:
        return pa.array(values, pa.int64())
    strings = pa.array(values, pa.string())
    return strings if name in _PLAIN else strings.dictionary_encode()
