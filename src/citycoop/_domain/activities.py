"""IATI activities published by other organisations: who works where, on what, for how much.

These are the domain objects :func:`citycoop.io.iati.read_activities` reads from any
publisher's IATI 2.0x activity file: an :class:`Activity` with its organisations,
recipient countries and regions, locations, sectors, dates, :class:`Transaction` objects,
budgets (:class:`~citycoop.Budget`) and :class:`PlannedDisbursement` objects. Codes keep
their IATI values (``"1"`` is vocabulary 1, the OECD DAC 5-digit purpose codes); the
code lists with meanings of their own are enumerations (:class:`TransactionType`,
:class:`ActivityStatus`, :class:`OrgRole`).

:func:`~citycoop.activity_records`, :func:`~citycoop.transaction_records` and
:func:`~citycoop.activity_budget_records` make them items of a :func:`~citycoop.rollup`.
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Self

import attrs
import pendulum

from citycoop._core.codes import CodeEnum
from citycoop._core.errors import UnknownCodeError, ValidationError
from citycoop._core.money import Money
from citycoop._core.places import City, Coordinates, Country, country_field
from citycoop._core.text import Text, optional_text_field
from citycoop._core.time import Period, date_field, optional_date_field
from citycoop._core.validation import (
    instance_of,
    items,
    name_fields,
    non_empty,
    optional_instance_of,
    optional_text,
    optional_whole_number,
)
from citycoop._domain.budgets import Budget, BudgetKind, budgets_field
from citycoop._domain.focus import FocusArea
from citycoop._domain.iati_codes import code_names

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "Activity",
    "ActivityStatus",
    "CountryShare",
    "Location",
    "OrgRole",
    "Participant",
    "PlannedDisbursement",
    "RegionShare",
    "SectorShare",
    "Transaction",
    "TransactionType",
]

_HUNDRED: Final = Decimal(100)
#: IATI sector vocabulary 1: the OECD DAC 5-digit purpose codes.
DAC_5: Final = "1"


class _IatiCode(CodeEnum):
    """A code list of IATI's, its members named in words and carrying their IATI code."""

    @property
    def code(self) -> str:
        """The IATI code (``"3"`` for a disbursement)."""
        return IATI_CODES[type(self).__name__][self.value]

    @property
    def iati_name(self) -> str:
        """The code's English name in the IATI code list (``"Disbursement"``)."""
        return code_names(IATI_LISTS[type(self).__name__])[self.code]

    @classmethod
    def from_code(cls, code: str, field: str = "code") -> Self:
        """The member whose IATI code is *code*.

        Raises:
            UnknownCodeError: *code* is not one of the list's codes.
        """
        member = _BY_CODE[cls.__name__].get(code)
        if member is not None:
            return member  # type: ignore[return-value]
        raise UnknownCodeError(
            field, code, f"IATI {cls.__name__} ({', '.join(m.code for m in cls)})"
        )


class TransactionType(_IatiCode):
    """What a transaction is (IATI code list ``TransactionType``).

    >>> TransactionType.from_code("3"), TransactionType.DISBURSEMENT.code
    (<TransactionType.DISBURSEMENT: 'disbursement'>, '3')
    >>> TransactionType.OUTGOING_COMMITMENT.label_in("es")
    'compromiso de salida'

    .. versionadded:: 0.1.0
    """

    INCOMING_FUNDS = "incoming_funds"
    OUTGOING_COMMITMENT = "outgoing_commitment"
    DISBURSEMENT = "disbursement"
    EXPENDITURE = "expenditure"
    INTEREST_PAYMENT = "interest_payment"
    LOAN_REPAYMENT = "loan_repayment"
    REIMBURSEMENT = "reimbursement"
    PURCHASE_OF_EQUITY = "purchase_of_equity"
    SALE_OF_EQUITY = "sale_of_equity"
    CREDIT_GUARANTEE = "credit_guarantee"
    INCOMING_COMMITMENT = "incoming_commitment"
    OUTGOING_PLEDGE = "outgoing_pledge"
    INCOMING_PLEDGE = "incoming_pledge"


class ActivityStatus(_IatiCode):
    """Where an activity is in its life (IATI code list ``ActivityStatus``).

    .. versionadded:: 0.1.0
    """

    PIPELINE = "pipeline"
    IMPLEMENTATION = "implementation"
    FINALISATION = "finalisation"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    SUSPENDED = "suspended"


class OrgRole(_IatiCode):
    """An organisation's role in an activity (IATI code list ``OrganisationRole``).

    .. versionadded:: 0.1.0
    """

    FUNDING = "funding"
    ACCOUNTABLE = "accountable"
    EXTENDING = "extending"
    IMPLEMENTING = "implementing"


