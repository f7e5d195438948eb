"""The text report on a portfolio that ``python -m citycoop`` prints."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from citycoop._rollups import reconcile, rollup

if TYPE_CHECKING:
    from citycoop._money import Money
    from citycoop._portfolio import Portfolio

_TIME = "ddd D MMM YYYY HH:mm"


def money_text(money: Money | None) -> str:
    """``KRW 804,800,000,000`` style, with every ISO 4217 digit the amount carries."""
    if money is None:
        return "unknown"
    from babel.numbers import format_decimal

    return (
        f"{money.currency} {format_decimal(money.amount, locale='en', decimal_quantization=False)}"
    )


def _percent(ratio: Decimal | None) -> str:
    return "n/a" if ratio is None else f"{(ratio * 100).quantize(Decimal('0.1'))}%"


def render(portfolio: Portfolio) -> str:
    """The whole report as text."""
    lines: list[str] = [f"Cooperation portfolio of {portfolio.owner.name}", ""]
    lines.append(f"MOUs ({len(portfolio.mous)})")
    for mou in portfolio.mous:
        lines.append(f"- {mou.title} [{mou.status}]")
        if mou.venue is not None:
            lines.append(f"  venue: {mou.venue}")
        for party, local in mou.local_signing_times().items():
            where = party.city.name if party.city is not None else party.name
            lines.append(f"  signed {local.format(_TIME)} in {where} ({local.timezone_name})")
        lines.extend(f"  signatory: {o.title} {o.name}" for o in mou.signatories)
        if mou.focus_areas:
            lines.append("  focus areas: " + ", ".join(area.label for area in mou.focus_areas))
        for horizon in mou.horizons:
            period = str(horizon.period) if horizon.period is not None else "dates not stated"
            lines.append(
                f"  {horizon.term}-term strategy ({period}): " + "; ".join(horizon.objectives)
            )
        lines.extend(f"  training: {track.topic}" for track in mou.training)
        if mou.policies:
            lines.append("  policies: " + "; ".join(mou.policies))
    lines += ["", f"Policy export cases ({len(portfolio.exports)})"]
    for case in portfolio.exports:
        year = case.year if case.year is not None else "year not stated"
        lines.append(
            f"- {year}  {case.recipient}  {case.policy}  "
            f"[{', '.join(a.label for a in case.focus_areas)}; {case.status}; value {money_text(case.value)}]"
        )
    summary = rollup(portfolio.exports, by="country")
    lines.append(
        f"  {summary.total.count} cases in {summary.total.cities} cities of "
        f"{summary.total.countries} countries; {summary.total.unvalued} without a stated value"
    )
    if portfolio.requests:
        lines += ["", "Requests"]
        lines += [f"- {r.city} ({r.reported_on}): {r.topic}" for r in portfolio.requests]
    if portfolio.training:
        lines += ["", "Training programmes"]
        for track in portfolio.training:
            budgets = ", ".join(
                f"{b.period.start.year}: {money_text(b.value)}" for b in track.budgets
            )
            lines.append(f"- {track.topic}" + (f" (budget {budgets})" if budgets else ""))
    lines += ["", "Reported figures over time"]
    for figures in portfolio.reported:
        parts = [
            f"{figures.cases} cases" if figures.cases is not None else "",
            f"{figures.policies} policies" if figures.policies is not None else "",
            ("about " if figures.approximate else "") + money_text(figures.value)
            if figures.value
            else "",
            f"{figures.cities} cities" if figures.cities is not None else "",
            f"{figures.countries} countries" if figures.countries is not None else "",
        ]
        lines.append(
            f"- {figures.as_of}: " + ", ".join(p for p in parts if p) + f" ({figures.scope})"
        )
    latest = portfolio.latest_reported()
    if latest is not None:
        rec = reconcile(portfolio, latest)
        lines += ["", f"Coverage of the {latest.as_of} headline by recorded cases"]
        lines.append(f"- cases: {rec.cases} of {latest.cases} ({_percent(rec.case_coverage)})")
        lines.append(f"- cities: {rec.cities} of {latest.cities} ({_percent(rec.city_coverage)})")
        lines.append(
            f"- countries: {rec.countries} of {latest.countries} ({_percent(rec.country_coverage)})"
        )
        lines.append(
            f"- value: {rec.valued_cases} recorded cases state a value; "
            f"reported {('about ' if latest.approximate else '') + money_text(latest.value)}"
        )
    return "\n".join(lines) + "\n"
