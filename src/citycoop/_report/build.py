"""The report on a portfolio that ``python -m citycoop`` prints, localized with babel/CLDR.

:func:`build_report` computes once (``compute``: the export rollup, the reconciliation,
one conversion pass, the headline's deflation) and puts the results into the reader's
words (``words``), section by section; the :class:`~citycoop._report.model.Report` it
returns renders itself as text, Markdown, HTML or JSON (``render``). Country and currency
names, dates, times and money come from CLDR for the chosen locale; times are shown in
each party's own zone; amounts show their ISO 4217 decimal places, with a compact form
for large sums.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from citycoop._core.errors import MissingPriceError, MissingRateError
from citycoop._core.places import City
from citycoop._domain.budgets import BudgetKind, effective_budgets
from citycoop._fx.rates import DEFAULT_POLICY
from citycoop._prices.deflate import value_day
from citycoop._report.compute import Computed, compute
from citycoop._report.model import Report, Section, Table
from citycoop._report.words import Words

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

    from citycoop._core.money import Money
    from citycoop._core.places import Country
    from citycoop._domain.parties import Official
    from citycoop._domain.portfolio import Portfolio, ReportedFigures
    from citycoop._domain.training import TrainingTrack
    from citycoop._fx.rates import Leg, RatePolicy
    from citycoop._fx.table import RateTable
    from citycoop._prices.deflate import ConstantPrices
    from citycoop._rollup.reconcile import Reconciliation


def build_report(
    portfolio: Portfolio,
    *,
    locale: str = "en",
    currency: str | None = None,
    rates: RateTable | None = None,
    policy: RatePolicy | None = None,
    constant: ConstantPrices | None = None,
    rates_name: str | None = None,
    partner: City | Country | None = None,
    rate_files: tuple[tuple[str, RateTable], ...] = (),
) -> Report:
    """Build the localized report (pure: the caller supplies data, rates and locale).

    With *currency* and *rates*, every value (cases, budgets, the headline) is also
    given in *currency*, each at its own date, and a last section lists every rate used
    (and *rates_name*, the file they come from); a value no rate serves says so, never
    zero. With *constant* (a price index, a base year and a method), the coverage
    section also states the headline and the recorded total at the base year's prices.
    With *partner* (the place a partner briefing is about), the title names it.
    """
    say = Words(locale)
    done = compute(
        portfolio,
        currency=currency,
        rates=rates,
        policy=policy or DEFAULT_POLICY,
        constant=constant,
    )
    in_currency = _InCurrency(say, done)
    sections = [_mous(portfolio, say, in_currency), _exports(portfolio, say, in_currency, done)]
    if portfolio.requests:
        sections.append(
            Section(
                say("requests"),
                tuple(
                    f"{say.city(r.city)} ({say.date(r.reported_on)}): {say.text(r.topic)}"
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
                tuple(_track(track, say, in_currency) for track in portfolio.training),
                links=tuple(
                    (index, track.source)
                    for index, track in enumerate(portfolio.training)
                    if track.source is not None
                ),
            )
        )
    sections.append(_reported(portfolio, say, in_currency))
    if done.latest is not None:
        sections.append(_coverage(done, say))
    owner = say.text(portfolio.owner.name)
    if say.untranslated:
        line = say("untranslated", n=say.count("text", len(say.untranslated)))
        sections.append(Section(say("languages"), (line,)))
    legs = done.legs
    files = {leg: _file_of(leg, rate_files) for leg in legs}  # which file served each rate
    if legs or in_currency.missing:
        lines = [say.leg(leg, files[leg]) for leg in legs]
        lines += [f"  {text}" if lines else text for text in in_currency.missing]
        if rates_name:
            lines.append(say("rates_file", file=rates_name))
        sections.append(Section(say("rates_used"), tuple(lines)))
    shown = tuple(s for s in sections if s.lines or (s.table is not None and s.table.rows))
    facts = _facts(portfolio, done, say, rates_name, files)
    facts["untranslated_texts"] = len(say.untranslated)
    if partner is None:
        title = say("title", owner=owner)
    else:
        place = say.city(partner) if isinstance(partner, City) else say.country(partner)
        title = say("title_partner", owner=owner, partner=place)
    return Report(locale, title, shown, facts)


class _InCurrency:
    """The text after a value in the report's currency (`` (≈ €1.2M)``), looked up.

    Values come converted (``Computed.conversion``); what has no date or no rate is
    said in place and listed, in the order the report shows it, for the last section.
    """

    def __init__(self, say: Words, done: Computed) -> None:
        self.say = say
        self.done = done
        self.missing: list[str] = []

    def __call__(self, money: Money | None, day: dt.date | None) -> str:
        target, say = self.done.currency, self.say
        if target is None or money is None or money.currency == target:
            return ""
        if day is None:
            self.missing.append(f"{say.money(money)}: {say('no_date')}")
            return f" ({say('no_date')})"
        conversion = self.done.conversion(money, day)
        if conversion is None:
            pair = f"{money.currency}->{target}"
            self.missing.append(
                say("no_rate", value=say.money(money), pair=pair, date=say.date(day))
            )
            return f" ({say('no_rate_cell', pair=pair)})"
        return f" ({say('approx', value=say.money(conversion.rounded(), compact=True))})"


def _track(track: TrainingTrack, say: Words, in_currency: _InCurrency) -> str:
    """A training track: topic, modality, and the budget of each period that counts.

    Where a period has a revised budget, it is the one shown, marked as revised.
    """
    modality = "" if track.modality is None else f" [{say.code(track.modality)}]"
    budgets = ", ".join(
        f"{b.period.start.year}: {say.money(b.value)}{in_currency(b.value, b.valued_on)}"
        + (f" ({say.code(b.kind)})" if b.kind is BudgetKind.REVISED else "")
        for b in effective_budgets(track.budgets)
    )
    return say.text(track.topic) + modality + (f" ({say('budget')} {budgets})" if budgets else "")


def _official(official: Official, say: Words) -> str:
    """Title and name in the locale's order; a title shown as recorded keeps its own."""
    title, name = say.text(official.title), say.text(official.name)
    if official.title.in_(say.locale).fell_back:
        return f"{title} {name}"
    return say("official", title=title, name=name)


