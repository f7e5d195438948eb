"""One IATI activity element read into an :class:`~citycoop.Activity`, every value checked.

The file-level reader (``_iati_reader``) streams the elements and calls
:func:`activity_of` for each; every problem here is a :class:`ProblemError` naming the
element, its line and what is wrong, which the reader turns into an ``IatiError``.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Final, NoReturn, TypeAlias, TypeVar

from citycoop._core.currencies import normalize_currency
from citycoop._core.errors import CitycoopError, UnknownCodeError, ValidationError, cut
from citycoop._core.money import Money
from citycoop._core.places import City, Coordinates, Country, zone_of
from citycoop._core.text import UNDETERMINED, Text, checked_text, language_tag
from citycoop._core.time import ISO_DATE, Period
from citycoop._domain.activities import (
    Activity,
    ActivityStatus,
    CountryShare,
    Location,
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
    import pendulum

    # lxml's stubs name the class of every parsed element `_Element`; this alias is
    # the one place the package spells it.
    from lxml.etree import _Element  # pyright: ignore[reportPrivateUsage]

    Element: TypeAlias = _Element


XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
_T = TypeVar("_T")
_DATE: Final = re.compile(rf"({ISO_DATE})(?:Z|[+-][0-9]{{2}}:[0-9]{{2}})?")
_BUDGET_KINDS: Final = {"1": BudgetKind.ORIGINAL, "2": BudgetKind.REVISED}
_DAC_LISTS: Final = {"1": "Sector", "2": "SectorCategory"}
#: The white space XML itself defines (around a value, from pretty-printing). Anything
#: else, such as a no-break space, is data and is kept.
XML_SPACE: Final = " \t\n\r"
#: A value as xsd:decimal writes it.
_DECIMAL: Final = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


class _Memo(dict[tuple[object, ...], _T]):
    """Values read once and shared by their repeats: immutable, keyed by their raw text.

    Bounded: past 4,096 entries it starts afresh, so a file of many distinct values
    costs no memory per value.
    """

    def keep(self, key: tuple[object, ...], value: _T) -> _T:
        if len(self) >= 4096:
            self.clear()
        self[key] = value
        return value


_PARTICIPANTS: Final[_Memo[Participant]] = _Memo()
_SECTORS: Final[_Memo[SectorShare]] = _Memo()
_COUNTRIES: Final[_Memo[CountryShare]] = _Memo()


class ProblemError(Exception):
    """A problem in one activity: the element, its line and what is wrong."""

    def __init__(self, element: Element | None, what: str, problem: str) -> None:
        super().__init__(problem)
        self.line = None if element is None else element.sourceline
        self.what = what
        self.problem = problem


def _whole_text(element: Element, what: str) -> str:
    """An element's text, trimmed of XML white space; markup inside it is refused.

    ``<value>111<b/>280.00</value>`` is not the number 111: the whole text or nothing.
    """
    if len(element):
        raise ProblemError(
            element,
            what,
            f"holds markup (<{element[0].tag!s}>) inside its text: expected text only",
        )
    return (element.text or "").strip(XML_SPACE)


def text_of(element: Element | None, what: str) -> str | None:
    """An optional element's whole text (``None`` where absent or empty)."""
    if element is None:
        return None
    return _whole_text(element, what) or None


def _narratives(element: Element | None, what: str, activity_language: str | None) -> Text | None:
    """The narratives of *element* as one text (``None`` without one).

    Each is in its ``xml:lang``, else the activity's (*activity_language*, as written),
    else unstated (``und``). Two narratives in one language are refused: which one holds
    is not for the reader to guess.
    """
    if element is None:
        return None
    found: dict[str, str] = {}
    default = (activity_language or "").strip(XML_SPACE) or UNDETERMINED
    for narrative in element.iterfind("narrative"):
        text = _whole_text(narrative, f"{what}/narrative")
        if not text:
            continue
        language = (narrative.get(XML_LANG) or "").strip(XML_SPACE) or default
        try:
            tag = language_tag(language, f"{what}/narrative/@xml:lang")
        except ValidationError as error:
            raise ProblemError(narrative, f"{what}/narrative/@xml:lang", str(error)) from None
        if tag in found:
            raise ProblemError(narrative, f"{what}/narrative", f"a second narrative in {tag!r}")
        found[tag] = text
    return checked_text(found) if found else None


