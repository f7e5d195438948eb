"""The optional extras: what each brings, and the error that names a missing one."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest

from _shared import ROOT
from citycoop._core.extras import EXTRAS

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

# Imports MODULE in a fresh interpreter where the packages in BLOCKED cannot be found,
# as on a machine without the extra, and prints the error.
WITHOUT = """
import sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(name)

sys.meta_path.insert(0, Block())
try:
    import {module}
except ImportError as error:
    print(error)
else:
    print("imported")
"""

USERS = [
    ("citycoop.io.frames", "pandas", "pandas"),
    ("citycoop.io.iati", "iati", "lxml"),
    ("citycoop.plot", "plot", "matplotlib"),
    ("citycoop.strategies", "hypothesis", "hypothesis"),
    ("citycoop.columnar", "columnar", "pyarrow"),
    ("citycoop.columnar", "columnar", "duckdb"),
    ("citycoop.io.arrow", "columnar", "pyarrow"),
    ("citycoop.io.frames", "pandas", "pyarrow"),
    ("citycoop.plot", "plot", "koreanize_matplotlib"),
]


class TestExtras:
    def test_table_matches_pyproject(self):
        extras = PYPROJECT["project"]["optional-dependencies"]
        for extra, packages in EXTRAS.items():
            declared = [
                re.split(r"[<>=\[ ]", requirement)[0].replace("-", "_")
                for requirement in extras[extra]
            ]
            assert declared == list(packages)
        assert extras["all"] == [f"citycoop[{','.join(EXTRAS)}]"]

    @pytest.mark.parametrize(("module", "extra", "package"), USERS)
    def test_a_missing_extra_is_named(self, module, extra, package):
        done = subprocess.run(
            [sys.executable, "-c", WITHOUT.format(blocked={package}, module=module)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.strip() == (
            f'{module} needs {package}, from the extra "{extra}": '
            f'python -m pip install "citycoop[{extra}]" '
            f'(from a clone of the repository: python -m pip install ".[{extra}]")'
        )

    def test_the_core_needs_no_extra(self):
        blocked = {package for packages in EXTRAS.values() for package in packages}
        code = WITHOUT.format(blocked=blocked, module="citycoop") + (
            "import citycoop\n"
            "print(citycoop.rollup(citycoop.datasets.seoul().exports, by='country').total.count)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.split() == ["imported", "15"]


class TestDocumentedCommands:
    """Every install command in the README and the docs names extras that exist."""

    def test_install_commands(self):
        root = ROOT
        pages = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
        extras = set(PYPROJECT["project"]["optional-dependencies"])
        commands = [
            line.strip()
            for page in pages
            for line in page.read_text(encoding="utf-8").splitlines()
            if "pip install" in line and line.startswith("    ")
        ]
        assert commands
        for command in commands:
            assert command.startswith(("python -m pip install", "uv pip install")), command
            assert "citycoop" not in command.split("install", 1)[1].split("&&")[0], command
            for named in re.findall(r'"\.?\[([a-z,]+)\]"', command):
                assert set(named.split(",")) <= extras, command
