"""Readers for published price-index files: the World Bank's bulk CSV and the DAC table.

:func:`read_prices` opens a path, a text or binary file object, or a zip archive holding
one CSV file, detects the format unless told, and returns a
:class:`~citycoop.PriceIndex`. Values are Decimals from the file's text; an empty cell
is a missing value. A malformed file raises :class:`~citycoop.DataFileError` naming the
file, line and column; no reader returns part of a file.
"""

from __future__ import annotations

import bisect
import functools
import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from citycoop._core.errors import CitycoopError, DataFileError, cut, show_value
from citycoop._core.files import MAX_BYTES, csv_head, csv_rows, read_text
from citycoop._fx.files import (
    WDI,
    YEAR,
    WdiRows,
    is_world_bank,
    positive_number,
    territory_currency,
    year_columns,
)
from citycoop._prices.values import Economy, IndexValue

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from citycoop._core.files import Source


@attrs.frozen
class IndexFile:
    """What every reader returns: the values of a file, its economies, and what it left out."""

    values: tuple[IndexValue, ...]
    economies: tuple[Economy, ...]
    source: str
    indicator: str
    base_year: int | None
    omitted: tuple[str, ...]


DAC: Final = "OECD DAC"
#: The DAC table's indicator: deflators of US dollar flows (exchange-rate effects included).
DAC_INDICATOR: Final = "deflators for resource flows from DAC donors (USD)"

#: DAC donor names that are not CLDR's English country names, and the two aggregates.
DAC_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Korea": "KOR",
        "Czech Republic": "CZE",
        "Slovak Republic": "SVK",
        "TOTAL DAC": "DAC",
        "EU Institutions": "EUI",
    }
)
_BASE: Final = re.compile(r"\(([0-9]{4})\s*=\s*100\)")


def _base_year(values: list[IndexValue], claimed: int | None) -> int | None:
    """*claimed* if every economy with a value that year has exactly 100, else ``None``."""
    if claimed is None:
        return None
    at_base = [v.value for v in values if v.year == claimed]
    return claimed if at_base and all(v == 100 for v in at_base) else None


def read_world_bank(name: str, lines: Iterable[tuple[int, list[str]]]) -> IndexFile:
    """Read a WDI bulk CSV of a price indicator (GDP deflator, CPI, ...)."""

    def check_header(line: int, row: list[str]) -> None:
        if row[1:4] != ["Country Code", "Indicator Name", "Indicator Code"]:
            raise DataFileError(
                name,
                line,
                None,
                "the header must start Country Name, Country Code, Indicator Name, Indicator Code",
            )

    table = WdiRows(name, lines, check_header)
    indicator: tuple[str, str, int] | None = None  # code, name, line
    economies: list[Economy] = []
    values: list[IndexValue] = []
    omitted: list[str] = []
    for line, row, code in table:
        given = row[3].strip()
        if indicator is None:
            if given.startswith("PA.NUS."):
                raise DataFileError(
                    name,
                    line,
                    "Indicator Code",
                    f"{show_value(given)} is an exchange-rate series, not a price index "
                    "(read it with RateTable.from_file)",
                )
            indicator = (given, row[2].strip(), line)
        elif given != indicator[0]:
            raise DataFileError(
                name,
                line,
                "Indicator Code",
                f"{show_value(given)} differs from {indicator[0]!r} on line {indicator[2]}",
            )
        currency, why = territory_currency(code, table.years[-1][1])
        if currency is None:
            omitted.append(why)
            continue
        try:
            economies.append(Economy(code, row[0].strip() or code, currency))
        except CitycoopError as error:
            raise DataFileError(name, line, "Country Code", str(error)) from None
        for index, year in table.years:
            cell = row[index].strip() if index < len(row) else ""
            if cell:
                number = positive_number(name, line, str(year), cell, "index value")
                values.append(IndexValue(code, year, number))
    table.done()
    if indicator is None:
        raise DataFileError(name, None, None, "has no header line starting with 'Country Name'")
    match = _BASE.search(indicator[1])
    updated = table.updated
    source = f"{WDI} (updated {updated})" if updated else WDI
    return IndexFile(
        tuple(values),
        tuple(economies),
        source,
        indicator[0],
        _base_year(values, int(match.group(1)) if match else None),
        tuple(omitted),
    )


def _donor_code(donor: str) -> str | None:
    """The economy code of a DAC donor row, by the table's name or CLDR's English name."""
    from citycoop._core.places import Country

    known = DAC_NAMES.get(donor)
    if known is not None:
        return known
    found = _english_territories().get(donor)
    if found is None or len(found) != 2 or not found.isalpha():
        return None
    try:
        return Country(found).alpha3
    except CitycoopError:
        return None