#: The IATI code list each enumeration is (its name in the official lists).
IATI_LISTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "TransactionType": "TransactionType",
        "ActivityStatus": "ActivityStatus",
        "OrgRole": "OrganisationRole",
    }
)
#: Each member's IATI code, by code list: stated here, never taken from the order in
#: which the members are declared (a test holds each to the official list's name).
IATI_CODES: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "TransactionType": MappingProxyType(
            {
                "incoming_funds": "1",
                "outgoing_commitment": "2",
                "disbursement": "3",
                "expenditure": "4",
                "interest_payment": "5",
                "loan_repayment": "6",
                "reimbursement": "7",
                "purchase_of_equity": "8",
                "sale_of_equity": "9",
                "credit_guarantee": "10",
                "incoming_commitment": "11",
                "outgoing_pledge": "12",
                "incoming_pledge": "13",
            }
        ),
        "ActivityStatus": MappingProxyType(
            {
                "pipeline": "1",
                "implementation": "2",
                "finalisation": "3",
                "closed": "4",
                "cancelled": "5",
                "suspended": "6",
            }
        ),
        "OrgRole": MappingProxyType(
            {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
        ),
    }
)

_BY_CODE: Final[dict[str, dict[str, _IatiCode]]] = {
    kind.__name__: {IATI_CODES[kind.__name__][member.value]: member for member in kind}
    for kind in (TransactionType, ActivityStatus, OrgRole)
}