def _checked(element: Element, attribute: str, codelist: str, what: str) -> str:
    code = element.get(attribute)
    if code is None or not code.strip(XML_SPACE):
        raise ProblemError(element, f"{what}/@{attribute}", f"no {attribute}")
    code = code.strip(XML_SPACE)
    if not is_code(codelist, code):
        raise ProblemError(
            element, f"{what}/@{attribute}", f"{code!r} is not in the IATI {codelist} code list"
        )
    return code


def _optional(element: Element, attribute: str, codelist: str, what: str) -> str | None:
    if element.get(attribute) is None:
        return None
    return _checked(element, attribute, codelist, what)


def _date(element: Element | None, what: str, parent: Element) -> pendulum.Date:
    if element is None:
        raise ProblemError(parent, what, f"no {what}")
    return _day(element, "iso-date", what)


def _day(element: Element, attribute: str, what: str) -> pendulum.Date:
    """The ISO date in *attribute* of *element*.

    A time-zone suffix, which XML Schema's ``xsd:date`` allows, is dropped.
    """
    text = element.get(attribute) or ""
    day = _iso_day(text)
    if isinstance(day, str):
        raise ProblemError(element, f"{what}/@{attribute}", f"{text!r} {day}")
    return day


@functools.lru_cache(maxsize=4096)
def _iso_day(text: str) -> pendulum.Date | str:
    """The date *text* writes, else what is wrong with it (dates repeat: cached)."""
    from citycoop._core.time import to_date

    match = _DATE.fullmatch(text.strip(XML_SPACE))
    if match is None:
        return "is not an ISO date (YYYY-MM-DD)"
    try:
        return to_date(match.group(1), "date")
    except ValidationError:
        return "is not a calendar date"


def _percent(element: Element, what: str) -> Decimal | None:
    text = element.get("percentage")
    try:
        return percent_field(text, f"{what}/@percentage")
    except ValidationError:
        raise ProblemError(
            element, f"{what}/@percentage", f"{text!r} is not a percentage from 0 to 100"
        ) from None


def _organisation(
    element: Element, what: str, language: str | None, *, role: bool = False
) -> Participant:
    """The organisation *element* names, read once and shared by its repeats.

    A file names the same funder in every transaction; the key is everything that
    makes the participant (its attributes, its narratives, the activity's language).
    """
    key = (
        element.get("ref"),
        element.get("type"),
        element.get("role") if role else None,
        tuple([(n.get(XML_LANG), n.text, len(n)) for n in element.iterfind("narrative")]),
        language,
    )
    known = _PARTICIPANTS.get(key)
    if known is None:
        known = _PARTICIPANTS.keep(key, _new_organisation(element, what, language, role=role))
    return known


def _new_organisation(
    element: Element, what: str, language: str | None, *, role: bool
) -> Participant:
    kind = _optional(element, "type", "OrganisationType", what)
    found_role = None
    if role:
        code = _checked(element, "role", "OrganisationRole", what)
        found_role = OrgRole.from_code(code)
    ref = (element.get("ref") or "").strip(XML_SPACE) or None
    return Participant(ref, _narratives(element, what, language), kind, found_role)


def _money(
    element: Element | None, what: str, parent: Element, default: str | None
) -> tuple[Money, pendulum.Date | None]:
    if element is None:
        raise ProblemError(parent, what, f"no {what}")
    text = _whole_text(element, what)
    currency = element.get("currency") or default
    if currency is None:
        raise ProblemError(
            element, f"{what}/@currency", "no currency, and the activity has no default-currency"
        )
    try:
        currency = normalize_currency(currency, "currency")
    except UnknownCodeError:
        place = (
            f"{what}/@currency" if element.get("currency") else "iati-activity/@default-currency"
        )
        raise ProblemError(element, place, f"{currency!r} is not an ISO 4217 currency") from None
    # xsd:decimal: ASCII digits, a point, a sign; no exponent, no "1_000", no other digits.
    if not _DECIMAL.fullmatch(text):
        raise ProblemError(element, what, f"{cut(text)!r} is not a number") from None
    amount = Decimal(text)
    try:
        money = Money(amount, currency)
    except CitycoopError as error:
        raise ProblemError(element, what, str(error)) from None
    day = None if element.get("value-date") is None else _day(element, "value-date", what)
    return money, day


