"""Rollup records: MOUs, training cohorts and budgets as items :func:`rollup` groups.

A record is a small frozen view of one domain object with the attributes the rollup
keys read (``recipient``, ``year``, ``focus``, ``status``, ``modality``...), so MOUs,
training and budgets roll up with the same keys, splits, results and frames as policy
export cases. The functions here build them from a :class:`~citycoop.Portfolio`, whose
owner tells partner cities from the home city.

An item's *partner city* is its ``recipient``: the case's recipient for a case and its
budgets; for an MOU and its training, the one party city that is not the owner's. An
MOU with no such city, or with several, has no one recipient (``None``), so that no
count, participant or amount is ever counted twice; its :attr:`MOURecord.partners`
lists them all.
"""

# pint builds its Quantity classes at run time, so pyright cannot know their members.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false, reportUnknownParameterType=false

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

import attrs

from citycoop._core.errors import ValidationError

# Imported at run time, so that typing.get_type_hints resolves every record's fields.
from citycoop._core.money import Money
from citycoop._core.places import City
from citycoop._domain.activities import Activity, PlannedDisbursement, Transaction
from citycoop._domain.agreements import MOU, MOUStatus
from citycoop._domain.budgets import Budget, BudgetKind, effective_budgets
from citycoop._domain.exports import ExportStatus, FocusShare, PolicyExport
from citycoop._domain.focus import FocusArea
from citycoop._domain.portfolio import Portfolio
from citycoop._domain.training import Cohort, Modality, TrainingTrack

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pendulum
    import pint

__all__ = [
    "BudgetRecord",
    "CohortRecord",
    "MOURecord",
    "budget_records",
    "cohort_records",
    "mou_records",
]

#: What to roll up instead of a record that holds no value of its own, by its class.
RECORDS_OF: Final[Mapping[type, str]] = MappingProxyType(
    {
        Portfolio: "portfolio.exports, or citycoop.mou_records(portfolio)",
        MOU: "citycoop.mou_records(portfolio)",
        TrainingTrack: "citycoop.cohort_records(portfolio) or citycoop.budget_records(portfolio)",
        Cohort: "citycoop.cohort_records(portfolio)",
        Budget: "citycoop.budget_records(portfolio)",
        Activity: "citycoop.transaction_records(activities) or citycoop.activity_records(...)",
        Transaction: "citycoop.transaction_records(activities)",
        PlannedDisbursement: "citycoop.activity_budget_records(activities)",
    }
)


class _Unvalued:
    """A record without money: an MOU or a cohort (a track's money is in its budgets)."""

    __slots__ = ()

    @property
    def value(self) -> Money | None:
        """Always ``None``: the record carries no money (see :func:`budget_records`)."""
        return None

    @property
    def value_date(self) -> pendulum.Date | None:
        """Always ``None``."""
        return None


@attrs.frozen
class MOURecord(_Unvalued):
    """One MOU as a rollup counts it: by its partner city, signing year, status and areas.

    It has no value; an MOU with several focus areas counts once in each area, and
    once in every subtotal above them.

    >>> import citycoop
    >>> seoul = citycoop.datasets.seoul()
    >>> result = citycoop.rollup(citycoop.mou_records(seoul), by=("country", "status"))
    >>> [(group.key[0].code, group.key[1].value, group.count) for group in result]
    [('EC', 'signed', 1), ('PE', 'signed', 1)]

    .. versionadded:: 0.1.0
    """

    mou: MOU
    #: The partner city (``None`` if the MOU has none or several).
    recipient: City | None
    #: Every partner city, in party order.
    partners: tuple[City, ...]

    @property
    def year(self) -> int | None:
        """The year of signing (UTC), if signed."""
        return self.mou.year

    @property
    def status(self) -> MOUStatus:
        """The MOU's status."""
        return self.mou.status

    @property
    def focus(self) -> tuple[FocusShare, ...]:
        """Each focus area in full, so the ``"focus_area"`` key counts the MOU in each."""
        return tuple(FocusShare(area) for area in self.mou.focus_areas)


@attrs.frozen
class CohortRecord(_Unvalued):
    """One cohort of a training track, with its participants and person-hours.

    A track without cohorts gives one record whose ``cohort``, ``year``,
    ``participants`` and ``person_hours`` are ``None`` (unknown, never zero). Measure
    ``participants`` and ``person_hours`` with ``rollup(..., measures=...)``:

    >>> import citycoop
    >>> records = citycoop.cohort_records(citycoop.datasets.seoul())
    >>> result = citycoop.rollup(
    ...     records, by="focus_area", measures=("participants", "person_hours"))
    >>> result.total.count == len(records)
    True

    .. versionadded:: 0.1.0
    """

    track: TrainingTrack
    cohort: Cohort | None
    #: The partner city (see the module's rule), or ``None``.
    recipient: City | None
    #: The MOU the track belongs to, or ``None`` for a track of the portfolio itself.
    mou: MOU | None

    @property
    def year(self) -> int | None:
        """The year the cohort starts."""
        return None if self.cohort is None else self.cohort.period.start.year

    @property
    def focus_area(self) -> FocusArea:
        """The track's focus area."""
        return self.track.focus_area

    @property
    def focus(self) -> tuple[FocusShare, ...]:
        """The track's focus area, as the ``"focus_area"`` key reads it."""
        return (FocusShare(self.track.focus_area),)

    @property
    def modality(self) -> Modality | None:
        """How the track is given, if known."""
        return self.track.modality

    @property
    def participants(self) -> int | None:
        """The cohort's participants (``None`` without a cohort)."""
        return None if self.cohort is None else self.cohort.participants

    @property
    def person_hours(self) -> pint.Quantity[Any] | None:
        """The cohort's person-hours (``None`` without a cohort)."""
        return None if self.cohort is None else self.cohort.person_hours


