"""Test data shared by several test modules: cities, rates, an MOU and drawn cases."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pendulum
from hypothesis import strategies as st

from citycoop import (
    MOU,
    ONLINE,
    City,
    CitycoopError,
    Economy,
    FocusArea,
    IndexValue,
    Money,
    Official,
    Organisation,
    Period,
    PolicyExport,
    PriceIndex,
    Rate,
    RateTable,
)

T = TypeVar("T")

#: The repository: README, docs, examples and scripts are read from here.
ROOT = Path(__file__).resolve().parent.parent

SEOUL = City("Seoul", "KR", "Asia/Seoul")


LIMA = City("Lima", "PE", "America/Lima")


SMG = Organisation("Seoul Metropolitan Government", "city_government", city=SEOUL)


MML = Organisation("Metropolitan Municipality of Lima", "city_government", city=LIMA)


OH = Official("Oh Se-hoon", "Mayor of Seoul", SMG)


MUNOZ = Official("Jorge Muñoz Wells", "Mayor of Lima", MML)


def lima_mou(**changes) -> MOU:
    fields = {
        "signatories": [OH, MUNOZ],
        "signed_at": pendulum.datetime(2021, 11, 25, 8, 30, tz="Asia/Seoul"),
        "status": "signed",
        "venue": ONLINE,
        "focus_areas": ["citizen_safety", "public_transport", "digital"],
    }
    fields.update(changes)
    return MOU("Seoul-Lima", [SMG, MML], **fields)


DAY = Period.day("2021-11-25")


def table() -> RateTable:
    return RateTable(
        [
            Rate("EUR", "USD", "1.1223", DAY, "ECB"),
            Rate("EUR", "KRW", "1337.04", DAY, "ECB"),
            Rate("USD", "KRW", "1184.06", Period.month(2021, 11), "Fed"),
            Rate("USD", "KRW", "1143.95166666667", Period.year(2021), "WDI"),
            Rate("USD", "PEN", "3.88055413137587", Period.year(2021), "WDI"),
        ]
    )


CITIES = (
    City("Lima", "PE", "America/Lima"),
    City("Bogotá", "CO", "America/Bogota"),
    City("Kyiv", "UA", "Europe/Kyiv"),
    City("Auckland", "NZ", "Pacific/Auckland"),
)


RATES = RateTable(
    [
        Rate("USD", code, value, Period.year(year), "test")
        for year in (2020, 2021)
        for code, value in (("KRW", "1100"), ("PEN", "3.5"), ("EUR", "0.8"))
    ]
)


cases = st.builds(
    PolicyExport,
    st.just("policy"),
    st.sampled_from(CITIES),
    st.sampled_from(
        [FocusArea.DIGITAL, FocusArea.PUBLIC_TRANSPORT, {"digital": 60, "water_supply": 40}]
    ),
    value_date=st.dates(
        min_value=dt.date(2020, 1, 1),
        max_value=dt.date(2021, 12, 31),
    ),
    value=st.none()
    | st.builds(
        Money,
        st.decimals(min_value=0, max_value=Decimal("1e9"), places=2),
        st.sampled_from(["USD", "KRW", "PEN", "EUR"]),
    ),
)


def totals(result):
    return {(g.key, m.currency): m.amount for g in result for m in g.totals}


#: Money amounts with cents, positive and negative.
amounts = st.decimals(
    min_value=Decimal("-1e15"),
    max_value=Decimal("1e15"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m citycoop`` with *args*, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "citycoop", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


# ------------------------------------------------ drawn inputs for differential tests

_LIMA = City("Lima", "PE", "America/Lima")
_QUITO = City("Quito", "EC", "America/Guayaquil")
_GUAYAQUIL = City("Guayaquil", "EC", "America/Guayaquil")
_KYIV = City("Kyiv", "UA", "Europe/Kyiv")


@st.composite
def differential_cases(draw):
    """Cases in four cities (sometimes equal cities as distinct objects), values in four
    currencies over two years, some without a value."""
    cities = [_LIMA, _QUITO, _GUAYAQUIL, _KYIV]
    result = []
    for _ in range(draw(st.integers(0, 25))):
        city = draw(st.sampled_from(cities))
        if draw(st.booleans()):  # an equal city, built again (as a CSV reader does)
            city = City(city.name, city.country, city.timezone)
        day = draw(st.dates(dt.date(2020, 12, 28), dt.date(2021, 1, 5)))
        value = None
        if draw(st.integers(0, 4)):
            amount = draw(st.decimals(Decimal(1), Decimal(10**9), places=2))
            value = Money(amount, draw(st.sampled_from(["KRW", "EUR", "USD", "PEN"])))
        status = draw(st.sampled_from(["completed", "in_progress"]))
        result.append(
            PolicyExport("p", city, "digital", value=value, value_date=day, status=status)
        )
    return result


@st.composite
def differential_tables(draw):
    """Annual rates only, or annual and daily ones, each pair sometimes missing."""
    rates = []
    for code in ("KRW", "EUR", "PEN"):
        for year in (2020, 2021):
            if draw(st.integers(0, 5)):
                value = draw(st.decimals(Decimal("0.5"), Decimal(2000), places=4))
                rates.append(Rate("USD", code, value, Period.year(year), "annual"))
        if draw(st.booleans()):
            for day in draw(st.sets(st.dates(dt.date(2020, 12, 28), dt.date(2021, 1, 5)))):
                value = draw(st.decimals(Decimal("0.5"), Decimal(2000), places=4))
                rates.append(Rate("USD", code, value, Period.day(day), "daily"))
    return RateTable(rates, pivots=("USD",))


#: Key sets the differential tests roll up by.
KEY_SETS = [(), ("country",), ("city",), ("year", "country"), ("region", "status"),
             ("country", "city", "year"), ("sub_region",), ("status",)]  # fmt: skip


def rollup_options():
    """Keyword arguments of a rollup: keys, rates, target currency, date and policy."""
    from citycoop import RatePolicy

    return st.fixed_dictionaries(
        {
            "by": st.sampled_from(KEY_SETS),
            "rates": differential_tables(),
            "currency": st.sampled_from([None, "USD", "KRW"]),
            "on": st.sampled_from(["value_date", dt.date(2021, 1, 4)]),
            "policy": st.sampled_from(
                [RatePolicy.narrowest(), RatePolicy.business_day(), RatePolicy.exact_day()]
            ),
        }
    )


def json_paths(node: object, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON value, as a path of keys and indexes."""
    found = [path]
    if isinstance(node, dict):
        for key, child in node.items():
            found += json_paths(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += json_paths(child, (*path, index))
    return found


def price_index(values: dict[tuple[str, int], str], base_year: int | None = None) -> PriceIndex:
    """A price index of *values* ((economy, year) -> level) for KOR, USA and PER."""
    currencies = {"KOR": "KRW", "USA": "USD", "PER": "PEN"}
    return PriceIndex(
        [IndexValue(code, year, value) for (code, year), value in values.items()],
        economies=[Economy(code, code, currencies[code]) for code in {c for c, _ in values}],
        source="test",
        indicator="prices",
        base_year=base_year,
    )


def reads_or_refuses(
    call: Callable[[], T], refusal: type[CitycoopError] = CitycoopError
) -> T | CitycoopError:
    """What a reader given arbitrary input must do: return, or refuse with *refusal*.

    A refusal is a citycoop error that says why (a non-empty message); any other
    exception (a bare ``ValueError``, ``KeyError``, ``RecursionError``...) escapes and
    fails the test.
    """
    try:
        return call()
    except refusal as error:
        refused = error
    assert str(refused).strip(), f"{type(refused).__name__} with no message"
    return refused
