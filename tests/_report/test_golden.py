"""The Seoul report in every locale and format, against files a reader has checked.

The files are CLDR's output as much as citycoop's: dates, numbers and names come from the
CLDR data Babel ships. They were written with the Babel release in ``golden/BABEL``; with
another release the comparison is skipped, saying so, until the files are written again
(``CITYCOOP_WRITE_GOLDEN=1 python -m pytest tests/_report/test_golden.py``) and read again.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import citycoop
from citycoop import Period, Rate, RateTable
from citycoop._core.locale import LOCALES
from citycoop._report.build import build_report
from citycoop._report.model import FORMATS

GOLDEN = Path(__file__).resolve().parent / "golden"  # beside this file
SUFFIX = {"text": "txt", "markdown": "md", "html": "html", "json": "json"}
#: A few real ECB rates (currency per EUR) for the dates the Seoul record needs.
RATES = RateTable(
    [
        Rate("EUR", "KRW", "1280.78", Period.day("2015-12-31"), "ECB"),
        Rate("EUR", "KRW", "1269.36", Period.day("2016-12-30"), "ECB"),
        Rate("EUR", "KRW", "1331.51", Period.day("2021-11-24"), "ECB"),
    ]
)


def _report(locale: str, fmt: str) -> str:
    from citycoop._fx.rates import RatePolicy

    return build_report(
        citycoop.datasets.seoul(),
        locale=locale,
        currency="EUR",
        rates=RATES,
        policy=RatePolicy.business_day(max_age_days=7),
        rates_name="eurofxref-hist.csv",
        rate_files=(("eurofxref-hist.csv", RATES),),
    ).render(fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_report_reads_as_checked(locale, fmt):
    import babel

    path = GOLDEN / f"seoul.{locale}.{SUFFIX[fmt]}"
    text = _report(locale, fmt)
    if os.environ.get("CITYCOOP_WRITE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        (GOLDEN / "BABEL").write_text(babel.__version__ + "\n", encoding="utf-8")
    written_with = (GOLDEN / "BABEL").read_text(encoding="utf-8").strip()
    if babel.__version__ != written_with:
        pytest.skip(
            f"written with Babel {written_with}'s CLDR data; installed: {babel.__version__}"
        )
    assert text == path.read_text(encoding="utf-8")


def test_the_rates_are_the_ecbs(ecb):
    for rate in RATES.rates:
        (published,) = [
            r
            for r in ecb.rates
            if (r.base, r.quote, r.period) == (rate.base, rate.quote, rate.period)
        ]
        assert published.value == rate.value
