"""The report on a portfolio that ``python -m citycoop`` prints, localized with babel/CLDR.

The report is built once as a list of sections of localized lines, then rendered as
text, Markdown, HTML or JSON. Country and currency names, dates, times and money come
from CLDR for the chosen locale; times are shown in each party's own zone; amounts show
their ISO 4217 decimal places, with a compact form for large sums.
"""

from __future__ import annotations

import copy
import html
import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from citycoop._core.errors import MissingPriceError, MissingRateError, ValidationError
from citycoop._core.locale import COUNTS, WORDS, check_locale
from citycoop._core.money import Money, currency_info, currency_spacing
from citycoop._core.places import folded
from citycoop._prices.deflate import value_day
from citycoop._rollup.aggregate import rollup
from citycoop._rollup.reconcile import reconcile

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pendulum

    from citycoop._core.codes import CodeEnum
    from citycoop._core.places import Country
    from citycoop._core.time import Period
    from citycoop._domain.focus import FocusArea
    from citycoop._domain.portfolio import Portfolio, ReportedFigures
    from citycoop._domain.training import TrainingTrack
    from citycoop._fx.rates import Leg, RatePolicy
    from citycoop._fx.table import RateTable
    from citycoop._prices.deflate import ConstantPrices
    from citycoop._rollup.reconcile import Reconciliation

__all__ = ["report_schema"]

FORMATS: Final = ("text", "markdown", "html", "json")