def percent_field(value: Decimal | int | str | None, field: str = "") -> Decimal | None:
    """Converter of an optional percentage from 0 to 100 (IATI allows 0)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValidationError(field, value, "None or a percentage from 0 to 100")
    try:
        number = Decimal(value)
    except ArithmeticError:
        raise ValidationError(field, value, "None or a percentage from 0 to 100") from None
    if not number.is_finite() or not 0 <= number <= _HUNDRED:
        raise ValidationError(field, value, "None or a percentage from 0 to 100")
    return number


def _role(value: OrgRole | str | None, field: str = "") -> OrgRole | None:
    return None if value is None else OrgRole.parse(value, field)


@attrs.frozen(field_transformer=name_fields)
class Participant:
    """An organisation named in an activity: its IATI identifier (*ref*), name and type.

    *kind* is the IATI ``OrganisationType`` code (``"10"`` government, ``"21"``
    international NGO, ``"40"`` multilateral...); *role* is set for a participating
    organisation. Any of them may be missing from a file.

    .. versionadded:: 0.1.0
    """

    ref: str | None = attrs.field(default=None, validator=optional_text("an identifier"))
    name: Text | None = attrs.field(default=None, converter=optional_text_field)
    kind: str | None = attrs.field(default=None, validator=optional_text("a code"))
    role: OrgRole | None = attrs.field(default=None, converter=_role)

    @property
    def code(self) -> str | None:
        """The identifier, else the original name (what names it in a rollup key)."""
        return self.ref or (None if self.name is None else self.name.original)

    def __str__(self) -> str:
        return self.code or "(unnamed organisation)"


@attrs.frozen(field_transformer=name_fields)
class CountryShare:
    """A recipient country and its percentage (``None`` where the file gives none).

    .. versionadded:: 0.1.0
    """

    country: Country = attrs.field(converter=country_field)
    percent: Decimal | None = attrs.field(default=None, converter=percent_field)


@attrs.frozen(field_transformer=name_fields)
class RegionShare:
    """A recipient region by *code* in a *vocabulary* (``"1"``: OECD DAC regions).

    .. versionadded:: 0.1.0
    """

    code: str = attrs.field(validator=non_empty)
    vocabulary: str = attrs.field(default="1", validator=non_empty)
    percent: Decimal | None = attrs.field(default=None, converter=percent_field)


def percent_note(shares: Iterable[CountryShare | RegionShare]) -> str | None:
    """What the rule makes of recipient percentages that do not add up to 100, or ``None``.

    The rule (:func:`citycoop.recipient_of`): shares without a percentage share equally
    what the others leave of 100, and get nothing when the others reach 100; given
    percentages that do not add up to 100 weigh in proportion (all alike when all are 0).

    >>> print(percent_note([CountryShare("PE", 100), RegionShare("489")]))
    recipient percentages 100, none: the shares without one get nothing (the others reach 100)
    """
    percents = [share.percent for share in shares]
    if len(percents) < 2:
        return None
    given = [percent for percent in percents if percent is not None]
    total = sum(given, Decimal(0))
    if len(given) == len(percents) and total == _HUNDRED:
        return None
    shown = ", ".join("none" if p is None else format(p, "f") for p in percents)
    if not given or (len(given) == len(percents) and not total):
        rule = "the shares weigh alike"
    elif len(given) == len(percents):
        rule = f"they add up to {total:f}, and weigh in proportion"
    elif total >= _HUNDRED:
        rule = "the shares without one get nothing (the others reach 100)"
    else:
        rule = f"the shares without one share equally the {_HUNDRED - total:f} left"
    return f"recipient percentages {shown}: {rule}"


@attrs.frozen(field_transformer=name_fields)
class SectorShare:
    """A sector by *code* in a *vocabulary*, and its percentage.

    Vocabulary ``"1"`` holds the OECD DAC 5-digit purpose codes; their
    :attr:`focus_area` is the :class:`~citycoop.FocusArea` that lists the code
    (:meth:`~citycoop.FocusArea.for_sector`). Other vocabularies keep their codes.

    >>> SectorShare("21020").focus_area
    <FocusArea.PUBLIC_TRANSPORT: 'public_transport'>

    .. versionadded:: 0.1.0
    """

    code: str = attrs.field(validator=non_empty)
    vocabulary: str = attrs.field(default=DAC_5, validator=non_empty)
    percent: Decimal | None = attrs.field(default=None, converter=percent_field)

    @property
    def focus_area(self) -> FocusArea | None:
        """The focus area of a DAC 5-digit code, or ``None`` (no mapping, or another vocabulary)."""
        return FocusArea.for_sector(self.code) if self.vocabulary == DAC_5 else None


@attrs.frozen(field_transformer=name_fields)
class Location:
    """A place an activity names: a :class:`~citycoop.City` where the place is one.

    .. versionadded:: 0.1.0
    """

    name: str | None = attrs.field(default=None, validator=optional_text("a name"))
    city: City | None = attrs.field(
        default=None, kw_only=True, validator=optional_instance_of(City, "a City")
    )
    geonames_id: int | None = attrs.field(
        default=None, kw_only=True, validator=optional_whole_number(1)
    )
    coordinates: Coordinates | None = attrs.field(
        default=None, kw_only=True, validator=optional_instance_of(Coordinates, "Coordinates")
    )


def _participant(value: Participant | None, field: str = "") -> Participant | None:
    if value is not None and not isinstance(value, Participant):
        raise ValidationError(field, value, "None or a Participant")
    return value


def _countries(value: Iterable[CountryShare], field: str = "") -> tuple[CountryShare, ...]:
    return items(value, CountryShare, "a CountryShare", field)


def _regions(value: Iterable[RegionShare], field: str = "") -> tuple[RegionShare, ...]:
    return items(value, RegionShare, "a RegionShare", field)


def _sectors(value: Iterable[SectorShare], field: str = "") -> tuple[SectorShare, ...]:
    return items(value, SectorShare, "a SectorShare", field)


def _type(value: TransactionType | str, field: str = "") -> TransactionType:
    return TransactionType.parse(value, field)


@attrs.frozen(field_transformer=name_fields)
class Transaction:
    """Money that moved (or was committed) on a day: a commitment, a disbursement...

    *value* is in the value's own currency, else the activity's default currency;
    *value_date* is the day whose exchange rate values it. *countries*, *regions* and
    *sectors* are the transaction's own; where it has none, the activity's apply.

    .. versionadded:: 0.1.0
    """

    type: TransactionType = attrs.field(converter=_type)
    date: pendulum.Date = attrs.field(converter=date_field)
    value: Money = attrs.field(validator=instance_of(Money, "Money"))
    value_date: pendulum.Date = attrs.field(converter=date_field)
    provider: Participant | None = attrs.field(default=None, kw_only=True, converter=_participant)
    receiver: Participant | None = attrs.field(default=None, kw_only=True, converter=_participant)
    countries: tuple[CountryShare, ...] = attrs.field(
        default=(), kw_only=True, converter=_countries
    )
    regions: tuple[RegionShare, ...] = attrs.field(default=(), kw_only=True, converter=_regions)
    sectors: tuple[SectorShare, ...] = attrs.field(default=(), kw_only=True, converter=_sectors)
    ref: str | None = attrs.field(
        default=None, kw_only=True, validator=optional_text("a reference")
    )


def _budget_kind(value: BudgetKind | str, field: str = "") -> BudgetKind:
    return BudgetKind.parse(value, field)


@attrs.frozen(field_transformer=name_fields)
class PlannedDisbursement:
    """Money an activity plans to pay out over a period, original or revised.

    .. versionadded:: 0.1.0
    """

    period: Period = attrs.field(validator=instance_of(Period, "a Period"))
    value: Money = attrs.field(validator=instance_of(Money, "Money"))
    kind: BudgetKind = attrs.field(default=BudgetKind.ORIGINAL, converter=_budget_kind)
    value_date: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=optional_date_field
    )
    provider: Participant | None = attrs.field(default=None, kw_only=True, converter=_participant)
    receiver: Participant | None = attrs.field(default=None, kw_only=True, converter=_participant)

    @property
    def valued_on(self) -> pendulum.Date:
        """The value date, or the period's first day where none is given."""
        return self.period.start if self.value_date is None else self.value_date