@functools.cache
def _english_territories() -> Mapping[str, str]:
    """CLDR's English territory names and their codes (the first code of a shared name)."""
    from babel import Locale

    names: dict[str, str] = {}
    for code, name in Locale("en").territories.items():  # pyright: ignore[reportUnknownVariableType]
        names.setdefault(str(name), str(code))  # pyright: ignore[reportUnknownArgumentType]
    return MappingProxyType(names)


def read_dac(name: str, lines: Iterable[tuple[int, list[str]]]) -> IndexFile:
    """Read the OECD DAC deflator table as a CSV: a donor per row, a year per column.

    Every deflator prices US dollars. A ``0`` is a missing year (the table as
    re-published by pandas writes gaps so); a row with a name and no values is a note.
    """
    header: list[str] | None = None
    years: list[tuple[int, int]] = []
    economies: list[Economy] = []
    values: list[IndexValue] = []
    omitted: list[str] = []
    seen: dict[str, int] = {}
    for line, row in lines:
        if header is None:
            header = row
            years = year_columns(name, line, row, start=1, skip="Unnamed: ")
            continue
        if not any(cell.strip() for cell in row):
            continue
        donor = row[0].strip()
        cells = {
            year: row[index].strip()
            for index, year in years[: bisect.bisect_left(years, (len(row), 0))]
        }
        if not any(cells.values()):
            omitted.append(f"line {line}: {cut(donor, 60)!r} (a note, not a donor)")
            continue
        code = _donor_code(donor)
        if code is None:
            omitted.append(f"line {line}: {cut(donor, 60)!r} is not a donor citycoop knows")
            continue
        if code in seen:
            raise DataFileError(name, line, None, f"{donor!r} repeats line {seen[code]}")
        seen[code] = line
        economies.append(Economy(code, donor, "USD"))
        gaps = 0
        for year, cell in cells.items():
            if not cell:
                continue
            if cell.strip("0.") == "" and cell[0] == "0":
                gaps += 1
                continue
            values.append(
                IndexValue(code, year, positive_number(name, line, str(year), cell, "index value"))
            )
        if gaps:
            omitted.append(f"{code}: {gaps} years written as 0 (no value)")
    if header is None:
        raise DataFileError(name, None, None, "is empty")
    return IndexFile(
        tuple(values),
        tuple(economies),
        DAC,
        DAC_INDICATOR,
        _common_base(values, years, len(economies)),
        tuple(omitted),
    )


def _common_base(values: list[IndexValue], years: list[tuple[int, int]], donors: int) -> int | None:
    """The first year at which every donor's index is 100, if any (one pass over *values*)."""
    at_100: dict[int, int] = {}
    for value in values:
        if value.value == 100:
            at_100[value.year] = at_100.get(value.year, 0) + 1
    return next((year for _, year in years if donors and at_100.get(year) == donors), None)


def _is_dac(head: list[list[str]]) -> bool:
    first = head[0] if head else []
    return (
        len(first) > 2
        and first[0].strip() in ("", "Unnamed: 0")
        and YEAR.fullmatch(first[1].strip()) is not None
    )


#: Every price-index format citycoop reads, in the order detection tries them: how to
#: recognise its first lines, how to read its rows, and its name in messages.
READERS: Final[
    Mapping[
        str,
        tuple[
            Callable[[list[list[str]]], bool],
            Callable[[str, Iterable[tuple[int, list[str]]]], IndexFile],
            str,
        ],
    ]
] = MappingProxyType(
    {
        "world_bank": (is_world_bank, read_world_bank, "World Bank WDI bulk CSV"),
        "dac": (_is_dac, read_dac, "OECD DAC deflator CSV"),
    }
)


def read_prices(
    source: Source,
    format: str | None = None,  # noqa: A002
    max_bytes: int = MAX_BYTES,
) -> IndexFile:
    """Read a price-index file in *format* (one of :data:`READERS`), or as detected."""
    if format is not None and format not in READERS:
        raise DataFileError(
            str(getattr(source, "name", source)),
            None,
            None,
            f"{show_value(format)} is not a price-index format; expected one of "
            + ", ".join(READERS),
        )
    name, text = read_text(source, max_bytes)
    if format is None:
        head = csv_head(name, text)
        found = [key for key, (detect, _, _) in READERS.items() if detect(head)]
        if not found:
            titles = ", ".join(title for _, _, title in READERS.values())
            raise DataFileError(name, None, None, f"is not a known price-index file ({titles})")
        format = found[0]  # noqa: A001
    return READERS[format][1](name, csv_rows(name, text))
