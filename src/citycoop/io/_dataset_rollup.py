"""Rollups of the transactions and budgets of an ingested dataset, summed by DuckDB.

The dataset is what :func:`citycoop.io.ingest.ingest` writes. DuckDB sums the amounts
exactly per group of rows alike in what the keys read (their recipients and sectors
cells, year, transaction type, status, organisation), currency and rate bucket; each
group is added to the same engine as :func:`citycoop.rollup` adds records to, by a
stand-in record (:class:`_Alike`) built once per group. Rows that a key splits over
several groups (several countries, several sectors) are allocated as the object path
allocates them, one value at a time: DuckDB groups them by value too, and the engine
allocates each distinct value once and adds it as many times as rows carry it.

Nothing here reads a clock, mutates a global or writes a file.
"""

# pyarrow and duckdb ship partial type information; the values they return are checked here.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false, reportMissingTypeStubs=false

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from citycoop._core.currencies import normalize_currency
from citycoop._core.decimals import EXACT
from citycoop._core.errors import CitycoopError, DataFileError, ValidationError
from citycoop._core.money import Money
from citycoop._core.text import UNDETERMINED, Text
from citycoop._domain.activities import ActivityStatus, Participant, TransactionType
from citycoop._prices.deflate import constant_prices
from citycoop._rollup.activity_records import focus_area_map, focus_shares, recipient_of
from citycoop._rollup.keys import Split, is_split
from citycoop._rollup.start import new_run
from citycoop.io._dask import check_client
from citycoop.io._dataset_query import KEY_CELLS, Query, combined, groups
from citycoop.io._ingest_rows import read_recipients, read_sectors

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from citycoop._core.validation import Arguments
    from citycoop._domain.focus import FocusArea
    from citycoop._fx.rates import RatePolicy
    from citycoop._fx.table import RateTable
    from citycoop._prices.deflate import Method
    from citycoop._prices.index import PriceIndex
    from citycoop._rollup.keys import KeyName
    from citycoop._rollup.result import Rollup

__all__ = [
    "BUDGET_KEYS",
    "GLOB",
    "MOST_THREADS",
    "TRANSACTION_KEYS",
    "DatasetKey",
    "rollup_dataset",
]

#: A key a rollup of an ingested dataset groups by.
DatasetKey = Literal[
    "country",
    "currency",
    "focus_area",
    "organisation",
    "region",
    "sector",
    "status",
    "sub_region",
    "transaction_type",
    "year",
]
#: The keys a rollup of a dataset's transactions groups by.
TRANSACTION_KEYS: Final[tuple[str, ...]] = get_args(DatasetKey)
#: The keys a rollup of a dataset's budgets groups by (a budget has no transaction type).
BUDGET_KEYS: Final = tuple(key for key in TRANSACTION_KEYS if key != "transaction_type")
_PLACE_KEYS: Final = frozenset({"country", "region", "sub_region"})
_SECTOR_KEYS: Final = frozenset({"sector", "focus_area"})
_ACTIVITY_KEYS: Final = frozenset({"status", "organisation"})
#: The most threads a rollup asks DuckDB for (``citycoop.columnar.MAX_THREADS``).
MOST_THREADS: Final = 256
#: Characters DuckDB reads as a glob pattern in a file name.
GLOB: Final = frozenset("*?[]{}")
_TASKS_A_THREAD: Final = 2


class _Alike:
    """The rows of one DuckDB group, as the rollup engine reads a record."""

    __slots__ = (
        "focus",
        "organisation",
        "recipient",
        "sectors",
        "status",
        "transaction_type",
        "value",
        "value_date",
        "year",
    )

    def __init__(  # noqa: PLR0917 - one attribute an argument, in the record's order
        self,
        value: Money | None,
        value_date: dt.date | None,
        recipient: object,
        focus: tuple[Any, ...],
        sectors: tuple[Any, ...],
        status: ActivityStatus | None,
        organisation: Participant | None,
        year: int,
        transaction_type: TransactionType | None,
    ) -> None:
        self.value = value
        self.value_date = value_date
        self.recipient = recipient
        self.focus = focus
        self.sectors = sectors
        self.status = status
        self.organisation = organisation
        self.year = year
        self.transaction_type = transaction_type


