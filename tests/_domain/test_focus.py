"""Focus areas (`_focus`) and their OECD DAC sector codes."""

from __future__ import annotations

import re

import pytest

from citycoop import FocusArea


@pytest.mark.parametrize("area", list(FocusArea), ids=str)
def test_every_area_has_five_digit_dac_codes(area):
    assert area.sectors
    assert all(re.fullmatch(r"\d{5}", code) for code in area.sectors)


def test_sectors_are_distinct_within_an_area():
    for area in FocusArea:
        assert len(set(area.sectors)) == len(area.sectors)