def _mous(portfolio: Portfolio, say: Words, in_currency: _InCurrency) -> Section:
    lines: list[str] = []
    links: list[tuple[int, str]] = []
    for mou in portfolio.mous:
        if mou.documents:
            links.append((len(lines), mou.documents[0]))
        lines.append(f"{say.text(mou.title)} [{say.code(mou.status)}]")
        if mou.venue is not None:
            where = say("online") if mou.venue.city is None else say.city(mou.venue.city)
            lines.append(f"  {say('venue')}: {where}")
        for party, local in mou.local_signing_times().items():
            place = say.city_name(party.city) if party.city is not None else say.text(party.name)
            lines.append("  " + say("signed", time=say.time(local), place=place))
        lines += [f"  {say('signatory')}: {_official(o, say)}" for o in mou.signatories]
        if mou.focus_areas:
            lines.append(f"  {say('focus')}: " + ", ".join(say.focus(a) for a in mou.focus_areas))
        for horizon in mou.horizons:
            period = say.period(horizon.period) if horizon.period is not None else say("no_dates")
            text = say("horizon", term=say.code(horizon.term), period=period)
            lines.append(f"  {text}: " + say.texts(horizon.objectives))
        lines += [
            f"  {say('training')}: {_track(track, say, in_currency)}" for track in mou.training
        ]
        if mou.policies:
            lines.append(f"  {say('policies')}: " + say.texts(mou.policies))
    return Section(say("mous"), tuple(lines), links=tuple(links))


def _exports(portfolio: Portfolio, say: Words, in_currency: _InCurrency, done: Computed) -> Section:
    if not portfolio.exports:
        return Section(say("exports"), ())  # left out of the report
    rows = [
        (
            str(case.year) if case.year is not None else say("no_year"),
            say.city(case.recipient),
            say.text(case.policy),
            ", ".join(say.focus(a) for a in case.focus_areas),
            say.code(case.status),
            say.money(case.value) + in_currency(case.value, value_day(case)),
        )
        for case in portfolio.exports
    ]
    total = done.summary
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


