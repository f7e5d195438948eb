"""Human texts in one or more languages, keyed by BCP 47 language tags.

Every human text of the domain (an MOU's title, an organisation's name, an official's
title, a policy's name, a note) is a :class:`Text`. A plain ``str`` given where a text
belongs means "in the record's language", which the record may not say: it is kept
under the tag ``und`` (BCP 47's "undetermined"). A dataset that states its language
(the TOML format's ``language``) tags its plain strings with it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Final, cast

import attrs

from citycoop._core.errors import ValidationError
from citycoop._core.locale import best_language
from citycoop._core.validation import iterable

__all__ = ["LocalText", "Text"]

#: The tag of a text whose language is not stated (BCP 47 "undetermined").
UNDETERMINED: Final = "und"

# A well-formed BCP 47 language tag (RFC 5646 section 2.1, "langtag" and private use):
# language, then optional script, region, variants, extensions. Letters of any case.
TAG_PATTERN: Final = (
    r"^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+)$"
)
_TAG: Final = re.compile(TAG_PATTERN.removeprefix("^").removesuffix("$"), re.ASCII)
_TAG_EXPECTED: Final = "a BCP 47 language tag such as 'ko', 'es-PE' or 'zh-Hant'"
_EXPECTED: Final = "a non-empty string, or a mapping of BCP 47 tags to non-empty strings"


def language_tag(value: object, field: str, *, strict: bool = False) -> str:
    """*value* as a BCP 47 tag in its conventional case (``es-PE``, ``zh-Hant-TW``).

    ``_`` reads as ``-`` (``ko_KR`` is ``ko-KR``), as locale names write it, unless
    *strict* (a document's tag is written as BCP 47 writes it).

    Raises:
        ValidationError: naming *field*, when *value* is not a well-formed tag.
    """
    if not isinstance(value, str) or (strict and "_" in value):
        raise ValidationError(field, value, _TAG_EXPECTED)
    usual = _usual_case(value)
    if usual is None:
        raise ValidationError(field, value, _TAG_EXPECTED)
    return usual


@functools.lru_cache(maxsize=1024)
def _usual_case(value: str) -> str | None:
    """A well-formed tag in its conventional case, else ``None`` (tags repeat: cached)."""
    if _TAG.fullmatch(value.replace("_", "-")) is None:
        return None
    parts = value.replace("_", "-").lower().split("-")
    out = [parts[0]]
    extension = False  # after a singleton (an extension or private use), all lower case
    for part in parts[1:]:
        extension = extension or len(out[-1]) == 1
        if not extension and len(part) == 4 and part.isalpha():  # a script
            out.append(part.title())
        elif not extension and len(part) == 2 and part.isalpha():  # a region
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)


def _one(tag: object, value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{field}[{tag!r}]" if field else repr(tag), value, "a non-empty string"
        )
    return value


def _is_pair(item: object) -> bool:
    """A ``(tag, text)`` pair, as a text's ``items()`` gives them."""
    return isinstance(item, tuple) and len(cast("tuple[object, ...]", item)) == 2


def _pairs(value: object, field: str, *, strict: bool = False) -> tuple[tuple[str, str], ...]:
    """The (tag, text) pairs of *value*: a ``str``, a mapping, a :class:`Text`."""
    if isinstance(value, Text):
        return value.items()
    if isinstance(value, str):
        if not value.strip():
            raise ValidationError(field, value, _EXPECTED)
        return ((UNDETERMINED, value),)
    if isinstance(value, tuple) and all(map(_is_pair, cast("tuple[object, ...]", value))):
        given: Iterable[tuple[object, object]] = cast("tuple[tuple[object, object], ...]", value)
    elif isinstance(value, Mapping):
        given = cast("Mapping[object, object]", value).items()
    else:
        raise ValidationError(field, value, _EXPECTED)
    pairs: dict[str, str] = {}
    for key, text in given:
        tag = language_tag(key, f"{field}[{key!r}]" if field else repr(key), strict=strict)
        if tag in pairs:
            raise ValidationError(f"{field}[{key!r}]", key, "a tag given once (case is ignored)")
        pairs[tag] = _one(tag, text, field)
    if not pairs:
        raise ValidationError(field, value, _EXPECTED)
    return _ordered(pairs)


def _ordered(pairs: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The original (the first pair) first, then the translations by tag."""
    items = iter(pairs.items())
    first = next(items)
    return (first, *sorted(items))


def _converted(
    value: str | Mapping[str, str] | tuple[tuple[str, str], ...] | Text,
) -> tuple[tuple[str, str], ...]:
    return _pairs(value, "Text")


def checked_text(pairs: Mapping[str, str]) -> Text:
    """A :class:`Text` of tags already in their usual case and non-empty strings.

    For readers that checked each value as they read it; the original is the first.
    """
    return _made(_ordered(pairs))


_NEW: Final = object.__new__
_SET: Final = object.__setattr__


def untagged_text(value: str) -> Text:
    """A :class:`Text` in one unstated language, from a non-blank ``str`` already checked."""
    text = _NEW(Text)
    _SET(text, "_texts", ((UNDETERMINED, value),))
    return text


def _made(pairs: tuple[tuple[str, str], ...]) -> Text:
    """A :class:`Text` of pairs already checked (no second pass over the tags)."""
    text = _NEW(Text)
    _SET(text, "_texts", pairs)
    return text


@attrs.frozen(eq=True, repr=False)
class LocalText:
    """A text as :meth:`Text.in_` found it for a reader's language.

    ``language`` is the tag of the text given; ``fell_back`` is true when that is not
    what was asked for (BCP 47 lookup found no text in *wanted*, so the original is
    given). ``str()`` gives the text.

    .. versionadded:: 0.1.0
    """

    text: str
    language: str
    wanted: str
    fell_back: bool

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        extra = ", fell back" if self.fell_back else ""
        return f"LocalText({self.text!r}, {self.language!r}{extra})"


@attrs.frozen(repr=False)
class Text:
    """A human text in one or more languages: one string per BCP 47 language tag.

    Give a ``str`` (its language unstated: tag ``und``) or a mapping of tags to
    strings; the first entry is the original, the rest translations. Tags are checked
    and written in their conventional case. Two texts are equal when their originals
    and their translations are (the translations are kept in order of their tags).
    ``str(text)`` is the original.

    >>> title = Text({"en": "Smart City Cooperation MOU", "ko": "스마트시티 협력 업무협약"})
    >>> str(title), title.languages
    ('Smart City Cooperation MOU', ('en', 'ko'))
    >>> title.in_("ko-KR")
    LocalText('스마트시티 협력 업무협약', 'ko')
    >>> title.in_("es")
    LocalText('Smart City Cooperation MOU', 'en', fell back)
    >>> Text("Seoul Metropolitan Government")
    Text('Seoul Metropolitan Government')

    .. versionadded:: 0.1.0
    """

    _texts: tuple[tuple[str, str], ...] = attrs.field(alias="texts", converter=_converted)

    @property
    def original(self) -> str:
        """The first text given."""
        return self._texts[0][1]

    @property
    def language(self) -> str:
        """The tag of the original (``"und"`` when not stated)."""
        return self._texts[0][0]

    @property
    def languages(self) -> tuple[str, ...]:
        """The tags, the original's first, then the translations' in order."""
        return tuple(tag for tag, _ in self._texts)

    def items(self) -> tuple[tuple[str, str], ...]:
        """The (tag, text) pairs, original first."""
        return self._texts

    def as_dict(self) -> dict[str, str]:
        """The texts by tag, original first."""
        return dict(self._texts)

    def get(self, tag: str) -> str | None:
        """The text under exactly *tag* (any case), or ``None``."""
        wanted = language_tag(tag, "tag")
        return next((text for key, text in self._texts if key == wanted), None)

    def in_(self, locale: str) -> LocalText:
        """The text for a reader of *locale*, by BCP 47 lookup, else the original.

        ``es-PE`` is served by ``es-PE``, then ``es``, then any ``es-*``; a text whose
        language is not stated (``und``) never counts as a match, so reading it in any
        language falls back.
        """
        wanted = language_tag(locale, "locale")
        tags = [None if tag == UNDETERMINED else tag for tag, _ in self._texts]
        found = best_language(wanted, tags)
        index = 0 if found is None else found
        tag, text = self._texts[index]
        return LocalText(text, tag, wanted, found is None)

    def with_text(self, tag: str, text: str) -> Text:
        """A copy with *text* under *tag* (replacing the one there, else added)."""
        key = language_tag(tag, "tag")
        _one(key, text, "text")
        pairs = dict(self._texts)
        pairs[key] = text
        return _made(_ordered(pairs))

    def __str__(self) -> str:
        return self.original

    def __repr__(self) -> str:
        if self._texts[0][0] == UNDETERMINED and len(self._texts) == 1:
            return f"Text({self.original!r})"
        return f"Text({dict(self._texts)!r})"

    def __lt__(self, other: object) -> bool:
        """Texts sort by their originals (then by the rest), as strings do."""
        if not isinstance(other, Text):
            return NotImplemented
        return (self.original, self._texts) < (other.original, other._texts)


def text_field(value: Text | str | Mapping[str, str], field: str = "") -> Text:
    """Converter of a required text field: a :class:`Text`, a ``str`` or a mapping."""
    if isinstance(value, Text):
        return value
    return _made(_pairs(value, field))


def document_text(value: object, field: str) -> Text:
    """A text as a document writes it: a string, or an object of BCP 47 tags to strings.

    Tags are taken as BCP 47 writes them (``ko-KR``, not ``ko_KR``); anything else is
    refused, naming *field*.
    """
    return _made(_pairs(value, field, strict=True))


def as_document(text: Text) -> str | dict[str, str]:
    """A text as a document writes it, and :func:`document_text` reads it back.

    A string for one text in no stated language, else an object of tags to strings.
    """
    pairs = text.items()
    if len(pairs) == 1 and pairs[0][0] == UNDETERMINED:
        return pairs[0][1]
    return dict(pairs)


def optional_text_field(
    value: Text | str | Mapping[str, str] | None, field: str = ""
) -> Text | None:
    """Converter of an optional text field (``None`` is "not stated")."""
    return None if value is None else text_field(value, field)


def texts_field(
    value: Iterable[Text | str | Mapping[str, str]], field: str = ""
) -> tuple[Text, ...]:
    """Converter of a tuple of texts; a bad item is named by its index."""
    if isinstance(value, str | Text):
        raise ValidationError(field, value, "an iterable of texts (a list, a tuple)")
    return tuple(
        text_field(item, f"{field}[{index}]") for index, item in enumerate(iterable(value, field))
    )


def joined(texts: Iterable[Text], separator: str) -> Text:
    """*texts* joined in each language all of them have (in the first's order).

    Without a language in common, their originals are joined, in an unstated language.

    >>> joined([Text({"en": "CCTV", "ko": "CCTV"}), Text({"en": "Smart poles", "ko": "스마트폴"})], "; ")
    Text({'en': 'CCTV; Smart poles', 'ko': 'CCTV; 스마트폴'})
    """
    items = list(texts)
    if not items:
        raise ValidationError("texts", items, "at least one text")
    common = [tag for tag in items[0].languages if all(t.get(tag) is not None for t in items)]
    if not common:
        return _made(((UNDETERMINED, separator.join(t.original for t in items)),))
    return _made(
        tuple((tag, separator.join(cast("str", t.get(tag)) for t in items)) for tag in common)
    )


def texts_of(value: object) -> Iterator[Text]:
    """Every :class:`Text` held in *value* (attrs objects, tuples), each object once."""
    seen: set[int] = set()
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Text):
            yield item
        elif isinstance(item, tuple | list):
            stack.extend(reversed(cast("tuple[object, ...]", item)))
        else:
            kind = type(item)
            if attrs.has(kind) and id(item) not in seen:
                seen.add(id(item))
                stack.extend(getattr(item, field.name) for field in reversed(attrs.fields(kind)))
