"""The IATI 2.03 code lists the IATI reader checks codes against.

The table ``_data/iati_codes.csv`` holds, for each list, every code with its English name
and whether it is withdrawn (withdrawn codes are still read: old files use them). It is
written from the official lists by ``scripts/iati_codelists.py``; the OECD DAC sector
lists include the codes added since the 2.03 release. Source: IATI Standard
(http://iatistandard.org/), CC BY 4.0.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib.resources import files
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["code_names", "is_code"]


@functools.cache
def _lists() -> Mapping[str, Mapping[str, str]]:
    text = files("citycoop").joinpath("_data", "iati_codes.csv").read_text(encoding="utf-8")
    lists: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        lists.setdefault(row["list"], {})[row["code"]] = row["name"]
    return MappingProxyType({name: MappingProxyType(codes) for name, codes in lists.items()})


def code_names(codelist: str) -> Mapping[str, str]:
    """Every code of an IATI code list (such as ``"Sector"``) with its English name."""
    return _lists()[codelist]


def is_code(codelist: str, code: str) -> bool:
    """Whether *code* is in the IATI code list *codelist* (withdrawn codes included)."""
    return code in _lists()[codelist]
