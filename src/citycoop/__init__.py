"""citycoop: typed, exact models of smart-city cooperation between cities.

>>> import citycoop
>>> portfolio = citycoop.datasets.seoul()
>>> [mou.title for mou in portfolio.mous]  # doctest: +NORMALIZE_WHITESPACE
['Seoul-Guayaquil Smart City Cooperation MOU', 'Seoul-Lima Smart City Cooperation MOU']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from citycoop._agreements import MOU, ONLINE, MOUStatus, Venue
from citycoop._budgets import Budget, BudgetKind
from citycoop._errors import (
    CitycoopError,
    CurrencyMismatchError,
    DataFileError,
    InexactError,
    InvalidTransitionError,
    MissingRateError,
    UnknownCodeError,
    ValidationError,
)
from citycoop._exports import (
    ExportStatus,
    FocusShare,
    Funding,
    FundingKind,
    PolicyExport,
    PolicyRequest,
)
from citycoop._focus import FocusArea
from citycoop._horizons import Milestone, StrategyHorizon, Term
from citycoop._money import CurrencyInfo, Money, currency_info
from citycoop._parties import Official, Organisation, OrgKind
from citycoop._places import City, Coordinates, Country, Region
from citycoop._portfolio import Portfolio, ReportedFigures
from citycoop._time import Period
from citycoop._training import Cohort, Modality, TrainingTrack

if TYPE_CHECKING:
    from citycoop._fx import (
        Conversion,
        ConversionBatch,
        Leg,
        Rate,
        RatePolicy,
        RateTable,
        convert,
        convert_batch,
    )
    from citycoop._rollups import (
        BudgetTotal,
        Conflict,
        Group,
        Reconciliation,
        Rollup,
        Split,
        Unconverted,
        budget_totals,
        fiscal_year,
        reconcile,
        rollup,
    )
    from citycoop._timeline import Timeline, YearRow, ending_within, in_force, timeline

# The function layer (exchange rates, rollups) and the embedded data load on first use,
# so that `import citycoop` costs little more than its dependencies.
_LAZY = {
    **dict.fromkeys(
        (
            "Conversion",
            "ConversionBatch",
            "Leg",
            "Rate",
            "RatePolicy",
            "RateTable",
            "convert",
            "convert_batch",
        ),
        "_fx",
    ),
    **dict.fromkeys(
        (
            "BudgetTotal",
            "budget_totals",
            "Conflict",
            "Group",
            "Reconciliation",
            "Rollup",
            "Split",
            "Unconverted",
            "fiscal_year",
            "reconcile",
            "rollup",
        ),
        "_rollups",
    ),
    **dict.fromkeys(("Timeline", "YearRow", "ending_within", "in_force", "timeline"), "_timeline"),
}

__all__ = [
    "MOU",
    "ONLINE",
    "Budget",
    "BudgetKind",
    "BudgetTotal",
    "City",
    "CitycoopError",
    "Cohort",
    "Conflict",
    "Conversion",
    "ConversionBatch",
    "Coordinates",
    "Country",
    "CurrencyInfo",
    "CurrencyMismatchError",
    "DataFileError",
    "ExportStatus",
    "FocusArea",
    "FocusShare",
    "Funding",
    "FundingKind",
    "Group",
    "InexactError",
    "InvalidTransitionError",
    "Leg",
    "MOUStatus",
    "Milestone",
    "MissingRateError",
    "Modality",
    "Money",
    "Official",
    "OrgKind",
    "Organisation",
    "Period",
    "PolicyExport",
    "PolicyRequest",
    "Portfolio",
    "Rate",
    "RatePolicy",
    "RateTable",
    "Reconciliation",
    "Region",
    "ReportedFigures",
    "Rollup",
    "Split",
    "StrategyHorizon",
    "Term",
    "Timeline",
    "TrainingTrack",
    "Unconverted",
    "UnknownCodeError",
    "ValidationError",
    "Venue",
    "YearRow",
    "__version__",
    "budget_totals",
    "convert",
    "convert_batch",
    "currency_info",
    "datasets",
    "ending_within",
    "fiscal_year",
    "in_force",
    "reconcile",
    "rollup",
    "timeline",
]


def __getattr__(name: str) -> Any:
    """Load the function layer, ``datasets`` and ``__version__`` on first use."""
    import importlib

    if name == "__version__":
        from importlib.metadata import version

        return version("citycoop")
    if name == "datasets":
        return importlib.import_module("citycoop.datasets")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'citycoop' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"citycoop.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
