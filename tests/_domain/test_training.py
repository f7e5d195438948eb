"""Strategy horizons (`_horizons`) and training tracks (`_training`)."""

from __future__ import annotations

import pytest

from citycoop import (
    Cohort,
    Milestone,
    Period,
    StrategyHorizon,
    TrainingTrack,
    UnknownCodeError,
    ValidationError,
)
from citycoop._core.units import hours


class TestHorizonsAndTraining:
    """Horizons hold milestones inside their period; training measures hours."""

    def test_milestone_outside_horizon(self):
        with pytest.raises(ValidationError, match=r"milestones\[0\].due"):
            StrategyHorizon("mid", Period.year(2022), milestones=[Milestone("Plan", "2023-01-01")])

    def test_unknown_term(self):
        with pytest.raises(UnknownCodeError):
            StrategyHorizon("medium")

    def test_person_hours(self):
        track = TrainingTrack(
            "Smart city",
            "capacity_building",
            modality="online",
            cohorts=[
                Cohort(Period.day("2022-03-07"), participants=20, hours=35),
                Cohort(Period.day("2022-09-05"), participants=10, hours=hours("7.5")),
            ],
        )
        assert track.person_hours == hours(775)
        assert track.participants == 30

    def test_negative_participants_and_hours(self):
        with pytest.raises(ValidationError, match="participants"):
            Cohort(Period.day("2022-03-07"), participants=-1, hours=1)
        with pytest.raises(ValidationError, match="hours"):
            Cohort(Period.day("2022-03-07"), participants=1, hours=-1)

    def test_foreign_registry_quantity(self):
        import pint

        other = pint.UnitRegistry()
        cohort = Cohort(
            Period.day("2022-03-07"), participants=2, hours=other.Quantity(90, "minute")
        )
        assert cohort.hours == hours("1.5")
        assert hash(cohort.hours) == hash(hours("1.5"))


class TestWorkingDays:
    """Person-hours in working days: a stated convention, exact, never pint's 24-hour day."""

    def test_exact_and_explicit(self):
        from decimal import Decimal

        from citycoop import working_days

        assert working_days(hours(1265)) == Decimal("158.125")
        assert working_days(hours(10), hours_per_day=3) == Decimal("3." + "3" * 49)
        assert working_days(hours(30), hours_per_day="7.5") == 4
        assert working_days(0) == 0

    @pytest.mark.parametrize(
        ("duration", "per_day", "field"),
        [
            ("soon", 8, "working_days.duration"),
            (-1, 8, "working_days.duration"),
            (10, 0, "working_days.hours_per_day"),
            (10, 25, "working_days.hours_per_day"),
            (10, "eight", "working_days.hours_per_day"),
        ],
    )
    def test_refusals_name_the_argument(self, duration, per_day, field):
        from citycoop import ValidationError, working_days

        with pytest.raises(ValidationError) as caught:
            working_days(duration, hours_per_day=per_day)
        assert caught.value.field == field