def rollup_dataset(
    dataset: object,
    table: Literal["transactions", "budgets"],
    by: object,
    *,
    currency: str | None,
    rates: RateTable | None,
    on: dt.date | str,
    policy: RatePolicy,
    missing: Literal["raise", "omit"],
    prices: PriceIndex | None,
    base_year: int | None,
    method: Method,
    economy: str | None,
    vocabulary: str,
    focus_areas: Mapping[str, FocusArea | str] | None,
    threads: int,
    client: object,
    where: Arguments,
) -> Rollup:
    """The rollup of *table* of *dataset* (see ``citycoop.columnar.rollup_transactions``)."""
    allowed = TRANSACTION_KEYS if table == "transactions" else BUDGET_KEYS
    names = _names(by, allowed, table, where)
    given: object = vocabulary  # checked at run time, whatever the annotations say
    if not isinstance(given, str) or not vocabulary.strip():
        raise ValidationError(where("vocabulary"), vocabulary, "a sector vocabulary code")
    areas = focus_area_map(focus_areas, where.function)
    if type(threads) is not int or not 1 <= threads <= MOST_THREADS:
        raise ValidationError(where("threads"), threads, f"a whole number from 1 to {MOST_THREADS}")
    if client is not None:
        check_client(client, where("client"))
    files = _files(dataset, table, where)
    with decimal.localcontext(EXACT):  # sums of bounded amounts never round
        run = new_run(
            names,
            currency=currency,
            rates=rates,
            on=on,
            policy=policy,
            missing=missing,
            constant=None
            if prices is None
            else constant_prices(prices, base_year, method, economy, where=where),
            where=where,
        )
        if files is None:
            return run.result()
        shape = _Shape(names, vocabulary, areas, str(dataset))
        query = Query(
            table,
            sectors=bool(_SECTOR_KEYS.intersection(names)),
            activity=bool(_ACTIVITY_KEYS.intersection(names)),
            per_item=run.per_item,
            dataset=str(dataset),
        )
        summed = _summer(query, *files, threads=threads, client=client)
        found = summed(None)
        split_recipients, split_sectors = shape.splitting(found, run)
        if split_recipients or split_sectors:
            found = [g for g in found if g[0] not in split_recipients and g[1] not in split_sectors]
            cells = [("r", c) for c in sorted(split_recipients)]
            cells += [("s", c) for c in sorted(split_sectors)]
            found += summed(cells)
        for group in found:
            shape.add(run, group)
        return run.result()


def _names(
    by: object, allowed: tuple[str, ...], table: str, where: Arguments
) -> tuple[KeyName, ...]:
    entries: object = (by,) if isinstance(by, str) else by
    if not isinstance(entries, tuple | list):
        raise ValidationError(where("by"), by, "a key name or a sequence of key names")
    names: list[KeyName] = []
    for index, name in enumerate(entries):
        if not isinstance(name, str) or name not in allowed:
            why = (
                " (a dataset keeps no locations: a recipient is its country)"
                if name == "city"
                else ""
            )
            raise ValidationError(
                where("by", index), name, f"one of {', '.join(allowed)} for {table}{why}"
            )
        names.append(name)  # type: ignore[arg-type]  # one of the allowed names
    return tuple(names)


def _files(dataset: object, table: str, where: Arguments) -> tuple[list[str], list[str]] | None:
    """The parts of *table* (and of the activities), or ``None`` if it has none."""
    from os import PathLike

    if not isinstance(dataset, str | PathLike):
        raise ValidationError(where("dataset"), dataset, "the folder citycoop.io.ingest wrote")
    folder = Path(dataset)
    if not (folder / "ingest-report.json").is_file():
        raise ValidationError(
            where("dataset"),
            str(dataset),
            "the folder citycoop.io.ingest wrote (no ingest-report.json)",
        )
    parts = sorted(str(path) for path in (folder / table).rglob("*.parquet"))
    if not parts:
        return None
    activities = sorted(str(path) for path in (folder / "activities").rglob("*.parquet"))
    for name in (*parts, *activities):
        if GLOB.intersection(name):  # DuckDB reads such a name as a pattern
            raise ValidationError(
                where("dataset"), name, "file names without the characters * ? [ ] { }"
            )
    return parts, activities


def _summer(
    query: Query, parts: list[str], activities: list[str], *, threads: int, client: Any
) -> Callable[[list[tuple[str, str]] | None], list[tuple[Any, ...]]]:
    """A function giving the groups of *query* (``None``) or of its split rows (their cells).

    On this machine, one DuckDB run over every part; with a Dask *client*, a few tasks a
    worker thread, each summing some partitions (files), their groups combined exactly
    here.
    """

    def here(cells: list[tuple[str, str]] | None) -> list[tuple[Any, ...]]:
        return groups(query, parts, activities, cells, threads)

    def spread(cells: list[tuple[str, str]] | None) -> list[tuple[Any, ...]]:
        # A few tasks a worker thread, each summing some partitions: a task costs about
        # as much as summing a small partition, so one a partition would cost more.
        count = min(len(parts), _TASKS_A_THREAD * max(1, sum(client.nthreads().values())))
        batches = [parts[start::count] for start in range(count)]
        futures = client.map(
            groups,
            [query] * count,
            batches,
            [activities] * count,
            [cells] * count,
            pure=False,
        )
        return combined(future.result() for future in futures)

    return here if client is None else spread


