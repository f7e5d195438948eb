"""Policy-export cases as a flat CSV table, one row a case.

>>> import citycoop
>>> from citycoop.io import csv as ccsv
>>> text = ccsv.dumps_exports(citycoop.datasets.seoul().exports)
>>> ccsv.loads_exports(text) == citycoop.datasets.seoul().exports
True

Columns (:data:`COLUMNS`), all text; empty means unknown:

- ``identifier``, ``parent``, ``policy``, ``status``, ``year``, ``value_date`` (ISO date),
  ``value_amount`` (a decimal, digits kept), ``value_currency`` (ISO 4217), ``note``;
- ``focus``: ``public_transport:60;digital:40`` (percentages summing to 100);
- ``recipient_*``: the city's ``name``, ``country`` (ISO 3166-1 alpha-2), ``timezone``
  (IANA), ``population``, ``latitude``, ``longitude``, ``geonames_id``;
- ``funding_kind`` and the funder, ``implementer``: each organisation's ``name``,
  ``kind``, ``country``, ``identifier`` and home city (the same seven city columns);
- ``budgets``: ``2016-01-01/2016-12-31 original KRW 688e6`` items joined by a semicolon and a space
  (a budget's value date and source URL, where given, follow its amount in that order:
  ``2016-01-01/2016-12-31 revised KRW 7.1e8 2016-03-02 https://example.org/b``);
- ``sources``: URLs separated by spaces;
- ``language``: what the row's texts are first written in (blank, or a table without
  the column: not stated).

Texts: ``policy``, ``note`` and the organisations' ``name`` columns each hold a text as
first written; a column named after one and a BCP 47 tag, such as ``policy@ko`` or
``funder_name@es-PE``, holds its version in that language (one column per language any
row has, after :data:`COLUMNS`; blank where a row has none). ``language`` is the tag of
the row's texts (``en``), followed by ``;column=tag`` for a text first written in
another (``en;funder_name=ko``; ``und`` where a text's language is not stated).

>>> from citycoop import City, PolicyExport
>>> case = PolicyExport({"en": "Smart poles", "ko": "스마트폴"},
...     City("Lima", "PE", "America/Lima"), "citizen_safety", year=2021)
>>> text = ccsv.dumps_exports([case])
>>> header, row = text.splitlines()
>>> header.split(",")[-2:], row.split(",")[-2:]
(['language', 'policy@ko'], ['en', '스마트폴'])
>>> ccsv.loads_exports(text)[0].policy == case.policy
True

Writing neutralizes spreadsheet formula injection (OWASP, "CSV Injection"): a cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or with an
apostrophe, is written with a leading apostrophe, and reading removes exactly that
apostrophe, so a round trip is exact. A plain number (``-12.05``, ``-1.5E+3``) is no
formula and is written as it is.

Reading validates every row before returning anything; a :class:`CsvError` lists the
problems with their lines and columns, and stops checking after :data:`MAX_PROBLEMS`
bad rows (``CsvError.stopped``).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import collections
import csv
import io
import os
import re
from typing import TYPE_CHECKING, Any, Final, TextIO, TypeVar

from citycoop._core.errors import MAX_PROBLEMS as _MAX_PROBLEMS
from citycoop._core.errors import (
    CitycoopError,
    DataFileError,
    ValidationError,
    listed,
    show_value,
)
from citycoop._core.errors import CsvError as CsvError  # noqa: PLC0414 - re-exported for type checkers
from citycoop._core.files import (
    MAX_BYTES,
    checked_max_bytes,
    read_bounded,
    replacing,
    source_name,
)
from citycoop._core.money import Money
from citycoop._core.places import CITY_COLUMNS, City, Coordinates
from citycoop._core.time import ISO_DATE, Period
from citycoop._core.validation import whole_text
from citycoop._domain.budgets import Budget
from citycoop._domain.exports import FocusShare, Funding, PolicyExport
from citycoop._domain.parties import Organisation
from citycoop.io._csv_texts import (
    TEXT_COLUMNS,
    given_translations,
    language_cell,
    text_cells,
    translation_columns,
    translations_of,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

__all__ = [
    "COLUMNS",
    "MAX_PROBLEMS",
    "OPTIONAL_COLUMNS",
    "TEXT_COLUMNS",
    "dumps_exports",
    "loads_exports",
    "read_exports",
    "write_exports",
]

_T = TypeVar("_T")
_CITY: Final = CITY_COLUMNS
_ORG: Final = ("name", "kind", "country", "identifier", *(f"city_{c}" for c in _CITY))

#: The columns, in order.
COLUMNS: Final = (
    "identifier",
    "parent",
    "policy",
    "status",
    "year",
    "value_date",
    "value_amount",
    "value_currency",
    "focus",
    *(f"recipient_{c}" for c in _CITY),
    "funding_kind",
    *(f"funder_{c}" for c in _ORG),
    *(f"implementer_{c}" for c in _ORG),
    "budgets",
    "sources",
    "note",
    "language",
)
#: Columns a table may leave out, as tables written before ``language`` existed do.
OPTIONAL_COLUMNS: Final = ("language",)

_DANGEROUS: Final = ("=", "+", "-", "@", "\t", "\r", "'")
_KNOWN: Final = frozenset(COLUMNS)
#: Columns of whole numbers, wherever they appear (years, populations, GeoNames ids).
WHOLE_COLUMNS: Final = frozenset(
    c for c in COLUMNS if c == "year" or c.endswith(("population", "geonames_id"))
)
_DATE: Final = re.compile(ISO_DATE)
_NUMBER: Final = re.compile(r"-\d+(\.\d+)?([eE][+-]?\d+)?")
#: Reading stops checking after this many bad rows (the limit every reader shares).
MAX_PROBLEMS: Final = _MAX_PROBLEMS


def _safe(text: str) -> str:
    if text.startswith(_DANGEROUS) and _NUMBER.fullmatch(text) is None:
        return f"'{text}"
    return text


def _unsafe(text: str) -> str:
    return text.removeprefix("'")


# ------------------------------------------------------------------ writing


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _city_cells(city: City | None) -> list[str]:
    if city is None:
        return [""] * len(_CITY)
    coordinates = city.coordinates
    return [
        city.name,
        city.country.code,
        city.timezone,
        _text(city.population),
        "" if coordinates is None else str(coordinates.latitude),
        "" if coordinates is None else str(coordinates.longitude),
        _text(city.geonames_id),
    ]


def _org_cells(organisation: Organisation | None) -> list[str]:
    if organisation is None:
        return [""] * len(_ORG)
    country = organisation.country.code if organisation.country is not None else ""
    return [
        organisation.name.original,
        organisation.kind.value,
        country,
        _text(organisation.identifier),
        *_city_cells(organisation.city),
    ]


def _budget_text(budget: Budget) -> str:
    parts = [str(budget.period), budget.kind.value, budget.value.currency, str(budget.value.amount)]
    if budget.value_date is not None:
        parts.append(budget.value_date.isoformat())
    if budget.source is not None:
        parts.append(budget.source)
    return " ".join(parts)


def cells_of(case: PolicyExport) -> list[str]:
    funding = case.funding
    return [
        _text(case.identifier),
        _text(case.parent),
        case.policy.original,
        case.status.value,
        _text(case.year),
        "" if case.value_date is None else case.value_date.isoformat(),
        "" if case.value is None else str(case.value.amount),
        "" if case.value is None else case.value.currency,
        ";".join(f"{share.area.value}:{share.percent}" for share in case.focus),
        *_city_cells(case.recipient),
        "" if funding is None else funding.kind.value,
        *_org_cells(None if funding is None else funding.funder),
        *_org_cells(case.implementer),
        "; ".join(_budget_text(budget) for budget in case.budgets),
        " ".join(case.sources),
        "" if case.note is None else case.note.original,
        language_cell(case),
    ]


def write_exports(cases: Iterable[PolicyExport], target: str | os.PathLike[str] | TextIO) -> None:
    """Write *cases* as CSV to a path or an open text stream.

    A path is replaced only once the whole file is written: if an item is not a case, a
    text cannot be encoded or *cases* (a generator) raises, the file at *target* is left
    as it was.
    """
    if isinstance(target, str | os.PathLike):
        with replacing(target) as handle:
            write_exports(cases, handle)
        return
    rows: list[tuple[list[str], dict[str, str]]] = []
    for index, case in enumerate(cases):
        if not isinstance(case, PolicyExport):
            raise CsvError(
                "<cases>", [f"item {index}: {type(case).__name__} is not a PolicyExport"]
            )
        rows.append((cells_of(case), translations_of(case)))
    extra = translation_columns(more for _, more in rows)
    writer = csv.writer(target, lineterminator="\r\n")  # RFC 4180; also quotes a lone \r
    writer.writerow([*COLUMNS, *extra])
    for cells, more in rows:
        writer.writerow([_safe(cell) for cell in (*cells, *(more.get(c, "") for c in extra))])


def dumps_exports(cases: Iterable[PolicyExport]) -> str:
    """The CSV text of *cases*."""
    buffer = io.StringIO(newline="")
    write_exports(cases, buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ reading


class Row:
    """One row's cells by column name, remembering problems with their columns."""

    def __init__(self, cells: Mapping[str, str]) -> None:
        self.cells = cells

    def get(self, column: str) -> str | None:
        """The cell (``None`` when blank, or when the table lacks the optional column)."""
        return self.cells.get(column) or None

    def given(self, column: str) -> Any:
        """The cell (``None`` when blank), for a constructor to judge and name."""
        return self.get(column)

    def text(self, column: str) -> str | Mapping[str, str] | None:
        """The text of *column*, with its language and versions (see ``_csv_texts``)."""
        try:
            return text_cells(self.cells, column)
        except ValidationError as error:
            raise CellError(error.field, str(error)) from None

    def whole(self, column: str) -> int | None:
        value = self.get(column)
        if value is None:
            return None
        return whole_text(value, column)