@attrs.frozen
class Table:
    """Rows of a section with one column each per heading; a row may link to its source."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: One URL (or ``None``) per row: where the record comes from.
    links: tuple[str | None, ...] = ()


@attrs.frozen
class Section:
    """One part of the report: a heading, an optional table, and lines.

    A line indented by two spaces details the line above it. *links* pairs a line's
    index with the URL of the record it states.
    """

    title: str
    lines: tuple[str, ...]
    table: Table | None = None
    links: tuple[tuple[int, str], ...] = ()


#: The report's stylesheet: small, embedded, so the page travels as one file.
_STYLE: Final = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45}table{border-collapse:collapse;margin:.5rem 0}"
    "th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}"
)
#: Characters that mean something to Markdown, escaped wherever user data may hold them.
_MARKDOWN: Final = re.compile(r"([\\`*_{}\[\]<>|#!~])")


@attrs.frozen
class Report:
    """A localized report, ready to render."""

    locale: str
    title: str
    sections: tuple[Section, ...]
    facts: dict[str, Any] = attrs.field(eq=False)

    def render(self, fmt: str = "text") -> str:
        """The report as ``text``, ``markdown``, ``html`` or ``json``."""
        if fmt == "text":
            return self._text()
        if fmt == "markdown":
            return self._markdown()
        if fmt == "html":
            return self._html()
        if fmt == "json":
            return self._json()
        raise ValidationError("format", fmt, "one of " + ", ".join(FORMATS))

    def _text(self) -> str:
        parts = [self.title, ""]
        for section in self.sections:
            parts.append(section.title)
            if section.table is not None:
                parts.append("  " + " | ".join(section.table.head))
                parts += ["- " + " | ".join(row) for row in section.table.rows]
            parts += [
                f"    {line.strip()}" if _sub(line) else f"- {line}" for line in section.lines
            ]
            parts.append("")
        return "\n".join(parts)

    def _markdown(self) -> str:
        parts = [f"# {_md(self.title)}", ""]
        for section in self.sections:
            parts += [f"## {_md(section.title)}", ""]
            table = section.table
            if table is not None:
                parts.append("| " + " | ".join(_md(h) for h in table.head) + " |")
                parts.append("|" + "---|" * len(table.head))
                for row, url in zip(table.rows, _links(table), strict=True):
                    cells = [_md(cell) for cell in row]
                    if url is not None:
                        cells[0] = f"[{cells[0]}](<{url}>)"
                    parts.append("| " + " | ".join(cells) + " |")
                parts.append("")
            links = dict(section.links)
            for index, line in enumerate(section.lines):
                text = _md(line.strip())
                if index in links:
                    text = f"[{text}](<{links[index]}>)"
                parts.append(f"  - {text}" if _sub(line) else f"- {text}")
            parts.append("")
        return "\n".join(parts)

    def _html(self) -> str:
        escape = html.escape
        body = [f"<h1>{escape(self.title)}</h1>"]
        for section in self.sections:
            body.append(f"<section><h2>{escape(section.title)}</h2>")
            table = section.table
            if table is not None:
                head = "".join(f"<th>{escape(h)}</th>" for h in table.head)
                rows: list[str] = []
                for row, url in zip(table.rows, _links(table), strict=True):
                    cells = [escape(cell) for cell in row]
                    if url is not None:
                        cells[0] = f'<a href="{escape(url)}">{cells[0]}</a>'
                    rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
                body.append(
                    f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
                )
            body.append(_html_list(section))
            body.append("</section>")
        return (
            f'<!DOCTYPE html>\n<html lang="{escape(self.locale)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(self.title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
            f"<body>\n{''.join(body)}\n</body>\n</html>\n"
        )

    def _json(self) -> str:
        sections: list[dict[str, Any]] = []
        for section in self.sections:
            entry: dict[str, Any] = {"title": section.title, "items": _items(section)}
            if section.table is not None:
                entry["table"] = {
                    "head": list(section.table.head),
                    "rows": [list(row) for row in section.table.rows],
                    "links": list(_links(section.table)),
                }
            sections.append(entry)
        document = {
            "schema": "citycoop-report/1",
            "locale": self.locale,
            "title": self.title,
            "facts": self.facts,
            "sections": sections,
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


#: The JSON Schema of ``--format json``: the document :meth:`Report.render` writes.
REPORT_SCHEMA: Final[dict[str, Any]] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "citycoop report",
    "type": "object",
    "required": ["schema", "locale", "title", "facts", "sections"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": "citycoop-report/1"},
        "locale": {"enum": ["en", "ko", "es"]},
        "title": {"type": "string", "minLength": 1},
        "facts": {
            "type": "object",
            "required": ["mous", "exports"],
            "properties": {
                "mous": {"type": "integer", "minimum": 0},
                "exports": {"type": "integer", "minimum": 0},
                "cases_recorded": {"type": "integer", "minimum": 0},
                "cases_reported": {"type": "integer", "minimum": 0},
                "cities_recorded": {"type": "integer", "minimum": 0},
                "cities_reported": {"type": "integer", "minimum": 0},
                "countries_recorded": {"type": "integer", "minimum": 0},
                "countries_reported": {"type": "integer", "minimum": 0},
                "recorded_value": {"$ref": "#/$defs/amount"},
                "reported_value_converted": {"$ref": "#/$defs/amount"},
                "unconverted": {"type": "array", "items": {"type": "object"}},
                "constant_prices": {"type": "object"},
                "rates_file": {"type": "string"},
                "rates_used": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": [
                            "base",
                            "quote",
                            "value",
                            "start",
                            "end",
                            "source",
                            "inverted",
                        ],
                        "additionalProperties": False,
                        "properties": {
                            "base": {"type": "string", "pattern": "^[A-Z]{3}$"},
                            "quote": {"type": "string", "pattern": "^[A-Z]{3}$"},
                            "value": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"},
                            "start": {"type": "string", "format": "date"},
                            "end": {"type": "string", "format": "date"},
                            "source": {"type": "string"},
                            "inverted": {"type": "boolean"},
                        },
                    },
                },
            },
        },
        "sections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "items"],
                "additionalProperties": False,
                "properties": {
                    "title": {"type": "string", "minLength": 1},
                    "items": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["text", "details", "url"],
                            "additionalProperties": False,
                            "properties": {
                                "text": {"type": "string"},
                                "details": {"type": "array", "items": {"type": "string"}},
                                "url": {"type": ["string", "null"], "format": "uri"},
                            },
                        },
                    },
                    "table": {
                        "type": "object",
                        "required": ["head", "rows", "links"],
                        "additionalProperties": False,
                        "properties": {
                            "head": {"type": "array", "items": {"type": "string"}},
                            "rows": {
                                "type": "array",
                                "items": {"type": "array", "items": {"type": "string"}},
                            },
                            "links": {
                                "type": "array",
                                "items": {"type": ["string", "null"], "format": "uri"},
                            },
                        },
                    },
                },
            },
        },
    },
    "$defs": {
        "amount": {
            "type": "object",
            "required": ["currency", "amount"],
            "properties": {
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "amount": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
                "rates": {"type": "string"},
            },
        }
    },
}


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report that ``python -m citycoop --format json`` prints.

    >>> import citycoop
    >>> citycoop.report_schema()["properties"]["schema"]
    {'const': 'citycoop-report/1'}

    .. versionadded:: 0.1.0
    """
    return copy.deepcopy(REPORT_SCHEMA)


