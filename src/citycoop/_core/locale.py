"""Every word citycoop shows a reader, in every supported locale: data, one file a locale.

Names of places, currencies, dates and numbers come from CLDR (babel); the words are
citycoop's own, in ``_data/locale/<locale>.toml``, one shape for every locale: the
report's phrases (``[words]``), counted nouns by CLDR plural category (``[counts]``),
and a label for every member of every code list (``[codes]``, keyed by the code list's
class name and the member's value). A file is read on first use; the locales are the
files there, English first. This module imports nothing of the domain, so the domain may
use it; a test checks that every locale has every key English has.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Final, NamedTuple

from citycoop._core.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__: list[str] = []

#: The locales citycoop speaks: one file each under ``_data/locale`` (a test checks the
#: folder against this list; listing it here keeps ``import citycoop`` from reading it).
LOCALES: Final = ("en", "es", "ko")


class LocaleWords(NamedTuple):
    """One locale's words, as its file holds them."""

    #: The report's phrases; placeholders in braces are filled by the report.
    words: Mapping[str, str]
    #: Counted nouns: key -> CLDR plural category -> text with ``{n}``.
    counts: Mapping[str, Mapping[str, str]]
    #: Code-list labels: class name -> member value -> label.
    codes: Mapping[str, Mapping[str, str]]


def check_locale(locale: object, field: str = "locale") -> str:
    """*locale* if citycoop speaks it, else a :class:`ValidationError` naming *field*."""
    if not isinstance(locale, str) or locale not in LOCALES:
        raise ValidationError(field, locale, "one of " + ", ".join(LOCALES))
    return locale


@functools.cache
def words_of(locale: str) -> LocaleWords:
    """The words of *locale* (checked), read from its file once."""
    import tomllib
    from importlib.resources import files

    name = f"{check_locale(locale)}.toml"
    text = files("citycoop").joinpath("_data", "locale", name).read_text(encoding="utf-8")
    table = tomllib.loads(text)
    return LocaleWords(table["words"], table["counts"], table["codes"])


def code_label(kind: str, value: str, locale: str = "en") -> str:
    """The label of member *value* of code list *kind* in *locale*."""
    return words_of(locale).codes[kind][value]


def best_language(wanted: str, tags: Iterable[str | None]) -> int | None:
    """The index of the tag that best serves *wanted*, by BCP 47 matching, or ``None``.

    Tags compare case-insensitively (``EN`` is ``en``; ``_`` reads as ``-``). The exact
    tag wins; then *wanted* is shortened a subtag at a time (``es-PE`` then ``es``, RFC
    4647 lookup); then a tag that *wanted* is a prefix of (``en`` serves ``en-GB``).

    >>> best_language("es-PE", ["en", "ES", "es-pe"])
    2
    >>> best_language("es-PE", ["en", "ES"])
    1
    >>> best_language("en", [None, "en-GB"])
    1
    >>> best_language("fr", ["en"]) is None
    True
    """
    found = [(tag or "").replace("_", "-").lower() for tag in tags]
    want = wanted.replace("_", "-").lower()
    while want:
        if want in found:
            return found.index(want)
        want = want.rpartition("-")[0]
    prefix = wanted.replace("_", "-").lower() + "-"
    return next((i for i, tag in enumerate(found) if tag.startswith(prefix)), None)
