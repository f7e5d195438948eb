"""The base of citycoop's code lists (statuses, kinds, terms, focus areas)."""

from __future__ import annotations

import enum
import re
from typing import Self

from citycoop._core.errors import UnknownCodeError
from citycoop._core.locale import code_label


class CodeEnum(enum.StrEnum):
    """A string enumeration whose :meth:`parse` names the field and the allowed codes.

    .. versionadded:: 0.1.0
    """

    @classmethod
    def parse(cls, value: object, field: str | None = None) -> Self:
        """Accept a member, its value, or its words in any case (``"in person"``, ``"e-government"``).

        Raises:
            UnknownCodeError: *value* is none of the codes; the message lists them.
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            exact = cls._value2member_map_.get(value)
            if exact is not None:
                return exact  # type: ignore[return-value]
            key = value.strip().lower().replace("-", "_").replace(" ", "_")
            if key in cls._value2member_map_:
                return cls(key)
        raise UnknownCodeError(
            field or cls.__name__, value, f"{_words(cls.__name__)} ({', '.join(cls)})"
        )

    @property
    def label(self) -> str:
        """A readable English label (``"in progress"``, ``"e-government"``)."""
        return code_label(type(self).__name__, self.value)

    def label_in(self, locale: str) -> str:
        """The label in *locale* (``"en"``, ``"ko"`` or ``"es"``).

        >>> from citycoop import FocusArea
        >>> FocusArea.CITIZEN_SAFETY.label_in("es")
        'seguridad ciudadana'

        Raises:
            ValidationError: citycoop does not speak *locale*.

        .. versionadded:: 0.1.0
        """
        return code_label(type(self).__name__, self.value, locale)


def _words(name: str) -> str:
    """``"FocusArea"`` -> ``"focus area"``, ``"MOUStatus"`` -> ``"MOU status"``."""
    words = re.split(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", name)
    return " ".join(word if word.isupper() else word.lower() for word in words)