def _participants(value: Iterable[Participant], field: str = "") -> tuple[Participant, ...]:
    return items(value, Participant, "a Participant", field)


def _locations(value: Iterable[Location], field: str = "") -> tuple[Location, ...]:
    return items(value, Location, "a Location", field)


def _transactions(value: Iterable[Transaction], field: str = "") -> tuple[Transaction, ...]:
    return items(value, Transaction, "a Transaction", field)


def _planned(
    value: Iterable[PlannedDisbursement], field: str = ""
) -> tuple[PlannedDisbursement, ...]:
    return items(value, PlannedDisbursement, "a PlannedDisbursement", field)


def _status(value: ActivityStatus | str | None, field: str = "") -> ActivityStatus | None:
    return None if value is None else ActivityStatus.parse(value, field)


def _reporting(value: Participant, field: str = "") -> Participant:
    if not isinstance(value, Participant):
        raise ValidationError(field, value, "a Participant")
    return value


@attrs.frozen(field_transformer=name_fields)
class Activity:
    """One IATI activity: a project or programme as its publisher reports it.

    >>> from citycoop import Money
    >>> activity = Activity(
    ...     "XM-DAC-46008-EXAMPLE",
    ...     reporting_org=Participant("XM-DAC-46008"),
    ...     countries=[CountryShare("PE", 60), CountryShare("EC", 40)],
    ...     transactions=[Transaction("disbursement", "2024-03-01", Money(100, "USD"), "2024-03-01")],
    ... )
    >>> activity.title, activity.transactions[0].value
    (None, Money('100', 'USD'))

    The title is a :class:`~citycoop.Text`: one string per language, each narrative in
    its ``xml:lang`` (else the activity's); ``activity.title.in_("es-PE")`` finds the
    Spanish one by BCP 47 rules.

    Dates are IATI's four activity dates; *line* is where the activity starts in the
    file it was read from (not compared: the same activity read from two files is equal).

    .. versionadded:: 0.1.0
    """

    identifier: str = attrs.field(validator=non_empty)
    reporting_org: Participant = attrs.field(kw_only=True, converter=_reporting)
    title: Text | None = attrs.field(default=None, kw_only=True, converter=optional_text_field)
    participants: tuple[Participant, ...] = attrs.field(
        default=(), kw_only=True, converter=_participants
    )
    status: ActivityStatus | None = attrs.field(default=None, kw_only=True, converter=_status)
    planned_start: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=optional_date_field
    )
    actual_start: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=optional_date_field
    )
    planned_end: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=optional_date_field
    )
    actual_end: pendulum.Date | None = attrs.field(
        default=None, kw_only=True, converter=optional_date_field
    )
    default_currency: str | None = attrs.field(
        default=None, kw_only=True, validator=optional_text("a currency code")
    )
    countries: tuple[CountryShare, ...] = attrs.field(
        default=(), kw_only=True, converter=_countries
    )
    regions: tuple[RegionShare, ...] = attrs.field(default=(), kw_only=True, converter=_regions)
    locations: tuple[Location, ...] = attrs.field(default=(), kw_only=True, converter=_locations)
    sectors: tuple[SectorShare, ...] = attrs.field(default=(), kw_only=True, converter=_sectors)
    transactions: tuple[Transaction, ...] = attrs.field(
        default=(), kw_only=True, converter=_transactions
    )
    budgets: tuple[Budget, ...] = attrs.field(default=(), kw_only=True, converter=budgets_field)
    planned_disbursements: tuple[PlannedDisbursement, ...] = attrs.field(
        default=(), kw_only=True, converter=_planned
    )
    line: int | None = attrs.field(
        default=None, kw_only=True, eq=False, validator=optional_whole_number(1)
    )

    def participants_in(self, role: OrgRole | str) -> tuple[Participant, ...]:
        """The participating organisations with *role*, in file order."""
        wanted = _role(role, "Activity.participants_in.role")
        return tuple(p for p in self.participants if p.role == wanted)

    @property
    def start(self) -> pendulum.Date | None:
        """The actual start date, else the planned one."""
        return self.actual_start or self.planned_start

    @property
    def end(self) -> pendulum.Date | None:
        """The actual end date, else the planned one."""
        return self.actual_end or self.planned_end
