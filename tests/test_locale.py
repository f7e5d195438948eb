"""The one label table: every code-list member and every phrase in every locale."""

from __future__ import annotations

import enum
import string

import pytest

import citycoop
from citycoop import FocusArea, MOUStatus, ValidationError
from citycoop._codes import CodeEnum
from citycoop._locale import CODES, LOCALES, WORDS, code_label

CODE_LISTS = [
    value
    for name in citycoop.__all__
    if isinstance(value := getattr(citycoop, name), type) and issubclass(value, enum.Enum)
]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class TestCompleteness:
    """A missing translation fails here, not in front of a reader."""

    def test_every_public_code_list_is_a_code_enum(self):
        assert CODE_LISTS
        assert all(issubclass(kind, CodeEnum) for kind in CODE_LISTS)

    @pytest.mark.parametrize("locale", LOCALES)
    @pytest.mark.parametrize("kind", CODE_LISTS, ids=lambda kind: kind.__name__)
    def test_every_member_has_a_label(self, kind, locale):
        for member in kind:
            label = member.label_in(locale)
            assert label.strip()
            assert label == code_label(kind.__name__, member.value, locale)

    def test_no_label_for_a_member_that_does_not_exist(self):
        names = {kind.__name__: {m.value for m in kind} for kind in CODE_LISTS}
        assert set(CODES) == set(names)
        for kind, by_locale in CODES.items():
            assert set(by_locale) == set(LOCALES)
            for labels in by_locale.values():
                assert set(labels) == names[kind]

    @pytest.mark.parametrize("locale", LOCALES)
    def test_every_phrase_in_every_locale_with_the_same_placeholders(self, locale):
        assert set(WORDS[locale]) == set(WORDS["en"])
        for key, text in WORDS["en"].items():
            assert _placeholders(WORDS[locale][key]) == _placeholders(text), key


class TestLabels:
    """Labels read as a person would write them."""

    def test_english_labels(self):
        assert FocusArea.E_GOVERNMENT.label == "e-government"
        assert citycoop.ExportStatus.IN_PROGRESS.label == "in progress"

    def test_localized(self):
        assert MOUStatus.SIGNED.label_in("ko") == "체결"
        assert FocusArea.PUBLIC_TRANSPORT.label_in("es") == "transporte público"

    @pytest.mark.parametrize("locale", ["fr", "", None, "KO"])
    def test_unknown_locale(self, locale):
        with pytest.raises(ValidationError, match="locale: .* expected one of en, ko, es"):
            FocusArea.DIGITAL.label_in(locale)
