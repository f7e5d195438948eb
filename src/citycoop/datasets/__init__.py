r"""Embedded, sourced data.

:func:`seoul` is the Seoul Metropolitan Government's smart-city cooperation as public
sources state it: the Seoul–Guayaquil (2020) and Seoul–Lima (2021) MOUs, export cases,
the requests from Kyiv and Guayaquil, reported headline figures from 2015 to 2021, and
training programmes. Every record names its sources; what no source states is left
unknown (an export case without a stated value has ``value=None``).

The data is a file of the TOML dataset format (:mod:`citycoop.io.toml`), read with
:func:`~citycoop.io.toml.loads_toml`; ``load_toml``, ``loads_toml``, ``dataset_schema``,
``FORMAT`` and ``SCHEMA`` stay importable from here.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import TYPE_CHECKING

from citycoop.io.toml import (
    FORMAT,
    SCHEMA,
    dataset_schema,
    dumps_toml,
    load_toml,
    loads_toml,
    write_toml,
)

if TYPE_CHECKING:
    from citycoop._domain.portfolio import Portfolio

__all__ = [
    "FORMAT",
    "SCHEMA",
    "dataset_schema",
    "dumps_toml",
    "load_toml",
    "loads_toml",
    "seoul",
    "write_toml",
]


@functools.cache
def seoul() -> Portfolio:
    """The embedded Seoul portfolio (built once, then shared: it is immutable).

    >>> p = seoul()
    >>> str(p.owner.name), len(p.mous), p.latest_reported().cases
    ('Seoul Metropolitan Government', 2, 89)
    >>> p.owner.name.in_("ko")
    LocalText('서울시', 'ko')
    """
    text = files("citycoop.datasets").joinpath("seoul.toml").read_text(encoding="utf-8")
    return loads_toml(text, name="citycoop/datasets/seoul.toml")
