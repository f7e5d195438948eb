"""``python -m citycoop``: a localized report on a cooperation portfolio."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from citycoop._domain.portfolio import Portfolio
    from citycoop._fx.table import RateTable


def _parser() -> argparse.ArgumentParser:
    from citycoop._core.locale import LOCALES
    from citycoop._report.model import FORMATS

    parser = argparse.ArgumentParser(
        prog="citycoop",
        description="Report on a smart-city cooperation portfolio "
        "(the embedded Seoul data unless --input names a file).",
    )
    parser.add_argument(
        "--input",
        metavar="FILE",
        help="a portfolio: citycoop JSON (.json) or dataset TOML (.toml); "
        "'-' reads standard input (JSON if it starts with '{', else TOML)",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="write the report to FILE (replaced only once the report is whole) "
        "instead of standard output",
    )
    parser.add_argument(
        "--locale", choices=LOCALES, default="en", help="language and formats (default: en)"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        dest="fmt",
        help="output format (default: text)",
    )
    parser.add_argument(
        "--partner",
        metavar="PLACE",
        help="brief on one partner: a city by name (Lima) or a country by ISO code (PE)",
    )
    parser.add_argument(
        "--currency", metavar="CODE", help="convert the reported value into this ISO 4217 currency"
    )
    parser.add_argument(
        "--rates",
        metavar="FILE",
        action="append",
        help="rates for --currency: an ECB eurofxref-hist, World Bank WDI PA.NUS.FCRF or Fed H.10 "
        "CSV; repeat to merge several files, in the order given",
    )
    parser.add_argument(
        "--planning-rates",
        action="store_true",
        help="serve a date after a pair's last rate from its latest annual rate "
        "(RatePolicy.planning()); every such rate is marked in the report",
    )
    parser.add_argument(
        "--prices",
        metavar="FILE",
        help="a price index for constant prices: a World Bank WDI bulk CSV (GDP deflator, CPI) "
        "or the OECD DAC deflator CSV",
    )
    parser.add_argument(
        "--base-year",
        metavar="YEAR",
        type=int,
        help="state values at this year's prices (with --prices)",
    )
    parser.add_argument(
        "--price-method",
        choices=("deflate_then_convert", "convert_then_deflate"),
        help="deflate in the own currency, then convert at the base year's rate (default); "
        "or convert at the year's rate, then deflate",
    )
    parser.add_argument(
        "--economy",
        metavar="CODE",
        help="the economy whose index to use, such as KOR for the DAC deflators",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


def _portfolio(path: str | None) -> Portfolio:
    from citycoop.datasets import seoul
    from citycoop.io.toml import load_toml, loads_toml

    if path is None:
        return seoul()
    if path.endswith(".toml"):
        return load_toml(path)
    from citycoop._core.errors import DataFileError
    from citycoop._core.files import MAX_BYTES, read_bounded
    from citycoop._domain.portfolio import Portfolio
    from citycoop.io import json as cjson

    name = "<stdin>" if path == "-" else path
    # Bounded: an endless input (/dev/zero, a pipe that never ends) is refused.
    data = read_bounded(sys.stdin.buffer if path == "-" else path, name, MAX_BYTES)
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise DataFileError(name, None, None, f"is not UTF-8 text ({error.reason})") from None
    if path == "-" and not text.lstrip().startswith("{"):
        return loads_toml(text, name=name)
    try:
        value = cjson.loads(text, Portfolio)
    except cjson.DocumentError as error:
        raise DataFileError(name, None, None, "; ".join(error.problems)) from None
    assert isinstance(value, Portfolio)
    return value


def _rates(paths: list[str]) -> tuple[tuple[str, RateTable], ...]:
    """Each rate file's name and its table, in the order given."""
    from citycoop._fx.table import RateTable

    return tuple((Path(path).name, RateTable.from_file(path)) for path in paths)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report; return the exit status.

    0: done; 1: an input file was refused, or standard output could not take the report
    (an encoding without its characters, a full device); 2: bad usage.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    import citycoop
    from citycoop._core.currencies import normalize_currency
    from citycoop._core.errors import CitycoopError
    from citycoop._fx.rates import DEFAULT_POLICY, RatePolicy
    from citycoop._report.brief import report

    if args.version:
        sys.stdout.write(f"citycoop {citycoop.__version__}\n")
        return 0
    if (args.currency is None) != (args.rates is None):
        parser.error("--currency and --rates go together")
    if (args.prices is None) != (args.base_year is None):
        parser.error("--prices and --base-year go together")
    if args.planning_rates and args.rates is None:
        parser.error("--planning-rates needs --rates")
    if args.prices is None and (args.economy is not None or args.price_method is not None):
        parser.error("--economy and --price-method need --prices")
    try:
        currency = (
            None if args.currency is None else normalize_currency(args.currency, "--currency")
        )
    except CitycoopError as error:
        parser.error(str(error))
    try:
        portfolio = _portfolio(args.input)
        files = () if args.rates is None else _rates(args.rates)
        rates = None
        for _, table in files:  # merged in the order given (a conflicting rate is an error)
            rates = table if rates is None else rates | table
        prices = None
        if args.prices is not None:
            from citycoop._prices.index import PriceIndex

            prices = PriceIndex.from_file(args.prices)
        shown = report(
            portfolio,
            locale=args.locale,
            partner=args.partner,
            currency=currency,
            rates=rates,
            policy=RatePolicy.planning() if args.planning_rates else DEFAULT_POLICY,
            prices=prices,
            base_year=args.base_year,
            method=args.price_method or "deflate_then_convert",
            economy=args.economy,
            rates_name=None if args.rates is None else ", ".join(name for name, _ in files),
            rate_files=files,
        )
    except CitycoopError as error:
        sys.stderr.write(f"citycoop: {error}\n")
        return 1
    if args.output is not None:
        return _save(shown.render(args.fmt), args.output)
    return _write(shown.render(args.fmt))


def _save(text: str, path: str) -> int:
    """Write the report to *path*, replacing the file only once the report is whole."""
    from citycoop._core.files import replacing

    try:
        with replacing(path) as handle:
            handle.write(text)
    except OSError as error:
        sys.stderr.write(f"citycoop: cannot write {path}: {error.strerror or error}\n")
        return 1
    return 0


def _write(text: str) -> int:
    """Write the report to standard output; say so and exit 1 if it cannot take it.

    Standard output may not encode the report (``PYTHONIOENCODING=ascii``) or may be
    full or closed (``> /dev/full``, a closed pipe): a message, never a traceback.
    """
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (UnicodeEncodeError, OSError) as error:
        why = (
            f"it cannot encode the report ({error.encoding}); set PYTHONIOENCODING=utf-8"
            if isinstance(error, UnicodeEncodeError)
            else str(error.strerror or error)
        )
        # What could not be written must not be flushed again at exit.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        sys.stderr.write(f"citycoop: cannot write to standard output: {why}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
