"""``python -m citycoop``: a report on a cooperation portfolio."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report; return the exit status (0 ok, 1 bad data, 2 bad usage)."""
    parser = argparse.ArgumentParser(
        prog="citycoop",
        description="Report on a smart-city cooperation portfolio "
        "(the embedded Seoul data unless --input names a dataset file).",
    )
    parser.add_argument("--input", metavar="FILE", help="a citycoop dataset file (TOML)")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    args = parser.parse_args(argv)

    import citycoop
    from citycoop._errors import CitycoopError
    from citycoop._report import render
    from citycoop.datasets import load_toml, seoul

    if args.version:
        sys.stdout.write(f"citycoop {citycoop.__version__}\n")
        return 0
    try:
        portfolio = load_toml(args.input) if args.input else seoul()
    except CitycoopError as error:
        sys.stderr.write(f"citycoop: {error}\n")
        return 1
    sys.stdout.write(render(portfolio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
