"""What every strategy module shares: lazy building, argument checks, names and text."""

# st.builds passes drawn values to lambdas that pyright cannot type; every public
# strategy's own return type is declared.
# pyright: reportUnknownLambdaType=false, reportUnknownArgumentType=false

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any, TypeVar, cast

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

if TYPE_CHECKING:
    from collections.abc import Callable

    from hypothesis.strategies import SearchStrategy


_T = TypeVar("_T")
_F = TypeVar("_F", bound="Callable[..., Any]")

MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2060, 12, 31)
_NAME = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Lo"), exclude_characters="\x00"),
    min_size=1,
    max_size=12,
)


def _joined(first: str, rest: str) -> str:
    return f"{first} {rest}".strip()


NAMES = st.builds(_joined, _NAME, st.sampled_from(["", "City", "Metro", "Region"]))


# Free text as people type it, and as a spreadsheet or a parser might misread it.
TEXT = st.one_of(
    st.sampled_from(
        ["=1+2", "-12.05", "+82 2 120", "@SUM(A1)", "'quoted", 'say "hi"', "a; b", "two\nlines"]
    ),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20).filter(str.strip),
)


def shared(factory: _F) -> _F:
    """Give the same strategy object for the same arguments (the last 256 kinds of call).

    Hypothesis checks and prepares a strategy object once, on its first draw; a factory
    called again inside a composite (``draw(countries())`` for every city) would make it
    check a new object on every draw. Arguments that cannot be hashed (a list) give a
    new strategy each time, as before; the memo is bounded, so factories called with
    drawn arguments (a drawn period) do not grow it without end.
    """
    remembered = functools.lru_cache(maxsize=256)(factory)

    @functools.wraps(factory)
    def make(*args: Any, **kwargs: Any) -> Any:
        try:
            return remembered(*args, **kwargs)
        except TypeError as error:
            if "unhashable" not in str(error):
                raise
            return factory(*args, **kwargs)

    return cast("_F", make)


def lazy(build: Callable[[], SearchStrategy[_T]]) -> SearchStrategy[_T]:
    """Defer building (and checking the arguments of) a strategy until it is drawn from."""
    return st.deferred(build)


def check(condition: bool, message: str) -> None:
    """Refuse a strategy's argument as Hypothesis does (``InvalidArgument``)."""
    if not condition:
        raise InvalidArgument(message)


#: The strategy of each public citycoop type, by the type's name: filled by
#: :func:`for_type`, read by citycoop's Hypothesis plugin to register them for
#: ``st.from_type``. The one table of which strategy draws which type.
FOR_TYPE: dict[str, Callable[[], SearchStrategy[Any]]] = {}


def for_type(*names: str) -> Callable[[_F], _F]:
    """Register the decorated strategy for the citycoop types *names* (``st.from_type``)."""

    def register(strategy: _F) -> _F:
        for name in names:
            known = FOR_TYPE.setdefault(name, strategy)
            # The same strategy met again (its module imported twice, as pytest's doctest
            # collection may) keeps the first; another strategy for the type is a mistake.
            if known.__qualname__ != strategy.__qualname__:
                message = f"{name} already has the strategy {known.__name__}"
                raise ValueError(message)
        return strategy

    return register
