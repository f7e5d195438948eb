"""Reading IATI 2.01-2.03 activity files from any publisher (see :func:`read_activities`)."""

from __future__ import annotations

import io
import os
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, Literal, NoReturn

import attrs

from citycoop._core.currencies import normalize_currency
from citycoop._core.errors import CitycoopError, IatiError, UnknownCodeError, ValidationError, cut
from citycoop._core.money import Money
from citycoop._core.places import City, Coordinates, Country, zone_of
from citycoop._core.time import ISO_DATE, Period
from citycoop._domain.activities import (
    Activity,
    ActivityStatus,
    CountryShare,
    Location,
    Narrative,
    OrgRole,
    Participant,
    PlannedDisbursement,
    RegionShare,
    SectorShare,
    Transaction,
    TransactionType,
    percent_field,
)
from citycoop._domain.budgets import Budget, BudgetKind
from citycoop._domain.iati_codes import is_code

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pendulum
    from lxml.etree import _Element as Element  # pyright: ignore[reportPrivateUsage]

__all__ = ["VERSIONS", "ActivityStream", "Skipped", "read_activities"]

#: The IATI versions :func:`read_activities` reads.
VERSIONS: Final = ("2.01", "2.02", "2.03")
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
_DATE: Final = re.compile(rf"({ISO_DATE})(?:Z|[+-][0-9]{{2}}:[0-9]{{2}})?")
_BUDGET_KINDS: Final = {"1": BudgetKind.ORIGINAL, "2": BudgetKind.REVISED}
_DAC_LISTS: Final = {"1": "Sector", "2": "SectorCategory"}


@attrs.frozen
class Skipped:
    """An activity left out of a stream read with ``invalid="skip"``, and why.

    Attributes:
        identifier: Its ``iati-identifier`` (``None`` if it had none).
        line: The line of the problem in the file.
        reason: The problem, as the :class:`~citycoop.IatiError` would have said it.

    .. versionadded:: 0.1.0
    """

    identifier: str | None
    line: int | None
    reason: str


class _ProblemError(Exception):
    """A problem in one activity: the element, its line and what is wrong."""

    def __init__(self, element: Element | None, what: str, problem: str) -> None:
        super().__init__(problem)
        self.line = None if element is None else element.sourceline
        self.what = what
        self.problem = problem


