"""Time (`_time`): dates, aware instants, inclusive periods."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from citycoop import (
    Period,
    ValidationError,
)


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
