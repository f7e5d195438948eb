"""Parties (`_parties`): organisations, their countries, and officials."""

from __future__ import annotations

import pytest

from _shared import LIMA, SEOUL, SMG
from citycoop import Country, Official, Organisation, ValidationError


class TestOrganisation:
    """An organisation's country comes from its city, or agrees with it."""

    def test_country_taken_from_city(self):
        assert SMG.country == Country("KR")
        assert SMG.timezone == "Asia/Seoul"

    def test_country_without_city(self):
        koica = Organisation("KOICA", "national_agency", country="kr")
        assert koica.country == Country("KR")
        assert koica.timezone is None

    def test_country_must_agree_with_city(self):
        with pytest.raises(ValidationError, match=r"^Organisation\.country: .*Lima"):
            Organisation("Municipality", "city_government", city=LIMA, country="KR")

    def test_needs_a_city_or_a_country(self):
        with pytest.raises(ValidationError, match=r"^Organisation\.country: None"):
            Organisation("Somewhere", "ngo")

    def test_str_is_the_name(self):
        assert str(SMG) == "Seoul Metropolitan Government"


class TestOfficial:
    """An official acts for one organisation."""

    def test_str(self):
        mayor = Official("Oh Se-hoon", "Mayor", SMG)
        assert str(mayor) == "Mayor Oh Se-hoon (Seoul Metropolitan Government)"

    def test_organisation_checked(self):
        with pytest.raises(ValidationError, match=r"^Official\.organisation: "):
            Official("Oh Se-hoon", "Mayor", SEOUL)
