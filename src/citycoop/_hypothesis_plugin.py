"""Registers citycoop's types with :func:`hypothesis.strategies.from_type`.

Hypothesis calls :func:`_hypothesis_setup_hook` through the ``hypothesis`` entry point
(unless ``HYPOTHESIS_NO_PLUGINS`` is set). The table of which strategy draws which type
is the strategies' own ``@for_type`` declarations; each strategy is built, and its
arguments checked, only when ``from_type`` first draws from it, and nothing here imports
pint or pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from hypothesis.strategies import SearchStrategy


def _resolver(strategy: Callable[[], SearchStrategy[Any]]) -> Any:
    def resolve(_type: type) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        # Deferred: the strategy is built, and its arguments checked, on first draw.
        return st.deferred(strategy)

    return resolve


def _hypothesis_setup_hook() -> None:  # pyright: ignore[reportUnusedFunction] - an entry point
    """Register every public citycoop type for ``st.from_type`` (enums resolve natively).

    Which strategy draws which type is declared once, by ``@for_type`` on the strategy
    (``citycoop.strategies._base.FOR_TYPE``).
    """
    from hypothesis import strategies as st

    import citycoop
    from citycoop.strategies._base import FOR_TYPE

    for type_name, strategy in FOR_TYPE.items():
        st.register_type_strategy(getattr(citycoop, type_name), _resolver(strategy))