def _links(table: Table) -> tuple[str | None, ...]:
    return table.links or (None,) * len(table.rows)


def _md(text: str) -> str:
    """User data made inert for Markdown: every character that could start markup escaped."""
    escaped = _MARKDOWN.sub(r"\\\1", text)
    # A line may not start a heading, a list or a quote by accident.
    escaped = re.sub(r"^([-+=])", r"\\\1", escaped)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)


def _items(section: Section) -> list[dict[str, Any]]:
    """A section's lines as items, each with its details and link."""
    links = dict(section.links)
    items: list[dict[str, Any]] = []
    for index, line in enumerate(section.lines):
        if _sub(line) and items:
            items[-1]["details"].append(line.strip())
            continue
        items.append({"text": line.strip(), "details": [], "url": links.get(index)})
    return items


def _html_list(section: Section) -> str:
    """The lines as a list; details nest under the line they belong to."""
    if not section.lines:
        return ""
    out = ["<ul>"]
    for item in _items(section):
        text = html.escape(item["text"])
        if item["url"] is not None:
            text = f'<a href="{html.escape(item["url"])}">{text}</a>'
        details = "".join(f"<li>{html.escape(d)}</li>" for d in item["details"])
        out.append(f"<li>{text}" + (f"<ul>{details}</ul>" if details else "") + "</li>")
    out.append("</ul>")
    return "".join(out)


class _Into:
    """Values in the report's currency: each converted at its own date, rates remembered.

    Calling it gives the text to add after a value (`` (≈ €1.2M)``), or nothing when the
    report has no currency or the value is in it already.
    """

    def __init__(
        self, say: _Words, currency: str | None, rates: RateTable | None, policy: RatePolicy
    ) -> None:
        self.say = say
        self.currency = currency if rates is not None else None
        self.rates = rates
        self.policy = policy
        self.legs: dict[Leg, None] = {}
        self.missing: list[str] = []

    def __call__(self, money: Money | None, day: Any) -> str:
        from citycoop._fx.convert import convert

        target, say = self.currency, self.say
        if target is None or money is None or money.currency == target:
            return ""
        if day is None:
            self.missing.append(f"{say.money(money)}: {say('no_date')}")
            return f" ({say('no_date')})"
        assert self.rates is not None
        try:
            result = convert(money, target, on=day, rates=self.rates, policy=self.policy)
        except MissingRateError:
            pair = f"{money.currency}->{target}"
            self.missing.append(
                say("no_rate", value=say.money(money), pair=pair, date=say.date(day))
            )
            return f" ({say('no_rate_cell', pair=pair)})"
        for leg in result.legs:
            self.legs.setdefault(leg)
        return f" ({say('approx', value=say.money(result.rounded(), compact=True))})"


def _sub(line: str) -> bool:
    return line.startswith("  ")


