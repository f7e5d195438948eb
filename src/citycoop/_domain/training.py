"""Training tracks for capacity building, with cohorts measured in pint quantities."""

# pint builds its Quantity classes at run time, so pyright cannot know their members.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false, reportUnknownParameterType=false

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from citycoop._core.codes import CodeEnum
from citycoop._core.decimals import CONVERSION
from citycoop._core.errors import ValidationError
from citycoop._core.text import Text, text_field
from citycoop._core.time import Period
from citycoop._core.units import LazyModule, sum_hours, to_hours
from citycoop._core.validation import (
    Arguments,
    instance_of,
    items,
    measure,
    name_fields,
    optional_instance_of,
    optional_url,
    whole_number,
)
from citycoop._domain.budgets import Budget, budgets_field
from citycoop._domain.focus import FocusArea, focus_area_field
from citycoop._domain.parties import Organisation

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pint
else:  # resolved only when annotations are (typing.get_type_hints)
    pint = LazyModule("pint")

__all__ = ["Cohort", "Modality", "TrainingTrack", "working_days"]


class Modality(CodeEnum):
    """How a training is given.

    .. versionadded:: 0.1.0
    """

    ONLINE = "online"
    IN_PERSON = "in_person"
    STUDY_VISIT = "study_visit"
    DEGREE = "degree"


def _hours(
    value: pint.Quantity[Any] | Decimal | float | str, field: str = ""
) -> pint.Quantity[Any]:
    return to_hours(value, field)


@attrs.frozen(field_transformer=name_fields)
class Cohort:
    """One run of a training: when, how many took part, and hours per participant.

    >>> from citycoop import Period
    >>> c = Cohort(Period("2022-03-07", "2022-03-11"), participants=20, hours=35)
    >>> c.person_hours
    <Quantity(700, 'hour')>

    .. versionadded:: 0.1.0
    """

    period: Period = attrs.field(validator=instance_of(Period, "a Period"))
    participants: int = attrs.field(kw_only=True, validator=whole_number(0))
    # Left out of the hash: equal quantities of two pint registries hash differently,
    # and a cohort built before the application registry changed must still match.
    hours: pint.Quantity[Any] = attrs.field(kw_only=True, converter=_hours, hash=False)

    @property
    def person_hours(self) -> pint.Quantity[Any]:
        """Participants times hours per participant."""
        return sum_hours(((self.hours, self.participants),))


def _optional_modality(value: Modality | str | None, field: str = "") -> Modality | None:
    return None if value is None else Modality.parse(value, field)


def _cohorts(value: Iterable[Cohort], field: str = "") -> tuple[Cohort, ...]:
    return items(value, Cohort, "a Cohort", field)


@attrs.frozen(field_transformer=name_fields)
class TrainingTrack:
    """A line of capacity-building training, such as smart-city courses for officials.

    Unknown details stay ``None``: a source that announces "training support" gives
    a track without modality or cohorts.

    .. versionadded:: 0.1.0
    """

    topic: Text = attrs.field(converter=text_field)
    focus_area: FocusArea = attrs.field(converter=focus_area_field)
    modality: Modality | None = attrs.field(
        default=None, kw_only=True, converter=_optional_modality
    )
    provider: Organisation | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of(Organisation, "an Organisation"),
    )
    cohorts: tuple[Cohort, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_cohorts,
    )
    budgets: tuple[Budget, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=budgets_field,
    )
    source: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_url,
    )

    @property
    def participants(self) -> int:
        """Participants over all cohorts."""
        return sum(cohort.participants for cohort in self.cohorts)

    @property
    def person_hours(self) -> pint.Quantity[Any]:
        """Person-hours over all cohorts (zero hours when there are none)."""
        return sum_hours((cohort.hours, cohort.participants) for cohort in self.cohorts)


def tracks_field(value: Iterable[TrainingTrack], field: str = "") -> tuple[TrainingTrack, ...]:
    """Converter of a tuple-of-training-tracks field."""
    return items(value, TrainingTrack, "a TrainingTrack", field)


_WORKING_DAYS: Final = Arguments("working_days")


def working_days(duration: object, *, hours_per_day: int | str | Decimal = 8) -> Decimal:
    """A duration in working days of *hours_per_day* hours (8 by default), to 50 digits.

    pint's ``day`` is 24 hours, so ``track.person_hours.to("day")`` counts calendar
    days; a working day is a convention, which this function makes explicit.

    >>> working_days(1265)  # hours, or a pint duration such as track.person_hours
    Decimal('158.125')
    >>> working_days(30, hours_per_day="7.5")
    Decimal('4')

    Raises:
        ValidationError: *duration* is not a duration (hours or a pint time quantity),
            or *hours_per_day* is not a number of hours from above 0 to 24.

    .. versionadded:: 0.1.0
    """
    given = to_hours(duration, _WORKING_DAYS("duration"))
    per_day = measure(hours_per_day, _WORKING_DAYS("hours_per_day"), "a number of hours")
    if not 0 < per_day <= 24:
        raise ValidationError(
            _WORKING_DAYS("hours_per_day"), hours_per_day, "a number of hours above 0, at most 24"
        )
    days = CONVERSION.divide(Decimal(str(given.magnitude)), per_day)
    return days.normalize() if days == days.to_integral_value() else days
