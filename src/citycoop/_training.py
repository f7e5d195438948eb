"""Training tracks for capacity building, with cohorts measured in pint quantities."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from citycoop._budgets import Budget
from citycoop._codes import CodeEnum
from citycoop._focus import FocusArea
from citycoop._parties import Organisation
from citycoop._time import Period
from citycoop._units import LazyModule, registry, to_hours
from citycoop._validation import (
    instance_of,
    non_empty,
    optional_instance_of,
    to_tuple,
    tuple_of,
    whole_number,
)

if TYPE_CHECKING:
    import pint
else:  # resolved only when annotations are (typing.get_type_hints)
    pint = LazyModule("pint")

__all__ = ["Cohort", "Modality", "TrainingTrack"]


class Modality(CodeEnum):
    """How a training is given.

    .. versionadded:: 0.1.0
    """

    ONLINE = "online"
    IN_PERSON = "in_person"
    STUDY_VISIT = "study_visit"
    DEGREE = "degree"


def _hours(value: object) -> pint.Quantity[Any]:
    return to_hours(value, "Cohort.hours")


@attrs.frozen
class Cohort:
    """One run of a training: when, how many took part, and hours per participant.

    >>> from citycoop import Period
    >>> c = Cohort(Period("2022-03-07", "2022-03-11"), participants=20, hours=35)
    >>> c.person_hours
    <Quantity(700, 'hour')>

    .. versionadded:: 0.1.0
    """

    period: Period = attrs.field(validator=instance_of("Cohort.period", Period, "a Period"))
    participants: int = attrs.field(
        kw_only=True, validator=whole_number("Cohort.participants", minimum=0)
    )
    hours: pint.Quantity[Any] = attrs.field(kw_only=True, converter=_hours)

    @property
    def person_hours(self) -> pint.Quantity[Any]:
        """Participants times hours per participant."""
        product: pint.Quantity[Any] = self.hours * self.participants
        return product


def _optional_modality(value: Modality | str | None) -> Modality | None:
    return None if value is None else Modality.parse(value, "TrainingTrack.modality")


def _focus(value: FocusArea | str) -> FocusArea:
    return FocusArea.parse(value, "TrainingTrack.focus_area")


@attrs.frozen
class TrainingTrack:
    """A line of capacity-building training, such as smart-city courses for officials.

    Unknown details stay ``None``: a source that announces "training support" gives
    a track without modality or cohorts.

    .. versionadded:: 0.1.0
    """

    topic: str = attrs.field(validator=non_empty("TrainingTrack.topic"))
    focus_area: FocusArea = attrs.field(converter=_focus)
    modality: Modality | None = attrs.field(
        default=None, kw_only=True, converter=_optional_modality
    )
    provider: Organisation | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of("TrainingTrack.provider", Organisation, "an Organisation"),
    )
    cohorts: tuple[Cohort, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=to_tuple,
        validator=tuple_of("TrainingTrack.cohorts", Cohort, "a Cohort"),
    )
    budgets: tuple[Budget, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=to_tuple,
        validator=tuple_of("TrainingTrack.budgets", Budget, "a Budget"),
    )
    source: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of("TrainingTrack.source", str, "a URL"),
    )

    @property
    def participants(self) -> int:
        """Participants over all cohorts."""
        return sum(cohort.participants for cohort in self.cohorts)

    @property
    def person_hours(self) -> pint.Quantity[Any]:
        """Person-hours over all cohorts (zero hours when there are none)."""
        total = registry().Quantity(Decimal(0), "hour")
        for cohort in self.cohorts:
            total = total + cohort.person_hours
        return total
