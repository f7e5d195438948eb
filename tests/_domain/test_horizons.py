"""Strategy horizons (`_horizons`): terms, periods, objectives and dated milestones."""

from __future__ import annotations

import pendulum
import pytest

from citycoop import Milestone, Period, StrategyHorizon, Term, Text, ValidationError

MID = Period("2022-01-01", "2024-12-31")


def test_milestones_fall_within_the_period():
    horizon = StrategyHorizon("mid", MID, milestones=[Milestone("Master plan", "2022-06-30")])
    assert horizon.term is Term.MID
    assert horizon.active_on(pendulum.date(2023, 5, 1))
    with pytest.raises(ValidationError, match=r"^StrategyHorizon\.milestones\[0\]\.due: '2025"):
        StrategyHorizon("mid", MID, milestones=[Milestone("Late", "2025-01-01")])


def test_unknown_period_is_never_active():
    horizon = StrategyHorizon("long", milestones=(Milestone("Later", "2030-01-01"),))
    assert not horizon.active_on(pendulum.date(2030, 1, 1))


def test_objectives_are_non_blank_strings():
    assert StrategyHorizon("short", objectives=("Pilot",)).objectives == (Text("Pilot"),)
    with pytest.raises(ValidationError, match=r"objectives\[0\]"):
        StrategyHorizon("short", objectives=[""])


def test_milestone_due_is_a_date():
    with pytest.raises(ValidationError, match=r"^Milestone\.due: "):
        Milestone("x", "next year")
