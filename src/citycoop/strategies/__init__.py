"""Hypothesis strategies for every public citycoop type (extra ``hypothesis``).

Use them to property-test code that takes citycoop objects::

    from hypothesis import given
    from citycoop import strategies as cst

    @given(cst.policy_exports(currency="KRW"))
    def test_my_report(case): ...

Everything drawn passes citycoop's own validation; values come from real code lists
(ISO 4217 currencies, ISO 3166 countries with their UN M49 regions, IANA time zones that
CLDR assigns to each country). Parameters are checked when a strategy is first drawn
from, as Hypothesis's own strategies do, and bad ones raise
:class:`hypothesis.errors.InvalidArgument`.

The same strategies are registered for :func:`hypothesis.strategies.from_type` by
citycoop's Hypothesis plugin. pendulum and pint types are not registered globally; use
:func:`dates`, :func:`aware_datetimes` and :func:`hours` instead.

The package reads by layer, one module each: ``_values`` (code lists, money, time, places,
errors), ``_domain`` (the domain records), ``_iati`` (other publishers' activities), ``_records``
(what ``mou_records`` and the other record functions give a rollup),
``_fx`` (rates, conversions and prices) and ``_results`` (what the function layer returns);
``_base`` holds what they share. Every strategy is built the same way: a public function
returns ``lazy(build)``, and ``build`` checks the arguments and composes the strategy with
``st.builds`` or, where one draw depends on another, an ``@st.composite`` function. A new
strategy goes into the module of its type's layer and into ``__all__`` below.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

try:
    import hypothesis as hypothesis
except ImportError:  # name the extra that brings Hypothesis
    from citycoop._core.extras import require

    require("hypothesis", __name__)
    raise

# The bounds of drawn dates, kept importable from here.
from citycoop.strategies._base import MAX_DATE as MAX_DATE
from citycoop.strategies._base import MIN_DATE as MIN_DATE
from citycoop.strategies._domain import (
    budgets,
    cohorts,
    focus_shares,
    focus_splits,
    fundings,
    horizons,
    milestones,
    mous,
    officials,
    organisations,
    policy_exports,
    policy_requests,
    portfolios,
    reported_figures,
    training_tracks,
    venues,
)
from citycoop.strategies._fx import (
    constant_prices,
    conversion_batches,
    conversions,
    deflations,
    economies,
    index_values,
    legs,
    price_indices,
    rate_policies,
    rate_tables,
    rates,
)
from citycoop.strategies._iati import (
    activities,
    country_shares,
    locations,
    participants,
    planned_disbursements,
    region_shares,
    sector_shares,
    transactions,
)
from citycoop.strategies._records import (
    activity_budget_records,
    activity_records,
    area_shares,
    budget_records,
    cohort_records,
    mou_records,
    transaction_records,
)
from citycoop.strategies._results import (
    budget_totals,
    conflicts,
    groups,
    measures,
    reconciliations,
    reports,
    rollups,
    splits,
    timelines,
    unconverted,
    year_rows,
)
from citycoop.strategies._values import (
    aware_datetimes,
    cities,
    coordinates,
    countries,
    currencies,
    currency_infos,
    dates,
    focus_areas,
    hours,  # pyright: ignore[reportUnknownVariableType]  # pint's Quantity is generic
    local_texts,
    money,
    periods,
    regions,
    texts,
    timezones,
    unknown_code_errors,
    validation_errors,
)

__all__ = [
    "activities",
    "activity_budget_records",
    "activity_records",
    "area_shares",
    "aware_datetimes",
    "budget_records",
    "budget_totals",
    "budgets",
    "cities",
    "cohort_records",
    "cohorts",
    "conflicts",
    "constant_prices",
    "conversion_batches",
    "conversions",
    "coordinates",
    "countries",
    "country_shares",
    "currencies",
    "currency_infos",
    "dates",
    "deflations",
    "economies",
    "focus_areas",
    "focus_shares",
    "focus_splits",
    "fundings",
    "groups",
    "horizons",
    "hours",
    "index_values",
    "legs",
    "local_texts",
    "locations",
    "measures",
    "milestones",
    "money",
    "mou_records",
    "mous",
    "officials",
    "organisations",
    "participants",
    "periods",
    "planned_disbursements",
    "policy_exports",
    "policy_requests",
    "portfolios",
    "price_indices",
    "rate_policies",
    "rate_tables",
    "rates",
    "reconciliations",
    "region_shares",
    "regions",
    "reported_figures",
    "reports",
    "rollups",
    "sector_shares",
    "splits",
    "texts",
    "timelines",
    "timezones",
    "training_tracks",
    "transaction_records",
    "transactions",
    "unconverted",
    "unknown_code_errors",
    "validation_errors",
    "venues",
    "year_rows",
]