def _reported(portfolio: Portfolio, say: Words, in_currency: _InCurrency) -> Section:
    rows: list[tuple[str, ...]] = []
    for figures in portfolio.reported:
        value = ""
        if figures.value is not None:
            value = say.money(figures.value, compact=True)
            value = say("about", value=value) if figures.approximate else value
            value += in_currency(figures.value, figures.as_of)
        rows.append(
            (
                say.date(figures.as_of),
                "" if figures.cases is None else say.count("case", figures.cases),
                "" if figures.policies is None else say.count("policy", figures.policies),
                value,
                "" if figures.cities is None else say.count("city", figures.cities),
                "" if figures.countries is None else say.count("country", figures.countries),
                say.text(figures.scope),
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


_COUNTED = (("case", "cases"), ("city", "cities"), ("country", "countries"))


def _counts(rec: Reconciliation, latest: ReportedFigures) -> list[tuple[str, str, int, int, Any]]:
    """(label, plural, recorded, reported, coverage) for each count the figures report."""
    rows = (
        (rec.cases, latest.cases, rec.case_coverage),
        (rec.cities, latest.cities, rec.city_coverage),
        (rec.countries, latest.countries, rec.country_coverage),
    )
    return [
        (label, plural, computed, reported, ratio)
        for (label, plural), (computed, reported, ratio) in zip(_COUNTED, rows, strict=True)
        if reported is not None
    ]


def _coverage(done: Computed, say: Words) -> Section:
    """The latest reported figures against the record, in the report's words."""
    latest, rec = done.latest, done.reconciliation
    assert latest is not None
    assert rec is not None
    lines = [
        say(
            "of",
            label=say(f"{label}_label"),
            computed=say.count(f"{label}_counter", computed),
            reported=say.count(f"{label}_counter", reported),
            ratio=say.ratio(ratio),
        )
        for label, _, computed, reported, ratio in _counts(rec, latest)
    ]
    if latest.value is None:
        return Section(say("coverage", date=say.date(latest.as_of)), tuple(lines))
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
    if done.currency is not None:
        converted = done.conversion(latest.value, latest.as_of)
        if converted is None:
            pair = f"{latest.value.currency}->{done.currency}"
            lines.append(say("no_rate", value=value, pair=pair, date=say.date(latest.as_of)))
        else:
            lines.append(
                say(
                    "converted",
                    value=value,
                    converted=say.money(converted.rounded(), compact=True),
                    rates=say.legs(converted.legs),
                )
            )
    if done.constant is not None:
        lines.extend(_constant_lines(done, say, value))
    return Section(say("coverage", date=say.date(latest.as_of)), tuple(lines))


def _constant_lines(done: Computed, say: Words, value: str) -> list[str]:
    """The headline and the recorded total at the base year's prices, with provenance."""
    rec, constant, latest = done.reconciliation, done.constant, done.latest
    assert rec is not None
    assert constant is not None
    assert latest is not None
    year, title = str(constant.base_year), constant.prices.title
    lines: list[str] = []
    headline = rec.reported_constant
    if headline is None and rec.reported_constant_missing is not None:
        lines.append(_no_price(say, value, rec.reported_constant_missing))
    elif headline is not None:
        lines.append(
            say(
                "constant_reported",
                year=year,
                index=title,
                economy=headline.economy.code,
                value=value,
                as_of=str(latest.as_of.year),
                constant=say.money(headline.rounded(), compact=True),
            )
        )
    if rec.constant_value is not None:
        lines.append(say("constant_recorded", year=year, value=say.money(rec.constant_value)))
    if rec.undeflated:
        lines.append(say("not_deflated", year=year, n=say.count("value", len(rec.undeflated))))
        lines.extend(f"  {say.money(item.amount)}: {item.reason}" for item in rec.undeflated)
    converted = done.headline_constant
    if isinstance(converted, MissingPriceError):
        lines.append(_no_price(say, value, converted))
    elif isinstance(converted, MissingRateError):
        pair = f"{converted.base}->{converted.quote}"
        lines.append(say("no_rate", value=value, pair=pair, date=say.date(converted.on)))
    elif converted is not None:
        lines.append(
            say(
                "constant_converted",
                value=value,
                year=year,
                constant=say.money(converted.rounded(), compact=True),
                method=say(constant.method),
                rates=say.legs(converted.legs) or "-",
            )
        )
    return lines


def _no_price(say: Words, value: str, error: MissingPriceError) -> str:
    """A missing index value, in the reader's words: the economy and year, or the currency."""
    if error.year is None:
        return say("no_economy", value=value, index=error.index, code=error.economy)
    return say(
        "no_price", value=value, index=error.index, economy=error.economy, year=str(error.year)
    )


def _file_of(leg: Leg, rate_files: tuple[tuple[str, RateTable], ...]) -> str | None:
    """The name of the first rate file whose table holds *leg*'s rate, or ``None``."""
    return next((name for name, table in rate_files if table.holds(leg.rate)), None)


def _facts(
    portfolio: Portfolio,
    done: Computed,
    say: Words,
    rates_name: str | None,
    files: Mapping[Leg, str | None],
) -> dict[str, Any]:
    """The report's figures as data (the JSON format's ``facts``), from the same results."""
    facts: dict[str, Any] = {"mous": len(portfolio.mous), "exports": len(portfolio.exports)}
    latest, rec = done.latest, done.reconciliation
    if latest is not None and rec is not None:
        for _, plural, computed, reported, _ in _counts(rec, latest):
            facts[f"{plural}_recorded"] = computed
            facts[f"{plural}_reported"] = reported
        if latest.value is not None:
            facts.update(_value_facts(done, say, latest.value, latest.as_of))
    legs = done.legs
    if legs:
        facts["rates_used"] = [
            {
                "base": leg.rate.base,
                "quote": leg.rate.quote,
                "value": str(leg.rate.value),
                "start": leg.rate.period.start.isoformat(),
                "end": leg.rate.period.end.isoformat(),
                "source": leg.rate.source,
                "inverted": leg.inverted,
                "planning": leg.planning,
                "file": files[leg],
            }
            for leg in legs
        ]
        if rates_name:
            facts["rates_file"] = rates_name
    return facts


def _value_facts(done: Computed, say: Words, headline: Money, as_of: dt.date) -> dict[str, Any]:
    """The facts about money: recorded, unconverted, converted and at constant prices."""
    rec = done.reconciliation
    assert rec is not None
    facts: dict[str, Any] = {}
    if rec.value is not None:
        facts["recorded_value"] = {
            "currency": headline.currency,
            "amount": str(rec.value.amount),
            "rates": say.legs(rec.conversions),
        }
    if rec.unconverted:
        facts["unconverted"] = [
            {
                "currency": item.amount.currency,
                "amount": str(item.amount.amount),
                "on": item.on.isoformat(),
                "reason": item.reason,
            }
            for item in rec.unconverted
        ]
    converted = None if done.currency is None else done.conversion(headline, as_of)
    if converted is not None:
        facts["reported_value_converted"] = {
            "currency": done.currency,
            "amount": str(converted.rounded().amount),
            "rates": say.legs(converted.legs),
        }
    constant = done.constant
    if constant is not None:
        found: dict[str, Any] = {
            "base_year": constant.base_year,
            "method": constant.method,
            "index": constant.prices.title,
        }
        if rec.reported_constant is not None:
            found["reported"] = {
                "currency": rec.reported_constant.currency,
                "amount": str(rec.reported_constant.rounded().amount),
                "index_values": [
                    f"{v.economy} {v.year} = {v.value}" for v in rec.reported_constant.index
                ],
            }
        if rec.constant_value is not None:
            found["recorded"] = str(rec.constant_value.amount)
        if rec.undeflated:
            found["undeflated"] = [
                {"currency": i.amount.currency, "amount": str(i.amount.amount), "reason": i.reason}
                for i in rec.undeflated
            ]
        deflation = done.headline_constant
        if deflation is not None and not isinstance(deflation, Exception):
            found["converted"] = {
                "currency": done.currency,
                "amount": str(deflation.rounded().amount),
                "index_values": [f"{v.economy} {v.year} = {v.value}" for v in deflation.index],
                "rates": say.legs(deflation.legs) or "-",
            }
        facts["constant_prices"] = found
    return facts
