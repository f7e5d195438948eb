"""Readers for published exchange-rate files: one table, every reader the same shape.

:data:`READERS` maps a format name to a :class:`Reader`: a ``detect`` test on the file's
first lines and a ``read`` function from CSV rows to a :class:`RateFile` (every rate,
and what was deliberately left out, and why). :func:`read_rates` opens a path, a text
or binary file object, or a zip archive holding one CSV file (such as the ECB's own
``eurofxref-hist.zip``), detects the format unless told, and reads it. A new reader is
one row in :data:`READERS`.

A malformed file (missing column, bad number, duplicate date) raises
:class:`~citycoop.DataFileError` naming the file, line and column; no reader ever
returns part of a file.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from citycoop._core.errors import CitycoopError, DataFileError, cut, show_value
from citycoop._core.files import MAX_BYTES, Source, csv_head, csv_rows, read_text
from citycoop._core.progress import Progress, counted
from citycoop._core.time import Period
from citycoop._fx.rates import Rate, checked_rate
from citycoop._fx.series import Layout, Series

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping


#: The World Bank's World Development Indicators: the publisher of rate and price files.
WDI: Final = "World Bank WDI"
WORLD_BANK: Final = f"{WDI} PA.NUS.FCRF (LCU per USD, period average)"
FED_H10: Final = "Federal Reserve H.10/G.5 via FRED (foreign currency per USD)"
ECB: Final = "ECB euro foreign exchange reference rates"

#: Which WDI row speaks for a currency that several territories share.
WDI_ISSUERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "EUR": "EMU",
        "USD": "USA",
        "AUD": "AUS",
        "DKK": "DNK",
        "GBP": "GBR",
        "ZAR": "ZAF",
        "INR": "IND",
        "CHF": "CHE",
        "ILS": "ISR",
        "NZD": "NZL",
    }
)

#: Federal Reserve H.10 area names and their currencies.
FED_AREAS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Australia": "AUD",
        "Austria": "ATS",
        "Belgium": "BEF",
        "Brazil": "BRL",
        "Canada": "CAD",
        "China": "CNY",
        "Denmark": "DKK",
        "Euro": "EUR",
        "Finland": "FIM",
        "France": "FRF",
        "Germany": "DEM",
        "Greece": "GRD",
        "Hong Kong": "HKD",
        "India": "INR",
        "Ireland": "IEP",
        "Italy": "ITL",
        "Japan": "JPY",
        "Malaysia": "MYR",
        "Mexico": "MXN",
        "Netherlands": "NLG",
        "New Zealand": "NZD",
        "Norway": "NOK",
        "Portugal": "PTE",
        "Singapore": "SGD",
        "South Africa": "ZAR",
        "South Korea": "KRW",
        "Spain": "ESP",
        "Sri Lanka": "LKR",
        "Sweden": "SEK",
        "Switzerland": "CHF",
        "Taiwan": "TWD",
        "Thailand": "THB",
        "United Kingdom": "GBP",
    }
)

#: Areas whose series mixes currency units across redenominations; never loaded.
FED_MIXED_UNITS: Final = frozenset({"Venezuela"})


@attrs.frozen
class RateFile:
    """What every reader returns: all the rates of a file and what it left out, and why."""

    eager: tuple[Rate, ...]
    omitted: tuple[str, ...] = ()
    #: A reader of a large file may give its rates as series instead, each daily value
    #: checked and held as text, its Rate built when served (``RateTable._assembled``).
    series: dict[tuple[str, str], Series] | None = None
    segments: tuple[Layout, ...] = ()

    @property
    def rates(self) -> tuple[Rate, ...]:
        """Every rate of the file, in its order (built now where the reader held values)."""
        if self.series is None:
            return self.eager
        return tuple(rate for segment in self.segments for rate in segment)


@attrs.frozen
class Reader:
    """One rate-file format: how to recognise it and how to read it."""

    #: Whether the file's first lines (parsed as CSV) are this format's.
    detect: Callable[[list[list[str]]], bool]
    #: Every rate of the file, given its name and its CSV rows numbered from 1.
    read: Callable[[str, Iterable[tuple[int, list[str]]]], RateFile]
    #: The format's name in messages.
    title: str


_NUMBER: Final = re.compile(r"[0-9]{1,30}(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,4})?")
#: The plain form a rate file writes nearly every rate in (``1331.51``): read fast.
_PLAIN: Final = re.compile(r"[0-9]{1,15}(\.[0-9]{1,15})?")
#: A year column's label: four ASCII digits, 1000 to 2999.
YEAR: Final = re.compile(r"[12][0-9]{3}")


def positive_number(path: str, line: int, column: str, text: str, what: str = "rate") -> Decimal:
    """A positive *what* written in plain ASCII digits (``1331.51``, ``1.2E+3``)."""
    cell = text.strip()
    if _NUMBER.fullmatch(cell) is None:
        raise DataFileError(path, line, column, f"{show_value(text)} is not a number")
    value = Decimal(cell)
    if value <= 0:
        raise DataFileError(path, line, column, f"{show_value(text)} is not a positive {what}")
    return value


def year_columns(
    path: str, line: int, header: list[str], start: int = 4, skip: str = ""
) -> list[tuple[int, int]]:
    """The year columns of a header from column *start*: ``(index, year)``, each year once.

    A blank label is skipped (the trailing comma of every WDI line), and so is a label
    starting with *skip* when one is given (pandas' ``Unnamed: 63``); any other label
    that is not four ASCII digits, or a year named twice, is refused.
    """
    years: list[tuple[int, int]] = []
    seen: dict[int, int] = {}
    for index, cell in enumerate(header[start:], start=start):
        label = cell.strip()
        if not label or (skip and label.startswith(skip)):
            continue
        if YEAR.fullmatch(label) is None:
            raise DataFileError(path, line, cut(label, 40), "is not a year column (such as 2021)")
        year = int(label)
        if year in seen:
            raise DataFileError(path, line, label, f"repeats column {seen[year] + 1}")
        seen[year] = index
        years.append((index, year))
    if not years:
        raise DataFileError(path, line, None, "the header has no year columns")
    return years


def _date(path: str, line: int, column: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DataFileError(path, line, column, f"{show_value(text)} is not an ISO date") from None


def _rate(  # noqa: PLR0917 - a rate's five parts, and where it stands in the file
    path: str,
    line: int,
    column: str,
    base: str,
    quote: str,
    value: Decimal,
    period: Period,
    source: str,
) -> Rate:
    try:
        return checked_rate(base, quote, value, period, source)
    except CitycoopError as error:
        raise DataFileError(path, line, column, str(error)) from None


def territory_currency(code: str, last_year: int) -> tuple[str | None, str]:
    """The one tender currency of the World Bank economy *code* at the end of *last_year*.

    ``EMU`` (the euro area) is EUR. An aggregate (``WLD``) or a territory with several
    tender currencies has none: then the second item says why, for ``omitted``.
    """
    from babel.numbers import get_territory_currencies

    from citycoop._core.places import Country

    if code == "EMU":
        return "EUR", ""
    try:
        country = Country(code)
    except CitycoopError:
        return None, f"{code}: a World Bank aggregate, not a territory"
    day = dt.date(last_year, 12, 31)
    tender = get_territory_currencies(country.code, day, tender=True, non_tender=False)
    if len(tender) != 1:
        return None, f"{code}: {len(tender)} tender currencies ({', '.join(tender)})"
    return tender[0], ""


class WdiRows:
    """The data rows of a World Bank WDI bulk CSV, for the rate and the price readers.

    Iterating yields ``(line, cells, country code)`` for each row after the header (the
    line starting ``Country Name``, which *check_header* judges), skipping blank rows and
    refusing a short row or a country code that repeats. After the loop, :attr:`years`
    holds each year column's (index, year) and :attr:`updated` the preamble's
    ``Last Updated Date``; :meth:`done` refuses a file that had no header.
    """

    def __init__(
        self,
        name: str,
        lines: Iterable[tuple[int, list[str]]],
        check_header: Callable[[int, list[str]], None],
    ) -> None:
        self.name = name
        self.lines = lines
        self.check_header = check_header
        self.header: list[str] | None = None
        self.years: list[tuple[int, int]] = []
        self.updated = ""

    def __iter__(self) -> Iterator[tuple[int, list[str], str]]:
        name, seen = self.name, dict[str, int]()
        for line, row in self.lines:
            if self.header is None:
                if row[:1] == ["Last Updated Date"] and len(row) > 1:
                    self.updated = row[1].strip()
                if row and row[0] == "Country Name":
                    self.check_header(line, row)
                    self.header = row
                    self.years = year_columns(name, line, row)
                continue  # preamble lines before the header
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(self.header) - 1:
                raise DataFileError(
                    name, line, None, f"has {len(row)} cells, expected {len(self.header)}"
                )
            code = row[1].strip()
            if code in seen:
                raise DataFileError(
                    name, line, "Country Code", f"{show_value(code)} repeats line {seen[code]}"
                )
            seen[code] = line
            yield line, row, code

    def done(self) -> None:
        """Refuse a file whose header never came."""
        if self.header is None:
            raise DataFileError(
                self.name, None, None, "has no header line starting with 'Country Name'"
            )


def read_world_bank(name: str, lines: Iterable[tuple[int, list[str]]]) -> RateFile:
    """Read a WDI ``PA.NUS.FCRF`` CSV; return the rates and what was left out, and why."""

    def check_header(line: int, row: list[str]) -> None:
        if len(row) < 5 or row[1] != "Country Code":
            raise DataFileError(name, line, "Country Code", "the header lacks 'Country Code'")

    table = WdiRows(name, lines, check_header)
    candidates: dict[str, dict[str, tuple[int, list[str]]]] = {}
    omitted: list[str] = []
    for line, row, code in table:
        currency, why = territory_currency(code, table.years[-1][1])
        if currency is None:
            omitted.append(why)
            continue
        candidates.setdefault(currency, {})[code] = (line, row)
    table.done()
    years = table.years
    rates: list[Rate] = []
    for currency, sharers in sorted(candidates.items()):
        rows = sharers
        if currency == "USD":
            omitted.extend(f"{code}: USD per USD is 1" for code in sorted(rows))
            continue
        issuer = WDI_ISSUERS.get(currency)
        if issuer in rows:
            omitted.extend(
                f"{code}: {currency} is served by the {issuer} row"
                for code in sorted(rows)
                if code != issuer
            )
            rows = {issuer: rows[issuer]}
        for index, year in years:
            values: dict[Decimal, tuple[int, str]] = {}
            for code, (line, row) in rows.items():
                cell = row[index].strip() if index < len(row) else ""
                if cell:
                    values.setdefault(positive_number(name, line, str(year), cell), (line, code))
            if len(values) > 1:
                omitted.append(
                    f"{currency} {year}: rows {sorted(c for _, c in values.values())} disagree"
                )
            elif values:
                ((value, (line, _)),) = values.items()
                rates.append(
                    _rate(
                        name, line, str(year), "USD", currency, value, Period.year(year), WORLD_BANK
                    )
                )
    return RateFile(tuple(rates), tuple(omitted))


def read_fed_h10(name: str, lines: Iterable[tuple[int, list[str]]]) -> RateFile:
    """Read a Federal Reserve H.10 ``Date, Country, Exchange rate`` CSV."""
    parsed: list[tuple[int, dt.date, str, Decimal]] = []
    seen: dict[tuple[dt.date, str], int] = {}
    header_seen = False
    for line, row in lines:
        if not header_seen:
            if [cell.strip() for cell in row[:3]] != ["Date", "Country", "Exchange rate"]:
                raise DataFileError(
                    name, line, None, "the header must be 'Date,Country,Exchange rate'"
                )
            header_seen = True
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 3:
            raise DataFileError(name, line, None, f"has {len(row)} cells, expected 3")
        day = _date(name, line, "Date", row[0])
        area = row[1].strip()
        if area in FED_MIXED_UNITS:
            continue
        if area not in FED_AREAS:
            raise DataFileError(
                name, line, "Country", f"{show_value(area)} is not a known H.10 area"
            )
        key = (day, area)
        if key in seen:
            raise DataFileError(name, line, "Date", f"{area} {day} repeats line {seen[key]}")
        seen[key] = line
        parsed.append((line, day, area, positive_number(name, line, "Exchange rate", row[2])))
    if not header_seen:
        raise DataFileError(name, None, None, "is empty")
    annual = all((day.month, day.day) == (1, 1) for _, day, _, _ in parsed)
    rates: list[Rate] = []
    for line, day, area, value in parsed:
        if day.day != 1:
            raise DataFileError(name, line, "Date", f"{day} is not the first day of a month")
        period = Period.year(day.year) if annual else Period.month(day.year, day.month)
        rates.append(
            _rate(name, line, "Exchange rate", "USD", FED_AREAS[area], value, period, FED_H10)
        )
    return RateFile(tuple(rates))


def read_ecb(name: str, lines: Iterable[tuple[int, list[str]]]) -> RateFile:
    """Read the ECB ``eurofxref-hist.csv`` (newest first, ``N/A`` gaps, trailing comma).

    The work is linear in the file: each row visits only the cells it has, and the
    header's named columns are found once (a currency named twice is refused there).
    """
    width = 0
    named: list[tuple[int, str]] = []
    columns: dict[str, Series] = {}
    held: dict[str, tuple[list[dt.date], list[str]]] = {}
    rows: list[dt.date] = []
    seen: dict[dt.date, int] = {}
    header = False
    for line, row in lines:
        if not header:
            if not row or row[0].strip() != "Date":
                raise DataFileError(name, line, None, "the header must start with 'Date'")
            named = ecb_columns(name, line, row)
            width, header = len(row), True
            continue
        if not any(cell.strip() for cell in row):
            continue
        day = _date(name, line, "Date", row[0])
        if day in seen:
            raise DataFileError(name, line, "Date", f"{day} repeats line {seen[day]}")
        seen[day] = line
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise DataFileError(name, line, None, f"has {len(row)} cells, the header {width}")
        rows.append(day)
        for index, currency in named[: bisect.bisect_left(named, (len(row), ""))]:
            cell = row[index].strip()
            if cell in {"", "N/A"}:
                continue
            series = columns.get(currency)
            # A plain positive decimal of at most 15 + 15 digits is within Rate's range.
            if series is None or not (_PLAIN.fullmatch(cell) and cell.strip("0.")):
                value = positive_number(name, line, currency, cell)
                if series is None or not -30 <= value.adjusted() <= 30:
                    # A column's first rate is built now, so that its code is checked (and
                    # an out-of-range value refused) where it stands, as Rate refuses it.
                    rate = _rate(name, line, currency, "EUR", currency, value, Period.day(day), ECB)
                    series = columns.setdefault(currency, Series("EUR", currency, ECB))
                    series.days[day] = rate
                    held.setdefault(currency, ([], []))
                    continue
            days, texts = held[currency]
            days.append(day)
            texts.append(cell)
    if not header:
        raise DataFileError(name, None, None, "is empty")
    for currency, series in columns.items():
        series.hold(*held[currency])
        series.seal()
    ordered = tuple(columns[currency] for _, currency in named if currency in columns)
    pairs = {(series.base, series.quote): series for series in ordered}
    return RateFile((), series=pairs, segments=(Layout(tuple(rows), ordered),))


def ecb_columns(name: str, line: int, header: list[str]) -> list[tuple[int, str]]:
    """The named columns of an ECB header after ``Date``: ``(index, currency)``, each once."""
    named: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header[1:], start=1):
        currency = cell.strip()
        if not currency:
            continue  # the trailing comma of every ECB line
        if currency in seen:
            raise DataFileError(
                name, line, cut(currency, 40), f"repeats column {seen[currency] + 1}"
            )
        seen[currency] = index
        named.append((index, currency))
    return named


def _is_ecb(head: list[list[str]]) -> bool:
    first = [cell.strip() for cell in head[0]] if head else []
    return len(first) > 1 and first[0] == "Date" and len(first[1]) == 3 and first[1].isupper()


def _is_fed_h10(head: list[list[str]]) -> bool:
    return bool(head) and [cell.strip() for cell in head[0][:3]] == [
        "Date",
        "Country",
        "Exchange rate",
    ]


def is_world_bank(head: list[list[str]]) -> bool:
    return any(row[:2] in (["Country Name", "Country Code"], ["Data Source"]) for row in head)


#: Every rate-file format citycoop reads, by name, in the order detection tries them.
READERS: Final[Mapping[str, Reader]] = MappingProxyType(
    {
        "ecb": Reader(_is_ecb, read_ecb, "ECB eurofxref-hist CSV"),
        "fed_h10": Reader(_is_fed_h10, read_fed_h10, "Federal Reserve H.10 CSV"),
        "world_bank": Reader(is_world_bank, read_world_bank, "World Bank WDI CSV"),
    }
)


def read_rates(
    source: Source,
    format: str | None = None,  # noqa: A002
    max_bytes: int = MAX_BYTES,
    progress: Progress = None,
) -> RateFile:
    """Read a rate file in *format* (one of :data:`READERS`), or in the format detected.

    Raises:
        DataFileError: the file cannot be read, its format is not recognised or unknown,
            or a row is malformed.
    """
    if format is not None and format not in READERS:
        raise DataFileError(
            str(getattr(source, "name", source)),
            None,
            None,
            f"{show_value(format)} is not a rate-file format; expected one of {', '.join(READERS)}",
        )
    name, text = read_text(source, max_bytes)
    if format is None:
        head = csv_head(name, text)
        found = [key for key, reader in READERS.items() if reader.detect(head)]
        if not found:
            titles = ", ".join(reader.title for reader in READERS.values())
            raise DataFileError(name, None, None, f"is not a known rate file ({titles})")
        format = found[0]  # noqa: A001
    rows = counted(
        csv_rows(name, text),
        progress,
        what=Path(name).name,
        field="RateTable.from_file.progress",
        total=text.count("\n") + (not text.endswith("\n")),
        every=256,
    )
    return READERS[format].read(name, rows)
