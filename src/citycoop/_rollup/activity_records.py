"""Rollup records of IATI activities, their transactions and their budgets.

A record is a small frozen view of one :class:`~citycoop.Activity`, one of its
transactions or one of its budgets with what a :func:`~citycoop.rollup` key reads, so
other publishers' work rolls up with the same keys, exact splits, rates and frames as
the city's own cases:

- ``recipient`` is where the money goes: a :class:`~citycoop.City` (the one city the
  activity's locations name in its one country), a :class:`~citycoop.Country`, or a
  :class:`~citycoop.Split` over several by their percentages (a region that is not a
  country is ``None`` in it). The ``"country"``, ``"city"``, ``"region"`` and
  ``"sub_region"`` keys read it, and a split item's value is allocated exactly.
- ``sectors`` and ``focus`` come from the sectors, split by their percentages: the
  ``"sector"`` key groups by the DAC 5-digit code (:func:`~citycoop.sector` for other
  vocabularies), ``"focus_area"`` by the area each code maps to.
- A transaction's own countries, regions and sectors win over its activity's, as IATI's
  guidance says; where it has none, the activity's apply.
- Budgets count revised-else-original per period, as the city's own budgets do.

>>> import citycoop
>>> from citycoop import Activity, CountryShare, Money, Participant, Transaction
>>> activity = Activity(
...     "XM-EXAMPLE-1",
...     reporting_org=Participant("XM-EXAMPLE"),
...     countries=[CountryShare("PE", 60), CountryShare("EC", 40)],
...     transactions=[Transaction("disbursement", "2024-03-01", Money("100.01", "USD"), "2024-03-01")],
... )
>>> result = citycoop.rollup(citycoop.transaction_records([activity]), by="country")
>>> [(group.key[0].code, str(group.total("USD"))) for group in result]
[('EC', 'USD 40.00'), ('PE', 'USD 60.01')]
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, cast

import attrs

from citycoop._core.errors import ValidationError
from citycoop._core.places import City, Country
from citycoop._core.validation import iterable
from citycoop._domain.activities import (
    DAC_5,
    Activity,
    ActivityStatus,
    CountryShare,
    Location,
    Participant,
    PlannedDisbursement,
    RegionShare,
    SectorShare,
    Transaction,
    TransactionType,
)
from citycoop._domain.budgets import Budget, effective_budgets, revised_else_original
from citycoop._domain.focus import FocusArea
from citycoop._rollup.keys import Split, merged_weights, split_of
from citycoop._rollup.records import OfBudget

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pendulum

    from citycoop._core.money import Money

__all__ = [
    "ActivityBudgetRecord",
    "ActivityRecord",
    "AreaShare",
    "TransactionRecord",
    "activity_budget_records",
    "activity_records",
    "recipient_of",
    "transaction_records",
]


#: Where an item's money goes, as a rollup's recipient keys read it.
Recipient = City | Country | Split | None


@attrs.frozen
class AreaShare:
    """The part of an item in one focus area (``None``: sectors no area maps), in percent.

    .. versionadded:: 0.1.0
    """

    area: FocusArea | None
    percent: Decimal


def recipient_of(
    countries: tuple[CountryShare, ...],
    regions: tuple[RegionShare, ...] = (),
    locations: tuple[Location, ...] = (),
) -> City | Country | Split | None:
    """Where money goes, as a rollup's recipient keys read it.

    One country gives that :class:`~citycoop.Country`, or the :class:`~citycoop.City`
    when the locations name exactly one city in it; several countries and regions give a
    :class:`~citycoop.Split` by their percentages, in which a region (not a country) is
    ``None``; nothing gives ``None``. Shares without a percentage share equally what the
    others leave of 100 (all alike when none has one), and get nothing when the others
    reach 100: a country at 100 % beside a region without a percentage is that country.
    The IATI reader warns of each such activity (:class:`~citycoop.DataWarning`).

    >>> from citycoop import CountryShare
    >>> recipient_of((CountryShare("PE"),))
    Country('PE')
    >>> from citycoop import RegionShare
    >>> recipient_of((CountryShare("PE", 100),), (RegionShare("489"),))
    Country('PE')

    .. versionadded:: 0.1.0
    """
    cities: dict[Country, list[City]] = {}
    for location in locations:
        if location.city is not None:
            cities.setdefault(location.city.country, []).append(location.city)

    def place(country: Country) -> City | Country:
        found = list(dict.fromkeys(cities.get(country, ())))
        return found[0] if len(found) == 1 else country

    found = split_of(
        [
            *((place(share.country), share.percent) for share in countries),
            *((None, share.percent) for share in regions),
        ]
    )
    assert found is None or isinstance(found, City | Country | Split)
    return found


def focus_shares(
    sectors: tuple[SectorShare, ...], vocabulary: str, areas: Mapping[str, FocusArea] | None
) -> tuple[AreaShare, ...]:
    """The sectors of *vocabulary* as focus-area shares, merged per area."""
    shares: list[tuple[object, Decimal | None]] = []
    for share in sectors:
        if share.vocabulary != vocabulary:
            continue
        if areas is not None:
            area = areas.get(share.code)
        else:
            area = FocusArea.for_sector(share.code) if vocabulary == DAC_5 else None
        shares.append((area, share.percent))
    return tuple(
        AreaShare(area, weight)  # type: ignore[arg-type]
        for area, weight in merged_weights(shares)
    )


class _OfActivity:
    """What every record of an activity reads from it."""

    __slots__ = ()

    activity: Activity

    @property
    def status(self) -> ActivityStatus | None:
        """The activity's status."""
        return self.activity.status

    @property
    def organisation(self) -> Participant:
        """The reporting organisation (what the ``"organisation"`` key groups by)."""
        return self.activity.reporting_org


