"""The report in Python: :func:`report`, for the whole portfolio or one partner.

The command line (``python -m citycoop``) is a shell over it: what it prints is
``report(...).render(format)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from citycoop._core.errors import CitycoopError, ValidationError
from citycoop._core.places import City, Country
from citycoop._core.validation import Arguments
from citycoop._domain.portfolio import Portfolio
from citycoop._fx.rates import DEFAULT_POLICY, RatePolicy
from citycoop._report.build import build_report

if TYPE_CHECKING:
    from collections.abc import Sequence

    from citycoop._domain.parties import Organisation
    from citycoop._fx.table import RateTable
    from citycoop._prices.index import PriceIndex
    from citycoop._report.model import Report

__all__ = ["report"]

REPORT: Final = Arguments("report")

#: Weekends and holidays: the latest daily rate up to a week old serves a date.


def report(
    portfolio: Portfolio,
    *,
    locale: str = "en",
    partner: str | None = None,
    currency: str | None = None,
    rates: RateTable | None = None,
    policy: RatePolicy = DEFAULT_POLICY,
    prices: PriceIndex | None = None,
    base_year: int | None = None,
    method: str = "deflate_then_convert",
    economy: str | None = None,
    rates_name: str | None = None,
    rate_files: Sequence[tuple[str, RateTable]] = (),
) -> Report:
    """The localized report on *portfolio*, or a briefing on one *partner*.

    Args:
        portfolio: What to report on.
        locale: ``"en"``, ``"ko"`` or ``"es"``.
        partner: A partner city by name (``"Lima"``, any case) or a country by ISO code
            (``"PE"``, ``"PER"``; a code no record is in is then tried as a city's name):
            the briefing keeps the MOUs with a party there (other than the first, the
            portfolio's owner), the export cases and requests of its cities, and leaves
            out the city-wide reported figures and training programmes.
        currency: Also state every value in this currency, each at its own date.
        rates: The rates to convert with (needed with *currency*).
        policy: Which rate serves a date: by default, as everywhere,
            :meth:`RatePolicy.business_day() <citycoop.RatePolicy.business_day>`, so
            weekends and holidays are served.
        prices: A price index, with *base_year*: the coverage section then states the
            headline and the recorded total at that year's prices.
        base_year: The year whose prices values are stated at (with *prices*).
        method: ``"deflate_then_convert"`` or ``"convert_then_deflate"``, as
            :func:`citycoop.rollup` takes it.
        economy: The economy whose index to use, such as ``"KOR"`` for the DAC
            deflators.
        rates_name: The file the rates came from, named in the rates section.
        rate_files: Each rate file's name and its table (*rates* merges them): each rate
            used is listed with the file that holds it.

    Returns:
        Report: the report; ``.render("text" | "markdown" | "html" | "json")`` writes it.

    Raises:
        ValidationError: an argument is not valid, or *partner* is in none of the
            portfolio's MOUs, cases or requests.

    >>> import citycoop
    >>> lima = citycoop.report(citycoop.datasets.seoul(), partner="Lima")
    >>> lima.title
    'Cooperation of Seoul Metropolitan Government with Lima, Peru'
    >>> lima.render("markdown").splitlines()[0]
    '# Cooperation of Seoul Metropolitan Government with Lima, Peru'
    """
    if not isinstance(portfolio, Portfolio):
        raise ValidationError(REPORT("portfolio"), type(portfolio).__name__, "a Portfolio")
    constant = None
    if (prices is None) != (base_year is None):
        raise ValidationError(REPORT("base_year"), base_year, "a base year with prices, or neither")
    if prices is not None:
        from citycoop._prices.deflate import constant_prices

        constant = constant_prices(prices, base_year, method, economy, where=REPORT)
    place = None
    if partner is not None:
        portfolio, place = _for_partner(portfolio, partner)
    return build_report(
        portfolio,
        locale=locale,
        currency=currency,
        rates=rates,
        policy=policy,
        constant=constant,
        rates_name=rates_name,
        partner=place,
        rate_files=tuple(rate_files),
    )


def _for_partner(portfolio: Portfolio, partner: object) -> tuple[Portfolio, City | Country]:
    """The part of *portfolio* that concerns *partner*, and the partner's place.

    A two- or three-letter code is read as a country first; if no record is in that
    country, as a city's name (a city may be called "Pe").
    """
    if not isinstance(partner, str) or not partner.strip():
        raise ValidationError(REPORT("partner"), partner, "a city name or a country code")
    wanted = partner.strip()
    found = None
    if len(wanted) in (2, 3) and wanted.isalpha():
        try:
            found = _kept(portfolio, Country(wanted.upper()))
        except CitycoopError:
            found = None
    if found is None:
        found = _kept(portfolio, wanted.casefold())
    if found is None:
        raise ValidationError(
            REPORT("partner"),
            partner,
            "a partner city or country of the portfolio's MOUs, cases or requests",
        )
    return found


def _kept(portfolio: Portfolio, wanted: Country | str) -> tuple[Portfolio, City | Country] | None:
    """*portfolio* cut to the records at *wanted* (a country, or a city's folded name)."""

    def at(city: City | None, country: Country | None = None) -> bool:
        if isinstance(wanted, Country):
            return (city is not None and city.country == wanted) or country == wanted
        return city is not None and city.name.casefold() == wanted

    def involves(party: Organisation) -> bool:
        return at(party.city, party.country)

    mous = tuple(m for m in portfolio.mous if any(involves(p) for p in m.parties[1:]))
    exports = tuple(c for c in portfolio.exports if at(c.recipient))
    requests = tuple(r for r in portfolio.requests if at(r.city))
    if not (mous or exports or requests):
        return None
    place: City | Country
    if isinstance(wanted, Country):
        place = wanted
    else:
        cities = [c.recipient for c in exports] + [r.city for r in requests]
        cities += [p.city for m in mous for p in m.parties[1:] if p.city is not None and at(p.city)]
        place = cities[0]
    kept = attrs.evolve(
        portfolio, mous=mous, exports=exports, requests=requests, reported=(), training=()
    )
    return kept, place