_B = TypeVar("_B", bound="Budget | PlannedDisbursement")


class OfBudget(Generic[_B]):
    """What a record of a budget reads from it (its ``budget`` attribute)."""

    __slots__ = ()

    budget: _B

    @property
    def value(self) -> Money:
        """The budget's amount."""
        return self.budget.value

    @property
    def value_date(self) -> pendulum.Date:
        """The day its rate is taken (the value date, else the period's first day)."""
        return self.budget.valued_on

    @property
    def year(self) -> int:
        """The year the budget period starts."""
        return self.budget.period.start.year

    @property
    def kind(self) -> BudgetKind:
        """Original or revised."""
        return self.budget.kind


@attrs.frozen
class BudgetRecord(OfBudget[Budget]):
    """One budget that counts (per holder and period, the revised one where it exists).

    Its ``value`` converts at :attr:`~citycoop.Budget.valued_on`. A case's budget is
    split over the case's focus areas as the case's value is.

    >>> import citycoop
    >>> seoul = citycoop.datasets.seoul()
    >>> result = citycoop.rollup(citycoop.budget_records(seoul), by=("year", "currency"))
    >>> [(group.key, str(group.total("KRW"))) for group in result][:1]
    [((2016, 'KRW'), 'KRW 688000000')]

    .. versionadded:: 0.1.0
    """

    budget: Budget
    #: The case or training track whose budget it is.
    holder: PolicyExport | TrainingTrack
    #: The partner city (see the module's rule), or ``None``.
    recipient: City | None

    @property
    def focus(self) -> tuple[FocusShare, ...]:
        """The holder's focus (a case's shares, or a track's one area)."""
        if isinstance(self.holder, PolicyExport):
            return self.holder.focus
        return (FocusShare(self.holder.focus_area),)

    @property
    def status(self) -> ExportStatus | None:
        """A case's status (``None`` for a training track's budget)."""
        return self.holder.status if isinstance(self.holder, PolicyExport) else None


def _portfolio(value: object, function: str) -> Portfolio:
    if not isinstance(value, Portfolio):
        raise ValidationError(f"{function}.portfolio", value, "a Portfolio")
    return value


def _partners(mou: MOU, home: City | None) -> tuple[City, ...]:
    return tuple(dict.fromkeys(city for city in mou.cities if city != home))


def _mou_recipient(partners: tuple[City, ...]) -> City | None:
    return partners[0] if len(partners) == 1 else None


def mou_records(portfolio: Portfolio) -> tuple[MOURecord, ...]:
    """One :class:`MOURecord` per MOU of *portfolio*, in the portfolio's order.

    .. versionadded:: 0.1.0
    """
    home = _portfolio(portfolio, "mou_records").owner.city
    records: list[MOURecord] = []
    for mou in portfolio.mous:
        partners = _partners(mou, home)
        records.append(MOURecord(mou, _mou_recipient(partners), partners))
    return tuple(records)


def _tracks(portfolio: Portfolio) -> list[tuple[TrainingTrack, City | None, MOU | None]]:
    """Every training track: those of each MOU (with its partner city), then the portfolio's."""
    home = portfolio.owner.city
    tracks: list[tuple[TrainingTrack, City | None, MOU | None]] = []
    for mou in portfolio.mous:
        recipient = _mou_recipient(_partners(mou, home))
        tracks.extend((track, recipient, mou) for track in mou.training)
    tracks.extend((track, None, None) for track in portfolio.training)
    return tracks


def cohort_records(portfolio: Portfolio) -> tuple[CohortRecord, ...]:
    """One :class:`CohortRecord` per cohort of every training track of *portfolio*.

    Tracks of MOUs come first (in MOU order), then the portfolio's own; a track without
    cohorts gives one record with ``cohort=None``.

    .. versionadded:: 0.1.0
    """
    records: list[CohortRecord] = []
    for track, recipient, mou in _tracks(_portfolio(portfolio, "cohort_records")):
        cohorts: tuple[Cohort | None, ...] = track.cohorts or (None,)
        records.extend(CohortRecord(track, cohort, recipient, mou) for cohort in cohorts)
    return tuple(records)


def budget_records(portfolio: Portfolio) -> tuple[BudgetRecord, ...]:
    """One :class:`BudgetRecord` per budget that counts, of every case and training track.

    Per holder and period the revised budget counts where one exists, else the original,
    never both (two budgets of one kind for one period raise
    :class:`~citycoop.ValidationError`). Cases come first, then training tracks.

    .. versionadded:: 0.1.0
    """
    checked = _portfolio(portfolio, "budget_records")
    records = [
        BudgetRecord(budget, case, case.recipient)
        for case in checked.exports
        for budget in effective_budgets(case.budgets)
    ]
    records.extend(
        BudgetRecord(budget, track, recipient)
        for track, recipient, _ in _tracks(checked)
        for budget in effective_budgets(track.budgets)
    )
    return tuple(records)
