"""The one label table: every code-list member and every phrase in every locale."""

from __future__ import annotations

import enum
import string
import subprocess
import sys

import pytest

import citycoop
from citycoop import FocusArea, MOUStatus, ValidationError
from citycoop._core.codes import CodeEnum
from citycoop._core.locale import LOCALES, code_label, words_of

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
        for locale in LOCALES:
            codes = words_of(locale).codes
            assert set(codes) == set(names)
            for kind, labels in codes.items():
                assert set(labels) == names[kind]

    @pytest.mark.parametrize("locale", LOCALES)
    def test_every_phrase_in_every_locale_with_the_same_placeholders(self, locale):
        english, words = words_of("en").words, words_of(locale).words
        assert set(words) == set(english)
        for key, text in english.items():
            assert _placeholders(words[key]) == _placeholders(text), key


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
        with pytest.raises(ValidationError, match="locale: .* expected one of en, es, ko"):
            FocusArea.DIGITAL.label_in(locale)


class TestCounts:
    """Counted phrases follow CLDR plural rules; Korean counts with counters."""

    def test_every_count_has_the_other_form_in_every_locale(self):
        from babel import Locale

        for locale in LOCALES:
            assert set(words_of(locale).counts) == set(words_of("en").counts), locale
            for key, forms in words_of(locale).counts.items():
                assert "other" in forms, (key, locale)
                categories = set(Locale.parse(locale).plural_form.tags) | {"other"}
                assert set(forms) <= categories, (key, locale)
                assert all(_placeholders(form) == {"n"} for form in forms.values())

    @pytest.mark.parametrize(
        ("locale", "key", "n", "expected"),
        [
            ("en", "country", 1, "1 country"),
            ("en", "country", 2, "2 countries"),
            ("en", "case", 0, "0 cases"),
            ("en", "case", 1_000, "1,000 cases"),
            ("es", "case", 1, "1 caso"),
            ("es", "city", 12, "12 ciudades"),
            ("ko", "case", 1, "1건"),
            ("ko", "country", 34, "34개국"),
        ],
    )
    def test_counted(self, locale, key, n, expected):
        from citycoop._report.words import Words

        assert Words(locale).count(key, n) == expected


@pytest.fixture(scope="module")
def lines():
    """The Seoul report in every locale, with the reported value converted into euros."""
    from citycoop import Period, Rate, RateTable
    from citycoop._report.build import build_report

    rates = RateTable([Rate("EUR", "KRW", "1331.51", Period.day("2021-11-24"), "ECB")])
    seoul = citycoop.datasets.seoul()
    return {
        locale: build_report(seoul, locale=locale, currency="EUR", rates=rates).render()
        for locale in LOCALES
    }


class TestReportNumbersAndNames:
    """Percentages, rates and city names as a reader of each locale writes them."""

    def test_korean_counts_with_counters(self, lines):
        assert "사례: 89건 중 12건 (13.5%)" in lines["ko"]
        assert "도시: 60곳 중 10곳 (16.7%)" in lines["ko"]
        assert "국가: 34개국 중 9개국 (26.5%)" in lines["ko"]

    def test_percent_and_decimal_marks_follow_cldr(self, lines):
        assert "casos: 12 de 89 (13,5\u00a0%)" in lines["es"]
        assert "1 EUR = 1.331,51 KRW (24 nov 2021, ECB, invertido)" in lines["es"]
        assert "1 EUR = 1,331.51 KRW (Nov 24, 2021, ECB, inverted)" in lines["en"]

    def test_city_names_from_the_names_table_never_from_time_zones(self, lines):
        # Official Korean usage (the overrides), and names of cities that are no time
        # zone's exemplar city (Wellington's zone is named after Auckland).
        for name in ("키이우", "호찌민", "웰링턴", "울란바토르", "뭄바이", "보고타"):
            assert name in lines["ko"], name
        for stale in ("키예프", "사이공", "Wellington", "Ulan Bator"):
            assert stale not in lines["ko"], stale
        assert "Ulán Bator" in lines["es"]
        assert "Bogotá D.C" not in lines["es"]
        assert "서울 시각" in lines["ko"]  # signed on Seoul's clock, in Korean
        assert "Lima 시각" not in lines["ko"]


class TestWordFiles:
    """Locale words are data: one file a locale, read on first use."""

    def test_import_reads_no_word_file(self):
        code = (
            "import citycoop, citycoop._core.locale as locale; "
            "print(locale.words_of.cache_info().currsize); "
            "citycoop.FocusArea.DIGITAL.label_in('ko'); "
            "print(locale.words_of.cache_info().currsize)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.split() == ["0", "1"]

    def test_the_locales_are_the_files_english_first(self):
        from importlib.resources import files

        folder = files("citycoop").joinpath("_data", "locale")
        names = sorted(p.name.removesuffix(".toml") for p in folder.iterdir())
        assert LOCALES[0] == "en"
        assert sorted(LOCALES) == names


def test_the_locale_list_is_the_folder_of_locale_files():
    from importlib.resources import files

    folder = files("citycoop").joinpath("_data", "locale")
    found = {p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")}
    assert set(LOCALES) == found
    assert LOCALES[0] == "en"  # the first is the fallback
