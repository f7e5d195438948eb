"""Registers citycoop's types with :func:`hypothesis.strategies.from_type`.

Hypothesis calls :func:`_hypothesis_setup_hook` through the ``hypothesis`` entry point
(unless ``HYPOTHESIS_NO_PLUGINS`` is set). Registration is lazy: each type maps to a
function that builds its strategy only when ``from_type`` first resolves that type, and
nothing here imports pint or pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

#: citycoop type name -> name of its strategy in citycoop.strategies, sorted by type name
_STRATEGIES = {
    "Activity": "activities",
    "ActivityBudgetRecord": "activity_budget_records",
    "ActivityRecord": "activity_records",
    "AreaShare": "area_shares",
    "Budget": "budgets",
    "BudgetRecord": "budget_records",
    "BudgetTotal": "budget_totals",
    "City": "cities",
    "Cohort": "cohorts",
    "CohortRecord": "cohort_records",
    "Conflict": "conflicts",
    "ConstantPrices": "constant_prices",
    "Conversion": "conversions",
    "ConversionBatch": "conversion_batches",
    "Coordinates": "coordinates",
    "Country": "countries",
    "CountryShare": "country_shares",
    "CurrencyInfo": "currency_infos",
    "Deflation": "deflations",
    "Economy": "economies",
    "FocusShare": "focus_shares",
    "Funding": "fundings",
    "Group": "groups",
    "IndexValue": "index_values",
    "Leg": "legs",
    "Location": "locations",
    "MOU": "mous",
    "MOURecord": "mou_records",
    "Measure": "measures",
    "Milestone": "milestones",
    "Money": "money",
    "Narrative": "narratives",
    "Official": "officials",
    "Organisation": "organisations",
    "Participant": "participants",
    "Period": "periods",
    "PlannedDisbursement": "planned_disbursements",
    "PolicyExport": "policy_exports",
    "PolicyRequest": "policy_requests",
    "Portfolio": "portfolios",
    "PriceIndex": "price_indices",
    "Rate": "rates",
    "RatePolicy": "rate_policies",
    "RateTable": "rate_tables",
    "Reconciliation": "reconciliations",
    "Region": "regions",
    "RegionShare": "region_shares",
    "ReportedFigures": "reported_figures",
    "Rollup": "rollups",
    "SectorShare": "sector_shares",
    "Split": "splits",
    "StrategyHorizon": "horizons",
    "Timeline": "timelines",
    "TrainingTrack": "training_tracks",
    "Transaction": "transactions",
    "TransactionRecord": "transaction_records",
    "Unconverted": "unconverted",
    "UnknownCodeError": "unknown_code_errors",
    "ValidationError": "validation_errors",
    "Venue": "venues",
    "YearRow": "year_rows",
}


def _build(name: str) -> SearchStrategy[Any]:
    from citycoop import strategies

    built: SearchStrategy[Any] = getattr(strategies, name)()
    return built


def _resolver(name: str) -> Any:
    def resolve(_type: type) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        # Deferred: citycoop.strategies is imported, and the strategy built, on first draw.
        return st.deferred(lambda: _build(name))

    return resolve


def _hypothesis_setup_hook() -> None:  # pyright: ignore[reportUnusedFunction] - an entry point
    """Register every public citycoop type for ``st.from_type`` (enums resolve natively)."""
    from hypothesis import strategies as st

    import citycoop

    for type_name, strategy_name in _STRATEGIES.items():
        st.register_type_strategy(getattr(citycoop, type_name), _resolver(strategy_name))
