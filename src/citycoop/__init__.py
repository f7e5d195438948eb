"""citycoop: typed, exact models of smart-city cooperation between cities.

>>> import citycoop
>>> portfolio = citycoop.datasets.seoul()
>>> [mou.title for mou in portfolio.mous]  # doctest: +NORMALIZE_WHITESPACE
['Seoul-Guayaquil Smart City Cooperation MOU', 'Seoul-Lima Smart City Cooperation MOU']
"""

from __future__ import annotations

import sys
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

# The values and the domain load with the package; each module's `__all__` names its
# public classes.
from citycoop._agreements import *  # noqa: F403
from citycoop._budgets import *  # noqa: F403
from citycoop._errors import *  # noqa: F403
from citycoop._focus import *  # noqa: F403
from citycoop._horizons import *  # noqa: F403
from citycoop._money import *  # noqa: F403
from citycoop._parties import *  # noqa: F403
from citycoop._places import *  # noqa: F403
from citycoop._time import *  # noqa: F403
from citycoop._training import *  # noqa: F403

if TYPE_CHECKING:  # export cases, portfolios and the function layer: loaded on first use
    from citycoop import datasets as datasets
    from citycoop._activities import *  # noqa: F403
    from citycoop._activity_records import *  # noqa: F403
    from citycoop._budget_totals import *  # noqa: F403
    from citycoop._convert import *  # noqa: F403
    from citycoop._deflate import *  # noqa: F403
    from citycoop._exports import *  # noqa: F403
    from citycoop._grouping import *  # noqa: F403
    from citycoop._index_values import *  # noqa: F403
    from citycoop._portfolio import *  # noqa: F403
    from citycoop._prices import *  # noqa: F403
    from citycoop._rate_table import *  # noqa: F403
    from citycoop._rates import *  # noqa: F403
    from citycoop._reconcile import *  # noqa: F403
    from citycoop._records import *  # noqa: F403
    from citycoop._report import *  # noqa: F403
    from citycoop._rollups import *  # noqa: F403
    from citycoop._timeline import *  # noqa: F403

    __version__: str

#: The public names that load on first use, by module: the one list of them. The function
#: layer, export cases and portfolios wait, so that `import citycoop` costs little more
#: than its dependencies.
_LAZY: Final = MappingProxyType(
    {
        "_activities": (
            "Activity",
            "ActivityStatus",
            "CountryShare",
            "Location",
            "Narrative",
            "OrgRole",
            "Participant",
            "PlannedDisbursement",
            "RegionShare",
            "SectorShare",
            "Transaction",
            "TransactionType",
        ),
        "_activity_records": (
            "ActivityBudgetRecord",
            "ActivityRecord",
            "AreaShare",
            "TransactionRecord",
            "activity_budget_records",
            "activity_records",
            "recipient_of",
            "transaction_records",
        ),
        "_budget_totals": ("BudgetTotal", "budget_totals"),
        "_convert": ("Conversion", "ConversionBatch", "convert", "convert_batch"),
        "_deflate": ("ConstantPrices", "Deflation", "Method", "deflate"),
        "_exports": (
            "ExportStatus",
            "FocusShare",
            "Funding",
            "FundingKind",
            "PolicyExport",
            "PolicyRequest",
        ),
        "_grouping": ("By", "KeyName", "Split", "fiscal_year", "sector"),
        "_portfolio": ("Portfolio", "ReportedFigures"),
        "_index_values": ("Economy", "IndexValue"),
        "_prices": ("PriceIndex",),
        "_rate_table": ("RateTable",),
        "_rates": ("Leg", "Rate", "RatePolicy"),
        "_reconcile": ("Reconciliation", "reconcile"),
        "_report": ("report_schema",),
        "_records": (
            "BudgetRecord",
            "CohortRecord",
            "MOURecord",
            "budget_records",
            "cohort_records",
            "mou_records",
        ),
        "_rollups": ("Conflict", "Group", "Measure", "Rollup", "Unconverted", "rollup"),
        "_timeline": ("Timeline", "YearRow", "ending_within", "in_force", "timeline"),
    }
)
_EAGER: Final = (
    "_agreements",
    "_budgets",
    "_errors",
    "_focus",
    "_horizons",
    "_money",
    "_parties",
    "_places",
    "_time",
    "_training",
)
_MODULE_OF: Final = MappingProxyType(
    {name: module for module, names in _LAZY.items() for name in names}
)

# Derived from the tables above; pyright reads the names from the imports instead.
__all__ = sorted(  # noqa: PLE0605  # pyright: ignore[reportUnsupportedDunderAll]
    {
        "__version__",
        "datasets",
        *_MODULE_OF,
        *(name for module in _EAGER for name in sys.modules[f"citycoop.{module}"].__all__),
    }
)


def __getattr__(name: str) -> Any:
    """Load the lazy names (see ``_LAZY``), ``datasets`` and ``__version__`` on first use."""
    import importlib

    if name == "__version__":
        from importlib.metadata import version

        return version("citycoop")
    if name == "datasets":
        return importlib.import_module("citycoop.datasets")
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'citycoop' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"citycoop.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    """The public API (``__all__``) and the module's own dunder names."""
    names: dict[str, object] = globals()
    return sorted({*__all__, *(name for name in names if name.startswith("__"))})
