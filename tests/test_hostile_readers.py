"""One hostile corpus for every reader: a citycoop error or a result, in bounded time and memory.

Each reader is one row of :data:`READERS` (how to hand it a file of given bytes); each
attack one row of :data:`ATTACKS` (bytes made from the reader's own valid sample). Every
pair runs: the reader either returns or raises a :class:`citycoop.CitycoopError` with a
bounded message, within :data:`SECONDS` of CPU time and :data:`PEAK` bytes of Python
memory. A new reader gets every attack by adding one row.
"""

from __future__ import annotations

import contextlib
import io
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import citycoop
from citycoop import CitycoopError, PriceIndex, RateTable
from citycoop._core.files import MAX_BYTES
from citycoop.io import csv as ccsv
from citycoop.io import json as cjson
from citycoop.io import toml as ctoml

if TYPE_CHECKING:
    from collections.abc import Callable

#: CPU seconds one reader may spend on one attack (the quadratic readers took 12 to 18 s
#: on inputs of a few hundred KB; a linear one takes well under a second).
SECONDS = 10
#: Bytes of Python memory one reader may hold at its peak on one attack: what reading a
#: file of the default limit (64 MiB) and decoding it needs, with room.
PEAK = 5 * MAX_BYTES
#: The longest message an error may carry.
MESSAGE = 20_000

IATI = b"""<iati-activities version="2.03">
 <iati-activity default-currency="USD" xml:lang="en">
  <iati-identifier>XM-TEST-1</iati-identifier>
  <reporting-org ref="XM-TEST" type="10"><narrative>Test</narrative></reporting-org>
  <title><narrative>Water</narrative></title>
  <description><narrative>Water</narrative></description>
  <participating-org role="1" type="10" ref="XM-TEST"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/>
  <recipient-country code="PE" percentage="100"/>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-03-01"/>
   <value value-date="2021-03-01">100.50</value></transaction>
 </iati-activity>
</iati-activities>"""


def _samples() -> dict[str, bytes]:
    seoul = citycoop.datasets.seoul()
    return {
        "csv": ccsv.dumps_exports(seoul.exports).encode(),
        "json": cjson.dumps(seoul).encode(),
        "toml": (Path(citycoop.datasets.__file__).parent / "seoul.toml").read_bytes(),
        "rates": b"Date,USD,JPY,\n2021-11-25,1.1223,130.5,\n2021-11-24,1.1200,N/A,\n",
        "prices": b",2019,2020,Unnamed: 3\nKorea,95.5,100,\nPeru,97,100,\n",
        "iati": IATI,
    }


SAMPLES = _samples()


def _path_reader(sample: str, suffix: str, read: Callable[[Path], object]) -> Any:
    """A reader of a path: the attack's bytes are written to a file first."""

    def run(data: bytes | None, folder: Path, special: object = ...) -> Callable[[], object]:
        if special is not ...:
            return lambda: read(special)  # type: ignore[arg-type]
        path = folder / f"input{suffix}"
        path.write_bytes(data or b"")
        return lambda: read(path)

    run.sample = sample  # type: ignore[attr-defined]
    run.paths = True  # type: ignore[attr-defined]
    return run


def _frame_reader(read: Callable[[Any], object]) -> Any:
    """A reader of a table: pandas or pyarrow parse the CSV first; if they cannot, the
    attack does not reach citycoop and the row is skipped."""

    def run(data: bytes | None, folder: Path, special: object = ...) -> Callable[[], object]:
        if special is not ...:
            return lambda: read(special)
        if (data or b"").count(b",", 0, 100_000) > 10_000:
            pytest.skip("the table library itself is slow past thousands of columns")
        try:
            table = _parse_table(read, data or b"", folder)
        except Exception as error:  # noqa: BLE001 - pandas' or pyarrow's own refusal
            pytest.skip(f"the table library refused the bytes first: {type(error).__name__}")
        return lambda: read(table)

    run.sample = "csv"  # type: ignore[attr-defined]
    run.paths = False  # type: ignore[attr-defined]
    return run


def _parse_table(read: Callable[[Any], object], data: bytes, folder: Path) -> Any:
    if read is _from_frame:
        pd = pytest.importorskip("pandas")
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    pa_csv = pytest.importorskip("pyarrow.csv")
    import pyarrow as pa

    table = pa_csv.read_csv(io.BytesIO(data), pa_csv.ReadOptions(use_threads=False))
    table = table.set_column(
        table.column_names.index("value_amount"),
        "value_amount",
        table.column("value_amount").cast(pa.decimal128(38, 12)),
    )
    if read is _parquet_rollup:
        import pyarrow.parquet as pq

        pq.write_table(table, folder / "cases.parquet")
        return folder / "cases.parquet"
    return table


def _from_frame(frame: Any) -> object:
    from citycoop.io import frames

    return frames.exports_from_frame(frame)


def _from_arrow(table: Any) -> object:
    from citycoop.io import arrow

    return arrow.from_arrow(table)


def _parquet_rollup(path: Any) -> object:
    from citycoop import columnar

    return columnar.rollup(columnar.open_parquet(path) if isinstance(path, Path) else path)


