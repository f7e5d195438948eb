"""Reading data files: one size limit, zip members checked, every failure a DataFileError."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import citycoop
from citycoop import DataFileError, PriceIndex, RateTable, ValidationError
from citycoop._core.files import MAX_BYTES, read_text
from citycoop.io import csv as ccsv
from citycoop.io.toml import load_toml

ECB = "Date,USD,\n2021-11-25,1.1223,\n"
ZERO = Path("/dev/zero")

READERS = [
    pytest.param(RateTable.from_file, id="rates"),
    pytest.param(PriceIndex.from_file, id="prices"),
    pytest.param(ccsv.read_exports, id="csv"),
    pytest.param(load_toml, id="toml"),
]


def _zip(content: bytes, name: str = "rates.csv") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


class TestSizeLimit:
    """Every reader refuses past max_bytes (64 MiB by default), reading no further."""

    def test_the_default(self):
        assert MAX_BYTES == 64 * 2**20

    @pytest.mark.skipif(not ZERO.exists(), reason="no /dev/zero on this system")
    @pytest.mark.parametrize("read", READERS)
    def test_an_endless_file_is_refused(self, read):
        with pytest.raises(DataFileError, match="larger than max_bytes=67,108,864 bytes"):
            read(ZERO)

    @pytest.mark.parametrize("read", READERS)
    def test_a_file_past_the_limit_names_it(self, read, tmp_path):
        path = tmp_path / "big.csv"
        path.write_text(ECB * 10, encoding="utf-8")
        with pytest.raises(DataFileError, match=r"big\.csv.*larger than max_bytes=20 bytes"):
            read(path, max_bytes=20)

    def test_text_counts_in_utf8_bytes(self):
        with pytest.raises(DataFileError, match="larger than max_bytes=20"):
            read_text(io.StringIO("한" * 10), max_bytes=20)  # 10 characters, 30 bytes
        assert read_text(io.StringIO("한" * 6), max_bytes=20)[1] == "한" * 6

    @pytest.mark.parametrize("limit", [0, -1, True, "1", 1.5])
    def test_a_bad_limit(self, limit):
        with pytest.raises(ValidationError, match="^max_bytes"):
            read_text(io.StringIO(ECB), max_bytes=limit)

    @pytest.mark.skipif(not ZERO.exists(), reason="no /dev/zero on this system")
    @pytest.mark.parametrize("option", ["--input", "--rates"])
    def test_the_cli_says_so_and_exits_1(self, option):
        arguments = [option, str(ZERO)] + (["--currency", "USD"] if option == "--rates" else [])
        done = subprocess.run(
            [sys.executable, "-m", "citycoop", *arguments],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 1
        assert "larger than max_bytes" in done.stderr
        assert "Traceback" not in done.stderr


class TestZipArchives:
    """A zip member is checked unzipped; a broken one is a DataFileError."""

    def test_one_member_is_read(self):
        table = RateTable.from_file(io.BytesIO(_zip(ECB.encode())))
        assert (
            table.find("EUR", "USD", "2021-11-25")[0].rate.value
            == citycoop.Money("1.1223", "USD").amount
        )

    def test_a_bomb_is_refused_by_its_unzipped_size(self):
        bomb = _zip(b"0" * 2_000_000)  # about 2 KB zipped
        assert len(bomb) < 10_000
        with pytest.raises(DataFileError, match="larger than max_bytes=1,000,000 bytes unzipped"):
            read_text(io.BytesIO(bomb), max_bytes=1_000_000)

    def test_a_corrupt_member(self):
        archive = bytearray(_zip(ECB.encode() * 50))
        start = archive.index(b"rates.csv") + len(b"rates.csv")
        archive[start : start + 40] = bytes(40)  # the deflate stream, zeroed
        with pytest.raises(DataFileError, match="not a readable zip archive"):
            read_text(io.BytesIO(bytes(archive)))

    def test_not_a_path_or_a_file(self):
        with pytest.raises(DataFileError, match="not a path or a file object"):
            read_text(42)  # type: ignore[arg-type]
