"""Time (`_time`): dates, aware instants, inclusive periods."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from citycoop import (
    MOU,
    ONLINE,
    City,
    Official,
    Organisation,
    Period,
    ValidationError,
)

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


class TestPeriod:
    """Periods are inclusive calendar spans."""

    def test_end_before_start(self):
        with pytest.raises(ValidationError, match="Period.end"):
            Period("2021-12-01", "2021-11-30")

    def test_datetime_is_not_a_date(self):
        with pytest.raises(ValidationError, match="not a datetime"):
            Period(dt.datetime(2021, 1, 1), "2021-02-01")

    def test_month_and_year(self):
        assert Period.month(2024, 2).days == 29
        assert Period.year(2021).kind == "year"
        assert Period.fiscal_year(2021, 4) == Period("2021-04-01", "2022-03-31")
        assert pendulum.date(2021, 11, 25) in Period.month(2021, 11)
