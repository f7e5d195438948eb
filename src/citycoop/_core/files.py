"""Reading data files: what a source can be, its text (a zip's one member), its CSV rows.

Every reader of published data (rate files, price indices) starts here, so that what a
file may be and how a broken one is refused are the same everywhere: a
:class:`~citycoop.DataFileError` naming the file, never a bare ``OSError`` or
``csv.Error``.
"""

from __future__ import annotations

import csv
import io
import os
from typing import IO, TYPE_CHECKING

from citycoop._core.errors import DataFileError

if TYPE_CHECKING:
    from collections.abc import Iterator

#: What a data file can be given as: a path, or a text or binary file object.
Source = str | os.PathLike[str] | IO[str] | IO[bytes]


def read_text(source: Source) -> tuple[str, str]:
    """The name and the whole text of *source* (a zip archive's one CSV member)."""
    name = getattr(source, "name", None)
    name = os.fspath(source) if isinstance(source, str | os.PathLike) else str(name or "<file>")
    try:
        if isinstance(source, str | os.PathLike):
            with open(source, "rb") as handle:  # noqa: PTH123
                data: str | bytes = handle.read()
        else:
            data = source.read()
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(name, None, None, f"cannot be read: {error}") from None
    if isinstance(data, bytes):
        if data.startswith(b"PK\x03\x04"):
            name, data = _unzip(name, data)
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DataFileError(name, None, None, f"is not UTF-8 text: {error}") from None
    if not isinstance(data, str):
        raise DataFileError(name, None, None, "is not a text or binary file")
    return name, data.removeprefix("\ufeff")


def _unzip(name: str, data: bytes) -> tuple[str, bytes]:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                listed = ", ".join(m.filename for m in members[:5]) or "nothing"
                raise DataFileError(
                    name, None, None, f"a zip archive must hold one CSV file; it holds {listed}"
                )
            return f"{name}!{members[0].filename}", archive.read(members[0])
    except (zipfile.BadZipFile, OSError, RuntimeError) as error:
        raise DataFileError(name, None, None, f"is not a readable zip archive: {error}") from None


def csv_rows(name: str, text: str) -> Iterator[tuple[int, list[str]]]:
    """Each row of *text* with its line number; malformed CSV is a ``DataFileError``."""
    line = 0
    try:
        for line, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield line, row
    except csv.Error as error:
        raise DataFileError(name, line + 1, None, f"is not valid CSV: {error}") from None


def csv_head(name: str, text: str, lines: int = 8) -> list[list[str]]:
    """The first *lines* rows, read without splitting the rest of the text."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [row for _, row in zip(range(lines), reader, strict=False)]
    except csv.Error as error:
        raise DataFileError(name, None, None, f"is not valid CSV: {error}") from None
