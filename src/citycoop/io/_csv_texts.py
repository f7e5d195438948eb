"""Texts in the tabular formats (CSV, data frames, Arrow): a column per language.

A text column (``policy``, ``note``, the organisations' ``name``) holds each text as
first written; a column named after it and a BCP 47 tag (``policy@ko``) holds its
version in that language. The ``language`` column says what the originals are written
in: a tag for the row (``en``), then, for a text first written in another language,
``;column=tag`` (``en;funder_name=ko``; ``und`` where a text's language is not stated).
Blank, or a table without the column, means no language is stated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from citycoop._core.errors import CsvError, ValidationError
from citycoop._core.text import UNDETERMINED, Text, language_tag

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from citycoop._domain.exports import PolicyExport

__all__ = [
    "TEXT_COLUMNS",
    "given_translations",
    "language_cell",
    "text_cells",
    "translation_column",
    "translation_columns",
    "translations_of",
]

#: The columns that hold texts, each with its versions in other languages (``policy@ko``).
TEXT_COLUMNS: Final = ("policy", "funder_name", "implementer_name", "note")
_LANGUAGE_CELL: Final = "a tag such as 'en', then ';column=tag' for a text in another"


def translation_column(column: str) -> tuple[str, str] | None:
    """``(text column, tag)`` of a column such as ``policy@ko``, else ``None``.

    Raises:
        ValidationError: a text column's name with a tag that is not BCP 47.
    """
    base, at, tag = column.partition("@")
    if not at or base not in TEXT_COLUMNS:
        return None
    return base, language_tag(tag, column, strict=True)


def _translation(column: str) -> tuple[str, str] | None:
    try:
        return translation_column(column)
    except ValidationError:  # a table's columns are checked before its rows are read
        return None


def given_translations(columns: Iterable[str], name: str) -> list[str]:
    """The translation columns among a table's *columns*, each language once.

    Raises:
        CsvError: a text column's name with a bad tag, or one language given twice
            (``policy@ko`` and ``policy@KO``).
    """
    found: list[str] = []
    seen: set[tuple[str, str]] = set()
    twice: list[str] = []
    for column in columns:
        try:
            key = translation_column(column)
        except ValidationError as error:
            raise CsvError(name, [str(error)]) from None
        if key is None:
            continue
        found.append(column)
        if key in seen:
            twice.append(column)
        seen.add(key)
    if twice:
        raise CsvError(name, [f"columns given twice {twice}"])
    return found


def _texts_of(case: PolicyExport) -> tuple[tuple[str, Text | None], ...]:
    funder = case.funding.funder if case.funding is not None else None
    return (
        ("policy", case.policy),
        ("funder_name", None if funder is None else funder.name),
        ("implementer_name", None if case.implementer is None else case.implementer.name),
        ("note", case.note),
    )


def language_cell(case: PolicyExport) -> str:
    """The ``language`` cell of *case*: the policy's language, then any text's other one."""
    row = case.policy.language
    parts = ["" if row == UNDETERMINED else row]
    parts += [
        f"{column}={text.language}"
        for column, text in _texts_of(case)[1:]
        if text is not None and text.language != row
    ]
    return ";".join(parts) if len(parts) > 1 else parts[0]


def translations_of(case: PolicyExport) -> dict[str, str]:
    """The cells of *case*'s translation columns (``{"policy@ko": "..."}``)."""
    return {
        f"{column}@{tag}": string
        for column, text in _texts_of(case)
        if text is not None
        for tag, string in text.items()[1:]
    }


def translation_columns(cells: Iterable[Mapping[str, str]]) -> list[str]:
    """The translation columns *cells* (rows of :func:`translations_of`) use, in order."""
    found = {column for row in cells for column in row}
    order = {column: index for index, column in enumerate(TEXT_COLUMNS)}
    return sorted(found, key=lambda c: (order[c.partition("@")[0]], c))


def _languages(cell: str) -> dict[str, str]:
    """The ``language`` cell read: text column (``""`` for the row) -> tag."""
    first, *rest = cell.split(";")
    found = {"": language_tag(first, "language", strict=True) if first else UNDETERMINED}
    for part in rest:
        column, equals, tag = part.partition("=")
        if not equals or column not in TEXT_COLUMNS[1:] or column in found:
            raise ValidationError("language", cell, _LANGUAGE_CELL)
        found[column] = language_tag(tag, "language", strict=True)
    return found


def text_cells(cells: Mapping[str, str], column: str) -> str | dict[str, str] | None:
    """The text of *column* in a row's *cells*, as a ``Text`` constructor takes it.

    Raises:
        ValidationError: naming the column: a version without the text itself, a
            version in the original's own language, or a bad ``language`` cell.
    """
    original = cells.get(column) or None
    versions: dict[str, str] = {}
    for name, cell in cells.items():
        found = _translation(name) if cell else None
        if found is not None and found[0] == column:
            versions[found[1]] = cell
    if original is None:
        if versions:
            tag = next(iter(versions))
            raise ValidationError(f"{column}@{tag}", versions[tag], f"a text in {column!r} too")
        return None
    given = cells.get("language") or ""
    if not given and not versions:
        return original
    languages = _languages(given)
    tag = languages.get(column, languages[""])
    if tag in versions:
        raise ValidationError(f"{column}@{tag}", versions[tag], f"a language other than {tag!r}")
    return {tag: original, **versions}
