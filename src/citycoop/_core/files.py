"""Reading data files: what a source can be, its text (a zip's one member), its CSV rows.

Every reader of published data (rate files, price indices) starts here, so that what a
file may be and how a broken one is refused are the same everywhere: a
:class:`~citycoop.DataFileError` naming the file, never a bare ``OSError`` or
``csv.Error``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import secrets
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, TextIO

from citycoop._core.errors import DataFileError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

#: What a data file can be given as: a path, or a text or binary file object.
Source = str | os.PathLike[str] | IO[str] | IO[bytes]


#: The default limit of every reader of data files (rates, prices, CSV, TOML, JSON), in
#: bytes: a file, or a zip archive's member once decompressed, that is larger is refused
#: before it is held in memory. Every reader takes ``max_bytes`` to change it.
MAX_BYTES: Final = 64 * 2**20


def checked_max_bytes(value: object, field: str = "max_bytes") -> int:
    """*value* if it is a whole number of bytes of at least 1, else a ``ValidationError``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(field, value, "a whole number of bytes, at least 1")
    return value


def source_name(source: object, unnamed: str = "<file>") -> str:
    """How a source is named in errors: its path, its file object's name, or *unnamed*."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)  # pyright: ignore[reportUnknownArgumentType]
    return str(getattr(source, "name", None) or unnamed)


def read_bounded(source: Source, name: str, max_bytes: int) -> str | bytes:
    """At most *max_bytes* of *source* (bytes, or text counted in UTF-8 bytes), or refuse.

    Reads one byte (or character) past the limit, never the whole of an endless source
    such as ``/dev/zero``.
    """
    if not isinstance(source, str | os.PathLike) and not callable(getattr(source, "read", None)):
        raise DataFileError(
            name, None, None, f"is not a path or a file object: {type(source).__name__}"
        )
    try:
        if isinstance(source, str | os.PathLike):
            with open(source, "rb") as handle:  # noqa: PTH123
                data: str | bytes = handle.read(max_bytes + 1)
        else:
            data = source.read(max_bytes + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(name, None, None, f"cannot be read: {error}") from None
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise DataFileError(name, None, None, f"is larger than max_bytes={max_bytes:,} bytes")
    return data


def read_text(source: Source, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """The name and the whole text of *source* (a zip archive's one CSV member).

    Raises:
        DataFileError: the source cannot be read, is larger than *max_bytes* (a zip
            member counts decompressed), is not UTF-8, or is a broken archive.
    """
    name = source_name(source)
    data = read_bounded(source, name, checked_max_bytes(max_bytes))
    if isinstance(data, bytes):
        if data.startswith(b"PK\x03\x04"):
            name, data = _unzip(name, data, max_bytes)
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DataFileError(name, None, None, f"is not UTF-8 text: {error}") from None
    if not isinstance(data, str):
        raise DataFileError(name, None, None, "is not a text or binary file")
    return name, data.removeprefix("\ufeff")


def _unzip(name: str, data: bytes, max_bytes: int) -> tuple[str, bytes]:
    """The one member of a zip archive, at most *max_bytes* once decompressed.

    The declared size is checked first and the actual size while reading (a declared
    size can lie); a corrupt member is a ``DataFileError``, never a ``zlib.error``.
    """
    import lzma
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                listed = ", ".join(m.filename for m in members[:5]) or "nothing"
                raise DataFileError(
                    name, None, None, f"a zip archive must hold one CSV file; it holds {listed}"
                )
            (member,) = members
            where = f"{name}!{member.filename}"
            if member.file_size > max_bytes:
                raise DataFileError(
                    where, None, None, f"is larger than max_bytes={max_bytes:,} bytes unzipped"
                )
            with archive.open(member) as handle:
                content = handle.read(max_bytes + 1)
            if len(content) > max_bytes:
                raise DataFileError(
                    where, None, None, f"is larger than max_bytes={max_bytes:,} bytes unzipped"
                )
            return where, content
    except (
        zipfile.BadZipFile,
        zlib.error,
        lzma.LZMAError,
        EOFError,
        NotImplementedError,
        OSError,
        RuntimeError,
    ) as error:
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


@contextlib.contextmanager
def replacing(target: str | os.PathLike[str], encoding: str = "utf-8") -> Generator[TextIO]:
    """A text file to write that replaces *target* only once it is whole.

    It is written beside *target* (same folder, so the rename is atomic) under a new
    name, flushed to disk, then renamed over *target*. If anything fails first (a bad
    item, an encoding error, an exception in the caller's generator), the partial file
    is removed and *target* is left as it was; if the process is killed, *target* is left
    as it was too.
    """
    path = Path(target).absolute()
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with temporary.open("x", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