class _Words:
    """Localized labels and CLDR formatting for one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = check_locale(locale)
        self.labels = WORDS[locale]

    def __call__(self, key: str, **values: object) -> str:
        return self.labels[key].format(**values)

    def focus(self, area: FocusArea) -> str:
        return area.label_in(self.locale)

    def code(self, member: CodeEnum) -> str:
        return member.label_in(self.locale)

    def time(self, moment: pendulum.DateTime) -> str:
        from babel.dates import format_skeleton, format_time

        day = format_skeleton("yMMMEd", moment, tzinfo=moment.tzinfo, locale=self.locale)
        return f"{day} {format_time(moment, 'HH:mm', tzinfo=moment.tzinfo, locale=self.locale)}"

    def date(self, day: Any) -> str:
        from babel.dates import format_date

        return format_date(day, "medium", locale=self.locale)

    def number(self, value: int | Decimal) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    def count(self, key: str, n: int) -> str:
        """*n* with its noun or counter, in the plural form CLDR gives *n* in this locale."""
        from babel import Locale

        forms = COUNTS[key][self.locale]
        form = Locale.parse(self.locale).plural_form(n)
        return forms.get(form, forms["other"]).format(n=self.number(n))

    def ratio(self, value: Decimal | None) -> str:
        """A share in the locale's CLDR percent pattern, to a tenth of a percent."""
        from babel.numbers import format_percent

        if value is None:
            return "—"
        # The locale's own pattern (es "13,5 %" with a no-break space); the tenth kept.
        return format_percent(
            value.quantize(Decimal("0.001")), locale=self.locale, decimal_quantization=False
        )

    def leg(self, leg: Leg) -> str:
        """A rate used, with the locale's decimal mark and dates."""
        from babel.numbers import format_decimal

        rate = leg.rate
        return self(
            "rate",
            base=rate.base,
            quote=rate.quote,
            value=format_decimal(rate.value, locale=self.locale, decimal_quantization=False),
            period=self.period(rate.period),
            source=rate.source,
            inverted=self("inverted") if leg.inverted else "",
        )

    def legs(self, legs: Iterable[Leg]) -> str:
        return "; ".join(self.leg(leg) for leg in legs)

    def period(self, period: Period) -> str:
        if period.start == period.end:
            return self.date(period.start)
        return f"{self.date(period.start)} – {self.date(period.end)}"

    def money(self, money: Money | None, *, compact: bool = False) -> str:
        """Money in the locale's pattern with the ISO 4217 digits; large sums compact too."""
        if money is None:
            return self("unknown")
        from babel import Locale
        from babel.numbers import format_compact_currency, format_currency

        digits = currency_info(money.currency).minor_units or 0
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        pattern = pattern.replace(".00", "." + "0" * digits if digits else "")
        text = format_currency(
            money.amount, money.currency, format=pattern, locale=self.locale, currency_digits=False
        )
        text = currency_spacing(text, money.currency, self.locale)
        if compact and abs(money.amount) >= 1_000_000:
            short = format_compact_currency(
                money.amount, money.currency, locale=self.locale, fraction_digits=1
            )
            return f"{currency_spacing(short, money.currency, self.locale)} ({text})"
        return text

    def country(self, country: Country) -> str:
        return country.name(self.locale)

    def city(self, city: Any) -> str:
        return f"{self.city_name(city)}, {self.country(city.country)}"

    def city_name(self, city: Any) -> str:
        """The city's name in this locale, where CLDR has it; else the recorded name.

        CLDR names the exemplar city of each time zone; a city that is its zone's
        exemplar (Seoul, Lima, Bogotá) takes that name (서울, 리마, 보고타).
        """
        from babel.dates import get_timezone_location

        try:
            exemplar = get_timezone_location(city.timezone, "en", return_city=True)
        except LookupError:
            return str(city.name)
        if folded(exemplar) != folded(city.name):  # "Bogota" in older CLDR is Bogotá
            return str(city.name)
        return str(get_timezone_location(city.timezone, self.locale, return_city=True))