@attrs.frozen
class ActivityRecord(_OfActivity):
    """One activity as a rollup counts it: where, on what, when it starts; no money.

    .. versionadded:: 0.1.0
    """

    activity: Activity
    #: Where the activity goes (see :func:`recipient_of`); an activity that names its
    #: places only on its transactions (as IATI allows) takes theirs where they all name
    #: the same, else ``None``.
    recipient: Recipient
    #: Its sectors as focus areas.
    focus: tuple[AreaShare, ...]

    @property
    def value(self) -> Money | None:
        """Always ``None``: an activity's money is in its transactions and budgets."""
        return None

    @property
    def value_date(self) -> pendulum.Date | None:
        """Always ``None``."""
        return None

    @property
    def year(self) -> int | None:
        """The year the activity starts (actual, else planned)."""
        start = self.activity.start
        return None if start is None else start.year

    @property
    def sectors(self) -> tuple[SectorShare, ...]:
        """The activity's sectors."""
        return self.activity.sectors


@attrs.frozen
class TransactionRecord(_OfActivity):
    """One transaction, valued at its value date, where and on what its money went.

    .. versionadded:: 0.1.0
    """

    transaction: Transaction
    activity: Activity
    #: Where the money went (the transaction's countries and regions, else the activity's).
    recipient: Recipient
    #: Its sectors as focus areas (the transaction's sectors, else the activity's).
    focus: tuple[AreaShare, ...]

    @property
    def value(self) -> Money:
        """The transaction's value."""
        return self.transaction.value

    @property
    def value_date(self) -> pendulum.Date:
        """The day whose rate values it."""
        return self.transaction.value_date

    @property
    def year(self) -> int:
        """The year of the transaction date."""
        return self.transaction.date.year

    @property
    def transaction_type(self) -> TransactionType:
        """Commitment, disbursement, expenditure..."""
        return self.transaction.type

    @property
    def sectors(self) -> tuple[SectorShare, ...]:
        """The transaction's sectors, else the activity's."""
        return self.transaction.sectors or self.activity.sectors


@attrs.frozen
class ActivityBudgetRecord(_OfActivity, OfBudget[Budget | PlannedDisbursement]):
    """One budget (or planned disbursement) of an activity that counts.

    .. versionadded:: 0.1.0
    """

    budget: Budget | PlannedDisbursement
    activity: Activity
    #: Where the activity goes (see :func:`recipient_of`).
    recipient: Recipient
    #: The activity's sectors as focus areas.
    focus: tuple[AreaShare, ...]

    @property
    def sectors(self) -> tuple[SectorShare, ...]:
        """The activity's sectors."""
        return self.activity.sectors


def _activities(value: object, function: str) -> Iterable[Activity]:
    for index, activity in enumerate(iterable(value, f"{function}.activities")):
        if not isinstance(activity, Activity):
            raise ValidationError(f"{function}.activities[{index}]", activity, "an Activity")
        yield activity


def focus_area_map(value: object, function: str) -> Mapping[str, FocusArea] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError(f"{function}.focus_areas", value, "a mapping of code to FocusArea")
    given = cast("Mapping[object, object]", value)
    areas: dict[str, FocusArea] = {}
    for code, area in given.items():
        if not isinstance(code, str):
            raise ValidationError(f"{function}.focus_areas", code, "a sector code (a string)")
        areas[code] = FocusArea.parse(area, f"{function}.focus_areas[{code!r}]")
    return areas


