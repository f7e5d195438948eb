"""City names in the reader's language (`citycoop._core.names`)."""

from __future__ import annotations

import tomllib
from importlib.resources import files

import pytest

from citycoop._core.names import LANGUAGES, TABLE_SOURCE, city_name, name_sources


class TestCityName:
    @pytest.mark.parametrize(
        ("name", "country", "locale", "expected"),
        [
            ("Kyiv", "UA", "ko", "키이우"),  # official since 2022: never 키예프
            ("Ho Chi Minh City", "VN", "ko", "호찌민"),  # the override, not the table's 호치민시
            ("Saigon", "VN", "ko", "호찌민"),  # another spelling of the same city
            ("Bogota", "CO", "es", "Bogotá"),  # without the table's "D.C."
            ("BOGOTÁ D.C.", "CO", "ko", "보고타"),
            ("Ulan Bator", "MN", "es-MX", "Ulán Bator"),
            ("Wellington", "NZ", "ko-KR", "웰링턴"),  # no time zone is named after it
            ("Hanoi", "VN", "es", "Hanói"),  # missing from the table: the override gives it
            ("Mumbai", "IN", "es", None),  # no cited Spanish form: the recorded name stays
            ("Lima", "PE", "en", None),  # the recorded name is the English one
            ("Lima", "PE", "fr", None),  # a language the table does not give
            ("Atlantis", "GR", "ko", None),  # not in the table: never made up
            ("Lima", "EC", "ko", None),  # the country is part of the key
        ],
    )
    def test_names(self, name, country, locale, expected):
        assert city_name(name, country, locale) == expected

    def test_every_override_names_its_city_and_cites_its_source(self):
        text = files("citycoop").joinpath("_data", "city_names_overrides.toml").read_text("utf-8")
        for entry in tomllib.loads(text)["city"]:
            assert set(entry) <= {"country", "en", "also", "source", *LANGUAGES}, entry
            assert len(entry["country"]) == 2
            assert any(language in entry for language in LANGUAGES), entry
            assert entry["source"].strip()
            for language in LANGUAGES:
                if language in entry:
                    assert city_name(entry["en"], entry["country"], language) == entry[language]

    def test_sources_attribute_the_table(self):
        sources = name_sources()
        assert sources[0] == TABLE_SOURCE
        assert "ODbL v1.0" in TABLE_SOURCE
        assert any("국립국어원" in source for source in sources)


def test_every_city_of_the_embedded_record_has_its_korean_and_spanish_name():
    import citycoop

    seoul = citycoop.datasets.seoul()
    cities = {case.recipient for case in seoul.exports}
    cities |= {request.city for request in seoul.requests}
    cities |= {party.city for mou in seoul.mous for party in mou.parties if party.city}
    missing = {
        (city.name, language)
        for city in cities
        for language in LANGUAGES
        if city_name(city.name, city.country.code, language) is None
    }
    # Mumbai has no cited Spanish form (the Academia lists capitals): it stays as recorded.
    assert missing == {("Mumbai", "es")}