def build_report(
    portfolio: Portfolio,
    *,
    locale: str = "en",
    currency: str | None = None,
    rates: RateTable | None = None,
    policy: RatePolicy | None = None,
    constant: ConstantPrices | None = None,
    rates_name: str | None = None,
) -> Report:
    """Build the localized report (pure: the caller supplies data, rates and locale).

    With *currency* and *rates*, every value (cases, budgets, the headline) is also
    given in *currency*, each at its own date, and a last section lists every rate used
    (and *rates_name*, the file they come from); a value no rate serves says so, never
    zero. With *constant* (a price index, a base year and a method), the coverage
    section also states the headline and the recorded total at the base year's prices.
    """
    from citycoop._fx.rates import NARROWEST

    say = _Words(locale)
    into = _Into(say, currency, rates, policy or NARROWEST)
    sections = [_mous(portfolio, say, into), _exports(portfolio, say, into)]
    if portfolio.requests:
        sections.append(
            Section(
                say("requests"),
                tuple(
                    f"{say.city(r.city)} ({say.date(r.reported_on)}): {r.topic}"
                    for r in portfolio.requests
                ),
                links=tuple(
                    (index, r.sources[0]) for index, r in enumerate(portfolio.requests) if r.sources
                ),
            )
        )
    if portfolio.training:
        sections.append(
            Section(
                say("programmes"),
                tuple(_track(track, say, into) for track in portfolio.training),
                links=tuple(
                    (index, track.source)
                    for index, track in enumerate(portfolio.training)
                    if track.source is not None
                ),
            )
        )
    sections.append(_reported(portfolio, say, into))
    facts: dict[str, Any] = {"mous": len(portfolio.mous), "exports": len(portfolio.exports)}
    coverage = _coverage(
        portfolio,
        say,
        currency=currency,
        rates=rates,
        policy=policy,
        constant=constant,
        facts=facts,
    )
    if coverage is not None:
        sections.append(coverage)
    if into.legs:
        facts["rates_used"] = [
            {
                "base": leg.rate.base,
                "quote": leg.rate.quote,
                "value": str(leg.rate.value),
                "start": leg.rate.period.start.isoformat(),
                "end": leg.rate.period.end.isoformat(),
                "source": leg.rate.source,
                "inverted": leg.inverted,
            }
            for leg in into.legs
        ]
        if rates_name:
            facts["rates_file"] = rates_name
    if into.legs or into.missing:
        lines = [say.leg(leg) for leg in into.legs]
        lines += [f"  {text}" if lines else text for text in into.missing]
        if rates_name:
            lines.append(say("rates_file", file=rates_name))
        sections.append(Section(say("rates_used"), tuple(lines)))
    shown = tuple(s for s in sections if s.lines or (s.table is not None and s.table.rows))
    return Report(locale, say("title", owner=portfolio.owner.name), shown, facts)


def _track(track: TrainingTrack, say: _Words, into: _Into) -> str:
    """A training track: topic, modality, and the budget of each period that counts.

    Where a period has a revised budget, it is the one shown, marked as revised.
    """
    from citycoop._domain.budgets import BudgetKind, effective_budgets

    modality = "" if track.modality is None else f" [{say.code(track.modality)}]"
    budgets = ", ".join(
        f"{b.period.start.year}: {say.money(b.value)}{into(b.value, b.valued_on)}"
        + (f" ({say.code(b.kind)})" if b.kind is BudgetKind.REVISED else "")
        for b in effective_budgets(track.budgets)
    )
    return track.topic + modality + (f" ({say('budget')} {budgets})" if budgets else "")


def _mous(portfolio: Portfolio, say: _Words, into: _Into) -> Section:
    lines: list[str] = []
    links: list[tuple[int, str]] = []
    for mou in portfolio.mous:
        if mou.documents:
            links.append((len(lines), mou.documents[0]))
        lines.append(f"{mou.title} [{say.code(mou.status)}]")
        if mou.venue is not None:
            where = say("online") if mou.venue.city is None else say.city(mou.venue.city)
            lines.append(f"  {say('venue')}: {where}")
        for party, local in mou.local_signing_times().items():
            place = say.city_name(party.city) if party.city is not None else party.name
            lines.append(
                "  " + say("signed", time=f"{say.time(local)} ({local.timezone_name})", place=place)
            )
        lines += [f"  {say('signatory')}: {o.title} {o.name}" for o in mou.signatories]
        if mou.focus_areas:
            lines.append(f"  {say('focus')}: " + ", ".join(say.focus(a) for a in mou.focus_areas))
        for horizon in mou.horizons:
            period = str(horizon.period) if horizon.period is not None else say("no_dates")
            text = say("horizon", term=say.code(horizon.term), period=period)
            lines.append(f"  {text}: " + "; ".join(horizon.objectives))
        lines += [f"  {say('training')}: {_track(track, say, into)}" for track in mou.training]
        if mou.policies:
            lines.append(f"  {say('policies')}: " + "; ".join(mou.policies))
    return Section(say("mous"), tuple(lines), links=tuple(links))