def activity_records(
    activities: Iterable[Activity],
    *,
    vocabulary: str = DAC_5,
    focus_areas: Mapping[str, FocusArea | str] | None = None,
) -> Iterable[ActivityRecord]:
    """One :class:`ActivityRecord` per activity, lazily (a stream of activities streams).

    Args:
        activities: The activities, such as :func:`citycoop.io.iati.read_activities` gives.
        vocabulary: The sector vocabulary whose codes give the focus areas (``"1"``,
            the DAC 5-digit codes, by default).
        focus_areas: Code -> focus area for *vocabulary*, such as a publisher's own
            sector codes; by default DAC codes map by :meth:`~citycoop.FocusArea.for_sector`.

    .. versionadded:: 0.1.0
    """
    areas = focus_area_map(focus_areas, "activity_records")
    for activity in _activities(activities, "activity_records"):
        yield ActivityRecord(
            activity,
            _activity_recipient(activity),
            focus_shares(activity.sectors, vocabulary, areas),
        )


def _activity_recipient(activity: Activity) -> Recipient:
    """The activity's places, else those its transactions all name alike."""
    if activity.countries or activity.regions:
        return recipient_of(activity.countries, activity.regions, activity.locations)
    named = {
        recipient_of(t.countries, t.regions, activity.locations)
        for t in activity.transactions
        if t.countries or t.regions
    }
    return named.pop() if len(named) == 1 else None


def transaction_records(
    activities: Iterable[Activity],
    *,
    vocabulary: str = DAC_5,
    focus_areas: Mapping[str, FocusArea | str] | None = None,
) -> Iterable[TransactionRecord]:
    """One :class:`TransactionRecord` per transaction of each activity, lazily.

    *vocabulary* and *focus_areas* are as for :func:`activity_records`.

    .. versionadded:: 0.1.0
    """
    areas = focus_area_map(focus_areas, "transaction_records")
    for activity in _activities(activities, "transaction_records"):
        own = recipient_of(activity.countries, activity.regions, activity.locations)
        own_focus = focus_shares(activity.sectors, vocabulary, areas)
        for transaction in activity.transactions:
            recipient = own
            if transaction.countries or transaction.regions:
                recipient = recipient_of(
                    transaction.countries, transaction.regions, activity.locations
                )
            focus = own_focus
            if transaction.sectors:
                focus = focus_shares(transaction.sectors, vocabulary, areas)
            yield TransactionRecord(transaction, activity, recipient, focus)


def activity_budget_records(
    activities: Iterable[Activity],
    *,
    planned_disbursements: bool = False,
    vocabulary: str = DAC_5,
    focus_areas: Mapping[str, FocusArea | str] | None = None,
) -> Iterable[ActivityBudgetRecord]:
    """One :class:`ActivityBudgetRecord` per budget that counts, lazily.

    Per activity and period the revised budget counts where one exists, else the
    original, never both (two budgets of one kind for one period raise
    :class:`~citycoop.ValidationError`). With *planned_disbursements*, the planned
    disbursements are the records instead, by the same rule.

    .. versionadded:: 0.1.0
    """
    areas = focus_area_map(focus_areas, "activity_budget_records")
    for activity in _activities(activities, "activity_budget_records"):
        recipient = recipient_of(activity.countries, activity.regions, activity.locations)
        focus = focus_shares(activity.sectors, vocabulary, areas)
        chosen: tuple[Budget | PlannedDisbursement, ...]
        try:
            if planned_disbursements:
                chosen = _effective_planned(activity.planned_disbursements)
            else:
                chosen = effective_budgets(activity.budgets)
        except ValidationError as error:  # name the activity whose budgets conflict
            raise ValidationError(
                f"activity_budget_records: activity {activity.identifier!r}",
                error.value,
                error.expected,
            ) from None
        for budget in chosen:
            yield ActivityBudgetRecord(budget, activity, recipient, focus)


def _effective_planned(
    planned: tuple[PlannedDisbursement, ...],
) -> tuple[PlannedDisbursement, ...]:
    """Per period (and provider and receiver), the revised one where it exists."""
    return tuple(
        revised_else_original(
            planned,
            lambda item: (item.period, item.provider, item.receiver),
            "planned disbursement",
            "planned_disbursements",
        )
    )
