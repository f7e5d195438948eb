"""citycoop: typed, exact models of smart-city cooperation between cities.

>>> import citycoop
>>> portfolio = citycoop.datasets.seoul()
>>> [str(mou.title) for mou in portfolio.mous]  # doctest: +NORMALIZE_WHITESPACE
['Seoul-Guayaquil Smart City Cooperation MOU', 'Seoul-Lima Smart City Cooperation MOU']
>>> portfolio.mous[-1].title.in_("ko").text
'서울시 스마트시티 협력 업무협약'
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from citycoop._core.currencies import *  # noqa: F403
from citycoop._core.errors import *  # noqa: F403
from citycoop._core.money import *  # noqa: F403
from citycoop._core.places import *  # noqa: F403
from citycoop._core.text import *  # noqa: F403
from citycoop._core.time import *  # noqa: F403

if TYPE_CHECKING:  # the domain and the function layer: loaded on first use
    from citycoop import datasets as datasets
    from citycoop._domain.activities import *  # noqa: F403
    from citycoop._domain.agreements import *  # noqa: F403
    from citycoop._domain.budgets import *  # noqa: F403
    from citycoop._domain.exports import *  # noqa: F403
    from citycoop._domain.focus import *  # noqa: F403
    from citycoop._domain.horizons import *  # noqa: F403
    from citycoop._domain.parties import *  # noqa: F403
    from citycoop._domain.portfolio import *  # noqa: F403
    from citycoop._domain.training import *  # noqa: F403
    from citycoop._fx.convert import *  # noqa: F403
    from citycoop._fx.rates import *  # noqa: F403
    from citycoop._fx.table import *  # noqa: F403
    from citycoop._prices.deflate import *  # noqa: F403
    from citycoop._prices.index import *  # noqa: F403
    from citycoop._prices.values import *  # noqa: F403
    from citycoop._report.brief import *  # noqa: F403
    from citycoop._report.model import *  # noqa: F403
    from citycoop._report.schema import *  # noqa: F403
    from citycoop._rollup.activity_records import *  # noqa: F403
    from citycoop._rollup.aggregate import *  # noqa: F403
    from citycoop._rollup.budget_totals import *  # noqa: F403
    from citycoop._rollup.keys import *  # noqa: F403
    from citycoop._rollup.reconcile import *  # noqa: F403
    from citycoop._rollup.records import *  # noqa: F403
    from citycoop._rollup.result import *  # noqa: F403
    from citycoop._rollup.timeline import *  # noqa: F403

    __version__: str

#: Where each name that loads on first use lives: the one table of them. The function
#: layer, export cases and portfolios wait, so that `import citycoop` costs little more
#: than its dependencies.
_LAZY: Final = MappingProxyType(
    {
        "MOU": "_domain.agreements",
        "ONLINE": "_domain.agreements",
        "MOUStatus": "_domain.agreements",
        "Venue": "_domain.agreements",
        "Budget": "_domain.budgets",
        "BudgetKind": "_domain.budgets",
        "FocusArea": "_domain.focus",
        "Milestone": "_domain.horizons",
        "StrategyHorizon": "_domain.horizons",
        "Term": "_domain.horizons",
        "Official": "_domain.parties",
        "OrgKind": "_domain.parties",
        "Organisation": "_domain.parties",
        "Cohort": "_domain.training",
        "Modality": "_domain.training",
        "TrainingTrack": "_domain.training",
        "working_days": "_domain.training",
        "Activity": "_domain.activities",
        "ActivityBudgetRecord": "_rollup.activity_records",
        "ActivityRecord": "_rollup.activity_records",
        "ActivityStatus": "_domain.activities",
        "AreaShare": "_rollup.activity_records",
        "BudgetRecord": "_rollup.records",
        "BudgetTotal": "_rollup.budget_totals",
        "By": "_rollup.keys",
        "CohortRecord": "_rollup.records",
        "Conflict": "_rollup.result",
        "ConstantPrices": "_prices.deflate",
        "Conversion": "_fx.convert",
        "ConversionBatch": "_fx.convert",
        "CountryShare": "_domain.activities",
        "Deflation": "_prices.deflate",
        "Economy": "_prices.values",
        "ExportStatus": "_domain.exports",
        "FocusShare": "_domain.exports",
        "Funding": "_domain.exports",
        "FundingKind": "_domain.exports",
        "Group": "_rollup.result",
        "IndexValue": "_prices.values",
        "KeyName": "_rollup.keys",
        "Leg": "_fx.rates",
        "Location": "_domain.activities",
        "MOURecord": "_rollup.records",
        "Measure": "_rollup.result",
        "Method": "_prices.deflate",
        "OrgRole": "_domain.activities",
        "Participant": "_domain.activities",
        "PlannedDisbursement": "_domain.activities",
        "PolicyExport": "_domain.exports",
        "PolicyRequest": "_domain.exports",
        "Portfolio": "_domain.portfolio",
        "PriceIndex": "_prices.index",
        "Rate": "_fx.rates",
        "RatePolicy": "_fx.rates",
        "RateTable": "_fx.table",
        "Reconciliation": "_rollup.reconcile",
        "RegionShare": "_domain.activities",
        "ReportedFigures": "_domain.portfolio",
        "Rollup": "_rollup.result",
        "SectorShare": "_domain.activities",
        "Split": "_rollup.keys",
        "Timeline": "_rollup.timeline",
        "Transaction": "_domain.activities",
        "TransactionRecord": "_rollup.activity_records",
        "TransactionType": "_domain.activities",
        "Unconverted": "_rollup.result",
        "YearRow": "_rollup.timeline",
        "activity_budget_records": "_rollup.activity_records",
        "activity_records": "_rollup.activity_records",
        "budget_records": "_rollup.records",
        "budget_totals": "_rollup.budget_totals",
        "cohort_records": "_rollup.records",
        "convert": "_fx.convert",
        "convert_batch": "_fx.convert",
        "deflate": "_prices.deflate",
        "ending_within": "_rollup.timeline",
        "fiscal_year": "_rollup.keys",
        "in_force": "_rollup.timeline",
        "mou_records": "_rollup.records",
        "recipient_of": "_rollup.activity_records",
        "reconcile": "_rollup.reconcile",
        "Report": "_report.model",
        "report": "_report.brief",
        "report_schema": "_report.schema",
        "rollup": "_rollup.aggregate",
        "sector": "_rollup.keys",
        "timeline": "_rollup.timeline",
        "transaction_records": "_rollup.activity_records",
    }
)

# Static, so that every tool reads it; a test checks it against the modules' own lists.
__all__ = [
    "MOU",
    "ONLINE",
    "Activity",
    "ActivityBudgetRecord",
    "ActivityRecord",
    "ActivityStatus",
    "AreaShare",
    "Budget",
    "BudgetKind",
    "BudgetRecord",
    "BudgetTotal",
    "By",
    "City",
    "CitycoopError",
    "Cohort",
    "CohortRecord",
    "Conflict",
    "ConstantPrices",
    "Conversion",
    "ConversionBatch",
    "Coordinates",
    "Country",
    "CountryShare",
    "CsvError",
    "CurrencyInfo",
    "CurrencyMismatchError",
    "DataFileError",
    "DataWarning",
    "Deflation",
    "DocumentError",
    "Economy",
    "ExportStatus",
    "FocusArea",
    "FocusShare",
    "Funding",
    "FundingKind",
    "Group",
    "IatiError",
    "IndexValue",
    "InexactError",
    "InvalidTransitionError",
    "KeyName",
    "Leg",
    "LocalText",
    "Location",
    "MOURecord",
    "MOUStatus",
    "Measure",
    "Method",
    "Milestone",
    "MissingPriceError",
    "MissingRateError",
    "Modality",
    "Money",
    "Official",
    "OrgKind",
    "OrgRole",
    "Organisation",
    "Participant",
    "Period",
    "PlannedDisbursement",
    "PolicyExport",
    "PolicyRequest",
    "Portfolio",
    "PriceIndex",
    "Rate",
    "RatePolicy",
    "RateTable",
    "Reconciliation",
    "Region",
    "RegionShare",
    "Report",
    "ReportedFigures",
    "Rollup",
    "SectorShare",
    "Split",
    "StrategyHorizon",
    "Term",
    "Text",
    "Timeline",
    "TrainingTrack",
    "Transaction",
    "TransactionRecord",
    "TransactionType",
    "Unconverted",
    "UnknownCodeError",
    "ValidationError",
    "Venue",
    "YearRow",
    "__version__",
    "activity_budget_records",
    "activity_records",
    "budget_records",
    "budget_totals",
    "cohort_records",
    "convert",
    "convert_batch",
    "currency_info",
    "datasets",
    "deflate",
    "ending_within",
    "fiscal_year",
    "in_force",
    "mou_records",
    "recipient_of",
    "reconcile",
    "report",
    "report_schema",
    "rollup",
    "sector",
    "timeline",
    "transaction_records",
    "working_days",
]


def __getattr__(name: str) -> Any:
    """Load the lazy names (see ``_LAZY``), ``datasets`` and ``__version__`` on first use."""
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
    """The public API (``__all__``) and the module's own dunder names."""
    names: dict[str, object] = globals()
    return sorted({*__all__, *(name for name in names if name.startswith("__"))})