def _country(element: Element, what: str) -> CountryShare:
    key = (element.get("code"), element.get("percentage"))
    known = _COUNTRIES.get(key)
    if known is None:
        known = _COUNTRIES.keep(key, _new_country(element, what))
    return known


def _new_country(element: Element, what: str) -> CountryShare:
    code = _checked(element, "code", "Country", what)
    try:
        country = Country(code)
    except CitycoopError:
        raise ProblemError(
            element, f"{what}/@code", f"{code!r} is an IATI country code with no UN M49 region"
        ) from None
    return CountryShare(country, _percent(element, what))


def _region(element: Element, what: str) -> RegionShare:
    vocabulary = _optional(element, "vocabulary", "RegionVocabulary", what) or "1"
    code = element.get("code")
    if vocabulary == "1":
        code = _checked(element, "code", "Region", what)
    elif code is None or not code.strip(XML_SPACE):
        raise ProblemError(element, f"{what}/@code", "no code")
    return RegionShare(code.strip(XML_SPACE), vocabulary, _percent(element, what))


def _sector(element: Element, what: str) -> SectorShare:
    key = (element.get("vocabulary"), element.get("code"), element.get("percentage"))
    known = _SECTORS.get(key)
    if known is None:
        known = _SECTORS.keep(key, _new_sector(element, what))
    return known


def _new_sector(element: Element, what: str) -> SectorShare:
    vocabulary = _optional(element, "vocabulary", "SectorVocabulary", what) or "1"
    codelist = _DAC_LISTS.get(vocabulary)
    if codelist is not None:
        code = _checked(element, "code", codelist, what)
    else:
        code = (element.get("code") or "").strip(XML_SPACE)
        if not code:
            raise ProblemError(element, f"{what}/@code", "no code")
    return SectorShare(code, vocabulary, _percent(element, what))


def _location(
    element: Element, countries: tuple[CountryShare, ...], language: str | None
) -> Location:
    names = _narratives(element.find("name"), "location/name", language)
    name = None if names is None else names.original
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
    raise ProblemError(pos, "location/point/pos", f"{pos.text!r} is not 'latitude longitude'")


def _party(element: Element | None, what: str, language: str | None) -> Participant | None:
    return None if element is None else _organisation(element, what, language)


def _children(element: Element) -> dict[str, list[Element]]:
    """*element*'s child elements by tag, in one pass."""
    found: dict[str, list[Element]] = {}
    for child in element:
        found.setdefault(child.tag, []).append(child)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    return found


def _first(children: dict[str, list[Element]], tag: str) -> Element | None:
    found = children.get(tag)
    return None if found is None else found[0]


_NONE: Final[list[Element]] = []


def _transaction(element: Element, default: str | None, language: str | None) -> Transaction:
    children = _children(element)
    kind = _first(children, "transaction-type")
    if kind is None:
        raise ProblemError(element, "transaction/transaction-type", "no transaction-type")
    code = _checked(kind, "code", "TransactionType", "transaction/transaction-type")
    day = _date(_first(children, "transaction-date"), "transaction-date", element)
    value_element = _first(children, "value")
    value, value_date = _money(value_element, "transaction/value", element, default)
    if value_date is None:
        raise ProblemError(value_element, "transaction/value/@value-date", "no value-date")
    provider, receiver = _first(children, "provider-org"), _first(children, "receiver-org")
    return Transaction(
        TransactionType.from_code(code),
        day,
        value,
        value_date,
        provider=_party(provider, "transaction/provider-org", language),
        receiver=_party(receiver, "transaction/receiver-org", language),
        countries=tuple(
            _country(e, "transaction/recipient-country")
            for e in children.get("recipient-country", _NONE)
        ),
        regions=tuple(
            _region(e, "transaction/recipient-region")
            for e in children.get("recipient-region", _NONE)
        ),
        sectors=tuple(_sector(e, "transaction/sector") for e in children.get("sector", _NONE)),
        ref=(element.get("ref") or "").strip(XML_SPACE) or None,
    )


