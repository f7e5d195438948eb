"""IATI activity XML, written and read (extra ``iati``, lxml).

:func:`to_iati_xml` writes a portfolio's export cases and MOUs as IATI 2.03;
:func:`read_activities` reads any publisher's IATI 2.01-2.03 activity file (see the
how-to "Who else works there? Reading IATI files").

>>> import citycoop
>>> from citycoop.io.iati import to_iati_xml
>>> from lxml import etree
>>> xml = to_iati_xml(citycoop.datasets.seoul(), reporting_org="KR-SMG-EXAMPLE", skip_undated=True)
>>> root = etree.fromstring(xml)
>>> root.tag, root.get("version"), len(root)
('iati-activities', '2.03', 9)

Each export case and each MOU becomes an ``iati-activity``:

- ``iati-identifier``: ``{reporting_org}-{identifier}``; records without an identifier
  get ``{reporting_org}-case-{n}`` / ``-mou-{n}`` from their position, so pass records
  with identifiers for identifiers that stay stable between exports. Two records that
  would share one (equal identifiers, or one equal to another's position-based one)
  are refused with a :class:`~citycoop.ValidationError` naming both: IATI requires
  each activity's identifier to be unique. An identifier with white space at either
  end is refused too, naming its record: an IATI reader trims it;
- ``reporting-org``: the portfolio owner, with the caller's organisation identifier and
  type 11 (local government);
- ``participating-org``: the funder (role 1), the owner (2, accountable), the funder again
  as extending organisation (3) and the implementer or partner parties (4);
- ``activity-status`` from the citycoop status; ``activity-date``: a case's value date,
  or its year (as 1 January, with a narrative saying only the year is known), an MOU's
  signing date; ``recipient-country`` with names in English, Korean and Spanish;
  ``location`` with the partner city's GeoNames id and coordinates where known;
- ``sector``: the primary OECD DAC code of each focus area, percentages summing to 100;
- ``budget`` (original or revised), and a case's known value as an outgoing commitment,
  each with its value date; ``document-link`` category A09 for an MOU's documents;
- citycoop's own fields (focus areas, sources, notes) in the ``urn:citycoop:iati:1``
  namespace.

A record with no date at all cannot be an IATI activity (``activity-date`` is required):
:func:`to_iati_xml` raises, naming them, unless ``skip_undated=True``, in which case
:func:`build` lists them in :attr:`IatiExport.skipped`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Final, cast

import attrs

from citycoop._core.allocation import allocate
from citycoop._core.errors import ValidationError
from citycoop._core.extras import require
from citycoop._core.locale import LOCALES
from citycoop._core.text import UNDETERMINED, Text, joined
from citycoop._domain.agreements import MOU, MOUStatus
from citycoop._domain.exports import ExportStatus, FundingKind, PolicyExport
from citycoop._domain.parties import Organisation, OrgKind
from citycoop._domain.portfolio import Portfolio
from citycoop.io._iati_activity import XML_SPACE
from citycoop.io._iati_reader import (
    VERSIONS,
    ActivityStream,
    Skipped,
    read_activities,
)

if TYPE_CHECKING:
    from citycoop._core.places import City, Country
    from citycoop._domain.budgets import Budget
    from citycoop._domain.focus import FocusArea
    from citycoop.io._iati_activity import Element


require("iati", __name__)

__all__ = [
    "NAMESPACE",
    "VERSIONS",
    "ActivityStream",
    "IatiExport",
    "Skipped",
    "build",
    "read_activities",
    "to_iati_xml",
]

#: citycoop's own XML namespace inside IATI documents.
NAMESPACE: Final = "urn:citycoop:iati:1"
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
#: The languages of the country names written: every locale citycoop speaks.
LANGUAGES: Final = LOCALES

ORGANISATION_TYPE: Final = {
    OrgKind.CITY_GOVERNMENT: "11",
    OrgKind.NATIONAL_GOVERNMENT: "10",
    OrgKind.NATIONAL_AGENCY: "10",
    OrgKind.PUBLIC_AGENCY: "15",
    OrgKind.MULTILATERAL_BANK: "40",
    OrgKind.MULTILATERAL: "40",
    OrgKind.COMPANY: "70",
    OrgKind.UNIVERSITY: "80",
    OrgKind.NGO: "21",
}
CASE_STATUS: Final = {
    ExportStatus.PROPOSED: "1",
    ExportStatus.SELECTED: "1",
    ExportStatus.CONTRACTED: "2",
    ExportStatus.IN_PROGRESS: "2",
    ExportStatus.COMPLETED: "4",
    ExportStatus.CANCELLED: "5",
}
MOU_STATUS: Final = {
    MOUStatus.PROPOSED: "1",
    MOUStatus.SIGNED: "2",
    MOUStatus.ACTIVE: "2",
    MOUStatus.COMPLETED: "4",
    MOUStatus.EXPIRED: "4",
    MOUStatus.TERMINATED: "5",
}
#: Funding kinds that make the funder an ODA donor extending the activity.
EXTENDING: Final = frozenset(
    {FundingKind.ODA_GRANT, FundingKind.ODA_LOAN, FundingKind.MULTILATERAL_BANK}
)


@attrs.frozen
class IatiExport:
    """An IATI document and what could not be put in it.

    Attributes:
        xml: The ``iati-activities`` document, UTF-8 with an XML declaration.
        activities: How many activities it holds.
        skipped: ``(record title, reason)`` for every record left out.

    .. versionadded:: 0.1.0
    """

    xml: bytes
    activities: int
    skipped: tuple[tuple[str, str], ...]


def to_iati_xml(
    portfolio: Portfolio,
    *,
    reporting_org: str,
    generated: str | None = None,
    skip_undated: bool = False,
) -> bytes:
    """The portfolio's export cases and MOUs as an IATI 2.03 ``iati-activities`` document.

    Args:
        portfolio: The records to publish.
        reporting_org: The owner's IATI organisation identifier.
        generated: An ISO 8601 datetime for ``generated-datetime`` (citycoop reads no
            clock; the attribute is left out when not given).
        skip_undated: Leave out records with no date instead of raising.

    Raises:
        ValidationError: a record has no date (unless *skip_undated*), a value has no
            value date, or two records would share an ``iati-identifier``.
    """
    result = build(portfolio, reporting_org=reporting_org, generated=generated)
    if result.skipped and not skip_undated:
        names = "; ".join(f"{title} ({reason})" for title, reason in result.skipped)
        raise ValidationError("to_iati_xml", names, "records with a date, or skip_undated=True")
    return result.xml


def build(portfolio: Portfolio, *, reporting_org: str, generated: str | None = None) -> IatiExport:
    """Build the document, listing the records that had to be left out."""
    from lxml import etree

    if not isinstance(portfolio, Portfolio):
        raise ValidationError("portfolio", portfolio, "a Portfolio")
    identifier: object = reporting_org
    if not isinstance(identifier, str) or not identifier.strip() or " " in identifier:
        raise ValidationError("reporting_org", reporting_org, "an IATI organisation identifier")
    root = etree.Element("iati-activities", nsmap={"citycoop": NAMESPACE})
    root.set("version", "2.03")
    if generated is not None:
        root.set("generated-datetime", generated)
    _check_text(reporting_org, "reporting_org")
    if generated is not None:
        _check_text(generated, "generated")
    _check_text(portfolio.owner, "portfolio.owner")
    skipped: list[tuple[str, str]] = []
    writer = _Writer(portfolio.owner, reporting_org)
    written: dict[str, str] = {}  # iati-identifier -> the record that has it
    records: list[tuple[str, int, PolicyExport | MOU, Text]] = [
        *(("exports", n, case, case.policy) for n, case in enumerate(portfolio.exports, 1)),
        *(("mous", n, mou, mou.title) for n, mou in enumerate(portfolio.mous, 1)),
    ]
    for kind, number, record, name in records:
        where = f"portfolio.{kind}[{number - 1}]"
        _check_text(record, where)
        _check_identifier(record.identifier, where)
        if isinstance(record, PolicyExport):
            reason = writer.case(root, record, number)
        else:
            reason = writer.mou(root, record, number)
        if reason:
            skipped.append((name.original, reason))
        else:
            _unique(root, written, where)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return IatiExport(xml, len(root), tuple(skipped))


class _Writer:
    def __init__(self, owner: Organisation, reporting_org: str) -> None:
        self.owner = owner
        self.reporting_org = reporting_org
        self.language: str | None = None  # the current activity's xml:lang

    # -------------------------------------------------------------- activities

    def case(self, root: Element, case: PolicyExport, number: int) -> str | None:
        if case.value_date is None and case.year is None:
            return "no date or year"
        if case.value is not None and case.value_date is None:
            return "a value without a value date"
        activity = self.activity(
            root,
            case.identifier,
            f"case-{number}",
            case.value.currency if case.value else None,
            case.policy.language,
        )
        self.text(activity, "title", case.policy)
        self.text(activity, "description", case.note or case.policy, type="1")
        funder = case.funding.funder if case.funding is not None else None
        if funder is not None:
            self.org(activity, funder, "1")
        self.org(activity, self.owner, "2")
        if funder is not None and case.funding is not None and case.funding.kind in EXTENDING:
            self.org(activity, funder, "3")
        if case.implementer is not None:
            self.org(activity, case.implementer, "4")
        self.sub(activity, "activity-status", code=CASE_STATUS[case.status])
        if case.value_date is not None:
            self.sub(
                activity, "activity-date", type="2", **{"iso-date": case.value_date.isoformat()}
            )
        else:
            date = self.sub(
                activity, "activity-date", type="2", **{"iso-date": f"{case.year}-01-01"}
            )
            self.narrative(date, f"Only the year is known: {case.year}")
        self.country(activity, case.recipient.country, Decimal(100))
        self.location(activity, case.recipient)
        self.sectors(activity, [(share.area, share.percent) for share in case.focus])
        for budget in case.budgets:
            self.budget(activity, budget)
        if case.value is not None and case.value_date is not None:
            transaction = self.sub(activity, "transaction")
            self.sub(transaction, "transaction-type", code="2")
            self.sub(transaction, "transaction-date", **{"iso-date": case.value_date.isoformat()})
            self.value(
                transaction, case.value.amount, case.value.currency, case.value_date.isoformat()
            )
        for url in case.sources:
            self.sub(activity, _own("source"), url=url)
        for share in case.focus:
            self.sub(activity, _own("focus"), area=share.area.value, percent=str(share.percent))
        return None

    def mou(self, root: Element, mou: MOU, number: int) -> str | None:
        if mou.signed_at is None and mou.validity is None:
            return "not signed and no validity period"
        activity = self.activity(root, mou.identifier, f"mou-{number}", None, mou.title.language)
        self.text(activity, "title", mou.title)
        summary = joined(mou.policies, "; ") if mou.policies else mou.title
        self.text(activity, "description", summary, type="1")
        self.org(activity, self.owner, "2")
        for party in mou.parties:
            if party != self.owner:
                self.org(activity, party, "4")
        self.sub(activity, "activity-status", code=MOU_STATUS[mou.status])
        start = mou.signed_at.date() if mou.signed_at is not None else None
        if start is not None:
            self.sub(activity, "activity-date", type="2", **{"iso-date": start.isoformat()})
        if mou.validity is not None:
            kind = "1" if start is None else None
            if kind:
                self.sub(
                    activity,
                    "activity-date",
                    type=kind,
                    **{"iso-date": mou.validity.start.isoformat()},
                )
            self.sub(
                activity, "activity-date", type="3", **{"iso-date": mou.validity.end.isoformat()}
            )
        partners = [p for p in mou.parties if p != self.owner]
        countries = list(dict.fromkeys(p.country for p in partners if p.country is not None))
        shares = allocate(Decimal(100), [1] * len(countries), Decimal("0.01")) if countries else ()
        for country, share in zip(countries, shares, strict=True):
            self.country(activity, country, share)
        for city in dict.fromkeys(p.city for p in partners if p.city is not None):
            self.location(activity, city)
        if mou.focus_areas:
            self.sectors(activity, [(area, Decimal(1)) for area in mou.focus_areas])
        for track in mou.training:
            for budget in track.budgets:
                self.budget(activity, budget)
        for url in mou.documents:
            link = self.sub(activity, "document-link", format="text/html", url=url)
            self.text(link, "title", mou.title)
            self.sub(link, "category", code="A09")
        for area in mou.focus_areas:
            self.sub(activity, _own("focus"), area=area.value)
        return None

    # -------------------------------------------------------------- pieces

    def activity(
        self,
        root: Element,
        identifier: str | None,
        fallback: str,
        currency: str | None,
        language: str,
    ) -> Element:
        """An ``iati-activity`` whose default language is that of its title's original."""
        from lxml import etree

        activity = etree.SubElement(root, "iati-activity")
        self.language = None if language == UNDETERMINED else language
        if self.language is not None:
            activity.set(XML_LANG, self.language)
        if currency is not None:
            activity.set("default-currency", currency)
        etree.SubElement(
            activity, "iati-identifier"
        ).text = f"{self.reporting_org}-{identifier or fallback}"
        reporting = self.sub(activity, "reporting-org", ref=self.reporting_org, type="11")
        self.narratives(reporting, self.owner.name)
        return activity

    @staticmethod
    def sub(parent: Element, tag: str, **attributes: str) -> Element:
        from lxml import etree

        element = etree.SubElement(parent, tag)
        for name, value in attributes.items():
            element.set(name, value)
        return element

    def narrative(self, parent: Element, text: str, language: str | None = None) -> None:
        element = self.sub(parent, "narrative")
        if language is not None:
            element.set(XML_LANG, language)
        element.text = text

    def narratives(self, parent: Element, text: Text) -> None:
        """One ``narrative`` per language; the activity's own language goes untagged.

        A text in an unstated language is tagged ``und`` where the activity states one.
        """
        for tag, string in text.items():
            if tag == self.language or (tag == UNDETERMINED and self.language is None):
                self.narrative(parent, string)
            else:
                self.narrative(parent, string, tag)

    def text(self, parent: Element, tag: str, text: Text, **attributes: str) -> None:
        self.narratives(self.sub(parent, tag, **attributes), text)

    def org(self, activity: Element, organisation: Organisation, role: str) -> None:
        element = self.sub(
            activity, "participating-org", role=role, type=ORGANISATION_TYPE[organisation.kind]
        )
        if organisation.identifier:
            element.set("ref", organisation.identifier)
        self.narratives(element, organisation.name)

    def country(self, activity: Element, country: Country, percentage: Decimal) -> None:
        element = self.sub(
            activity, "recipient-country", code=country.code, percentage=f"{percentage:f}"
        )
        for language in LANGUAGES:
            self.narrative(element, country.name(language), language)

    def location(self, activity: Element, city: City) -> None:
        element = self.sub(activity, "location")
        if city.geonames_id is not None:
            self.sub(element, "location-id", vocabulary="G1", code=str(city.geonames_id))
        self.narrative(self.sub(element, "name"), city.name)
        if city.coordinates is not None:
            point = self.sub(element, "point", srsName="http://www.opengis.net/def/crs/EPSG/0/4326")
            pos = self.sub(point, "pos")
            pos.text = f"{city.coordinates.latitude} {city.coordinates.longitude}"

    def sectors(self, activity: Element, weights: list[tuple[FocusArea, Decimal]]) -> None:
        # Percentages to two places that add up to exactly 100.
        parts = allocate(Decimal(100), [weight for _, weight in weights], Decimal("0.01"))
        for (area, _), percent in zip(weights, parts, strict=True):
            self.sub(
                activity, "sector", vocabulary="1", code=area.sectors[0], percentage=str(percent)
            )

    def budget(self, activity: Element, budget: Budget) -> None:
        element = self.sub(activity, "budget", type="1" if budget.kind.value == "original" else "2")
        self.sub(element, "period-start", **{"iso-date": budget.period.start.isoformat()})
        self.sub(element, "period-end", **{"iso-date": budget.period.end.isoformat()})
        self.value(
            element, budget.value.amount, budget.value.currency, budget.valued_on.isoformat()
        )

    def value(self, parent: Element, amount: Decimal, currency: str, value_date: str) -> None:
        element = self.sub(parent, "value", currency=currency, **{"value-date": value_date})
        element.text = f"{amount:f}"


