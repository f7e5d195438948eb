"""Time (`_time`): dates, aware instants, inclusive periods."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pendulum
import pytest

from citycoop import (
    Period,
    UnknownCodeError,
    ValidationError,
)
from citycoop._core.time import aware, valid_timezone, zone_names


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


class TestLocalTimes:
    """Wall times a zone skips are refused; wall times it repeats follow fold."""

    NEW_YORK = "America/New_York"

    def test_gap_is_refused_naming_zone(self):
        from zoneinfo import ZoneInfo

        skipped = dt.datetime(2021, 3, 14, 2, 30, tzinfo=ZoneInfo(self.NEW_YORK))
        with pytest.raises(ValidationError, match=r"^f: '2021-03-14T02:30:00'.*America/New_York"):
            aware(skipped, "f")

    def test_times_around_the_gap_are_kept(self):
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(self.NEW_YORK)
        assert aware(dt.datetime(2021, 3, 14, 1, 59, tzinfo=zone), "f").hour == 6
        assert aware(dt.datetime(2021, 3, 14, 3, 0, tzinfo=zone), "f").hour == 7

    @pytest.mark.parametrize(("fold", "hour"), [(0, 5), (1, 6)])
    def test_ambiguous_follows_fold(self, fold, hour):
        from zoneinfo import ZoneInfo

        repeated = dt.datetime(2021, 11, 7, 1, 30, fold=fold, tzinfo=ZoneInfo(self.NEW_YORK))
        assert aware(repeated, "f").hour == hour

    def test_fixed_offsets_have_no_gap(self):
        offset = dt.timezone(dt.timedelta(hours=-5))
        assert aware(dt.datetime(2021, 3, 14, 2, 30, tzinfo=offset), "f").hour == 7


class TestZoneNames:
    """Which names are zones does not depend on the machine's zone files."""

    @pytest.mark.parametrize("name", ["posix/Asia/Seoul", "right/UTC", "EST", "Asia/../UTC"])
    def test_names_outside_the_list_are_refused(self, name):
        with pytest.raises(UnknownCodeError, match="IANA time-zone"):
            valid_timezone(name)

    def test_the_same_without_system_zone_files(self):
        names = ["Asia/Seoul", "America/Lima", "Europe/Kyiv", "UTC", "posix/Asia/Seoul"]
        script = (
            "import sys\n"
            "from citycoop._core.time import valid_timezone, zone_names\n"
            "def judged(name):\n"
            "    try:\n"
            "        return valid_timezone(name) == name\n"
            "    except Exception:\n"
            "        return False\n"
            "print(len(zone_names()), [judged(n) for n in sys.argv[1:]])\n"
        )
        runs = [
            subprocess.run(
                [sys.executable, "-c", script, *names],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, **extra},
            ).stdout
            for extra in ({}, {"PYTHONTZPATH": ""})
        ]
        assert runs[0] == runs[1] == f"{len(zone_names())} [True, True, True, True, False]\n"