def _period(element: Element, what: str, *, end_required: bool = True) -> Period:
    start = _date(element.find("period-start"), "period-start", element)
    end_element = element.find("period-end")
    if end_element is None and not end_required:
        return Period(start, start)
    end = _date(end_element, "period-end", element)
    if end < start:
        raise ProblemError(
            end_element, f"{what}/period-end", f"the period ends ({end}) before it starts ({start})"
        )
    return Period(start, end)


def _budget(element: Element, default: str | None) -> Budget:
    kind = _optional(element, "type", "BudgetType", "budget") or "1"
    _optional(element, "status", "BudgetStatus", "budget")
    period = _period(element, "budget")
    value, value_date = _money(element.find("value"), "budget/value", element, default)
    return Budget(period, value, _BUDGET_KINDS[kind], value_date=value_date)


def _planned(element: Element, default: str | None, language: str | None) -> PlannedDisbursement:
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
        provider=_party(
            element.find("provider-org"), "planned-disbursement/provider-org", language
        ),
        receiver=_party(
            element.find("receiver-org"), "planned-disbursement/receiver-org", language
        ),
    )


def _required(children: dict[str, list[Element]], element: Element, tag: str) -> Element:
    found = _first(children, tag)
    if found is None:
        raise ProblemError(element, tag, f"no {tag} (IATI requires one)")
    return found


def activity_of(element: Element, identifier: str | None) -> Activity:
    if identifier is None:
        raise ProblemError(element, "iati-identifier", "no iati-identifier (IATI requires one)")
    default = element.get("default-currency")
    if default is not None:
        try:
            default = normalize_currency(default, "default-currency")
        except UnknownCodeError:
            raise ProblemError(
                element,
                "iati-activity/@default-currency",
                f"{default!r} is not an ISO 4217 currency",
            ) from None
    children = _children(element)  # one pass over the activity's elements

    def each(tag: str) -> list[Element]:
        return children.get(tag, _NONE)

    language = element.get(XML_LANG)
    reporting = _organisation(
        _required(children, element, "reporting-org"), "reporting-org", language
    )
    title = _narratives(_required(children, element, "title"), "title", language)
    _required(children, element, "description")
    _required(children, element, "participating-org")
    status_element = _required(children, element, "activity-status")
    status = ActivityStatus.from_code(
        _checked(status_element, "code", "ActivityStatus", "activity-status")
    )
    _required(children, element, "activity-date")
    dates: dict[str, pendulum.Date] = {}
    for date in each("activity-date"):
        kind = _checked(date, "type", "ActivityDateType", "activity-date")
        if kind in dates:  # which one holds is not for the reader to guess
            raise ProblemError(date, "activity-date", f"a second activity-date of type {kind}")
        dates[kind] = _date(date, "activity-date", element)
    countries = tuple(_country(e, "recipient-country") for e in each("recipient-country"))
    regions = tuple(_region(e, "recipient-region") for e in each("recipient-region"))
    return Activity(
        identifier,
        reporting_org=reporting,
        title=title,
        participants=tuple(
            _organisation(e, "participating-org", language, role=True)
            for e in each("participating-org")
        ),
        status=status,
        planned_start=dates.get("1"),
        actual_start=dates.get("2"),
        planned_end=dates.get("3"),
        actual_end=dates.get("4"),
        default_currency=default,
        countries=countries,
        regions=regions,
        locations=tuple(_location(e, countries, language) for e in each("location")),
        sectors=tuple(_sector(e, "sector") for e in each("sector")),
        transactions=tuple(_transaction(e, default, language) for e in each("transaction")),
        budgets=tuple(_budget(e, default) for e in each("budget")),
        planned_disbursements=tuple(
            _planned(e, default, language) for e in each("planned-disbursement")
        ),
        line=element.sourceline,
    )