def _exports(portfolio: Portfolio, say: _Words, into: _Into) -> Section:
    if not portfolio.exports:
        return Section(say("exports"), ())  # left out of the report
    rows = [
        (
            str(case.year) if case.year is not None else say("no_year"),
            say.city(case.recipient),
            case.policy,
            ", ".join(say.focus(a) for a in case.focus_areas),
            say.code(case.status),
            say.money(case.value) + into(case.value, value_day(case)),
        )
        for case in portfolio.exports
    ]
    total = rollup(portfolio.exports).total
    summary = say(
        "summary",
        cases=say.count("case", total.count),
        cities=say.count("city", total.cities),
        countries=say.count("country", total.countries),
        unvalued=say.count("value", total.unvalued),
    )
    head = ("col_year", "col_city", "col_policy", "col_focus", "col_status", "col_value")
    table = Table(
        tuple(say(key) for key in head),
        tuple(rows),
        tuple(case.sources[0] if case.sources else None for case in portfolio.exports),
    )
    return Section(say("exports"), (summary,), table)


def _reported(portfolio: Portfolio, say: _Words, into: _Into) -> Section:
    rows: list[tuple[str, ...]] = []
    for figures in portfolio.reported:
        value = ""
        if figures.value is not None:
            value = say.money(figures.value, compact=True)
            value = say("about", value=value) if figures.approximate else value
            value += into(figures.value, figures.as_of)
        rows.append(
            (
                say.date(figures.as_of),
                "" if figures.cases is None else say.count("case", figures.cases),
                "" if figures.policies is None else say.count("policy", figures.policies),
                value,
                "" if figures.cities is None else say.count("city", figures.cities),
                "" if figures.countries is None else say.count("country", figures.countries),
                figures.scope,
            )
        )
    head = (
        "col_date",
        "col_cases",
        "col_policies",
        "col_value",
        "col_cities",
        "col_countries",
        "col_scope",
    )
    table = Table(
        tuple(say(key) for key in head),
        tuple(rows),
        tuple(f.sources[0] if f.sources else None for f in portfolio.reported),
    )
    return Section(say("reported"), (), table)


def _coverage(
    portfolio: Portfolio,
    say: _Words,
    *,
    currency: str | None,
    rates: RateTable | None,
    policy: RatePolicy | None,
    constant: ConstantPrices | None,
    facts: dict[str, Any],
) -> Section | None:
    from citycoop._fx.convert import convert
    from citycoop._fx.rates import NARROWEST

    latest = portfolio.latest_reported()
    if latest is None:
        return None
    # A value no rate serves is listed, never a reason to abort the report.
    rec = reconcile(
        portfolio,
        latest,
        rates=rates,
        policy=policy or NARROWEST,
        missing="omit",
        prices=None if constant is None else constant.prices,
        base_year=None if constant is None else constant.base_year,
        method="deflate_then_convert" if constant is None else constant.method,
        economy=None if constant is None else constant.economy,
    )
    lines: list[str] = []
    for label, computed, reported, ratio in (
        ("case", rec.cases, latest.cases, rec.case_coverage),
        ("city", rec.cities, latest.cities, rec.city_coverage),
        ("country", rec.countries, latest.countries, rec.country_coverage),
    ):
        if reported is not None:
            name = say(f"{label}_label")
            counter = f"{label}_counter"
            lines.append(
                say(
                    "of",
                    label=name,
                    computed=say.count(counter, computed),
                    reported=say.count(counter, reported),
                    ratio=say.ratio(ratio),
                )
            )
            plural = {"case": "cases", "city": "cities", "country": "countries"}[label]
            facts[f"{plural}_recorded"] = computed
            facts[f"{plural}_reported"] = reported
    if latest.value is not None:
        value = say.money(latest.value, compact=True)
        lines.append(
            say(
                "valued",
                n=say.count("valued_case", rec.valued_cases),
                value=say("about", value=value) if latest.approximate else value,
            )
        )
        target = latest.value.currency
        if rec.value is not None:
            lines.append(say("recorded", value=say.money(rec.value, compact=True)))
            used = say.legs(rec.conversions)
            if used:
                lines.append(f"  {used}")
            facts["recorded_value"] = {
                "currency": target,
                "amount": str(rec.value.amount),
                "rates": used,
            }
        if rec.unconverted:
            lines.append(
                say("not_converted", currency=target, n=say.count("value", len(rec.unconverted)))
            )
            lines.extend(
                "  "
                + say(
                    "no_rate",
                    value=say.money(item.amount),
                    pair=f"{item.amount.currency}->{target}",
                    date=say.date(item.on),
                )
                for item in rec.unconverted
            )
            facts["unconverted"] = [
                {
                    "currency": item.amount.currency,
                    "amount": str(item.amount.amount),
                    "on": item.on.isoformat(),
                    "reason": item.reason,
                }
                for item in rec.unconverted
            ]
        if currency is not None and rates is not None:
            try:
                result = convert(
                    latest.value, currency, on=latest.as_of, rates=rates, policy=policy or NARROWEST
                )
            except MissingRateError:
                lines.append(
                    say(
                        "no_rate",
                        value=value,
                        pair=f"{latest.value.currency}->{currency}",
                        date=say.date(latest.as_of),
                    )
                )
            else:
                used = say.legs(result.legs)
                converted = say.money(result.rounded(), compact=True)
                lines.append(say("converted", value=value, converted=converted, rates=used))
                facts["reported_value_converted"] = {
                    "currency": currency,
                    "amount": str(result.rounded().amount),
                    "rates": used,
                }
    if constant is not None and latest.value is not None:
        lines.extend(
            _constant_lines(
                latest, rec, say, constant=constant, currency=currency, rates=rates, facts=facts
            )
        )
    return Section(say("coverage", date=say.date(latest.as_of)), tuple(lines))