# Characters XML 1.0 cannot carry: control characters other than tab, line feed and
# carriage return, surrogates, U+FFFE and U+FFFF.
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _check_text(value: object, field: str) -> None:
    """Refuse text that XML cannot carry, naming the field that holds it.

    Walks a record's attrs fields and tuples; every string on the way is checked once.
    """
    if isinstance(value, Text):
        plain = value.languages == (UNDETERMINED,)
        for tag, string in value.items():
            _check_text(string, field if plain else f"{field}[{tag!r}]")
    elif isinstance(value, str):
        found = _NOT_XML.search(value)
        if found is not None:
            raise ValidationError(
                field,
                value,
                f"text that XML can carry (it holds {found.group()!r} at {found.start()})",
            )
    elif isinstance(value, tuple):
        for index, item in enumerate(cast("tuple[object, ...]", value)):
            _check_text(item, f"{field}[{index}]")
    else:
        kind = type(value)
        if attrs.has(kind):
            for attribute in attrs.fields(kind):
                _check_text(getattr(value, attribute.name), f"{field}.{attribute.name}")


def _check_identifier(identifier: str | None, where: str) -> None:
    """Refuse an identifier that an IATI reader would change: white space at either end."""
    if identifier is not None and identifier != identifier.strip(XML_SPACE):
        raise ValidationError(
            f"{where}.identifier",
            identifier,
            "an identifier without white space at either end (XML readers trim it)",
        )


def _unique(root: Element, written: dict[str, str], where: str) -> None:
    """Refuse a second activity with the identifier of one already written."""
    identifier = root[-1].findtext("iati-identifier") or ""
    first = written.setdefault(identifier, where)
    if first != where:
        raise ValidationError(
            f"{where}.identifier",
            identifier,
            f"an IATI identifier no other record has ({first} has it too; IATI requires "
            "each activity's to be unique)",
        )


def _own(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"
