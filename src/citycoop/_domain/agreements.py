"""Memoranda of understanding between cities and their life cycle."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Self

import attrs
import pendulum

from citycoop._core.codes import CodeEnum
from citycoop._core.errors import InvalidTransitionError, ValidationError
from citycoop._core.places import City
from citycoop._core.text import Text, text_field, texts_field
from citycoop._core.time import Period, aware
from citycoop._core.validation import (
    instance_of,
    items,
    name_fields,
    optional_instance_of,
    optional_text,
    urls,
    where,
)
from citycoop._domain.focus import FocusArea, focus_areas_field
from citycoop._domain.horizons import StrategyHorizon, Term
from citycoop._domain.parties import Official, Organisation
from citycoop._domain.training import TrainingTrack, tracks_field

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["MOU", "ONLINE", "MOUStatus", "Venue"]


class MOUStatus(CodeEnum):
    """Where an MOU stands in its life cycle.

    Legal moves: proposed → signed or terminated; signed → active, expired or
    terminated; active → completed, expired or terminated. Completed, expired and
    terminated are final.

    .. versionadded:: 0.1.0
    """

    PROPOSED = "proposed"
    SIGNED = "signed"
    ACTIVE = "active"
    COMPLETED = "completed"
    EXPIRED = "expired"
    TERMINATED = "terminated"

    @property
    def allowed(self) -> tuple[MOUStatus, ...]:
        """The statuses this one may move to."""
        return _TRANSITIONS[self]


_TRANSITIONS: Mapping[MOUStatus, tuple[MOUStatus, ...]] = MappingProxyType(
    {
        MOUStatus.PROPOSED: (MOUStatus.SIGNED, MOUStatus.TERMINATED),
        MOUStatus.SIGNED: (MOUStatus.ACTIVE, MOUStatus.EXPIRED, MOUStatus.TERMINATED),
        MOUStatus.ACTIVE: (MOUStatus.COMPLETED, MOUStatus.EXPIRED, MOUStatus.TERMINATED),
        MOUStatus.COMPLETED: (),
        MOUStatus.EXPIRED: (),
        MOUStatus.TERMINATED: (),
    }
)


@attrs.frozen(field_transformer=name_fields)
class Venue:
    """Where an MOU was signed: online, or in a city (or both, for a hybrid ceremony).

    .. versionadded:: 0.1.0
    """

    online: bool = attrs.field(
        default=False, kw_only=True, validator=instance_of(bool, "True or False")
    )
    city: City | None = attrs.field(
        default=None, kw_only=True, validator=optional_instance_of(City, "a City")
    )

    def __attrs_post_init__(self) -> None:
        if not self.online and self.city is None:
            raise ValidationError(type(self).__name__, self, "online=True, a city, or both")

    def __str__(self) -> str:
        if self.city is None:
            return "online"
        return f"{self.city} (online)" if self.online else str(self.city)


ONLINE = Venue(online=True)


def _parties(value: Iterable[Organisation], field: str = "") -> tuple[Organisation, ...]:
    parties = items(value, Organisation, "an Organisation", field)
    if len(parties) < 2:
        raise ValidationError(field, parties, "two or more parties")
    seen: set[Organisation] = set()
    for index, party in enumerate(parties):
        if party in seen:
            raise ValidationError(f"{field}[{index}]", party.name, "each party once")
        seen.add(party)
    return parties


def _officials(value: Iterable[Official], field: str = "") -> tuple[Official, ...]:
    return items(value, Official, "an Official", field)


def _signatories(
    instance: MOU, attribute: attrs.Attribute[Any], value: tuple[Official, ...]
) -> None:
    for index, official in enumerate(value):
        if official.organisation not in instance.parties:
            raise ValidationError(
                f"{where(instance, attribute)}[{index}]",
                str(official.name),
                "an official of one of the parties: "
                + ", ".join(str(party.name) for party in instance.parties),
            )


def _signed_at(value: dt.datetime | str | None, field: str = "") -> pendulum.DateTime | None:
    return None if value is None else aware(value, field)


def _status(value: MOUStatus | str, field: str = "") -> MOUStatus:
    return MOUStatus.parse(value, field)


def _status_needs_signing(instance: MOU, attribute: attrs.Attribute[Any], value: MOUStatus) -> None:
    if (
        value is not MOUStatus.PROPOSED
        and instance.signed_at is None
        and value is not MOUStatus.TERMINATED
    ):
        raise ValidationError(
            where(instance, attrs.fields(MOU).signed_at),
            None,
            f"a signing time for an MOU that is {value}",
        )
    if value is MOUStatus.PROPOSED and instance.signed_at is not None:
        raise ValidationError(
            where(instance, attribute), value.value, "signed (or later) for an MOU with signed_at"
        )


def _horizons(value: Iterable[StrategyHorizon], field: str = "") -> tuple[StrategyHorizon, ...]:
    return items(value, StrategyHorizon, "a StrategyHorizon", field)


@attrs.frozen(field_transformer=name_fields)
class MOU:
    """A memorandum of understanding between two or more parties.

    ``signed_at`` is stored in UTC; :meth:`local_signing_times` shows it on each
    party's clocks. Status changes go through :meth:`with_status`, which only allows
    the moves :class:`MOUStatus` lists.

    .. versionadded:: 0.1.0
    """

    title: Text = attrs.field(converter=text_field)
    parties: tuple[Organisation, ...] = attrs.field(converter=_parties)
    signatories: tuple[Official, ...] = attrs.field(
        default=(), kw_only=True, converter=_officials, validator=_signatories
    )
    signed_at: pendulum.DateTime | None = attrs.field(
        default=None, kw_only=True, converter=_signed_at
    )
    status: MOUStatus = attrs.field(
        default=MOUStatus.PROPOSED, kw_only=True, converter=_status, validator=_status_needs_signing
    )
    venue: Venue | None = attrs.field(
        default=None, kw_only=True, validator=optional_instance_of(Venue, "a Venue")
    )
    focus_areas: tuple[FocusArea, ...] = attrs.field(
        default=(), kw_only=True, converter=focus_areas_field
    )
    horizons: tuple[StrategyHorizon, ...] = attrs.field(
        default=(), kw_only=True, converter=_horizons
    )
    training: tuple[TrainingTrack, ...] = attrs.field(
        default=(), kw_only=True, converter=tracks_field
    )
    policies: tuple[Text, ...] = attrs.field(default=(), kw_only=True, converter=texts_field)
    validity: Period | None = attrs.field(
        default=None, kw_only=True, validator=optional_instance_of(Period, "a Period")
    )
    documents: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=urls)
    identifier: str | None = attrs.field(
        default=None, kw_only=True, validator=optional_text("a non-empty identifier")
    )

    def with_status(self, status: MOUStatus | str, *, signed_at: object = None) -> Self:
        """A copy in *status*, if the life cycle allows the move.

        Moving a proposed MOU to ``signed`` needs *signed_at*.

        Raises:
            InvalidTransitionError: the move is not allowed from the current status.
        """
        target = MOUStatus.parse(status, "status")
        if target not in self.status.allowed:
            raise InvalidTransitionError(
                type(self).__name__,
                self.status.value,
                target.value,
                tuple(s.value for s in self.status.allowed),
            )
        changes: dict[str, object] = {"status": target}
        if signed_at is not None:
            changes["signed_at"] = signed_at
        return attrs.evolve(self, **changes)  # type: ignore[arg-type]

    @property
    def cities(self) -> tuple[City, ...]:
        """The parties' home cities, in party order (parties without a city are skipped)."""
        return tuple(party.city for party in self.parties if party.city is not None)

    def local_signing_times(self) -> dict[Organisation, pendulum.DateTime]:
        """The signing instant on the clocks of each party that has a home city.

        >>> import citycoop.datasets
        >>> lima = citycoop.datasets.seoul().mous[-1]
        >>> for party, local in lima.local_signing_times().items():
        ...     print(party.city.name, local.format("ddd D MMM YYYY HH:mm"))
        Seoul Thu 25 Nov 2021 08:30
        Lima Wed 24 Nov 2021 18:30
        """
        if self.signed_at is None:
            return {}
        return {
            party: self.signed_at.in_timezone(party.timezone)
            for party in self.parties
            if party.timezone is not None
        }

    @property
    def year(self) -> int | None:
        """The year of signing (in UTC), if signed."""
        return None if self.signed_at is None else self.signed_at.year

    def horizon(self, term: Term | str) -> StrategyHorizon | None:
        """The horizon of *term*, if the MOU has one."""
        wanted = Term.parse(term, "term")
        return next((h for h in self.horizons if h.term is wanted), None)

    def active_on(self, day: pendulum.Date) -> bool:
        """Whether the MOU is in force on *day*.

        It is in force from its signing date (or the start of its validity) to the end
        of its validity, and only while its status is signed or active.
        """
        if self.status not in (MOUStatus.SIGNED, MOUStatus.ACTIVE) or self.signed_at is None:
            return False
        start = self.validity.start if self.validity is not None else self.signed_at.date()
        end = self.validity.end if self.validity is not None else None
        return start <= day and (end is None or day <= end)