class ActivityStream:
    """The activities of one IATI file, read one at a time as they are iterated.

    Memory stays proportional to one activity: each is built, then its elements are
    cleared from the parse tree. Iterate once; :attr:`skipped` fills as activities are
    skipped (with ``invalid="skip"``), and is complete when iteration ends.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        source: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        invalid: Literal["raise", "skip"],
        name: str,
    ) -> None:
        self.name = name
        #: The file's IATI version, once iteration has started.
        self.version: str | None = None
        self._source = source
        self._invalid = invalid
        self._skipped: list[Skipped] = []
        self._activities = self._read()
        self.done = False

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        """The activities left out so far, in file order, with the reason."""
        return tuple(self._skipped)

    def __iter__(self) -> ActivityStream:
        return self

    def __next__(self) -> Activity:
        return next(self._activities)

    def __repr__(self) -> str:
        state = "read" if self.done else "reading"
        return f"<ActivityStream {self.name!r} ({state}, {len(self._skipped)} skipped)>"

    def _fail(self, line: int | None, element: str | None, problem: str) -> IatiError:
        return IatiError(self.name, line, element, problem)

    def _read(self) -> Iterator[Activity]:
        source = self._source
        if isinstance(source, bytes):
            yield from self._parse(io.BytesIO(source))
        elif isinstance(source, str | os.PathLike):
            try:
                handle = Path(source).open("rb")  # noqa: SIM115 (closed when the stream ends)
            except OSError as error:
                raise self._fail(None, None, f"cannot be read ({error.strerror})") from None
            with handle:
                yield from self._parse(handle)
        else:
            yield from self._parse(source)

    def _parse(self, stream: IO[bytes]) -> Iterator[Activity]:
        from lxml import etree

        context = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        root: Element | None = None
        try:
            for event, element in context:
                if root is None:
                    root = element
                    self._check_root(root)
                    continue
                if event != "end" or element.tag != "iati-activity":
                    continue
                if element.getparent() is not root:
                    raise self._fail(
                        element.sourceline, "iati-activity", "an iati-activity inside another"
                    )
                activity = self._activity(element)
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del root[0]
                if activity is not None:
                    yield activity
        except etree.XMLSyntaxError as error:
            line = error.lineno or None
            raise self._fail(line, None, f"not well-formed XML ({error.msg})") from None
        except OSError as error:
            raise self._fail(None, None, f"cannot be read ({error})") from None
        if root is None:
            raise self._fail(None, None, "no XML document (the input is empty)")
        self.done = True

    def _check_root(self, root: Element) -> None:
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise self._fail(
                root.sourceline,
                "DOCTYPE",
                "a document type declaration, which IATI files never have "
                "(entities and external DTDs are not read)",
            )
        if root.tag == "iati-organisations":
            raise self._fail(
                root.sourceline,
                "iati-organisations",
                "an IATI organisation file; read_activities reads activity files",
            )
        if root.tag != "iati-activities":
            raise self._fail(
                root.sourceline,
                str(root.tag),
                f"not an IATI activity file (the root element is {cut(str(root.tag))!r}, "
                "not 'iati-activities')",
            )
        version = root.get("version")
        if version not in VERSIONS:
            raise self._fail(
                root.sourceline,
                "iati-activities/@version",
                f"IATI version {version!r}; this reader reads {', '.join(VERSIONS)}",
            )
        self.version = version

    def _activity(self, element: Element) -> Activity | None:
        identifier = _text(element.find("iati-identifier"))
        try:
            return _activity(element, identifier)
        except _ProblemError as problem:
            error = IatiError(self.name, problem.line, problem.what, problem.problem, identifier)
        except CitycoopError as problem:  # a value the domain refuses
            error = IatiError(
                self.name, element.sourceline, "iati-activity", str(problem), identifier
            )
        if self._invalid == "raise":
            raise error
        self._skipped.append(Skipped(identifier, error.line, error.problem))
        return None


def read_activities(
    source: str | os.PathLike[str] | bytes | IO[bytes],
    *,
    invalid: Literal["raise", "skip"] = "raise",
) -> ActivityStream:
    """The activities of an IATI 2.01-2.03 activity file, one at a time.

    Args:
        source: A path, a binary file object or the file's bytes.
        invalid: ``"raise"`` (an activity that cannot be read raises
            :class:`~citycoop.IatiError`) or ``"skip"`` (it is left out and listed in
            :attr:`ActivityStream.skipped` with the reason).

    The parser resolves no entities, loads no DTD, reaches no network and keeps libxml2's
    limits on tree depth and text size; a file with a ``DOCTYPE`` is refused. A file that
    is not IATI XML, or of another version, raises :class:`~citycoop.IatiError` whatever
    *invalid* says.

    Raises:
        IatiError: naming the file, line, element and activity.
        ValidationError: *source* or *invalid* is not one of the accepted kinds.

    .. versionadded:: 0.1.0
    """
    if invalid not in ("raise", "skip"):
        raise ValidationError("read_activities.invalid", invalid, "'raise' or 'skip'")
    if isinstance(source, bytes):
        name = "<bytes>"
    elif isinstance(source, str | os.PathLike):
        name = os.fspath(source)  # pyright: ignore[reportUnknownArgumentType]
    elif hasattr(source, "read"):
        name = str(getattr(source, "name", "<file>"))
    else:
        raise ValidationError(
            "read_activities.source", source, "a path, a binary file object or bytes"
        )
    return ActivityStream(source, invalid=invalid, name=name)


#: The white space XML itself defines (around a value, from pretty-printing). Anything
#: else, such as a no-break space, is data and is kept.
XML_SPACE: Final = " \t\n\r"

# ------------------------------------------------------------------ one activity


def _text(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    text = element.text.strip(XML_SPACE)
    return text or None


def _narratives(element: Element | None) -> tuple[Narrative, ...]:
    if element is None:
        return ()
    found: list[Narrative] = []
    for narrative in element.iterfind("narrative"):
        text = (narrative.text or "").strip(XML_SPACE)
        if text:
            found.append(Narrative(text, (narrative.get(XML_LANG) or "").strip(XML_SPACE) or None))
    return tuple(found)


def _checked(element: Element, attribute: str, codelist: str, what: str) -> str:
    code = element.get(attribute)
    if code is None or not code.strip(XML_SPACE):
        raise _ProblemError(element, f"{what}/@{attribute}", f"no {attribute}")
    code = code.strip(XML_SPACE)
    if not is_code(codelist, code):
        raise _ProblemError(
            element, f"{what}/@{attribute}", f"{code!r} is not in the IATI {codelist} code list"
        )
    return code


def _optional(element: Element, attribute: str, codelist: str, what: str) -> str | None:
    if element.get(attribute) is None:
        return None
    return _checked(element, attribute, codelist, what)


def _date(element: Element | None, what: str, parent: Element) -> pendulum.Date:
    if element is None:
        raise _ProblemError(parent, what, f"no {what}")
    return _day(element, "iso-date", what)


def _day(element: Element, attribute: str, what: str) -> pendulum.Date:
    """The ISO date in *attribute* of *element*.

    A time-zone suffix, which XML Schema's ``xsd:date`` allows, is dropped.
    """
    from citycoop._core.time import to_date

    text = element.get(attribute) or ""
    match = _DATE.fullmatch(text.strip(XML_SPACE))
    if match is None:
        raise _ProblemError(
            element, f"{what}/@{attribute}", f"{text!r} is not an ISO date (YYYY-MM-DD)"
        )
    try:
        return to_date(match.group(1), what)
    except ValidationError:
        raise _ProblemError(
            element, f"{what}/@{attribute}", f"{text!r} is not a calendar date"
        ) from None


def _percent(element: Element, what: str) -> Decimal | None:
    text = element.get("percentage")
    try:
        return percent_field(text, f"{what}/@percentage")
    except ValidationError:
        raise _ProblemError(
            element, f"{what}/@percentage", f"{text!r} is not a percentage from 0 to 100"
        ) from None


def _organisation(element: Element, what: str, *, role: bool = False) -> Participant:
    kind = _optional(element, "type", "OrganisationType", what)
    found_role = None
    if role:
        code = _checked(element, "role", "OrganisationRole", what)
        found_role = OrgRole.from_code(code)
    ref = (element.get("ref") or "").strip(XML_SPACE) or None
    return Participant(ref, _narratives(element), kind, found_role)


def _money(
    element: Element | None, what: str, parent: Element, default: str | None
) -> tuple[Money, pendulum.Date | None]:
    if element is None:
        raise _ProblemError(parent, what, f"no {what}")
    text = (element.text or "").strip(XML_SPACE)
    currency = element.get("currency") or default
    if currency is None:
        raise _ProblemError(
            element, f"{what}/@currency", "no currency, and the activity has no default-currency"
        )
    try:
        currency = normalize_currency(currency, "currency")
    except UnknownCodeError:
        place = (
            f"{what}/@currency" if element.get("currency") else "iati-activity/@default-currency"
        )
        raise _ProblemError(element, place, f"{currency!r} is not an ISO 4217 currency") from None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _ProblemError(element, what, f"{cut(text)!r} is not a number") from None
    try:
        money = Money(amount, currency)
    except CitycoopError as error:
        raise _ProblemError(element, what, str(error)) from None
    day = None if element.get("value-date") is None else _day(element, "value-date", what)
    return money, day


def _country(element: Element, what: str) -> CountryShare:
    code = _checked(element, "code", "Country", what)
    try:
        country = Country(code)
    except CitycoopError:
        raise _ProblemError(
            element, f"{what}/@code", f"{code!r} is an IATI country code with no UN M49 region"
        ) from None
    return CountryShare(country, _percent(element, what))


def _region(element: Element, what: str) -> RegionShare:
    vocabulary = _optional(element, "vocabulary", "RegionVocabulary", what) or "1"
    code = element.get("code")
    if vocabulary == "1":
        code = _checked(element, "code", "Region", what)
    elif code is None or not code.strip(XML_SPACE):
        raise _ProblemError(element, f"{what}/@code", "no code")
    return RegionShare(code.strip(XML_SPACE), vocabulary, _percent(element, what))


def _sector(element: Element, what: str) -> SectorShare:
    vocabulary = _optional(element, "vocabulary", "SectorVocabulary", what) or "1"
    codelist = _DAC_LISTS.get(vocabulary)
    if codelist is not None:
        code = _checked(element, "code", codelist, what)
    else:
        code = (element.get("code") or "").strip(XML_SPACE)
        if not code:
            raise _ProblemError(element, f"{what}/@code", "no code")
    return SectorShare(code, vocabulary, _percent(element, what))


def _location(element: Element, countries: tuple[CountryShare, ...]) -> Location:
    name = next((n.text for n in _narratives(element.find("name"))), None)
    geonames_id = None
    for ref in element.iterfind("location-id"):
        vocabulary = _checked(ref, "vocabulary", "GeographicVocabulary", "location/location-id")
        code = (ref.get("code") or "").strip(XML_SPACE)
        if vocabulary == "G1" and code.isdigit() and int(code) > 0:
            geonames_id = int(code)
    coordinates = None
    pos = element.find("point/pos")
    if pos is not None and pos.text:
        coordinates = _coordinates(pos)
    city = None
    if name is not None and len(countries) == 1:
        country = countries[0].country
        zone = zone_of(country.code, name)
        if zone is not None:
            city = City(name, country, zone, coordinates=coordinates, geonames_id=geonames_id)
    return Location(name, city=city, geonames_id=geonames_id, coordinates=coordinates)


def _coordinates(pos: Element) -> Coordinates:
    text = pos.text or ""
    parts = text.split()
    try:
        return Coordinates(*parts) if len(parts) == 2 else _not_a_point(pos)
    except ValidationError:
        return _not_a_point(pos)


def _not_a_point(pos: Element) -> NoReturn:
    raise _ProblemError(pos, "location/point/pos", f"{pos.text!r} is not 'latitude longitude'")


def _geography(
    element: Element, where: str
) -> tuple[tuple[CountryShare, ...], tuple[RegionShare, ...]]:
    countries = tuple(
        _country(e, f"{where}recipient-country") for e in element.iterfind("recipient-country")
    )
    regions = tuple(
        _region(e, f"{where}recipient-region") for e in element.iterfind("recipient-region")
    )
    return countries, regions


def _party(element: Element | None, what: str) -> Participant | None:
    return None if element is None else _organisation(element, what)


def _transaction(element: Element, default: str | None) -> Transaction:
    kind = element.find("transaction-type")
    if kind is None:
        raise _ProblemError(element, "transaction/transaction-type", "no transaction-type")
    code = _checked(kind, "code", "TransactionType", "transaction/transaction-type")
    day = _date(element.find("transaction-date"), "transaction-date", element)
    value, value_date = _money(element.find("value"), "transaction/value", element, default)
    if value_date is None:
        raise _ProblemError(element.find("value"), "transaction/value/@value-date", "no value-date")
    countries, regions = _geography(element, "transaction/")
    sectors = tuple(_sector(e, "transaction/sector") for e in element.iterfind("sector"))
    return Transaction(
        TransactionType.from_code(code),
        day,
        value,
        value_date,
        provider=_party(element.find("provider-org"), "transaction/provider-org"),
        receiver=_party(element.find("receiver-org"), "transaction/receiver-org"),
        countries=countries,
        regions=regions,
        sectors=sectors,
        ref=(element.get("ref") or "").strip(XML_SPACE) or None,
    )


def _period(element: Element, what: str, *, end_required: bool = True) -> Period:
    start = _date(element.find("period-start"), "period-start", element)
    end_element = element.find("period-end")
    if end_element is None and not end_required:
        return Period(start, start)
    end = _date(end_element, "period-end", element)
    if end < start:
        raise _ProblemError(
            end_element, f"{what}/period-end", f"the period ends ({end}) before it starts ({start})"
        )
    return Period(start, end)


def _budget(element: Element, default: str | None) -> Budget:
    kind = _optional(element, "type", "BudgetType", "budget") or "1"
    _optional(element, "status", "BudgetStatus", "budget")
    period = _period(element, "budget")
    value, value_date = _money(element.find("value"), "budget/value", element, default)
    return Budget(period, value, _BUDGET_KINDS[kind], value_date=value_date)


def _planned(element: Element, default: str | None) -> PlannedDisbursement:
    kind = _optional(element, "type", "BudgetType", "planned-disbursement") or "1"
    period = _period(element, "planned-disbursement", end_required=False)
    value, value_date = _money(
        element.find("value"), "planned-disbursement/value", element, default
    )
    return PlannedDisbursement(
        period,
        value,
        _BUDGET_KINDS[kind],
        value_date=value_date,
        provider=_party(element.find("provider-org"), "planned-disbursement/provider-org"),
        receiver=_party(element.find("receiver-org"), "planned-disbursement/receiver-org"),
    )


def _required(element: Element, tag: str) -> Element:
    found = element.find(tag)
    if found is None:
        raise _ProblemError(element, tag, f"no {tag} (IATI requires one)")
    return found


def _activity(element: Element, identifier: str | None) -> Activity:
    if identifier is None:
        raise _ProblemError(element, "iati-identifier", "no iati-identifier (IATI requires one)")
    default = element.get("default-currency")
    if default is not None:
        try:
            default = normalize_currency(default, "default-currency")
        except UnknownCodeError:
            raise _ProblemError(
                element,
                "iati-activity/@default-currency",
                f"{default!r} is not an ISO 4217 currency",
            ) from None
    reporting = _organisation(_required(element, "reporting-org"), "reporting-org")
    title = _narratives(_required(element, "title"))
    _required(element, "description")
    _required(element, "participating-org")
    status_element = _required(element, "activity-status")
    status = ActivityStatus.from_code(
        _checked(status_element, "code", "ActivityStatus", "activity-status")
    )
    _required(element, "activity-date")
    dates: dict[str, pendulum.Date] = {}
    for date in element.iterfind("activity-date"):
        kind = _checked(date, "type", "ActivityDateType", "activity-date")
        dates[kind] = _date(date, "activity-date", element)
    countries, regions = _geography(element, "")
    return Activity(
        identifier,
        reporting_org=reporting,
        title=title,
        participants=tuple(
            _organisation(e, "participating-org", role=True)
            for e in element.iterfind("participating-org")
        ),
        status=status,
        planned_start=dates.get("1"),
        actual_start=dates.get("2"),
        planned_end=dates.get("3"),
        actual_end=dates.get("4"),
        default_currency=default,
        countries=countries,
        regions=regions,
        locations=tuple(_location(e, countries) for e in element.iterfind("location")),
        sectors=tuple(_sector(e, "sector") for e in element.iterfind("sector")),
        transactions=tuple(_transaction(e, default) for e in element.iterfind("transaction")),
        budgets=tuple(_budget(e, default) for e in element.iterfind("budget")),
        planned_disbursements=tuple(
            _planned(e, default) for e in element.iterfind("planned-disbursement")
        ),
        line=element.sourceline,
    )
