"""The optional extras: which packages each unlocks, and a clear error when one is missing."""

from __future__ import annotations

import importlib.util
from types import MappingProxyType
from typing import Final

__all__: list[str] = []

#: Each extra of ``pyproject.toml`` and the packages it brings (``all`` brings every one).
EXTRAS: Final = MappingProxyType(
    {
        "hypothesis": ("hypothesis",),
        "pandas": ("pandas", "pyarrow"),
        "iati": ("lxml",),
        "plot": ("matplotlib", "koreanize_matplotlib"),
        "columnar": ("pyarrow", "duckdb"),
        "progress": ("tqdm",),
        "dask": ("dask", "distributed"),
    }
)


def require(extra: str, user: str) -> None:
    """Raise an :class:`ImportError` naming *extra* if one of its packages is missing.

    *user* is the module that needs them (``"citycoop.io.frames"``). Nothing is
    imported: the packages load when the module first uses them.
    """
    for package in EXTRAS[extra]:
        try:
            found = importlib.util.find_spec(package) is not None
        except (ImportError, ValueError):  # a broken or blocked installation
            found = False
        if not found:
            raise ImportError(
                f'{user} needs {package}, from the extra "{extra}": '
                f'python -m pip install "citycoop[{extra}]" '
                f'(from a clone of the repository: python -m pip install ".[{extra}]")',
                name=package,
            )
