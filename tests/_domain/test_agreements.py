"""MOUs (`_agreements`) and their life cycle."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest

from _shared import LIMA, MML, SMG, lima_mou
from citycoop import (
    MOU,
    InvalidTransitionError,
    MOUStatus,
    Official,
    Organisation,
    ValidationError,
    Venue,
)


class TestMOU:
    """MOUs validate parties, signatories, times and status changes."""

    def test_local_signing_times(self):
        times = lima_mou().local_signing_times()
        assert times[SMG].format("ddd D MMM YYYY HH:mm") == "Thu 25 Nov 2021 08:30"
        assert times[MML].format("ddd D MMM YYYY HH:mm") == "Wed 24 Nov 2021 18:30"
        assert lima_mou().signed_at.timezone_name == "UTC"
        assert times[SMG] == times[MML]

    def test_naive_datetime_rejected(self):
        with pytest.raises(ValidationError, match="MOU.signed_at.*naive"):
            lima_mou(signed_at=dt.datetime(2021, 11, 25, 8, 30))

    def test_duplicate_parties(self):
        with pytest.raises(ValidationError, match=r"MOU.parties\[1\]"):
            MOU("x", [SMG, SMG])

    def test_one_party(self):
        with pytest.raises(ValidationError, match="two or more"):
            MOU("x", [SMG])

    def test_signatory_of_no_party(self):
        stranger = Official("A", "Minister", Organisation("KOTRA", "national_agency", country="KR"))
        with pytest.raises(ValidationError, match=r"signatories\[0\]"):
            lima_mou(signatories=[stranger])

    def test_duplicate_focus(self):
        with pytest.raises(ValidationError, match="focus"):
            lima_mou(focus_areas=["digital", "digital"])

    def test_transitions(self):
        mou = lima_mou().with_status("active")
        assert mou.status is MOUStatus.ACTIVE
        assert mou.with_status("completed").status is MOUStatus.COMPLETED
        with pytest.raises(InvalidTransitionError, match="'completed' to 'active'"):
            mou.with_status("completed").with_status("active")
        proposed = MOU("x", [SMG, MML])
        with pytest.raises(ValidationError, match="signing time"):
            proposed.with_status("signed")
        signed = proposed.with_status("signed", signed_at="2021-11-25T08:30+09:00")
        assert signed.active_on(pendulum.date(2022, 1, 1))

    def test_evolve_without_changes_is_equal(self):
        mou = lima_mou()
        assert attrs.evolve(mou) == mou
        assert hash(attrs.evolve(mou)) == hash(mou)

    def test_venue(self):
        assert str(Venue(city=LIMA)) == "Lima, PE"
        with pytest.raises(ValidationError):
            Venue()
