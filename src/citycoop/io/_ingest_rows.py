"""The rows :func:`citycoop.io.ingest.ingest` writes for one IATI activity.

Four tables: ``activities``, ``transactions``, ``budgets`` and ``shares`` (the recipient
countries and regions and the sectors of an activity or a transaction, with their
percentages). Every row names its source: the file and the line of its activity.
Amounts are exact: an amount with more decimal places than the tables hold, or too many
digits, is a reason to leave its activity out, never a rounded value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from citycoop._domain.activities import CountryShare, RegionShare, SectorShare

if TYPE_CHECKING:
    from citycoop._core.text import Text
    from citycoop._domain.activities import Activity, Participant

__all__ = [
    "PLACES",
    "TABLES",
    "NotExactError",
    "Rows",
    "partition_country",
    "read_recipients",
    "read_sectors",
]

#: Decimal places every amount and percentage column holds (``decimal128(38, 10)``).
PLACES: Final = 10
_LIMIT: Final = Decimal(10) ** (38 - PLACES)
#: The tables, and their columns in order (partition columns last).
TABLES: Final = {
    "activities": (
        "file", "line", "identifier", "reporting_org_ref", "reporting_org_name",
        "reporting_org_name_language", "reporting_org_type", "title", "title_language", "status", "planned_start",
        "actual_start", "planned_end", "actual_end", "default_currency",
    ),
    "transactions": (
        "file", "line", "identifier", "number", "type", "date", "value", "currency",
        "value_date", "provider_ref", "provider_name", "receiver_ref", "receiver_name",
        "ref", "recipients", "sectors", "year", "country",
    ),
    "budgets": (
        "file", "line", "identifier", "number", "kind", "period_start", "period_end",
        "value", "currency", "value_date", "recipients", "sectors", "year", "country",
    ),
    "shares": (
        "file", "line", "identifier", "transaction", "kind", "code", "vocabulary",
        "percentage",
    ),
}  # fmt: skip


class NotExactError(ValueError):
    """An amount the tables cannot hold exactly (the activity is left out)."""


def _exact(value: Decimal | None, what: str) -> Decimal | None:
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -PLACES:
        raise NotExactError(f"{what} {value} has more than {PLACES} decimal places")
    if abs(value) >= _LIMIT:
        raise NotExactError(f"{what} {value} has more than {38 - PLACES} whole digits")
    return value


def _name(participant: Participant | None) -> tuple[str | None, str | None]:
    if participant is None:
        return None, None
    return participant.ref, None if participant.name is None else participant.name.original


def _language(participant: Participant) -> str | None:
    return None if participant.name is None else participant.name.language


def _title(title: Text | None) -> tuple[str | None, str | None]:
    return (None, None) if title is None else (title.original, title.language)


def partition_country(own: tuple[CountryShare, ...], activity: tuple[CountryShare, ...]) -> str:
    """The ``country`` partition of a row: its one recipient country's code.

    A transaction's own countries come first, else its activity's; ``multi`` where
    there are several (their shares are in ``shares``), ``none`` where there is none.
    """
    countries = own or activity
    if len(countries) == 1:
        return countries[0].country.code
    return "multi" if countries else "none"


# The ``recipients`` and ``sectors`` cells: a row's shares in the order of the file, as
# ``PE=60;EC=40;@1:489`` (a region is ``@vocabulary:code``) and ``1:15110=50;1:43030``
# (``vocabulary:code``), ``=percent`` where the file gives one. The characters that
# separate are escaped in codes, so a cell reads back to the shares it was made of.
_ESCAPES: Final = {"%": "%25", ";": "%3B", "=": "%3D", ":": "%3A", "@": "%40"}


def _escaped(code: str) -> str:
    for character, escape in _ESCAPES.items():
        code = code.replace(character, escape)
    return code


def _unescaped(code: str) -> str:
    for character, escape in reversed(_ESCAPES.items()):
        code = code.replace(escape, character)
    return code


def _entry(name: str, percent: Decimal | None) -> str:
    return name if percent is None else f"{name}={percent}"


def recipients_cell(
    countries: tuple[CountryShare, ...], regions: tuple[RegionShare, ...]
) -> str | None:
    """The ``recipients`` cell of *countries* and *regions* (``None`` for none)."""
    entries = [_entry(share.country.code, share.percent) for share in countries]
    entries.extend(
        _entry(f"@{_escaped(share.vocabulary)}:{_escaped(share.code)}", share.percent)
        for share in regions
    )
    return ";".join(entries) or None


def sectors_cell(sectors: tuple[SectorShare, ...]) -> str | None:
    """The ``sectors`` cell of *sectors* (``None`` for none)."""
    return (
        ";".join(
            _entry(f"{_escaped(share.vocabulary)}:{_escaped(share.code)}", share.percent)
            for share in sectors
        )
        or None
    )


def _entries(cell: str | None) -> list[tuple[str, Decimal | None]]:
    if not cell:
        return []
    found: list[tuple[str, Decimal | None]] = []
    for entry in cell.split(";"):
        name, equals, percent = entry.partition("=")
        found.append((name, Decimal(percent) if equals else None))
    return found


def read_recipients(cell: str | None) -> tuple[tuple[CountryShare, ...], tuple[RegionShare, ...]]:
    """The countries and regions a ``recipients`` cell was made of."""
    countries: list[CountryShare] = []
    regions: list[RegionShare] = []
    for name, percent in _entries(cell):
        if name.startswith("@"):
            vocabulary, _, code = name[1:].partition(":")
            regions.append(RegionShare(_unescaped(code), _unescaped(vocabulary), percent))
        else:
            countries.append(CountryShare(name, percent))
    return tuple(countries), tuple(regions)


def read_sectors(cell: str | None) -> tuple[SectorShare, ...]:
    """The sectors a ``sectors`` cell was made of."""
    shares: list[SectorShare] = []
    for name, percent in _entries(cell):
        vocabulary, _, code = name.partition(":")
        shares.append(SectorShare(_unescaped(code), _unescaped(vocabulary), percent))
    return tuple(shares)


class Rows:
    """The rows of one file's activities, table by table, column by column."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.columns: dict[str, dict[str, list[Any]]] = {
            table: {column: [] for column in columns} for table, columns in TABLES.items()
        }

    def __len__(self) -> int:
        return sum(len(columns["file"]) for columns in self.columns.values())

    def clear(self) -> None:
        for columns in self.columns.values():
            for values in columns.values():
                values.clear()

    def add(self, activity: Activity) -> tuple[int, int]:
        """Add *activity*'s rows (all of them, or none); (transactions, budgets) added.

        Raises:
            NotExactError: an amount the tables cannot hold exactly.
        """
        staged = self._rows_of(activity)  # checked whole before any row is added
        for table, rows in staged.items():
            columns = self.columns[table]
            for row in rows:
                for column, value in zip(TABLES[table], row, strict=True):
                    columns[column].append(value)
        return len(staged["transactions"]), len(staged["budgets"])

    def _rows_of(self, activity: Activity) -> dict[str, list[tuple[Any, ...]]]:
        source = (self.file, activity.line, activity.identifier)
        title, language = _title(activity.title)
        rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in TABLES}
        rows["activities"].append(
            (
                *source,
                *_name(activity.reporting_org),
                _language(activity.reporting_org),
                activity.reporting_org.kind,
                title,
                language,
                None if activity.status is None else activity.status.code,
                activity.planned_start,
                activity.actual_start,
                activity.planned_end,
                activity.actual_end,
                activity.default_currency,
            )
        )
        shares = rows["shares"]
        own_recipients = recipients_cell(activity.countries, activity.regions)
        own_sectors = sectors_cell(activity.sectors)
        self._shares(shares, source, None, activity.countries, activity.regions, activity.sectors)
        for number, transaction in enumerate(activity.transactions):
            value = transaction.value
            rows["transactions"].append(
                (
                    *source,
                    number,
                    transaction.type.code,
                    transaction.date,
                    _exact(value.amount, f"transaction {number + 1}'s value"),
                    value.currency,
                    transaction.value_date,
                    *_name(transaction.provider),
                    *_name(transaction.receiver),
                    transaction.ref,
                    recipients_cell(transaction.countries, transaction.regions) or own_recipients,
                    sectors_cell(transaction.sectors) or own_sectors,
                    transaction.date.year,
                    partition_country(transaction.countries, activity.countries),
                )
            )
            self._shares(
                shares,
                source,
                number,
                transaction.countries,
                transaction.regions,
                transaction.sectors,
            )
        for number, budget in enumerate(activity.budgets):
            rows["budgets"].append(
                (
                    *source,
                    number,
                    budget.kind.value,
                    budget.period.start,
                    budget.period.end,
                    _exact(budget.value.amount, f"budget {number + 1}'s value"),
                    budget.value.currency,
                    budget.value_date,
                    own_recipients,
                    own_sectors,
                    budget.period.start.year,
                    partition_country((), activity.countries),
                )
            )
        return rows

    @staticmethod
    def _shares(  # noqa: PLR0917 - one row shape, its parts in order
        rows: list[tuple[Any, ...]],
        source: tuple[Any, ...],
        transaction: int | None,
        countries: tuple[CountryShare, ...],
        regions: tuple[RegionShare, ...],
        sectors: tuple[SectorShare, ...],
    ) -> None:
        rows.extend(
            (*source, transaction, "country", s.country.code, None, _exact(s.percent, "a share"))
            for s in countries
        )
        rows.extend(
            (*source, transaction, "region", s.code, s.vocabulary, _exact(s.percent, "a share"))
            for s in regions
        )
        rows.extend(
            (*source, transaction, "sector", s.code, s.vocabulary, _exact(s.percent, "a share"))
            for s in sectors
        )