class _Shape:
    """The stand-in records of a rollup's groups, their cells parsed once each."""

    def __init__(
        self,
        names: tuple[str, ...],
        vocabulary: str,
        areas: Mapping[str, FocusArea] | None,
        dataset: str,
    ) -> None:
        self.dataset = dataset
        self.vocabulary = vocabulary
        self.areas = areas
        self.places = bool(_PLACE_KEYS.intersection(names))
        self.organisation = "organisation" in names
        # Parsed once per distinct cell, code or organisation.
        self.recipient_of: dict[str | None, object] = {}
        self.sectors_of: dict[str | None, tuple[Any, tuple[Any, ...]]] = {}
        self.codes: dict[str, str] = {}
        self.zeros: dict[str, Money] = {}
        self.kinds: dict[str, TransactionType] = {}
        self.statuses: dict[str | None, ActivityStatus | None] = {None: None}
        self.organisations: dict[tuple[str | None, ...], Participant | None] = {}

    def splitting(self, groups: list[tuple[Any, ...]], run: Any) -> tuple[set[str], set[str]]:
        """The recipients and sectors cells that a key splits over several groups."""
        recipients: set[str] = set()
        sectors: set[str] = set()
        by_recipient, keys = run.by_recipient, run.keys
        for group in groups:
            item = self.item(group, None)
            if by_recipient:
                if item.recipient.__class__ is Split:
                    recipients.add(group[0])
            elif keys.may_split and is_split(keys.get(item), len(keys.names)):
                if item.recipient.__class__ is Split and self.places:
                    recipients.add(group[0])
                if len(item.focus) > 1 or len(item.sectors) > 1:
                    sectors.add(group[1])
        return recipients, sectors

    def item(self, group: tuple[Any, ...], value: Money | None) -> _Alike:
        """The stand-in record of a group's rows."""
        recipients, sectors, year, kind, status, ref, name, language, org_type, _, day = group[:11]
        recipient = self.recipient_of.get(recipients, self)
        if recipient is self:
            countries, regions = read_recipients(recipients)
            recipient = self.recipient_of[recipients] = recipient_of(countries, regions)
        focus = self.sectors_of.get(sectors)
        if focus is None:
            shares = read_sectors(sectors)
            focus = self.sectors_of[sectors] = (
                focus_shares(shares, self.vocabulary, self.areas),
                shares,
            )
        return _Alike(
            value,
            day,
            recipient,
            focus[0],
            focus[1],
            self._status(status),
            self._organisation(ref, name, language, org_type),
            year,
            None if kind is None else self._kind(kind),
        )

    def add(self, run: Any, group: tuple[Any, ...]) -> None:
        """Add one group's rows to *run*."""
        code, day, each, count, unvalued, amount = group[KEY_CELLS - 2 :]
        code = self._currency(code)
        if each is not None:
            run.add_alike(self.item(group, Money(_tidy(each), code)), count)
            return
        # The engine reads no amount of a subtotal's stand-in; a key may read its currency.
        zero = self.zeros.get(code)
        if zero is None:
            zero = self.zeros[code] = Money(0, code)
        item = self.item(group, zero)
        if item.transaction_type is not None and count > unvalued:
            run.kinds.add(item.transaction_type)
        run.add_subtotal(
            item,
            count=count,
            unvalued=unvalued,
            currency=code,
            day=day,
            amount=None if amount is None else _tidy(amount),
        )

    def _currency(self, code: str) -> str:
        found = self.codes.get(code)
        if found is None:
            try:
                found = self.codes[code] = normalize_currency(code)
            except CitycoopError:
                raise DataFileError(
                    self.dataset, None, "currency", f"{code!r} is not a currency"
                ) from None
        return found

    def _kind(self, code: str) -> TransactionType:
        found = self.kinds.get(code)
        if found is None:
            try:
                found = self.kinds[code] = TransactionType.from_code(code)
            except CitycoopError:
                raise DataFileError(
                    self.dataset, None, "type", f"{code!r} is not a transaction type"
                ) from None
        return found

    def _status(self, code: str | None) -> ActivityStatus | None:
        if code is not None and code not in self.statuses:
            try:
                self.statuses[code] = ActivityStatus.from_code(code)
            except CitycoopError:
                raise DataFileError(
                    self.dataset, None, "status", f"{code!r} is not an activity status"
                ) from None
        return self.statuses[code]

    def _organisation(self, *cells: str | None) -> Participant | None:
        if not self.organisation:
            return None
        found = self.organisations.get(cells, self)
        if found is self:
            ref, name, language, kind = cells
            text = None if name is None else Text({language or UNDETERMINED: name})
            found = self.organisations[cells] = Participant(ref, text, kind)
        return found  # type: ignore[return-value]


def _tidy(amount: Decimal) -> Decimal:
    """*amount* without trailing zeros (a dataset holds ten places whatever a file wrote)."""
    tidy = amount.normalize()
    exponent = tidy.as_tuple().exponent
    assert isinstance(exponent, int)
    return tidy.quantize(_ONE) if exponent > 0 else tidy


_ONE: Final = Decimal(1)
