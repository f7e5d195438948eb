"""Reading a document's export cases without checking what it has already checked.

A portfolio holds thousands of cases that share a few cities, focus splits, dates,
currencies and source lists. The first case that brings each such value is read the
general way: cattrs' structuring function and :class:`~citycoop.PolicyExport`'s
validating constructor. The values it built are kept by the JSON that gave them (in the
document's :class:`~citycoop.io._json_reading.Reading`), and a later case made only of
known values and plain ones (its text, amount, year, status and identifiers, each
checked here by the constructor's own rule) is put together from them directly.

Anything else (a value not seen yet, a funding, an implementer, budgets, a note, a text
in several languages, any wrong value) goes the general way, so every refusal, and its
message, is the general path's. A test checks both ways give equal cases and equal
errors on drawn documents.
"""

# A JSON document is untyped data until it is checked, value by value, at run time.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false

from __future__ import annotations

import functools
import json
import json.encoder
import re
import typing
from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from citycoop._core.errors import ValidationError
from citycoop._core.money import to_decimal, trusted_money
from citycoop._core.text import Text, as_document, untagged_text
from citycoop._domain.exports import ExportStatus, FocusShare, PolicyExport, trusted_export
from citycoop._domain.portfolio import Portfolio
from citycoop.io._json_reading import DECIMAL_LENGTH, DECIMAL_PATTERN, READING, Reading, city_key

if TYPE_CHECKING:
    import cattrs

#: The members of a case, in the order of PolicyExport's fields.
FIELDS: Final = tuple(field.name for field in attrs.fields(PolicyExport))
_MEMBERS: Final = frozenset(FIELDS)
_REQUIRED: Final = frozenset(FIELDS[:3])
_MONEY: Final = itemgetter("amount", "currency")
_ALL: Final = itemgetter(*FIELDS)
#: What a case without an optional member holds (the constructor's defaults, as JSON).
_DEFAULTS: Final[dict[str, Any]] = {
    "year": None,
    "value_date": None,
    "value": None,
    "funding": None,
    "status": ExportStatus.COMPLETED.value,
    "implementer": None,
    "budgets": [],
    "identifier": None,
    "parent": None,
    "sources": [],
    "note": None,
}
_STATUS: Final = cast("dict[str, ExportStatus]", ExportStatus._value2member_map_)
_DECIMAL: Final = re.compile(DECIMAL_PATTERN).fullmatch
#: Amounts written plainly that are within Money's bounds (below 10**21, at most 12
#: decimal places) as written: no exponent, at most 21 digits before the point.
_PLAIN: Final = re.compile(r"-?[0-9]{1,21}(\.[0-9]{1,12})?").fullmatch
_AMOUNT_FIELD: Final = "Money.amount"


def _shares_key(focus: Any) -> tuple[Any, ...] | None:
    """A focus split's key: its shares' members (strings only, when valid)."""
    if type(focus) is not list:
        return None
    try:
        return tuple([tuple(share.items()) for share in focus])
    except AttributeError:  # an item that is not an object
        return None


def _sources_key(sources: Any) -> tuple[Any, ...] | None:
    return tuple(sources) if type(sources) is list else None


def _amount(text: Any) -> Decimal | None:
    """A JSON amount as :class:`~citycoop.Money` takes it, or ``None``.

    An amount written plainly (:data:`_PLAIN`) is within Money's bounds as written.
    """
    if type(text) is not str:
        return None
    if _PLAIN(text) is not None:
        return Decimal(text)
    if len(text) > DECIMAL_LENGTH or _DECIMAL(text) is None:
        return None
    try:
        return to_decimal(text, _AMOUNT_FIELD)
    except ValidationError:  # out of bounds: the general way says so
        return None


def _known(case: dict[str, Any], reading: Reading) -> PolicyExport | None:  # noqa: PLR0911
    """The case from values this document has already built, or ``None``."""
    try:
        (
            policy,
            recipient,
            focus,
            year,
            value_date,
            value,
            funding,
            status,
            implementer,
            budgets,
            identifier,
            parent,
            sources,
            note,
        ) = _ALL(case)
    except KeyError:  # a member left at its default, or a required one missing
        if _REQUIRED <= case.keys() <= _MEMBERS:
            return _known(_DEFAULTS | case, reading)
        return None
    if len(case) != len(FIELDS):  # a member that is not a field
        return None
    if (
        funding is not None
        or implementer is not None
        or note is not None
        or budgets != []  # only an empty list equals []
        or type(policy) is not str
        or not policy.strip()
        or (identifier is not None and (type(identifier) is not str or not identifier.strip()))
        or (parent is not None and (type(parent) is not str or not parent.strip()))
    ):
        return None
    try:
        city = reading.cities.get(city_key(recipient))  # type: ignore[arg-type]
        shares = reading.shares.get(_shares_key(focus))  # type: ignore[arg-type]
        kept = () if sources == [] else reading.sources.get(_sources_key(sources))  # type: ignore[arg-type]
        date = None if value_date is None else reading.dates.get(value_date)
        member = _STATUS.get(status)
    except (TypeError, AttributeError):  # an unhashable member, a share not an object
        return None
    if (
        city is None
        or shares is None
        or kept is None
        or member is None
        or (date is None and value_date is not None)
    ):
        return None
    if year is None:
        year = None if date is None else date.year
    elif (
        type(year) is not int
        or not 1900 <= year <= 2200
        or (date is not None and year != date.year)
    ):
        return None
    if value is None:
        money = None
    else:
        try:
            text, code = _MONEY(value)
            currency = reading.currencies.get(code)
        except (TypeError, KeyError):  # not an object, a member missing, unhashable
            return None
        if len(value) != 2:
            return None
        amount = _amount(text)
        if currency is None or amount is None:
            return None
        money = trusted_money(amount, currency)
    return trusted_export(
        untagged_text(policy),
        city,
        shares,
        year,
        date,
        money,
        None,
        member,
        None,
        (),
        identifier,
        parent,
        kept,
        None,
    )