class CellError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _at(column: str, make: Callable[[], _T], prefix: str = "") -> _T:
    """Run *make*; name the column of a failure (the model's field where it maps to one)."""
    try:
        return make()
    except CitycoopError as error:
        field = getattr(error, "field", "") or ""
        name = prefix + field.rpartition(".")[2].split("[")[0]
        raise CellError(name if name in COLUMNS else column, str(error)) from None


def _city(row: Row, prefix: str) -> City | None:
    name = row.get(f"{prefix}name")
    if name is None and not any(row.get(f"{prefix}{c}") for c in _CITY):
        return None
    latitude, longitude = row.given(f"{prefix}latitude"), row.given(f"{prefix}longitude")
    coordinates = None
    if latitude is not None or longitude is not None:
        coordinates = _at(f"{prefix}latitude", lambda: Coordinates(latitude, longitude))  # pyright: ignore[reportArgumentType]
    population = _at(f"{prefix}population", lambda: row.whole(f"{prefix}population"))
    geonames_id = _at(f"{prefix}geonames_id", lambda: row.whole(f"{prefix}geonames_id"))
    return _at(
        f"{prefix}name",
        lambda: City(
            name,  # type: ignore[arg-type]
            row.given(f"{prefix}country"),
            row.given(f"{prefix}timezone"),
            population=population,
            coordinates=coordinates,
            geonames_id=geonames_id,
        ),
        prefix,
    )


