"""Policy-export cases (`_exports`): focus splits, value, funding."""

from __future__ import annotations

import pytest

from _shared import LIMA
from citycoop import (
    FocusArea,
    Money,
    PolicyExport,
    PolicyRequest,
    UnknownCodeError,
    ValidationError,
)


class TestExports:
    """Export cases split exactly and keep unknown values unknown."""

    def test_split_must_sum_to_100(self):
        with pytest.raises(ValidationError, match="sum to 100"):
            PolicyExport("x", LIMA, {"public_transport": 60, "digital": 30})

    def test_split_allocates_exactly(self):
        case = PolicyExport(
            "x", LIMA, {"public_transport": 60, "digital": 40}, value=Money("0.05", "USD")
        )
        parts = dict(case.split_value())
        assert sum(parts.values()) == Money("0.05", "USD")
        assert parts[FocusArea.PUBLIC_TRANSPORT] == Money("0.03", "USD")

    def test_unknown_value_yields_nothing(self):
        assert list(PolicyExport("x", LIMA, "digital").split_value()) == []

    def test_value_date_sets_year(self):
        assert PolicyExport("x", LIMA, "digital", value_date="2021-11-25").year == 2021
        both = PolicyExport("x", LIMA, "digital", year=2021, value_date="2021-11-25")
        assert both.year == 2021

    def test_year_and_value_date_must_agree(self):
        with pytest.raises(ValidationError, match=r"PolicyExport\.year: 2020 .*2021-11-25"):
            PolicyExport("x", LIMA, "digital", year=2020, value_date="2021-11-25")

    def test_request_lists_each_focus_area_once(self):
        request = PolicyRequest(LIMA, "2021-11-25", focus_areas=("digital", "Public transport"))
        assert request.focus_areas == (FocusArea.DIGITAL, FocusArea.PUBLIC_TRANSPORT)
        with pytest.raises(
            ValidationError, match=r"^PolicyRequest\.focus_areas: .*each focus area once"
        ):
            PolicyRequest(LIMA, "2021-11-25", focus_areas=["digital", FocusArea.DIGITAL])

    def test_bad_focus(self):
        with pytest.raises(UnknownCodeError, match="focus"):
            PolicyExport("x", LIMA, "astrology")

    def test_sectors_exist_in_iati(self, reference):
        import xml.etree.ElementTree as ET

        tree = ET.parse(reference / "iati" / "codelists" / "Sector.xml")  # noqa: S314 - trusted local file
        codes = {item.findtext("code") for item in tree.iter("codelist-item")}
        for area in FocusArea:
            assert set(area.sectors) <= codes, area
