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

from citycoop._core.errors import *  # noqa: F403
from citycoop._core.money import *  # noqa: F403
from citycoop._core.places import *  # noqa: F403
from citycoop._core.time import *  # noqa: F403

# The values and the domain load with the package; each module's `__all__` names its
# public classes.
from citycoop._domain.agreements import *  # noqa: F403
from citycoop._domain.budgets import *  # noqa: F403
from citycoop._domain.focus import *  # noqa: F403
from citycoop._domain.horizons import *  # noqa: F403
from citycoop._domain.parties import *  # noqa: F403
from citycoop._domain.training import *  # noqa: F403

if TYPE_CHECKING:  # export cases, portfolios and the function layer: loaded on first use
    from citycoop import datasets as datasets
    from citycoop._domain.activities import *  # noqa: F403
    from citycoop._domain.exports import *  # noqa: F403
    from citycoop._domain.portfolio import *  # noqa: F403
    from citycoop._fx.convert import *  # noqa: F403
    from citycoop._fx.rates import *  # noqa: F403
    from citycoop._fx.table import *  # noqa: F403
    from citycoop._prices.deflate import *  # noqa: F403
    from citycoop._prices.index import *  # noqa: F403
    from citycoop._prices.values import *  # noqa: F403
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

#: The public names that load on first use, by module: the one list of them. The function
#: layer, export cases and portfolios wait, so that `import citycoop` costs little more
#: than its dependencies.
_LAZY: Final = MappingProxyType(
    {
        "_domain.activities": (
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
        "_rollup.activity_records": (
            "ActivityBudgetRecord",
            "ActivityRecord",
            "AreaShare",
            "TransactionRecord",
            "activity_budget_records",
            "activity_records",
            "recipient_of",
            "transaction_records",
        ),
        "_rollup.budget_totals": ("BudgetTotal", "budget_totals"),
        "_fx.convert": ("Conversion", "ConversionBatch", "convert", "convert_batch"),
        "_prices.deflate": ("ConstantPrices", "Deflation", "Method", "deflate"),
        "_domain.exports": (
            "ExportStatus",
            "FocusShare",
            "Funding",
            "FundingKind",
            "PolicyExport",
            "PolicyRequest",
        ),
        "_rollup.keys": ("By", "KeyName", "Split", "fiscal_year", "sector"),
        "_domain.portfolio": ("Portfolio", "ReportedFigures"),
        "_prices.values": ("Economy", "IndexValue"),
        "_prices.index": ("PriceIndex",),
        "_fx.table": ("RateTable",),
        "_fx.rates": ("Leg", "Rate", "RatePolicy"),
        "_rollup.reconcile": ("Reconciliation", "reconcile"),
        "_report.schema": ("report_schema",),
        "_rollup.records": (
            "BudgetRecord",
            "CohortRecord",
            "MOURecord",
            "budget_records",
            "cohort_records",
            "mou_records",
        ),
        "_rollup.result": ("Conflict", "Group", "Measure", "Rollup", "Unconverted"),
        "_rollup.aggregate": ("rollup",),
        "_rollup.timeline": ("Timeline", "YearRow", "ending_within", "in_force", "timeline"),
    }
)
_EAGER: Final = (
    "_domain.agreements",
    "_domain.budgets",
    "_core.errors",
    "_domain.focus",
    "_domain.horizons",
    "_core.money",
    "_domain.parties",
    "_core.places",
    "_core.time",
    "_domain.training",
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
