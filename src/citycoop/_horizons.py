"""Strategy horizons (short, mid and long term) and their milestones."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum

from citycoop._codes import CodeEnum
from citycoop._errors import ValidationError
from citycoop._time import Period, to_date
from citycoop._validation import non_empty, optional_instance_of, to_tuple, tuple_of

__all__ = ["Milestone", "StrategyHorizon", "Term"]


class Term(CodeEnum):
    """The reach of a strategy.

    .. versionadded:: 0.1.0
    """

    SHORT = "short"
    MID = "mid"
    LONG = "long"


def _milestone_date(value: dt.date | str) -> pendulum.Date:
    return to_date(value, "Milestone.due")


@attrs.frozen
class Milestone:
    """A dated step of a strategy.

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(validator=non_empty("Milestone.name"))
    due: pendulum.Date = attrs.field(converter=_milestone_date)


def _term(value: Term | str) -> Term:
    return Term.parse(value, "StrategyHorizon.term")


def _objectives(_instance: object, _attribute: object, value: tuple[str, ...]) -> None:
    tuple_of("StrategyHorizon.objectives", str, "an objective string")(None, None, value)
    for index, objective in enumerate(value):
        non_empty(f"StrategyHorizon.objectives[{index}]")(None, None, objective)


def _milestones(
    instance: StrategyHorizon, _attribute: object, value: tuple[Milestone, ...]
) -> None:
    tuple_of("StrategyHorizon.milestones", Milestone, "a Milestone")(None, None, value)
    if instance.period is None:
        return
    for index, milestone in enumerate(value):
        if milestone.due not in instance.period:
            raise ValidationError(
                f"StrategyHorizon.milestones[{index}].due",
                milestone.due.isoformat(),
                f"a date within the horizon {instance.period}",
            )


@attrs.frozen
class StrategyHorizon:
    """A strategy over one horizon of an MOU: its term, period, objectives and milestones.

    The period may be unknown (``None``) where a source names the horizon without
    dates; milestones must then still carry dates, and are checked against the
    period once it is known.

    >>> h = StrategyHorizon("mid", Period("2022-01-01", "2024-12-31"),
    ...                     milestones=[Milestone("Master plan", "2022-06-30")])
    >>> h.active_on(pendulum.date(2023, 5, 1))
    True

    .. versionadded:: 0.1.0
    """

    term: Term = attrs.field(converter=_term)
    period: Period | None = attrs.field(
        default=None, validator=optional_instance_of("StrategyHorizon.period", Period, "a Period")
    )
    objectives: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=_objectives
    )
    milestones: tuple[Milestone, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=_milestones
    )

    def active_on(self, day: pendulum.Date) -> bool:
        """Whether the horizon's period contains *day* (``False`` if the period is unknown)."""
        return self.period is not None and day in self.period