def _organisation(row: Row, prefix: str) -> Organisation | None:
    name = row.text(f"{prefix}name")
    if name is None and not any(row.get(f"{prefix}{c}") for c in _ORG):
        return None
    city = _city(row, f"{prefix}city_")
    return _at(
        f"{prefix}name",
        lambda: Organisation(
            name,  # type: ignore[arg-type]
            row.given(f"{prefix}kind"),
            city=city,
            country=row.get(f"{prefix}country"),
            identifier=row.get(f"{prefix}identifier"),
        ),
        prefix,
    )


def _focus(text: str | None) -> tuple[FocusShare, ...]:
    if text is None:
        raise CitycoopError("a focus such as 'public_transport:60;digital:40' is needed")
    shares: list[FocusShare] = []
    for part in text.split(";"):
        area, _, percent = part.partition(":")
        shares.append(FocusShare(area, percent or "100"))
    return tuple(shares)


def _budgets(text: str | None) -> tuple[Budget, ...]:
    if text is None:
        return ()
    budgets: list[Budget] = []
    for item in text.split("; "):
        parts = item.split(" ")
        value_date = source = None
        if parts[4:] and _DATE.fullmatch(parts[4]):
            value_date = parts.pop(4)
        if parts[4:]:
            source = parts.pop(4)
        if len(parts) != 4 or "/" not in parts[0]:
            raise CitycoopError(
                f"{show_value(item)} is not 'start/end kind CUR amount [value-date] [source]'"
            )
        start, _, end = parts[0].partition("/")
        budgets.append(
            Budget(
                Period(start, end),
                Money(parts[3], parts[2]),
                parts[1],
                value_date=value_date,
                source=source,
            )
        )
    return tuple(budgets)


def case_of(row: Row) -> PolicyExport:
    value_amount, value_currency = row.given("value_amount"), row.given("value_currency")
    value = None
    if value_amount is not None or value_currency is not None:
        value = _at("value_amount", lambda: Money(value_amount, value_currency))  # pyright: ignore[reportArgumentType]
    funding_kind = row.given("funding_kind")
    funder = _organisation(row, "funder_")
    funding = None
    if funding_kind is not None or funder is not None:
        funding = _at("funding_kind", lambda: Funding(funding_kind, funder))  # pyright: ignore[reportArgumentType]
    recipient = _city(row, "recipient_")
    if recipient is None:
        raise CellError("recipient_name", "a recipient city is needed")
    focus = _at("focus", lambda: _focus(row.get("focus")))
    budgets = _at("budgets", lambda: _budgets(row.get("budgets")))
    year = _at("year", lambda: row.whole("year"))
    return _at(
        "policy",
        lambda: PolicyExport(
            row.text("policy"),  # type: ignore[arg-type]
            recipient,
            focus,
            year=year,
            value_date=row.get("value_date"),
            value=value,
            funding=funding,
            status=row.get("status") or "completed",
            implementer=_organisation(row, "implementer_"),
            budgets=budgets,
            identifier=row.get("identifier"),
            parent=row.get("parent"),
            sources=tuple((row.get("sources") or "").split()),
            note=row.text("note"),
        ),
    )


