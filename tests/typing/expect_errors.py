"""Check that mypy and pyright refuse exactly the lines of fail.py marked ``# error``.

Run from the repository root: ``python tests/typing/expect_errors.py``. Exits non-zero,
naming the lines, when a checker misses a marked line or refuses an unmarked one.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
FAIL = HERE / "fail.py"


def marked() -> set[int]:
    lines = FAIL.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, start=1) if "# error:" in line}


def mypy_lines() -> set[int]:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(FAIL)],
        capture_output=True,
        text=True,
        check=False,
    )
    pattern = re.compile(rf"{re.escape(FAIL.name)}:(\d+): error:")
    return {int(m.group(1)) for line in done.stdout.splitlines() if (m := pattern.search(line))}


def pyright_lines() -> set[int]:
    done = subprocess.run(
        [sys.executable, "-m", "basedpyright", "--outputjson", str(FAIL)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    return {
        item["range"]["start"]["line"] + 1
        for item in report["generalDiagnostics"]
        if item["severity"] == "error"
    }


def main() -> int:
    expected = marked()
    status = 0
    for name, found in (("mypy", mypy_lines()), ("pyright", pyright_lines())):
        missed, extra = sorted(expected - found), sorted(found - expected)
        if missed or extra:
            print(f"{name}: missed lines {missed}, unexpected errors on lines {extra}")  # noqa: T201
            status = 1
        else:
            print(f"{name}: refuses exactly the {len(expected)} marked lines")  # noqa: T201
    return status


if __name__ == "__main__":
    sys.exit(main())
