"""Strategy horizons (short, mid and long term) and their milestones."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from citycoop._core.codes import CodeEnum
from citycoop._core.errors import ValidationError
from citycoop._core.text import Text, text_field, texts_field
from citycoop._core.time import Period, date_field
from citycoop._core.validation import items, name_fields, optional_instance_of, where

__all__ = ["Milestone", "StrategyHorizon", "Term"]


class Term(CodeEnum):
    """The reach of a strategy.

    .. versionadded:: 0.1.0
    """

    SHORT = "short"
    MID = "mid"
    LONG = "long"


@attrs.frozen(field_transformer=name_fields)
class Milestone:
    """A dated step of a strategy.

    .. versionadded:: 0.1.0
    """

    name: Text = attrs.field(converter=text_field)
    due: pendulum.Date = attrs.field(converter=date_field)


def _term(value: Term | str, field: str = "") -> Term:
    return Term.parse(value, field)


def _milestones(value: Iterable[Milestone], field: str = "") -> tuple[Milestone, ...]:
    return items(value, Milestone, "a Milestone", field)


def _within_period(
    instance: StrategyHorizon, attribute: attrs.Attribute[Any], value: tuple[Milestone, ...]
) -> None:
    if instance.period is None:
        return
    for index, milestone in enumerate(value):
        if milestone.due not in instance.period:
            raise ValidationError(
                f"{where(instance, attribute)}[{index}].due",
                milestone.due.isoformat(),
                f"a date within the horizon {instance.period}",
            )


@attrs.frozen(field_transformer=name_fields)
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
        default=None, validator=optional_instance_of(Period, "a Period")
    )
    objectives: tuple[Text, ...] = attrs.field(default=(), kw_only=True, converter=texts_field)
    milestones: tuple[Milestone, ...] = attrs.field(
        default=(), kw_only=True, converter=_milestones, validator=_within_period
    )

    def active_on(self, day: pendulum.Date) -> bool:
        """Whether the horizon's period contains *day* (``False`` if the period is unknown)."""
        return self.period is not None and day in self.period
