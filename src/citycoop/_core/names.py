"""City names in the reader's language: a cited table of names, and official overrides.

Names come from ``_data/city_names.csv``, an extract of the Countries States Cities
Database (https://github.com/dr5hn/countries-states-cities-database, ODbL v1.0: "Data
by Countries States Cities Database"), matched by country and English name (without
case or accents; the most populous city where a country has several of that name).
``_data/city_names_overrides.toml`` corrects and completes it with official usage, each
entry citing its source (Korean: the National Institute of Korean Language's standard
forms; Spanish: the Real Academia Española's list of capitals). A city found in neither
keeps its recorded name: a name is never taken from a time zone's exemplar city, and
never made up.
"""

from __future__ import annotations

import csv
import functools
import io
import tomllib
from importlib.resources import files
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from citycoop._core.locale import best_language
from citycoop._core.places import folded

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["LANGUAGES", "city_name", "name_sources"]

#: The names table's source and licence, as its attribution asks.
TABLE_SOURCE: Final = (
    "Countries States Cities Database "
    "(https://github.com/dr5hn/countries-states-cities-database), ODbL v1.0"
)
#: The languages the names table gives, besides English (the recorded names).
LANGUAGES: Final = ("ko", "es")


def _data(name: str) -> str:
    return files("citycoop").joinpath("_data", name).read_text(encoding="utf-8")


@functools.cache
def _overrides() -> tuple[Mapping[str, Any], ...]:
    """The override entries, read once."""
    return tuple(tomllib.loads(_data("city_names_overrides.toml"))["city"])


@functools.cache
def _table() -> Mapping[tuple[str, str], Mapping[str, str]]:
    """(country, folded English name) -> language -> name, overrides applied."""
    names: dict[tuple[str, str], dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(_data("city_names.csv"))):
        given = {language: row[f"name_{language}"] for language in LANGUAGES}
        names[row["country"], folded(row["name_en"].strip())] = {
            k: v for k, v in given.items() if v
        }
    for entry in _overrides():
        spellings = [entry["en"], *entry.get("also", [])]
        found: dict[str, str] = {}
        for spelling in spellings:  # what the table has under any spelling, then the entry's
            found.update(names.get((entry["country"], folded(spelling.strip())), {}))
        found.update({language: entry[language] for language in LANGUAGES if language in entry})
        for spelling in spellings:
            names[entry["country"], folded(spelling.strip())] = found
    return MappingProxyType({key: MappingProxyType(value) for key, value in names.items()})


def city_name(name: str, country: str, locale: str) -> str | None:
    """The name of the city *name* in *country* in *locale*'s language, or ``None``.

    ``None`` means the table has no name for it in that language (English included:
    the recorded name is the English one).

    >>> city_name("Kyiv", "UA", "ko"), city_name("Ho Chi Minh City", "VN", "ko-KR")
    ('키이우', '호찌민')
    >>> city_name("Bogota", "CO", "es"), city_name("Lima", "PE", "en")
    ('Bogotá', None)
    """
    index = best_language(locale, LANGUAGES)
    if index is None:
        return None
    return _table().get((country, folded(name.strip())), {}).get(LANGUAGES[index])


def name_sources() -> tuple[str, ...]:
    """Where the names come from, for a page or a report that shows them."""
    cited = sorted({entry["source"] for entry in _overrides()})
    return (TABLE_SOURCE, *cited)
