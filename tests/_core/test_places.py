"""Places (`_places`): UN M49 regions, ISO 3166-1 countries, cities."""

from __future__ import annotations

import pytest

from citycoop import (
    City,
    Coordinates,
    Country,
    Region,
    UnknownCodeError,
    ValidationError,
)


class TestPlaces:
    """Countries, regions and cities validate their codes."""

    def test_country_regions(self):
        peru = Country("per")
        assert peru.code == "PE"
        assert peru.region == Region("019")
        assert peru.sub_region == Region("419")
        assert peru.intermediate_region == Region("005")
        assert Country("KR").intermediate_region is None
        assert Country("KR").name("ko") == "대한민국"

    @pytest.mark.parametrize("code", ["XX", "", 1, "KORR"])
    def test_unknown_country(self, code):
        with pytest.raises(UnknownCodeError, match="Country.code"):
            Country(code)

    def test_unknown_region(self):
        with pytest.raises(UnknownCodeError):
            Region("999")

    @pytest.mark.parametrize("zone", ["Mars/Base", "", "../etc/passwd", None, "Asia/Seoul "])
    def test_unknown_timezone(self, zone):
        with pytest.raises(UnknownCodeError, match="City.timezone"):
            City("X", "KR", zone)

    def test_city_checks(self):
        with pytest.raises(ValidationError, match="City.name"):
            City(" ", "KR", "Asia/Seoul")
        with pytest.raises(ValidationError, match="City.population"):
            City("X", "KR", "Asia/Seoul", population=-1)
        with pytest.raises(ValidationError, match="latitude"):
            Coordinates("91", "0")

    def test_from_geonames(self):
        row = {
            "Name": "Kyiv",
            "Country Code": "UA",
            "Population": "2797553",
            "Timezone": "Europe/Kyiv",
            "Latitude": "50.45466",
            "Longitude": "30.5238",
        }
        kyiv = City.from_geonames(row)
        assert kyiv.population == 2797553
        assert kyiv.region == Region("150")

    def test_m49_table_matches_reference(self, reference):
        import csv

        path = reference / "data" / "regions" / "country-codes_datasets.csv"
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        checked = 0
        for row in rows:
            if not row["Region Code"]:
                continue
            country = Country(row["ISO3166-1-Alpha-2"])
            assert country.alpha3 == row["ISO3166-1-Alpha-3"]
            assert country.region == Region(row["Region Code"].zfill(3))
            assert country.sub_region == Region(row["Sub-region Code"].zfill(3))
            checked += 1
        assert checked > 240

    def test_cities_from_reference(self, reference):
        import csv

        path = reference / "data" / "cities" / "geonames_cities15000_floodlink.csv"
        with path.open(encoding="utf-8") as handle:
            # Namibia's code is the string "NA"; the csv module keeps it as text.
            rows = [
                r for r in csv.DictReader(handle) if r["Country Code"] in {"PE", "UA", "MN", "NA"}
            ]
        cities = [City.from_geonames(r) for r in rows]
        assert any(c.name == "Ulan Bator" and c.timezone == "Asia/Ulaanbaatar" for c in cities)
        assert any(c.country == Country("NA") for c in cities)
        assert len(cities) == len(rows)


class TestCityColumns:
    """A city's columns have one home: its attrs fields, flat where a format is flat."""

    def test_every_format_follows_the_fields(self):
        import attrs

        from citycoop.io import csv as ccsv
        from citycoop.io.toml import FORMAT

        fields = [field.name for field in attrs.fields(City)]
        assert list(FORMAT["city"]) == fields
        flat = [c for c in ccsv.COLUMNS if c.startswith("recipient_")]
        expected = [f"recipient_{f}" for f in fields if f != "coordinates"]
        expected[expected.index("recipient_geonames_id") : 0] = [
            "recipient_latitude",
            "recipient_longitude",
        ]
        assert flat == expected


class TestKosovo:
    """XK is known, with no M49 region and no numeric code."""

    def test_xk(self):
        kosovo = Country("XK")
        assert (kosovo.alpha3, kosovo.numeric, kosovo.region) == ("XKX", "", None)
        assert kosovo.sub_region is None