def _cli(path: object) -> object:
    from citycoop.__main__ import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = main(["--input", str(path)])
    assert status in (0, 1)
    return status


def _iati(path: object) -> object:
    pytest.importorskip("lxml")
    from citycoop.io.iati import read_activities

    return list(read_activities(path))  # type: ignore[arg-type]


def _json_bytes(data: bytes | None, folder: Path, special: object = ...) -> Callable[[], object]:
    del folder
    text = special if special is not ... else data or b""
    return lambda: cjson.loads(text)  # type: ignore[arg-type]


_json_bytes.sample = "json"  # type: ignore[attr-defined]
_json_bytes.paths = False  # type: ignore[attr-defined]

#: Every reader, by name: from (bytes, folder, special value), the call to measure.
READERS: dict[str, Any] = {
    "json": _json_bytes,
    "csv": _path_reader("csv", ".csv", ccsv.read_exports),
    "toml": _path_reader("toml", ".toml", ctoml.load_toml),
    "rates": _path_reader("rates", ".csv", RateTable.from_file),
    "prices": _path_reader("prices", ".csv", PriceIndex.from_file),
    "iati": _path_reader("iati", ".xml", _iati),
    "cli-json": _path_reader("json", ".json", _cli),
    "cli-toml": _path_reader("toml", ".toml", _cli),
    "frames": _frame_reader(_from_frame),
    "arrow": _frame_reader(_from_arrow),
    "parquet": _frame_reader(_parquet_rollup),
}

_ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _zipped(data: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("data.csv", data)
    return buffer.getvalue()


def _bomb() -> bytes:
    """A zip of about 200 KB that unzips to 200 MB (three times the default limit)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("data.csv", "w", force_zip64=True) as member,
    ):
        member.write(b"Date,USD,\n")
        block = b"2021-11-25,1.1,\n" * 65536
        for _ in range(200 * 2**20 // len(block)):
            member.write(block)
    return buffer.getvalue()


def _corrupt(data: bytes) -> bytes:
    archive = bytearray(_zipped(data * 50))
    middle = len(archive) // 2
    archive[middle : middle + 16] = b"\xff" * 16
    return bytes(archive)


#: Every attack: bytes from a reader's valid sample (or a special value to pass instead).
ATTACKS: dict[str, Callable[[bytes], object]] = {
    "empty": lambda _: b"",
    "nul": lambda s: s[: len(s) // 2] + b"\x00" + s[len(s) // 2 :],
    "only NULs": lambda _: b"\x00" * 100_000,
    "BOM": lambda s: b"\xef\xbb\xbf" + s,
    "two BOMs": lambda s: b"\xef\xbb\xbf\xef\xbb\xbf" + s,
    "UTF-16": lambda s: s.decode("utf-8").encode("utf-16"),
    "not UTF-8": lambda s: s + b"\xff\xfe\xfa",
    "truncated": lambda s: s[: len(s) // 2],
    "Arabic-Indic digits": lambda s: s.decode("utf-8").translate(_ARABIC).encode(),
    "full-width digits": lambda s: s.decode("utf-8").translate(_FULL).encode(),
    "deep JSON": lambda _: b"[" * 200_000,
    "deep TOML": lambda _: b"a = " + b"[" * 100_000,
    "deep XML": lambda _: b"<iati-activities version='2.03'>" + b"<a>" * 100_000,
    "wide": lambda s: b"," * 1_000_000 + b"\n" + s,
    "wide header, short rows": lambda s: s.split(b"\n")[0] + b"," * 200_000 + b"\n" + s,
    "long line": lambda _: b"x" * 5_000_000,
    "zip": _zipped,
    "zip bomb": lambda _: _BOMB,
    "corrupt zip": _corrupt,
    "over the limit": lambda _: ("special", "huge"),
    "None": lambda _: ("special", None),
    "a number": lambda _: ("special", 42),
    "a text stream": lambda s: ("special", io.StringIO(s.decode("utf-8"))),
}

_BOMB = _bomb()


def _special(reader: Any, value: object) -> object:
    if value == "huge":
        if reader.paths:
            return Path("/dev/zero") if Path("/dev/zero").exists() else pytest.skip("no /dev/zero")
        if reader is _json_bytes:
            return b" " * (MAX_BYTES + 1)
        pytest.skip("a table has no size of its own")
    return value


@pytest.mark.parametrize("attack", list(ATTACKS))
@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_against_every_attack(reader: str, attack: str, tmp_path: Path) -> None:
    run = READERS[reader]
    made = ATTACKS[attack](SAMPLES[run.sample])
    data: bytes | None = None
    special: object = ...
    if isinstance(made, tuple):
        special = _special(run, made[1])
    else:
        assert isinstance(made, bytes)
        data = made
    read = run(data, tmp_path, special)  # files written, tables parsed: not measured
    tracemalloc.start()
    began = time.process_time()
    message = ""
    try:
        read()
    except CitycoopError as error:  # the one kind of failure allowed
        message = str(error)
    finally:
        spent = time.process_time() - began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert len(message) < MESSAGE
    assert spent < SECONDS, f"{reader} spent {spent:.1f} s on {attack}"
    assert peak < PEAK, f"{reader} held {peak / 2**20:.0f} MiB on {attack}"
