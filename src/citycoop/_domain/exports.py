"""Policy exports: one exported policy case, its focus split, value and funding."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import pendulum

from citycoop._core.codes import CodeEnum
from citycoop._core.decimals import EXACT
from citycoop._core.errors import ValidationError
from citycoop._core.money import Money, to_decimal
from citycoop._core.places import City, Country
from citycoop._core.text import Text, optional_text_field, text_field
from citycoop._core.time import date_field, optional_date_field
from citycoop._core.validation import (
    instance_of,
    items,
    name_fields,
    optional_instance_of,
    optional_text,
    urls,
    where,
)
from citycoop._domain.budgets import Budget, budgets_field
from citycoop._domain.focus import FocusArea, focus_area_field, focus_areas_field
from citycoop._domain.parties import Organisation

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

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


def _funding_kind(value: FundingKind | str, field: str = "") -> FundingKind:
    return FundingKind.parse(value, field)


def _export_status(value: ExportStatus | str, field: str = "") -> ExportStatus:
    return ExportStatus.parse(value, field)


@attrs.frozen(field_transformer=name_fields)
class Funding:
    """Who pays for a case and how.

    .. versionadded:: 0.1.0
    """

    kind: FundingKind = attrs.field(converter=_funding_kind)
    funder: Organisation | None = attrs.field(
        default=None,
        validator=optional_instance_of(Organisation, "an Organisation"),
    )


def _percent(value: Decimal | int | str, field: str = "") -> Decimal:
    return to_decimal(value, field)


def _positive_percent(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not 0 < value <= _HUNDRED:
        raise ValidationError(
            where(instance, attribute), value, "a percentage above 0 and at most 100"
        )


@attrs.frozen(field_transformer=name_fields)
class FocusShare:
    """The share of a case that goes to one focus area, in percent.

    .. versionadded:: 0.1.0
    """

    area: FocusArea = attrs.field(converter=focus_area_field)
    percent: Decimal = attrs.field(
        default=_HUNDRED, converter=_percent, validator=_positive_percent
    )


def _focus(
    value: FocusArea | str | Mapping[FocusArea | str, Decimal | int | str] | Iterable[FocusShare],
    field: str = "",
) -> tuple[FocusShare, ...]:
    """One area (100%), a mapping of area to percent, or shares; they must sum to 100."""
    if isinstance(value, FocusArea | str):
        shares: tuple[FocusShare, ...] = (FocusShare(value),)
    elif isinstance(value, Mapping):
        percents = cast("Mapping[FocusArea | str, Decimal | int | str]", value)
        shares = tuple(FocusShare(area, percent) for area, percent in percents.items())
    else:
        shares = items(value, FocusShare, "a FocusShare", field)
    if not shares:
        raise ValidationError(field, shares, "at least one focus area")
    areas = [share.area for share in shares]
    if len(set(areas)) != len(areas):
        raise ValidationError(field, [str(a) for a in areas], "each area once")
    total = functools.reduce(EXACT.add, (share.percent for share in shares), Decimal(0))
    if total != _HUNDRED:
        raise ValidationError(
            field,
            {str(s.area): str(s.percent) for s in shares},
            f"percentages that sum to 100 (they sum to {total})",
        )
    return shares


def _year(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200
    ):
        raise ValidationError(where(instance, attribute), value, "None or a year from 1900 to 2200")


@attrs.frozen(field_transformer=name_fields)
class PolicyExport:
    """One exported policy case: what went to which city, when, for how much, paid by whom.

    ``value`` is ``None`` where the amount is unknown; unknown is not zero, and
    rollups count such cases without adding them. ``value_date`` is the day the value
    is valued at (conversions use its rates); ``year`` is taken from it when not given,
    and a ``year`` that disagrees with it is refused, so that a case falls in one year
    whether a rollup groups by ``"year"`` or by fiscal year.

    >>> from citycoop import City
    >>> bogota = City("Bogotá", "CO", "America/Bogota")
    >>> case = PolicyExport("Transport card system", bogota, "public_transport", year=2011)
    >>> case.focus
    (FocusShare(area=<FocusArea.PUBLIC_TRANSPORT: 'public_transport'>, percent=Decimal('100')),)

    .. versionadded:: 0.1.0
    """

    policy: Text = attrs.field(converter=text_field)
    recipient: City = attrs.field(validator=instance_of(City, "a City"))
    focus: tuple[FocusShare, ...] = attrs.field(converter=_focus)
    year: int | None = attrs.field(default=None, kw_only=True, validator=_year)
    value_date: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=optional_date_field
    )
    value: Money | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of(Money, "Money"),
    )
    funding: Funding | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of(Funding, "Funding"),
    )
    status: ExportStatus = attrs.field(
        default=ExportStatus.COMPLETED,
        kw_only=True,
        converter=_export_status,
    )
    implementer: Organisation | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_instance_of(Organisation, "an Organisation"),
    )
    budgets: tuple[Budget, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=budgets_field,
    )
    identifier: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_text("a non-empty identifier"),
    )
    parent: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=optional_text("a non-empty identifier"),
    )
    sources: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=urls)
    note: Text | None = attrs.field(default=None, kw_only=True, converter=optional_text_field)

    def __attrs_post_init__(self) -> None:
        if self.value_date is None:
            return
        if self.year is None:
            object.__setattr__(self, "year", self.value_date.year)
        elif self.year != self.value_date.year:
            raise ValidationError(
                where(self, attrs.fields(type(self)).year),
                self.year,
                f"the year of value_date {self.value_date} (or no year)",
            )

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


_NEW: Final = object.__new__
_SET: Final = object.__setattr__


def trusted_export(  # noqa: PLR0917 - one argument per field, in field order
    policy: Text,
    recipient: City,
    focus: tuple[FocusShare, ...],
    year: int | None,
    value_date: pendulum.Date | None,
    value: Money | None,
    funding: Funding | None,
    status: ExportStatus,
    implementer: Organisation | None,
    budgets: tuple[Budget, ...],
    identifier: str | None,
    parent: str | None,
    sources: tuple[str, ...],
    note: Text | None,
) -> PolicyExport:
    """A :class:`PolicyExport` of values its constructor has already accepted, unchecked.

    For readers that take each value from a case built the validating way (or check it
    by the same rule) and hold *year* equal to *value_date*'s year when both are given.
    """
    case = _NEW(PolicyExport)
    _SET(case, "policy", policy)
    _SET(case, "recipient", recipient)
    _SET(case, "focus", focus)
    _SET(case, "year", year)
    _SET(case, "value_date", value_date)
    _SET(case, "value", value)
    _SET(case, "funding", funding)
    _SET(case, "status", status)
    _SET(case, "implementer", implementer)
    _SET(case, "budgets", budgets)
    _SET(case, "identifier", identifier)
    _SET(case, "parent", parent)
    _SET(case, "sources", sources)
    _SET(case, "note", note)
    return case


@attrs.frozen(field_transformer=name_fields)
class PolicyRequest:
    """A city's request for a policy, not yet a case.

    .. versionadded:: 0.1.0
    """

    city: City = attrs.field(validator=instance_of(City, "a City"))
    reported_on: pendulum.Date = attrs.field(converter=date_field)
    topic: Text = attrs.field(
        default=Text("smart city policy sharing"), kw_only=True, converter=text_field
    )
    focus_areas: tuple[FocusArea, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=focus_areas_field,
    )
    sources: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=urls)