def cases_from_cells(
    rows: Iterable[tuple[str, Mapping[str, str] | CellError]], name: str
) -> tuple[PolicyExport, ...]:
    """Cases from labelled rows of cells (``("row 3", {column: text})``), all checked first.

    The tabular readers (CSV, data frames, Arrow tables) end here: a :class:`CsvError`
    names each bad row by its label and column, and checking stops after
    :data:`MAX_PROBLEMS` bad rows. A reader that finds a row's problem before the cells
    are text (a float amount in a data frame) passes the :class:`CellError` instead.
    """
    problems: list[str] = []
    cases: list[PolicyExport] = []
    for label, cells in rows:
        try:
            if isinstance(cells, CellError):
                raise cells
            cases.append(case_of(Row(cells)))
        except CellError as error:
            problems.append(f"{label}, column {error.column!r}: {error}")
            if len(problems) >= MAX_PROBLEMS:
                raise CsvError(name, problems, stopped=True) from None
    if problems:
        raise CsvError(name, problems)
    return tuple(cases)


def read_exports(
    source: str | os.PathLike[str] | TextIO, *, max_bytes: int = MAX_BYTES
) -> tuple[PolicyExport, ...]:
    """Read cases from a CSV path or text stream, validating every row first.

    A file or stream larger than *max_bytes* (64 MiB by default, text counted in UTF-8
    bytes) is refused before it is held in memory.

    Raises:
        CsvError: listing every problem with its line and column; nothing partial is
            returned.
    """
    name = source_name(source, "<stream>")
    try:
        data = read_bounded(source, name, checked_max_bytes(max_bytes))
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except DataFileError as error:
        raise CsvError(name, [error.problem]) from None
    except UnicodeDecodeError as error:
        raise CsvError(name, [f"cannot be read: {error}"]) from None
    return _read(io.StringIO(text.removeprefix("\ufeff"), newline=""), name)


def loads_exports(text: str) -> tuple[PolicyExport, ...]:
    """Read cases from CSV text."""
    return _read(io.StringIO(text, newline=""), "<string>")


def _read(handle: TextIO, name: str) -> tuple[PolicyExport, ...]:
    reader = csv.reader(handle)
    problems: list[str] = []
    cases: list[PolicyExport] = []
    try:
        header = next(reader, None)
        if header is None:
            raise CsvError(name, ["line 1: the table is empty; expected a header"])
        if header:  # a byte-order mark that reached the text (the file reader drops it)
            header[0] = header[0].removeprefix("\ufeff")
        given = frozenset(header)
        missing = [c for c in COLUMNS if c not in given and c not in OPTIONAL_COLUMNS]
        if missing:
            raise CsvError(name, [f"line 1: missing columns {missing}"])
        versions = given_translations(header, name)
        unknown = [c for c in header if c not in _KNOWN and c not in versions]
        if unknown:
            raise CsvError(name, [f"line 1: unknown columns [{listed(unknown)}]"])
        if len(given) != len(header):
            twice = sorted(c for c, n in collections.Counter(header).items() if n > 1)
            raise CsvError(name, [f"line 1: columns given twice {twice}"])
        line = reader.line_num + 1  # a record's first line: a quoted cell may span lines
        for cells in reader:
            line, start = reader.line_num + 1, line
            if not any(cells):
                continue
            if len(cells) != len(header):
                problems.append(f"line {start}: {len(cells)} cells, the header has {len(header)}")
            else:
                row = Row(
                    {column: _unsafe(cell) for column, cell in zip(header, cells, strict=True)}
                )
                try:
                    cases.append(case_of(row))
                except CellError as error:
                    problems.append(f"line {start}, column {error.column!r}: {error}")
            if len(problems) >= MAX_PROBLEMS:
                raise CsvError(name, problems, stopped=True)
    except csv.Error as error:
        raise CsvError(name, [f"not valid CSV: {error}"]) from None
    if problems:
        raise CsvError(name, problems)
    return tuple(cases)