def _constant_lines(
    latest: ReportedFigures,
    rec: Reconciliation,
    say: _Words,
    *,
    constant: ConstantPrices,
    currency: str | None,
    rates: RateTable | None,
    facts: dict[str, Any],
) -> list[str]:
    """The headline and the recorded total at the base year's prices, with provenance."""
    from citycoop._prices.deflate import deflate

    assert latest.value is not None
    year, title = constant.base_year, constant.prices.title
    value = say.money(latest.value, compact=True)
    lines: list[str] = []
    found: dict[str, Any] = {"base_year": year, "method": constant.method, "index": title}
    headline = rec.reported_constant
    problem = rec.reported_constant_missing
    if headline is None and problem is not None:
        lines.append(_no_price(say, value, problem))
    elif headline is not None:
        lines.append(
            say(
                "constant_reported",
                year=str(year),
                index=title,
                economy=headline.economy.code,
                value=value,
                as_of=str(latest.as_of.year),
                constant=say.money(headline.rounded(), compact=True),
            )
        )
        found["reported"] = {
            "currency": headline.currency,
            "amount": str(headline.rounded().amount),
            "index_values": [f"{v.economy} {v.year} = {v.value}" for v in headline.index],
        }
    if rec.constant_value is not None:
        lines.append(say("constant_recorded", year=str(year), value=say.money(rec.constant_value)))
        found["recorded"] = str(rec.constant_value.amount)
    if rec.undeflated:
        lines.append(say("not_deflated", year=str(year), n=say.count("value", len(rec.undeflated))))
        lines.extend(f"  {say.money(item.amount)}: {item.reason}" for item in rec.undeflated)
        found["undeflated"] = [
            {"currency": i.amount.currency, "amount": str(i.amount.amount), "reason": i.reason}
            for i in rec.undeflated
        ]
    if currency is not None and rates is not None:
        try:
            converted = deflate(
                latest.value,
                year=latest.as_of.year,
                base_year=year,
                prices=constant.prices,
                currency=currency,
                rates=rates,
                method=constant.method,
                economy=constant.economy,
            )
        except MissingPriceError as error:
            lines.append(_no_price(say, value, error))
        except MissingRateError as error:
            pair = f"{error.base}->{error.quote}"
            lines.append(say("no_rate", value=value, pair=pair, date=say.date(error.on)))
        else:
            used = say.legs(converted.legs) or "-"
            lines.append(
                say(
                    "constant_converted",
                    value=value,
                    year=str(year),
                    constant=say.money(converted.rounded(), compact=True),
                    method=say(constant.method),
                    rates=used,
                )
            )
            found["converted"] = {
                "currency": currency,
                "amount": str(converted.rounded().amount),
                "index_values": [f"{v.economy} {v.year} = {v.value}" for v in converted.index],
                "rates": used,
            }
    facts["constant_prices"] = found
    return lines


def _no_price(say: _Words, value: str, error: MissingPriceError) -> str:
    """A missing index value, in the reader's words: the economy and year, or the currency."""
    if error.year is None:
        return say("no_economy", value=value, index=error.index, code=error.economy)
    return say(
        "no_price", value=value, index=error.index, economy=error.economy, year=str(error.year)
    )
