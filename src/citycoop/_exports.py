"""Policy exports: one exported policy case, its focus split, value and funding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from citycoop._budgets import Budget
from citycoop._codes import CodeEnum
from citycoop._errors import ValidationError
from citycoop._focus import FocusArea
from citycoop._money import Money, to_decimal
from citycoop._parties import Organisation
from citycoop._places import City, Country
from citycoop._time import to_date
from citycoop._validation import (
    instance_of,
    non_empty,
    optional_instance_of,
    to_tuple,
    tuple_of,
    urls,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "ExportStatus",
    "FocusShare",
    "Funding",
    "FundingKind",
    "PolicyExport",
    "PolicyRequest",
]

_HUNDRED = Decimal(100)


class FundingKind(CodeEnum):
    """How a case is paid for.

    .. versionadded:: 0.1.0
    """

    ODA_GRANT = "oda_grant"
    ODA_LOAN = "oda_loan"
    MULTILATERAL_BANK = "multilateral_bank"
    PARTNER_BUDGET = "partner_budget"
    OWN_BUDGET = "own_budget"
    COMMERCIAL = "commercial"


class ExportStatus(CodeEnum):
    """Where an export case stands.

    .. versionadded:: 0.1.0
    """

    PROPOSED = "proposed"
    SELECTED = "selected"
    CONTRACTED = "contracted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


def _funding_kind(value: FundingKind | str) -> FundingKind:
    return FundingKind.parse(value, "Funding.kind")


def _export_status(value: ExportStatus | str) -> ExportStatus:
    return ExportStatus.parse(value, "PolicyExport.status")


def _share_area(value: FocusArea | str) -> FocusArea:
    return FocusArea.parse(value, "FocusShare.area")


def _request_date(value: dt.date | str) -> pendulum.Date:
    return to_date(value, "PolicyRequest.reported_on")


def _request_areas(value: object) -> object:
    value = to_tuple(value)
    if not isinstance(value, tuple):
        raise ValidationError("PolicyRequest.focus_areas", value, "a list of focus areas")
    return tuple(FocusArea.parse(x, f"PolicyRequest.focus_areas[{i}]") for i, x in enumerate(value))


def _value_date(value: dt.date | str | None) -> pendulum.Date | None:
    return None if value is None else to_date(value, "PolicyExport.value_date")


@attrs.frozen
class Funding:
    """Who pays for a case and how.

    .. versionadded:: 0.1.0
    """

    kind: FundingKind = attrs.field(converter=_funding_kind)
    funder: Organisation | None = attrs.field(
        default=None,
        validator=optional_instance_of("Funding.funder", Organisation, "an Organisation"),
    )


def _percent(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, "FocusShare.percent")


def _positive_percent(_instance: object, _attribute: object, value: Decimal) -> None:
    if not 0 < value <= _HUNDRED:
        raise ValidationError("FocusShare.percent", value, "a percentage above 0 and at most 100")


@attrs.frozen
class FocusShare:
    """The share of a case that goes to one focus area, in percent.

    .. versionadded:: 0.1.0
    """

    area: FocusArea = attrs.field(converter=_share_area)
    percent: Decimal = attrs.field(
        default=_HUNDRED, converter=_percent, validator=_positive_percent
    )


def _focus(value: object) -> object:
    """Accept one area (100%), a mapping of area to percent, or a sequence of shares."""
    if isinstance(value, FocusArea | str):
        return (FocusShare(value),)
    if isinstance(value, dict):
        return tuple(FocusShare(area, percent) for area, percent in value.items())
    return to_tuple(value)


def _focus_split(_instance: object, _attribute: object, value: tuple[FocusShare, ...]) -> None:
    tuple_of("PolicyExport.focus", FocusShare, "a FocusShare")(None, None, value)
    if not value:
        raise ValidationError("PolicyExport.focus", value, "at least one focus area")
    areas = [share.area for share in value]
    if len(set(areas)) != len(areas):
        raise ValidationError("PolicyExport.focus", [str(a) for a in areas], "each area once")
    total = sum((share.percent for share in value), Decimal(0))
    if total != _HUNDRED:
        raise ValidationError(
            "PolicyExport.focus",
            {str(s.area): str(s.percent) for s in value},
            f"percentages that sum to 100 (they sum to {total})",
        )


def _year(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200
    ):
        raise ValidationError("PolicyExport.year", value, "None or a year from 1900 to 2200")


@attrs.frozen
class PolicyExport:
    """One exported policy case: what went to which city, when, for how much, paid by whom.

    ``value`` is ``None`` where the amount is unknown; unknown is not zero, and
    rollups count such cases without adding them.

    >>> from citycoop import City
    >>> bogota = City("Bogotá", "CO", "America/Bogota")
    >>> case = PolicyExport("Transport card system", bogota, "public_transport", year=2011)
    >>> case.focus
    (FocusShare(area=<FocusArea.PUBLIC_TRANSPORT: 'public_transport'>, percent=Decimal('100')),)

    .. versionadded:: 0.1.0
    """

    policy: str = attrs.field(validator=non_empty("PolicyExport.policy"))
    recipient: City = attrs.field(validator=instance_of("PolicyExport.recipient", City, "a City"))
    focus: tuple[FocusShare, ...] = attrs.field(converter=_focus, validator=_focus_split)
    year: int | None = attrs.field(default=None, kw_only=True, validator=_year)
    value_date: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=_value_date
    )
    value: Money | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of("PolicyExport.value", Money, "Money"),
    )
    funding: Funding | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of("PolicyExport.funding", Funding, "Funding"),
    )
    status: ExportStatus = attrs.field(
        default=ExportStatus.COMPLETED,
        kw_only=True,
        converter=_export_status,
    )
    implementer: Organisation | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of("PolicyExport.implementer", Organisation, "an Organisation"),
    )
    budgets: tuple[Budget, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=to_tuple,
        validator=tuple_of("PolicyExport.budgets", Budget, "a Budget"),
    )
    identifier: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of("PolicyExport.identifier", str, "an identifier"),
    )
    parent: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of("PolicyExport.parent", str, "an identifier"),
    )
    sources: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=urls("PolicyExport.sources")
    )
    note: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of("PolicyExport.note", str, "a note"),
    )

    def __attrs_post_init__(self) -> None:
        if self.value_date is not None and self.year is None:
            object.__setattr__(self, "year", self.value_date.year)

    @property
    def country(self) -> Country:
        """The recipient city's country."""
        return self.recipient.country

    @property
    def focus_areas(self) -> tuple[FocusArea, ...]:
        """The focus areas, in split order."""
        return tuple(share.area for share in self.focus)

    def split_value(self) -> Iterator[tuple[FocusArea, Money]]:
        """The value allocated over the focus split, exact to the minor unit.

        Nothing is yielded when the value is unknown.
        """
        if self.value is None:
            return
        parts = self.value.allocate([share.percent for share in self.focus])
        yield from zip(self.focus_areas, parts, strict=True)


@attrs.frozen
class PolicyRequest:
    """A city's request for a policy, not yet a case.

    .. versionadded:: 0.1.0
    """

    city: City = attrs.field(validator=instance_of("PolicyRequest.city", City, "a City"))
    reported_on: pendulum.Date = attrs.field(converter=_request_date)
    topic: str = attrs.field(
        default="smart city policy sharing",
        kw_only=True,
        validator=non_empty("PolicyRequest.topic"),
    )
    focus_areas: tuple[FocusArea, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_request_areas,
    )
    sources: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=urls("PolicyRequest.sources")
    )