def _learn(case: dict[str, Any], made: PolicyExport, reading: Reading) -> None:
    """Keep the shared values of a case just read the general way, by their JSON."""
    get = case.get
    try:
        key = city_key(get("recipient"))
        if key is not None:
            reading.cities.setdefault(key, made.recipient)
        shares = _shares_key(get("focus"))
        if shares is not None:
            reading.shares.setdefault(shares, made.focus)
        sources = _sources_key(get("sources"))
        if sources:
            reading.sources.setdefault(sources, made.sources)
    except TypeError:  # an unhashable member the model converted: nothing to keep
        pass
    value_date, value = get("value_date"), get("value")
    if made.value_date is not None and type(value_date) is str:
        reading.dates.setdefault(value_date, made.value_date)
    if made.value is not None and type(value) is dict:
        code = value.get("currency")
        if type(code) is str:
            reading.currencies.setdefault(code, made.value.currency)


def export_hook(_kind: Any, converter: cattrs.Converter) -> Any:
    """The structuring hook of :class:`~citycoop.PolicyExport` (a cattrs hook factory)."""
    general = converter.gen_structure_attrs_fromdict(PolicyExport)

    def structure(value: Any, kind: type) -> PolicyExport:
        reading = READING.get(None)
        if reading is None or type(value) is not dict:
            return general(value, kind)
        case = _known(value, reading)
        if case is None:
            case = general(value, kind)
            _learn(value, case, reading)
        return case

    return structure


# Writing: a portfolio's cases as JSON text, each shared value written once.

#: How ``json.dumps(..., ensure_ascii=False)`` writes a string.
_STRING: Final = json.encoder.encode_basestring
_DUMPS: Final = functools.partial(json.dumps, ensure_ascii=False)


def _text(text: Text) -> str:
    written = as_document(text)
    return _STRING(written) if isinstance(written, str) else _DUMPS(written)


def _shares_text(focus: tuple[FocusShare, ...]) -> str:
    # Codes and decimal strings hold nothing JSON escapes.
    return (
        "["
        + ", ".join(
            f'{{"area": "{share.area._value_}", "percent": "{share.percent}"}}' for share in focus
        )
        + "]"
    )


def _case_text(case: PolicyExport, written: dict[int, str], unstructure: Any) -> str:
    """A case as ``json.dumps`` writes what :func:`_export_out` gives for it.

    Cities, dates and source lists are written once each, by identity (the portfolio
    holds every value written, so no identity is reused while it is written).
    """
    recipient, value_date, sources = case.recipient, case.value_date, case.sources
    city = written.get(id(recipient))
    if city is None:
        city = written[id(recipient)] = _DUMPS(unstructure(recipient))
    date: str | None = "null" if value_date is None else written.get(id(value_date))
    if date is None:
        date = written[id(value_date)] = f'"{value_date.isoformat()}"'  # type: ignore[union-attr]
    if sources:
        listed = written.get(id(sources))
        if listed is None:
            listed = written[id(sources)] = _DUMPS(list(sources))
    else:
        listed = "[]"
    value, funding, implementer, budgets = case.value, case.funding, case.implementer, case.budgets
    year, identifier, parent, note = case.year, case.identifier, case.parent, case.note
    return (
        f'{{"policy": {_text(case.policy)}, "recipient": {city}, '
        f'"focus": {_shares_text(case.focus)}, '
        f'"year": {"null" if year is None else year}, "value_date": {date}, "value": '
        + (
            "null"
            if value is None
            else f'{{"amount": "{value.amount}", "currency": "{value.currency}"}}'
        )
        + f', "funding": {"null" if funding is None else _DUMPS(unstructure(funding))}'
        + f', "status": "{case.status._value_}"'
        + f', "implementer": {"null" if implementer is None else _DUMPS(unstructure(implementer))}'
        + f', "budgets": {_DUMPS(unstructure(budgets)) if budgets else "[]"}'
        + f', "identifier": {"null" if identifier is None else _STRING(identifier)}'
        + f', "parent": {"null" if parent is None else _STRING(parent)}'
        + f', "sources": {listed}, "note": {"null" if note is None else _text(note)}}}'
    )


def portfolio_text(portfolio: Portfolio, converter: cattrs.Converter, schema: str) -> str:
    """A portfolio's document, as ``json.dumps`` of its unstructured form writes it."""
    written: dict[int, str] = {}
    unstructure = converter.unstructure
    members: list[str] = []
    for field in attrs.fields(Portfolio):
        item = getattr(portfolio, field.name)
        if field.name == "exports":
            text = "[" + ", ".join(_case_text(case, written, unstructure) for case in item) + "]"
        else:
            text = _DUMPS(converter.unstructure(item, _portfolio_types()[field.name]))
        members.append(f"{_STRING(field.name)}: {text}")
    return f'{{"schema": {_STRING(schema)}, "type": "Portfolio", "data": {{{", ".join(members)}}}}}'


@functools.cache
def _portfolio_types() -> dict[str, Any]:
    return typing.get_type_hints(Portfolio)
